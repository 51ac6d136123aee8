"""The explorers, driven headless: set controls, check what the figure shows.

Every expectation is recomputed here with ``propagate`` (the explorer's
figure must show what the probe computes for the settings), or with NumPy
directly (histogram counts).
"""

import asyncio
import base64
import functools
import itertools
import warnings

import numpy as np
import pytest

import initcourse as ic
from initcourse.explorers import CHOICES, SHAPES, _initializer, init_explorer, scale_explorer
from initcourse.figures import PALETTE, color

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def single_png(explorer):
    """The Output holds exactly one display_data, a real PNG; return its text form."""
    outputs = explorer.output.outputs
    assert len(outputs) == 1
    out = outputs[0]
    assert out["output_type"] == "display_data"
    assert set(out["data"]) == {"image/png", "text/plain"}
    assert base64.b64decode(out["data"]["image/png"]).startswith(PNG_SIGNATURE)
    return out["data"]["text/plain"]


def expected_scale(scale, depth, activation, width, batch=256):
    return ic.propagate(functools.partial(ic.normal, std=scale), activation, depth, width,
                        batch=batch, rng=0)


@pytest.mark.parametrize("settings", [
    dict(scale=0.01, depth=5, activation="sigmoid", width=256),
    dict(scale=1.0, depth=12, activation="tanh", width=128),
    dict(scale=0.0884, depth=30, activation="relu", width=256),
    dict(scale=0.2, depth=3, activation="leaky_relu", width=64),
])
def test_scale_explorer_shows_what_propagate_computes(settings):
    ex = scale_explorer()
    for name, value in settings.items():
        getattr(ex, name).value = value
    prop = expected_scale(**settings)
    fwd, bwd, _ = ex.stats.lines[0]
    np.testing.assert_allclose(fwd.get_ydata(), prop.column("std"), rtol=1e-12)
    np.testing.assert_allclose(bwd.get_ydata(), prop.column("grad_std"), rtol=1e-12)
    np.testing.assert_array_equal(fwd.get_xdata(), np.arange(1, settings["depth"] + 1))
    # the last histogram panel is the last layer: its counts are the probe's samples'
    shown = ic.explorers.shown_layers(settings["depth"], len(prop.layers))
    assert shown[0] == 0 and shown[-1] == settings["depth"]
    last = np.asarray(prop.samples[settings["depth"]])
    step = ex.hist.steps[0, len(shown) - 1]
    data = step.get_data()
    values, edges = data.values, data.edges
    counts, _ = np.histogram(last, bins=edges)
    np.testing.assert_allclose(values, counts / last.size, rtol=1e-12)
    # the panel title prints the std of the whole layer, as the probe does
    assert ic.probe.fmt(prop.layers[-1].std) in ex.hist.axes[0, len(shown) - 1].get_title()
    # the status line and the PNG's text carry the verdict
    v = ic.verdict(prop)
    assert v.headline.split(":")[0] in ex.status.value
    assert v.headline in single_png(ex)


def test_sigmoid_small_scale_is_called_a_collapse_and_large_a_saturation():
    ex = scale_explorer(activation="sigmoid", scale=0.01, depth=5)
    assert "collapses toward 0.5" in single_png(ex)
    ex.scale.value = 10.0
    assert "saturates" in single_png(ex)
    ex.activation.value = "linear"
    assert "overflows float64" in single_png(ex) or "explodes" in single_png(ex)


EXTREMES = list(itertools.product(
    ("sigmoid", "tanh", "relu", "leaky_relu", "linear"), (1e-3, 10.0), (1, 50), (64, 512)))


@pytest.mark.parametrize("activation, scale, depth, width", EXTREMES)
def test_scale_explorer_extremes_warn_nothing_and_draw_no_nan(activation, scale, depth, width):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex = scale_explorer(activation, scale, depth, width, batch=64)
    assert "Cannot show" not in ex.status.value
    text = single_png(ex)
    assert "nan" not in text.lower() and "inf" not in text.replace("float64", "")
    for line in ex.stats.lines[0][:2]:
        y = np.asarray(line.get_ydata(), dtype=float)
        assert np.all(np.isfinite(y)) and np.all(y > 0)
    for ax in (ex.stats.ax_fwd, ex.stats.ax_bwd):
        assert np.all(np.isfinite(ax.get_ylim()))
    for step in ex.hist.steps.ravel():
        data = step.get_data()
        values, edges = data.values, data.edges
        assert np.all(np.isfinite(values)) and np.all(np.isfinite(edges))


def test_slider_delivering_float_noise_is_formatted():
    ex = scale_explorer()
    ex.scale.value = 1.9999999999999998
    assert "1.9999999" not in ex.status.value + single_png(ex)
    assert "weight std 2:" in single_png(ex)


def test_a_failing_computation_is_said_in_the_status_line_not_raised(monkeypatch):
    ex = scale_explorer()

    def broken(**values):
        raise RuntimeError("the probe broke")

    monkeypatch.setattr(ex, "compute", broken)
    ex.depth.value = 7  # must not raise
    assert "Cannot show this setting" in ex.status.value
    assert "the probe broke" in ex.status.value


def test_results_are_cached_by_control_values(monkeypatch):
    ex = scale_explorer()
    calls = []
    original = ex.compute
    monkeypatch.setattr(ex, "compute", lambda **v: calls.append(v) or original(**v))
    ex.scale.value = 0.5
    ex.scale.value = 0.01  # the initial setting: cached
    ex.scale.value = 0.5   # cached now too
    assert [c["scale"] for c in calls] == [0.5]


