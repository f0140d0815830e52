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
                ax.plot(data["alpha"], th, color=c, label=f"{label} (GCM theory)")
                ax.errorbar(data["alpha"], sim, yerr=np.asarray(data[f"sim_{key}_se"])[i], color=c, ls="none",
                            marker="o", ms=3, elinewidth=0.8, label=f"{label} (digits)")
            ax.set_xlabel(LABELS.get("alpha", "α"))
            ax.set_title(case, fontsize=8)
            panel_label(ax, "ab"[i] if i < 2 else str(i))
            ax.legend(fontsize=6, frameon=False)
        fig.suptitle(f"digits inputs ({data['features']}, p = {int(data['p'])}), {data['loss']} loss, "
                     f"λ = {float(data['lam']):g}, {int(data['seeds'])} draws", fontsize=8)
    return fig


GALLERY: list = []
