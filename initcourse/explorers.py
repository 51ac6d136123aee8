"""Slider explorers: move a control, see the signal collapse, saturate, explode or stay healthy.

An :class:`Explorer` is an ``ipywidgets.VBox`` of controls, a status line
and one figure. Its controls are attributes (``ex.scale.value = 0.1``), so
tests and notebooks can drive it. Adding an explorer means writing
``compute(**values)`` and ``draw(result, values)``; the base class does the
rest:

- the figure is built and laid out once; a change updates artists in place
  and puts one PNG ``display_data`` into the ``Output`` by setting its
  ``outputs`` trait (not ``with out:`` capture, which leaks
  ``<Figure size ...>`` text into nbval and can stall nbclient);
- results are cached by control values, so going back to a setting is free;
- changes that arrive while the kernel's event loop is running are
  debounced (``debounce`` seconds): a burst of key presses draws once, with
  the last values, instead of queueing stale work;
- an error is shown in the status line, never as a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import html
from collections import OrderedDict

import ipywidgets as widgets
import numpy as np

from . import _validation as check
from .figures import (
    PALETTE,
    HistogramGrid,
    LayerStatsPlot,
    TrajectoryPlot,
    color,
    display_data,
    new_figure,
    scale_color,
    set_title,
)
from .initializers import constant, normal, orthogonal, variance_scaling
from .nn import MLP, accuracy, fit
from .probe import fmt, propagate, verdict

EXPLORER_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
COMPARE_ACTIVATIONS = (*EXPLORER_ACTIVATIONS, "selu")


class Explorer(widgets.VBox):
    """Base class: controls, a status line and an in-place figure."""

    debounce = 0.05  # seconds

    def __init__(self, controls, fig, *, cache_size=64):
        self.controls = dict(controls)
        for name, control in self.controls.items():
            setattr(self, name, control)
            control.observe(self._on_change, names="value")
        self.fig = fig
        self.status = widgets.HTML(layout=widgets.Layout(min_height="2.5em"))
        self.output = widgets.Output()
        self._cache = OrderedDict()
        self._cache_size = cache_size
        self._pending = None
        self.renders = 0
        rows = [widgets.HBox(list(self.controls.values())[i:i + 3])
                for i in range(0, len(self.controls), 3)]
        super().__init__([*rows, self.status, self.output])
        self.refresh()

    # -- to implement -------------------------------------------------------
    def compute(self, **values):
        raise NotImplementedError

    def draw(self, result, values):
        """Update the figure's artists; return ``(title, status_html)``."""
        raise NotImplementedError

    # -- machinery ---------------------------------------------------------
    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def _key(self):
        """The cache key of the current control values (lists made hashable)."""
        return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in self.values().items())

    def result(self):
        """The (cached) computation for the current control values."""
        values, key = self.values(), self._key()
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        result = self.compute(**values)
        self._cache[key] = result
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return result

    def refresh(self):
        """Recompute (or reuse) and redraw now, with the current values."""
        self._pending = None
        try:
            title, status = self.draw(self.result(), self.values())
            set_title(self.fig, title)
            self.output.outputs = (display_data(self.fig, title),)
            self.status.value = status
        except Exception as exc:  # a slider must never leave a traceback
            self.status.value = (f"<span style='color:#D55E00'><b>Cannot show this setting:</b> "
                                 f"{html.escape(str(exc))}</span>")
        self.renders += 1

    def __repr__(self):
        values = ", ".join(f"{k}={v!r}" for k, v in self.values().items())
        return f"{type(self).__name__}({values})"

    def _on_change(self, change):
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or not self.debounce:
            self.refresh()
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self.debounce, self.refresh)


def _status_html(v):
    """The status line: the verdict in words, then its key numbers."""
    colour = "#009E73" if v.kind == "healthy" else "#D55E00"
    return (f"<span style='font-size:1.15em;color:{colour}'><b>{html.escape(v.headline)}</b></span>"
            f"<br><span style='font-size:1.05em'>{html.escape(v.status())}</span>")


# --- the scale explorer -------------------------------------------------------


