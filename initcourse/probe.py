"""The signal probe: per-layer statistics of a deep, wide network at init.

:func:`propagate` sends a batch of standard-normal inputs through ``depth``
layers ``z = a @ W`` (no bias), ``a = f(z)``, then sends a unit-variance
random gradient back from the last layer (the loss is ``L = sum(g * a_L)``
with ``g ~ N(0, 1)``, so a healthy network has gradients of order 1). It
prints one line a layer, in the spirit of Karpathy's makemore statistics.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import _validation as check
from .activations import get_activation
from .initializers import normal, resolve

# A signal whose mean square passes this has exploded: stop before float64
# overflows (its limit is about 1.8e308) and say so instead of drawing inf.
OVERFLOW = 1e200

SATURATION = ("tanh", "sigmoid")


@dataclass(frozen=True)
class LayerStats:
    """Statistics of one layer (``layer`` counts from 1).

    ``mean``/``std``: of the activations ``a``; ``z2``: E[z^2] of the
    pre-activations; ``saturated``: fraction with tanh ``|a| > 0.97`` or
    sigmoid ``a < 0.03`` or ``a > 0.97``; ``dead``: ReLU fraction with
    ``a == 0``; ``grad_std``: std of dL/dz; ``grad_w_std``: std of dL/dW.
    A backward value is NaN only when the backward pass overflowed first.
    """

    layer: int
    activation: str
    mean: float
    std: float
    z2: float
    saturated: float
    dead: float
    grad_std: float
    grad_w_std: float

    def __str__(self):
        extra = ""
        if self.activation in SATURATION:
            extra = f"  sat {100 * self.saturated:5.1f}%"
        elif self.activation == "relu":
            extra = f"  dead {100 * self.dead:5.1f}%"
        return (f"layer {self.layer:2d} {self.activation:<10s} mean {self.mean:+.2e}  "
                f"std {self.std:.2e}{extra}  grad std {self.grad_std:.2e}")


@dataclass(frozen=True, repr=False)
class Propagation:
    """Result of :func:`propagate`: one :class:`LayerStats` a layer.

    ``overflow`` is the first layer whose forward signal (or, if
    ``direction`` says so, backward gradient) exploded past float64's
    range; the forward statistics stop there. ``samples`` holds a few
    thousand activation values a layer (input first), for histograms.
    """

    init: str
    activation: str
    depth: int
    width: int   # the last layer's width (all of them for square nets)
    n_in: int
    batch: int
    layers: tuple
    overflow: int | None = None
    overflow_direction: str | None = None
    samples: tuple = ()
    widths: tuple = ()
    input_std: float = 1.0

    def column(self, name):
        """One statistic over the layers as an array, e.g. ``column("std")``."""
        return np.array([getattr(s, name) for s in self.layers])

    def __repr__(self):
        width = self.width if len(set(self.widths)) <= 1 else list(self.widths)
        head = (f"propagate(init={self.init}, activation={self.activation}, depth={self.depth}, "
                f"width={width}, n_in={self.n_in}, batch={self.batch})")
        lines = [head, *map(str, self.layers)]
        if self.overflow is not None:
            lines.append(f"{self.overflow_direction} signal overflowed at layer {self.overflow}")
        return "\n".join(lines)


def propagate(init, activation, depth, width, *, n_in=None, batch=1000, alpha=0.01,
              n_samples=4000, rng=None, dtype=np.float64):
    """Send a batch through ``depth`` layers and return per-layer statistics.

    Args:
        init: an initializer name (``"he_normal"``, ``"xavier"``, ...) or a
            callable ``fn(shape, *, rng)``, e.g. ``functools.partial(normal, std=0.5)``.
        activation: ``"linear"``, ``"sigmoid"``, ``"tanh"``, ``"relu"``,
            ``"leaky_relu"`` (slope ``alpha``) or ``"selu"``.
        depth: number of layers.
        width: units per layer, or a sequence of ``depth`` widths for
            non-square layers; ``Propagation.widths`` records them.
        n_in: input features (default: the first width); the first
            weight is ``(n_in, width[0])``, then ``(width[i-1], width[i])``.
        batch: number of standard-normal input rows.
        n_samples: activation values kept per layer for histograms (0: none).
        rng: ``None``, an int seed or a ``numpy.random.Generator``; it
            draws the input, then each weight in turn, then the upstream gradient.

    >>> print(propagate("he_normal", "relu", depth=2, width=64, rng=0).layers[-1].dead > 0.3)
    True
    """
    label, draw = resolve(init)
    act = get_activation(activation, alpha)
    depth = check.positive_int("depth", depth, maximum=1000)
    if isinstance(width, (list, tuple)):
        if len(width) != depth:
            raise ValueError(f"width must be an int or a sequence of depth={depth} ints; "
                             f"got width={width!r}")
        widths = tuple(check.positive_int("width", w, maximum=8192) for w in width)
    else:
        widths = (check.positive_int("width", width, maximum=8192),) * depth
    width = widths[-1]
    n_in = widths[0] if n_in is None else check.positive_int("n_in", n_in, maximum=8192)
    batch = check.positive_int("batch", batch, maximum=100_000)
    n_samples = check.nonnegative_int("n_samples", n_samples)
    dtype = check.float_dtype(dtype)
    gen = check.generator(rng)

    x = gen.standard_normal((batch, n_in)).astype(dtype, copy=False)
    fan = (n_in, *widths)
    weights = [np.asarray(draw((fan[i], fan[i + 1]), rng=gen), dtype=dtype) for i in range(depth)]
    upstream = gen.standard_normal((batch, widths[-1])).astype(dtype, copy=False)
    samples = [x.ravel()[_sample_positions(batch * n_in, n_samples)]] if n_samples else []

    with np.errstate(all="ignore"):
        forward, acts, overflow = _forward(x, weights, act, n_samples, samples)
        fractions, grads, b_overflow = _backward(acts, weights, act, upstream)

    direction = "forward" if overflow is not None else None
    if overflow is None and b_overflow is not None:
        overflow, direction = b_overflow, "backward"
    nan = float("nan")
    layers = tuple(
        LayerStats(i + 1, act.name, *forward[i], *fractions[i], *grads.get(i, (nan, nan)))
        for i in range(len(forward))
    )
    return Propagation(label, act.name, depth, width, n_in, batch, layers,
                       overflow, direction, tuple(samples), widths, _moments(x)[1])


@functools.lru_cache(maxsize=32)
def _sample_positions(size, n):
    """A fixed random subset of positions, the same on every call (not from ``rng``,
    so asking for more or fewer samples never changes the network)."""
    if not n:
        return None
    return np.sort(np.random.default_rng(0).choice(size, size=min(n, size), replace=False))


def _moments(v):
    """Mean and std of an array in one read plus a BLAS dot.

    ``E[v^2] - mean^2`` loses precision only when the std is tiny next to
    the mean; then it falls back to NumPy's two-pass ``std``.
    """
    flat = v.ravel()
    mean = float(flat.sum()) / flat.size
    var = float(flat @ flat) / flat.size - mean * mean
    if var <= 1e-6 * mean * mean:
        return mean, float(flat.std())
    return mean, var**0.5


def _forward(x, weights, act, n_samples, samples):
    """Forward pass; returns per-layer (mean, std, z2), the activations
    (input first) and the first layer that overflowed, if any.

    Works in place (``a = f(z)`` overwrites ``z``): fresh 2 MB temporaries
    page-fault and cost more than the arithmetic on this kind of machine.
    """
    stats, acts = [], [x]
    for i, w in enumerate(weights):
        z = acts[-1] @ w
        flat = z.ravel()
        z2 = float(flat @ flat) / flat.size
        if not np.isfinite(z2) or z2 > OVERFLOW:
            return stats, acts, i + 1
        a = act.f(z, out=z)
        acts.append(a)
        stats.append((*_moments(a), z2))
        if n_samples:
            samples.append(a.ravel()[_sample_positions(a.size, n_samples)])
    return stats, acts, None


def _backward(acts, weights, act, upstream):
    """Backward pass of ``L = sum(upstream * a_L)``.

    Returns ``{layer: (saturated, dead)}``, ``{layer: (grad_std, grad_w_std)}``
    and the layer where the gradient overflowed, if any. The slope
    ``f'(z)`` is computed once a layer, into one scratch buffer, and serves
    both the gradient and the saturated/dead fractions. If the forward pass
    overflowed there is no gradient, but the fractions are still read off.
    """
    # tanh |a| > 0.97 <=> 1 - a^2 < 1 - 0.97^2; sigmoid a < 0.03 or a > 0.97
    # <=> a (1 - a) < 0.03 * 0.97; a ReLU unit is dead where its slope is 0.
    slope_cut = {"tanh": 1 - 0.97**2, "sigmoid": 0.03 * 0.97}.get(act.name)
    fractions, grads, overflow = {}, {}, None
    g = upstream if len(acts) > len(weights) else None  # the caller's array: ours to overwrite
    scratch = {}  # one buffer per layer shape
    for i in range(len(acts) - 2, -1, -1):
        a = acts[i + 1]
        if a.shape not in scratch:
            scratch[a.shape] = np.empty_like(a)
        d = act.df(a, out=scratch[a.shape])
        saturated = np.count_nonzero(d < slope_cut) / d.size if slope_cut else 0.0
        dead = 1.0 - np.count_nonzero(d) / d.size if act.name == "relu" else 0.0
        fractions[i] = (saturated, dead)
        if g is None:
            continue
        gz = np.multiply(g, d, out=g)
        gw = acts[i].T @ gz
        gz_std, gw_std = _moments(gz)[1], _moments(gw)[1]
        if not (np.isfinite(gz_std) and np.isfinite(gw_std)) or max(gz_std, gw_std) > OVERFLOW**0.5:
            overflow, g = i + 1, None
            continue
        grads[i] = (gz_std, gw_std)
        if i:
            g = gz @ weights[i].T
    return fractions, grads, overflow


@dataclass(frozen=True)
class Verdict:
    """What a :class:`Propagation` shows, as numbers and in words.

    ``kind`` is one of ``"overflow"``, ``"saturated"``, ``"collapsed"``,
    ``"exploding"``, ``"shrinking"`` or ``"growing"`` (the std changed more
    than 3x between layer 1 and the last, short of collapse or explosion),
    ``"vanishing gradients"``, ``"exploding gradients"`` or ``"healthy"``;
    ``headline`` says it in a phrase a student reads.
    ``grad_ratio`` is the gradient std at layer 1 over that at the last
    layer (below 1: gradients shrink on their way back to the input).
    """

    kind: str
    headline: str
    last_layer: int
    last_std: float
    saturated: float
    dead: float
    grad_ratio: float

    def status(self):
        """One line with the key numbers, for an explorer's status line."""
        parts = [f"layer {self.last_layer}: std {fmt(self.last_std)}"]
        if self.saturated:
            parts.append(f"{100 * self.saturated:.1f}% saturated")
        if self.dead:
            parts.append(f"{100 * self.dead:.1f}% dead")
        if np.isfinite(self.grad_ratio):
            parts.append(f"gradient std layer 1 / layer {self.last_layer}: {fmt(self.grad_ratio)}")
        return ", ".join(parts)


