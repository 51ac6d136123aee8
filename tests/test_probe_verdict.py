"""verdict(): what a probe result is called, checked on constructed results."""

import functools

import pytest

import initcourse as ic
from initcourse.probe import LayerStats, Propagation


def fake(stds, activation="linear", grads=None, saturated=0.0):
    grads = grads or [1.0] * len(stds)
    layers = tuple(LayerStats(i + 1, activation, 0.0, s, s * s, saturated, 0.0, g, g)
                   for i, (s, g) in enumerate(zip(stds, grads, strict=True)))
    return Propagation("x", activation, len(stds), 8, 8, 10, layers)


@pytest.mark.parametrize("stds, kind", [
    ([1.0, 0.9, 1.1], "healthy"),
    ([1.0, 0.5, 0.34], "healthy"),        # less than 3x: still healthy
    ([1.0, 0.5, 0.3], "shrinking"),
    ([1.0, 2.0, 3.5], "growing"),
    ([1.0, 0.1, 0.005], "collapsed"),
    ([1.0, 50.0, 500.0], "exploding"),
])
def test_forward_kinds(stds, kind):
    assert ic.verdict(fake(stds)).kind == kind


def test_gradients_decide_only_when_the_forward_signal_is_healthy():
    v = ic.verdict(fake([1.0, 1.0, 1.0], grads=[1e-3, 0.1, 1.0]))
    assert v.kind == "vanishing gradients" and "gradients vanish" in v.headline
    v = ic.verdict(fake([1.0, 0.5, 0.3], grads=[1e-3, 0.1, 1.0]))
    assert v.kind == "shrinking" and "gradients vanish" in v.headline


def test_real_networks_from_the_course():
    selu = functools.partial(ic.propagate, activation="selu", depth=20, width=256, batch=256, rng=0)
    assert ic.verdict(selu("lecun_normal")).kind == "healthy"
    assert ic.verdict(selu("he_normal")).kind == "growing"
    assert ic.verdict(selu(functools.partial(ic.variance_scaling, scale=0.5625))).kind == "shrinking"
