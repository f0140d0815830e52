"""``memtheory posterior``: memorized-prior posterior weights and means from files or built-in problems.

Sub-commands
------------
``weights``     component weights, means and mixture moments (docs/theory/posterior.md §2, §3, §4)
``sigma-crit``  critical bandwidth of the stylized 1-D sweep (docs/theory/posterior.md §4)
``collapse``    collapse time / SNR / sigma for Gaussian data (docs/theory/posterior.md §4)
``diffusion-experiment``  trained diffusion models on real images (:mod:`memtheory.commands.posterior_diffusion`)
"""

from __future__ import annotations

import numpy as np

from memtheory.commands._args import parse_range
from memtheory.commands._io import check_npz_file, print_json
from memtheory.commands._ux import add_json_flag

_PROBLEMS = ("stylized-1d", "stylized-2d")
_METHODS = ("linear", "linearized", "lookup", "exact-grid")


def register(subparsers) -> None:
    """Add the ``posterior`` command group."""
    p = subparsers.add_parser("posterior", help="memorized diffusion priors: Gaussian-mixture posteriors")
    sub = p.add_subparsers(dest="posterior_cmd", metavar="SUBCOMMAND")
    sub.required = True

    w = sub.add_parser("weights", help="posterior component weights and means")
    src = w.add_mutually_exclusive_group(required=True)
    src.add_argument("--problem", choices=_PROBLEMS, help="built-in stylized problem (docs/theory/posterior.md §5)")
    src.add_argument("--train", metavar="X.npy", help="training set (N, d)")
    w.add_argument("--operator", metavar="A.npy", help="linear forward operator (m, d) (with --train)")
    w.add_argument("--data", metavar="y.npy", help="observed data (m,) (with --train)")
    w.add_argument("--method", choices=_METHODS, default=None,
                   help="linear (exact, files), linearized (built-in), lookup (sigma -> 0), exact-grid (built-in)")
    w.add_argument("--sigma", type=float, default=0.3, help="prior bandwidth sigma > 0 (default 0.3)")
    w.add_argument("--noise-std", type=float, default=0.3, help="noise std gamma > 0 (default 0.3)")
    w.add_argument("--no-logdet", action="store_true", help="drop the log-determinant (released-code variant)")
    w.add_argument("--out", metavar="FILE.npz", help="save weights, means and mixture moments")
    w.add_argument("--json", action="store_true", help="print JSON instead of a table")
    w.set_defaults(handler=_weights)

    s = sub.add_parser("sigma-crit", help="critical bandwidth of the stylized 1-D sweep")
    s.add_argument("--n-train", type=parse_range, default=parse_range("3,5,10,20,100"), help="N values")
    s.add_argument("--noise-std", type=float, default=0.3, help="noise std gamma > 0 (default 0.3)")
    add_json_flag(s, help="print the table as strict JSON rows on stdout")
    s.set_defaults(handler=_sigma_crit)

    c = sub.add_parser("collapse", help="collapse time for N(0, sigma_d^2 I) data")
    c.add_argument("--n-train", type=parse_range, required=True,
                   help="training-set sizes N >= 2: start:stop:count, a comma list or a number")
    c.add_argument("--dim", type=int, required=True, help="data dimension d >= 1")
    c.add_argument("--sigma-data", type=float, default=1.0, help="data standard deviation sigma_d > 0 (default 1)")
    add_json_flag(c, help="print the table as strict JSON rows on stdout")
    c.set_defaults(handler=_collapse)

    from memtheory.commands.posterior_diffusion import register_diffusion

    register_diffusion(sub)


