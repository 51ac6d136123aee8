"""The exercise checkers: references pass, typical mistakes get their targeted message, junk
never crashes a check, and the notebooks' starting points and solutions fit the checkers."""

import functools
import json
import math
from pathlib import Path

import numpy as np
import pytest

import initcourse as ic
from initcourse import exercises as ex

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def fb(name, answer):
    result = ex.grade(name, answer)
    assert isinstance(result, ex.Feedback)
    return result


@pytest.mark.parametrize("name", list(ex.EXERCISES))
def test_reference_solution_passes(name):
    result = fb(name, ex.EXERCISES[name].reference())
    assert result.status == "correct", str(result)


def test_every_notebook_has_two_to_four_exercises():
    per_notebook = {}
    for e in ex.EXERCISES.values():
        per_notebook.setdefault(e.notebook, []).append(e.name)
    assert sorted(per_notebook) == ["01", "02", "03", "04", "05", "06"]
    assert all(2 <= len(v) <= 4 for v in per_notebook.values()), per_notebook


# --- typical mistakes: each rejected with the message that names it ------------------------

def rows_not_columns(W):
    return bool(np.all(W == W[:1, :]))


def with_tolerance(W):
    return bool(np.allclose(W, W[:, :1]))


def array_not_bool(W):
    return W == W[:, :1]


def naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def where_sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def exp_over_sigmoid(z):
    return np.exp(z) / (1 + np.exp(z))


def tanh_sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


def clipped_sigmoid(z):
    return 1 / (1 + np.exp(-np.clip(z, -500, 500)))


