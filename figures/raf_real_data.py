"""Rules and facts beyond isotropic Gaussians: anisotropic inputs, real images, the real-data protocol.

Three figures (producers in :mod:`memtheory.studies.raf_real` and :mod:`memtheory.studies.raf_gcm`):

* ``raf_gcm_anisotropic``: the Gaussian-covariate theory against simulations on power-law inputs;
* ``raf_gcm_digits``: simulations on digit images against the theory built from their covariance;
* ``raf_real_tradeoff``: E_mem against E_gen along λ on digits (KRR, SVM; one curve per RBF width η),
  next to the isotropic theory of the same kernel family.
"""

from __future__ import annotations

import numpy as np

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import LABELS, OKABE_ITO, new_figure, panel_label, style_context

__all__ = ["plot_real_tradeoff", "plot_gcm_anisotropic", "plot_gcm_digits", "GALLERY"]

_CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky")
          if k in OKABE_ITO] or ["C0", "C1", "C2", "C3", "C4", "C5"]
_NAMES = {"krr": "kernel ridge (square)", "svm": "kernel SVM (hinge)"}


def _color(i: int) -> str:
    return _CYCLE[i % len(_CYCLE)]


def plot_real_tradeoff(data: dict):
    """E_mem vs E_gen along the λ path, one panel per learner and one curve per η; dashed: theory."""
    learners = [str(s) for s in np.atleast_1d(data["learner"])]
    etas = np.atleast_1d(np.asarray(data["eta"], float))
    with style_context():
        fig, axes = new_figure(1, len(learners), width=3.6, height=3.0)
        for i, learner in enumerate(learners):
            ax = axes[0, i]
            for j, eta in enumerate(etas):
                c = _color(j)
                g, m = np.asarray(data["gen_mean"])[i, j], np.asarray(data["mem_mean"])[i, j]
                ax.errorbar(g, m, xerr=np.asarray(data["gen_se"])[i, j], yerr=np.asarray(data["mem_se"])[i, j],
                            color=c, marker="o", ms=2.5, lw=1.0, elinewidth=0.6, label=f"data, η = {eta:g}")
                tg, tm = np.asarray(data["theory_gen"])[i, j], np.asarray(data["theory_mem"])[i, j]
                if np.isfinite(tg).any():
                    ax.plot(tg, tm, color=c, ls="--", lw=1.0, label=f"theory, η = {eta:g}")
            ax.set_xlabel(LABELS.get("gen_error", "E_gen"))
            ax.set_ylabel(LABELS.get("mem_error", "E_mem"))
            ax.set_title(_NAMES.get(learner, learner), fontsize=9)
            ax.set_ylim(bottom=-0.02)
            panel_label(ax, "ab"[i] if i < 2 else str(i))
            if i == 0:
                ax.legend(fontsize=6, frameon=False)
        fig.suptitle(f"{data.get('data', '')}: rule {'/'.join(map(str, np.atleast_1d(data.get('rule', []))))}, "
                     f"facts {data.get('facts', '')}, α = {float(data['alpha']):g}, ε = {float(data['epsilon']):g}, "
                     f"{int(data['repeats'])} repeats", fontsize=8)
    return fig


def plot_gcm_anisotropic(data: dict):
    """ε_gen and ε_mem against α: GCM theory (lines) and simulations (points ± s.e.) per spectrum."""
    spectra = [str(s) for s in np.atleast_1d(data["spectrum"])]
    with style_context():
        fig, axes = new_figure(1, 2, width=3.4, height=2.8)
        for k, (key, label) in enumerate((("gen", "gen_error"), ("mem", "mem_error"))):
            ax = axes[0, k]
            for j, spec in enumerate(spectra):
                c = _color(j)
                ax.plot(data["alpha_theory"], np.asarray(data[f"theory_{key}"])[j], color=c, label=spec)
                ax.errorbar(data["alpha_sim"], np.asarray(data[f"sim_{key}"])[j], yerr=np.asarray(data[f"sim_{key}_se"])[j],
                            color=c, ls="none", marker="o", ms=3, elinewidth=0.8)
            ax.set_xlabel(LABELS.get("alpha", "α"))
            ax.set_ylabel(LABELS.get(label, label))
            panel_label(ax, "ab"[k])
        axes[0, 0].legend(fontsize=6, frameon=False, title="spectrum", title_fontsize=6)
        fig.suptitle(f"x ~ N(0, Σ), {data['loss']} loss, λ = {float(data['lam']):g}, ε = {float(data['epsilon']):g}; "
                     f"points: d = {int(data['d'])}, {int(data['seeds'])} seeds", fontsize=8)
    return fig