def _load(arg_name: str, path: str | None) -> np.ndarray:
    if path is None:
        raise ValueError(f"{arg_name} is required with --train")
    try:
        return np.load(path, allow_pickle=False)
    except EOFError:  # numpy's answer to an empty file
        raise ValueError(f"{arg_name}: cannot read {path!r} as .npy (the file is empty)") from None
    except (OSError, ValueError, TypeError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ValueError(f"{arg_name}: cannot read {path!r} as .npy ({reason})") from None


def _compute(args) -> dict:
    from memtheory.solvers import posterior
    from memtheory.solvers.inverse_problems import stylized

    if args.sigma <= 0 or not np.isfinite(args.sigma):
        raise ValueError(f"--sigma must be > 0 (allowed range (0, inf)), got {args.sigma!r}")
    if args.noise_std <= 0 or not np.isfinite(args.noise_std):
        raise ValueError(f"--noise-std must be > 0 (allowed range (0, inf)), got {args.noise_std!r}")
    if args.problem:
        prob = stylized.problem_1d(args.noise_std) if args.problem == "stylized-1d" else stylized.problem_2d(args.noise_std)
        method = args.method or "linearized"
        if method == "linear":
            raise ValueError("--method linear needs a linear operator (--train with --operator); built-in problems are nonlinear")
        X, y, fwd, jac = prob.x_train, prob.y, prob.forward, prob.jacobian
    else:
        X = _load("--train", args.train)
        A = _load("--operator", args.operator)
        y = _load("--data", args.data)
        method = args.method or "linear"
        if method in ("linearized", "exact-grid"):
            raise ValueError(f"--method {method} is for built-in problems; use linear or lookup with files")
        A = np.asarray(A, dtype=float)
        if A.ndim != 2:
            raise ValueError(f"--operator must be a 2-D array (m, d), got shape {A.shape}")
        fwd, jac = (lambda x: A @ x), (lambda x: A)
    prior = posterior.MemorizedPrior(X, sigma=args.sigma)
    if method == "lookup":
        w = posterior.lookup_weights(fwd, prior.x_train, y, args.noise_std)
        return dict(method=method, weights=w, means=prior.x_train, mean=w @ prior.x_train)
    if method == "exact-grid":
        axes = stylized.grid_axes_1d(20001, -6, 6) if X.shape[1] == 1 else stylized.grid_axes_2d(X, n=400, pad=1.5)
        _check_grid_resolves(args, axes)
        g = stylized.grid_posterior(fwd, X, y, args.sigma, args.noise_std, axes)
        return dict(method=method, weights=g.weights, means=None, mean=g.mean, cov=g.cov)
    if method == "linear":
        post = posterior.linear_posterior(prior, A, y, args.noise_std)
    else:
        post = posterior.linearized_posterior(prior, fwd, jac, y, args.noise_std, include_logdet=not args.no_logdet)
    return dict(method=method, weights=post.weights, means=post.means, mean=post.mean(), cov=post.cov())


def _check_grid_resolves(args, axes) -> None:
    """The brute-force grid is a reference only where it resolves both Gaussians and holds the prior."""
    h = max(float(a[1] - a[0]) for a in axes)
    width = min(float(a[-1] - a[0]) for a in axes)
    for name, value in (("--sigma", args.sigma), ("--noise-std", args.noise_std)):
        if not 4 * h <= value <= 10 * width:
            raise ValueError(f"{name} must lie in [{4 * h:.3g}, {10 * width:.3g}] for --method exact-grid "
                             f"(grid spacing {h:.3g}, extent {width:.3g}), got {value!r}")


def _weights(args) -> int:
    from memtheory.solvers.posterior import effective_modes

    if args.out:
        check_npz_file(args.out, "--out")
    res = _compute(args)
    w = res["weights"]
    n_eff = effective_modes(w)
    if args.out:
        np.savez(args.out, **{k: v for k, v in res.items() if isinstance(v, np.ndarray)}, effective_modes=n_eff)
    if args.json:
        print_json({"method": res["method"], "weights": w, "mean": np.asarray(res["mean"]), "effective_modes": n_eff})
        return 0
    print(f"method: {res['method']}   sigma={args.sigma:g}   noise_std={args.noise_std:g}   "
          f"effective modes exp(H) = {n_eff:.4f}")
    order = np.argsort(w)[::-1][:20]
    print(f"{'n':>6} {'weight':>12}  component mean")
    for n in order:
        mean = "" if res["means"] is None else np.array2string(res["means"][n], precision=4, max_line_width=80)
        print(f"{n:>6} {w[n]:>12.6g}  {mean}")
    print("posterior mean:", np.array2string(np.asarray(res["mean"]), precision=5, max_line_width=100))
    return 0


def _sigma_crit(args) -> int:
    from memtheory.solvers.posterior import stylized_sigma_crit

    ns = _integers(args.n_train)
    rows = [(n, stylized_sigma_crit(n, args.noise_std)) for n in ns]
    if args.json:
        print_json({"noise_std": args.noise_std, "rows": [{"n_train": n, "sigma_crit": v} for n, v in rows]})
        return 0
    print(f"{'N':>6} {'sigma_crit':>12}")
    for n, value in rows:
        print(f"{_count(n):>6} {_fixed(value):>12}")
    return 0


def _fixed(x: float) -> str:
    """Four decimals, or four significant digits where those would show nothing (tiny or huge)."""
    return f"{x:.4f}" if x == 0 or 1e-3 <= abs(x) < 1e12 or not np.isfinite(x) else f"{x:.4e}"


def _count(n: int) -> str:
    return str(n) if n < 10**15 else f"{float(n):.6g}"


def _integers(values) -> list[int]:
    """``--n-train`` values as integers >= 2 (checked before anything is printed)."""
    out = []
    for n in values:
        if n != int(n) or n < 2:
            raise ValueError(f"--n-train must hold integers >= 2, got {n!r}")
        out.append(int(n))
    return out


def _collapse(args) -> int:
    from memtheory.solvers.posterior import collapse_sigma, collapse_snr, collapse_time

    rows = [(n, collapse_time(n, args.dim, args.sigma_data), collapse_snr(n, args.dim, args.sigma_data),
             collapse_sigma(n, args.dim, args.sigma_data)) for n in _integers(args.n_train)]
    if args.json:
        print_json({"dim": args.dim, "sigma_data": args.sigma_data,
                    "rows": [{"n_train": n, "t_c": t, "snr_c": snr, "sigma_c": sig} for n, t, snr, sig in rows]})
        return 0
    print(f"{'N':>10} {'t_C':>10} {'SNR_C':>10} {'sigma_C':>10}")
    for n, t, snr, sig in rows:
        print(f"{_count(n):>10} {_fixed(t):>10} {_fixed(snr):>10} {_fixed(sig):>10}")
    return 0
