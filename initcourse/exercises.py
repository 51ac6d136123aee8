"""Exercises with instant, specific feedback: one checker per exercise.

Each notebook ends with a few exercises. A student fills in a cell, then
runs its check::

    ic.exercises.check_xavier_uniform(my_xavier_uniform)

The check prints one short verdict: "Correct", "Not done yet" (the
starting point is still there) or "Not quite", with what is wrong. The
checkers recognise the usual mistakes and name them ("your limit is the
std; the uniform limit is sqrt(3) times larger"). They test a function on
several shapes and seeds, and never raise: student code that raises, warns,
returns junk or NaN gets a message, not a traceback.

``hint(name)`` and ``solution(name)`` print help for a student who is
stuck; ``grade(name, answer)`` returns the :class:`Feedback` instead of
printing it (for tests and instructors). ``EXERCISES`` lists them all.

Every reference solution is the code ``solution`` prints, executed.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import data
from .figures import unit_spread
from .guide import recommend
from .initializers import INITIALIZERS, constant, fans, normal
from .nn import MLP, accuracy, fit, softmax_cross_entropy
from .probe import propagate

_MARKS = {"correct": "✓ Correct.", "wrong": "✗ Not quite.", "not done": "○ Not done yet."}


@dataclass(frozen=True)
class Feedback:
    """The verdict of a check: ``status`` is ``"correct"``, ``"wrong"`` or ``"not done"``."""

    exercise: str
    status: str
    message: str

    @property
    def ok(self):
        return self.status == "correct"

    def __str__(self):
        head = f"{_MARKS[self.status]} [{self.exercise}] "
        return textwrap.fill(head + self.message, width=100, subsequent_indent="  ")


@dataclass(frozen=True)
class Exercise:
    """One exercise: its checker, a hint and the code of a reference solution."""

    name: str
    notebook: str
    title: str
    answer: str          # the name the student defines (a function or a variable)
    grader: Callable
    hint: str
    solution: str        # code that defines ``answer``; printed by solution()
    why: str = ""        # printed after the solution

    def reference(self):
        """The reference answer: the solution code, executed."""
        namespace = {"np": np}
        exec(self.solution, namespace)  # noqa: S102 - our own constant source
        return namespace[self.answer]

    def grade(self, answer):
        try:
            return self.grader(answer)
        except _Verdict as v:
            return Feedback(self.name, v.status, v.message)
        except Exception as e:  # a bug in a checker must not crash a student's notebook
            return Feedback(self.name, "wrong",
                            f"the checker could not handle this answer ({type(e).__name__}: {e}).")


class _Verdict(Exception):  # noqa: N818 - a control-flow signal, not an error
    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


def _not_done(message):
    raise _Verdict("not done", message)


def _wrong(message):
    raise _Verdict("wrong", message)


# --- Running student code safely ---------------------------------------------------


def _call(fn, label, *args, **kwargs):
    """Call student code; return ``(result, warnings)``. Raising turns into a verdict."""
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            result = fn(*args, **kwargs)
        except NotImplementedError:
            _not_done(f"{label} raises NotImplementedError: replace that line with your code.")
        except Exception as e:
            _wrong(f"{label} raised {type(e).__name__}: {e}")
    return result, [str(w.message) for w in caught]


def _need_function(answer, name, signature):
    if answer is None or answer is Ellipsis:
        _not_done(f"define {signature} in the cell above, run it, then run this check.")
    if not callable(answer):
        _wrong(f"pass your function itself, {name}, not {_short(answer)}.")


def _array(result, label, shape):
    """The student's result as a float array of ``shape``, or a targeted verdict."""
    if result is None:
        _not_done(f"{label} returned None: fill in its body and return the weights.")
    w = _floats(result, f"{label} returned {_short(result)}; return a NumPy array of shape {shape}.")
    if w.shape != tuple(shape):
        if w.shape == tuple(shape)[::-1]:
            _wrong(f"{label} returned shape {w.shape}, the transpose of (n_in, n_out) = {shape}. "
                   "The course stores a weight as (n_in, n_out) so that a layer is x @ W.")
        _wrong(f"{label} returned shape {w.shape}; expected {shape}.")
    if not np.all(np.isfinite(w)):
        _wrong(f"{label} returned {np.count_nonzero(~np.isfinite(w))} non-finite values "
               f"(NaN or inf) for shape {shape}.")
    return w


def _floats(result, message):
    """``result`` as a float64 array; complex, text or ragged results get ``message``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            kind = np.asarray(result).dtype.kind
            if kind not in "biuf":
                raise TypeError(kind)
            return np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError, Warning):
        _wrong(message)


def _number(answer, name, what, *, std=False):
    """The student's number as a float; ``std=True`` also requires it to be > 0."""
    if answer is None or answer is Ellipsis:
        _not_done(f"set {name} to {what} in the cell above, run it, then run this check.")
    if isinstance(answer, (bool, np.bool_, str)):
        _wrong(f"{name} should be {what}; got {_short(answer)}.")
    if not isinstance(answer, numbers.Real):
        value = np.asarray(answer)
        if value.size != 1 or value.dtype.kind not in "iuf":
            _wrong(f"{name} should be {what}; got {_short(answer)}.")
        answer = value.item()
    answer = float(answer)
    if not math.isfinite(answer):
        _wrong(f"{name} should be {what}; got {answer}.")
    if std and answer <= 0:
        _wrong(f"a std must be > 0 (a std is positive); got {answer:g}.")
    return answer


def _letter(answer, name, options):
    if answer is None or answer is Ellipsis:
        _not_done(f'set {name} to one of {", ".join(map(repr, options))} in the cell above, '
                  "run it, then run this check.")
    if not isinstance(answer, str) or len(answer.strip()) != 1 or answer.strip().lower() not in options:
        _wrong(f'{name} should be one of {", ".join(map(repr, options))}; got {_short(answer)}.')
    return answer.strip().lower()


def _short(value):
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"{text} (a {type(value).__name__})"


def _close(a, b, rtol):
    return abs(a - b) <= rtol * abs(b)


def _rngs(seed):
    """Two generators with the same seed and one with another (reproducibility checks)."""
    return np.random.default_rng(seed), np.random.default_rng(seed), np.random.default_rng(seed + 1)


def _check_rng(fn, label, shape, call=lambda f, shape, rng: f(shape, rng=rng)):
    a, b, c = (_array(_call(call, label, fn, shape, g)[0], label, shape) for g in _rngs(7))
    if not np.array_equal(a, b):
        _wrong(f"with the same rng, {label} returned different weights: draw from the rng "
               "you are given (rng.normal / rng.uniform), not from np.random.")
    if np.array_equal(a, c):
        _wrong(f"{label} returned the same weights for two different rngs: draw from rng, "
               "don't create a generator with a fixed seed inside the function.")


