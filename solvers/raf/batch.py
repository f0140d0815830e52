"""Batched independent solves: :func:`~memtheory.solvers.raf.solve` with array-valued α, ε, λ or κ.

The arguments are broadcast like numpy; every point is solved from the same start, without continuation,
in one compiled call that runs in parallel over the cores (:func:`memtheory.solvers.raf.pointwise.solve_points`),
so a point's result does not depend on its neighbours (docs/theory/raf.md §10, §12).
"""

from __future__ import annotations

import warnings

import numpy as np

from memtheory.solvers.raf import pointwise as pw
from memtheory.solvers.raf import priors as pr
from memtheory.solvers.raf.models import BayesOptimal, RandomFeatures
from memtheory.solvers.raf.results import SweepResult
from memtheory.solvers.raf.solve import (_BAYES_NODES, _INTERPOLATING, SaddlePointWarning, SingularPointError,
                                         _initial_state, _plan_checked, _rules, check_iteration_options, model_info,
                                         solve, with_parameters)

__all__ = ["solve_batch", "MAX_RETRIES"]

MAX_RETRIES = 256
"""Failed points solved again with every fallback of the scalar solve (its λ-continuation), at most."""

# name → (test, allowed range in words)
_RANGES = {
    "alpha": (lambda a: a > 0, "(0, inf)"),
    "epsilon": (lambda a: (a >= 0) & (a <= 1), "[0, 1]"),
    "lam": (lambda a: a >= 0, "[0, inf)"),
    "kappa": (lambda a: a > 0, "(0, inf)"),
}


def _checked_array(name: str, value) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    test, allowed = _RANGES[name]
    bad = ~test(arr)
    if np.any(bad):
        raise ValueError(f"{name} must lie in {allowed}, got {arr[bad].flat[0]!r}")
    return arr


