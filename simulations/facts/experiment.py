"""The capacity sweep (docs/theory/capacity.md §4 steps 3–5; reconstruction).

A fixed MLP is trained on fact sets of growing size ``N`` (information ratio ``N·H/C`` from about 0.1
to 10), with uniform and Zipf frequencies, by standard training and with the loss-based selection
of docs/theory/capacity.md §4 (plus its two one-sided ablations under Zipf). The empirical capacity ``C_emp`` is the
plateau (maximum over ``N``) of the loss-implied bits (Morris-style, clipped) of standard training
on uniform facts, and ``m* = C_emp/H``. Selection keeps ``keep_ratio·m*`` facts.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np

from memtheory.core.checks import check_int, check_number
from .datasets import make_facts
from .selection import SelectionConfig
from .training import ModelConfig, TrainConfig

__all__ = ["CONDITIONS", "SweepConfig", "run_sweep", "summarize"]

#: (name, frequency law, selection variant); variant None is standard training.
CONDITIONS = (
    ("uniform_standard", "uniform", None),
    ("zipf_standard", "zipf", None),
    ("uniform_selection", "uniform", "both"),
    ("zipf_selection", "zipf", "both"),
    ("zipf_flatten_only", "zipf", "flatten"),
    ("zipf_limit_only", "zipf", "limit"),
)
_METRICS = ("n_memorized", "n_stored", "acc", "acc_weighted", "acc_bits", "bits_morris", "bits_az")
_HIST = ("exposures", "n_memorized", "bits_morris", "acc_weighted", "n_selected")


@dataclass(frozen=True)
class SweepConfig:
    """Everything that defines one sweep (all of it goes into the figure cache key).

    Attributes
    ----------
    n_values : int
        ``K`` (``H = log2 K`` bits per fact).
    n_facts : tuple of int
        The ``N`` grid.
    zipf : float
        Exponent of the skewed condition.
    model : ModelConfig
    train : TrainConfig
    selection : SelectionConfig
        ``keep_facts=None`` means ``keep_ratio·m*`` with ``m*`` measured by the standard runs.
    selection_min_ratio : float
        Selection runs only for ``N >= selection_min_ratio·keep`` (below, nothing is pruned by the
        limit side and standard training already stores almost every fact).
    ablations : bool
        Also run flatten-only and limit-only under Zipf.
    seeds : tuple of int
        Each condition is averaged over these seeds (data, initialisation and stream).
    """

    n_values: int = 256
    n_facts: tuple = (500, 1000, 2000, 3000, 4000, 6000, 10000, 20000, 40000)
    zipf: float = 1.0
    model: ModelConfig = ModelConfig()
    train: TrainConfig = TrainConfig()
    selection: SelectionConfig = SelectionConfig()
    selection_min_ratio: float = 0.5
    ablations: bool = True
    seeds: tuple = (0,)

    def __post_init__(self):
        check_int("n_values", self.n_values, lo=2)
        ns = tuple(check_int("n_facts", n, lo=1) for n in self.n_facts)
        if not ns or list(ns) != sorted(set(ns)):
            raise ValueError("n_facts must be a non-empty strictly increasing list of integers >= 1")
        object.__setattr__(self, "n_facts", ns)
        check_number("zipf", self.zipf, lo=0.0)
        object.__setattr__(self, "seeds", tuple(check_int("seeds", s, lo=0) for s in self.seeds))
        if not self.seeds:
            raise ValueError("seeds must list at least one seed")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "SweepConfig":
        d = dict(d)
        model = ModelConfig(**d.pop("model", {}))
        train = TrainConfig(**d.pop("train", {}))
        selection = SelectionConfig(**d.pop("selection", {}))
        for key in ("n_facts", "seeds"):
            if key in d:
                d[key] = tuple(d[key])
        return cls(model=model, train=train, selection=selection, **d)


def _selection_for(variant: str, base: SelectionConfig) -> SelectionConfig:
    if variant == "both":
        return replace(base, flatten=True, limit=True)
    if variant == "flatten":
        return replace(base, flatten=True, limit=False)
    return replace(base, flatten=False, limit=True)


def run_sweep(cfg: SweepConfig, progress: bool = False) -> dict:
    """Run the capacity sweep (docs/theory/capacity.md §4 steps 3–5).

    Parameters
    ----------
    cfg : SweepConfig
    progress : bool
        Show tqdm progress bars (one for standard training, one for the selection runs).

    Returns
    -------
    dict
        ``n_facts``, ``entropy_bits``, ``params``; ``capacity_emp_bits`` (max over ``N`` of the
        Morris-style loss-implied bits of standard uniform training), ``capacity_emp_bits_az``,
        ``capacity_emp_bits_all_runs``, ``m_star``, ``keep_facts``; ``limit_facts`` (``min(N, m*)``) and
        ``limit_matches`` (``+ (N − m*)/K`` lucky guesses); ``capacity_emp_bits_all_runs`` (± ``_se``), the
        largest loss-implied bits of any condition and ``N`` (``capacity_all_runs_condition``,
        ``capacity_all_runs_n_facts``) and ``m_star_all_runs`` = that / ``H``; ``n_seeds``;
        ``selection_start_exposures`` (end of the warm-up); per condition of :data:`CONDITIONS`
        ``<cond>__<metric>`` arrays over ``N`` (NaN where not run) with their standard errors over
        seeds ``<cond>__<metric>_se`` (0 for one seed), ``<cond>__best_*`` scalars at the ``N``
        with the most exact matches, and ``<cond>__hist_*`` training histories of that run.
    """
    from tqdm.auto import tqdm

    from .training import train

    h = math.log2(cfg.n_values)
    ns = np.asarray(cfg.n_facts)
    out: dict = {"n_facts": ns.astype(float), "entropy_bits": h, "zipf": float(cfg.zipf)}
    runs: dict = {}

    def do(cond, freq, variant, n, keep, bar):
        finals, hists = [], []
        for seed in cfg.seeds:
            data = make_facts(n, cfg.n_values, cfg.model.key_dim, cfg.zipf if freq == "zipf" else 0.0, seed)
            sel = None if variant is None else _selection_for(variant, cfg.selection)
            r = train(data, cfg.model, cfg.train, sel, keep_facts=keep, seed=seed)
            finals.append(r.final)
            hists.append(r.history)
            out["params"] = r.params
            bar.update(1)
        # standard error over seeds (0 for a single seed: no spread measured)
        se = {k: float(np.std([f[k] for f in finals], ddof=1) / math.sqrt(len(finals))) if len(finals) > 1
              else 0.0 for k in finals[0]}
        runs[(cond, n)] = (
            {k: float(np.mean([f[k] for f in finals])) for k in finals[0]},
            {k: np.mean([hh[k] for hh in hists], axis=0) for k in _HIST},
            se,
        )

    standard = [c for c in CONDITIONS if c[2] is None]
    n_std = len(standard) * ns.size * len(cfg.seeds)
    with tqdm(total=n_std, desc="standard training", disable=not progress, unit="run") as bar:
        for cond, freq, variant in standard:
            for n in cfg.n_facts:
                do(cond, freq, variant, n, None, bar)

    c_emp = max(runs[("uniform_standard", n)][0]["bits_morris"] for n in cfg.n_facts)
    c_emp_az = max(runs[("uniform_standard", n)][0]["bits_az"] for n in cfg.n_facts)
    m_star = c_emp / h
    keep = cfg.selection.keep_facts or max(1, int(round(cfg.selection.keep_ratio * m_star)))
    out.update(capacity_emp_bits=c_emp, capacity_emp_bits_az=c_emp_az, m_star=m_star, keep_facts=keep,
               capacity_emp_bits_per_param=c_emp / out["params"])

    selected = [c for c in CONDITIONS if c[2] is not None and (cfg.ablations or c[2] == "both")]
    n_sel_grid = [n for n in cfg.n_facts if n >= cfg.selection_min_ratio * keep]
    with tqdm(total=len(selected) * len(n_sel_grid) * len(cfg.seeds), desc="selection",
              disable=not progress, unit="run") as bar:
        for cond, freq, variant in selected:
            for n in n_sel_grid:
                do(cond, freq, variant, n, keep, bar)

    # sensitivity of the capacity estimate: the largest loss-implied bits of any run of the sweep
    (top_cond, top_n), top = max(runs.items(), key=lambda kv: kv[1][0]["bits_morris"])
    out["capacity_emp_bits_all_runs"] = top[0]["bits_morris"]
    out["capacity_emp_bits_all_runs_se"] = top[2]["bits_morris"]
    out["capacity_all_runs_condition"] = top_cond
    out["capacity_all_runs_n_facts"] = float(top_n)
    out["m_star_all_runs"] = top[0]["bits_morris"] / h
    out["n_seeds"] = len(cfg.seeds)
    out["selection_start_exposures"] = float(cfg.selection.warmup * cfg.train.exposures)
    out["info_ratio"] = ns * h / c_emp
    out["limit_facts"] = np.minimum(ns, m_star)
    # the same limit counted as exact matches: stored facts plus lucky guesses at rate 1/K (docs/theory/capacity.md §3)
    out["limit_matches"] = out["limit_facts"] + (ns - out["limit_facts"]) / cfg.n_values
    for cond, _, _ in CONDITIONS:
        ran = [(n, runs[(cond, n)]) for n in cfg.n_facts if (cond, n) in runs]
        for metric in _METRICS:
            col = np.full(ns.size, np.nan)
            col_se = np.full(ns.size, np.nan)
            for i, n in enumerate(cfg.n_facts):
                if (cond, n) in runs:
                    col[i] = runs[(cond, n)][0][metric]
                    col_se[i] = runs[(cond, n)][2][metric]
            out[f"{cond}__{metric}"] = col
            out[f"{cond}__{metric}_se"] = col_se
        for metric in ("bits_morris", "acc_bits"):
            name = "bits_morris_per_param" if metric == "bits_morris" else "acc_bits_per_param"
            out[f"{cond}__{name}"] = out[f"{cond}__{metric}"] / out["params"]
            out[f"{cond}__{name}_se"] = out[f"{cond}__{metric}_se"] / out["params"]
        if ran:
            best_n, (best_final, best_hist, _) = max(ran, key=lambda t: t[1][0]["n_memorized"])
            out[f"{cond}__best_n_memorized"] = best_final["n_memorized"]
            out[f"{cond}__best_n_facts"] = float(best_n)
            out[f"{cond}__best_over_m_star"] = best_final["n_memorized"] / m_star
            out[f"{cond}__best_n_stored"] = best_final["n_stored"]
            out[f"{cond}__best_stored_over_m_star"] = best_final["n_stored"] / m_star
            for k in _HIST:
                out[f"{cond}__hist_{k}"] = np.asarray(best_hist[k], dtype=float)
    return out


def summarize(result: dict) -> str:
    """Human-readable table of a sweep result."""
    lines = [
        f"P = {result['params']} parameters, H = {result['entropy_bits']:.3f} bits/fact",
        f"C_emp = {result['capacity_emp_bits']:.0f} bits ({result['capacity_emp_bits_per_param']:.3f} bits/param; "
        f"Allen-Zhu-style plateau {result['capacity_emp_bits_az']:.0f}), m* = C_emp/H = {result['m_star']:.0f} facts, "
        f"selection keeps {result['keep_facts']} facts",
        f"(largest loss-implied bits of any run: {result['capacity_emp_bits_all_runs']:.0f}, i.e. "
        f"m* would be {result['capacity_emp_bits_all_runs'] / result['entropy_bits']:.0f})",
    ]
    for cond, _, _ in CONDITIONS:
        key = f"{cond}__best_n_memorized"
        if key in result:
            lines.append(
                f"{cond:20s} best N = {result[f'{cond}__best_n_facts']:8.0f}: memorized "
                f"{result[key]:8.0f} facts = {result[f'{cond}__best_over_m_star']:.3f} m* "
                f"(chance-corrected {result[f'{cond}__best_n_stored']:8.0f} = "
                f"{result[f'{cond}__best_stored_over_m_star']:.3f} m*)")
    return "\n".join(lines)
