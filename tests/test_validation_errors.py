"""Bad arguments: every public entry point raises a ValueError or TypeError whose
message names the argument, shows the bad value as ``name=repr(value)`` and says
what is allowed.
"""

import functools
import math

import numpy as np
import pytest

import initcourse as ic

S = (4, 3)
NAN = float("nan")
INF = float("inf")


def vs(**kw):
    return functools.partial(ic.variance_scaling, S, **kw)


def prop(**kw):
    args = {"init": "he_normal", "activation": "relu", "depth": 2, "width": 4, "batch": 3, "rng": 0}
    args.update(kw)
    return functools.partial(ic.propagate, **args)


# (call, exception, argument name, bad value, a phrase saying what is allowed)
CASES = {
    # mode / distribution
    "mode=fan-in": (vs(mode="fan-in"), ValueError, "mode", "fan-in", "'fan_in'"),
    "he_normal mode=fan-in": (functools.partial(ic.he_normal, S, mode="fan-in"),
                              ValueError, "mode", "fan-in", "'fan_avg'"),
    "mode=1": (vs(mode=1), TypeError, "mode", 1, "'fan_in'"),
    "distribution=gaussian": (vs(distribution="gaussian"), ValueError, "distribution", "gaussian",
                              "'truncated_normal'"),
    # scale
    "scale=0": (vs(scale=0), ValueError, "scale", 0, "must be"),
    "scale=-1": (vs(scale=-1), ValueError, "scale", -1, "must be"),
    "scale=nan": (vs(scale=NAN), ValueError, "scale", NAN, "finite"),
    "scale=inf": (vs(scale=INF), ValueError, "scale", INF, "finite"),
    "scale=True": (vs(scale=True), TypeError, "scale", True, "real number"),
    "scale='2'": (vs(scale="2"), TypeError, "scale", "2", "real number"),
    # shape
    "shape=(5,)": (functools.partial(ic.variance_scaling, (5,)), ValueError, "shape", (5,),
                   "(n_in, n_out)"),
    "shape=(0,3)": (functools.partial(ic.he_normal, (0, 3)), ValueError, "shape", (0, 3), "must be >= 1"),
    "shape='ab'": (functools.partial(ic.xavier_normal, "ab"), TypeError, "shape", "ab",
                   "tuple of positive integers"),
    "shape=5": (functools.partial(ic.normal, 5), TypeError, "shape", 5, "tuple of positive integers"),
    "shape=(2.0,3)": (functools.partial(ic.uniform, (2.0, 3)), TypeError, "shape", (2.0, 3),
                      "tuple of positive integers"),
    "fans shape=(5,)": (functools.partial(ic.fans, (5,)), ValueError, "shape", (5,), "at least 2"),
    "orthogonal shape=(5,)": (functools.partial(ic.orthogonal, (5,)), ValueError, "shape", (5,),
                              "at least 2"),
    "zeros shape=(0,)": (functools.partial(ic.zeros, (0,)), ValueError, "shape", (0,), "must be >= 1"),
    # alpha
    "gain alpha=-1": (functools.partial(ic.gain, "leaky_relu", alpha=-1), ValueError, "alpha", -1, ">= 0"),
    "gain alpha=True": (functools.partial(ic.gain, "leaky_relu", alpha=True), TypeError, "alpha", True,
                        "real number"),
    "gain alpha='x'": (functools.partial(ic.gain, "leaky_relu", alpha="x"), TypeError, "alpha", "x",
                       "real number"),
    "he_normal alpha=-1": (functools.partial(ic.he_normal, S, alpha=-1), ValueError, "alpha", -1, ">= 0"),
    "he_normal alpha=True": (functools.partial(ic.he_normal, S, alpha=True), TypeError, "alpha", True,
                             "real number"),
    "he_normal alpha='x'": (functools.partial(ic.he_normal, S, alpha="x"), TypeError, "alpha", "x",
                            "real number"),
    "he_uniform alpha=nan": (functools.partial(ic.he_uniform, S, alpha=NAN), ValueError, "alpha", NAN,
                             "finite"),
    "get_activation alpha=2": (functools.partial(ic.get_activation, "leaky_relu", alpha=2), ValueError,
                               "alpha", 2, "<= 1"),
    # gain of xavier / orthogonal
    "xavier gain=0": (functools.partial(ic.xavier_normal, S, gain=0), ValueError, "gain", 0, "must be"),
    "orthogonal gain=-1": (functools.partial(ic.orthogonal, S, gain=-1), ValueError, "gain", -1,
                           "must be"),
    # unknown activation
    "gain activation=swish": (functools.partial(ic.gain, "swish"), ValueError, "activation", "swish",
                              "'relu'"),
    "recommend activation=swish": (functools.partial(ic.recommend, "swish"), ValueError, "activation",
                                   "swish", "'relu'"),
    "get_activation activation=swish": (functools.partial(ic.get_activation, "swish"), ValueError,
                                        "activation", "swish", "'relu'"),
    "propagate activation=swish": (prop(activation="swish"), ValueError, "activation", "swish", "'relu'"),
    "recommend activation=None": (functools.partial(ic.recommend, None), TypeError, "activation", None,
                                  "'relu'"),
    "MLP activation=swish": (functools.partial(ic.MLP, [2, 3, 2], activation="swish"), ValueError,
                             "activation", "swish", "'tanh'"),
    # depth / width / batch / n_samples
    "depth=0": (prop(depth=0), ValueError, "depth", 0, "positive integer"),
    "depth=2.5": (prop(depth=2.5), TypeError, "depth", 2.5, "positive integer"),
    "depth=True": (prop(depth=True), TypeError, "depth", True, "positive integer"),
    "width=0": (prop(width=0), ValueError, "width", 0, "positive integer"),
    "batch=0": (prop(batch=0), ValueError, "batch", 0, "positive integer"),
    "n_samples=-1": (prop(n_samples=-1), ValueError, "n_samples", -1, ">= 0"),
    # rng
    **{
        f"{where} rng={bad!r}": (call(rng=bad), err, "rng", bad, allowed)
        for where, call in {
            "variance_scaling": vs,
            "he_normal": functools.partial(functools.partial, ic.he_normal, S),
            "normal": functools.partial(functools.partial, ic.normal, S),
            "uniform": functools.partial(functools.partial, ic.uniform, S),
            "orthogonal": functools.partial(functools.partial, ic.orthogonal, S),
            "get_initializer": functools.partial(functools.partial, ic.get_initializer, "relu", S),
            "initialize_weights": functools.partial(functools.partial, ic.initialize_weights, S),
            "MLP": functools.partial(functools.partial, ic.MLP, [2, 3, 2]),
            "propagate": prop,
        }.items()
        for bad, err, allowed in [("seed", TypeError, "Generator"), (-1, ValueError, "non-negative"),
                                  (1.5, TypeError, "int seed")]
    },
    # dtype
    "variance_scaling dtype=int": (vs(dtype=int), TypeError, "dtype", int, "floating"),
    "normal dtype=int": (functools.partial(ic.normal, S, dtype=int), TypeError, "dtype", int, "float32"),
    "zeros dtype=int32": (functools.partial(ic.zeros, S, dtype=np.int32), TypeError, "dtype", np.int32,
                          "floating"),
    "propagate dtype=int": (prop(dtype=int), TypeError, "dtype", int, "floating"),
    # plain random
    "normal std=0": (functools.partial(ic.normal, S, std=0), ValueError, "std", 0, "must be"),
    "normal std=-0.1": (functools.partial(ic.normal, S, std=-0.1), ValueError, "std", -0.1, "must be"),
    "uniform limit=-1": (functools.partial(ic.uniform, S, limit=-1), ValueError, "limit", -1, "must be"),
    "constant value=nan": (functools.partial(ic.constant, S, NAN), ValueError, "value", NAN, "finite"),
    # guide
    "recommend relu alpha=0.2": (functools.partial(ic.recommend, "relu", alpha=0.2), ValueError, "alpha",
                                 0.2, "leaky_relu"),
    "recommend leaky alpha=-0.1": (functools.partial(ic.recommend, "leaky_relu", alpha=-0.1), ValueError,
                                   "alpha", -0.1, ">= 0"),
    "initializer_for tanh alpha=0.1": (functools.partial(ic.initializer_for, "tanh", alpha=0.1),
                                       ValueError, "alpha", 0.1, "leaky_relu"),
    "get_initializer leaky_relu_x": (functools.partial(ic.get_initializer, "leaky_relu_x", S), ValueError,
                                     "activation", "leaky_relu_x", "number"),
    "get_initializer leaky_relu_-0.2": (functools.partial(ic.get_initializer, "leaky_relu_-0.2", S),
                                        ValueError, "alpha", -0.2, ">= 0"),
    "get_initializer swish": (functools.partial(ic.get_initializer, "swish", S), ValueError, "activation",
                              "swish", "'relu'"),
    "initialize_weights method=bogus": (functools.partial(ic.initialize_weights, S, method="bogus"),
                                        ValueError, "method", "bogus", "'he'"),
    "initialize_weights method=None": (functools.partial(ic.initialize_weights, S, method=None),
                                       TypeError, "method", None, "'xavier'"),
    "initialize_weights auto swish": (functools.partial(ic.initialize_weights, S, "auto", "swish"),
                                      ValueError, "activation", "swish", "'relu'"),
    # nn
    "MLP init=bogus": (functools.partial(ic.MLP, [2, 3, 2], init="bogus"), ValueError, "init", "bogus",
                       "'he_normal'"),
    "MLP init=3": (functools.partial(ic.MLP, [2, 3, 2], init=3), TypeError, "init", 3, "callable"),
    "MLP sizes=[2]": (functools.partial(ic.MLP, [2]), ValueError, "sizes", [2], "at least 2"),
    "MLP sizes=[2,0,2]": (functools.partial(ic.MLP, [2, 0, 2]), ValueError, "sizes", [2, 0, 2],
                          "must be >= 1"),
    "Linear n_in=0": (functools.partial(ic.Linear, 0, 3), ValueError, "n_in", 0, "positive integer"),
    "sgd_step lr=0": (lambda: ic.MLP([2, 3, 2], rng=0).sgd_step(0), ValueError, "lr", 0, "must be"),
}


@pytest.mark.parametrize(("call", "error", "arg", "bad", "allowed"), list(CASES.values()), ids=list(CASES))
def test_bad_argument_message(call, error, arg, bad, allowed):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert info.type is error, f"expected {error.__name__}, got {info.type.__name__}: {info.value}"
    message = str(info.value)
    assert arg in message
    if isinstance(bad, float) and math.isnan(bad):
        assert f"{arg}=nan" in message
    else:
        # Numbers may be shown after conversion to float (scale=-1 as scale=-1.0),
        # so "name=repr" is checked as a prefix of what follows "name=".
        assert f"{arg}={bad!r}" in message, f"{arg}={bad!r} not in {message!r}"
    assert allowed in message, f"{allowed!r} (what is allowed) not in {message!r}"
