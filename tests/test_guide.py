"""The selection guide: recommend()'s table against the papers, its framework strings,
and the variance of what initializer_for / get_initializer / initialize_weights draw.
"""

import math
import re

import numpy as np
import pytest

import initcourse as ic
from initcourse.guide import GUIDE_ACTIVATIONS

NORMAL_KURTOSIS = 3.0
UNIFORM_KURTOSIS = 9.0 / 5.0


def fans_of(shape):
    receptive = math.prod(shape[:-2])
    return receptive * shape[-2], receptive * shape[-1]


# From the papers: Glorot & Bengio (2010) for slope-1-at-0 activations and the
# logits layer, He et al. (2015) for the ReLU family (2 / (1 + alpha^2) for a
# leaky ReLU), Klambauer et al. (2017) (LeCun normal) for SELU.
XAVIER = ("xavier_normal", 1.0, "fan_avg")
HE = ("he_normal", 2.0, "fan_in")
EXPECTED = {
    "sigmoid": XAVIER,
    "tanh": XAVIER,
    "linear": XAVIER,
    "softmax": XAVIER,
    "relu": HE,
    "gelu": HE,
    "silu": HE,
    "leaky_relu": ("he_normal", 2.0 / (1.0 + 0.01**2), "fan_in"),
    "selu": ("lecun_normal", 1.0, "fan_in"),
}


def expected_var(activation, shape, alpha=None):
    method, scale, mode = EXPECTED[activation]
    if activation == "leaky_relu" and alpha is not None:
        scale = 2.0 / (1.0 + alpha**2)
    fan_in, fan_out = fans_of(shape)
    return scale / (fan_in if mode == "fan_in" else (fan_in + fan_out) / 2)


def test_the_table_covers_every_guide_activation():
    assert set(GUIDE_ACTIVATIONS) == set(EXPECTED)


@pytest.mark.parametrize("activation", GUIDE_ACTIVATIONS)
def test_recommend_table(activation):
    rec = ic.recommend(activation)
    method, scale, mode = EXPECTED[activation]
    assert rec.activation == activation
    assert rec.method == method
    assert rec.scale == pytest.approx(scale, rel=1e-15)
    assert rec.mode == mode
    assert rec.method in ic.INITIALIZERS


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.2, 0.5, 1.0])
def test_recommend_leaky_relu_scale(alpha):
    rec = ic.recommend("leaky_relu", alpha=alpha)
    assert (rec.method, rec.mode) == ("he_normal", "fan_in")
    assert rec.scale == pytest.approx(2.0 / (1.0 + alpha**2), rel=1e-15)


@pytest.mark.parametrize("activation", ["relu", "gelu", "silu"])
def test_pytorch_string_for_relu_family(activation):
    rec = ic.recommend(activation)
    assert rec.pytorch.startswith("torch.nn.init.kaiming_normal_(layer.weight,")
    assert 'nonlinearity="relu"' in rec.pytorch
    assert 'mode="fan_in"' in rec.pytorch
    # PyTorch stores (out, in) and kaiming_normal_ reads fan_in from dim 1: no transpose.
    assert ".T" not in rec.pytorch and ".t()" not in rec.pytorch and "transpose" not in rec.pytorch
    assert "no transpose" in rec.note


@pytest.mark.parametrize("activation", ["relu", "gelu", "silu"])
def test_keras_and_jax_he_normal_are_said_to_be_truncated(activation):
    rec = ic.recommend(activation)
    assert rec.keras == "keras.initializers.HeNormal()"
    assert rec.jax == "jax.nn.initializers.he_normal()"
    assert "HeNormal" in rec.note and "he_normal" in rec.note
    assert "truncated" in rec.note


@pytest.mark.parametrize("alpha", [0.01, 0.2, 0.5])
def test_leaky_relu_framework_strings(alpha):
    rec = ic.recommend("leaky_relu", alpha=alpha)
    scale = 2.0 / (1.0 + alpha**2)
    # JAX: variance_scaling(scale, "fan_in", "normal") is untruncated in JAX.
    m = re.fullmatch(r'jax\.nn\.initializers\.variance_scaling\(([^,]+), "fan_in", "normal"\)', rec.jax)
    assert m, rec.jax
    assert float(m.group(1)) == pytest.approx(scale, rel=1e-12)
    assert "truncated" not in rec.jax
    # Keras: VarianceScaling with the same scale, untruncated.
    m = re.search(r"VarianceScaling\(scale=([^,]+),", rec.keras)
    assert m, rec.keras
    assert float(m.group(1)) == pytest.approx(scale, rel=1e-12)
    assert 'distribution="untruncated_normal"' in rec.keras
    # PyTorch: kaiming_normal_ with a = alpha and nonlinearity leaky_relu, no transpose.
    m = re.search(r"kaiming_normal_\(layer\.weight, a=([^,]+),", rec.pytorch)
    assert m, rec.pytorch
    assert float(m.group(1)) == alpha
    assert 'nonlinearity="leaky_relu"' in rec.pytorch
    assert ".T" not in rec.pytorch


