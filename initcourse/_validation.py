"""Argument checks shared by the package.

Every message names the argument, shows the bad value with ``!r`` and says
what is allowed, in the spirit of PyTorch's and Keras' initializer errors.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def real(name, value, *, minimum=None, strict=False, maximum=None):
    """Return ``value`` as a float, or raise naming ``name``.

    ``strict=True`` makes ``minimum`` exclusive. Booleans and non-finite
    values are rejected: ``scale=True`` is a bug, not a 1.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {name}={value!r}")
    given, value = value, float(value)  # messages echo the value as given
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {name}={given!r}")
    if minimum is not None:
        if strict and value <= minimum:
            raise ValueError(f"{name} must be > {minimum}; got {name}={given!r}")
        if not strict and value < minimum:
            raise ValueError(f"{name} must be >= {minimum}; got {name}={given!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}; got {name}={given!r}")
    return value


def nonnegative_int(name, value):
    """Return ``value`` as an int >= 0, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= 0; got {name}={value!r}")
    if value < 0:
        raise ValueError(f"{name} must be an integer >= 0; got {name}={value!r}")
    return int(value)


def positive_int(name, value, *, maximum=None):
    """Return ``value`` as an int >= 1, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer; got {name}={value!r}")
    value = int(value)
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (>= 1); got {name}={value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}; got {name}={value!r}")
    return value


def choice(name, value, allowed):
    """Return ``value`` if it is one of ``allowed``, or raise naming ``name``."""
    kinds = {type(a) for a in allowed}
    if isinstance(value, bool) or type(value) not in kinds:
        kind = "a string" if kinds == {str} else "a value"
        raise TypeError(f"{name} must be {kind}, one of {_listed(allowed)}; got {name}={value!r}")
    if value not in allowed:
        raise ValueError(f"{name} must be one of {_listed(allowed)}; got {name}={value!r}")
    return value


def shape(value, *, min_dims=2, name="shape"):
    """Return ``value`` as a tuple of positive ints with at least ``min_dims`` dims."""
    if isinstance(value, (numbers.Integral, str)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a tuple of positive integers; got {name}={value!r}")
    dims = tuple(value)
    if not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in dims):
        raise TypeError(f"{name} must be a tuple of positive integers; got {name}={value!r}")
    if len(dims) < min_dims:
        what = "(n_in, n_out) or (*receptive_field, n_in, n_out)" if min_dims == 2 else "(n,)"
        raise ValueError(
            f"{name} must have at least {min_dims} dimension(s), {what}; got {name}={value!r}"
        )
    if any(d < 1 for d in dims):
        raise ValueError(f"every dimension of {name} must be >= 1; got {name}={value!r}")
    return tuple(int(d) for d in dims)


def float_dtype(value):
    """Return ``np.dtype(value)`` if it is a floating dtype."""
    try:
        dtype = np.dtype(value)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind != "f":
        raise TypeError(
            f"dtype must be a floating dtype such as np.float32 or np.float64; got dtype={value!r}"
        )
    return dtype


def generator(rng):
    """Normalize ``rng`` (None, an int seed or a Generator) to a Generator."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng must be a non-negative int seed; got rng={rng!r}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be None, a non-negative int seed or a numpy.random.Generator; got rng={rng!r}"
    )


def _listed(allowed):
    return ", ".join(repr(a) for a in allowed)
