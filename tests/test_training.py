"""fit(), History, unit_spread, the moons data and the symmetry explorer."""

import functools
import warnings

import numpy as np
import pytest

import initcourse as ic
from initcourse.explorers import PERTURBATIONS, symmetry_explorer


def test_moons_are_imbalanced_two_dimensional_and_seeded():
    x, y = ic.data.moons()
    assert x.shape == (200, 2) and np.bincount(y).tolist() == [140, 60]
    x2, _ = ic.data.moons()
    assert np.array_equal(x, x2)
    assert np.bincount(ic.data.moons((100, 100))[1]).tolist() == [100, 100]


def test_fit_records_loss_accuracy_and_weights_and_matches_a_hand_loop():
    x, y = ic.data.moons()
    a = ic.MLP([2, 8, 2], "tanh", rng=0)
    b = ic.MLP([2, 8, 2], "tanh", rng=0)
    hist = ic.fit(a, x, y, steps=30, lr=0.5, record_weights=True)
    losses = []
    for _ in range(30):
        loss, grad = ic.softmax_cross_entropy(b.forward(x), y)
        losses.append(loss)
        b.backward(grad)
        b.sgd_step(0.5)
    np.testing.assert_allclose(hist.loss, losses, rtol=1e-12)
    assert hist.first_weights.shape == (31, 2, 8)
    np.testing.assert_array_equal(hist.first_weights[-1], a.layers[0].W)
    assert hist.diverged_at is None and hist.loss[-1] < hist.loss[0]
    assert hist.accuracy[-1] == ic.accuracy(a, x, y) or len(hist.accuracy) == 30


def test_a_diverging_run_is_reported_not_filled_with_nan():
    # the stable log-softmax keeps a large but finite loss finite; what diverges is
    # float64 itself: one step of lr 1e150 puts weights near 1e150, whose cube overflows
    x, y = ic.data.moons()
    net = ic.MLP([2, 64, 64, 2], "relu", rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = ic.fit(net, x, y, steps=50, lr=1e150)
    assert hist.diverged_at is not None and 0 < hist.diverged_at < 50
    assert len(hist.loss) == len(hist.accuracy) == hist.diverged_at
    assert np.all(np.isfinite(hist.loss)) and np.all(np.isfinite(hist.accuracy))
    assert "diverged at step" in repr(hist)


@pytest.mark.parametrize("kwargs, name", [(dict(steps=0), "steps"), (dict(lr=0), "lr"),
                                          (dict(lr=float("nan")), "lr")])
def test_fit_rejects_bad_arguments(kwargs, name):
    x, y = ic.data.moons()
    with pytest.raises((ValueError, TypeError), match=name):
        ic.fit(ic.MLP([2, 3, 2], rng=0), x, y, **kwargs)


def test_unit_spread_is_the_largest_difference_between_units():
    w = np.zeros((2, 3, 4))
    w[1, 2, 3] = 0.25
    w[1, 0, 1] = -0.5
    np.testing.assert_array_equal(ic.unit_spread(w), [0.0, 0.5])


# --- the symmetry explorer -------------------------------------------------------------


def expected_history(perturbation, steps, activation):
    half = functools.partial(ic.constant, value=0.5)
    net = ic.MLP([2, 8, 2], activation, init=half, output_init=half)
    net.layers[0].W += perturbation * np.random.default_rng(0).standard_normal((2, 8))
    x, y = ic.data.moons()
    return ic.fit(net, x, y, steps=steps, lr=0.5, record_weights=True)


def test_symmetry_explorer_shows_the_training_run_for_its_settings():
    ex = symmetry_explorer(steps=200)
    assert "stay identical at every step" in ex.output.outputs[0]["data"]["text/plain"]
    assert "exactly 0" in ex.plot.note.get_text()
    ex.perturbation.value = 1e-2
    ex.activation.value = "sigmoid"
    hist = expected_history(1e-2, 200, "sigmoid")
    gap = ic.unit_spread(hist.first_weights)
    np.testing.assert_allclose(ex.plot.gap_line.get_ydata(), gap[gap > 0], rtol=1e-12)
    for j, line in enumerate(ex.plot.unit_lines):
        np.testing.assert_allclose(line.get_ydata(), hist.first_weights[:, 0, j], rtol=1e-12)
    assert ex.plot.note.get_text() == ""
    assert f"accuracy {100 * hist.accuracy[-1]:.1f}%" in ex.status.value


@pytest.mark.parametrize("perturbation", [v for _, v in PERTURBATIONS])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_symmetry_explorer_extremes_warn_nothing(perturbation, activation):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex = symmetry_explorer(perturbation, 100, activation)
    assert "Cannot show" not in ex.status.value
    for line in (*ex.plot.unit_lines, ex.plot.gap_line):
        assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))


@pytest.mark.parametrize("kwargs, name", [(dict(perturbation=0.5), "perturbation"),
                                          (dict(steps=5000), "steps"),
                                          (dict(activation="linear"), "activation")])
def test_symmetry_explorer_rejects_bad_arguments(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        symmetry_explorer(**kwargs)


# --- the scale sweep -----------------------------------------------------------------------


def test_scale_sweep_matches_propagate_and_finds_the_linear_band_at_one_over_sqrt_n():
    scales = np.logspace(-2, 0, 25)
    sw = ic.scale_sweep("linear", scales, depth=20, width=128, batch=64)
    for i in (0, 12, 24):
        prop = ic.propagate(functools.partial(ic.normal, std=scales[i]), "linear", 20, 128,
                            batch=64, n_samples=0, rng=0)
        assert sw.std[i] == prop.layers[-1].std
    lo, hi = sw.band()
    # (scale * sqrt(n))^20 within [0.1, 10] <=> scale within 10^(+-1/20) / sqrt(n)
    assert 10 ** -0.05 / np.sqrt(128) <= lo <= hi <= 10 ** 0.05 / np.sqrt(128)


def test_sweep_band_excludes_saturated_scales():
    scales = np.logspace(-2, 1, 13)
    sw = ic.scale_sweep("tanh", scales, depth=10, width=64, batch=32)
    lo, hi = sw.band()
    assert np.isfinite(lo) and np.all(sw.saturated[scales > hi] > 0.5)


def test_scale_colours_run_from_small_to_large_and_tell_scales_apart():
    from initcourse.figures import PALETTE, scale_color

    assert scale_color(0.001) == scale_color(0.01) == PALETTE["small normal"]
    assert scale_color(1.0) == PALETTE["large normal"]
    shades = {scale_color(s) for s in (0.01, 0.03, 0.1, 0.3, 1.0, 2.0, 10.0)}
    assert len(shades) == 7
