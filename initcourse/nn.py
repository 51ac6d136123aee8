"""A network the size of micrograd's: ``Linear``, ``MLP``, two losses and SGD.

Weights are ``(n_in, n_out)`` and a layer computes ``x @ W + b``. Gradients
are computed by hand (``backward``) and stored beside the parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as check
from .activations import get_activation
from .guide import initializer_for
from .initializers import fans, resolve, zeros


class Linear:
    """``x @ W + b`` with ``W`` drawn by ``init`` and a zero bias."""

    def __init__(self, n_in, n_out, init="xavier_normal", *, rng=None):
        n_in = check.positive_int("n_in", n_in)
        n_out = check.positive_int("n_out", n_out)
        self.init, draw = resolve(init)
        self.W = np.asarray(draw((n_in, n_out), rng=rng), dtype=np.float64)
        self.b = zeros((n_out,))
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)

    def __call__(self, x):
        self._x = x
        return x @ self.W + self.b

    def backward(self, grad):
        """Store dL/dW and dL/db for the last call; return dL/dx."""
        self.dW = self._x.T @ grad
        self.db = grad.sum(axis=0)
        return grad @ self.W.T

    def parameters(self):
        return [self.W, self.b]

    def gradients(self):
        return [self.dW, self.db]

    def __repr__(self):
        n_in, n_out = self.W.shape
        return f"Linear({n_in}, {n_out}, init={self.init}, W std={self.W.std():.4f})"


class MLP:
    """Layers ``sizes[0] -> sizes[1] -> ... -> sizes[-1]`` with one activation.

    As in the chapter, hidden layers use ``init`` (``"auto"`` picks it from
    the activation with :func:`initcourse.recommend`) and the output layer,
    which is linear (logits), uses ``output_init`` (Xavier by default).
    """

    def __init__(self, sizes, activation="relu", init="auto", *, output_init="xavier_normal",
                 alpha=0.01, rng=None):
        sizes = check.shape(sizes, min_dims=2, name="sizes")
        self.act = get_activation(activation, alpha)
        gen = check.generator(rng)
        if init == "auto":
            leaky = self.act.name == "leaky_relu"
            hidden_init = initializer_for(self.act.name, alpha if leaky else None)
        else:
            hidden_init = init
        self.layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            last = i == len(sizes) - 2
            self.layers.append(Linear(n_in, n_out, output_init if last else hidden_init, rng=gen))

    def forward(self, x):
        """Return the logits (the last layer is linear)."""
        self._a = []
        for layer in self.layers[:-1]:
            x = self.act(layer(x))
            self._a.append(x)
        return self.layers[-1](x)

    __call__ = forward

    def hidden(self, x):
        """Activations of every hidden layer, as a list of arrays."""
        out = []
        for layer in self.layers[:-1]:
            x = self.act(layer(x))
            out.append(x)
        return out

    def backward(self, grad):
        """Backpropagate dL/dlogits; fills every layer's ``dW`` and ``db``."""
        grad = self.layers[-1].backward(grad)
        for layer, a in zip(reversed(self.layers[:-1]), reversed(self._a), strict=True):
            grad = layer.backward(grad * self.act.df(a))
        return grad

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def gradients(self):
        return [g for layer in self.layers for g in layer.gradients()]

    def sgd_step(self, lr):
        """One plain SGD step, in place: ``p -= lr * dp``."""
        lr = check.real("lr", lr, minimum=0.0, strict=True)
        for p, g in zip(self.parameters(), self.gradients(), strict=True):
            p -= lr * g

    def __repr__(self):
        lines = [f"MLP({self.act.name}, {len(self.layers)} layers)"]
        for i, layer in enumerate(self.layers):
            fan_in, fan_out = fans(layer.W.shape)
            lines.append(
                f"  layer {i}: ({fan_in}, {fan_out})  init={layer.init:<14s} W std={layer.W.std():.4f}"
            )
        return "\n".join(lines)


