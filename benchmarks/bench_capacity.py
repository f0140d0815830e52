"""Timing of the capacity bound computations ("bound computations in microseconds").

Run: ``.venv/bin/python benchmarks/bench_capacity.py``. Prints the median time per call over repeats.
"""

from __future__ import annotations

import timeit

import numpy as np

from memtheory.solvers.capacity import capacity_bounds, facts_with_exposures, fano_bits, harmonic, m_star, p_star, subset_accuracy, weighted_optimum
from memtheory.solvers.capacity.bounds import fano_bits_scalar

CASES = [
    ("p_star(C=2.2e8, N=1e7, K=1e7)", lambda: p_star(2.2e8, 1e7, 1e7)),
    ("p_star(C=1e15, N=1e15, K=1e15)", lambda: p_star(1e15, 1e15, 1e15)),
    ("p_star(C=0.9 N log2 K, N=1e3, K=2)", lambda: p_star(900.0, 1e3, 2)),
    ("subset_accuracy(2.2e8, 1e7, 1e7)", lambda: subset_accuracy(2.2e8, 1e7, 1e7)),
    ("m_star(2.2e8, 1e7, 1e7)", lambda: m_star(2.2e8, 1e7, 1e7)),
    ("harmonic(1e15, 1.1)", lambda: harmonic(1e15, 1.1)),
    ("weighted_optimum(2.2e8, 1e15, 1e7, zipf=1.1)", lambda: weighted_optimum(2.2e8, 1e15, 1e7, zipf=1.1)),
    ("facts_with_exposures(1e15, 1.1, 1e12, 100)", lambda: facts_with_exposures(1e15, 1.1, 1e12, 100)),
    ("fano_bits_scalar(0.7, H=23.25)", lambda: fano_bits_scalar(0.7, 23.25)),
    ("fano_bits(array of 1e6, K=1e7)", (lambda a=np.linspace(0.01, 1, 10**6): fano_bits(a, 1e7))),
    ("capacity_bounds(...) all bounds, Zipf + exposures", lambda: capacity_bounds(110e6, 2, 1e7, 1e7, zipf=1.1, exposures=1e9,
                                                                 min_exposures=100)),
]


def main() -> None:
    print(f"{'computation':48s} {'median µs/call':>15s}")
    for name, fn in CASES:
        timer = timeit.Timer(fn)
        number, _ = timer.autorange()
        number = max(1, number // 4)
        reps = timer.repeat(repeat=7, number=number)
        print(f"{name:48s} {1e6 * float(np.median(reps)) / number:15.2f}")


if __name__ == "__main__":
    main()
