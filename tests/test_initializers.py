"""Initializers: the variance each one promises, checked on seeded samples, plus fans,
gains, reproducibility, dtype and the orthogonal initializer's exact identity.

Expected values come from the papers' formulas, written out here, never from
calling one initializer to check another.
"""

import functools
import math

import numpy as np
import pytest

import initcourse as ic

SHAPES = [(256, 128), (64, 512), (3, 3, 64, 128), (5, 5, 16, 32)]


def fans_of(shape):
    """Independent fans: the receptive field prod(shape[:-2]) times the last two dims."""
    receptive = math.prod(shape[:-2])
    return receptive * shape[-2], receptive * shape[-1]


def n_for(mode, shape):
    fan_in, fan_out = fans_of(shape)
    return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]


# --- Moments of the three distributions ------------------------------------
# Standard normal truncated to [-c, c], c = 2: with phi the N(0,1) density and
# Z = P(|z| <= c) = erf(c / sqrt 2), integrating by parts gives
#   E[z^2] = 1 - 2 c phi(c) / Z,   E[z^4] = 3 E[z^2] - 2 c^3 phi(c) / Z.
_C = 2.0
_PHI_C = math.exp(-_C * _C / 2) / math.sqrt(2 * math.pi)
_Z = math.erf(_C / math.sqrt(2))
TRUNC_M2 = 1 - 2 * _C * _PHI_C / _Z
TRUNC_M4 = 3 * TRUNC_M2 - 2 * _C**3 * _PHI_C / _Z
TRUNC_STD = math.sqrt(TRUNC_M2)  # 0.8796..., the std the package divides by

KURTOSIS = {  # E[w^4] / E[w^2]^2
    "normal": 3.0,
    "uniform": 9.0 / 5.0,  # U(-a, a): E[w^4] = a^4 / 5, E[w^2] = a^2 / 3
    "truncated_normal": TRUNC_M4 / TRUNC_M2**2,
}


def test_truncated_normal_constant_is_the_std_of_a_normal_cut_at_2():
    assert TRUNC_STD == pytest.approx(0.87962566103423978, rel=1e-15)


# --- The table: initializer, theoretical Var(W), distribution ------------------
# Each entry: id -> (draw(shape, rng), var(shape), distribution).
SCALE = 1.7  # an arbitrary variance_scaling scale, so no case is "the default by luck"


def _vs(mode, dist):
    return (
        lambda s, rng: ic.variance_scaling(s, SCALE, mode, dist, rng=rng),
        lambda s: SCALE / n_for(mode, s),
        dist,
    )


INITS = {
    "normal(std=0.05)": (
        lambda s, rng: ic.normal(s, std=0.05, rng=rng), lambda s: 0.05**2, "normal"),
    "uniform(limit=0.05)": (
        lambda s, rng: ic.uniform(s, limit=0.05, rng=rng), lambda s: 0.05**2 / 3, "uniform"),
    "xavier_normal": (
        lambda s, rng: ic.xavier_normal(s, rng=rng), lambda s: 2 / sum(fans_of(s)), "normal"),
    "xavier_normal(gain=5/3)": (
        lambda s, rng: ic.xavier_normal(s, gain=5 / 3, rng=rng),
        lambda s: (5 / 3) ** 2 * 2 / sum(fans_of(s)), "normal"),
    "xavier_uniform": (
        lambda s, rng: ic.xavier_uniform(s, rng=rng), lambda s: 2 / sum(fans_of(s)), "uniform"),
    "he_normal": (
        lambda s, rng: ic.he_normal(s, rng=rng), lambda s: 2 / fans_of(s)[0], "normal"),
    "he_normal(fan_out)": (
        lambda s, rng: ic.he_normal(s, mode="fan_out", rng=rng), lambda s: 2 / fans_of(s)[1], "normal"),
    "he_normal(alpha=0.5)": (
        lambda s, rng: ic.he_normal(s, alpha=0.5, rng=rng),
        lambda s: 2 / ((1 + 0.25) * fans_of(s)[0]), "normal"),
    "he_normal(alpha=0.5,fan_out)": (
        lambda s, rng: ic.he_normal(s, alpha=0.5, mode="fan_out", rng=rng),
        lambda s: 2 / ((1 + 0.25) * fans_of(s)[1]), "normal"),
    "he_uniform": (
        lambda s, rng: ic.he_uniform(s, rng=rng), lambda s: 2 / fans_of(s)[0], "uniform"),
    "he_uniform(fan_out)": (
        lambda s, rng: ic.he_uniform(s, mode="fan_out", rng=rng), lambda s: 2 / fans_of(s)[1], "uniform"),
    "he_uniform(alpha=0.5)": (
        lambda s, rng: ic.he_uniform(s, alpha=0.5, rng=rng),
        lambda s: 2 / ((1 + 0.25) * fans_of(s)[0]), "uniform"),
    "lecun_normal": (
        lambda s, rng: ic.lecun_normal(s, rng=rng), lambda s: 1 / fans_of(s)[0], "normal"),
    "lecun_uniform": (
        lambda s, rng: ic.lecun_uniform(s, rng=rng), lambda s: 1 / fans_of(s)[0], "uniform"),
    **{
        f"variance_scaling({mode},{dist})": _vs(mode, dist)
        for mode in ("fan_in", "fan_out", "fan_avg")
        for dist in ("normal", "uniform", "truncated_normal")
    },
}

