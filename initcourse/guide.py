"""The selection guide: which initializer for which activation, and why.

:func:`recommend` is the single table; :func:`initializer_for`,
:func:`get_initializer` and :func:`initialize_weights` (the chapter's entry
points) all read from it.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from . import _validation as check
from .initializers import INITIALIZERS, fans, he_normal, resolve

GUIDE_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax",
                     "selu", "gelu", "silu")


@dataclass(frozen=True)
class Recommendation:
    """What to use for one activation, and the same call in three frameworks."""

    activation: str
    method: str          # "xavier_normal", "he_normal" or "lecun_normal"
    scale: float         # Var(W) = scale / n
    mode: str            # what n is: "fan_in" or "fan_avg"
    formula: str
    pytorch: str
    keras: str
    jax: str
    note: str = ""
    alpha: float = 0.0   # leaky ReLU slope the He scale accounts for

    def std(self, shape):
        """The weight std this recommendation gives for ``shape``."""
        fan_in, fan_out = fans(shape)
        n = fan_in if self.mode == "fan_in" else (fan_in + fan_out) / 2
        return math.sqrt(self.scale / n)

    def __repr__(self):
        return (f"Recommendation({self.activation}: {self.method}, scale={self.scale:.4g}, "
                f"mode={self.mode}, {self.formula})")


_TORCH_LAYOUT = "PyTorch's weight is (out, in); kaiming_* reads fan_in from dim 1, so no transpose is needed."
_TRUNC = "truncated at 2 std and rescaled, so the variance is the same"

_XAVIER = dict(
    method="xavier_normal", scale=1.0, mode="fan_avg",
    formula="Var(W) = 2 / (fan_in + fan_out)",
    pytorch="torch.nn.init.xavier_normal_(layer.weight)",
    keras="keras.initializers.GlorotNormal()",
    jax="jax.nn.initializers.glorot_normal()",
)


def _he(activation, alpha, note):
    scale = 2.0 / (1.0 + alpha**2)
    if alpha == 0.0:
        return Recommendation(
            activation, "he_normal", scale, "fan_in", "Var(W) = 2 / fan_in",
            pytorch='torch.nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")',
            keras="keras.initializers.HeNormal()",
            jax="jax.nn.initializers.he_normal()",
            note=f"{note} Keras' HeNormal and JAX's he_normal are {_TRUNC}. {_TORCH_LAYOUT}".strip(),
        )
    return Recommendation(
        activation, "he_normal", scale, "fan_in",
        f"Var(W) = 2 / ((1 + alpha^2) fan_in), alpha = {alpha:g}",
        pytorch=(f'torch.nn.init.kaiming_normal_(layer.weight, a={alpha!r}, mode="fan_in", '
                 'nonlinearity="leaky_relu")'),
        keras=(f'keras.initializers.VarianceScaling(scale={scale!r}, mode="fan_in", '
               'distribution="untruncated_normal")'),
        jax=f'jax.nn.initializers.variance_scaling({scale!r}, "fan_in", "normal")',
        note=f"{note} {_TORCH_LAYOUT}".strip(),
        alpha=alpha,
    )


def recommend(activation, alpha=None):
    """Recommend an initializer for a layer followed by ``activation``.

    ============  ===============  =============================================
    activation    method           why
    ============  ===============  =============================================
    sigmoid       Xavier normal    Glorot & Bengio (2010); derived for a slope-1
                                   activation around 0, so only approximate
    tanh          Xavier normal    Glorot & Bengio (2010)
    linear        Xavier normal    output layers (regression, logits)
    softmax       Xavier normal    the layer producing the logits
    relu          He normal        He et al. (2015): E[relu(z)^2] = Var(z) / 2
    leaky_relu    He normal        the same with ``scale = 2 / (1 + alpha^2)``
    selu          LeCun normal     Klambauer et al. (2017), self-normalizing
    gelu, silu    He normal        common practice, not derived for them
    ============  ===============  =============================================

    ``alpha`` is the negative slope of ``leaky_relu`` (default 0.01); it is
    not accepted for other activations.

    The PyTorch, Keras and JAX strings give the same variance. Note that
    PyTorch's ``nn.Linear`` default is none of these: it is
    ``kaiming_uniform_(a=sqrt(5))``, i.e. ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``,
    a variance of ``1 / (3 fan_in)``.
    """
    check.choice("activation", activation, GUIDE_ACTIVATIONS)
    if alpha is not None and activation != "leaky_relu":
        raise ValueError(f"alpha is only used with activation='leaky_relu'; got alpha={alpha!r} "
                         f"with activation={activation!r}")
    if activation == "leaky_relu":
        alpha = check.real("alpha", 0.01 if alpha is None else alpha, minimum=0.0)
        return _he(activation, alpha, "Derived for a leaky ReLU with this slope.")
    if activation == "relu":
        return _he(activation, 0.0, "")
    if activation in ("gelu", "silu"):
        return _he(activation, 0.0,
                   f"Common practice: {activation} behaves like a ReLU for large |z|; "
                   "the factor 2 was derived for the ReLU, not for it.")
    if activation == "selu":
        return Recommendation(
            activation, "lecun_normal", 1.0, "fan_in", "Var(W) = 1 / fan_in",
            pytorch='torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="linear")',
            keras="keras.initializers.LecunNormal()",
            jax="jax.nn.initializers.lecun_normal()",
            note=("The self-normalizing fixed point needs Var(W) = 1 / fan_in. PyTorch's "
                  "calculate_gain('selu') = 3/4 is an empirical choice that gives up that "
                  f"fixed point; its docs advise nonlinearity='linear'. Keras/JAX: {_TRUNC}."),
        )
    notes = {
        "sigmoid": ("Derived for an activation with slope 1 around 0; the sigmoid's slope "
                    "is 1/4 and its mean 0.5, so deep sigmoid stacks still drift."),
        "tanh": ("PyTorch's calculate_gain('tanh') = 5/3 (xavier_normal_(w, gain=5/3)) "
                 "compensates tanh's slope below 1 and keeps deep stacks steadier."),
        "linear": "For a linear output layer (regression, or logits before a softmax).",
        "softmax": "For the layer that produces the logits fed to a softmax.",
    }
    return Recommendation(activation, note=f"{notes[activation]} Keras/JAX: {_TRUNC}.", **_XAVIER)


def initializer_for(activation, alpha=None):
    """The initializer function :func:`recommend` picks, ready to call as ``fn(shape, rng=...)``."""
    rec = recommend(activation, alpha)
    if rec.alpha:
        return functools.partial(he_normal, alpha=rec.alpha)
    return INITIALIZERS[rec.method]


def _parse_chapter_activation(activation):
    """Split the chapter's ``"leaky_relu_0.2"`` into ``("leaky_relu", 0.2)``."""
    if isinstance(activation, str) and activation.startswith("leaky_relu_"):
        text = activation[len("leaky_relu_"):]
        try:
            return "leaky_relu", float(text)
        except ValueError:
            raise ValueError(
                f"activation 'leaky_relu_<alpha>' needs a number after 'leaky_relu_'; "
                f"got activation={activation!r}") from None
    return activation, None


