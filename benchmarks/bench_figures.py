"""Timings of the figure gallery ("Speed"); prints one line per measurement.

Targets on 2 cores: the full RAF gallery from an empty cache in < 5 min; a 200 × 101 (α, ε) phase
diagram (``memtheory raf phase-diagram``) in < 20 s; a cached rerun of the gallery in < 30 s.

Run: ``.venv/bin/python benchmarks/bench_figures.py [--fresh-numba] [--skip-cold] [--all]``.
Everything runs through the real CLI in a subprocess (start-up, imports and loading the compiled
kernels included), with a temporary output and cache directory, so the user's result cache
(``MEMTHEORY_CACHE_DIR``, default ``~/.cache/memtheory/results``) is left alone. ``--all`` adds a
cached rerun of the whole gallery (every group), which first fills the temporary cache with the other groups' data (slow, uncounted). The machine's
load average is printed because shared cores change the numbers several-fold.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEMTHEORY = [sys.executable, "-m", "memtheory"]


def timed(args: list[str], numba_cache: str | None = None) -> float:
    """Wall time of one ``memtheory`` command; raises if it fails."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    env.setdefault("NUMBA_CACHE_DIR", str(ROOT / ".numba_cache"))
    if numba_cache is not None:
        env["NUMBA_CACHE_DIR"] = numba_cache
    start = time.perf_counter()
    proc = subprocess.run(MEMTHEORY + args, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"command failed ({proc.returncode}): memtheory {' '.join(args)}")
    return seconds


def report(label: str, seconds: float, target: float) -> None:
    verdict = "ok" if seconds < target else "SLOW"
    print(f"{label:48s} {seconds:8.1f} s   (target < {target:g} s: {verdict})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-cold", action="store_true", help="skip the empty-cache gallery run")
    ap.add_argument("--all", action="store_true", help="also time a cached rerun of every figure group")
    ap.add_argument("--loss", default="hinge", help="loss of the 200 × 101 phase diagram (default hinge)")
    ap.add_argument("--fresh-numba", action="store_true",
                    help="start from an empty numba cache, as on a fresh clone (JIT compilation is timed)")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="bench_figures_") as tmp:
        tmp = Path(tmp)
        numba = str(tmp / "numba") if args.fresh_numba else None
        if args.fresh_numba:
            print("numba cache: empty at start (compilation included in the first command)")
        gallery = ["figures", "--only", "raf", "--out", str(tmp / "out"), "--cache-dir", str(tmp / "cache"),
                   "--no-progress"]
        if not args.skip_cold:
            report("RAF gallery, empty cache", timed(gallery, numba), 300)
            report("RAF gallery, cached rerun", timed(gallery, numba), 30)
        for learner in ("linear", "kernel"):
            seconds = timed(["raf", "phase-diagram", "--learner", learner, "--loss", args.loss, "--lam", "0.001",
                             "--alpha", "0.1:5:200", "--epsilon", "0:1:101", "--out", str(tmp / f"pd_{learner}.png")],
                            numba)
            report(f"phase diagram 200x101, {learner} {args.loss}", seconds, 20)
        if args.all:
            everything = ["figures", "--out", str(tmp / "all"), "--cache-dir", str(tmp / "cache"), "--no-progress"]
            try:
                timed(everything, numba)  # fills the cache for the other groups; not a measurement
            except SystemExit as exc:
                print(f"note: {exc}")
            report("whole gallery, cached rerun", timed(everything, numba), 30)


if __name__ == "__main__":
    main()
