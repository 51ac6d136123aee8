"""Weight initializers: one variance-scaling core and its named specializations.

Convention: a weight has shape ``(n_in, n_out)`` and a layer computes
``x @ W + b`` (PyTorch stores the transpose, ``(out, in)``). For more than
two dims the leading dims are the receptive field, so a conv kernel
``(kh, kw, c_in, c_out)`` has ``fan_in = kh*kw*c_in`` and
``fan_out = kh*kw*c_out``.

Every random initializer takes a keyword-only ``rng``: ``None``, an int
seed or a ``numpy.random.Generator``. Nothing touches NumPy's global state.
"""

from __future__ import annotations

import math

import numpy as np

from . import _validation as check

MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("normal", "uniform", "truncated_normal")

# Std of a standard normal truncated to [-2, 2]; dividing by it restores the
# variance lost by cutting the tails (same constant as JAX and Keras).
_TRUNCATED_STD = 0.87962566103423978


def fans(shape):
    """Return ``(fan_in, fan_out)`` of a weight of the given shape.

    >>> fans((256, 128))
    (256, 128)
    >>> fans((3, 3, 64, 128))   # conv kernel (kh, kw, c_in, c_out)
    (576, 1152)
    """
    dims = check.shape(shape)
    receptive = math.prod(dims[:-2])
    return receptive * dims[-2], receptive * dims[-1]


def gain(activation, alpha=0.01):
    """Recommended gain for an activation, as in PyTorch's ``calculate_gain``.

    ``scale = gain**2`` turns a gain into the ``scale`` of
    :func:`variance_scaling`.

    ============  ========================  ==================================
    activation    gain                      where it comes from
    ============  ========================  ==================================
    linear        1                         derived: identity keeps variance
    sigmoid       1                         convention (PyTorch); not derived
    tanh          5/3                       empirical (PyTorch's choice)
    relu          sqrt(2)                   derived: E[relu(z)^2] = Var(z)/2
    leaky_relu    sqrt(2 / (1 + alpha^2))   derived, as relu with slope alpha
    selu          3/4                       empirical (PyTorch's choice)
    ============  ========================  ==================================

    ``identity`` is an alias of ``linear``. ``alpha`` is used only by
    ``leaky_relu``.

    >>> round(gain("relu") ** 2, 6)
    2.0
    """
    check.choice("activation", activation, GAIN_ACTIVATIONS)
    alpha = check.real("alpha", alpha, minimum=0.0)
    if activation == "leaky_relu":
        return math.sqrt(2.0 / (1.0 + alpha**2))
    return _GAINS[activation]


_GAINS = {
    "linear": 1.0,
    "identity": 1.0,
    "sigmoid": 1.0,
    "tanh": 5.0 / 3.0,
    "relu": math.sqrt(2.0),
    "selu": 0.75,
}
GAIN_ACTIVATIONS = (*_GAINS, "leaky_relu")


def variance_scaling(
    shape,
    scale=1.0,
    mode="fan_in",
    distribution="normal",
    *,
    rng=None,
    dtype=np.float64,
):
    """Draw weights with ``Var(W) = scale / n``: the core every initializer uses.

    Args:
        shape: ``(n_in, n_out)``, or ``(*receptive_field, n_in, n_out)``.
        scale: positive variance multiplier; ``scale = gain**2``
            (1 for Xavier and LeCun, 2 for He).
        mode: what ``n`` is: ``"fan_in"``, ``"fan_out"`` or
            ``"fan_avg"`` = (fan_in + fan_out) / 2.
        distribution: ``"normal"`` (untruncated, as in the papers),
            ``"uniform"`` on ``[-limit, limit]`` with
            ``limit = sqrt(3 * scale / n)``, or ``"truncated_normal"``
            (cut at 2 std, then rescaled so the variance is still
            ``scale / n``; what Keras and JAX call ``he_normal``).
        rng: ``None``, an int seed or a ``numpy.random.Generator``.
        dtype: floating dtype of the result.

    >>> w = variance_scaling((256, 256), 2.0, "fan_in", rng=0)   # He normal
    >>> round(float(w.std()), 3)
    0.088
    """
    fan_in, fan_out = fans(shape)
    scale = check.real("scale", scale, minimum=0.0, strict=True)
    check.choice("mode", mode, MODES)
    check.choice("distribution", distribution, DISTRIBUTIONS)
    dtype = check.float_dtype(dtype)
    gen = check.generator(rng)

    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    std = math.sqrt(scale / n)
    shape = tuple(shape)
    if distribution == "normal":
        w = gen.normal(0.0, std, size=shape)
    elif distribution == "uniform":
        limit = math.sqrt(3.0) * std
        w = gen.uniform(-limit, limit, size=shape)
    else:
        w = _truncated_standard_normal(gen, shape) * (std / _TRUNCATED_STD)
    return w.astype(dtype, copy=False)


