"""``memtheory raf sweep`` and ``memtheory raf phase-diagram``: grids of RAF saddle points.

The ``raf`` command group (:mod:`memtheory.commands.raf`) calls :func:`register` with its subparsers.
Any of α, ε, λ, κ may be swept (``start:stop:count``, a comma list) or fixed (a number).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from memtheory.commands._args import parse_range
from memtheory.core.names import learner_help
from memtheory.studies.models import LEARNERS as GRID_LEARNERS
from memtheory.commands._io import check_output_file, print_json
from memtheory.commands._ux import ProgressCallback, add_json_flag, add_quiet_flag

__all__ = ["register", "run_sweep", "run_phase_diagram", "AXIS_DEFAULTS", "GRID_DEFAULTS"]

# Value of an axis that is not swept, and the range used when phase-diagram sweeps it unasked.
AXIS_DEFAULTS = {"alpha": 2.0, "epsilon": 0.2, "lam": 0.1, "kappa": 1.0}
GRID_DEFAULTS = {"alpha": "0.1:5:200", "epsilon": "0:1:101", "lam": "0.01:2:100", "kappa": "0.1:5:100"}
_AXIS_HELP = {
    "alpha": "α = n/d, samples per dimension",
    "epsilon": "ε, fraction of facts, in [0, 1]",
    "lam": "λ >= 0, ridge penalty (> 0 for random features)",
    "kappa": "κ = p/d, random features per dimension (rf only)",
}


def register(raf_subparsers) -> None:
    """Add ``sweep`` and ``phase-diagram`` to the ``raf`` group's subparsers."""
    sweep = raf_subparsers.add_parser(
        "sweep", help="solve a learner on a grid of (α, ε, λ, κ) and write a CSV",
        description="Solve the RAF saddle point of one learner on the product grid of the given ranges "
                    "and write one CSV row per grid point.")
    _model_arguments(sweep)
    _axis_arguments(sweep)
    sweep.add_argument("--out", metavar="FILE", default="-",
                       help="output file, format by suffix: .csv, .json, .npz or .nc (netCDF, needs the xarray "
                            "extra); '-' (default) writes CSV to standard output")
    add_json_flag(sweep, help="with --out - (the default): print the grid as strict JSON records instead of CSV")
    add_quiet_flag(sweep)
    sweep.set_defaults(handler=run_sweep)

    phase = raf_subparsers.add_parser(
        "phase-diagram", help="heat map of one output over two swept parameters",
        description="Sweep two of α, ε, λ, κ (others fixed) and draw one output as a heat map. "
                    f"Unset swept axes use {', '.join(f'{k} {v}' for k, v in GRID_DEFAULTS.items())}.")
    _model_arguments(phase)
    _axis_arguments(phase)
    phase.add_argument("--x", default="alpha", metavar="AXIS", help="horizontal axis (default %(default)s)")
    phase.add_argument("--y", default="epsilon", metavar="AXIS", help="vertical axis (default %(default)s)")
    phase.add_argument("--z", default="gen_error", metavar="OUTPUT",
                       help="gen_error, mem_error, rule_train_error or train_loss (default %(default)s)")
    phase.add_argument("--out", metavar="FILE", required=True, help="image file (.png, .pdf, .svg)")
    phase.add_argument("--data", metavar="FILE", default=None, help="also write the grid (.csv, .json, .npz or .nc)")
    add_quiet_flag(phase)
    phase.set_defaults(handler=run_phase_diagram)


def _model_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--learner", required=True, help=f"{learner_help(GRID_LEARNERS)}, or an alias")
    p.add_argument("--loss", default=None,
                   help="square, hinge, logistic, squared_hinge or huber (default square; not for bo)")
    p.add_argument("--loss-module", default=None, metavar="MODULE:FUNCTION",
                   help="a convex margin loss of your own, loss(y, z) in an importable module (replaces --loss)")
    p.add_argument("--activation", default=None,
                   help="kernel / random-features nonlinearity (default sign; kernel and rf only)")
    p.add_argument("--workers", type=int, default=2, metavar="N",
                   help="processes to spread the grid over (default %(default)s)")


def _axis_arguments(p: argparse.ArgumentParser) -> None:
    for name, text in _AXIS_HELP.items():
        p.add_argument(f"--{name}", type=parse_range, default=None, metavar="RANGE",
                       help=f"{text}: start:stop:count, a comma list or a number (default {AXIS_DEFAULTS[name]:g})")


def _axes(args, learner: str, swept: tuple[str, ...] = ()) -> dict:
    """The sweep axes: given ranges, defaults for ``swept`` axes, fixed defaults for the rest."""
    from memtheory.commands.raf import check_model_options

    check_model_options(learner, {"loss": args.loss, "activation": args.activation})
    axes = {}
    for name in ("alpha", "epsilon", "lam", "kappa"):
        value = getattr(args, name)
        if name == "kappa" and learner != "random_features":
            if value is not None or "kappa" in swept:
                raise ValueError("kappa applies to random features only (--learner rf)")
            continue
        if name == "lam" and learner == "bayes_optimal":
            if value is not None or "lam" in swept:
                raise ValueError("the Bayes-optimal estimator has no ridge penalty lam")
            continue
        if value is None:
            value = parse_range(GRID_DEFAULTS[name]) if name in swept else np.array([AXIS_DEFAULTS[name]])
        axes[name] = value if value.size > 1 else float(value[0])
    return axes


def _model(args, axes: dict):
    from memtheory.studies.models import canonical_learner, make_model

    learner = canonical_learner(args.learner)
    first = {k: float(np.atleast_1d(v)[0]) for k, v in axes.items()}
    from memtheory.commands.raf import loss_of

    loss = loss_of(argparse.Namespace(**{**vars(args), "loss": args.loss or "square"}))
    return learner, make_model(learner, loss=loss, lam=first.get("lam", 0.0), kappa=first.get("kappa"),
                               activation=args.activation or "sign")


