"""``memtheory raf validate``: RAF theory next to finite-size simulations.

Registered into the ``raf`` group by :mod:`memtheory.commands.raf`. Without ``--learner`` it runs a
preset (default ``spec10``, the simulation checks of docs/theory/raf.md §11); with ``--learner`` it runs the
product grid of the given ranges. Prints a table (theory, simulation mean ± s.e., z) and, with
``--out``, writes ``raf_validate.csv`` and ``raf_validate.json``. Exit status 1 if some |z| exceeds
``--fail-z`` or a learner did not converge, 0 otherwise; bad input is a ``ValueError`` (exit 2).
"""

from __future__ import annotations

import argparse
import math

from memtheory.commands._args import parse_range
from memtheory.core.names import SIMULATION_LEARNERS, canonical, learner_help
from memtheory.commands._io import check_output_dir, print_json
from memtheory.commands._ux import ProgressCallback, add_json_flag, add_quiet_flag

__all__ = ["register", "run_validate"]


def register(raf_subparsers) -> None:
    """Add the ``validate`` subcommand to the ``raf`` group's subparsers."""
    p = raf_subparsers.add_parser(
        "validate", help="theory vs finite-size simulations: table of theory, sim mean ± s.e., z",
        description="Run the RAF theory (memtheory.solvers.raf) and the simulations (memtheory.simulations.raf) side by side. "
                    "Without --learner a preset is run (default spec10: the checks of docs/theory/raf.md §11).")
    p.add_argument("--preset", default=None, help="spec10 (default without --learner), quick or gcm")
    p.add_argument("--learner", default=None,
                   help=f"{learner_help(SIMULATION_LEARNERS)}, or gcm (linear on anisotropic inputs)")
    p.add_argument("--spectrum", default=None, metavar="LIST",
                   help="input spectra, comma list of powerlaw:A, spike:F:R, isotropic (gcm default powerlaw:1)")
    p.add_argument("--loss", default="square",
                   help="square, hinge, logistic; squared_hinge or huber for linear and rf (default %(default)s)")
    for name, default, text in (("lam", "0.1", "ridge λ >= 0"), ("alpha", "2", "α = n/d"),
                                ("epsilon", "0.2", "fraction of facts ε")):
        p.add_argument(f"--{name}", type=parse_range, default=parse_range(default), metavar="RANGE",
                       help=f"{text}: a number, comma list or start:stop:count (default {default})")
    p.add_argument("--kappa", type=parse_range, default=None, metavar="RANGE", help="random features κ = p/d (default 1)")
    p.add_argument("--activation", default=None, help="sign, erf, tanh, relu (kernel/rf; two_layer: relu, tanh, erf)")
    p.add_argument("--kernel", default=None, help="kernel name instead of --activation (e.g. rbf, linear)")
    p.add_argument("--eta", type=float, default=1.0, help="RBF bandwidth η (default %(default)s)")
    p.add_argument("--width", type=int, default=None, help="two_layer width (default 512)")
    p.add_argument("--steps", type=int, default=None, help="two_layer full-batch steps (default 2000)")
    p.add_argument("--lr", type=float, default=None, help="two_layer learning rate")
    p.add_argument("--d", type=int, default=None, help="dimension (default: the preset's, or 400)")
    p.add_argument("--ds", type=parse_range, default=None, metavar="LIST",
                   help="several dimensions, e.g. 200,400,800: adds a 1/d -> 0 extrapolated row")
    p.add_argument("--seeds", type=int, default=None, help="seeds per point (default: the preset's, or 10)")
    p.add_argument("--n-test", type=int, default=4000, help="test-set size (default %(default)s)")
    p.add_argument("--tol", type=float, default=None, help="learner tolerance (default: each solver's own)")
    p.add_argument("--metrics", default="gen_error,mem_error,rule_train_error",
                   help="comma list of gen_error, mem_error, rule_train_error, train_loss")
    p.add_argument("--theory", default="auto", choices=("auto", "solver", "reference"),
                   help="memtheory.solvers.raf, the docs/theory/raf.md §11 table, or auto (solver if importable)")
    p.add_argument("--workers", type=int, default=1, help="local worker processes (default 1: in process)")
    p.add_argument("--blas-threads", type=int, default=1,
                   help="BLAS threads per job (default 1; 0 leaves the BLAS pools alone)")
    p.add_argument("--out", default=None, metavar="DIR", help="write raf_validate.csv and raf_validate.json here")
    p.add_argument("--fail-z", type=float, default=4.0, help="exit 1 if some |z| exceeds this (default %(default)s)")
    add_json_flag(p, help="print the table as strict JSON (theory source, rows, max |z|) instead of text")
    add_quiet_flag(p)
    p.set_defaults(handler=run_validate)