def _truncated_standard_normal(gen, shape):
    """Standard normal samples redrawn until they lie within [-2, 2]."""
    z = gen.standard_normal(size=shape)
    bad = np.abs(z) > 2.0
    while bad.any():  # about 4.6% redrawn per round; a handful of rounds
        z[bad] = gen.standard_normal(size=int(bad.sum()))
        bad = np.abs(z) > 2.0
    return z


# --- Constant and plain random -------------------------------------------


def zeros(shape, *, dtype=np.float64):
    """All zeros. Fine for biases; for weights it makes every unit identical."""
    return np.zeros(check.shape(shape, min_dims=1), dtype=check.float_dtype(dtype))


def constant(shape, value, *, dtype=np.float64):
    """Every entry equal to ``value``: as symmetric as zeros, if not as silent."""
    value = check.real("value", value)
    return np.full(check.shape(shape, min_dims=1), value, dtype=check.float_dtype(dtype))


def normal(shape, std=0.01, *, rng=None, dtype=np.float64):
    """``N(0, std^2)`` regardless of the layer's size (the chapter's "random init")."""
    std = check.real("std", std, minimum=0.0, strict=True)
    dims = check.shape(shape)
    dtype = check.float_dtype(dtype)
    return check.generator(rng).normal(0.0, std, size=dims).astype(dtype, copy=False)


def uniform(shape, limit=0.05, *, rng=None, dtype=np.float64):
    """``U(-limit, limit)`` regardless of the layer's size; std = limit / sqrt(3)."""
    limit = check.real("limit", limit, minimum=0.0, strict=True)
    dims = check.shape(shape)
    dtype = check.float_dtype(dtype)
    return check.generator(rng).uniform(-limit, limit, size=dims).astype(dtype, copy=False)


# --- Named variance-scaling initializers ----------------------------------


def xavier_normal(shape, *, gain=1.0, rng=None, dtype=np.float64):
    """Xavier/Glorot normal (Glorot & Bengio, 2010): ``Var(W) = gain^2 * 2 / (fan_in + fan_out)``.

    >>> round(float(xavier_normal((256, 256), rng=0).std()), 4)
    0.0624
    """
    return variance_scaling(shape, _gain_scale(gain), "fan_avg", "normal", rng=rng, dtype=dtype)


def xavier_uniform(shape, *, gain=1.0, rng=None, dtype=np.float64):
    """Xavier/Glorot uniform: ``U(-limit, limit)``, ``limit = gain * sqrt(6 / (fan_in + fan_out))``.

    Same variance as :func:`xavier_normal`; only the shape of the distribution differs.
    """
    return variance_scaling(shape, _gain_scale(gain), "fan_avg", "uniform", rng=rng, dtype=dtype)


def he_normal(shape, *, alpha=0.0, mode="fan_in", rng=None, dtype=np.float64):
    """He/Kaiming normal (He et al., 2015): ``Var(W) = 2 / ((1 + alpha^2) * fan)``.

    ``alpha`` is the negative slope of a leaky ReLU (0 for ReLU). ``mode``
    ``"fan_in"`` keeps the forward signal's E[z^2], ``"fan_out"`` the
    backward gradient's.

    >>> round(float(he_normal((256, 256), rng=0).std()), 3)
    0.088
    """
    return variance_scaling(shape, _he_scale(alpha), mode, "normal", rng=rng, dtype=dtype)