def _check_workers(args) -> None:
    if args.workers < 1:
        raise ValueError(f"--workers must be >= 1, got {args.workers}")


def _check_out_suffix(out: str) -> None:
    """Refuse an unknown format before any computing (never silently write CSV)."""
    from memtheory.solvers.raf.export import GRID_SUFFIXES

    if out != "-" and Path(out).suffix.lower() not in GRID_SUFFIXES:
        raise ValueError(f"--out must end in {', '.join(GRID_SUFFIXES)} or be '-' (CSV on stdout), got {out!r}")


def _solve(args, swept=()):
    from memtheory.studies.grid import sweep_grid
    from memtheory.studies.models import canonical_learner

    _check_workers(args)
    learner = canonical_learner(args.learner)
    axes = _axes(args, learner, swept)
    _, model = _model(args, axes)
    # Only grids split into blocks report progress; a bar on stderr, off without a terminal or with --quiet.
    with ProgressCallback(args, desc="raf grid", unit="point") as progress:
        return learner, axes, sweep_grid(model, axes, workers=args.workers, progress=progress)


def _write_table(path: str, model, axes: dict, result: dict, as_json: bool = False) -> None:
    """Write the grid: CSV on stdout for ``-``, else the format of the suffix (csv, json, npz, nc)."""
    from memtheory.solvers.raf.export import grid_records, model_attributes, write_csv, write_grid

    attrs = model_attributes(model)
    fields = {k: result[k] for k in ("gen_error", "mem_error", "rule_train_error", "train_loss", "converged")
              if k in result}
    if path == "-":
        if as_json:
            columns, values = grid_records(attrs, axes, fields)
            print_json([{c: v[i] for c, v in zip(columns, values)} for i in range(len(values[0]) if values else 0)])
            return
        write_csv(sys.stdout, *grid_records(attrs, axes, fields))
        return
    write_grid(path, attrs, axes, fields)


def run_sweep(args: argparse.Namespace) -> int:
    """Handler of ``memtheory raf sweep``."""
    _check_out_suffix(args.out)
    if args.json and args.out != "-":
        raise ValueError("--json prints the grid on stdout; give it with --out - (the default), or write a .json file")
    if args.out != "-":
        check_output_file(args.out, "--out")
    learner, axes, result = _solve(args)
    _, model = _model(args, axes)
    _write_table(args.out, model, axes, result, as_json=args.json)
    if args.out != "-":
        n = int(np.prod(np.shape(result["gen_error"])))
        print(f"wrote {n} grid points to {args.out}", file=sys.stderr)
    return 0


def run_phase_diagram(args: argparse.Namespace) -> int:
    """Handler of ``memtheory raf phase-diagram``."""
    from memtheory.figures.raf_phase import plot_grid_heatmap
    from memtheory.studies.models import OUTPUTS, SWEEP_AXES

    if args.data:
        _check_out_suffix(args.data)
    for flag in ("x", "y"):
        if getattr(args, flag) not in SWEEP_AXES:
            raise ValueError(f"unknown --{flag} axis {getattr(args, flag)!r}; allowed: {', '.join(SWEEP_AXES)}")
    if args.x == args.y:
        raise ValueError(f"--x and --y must differ, both are {args.x!r}")
    if args.z not in OUTPUTS or args.z == "converged":
        raise ValueError(f"unknown --z output {args.z!r}; allowed: {', '.join(OUTPUTS[:-1])}")
    for name in SWEEP_AXES:
        value = getattr(args, name)
        if name not in (args.x, args.y) and value is not None and value.size > 1:
            raise ValueError(f"--{name} is swept but neither --x nor --y; give it one value")
    out = check_output_file(args.out, "--out", suffixes=(".png", ".pdf", ".svg"))
    if args.data:
        check_output_file(args.data, "--data")
    learner, axes, result = _solve(args, swept=(args.x, args.y))
    for flag in ("x", "y"):
        if isinstance(axes[getattr(args, flag)], float):
            raise ValueError(f"--{getattr(args, flag)} needs at least two values to be an axis")
    z = np.asarray(result[args.z], float)
    if "converged" in result:
        z = np.where(result["converged"], z, np.nan)
    # The grid arrays follow the order of the swept axes (alpha, epsilon, lam, kappa); plot x first.
    swept = [k for k, v in axes.items() if not isinstance(v, float)]
    if swept.index(args.x) > swept.index(args.y):
        z = z.T
    fixed = {k: v for k, v in axes.items() if isinstance(v, float)}
    fig = plot_grid_heatmap(np.asarray(axes[args.x]), np.asarray(axes[args.y]), z, x=args.x, y=args.y,
                            z_name=args.z, title=_title(args, learner, fixed))
    import matplotlib.pyplot as plt

    from memtheory.figures.style import style_context

    with style_context():
        fig.savefig(out)
    plt.close(fig)
    if args.data:
        _write_table(args.data, _model(args, axes)[1], axes, result)
    print(f"wrote {out}", file=sys.stderr)
    return 0


def _title(args, learner: str, fixed: dict) -> str:
    from memtheory.figures.style import SHORT, learner_label

    from memtheory.core.names import short_learner

    loss = (args.loss or "square") if getattr(args, "loss_module", None) is None else args.loss_module.partition(":")[2]
    name = learner_label(short_learner(learner), None if learner == "bayes_optimal" else loss)
    if learner in ("kernel", "random_features"):
        name += f" ({args.activation or 'sign'})"
    values = ", ".join(f"{SHORT[k]}$={v:g}$" for k, v in fixed.items())
    return f"{name}" + (f":  {values}" if values else "")
