"""initcourse: the numerical core of a course on neural-network weight initialization.

Weights have shape ``(n_in, n_out)`` and a layer computes ``x @ W + b``.
Every random function takes a keyword-only ``rng`` (None, int seed or
``numpy.random.Generator``).
"""

from . import data, exercises
from .activations import ACTIVATIONS, Activation, get_activation, sigmoid
from .explorers import (
    Explorer,
    advisor_explorer,
    init_explorer,
    scale_explorer,
    symmetry_explorer,
    training_explorer,
)
from .figures import (
    PALETTE,
    HistogramGrid,
    LayerStatsPlot,
    TrajectoryPlot,
    apply_style,
    boundary_figure,
    color,
    histogram_figure,
    presentation,
    show,
    stats_figure,
    sweep_figure,
    training_figure,
    trajectory_figure,
    unit_spread,
)
from .guide import (
    GuideTable,
    Recommendation,
    get_initializer,
    guide_table,
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
from .nn import MLP, History, Linear, accuracy, fit, log_softmax, mse, softmax_cross_entropy
from .probe import LayerStats, Propagation, Sweep, Verdict, propagate, scale_sweep, verdict

__version__ = "0.1.0"

apply_style()  # the course style for every figure (readable on a projector)

__all__ = [
    "apply_style", "presentation",
    "boundary_figure", "training_explorer",
    "advisor_explorer", "GuideTable", "guide_table",
    "accuracy", "Activation", "ACTIVATIONS", "color", "constant", "data", "exercises", "Explorer",
    "fans", "fit",
    "gain", "get_activation", "get_initializer", "glorot_normal", "glorot_uniform", "he_normal",
    "he_uniform", "histogram_figure", "HistogramGrid", "History", "init_explorer",
    "initialize_weights", "initializer_for", "INITIALIZERS", "kaiming_normal", "kaiming_uniform",
    "LayerStats", "LayerStatsPlot", "lecun_normal", "lecun_uniform", "Linear", "log_softmax", "MLP",
    "mse", "normal", "orthogonal", "PALETTE", "propagate", "Propagation", "recommend",
    "Recommendation", "scale_explorer", "scale_sweep", "show", "sigmoid", "softmax_cross_entropy",
    "stats_figure", "Sweep", "sweep_figure", "symmetry_explorer", "training_figure", "trajectory_figure",
    "TrajectoryPlot", "uniform", "unit_spread", "variance_scaling", "verdict", "Verdict",
    "xavier_normal", "xavier_uniform", "zeros",
]