def _match(candidates, observed, rtol):
    """The first ``(message, predicted)`` whose predictions all agree with ``observed``."""
    for message, predicted in candidates:
        predicted = predicted if isinstance(predicted, list) else [predicted]
        if all(_close(o, p, rtol) for o, p in zip(observed, predicted, strict=True)):
            return message
    return None


# --- 01 · symmetry ---------------------------------------------------------------------


def _grade_constant_symmetry(answer):
    choice = _letter(answer, "constant_prediction", "abc")
    point_one = functools.partial(constant, value=0.1)
    X, labels = data.moons()
    net = MLP([2, 8, 2], "tanh", init=point_one, output_init=point_one)
    h = fit(net, X, labels, steps=1000, lr=0.5, record_weights=True)
    moved = np.abs(h.first_weights[-1] - h.first_weights[0]).max()
    measured = (f"Measured: the weights moved by up to {moved:.4f}, the 8 units differ by "
                f"{unit_spread(h.first_weights)[-1]} after 1000 steps, accuracy "
                f"{h.accuracy[-1]:.3f}.")
    if choice == "a":
        _wrong("equal is the problem, not large. With every weight 0.1 each hidden unit still "
               "computes the same function and gets the same gradient, so no step can tell them "
               f"apart. {measured}")
    if choice == "c":
        _wrong("all zeros stop a tanh network because tanh(0) = 0 and the zero output weights "
               "send back no gradient. With 0.1 the hidden outputs and the output weights are not "
               f"zero, so the weights move, but together. {measured}")
    return Feedback("constant_symmetry", "correct",
                    f"(b): any constant is as symmetric as 0.5 or 0. {measured}")


def _line_ratio(w):
    """Second singular value over the first: 0 when all the units' weight vectors lie on one line."""
    sv = np.linalg.svd(w, compute_uv=False)
    return float(sv[1] / sv[0])


def _grade_zero_first_layer(answer):
    choice = _letter(answer, "zero_first_prediction", "abc")
    X, labels = data.moons()
    net = MLP([2, 8, 2], "tanh", init="zeros", output_init="xavier_normal", rng=0)
    h = fit(net, X, labels, steps=1000, lr=0.5, record_weights=True)
    one = MLP([2, 1, 2], "tanh", rng=0)
    one_acc = fit(one, X, labels, steps=1000, lr=0.5).accuracy[-1]
    rand = MLP([2, 8, 2], "tanh", rng=0)
    rand_h = fit(rand, X, labels, steps=1000, lr=0.5, record_weights=True)
    measured = (
        "Measured (how far the eight 2-D weight vectors are from one line, 0 = on a line: the "
        f"ratio of W's two singular values): {_line_ratio(h.first_weights[1]):.1e} after one "
        f"step, {_line_ratio(h.first_weights[-1]):.3f} after 1000 (random weights: "
        f"{_line_ratio(rand_h.first_weights[-1]):.3f}). Accuracy {h.accuracy[-1]:.3f}, the same "
        f"as a single unit ({one_acc:.3f}); random weights reach {rand_h.accuracy[-1]:.3f}.")
    why = ("Unit j's first gradient is X^T d times (V[j, 0] - V[j, 1]), with V the output weights "
           "and d the output error of class 0: with two classes the error columns sum to zero. "
           "So every unit moves along the same direction X^T d, each by its own amount; later "
           "steps differ only through tanh'(z_j), and the directions spread slowly.")
    if choice == "a":
        _wrong("the incoming weights are equal, but the outgoing weights differ, so each unit's "
               f"gradient has a different size and they differ after one step. {why} {measured}")
    if choice == "c":
        _wrong("with all zeros nothing moves because the output weights are zero too. Here they "
               f"are random, so the hidden weights get a gradient at once. {why} {measured}")
    return Feedback("zero_first_layer", "correct",
                    f"(b). {why} Breaking the symmetry fully takes random incoming weights. "
                    f"{measured}")


def _grade_units_identical(answer):
    _need_function(answer, "units_identical", "units_identical(W)")
    rng = np.random.default_rng(0)
    rows_equal = np.tile(np.arange(5.0), (3, 1))            # every row the same, columns differ
    cols_equal = np.tile(np.arange(3.0)[:, None], (1, 5))   # every column the same
    nearly = np.full((4, 6), 0.5)
    nearly[2, 3] += 1e-12
    cases = [
        ("all 0.5, shape (2, 8)", np.full((2, 8), 0.5), True),
        ("random, shape (4, 6)", rng.standard_normal((4, 6)), False),
        ("columns equal, rows differ", cols_equal, True),
        ("rows equal, columns differ", rows_equal, False),
        ("one weight 1e-12 off", nearly, False),
        ("a single unit, shape (5, 1)", rng.standard_normal((5, 1)), True),
        ("zeros, shape (64, 128)", np.zeros((64, 128)), True),
    ]
    got = []
    for label, w, _ in cases:
        result, _ = _call(answer, "units_identical(W)", w.copy())
        if result is None:
            _not_done("units_identical returned None: fill in its body and return True or False.")
        if not isinstance(result, (bool, np.bool_)):
            _wrong(f"units_identical should return one True or False for the whole matrix; "
                   f"for {label} it returned {_short(result)}. (W == W[:, :1]) is an array: "
                   "reduce it with .all().")
        got.append(bool(result))
    if got == [expected for _, _, expected in cases]:
        return Feedback("units_identical", "correct",
                        f"right on all {len(cases)} matrices, including a single unit and a "
                        "difference of 1e-12.")
    if got == [bool(np.all(w == w[:1, :])) for _, w, _ in cases]:
        _wrong("you compared rows. A unit's incoming weights are a column of W: W has shape "
               "(n_in, n_out), column j feeds unit j.")
    if got == [bool(np.allclose(w, w[:, :1])) for _, w, _ in cases]:
        _wrong("you used a tolerance (np.allclose?), so units 1e-12 apart count as identical. "
               "Symmetry is exact equality: any difference, however small, gets a different "
               "gradient (section 4 amplified 1e-8 a few thousand-fold).")
    wrong = [label for (label, _, expected), g in zip(cases, got, strict=True) if g != expected]
    _wrong(f"wrong answer for: {', '.join(wrong)}. Units are identical when every column "
           "of W equals the first one.")


# --- 02 · scale -----------------------------------------------------------------------