def _points(args) -> list | str:
    if args.learner is None:
        return args.preset or "spec10"
    if args.preset is not None:
        raise ValueError("give either --preset or --learner, not both")
    from memtheory.studies.raf_validate import grid

    learner = canonical("learner", args.learner, allowed=SIMULATION_LEARNERS + ("gcm",))
    if learner == "gcm":  # the simulation side of the Gaussian-covariate model is the linear learner
        learner = "linear"
    axes = dict(learner=learner, loss=args.loss, lam=list(args.lam), alpha=list(args.alpha),
                epsilon=list(args.epsilon), n_test=args.n_test)
    spectra = args.spectrum or ("powerlaw:1" if canonical("learner", args.learner, allowed=SIMULATION_LEARNERS + ("gcm",)) == "gcm" else None)
    if spectra is not None:
        axes["spectrum"] = [s.strip() for s in spectra.split(",") if s.strip()]
    if learner == "random_features":
        axes["kappa"] = list(args.kappa) if args.kappa is not None else [1.0]
    elif args.kappa is not None:
        raise ValueError("kappa applies to the random_features learner only")
    if args.activation is not None:
        axes["activation"] = args.activation
    if args.tol is not None:
        axes["tol"] = args.tol
    if args.kernel is not None:
        axes["kernel"], axes["eta"] = args.kernel, args.eta
    for name in ("width", "steps", "lr"):
        if getattr(args, name) is not None:
            axes[name] = getattr(args, name)
    return grid(**axes)


def run_validate(args: argparse.Namespace) -> int:
    """Handler of ``memtheory raf validate``; returns the exit status."""
    from memtheory.studies.raf_validate import validate

    if not (math.isfinite(args.fail_z) and args.fail_z > 0):
        raise ValueError(f"--fail-z must be a finite number > 0 (a |z| threshold), got {args.fail_z!r}")
    metrics = tuple(m.strip() for m in args.metrics.split(","))
    if not any(metrics) or not all(metrics):
        raise ValueError(f"--metrics must be a comma list of gen_error, mem_error, rule_train_error, train_loss "
                         f"without empty items, got {args.metrics!r}")
    if args.out:
        check_output_dir(args.out, "--out")
    ds = None
    if args.ds is not None:
        ds = [float(v) for v in args.ds]
        if any(v != int(v) or v < 1 for v in ds):
            raise ValueError(f"ds must be positive integers, got {args.ds!r}")
        ds = [int(v) for v in ds]
    executor = "processes" if args.workers and args.workers > 1 else None
    if args.blas_threads < 0:
        raise ValueError(f"blas-threads must be >= 0, got {args.blas_threads}")
    points = _points(args)
    with ProgressCallback(args, desc="raf validate", unit="point") as progress:
        report = validate(points, seeds=args.seeds, d=args.d, ds=ds, theory=args.theory,
                          metrics=metrics,
                          executor=executor, max_workers=args.workers if executor else None,
                          blas_threads=args.blas_threads or None, progress=progress)
    bad_z = [r for r in report.rows if math.isfinite(r.z) and abs(r.z) > args.fail_z]
    bad_conv = [r for r in report.rows if not r.converged]
    if args.json:
        if args.out:
            report.write(args.out)
        print_json({"theory_source": report.theory_source, "rows": report.as_dicts(),
                    "max_abs_z": report.max_abs_z, "fail_z": args.fail_z,
                    "n_over_fail_z": len(bad_z), "n_not_converged": len(bad_conv)})
        return 1 if bad_z or bad_conv else 0
    print(report.table())
    if args.out:
        csv_path, json_path = report.write(args.out)
        print(f"wrote {csv_path} and {json_path}")
    print(f"max |z| = {report.max_abs_z:.2f}; rows with |z| > {args.fail_z:g}: {len(bad_z)}; "
          f"not converged: {len(bad_conv)}")
    return 1 if bad_z or bad_conv else 0
