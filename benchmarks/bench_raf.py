"""RAF solver speed. Run: ``.venv/bin/python benchmarks/bench_raf.py`` (part of ``make bench``).

On the 16 × 8 grid α ∈ linspace(0.5, 5, 16), ε ∈ linspace(0, 1, 8), λ = 0.1, tol = 1e-10 (the grid of
the comparison with the RAF paper's own code), for four learner/loss cases, after compilation:

* ``scalar``: one ``raf.solve`` call per grid point in a Python loop (what a notebook writes), µs per
  call, every call included (validation, solve, errors, result object);
* ``batched``: one ``raf.solve`` call with array ``alpha``/``epsilon`` (independent points, in
  parallel over the cores), µs per converged point; and the same on one thread, the cost per core;
* ``sweep 1`` / ``sweep 2``: ``raf.sweep`` with continuation from one start, and with the default two
  starts (coexistence check), µs per converged point;

and the wall time of ``memtheory raf solve`` in a fresh process, with an empty numba cache (``cold``:
what the first call in a new environment costs) and with a warm one (median of 5). The command runs
the solver's Python source without numba (``memtheory.core.jit``); the same command compiled
(``MEMTHEORY_CLI_JIT=1``, what a library call pays in a fresh process) is timed too.
"""

from __future__ import annotations

import datetime
import os
import statistics
import subprocess
import sys
import tempfile
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
REPEATS = 7


def _best(fn, repeats=REPEATS):
    fn()  # compile / warm caches
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def scalar_per_call(model):
    def run():
        return [raf.solve(model, a, e) for a in ALPHA for e in EPS]

    t, results = _best(run, repeats=3)
    return t / len(results), sum(r.converged for r in results)


def batched_per_point(model, threads=None):
    import numba

    previous = numba.get_num_threads()
    if threads is not None:
        numba.set_num_threads(threads)
    try:
        t, res = _best(lambda: raf.solve(model, alpha=ALPHA[:, None], epsilon=EPS[None, :]))
    finally:
        numba.set_num_threads(previous)
    n_conv = int(np.sum(res.converged))
    return t / max(n_conv, 1), n_conv


def sweep_per_point(model, starts):
    t, grid = _best(lambda: raf.sweep(model, alpha=ALPHA, epsilon=EPS, starts=starts))
    n_conv = int(grid.converged.sum())
    return t / max(n_conv, 1), n_conv


def cli_seconds(cache_dir: str, repeats: int, compiled: bool = False) -> float:
    cmd = [str(Path(sys.executable).with_name("memtheory")), "raf", "solve", "--learner", "kernel", "--loss", "hinge",
           "--alpha", "2", "--epsilon", "0.2", "--lam", "0.1", "--activation", "sign", "--compact"]
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_DISABLE_JIT", "MEMTHEORY_CLI_JIT")}
    env.update(NUMBA_CACHE_DIR=cache_dir, MEMTHEORY_CLI_JIT="1" if compiled else "0")
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    print(f"RAF solver, 16 x 8 grid (alpha in [0.5, 5], epsilon in [0, 1]), lam = 0.1, tol = 1e-10, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, {datetime.date.today()}")
    print(f"{'case':24s} {'scalar/call':>12s} {'batched/pt':>12s} {'(1 thread)':>12s} {'sweep 1/pt':>12s} "
          f"{'sweep 2/pt':>12s}  converged")
    for name, model in CASES.items():
        ts, ns = scalar_per_call(model)
        tb, nb = batched_per_point(model)
        tb1, _ = batched_per_point(model, threads=1)
        t1, n1 = sweep_per_point(model, ("uninformed",))
        t2, n2 = sweep_per_point(model, ("uninformed", "informed"))
        print(f"{name:24s} {ts * 1e6:9.1f} us {tb * 1e6:9.1f} us {tb1 * 1e6:9.1f} us {t1 * 1e6:9.1f} us "
              f"{t2 * 1e6:9.1f} us  {ns}/{nb}/{n1}/{n2} of 128")
    with tempfile.TemporaryDirectory() as cold:
        t_cold = cli_seconds(cold, 1)
        t_warm = cli_seconds(cold, 5)
    print(f"memtheory raf solve (kernel hinge): cold numba cache {t_cold:.2f} s, warm cache {t_warm:.2f} s (median of 5)")
    with tempfile.TemporaryDirectory() as cold:
        t_cold = cli_seconds(cold, 1, compiled=True)
        t_warm = cli_seconds(cold, 5, compiled=True)
    print(f"  the same, compiled (MEMTHEORY_CLI_JIT=1): cold numba cache {t_cold:.2f} s, warm cache {t_warm:.2f} s")


if __name__ == "__main__":
    main()