def _reference_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _grade_stable_sigmoid(answer):
    _need_function(answer, "stable_sigmoid", "stable_sigmoid(z)")
    label = "stable_sigmoid(z)"

    def run(z):
        out, warned = _call(answer, label, z.copy())
        if out is None:
            _not_done("stable_sigmoid returned None: fill in its body and return the sigmoid of z.")
        if np.asarray(out).dtype == np.float32:
            _wrong("stable_sigmoid returned float32 (about 7 significant digits); compute in "
                   "float64, the dtype of z.")
        out = _floats(out, f"stable_sigmoid returned {_short(out)}; return an array shaped like z.")
        if out.shape != z.shape:
            _wrong(f"for z of shape {z.shape} stable_sigmoid returned shape {out.shape}.")
        return out, warned

    points = np.array([-40.0, -2.0, 0.0, 2.0, 40.0])
    got, _ = run(points)
    want = _reference_sigmoid(points)
    off = np.flatnonzero(~(np.abs(got - want) <= 1e-9 * want))
    if off.size and not (got[off] == 0.0).all():
        i = int(off[np.argmin(np.abs(points[off]))])
        swapped = points[i] != 0 and _close(got[i], 1 - want[i], 1e-6)
        swap = " Check which formula goes with which sign of z." if swapped else ""
        _wrong(f"at z = {points[i]:g} you return {float(got[i])!r}; the sigmoid is "
               f"{want[i]:.10g}.{swap}")
    _, warn_neg = run(np.array([-1000.0]))
    _, warn_pos = run(np.array([1000.0]))
    if warn_neg and warn_pos:
        _wrong("you get a warning at z = -1000 and at z = 1000. np.where(cond, a, b) computes "
               "both a and b for every z before choosing, so each branch's exp still overflows "
               "somewhere. Use exp(-|z|), which is at most 1, in both branches.")
    if warn_neg:
        _wrong(f"at z = -1000 NumPy warns ({warn_neg[0]}): exp(-z) = exp(1000) overflows for "
               "z < -709.78. Use exp(-|z|) and pick the formula by the sign of z.")
    if warn_pos:
        _wrong(f"at z = 1000 NumPy warns ({warn_pos[0]}): exp(z) overflows for z > 709.78, so "
               "exp(z) / (1 + exp(z)) is only safe for z <= 0.")
    z = np.concatenate([[-1e5], np.linspace(-800.0, 800.0, 3201), [-745.2, -40.0, 40.0, 1e5]])
    out, warned = run(z)
    if warned:
        _wrong(f"NumPy warns for some z between -1e5 and 1e5: {warned[0]}.")
    bad = ~np.isfinite(out)
    if bad.any():
        _wrong(f"stable_sigmoid returns {out[bad][0]} at z = {z[bad][0]:g}.")
    if out.min() < 0.0 or out.max() > 1.0:
        i = int(np.argmax((out < 0) | (out > 1)))
        _wrong(f"a sigmoid lies in [0, 1]; at z = {z[i]:g} you return {float(out[i])!r}.")
    ref = _reference_sigmoid(z)
    normal_range = ref >= np.finfo(np.float64).tiny      # the true value is a normal float
    lost = normal_range & (out == 0.0)
    if lost.any():
        idx = np.flatnonzero(lost)
        i = int(idx[np.argmax(z[idx])])                   # the lost value closest to z = 0
        _wrong(f"at z = {z[i]:g} you return 0.0; the sigmoid is {ref[i]:.3g}. Something "
               "cancels: 1 - sigmoid(-z) and 0.5 * (1 + tanh(z / 2)) round to 0 long before "
               "the true value does. Small values matter: they are the vanishing gradients "
               "of notebook 02.")
    if out[0] > 0.0:                                      # z = -1e5: the sigmoid is below every float
        _wrong(f"at z = -1e5 you return {out[0]:.3g}; the sigmoid is 0 there (below the smallest "
               "float). Did you clip z? Clipping avoids the overflow but changes the values.")
    err = np.abs(out - ref) / np.where(normal_range, ref, 1.0)
    bad = np.flatnonzero(err > 1e-10)
    if bad.size:
        i = int(bad[np.argmin(np.abs(z[bad]))])
        _wrong(f"at z = {z[i]:g} you return {out[i]:.6g}; the sigmoid is {ref[i]:.6g} "
               f"(relative error {err[i]:.1e}).")
    silenced = ""
    try:
        if "errstate" in inspect.getsource(answer):
            silenced = (" You silenced the overflow with np.errstate: that is exact, since "
                        "1 / (1 + inf) = 0, and it is what ic.sigmoid does. The exp(-|z|) form "
                        "never overflows in the first place.")
    except (OSError, TypeError):
        pass
    return Feedback("stable_sigmoid", "correct",
                    "no warnings from z = -1e5 to 1e5, within 1e-10 of the sigmoid (relative) "
                    "wherever it is a normal float (z > -708.4), and 0 where it is below every "
                    f"float.{silenced}")


def _grade_predict_std(answer):
    guess = _number(answer, "prediction", "a number (the std you predict)", std=True)
    n, std, depth = 512, 0.05, 10
    per_layer = std * math.sqrt(n)
    formula = per_layer**depth
    run = propagate(functools.partial(normal, std=std), "linear", depth=depth, width=n,
                    batch=1000, rng=0, n_samples=0)
    measured = (f"The formula gives (0.05 * sqrt(512))^10 = {per_layer:.4f}^10 = {formula:.4g}; "
                f"one network measured with ic.propagate: {run.layers[-1].std:.4g}.")
    if _close(guess, formula, 0.1):
        return Feedback("predict_std", "correct", measured)
    candidates = [
        ("you multiplied the weight stds, std^10, without the sqrt(n): each output is a sum of "
         "n = 512 terms, so each layer multiplies the std by std * sqrt(n).", std**depth),
        ("you used n where sqrt(n) belongs: variances add over the n terms, so the std grows by "
         "sqrt(n), not n.", (std * n) ** depth),
        ("that is one layer's factor; ten layers multiply ten such factors.", per_layer),
        ("that is the variance, (std^2 * n)^10; the std is its square root.", formula**2),
        ("you added the layers' factors; each layer multiplies the std.", per_layer * depth),
    ]
    hit = _match(candidates, [guess], 0.1)
    _wrong(hit or f"your prediction {guess:.4g} is {guess / formula:.3g} times the formula's "
           "value. Work out what one layer does to the std, then ten.")


# --- 03 · Xavier ----------------------------------------------------------------------

_XU_CASES = [((300, 100), 1.0), ((100, 300), 5.0 / 3.0), ((256, 256), 5.0 / 3.0), ((400, 150), 1.0),
             ((120, 500), 0.5)]


