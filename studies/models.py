"""Build RAF learner models from the plain names used in CLI arguments and producer parameters.

Learner and loss names (and their aliases) come from :mod:`memtheory.core.names`, the one registry.
"""

from __future__ import annotations

import dataclasses
import math

from memtheory.core import names
from memtheory.core.checks import check_nonnegative, check_positive

__all__ = ["LEARNERS", "LOSSES", "OUTPUTS", "SWEEP_AXES", "canonical_learner", "make_model", "with_axis"]

# Grid sweeps name their learner alone; the Gaussian-covariate model also needs a spectrum, so it is swept
# from Python (raf.sweep) rather than by name.
LEARNERS = tuple(n for n in names.SOLVER_LEARNERS if n != "gcm")
LOSSES = names.LOSSES
OUTPUTS = ("gen_error", "mem_error", "rule_train_error", "train_loss", "converged")
SWEEP_AXES = ("alpha", "epsilon", "lam", "kappa")


def canonical_learner(learner: str) -> str:
    """Canonical name (``linear``, ``kernel``, ``random_features``, ``bayes_optimal``) of a solver learner.

    Raises
    ------
    ValueError
        For an unknown name or a learner the solvers do not have (``two_layer``).
    """
    return names.canonical("learner", learner, allowed=LEARNERS)


def make_model(learner: str, *, loss: str = "square", lam: float = 0.0, kappa: float | None = None,
               activation: str | None = "sign", mu1: float | None = None, mu_star: float | None = None):
    """Return the :mod:`memtheory.solvers.raf` model for a learner name.

    Parameters
    ----------
    learner : str
        ``linear``, ``kernel``, ``random_features`` (``rf``) or ``bayes_optimal`` (``bo``), or an alias.
    loss : str
        ``square``, ``hinge`` or ``logistic`` (ignored for ``bo``).
    lam : float
        Ridge penalty, >= 0.
    kappa : float, optional
        κ = p/d, required for ``rf``.
    activation : str, optional
        Kernel/feature nonlinearity (``sign``, ``erf``, ``tanh``, ``relu``); ignored for the kernel when
        ``mu1``/``mu_star`` are given.
    mu1, mu_star : float, optional
        Kernel coefficients μ₁ and μ⋆ (kernel learner only).

    Raises
    ------
    ValueError
        Unknown learner or loss, negative λ, missing or non-positive κ.
    """
    from memtheory.solvers import raf

    learner = canonical_learner(learner)
    if learner == "bayes_optimal":
        return raf.BayesOptimal()
    if not isinstance(loss, raf.CustomLoss):
        loss = names.canonical("loss", loss)
    lam = check_nonnegative("lam", lam)
    if learner == "linear":
        return raf.Linear(loss=loss, lam=lam)
    if learner == "kernel":
        if mu1 is not None or mu_star is not None:
            if mu1 is None or mu_star is None:
                raise ValueError("give both mu1 and mu_star for a kernel, or neither")
            return raf.Kernel(loss=loss, lam=lam, mu1=float(mu1), mu_star=float(mu_star))
        return raf.Kernel(loss=loss, lam=lam, activation=activation or "sign")
    if kappa is None or (isinstance(kappa, float) and math.isnan(kappa)):
        raise ValueError("random features need kappa = p/d (> 0)")
    kappa = check_positive("kappa", kappa)
    return raf.RandomFeatures(loss=loss, lam=lam, kappa=kappa, activation=activation or "sign")


def with_axis(model, name: str, value: float):
    """Return ``model`` with one sweep parameter (``lam`` or ``kappa``) replaced."""
    if not hasattr(model, name):
        raise ValueError(f"{type(model).__name__} has no parameter {name!r} to sweep")
    return dataclasses.replace(model, **{name: float(value)})
