"""initcourse: the numerical core of a course on neural-network weight initialization.

Weights have shape ``(n_in, n_out)`` and a layer computes ``x @ W + b``.
Every random function takes a keyword-only ``rng`` (None, int seed or
``numpy.random.Generator``).
"""

from .activations import ACTIVATIONS, Activation, get_activation, sigmoid
from .explorers import Explorer, init_explorer, scale_explorer
from .figures import PALETTE, HistogramGrid, LayerStatsPlot, color, show
from .guide import (
    Recommendation,
    get_initializer,
    initialize_weights,
    initializer_for,
    recommend,
)
from .initializers import (
    INITIALIZERS,
    constant,
    fans,
    gain,
    glorot_normal,
    glorot_uniform,
    he_normal,
    he_uniform,
    kaiming_normal,
    kaiming_uniform,
    lecun_normal,
    lecun_uniform,
    normal,
    orthogonal,
    uniform,
    variance_scaling,
    xavier_normal,
    xavier_uniform,
    zeros,
)
from .nn import MLP, Linear, log_softmax, mse, softmax_cross_entropy
from .probe import LayerStats, Propagation, Verdict, propagate, verdict

__version__ = "0.1.0"

__all__ = [
    "PALETTE", "Explorer", "HistogramGrid", "LayerStatsPlot", "color", "init_explorer",
    "scale_explorer", "show",
    "ACTIVATIONS", "INITIALIZERS", "MLP", "Activation", "LayerStats", "Linear", "Propagation",
    "Recommendation", "constant", "fans", "gain", "get_activation", "get_initializer",
    "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "initialize_weights",
    "initializer_for", "kaiming_normal", "kaiming_uniform", "lecun_normal", "lecun_uniform",
    "log_softmax", "mse", "normal", "orthogonal", "propagate", "recommend", "sigmoid",
    "softmax_cross_entropy", "uniform", "variance_scaling", "Verdict", "verdict", "xavier_normal",
    "xavier_uniform",
    "zeros",
]