def _grade_xavier_uniform(answer):
    label = "my_xavier_uniform"
    _need_function(answer, label, "my_xavier_uniform(shape, *, gain=1.0, rng=None)")
    _check_rng(answer, label, (50, 40), lambda f, shape, rng: f(shape, gain=5 / 3, rng=rng))
    limits = []
    for i, (shape, gain) in enumerate(_XU_CASES):
        w = _array(_call(answer, label, shape, gain=gain, rng=np.random.default_rng(i))[0],
                   label, shape)
        top, std = float(np.abs(w).max()), float(w.std())
        if w.min() >= 0:
            _wrong("all your weights are >= 0: you drew from U(0, limit). Xavier draws from "
                   "U(-limit, limit), centred on 0.")
        if top > 2.5 * std:
            _wrong(f"your weights look normal, not uniform (largest |w| is {top / std:.1f} stds; "
                   "a uniform stops at sqrt(3) = 1.73 stds). Use rng.uniform(-limit, limit, shape).")
        kurt = float(np.mean((w - w.mean()) ** 4) / std**4 - 3.0)
        # 5 standard errors: a sample std within 5 / sqrt(2 n) (relative) of top / sqrt(3)
        # (a uniform's std is 0.745 of a normal's, so this is generous), and an excess kurtosis
        # within 5 sqrt(24 / n) of a uniform's -1.2.
        if not _close(std, top / math.sqrt(3), 5 / math.sqrt(2 * w.size)) or \
                abs(kurt + 1.2) > 5 * math.sqrt(24 / w.size):
            _wrong(f"for shape {shape} your weights reach {top:.4f} but their std is {std:.4f} "
                   f"and their excess kurtosis {kurt:.2f}; U(-a, a) has std a / sqrt(3) = "
                   f"{top / math.sqrt(3):.4f} and kurtosis -1.2. Draw from rng.uniform(-limit, "
                   "limit, shape), nothing else.")
        limits.append(top)
    def pred(f):
        return [f(s[0], s[1], g) for s, g in _XU_CASES]
    right = pred(lambda a, b, g: g * math.sqrt(6 / (a + b)))
    if all(_close(o, p, 0.01) for o, p in zip(limits, right, strict=True)):
        return Feedback("xavier_uniform", "correct",
                        f"on {len(_XU_CASES)} shapes and gains your largest |w| sits just under "
                        "gain * sqrt(6 / (fan_in + fan_out)), and the same rng gives the same "
                        "weights.")
    candidates = [
        ("this is the std, gain * sqrt(2 / (fan_in + fan_out)); the uniform limit is sqrt(3) "
         "times larger, because U(-a, a) has std a / sqrt(3).",
         pred(lambda a, b, g: g * math.sqrt(2 / (a + b)))),
        ("your limit uses n_in only; Xavier averages fan_in and fan_out: "
         "sqrt(6 / (fan_in + fan_out)).", pred(lambda a, b, g: g * math.sqrt(6 / a))),
        ("your limit uses n_in only (that is LeCun uniform, sqrt(3 / fan_in)); Xavier averages "
         "fan_in and fan_out.", pred(lambda a, b, g: g * math.sqrt(3 / a))),
        ("your limit uses n_out only; Xavier averages fan_in and fan_out.",
         pred(lambda a, b, g: g * math.sqrt(6 / b))),
        ("your limit uses n_out only; Xavier averages fan_in and fan_out.",
         pred(lambda a, b, g: g * math.sqrt(3 / b))),
        ("you divided 6 by the average fan: 6 / ((fan_in + fan_out) / 2) counts the 2 twice. "
         "The limit is sqrt(6 / (fan_in + fan_out)).", pred(lambda a, b, g: g * math.sqrt(12 / (a + b)))),
        ("your weights ignore gain: the limit is gain * sqrt(6 / (fan_in + fan_out)).",
         pred(lambda a, b, g: math.sqrt(6 / (a + b)))),
        ("the gain is inside your square root; it multiplies the limit (scale = gain**2 is "
         "what goes inside).", pred(lambda a, b, g: math.sqrt(g * 6 / (a + b)))),
        ("you multiplied by gain**2; the limit is gain * sqrt(6 / (fan_in + fan_out)) "
         "(gain**2 is the variance's factor).", pred(lambda a, b, g: g * g * math.sqrt(6 / (a + b)))),
    ]
    hit = _match(candidates, limits, 0.01)
    (shape, gain), top, ref = next(c for c in zip(_XU_CASES, limits, right, strict=True)
                                   if not _close(c[1], c[2], 0.01))
    _wrong(hit or f"for shape {shape} and gain {gain:g} your largest |w| is {top:.4f}; "
           f"the limit is {ref:.4f}.")


def _grade_tanh_scale(answer):
    std = _number(answer, "weight_std", "a positive number (the std of the weights)", std=True)
    if std > 1e3:
        _wrong(f"weight_std = {std:g} is far beyond anything useful; try values around 0.1.")
    run = propagate(functools.partial(normal, std=std), "tanh", depth=20, width=256, batch=500,
                    rng=0, n_samples=0)
    last = run.layers[-1]
    seen = (f"With std {std:.4g} (gain {std * 16:.3g}) the layer-20 std is {last.std:.3f} and "
            f"{last.saturated:.1%} of its units are saturated (|a| > 0.97).")
    if 0.5 <= last.std <= 1.0 and last.saturated <= 0.10:
        return Feedback("tanh_scale", "correct",
                        f"{seen} PyTorch's tanh gain 5/3 means std (5/3) / 16 = 0.1042.")
    if _close(std, 5 / 3, 0.01):
        _wrong(f"5/3 is the gain, not the std: std = gain / sqrt(fan_in) = (5/3) / 16. {seen}")
    if last.std < 0.5:
        extra = (" 1/16 = 0.0625 is Xavier's std: it treats tanh as linear, but tanh's slope is "
                 "below 1 away from 0, so every layer shrinks the signal a little."
                 if _close(std, 1 / 16, 0.02) else " Increase it.")
        _wrong(f"{seen}{extra}")
    _wrong(f"{seen} The std is in range only because the units are stuck near ±1: saturated "
           "units pass almost no gradient. Decrease it.")


# --- 04 · He --------------------------------------------------------------------------

_HE_CASES = [((400, 100), "fan_in"), ((400, 100), "fan_out"), ((100, 400), "fan_in"),
             ((100, 400), "fan_out"), ((250, 250), "fan_in")]