def verdict(prop):
    """Classify a :class:`Propagation`: what the forward signal does, then the gradients.

    The forward finding (overflow, saturated, collapsed, exploding) comes
    first and sets ``kind``; vanishing or exploding gradients are added to
    the headline, and set ``kind`` only when the forward signal is healthy.
    """
    if not prop.layers:
        return Verdict("overflow", "the signal overflows float64 in layer 1", 1,
                       float("inf"), 0.0, 0.0, float("nan"))
    last = prop.layers[-1]
    L = last.layer
    ratio = prop.layers[0].grad_std / last.grad_std if last.grad_std > 0 else float("nan")
    if not np.isfinite(ratio):
        ratio = float("nan")

    kind, phrase = "healthy", f"healthy: std {fmt(last.std)} at layer {L}"
    collapse = 0.05 if prop.activation == "sigmoid" else 1e-2
    if prop.overflow is not None:
        kind = "overflow"
        phrase = f"explodes: the {prop.overflow_direction} signal overflows float64 at layer {prop.overflow}"
    elif last.saturated > 0.5:
        ends = "0 and 1" if prop.activation == "sigmoid" else "-1 and +1"
        kind = "saturated"
        phrase = f"saturates: {100 * last.saturated:.0f}% of units at layer {L} stuck near {ends}"
    elif last.std < collapse:
        where = "0.5" if prop.activation == "sigmoid" else "0"
        kind = "collapsed"
        phrase = f"collapses toward {where}: std {fmt(last.std)} at layer {L}"
    elif prop.activation not in SATURATION and last.std > 1e2:
        kind = "exploding"
        phrase = f"explodes: std {fmt(last.std)} at layer {L}"
    elif L > 1 and not 1 / 3 <= last.std / prop.layers[0].std <= 3:
        # neither collapsed nor exploded yet, but drifting: more than 3x from layer 1
        kind = "shrinking" if last.std < prop.layers[0].std else "growing"
        phrase = (f"{kind[:-3]}s: std {fmt(prop.layers[0].std)} at layer 1, "
                  f"{fmt(last.std)} at layer {L}")

    if ratio < 1e-2:
        grad_kind = "vanishing gradients"
        phrase += f"; gradients vanish (layer 1 gets {fmt(ratio)} of layer {L}'s)"
    elif ratio > 1e2:
        grad_kind = "exploding gradients"
        phrase += f"; gradients explode (layer 1 gets {fmt(ratio)}x layer {L}'s)"
    else:
        grad_kind = None
    if kind == "healthy" and grad_kind is not None:
        kind = grad_kind
        phrase = phrase.replace("healthy: ", "", 1)
    return Verdict(kind, phrase, L, last.std, last.saturated, last.dead, ratio)


