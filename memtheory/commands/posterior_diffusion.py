"""``memtheory posterior diffusion-experiment``: trained diffusion models on real images vs the memorized prior.

Runs :func:`memtheory.studies.diffusion_real.run_experiment` and writes ``DIR/summary.json`` (per-N
lists aligned with ``n_train``: memorization rate and its binomial standard error, TV distance, RMSEs,
score errors) and ``DIR/result.npz`` (every array). With ``--data digits`` the result is shared with the
figure gallery's cache (same producer, parameters and code fingerprint), so after ``memtheory figures``
the ``cpu`` run only reads it back.
"""

from __future__ import annotations

import sys
from pathlib import Path

from memtheory.commands._io import print_json
from memtheory.commands._ux import add_json_flag, add_quiet_flag, progress_enabled

_PRODUCER = "memtheory.studies.diffusion_real:trained_prior_study"


def register_diffusion(sub) -> None:
    """Add the ``diffusion-experiment`` sub-command to the ``posterior`` group."""
    e = sub.add_parser("diffusion-experiment",
                       help="train score MLPs on N real images; memorization rate, score error, inpainting (PyTorch)")
    e.add_argument("--config", choices=("smoke", "cpu", "gpu"), default="smoke",
                   help="smoke (tests, < 2 min), cpu (the gallery's, minutes on one thread), gpu (device cuda)")
    e.add_argument("--data", default="digits", help="'digits' (scikit-learn, offline) or a .npz file with an array X")
    e.add_argument("--out", required=True, metavar="DIR", help="output directory (summary.json, result.npz)")
    e.add_argument("--no-cache", action="store_true", help="recompute even if the gallery cache holds the result")
    e.add_argument("--cache-dir", default=None, help="result-cache directory (default: $MEMTHEORY_CACHE_DIR, else the user cache directory)")
    e.add_argument("--jobs", type=int, default=1, help="worker processes, one training-set size each (default 1)")
    add_quiet_flag(e)
    add_json_flag(e, help="print summary.json (strict JSON) on stdout instead of the table")
    e.set_defaults(handler=_diffusion_experiment)


def _cached_run(args):
    """The gallery's cache entry for ``(config, digits)``, or None when it cannot be used."""
    try:
        from memtheory.figures.gallery import producer_fingerprint
        from memtheory.core.cache import DiskCache

        cache = DiskCache(args.cache_dir)
        fingerprint = producer_fingerprint(_PRODUCER)
    except Exception:  # a changed cache layer must not stop the experiment: just compute
        return None, None
    params = {"config": args.config, "data": args.data}
    hit = cache.load(_PRODUCER, params, fingerprint)
    store = (lambda data: cache.store(_PRODUCER, params, data, fingerprint=fingerprint))  # noqa: E731
    return (hit.data if hit is not None else None), store


def _diffusion_experiment(args) -> int:
    import numpy as np

    import torch  # noqa: F401  (a missing torch is one line naming the extra, see memtheory.cli)
    from memtheory.simulations.image_data import load_image_data
    from memtheory.studies.diffusion_real import get_config, run_experiment, write_summary

    get_config(args.config)
    if args.jobs < 1:
        raise ValueError(f"--jobs must be >= 1, got {args.jobs}")
    load_image_data(args.data)  # a bad data file fails here, in one line, before any training
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"--out: cannot create directory {str(out)!r} ({exc.strerror})") from None
    result, store = (None, None)
    if args.data == "digits" and not args.no_cache:
        result, store = _cached_run(args)
    if result is None:
        result = run_experiment(args.config, args.data, progress=progress_enabled(args), jobs=args.jobs)
        if store is not None:
            try:
                store(result)
            except Exception:
                pass  # caching is an optimisation only
    else:
        print("memtheory: using the cached result (same config, data and code); --no-cache recomputes", file=sys.stderr)
    write_summary(result, out / "summary.json", args.config)
    np.savez_compressed(out / "result.npz", **{k: np.asarray(v) for k, v in result.items()})
    if args.json:
        from memtheory.studies.diffusion_real import summary

        print_json(summary(result, args.config))
        return 0
    n = list(np.asarray(result["n_train"]))
    print(f"{'N':>6} {'mem. rate':>10} {'± sem':>7} {'fresh':>6} {'TV SMC':>7} {'± sem':>6} {'exact':>6} "
          f"{'TV DPS':>7} {'± sem':>6} {'exact':>6} {'RMSE SMC':>8} {'RMSE DPS':>8} {'RMSE closed':>11} {'best lookup':>11}")
    for i, N in enumerate(n):
        print(f"{N:>6} {result['memorization_rate'][i]:>10.3f} {result['memorization_rate_sem'][i]:>7.3f} "
              f"{result['fresh_memorization_rate'][i]:>6.3f} {result['tv_smc'][i]:>7.3f} {result['tv_smc_sem'][i]:>6.3f} "
              f"{result['tv_exact_smc'][i]:>6.3f} {result['tv_dps'][i]:>7.3f} {result['tv_dps_sem'][i]:>6.3f} "
              f"{result['tv_exact_dps'][i]:>6.3f} {result['rmse_smc'][i]:>8.3f} {result['rmse_dps'][i]:>8.3f} "
              f"{result['rmse_closed'][i]:>11.3f} {result['rmse_best_lookup'][i]:>11.3f}")
    print(f"wrote {out / 'summary.json'} and {out / 'result.npz'}")
    return 0