# One seed per (initializer, shape), so that the checks are independent draws.
CASES = [
    pytest.param(name, shape, 1000 + k, id=f"{name}-{'x'.join(map(str, shape))}")
    for k, (name, shape) in enumerate((n, s) for n in INITS for s in SHAPES)
]


@pytest.mark.parametrize(("name", "shape", "seed"), CASES)
def test_mean_zero_and_theoretical_variance(name, shape, seed, assert_moments):
    draw, var, dist = INITS[name]
    w = draw(shape, np.random.default_rng(seed))
    assert w.shape == shape
    assert w.dtype == np.float64
    assert_moments(w, var(shape), KURTOSIS[dist])


UNIFORM_CASES = [n for n, (_, _, d) in INITS.items() if d == "uniform"]


@pytest.mark.parametrize("name", UNIFORM_CASES)
@pytest.mark.parametrize("shape", [(256, 128), (3, 3, 64, 128)])
def test_uniform_stays_within_and_reaches_the_limit(name, shape):
    # U(-a, a) has variance a^2 / 3, so a = sqrt(3 Var). With n >= 32768 draws
    # P(max < 0.99 a) = 0.995^n < 1e-70.
    draw, var, _ = INITS[name]
    limit = math.sqrt(3 * var(shape))
    w = draw(shape, np.random.default_rng(7))
    assert np.abs(w).max() <= limit
    assert w.max() > 0.99 * limit
    assert w.min() < -0.99 * limit


@pytest.mark.parametrize("shape", [(256, 128), (3, 3, 64, 128)])
def test_xavier_uniform_limit_is_sqrt_6_over_fan_sum(shape):
    limit = math.sqrt(6 / sum(fans_of(shape)))
    w = ic.xavier_uniform(shape, rng=3)
    assert np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.99 * limit


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("shape", [(256, 128), (3, 3, 64, 128)])
def test_truncated_normal_is_cut_at_two_untruncated_std(mode, shape):
    # The draw is z * sqrt(scale/n) / 0.8796 with |z| <= 2; the bound is reached
    # closely because P(1.98 < |z| <= 2) > 0 for every draw.
    bound = 2 * math.sqrt(SCALE / n_for(mode, shape)) / 0.87962566103423978
    w = ic.variance_scaling(shape, SCALE, mode, "truncated_normal", rng=11)
    assert np.abs(w).max() <= bound * (1 + 1e-12)
    assert np.abs(w).max() > 0.99 * bound


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(lambda s: ic.he_normal(s, rng=5), id="he_normal"),
        pytest.param(lambda s: ic.xavier_normal(s, rng=5), id="xavier_normal"),
        pytest.param(lambda s: ic.variance_scaling(s, 2.0, rng=5), id="variance_scaling"),
    ],
)
def test_normal_initializers_are_untruncated(draw):
    # The papers' normal has tails: P(|z| > 2.274) = 2.3%, so a truncated draw
    # (|w| <= 2 std / 0.8796 = 2.274 std) would have none of the ~750 expected.
    shape = (256, 128)
    w = draw(shape)
    std = float(np.sqrt(np.mean(w**2)))
    assert np.count_nonzero(np.abs(w) > 2 / TRUNC_STD * std) > 500


def test_xavier_uniform_and_normal_have_the_same_variance(assert_moments):
    shape = (256, 128)
    var = 2 / (256 + 128)
    assert_moments(ic.xavier_normal(shape, rng=21), var, KURTOSIS["normal"])
    assert_moments(ic.xavier_uniform(shape, rng=22), var, KURTOSIS["uniform"])


# --- Orthogonal -----------------------------------------------------------