class ScaleExplorer(Explorer):
    """Weights N(0, scale^2) in every layer: histograms a layer, forward std, gradient std."""

    def __init__(self, activation="sigmoid", scale=0.01, depth=5, width=256, batch=256, rng=0):
        check.choice("activation", activation, EXPLORER_ACTIVATIONS)
        scale = check.real("scale", scale, minimum=1e-3, maximum=10.0)
        depth = check.positive_int("depth", depth, maximum=50)
        check.choice("width", width, (64, 128, 256, 512))
        self.batch = check.positive_int("batch", batch, maximum=5000)
        self.seed = rng if rng is not None else 0
        check.generator(self.seed)
        style = {"description_width": "initial"}
        controls = {
            "scale": widgets.FloatLogSlider(value=scale, base=10, min=-3, max=1, step=0.05,
                                            description="weight std (scale)", readout_format=".3g",
                                            continuous_update=False, style=style),
            "depth": widgets.IntSlider(value=depth, min=1, max=50, description="depth",
                                       continuous_update=False),
            "activation": widgets.Dropdown(options=EXPLORER_ACTIVATIONS, value=activation,
                                           description="activation"),
            "width": widgets.Dropdown(options=(64, 128, 256, 512), value=width, description="width"),
        }
        fig = new_figure(13.0, 7.2)
        gs = fig.add_gridspec(2, 6, height_ratios=[1.0, 1.35], hspace=0.55, wspace=0.35,
                              left=0.06, right=0.98, top=0.82, bottom=0.08)
        self.hist = HistogramGrid(1, 6, fig=fig, gridspec=gs[0, :].subgridspec(1, 6, wspace=0.25))
        self.stats = LayerStatsPlot(fig=fig, gridspec=gs[1, :].subgridspec(1, 2, wspace=0.25),
                                    max_series=1)
        super().__init__(controls, fig)

    def compute(self, scale, depth, activation, width):
        return propagate(functools.partial(normal, std=float(scale)), activation, depth, width,
                         batch=self.batch, rng=self.seed)

    def draw(self, prop, values):
        shown = shown_layers(prop.depth, len(prop.layers))
        samples = [prop.samples[i] for i in shown]
        stds = [prop.input_std if i == 0 else prop.layers[i - 1].std for i in shown]
        col = scale_color(values["scale"])
        self.hist.update(0, prop.activation, samples, shown, stds, color_=col)
        self.stats.update([(f"std {fmt(values['scale'])}", prop, col)])
        v = verdict(prop)
        title = f"{prop.activation}, weight std {fmt(values['scale'])}: {v.headline}"
        return title, _status_html(v)


def shown_layers(depth, computed):
    """Up to 6 layers to draw as histograms: the input, then evenly up to the last computed."""
    last = min(depth, computed)
    return sorted(set(np.round(np.linspace(0, last, 6)).astype(int).tolist()))


def scale_explorer(activation="sigmoid", scale=0.01, depth=5, width=256, *, batch=256, rng=0):
    """An explorer of the weight scale: N(0, scale^2) weights in ``depth`` layers.

    Controls: ``scale`` (log slider, 1e-3 to 10), ``depth`` (1 to 50),
    ``activation`` and ``width``. Shows the activation histogram at six
    layers, the activation std and the gradient std per layer, and a
    status line saying what happens.
    """
    return ScaleExplorer(activation, scale, depth, width, batch, rng)


# --- the initializer comparison explorer ---------------------------------------

SHAPES = {
    "square (256 everywhere)": lambda depth: (256,) * depth,
    "alternating 128 / 512": lambda depth: tuple(128 if i % 2 == 0 else 512 for i in range(depth)),
    "widening 64 -> 1024": lambda depth: tuple(
        int(round(64 * 16 ** (i / max(depth - 1, 1)))) for i in range(depth)),
    "narrowing 1024 -> 64": lambda depth: tuple(
        int(round(1024 * (1 / 16) ** (i / max(depth - 1, 1)))) for i in range(depth)),
}
# name -> (variance-scaling scale, default mode), or None for fixed-std draws
CHOICES = {
    "std 1.0": None,
    "std 0.01": None,
    "xavier": (1.0, "fan_avg"),
    "he": (2.0, "fan_in"),
    "lecun": (1.0, "fan_in"),
    "orthogonal": None,
}


