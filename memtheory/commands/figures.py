"""``memtheory figures``: produce the figure gallery (PNG, PDF, data, ``index.html``)."""

from __future__ import annotations

import argparse
import sys

from memtheory.commands._io import check_output_dir


def register(subparsers) -> None:
    """Add the ``figures`` command to the top-level subparsers."""
    p = subparsers.add_parser(
        "figures",
        help="produce the figure gallery (PNG + PDF + data + index.html)",
        description="Compute (or load from the cache) the data of every gallery figure, draw it and "
                    "write PNG, PDF, the data (NPZ/CSV) and an index.html gallery.",
    )
    p.add_argument("--only", nargs="+", metavar="NAME", default=None,
                   help="figure names, groups (raf, capacity, posterior) or shell patterns")
    p.add_argument("--out", default="figures/out", metavar="DIR", help="output directory (default %(default)s)")
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="on-disk cache of the computed data (default $MEMTHEORY_CACHE_DIR, else "
                        "$XDG_CACHE_HOME/memtheory/results or ~/.cache/memtheory/results)")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes for the computations (default: min(2, CPU count))")
    p.add_argument("--refresh", action="store_true", help="recompute the data even when cached")
    p.add_argument("--list", action="store_true", help="list the available figures and exit")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    p.add_argument("--quiet", dest="no_progress", action="store_true", help="same as --no-progress")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``memtheory figures``; returns 0, or 1 if some figure could not be produced."""
    from memtheory.figures.gallery import collect_figures, run_gallery, select_figures

    if args.list:
        figures, notes = collect_figures()
        for fig in select_figures(figures, args.only):
            print(f"{fig.name:32s} {fig.group:10s} {fig.title}")
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        return 0
    check_output_dir(args.out, "--out")
    report = run_gallery(args.out, only=args.only, cache_dir=args.cache_dir, jobs=args.jobs,
                         refresh=args.refresh, progress=not args.no_progress)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    counts = {s: sum(o.status == s for o in report.outcomes) for s in ("computed", "cached", "failed")}
    print(f"wrote {len(report.outcomes) - counts['failed']} figures to {report.index} "
          f"({counts['computed']} computed, {counts['cached']} from cache, {counts['failed']} failed) "
          f"in {report.seconds:.1f} s")
    for o in report.failed:
        print(f"memtheory figures: {o.figure.name} failed: {o.error}", file=sys.stderr)
    return 1 if report.failed else 0
