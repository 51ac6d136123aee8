"""Figures of the course: one palette, and builders that update in place.

Every builder makes its figure and lays it out once, then ``update(...)``
changes only artist data (histogram ``stairs``, line data, limits, titles):
re-creating a figure, or re-running a layout engine, on every slider move
costs several times more. Figures are ``matplotlib.figure.Figure`` objects
outside pyplot, so nothing is shown twice; :func:`show` displays one as a
single PNG whose text form is the figure's title (no ``<Figure size ...>``).
"""

from __future__ import annotations

import base64
import io
import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from .probe import fmt

# Okabe & Ito's colour-blind-safe palette, one colour per initializer,
# the same in every figure of the course.
PALETTE = {
    "zeros": "#999999",        # grey
    "constant": "#000000",     # black
    "small normal": "#56B4E9",  # sky blue   (std 0.01)
    "large normal": "#D55E00",  # vermillion (std 1)
    "xavier": "#0072B2",       # blue
    "he": "#009E73",           # bluish green
    "lecun": "#CC79A7",        # reddish purple
    "orthogonal": "#E69F00",   # orange
    "other": "#555555",
}

# Course style: readable from the back of a room. Applied to every figure
# the package builds (explorers and static figures alike).
STYLE = {
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 11,
    "lines.linewidth": 2.2,
    "lines.markersize": 5,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

DPI = 80

# Presentation mode: the same figures, readable from the back of a lecture room.
PRESENTATION_STYLE = {**STYLE, "font.size": 17, "axes.titlesize": 19, "axes.labelsize": 17,
                      "xtick.labelsize": 14, "ytick.labelsize": 14, "legend.fontsize": 15,
                      "lines.linewidth": 3.4, "lines.markersize": 8}
PRESENTATION_DPI = 110
_WIDGET_CSS = """<style id="initcourse-presentation">
.jupyter-widgets, .widget-label, .widget-readout, .widget-dropdown select, .widget-html-content
  { font-size: 1.45em !important; line-height: 1.4 !important; }
.widget-hslider .noUi-handle { transform: scale(1.5); }
.jupyter-widgets img { width: 100%; height: auto; }
</style>"""


def apply_style():
    """Set matplotlib's rcParams to the course style (``import initcourse`` does this once)."""
    import matplotlib as mpl

    mpl.rcParams.update(STYLE)


class PresentationMode:
    """What :func:`presentation` returns: displayed in a notebook, it sets (or removes) the
    widget CSS; its text form says the mode."""

    def __init__(self, on):
        self.on = on

    def _repr_html_(self):
        if self.on:
            return _WIDGET_CSS + "<b>Presentation mode on</b>: larger fonts, lines and widgets."
        return ('<style id="initcourse-presentation"></style>'
                "<b>Presentation mode off</b>: the course's normal sizes.")

    def __repr__(self):
        return f"presentation mode {'on' if self.on else 'off'}"


def presentation(on=True):
    """Make every figure and explorer created from now on readable from the back of a room.

    ``presentation()`` enlarges fonts, lines and figure resolution (and, when
    displayed in a notebook, the widgets); ``presentation(False)`` restores
    the course's normal style. Off by default.
    """
    import matplotlib as mpl

    global DPI
    if not isinstance(on, bool):
        raise TypeError(f"on must be True or False; got on={on!r}")
    mpl.rcParams.update(PRESENTATION_STYLE if on else STYLE)
    DPI = PRESENTATION_DPI if on else 80
    return PresentationMode(on)


def color(init):
    """The palette colour of an initializer, from its name or label.

    >>> color("he_uniform") == PALETTE["he"]
    True
    """
    label = str(init).lower()
    for key in ("xavier", "glorot"):
        if key in label:
            return PALETTE["xavier"]
    for key in ("he_", "kaiming", "he"):
        if label.startswith(key):
            return PALETTE["he"]
    for key in ("lecun", "orthogonal", "zeros", "constant"):
        if label.startswith(key):
            return PALETTE[key]
    if label.startswith(("normal", "uniform", "std")):
        std = _std_in_label(label)
        if std is not None and std > 0:
            return scale_color(std)
    return PALETTE["other"]


def scale_color(std):
    """Colour of N(0, std^2) weights: the palette's sky blue at std 0.01 and below,
    its vermillion at 1, log-interpolated between, darker above 1 (so that
    several scales in one figure are told apart)."""
    from matplotlib.colors import to_hex, to_rgb

    t = (math.log10(std) + 2.0) / 2.0
    if t <= 0:
        return PALETTE["small normal"]
    if t == 1:
        return PALETTE["large normal"]
    small, large = np.array(to_rgb(PALETTE["small normal"])), np.array(to_rgb(PALETTE["large normal"]))
    if t < 1:
        return to_hex((1 - t) * small + t * large)
    return to_hex(large / (1.0 + 2.0 * math.log10(std)))


def _std_in_label(label):
    for part in label.replace("(", " ").replace(")", " ").replace(",", " ").split():
        if "=" in part:
            part = part.split("=", 1)[1]
        try:
            return float(part)
        except ValueError:
            continue
    return None


def new_figure(width, height):
    """A figure outside pyplot (never auto-shown); the style comes from rcParams (:func:`apply_style`)."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig):
    """Render ``fig`` to PNG bytes (zlib level 1: ~10 ms instead of ~40)."""
    from PIL import Image

    fig.canvas.draw()
    buf = io.BytesIO()
    Image.fromarray(np.asarray(fig.canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
    return buf.getvalue()


def display_data(fig, text=None):
    """One ``display_data`` output: the PNG, and ``text`` (default: the title) as its text form."""
    if text is None:
        text = fig.get_suptitle().replace("\n", " ") or "figure"
    return {
        "output_type": "display_data",
        "data": {"image/png": base64.b64encode(png_bytes(fig)).decode("ascii"),
                 "text/plain": f"[figure] {text}"},
        "metadata": {},
    }


def set_title(fig, text, width=95):
    """A bold figure title, wrapped to at most two lines of ``width`` characters."""
    import textwrap

    lines = textwrap.wrap(text, width)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    fig.suptitle("\n".join(lines), fontsize="x-large", fontweight="bold")


def show(fig, text=None):
    """Display a figure in a notebook as one PNG (no ``<Figure size ...>`` text)."""
    from IPython.display import publish_display_data

    out = display_data(fig, text)
    publish_display_data(out["data"], out["metadata"])


def _style_log_axis(ax):
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(numticks=6))
    ax.yaxis.set_minor_locator(NullLocator())  # minor ticks double the draw time


def _log_limits(values, floor=1e-300):
    values = np.asarray([v for v in values if np.isfinite(v) and v > 0])
    if values.size == 0:
        return 1e-3, 10.0
    lo, hi = max(values.min(), floor), values.max()
    lo_e, hi_e = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if hi_e - lo_e < 2:  # at least two decades, centred on the data
        lo_e, hi_e = lo_e - 1, hi_e + 1
    return 10.0**lo_e, 10.0**hi_e


# --- Histograms ------------------------------------------------------------


def histogram_range(activation, samples):
    """x-range for an activation's histogram: fixed for bounded ones, so a
    collapse shows as a spike (sigmoid [0, 1], tanh [-1, 1])."""
    if activation == "sigmoid":
        return 0.0, 1.0
    if activation == "tanh":
        return -1.0, 1.0
    finite = samples[np.isfinite(samples)]
    top = float(np.max(np.abs(finite))) if finite.size else 1.0
    top = top if top > 0 else 1.0
    if activation == "relu":
        return -0.02 * top, top * 1.02
    return -top * 1.02, top * 1.02


class HistogramGrid:
    """Small multiples: ``rows x cols`` histograms of activations, one per layer.

    ``update(row, activation, samples, layers, stds, row_label)`` redraws
    row ``row`` from a list of sample arrays, their layer numbers and the
    std of each whole layer (printed in the panel title, so the figure
    shows the same numbers as the probe, not those of the sample).
    """

    def __init__(self, rows, cols, *, fig=None, gridspec=None, bins=40, width=12.0):
        self.rows, self.cols, self.bins = rows, cols, bins
        self.fig = fig if fig is not None else new_figure(width, 1.9 * rows + 0.9)
        gs = gridspec if gridspec is not None else self.fig.add_gridspec(rows, cols)
        self.axes = np.empty((rows, cols), dtype=object)
        self.steps = np.empty((rows, cols), dtype=object)
        edges = np.linspace(0, 1, bins + 1)
        for r in range(rows):
            for c in range(cols):
                ax = self.fig.add_subplot(gs[r, c])
                ax.set_yticks([])
                ax.xaxis.set_major_locator(MaxNLocator(3, prune=None))
                ax.grid(False)
                ax.spines["left"].set_visible(False)
                self.axes[r, c] = ax
                self.steps[r, c] = ax.stairs(np.zeros(bins), edges, fill=True, alpha=0.85)
        self.row_labels = [self.axes[r, 0].text(-0.12, 0.5, "", transform=self.axes[r, 0].transAxes,
                                                rotation=90, ha="right", va="center")
                           for r in range(rows)]

    def update(self, row, activation, samples, layers, stds, row_label="", color_=None, ranges=None):
        for c in range(self.cols):
            ax, step = self.axes[row, c], self.steps[row, c]
            if c >= len(samples):
                ax.set_visible(False)
                continue
            ax.set_visible(True)
            values = np.asarray(samples[c])
            act = "linear" if layers[c] == 0 else activation  # layer 0 is the input
            lo, hi = ranges[c] if ranges is not None else histogram_range(act, values)
            counts, edges = np.histogram(values[np.isfinite(values)], bins=self.bins, range=(lo, hi))
            frac = counts / max(values.size, 1)
            step.set_data(frac, edges)
            if color_ is not None:
                step.set_facecolor(color_)
            ax.set_xlim(lo, hi)
            ax.set_ylim(0, max(frac.max(), 1e-12) * 1.08)
            name = "input" if layers[c] == 0 else f"layer {layers[c]}"
            ax.set_title(f"{name}\nstd {fmt(stds[c])}", fontsize="medium")
        self.row_labels[row].set_text(row_label)


# --- Per-layer statistics ----------------------------------------------------


class LayerStatsPlot:
    """Two log-axis panels: forward activation std and backward gradient std per layer.

    ``update(series)`` takes ``[(label, Propagation, colour), ...]`` and
    reuses a fixed pool of lines (hidden when not needed). A run that
    overflowed is drawn up to its last finite layer with an ``x`` marker.
    """

    def __init__(self, *, fig=None, gridspec=None, max_series=8, width=12.0):
        self.fig = fig if fig is not None else new_figure(width, 4.2)
        gs = gridspec if gridspec is not None else self.fig.add_gridspec(1, 2)
        self.ax_fwd = self.fig.add_subplot(gs[0, 0])
        self.ax_bwd = self.fig.add_subplot(gs[0, 1])
        for ax, title, ylabel in (
            (self.ax_fwd, "forward: activation std", "std of a (log)"),
            (self.ax_bwd, "backward: gradient std", "std of dL/dz (log)"),
        ):
            _style_log_axis(ax)
            ax.set_title(title)
            ax.set_xlabel("layer")
            ax.set_ylabel(ylabel)
            ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
        self.lines = []
        for _ in range(max_series):
            fwd, = self.ax_fwd.plot([], [], marker="o", visible=False)
            bwd, = self.ax_bwd.plot([], [], marker="o", visible=False)
            end, = self.ax_fwd.plot([], [], marker="x", markersize=14, markeredgewidth=3,
                                    linestyle="none", visible=False, clip_on=False)
            self.lines.append((fwd, bwd, end))
        self.legend = None
        self.note = self.ax_bwd.text(0.5, 0.5, "", transform=self.ax_bwd.transAxes, ha="center",
                                     va="center", fontsize="large", color=PALETTE["large normal"])

    def update(self, series):
        if len(series) > len(self.lines):
            raise ValueError(f"at most {len(self.lines)} series; got {len(series)}")
        fwd_vals, bwd_vals, max_layer = [], [], 1
        for i, (fwd, bwd, end) in enumerate(self.lines):
            if i >= len(series):
                for line in (fwd, bwd, end):
                    line.set_visible(False)
                continue
            label, prop, col = series[i]
            layers = np.arange(1, len(prop.layers) + 1)
            std = prop.column("std") if prop.layers else np.array([])
            grad = prop.column("grad_std") if prop.layers else np.array([])
            ok = np.isfinite(grad)
            fwd.set_data(layers, _positive(std))
            bwd.set_data(layers[ok], _positive(grad[ok]))
            for line in (fwd, bwd):
                line.set_color(col)
                line.set_label(label)
                line.set_visible(True)
                line.set_marker("o" if prop.depth <= 20 else "")
            if prop.overflow is not None and prop.overflow_direction == "forward":
                last = _positive(std)[-1] if len(std) else 1.0
                end.set_data([prop.overflow - 0.5], [last])
                end.set_color(col)
                end.set_visible(True)
            else:
                end.set_visible(False)
            fwd_vals.extend(_positive(std))
            bwd_vals.extend(_positive(grad[ok]))
            max_layer = max(max_layer, prop.depth)
        for ax, vals in ((self.ax_fwd, fwd_vals), (self.ax_bwd, bwd_vals)):
            ax.set_xlim(0.5, max_layer + 0.5)
            ax.set_ylim(*_log_limits(vals))
        no_grad = [label for label, prop, _ in series
                   if prop.overflow is not None and prop.overflow_direction == "forward"]
        self.note.set_text("no gradient: the forward signal\noverflowed before the last layer"
                           + (f"\n({', '.join(no_grad)})" if len(series) > 1 else "")
                           if no_grad else "")
        if self.legend is not None:
            self.legend.remove()
            self.legend = None
        if len(series) > 1:
            self.legend = self.ax_fwd.legend(loc="best", frameon=True)


TINY = 1e-300  # what an exact zero is drawn at on a log axis (and said in words)


def _positive(values):
    values = np.asarray(values, dtype=float)
    return np.where(values > TINY, values, TINY)


# --- Hidden units during training ---------------------------------------------


class TrajectoryPlot:
    """Hidden units' incoming weights during training, and how far apart they are.

    Left: ``W[0, j]`` of every hidden unit ``j`` against the step (units that
    stay identical draw one line). Right: the largest difference between
    two units' incoming weights, on a log axis; exactly 0 is said in words.
    """

    def __init__(self, n_units, *, fig=None, gridspec=None, width=12.0):
        self.fig = fig if fig is not None else new_figure(width, 4.2)
        gs = gridspec if gridspec is not None else self.fig.add_gridspec(1, 2, wspace=0.28)
        self.ax_w = self.fig.add_subplot(gs[0, 0])
        self.ax_gap = self.fig.add_subplot(gs[0, 1])
        self.ax_w.set_title("first weight of each hidden unit")
        self.ax_w.set_xlabel("training step")
        self.ax_w.set_ylabel("W[0, unit]")
        self.ax_gap.set_title("largest difference between units")
        self.ax_gap.set_xlabel("training step")
        self.ax_gap.set_ylabel("max |W[:, i] - W[:, j]| (log)")
        _style_log_axis(self.ax_gap)
        shades = np.linspace(0.15, 0.75, max(n_units, 1))
        self.unit_lines = [self.ax_w.plot([], [], color=(s, s, s), linewidth=1.6)[0] for s in shades]
        self.gap_line, = self.ax_gap.plot([], [], color=PALETTE["xavier"])
        self.note = self.ax_gap.text(0.5, 0.5, "", transform=self.ax_gap.transAxes, ha="center",
                                     va="center", fontsize="large", color=PALETTE["large normal"])

    def update(self, first_weights, color_=None):
        """``first_weights``: array ``(steps + 1, n_in, n_units)`` from :func:`initcourse.fit`."""
        w = np.asarray(first_weights)
        steps = np.arange(w.shape[0])
        for j, line in enumerate(self.unit_lines):
            line.set_visible(j < w.shape[2])
            if j < w.shape[2]:
                line.set_data(steps, w[:, 0, j])
        lo, hi = float(w[:, 0, :].min()), float(w[:, 0, :].max())
        pad = max(0.05 * (hi - lo), 0.05)
        self.ax_w.set_xlim(0, max(steps[-1], 1))
        self.ax_w.set_ylim(lo - pad, hi + pad)
        gap = unit_spread(w)
        if color_ is not None:
            self.gap_line.set_color(color_)
        shown = gap > 0
        self.gap_line.set_data(steps[shown], gap[shown])
        self.ax_gap.set_xlim(0, max(steps[-1], 1))
        self.ax_gap.set_ylim(*_log_limits(gap[shown]))
        self.note.set_text("" if shown.any() else "exactly 0 at every step:\nthe units are identical")
        return gap


def unit_spread(first_weights):
    """Largest difference between two hidden units' incoming weights, per step."""
    w = np.asarray(first_weights)
    return (w.max(axis=2) - w.min(axis=2)).max(axis=1)


# --- Static figures for the notebooks ---------------------------------------------


def histogram_figure(rows, title, *, n_cols=6, shared_range=False):
    """Activation histograms, one row per ``(label, Propagation)``, six layers a row.

    ``shared_range=True`` gives each column one x range over all rows, so
    that rows can be compared by eye (by default each panel fits its data).
    """
    from .explorers import shown_layers

    grid = HistogramGrid(len(rows), n_cols, width=13.0)
    grid.fig.subplots_adjust(left=0.08, right=0.98, top=0.86 if len(rows) > 2 else 0.78,
                             bottom=0.06, hspace=0.75, wspace=0.25)
    shown = [shown_layers(prop.depth, len(prop.layers)) for _, prop in rows]
    ranges = None
    if shared_range:
        ranges = []
        for c in range(len(shown[0])):
            bounds = [histogram_range("linear" if shown[r][c] == 0 else prop.activation,
                                      np.asarray(prop.samples[shown[r][c]]))
                      for r, (_, prop) in enumerate(rows)]
            ranges.append((min(b[0] for b in bounds), max(b[1] for b in bounds)))
    for r, (label, prop) in enumerate(rows):
        stds = [prop.input_std if i == 0 else prop.layers[i - 1].std for i in shown[r]]
        grid.update(r, prop.activation, [prop.samples[i] for i in shown[r]], shown[r], stds, label,
                    color_=color(prop.init), ranges=ranges)
    set_title(grid.fig, title)
    return grid.fig


def stats_figure(series, title):
    """Forward std and gradient std per layer for ``[(label, Propagation), ...]``.

    An item may carry a third element, its colour; by default each line
    gets its initializer's palette colour.
    """
    plot = LayerStatsPlot(max_series=max(len(series), 1), width=13.0)
    plot.fig.subplots_adjust(left=0.07, right=0.98, top=0.78, bottom=0.14, wspace=0.25)
    plot.update([(item[0], item[1], item[2] if len(item) > 2 else color(item[1].init))
                 for item in series])
    set_title(plot.fig, title)
    return plot.fig


def sweep_figure(sweeps, title, *, marks=None, low=0.1, high=10.0):
    """Last-layer activation std against the weight scale: one panel per :class:`Sweep`.

    The band of scales where the std stays within ``[low, high]`` with
    at most half the units saturated is shaded; where most units are
    saturated the line is dotted (the std is large there, but the units
    are stuck). ``marks`` maps a label to a scale drawn as a vertical line
    in that initializer's colour. The y axis is clipped to 1e-8..1e8.
    """
    fig = new_figure(13.0, 4.8)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.74, bottom=0.14, wspace=0.12)
    axes = fig.subplots(1, len(sweeps), sharey=True, squeeze=False)[0]
    for ax, sw in zip(axes, sweeps, strict=True):
        ax.set_xscale("log")
        _style_log_axis(ax)
        ok = np.isfinite(sw.std) & (sw.std > 0)
        stuck = ok & (sw.saturated > 0.5)
        y = np.clip(sw.std, 1e-8, 1e8)
        ax.plot(sw.scales[ok & ~stuck], y[ok & ~stuck], "-o", color=PALETTE["other"], markersize=4)
        if stuck.any():
            ax.plot(sw.scales[stuck], y[stuck], ":", color=PALETTE["other"], linewidth=2.5,
                    label="> 50% saturated")
            ax.legend(loc="lower right", fontsize="small")
        lo, hi = sw.band(low, high)
        if np.isfinite(lo):
            # shade to the midpoints with the neighbouring scales, so a band of one grid point shows
            i, j = int(np.searchsorted(sw.scales, lo)), int(np.searchsorted(sw.scales, hi))
            left = np.sqrt(sw.scales[i - 1] * lo) if i > 0 else lo
            right = np.sqrt(sw.scales[j + 1] * hi) if j + 1 < len(sw.scales) else hi
            ax.axvspan(left, right, color="#999999", alpha=0.25, linewidth=0)
            where = f"only near {fmt(lo)}" if lo == hi else f"for {fmt(lo)} to {fmt(hi)}"
            ax.set_title(f"{sw.activation}: alive {where}")
        else:
            ax.set_title(f"{sw.activation}: no scale keeps it alive")
        for k, (label, x) in enumerate((marks or {}).items()):
            ax.axvline(x, color=color(label), linewidth=1.8)
            ax.text(0.03, 0.95 - 0.09 * k, label, transform=ax.transAxes, ha="left", va="top",
                    color=color(label), fontsize="medium")
        ax.set_ylim(1e-8, 1e8)
        ax.set_xlabel("weight std (scale)")
    axes[0].set_ylabel(f"std at layer {sweeps[0].depth} (clipped)")
    set_title(fig, title)
    return fig