def _initializer(name, gain, mode, alpha=0.0):
    """The weight draw for a choice of the comparison explorer, times ``gain``.

    He's scale is ``2 / (1 + alpha^2)``: pass the leaky ReLU's slope as ``alpha``.
    """
    if name == "std 1.0":
        return functools.partial(normal, std=1.0 * gain)
    if name == "std 0.01":
        return functools.partial(normal, std=0.01 * gain)
    if name == "orthogonal":
        return functools.partial(orthogonal, gain=gain)
    scale, default_mode = CHOICES[name]
    if name == "he":
        scale = scale / (1.0 + alpha**2)
    return functools.partial(variance_scaling, scale=scale * gain**2,
                             mode=default_mode if mode == "default" else mode)


class InitExplorer(Explorer):
    """Several initializers side by side: forward and gradient std per layer."""

    def __init__(self, inits=("xavier", "he"), activation="tanh", depth=10, gain=1.0,
                 mode="default", shape="square (256 everywhere)", alpha=0.01, batch=256, rng=0):
        inits = tuple(inits)
        for name in inits:
            check.choice("inits", name, tuple(CHOICES))
        check.choice("activation", activation, COMPARE_ACTIVATIONS)
        depth = check.positive_int("depth", depth, maximum=50)
        gain = check.real("gain", gain, minimum=0.25, maximum=4.0)
        check.choice("mode", mode, ("default", "fan_in", "fan_out", "fan_avg"))
        check.choice("shape", shape, tuple(SHAPES))
        alpha = check.real("alpha", alpha, minimum=0.0, maximum=1.0)
        self.batch = check.positive_int("batch", batch, maximum=5000)
        self.seed = rng if rng is not None else 0
        check.generator(self.seed)
        controls = {
            "inits": widgets.SelectMultiple(options=tuple(CHOICES), value=inits,
                                            description="initializers", rows=6),
            "activation": widgets.Dropdown(options=COMPARE_ACTIVATIONS, value=activation,
                                           description="activation"),
            "depth": widgets.IntSlider(value=depth, min=1, max=50, description="depth",
                                       continuous_update=False),
            "gain": widgets.FloatSlider(value=gain, min=0.25, max=4.0, step=0.05, description="gain",
                                        readout_format=".3g", continuous_update=False),
            "mode": widgets.Dropdown(options=("default", "fan_in", "fan_out", "fan_avg"), value=mode,
                                     description="fan mode"),
            "shape": widgets.Dropdown(options=tuple(SHAPES), value=shape, description="layers"),
            "alpha": widgets.FloatSlider(value=alpha, min=0.0, max=1.0, step=0.01,
                                         description="leaky alpha", readout_format=".2f",
                                         continuous_update=False),
        }
        fig = new_figure(13.0, 4.8)
        gs = fig.add_gridspec(1, 2, wspace=0.25, left=0.07, right=0.98, top=0.76, bottom=0.13)
        self.stats = LayerStatsPlot(fig=fig, gridspec=gs, max_series=len(CHOICES))
        super().__init__(controls, fig)

    def _key(self):
        # alpha only shapes a leaky ReLU: moving it under another activation changes nothing
        key = dict(super()._key())
        if key["activation"] != "leaky_relu":
            key["alpha"] = None
        return tuple(key.items())

    def compute(self, inits, activation, depth, gain, mode, shape, alpha):
        widths = SHAPES[shape](depth)
        leaky = alpha if activation == "leaky_relu" else 0.0  # alpha only matters for leaky ReLU
        return [(name, propagate(_initializer(name, gain, mode, leaky), activation, depth,
                                 list(widths), batch=self.batch, n_samples=0, alpha=leaky or 0.01,
                                 rng=self.seed))
                for name in inits]

    def draw(self, results, values):
        if not results:
            self.stats.update([])
            return "choose at least one initializer", "<b>Choose at least one initializer.</b>"
        self.stats.update([(name, prop, color(name)) for name, prop in results])
        verdicts = [(name, verdict(prop)) for name, prop in results]
        healthy = [name for name, v in verdicts if v.kind == "healthy"]
        gain = f", gain {fmt(values['gain'])}" if values["gain"] != 1.0 else ""
        title = (f"{values['activation']}, {values['depth']} layers{gain}: "
                 + (f"healthy with {', '.join(healthy)}" if healthy else "no initializer stays healthy"))
        lines = "<br>".join(f"<b>{html.escape(name)}</b>: {html.escape(v.headline)} "
                            f"({html.escape(v.status())})" for name, v in verdicts)
        return title, f"<span style='font-size:1.05em'>{lines}</span>"


