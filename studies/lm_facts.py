"""The biography-LM experiment next to the capacity bounds (``docs/theory/lm_facts.md``).

:func:`lm_facts_experiment` runs :func:`memtheory.simulations.lm.experiment.run_lm_experiment` and adds
the bounds of :mod:`memtheory.solvers.capacity` evaluated at the capacity the GPT itself showed: the
memorize-a-subset count ``m* = C/H`` (in individuals, and ``A·C/H`` in facts), the rate–distortion bound
``p*`` and the Zipf frequency-weighted optimum. :func:`lm_summary` and :func:`write_lm_outputs` make the
``summary.json`` and the per-run CSV of the CLI and of the gallery.
"""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import numpy as np

from memtheory.simulations.lm.experiment import (LMExperimentConfig, lm_experiment_data, run_lm_experiment,
                                                 summary_from_data)
from memtheory.solvers.capacity import p_star, subset_accuracy, weighted_optimum

__all__ = ["compare_lm_with_bounds", "lm_facts_experiment", "lm_summary", "run_lm_study", "write_lm_outputs"]


def compare_lm_with_bounds(data: dict) -> dict:
    """Bounds at the measured capacity ``C`` over the ``N`` grid and the widths of the size sweep.

    A fact is one (individual, attribute) pair of ``H/A`` bits on average; ``p*`` is computed for
    ``N·A`` facts of alphabet ``2^{H/A}`` (exact when every ``K_a`` is equal). The Zipf optimum weighs
    individuals by frequency (all attributes of an individual share it).

    Returns
    -------
    dict
        ``bound_limit_facts`` (``min(N·A, A·C/H)``), ``bound_subset_accuracy``, ``bound_p_star``,
        ``bound_zipf_weighted_accuracy`` over ``n_grid``; ``bound_size_limit_facts`` over ``widths``
        (``min(N·A, A·b·P/H)`` with the base size's ``b = C/P``); ``m_star_facts``.
    """
    c = float(data["capacity_bits"])
    h = float(data["entropy_bits"])
    a = int(data["n_attributes"])
    ks = np.asarray(data["n_values"], dtype=float)
    grid = np.asarray(data["n_grid"], dtype=float)
    out: dict = {"m_star_facts": a * c / h}
    if c <= 0 or not math.isfinite(c):
        nan = np.full(grid.size, np.nan)
        out.update(bound_limit_facts=nan, bound_subset_accuracy=nan, bound_p_star=nan,
                   bound_zipf_weighted_accuracy=nan,
                   bound_size_limit_facts=np.full(np.asarray(data["widths"]).size, np.nan))
        return out
    k_fact = 2.0 ** (h / a)
    out["bound_limit_facts"] = np.minimum(grid * a, a * c / h)
    out["bound_subset_accuracy"] = np.array([subset_accuracy(c, n * a, k_fact) for n in grid])
    out["bound_p_star"] = np.array([p_star(c, n * a, k_fact) for n in grid])
    out["bound_zipf_weighted_accuracy"] = np.array(
        [weighted_optimum(c, n, list(ks), zipf=float(data["zipf"])) for n in grid])
    params = np.asarray(data["size_params"], dtype=float)
    n_max = float(data["n_max"])
    out["bound_size_limit_facts"] = np.minimum(n_max * a, a * float(data["bits_per_param"]) * params / h)
    return out


def run_lm_study(cfg: LMExperimentConfig, progress: bool = False) -> dict:
    """Run the experiment of ``cfg`` and return its data with the bounds added."""
    data = lm_experiment_data(run_lm_experiment(cfg, progress=progress), cfg)
    data.update(compare_lm_with_bounds(data))
    return data


def lm_facts_experiment(**params) -> dict:
    """Gallery producer: :func:`run_lm_study` of ``LMExperimentConfig.from_dict(params)``."""
    return run_lm_study(LMExperimentConfig.from_dict(params))


lm_facts_experiment.gallery_cost = 20.0


def lm_summary(data: dict) -> dict:
    """``summary.json`` content: :func:`~memtheory.simulations.lm.experiment.summary_from_data` plus the
    bounds at the largest ``N``, the selection/standard ratio under Zipf (with the standard error of the
    ratio of two independent means) and the size sweep."""
    s = summary_from_data(data)
    i = int(np.argmax(np.asarray(data["n_grid"], dtype=float)))
    s["bounds"] = {"m_star_facts": float(data["m_star_facts"]),
                   "limit_facts": float(np.asarray(data["bound_limit_facts"])[i]),
                   "subset_accuracy": float(np.asarray(data["bound_subset_accuracy"])[i]),
                   "p_star": float(np.asarray(data["bound_p_star"])[i]),
                   "zipf_weighted_accuracy": float(np.asarray(data["bound_zipf_weighted_accuracy"])[i])}
    arms = s["arms"]
    if "zipf_standard" in arms and "zipf_selection" in arms and arms["zipf_standard"]["facts_memorized"] > 0:
        std, sel = arms["zipf_standard"], arms["zipf_selection"]
        r = sel["facts_memorized"] / std["facts_memorized"]
        rel = math.hypot(std["facts_memorized_sem"] / std["facts_memorized"],
                         sel["facts_memorized_sem"] / sel["facts_memorized"] if sel["facts_memorized"] else 0.0)
        s["zipf_selection_over_standard"] = {"ratio": r, "ratio_sem": r * rel}
    s["size_sweep"] = {
        "d_model": [int(w) for w in np.asarray(data["widths"])],
        "n_params": [None if not np.isfinite(p) else int(p) for p in np.asarray(data["size_params"], dtype=float)],
        **{arm: {"facts_memorized": _floats(data[f"{arm}__size_facts_memorized"]),
                 "facts_memorized_sem": _floats(data[f"{arm}__size_facts_memorized_sem"])}
           for arm in ("zipf_standard", "zipf_selection")},
        "limit_facts": _floats(data["bound_size_limit_facts"]),
    }
    return s


def _floats(a) -> list:
    return [None if not np.isfinite(v) else float(v) for v in np.asarray(a, dtype=float)]


def write_lm_outputs(data: dict, out: str | os.PathLike) -> list[str]:
    """Write ``summary.json`` and ``runs.csv`` (one row per training run) into the directory ``out``.

    Returns the written paths, relative to ``out``'s parent.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(lm_summary(data), indent=1), encoding="utf-8")
    cols = [k[len("runs__"):] for k in data if k.startswith("runs__")]
    with open(out / "runs.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        columns = [np.asarray(data[f"runs__{c}"]).tolist() for c in cols]
        w.writerows(zip(*columns))
    return [f"{out.name}/summary.json", f"{out.name}/runs.csv"]
