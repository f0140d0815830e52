"""``memtheory raf real``: the rules-and-facts protocol on a real data set (docs/theory/gcm.md).

Registered into the ``raf`` group by :mod:`memtheory.commands.raf`. Writes ``raf_real.csv`` (one row per
learner, η, λ) and ``raf_real.png`` (E_mem against E_gen along λ, with the isotropic kernel theory) into
``--out``. A malformed data file or a class that does not exist is a one-line error, exit status 2.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from memtheory.commands._io import print_json
from memtheory.commands._ux import add_json_flag, add_quiet_flag, progress_bar

__all__ = ["register", "run_real"]


def register(raf_subparsers) -> None:
    """Add the ``real`` subcommand to the ``raf`` group's subparsers."""
    p = raf_subparsers.add_parser(
        "real", help="RAF protocol on real data (two classes as the rule, random-label facts), KRR and SVM",
        description="Two classes form the rule, a third class (or 'same') with random labels the facts; bias-free "
                    "RBF kernel ridge regression and SVM along a λ grid for several kernel widths η "
                    "(relative to the median squared distance). Inputs are z-scored.")
    p.add_argument("--data", default="digits", help="'digits' (scikit-learn, extra 'data') or a .npz with X and y")
    p.add_argument("--rule", default="3,5", help="the two rule classes, e.g. 3,5 (default %(default)s)")
    p.add_argument("--facts", default="1", help="class of the fact images, or 'same' (default %(default)s)")
    p.add_argument("--alpha", type=float, default=2.0, help="n = α d training samples (default %(default)s)")
    p.add_argument("--epsilon", type=float, default=0.2, help="fraction of facts ε (default %(default)s)")
    p.add_argument("--eta", default="0.5,1,2", help="RBF widths η, comma list (default %(default)s)")
    p.add_argument("--lam", default="1e-4:1e2:25", help="λ grid: lo:hi:count (log-spaced) or a comma list "
                                                         "(default %(default)s)")
    p.add_argument("--learners", default="krr,svm", help="krr and/or svm (default %(default)s)")
    p.add_argument("--repeats", type=int, default=10, help="independent splits (default %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    p.add_argument("--no-theory", action="store_true", help="skip the isotropic kernel theory curves")
    p.add_argument("--out", default="raf_real", metavar="DIR", help="output folder (default %(default)s)")
    add_json_flag(p, help="print the run's scalar facts and the written paths as strict JSON")
    add_quiet_flag(p)
    p.set_defaults(handler=run_real)


def run_real(args: argparse.Namespace) -> int:
    """Handler of ``memtheory raf real``; returns the exit status."""
    from memtheory.studies.raf_real import parse_log_grid, prepare, real_protocol, write_real_csv

    rule = [c.strip() for c in args.rule.split(",") if c.strip()]
    if len(rule) != 2:
        raise ValueError(f"rule must name two classes separated by a comma, got {args.rule!r}")
    etas = parse_log_grid(args.eta)
    if (etas <= 0).any():
        raise ValueError("eta values must be > 0")
    lams = parse_log_grid(args.lam)
    learners = [s.strip().lower() for s in args.learners.split(",") if s.strip()]
    if args.repeats < 1:
        raise ValueError(f"repeats must be a positive integer, got {args.repeats}")
    data, rule, facts = prepare(args.data, rule, args.facts)  # bad files and classes fail before the bar
    if not 0.0 <= args.epsilon <= 1.0 or not args.alpha > 0:
        raise ValueError(f"need alpha > 0 and epsilon in [0, 1], got alpha={args.alpha}, epsilon={args.epsilon}")
    with progress_bar(args, total=args.repeats, desc="raf real", unit="repeat") as bar:
        result = real_protocol(data, rule=rule, facts=facts, alpha=args.alpha, epsilon=args.epsilon,
                               etas=etas, lams=lams, repeats=args.repeats, learners=learners, seed=args.seed,
                               theory=not args.no_theory, progress=bar.update)
    os.makedirs(args.out, exist_ok=True)
    csv_path = write_real_csv(result, os.path.join(args.out, "raf_real.csv"))
    import matplotlib

    matplotlib.use("Agg")
    from memtheory.figures.raf_real_data import plot_real_tradeoff

    fig = plot_real_tradeoff(result)
    png = os.path.join(args.out, "raf_real.png")
    fig.savefig(png, dpi=150)
    if args.json:
        print_json({**{k: v for k, v in result.items() if np.ndim(v) == 0 and not isinstance(v, dict)},
                    "repeats": args.repeats, "csv": csv_path, "png": png})
        return 0
    print(f"{result['data']}: n = {result['n']} training samples (d = {result['d']}), {args.repeats} repeats; "
          f"wrote {csv_path} and {png}")
    return 0