def swapped_branches(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def signs_times_limit(shape, *, gain=1.0, rng=None):
    rng = np.random.default_rng(rng)
    return np.sign(rng.uniform(-1, 1, shape)) * xavier_limit(*shape, gain)


def clipped_normal(shape, *, gain=1.0, rng=None):
    rng = np.random.default_rng(rng)
    limit = xavier_limit(*shape, gain)
    return np.clip(rng.normal(0, limit / np.sqrt(3), shape), -limit, limit)


def xu(limit_fn, draw="uniform", transpose=False, rng_from=None):
    def my_xavier_uniform(shape, *, gain=1.0, rng=None):
        gen = np.random.default_rng(rng) if rng_from is None else rng_from()
        n_in, n_out = shape
        limit = limit_fn(n_in, n_out, gain)
        size = shape[::-1] if transpose else shape
        if draw == "normal":
            return gen.normal(0, limit / np.sqrt(3), size=size)
        if draw == "positive":
            return gen.uniform(0, limit, size=size)
        return gen.uniform(-limit, limit, size=size)
    return my_xavier_uniform


def xavier_limit(a, b, g):
    return g * np.sqrt(6 / (a + b))


def he(std_fn, draw="normal"):
    def my_he_normal(shape, *, mode="fan_in", rng=None):
        gen = np.random.default_rng(rng)
        n_in, n_out = shape
        std = std_fn(n_in, n_out, mode)
        if draw == "uniform":
            return gen.uniform(-std * np.sqrt(3), std * np.sqrt(3), size=shape)
        return gen.normal(0, std, size=shape)
    return my_he_normal


def pick(a, b, mode):
    return a if mode == "fan_in" else b


WRONG = [
    ("constant_symmetry", "a", "equal is the problem"),
    ("constant_symmetry", "c", "all zeros stop a tanh network"),
    ("zero_first_layer", "a", "the outgoing weights differ"),
    ("zero_first_layer", "C", "the output weights are zero too"),
    ("units_identical", rows_not_columns, "you compared rows"),
    ("units_identical", with_tolerance, "you used a tolerance"),
    ("units_identical", array_not_bool, "one True or False for the whole matrix"),
    ("stable_sigmoid", naive_sigmoid, "exp(-z) = exp(1000) overflows"),
    ("stable_sigmoid", where_sigmoid, "computes both a and b"),
    ("stable_sigmoid", exp_over_sigmoid, "exp(z) overflows for z > 709.78"),
    ("stable_sigmoid", tanh_sigmoid, "you return 0.0; the sigmoid is"),
    ("stable_sigmoid", clipped_sigmoid, "Did you clip z?"),
    ("stable_sigmoid", swapped_branches, "which formula goes with which sign"),
    ("stable_sigmoid", lambda z: np.full_like(z, 0.5), "at z = -2 you return 0.5"),
    ("stable_sigmoid", lambda z: _sigmoid(z).astype(np.float32), "float32"),
    ("stable_sigmoid", lambda z: _sigmoid(z) * (1 + 1e-6), "at z = 0 you return 0.5000005;"),
    ("predict_std", 0.05**10, "without the sqrt(n)"),
    ("predict_std", (0.05 * 512) ** 10, "you used n where sqrt(n) belongs"),
    ("predict_std", 0.05 * math.sqrt(512), "that is one layer's factor"),
    ("predict_std", (0.05**2 * 512) ** 10, "that is the variance"),
    ("predict_std", -3.4, "a std is positive"),
    ("xavier_uniform", xu(lambda a, b, g: g * np.sqrt(2 / (a + b))), "this is the std"),
    ("xavier_uniform", xu(lambda a, b, g: g * np.sqrt(6 / a)), "your limit uses n_in only"),
    ("xavier_uniform", xu(lambda a, b, g: g * np.sqrt(3 / a)), "LeCun uniform"),
    ("xavier_uniform", xu(lambda a, b, g: np.sqrt(6 / (a + b))), "ignore gain"),
    ("xavier_uniform", xu(lambda a, b, g: np.sqrt(g * 6 / (a + b))), "gain is inside"),
    ("xavier_uniform", xu(lambda a, b, g: g * np.sqrt(12 / (a + b))), "counts the 2 twice"),
    ("xavier_uniform", xu(xavier_limit, draw="normal"), "look normal, not uniform"),
    ("xavier_uniform", xu(xavier_limit, draw="positive"), "U(0, limit)"),
    ("xavier_uniform", xu(xavier_limit, transpose=True), "the transpose of (n_in, n_out)"),
    ("xavier_uniform", signs_times_limit, "excess kurtosis"),
    ("xavier_uniform", clipped_normal, "excess kurtosis"),
    ("xavier_uniform", xu(lambda a, b, g: np.sqrt(6 / (a + b)) / g), "for shape (100, 300) and gain 1.66667"),
    ("xavier_uniform", xu(xavier_limit, rng_from=lambda: np.random.default_rng()),
     "with the same rng"),
    ("xavier_uniform", xu(xavier_limit, rng_from=lambda: np.random.default_rng(0)),
     "the same weights for two different rngs"),
    ("tanh_scale", 1 / 16, "Xavier's std"),
    ("tanh_scale", 5 / 3, "5/3 is the gain, not the std"),
    ("tanh_scale", 1.0, "stuck near ±1"),
    ("tanh_scale", 0.03, "Increase it"),
    ("tanh_scale", -0.1, "a std must be > 0"),
    ("he_normal", he(lambda a, b, m: np.sqrt(2 / a)), "ignores mode"),
    ("he_normal", he(lambda a, b, m: np.sqrt(2 / pick(b, a, m))), "fans are swapped"),
    ("he_normal", he(lambda a, b, m: np.sqrt(1 / pick(a, b, m))), "LeCun's"),
    ("he_normal", he(lambda a, b, m: 2 / pick(a, b, m)), "it is the variance"),
    ("he_normal", he(lambda a, b, m: np.sqrt(4 / (a + b))), "you averaged the fans"),
    ("he_normal", he(lambda a, b, m: np.sqrt(2 / pick(a, b, m)), draw="uniform"),
     "look uniform"),
    ("conv_fans", lambda s: (s[-2], s[-1]), "left out the receptive field"),
    ("conv_fans", lambda s: (s[0], s[1]), "read the first two dims"),
    ("conv_fans", lambda s: (int(np.prod(s[:-1])), s[-1]), "fan_out forgets the receptive field"),
    ("conv_fans", lambda s: (int(np.prod(s[:-2])) * s[-1], int(np.prod(s[:-2])) * s[-2]),
     "swapped"),
    ("conv_fans", lambda s: (s[1] * int(np.prod(s[2:])), s[0] * int(np.prod(s[2:]))),
     "PyTorch"),
    ("xavier_relu", 0.5**20, "off by one"),
    ("xavier_relu", 0.5, "that is one layer"),
    ("xavier_relu", 0.5**9.5, "the ratio of the stds"),
    ("xavier_relu", 0.5**10, "a ratio of stds over 20 layers"),
    ("xavier_relu", 2.0**19, "the growth factor"),
    ("gelu_init", "a", "smoothness is not what sets the scale"),
    ("gelu_init", "c", "LeCun's 1/fan_in suits SELU"),
    ("gelu_init", "d", "ignores the layer size"),
    ("softmax_output", "a", "confident and wrong"),
    ("softmax_output", "c", "nothing requires the logits"),
    ("pytorch_std", math.sqrt(2 / 256), "you took fan_in from dim 0"),
    ("pytorch_std", 2 / 784, "that is the variance"),
    ("pytorch_std", math.sqrt(1 / 784), "LeCun's std"),
    ("pytorch_std", math.sqrt(2 / 1040), "Xavier's std"),
    ("pytorch_std", math.sqrt(6 / 784), "He uniform's limit"),
    ("pytorch_std", -0.05, "a std is positive"),
    ("initial_loss", math.log(10), "that is ln 10"),
    ("initial_loss", 0.01, "that is p = 1/100"),
    ("initial_loss", 2, "log10(100)"),
    ("initial_loss", 0, "the loss is not 0"),
    ("diagnose", "a", "no gradient reaches the hidden layers"),
    ("diagnose", "c", "does not start at chance"),
    ("diagnose", "d", "He learns from the first steps"),
    ("deep_relu_init", "xavier_normal", "The signal fades through 20 layers"),
    ("deep_relu_init", functools.partial(ic.normal, std=0.01), "The signal fades"),
    ("deep_relu_init", functools.partial(ic.normal, std=1.0), "training diverged"),
    ("deep_relu_init", functools.partial(ic.normal, std=0.2), "E[z^2] grows"),
    ("deep_relu_init", "nonsense", "is not an initializer name"),
    ("deep_relu_init", "zeros", "outputs are all 0"),
    ("conv_fans", lambda s: (s[-2] * s[0] * s[1], s[-1] * s[0] * s[1]) if len(s) == 4 else s[:2],
     "for shape (7, 16, 32) you return (7, 16)"),
]


@pytest.mark.parametrize(("name", "answer", "expected"), WRONG,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(WRONG)])
def test_typical_mistake_gets_its_message(name, answer, expected):
    result = fb(name, answer)
    assert result.status == "wrong", str(result)
    assert expected in result.message, str(result)