def _grade_he_normal(answer):
    label = "my_he_normal"
    _need_function(answer, label, 'my_he_normal(shape, *, mode="fan_in", rng=None)')
    _check_rng(answer, label, (50, 40), lambda f, shape, rng: f(shape, mode="fan_in", rng=rng))
    stds, tolerance = [], 0.0
    for i, (shape, mode) in enumerate(_HE_CASES):
        w = _array(_call(answer, label, shape, mode=mode, rng=np.random.default_rng(i))[0],
                   label, shape)
        n, s = w.size, float(w.std())
        if abs(float(w.mean())) > 5 * s / math.sqrt(n):
            _wrong(f"your weights have mean {w.mean():.4g}; He normal is centred on 0.")
        kurt = float(np.mean((w - w.mean()) ** 4) / s**4 - 3.0)
        if abs(kurt) > 5 * math.sqrt(24 / n):
            kind = "uniform" if abs(kurt + 1.2) < 0.2 else "not normal"
            _wrong(f"your weights look {kind} (excess kurtosis {kurt:.2f}; a normal has 0). "
                   "He normal draws from rng.normal(0, std, shape).")
        stds.append(s)
        tolerance = max(tolerance, 5 / math.sqrt(2 * n))   # 5 standard errors of a sample std
    def pred(f):
        return [f(s[0], s[1], m) for s, m in _HE_CASES]
    def fan(a, b, m):
        return a if m == "fan_in" else b
    right = pred(lambda a, b, m: math.sqrt(2 / fan(a, b, m)))
    if all(_close(o, p, tolerance) for o, p in zip(stds, right, strict=True)):
        return Feedback("he_normal", "correct",
                        f"on {len(_HE_CASES)} shapes and both modes your std matches "
                        "sqrt(2 / fan) to within 5 standard errors, the weights look normal and "
                        "the same rng gives the same weights.")
    candidates = [
        ("your std ignores mode: it always uses n_in. mode=\"fan_out\" means n = n_out, the "
         "number of units the layer feeds (it keeps the backward gradient's variance).",
         pred(lambda a, b, m: math.sqrt(2 / a))),
        ("your fans are swapped: with shape (n_in, n_out), fan_in = shape[0] and fan_out = "
         "shape[1]. (PyTorch stores (out, in), the other way round.)",
         pred(lambda a, b, m: math.sqrt(2 / fan(b, a, m)))),
        ("your variance is 1 / fan (LeCun's). A ReLU zeroes half of its input and halves "
         "E[z^2]; He doubles the variance to 2 / fan to make up for it.",
         pred(lambda a, b, m: math.sqrt(1 / fan(a, b, m)))),
        ("you used 2 / fan as the std; it is the variance. std = sqrt(2 / fan).",
         pred(lambda a, b, m: 2 / fan(a, b, m))),
        ("you averaged the fans (that is Xavier's idea); He uses one fan, chosen by mode.",
         pred(lambda a, b, m: math.sqrt(4 / (a + b)))),
    ]
    hit = _match(candidates, stds, tolerance)
    (shape, mode), got, ref = next(c for c in zip(_HE_CASES, stds, right, strict=True)
                                   if not _close(c[1], c[2], tolerance))
    _wrong(hit or f"for shape {shape} and mode {mode!r} your std is {got:.4f}; He gives "
           f"sqrt(2 / {fan(*shape, mode)}) = {ref:.4f}.")


_FANS_CASES = [(256, 128), (3, 3, 64, 128), (5, 5, 3, 32), (7, 16, 32), (1, 1, 64, 128),
               (3, 3, 3, 8, 16)]


def _grade_conv_fans(answer):
    _need_function(answer, "my_fans", "my_fans(shape)")
    got = []
    for shape in _FANS_CASES:
        result, _ = _call(answer, f"my_fans({shape})", shape)
        if result is None:
            _not_done("my_fans returned None: return the pair (fan_in, fan_out).")
        try:
            pair = [float(v) for v in result]
        except (TypeError, ValueError):
            _wrong(f"my_fans({shape}) returned {_short(result)}; return two numbers, "
                   "(fan_in, fan_out).")
        if len(pair) != 2:
            _wrong(f"my_fans({shape}) returned {len(pair)} values; return two, (fan_in, fan_out).")
        got.append(tuple(pair))
    right = [fans(s) for s in _FANS_CASES]
    if got == [tuple(map(float, r)) for r in right]:
        return Feedback("conv_fans", "correct",
                        f"right on {len(_FANS_CASES)} shapes, from a dense (256, 128) to a 3-D "
                        "kernel (3, 3, 3, 8, 16).")
    shape, g, r = next(c for c in zip(_FANS_CASES, got, right, strict=True) if c[1] != c[2])
    rf = math.prod(shape[:-2])
    candidates = {
        (shape[-2], shape[-1]): "you left out the receptive field: each output of a conv sums "
                                f"over a {' x '.join(map(str, shape[:-2]))} window of every "
                                "input channel, so fan_in = (window size) * c_in.",
        (shape[0], shape[1]): "you read the first two dims; in the course's layout "
                              "(kh, kw, c_in, c_out) the channels are the last two.",
        (rf * shape[-2], shape[-1]): "your fan_out forgets the receptive field: each input "
                                     "feeds a window's worth of outputs in every output channel, "
                                     "so fan_out = (window size) * c_out.",
        (shape[1] * math.prod(shape[2:]), shape[0] * math.prod(shape[2:])):
            "you used PyTorch's layout (c_out, c_in, kh, kw); the course's is "
            "(kh, kw, c_in, c_out), channels last.",
        (r[1], r[0]): "your fans are swapped: fan_in counts the inputs (n_in or c_in, second to "
                      "last), fan_out the outputs (last). PyTorch's (out, in) layout is the "
                      "other way round.",
    }
    g = tuple(int(v) for v in g) if all(v.is_integer() for v in g) else g
    _wrong(f"for shape {shape} you return {g}. " + candidates.get(g, f"Expected {r}."))


def _grade_xavier_relu(answer):
    guess = _number(answer, "ratio", "a number (E[z^2] at layer 20 divided by E[z^2] at layer 1)")
    formula = 0.5**19
    run = propagate("xavier_normal", "relu", depth=20, width=256, batch=1000, rng=0, n_samples=0)
    measured_ratio = run.layers[-1].z2 / run.layers[0].z2
    measured = (f"The derivation gives (1/2)^19 = {formula:.4g}: 19 layers, each halving E[z^2]; "
                f"one network measured with ic.propagate: {measured_ratio:.4g}.")
    if _close(guess, formula, 0.25):
        return Feedback("xavier_relu", "correct", measured)
    candidates = [
        ("off by one: from layer 1 to layer 20 there are 19 layers, not 20.", 0.5**20),
        ("that is one layer; the factor compounds over 19.", 0.5),
        ("that is the ratio of the stds, (1/sqrt(2))^19; E[z^2] is the std squared, so its ratio "
         "is the square of that.", 0.5**9.5),
        ("that is (1/sqrt(2))^20, a ratio of stds over 20 layers; E[z^2] halves, 19 times.",
         0.5**10),
        ("E[z^2] falls under Xavier + ReLU; you gave the growth factor.", 2.0**19),
    ]
    hit = _match(candidates, [guess], 0.25)
    _wrong(hit or f"your ratio {guess:.4g} is {guess / formula:.3g} times the derivation's. "
           "What does one ReLU layer do to E[z^2] when Var(W) = 1 / n?")


# --- 05 · the guide -------------------------------------------------------------------


def _gelu(z):
    """GELU, in the tanh form of Hendrycks & Gimpel (the one GPT-2 uses)."""
    return 0.5 * z * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)))


def _gelu_z2_ratio(scale, depth=20, width=256, batch=500, seed=0):
    """E[z^2] at the last layer over the first, for a GELU net with Var(W) = scale / width."""
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((batch, width))
    z2 = []
    for _ in range(depth):
        z = h @ rng.normal(0.0, math.sqrt(scale / width), (width, width))
        z2.append(float(np.mean(z**2)))
        h = _gelu(z)
    return z2[-1] / z2[0]


