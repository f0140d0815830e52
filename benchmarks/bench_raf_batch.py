"""Per-call cost of scalar ``raf.solve`` (and its Python overhead), batched ``raf.solve`` per point, and
``raf.sweep`` with one and two starts, on the 16 × 8 grid α = linspace(0.5, 5, 16), ε = linspace(0, 1, 8),
λ = 0.1, tol 1e-10 (warm: every kernel compiled before timing).

Usage: ``python benchmarks/bench_raf_batch.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import importlib
import time
import warnings

import numpy as np

from memtheory.solvers import raf
from memtheory.solvers.quadrature import DEFAULT_NODES
from memtheory.solvers.raf import pointwise as pw
from memtheory.solvers.raf.driver import iterate
solve_mod = importlib.import_module("memtheory.solvers.raf.solve")

ALPHA = np.linspace(0.5, 5.0, 16)
EPS = np.linspace(0.0, 1.0, 8)
TOL = 1e-10


def cases():
    return {
        "linear hinge": raf.Linear(loss="hinge", lam=0.1),
        "linear square": raf.Linear(loss="square", lam=0.1),
        "kernel hinge": raf.Kernel(loss="hinge", lam=0.1, activation="sign"),
        "RF hinge": raf.RandomFeatures(loss="hinge", lam=0.1, kappa=2.0, activation="sign"),
    }


def _best(fn, repeat):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _kernel_only(model):
    """The compiled calls of a scalar solve alone (the driver, then the errors; no validation, no
    result objects)."""
    info = solve_mod.model_info(model)
    nodes, weights = solve_mod._rules(DEFAULT_NODES)
    x0 = solve_mod._initial_state(info.learner_id, "uninformed")
    row = np.empty(pw.NCOL)
    plans = [solve_mod.plan(model, a, e) for a in ALPHA for e in EPS]

    def run():
        for pl in plans:
            x = iterate(pl.learner_id, pl.channel_id, x0, pl.params, nodes, weights, TOL, 10000, 1.0, 5)[0]
            pw.observe_point(pl.learner_id, pl.channel_id, x, pl.params, False, info.zero_crossing, info.kinks,
                             pw.OBS_RULES, row)
    return run


def main(repeat: int) -> None:
    n = ALPHA.size * EPS.size
    print(f"grid {ALPHA.size} x {EPS.size}, lam 0.1, tol {TOL:g}; best of {repeat}; µs per point")
    print(f"{'case':15s} {'scalar':>8s} {'kernel':>8s} {'overhead':>9s} {'batched':>8s} {'sweep 1':>8s} "
          f"{'sweep 2':>8s} {'ratio':>6s}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, model in cases().items():
            scalar = lambda: [raf.solve(model, a, e, tol=TOL) for a in ALPHA for e in EPS]  # noqa: E731
            batched = lambda: raf.solve(model, ALPHA[:, None], EPS[None, :], tol=TOL)  # noqa: E731
            one = lambda: raf.sweep(model, alpha=ALPHA, epsilon=EPS, tol=TOL, starts=("uninformed",))  # noqa: E731
            two = lambda: raf.sweep(model, alpha=ALPHA, epsilon=EPS, tol=TOL)  # noqa: E731
            kern = _kernel_only(model)
            for fn in (scalar, batched, one, two, kern):
                fn()  # compile / load and warm
            ok = bool(np.all(batched().converged))
            t_s, t_k = _best(scalar, repeat) / n * 1e6, _best(kern, repeat) / n * 1e6
            t_b = _best(batched, repeat) / n * 1e6
            t_1, t_2 = _best(one, repeat) / n * 1e6, _best(two, repeat) / n * 1e6
            print(f"{name:15s} {t_s:8.1f} {t_k:8.1f} {t_s - t_k:9.1f} {t_b:8.1f} {t_1:8.1f} {t_2:8.1f} "
                  f"{t_2 / t_1:6.2f}{'' if ok else '  (batched: not all converged)'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    main(parser.parse_args().repeat)
