"""``memtheory capacity``: fact-memorization capacity bounds, the Gardner bridge and the sweep.

Examples
--------
``memtheory capacity bound --params 110e6 --bits-per-param 2 --facts 1e7 --values 1e7 --zipf 1.1``
``memtheory capacity gardner --epsilon 1``
``memtheory capacity experiment --config tiny``
``memtheory capacity lm-experiment --config smoke --out lm_out``
"""

from __future__ import annotations

import argparse
import math

from memtheory.commands._io import check_npz_file, check_output_dir, print_json
from memtheory.commands._ux import add_quiet_flag, progress_enabled

__all__ = ["register"]


def _float_list(text: str) -> list[float]:
    items = text.split(",")
    try:
        # An empty item ("2,,3", "3,") is a typo, not a request for fewer attributes: refuse it.
        if any(not v.strip() for v in items):
            raise ValueError
        vals = [float(v) for v in items]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or a comma list of numbers, got {text!r}") from None
    return vals


def _int_list(text: str) -> list[int]:
    vals = _float_list(text)
    if any(v != math.floor(v) for v in vals):
        raise argparse.ArgumentTypeError(f"expected integers, got {text!r}")
    return [int(v) for v in vals]


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _bound(args) -> int:
    from memtheory.solvers.capacity import capacity_bounds

    b = capacity_bounds(args.params, args.bits_per_param, args.facts, args.values, zipf=args.zipf,
               exposures=args.exposures, min_exposures=args.min_exposures)
    d = b.to_dict()
    if args.json:
        # strict JSON: an infinite ratio (capacity near zero) is printed as the string "inf"
        print_json(d)
        return 0
    labels = {
        "params": "parameters P",
        "bits_per_param": "bits/parameter b",
        "capacity_bits": "capacity C = b·P [bits]",
        "n_facts": "facts N",
        "entropy_bits": "bits per fact H = Σ log2 K",
        "info_ratio": "information ratio N·H/C",
        "m_star": "facts storable exactly m* = min(N, C/H)",
        "subset_accuracy": "memorize-a-subset accuracy (§3.3b)",
        "p_star": "rate–distortion bound p* (§3.3a)",
        "weighted_accuracy": "frequency-weighted optimum (§3.4)",
        "zipf": "Zipf exponent",
        "exposures": "total exposures E",
        "min_exposures": "threshold E*",
        "facts_with_min_exposures": "facts with ≥ E* expected exposures",
    }
    for key, label in labels.items():
        print(f"{label:42s} {_fmt(d[key])}")
    return 0


def _gardner(args) -> int:
    from memtheory.solvers.capacity.gardner import gardner_bits_at_threshold

    out = gardner_bits_at_threshold(args.epsilon)
    d = {"epsilon": args.epsilon, "alpha_c": out["alpha_c"], "bits_per_param": out["bits_per_param"],
         "capacity_share": out["bits_per_param"] / 2.0}
    if args.json:
        print_json(d)
    else:
        print(f"linear hinge learner, λ → 0, ε = {args.epsilon:g}: α_c = {d['alpha_c']:.6g}, "
              f"stored fact bits/parameter at α_c = {d['bits_per_param']:.2f} "
              f"({100 * d['capacity_share']:.1f} % of 2 bits/parameter)")
    return 0