def fmt(x):
    """Four significant digits, or a power of ten for tiny and huge values."""
    if not np.isfinite(x):
        return "overflow" if x > 0 else "n/a"
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e4:
        return f"{x:.4g}"
    return f"{x:.2e}"


@dataclass(frozen=True, repr=False)
class Sweep:
    """Last-layer statistics of N(0, scale^2) networks, one entry per scale.

    ``std`` is ``inf`` where the signal overflowed float64.
    """

    activation: str
    depth: int
    width: int
    scales: np.ndarray
    std: np.ndarray
    saturated: np.ndarray
    dead: np.ndarray

    def __repr__(self):
        return (f"Sweep({self.activation}, depth={self.depth}, width={self.width}, "
                f"{len(self.scales)} scales from {fmt(self.scales[0])} to {fmt(self.scales[-1])})")

    def band(self, low=0.1, high=10.0):
        """The smallest and largest scale whose last-layer std lies in ``[low, high]``
        and whose units are not mostly saturated (``(nan, nan)`` if none)."""
        ok = (self.std >= low) & (self.std <= high) & (self.saturated <= 0.5)
        if not ok.any():
            return float("nan"), float("nan")
        return float(self.scales[ok].min()), float(self.scales[ok].max())


def scale_sweep(activation, scales, *, depth=20, width=256, batch=100, rng=0):
    """Run :func:`propagate` with N(0, scale^2) weights for every scale.

    The same ``rng`` seed for every scale, so only the scale changes.
    """
    scales = np.asarray(scales, dtype=float)
    std, sat, dead = [], [], []
    for s in scales:
        prop = propagate(functools.partial(normal, std=float(s)), activation, depth, width,
                         batch=batch, n_samples=0, rng=rng)
        last = prop.layers[-1] if prop.overflow is None else None
        std.append(float("inf") if last is None else last.std)
        sat.append(0.0 if last is None else last.saturated)
        dead.append(0.0 if last is None else last.dead)
    return Sweep(activation, depth, width, scales, np.array(std), np.array(sat), np.array(dead))