def test_a_burst_of_changes_draws_once_with_the_last_values():
    ex = scale_explorer()
    before = ex.renders

    async def burst():
        for depth in (6, 7, 8, 9, 10):
            ex.depth.value = depth
        assert ex.renders == before  # nothing drawn yet: debounced
        await asyncio.sleep(ex.debounce * 4)

    asyncio.run(burst())
    assert ex.renders == before + 1
    assert len(ex.stats.lines[0][0].get_ydata()) == 10


@pytest.mark.parametrize("kwargs, name", [
    (dict(activation="selu"), "activation"),
    (dict(scale=0.0), "scale"),
    (dict(scale=100.0), "scale"),
    (dict(depth=0), "depth"),
    (dict(depth=51), "depth"),
    (dict(width=100), "width"),
    (dict(rng="seed"), "rng"),
])
def test_scale_explorer_rejects_bad_arguments_clearly(kwargs, name):
    with pytest.raises((ValueError, TypeError)) as err:
        scale_explorer(**kwargs)
    message = str(err.value)
    assert name in message and repr(next(iter(kwargs.values()))) in message


# --- init_explorer ---------------------------------------------------------------------


def test_init_explorer_draws_one_line_per_initializer_in_its_palette_colour():
    ie = init_explorer(inits=("std 1.0", "std 0.01", "xavier", "he", "lecun", "orthogonal"),
                       activation="tanh", depth=8)
    visible = [(fwd, bwd) for fwd, bwd, _ in ie.stats.lines if fwd.get_visible()]
    assert len(visible) == 6
    colours = [fwd.get_color() for fwd, _ in visible]
    assert colours == [PALETTE["large normal"], PALETTE["small normal"], PALETTE["xavier"],
                       PALETTE["he"], PALETTE["lecun"], PALETTE["orthogonal"]]
    for (fwd, bwd), name in zip(visible, ie.inits.value, strict=True):
        prop = ic.propagate(_initializer(name, 1.0, "default"), "tanh", 8, [256] * 8,
                            batch=256, n_samples=0, rng=0)
        np.testing.assert_allclose(fwd.get_ydata(), prop.column("std"), rtol=1e-12)
        np.testing.assert_allclose(bwd.get_ydata(), prop.column("grad_std"), rtol=1e-12)
    single_png(ie)


def test_init_explorer_gain_and_mode_reach_the_weights():
    ie = init_explorer(inits=("he",), activation="linear", depth=4)
    ie.gain.value = 2.0
    ie.mode.value = "fan_out"
    ie.shape.value = "widening 64 -> 1024"
    widths = list(SHAPES["widening 64 -> 1024"](4))
    prop = ic.propagate(functools.partial(ic.variance_scaling, scale=2.0 * 4.0, mode="fan_out"),
                        "linear", 4, widths, batch=256, n_samples=0, rng=0)
    fwd = ie.stats.lines[0][0]
    np.testing.assert_allclose(fwd.get_ydata(), prop.column("std"), rtol=1e-12)


def test_fan_in_keeps_the_forward_signal_and_fan_out_the_gradient_in_a_widening_net():
    ie = init_explorer(inits=("lecun",), activation="linear", depth=10,
                       shape="widening 64 -> 1024", mode="fan_in")
    fwd_in = ie.stats.lines[0][0].get_ydata()
    ie.mode.value = "fan_out"
    bwd_out = ie.stats.lines[0][1].get_ydata()
    # linear layers, Var(W) = 1 / fan: the preserved quantity stays within 10% of 1
    assert np.all(np.abs(np.asarray(fwd_in) - 1) < 0.1)
    assert np.all(np.abs(np.asarray(bwd_out) - 1) < 0.1)


@pytest.mark.parametrize("activation, gain, depth, shape", [
    *itertools.product(("sigmoid", "tanh", "relu", "leaky_relu", "linear"), (0.25, 4.0), (1, 50),
                       ("alternating 128 / 512",)),
    ("relu", 4.0, 50, "widening 64 -> 1024"),
    ("tanh", 0.25, 50, "narrowing 1024 -> 64"),
])
def test_init_explorer_extremes_warn_nothing(activation, gain, depth, shape):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ie = init_explorer(tuple(CHOICES), activation, depth, gain=gain, shape=shape, batch=32)
    assert "Cannot show" not in ie.status.value
    for fwd, bwd, _ in ie.stats.lines:
        for line in (fwd, bwd):
            y = np.asarray(line.get_ydata(), dtype=float)
            assert np.all(np.isfinite(y)) and np.all(y > 0)
    single_png(ie)


def test_init_explorer_with_nothing_chosen_says_so():
    ie = init_explorer()
    ie.inits.value = ()
    assert "Choose at least one" in ie.status.value
    assert not any(fwd.get_visible() for fwd, _, _ in ie.stats.lines)


@pytest.mark.parametrize("kwargs, name", [
    (dict(inits=("xavier", "kaiming")), "inits"),
    (dict(activation="gelu"), "activation"),
    (dict(gain=0.0), "gain"),
    (dict(mode="fan-in"), "mode"),
    (dict(shape="round"), "shape"),
    (dict(depth=True), "depth"),
])
def test_init_explorer_rejects_bad_arguments_clearly(kwargs, name):
    with pytest.raises((ValueError, TypeError)) as err:
        init_explorer(**kwargs)
    assert name in str(err.value)


def test_palette_gives_each_initializer_its_own_colour():
    names = ["zeros", "constant", "normal(std=0.01)", "normal(std=1.0)", "xavier_uniform",
             "he_normal", "lecun_normal", "orthogonal"]
    colours = [color(n) for n in names]
    assert len(set(colours)) == len(names)
    assert color("glorot_normal") == color("xavier_normal") == PALETTE["xavier"]
    assert color("kaiming_uniform") == PALETTE["he"]