def _experiment(args) -> int:
    from dataclasses import replace

    import numpy as np

    import torch  # noqa: F401  (a missing torch is one line naming the extra, see memtheory.cli)

    from memtheory.simulations.facts.configs import CONFIGS
    from memtheory.simulations.facts.experiment import run_sweep, summarize

    if args.out:
        check_npz_file(args.out, "--out")
    if args.threads is not None and args.threads < 1:
        raise ValueError(f"--threads must be >= 1, got {args.threads}")
    if args.exposures is not None and args.exposures < 1:
        raise ValueError(f"--exposures must be >= 1, got {args.exposures}")
    if args.device is not None:
        _check_device(args.device)
    cfg = CONFIGS[args.config]
    if args.n_facts:
        cfg = replace(cfg, n_facts=tuple(args.n_facts))
    if args.seeds:
        cfg = replace(cfg, seeds=tuple(args.seeds))
    if args.zipf is not None:
        cfg = replace(cfg, zipf=args.zipf)
    train = cfg.train
    if args.exposures is not None:
        train = replace(train, exposures=args.exposures)
    if args.device is not None:
        train = replace(train, device=args.device)
    if args.threads is not None:
        train = replace(train, threads=args.threads)
    cfg = replace(cfg, train=train)
    if args.no_ablations:
        cfg = replace(cfg, ablations=False)
    result = run_sweep(cfg, progress=progress_enabled(args))
    if args.out:
        np.savez(args.out, **{k: np.asarray(v) for k, v in result.items()})
    if args.json:
        print_json({k: v for k, v in result.items() if np.ndim(v) == 0})
    else:
        print(summarize(result))
    return 0


def _lm_experiment(args) -> int:
    from dataclasses import replace

    import torch  # noqa: F401  (a missing torch is one line naming the extra, see memtheory.cli)

    from memtheory.simulations.lm.configs import CONFIGS
    from memtheory.studies.lm_facts import lm_summary, run_lm_study, write_lm_outputs

    cfg = CONFIGS[args.config]
    if args.device is not None:
        _check_device(args.device)
    if args.threads is not None and args.threads < 1:
        raise ValueError(f"--threads must be a positive integer, got {args.threads}")
    check_output_dir(args.out)
    if args.seeds:
        cfg = replace(cfg, seeds=tuple(args.seeds))
    train = cfg.train
    if args.exposures is not None:
        train = replace(train, exposures=args.exposures)
    if args.device is not None:
        train = replace(train, device=args.device)
    if args.threads is not None:
        train = replace(train, threads=args.threads)
    cfg = replace(cfg, train=train)
    data = run_lm_study(cfg, progress=progress_enabled(args))
    write_lm_outputs(data, args.out)
    s = lm_summary(data)
    if args.json:
        print_json(s)
        return 0
    print(f"P = {s['n_params']} parameters ({s['n_params_non_embedding']} without embeddings), "
          f"H = {s['entropy_bits']:.2f} bits per individual")
    print(f"capacity C = {s['capacity_bits']:.0f} bits = {s['bits_per_param']:.4f} bits/param, "
          f"m* = C/H = {s['m_star_individuals']:.1f} individuals ({s['m_star_facts']:.1f} facts); "
          f"selection keeps {s['keep_individuals']}")
    print(f"at N = {s['n_individuals']} individuals:")
    for arm, v in s["arms"].items():
        print(f"  {arm:18s} facts memorized {v['facts_memorized']:8.1f} ± {v['facts_memorized_sem']:.1f} "
              f"of {v['n_facts_trained']} (accuracy {v['accuracy']:.3f}, {v['n_seeds']} seeds)")
    if "zipf_selection_over_standard" in s:
        r = s["zipf_selection_over_standard"]
        print(f"  Zipf selection / standard = {r['ratio']:.3f} ± {r['ratio_sem']:.3f}")
    print(f"wrote {args.out}/summary.json and {args.out}/runs.csv")
    return 0


def _check_device(device: str) -> None:
    """Refuse a torch device string that torch cannot parse or use here (before any training)."""
    import torch

    try:
        dev = torch.device(device)
    except (RuntimeError, ValueError, TypeError):
        raise ValueError(f"--device {device!r} is not a torch device; allowed: cpu, cuda, cuda:N, mps") from None
    if dev.type == "cpu":
        return
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"--device {device!r}: CUDA is not available here; use --device cpu")
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise ValueError(f"--device {device!r}: only {torch.cuda.device_count()} CUDA device(s)")
        return
    if dev.type == "mps" and getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return
    raise ValueError(f"--device {device!r} is not available here; allowed: cpu, cuda (if present), mps (if present)")