def get_initializer(activation, shape, *, rng=None):
    """The chapter's ``get_initializer``: weights of ``shape`` for ``activation``.

    Accepts ``"leaky_relu_0.2"`` for a leaky ReLU with slope 0.2 (plain
    ``"leaky_relu"`` means 0.01, as in the chapter).

    >>> w = get_initializer("relu", (256, 128), rng=0)
    >>> round(float(w.std()), 3)
    0.088
    """
    name, alpha = _parse_chapter_activation(activation)
    return initializer_for(name, alpha)(shape, rng=rng)


CHAPTER_METHODS = ("auto", "xavier", "he", "normal", "uniform")


def initialize_weights(shape, method="he", activation="relu", *, rng=None):
    """The chapter's ``initialize_weights``.

    ``method``: ``"xavier"`` (normal), ``"he"`` (normal, fan_in),
    ``"normal"`` (N(0, 0.01^2)), ``"uniform"`` (the chapter's uniform is
    Xavier uniform, limit ``sqrt(6 / (n_in + n_out))``), ``"auto"``
    (:func:`recommend` for ``activation``), or any name in
    ``initcourse.INITIALIZERS``. ``activation`` is used only by ``"auto"``.
    """
    if method == "auto":
        return get_initializer(activation, shape, rng=rng)
    aliases = {"uniform": "xavier_uniform"}
    check.choice("method", method, CHAPTER_METHODS + tuple(k for k in INITIALIZERS
                                                             if k not in CHAPTER_METHODS))
    return resolve(aliases.get(method, method), name="method")[1](shape, rng=rng)


class GuideTable:
    """The selection guide as a table, generated from :func:`recommend`.

    Renders as Markdown in a notebook and as aligned text elsewhere.
    ``std`` is the weight std the recommendation gives for ``shape``.
    """

    def __init__(self, shape=(256, 128), activations=GUIDE_ACTIVATIONS):
        self.shape = tuple(shape)
        self.rows = [recommend(a) for a in activations]

    def _cells(self, rec):
        return [rec.activation, rec.method, rec.formula, f"{rec.std(self.shape):.4f}",
                rec.pytorch, rec.keras, rec.jax]

    HEADER = ("activation", "method", "formula", "std", "PyTorch", "Keras", "JAX")

    def _repr_markdown_(self):
        head = list(self.HEADER)
        head[3] = f"std for {self.shape}"
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for rec in self.rows:
            cells = self._cells(rec)
            cells[4:] = [f"`{c}`" for c in cells[4:]]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def __repr__(self):
        rows = [self.HEADER[:4]] + [tuple(self._cells(r)[:4]) for r in self.rows]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                         for r in rows)


def guide_table(shape=(256, 128)):
    """The guide for every activation, with the std each recommendation gives for ``shape``."""
    from .initializers import fans as _fans

    _fans(shape)  # validates the shape
    return GuideTable(shape)
