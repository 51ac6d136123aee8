"""Small real datasets that ship inside scikit-learn: nothing is downloaded."""

from __future__ import annotations

from . import _validation as check


def moons(n=(140, 60), *, noise=0.2, seed=0):
    """Two interleaved half-moons in 2-D (scikit-learn's ``make_moons``).

    ``n`` is the number of points per class; the default is imbalanced
    (140 / 60) on purpose: with balanced classes, an all-zero network's
    output gradient sums to exactly zero, which would hide the difference
    between "no gradient" and "symmetric gradient" (notebook 01).
    Returns ``(x, labels)``.
    """
    from sklearn.datasets import make_moons

    if isinstance(n, int):
        n = (check.positive_int("n", n) + 1) // 2, n // 2
    a, b = (check.positive_int("n", k) for k in n)
    noise = check.real("noise", noise, minimum=0.0)
    return make_moons((a, b), noise=noise, random_state=check.nonnegative_int("seed", seed))