def register(subparsers) -> None:
    """Add the ``capacity`` command group."""
    p = subparsers.add_parser("capacity", help="fact-memorization capacity: bounds, Gardner bridge, experiment",
                              description="Fact-memorization capacity (docs/theory/capacity.md).")
    sub = p.add_subparsers(dest="capacity_command", metavar="SUBCOMMAND")
    sub.required = True

    b = sub.add_parser("bound", help="every capacity bound for P parameters and N facts")
    b.add_argument("--params", type=float, required=True, help="parameter count P (state its convention)")
    b.add_argument("--bits-per-param", default="2",
                   help="b > 0 or a preset: allen-zhu-1000 (2), allen-zhu-100 (1), morris (3.6), morris-bf16, "
                        "morris-fp32 (default 2)")
    b.add_argument("--facts", type=float, required=True, help="number of facts N")
    b.add_argument("--values", type=_float_list, required=True,
                   help="value alphabet size K, or a comma list of per-attribute sizes")
    b.add_argument("--zipf", type=float, default=None, help="Zipf exponent s of the fact frequencies")
    b.add_argument("--exposures", type=float, default=None, help="total exposures E (with --min-exposures)")
    b.add_argument("--min-exposures", type=float, default=None, help="exposure threshold E*")
    b.add_argument("--json", action="store_true", help="print one JSON object")
    b.set_defaults(handler=_bound)

    g = sub.add_parser("gardner", help="stored fact bits/parameter of the RAF linear hinge learner at α_c")
    g.add_argument("--epsilon", type=float, default=1.0, help="fraction of facts ε in (0, 1] (default 1)")
    g.add_argument("--json", action="store_true", help="print one JSON object")
    g.set_defaults(handler=_gardner, uses_kernels=True)

    e = sub.add_parser("experiment", help="run a configured fact-memorization sweep (PyTorch)")
    e.add_argument("--config", choices=("tiny", "cpu", "gpu"), default="tiny",
                   help="tiny (seconds), cpu (the gallery's, minutes), gpu (large, device cuda)")
    e.add_argument("--n-facts", type=_int_list, default=None, help="override the N grid (comma list)")
    e.add_argument("--seeds", type=_int_list, default=None, help="override the seeds (comma list)")
    e.add_argument("--zipf", type=float, default=None, help="override the Zipf exponent")
    e.add_argument("--exposures", type=int, default=None, help="override the exposure budget per run")
    e.add_argument("--device", default=None, help="torch device (cpu, cuda)")
    e.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    e.add_argument("--no-ablations", action="store_true", help="skip the flatten-only / limit-only runs")
    e.add_argument("--out", default=None, metavar="FILE.npz", help="save every array to this .npz file")
    e.add_argument("--json", action="store_true", help="print the scalar results as one JSON object")
    add_quiet_flag(e)
    e.set_defaults(handler=_experiment)

    lm = sub.add_parser("lm-experiment", help="facts memorized by a small GPT on biographies, with selection (PyTorch)")
    lm.add_argument("--config", choices=("smoke", "cpu", "gpu"), default="smoke",
                    help="smoke (< 1 min), cpu (the gallery's, minutes), gpu (GPT-2-like sizes, CUDA)")
    lm.add_argument("--out", required=True, help="directory for summary.json and runs.csv")
    lm.add_argument("--seeds", type=_int_list, default=None, help="override the held-out seeds (comma list)")
    lm.add_argument("--exposures", type=int, default=None, help="override the training sentences per run")
    lm.add_argument("--device", default=None, choices=("cpu", "cuda", "auto"), help="torch device")
    lm.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    lm.add_argument("--json", action="store_true", help="print summary.json to stdout")
    add_quiet_flag(lm)
    lm.set_defaults(handler=_lm_experiment)
