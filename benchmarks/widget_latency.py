"""Latency of the explorers: from a control change to new image data in the Output.

In-process, no browser: for each explorer at its default settings, change a
control repeatedly (cycling through values the cache has not seen) and time
until ``output.outputs`` holds the new PNG. Then the same figure made the
naive way: a new figure and ``hist`` on every change.
Targets on a 2-core machine: median <= 100 ms, p95 <= 250 ms, >= 4x faster
than naive.

    python benchmarks/widget_latency.py [--changes 24]
"""

import argparse
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import initcourse as ic  # noqa: E402
from initcourse.explorers import init_explorer, scale_explorer  # noqa: E402
from initcourse.figures import png_bytes  # noqa: E402


def time_changes(explorer, control, values):
    times = []
    for v in values:
        before = explorer.output.outputs
        t = time.perf_counter()
        control.value = v
        times.append(time.perf_counter() - t)
        assert explorer.output.outputs is not before, "no new image"
    return np.array(times) * 1e3


def naive_scale(scale, activation="sigmoid", depth=5, width=256, batch=256):
    """New figure + hist + plot on every change, as a first notebook would do it."""
    import functools
    prop = ic.propagate(functools.partial(ic.normal, std=scale), activation, depth, width,
                        batch=batch, rng=0)
    fig, axes = plt.subplots(2, 6, figsize=(13, 7.2), dpi=80)
    for ax, s in zip(axes[0], prop.samples, strict=False):
        ax.hist(s, bins=40)
    for ax in axes[1, 2:]:
        ax.remove()
    axes[1, 0].semilogy(prop.column("std"), "o-")
    axes[1, 1].semilogy(prop.column("grad_std"), "o-")
    fig.tight_layout()
    png_bytes(fig)
    plt.close(fig)


def report(name, ms, naive=None):
    med, p95 = np.median(ms), np.percentile(ms, 95)
    line = f"  {name:<34s} median {med:6.1f} ms   p95 {p95:6.1f} ms"
    if naive is not None:
        line += f"   naive median {np.median(naive):6.1f} ms   speed-up {np.median(naive) / med:4.1f}x"
    print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=24)
    n = parser.parse_args().changes
    # scales the cache has not seen: a fresh compute and draw each time
    scales = np.round(np.logspace(-2.9, 0.9, n), 6).tolist()
    print(f"{n} changes per explorer, default settings")

    ex = scale_explorer()
    ex.scale.value = 0.5  # warm up fonts and caches
    ms = time_changes(ex, ex.scale, scales)
    naive = []
    for s in scales:
        t = time.perf_counter()
        naive_scale(s)
        naive.append((time.perf_counter() - t) * 1e3)
    report("scale_explorer (scale slider)", ms, np.array(naive))

    ex = scale_explorer()
    ms = time_changes(ex, ex.depth, [d for d in range(2, 50, 2)][:n])
    report("scale_explorer (depth 2..48)", ms)

    ie = init_explorer()
    ie.gain.value = 1.5
    gains = np.round(np.linspace(0.3, 3.9, n), 3).tolist()
    report("init_explorer (gain slider)", time_changes(ie, ie.gain, gains))


if __name__ == "__main__":
    main()