def init_explorer(inits=("xavier", "he"), activation="tanh", depth=10, *, gain=1.0, mode="default",
                  shape="square (256 everywhere)", alpha=0.01, batch=256, rng=0):
    """Compare initializers side by side.

    ``inits``: any of ``"std 1.0"``, ``"std 0.01"``, ``"xavier"``, ``"he"``,
    ``"lecun"``, ``"orthogonal"``. ``gain`` multiplies every initializer's
    weights (``scale = gain**2``; PyTorch's tanh gain is 5/3). ``mode``
    overrides the fan mode of Xavier, He and LeCun; ``shape`` picks square
    or non-square layers, to see what fan_in, fan_out and fan_avg preserve.
    ``alpha`` is the leaky ReLU's negative slope; it sets both the
    activation (when it is ``"leaky_relu"``) and He's scale ``2 / (1 + alpha^2)``.
    """
    return InitExplorer(inits, activation, depth, gain, mode, shape, alpha, batch, rng)


# --- the symmetry explorer ---------------------------------------------------------

PERTURBATIONS = (("0", 0.0), *((f"1e-{k}", 10.0 ** -k) for k in range(8, 0, -1)), ("1", 1.0))


class SymmetryExplorer(Explorer):
    """A constant-initialized network plus a tiny random perturbation, trained on two moons."""

    def __init__(self, perturbation=0.0, steps=1000, activation="tanh", value=0.5, hidden=8,
                 lr=0.5, rng=0):
        allowed = tuple(v for _, v in PERTURBATIONS)
        if perturbation not in allowed:
            raise ValueError(f"perturbation must be one of {', '.join(label for label, _ in PERTURBATIONS)}; "
                             f"got perturbation={perturbation!r}")
        steps = check.positive_int("steps", steps, maximum=3000)
        check.choice("activation", activation, ("sigmoid", "tanh", "relu"))
        self.value = check.real("value", value)
        self.hidden = check.positive_int("hidden", hidden, maximum=64)
        self.lr = check.real("lr", lr, minimum=0.0, strict=True)
        self.seed = rng if rng is not None else 0
        check.generator(self.seed)
        from .data import moons

        self.x, self.labels = moons()
        controls = {
            "perturbation": widgets.SelectionSlider(options=PERTURBATIONS, value=perturbation,
                                                    description="perturbation std",
                                                    continuous_update=False,
                                                    style={"description_width": "initial"}),
            "steps": widgets.IntSlider(value=steps, min=100, max=3000, step=100,
                                       description="steps", continuous_update=False),
            "activation": widgets.Dropdown(options=("sigmoid", "tanh", "relu"), value=activation,
                                           description="activation"),
        }
        fig = new_figure(13.0, 4.8)
        gs = fig.add_gridspec(1, 2, wspace=0.28, left=0.07, right=0.98, top=0.76, bottom=0.13)
        self.plot = TrajectoryPlot(self.hidden, fig=fig, gridspec=gs)
        super().__init__(controls, fig)

    def compute(self, perturbation, steps, activation):
        const = functools.partial(constant, value=self.value)
        mlp = MLP([2, self.hidden, 2], activation, init=const, output_init=const)
        mlp.layers[0].W += perturbation * check.generator(self.seed).standard_normal(
            mlp.layers[0].W.shape)
        return fit(mlp, self.x, self.labels, steps=steps, lr=self.lr, record_weights=True)

    def draw(self, history, values):
        gap = self.plot.update(history.first_weights, color_=PALETTE["constant"])
        eps = dict((v, k) for k, v in PERTURBATIONS)[values["perturbation"]]
        acc = f"accuracy {100 * history.accuracy[-1]:.1f}%"
        if gap[-1] == 0:
            finding = f"the {self.hidden} units stay identical at every step; {acc}"
        else:
            finding = (f"units {fmt(gap[0])} apart at step 0, {fmt(gap[-1])} apart at step "
                       f"{len(gap) - 1}; {acc}")
        title = f"{values['activation']}, all weights {fmt(self.value)}, perturbation {eps}: {finding}"
        status = (f"<span style='font-size:1.1em'><b>{html.escape(finding)}</b><br>largest difference "
                  f"between units: {fmt(gap[0])} at step 0, {fmt(gap.max())} at most</span>")
        return title, status


