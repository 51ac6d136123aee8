"""Activations, the MLP and its losses: numerically safe activations, derivatives
against finite differences, the symmetry of constant init on real data, and
backprop against finite differences.
"""

import functools
import math
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_moons

import initcourse as ic
from initcourse.activations import SELU_ALPHA, SELU_LAMBDA

# --- Activations ------------------------------------------------------------


def sigmoid_reference(z):
    """math.exp-based logistic, written in the form that cannot overflow."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def test_sigmoid_extremes_are_finite_exact_and_silent():
    z = np.array([-1e4, -40.0, 0.0, 40.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = ic.sigmoid(z)
    assert np.all(np.isfinite(s)) and not np.isnan(s).any()
    np.testing.assert_allclose(s, [sigmoid_reference(v) for v in z], rtol=1e-12, atol=0)
    assert s[1] == pytest.approx(4.248354255291589e-18, rel=1e-12)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5


def test_sigmoid_of_a_python_float():
    # The docstring promises "finite and warning-free for any z"; a scalar is a z.
    for z in (-1e4, -40.0, 0.0, 40.0, 1e4):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            s = ic.sigmoid(z)
        assert float(s) == pytest.approx(sigmoid_reference(z), rel=1e-12, abs=0)


def test_sigmoid_matches_reference_on_a_grid():
    # |z| <= 700 keeps the true value a normal float (e^-700 = 1e-304); below
    # z = -709.8 the package returns 0 where the exact value is a subnormal.
    z = np.linspace(-700.0, 700.0, 2801)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = ic.sigmoid(z)
    ref = np.array([sigmoid_reference(v) for v in z])
    np.testing.assert_allclose(s, ref, rtol=1e-12, atol=0)


# Independent definitions of each activation f(z) (the derivative is checked
# against finite differences of these, not of the package).
F = {
    "linear": lambda z: z,
    "sigmoid": lambda z: np.array([sigmoid_reference(v) for v in z]),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "leaky_relu(0.2)": lambda z: np.where(z > 0, z, 0.2 * z),
    "selu": lambda z: SELU_LAMBDA * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0))),
}


def act(name):
    if name == "leaky_relu(0.2)":
        return ic.get_activation("leaky_relu", alpha=0.2)
    return ic.get_activation(name)


# A grid that avoids the kinks at 0 (relu, leaky_relu, selu) by more than h.
Z = np.concatenate([np.linspace(-6, -1e-3, 60), np.linspace(1e-3, 6, 60)])


@pytest.mark.parametrize("name", F)
def test_f_matches_independent_definition(name):
    np.testing.assert_allclose(act(name).f(Z.copy()), F[name](Z), rtol=1e-13, atol=1e-300)


def test_selu_constants():
    # Klambauer et al. (2017): alpha = 1.6732632423543772, lambda = 1.0507009873554805.
    assert (SELU_ALPHA, SELU_LAMBDA) == (1.6732632423543772, 1.0507009873554805)


@pytest.mark.parametrize("name", F)
def test_df_of_output_matches_central_difference(name):
    # Central difference error: h^2 f''' / 6 + eps |f| / h ~ 1e-12 + 1e-10 for h = 1e-6.
    h = 1e-6
    numeric = (F[name](Z + h) - F[name](Z - h)) / (2 * h)
    a = act(name).f(Z.copy())
    np.testing.assert_allclose(act(name).df(a), numeric, rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("name", F)
def test_f_in_place(name):
    z = np.random.default_rng(0).normal(0, 3, size=(7, 5))
    expected = act(name).f(z.copy())
    buf = z.copy()
    result = act(name).f(buf, out=buf)
    np.testing.assert_array_equal(result, expected)
    np.testing.assert_array_equal(buf, expected)  # really written in place


@pytest.mark.parametrize("name", F)
def test_df_into_a_separate_buffer(name):
    a = act(name).f(np.random.default_rng(1).normal(0, 3, size=(7, 5)))
    expected = act(name).df(a.copy())
    out = np.full_like(a, np.nan)
    result = act(name).df(a.copy(), out=out)
    np.testing.assert_array_equal(result, expected)
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("name", F)
def test_activation_of_a_python_float(name):
    # sigmoid(0.0), selu(-0.5): a scalar is a valid z like any array.
    for z in (-0.5, 0.0, 2.0):
        assert float(act(name).f(z)) == pytest.approx(float(F[name](np.array([z]))[0]), rel=1e-13)


# --- Symmetry on real data --------------------------------------------------

# Imbalanced (140 / 60): with balanced classes the all-zero sigmoid net is an
# exact fixed point too (its output gradient sums to 0), see the test below.
X_MOONS, Y_MOONS = make_moons(n_samples=(140, 60), noise=0.2, random_state=0)
STEPS, LR = 100, 0.5


def train(mlp, on_step=None):
    for _ in range(STEPS):
        _, grad = ic.softmax_cross_entropy(mlp(X_MOONS), Y_MOONS)
        mlp.backward(grad)
        if on_step:
            on_step(mlp)
        mlp.sgd_step(LR)
    return float(np.mean(mlp(X_MOONS).argmax(axis=1) == Y_MOONS))


def constant_mlp(activation, c):
    init = functools.partial(ic.constant, value=c)
    return ic.MLP([2, 8, 2], activation=activation, init=init, output_init=init)


def column_spread(w):
    return float(np.max(np.abs(w - w[:, :1])))


@pytest.mark.parametrize("c", [0.0, 0.5])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_constant_init_keeps_hidden_units_identical(activation, c):
    mlp = constant_mlp(activation, c)
    w1_start = mlp.layers[0].W.copy()
    grads = []
    train(mlp, lambda m: grads.append((m.layers[0].dW.copy(), m.layers[0].db.copy())))
    w1, w2 = mlp.layers[0].W, mlp.layers[1].W
    assert column_spread(w1) == 0.0  # every hidden unit has the same incoming weights
    assert float(np.max(np.abs(w2 - w2[:1]))) == 0.0  # ... and the same outgoing ones
    assert float(np.max(np.abs(mlp.layers[0].b - mlp.layers[0].b[0]))) == 0.0
    if c == 0.0 and activation in ("relu", "tanh"):
        # f(0) = 0: the output weights get no gradient, stay 0, and block the hidden layer's.
        assert all(not dw.any() and not db.any() for dw, db in grads)
        assert np.array_equal(w1, w1_start)
    else:
        # sigmoid(0) = 1/2 lets the output layer learn, then the hidden one (symmetrically)
        assert np.abs(w1 - w1_start).max() > 1e-3


def test_all_zero_sigmoid_net_is_a_fixed_point_on_balanced_classes():
    # softmax starts at (1/2, 1/2): the errors p - y of two equal classes cancel exactly,
    # so the output layer's gradient 0.5 * sum(p - y) is 0 up to rounding
    x, y = make_moons(n_samples=(100, 100), noise=0.2, random_state=0)
    mlp = constant_mlp("sigmoid", 0.0)
    hist = ic.fit(mlp, x, y, steps=STEPS, lr=LR, record_weights=True)
    assert np.abs(hist.first_weights[-1] - hist.first_weights[0]).max() < 1e-12
    assert hist.accuracy[-1] == 0.5


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_random_init_breaks_symmetry_and_learns_better(activation):
    # 1000 steps: sigmoid nets learn slowly, and after 100 both are still near 0.845
    def accuracy(mlp):
        return ic.fit(mlp, X_MOONS, Y_MOONS, steps=1000, lr=LR).accuracy[-1]

    mlp = ic.MLP([2, 8, 2], activation=activation, init="auto", rng=0)
    random_accuracy = accuracy(mlp)
    assert column_spread(mlp.layers[0].W) > 1e-3
    if activation == "sigmoid":
        return  # at lr 0.5 a sigmoid 2-8-2 net reaches only 0.86 even after 3000 steps
    constant_accuracy = max(accuracy(constant_mlp(activation, c)) for c in (0.0, 0.5))
    assert random_accuracy > constant_accuracy + 0.05


# --- Gradients against finite differences -----------------------------------


def loss_fns(n_out, batch, gen):
    labels = gen.integers(0, n_out, size=batch)
    target = gen.standard_normal((batch, n_out))
    return {
        "softmax_cross_entropy": lambda logits: ic.softmax_cross_entropy(logits, labels),
        "mse": lambda pred: ic.mse(pred, target),
    }


@pytest.mark.parametrize("loss_name", ["softmax_cross_entropy", "mse"])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "leaky_relu", "relu", "selu"])
def test_backward_matches_central_differences(activation, loss_name):
    sizes, batch = [3, 5, 4, 2], 6
    gen = np.random.default_rng(17)
    mlp = ic.MLP(sizes, activation=activation, init="auto", rng=gen)
    for layer in mlp.layers:  # non-zero biases, so db is exercised too
        layer.b += gen.normal(0, 0.3, size=layer.b.shape)
    x = gen.standard_normal((batch, sizes[0]))
    loss = loss_fns(sizes[-1], batch, gen)[loss_name]

    # The check is only valid away from the kinks: no pre-activation within 1e-3 of 0.
    h_in = x
    for layer in mlp.layers[:-1]:
        z = h_in @ layer.W + layer.b
        assert np.abs(z).min() > 1e-3
        h_in = mlp.act.f(z)

    _, grad = loss(mlp(x))
    dx = mlp.backward(grad)
    analytic = [g.copy() for g in mlp.gradients()]

    def numeric_grad(array):
        h, out = 1e-5, np.zeros_like(array)
        for idx in np.ndindex(array.shape):
            saved = array[idx]
            array[idx] = saved + h
            plus = loss(mlp(x))[0]
            array[idx] = saved - h
            minus = loss(mlp(x))[0]
            array[idx] = saved
            out[idx] = (plus - minus) / (2 * h)
        return out

    # Central differences with h = 1e-5 of an O(1) loss are good to about
    # eps L / h + h^2 L''' / 6 ~ 1e-11 absolute, so the relative error uses
    # max(|analytic|, |numeric|, 1e-4) as its denominator (1e-11 / 1e-4 << 1e-6).
    def rel_error(a, n):
        return np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), 1e-4)

    params = mlp.parameters()
    assert len(params) == len(analytic) == 2 * (len(sizes) - 1)
    for p, a in zip(params, analytic, strict=True):
        assert p.shape == a.shape
        assert rel_error(a, numeric_grad(p)).max() < 1e-6
    assert rel_error(dx, numeric_grad(x)).max() < 1e-6


def test_sgd_step_moves_against_the_gradient():
    mlp = ic.MLP([3, 4, 2], activation="tanh", rng=0)
    x = np.random.default_rng(1).standard_normal((5, 3))
    _, grad = ic.softmax_cross_entropy(mlp(x), np.array([0, 1, 1, 0, 1]))
    mlp.backward(grad)
    before = [p.copy() for p in mlp.parameters()]
    grads = [g.copy() for g in mlp.gradients()]
    mlp.sgd_step(0.1)
    for p, p0, g in zip(mlp.parameters(), before, grads, strict=True):
        np.testing.assert_allclose(p, p0 - 0.1 * g, rtol=1e-15, atol=1e-15)


# --- Losses -----------------------------------------------------------------


def test_log_softmax_is_stable_for_huge_logits():
    logits = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 1e4], [-1e4, -1e4 + 1.0, 0.0], [0.0, 0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        logp = ic.log_softmax(logits)
    assert np.all(np.isfinite(logp))
    expected = [
        [0.0, -1e4, -2e4],
        [-math.log(3)] * 3,
        [-1e4, -1e4 + 1.0, 0.0],  # the 1e4-smaller terms vanish next to exp(0) in float64
        [-math.log(3)] * 3,
    ]
    np.testing.assert_allclose(logp, expected, rtol=1e-15, atol=1e-12)


def test_softmax_cross_entropy_value_and_gradient():
    logits = np.array([[2.0, 0.0, -1.0], [1e4, 0.0, 0.0]])
    labels = np.array([0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = ic.softmax_cross_entropy(logits, labels)
    lse0 = math.log(math.exp(2.0) + 1.0 + math.exp(-1.0))
    expected_loss = ((lse0 - 2.0) + 1e4) / 2
    assert loss == pytest.approx(expected_loss, rel=1e-14)
    p0 = np.exp(logits[0] - lse0)
    expected_grad = np.array([p0 - [1, 0, 0], [1.0, -1.0, 0.0]]) / 2
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-15)


def test_mse_value_and_gradient():
    pred = np.array([[1.0, 2.0], [3.0, 5.0]])
    target = np.array([[0.0, 2.0], [1.0, 1.0]])
    loss, grad = ic.mse(pred, target)
    assert loss == pytest.approx((1 + 0 + 4 + 16) / 4, rel=1e-15)
    np.testing.assert_allclose(grad, 2 * (pred - target) / 4, rtol=1e-15)


# --- repr -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activation", "init", "hidden_label"),
    [
        ("relu", "auto", "he_normal"),
        ("tanh", "auto", "xavier_normal"),
        ("selu", "auto", "lecun_normal"),
        ("tanh", functools.partial(ic.constant, value=0.5), "constant(value=0.5)"),
        ("relu", "lecun_uniform", "lecun_uniform"),
    ],
)
def test_mlp_repr_shows_shape_init_and_std(activation, init, hidden_label):
    sizes = [2, 8, 6, 3]
    mlp = ic.MLP(sizes, activation=activation, init=init, rng=0)
    lines = repr(mlp).splitlines()
    assert activation in lines[0]
    assert len(lines) == 1 + len(sizes) - 1
    for i, (line, layer) in enumerate(zip(lines[1:], mlp.layers, strict=True)):
        label = "xavier_normal" if i == len(sizes) - 2 else hidden_label
        assert f"({sizes[i]}, {sizes[i + 1]})" in line
        assert f"init={label}" in line
        assert f"{np.std(layer.W):.4f}" in line


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "leaky_relu", "selu"])
def test_slope_into_its_own_input_is_refused(name):
    # df's formulas read ``a`` twice; writing into ``a`` would give wrong slopes silently
    act = ic.get_activation(name)
    a = act.f(np.linspace(-2.0, 2.0, 9))
    with pytest.raises(ValueError, match="out must not share memory with a"):
        act.df(a, out=a)