def _grade_gelu_init(answer):
    choice = _letter(answer, "gelu_choice", "abcd")
    rec = recommend("gelu")
    he, xavier = _gelu_z2_ratio(2.0), _gelu_z2_ratio(1.0)
    evidence = (f"Measured in a 20-layer, 256-wide GELU net: E[z^2] at layer 20 is {he:.3g} of "
                f"layer 1's under He and {xavier:.3g} under Xavier (= LeCun for square layers).")
    texts = {
        "a": "smoothness is not what sets the scale; what matters is how much of E[z^2] the "
             "activation keeps. For large |z| GELU is ReLU (z or 0), and near 0 it keeps even "
             f"less, so Xavier's variance shrinks the signal at every layer. {evidence}",
        "c": "LeCun's 1/fan_in suits SELU, whose constants were chosen to keep mean 0 and "
             "variance 1 under exactly that scale. GELU has no such fixed point; like ReLU it "
             f"throws away half of E[z^2] or more. {evidence}",
        "d": "N(0, 0.01^2) ignores the layer size: with 256 inputs it is far below sqrt(2/256) "
             "and the signal collapses (notebook 02). Near 0 GELU is close to z/2, not z, so it "
             "shrinks small signals further.",
    }
    if choice in texts:
        _wrong(texts[choice])
    return Feedback("gelu_init", "correct",
                    f"(b) {rec.method}, {rec.formula}: GELU is ReLU for large |z| and keeps a "
                    "little less than half of E[z^2] nearer 0, so it needs at least ReLU's factor "
                    f"2. He does not hold E[z^2] exactly, but it is far closer. {evidence}")


def _first_losses():
    """First loss on the digits of notebook 06's network (He hidden layers) per output init."""
    x_train, y_train, _, _ = data.digits()
    losses = {}
    for name, init in (("xavier_normal", "xavier_normal"), ("lecun_normal", "lecun_normal"),
                       ("he_normal", "he_normal"),
                       ("normal(std=1)", functools.partial(normal, std=1.0))):
        net = MLP([64, 128, 64, 10], "relu", init="he_normal", output_init=init, rng=0)
        losses[name] = softmax_cross_entropy(net.forward(x_train), y_train)[0]
    return losses


def _grade_softmax_output(answer):
    choice = _letter(answer, "output_choice", "abc")
    losses = _first_losses()
    measured = ("Measured, first loss on the digits with notebook 06's network (He hidden layers) "
                "by output init: " + ", ".join(f"{k} {v:.3f}" for k, v in losses.items())
                + f"; chance is ln 10 = {math.log(10):.3f}.")
    texts = {
        "a": "confident and wrong: large logits put almost all the softmax's mass on one class "
             f"at random, and the loss of the wrong ones is huge. {measured}",
        "c": "nothing requires the logits to have the scale of the hidden pre-activations; the "
             "loss only needs them to start small, so the first softmax is close to uniform. (He "
             "on this 64 -> 10 layer happens to be close to Xavier: 2/64 against 2/74, so it "
             f"works, but not for this reason.) {measured}",
    }
    if choice in texts:
        _wrong(texts[choice])
    return Feedback("softmax_output", "correct",
                    "(b): the logits are a linear layer, so gain 1 "
                    f"({recommend('softmax').formula}, the guide's and MLP's default "
                    "output_init) or smaller keeps the first predictions close "
                    f"to uniform. {measured}")


def _grade_pytorch_std(answer):
    guess = _number(answer, "std", "a number (the std of He normal for this weight)", std=True)
    right = math.sqrt(2 / 784)
    if _close(guess, right, 0.02):
        return Feedback("pytorch_std", "correct",
                        f"sqrt(2 / 784) = {right:.4f}: fan_in is in_features = 784, which "
                        "PyTorch keeps in dim 1 of its (out, in) weight.")
    candidates = [
        ("you took fan_in from dim 0. PyTorch stores nn.Linear's weight as (out_features, "
         "in_features) = (256, 784), so fan_in is 784, in dim 1.", math.sqrt(2 / 256)),
        ("that is the variance, 2 / 784; the std is its square root.", 2 / 784),
        ("that is LeCun's std, sqrt(1 / 784); He has a 2 for the ReLU.", math.sqrt(1 / 784)),
        ("that is Xavier's std, sqrt(2 / (784 + 256)); He uses fan_in alone.",
         math.sqrt(2 / 1040)),
        ("that is nn.Linear's default, U(-1/sqrt(784), 1/sqrt(784)), whose std is "
         "1/sqrt(3 * 784); He's variance is 6 times larger.", 1 / math.sqrt(3 * 784)),
        ("that is the default's uniform limit 1/sqrt(784), not He's std.", 1 / math.sqrt(784)),
        ("that is He uniform's limit, sqrt(6 / 784); the std is sqrt(3) times smaller.",
         math.sqrt(6 / 784)),
    ]
    near = [(abs(guess - v) / v, m) for m, v in candidates if _close(guess, v, 0.02)]
    hit = min(near)[1] if near else None
    _wrong(hit or f"{guess:.4g} is not it. Find fan_in first: which dim of a PyTorch weight "
           "holds in_features?")


# --- 06 · training --------------------------------------------------------------------


def _grade_initial_loss(answer):
    guess = _number(answer, "first_loss", "a number (the loss at step 0)")
    right = math.log(100)
    if _close(guess, right, 0.005):
        return Feedback("initial_loss", "correct",
                        f"ln 100 = {right:.4f}: all-zero logits give every class p = 1/100, "
                        "and the loss is -ln p. (For the 10 digits it is ln 10 = "
                        f"{math.log(10):.4f}, the table's first row.)")
    candidates = [
        ("that is ln 10, the chance loss for 10 classes; here there are 100.", math.log(10)),
        ("that is p = 1/100, each class's probability; the loss is -ln p.", 0.01),
        ("that is log10(100); cross-entropy uses the natural log.", 2.0),
        ("the loss is not 0: zero weights give zero logits, and the softmax of equal logits is "
         "uniform, p = 1/100 per class.", 0.0),
        ("that is the number of classes; the loss is -ln(1/100).", 100.0),
    ]
    hit = next((m for m, v in candidates if abs(guess - v) <= 0.005 * max(abs(v), 1e-9)), None)
    _wrong(hit or f"{guess:.4g} is not it. What probability does a softmax give each of 100 "
           "classes when all logits are 0?")