def test_every_exercise_has_two_targeted_mistakes():
    counted = {}
    for name, _, _ in WRONG:
        counted[name] = counted.get(name, 0) + 1
    assert {n: c for n, c in counted.items() if c >= 2}.keys() == ex.EXERCISES.keys()


# --- junk: never a crash, never a traceback ------------------------------------------------

FUNCTION_EXERCISES = [n for n, e in ex.EXERCISES.items()
                      if e.answer.startswith(("my_", "units_", "stable_")) and n != "deep_relu_init"]
VALUE_EXERCISES = [n for n in ex.EXERCISES if n not in FUNCTION_EXERCISES]


def test_function_and_value_exercises_are_told_apart():
    assert set(FUNCTION_EXERCISES) == {"units_identical", "stable_sigmoid", "xavier_uniform",
                                       "he_normal", "conv_fans"}


def raises(*args, **kwargs):
    raise ZeroDivisionError("oops")


def not_implemented(*args, **kwargs):
    raise NotImplementedError


def starter(*args, **kwargs):
    ...


def returns_nan(shape, *args, **kwargs):
    return np.full(shape if isinstance(shape, tuple) else np.shape(shape), np.nan)


def wrong_shape(*args, **kwargs):
    return np.zeros((2, 3, 4))


def returns_text(*args, **kwargs):
    return "weights"