@pytest.mark.parametrize("gain", [1.0, math.sqrt(2), 2.5])
@pytest.mark.parametrize(
    ("shape", "kind"),
    [
        ((256, 128), "tall"),
        ((64, 512), "wide"),
        ((128, 128), "square"),
        ((3, 3, 64, 128), "tall"),  # flattened to (576, 128)
        ((1, 1, 16, 32), "wide"),   # flattened to (16, 32)
        ((5, 5, 16, 32), "tall"),
    ],
)
def test_orthogonal_identity(shape, kind, gain):
    w = ic.orthogonal(shape, gain=gain, rng=4)
    assert w.shape == shape
    m = w.reshape(-1, shape[-1])
    rows, cols = m.shape
    if kind in ("tall", "square"):
        assert np.allclose(m.T @ m, gain**2 * np.eye(cols), atol=1e-10)
    if kind in ("wide", "square"):
        assert np.allclose(m @ m.T, gain**2 * np.eye(rows), atol=1e-10)


def test_orthogonal_is_not_biased_by_the_qr_sign_convention():
    # Haar-uniform orthogonal matrices have E[W_ii] = 0. Without the sign fix
    # LAPACK's QR tends to give a diagonal of one sign. Over 400 draws of a
    # 4x4 matrix, W[0,0] has variance 1/4, so the mean has SE = 0.5/sqrt(400).
    gen = np.random.default_rng(8)
    diag = np.array([ic.orthogonal((4, 4), rng=gen)[0, 0] for _ in range(400)])
    assert abs(diag.mean()) < 5 * 0.5 / math.sqrt(400)


# --- fans and gain --------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ((256, 128), (256, 128)),
        ((3, 3, 64, 128), (576, 1152)),
        ((5, 5, 16, 32), (400, 800)),
        ((7, 16, 32), (112, 224)),  # 1-D conv kernel (k, c_in, c_out)
        ((2, 3, 4, 5, 6), (120, 144)),  # 3-D conv kernel
        ([10, 20], (10, 20)),
    ],
)
def test_fans(shape, expected):
    assert ic.fans(shape) == expected


@pytest.mark.parametrize(
    ("activation", "kwargs", "expected"),
    [
        ("linear", {}, 1.0),
        ("identity", {}, 1.0),
        ("sigmoid", {}, 1.0),
        ("tanh", {}, 5 / 3),
        ("relu", {}, math.sqrt(2)),
        ("selu", {}, 3 / 4),
        ("leaky_relu", {}, math.sqrt(2 / (1 + 0.01**2))),
        ("leaky_relu", {"alpha": 0.0}, math.sqrt(2)),
        ("leaky_relu", {"alpha": 0.2}, math.sqrt(2 / 1.04)),
        ("leaky_relu", {"alpha": 1.0}, 1.0),
        ("leaky_relu", {"alpha": 3}, math.sqrt(2 / 10)),
    ],
)
def test_gain_table(activation, kwargs, expected):
    assert ic.gain(activation, **kwargs) == pytest.approx(expected, rel=1e-15)


# --- Named initializers are variance_scaling -----------------------------------


@pytest.mark.parametrize("shape", [(256, 128), (3, 3, 64, 128)])
@pytest.mark.parametrize(
    ("named", "core"),
    [
        (lambda s, r: ic.he_normal(s, rng=r), lambda s, r: ic.variance_scaling(s, 2.0, rng=r)),
        (lambda s, r: ic.he_uniform(s, mode="fan_out", rng=r),
         lambda s, r: ic.variance_scaling(s, 2.0, "fan_out", "uniform", rng=r)),
        (lambda s, r: ic.xavier_normal(s, rng=r),
         lambda s, r: ic.variance_scaling(s, 1.0, "fan_avg", rng=r)),
        (lambda s, r: ic.lecun_uniform(s, rng=r),
         lambda s, r: ic.variance_scaling(s, 1.0, "fan_in", "uniform", rng=r)),
    ],
    ids=["he_normal", "he_uniform_fan_out", "xavier_normal", "lecun_uniform"],
)
def test_named_initializer_equals_variance_scaling_for_the_same_seed(named, core, shape):
    assert np.array_equal(named(shape, 123), core(shape, 123))


@pytest.mark.parametrize(
    ("alias", "original"),
    [
        ("glorot_normal", "xavier_normal"),
        ("glorot_uniform", "xavier_uniform"),
        ("kaiming_normal", "he_normal"),
        ("kaiming_uniform", "he_uniform"),
    ],
)
def test_aliases_are_the_same_functions(alias, original):
    assert getattr(ic, alias) is getattr(ic, original)
    assert ic.INITIALIZERS[alias] is getattr(ic, original)


