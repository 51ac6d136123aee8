"""The signal probe: exact agreement with a plain-numpy reference, the E[z^2]
laws of Xavier and He under ReLU, overflow handling, and its one-line-a-layer text.
"""

import functools
import math
import warnings

import numpy as np
import pytest

import initcourse as ic

STATS = ("mean", "std", "z2", "saturated", "dead", "grad_std", "grad_w_std")
FORWARD_STATS = ("mean", "std", "z2", "saturated", "dead")


# --- Reference implementation ---------------------------------------------------


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# activation -> (f(z), f'(z)), written from the definitions
REF_ACT = {
    "linear": (lambda z: z, np.ones_like),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "leaky_relu": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1.0, 0.01)),
}


def reference_probe(init, activation, depth, width, n_in, batch, seed):
    """Plain numpy: per-layer (mean, std, z2, saturated, dead, grad_std, grad_w_std)."""
    f, fprime = REF_ACT[activation]
    widths = list(width) if isinstance(width, (list, tuple)) else [width] * depth
    gen = np.random.default_rng(seed)
    x = gen.standard_normal((batch, n_in))
    sizes = [n_in, *widths]
    weights = [np.asarray(init((sizes[i], sizes[i + 1]), rng=gen)) for i in range(depth)]
    upstream = gen.standard_normal((batch, widths[-1]))

    acts, zs = [x], []
    for w in weights:
        z = acts[-1] @ w
        zs.append(z)
        acts.append(f(z))

    grads = [None] * depth
    g = upstream
    for i in reversed(range(depth)):
        gz = g * fprime(zs[i])
        gw = acts[i].T @ gz
        grads[i] = (gz.std(), gw.std())
        g = gz @ weights[i].T

    rows = []
    for i in range(depth):
        a = acts[i + 1]
        if activation == "tanh":
            saturated = np.mean(np.abs(a) > 0.97)
        elif activation == "sigmoid":
            saturated = np.mean((a < 0.03) | (a > 0.97))
        else:
            saturated = 0.0
        dead = np.mean(a == 0) if activation == "relu" else 0.0
        rows.append((a.mean(), a.std(), np.mean(zs[i] ** 2), saturated, dead, *grads[i]))
    return np.array(rows)


@pytest.mark.parametrize(
    ("init", "activation", "depth", "width", "n_in"),
    [
        ("xavier_normal", "tanh", 4, 32, 32),
        ("he_normal", "relu", 5, 24, 10),
        ("xavier_normal", "sigmoid", 3, 16, 40),
        ("he_normal", "leaky_relu", 4, 20, 20),
        (functools.partial(ic.normal, std=0.5), "tanh", 3, 16, 16),  # saturates
        (functools.partial(ic.normal, std=2.0), "sigmoid", 3, 16, 16),  # saturates
        ("orthogonal", "linear", 3, 16, 16),
        ("he_uniform", "relu", 3, [30, 12, 20], 8),  # non-square layers
    ],
)
@pytest.mark.parametrize("seed", [0, 1])
def test_propagate_matches_reference(init, activation, depth, width, n_in, seed):
    batch = 50
    result = ic.propagate(init, activation, depth, width, n_in=n_in, batch=batch, rng=seed)
    draw = ic.INITIALIZERS[init] if isinstance(init, str) else init
    expected = reference_probe(draw, activation, depth, width, n_in, batch, seed)
    assert result.overflow is None
    assert [s.layer for s in result.layers] == list(range(1, depth + 1))
    actual = np.array([[getattr(s, k) for k in STATS] for s in result.layers])
    np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=0)
    if activation in ("tanh", "sigmoid") and not isinstance(init, str):
        assert result.column("saturated").max() > 0.1  # the saturated column was exercised


def test_samples_do_not_change_the_network():
    a = ic.propagate("he_normal", "relu", depth=3, width=16, batch=20, n_samples=0, rng=4)
    b = ic.propagate("he_normal", "relu", depth=3, width=16, batch=20, n_samples=100, rng=4)
    assert a.layers == b.layers
    assert a.samples == () and len(b.samples) == 4  # input first, then each layer
    assert all(s.size == 100 for s in b.samples)


# --- Xavier and He under ReLU -----------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_xavier_relu_halves_mean_square_per_layer(seed):
    # Var(W) = 2 / (512 + 512) = 1/512, so E[z_{l+1}^2] = 512 Var(W) E[relu(z_l)^2]
    # = E[z_l^2] / 2: each layer halves E[z^2].
    r = ic.propagate("xavier_normal", "relu", depth=20, width=512, batch=500, n_samples=0, rng=seed)
    z2 = r.column("z2")
    geometric_mean = math.exp(np.mean(np.log(z2[1:] / z2[:-1])))
    assert geometric_mean == pytest.approx(0.5, abs=0.05)


N_SEEDS, WIDTH, DEPTH, BATCH = 30, 256, 20, 200


@functools.cache
def _z2_over_seeds(init):
    return np.array([
        ic.propagate(init, "relu", depth=DEPTH, width=WIDTH, batch=BATCH, n_samples=0, rng=s).column("z2")
        for s in range(N_SEEDS)
    ])