def trajectory_figure(first_weights, title):
    """Static :class:`TrajectoryPlot` of one training run (``History.first_weights``)."""
    w = np.asarray(first_weights)
    plot = TrajectoryPlot(w.shape[2], width=13.0)
    plot.fig.subplots_adjust(left=0.07, right=0.98, top=0.76, bottom=0.14)
    plot.update(w)
    set_title(plot.fig, title)
    return plot.fig


def training_figure(histories, title, *, colors=None, smooth=1):
    """Training loss and batch accuracy per step, one line per ``{label: History}``.

    ``smooth`` > 1 draws a moving average over that many steps (minibatch
    curves are noisy). A run that diverged is drawn up to its last finite
    step and marked ``x``.
    """
    fig = new_figure(13.0, 4.6)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.78, bottom=0.14, wspace=0.22)
    ax_loss, ax_acc = fig.subplots(1, 2)
    for label, hist in histories.items():
        col = (colors or {}).get(label, color(label))
        loss, acc = _moving_average(hist.loss, smooth), _moving_average(hist.accuracy, smooth)
        steps = np.arange(len(loss)) + (len(hist.loss) - len(loss))
        ax_loss.plot(steps, loss, color=col, label=label, linewidth=1.8)
        ax_acc.plot(steps, acc, color=col, label=label, linewidth=1.8)
        if hist.diverged_at is not None and len(steps):
            ax_loss.plot([steps[-1]], [loss[-1]], "x", color=col, markersize=14,
                         markeredgewidth=3)
    avg = f", moving average of {smooth} steps" if smooth > 1 else ""
    ax_loss.set_title(f"training loss (log){avg}")
    ax_loss.set_xlabel("step")
    _style_log_axis(ax_loss)
    ax_acc.set_title("accuracy on the training batch")
    ax_acc.set_xlabel("step")
    ax_acc.set_ylim(0, 1.02)
    ax_acc.legend(loc="center right")  # the loss panel's flat lines sit where a legend would go
    set_title(fig, title)
    return fig


