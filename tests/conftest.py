"""Shared fixtures for the unit tests, and one BLAS thread per test process.

The README's test command runs two xdist workers on a 2-core machine, and
nbval starts a notebook kernel from one of them. With OpenBLAS' default of
one thread per core, those processes' spin-waiting threads fight over the
cores: a 0.8 s notebook cell was measured taking 244 s. Every worker imports
this file while collecting, so limiting BLAS here covers the workers
(threadpoolctl, since NumPy may already be loaded) and the kernels they
start (they inherit the environment). A student's own kernel is unaffected.
"""

import math
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

from threadpoolctl import threadpool_limits  # noqa: E402

threadpool_limits(limits=1)

import numpy as np  # noqa: E402
import pytest  # noqa: E402


def _assert_moments(w, var, kurtosis, *, n_se=5.0):
    """Check mean 0 and variance ``var`` of the iid sample ``w`` within ``n_se`` standard errors.

    Mean of n draws with variance s2: SE = sqrt(s2 / n).
    Unbiased sample variance s^2 of n iid draws with 4th central moment
    mu4 = kurtosis * s2^2: Var(s^2) = (mu4 - (n - 3) / (n - 1) * s2^2) / n
    (for a normal, kurtosis 3, this is 2 s2^2 / (n - 1)).
    """
    w = np.asarray(w, dtype=np.float64).ravel()
    n = w.size
    se_mean = math.sqrt(var / n)
    se_var = var * math.sqrt((kurtosis - (n - 3) / (n - 1)) / n)
    mean, sample_var = float(w.mean()), float(w.var(ddof=1))
    assert abs(mean) < n_se * se_mean, f"mean {mean:.3g} is not 0 within {n_se} SE = {n_se * se_mean:.3g}"
    assert abs(sample_var - var) < n_se * se_var, (
        f"variance {sample_var:.6g} != {var:.6g} within {n_se} SE = {n_se * se_var:.3g}"
    )


@pytest.fixture
def assert_moments():
    """``assert_moments(w, var, kurtosis)``: mean 0 and variance ``var`` within 5 SE."""
    return _assert_moments