def _grade_diagnose(answer):
    choice = _letter(answer, "culprit", "abcd")
    texts = {
        "a": "with all zeros the loss never leaves ln 10 (the table's zeros row still shows "
             "2.3025 over the last 50 steps): no gradient reaches the hidden layers, so there "
             "is nothing to wait 200 steps for.",
        "c": "N(0, 1) does not start at chance: its first logits are huge and its first loss is "
             "in the hundreds (the table's normal(std=1.0) row).",
        "d": "He learns from the first steps (its curve falls at once); its first loss is a "
             "little above chance, not a long plateau.",
    }
    if choice in texts:
        _wrong(texts[choice])
    return Feedback("diagnose", "correct",
                    "(b) N(0, 0.01^2): the signal collapses, so the logits are all near 0 "
                    "(loss ln 10) and the gradients are tiny; it takes a couple of hundred steps "
                    "for the weights to grow enough to learn. A plateau at exactly chance, then "
                    "learning, is the signature of too-small weights.")


DEEP_SIZES = [64] + [64] * 20 + [10]
DEEP_STEPS, DEEP_TARGET = 300, 0.6


def _grade_deep_relu_init(answer):
    if answer is None or answer is Ellipsis:
        _not_done("set my_init to an initializer name or a function fn(shape, *, rng), run the "
                  "cell, then run this check.")
    if isinstance(answer, str):
        if answer not in INITIALIZERS:
            _wrong(f"{answer!r} is not an initializer name; use one of "
                   f"{', '.join(map(repr, INITIALIZERS))} or a function fn(shape, *, rng).")
        init = answer
    elif callable(answer):
        def init(shape, *, rng=None):
            label = f"my_init({shape}, rng=...)"
            return _array(_call(answer, label, shape, rng=rng)[0], label, shape)
    else:
        _wrong(f"my_init should be an initializer name or a function; got {_short(answer)}.")
    x_train, y_train, x_test, y_test = data.digits()
    net = MLP(DEEP_SIZES, "relu", init=init, rng=0)
    with np.errstate(all="ignore"):
        h = fit(net, x_train, y_train, steps=DEEP_STEPS, lr=0.05, batch_size=128, rng=1)
        test = accuracy(net, x_test, y_test) if h.diverged_at is None else 0.1
    chance = math.log(10)
    if h.diverged_at is not None:
        _wrong(f"training diverged at step {h.diverged_at}: the loss stopped being a finite "
               "number. Your weights are far too large; the signal grows at every layer.")
    if test >= DEEP_TARGET:
        return Feedback("deep_relu_init", "correct",
                        f"test accuracy {test:.3f} after {DEEP_STEPS} steps (first loss "
                        f"{h.loss[0]:.3f}, last {h.loss[-1]:.3f}).")
    run = propagate(init, "relu", depth=20, width=64, batch=500, rng=0, n_samples=0)
    if not run.layers[0].z2 > 0:
        _wrong(f"test accuracy {test:.3f}: your first layer's outputs are all 0 (zero weights?). "
               "Every unit is the same and, under ReLU, gets no gradient at all (notebook 01).")
    ratio = run.layers[-1].z2 / run.layers[0].z2
    result = (f"Test accuracy {test:.3f} after {DEEP_STEPS} steps (the target is {DEEP_TARGET}); "
              f"the loss went from {h.loss[0]:.3f} (chance: ln 10 = {chance:.3f}) to "
              f"{h.loss[100]:.3f} at step 100 and {h.loss[-1]:.3f} at the end.")
    if ratio > 10:
        _wrong(f"{result} ic.propagate shows why: E[z^2] grows {ratio:.3g}-fold from layer 1 to "
               "layer 20, so the first logits are large and the first steps are wild.")
    if ratio < 0.1:
        _wrong(f"{result} ic.propagate shows why: E[z^2] at layer 20 is {ratio:.3g} of layer "
               "1's. The signal fades through 20 layers, and so do the gradients that reach the "
               "first layers.")
    _wrong(f"{result} (ic.propagate: E[z^2] changes by {ratio:.3g}x from layer 1 to layer 20.)")


# --- The exercises --------------------------------------------------------------------