def test_selu_framework_strings():
    rec = ic.recommend("selu")
    # gain("selu") = 3/4 would break the fixed point; the PyTorch call is the linear gain.
    assert 'nonlinearity="linear"' in rec.pytorch
    assert rec.keras == "keras.initializers.LecunNormal()"
    assert rec.jax == "jax.nn.initializers.lecun_normal()"


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "linear", "softmax"])
def test_xavier_framework_strings(activation):
    rec = ic.recommend(activation)
    assert rec.pytorch == "torch.nn.init.xavier_normal_(layer.weight)"
    assert rec.keras == "keras.initializers.GlorotNormal()"
    assert rec.jax == "jax.nn.initializers.glorot_normal()"


@pytest.mark.parametrize("shape", [(256, 128), (64, 512), (3, 3, 64, 128)])
@pytest.mark.parametrize("activation", GUIDE_ACTIVATIONS)
def test_recommendation_std(activation, shape):
    assert ic.recommend(activation).std(shape) == pytest.approx(
        math.sqrt(expected_var(activation, shape)), rel=1e-14)


@pytest.mark.parametrize("shape", [(256, 128), (3, 3, 64, 128)])
@pytest.mark.parametrize("activation", GUIDE_ACTIVATIONS)
def test_initializer_for_has_the_recommended_variance(activation, shape, assert_moments):
    seed = 100 + GUIDE_ACTIVATIONS.index(activation) + 50 * len(shape)
    w = ic.initializer_for(activation)(shape, rng=np.random.default_rng(seed))
    assert w.shape == shape
    assert_moments(w, expected_var(activation, shape), NORMAL_KURTOSIS)


def test_initializer_for_leaky_relu_uses_alpha(assert_moments):
    w = ic.initializer_for("leaky_relu", alpha=1.0)((256, 128), rng=3)
    assert_moments(w, 1.0 / 256, NORMAL_KURTOSIS)  # 2 / ((1 + 1) * 256)


def test_get_initializer_leaky_relu_0_2_variance(assert_moments):
    w = ic.get_initializer("leaky_relu_0.2", (256, 128), rng=np.random.default_rng(5))
    assert_moments(w, 2 / ((1 + 0.04) * 256), NORMAL_KURTOSIS)


@pytest.mark.parametrize(
    ("activation", "alpha"),
    [("leaky_relu_0.2", 0.2), ("leaky_relu", 0.01), ("leaky_relu_0.5", 0.5), ("leaky_relu_0", 0.0),
     ("relu", 0.0)],
)
def test_get_initializer_alpha_exactly(activation, alpha):
    # A variance test cannot tell alpha = 0.01 (factor 1.0001) from 0. He normal
    # draws N(0, std^2) from the generator, i.e. std times its standard-normal
    # stream, so dividing by that stream recovers std = sqrt(2 / ((1 + a^2) fan_in)).
    shape = (64, 32)
    w = ic.get_initializer(activation, shape, rng=9)
    z = np.random.default_rng(9).standard_normal(shape)
    np.testing.assert_allclose(w / z, math.sqrt(2 / ((1 + alpha**2) * 64)), rtol=1e-12)


# initialize_weights: (method, activation) -> (Var(W) for n_in=256, n_out=128, kurtosis, uniform limit)
N_IN, N_OUT = 256, 128
CHAPTER = {
    ("he", "relu"): (2 / N_IN, NORMAL_KURTOSIS, None),
    ("xavier", "relu"): (2 / (N_IN + N_OUT), NORMAL_KURTOSIS, None),
    ("normal", "relu"): (0.01**2, NORMAL_KURTOSIS, None),
    ("uniform", "relu"): (2 / (N_IN + N_OUT), UNIFORM_KURTOSIS, math.sqrt(6 / (N_IN + N_OUT))),
    ("auto", "relu"): (2 / N_IN, NORMAL_KURTOSIS, None),
    ("auto", "tanh"): (2 / (N_IN + N_OUT), NORMAL_KURTOSIS, None),
    ("auto", "selu"): (1 / N_IN, NORMAL_KURTOSIS, None),
    ("auto", "leaky_relu_0.5"): (2 / (1.25 * N_IN), NORMAL_KURTOSIS, None),
    ("he_uniform", "relu"): (2 / N_IN, UNIFORM_KURTOSIS, math.sqrt(6 / N_IN)),
    ("lecun_normal", "relu"): (1 / N_IN, NORMAL_KURTOSIS, None),
}


@pytest.mark.parametrize(("method", "activation"), list(CHAPTER))
def test_initialize_weights(method, activation, assert_moments):
    var, kurtosis, limit = CHAPTER[method, activation]
    seed = 300 + list(CHAPTER).index((method, activation))
    w = ic.initialize_weights((N_IN, N_OUT), method, activation, rng=np.random.default_rng(seed))
    assert w.shape == (N_IN, N_OUT)
    assert_moments(w, var, kurtosis)
    if limit is not None:
        assert np.abs(w).max() <= limit
        assert np.abs(w).max() > 0.99 * limit


def test_initialize_weights_activation_is_ignored_unless_auto():
    a = ic.initialize_weights((32, 16), "xavier", "relu", rng=1)
    b = ic.initialize_weights((32, 16), "xavier", "tanh", rng=1)
    assert np.array_equal(a, b)
