"""The biography-LM experiment: facts memorized vs N and vs model size, standard vs loss-based selection.

1. **Capacity.** Standard training on uniform frequencies over the ``N`` grid at the base model size;
   the measured capacity ``C`` is the plateau (maximum over ``N``) of the loss-implied bits
   ``Σ max(0, log2 K_a − L/ln2)`` (mean over seeds), ``C/P`` the bits per parameter, and
   ``m* = C/H`` the number of individuals whose facts fit (``docs/theory/lm_facts.md``, "Capacity").
2. **N sweep.** Zipf standard training over the grid; loss-based selection keeping ``keep_ratio·m*``
   individuals for ``N >= selection_min_ratio·keep``; at the largest ``N`` also uniform selection and the
   two one-sided ablations (flatten only, limit only).
3. **Size sweep.** At the largest ``N``, Zipf standard vs Zipf selection for each model width; the
   selection target for a width is ``keep_ratio·(C/P)·P_width/H`` (the base size's bits per parameter
   carried over).

Every run's final metrics go into one row of a table; the largest-``N`` arms and the sweeps are reduced to
means and standard errors over seeds. The selection thresholds are parameters; the configurations say
on which seed they were chosen and which seeds they are tested on.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from memtheory.core.checks import check_int, check_number
from .biographies import make_biographies
from .model import GPTConfig, gpt_parameter_count
from .selection import SelectionConfig
from .training import LMTrainConfig

__all__ = ["ARMS", "LMExperimentConfig", "lm_experiment_data", "run_lm_experiment", "summary_from_data"]

#: arm -> (frequency law, selection variant or None)
ARMS = {
    "uniform_standard": ("uniform", None),
    "zipf_standard": ("zipf", None),
    "uniform_selection": ("uniform", "both"),
    "zipf_selection": ("zipf", "both"),
    "zipf_flatten_only": ("zipf", "flatten"),
    "zipf_limit_only": ("zipf", "limit"),
}
_ROW_METRICS = ("facts_memorized", "facts_stored", "accuracy", "acc_weighted", "bits_morris", "bits_az",
                "bits_facts", "mean_value_nll", "n_individuals_kept", "train_loss")


@dataclass(frozen=True)
class LMExperimentConfig:
    """Everything that defines one experiment (all of it goes into the figure cache key).

    Attributes
    ----------
    n_individuals : tuple of int
        The ``N`` grid (strictly increasing); the largest is where the arms and the size sweep run.
    n_values, attributes : tuple
        ``K_a`` and the attribute names (``H = Σ log2 K_a``).
    zipf : float
        Exponent of the skewed frequencies over individuals.
    model : GPTConfig
        Base size (N sweep).
    widths : tuple of int
        ``d_model`` of the size sweep (same depth and heads as ``model``); must include the base width.
    train : LMTrainConfig
    selection : SelectionConfig
    selection_min_ratio : float
        Selection runs in the N sweep only for ``N >= selection_min_ratio·keep``.
    seeds : tuple of int
        Seeds of the largest-``N`` arms and the size sweep (held out from the threshold choice).
    sweep_seeds : tuple of int
        Seeds of the smaller ``N`` of the sweep.
    ablations : bool
        Run uniform selection, flatten only and limit only at the largest ``N`` (on ``sweep_seeds``).
    """

    n_individuals: tuple = (50, 100, 200, 400)
    n_values: tuple = (256, 256)
    attributes: tuple = ("birth_city", "employer")
    zipf: float = 1.0
    model: GPTConfig = GPTConfig(d_model=32, n_layers=1, n_heads=4)
    widths: tuple = (24, 32, 48)
    train: LMTrainConfig = LMTrainConfig()
    selection: SelectionConfig = SelectionConfig()
    selection_min_ratio: float = 0.5
    seeds: tuple = (1, 2, 3)
    sweep_seeds: tuple = (1,)
    ablations: bool = True

    def __post_init__(self):
        ns = tuple(check_int("n_individuals", n, lo=1) for n in self.n_individuals)
        if not ns or list(ns) != sorted(set(ns)):
            raise ValueError("n_individuals must be a non-empty strictly increasing list of integers >= 1")
        object.__setattr__(self, "n_individuals", ns)
        object.__setattr__(self, "n_values", tuple(check_int("n_values", k, lo=2) for k in self.n_values))
        object.__setattr__(self, "attributes", tuple(self.attributes))
        if len(self.n_values) != len(self.attributes):
            raise ValueError("n_values must have one entry per attribute")
        check_number("zipf", self.zipf, lo=0.0)
        check_number("selection_min_ratio", self.selection_min_ratio, lo=0.0)
        widths = tuple(check_int("widths", w, lo=1) for w in self.widths)
        if self.model.d_model not in widths:
            raise ValueError(f"widths must include the base width d_model = {self.model.d_model}, got {widths}")
        for w in widths:
            replace(self.model, d_model=w)  # validates divisibility by n_heads
        object.__setattr__(self, "widths", tuple(sorted(set(widths))))
        for name in ("seeds", "sweep_seeds"):
            seeds = tuple(check_int(name, s, lo=0) for s in getattr(self, name))
            if not seeds:
                raise ValueError(f"{name} must list at least one seed")
            object.__setattr__(self, name, seeds)

    @property
    def entropy_bits(self) -> float:
        return float(sum(math.log2(k) for k in self.n_values))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "LMExperimentConfig":
        d = dict(d)
        model = GPTConfig(**d.pop("model", {}))
        train = LMTrainConfig(**d.pop("train", {}))
        selection = SelectionConfig(**d.pop("selection", {}))
        for key in ("n_individuals", "n_values", "attributes", "widths", "seeds", "sweep_seeds"):
            if key in d:
                d[key] = tuple(d[key])
        return cls(model=model, train=train, selection=selection, **d)


def _selection_for(variant: str | None, base: SelectionConfig) -> SelectionConfig | None:
    if variant is None:
        return None
    return replace(base, flatten=variant in ("both", "flatten"), limit=variant in ("both", "limit"))


@dataclass
class _Runner:
    cfg: LMExperimentConfig
    bar: object
    rows: list = field(default_factory=list)

    def run(self, arm: str, n: int, width: int, seed: int, keep: int | None, stage: str) -> dict:
        from .training import train_lm

        freq, variant = ARMS[arm]
        cfg = self.cfg
        data = make_biographies(n, cfg.n_values, cfg.attributes, cfg.zipf if freq == "zipf" else 0.0, seed,
                                name_pool=max(cfg.n_individuals))
        r = train_lm(data, replace(cfg.model, d_model=width), cfg.train, _selection_for(variant, cfg.selection),
                     keep_individuals=keep, seed=seed)
        row = {"stage": stage, "arm": arm, "n_individuals": n, "n_facts": data.n_facts, "d_model": width,
               "seed": seed, "params": r.params, "params_non_embedding": r.params_non_embedding,
               "keep_individuals": -1 if keep is None or variant in (None, "flatten") else keep,
               "seconds": r.seconds}
        row.update({k: r.final[k] for k in _ROW_METRICS})
        self.rows.append(row)
        self.bar.set_postfix_str(f"{arm} N={n} d={width} seed={seed}: {row['facts_memorized']:.1f} facts")
        self.bar.update(1)
        return row


def _mean_sem(values) -> tuple[float, float]:
    v = np.asarray(values, dtype=np.float64)
    sem = float(v.std(ddof=1) / math.sqrt(v.size)) if v.size > 1 else 0.0
    return float(v.mean()), sem


def _count_runs(cfg: LMExperimentConfig, n_sel_runs: int) -> int:
    n_max = max(cfg.n_individuals)
    standard = sum(len(cfg.seeds) if n == n_max else len(cfg.sweep_seeds) for n in cfg.n_individuals)
    ablations = 3 * len(cfg.sweep_seeds) if cfg.ablations else 0
    return 2 * standard + n_sel_runs + ablations + 2 * len(cfg.seeds) * (len(cfg.widths) - 1)


def run_lm_experiment(cfg: LMExperimentConfig, progress: bool = False) -> dict:
    """Run the experiment (see the module docstring).

    Returns
    -------
    dict
        ``rows`` (list of per-run dicts), ``entropy_bits``, ``n_attributes``, ``params`` (base size),
        ``params_non_embedding``, ``capacity_bits``, ``bits_per_param``, ``m_star`` (individuals),
        ``keep_individuals``, ``n_max``.
    """
    from tqdm.auto import tqdm

    h = cfg.entropy_bits
    n_max = max(cfg.n_individuals)
    base = cfg.model.d_model
    seeds_at = {n: (cfg.seeds if n == n_max else cfg.sweep_seeds) for n in cfg.n_individuals}
    # the number of selection runs is known once m* is; start from the largest possible count
    guess = _count_runs(cfg, sum(len(seeds_at[n]) for n in cfg.n_individuals))
    with tqdm(total=guess, desc="lm experiment", unit="run", disable=not progress) as bar:
        runner = _Runner(cfg, bar)
        uni = {n: [runner.run("uniform_standard", n, base, s, None, "n_sweep") for s in seeds_at[n]]
               for n in cfg.n_individuals}
        capacity = max(_mean_sem([r["bits_morris"] for r in rows])[0] for rows in uni.values())
        params = uni[n_max][0]["params"]
        bpp = capacity / params
        m_star = capacity / h
        keep = max(1, int(round(cfg.selection.keep_ratio * m_star)))
        sel_ns = [n for n in cfg.n_individuals if n >= cfg.selection_min_ratio * keep]
        bar.total = _count_runs(cfg, sum(len(seeds_at[n]) for n in sel_ns))
        bar.refresh()
        for n in cfg.n_individuals:
            for s in seeds_at[n]:
                runner.run("zipf_standard", n, base, s, None, "n_sweep")
        for n in sel_ns:
            for s in seeds_at[n]:
                runner.run("zipf_selection", n, base, s, keep, "n_sweep")
        if cfg.ablations:
            for arm in ("uniform_selection", "zipf_flatten_only", "zipf_limit_only"):
                for s in cfg.sweep_seeds:
                    runner.run(arm, n_max, base, s, keep, "arms")
        probe = make_biographies(n_max, cfg.n_values, cfg.attributes, 0.0, cfg.seeds[0], name_pool=n_max)
        for w in cfg.widths:
            if w == base:
                continue
            p_w = gpt_parameter_count(replace(cfg.model, d_model=w), len(probe.vocab),
                                      probe.tokens.shape[1] - 1)["total"]
            keep_w = max(1, int(round(cfg.selection.keep_ratio * bpp * p_w / h)))
            for s in cfg.seeds:
                runner.run("zipf_standard", n_max, w, s, None, "size_sweep")
                runner.run("zipf_selection", n_max, w, s, keep_w, "size_sweep")
    return {"rows": runner.rows, "entropy_bits": h, "n_attributes": len(cfg.attributes), "params": params,
            "params_non_embedding": uni[n_max][0]["params_non_embedding"], "capacity_bits": capacity,
            "bits_per_param": bpp, "m_star": m_star, "keep_individuals": keep, "n_max": n_max, "zipf": cfg.zipf,
            "n_values": list(cfg.n_values)}


def lm_experiment_data(result: dict, cfg: LMExperimentConfig) -> dict:
    """Flatten a result into named arrays and scalars (the gallery's data format).

    Keys: ``runs__<column>`` (one entry per run), ``n_grid``; per arm ``<arm>__facts_memorized`` /
    ``__facts_memorized_sem`` / ``__facts_stored`` / ``__bits_morris`` over ``n_grid`` (NaN where not
    run); ``widths``, ``size_params`` and ``<arm>__size_facts_memorized`` / ``__size_facts_memorized_sem``
    over ``widths`` for the two size-sweep arms; and the scalars of :func:`run_lm_experiment`.
    """
    rows = result["rows"]
    out: dict = {k: v for k, v in result.items() if k not in ("rows", "n_values")}
    out["n_values"] = np.asarray(result["n_values"], dtype=float)
    for col in rows[0]:
        vals = [r[col] for r in rows]
        out[f"runs__{col}"] = np.asarray(vals)  # ints stay ints, so the CSV reads naturally
    grid = np.asarray(cfg.n_individuals, dtype=float)
    out["n_grid"] = grid
    base = cfg.model.d_model
    for arm in ARMS:
        for metric in ("facts_memorized", "facts_stored", "bits_morris", "accuracy"):
            mean, sem = np.full(grid.size, np.nan), np.full(grid.size, np.nan)
            for i, n in enumerate(cfg.n_individuals):
                vals = [r[metric] for r in rows if r["arm"] == arm and r["n_individuals"] == n
                        and r["d_model"] == base]
                if vals:
                    mean[i], sem[i] = _mean_sem(vals)
            out[f"{arm}__{metric}"] = mean
            out[f"{arm}__{metric}_sem"] = sem
    widths = np.asarray(cfg.widths, dtype=float)
    out["widths"] = widths
    n_max = result["n_max"]
    size_params = np.full(widths.size, np.nan)
    for arm in ("zipf_standard", "zipf_selection"):
        mean, sem = np.full(widths.size, np.nan), np.full(widths.size, np.nan)
        for i, w in enumerate(cfg.widths):
            sub = [r for r in rows if r["arm"] == arm and r["n_individuals"] == n_max and r["d_model"] == w]
            if sub:
                mean[i], sem[i] = _mean_sem([r["facts_memorized"] for r in sub])
                size_params[i] = sub[0]["params"]
        out[f"{arm}__size_facts_memorized"] = mean
        out[f"{arm}__size_facts_memorized_sem"] = sem
    out["size_params"] = size_params
    return out


def summary_from_data(data: dict) -> dict:
    """The JSON summary of an experiment at its largest ``N`` and base size.

    ``{"n_params", "capacity_bits", "bits_per_param", "entropy_bits", "m_star_individuals",
    "m_star_facts", "n_individuals", "arms": {arm: {"n_facts_trained", "facts_memorized",
    "facts_memorized_sem", "accuracy", "facts_stored", "n_seeds"}}}``; ``n_facts_trained`` counts the
    (individual, attribute) facts in the training data before any pruning.
    """
    arms_col = np.asarray(data["runs__arm"]).astype(str)
    n_col = np.asarray(data["runs__n_individuals"], dtype=float)
    d_col = np.asarray(data["runs__d_model"], dtype=float)
    base_d = float(d_col[0])
    n_max = float(data["n_max"])
    a = int(data["n_attributes"])
    arms = {}
    for arm in ARMS:
        sel = (arms_col == arm) & (n_col == n_max) & (d_col == base_d)
        if not sel.any():
            continue
        fm = np.asarray(data["runs__facts_memorized"], dtype=float)[sel]
        mean, sem = _mean_sem(fm)
        arms[arm] = {"n_facts_trained": int(n_max) * a, "facts_memorized": mean, "facts_memorized_sem": sem,
                     "accuracy": mean / (n_max * a),
                     "facts_stored": float(np.mean(np.asarray(data["runs__facts_stored"], dtype=float)[sel])),
                     "n_seeds": int(sel.sum())}
    h = float(data["entropy_bits"])
    return {"n_params": int(data["params"]), "n_params_non_embedding": int(data["params_non_embedding"]),
            "capacity_bits": float(data["capacity_bits"]), "bits_per_param": float(data["bits_per_param"]),
            "entropy_bits": h, "m_star_individuals": float(data["m_star"]),
            "m_star_facts": float(data["m_star"]) * a, "n_individuals": int(n_max),
            "keep_individuals": int(data["keep_individuals"]), "zipf": float(data["zipf"]), "arms": arms}
