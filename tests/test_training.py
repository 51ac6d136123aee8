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


# --- digits, minibatches, and the deep-network figure ------------------------------------


def test_digits_split_is_stratified_standardized_and_seeded():
    x_tr, y_tr, x_te, y_te = ic.data.digits()
    assert x_tr.shape == (1347, 64) and x_te.shape == (450, 64)
    assert np.bincount(y_te).min() >= 43  # stratified: every class about 45 of 450
    np.testing.assert_allclose(x_tr.mean(axis=0), 0.0, atol=1e-12)
    again = ic.data.digits()
    assert np.array_equal(again[0], x_tr) and np.array_equal(again[3], y_te)


def test_minibatch_fit_draws_its_batches_from_rng():
    x, y, _, _ = ic.data.digits()
    runs = [ic.fit(ic.MLP([64, 16, 10], rng=0), x, y, steps=20, lr=0.1, batch_size=32, rng=seed)
            for seed in (1, 1, 2)]
    np.testing.assert_array_equal(runs[0].loss, runs[1].loss)
    assert not np.array_equal(runs[0].loss, runs[2].loss)
    with pytest.raises(ValueError, match="batch_size"):
        ic.fit(ic.MLP([64, 16, 10], rng=0), x, y, steps=2, batch_size=len(x) + 1)


def test_he_trains_a_deep_relu_net_that_xavier_leaves_at_chance():
    # He et al. (2015): a deep ReLU net that Xavier cannot train; 20 layers is enough here
    x_tr, y_tr, x_te, y_te = ic.data.digits()
    loss = {}
    for init in ("xavier_normal", "he_normal"):
        net = ic.MLP([64] + [64] * 20 + [10], "relu", init=init, rng=0)
        loss[init] = ic.fit(net, x_tr, y_tr, steps=200, lr=0.05, batch_size=128, rng=1).loss
    assert abs(loss["xavier_normal"][-20:].mean() - np.log(10)) < 0.05   # still at chance
    assert loss["he_normal"][-20:].mean() < 1.0


def test_init_explorer_alpha_sets_the_leaky_slope_and_he_scale():
    ie = ic.init_explorer(["he"], "leaky_relu", depth=6, alpha=0.3)
    prop = ic.propagate(functools.partial(ic.variance_scaling, scale=2.0 / 1.09, mode="fan_in"),
                        "leaky_relu", 6, [256] * 6, batch=256, n_samples=0, alpha=0.3, rng=0)
    np.testing.assert_allclose(ie.stats.lines[0][0].get_ydata(), prop.column("std"), rtol=1e-12)
    ie.alpha.value = 1.0   # leaky ReLU with slope 1 is linear, and He becomes LeCun
    lecun = ic.propagate("lecun_normal", "linear", 6, [256] * 6, batch=256, n_samples=0, rng=0)
    np.testing.assert_allclose(ie.stats.lines[0][0].get_ydata(), lecun.column("std"), rtol=1e-9)


def test_training_figure_draws_each_history_and_marks_divergence():
    good = ic.History(np.array([2.0, 1.0, 0.5]), np.array([0.1, 0.5, 0.9]))
    bad = ic.History(np.array([2.0, 9.0]), np.array([0.1, 0.1]), diverged_at=2)
    fig = ic.training_figure({"he_normal": good, "normal(std=1.0)": bad}, "t")
    ax_loss = fig.axes[0]
    ys = [list(line.get_ydata()) for line in ax_loss.get_lines()]
    assert [2.0, 1.0, 0.5] in ys and [2.0, 9.0] in ys and [9.0] in ys   # [9.0]: the x marker
    assert ax_loss.get_lines()[0].get_color() == ic.PALETTE["he"]
