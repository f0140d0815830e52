"""RAF solver speed (issue: foundation). Run: ``.venv/bin/python benchmarks/bench_raf.py``.

Measures, after compilation, the time per converged point of a 16 × 8 (α, ε) grid at λ = 0.1 and
tol = 1e-10 swept with continuation (one start, and the default two starts with the coexistence
check), and the wall time of a single ``memtheory raf solve`` with a warm numba cache.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from memtheory.solvers import raf  # noqa: E402

ALPHA = np.linspace(0.5, 5.0, 16)
EPS = np.linspace(0.0, 1.0, 8)
CASES = {
    "linear hinge": raf.Linear("hinge", 0.1),
    "linear square": raf.Linear("square", 0.1),
    "kernel hinge": raf.Kernel("hinge", 0.1, activation="sign"),
    "random-features hinge": raf.RandomFeatures("hinge", 0.1, kappa=2.0, activation="sign"),
}


def per_point(model, starts, repeats=7):
    raf.sweep(model, alpha=ALPHA, epsilon=EPS, starts=starts)  # compile / warm caches
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        grid = raf.sweep(model, alpha=ALPHA, epsilon=EPS, starts=starts)
        times.append(time.perf_counter() - t0)
    n_conv = int(grid.converged.sum())
    return min(times) / max(n_conv, 1), n_conv


def cli_solve_seconds(repeats=5):
    cmd = [str(Path(sys.executable).with_name("memtheory")), "raf", "solve", "--learner", "kernel", "--loss", "hinge",
           "--alpha", "2", "--epsilon", "0.2", "--lam", "0.1", "--activation", "sign", "--compact"]
    subprocess.run(cmd, check=True, capture_output=True)  # warm the cache
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    print("RAF sweep, 16 x 8 grid (alpha in [0.5, 5], epsilon in [0, 1]), lam = 0.1, tol = 1e-10")
    print(f"{'case':24s} {'1 start':>14s} {'2 starts':>14s}  converged")
    for name, model in CASES.items():
        t1, n1 = per_point(model, ("uninformed",))
        t2, n2 = per_point(model, ("uninformed", "informed"))
        print(f"{name:24s} {t1 * 1e6:11.1f} us {t2 * 1e6:11.1f} us  {n1}/128, {n2}/128")
    print(f"memtheory raf solve (warm numba cache), median of 5: {cli_solve_seconds():.2f} s")


if __name__ == "__main__":
    main()