def _moving_average(values, window):
    values = np.asarray(values, dtype=float)
    if window <= 1 or len(values) < window:
        return values
    return np.convolve(values, np.ones(window) / window, mode="valid")


def boundary_figure(models, x, labels, title, *, resolution=150):
    """Decision regions of 2-D classifiers, one small panel per ``{label: (mlp, accuracy)}``."""
    fig = new_figure(13.0, 3.6)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.72, bottom=0.04, wspace=0.08)
    axes = fig.subplots(1, len(models), squeeze=False)[0]
    pad = 0.5
    (x0, y0), (x1, y1) = x.min(axis=0) - pad, x.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    for ax, (label, (mlp, acc)) in zip(axes, models.items(), strict=True):
        with np.errstate(all="ignore"):
            pred = np.argmax(mlp.forward(grid), axis=1).reshape(gx.shape)
        ax.contourf(gx, gy, pred, levels=[-0.5, 0.5, 1.5], colors=["#cfe3f1", "#f6d9c2"])
        for k, col in ((0, PALETTE["xavier"]), (1, PALETTE["large normal"])):
            pts = x[labels == k]
            ax.scatter(pts[:, 0], pts[:, 1], s=6, color=col)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        ax.set_title(f"{label}\naccuracy {acc:.3f}", fontsize="medium", color=color(label))
    set_title(fig, title)
    return fig
