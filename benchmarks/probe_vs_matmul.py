"""Time ``initcourse.propagate`` against the bare matmul chain of the same shapes.

The baseline does exactly what any implementation must: draw the same input,
weights and upstream gradient from the same generator, run the forward
matmuls ``a @ W`` and the backward matmuls ``a.T @ g`` and ``g @ W.T``.
The ratio is therefore the cost of everything the probe adds: activations,
their slopes, the per-layer statistics and the histogram samples.
Target: at most 1.3x.

    python benchmarks/probe_vs_matmul.py [--depth 10] [--width 256] [--batch 1000]
"""

import argparse
import time

import numpy as np

import initcourse as ic


def bare_chain(depth, width, batch, seed):
    gen = np.random.default_rng(seed)
    x = gen.standard_normal((batch, width))
    weights = [ic.he_normal((width, width), rng=gen) for _ in range(depth)]
    g = gen.standard_normal((batch, width))
    inputs, a = [], x
    for w in weights:
        inputs.append(a)
        a = a @ w
    for i in range(depth - 1, -1, -1):
        inputs[i].T @ g
        if i:
            g = g @ weights[i].T


def paired_ms(fn_a, fn_b, repeats):
    """Median times of two functions run alternately, so both see the same load."""
    fn_a(), fn_b()  # warm-up
    times = np.empty((repeats, 2))
    for r in range(repeats):
        for j, fn in enumerate((fn_a, fn_b)):
            t = time.perf_counter()
            fn()
            times[r, j] = time.perf_counter() - t
    return 1e3 * np.median(times, axis=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=10)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=31)
    args = parser.parse_args()
    d, w, b = args.depth, args.width, args.batch
    print(f"depth {d}, width {w}, batch {b}, median of {args.repeats} runs")
    worst = 0.0
    for act in ("linear", "relu", "leaky_relu", "tanh", "sigmoid", "selu"):
        bare, probe = paired_ms(lambda: bare_chain(d, w, b, 0),
                                lambda: ic.propagate("he_normal", act, d, w, batch=b, rng=0),  # noqa: B023
                                args.repeats)
        worst = max(worst, probe / bare)
        print(f"  {act:<10s} bare {bare:7.1f} ms  probe {probe:7.1f} ms  ratio {probe / bare:.2f}x")
    print(f"worst ratio {worst:.2f}x (target <= 1.30x)")


if __name__ == "__main__":
    main()
