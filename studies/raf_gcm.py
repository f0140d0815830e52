"""The Gaussian-covariate theory against simulations: anisotropic Gaussians and real images.

* :func:`anisotropic_curves` — ε_gen, ε_mem against α for several input spectra, theory
  (:class:`memtheory.solvers.raf.GaussianCovariate`) next to finite-size simulations
  (:mod:`memtheory.simulations.raf` with a ``spectrum``).
* :func:`digits_curves` — digit images (z-scored pixels or random features of them) as inputs:
  (a) labels from a synthetic linear teacher on those inputs plus a fraction ε of random facts, and
  (b) pure random labels (ε = 1). The theory uses the empirical covariance of all images and the
  teacher's components in its eigenbasis (docs/theory/gcm.md). Training sets are drawn without
  replacement from the images; ε_gen is measured on the images not used for training.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from memtheory.simulations.raf import simulate
from memtheory.simulations.raf._threads import blas_threads
from memtheory.simulations.raf.linear import fit_linear
from memtheory.simulations.raf.losses import loss_values
from memtheory.simulations.raf.real_data import feature_matrix, load_labelled
from memtheory.simulations.raf.spectra import make_spectrum
from memtheory.studies._common import quiet

__all__ = ["anisotropic_curves", "digits_curves"]



def anisotropic_curves(*, spectra=("powerlaw:0.5", "powerlaw:1", "powerlaw:1.5", "spike:0.1:10"), loss="square",
                       lam=0.1, epsilon=0.2, alpha_theory=None, alpha_sim=(0.5, 1.0, 2.0, 3.0), d=400,
                       seeds=8) -> dict:
    """Theory curves and simulation points (mean ± s.e. over seeds) of ε_gen and ε_mem against α.

    The theory uses the spectrum at the simulated ``d``: a power law ``i^(−a)`` normalised to mean 1
    changes shape with ``d`` (for ``a >= 1`` its top eigenvalue grows with ``d``), so the finite-``d``
    spectrum is the one the simulations see.
    """
    from memtheory.solvers import raf

    a_th = np.linspace(0.1, 4.0, 40) if alpha_theory is None else np.asarray(alpha_theory, float)
    a_sim = np.asarray(alpha_sim, float)
    out = {"spectrum": np.array(spectra), "alpha_theory": a_th, "alpha_sim": a_sim, "loss": loss, "lam": lam,
           "epsilon": epsilon, "d": d, "seeds": seeds}
    shape_th, shape_sim = (len(spectra), a_th.size), (len(spectra), a_sim.size)
    for k in ("theory_gen", "theory_mem"):
        out[k] = np.full(shape_th, np.nan)
    for k in ("sim_gen", "sim_gen_se", "sim_mem", "sim_mem_se"):
        out[k] = np.full(shape_sim, np.nan)
    for j, spec in enumerate(spectra):
        model = raf.GaussianCovariate(loss, lam, make_spectrum(spec, d))
        with quiet():
            res = raf.sweep(model, alpha=a_th, epsilon=epsilon, warn=False)
        out["theory_gen"][j] = np.where(res.converged, res.gen_error, np.nan)
        out["theory_mem"][j] = np.where(res.converged, res.mem_error, np.nan)
        for i, a in enumerate(a_sim):
            with quiet():
                r = simulate("linear", loss, lam, a, epsilon, d, seeds, spectrum=spec)
            out["sim_gen"][j, i], out["sim_gen_se"][j, i] = r.mean("gen_error"), r.sem("gen_error")
            out["sim_mem"][j, i], out["sim_mem_se"][j, i] = r.mean("mem_error"), r.sem("mem_error")
    return out


anisotropic_curves.gallery_cost = 3.0


def _draw(V, alpha, epsilon, teacher, rng):
    N, p = V.shape
    n = int(round(alpha * p))
    if n >= N:
        raise ValueError(f"alpha = {alpha:g} needs n = {n} samples, more than the {N} available")
    idx = rng.permutation(N)
    train, test = idx[:n], idx[n:]
    y_all = np.where(V @ teacher >= 0, 1.0, -1.0)
    y = y_all[train].copy()
    n_fact = int(round(epsilon * n))
    fact = np.zeros(n, bool)
    fact[rng.permutation(n)[:n_fact]] = True
    y[fact] = rng.choice(np.array([-1.0, 1.0]), size=n_fact)
    return train, test, y, fact, y_all


def _gaussian_surrogate(V, rng):
    """As many Gaussian rows as ``V`` has, with ``V``'s empirical covariance (centred)."""
    Vc = V - V.mean(axis=0)
    omega, U = np.linalg.eigh(Vc.T @ Vc / V.shape[0])
    return rng.standard_normal(V.shape) @ (U * np.sqrt(np.clip(omega, 0.0, None))).T


