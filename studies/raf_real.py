"""The rules-and-facts protocol on real images, next to the theory's kernel trade-off (docs/theory/gcm.md).

:func:`real_protocol` runs :mod:`memtheory.simulations.raf.real_data` over repeats and returns means and
standard errors of ``E_mem`` and ``E_gen`` on a (learner, η, λ) grid, together with the isotropic
theory of the same learner for the RBF kernel of width η. On isotropic inputs
``exp(−η‖x−x'‖²/med) = exp(−η(1 − x·x'/d))`` (``med ≈ 2d``), whose coefficients are
``μ₁² = η e^{−η}`` and ``μ⋆² = 1 − e^{−η}(1 + η)`` (docs/theory/raf.md, kernel learner). The theory is a
qualitative reference only: real images are neither Gaussian nor isotropic.
"""

from __future__ import annotations

import csv
import math
import os

import numpy as np

from memtheory.simulations.raf._threads import blas_threads
from memtheory.simulations.raf.real_data import (
    REAL_LEARNERS,
    LabelledData,
    check_repeats,
    load_labelled,
    make_real_split,
    parse_class,
    run_real_repeat,
)
from memtheory.studies._common import quiet

__all__ = ["real_protocol", "prepare", "rbf_coefficients", "write_real_csv", "parse_log_grid"]

_LOSS_OF = {"krr": "square", "svm": "hinge"}


def rbf_coefficients(eta: float) -> tuple[float, float]:
    """``(μ₁, μ⋆)`` of ``k(t) = exp(−η(1 − t))``, the RBF kernel on isotropic inputs."""
    return math.sqrt(eta * math.exp(-eta)), math.sqrt(max(1.0 - math.exp(-eta) * (1.0 + eta), 0.0))


def parse_log_grid(text: str) -> np.ndarray:
    """``lo:hi:count`` → ``count`` log-spaced values from lo to hi; or a comma list. Values must be >= 0."""
    try:
        if ":" in text:
            lo, hi, count = text.split(":")
            lo, hi, count = float(lo), float(hi), int(count)
            if not (lo > 0 and hi > 0 and count >= 1):
                raise ValueError
            vals = np.logspace(math.log10(lo), math.log10(hi), count)
        else:
            vals = np.array([float(v) for v in text.split(",")])
        if vals.size == 0 or not np.all(np.isfinite(vals)) or np.any(vals < 0):
            raise ValueError
        return vals
    except ValueError:
        raise ValueError(f"invalid grid {text!r}: use lo:hi:count (log-spaced, lo, hi > 0) or a comma list "
                         "of numbers >= 0") from None


def prepare(data="digits", rule=(3, 5), facts=1):
    """Load the data and resolve the class names: ``(LabelledData, rule pair, facts)``; bad input raises."""
    ds = data if isinstance(data, LabelledData) else load_labelled(data)
    rule = tuple(parse_class(ds, c) for c in rule)
    if len(rule) != 2:
        raise ValueError("rule must name exactly two classes")
    facts = "same" if str(facts).strip().lower() == "same" else parse_class(ds, facts)
    return ds, rule, facts