def _preserves_mean_square(init):
    """Is E[z2[last] / z2[0]] = 1 and E[log(z2[last] / z2[0])] = 0, within 5 SE over seeds?

    One finite-width network drifts (z2[last] / z2[0] spans about 0.3 to 3
    between seeds here), so the tolerance is 5 standard errors of the mean
    over N_SEEDS independent networks, SE = sample std / sqrt(N_SEEDS).

    Under He + ReLU, E[z2_{l+1} | layer l - 1] = z2_l exactly (sign symmetry
    of W_l gives E[relu(z_l)^2] = E[z_l^2] / 2), so the ratio is a martingale
    with mean exactly 1. Its log has mean -Var/2 by Jensen (about -0.1 here,
    within 5 SE), which is why both are checked.
    """
    z2 = _z2_over_seeds(init)
    ratio = z2[:, -1] / z2[:, 0]
    log_ratio = np.log(ratio)
    se_ratio = ratio.std(ddof=1) / math.sqrt(N_SEEDS)
    se_log = log_ratio.std(ddof=1) / math.sqrt(N_SEEDS)
    return abs(ratio.mean() - 1) < 5 * se_ratio, abs(log_ratio.mean()) < 5 * se_log, log_ratio.mean()


def test_he_relu_preserves_mean_square_from_layer_one_on():
    ratio_ok, log_ok, _ = _preserves_mean_square("he_normal")
    assert ratio_ok
    assert log_ok


def test_xavier_relu_fails_the_same_test():
    ratio_ok, log_ok, mean_log = _preserves_mean_square("xavier_normal")
    assert not ratio_ok and not log_ok
    assert mean_log < (DEPTH - 1) * math.log(0.5) / 2  # about -13, far below 0


def test_first_he_layer_doubles_mean_square_of_standard_normal_input():
    # z = x W with x ~ N(0, 1) (B x n_in) and W ~ N(0, s2 = 2 / n_in) (n_in x n):
    # E[z^2] = n_in s2 = 2. Var of z2 = mean(z^2) over the B x n entries:
    #   over W:      Var(mean_j |W_j|^2)              = 8 / (n_in n)
    #   given W:     rows are iid with Var(|z_b|^2) = 2 tr((W^T W)^2),
    #                E tr((W^T W)^2) = n n_in (n_in + n + 1) s2^2
    #   total:       8 (n_in + n + 1 + B) / (B n n_in)
    n_in = n = WIDTH
    se = math.sqrt(8 * (n_in + n + 1 + BATCH) / (BATCH * n * n_in))
    first = _z2_over_seeds("he_normal")[:, 0]
    assert np.all(np.abs(first - 2) < 5 * se)
    assert abs(first.mean() - 2) < 5 * se / math.sqrt(N_SEEDS)


# --- Overflow and extreme scales -------------------------------------------------


def test_linear_std_10_overflows_forward_without_inf_or_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ic.propagate(functools.partial(ic.normal, std=10.0), "linear", depth=50, width=256, rng=0)
    assert isinstance(r.overflow, int)
    assert r.overflow_direction == "forward"
    # E[z^2] grows by 256 * 10^2 = 25600 = 10^4.41 a layer: past 1e200 at layer 46.
    assert 44 <= r.overflow <= 48
    assert len(r.layers) == r.overflow - 1
    for s in r.layers:
        for k in STATS:
            assert not np.isinf(getattr(s, k)), (s.layer, k)
        for k in FORWARD_STATS:
            assert np.isfinite(getattr(s, k)), (s.layer, k)
    assert r.layers[-1].z2 > 1e190


@pytest.mark.parametrize("std", [1e-3, 10.0])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_extreme_scales_stay_finite_and_silent(activation, std):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ic.propagate(functools.partial(ic.normal, std=std), activation, depth=50, width=256,
                         batch=200, n_samples=0, rng=1)
    if r.overflow is None:
        assert len(r.layers) == 50 and r.overflow_direction is None
    else:
        assert isinstance(r.overflow, int) and 1 <= r.overflow <= 50
        assert r.overflow_direction in ("forward", "backward")
    for s in r.layers:
        for k in STATS:
            assert not np.isinf(getattr(s, k)), (s.layer, k)
        for k in FORWARD_STATS:
            assert not np.isnan(getattr(s, k)), (s.layer, k)
        if r.overflow is None:
            assert not np.isnan(s.grad_std) and not np.isnan(s.grad_w_std), s.layer


def test_bounded_activations_never_overflow():
    for activation in ("sigmoid", "tanh"):
        r = ic.propagate(functools.partial(ic.normal, std=10.0), activation, depth=50, width=256,
                         batch=200, n_samples=0, rng=1)
        assert r.overflow is None
        assert r.layers[-1].saturated > 0.5


# --- Text ----------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "relu", "linear"])
def test_one_line_a_layer(activation):
    depth = 6
    r = ic.propagate("he_normal", activation, depth=depth, width=32, batch=40, rng=0)
    for s in r.layers:
        text = str(s)
        assert "\n" not in text
        assert text.startswith(f"layer {s.layer:2d} {activation}")
    lines = repr(r).splitlines()
    assert len(lines) == 1 + depth
    assert lines[0].startswith("propagate(") and "depth=6" in lines[0]
    assert lines[1:] == [str(s) for s in r.layers]
    if activation == "relu":
        assert all(f"dead {100 * s.dead:5.1f}%" in str(s) for s in r.layers)
    if activation == "tanh":
        assert all("sat " in str(s) for s in r.layers)


def test_repr_reports_overflow_on_its_own_line():
    r = ic.propagate(functools.partial(ic.normal, std=10.0), "linear", depth=50, width=128,
                     batch=50, n_samples=0, rng=0)
    lines = repr(r).splitlines()
    assert r.overflow is not None
    assert len(lines) == 1 + len(r.layers) + 1
    assert lines[-1] == f"forward signal overflowed at layer {r.overflow}"