# --- Reproducibility and global state ------------------------------------

RANDOM = {
    "normal": lambda s, rng: ic.normal(s, rng=rng),
    "uniform": lambda s, rng: ic.uniform(s, rng=rng),
    "xavier_normal": lambda s, rng: ic.xavier_normal(s, rng=rng),
    "xavier_uniform": lambda s, rng: ic.xavier_uniform(s, rng=rng),
    "he_normal": lambda s, rng: ic.he_normal(s, rng=rng),
    "he_uniform": lambda s, rng: ic.he_uniform(s, rng=rng),
    "lecun_normal": lambda s, rng: ic.lecun_normal(s, rng=rng),
    "lecun_uniform": lambda s, rng: ic.lecun_uniform(s, rng=rng),
    "truncated_normal": lambda s, rng: ic.variance_scaling(s, 2.0, distribution="truncated_normal", rng=rng),
    "orthogonal": lambda s, rng: ic.orthogonal(s, rng=rng),
    "get_initializer": lambda s, rng: ic.get_initializer("tanh", s, rng=rng),
    "initialize_weights": lambda s, rng: ic.initialize_weights(s, "he", rng=rng),
}


@pytest.mark.parametrize("name", RANDOM)
def test_seeding(name):
    draw, shape = RANDOM[name], (3, 3, 8, 16)
    a = draw(shape, 42)
    assert np.array_equal(a, draw(shape, 42)), "same seed, different array"
    assert np.array_equal(a, draw(shape, np.random.default_rng(42))), "int seed != Generator(seed)"
    assert not np.array_equal(a, draw(shape, 43)), "different seeds, same array"
    gen = np.random.default_rng(42)
    first, second = draw(shape, gen), draw(shape, gen)
    assert np.array_equal(first, a)
    assert not np.array_equal(first, second), "a Generator must advance between draws"
    assert not np.array_equal(draw(shape, None), draw(shape, None)), "rng=None must draw fresh entropy"


GLOBAL_STATE_CALLS = {
    **{f"{name}(rng={rng})": functools.partial(RANDOM[name], (16, 8), rng)
       for name in RANDOM for rng in (None, 0)},
    "MLP": lambda: ic.MLP([4, 8, 2], rng=None),
    "propagate": lambda: ic.propagate("he_normal", "relu", depth=2, width=8, batch=4, rng=None),
}


@pytest.mark.parametrize("name", GLOBAL_STATE_CALLS)
def test_global_numpy_random_state_is_untouched(name):
    np.random.seed(0)  # noqa: NPY002 (the legacy global state is what is checked)
    before = np.random.get_state()  # noqa: NPY002
    GLOBAL_STATE_CALLS[name]()
    after = np.random.get_state()  # noqa: NPY002
    assert before[0] == after[0]
    assert np.array_equal(before[1], after[1])
    assert before[2:] == after[2:]


@pytest.mark.parametrize(
    "draw",
    [
        *[pytest.param(functools.partial(fn, dtype=np.float32), id=name)
          for name, fn in {
              "normal": ic.normal, "uniform": ic.uniform, "xavier_normal": ic.xavier_normal,
              "xavier_uniform": ic.xavier_uniform, "he_normal": ic.he_normal,
              "he_uniform": ic.he_uniform, "lecun_normal": ic.lecun_normal,
              "lecun_uniform": ic.lecun_uniform, "orthogonal": ic.orthogonal,
              "zeros": ic.zeros, "variance_scaling": ic.variance_scaling}.items()],
        pytest.param(functools.partial(ic.constant, value=0.5, dtype=np.float32), id="constant"),
        pytest.param(functools.partial(ic.variance_scaling, distribution="truncated_normal",
                                       dtype=np.float32), id="truncated_normal"),
    ],
)
def test_float32(draw):
    w = draw((3, 3, 8, 16))
    assert w.dtype == np.float32
    assert w.shape == (3, 3, 8, 16)
    assert np.all(np.isfinite(w))


@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 3, 4)])
@pytest.mark.parametrize("value", [0.0, 0.5, -2.0])
def test_zeros_and_constant(shape, value):
    z = ic.zeros(shape)
    assert z.shape == shape and z.dtype == np.float64 and not z.any()
    c = ic.constant(shape, value)
    assert c.shape == shape and c.dtype == np.float64
    assert np.all(c == value)