def he_uniform(shape, *, alpha=0.0, mode="fan_in", rng=None, dtype=np.float64):
    """He/Kaiming uniform: ``limit = sqrt(6 / ((1 + alpha^2) * fan))``."""
    return variance_scaling(shape, _he_scale(alpha), mode, "uniform", rng=rng, dtype=dtype)


def lecun_normal(shape, *, rng=None, dtype=np.float64):
    """LeCun normal (LeCun et al., 1998): ``Var(W) = 1 / fan_in``; used with SELU."""
    return variance_scaling(shape, 1.0, "fan_in", "normal", rng=rng, dtype=dtype)


def lecun_uniform(shape, *, rng=None, dtype=np.float64):
    """LeCun uniform: ``limit = sqrt(3 / fan_in)``."""
    return variance_scaling(shape, 1.0, "fan_in", "uniform", rng=rng, dtype=dtype)


glorot_normal = xavier_normal
glorot_uniform = xavier_uniform
kaiming_normal = he_normal
kaiming_uniform = he_uniform


def orthogonal(shape, *, gain=1.0, rng=None, dtype=np.float64):
    """A (semi-)orthogonal matrix times ``gain`` (Saxe et al., 2014).

    The shape is flattened to ``(prod(shape[:-1]), n_out)``. If that has at
    least as many rows as columns its columns are orthonormal
    (``W.T @ W = gain^2 I``), otherwise its rows are (``W @ W.T = gain^2 I``).
    Signs are fixed with R's diagonal so the draw is uniform (Haar).
    """
    dims = check.shape(shape)
    gain = check.real("gain", gain, minimum=0.0, strict=True)
    dtype = check.float_dtype(dtype)
    rows, cols = math.prod(dims[:-1]), dims[-1]
    a = check.generator(rng).standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))  # a column with R[i, i] < 0 is flipped
    if rows < cols:
        q = q.T
    return (gain * q).reshape(dims).astype(dtype, copy=False)


def _gain_scale(gain):
    return check.real("gain", gain, minimum=0.0, strict=True) ** 2


def _he_scale(alpha):
    alpha = check.real("alpha", alpha, minimum=0.0)
    return 2.0 / (1.0 + alpha**2)


# --- Lookup by name --------------------------------------------------------

INITIALIZERS = {
    "zeros": zeros,
    "normal": normal,
    "uniform": uniform,
    "xavier_normal": xavier_normal,
    "xavier_uniform": xavier_uniform,
    "glorot_normal": xavier_normal,
    "glorot_uniform": xavier_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "kaiming_normal": he_normal,
    "kaiming_uniform": he_uniform,
    "lecun_normal": lecun_normal,
    "lecun_uniform": lecun_uniform,
    "orthogonal": orthogonal,
    # short names, as the chapter uses them
    "xavier": xavier_normal,
    "he": he_normal,
    "lecun": lecun_normal,
}


def resolve(init, *, name="init"):
    """Return ``(label, fn)`` for an initializer name or callable.

    ``fn(shape, rng=...)`` draws a weight. A callable is used as it is and
    labelled by its ``__name__`` (``functools.partial`` objects by their
    function's name and keywords).
    """
    if isinstance(init, str):
        check.choice(name, init, tuple(INITIALIZERS))
        return init, _with_rng(INITIALIZERS[init])
    if callable(init):
        return _label(init), _with_rng(init)
    raise TypeError(
        f"{name} must be an initializer name ({', '.join(map(repr, INITIALIZERS))}) "
        f"or a callable fn(shape, *, rng); got {name}={init!r}"
    )


def _with_rng(fn):
    # zeros and constant take no rng; give every initializer one signature.
    if fn is zeros or getattr(fn, "func", None) in (zeros, constant):
        return lambda shape, *, rng=None: fn(shape)
    return fn


def _label(fn):
    func = getattr(fn, "func", None)
    if func is not None:  # functools.partial
        kw = ", ".join(f"{k}={v!r}" for k, v in fn.keywords.items())
        return f"{func.__name__}({kw})" if kw else func.__name__
    return getattr(fn, "__name__", repr(fn))
