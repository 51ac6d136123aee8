"""Activations by name, each with its derivative.

``ACTIVATIONS[name].f(z)`` is the activation and ``.df(a)`` its derivative
written through the output ``a = f(z)`` (sigmoid: ``a (1 - a)``, tanh:
``1 - a^2``), the textbook form that saves a second transcendental call in
backprop. Both take an optional ``out=`` array, like NumPy ufuncs, so the
probe can work in place: ``f(z, out=z)`` is allowed; ``df(a, out=...)``
needs a buffer other than ``a`` (its formulas read ``a`` twice).

Nothing here overflows or warns: the sigmoid is ``1 / (1 + exp(-z))`` with
``exp``'s overflow to ``inf`` silenced, which gives exactly 0 for
``z < -709.78`` and keeps tiny values precise (``sigmoid(-40) = 4.2e-18``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _validation as check

# SELU constants (Klambauer et al., 2017).
SELU_ALPHA = 1.6732632423543772
SELU_LAMBDA = 1.0507009873554805


@dataclass(frozen=True)
class Activation:
    """An activation ``f(z, out=None)`` and its derivative ``df(a, out=None)`` at ``a = f(z)``."""

    name: str
    f: Callable[..., np.ndarray]
    df: Callable[..., np.ndarray]

    def __call__(self, z):
        return self.f(z)

    def __repr__(self):
        return f"Activation({self.name!r})"


def _buffer(x, out):
    """The array to compute into: ``out``, or a new float array shaped like ``x``.

    Multi-step in-place formulas need a real array: for a scalar input a
    ufunc returns a NumPy scalar, which cannot be written into.
    """
    if out is not None:
        return out
    dtype = np.asarray(x).dtype
    return np.empty(np.shape(x), dtype=dtype if dtype.kind == "f" else np.float64)


def _slope_buffer(a, out):
    if out is not None and np.shares_memory(a, out):
        raise ValueError("out must not share memory with a: df(a, out=...) reads a twice")
    return _buffer(a, out)


def _result(out):
    return out if out.ndim else out[()]  # a scalar in, a scalar out


def sigmoid(z, out=None):
    """``1 / (1 + exp(-z))``, finite and warning-free for any ``z``.

    For ``z < -709.78`` ``exp(-z)`` overflows to ``inf`` and the result is
    exactly 0; the true value is below 1e-308 there (a subnormal down to
    about -745, then below every float). That overflow is expected and
    silenced.
    """
    out = _buffer(z, out)
    with np.errstate(over="ignore"):
        np.exp(np.negative(z, out=out), out=out)
    out += 1.0
    return _result(np.reciprocal(out, out=out))


def _sigmoid_df(a, out=None):
    out = np.subtract(1.0, a, out=_slope_buffer(a, out))
    return _result(np.multiply(out, a, out=out))


def _tanh(z, out=None):
    return _result(np.tanh(z, out=_buffer(z, out)))


def _tanh_df(a, out=None):
    out = np.multiply(a, a, out=_slope_buffer(a, out))
    return _result(np.subtract(1.0, out, out=out))


def _linear(z, out=None):
    if out is None:
        return z
    np.copyto(out, z)
    return out


def _linear_df(a, out=None):
    out = _buffer(a, out)
    out.fill(1.0)
    return _result(out)


def _relu(z, out=None):
    return np.maximum(z, 0.0, out=out)


def _relu_df(a, out=None):
    return _result(np.greater(a, 0.0, out=_buffer(a, out)))


def _selu(z, out=None):
    # lam * (max(z, 0) + alpha * expm1(min(z, 0))): branch-free, and expm1
    # only sees z <= 0, so nothing overflows.
    neg = np.minimum(z, 0.0, out=_buffer(z, None))
    np.expm1(neg, out=neg)
    neg *= SELU_ALPHA
    out = np.maximum(z, 0.0, out=_buffer(z, out))
    out += neg
    out *= SELU_LAMBDA
    return _result(out)


def _selu_df(a, out=None):
    # a <= 0: a = lam * alpha * (e^z - 1), so the slope lam * alpha * e^z is
    # a + lam * alpha; a > 0: the slope is lam.
    out = np.minimum(a, 0.0, out=_slope_buffer(a, out))
    out += SELU_LAMBDA * SELU_ALPHA
    np.copyto(out, SELU_LAMBDA, where=np.asarray(a) > 0)
    return _result(out)


def leaky_relu(alpha=0.01):
    """The leaky ReLU with negative slope ``0 <= alpha <= 1`` (``alpha=0`` is the ReLU).

    Written as ``max(z, alpha z)`` and ``alpha + (1 - alpha) [a > 0]``:
    branch-free, which is several times faster than ``np.where`` on
    random signs.
    """
    alpha = check.real("alpha", alpha, minimum=0.0, maximum=1.0)
    if alpha == 0.0:
        return ACTIVATIONS["relu"]

    def f(z, out=None):
        return np.maximum(z, alpha * z, out=out)

    def df(a, out=None):
        out = np.greater(a, 0.0, out=_slope_buffer(a, out))
        out *= 1.0 - alpha
        out += alpha
        return _result(out)

    return Activation("leaky_relu", f, df)


ACTIVATIONS = {
    "linear": Activation("linear", _linear, _linear_df),
    "sigmoid": Activation("sigmoid", sigmoid, _sigmoid_df),
    "tanh": Activation("tanh", _tanh, _tanh_df),
    "relu": Activation("relu", _relu, _relu_df),
}
ACTIVATIONS["leaky_relu"] = leaky_relu(0.01)
ACTIVATIONS["selu"] = Activation("selu", _selu, _selu_df)


def get_activation(activation, alpha=0.01):
    """Return the :class:`Activation` for a name (or pass one through).

    ``alpha`` is the negative slope of ``"leaky_relu"``.
    """
    if isinstance(activation, Activation):
        return activation
    check.choice("activation", activation, tuple(ACTIVATIONS))
    if activation == "leaky_relu":
        return leaky_relu(alpha)
    return ACTIVATIONS[activation]