def symmetry_explorer(perturbation=0.0, steps=1000, activation="tanh", *, value=0.5, hidden=8,
                      lr=0.5, rng=0):
    """Break the symmetry of a constant init with a tiny random perturbation.

    Every weight starts at ``value``; the first layer then gets
    ``perturbation * N(0, 1)`` added. The network (2 -> ``hidden`` -> 2)
    trains with full-batch SGD on :func:`initcourse.data.moons`. Controls:
    ``perturbation`` (0, then 1e-8 to 1), ``steps`` (100 to 3000),
    ``activation``.
    """
    return SymmetryExplorer(perturbation, steps, activation, value, hidden, lr, rng)


# --- the advisor -------------------------------------------------------------------------



class AdvisorExplorer(InitExplorer):
    """The guide's recommendation for an activation, propagated next to the alternatives."""

    def __init__(self, activation="relu", depth=20, rng=0):
        super().__init__(("std 0.01", "xavier", "he", "lecun"), activation, depth, rng=rng)

    def draw(self, results, values):
        from .guide import recommend

        title, status = super().draw(results, values)
        rec = recommend(values["activation"])
        advice = (f"<span style='font-size:1.1em'><b>Recommended for {html.escape(rec.activation)}: "
                  f"{html.escape(rec.method)}</b>, {html.escape(rec.formula)}<br>PyTorch: "
                  f"<code>{html.escape(rec.pytorch)}</code></span><br>")
        return f"{rec.method} recommended; {title}", advice + status


def advisor_explorer(activation="relu", depth=20, *, rng=0):
    """Pick an activation: see the guide's recommendation and its propagation next to the alternatives.

    The comparison explorer with the recommendation (method, formula and
    the PyTorch call) above its status lines; the gain, fan mode, layer
    shape and leaky slope controls work as in :func:`init_explorer`.
    """
    return AdvisorExplorer(activation, depth, rng)


# --- the training explorer ---------------------------------------------------------------

TRAIN_INITS = {
    "zeros": "zeros",
    "normal(std=0.01)": functools.partial(normal, std=0.01),
    "normal(std=1.0)": functools.partial(normal, std=1.0),
    "xavier_normal": "xavier_normal",
    "he_normal": "he_normal",
}