def _simulate_cases(V, teacher, loss, lam, eps_of, alphas, seeds, seed, tag):
    N, p = V.shape
    Z = V / math.sqrt(p)
    out = {f"{key}{suffix}": np.full((len(eps_of), alphas.size), np.nan)
           for key in ("gen", "mem", "loss") for suffix in ("", "_se")}
    for c, eps in enumerate(eps_of):
        for i, a in enumerate(alphas):
            vals = []
            for s in range(seeds):
                r = np.random.default_rng([seed, tag, c, i, s])
                train, test, y, fact, y_all = _draw(V, a, eps, teacher, r)
                with warnings.catch_warnings(), blas_threads(1):
                    warnings.simplefilter("ignore", RuntimeWarning)
                    fit = fit_linear(Z[train], y, loss, lam)
                f = Z[train] @ fit.w
                gen = float(np.mean(np.sign(Z[test] @ fit.w) != y_all[test])) if eps < 1 else np.nan
                mem = float(np.mean(y[fact] * f[fact] <= 0)) if fact.any() else np.nan
                vals.append((gen, mem, float(np.mean(loss_values(loss, y, f)))))
            vals = np.array(vals)
            for k, key in enumerate(("gen", "mem", "loss")):
                col = vals[:, k]
                if np.isfinite(col).all():
                    out[key][c, i] = col.mean()
                    out[key + "_se"][c, i] = col.std(ddof=1) / math.sqrt(seeds)
    return out


def digits_curves(*, features="tanh", p=400, loss="square", lam=0.1, epsilon=0.3, alphas=(0.25, 0.5, 1.0, 1.5, 2.0),
                  seeds=10, seed=0, surrogate=True) -> dict:
    """Digit images vs the GCM theory from their covariance: cases (a) teacher + facts, (b) ε = 1.

    With ``surrogate`` the same protocol also runs on Gaussian rows with the images' covariance
    (same number of rows, same teacher): agreement there and not on the images separates
    non-Gaussianity from finite-size effects.

    Returns ``case`` (2,), ``alpha`` (A,), ``sim_{gen,mem,loss}{,_se}`` and (with ``surrogate``)
    ``gauss_{gen,mem,loss}{,_se}`` of shape (2, A), ``alpha_theory`` (T,) and
    ``theory_{gen,mem,loss}`` of shape (2, T), ``p`` (the input dimension), ``n_images``.
    """
    from memtheory.solvers import raf

    V = feature_matrix(load_labelled("digits"), features, p, seed)
    N, p = V.shape
    rng = np.random.default_rng(seed + 1)
    teacher = rng.standard_normal(p)
    alphas = np.asarray(alphas, float)
    a_th = np.linspace(min(0.1, alphas.min()), alphas.max(), 30)
    cases = (f"(a) teacher + facts, ε = {epsilon:g}", "(b) random labels, ε = 1")
    eps_of = (epsilon, 1.0)
    out = {"case": np.array(cases), "alpha": alphas, "alpha_theory": a_th, "features": features, "p": p,
           "n_images": N, "loss": loss, "lam": lam, "seeds": seeds, "epsilon": epsilon}
    for key in ("gen", "mem", "loss"):
        out[f"theory_{key}"] = np.full((2, a_th.size), np.nan)
    model = raf.GaussianCovariate.from_data(V, loss, lam, teacher=teacher)
    for c, eps in enumerate(eps_of):
        with quiet():
            res = raf.sweep(model, alpha=a_th, epsilon=eps, warn=False)
        if eps < 1:
            out["theory_gen"][c] = np.where(res.converged, res.gen_error, np.nan)
        out["theory_mem"][c] = np.where(res.converged, res.mem_error, np.nan)
        out["theory_loss"][c] = np.where(res.converged, res.train_loss, np.nan)
    for key, val in _simulate_cases(V, teacher, loss, lam, eps_of, alphas, seeds, seed, 0).items():
        out[f"sim_{key}"] = val
    if surrogate:
        G = _gaussian_surrogate(V, np.random.default_rng([seed, 99]))
        for key, val in _simulate_cases(G, teacher, loss, lam, eps_of, alphas, seeds, seed, 1).items():
            out[f"gauss_{key}"] = val
    return out


digits_curves.gallery_cost = 2.0