def real_protocol(data="digits", rule=(3, 5), facts=1, alpha: float = 2.0, epsilon: float = 0.2,
                  etas=(0.5, 1.0, 2.0), lams=None, repeats: int = 10, learners=REAL_LEARNERS, seed: int = 0,
                  theory: bool = True, progress=None) -> dict:
    """Run the real-data protocol and its isotropic kernel theory.

    Parameters
    ----------
    data : str or LabelledData
        ``"digits"``, a ``.npz`` path with ``X`` and ``y``, or loaded data.
    rule : pair
        The two rule classes (first → label −1).
    facts : class label or ``"same"``
        The class whose images carry the random labels, or ``"same"``.
    alpha, epsilon : float
        ``n = round(α d)`` training samples, a fraction ε of them facts.
    etas, lams : sequences
        RBF widths (relative to the median squared distance) and ridge values.
    repeats : int
        Independent splits; error bars are standard errors over them.
    learners : tuple of str
        ``krr`` and/or ``svm`` (both bias-free).
    progress : callable, optional
        Called with no arguments after each repeat (e.g. a progress bar's ``update``).

    Returns
    -------
    dict
        ``mem_mean, mem_se, gen_mean, gen_se, rule_mean, converged_fraction`` of shape
        (learners, etas, lams); ``theory_gen, theory_mem`` of the same shape (NaN without ``theory``);
        the axes ``learner, eta, lam`` and scalars ``alpha, epsilon, n, d, d_used, repeats`` (``d``: input
        dimension, ``n = round(αd)``; ``d_used``: features left after dropping those constant on the
        last training set).
    """
    ds, rule, facts = prepare(data, rule, facts)
    repeats = check_repeats(repeats)
    etas = [float(e) for e in etas]
    lams = np.logspace(-4, 2, 25) if lams is None else np.asarray(lams, dtype=float)
    learners = tuple(learners)
    for name in learners:
        if name not in REAL_LEARNERS:
            raise ValueError(f"unknown learner {name!r}; allowed: {', '.join(REAL_LEARNERS)}")
    rng = np.random.default_rng(seed)
    runs = []
    n = d_used = 0
    for r in range(repeats):
        split = make_real_split(ds, rule, facts, alpha, epsilon, rng)
        n, d_used = split.X_train.shape
        with blas_threads(1):  # small Gram matrices: extra BLAS threads only contend (see ._threads)
            runs.append(run_real_repeat(split, etas, lams, learners, seed=seed + r))
        if progress is not None:
            progress()
    runs = np.array(runs)  # (R, L, E, Λ, 4)
    se = (lambda a: np.nanstd(a, axis=0, ddof=1) / math.sqrt(repeats)) if repeats > 1 else (
        lambda a: np.full(a.shape[1:], np.nan))
    out = {
        "learner": np.array(learners), "eta": np.array(etas), "lam": lams,
        "mem_mean": np.nanmean(runs[..., 0], axis=0), "mem_se": se(runs[..., 0]),
        "gen_mean": np.nanmean(runs[..., 1], axis=0), "gen_se": se(runs[..., 1]),
        "rule_mean": np.nanmean(runs[..., 2], axis=0), "converged_fraction": runs[..., 3].mean(axis=0),
        "alpha": float(alpha), "epsilon": float(epsilon), "n": int(n), "d": int(ds.X.shape[1]),
        "d_used": int(d_used), "repeats": repeats,
        "data": ds.name, "rule": np.array([str(c) for c in rule]), "facts": str(facts),
    }
    out["theory_gen"], out["theory_mem"] = _kernel_theory(learners, etas, lams, alpha, epsilon, theory)
    return out


real_protocol.gallery_cost = 1.0


def _kernel_theory(learners, etas, lams, alpha, epsilon, enabled):
    gen = np.full((len(learners), len(etas), len(lams)), np.nan)
    mem = np.full_like(gen, np.nan)
    if not enabled:
        return gen, mem
    from memtheory.solvers import raf

    positive = lams > 0
    for i, learner in enumerate(learners):
        for j, eta in enumerate(etas):
            mu1, mu_star = rbf_coefficients(eta)
            model = raf.Kernel(loss=_LOSS_OF[learner], lam=1.0, mu1=mu1, mu_star=mu_star)
            with quiet():
                res = raf.sweep(model, alpha=alpha, epsilon=epsilon, lam=lams[positive], warn=False)
            ok = res.converged
            gen[i, j, positive] = np.where(ok, res.gen_error, np.nan)
            mem[i, j, positive] = np.where(ok, res.mem_error, np.nan)
    return gen, mem


def write_real_csv(result: dict, path: str) -> str:
    """One row per (learner, η, λ) with the means, standard errors and the theory values."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    cols = ("mem_mean", "mem_se", "gen_mean", "gen_se", "rule_mean", "converged_fraction", "theory_mem",
            "theory_gen")
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["learner", "eta", "lam", "alpha", "epsilon", "n", "d", "repeats", *cols])
        for i, learner in enumerate(result["learner"]):
            for j, eta in enumerate(result["eta"]):
                for k, lam in enumerate(result["lam"]):
                    w.writerow([learner, f"{eta:g}", f"{lam:.6g}", result["alpha"], result["epsilon"], result["n"],
                                result["d"], result["repeats"],
                                *(f"{float(result[c][i, j, k]):.6g}" for c in cols)])
    return path
