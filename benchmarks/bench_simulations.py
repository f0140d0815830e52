"""Timings of the RAF simulation learners ("Speed"); prints one line per case.

Targets: exact linear hinge ERM at d=1000, n=2000 in < 1 s; kernel SVM at n=4000 in < 10 s (Gram
matrix included); two-layer network, width 512, d=500, n=2000, 2000 full-batch steps in < 60 s on CPU.

Run: ``.venv/bin/python benchmarks/bench_simulations.py [--skip-two-layer] [--threads N]``.
Each timing is the best of ``--repeat`` runs after one warm-up (numba compilation, imports). The
machine load average is printed because shared cores change the numbers several-fold.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np

from memtheory.simulations.raf import blas_threads, fit_kernel, fit_linear, make_kernel, make_raf_data


def best_of(fn, repeat):
    fn()  # warm-up: JIT compilation and first-touch allocations
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1, help="BLAS/torch threads (default 1)")
    ap.add_argument("--skip-two-layer", action="store_true")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; {args.threads} BLAS/torch thread(s)")
    rng = np.random.default_rng(0)

    with blas_threads(args.threads):
        d, n = 1000, 2000
        data = make_raf_data(n, d, 0.2, rng)
        Z = data.X / np.sqrt(d)
        for lam in (0.1, 1.0, 0.01):
            t, fit = best_of(lambda: fit_linear(Z, data.y, "hinge", lam), args.repeat)
            print(f"linear hinge ERM  d={d} n={n} lam={lam:<5g}: {t:7.3f} s  (target < 1 s)  "
                  f"KKT violation {fit.residual:.1e}, {fit.iterations} DCD epochs, converged={fit.converged}")
        t, fit = best_of(lambda: fit_linear(Z, data.y, "square", 0.1), args.repeat)
        print(f"linear square     d={d} n={n} lam=0.1  : {t:7.3f} s")
        t, fit = best_of(lambda: fit_linear(Z, data.y, "logistic", 0.1), args.repeat)
        print(f"linear logistic   d={d} n={n} lam=0.1  : {t:7.3f} s  (Newton, |grad|_inf {fit.residual:.1e})")

        n, d = 4000, 2000
        data = make_raf_data(n, d, 0.2, rng)
        kern = make_kernel("sign")
        for lam in (1.0, 0.1):
            def run():
                K = kern.gram(data.X)
                return fit_kernel(K, data.y, "hinge", lam)

            t, fit = best_of(run, max(1, args.repeat - 1))
            print(f"kernel SVM (arcsine) n={n} d={d} lam={lam:<4g}: {t:7.3f} s incl. Gram  (target < 10 s)  "
                  f"KKT violation {fit.residual:.1e}, converged={fit.converged}")

    if not args.skip_two_layer:
        from memtheory.simulations.raf.two_layer import fit_two_layer

        n, d = 2000, 500
        data = make_raf_data(n, d, 0.2, rng)
        X_test = rng.standard_normal((1000, d))
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # the plateau flag is irrelevant for a timing
            fit = fit_two_layer(data.X, data.y, X_test, loss="square", lam=1e-3, width=512, steps=2000, lr=1e-2,
                                device="cpu", threads=args.threads)
        t = time.perf_counter() - t
        print(f"two-layer width=512 d={d} n={n} 2000 full-batch Adam steps (CPU): {t:7.2f} s  (target < 60 s)  "
              f"final objective {fit.objective[-1]:.4f}")


if __name__ == "__main__":
    main()