@pytest.mark.parametrize("name", FUNCTION_EXERCISES + ["deep_relu_init"])
@pytest.mark.parametrize(("junk", "status", "words"), [
    (None, "not done", "define"),
    (starter, "not done", "returned None"),
    (not_implemented, "not done", "NotImplementedError"),
    (raises, "wrong", "raised ZeroDivisionError: oops"),
    (returns_nan, "wrong", ""),
    (wrong_shape, "wrong", ""),
    (returns_text, "wrong", ""),
    (42, "wrong", "42"),
])
def test_function_exercises_handle_junk(name, junk, status, words):
    if name == "deep_relu_init" and junk is None:
        words = "set my_init"
    result = fb(name, junk)
    assert result.status == status, str(result)
    assert words in result.message
    assert "Traceback" not in str(result)


@pytest.mark.parametrize("name", VALUE_EXERCISES)
@pytest.mark.parametrize(("junk", "status"), [
    (None, "not done"), (..., "not done"), ("seven", "wrong"), ([1, 2], "wrong"),
    (float("nan"), "wrong"), (float("inf"), "wrong"), (True, "wrong"), (np.ones(3), "wrong"),
    ("3.4", "wrong"), (1 + 2j, "wrong"),
])
def test_value_exercises_handle_junk(name, junk, status):
    result = fb(name, junk)
    assert result.status == status, str(result)


@pytest.mark.parametrize("name", [n for n, e in ex.EXERCISES.items() if '"b"' in e.solution])
@pytest.mark.parametrize("junk", ["", " ", "ab", "abcd", "bc", "b)"])
def test_a_choice_is_one_letter(name, junk):
    result = fb(name, junk)
    assert result.status == "wrong" and "should be one of" in result.message, str(result)


@pytest.mark.parametrize("name", ["stable_sigmoid", "xavier_uniform", "he_normal", "deep_relu_init"])
def test_complex_results_are_refused_without_a_warning(name):
    def complex_result(arg, *args, **kwargs):
        return np.zeros(arg if isinstance(arg, tuple) else np.shape(arg)) + 1j
    assert fb(name, complex_result).status == "wrong"


def test_silencing_the_overflow_passes_with_a_remark():
    def quiet(z):
        with np.errstate(over="ignore"):
            return 1 / (1 + np.exp(-z))
    result = fb("stable_sigmoid", quiet)
    assert result.ok and "You silenced the overflow" in result.message
    assert "silenced" not in fb("stable_sigmoid", ex.EXERCISES["stable_sigmoid"].reference()).message


def test_a_number_may_be_a_numpy_scalar_or_a_string_letter_in_any_case():
    assert fb("predict_std", np.float32((0.05 * np.sqrt(512)) ** 10)).ok
    assert fb("initial_loss", np.array(np.log(100))).ok
    assert fb("diagnose", " B ").ok


def test_predictions_within_tolerance_pass_and_outside_fail():
    assert fb("predict_std", 3.4).ok                 # 1 % off the formula's 3.436
    assert not fb("predict_std", 2.5).ok
    assert fb("pytorch_std", 0.05).ok               # the value rounded to two digits
    assert fb("initial_loss", 4.6).ok


def test_units_identical_accepts_numpy_bool():
    assert fb("units_identical", lambda W: np.all(W == W[:, :1])).ok


def test_the_package_sigmoid_is_a_stable_sigmoid():
    assert fb("stable_sigmoid", ic.sigmoid).ok


def test_a_bug_in_a_checker_is_reported_not_raised():
    e = ex.EXERCISES["initial_loss"]

    def broken(answer):
        raise KeyError("bug")
    broken_ex = ex.Exercise(e.name, e.notebook, e.title, e.answer, broken, e.hint, e.solution)
    result = broken_ex.grade(1.0)
    assert result.status == "wrong" and "could not handle" in result.message


# --- the printed interface --------------------------------------------------------------

