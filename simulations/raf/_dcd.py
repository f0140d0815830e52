"""Dual coordinate descent for the bias-free soft-margin SVM (Hsieh et al., ICML 2008, Alg. 1 + §3.2).

Solves min_w ½‖w‖² + C Σ_μ max(0, 1 − y_μ w·z_μ) through its box-constrained dual
min_a ½‖Σ a_μ y_μ z_μ‖² − Σ a_μ, 0 ≤ a_μ ≤ C. With C = 1/λ this is the RAF hinge objective
Σ ℓ + (λ/2)‖w‖² divided by λ (docs/theory/raf.md §1); C = inf is the hard-margin (max-margin) SVM, the
λ → 0 limit of docs/theory/raf.md §6. Without a bias term the dual has no equality constraint, so each
single-coordinate update is an exact minimisation.

Shrinking (Hsieh et al. §3.2) drops coordinates stuck at a bound from the sweeps; the loop only stops
after a full unshrunk sweep meets the tolerance, and the caller recomputes the KKT certificate from
scratch, so shrinking cannot fake convergence.

Two forms: features (w kept up to date, O(d) per update) for the linear SVM and RF, and Gram
(training outputs f = K(a∘y) kept up to date, O(n) per update) for kernels.

:func:`solve_svm_dual` alternates DCD rounds with an exact linear solve on the active set DCD found
(primal–dual active-set polish), so that a converged result typically satisfies the KKT conditions
to ~1e-13 rather than to the DCD tolerance; it is accepted only through a KKT certificate computed
from scratch (default tolerance 1e-6 on the margins).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from memtheory.core.jit import njit

__all__ = ["dcd_features", "dcd_gram", "projected_gradient", "solve_svm_dual"]


@njit(cache=True)
def _sweep_control(G, a, C, pgmax_old, pgmin_old):
    # Returns (shrink, projected gradient) for one coordinate.
    if a <= 0.0:
        if G > pgmax_old:
            return True, 0.0
        return False, min(G, 0.0)
    if a >= C:
        if G < pgmin_old:
            return True, 0.0
        return False, max(G, 0.0)
    return False, G


@njit(cache=True)
def _dcd(Z, K, use_gram, y, C, tol, max_epochs, seed, a, w, f):
    # a, w, f: warm start, updated in place (w = Zᵀ(a∘y) or f = K(a∘y) must be consistent with a).
    n = y.shape[0]
    d = Z.shape[1]
    qii = np.empty(n)
    for i in range(n):
        if use_gram:
            qii[i] = K[i, i]
        else:
            s = 0.0
            for k in range(d):
                s += Z[i, k] * Z[i, k]
            qii[i] = s
    order = np.arange(n)
    np.random.seed(seed)
    active = n
    pgmax_old = np.inf
    pgmin_old = -np.inf
    spread = np.inf
    epoch = 0
    while epoch < max_epochs:
        epoch += 1
        for t in range(active - 1, 0, -1):
            j = np.random.randint(0, t + 1)
            order[t], order[j] = order[j], order[t]
        pgmax = -np.inf
        pgmin = np.inf
        s = 0
        while s < active:
            i = order[s]
            if use_gram:
                G = y[i] * f[i] - 1.0
            else:
                acc = 0.0
                for k in range(d):
                    acc += w[k] * Z[i, k]
                G = y[i] * acc - 1.0
            shrink, pg = _sweep_control(G, a[i], C, pgmax_old, pgmin_old)
            if shrink:
                active -= 1
                order[s], order[active] = order[active], order[s]
                continue
            pgmax = max(pgmax, pg)
            pgmin = min(pgmin, pg)
            if pg != 0.0 and qii[i] > 0.0:
                new = min(max(a[i] - G / qii[i], 0.0), C)
                step = (new - a[i]) * y[i]
                a[i] = new
                if use_gram:
                    for k in range(n):
                        f[k] += step * K[i, k]
                else:
                    for k in range(d):
                        w[k] += step * Z[i, k]
            s += 1
        spread = pgmax - pgmin
        if spread <= tol:
            if active == n:
                break
            # Converged on the shrunk problem: unshrink and verify with a full sweep.
            active = n
            pgmax_old = np.inf
            pgmin_old = -np.inf
            continue
        pgmax_old = pgmax if pgmax > 0.0 else np.inf
        pgmin_old = pgmin if pgmin < 0.0 else -np.inf
    return epoch, spread


def dcd_features(Z, y, C, tol, max_epochs, seed, a0=None):
    """DCD on features ``Z`` (n, d); returns (a, w, epochs). The SVM predictor is w·z, w = Σ a_μ y_μ z_μ."""
    a = np.zeros(Z.shape[0]) if a0 is None else np.array(a0, dtype=np.float64)
    w = Z.T @ (a * y)
    epochs, _ = _dcd(Z, np.zeros((1, 1)), False, y, float(C), float(tol), int(max_epochs), int(seed), a, w, np.zeros(1))
    return a, w, epochs


def dcd_gram(K, y, C, tol, max_epochs, seed, a0=None):
    """DCD on a symmetric PSD Gram matrix ``K`` (n, n); returns (a, f_train, epochs).

    The predictor is f = Σ_ν a_ν y_ν k(x_ν, ·); f_train are its outputs on the training inputs.
    """
    a = np.zeros(K.shape[0]) if a0 is None else np.array(a0, dtype=np.float64)
    f = K @ (a * y)
    epochs, _ = _dcd(np.zeros((1, 1)), K, True, y, float(C), float(tol), int(max_epochs), int(seed), a, np.zeros(1), f)
    return a, f, epochs


def projected_gradient(a: np.ndarray, margins: np.ndarray, C: float) -> np.ndarray:
    """Projected dual gradient given exact margins y_μ f(x_μ): zero exactly at the KKT point."""
    G = margins - 1.0
    return np.where(a <= 0.0, np.minimum(G, 0.0), np.where(a >= C, np.maximum(G, 0.0), G))


def _solve_free(y, C, free, upper, Z=None, K=None):
    # Stationarity on the free set: Q_FF a_F = 1 − Q_FU C 1, with Q = (y yᵀ) ∘ Gram.
    yF = y[free]
    if K is None:
        ZF = Z[free]
        Q = (ZF @ ZF.T) * np.outer(yF, yF)
        rhs = 1.0 - yF * (ZF @ (Z[upper].T @ (C * y[upper]))) if upper.any() else np.ones(yF.size)
    else:
        Q = K[np.ix_(free, free)] * np.outer(yF, yF)
        rhs = 1.0 - yF * (K[np.ix_(free, upper)] @ (C * y[upper])) if upper.any() else np.ones(yF.size)
    try:
        aF = sla.cho_solve(sla.cho_factor(Q, lower=True, check_finite=False), rhs)
    except (sla.LinAlgError, np.linalg.LinAlgError):
        aF = sla.lstsq(Q, rhs, check_finite=False)[0]
    return aF


def _polish(y, C, a, margins_of, Z=None, K=None, max_iter=8):
    """Exact solution on a guessed active set, corrected by primal–dual active-set steps.

    Starting from the DCD pattern (a = 0 / free / a = C), solve y_μ f(x_μ) = 1 on the free set; move
    free points whose a leaves [0, C] to the violated bound and bound points whose margin violates
    their KKT sign back to the free set; repeat until the pattern is stable (Hintermüller, Ito &
    Kunisch 2002). Returns the candidate a or None; the caller checks the KKT certificate.

    Known weak spot: a degenerate free set (|F| ≥ rank of the Gram matrix, typical of very small λ
    above the separability threshold) makes a_F non-unique; the polish then usually fails and the
    result rests on DCD alone, which may stop at ``max_epochs`` with ``converged=False``.
    """
    free = (a > 0.0) & (a < C)
    upper = a >= C
    for _ in range(max_iter):
        if not free.any():
            return None
        aF = _solve_free(y, C, free, upper, Z=Z, K=K)
        if not np.all(np.isfinite(aF)):
            return None
        cand = np.where(upper, C, 0.0)
        cand[free] = aF
        m = margins_of(np.clip(cand, 0.0, C))
        new_upper = (upper & (m <= 1.0)) | (free & (cand > C))
        new_free = (free & (cand >= 0.0) & (cand <= C)) | (upper & (m > 1.0)) | (~free & ~upper & (m < 1.0))
        if np.array_equal(new_free, free) and np.array_equal(new_upper, upper):
            return cand
        free, upper = new_free, new_upper & ~new_free
    return None


def solve_svm_dual(y, C, tol, seed=0, max_epochs=20000, Z=None, K=None):
    """Bias-free SVM dual to KKT tolerance ``tol``: DCD rounds, each followed by an exact polish.

    DCD runs to a running tolerance 1e-1, 1e-2, ... (never below ``tol``; at most 1000 epochs per
    round); after each round the active set it found is polished exactly (:func:`_polish`). A polished point is accepted only if its KKT
    certificate, recomputed from scratch, is within ``tol``; otherwise DCD continues from its own point.

    Parameters
    ----------
    y : ndarray (n,)
    C : float
        1/λ; ``inf`` for the hard margin.
    tol : float
        Required max |projected gradient| (= KKT violation of the margins).
    Z, K : ndarray
        Features (n, d) or Gram matrix (n, n); exactly one.

    Returns
    -------
    a : ndarray
    margins : ndarray
        y_μ f(x_μ) at the returned a, recomputed from scratch.
    kkt : float
        max |projected gradient|, the certificate.
    epochs : int
    """
    y = np.ascontiguousarray(y, dtype=np.float64)

    def margins_of(a):
        return y * (Z @ (Z.T @ (a * y))) if K is None else y * (K @ (a * y))

    a = None
    epochs_total = 0
    kkt = np.inf
    dcd_tol = max(tol, 1e-1)
    while epochs_total < max_epochs:
        # Bounded rounds, so that the polish is retried while DCD crawls (large C, degenerate sets).
        budget = min(max_epochs - epochs_total, 1000)
        if K is None:
            a, _, ep = dcd_features(Z, y, C, dcd_tol, budget, seed + epochs_total, a0=a)
        else:
            a, _, ep = dcd_gram(K, y, C, dcd_tol, budget, seed + epochs_total, a0=a)
        epochs_total += ep
        kkt = float(np.max(np.abs(projected_gradient(a, margins_of(a), C))))
        if kkt <= tol:
            break
        cand = _polish(y, C, a, margins_of, Z=Z, K=K)
        if cand is not None and np.all((cand >= 0.0) & (cand <= C)):
            kkt_c = float(np.max(np.abs(projected_gradient(cand, margins_of(cand), C))))
            if kkt_c <= tol:
                a, kkt = cand, kkt_c
                break
        if ep < budget:  # DCD met its running tolerance: tighten it
            dcd_tol = max(dcd_tol * 0.1, tol)
    return a, margins_of(a), kkt, epochs_total