_LIST = [
    Exercise(
        "constant_symmetry", "01", "Does a constant of 0.1 break the symmetry?",
        "constant_prediction",
        _grade_constant_symmetry,
        "Section 2 used 0.5. What made the units identical there: the size of the weights, or "
        "that they were all equal?",
        'constant_prediction = "b"   # the units move, but stay identical\n',
        "Every hidden unit starts with the same incoming and outgoing weights, so it computes "
        "the same output and receives the same gradient at every step, whatever the constant.",
    ),
    Exercise(
        "zero_first_layer", "01", "Zero only the first layer", "zero_first_prediction",
        _grade_zero_first_layer,
        "Write the gradient of hidden unit j's incoming weights: x times (the output error "
        "times row j of the output weights) times tanh'(z_j). Which factors differ between "
        "units at the first step? With two classes, what do the two columns of the output "
        "error add up to?",
        'zero_first_prediction = "b"   # different sizes, one direction at first\n',
        "Units are interchangeable only if both their incoming and outgoing weights are equal. "
        "Random output weights give each unit an error signal of its own size; with two "
        "classes it has the same direction for every unit.",
    ),
    Exercise(
        "units_identical", "01", "A symmetry detector", "units_identical",
        _grade_units_identical,
        "Unit j's incoming weights are W[:, j]. Compare every column with the first one, "
        "exactly, and reduce to one bool.",
        "def units_identical(W):\n"
        "    W = np.asarray(W)\n"
        "    return bool(np.all(W == W[:, :1]))   # every column equals column 0\n",
    ),
    Exercise(
        "stable_sigmoid", "02", "A sigmoid that never overflows", "stable_sigmoid",
        _grade_stable_sigmoid,
        "For z >= 0, 1 / (1 + exp(-z)) is safe; for z < 0, exp(z) / (1 + exp(z)) is. Both can "
        "be written with e = exp(-|z|), which never exceeds 1.",
        "def stable_sigmoid(z):\n"
        "    z = np.asarray(z, dtype=float)\n"
        "    e = np.exp(-np.abs(z))          # <= 1: never overflows\n"
        "    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))\n",
        "Both branches of np.where are computed for every z, so both must be safe everywhere: "
        "exp(-|z|) is. For very negative z, e / (1 + e) keeps full relative precision down to "
        "the smallest float.",
    ),
    Exercise(
        "predict_std", "02", "Predict the std after 10 layers", "prediction",
        _grade_predict_std,
        "Section 4: one matrix of N(0, s^2) entries multiplies the std of a vector by "
        "s * sqrt(n). What do ten of them do?",
        "prediction = (0.05 * np.sqrt(512)) ** 10   # 1.131 per layer, ten times: 3.44\n",
    ),
    Exercise(
        "xavier_uniform", "03", "Xavier uniform with a gain", "my_xavier_uniform",
        _grade_xavier_uniform,
        "Start from section 2's my_xavier_uniform; the gain multiplies the std, and so the "
        "limit, of U(-limit, limit).",
        "def my_xavier_uniform(shape, *, gain=1.0, rng=None):\n"
        "    rng = np.random.default_rng(rng)\n"
        "    n_in, n_out = shape\n"
        "    limit = gain * np.sqrt(6.0 / (n_in + n_out))\n"
        "    return rng.uniform(-limit, limit, size=shape)\n",
    ),
    Exercise(
        "tanh_scale", "03", "A scale for 20 tanh layers", "weight_std",
        _grade_tanh_scale,
        "Start from Xavier's 1/16 = 0.0625 and try a few larger values with ic.propagate; "
        "section 4's gains are a guide (std = gain / sqrt(256)).",
        "weight_std = (5 / 3) / np.sqrt(256)   # PyTorch's tanh gain: 0.1042\n",
        "Any std from about 0.085 to 0.115 passes: below, tanh's slope shrinks the signal "
        "layer by layer; above, more and more units sit at ±1.",
    ),
    Exercise(
        "he_normal", "04", "He normal with fan modes", "my_he_normal",
        _grade_he_normal,
        'Pick n = n_in for mode "fan_in" and n = n_out for "fan_out"; the variance is 2 / n.',
        'def my_he_normal(shape, *, mode="fan_in", rng=None):\n'
        "    rng = np.random.default_rng(rng)\n"
        "    n_in, n_out = shape\n"
        '    n = n_in if mode == "fan_in" else n_out\n'
        "    return rng.normal(0.0, np.sqrt(2.0 / n), size=shape)\n",
    ),
    Exercise(
        "conv_fans", "04", "The fans of a conv kernel", "my_fans",
        _grade_conv_fans,
        "Every dim before the last two is the receptive field (the window). fan_in = window "
        "size x c_in, fan_out = window size x c_out; a dense (n_in, n_out) has a window of 1.",
        "def my_fans(shape):\n"
        "    window = int(np.prod(shape[:-2]))   # 1 for a dense (n_in, n_out) weight\n"
        "    return window * shape[-2], window * shape[-1]\n",
    ),
    Exercise(
        "xavier_relu", "04", "How much of E[z^2] is left after 20 layers?", "ratio",
        _grade_xavier_relu,
        "Section 3: under Xavier (Var(W) = 1/n for square layers) one ReLU layer multiplies "
        "E[z^2] by 1/2. How many layers lie between layer 1 and layer 20?",
        "ratio = 0.5 ** 19   # 19 halvings from layer 1 to layer 20\n",
    ),
    Exercise(
        "gelu_init", "05", "An initializer for GELU", "gelu_choice",
        _grade_gelu_init,
        "Look at GELU for large positive and large negative z: which activation does it "
        "become, and what did that activation need?",
        'gelu_choice = "b"   # He: GELU is ReLU for large |z|; it keeps at most about half of E[z^2]\n',
    ),
    Exercise(
        "softmax_output", "05", "The softmax output layer", "output_choice",
        _grade_softmax_output,
        "The loss is computed from the softmax of the logits. What should the first softmax "
        "look like, before the network has learned anything?",
        'output_choice = "b"   # small logits: a near-uniform first softmax, first loss near ln 10\n',
    ),
    Exercise(
        "pytorch_std", "05", "He normal for a PyTorch weight", "std",
        _grade_pytorch_std,
        "nn.Linear(784, 256) stores its weight as (out_features, in_features). Which of the "
        "two is fan_in?",
        "std = np.sqrt(2 / 784)   # fan_in = in_features = 784, dim 1 in PyTorch\n",
    ),
    Exercise(
        "initial_loss", "06", "The loss at step 0", "first_loss",
        _grade_initial_loss,
        "All-zero logits: what probability does the softmax give each class? The loss is "
        "-ln(probability of the true class).",
        "first_loss = np.log(100)   # -ln(1/100)\n",
    ),
    Exercise(
        "diagnose", "06", "Diagnose a loss curve", "culprit",
        _grade_diagnose,
        "Section 1's table and figure: which run starts exactly at chance and needs a few "
        "hundred steps before it learns?",
        'culprit = "b"   # N(0, 0.01^2): collapsed signal, tiny gradients, then learning\n',
    ),
    Exercise(
        "deep_relu_init", "06", "Train a 20-layer ReLU network", "my_init",
        _grade_deep_relu_init,
        "Notebook 04: under ReLU, which variance keeps E[z^2] steady from layer to layer? "
        "A name from ic.INITIALIZERS is enough, or write fn(shape, *, rng).",
        'my_init = "he_normal"   # Var(W) = 2 / fan_in keeps E[z^2] steady under ReLU\n',
    ),
]

EXERCISES = {ex.name: ex for ex in _LIST}


def _exercise(name):
    if not isinstance(name, str):
        raise TypeError(f"name must be an exercise name (a string), one of "
                        f"{', '.join(map(repr, EXERCISES))}; got name={name!r}")
    if name not in EXERCISES:
        raise ValueError(f"name must be one of {', '.join(map(repr, EXERCISES))}; got name={name!r}")
    return EXERCISES[name]


def grade(name, answer):
    """Check ``answer`` for exercise ``name`` and return the :class:`Feedback` (never raises
    for a bad answer; only an unknown ``name`` raises)."""
    return _exercise(name).grade(answer)


def hint(name):
    """Print a hint for exercise ``name``."""
    ex = _exercise(name)
    print(textwrap.fill(f"Hint [{name}]: {ex.hint}", width=100, subsequent_indent="  "))


def solution(name):
    """Print a reference solution for exercise ``name`` (try hint(name) first)."""
    ex = _exercise(name)
    print(f"A solution [{name}]:\n")
    print(ex.solution)
    if ex.why:
        print(textwrap.fill(ex.why, width=100))


def _checker(name):
    ex = EXERCISES[name]

    def check(answer):
        print(ex.grade(answer))

    check.__name__ = check.__qualname__ = f"check_{name}"
    check.__doc__ = (f"Notebook {ex.notebook}, exercise {ex.title!r}: check ``{ex.answer}`` "
                     f"and print what is right or wrong with it.")
    return check


check_constant_symmetry = _checker("constant_symmetry")
check_zero_first_layer = _checker("zero_first_layer")
check_units_identical = _checker("units_identical")
check_stable_sigmoid = _checker("stable_sigmoid")
check_predict_std = _checker("predict_std")
check_xavier_uniform = _checker("xavier_uniform")
check_tanh_scale = _checker("tanh_scale")
check_he_normal = _checker("he_normal")
check_conv_fans = _checker("conv_fans")
check_xavier_relu = _checker("xavier_relu")
check_gelu_init = _checker("gelu_init")
check_softmax_output = _checker("softmax_output")
check_pytorch_std = _checker("pytorch_std")
check_initial_loss = _checker("initial_loss")
check_diagnose = _checker("diagnose")
check_deep_relu_init = _checker("deep_relu_init")

__all__ = ["EXERCISES", "Exercise", "Feedback", "grade", "hint", "solution",
           *(f"check_{name}" for name in EXERCISES)]