def test_check_prints_the_feedback_and_returns_none(capsys):
    assert ex.check_initial_loss(None) is None
    out = capsys.readouterr().out
    assert out.startswith("○ Not done yet. [initial_loss]")
    ex.check_initial_loss(np.log(100))
    assert capsys.readouterr().out.startswith("✓ Correct. [initial_loss]")
    ex.check_initial_loss(np.log(10))
    assert capsys.readouterr().out.startswith("✗ Not quite. [initial_loss]")


def test_every_exercise_has_a_checker_function():
    for name, e in ex.EXERCISES.items():
        check = getattr(ex, f"check_{name}")
        assert check.__name__ == f"check_{name}"
        assert e.title in check.__doc__


def test_hint_and_solution_print_and_the_solution_is_the_reference(capsys):
    ex.hint("he_normal")
    assert capsys.readouterr().out.startswith("Hint [he_normal]:")
    ex.solution("he_normal")
    out = capsys.readouterr().out
    assert "def my_he_normal(shape, *, mode=\"fan_in\", rng=None):" in out
    assert ex.EXERCISES["he_normal"].solution in out


@pytest.mark.parametrize(("bad", "error"), [("he", ValueError), (3, TypeError)])
def test_unknown_exercise_names_are_refused(bad, error):
    for fn in (ex.hint, ex.solution, lambda n: ex.grade(n, 1)):
        with pytest.raises(error, match=r"name must be .*'he_normal'.*got name="):
            fn(bad)


# --- the notebooks: starting points, stored outputs and solutions fit the checkers ------

def checks_in(cells):
    found = []
    for i, c in enumerate(cells):
        src = "".join(c["source"])
        if c["cell_type"] == "code" and src.startswith("ic.exercises.check_"):
            found.append((i, src.split("(")[0].removeprefix("ic.exercises.check_")))
    return found


@pytest.mark.parametrize("edition", ["en", "ko"])
@pytest.mark.parametrize("notebook", sorted(p.name for p in (NOTEBOOKS / "en").glob("0*.ipynb")))
def test_notebook_ends_with_its_exercises(edition, notebook):
    cells = json.loads((NOTEBOOKS / edition / notebook).read_text())["cells"]
    checks = checks_in(cells)
    expected = [n for n, e in ex.EXERCISES.items() if e.notebook == notebook[:2]]
    assert [n for _, n in checks] == expected
    # the last section: an introduction naming hint() and solution(), then per exercise a
    # question (### heading), the starting point and the check; it follows the summary
    start = max(i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
                and "".join(c["source"]).startswith("## "))
    intro = "".join(cells[start]["source"])
    assert f'ic.exercises.hint("{expected[0]}")' in intro
    assert f'ic.exercises.solution("{expected[0]}")' in intro
    previous = max(i for i, c in enumerate(cells[:start]) if c["cell_type"] == "markdown"
                   and "".join(c["source"]).startswith("## "))
    assert "".join(cells[previous]["source"]).startswith(("## Summary", "## 요약"))
    rest = cells[start + 1:]
    assert len(rest) == 3 * len(expected)
    assert [c["cell_type"] for c in rest] == ["markdown", "code", "code"] * len(expected)
    assert all("".join(c["source"]).startswith("### ") for c in rest[::3])
    assert [i for i, _ in checks] == list(range(start + 3, len(cells), 3))
    for i, name in checks:
        # the stored output is what a student sees first: "not done yet", no traceback
        outputs = cells[i]["outputs"]
        assert [o["output_type"] for o in outputs] == ["stream"], outputs
        text = "".join(outputs[0]["text"])
        assert text.startswith(f"○ Not done yet. [{name}]"), text
        # the starting point defines the name the check expects, and is "not done"
        e = ex.EXERCISES[name]
        namespace = {"np": np, "ic": ic}
        exec("".join(cells[i - 1]["source"]), namespace)
        assert e.answer in namespace, (name, e.answer)
        assert ex.grade(name, namespace[e.answer]).status == "not done"
        assert f"ic.exercises.check_{name}({e.answer})" in "".join(cells[i]["source"])
