"""Re-execute the course notebooks in place, from a fresh kernel each.

    python notebooks/execute.py                 # every notebook
    python notebooks/execute.py notebooks/en/02_scale_effects.ipynb

Each cell may take at most ``--timeout`` seconds. Afterwards the saved
widget state (tens of KB with new model ids on every run) is stripped from
the notebook's metadata, so that a re-run changes only what really changed.
Run this after any change to a notebook or to the code it calls, then run
the tests (nbval compares the stored outputs with a fresh run).
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent


def execute(path, timeout):
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell")
    args = parser.parse_args()
    paths = args.paths or sorted(ROOT.glob("*/*.ipynb"))
    for path in paths:
        elapsed = execute(path.resolve(), args.timeout)
        print(f"{elapsed:6.1f} s  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