def solve_batch(model, alpha, epsilon, *, lam=None, kappa=None, tol, max_iter, step, memory, init, nodes,
                warn) -> SweepResult:
    """Independent solves at the broadcast points of ``alpha, epsilon, lam, kappa`` (see
    :func:`memtheory.solvers.raf.solve`, whose arguments these are).

    See docs/theory/raf.md §10.
    """
    if lam is not None and isinstance(model, BayesOptimal):
        raise ValueError("lam cannot be set for the Bayes-optimal estimator (it has no ridge)")
    if kappa is not None and not isinstance(model, RandomFeatures):
        raise ValueError("kappa can only be set for raf.RandomFeatures")
    given = {k: v for k, v in (("alpha", alpha), ("epsilon", epsilon), ("lam", lam), ("kappa", kappa)) if v is not None}
    arrays = {k: _checked_array(k, v) for k, v in given.items()}
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {a.shape}" for k, a in arrays.items() if a.ndim)
        raise ValueError(f"the shapes of {shapes} cannot be broadcast together") from None
    tol, max_iter, step, memory = check_iteration_options(tol, max_iter, step, memory)
    flat = {k: np.broadcast_to(a, shape).ravel() for k, a in arrays.items()}
    axes = {k: np.broadcast_to(a, shape).copy() for k, a in arrays.items() if a.ndim > 0}
    fixed = {k: float(a) for k, a in arrays.items() if a.ndim == 0}
    n = int(np.prod(shape))
    a_vals, e_vals = flat["alpha"], flat["epsilon"]

    # one model per distinct (λ, κ); the per-point parameters are its flat vector with α and ε set
    lam_vals = flat.get("lam")
    kappa_vals = flat.get("kappa")
    if lam_vals is None and kappa_vals is None:
        # the common case, α and ε only: one model (np.unique over rows costs more than the solves of
        # a small grid)
        uniq = np.zeros((1 if n else 0, 2))
        inverse = np.zeros(n, dtype=np.int64)
    else:
        keys = np.stack([lam_vals if lam_vals is not None else np.zeros(n),
                         kappa_vals if kappa_vals is not None else np.zeros(n)], axis=1)
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True) if n else (np.zeros((0, 2)), np.zeros(0, int))
        inverse = np.asarray(inverse).ravel()
    models = [with_parameters(model, None if lam_vals is None else float(u[0]),
                              None if kappa_vals is None else float(u[1])) for u in uniq]
    infos = [model_info(m) for m in models]
    base = infos[0] if infos else model_info(with_parameters(model))
    lid = base.learner_id
    P = np.empty((n, base.params.size))
    cids = np.empty(n, dtype=np.int64)
    interp = np.zeros(n, dtype=np.bool_)
    singular = np.zeros(n, dtype=bool)
    for g, (mdl, info) in enumerate(zip(models, infos)):
        idx = np.flatnonzero(inverse == g)
        if getattr(mdl, "lam", None) == 0.0:
            for i in idx:  # the regime depends on (α, ε) at λ = 0
                try:
                    pl = _plan_checked(info, mdl, float(a_vals[i]), float(e_vals[i]))
                except SingularPointError:
                    singular[i] = True
                    cids[i] = -1
                    P[i] = info.params
                    continue
                P[i] = pl.params
                cids[i] = pl.channel_id
                interp[i] = pl.regime in _INTERPOLATING
        else:
            P[idx] = info.params
            P[idx, 0] = a_vals[idx]
            P[idx, 1] = e_vals[idx]
            cids[idx] = info.channel_id

    out = np.full((n, pw.NCOL), np.nan)
    if base.compiled:
        x_nodes, w_nodes = _rules(_BAYES_NODES if lid == pr.BAYES else int(nodes))
        x0 = _initial_state(lid, init)
        with pw.threads_for(n):
            pw.solve_points(lid, cids, x0, P, x_nodes, w_nodes, tol, max_iter, step, memory, interp,
                            base.zero_crossing, base.kinks, pw.OBS_RULES, out)
        failed = (out[:, pw.COL_STATUS] != 0) & ~singular & (P[:, pr.P_LAM] > 0.0) & (P[:, pr.P_LAM] < 1.0)
        retry = [] if lid == pr.BAYES else np.flatnonzero(failed)[:MAX_RETRIES].tolist()
    else:
        retry = [i for i in range(n) if not singular[i]]  # a custom loss: its own driver, point by point
        out[:, pw.COL_ITS] = 0
    for i in retry:
        res = solve(models[inverse[i]], float(a_vals[i]), float(e_vals[i]), tol=tol, max_iter=max_iter, step=step,
                    memory=memory, init=init, nodes=nodes, warn=False)
        prior_its = out[i, pw.COL_ITS] if base.compiled else 0
        if res.converged or not base.compiled:
            out[i, pw.COL_GEN] = res.gen_error
            out[i, pw.COL_MEM] = res.mem_error
            out[i, pw.COL_RULE] = res.rule_train_error
            out[i, pw.COL_LOSS] = res.train_loss
            out[i, pw.COL_RES] = res.residual
            out[i, pw.COL_STATUS] = 0 if res.converged else 1
        out[i, pw.COL_ITS] = prior_its + res.iterations

    converged = (out[:, pw.COL_STATUS] == 0) & ~singular
    if warn and not converged.all():
        extra = f" ({int(singular.sum())} of them have no λ → 0 solution)" if singular.any() else ""
        warnings.warn(f"{int((~converged).sum())} of {n} points did not converge{extra}", SaddlePointWarning,
                      stacklevel=3)
    gen = out[:, pw.COL_GEN].reshape(shape)
    iterations = np.where(np.isfinite(out[:, pw.COL_ITS]), out[:, pw.COL_ITS], 0).astype(np.int64)
    residual = np.where(singular, np.inf, out[:, pw.COL_RES])
    if lid == pr.BAYES:
        bayes = gen.copy()
    elif lid == pr.GCM:
        bayes = np.full(shape, np.nan)  # no isotropic Bayes bound for anisotropic inputs
    else:
        bayes = None  # computed on first access, all points at once
    return SweepResult(model, axes, gen, out[:, pw.COL_MEM].reshape(shape), out[:, pw.COL_RULE].reshape(shape),
                       out[:, pw.COL_LOSS].reshape(shape), bayes, converged.reshape(shape), residual.reshape(shape),
                       iterations.reshape(shape), np.zeros(shape, dtype=bool), fixed, singular.reshape(shape),
                       broadcast=True)
