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


def digits(*, test_fraction=0.25, seed=0):
    """scikit-learn's handwritten digits: 1,797 images of 8 x 8 pixels, 10 classes.

    Pixels are scaled to [0, 1] (they are 0 to 16), then standardized with
    the training set's mean and std per pixel (constant pixels get std 1).
    Split once into train and test, stratified and seeded.
    Returns ``(x_train, y_train, x_test, y_test)``.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    test_fraction = check.real("test_fraction", test_fraction, minimum=0.0, strict=True, maximum=0.9)
    x, y = load_digits(return_X_y=True)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x / 16.0, y, test_size=test_fraction, stratify=y,
        random_state=check.nonnegative_int("seed", seed))
    mean, std = x_tr.mean(axis=0), x_tr.std(axis=0)
    std[std == 0] = 1.0
    return (x_tr - mean) / std, y_tr, (x_te - mean) / std, y_te