def log_softmax(logits):
    """Row-wise log-softmax, stable for any finite logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of integer ``labels``; returns ``(loss, dL/dlogits)``."""
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels)
    if logits.ndim != 2 or labels.shape != (logits.shape[0],):
        raise ValueError(
            f"logits must be (batch, classes) and labels (batch,); got logits.shape="
            f"{logits.shape!r}, labels.shape={labels.shape!r}"
        )
    logp = log_softmax(logits)
    n = logits.shape[0]
    loss = -logp[np.arange(n), labels].mean()
    grad = np.exp(logp)
    grad[np.arange(n), labels] -= 1.0
    return float(loss), grad / n


def mse(pred, target):
    """Mean squared error over all entries; returns ``(loss, dL/dpred)``."""
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if pred.shape != target.shape:
        raise ValueError(f"pred and target must have one shape; got {pred.shape!r} and {target.shape!r}")
    diff = pred - target
    return float(np.mean(diff * diff)), 2.0 * diff / diff.size


@dataclass(frozen=True, repr=False)
class History:
    """What :func:`fit` recorded: one entry per step (``loss``, ``accuracy``),
    and the first layer's weights before every step and after the last
    (``first_weights``, shape ``(steps + 1, n_in, n_hidden)``) if asked.

    ``diverged_at`` is the step whose loss was no longer finite, if any;
    the history stops there (no NaN is recorded).
    """

    loss: np.ndarray
    accuracy: np.ndarray
    first_weights: np.ndarray | None = None
    diverged_at: int | None = None

    def __repr__(self):
        state = (f"diverged at step {self.diverged_at}" if self.diverged_at is not None
                 else f"final loss {self.loss[-1]:.4g}, accuracy {self.accuracy[-1]:.1%}")
        return f"History({len(self.loss)} steps, {state})"


def accuracy(mlp, x, labels):
    """Fraction of rows whose largest logit is the label."""
    return float(np.mean(np.argmax(mlp.forward(x), axis=1) == labels))


def fit(mlp, x, labels, *, steps=100, lr=0.1, batch_size=None, rng=None, record_weights=False,
        on_step=None):
    """SGD on softmax cross-entropy; returns a :class:`History`.

    Full-batch by default; with ``batch_size`` each step uses a fresh random
    minibatch drawn (without replacement) from ``rng``. ``loss`` and
    ``accuracy`` are those of the batch each step trained on.
    Stops at the first step whose loss (or logits) are not finite and
    records it as ``diverged_at``; nothing overflows into a warning.
    ``on_step(step)``, if given, is called after every step (a progress bar).
    """
    steps = check.positive_int("steps", steps, maximum=1_000_000)
    lr = check.real("lr", lr, minimum=0.0, strict=True)
    n = len(x)
    if batch_size is not None:
        batch_size = check.positive_int("batch_size", batch_size, maximum=n)
        gen = check.generator(rng)
    losses, accs, snaps = [], [], []
    diverged = None
    with np.errstate(all="ignore"):
        for step in range(steps):
            if record_weights:
                snaps.append(mlp.layers[0].W.copy())
            xb, yb = x, labels
            if batch_size is not None:
                idx = gen.choice(n, size=batch_size, replace=False)
                xb, yb = x[idx], labels[idx]
            logits = mlp.forward(xb)
            loss, grad = softmax_cross_entropy(logits, yb)
            if not np.isfinite(loss) or not np.all(np.isfinite(logits)):
                diverged = step
                break
            losses.append(loss)
            accs.append(float(np.mean(np.argmax(logits, axis=1) == yb)))
            mlp.backward(grad)
            mlp.sgd_step(lr)
            if on_step is not None:
                on_step(step)
        if record_weights and diverged is None:
            snaps.append(mlp.layers[0].W.copy())
    return History(np.array(losses), np.array(accs),
                   np.array(snaps) if record_weights else None, diverged)