def plot_gcm_digits(data: dict):
    """Digit images as inputs: simulations (points ± s.e.) vs the GCM theory from their covariance (lines)."""
    cases = [str(s) for s in np.atleast_1d(data["case"])]
    with style_context():
        fig, axes = new_figure(1, len(cases), width=3.4, height=2.8)
        for i, case in enumerate(cases):
            ax = axes[0, i]
            for k, (key, label) in enumerate((("gen", "ε_gen"), ("mem", "ε_mem"), ("loss", "train loss"))):
                th = np.asarray(data[f"theory_{key}"])[i]
                sim = np.asarray(data[f"sim_{key}"])[i]
                if not (np.isfinite(th).any() or np.isfinite(sim).any()):
                    continue
                c = _color(k)
                ax.plot(data["alpha_theory"], th, color=c, label=f"{label} (GCM theory)")
                ax.errorbar(data["alpha"], sim, yerr=np.asarray(data[f"sim_{key}_se"])[i], color=c, ls="none",
                            marker="o", ms=3, elinewidth=0.8, label=f"{label} (digits)")
                if f"gauss_{key}" in data:
                    ax.errorbar(np.asarray(data["alpha"]) * 1.02, np.asarray(data[f"gauss_{key}"])[i],
                                yerr=np.asarray(data[f"gauss_{key}_se"])[i], color=c, ls="none", marker="s", ms=3,
                                mfc="white", elinewidth=0.8, label=f"{label} (Gaussian, same Σ)")
            ax.set_xlabel(LABELS.get("alpha", "α"))
            ax.set_title(case, fontsize=8)
            panel_label(ax, "ab"[i] if i < 2 else str(i))
        # One legend below both panels: inside, nine entries would cover the points.
        handles, labels = max((ax.get_legend_handles_labels() for ax in axes[0]), key=lambda hl: len(hl[1]))
        fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=6, frameon=False)
        fig.suptitle(f"digits inputs ({data['features']}, p = {int(data['p'])}), {data['loss']} loss, "
                     f"λ = {float(data['lam']):g}, {int(data['seeds'])} draws", fontsize=8)
    return fig


ANISOTROPIC_PARAMS = {"spectra": ["powerlaw:0.5", "powerlaw:1", "powerlaw:1.5", "spike:0.1:10"], "loss": "square",
                      "lam": 0.1, "epsilon": 0.2, "alpha_sim": [0.5, 1.0, 2.0, 3.0], "d": 400, "seeds": 8}
DIGITS_PARAMS = {"features": "tanh", "p": 300, "loss": "square", "lam": 0.1, "epsilon": 0.3,
                 "alphas": [0.25, 0.5, 1.0, 1.5, 2.0], "seeds": 8}
REAL_PARAMS = {"data": "digits", "rule": ["3", "5"], "facts": "1", "alpha": 2.0, "epsilon": 0.2,
               "etas": [0.5, 1.0, 2.0], "repeats": 10}

GALLERY = [
    GalleryFigure(
        name="raf_gcm_anisotropic", title="Gaussian-covariate theory vs simulations on anisotropic inputs",
        caption="ε_gen and ε_mem against α for x ~ N(0, Σ) with power-law spectra ω_i ∝ i^-a (a = 0.5, 1, 1.5; "
                "normalised to mean 1 at d = 400) and a two-level spike spectrum (10% of the directions with 10× "
                "the variance), square loss, λ = 0.1, ε = 0.2. Lines: raf.GaussianCovariate on 40 values of α "
                "from 0.1 to 4; points: ridge regression at α = 0.5, 1, 2, 3 and d = 400, mean ± s.e. over "
                "8 seeds.",
        producer="memtheory.studies.raf_gcm:anisotropic_curves", params=ANISOTROPIC_PARAMS,
        plot=plot_gcm_anisotropic, group="raf",
        data_keys=("spectrum", "alpha_theory", "alpha_sim", "theory_gen", "theory_mem", "sim_gen", "sim_gen_se",
                   "sim_mem", "sim_mem_se", "loss", "lam", "epsilon", "d", "seeds")),
    GalleryFigure(
        name="raf_gcm_digits", title="Digit images as inputs vs the Gaussian-covariate theory",
        caption="Inputs: p = 300 z-scored tanh random features of the 1,797 z-scored 8×8 digits. (a) labels "
                "sign(θ·v) of a random linear teacher with a fraction ε = 0.3 of random facts; (b) pure random "
                "labels. Square loss, λ = 0.1; lines: GCM theory from the images' covariance and the "
                "teacher's components; filled points: ridge regression on n = αp images drawn without "
                "replacement, α = 0.25, 0.5, 1, 1.5, 2 (ε_gen on the others); open squares: the same on Gaussian rows with the images' "
                "covariance; mean ± s.e. over 8 draws.",
        producer="memtheory.studies.raf_gcm:digits_curves", params=DIGITS_PARAMS, plot=plot_gcm_digits,
        group="raf", needs=("sklearn",),
        data_keys=("case", "alpha", "alpha_theory", "features", "p", "n_images", "loss", "lam", "epsilon", "seeds")
        + tuple(f"theory_{k}" for k in ("gen", "mem", "loss"))
        + tuple(f"{src}_{k}{e}" for src in ("sim", "gauss") for k in ("gen", "mem", "loss") for e in ("", "_se"))),
    GalleryFigure(
        name="raf_real_tradeoff", title="Rules and facts on real images: the λ trade-off per kernel width",
        caption="digits, rule 3 vs 5, facts: images of 1 with random labels; n = 2d = 128 (d = 64) z-scored "
                "inputs (pixels constant on a training set are dropped), ε = 0.2; bias-free RBF kernel ridge "
                "regression and SVM, λ from 1e-4 to 1e2 (25 values), η ∈ {0.5, 1, 2} relative to the median squared "
                "distance; mean ± s.e. over 10 splits. Dashed: the isotropic-Gaussian theory of the RBF "
                "kernel (μ₁² = ηe^-η, μ⋆² = 1 − e^-η(1+η)) at the same α, ε — a qualitative reference.",
        producer="memtheory.studies.raf_real:real_protocol", params=REAL_PARAMS, plot=plot_real_tradeoff,
        group="raf", needs=("sklearn",),
        data_keys=("learner", "eta", "lam", "mem_mean", "mem_se", "gen_mean", "gen_se", "theory_gen", "theory_mem",
                   "alpha", "epsilon", "n", "d", "d_used", "repeats", "data", "rule", "facts")),
]
