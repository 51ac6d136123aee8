"""The guide table, the advisor, the training explorer and the boundary figure."""

import functools
import warnings

import numpy as np
import pytest

import initcourse as ic


def test_guide_table_rows_come_from_recommend_with_the_formula_std():
    table = ic.guide_table((256, 128))
    md = table._repr_markdown_()
    for act in ic.guide.GUIDE_ACTIVATIONS:
        rec = ic.recommend(act)
        fan_in, fan_out = 256, 128
        n = fan_in if rec.mode == "fan_in" else (fan_in + fan_out) / 2
        row = next(line for line in md.splitlines() if line.startswith(f"| {act} |"))
        assert f"| {np.sqrt(rec.scale / n):.4f} |" in row and f"`{rec.pytorch}`" in row
    assert len(repr(table).splitlines()) == len(ic.guide.GUIDE_ACTIVATIONS) + 1
    with pytest.raises(ValueError, match="shape"):
        ic.guide_table((5,))


def test_advisor_states_the_recommendation_for_the_chosen_activation():
    adv = ic.advisor_explorer("selu", depth=4)
    assert "Recommended for selu: lecun_normal" in adv.status.value
    adv.activation.value = "tanh"
    assert "Recommended for tanh: xavier_normal" in adv.status.value
    assert "xavier_normal recommended" in adv.output.outputs[0]["data"]["text/plain"]


def expected_training(init, depth, activation, lr, steps):
    x_tr, y_tr, x_te, y_te = ic.data.digits()
    draw = ic.explorers.TRAIN_INITS[init]
    net = ic.MLP([64] + [64] * depth + [10], activation, init=draw, output_init=draw, rng=0)
    hist = ic.fit(net, x_tr, y_tr, steps=steps, lr=lr, batch_size=64, rng=1)
    return hist, ic.accuracy(net, x_te, y_te)


def test_training_explorer_trains_on_the_button_and_reports_the_test_accuracy():
    ex = ic.training_explorer("he_normal", depth=1, steps=100)
    hist, test = expected_training("he_normal", 1, "relu", 0.1, 100)
    assert f"test accuracy {test:.3f}" in ex.status.value
    assert ex.progress.value == ex.progress.max == 100
    ex.init.value = "zeros"          # a new setting does not train by itself
    assert "press Train" in ex.status.value
    renders = ex.renders
    ex.button.click()
    assert ex.renders == renders + 1
    hist, test = expected_training("zeros", 1, "relu", 0.1, 100)
    assert f"test accuracy {test:.3f}" in ex.status.value
    y = ex.loss_line.get_ydata()
    assert len(y) == 100 - 19 and np.allclose(y[0], hist.loss[:20].mean())
    ex.init.value = "he_normal"      # trained before: shown at once, from the cache
    assert ex.renders == renders + 2 and "press Train" not in ex.status.value


def test_training_explorer_extremes_warn_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex = ic.training_explorer("normal(std=1.0)", depth=30, activation="relu", lr=3.0, steps=50)
    assert "Cannot show" not in ex.status.value
    assert np.all(np.isfinite(np.asarray(ex.loss_line.get_ydata(), dtype=float)))


@pytest.mark.parametrize("kwargs, name", [(dict(init="he"), "init"), (dict(depth=31), "depth"),
                                          (dict(lr=10.0), "lr"), (dict(steps=0), "steps")])
def test_training_explorer_rejects_bad_arguments(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        ic.training_explorer(**kwargs)


def test_fit_calls_on_step_once_per_step():
    x, y = ic.data.moons()
    seen = []
    ic.fit(ic.MLP([2, 4, 2], rng=0), x, y, steps=7, lr=0.1, on_step=seen.append)
    assert seen == list(range(7))


def test_boundary_figure_colours_the_plane_by_the_predicted_class():
    x, y = ic.data.moons((50, 50))
    net = ic.MLP([2, 8, 2], "relu", rng=0)
    ic.fit(net, x, y, steps=300, lr=0.3)
    fig = ic.boundary_figure({"he_normal": (net, ic.accuracy(net, x, y))}, x, y, "t", resolution=40)
    ax = fig.axes[0]
    assert f"{ic.accuracy(net, x, y):.3f}" in ax.get_title()
    assert len(ax.collections) >= 3  # the filled regions and two scatter sets


def test_shared_histogram_ranges_are_the_union_over_rows():
    runs = [ic.propagate(init, "relu", 4, 64, batch=200, rng=0) for init in ("xavier_normal", "he_normal")]
    fig = ic.histogram_figure([("x", runs[0]), ("h", runs[1])], "t", shared_range=True)
    axes = np.array(fig.axes).reshape(2, -1)
    visible = [c for c in range(axes.shape[1]) if axes[0, c].get_visible()]
    assert len(visible) == 5   # input and layers 1 to 4
    for col in visible:
        assert axes[0, col].get_xlim() == axes[1, col].get_xlim()
    top = max(np.abs(r.samples[-1]).max() for r in runs)
    assert axes[0, visible[-1]].get_xlim()[1] == pytest.approx(1.02 * top)


def test_torch_linear_default_has_a_sixth_of_he_variance():
    # kaiming_uniform_(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)): Var = 1 / (3 fan_in)
    w = ic.he_uniform((512, 512), alpha=np.sqrt(5), rng=0)
    assert np.abs(w).max() <= 1 / np.sqrt(512)
    var, n = 1 / (3 * 512), w.size
    # U(-a, a): E[x^4] = a^4/5 and var = a^2/3, so Var(x^2) = a^4/5 - a^4/9 = 0.8 var^2
    se = var * np.sqrt(0.8 / n)
    assert abs(w.var() - var) < 5 * se
    torch_default = functools.partial(ic.he_uniform, alpha=np.sqrt(5))
    run = ic.propagate(torch_default, "relu", 10, 256, batch=500, rng=0)
    z2 = run.column("z2")
    assert np.exp(np.mean(np.log(z2[1:] / z2[:-1]))) == pytest.approx(1 / 6, rel=0.1)


def test_presentation_mode_enlarges_figures_and_can_be_undone():
    import matplotlib as mpl

    from initcourse import figures

    assert mpl.rcParams["font.size"] == figures.STYLE["font.size"]  # the course style, on import
    normal = ic.scale_explorer(batch=32)
    try:
        mode = ic.presentation()
        assert mpl.rcParams["font.size"] > figures.STYLE["font.size"]
        assert mpl.rcParams["lines.linewidth"] > figures.STYLE["lines.linewidth"]
        big = ic.scale_explorer(batch=32)
        assert big.fig.dpi > normal.fig.dpi
        assert big.hist.axes[0, 1].title.get_fontsize() > normal.hist.axes[0, 1].title.get_fontsize()
        assert "font-size" in mode._repr_html_() and repr(mode) == "presentation mode on"
    finally:
        off = ic.presentation(False)
    assert mpl.rcParams["font.size"] == figures.STYLE["font.size"]
    assert ic.scale_explorer(batch=32).fig.dpi == normal.fig.dpi
    assert "font-size" not in off._repr_html_()
    with pytest.raises(TypeError, match="on"):
        ic.presentation("yes")