class TrainingExplorer(Explorer):
    """Train an MLP on the digits with a chosen init; a button starts it, a bar shows progress.

    Changing a control does not retrain (training takes a moment): it says
    so, and the Train button runs the new setting. Finished runs are cached,
    so a setting trained before is shown at once.
    """

    debounce = 0

    def __init__(self, init="he_normal", depth=2, activation="relu", lr=0.1, steps=300, width=64,
                 rng=0):
        check.choice("init", init, tuple(TRAIN_INITS))
        depth = check.positive_int("depth", depth, maximum=30)
        check.choice("activation", activation, ("sigmoid", "tanh", "relu"))
        lr = check.real("lr", lr, minimum=1e-3, maximum=3.0)
        steps = check.positive_int("steps", steps, maximum=2000)
        self.width = check.positive_int("width", width, maximum=256)
        self.seed = rng if rng is not None else 0
        check.generator(self.seed)
        from .data import digits

        self.x_train, self.y_train, self.x_test, self.y_test = digits()
        self.button = widgets.Button(description="Train", button_style="primary")
        self.progress = widgets.IntProgress(value=0, min=0, max=steps, description="progress")
        controls = {
            "init": widgets.Dropdown(options=tuple(TRAIN_INITS), value=init, description="init"),
            "depth": widgets.IntSlider(value=depth, min=1, max=30, description="hidden layers",
                                       continuous_update=False, style={"description_width": "initial"}),
            "activation": widgets.Dropdown(options=("sigmoid", "tanh", "relu"), value=activation,
                                           description="activation"),
            "lr": widgets.FloatLogSlider(value=lr, base=10, min=-3, max=np.log10(3.0), step=0.1,
                                         description="learning rate", readout_format=".3g",
                                         continuous_update=False, style={"description_width": "initial"}),
            "steps": widgets.IntSlider(value=steps, min=50, max=2000, step=50, description="steps",
                                       continuous_update=False),
        }
        from .figures import _style_log_axis

        fig = new_figure(13.0, 4.6)
        gs = fig.add_gridspec(1, 2, wspace=0.22, left=0.07, right=0.98, top=0.78, bottom=0.14)
        self.ax_loss, self.ax_acc = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
        self.loss_line, = self.ax_loss.plot([], [], linewidth=1.8)
        self.acc_line, = self.ax_acc.plot([], [], linewidth=1.8)
        self.ax_loss.set_title("training loss (log, moving average of 20 steps)")
        _style_log_axis(self.ax_loss)
        self.ax_acc.set_title("accuracy on the training batch")
        for ax in (self.ax_loss, self.ax_acc):
            ax.set_xlabel("step")
        self._trained = None
        self.button.on_click(lambda _: self.train())
        super().__init__(controls, fig)
        self.children = (*self.children[:-2], widgets.HBox([self.button, self.progress]),
                         *self.children[-2:])

    def _on_change(self, change):
        if self._key() in self._cache:
            self.refresh()
        else:
            self.status.value = "<b>Settings changed: press Train to run them.</b>"

    def train(self):
        """Train with the current settings (cached), then redraw."""
        self.refresh()

    def compute(self, init, depth, activation, lr, steps):
        draw = TRAIN_INITS[init]
        mlp = MLP([64] + [self.width] * depth + [10], activation, init=draw, output_init=draw,
                  rng=self.seed)
        self.progress.max, self.progress.value = steps, 0

        def tick(step):
            if (step + 1) % max(steps // 20, 1) == 0 or step + 1 == steps:
                self.progress.value = step + 1

        hist = fit(mlp, self.x_train, self.y_train, steps=steps, lr=lr, batch_size=64,
                   rng=self.seed + 1, on_step=tick)
        test = accuracy(mlp, self.x_test, self.y_test) if hist.diverged_at is None else float("nan")
        return hist, test

    def draw(self, result, values):
        from .figures import _log_limits, _moving_average

        hist, test = result
        col = color(values["init"])
        loss, acc = _moving_average(hist.loss, 20), _moving_average(hist.accuracy, 20)
        offset = len(hist.loss) - len(loss)
        for line, y in ((self.loss_line, loss), (self.acc_line, acc)):
            line.set_data(np.arange(len(y)) + offset, y)
            line.set_color(col)
        for ax in (self.ax_loss, self.ax_acc):
            ax.set_xlim(0, max(values["steps"], 1))
        self.ax_loss.set_ylim(*_log_limits(loss))
        self.ax_acc.set_ylim(0, 1.02)
        if hist.diverged_at is not None:
            finding = f"diverged at step {hist.diverged_at}"
        else:
            finding = f"test accuracy {test:.3f}, final training loss {fmt(float(hist.loss[-1]))}"
        title = (f"{values['init']}, {values['depth']} hidden {values['activation']} layers, "
                 f"lr {fmt(values['lr'])}: {finding}")
        return title, f"<span style='font-size:1.1em'><b>{html.escape(finding)}</b></span>"


def training_explorer(init="he_normal", depth=2, activation="relu", *, lr=0.1, steps=300, width=64,
                      rng=0):
    """Train an MLP (64 -> ``width`` x ``depth`` -> 10) on the digits with a chosen initializer.

    Controls: init, hidden layers (1 to 30), activation, learning rate,
    steps; the Train button runs them with a progress bar. The first
    setting is trained when the explorer is created.
    """
    return TrainingExplorer(init, depth, activation, lr, steps, width, rng)
