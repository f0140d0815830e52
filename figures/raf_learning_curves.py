"""Figure 3: learning curves ε_gen(α) at optimal λ against Bayes-optimal, log–log, with rate guides."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import (LABELS, OKABE_ITO, REFERENCE_COLOR, learner_color, learner_label, loss_style,
                           new_figure, panel_label, style_context)

__all__ = ["plot_learning_curves", "draw_learning_panel", "rate_guide", "GALLERY", "CURVE_PARAMS"]


def rate_guide(alpha: np.ndarray, anchor_alpha: float, anchor_value: float, exponent: float) -> np.ndarray:
    """Power law ``c · α^exponent`` through ``(anchor_alpha, anchor_value)``, evaluated at ``alpha``."""
    return anchor_value * (np.asarray(alpha, float) / anchor_alpha) ** exponent


def draw_learning_panel(ax, data: dict, i: int, *, guides: bool = True) -> list:
    """Draw the curves of ε number ``i`` on ``ax``; return legend handles of the reference lines."""
    alpha = np.asarray(data["alpha"], float)
    curves = [str(c) for c in np.atleast_1d(data["curve"])]
    gen = np.asarray(data["gen_error"], float)[i]
    bo = np.asarray(data["bo_gen"], float)[i]
    for j, curve in enumerate(curves):
        learner, _, loss = curve.partition(":")
        # Linear curves are drawn wider, underneath: at optimal λ, kernel ridge regression coincides
        # with linear ridge (spec §5.6), and the linear curve must stay visible around it.
        wide = learner == "linear"
        ax.plot(alpha, gen[j], color=learner_color(learner), ls=loss_style(loss), lw=3.0 if wide else 1.6,
                zorder=2 if wide else 3, label=learner_label(learner, loss) + r", optimal $\lambda$")
    ax.plot(alpha, bo, color=REFERENCE_COLOR, lw=2.0, label="Bayes-optimal")
    refs = []
    if guides:
        top = np.nanmax(gen[:, -1]) if np.isfinite(gen[:, -1]).any() else bo[-1]
        half = rate_guide(alpha, alpha[-1], 1.6 * top, -0.5)
        one = rate_guide(alpha, alpha[-1], 0.7 * bo[-1], -1.0)
        # Guides span the upper half of the α decade range, where the asymptotic rates apply.
        keep = alpha >= np.sqrt(alpha[0] * alpha[-1])
        ax.plot(alpha[keep], half[keep], color=OKABE_ITO["grey"], ls="-.", lw=1.2)
        ax.plot(alpha[keep], one[keep], color=OKABE_ITO["grey"], ls=(0, (1, 1.5)), lw=1.4)
        refs = [Line2D([], [], color=OKABE_ITO["grey"], ls="-.", lw=1.2, label=r"rate $\alpha^{-1/2}$"),
                Line2D([], [], color=OKABE_ITO["grey"], ls=(0, (1, 1.5)), lw=1.4, label=r"rate $\alpha^{-1}$")]
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(LABELS["alpha"])
    ax.set_ylabel(LABELS["gen_error"])
    ax.set_title(rf"$\varepsilon = {float(np.atleast_1d(data['epsilon'])[i]):g}$")
    return refs


def plot_learning_curves(data: dict):
    """ε_gen(α) at the optimal λ for each learner and loss, plus Bayes-optimal, one panel per ε.

    Parameters
    ----------
    data : dict
        Output of :func:`memtheory.studies.raf_curves.learning_curves`: ``alpha`` (A,), ``epsilon`` (E,),
        ``curve`` (C,) strings ``learner:loss``, ``gen_error`` (E, C, A), ``bo_gen`` (E, A).

    Returns
    -------
    matplotlib.figure.Figure
    """
    eps = np.atleast_1d(data["epsilon"])
    with style_context():
        fig, axes = new_figure(1, eps.size, width=3.5, height=3.0, sharey=True)
        for i in range(eps.size):
            ax = axes[0, i]
            refs = draw_learning_panel(ax, data, i)
            if i:
                ax.set_ylabel("")
            if eps.size > 1:
                panel_label(ax, "abcd"[i])
                ax.set_xlabel("")
        if eps.size > 1:
            fig.supxlabel(LABELS["alpha"], fontsize=10)
        handles, _ = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles=handles + refs, loc="outside right center")
        fig.suptitle(r"Learning curves at optimal $\lambda$ versus Bayes-optimal")
    return fig


CURVE_PARAMS = {
    "epsilon": [0.0, 0.2],
    "alpha": {"log10": [-0.5, 2.0, 26]},
    "curves": ["linear:square", "linear:hinge", "kernel:square", "kernel:hinge"],
    "activation": "sign",
}


def _caption(p: dict) -> str:
    lo, hi, n = p["alpha"]["log10"]
    eps = ", ".join(f"{e:g}" for e in p["epsilon"])
    return (f"Rule test error ε_gen against α = n/d (10^{lo:g}…10^{hi:g}, {n} log-spaced points, log–log "
            f"axes) at fact fraction ε = {eps} (one panel each), for "
            f"{', '.join(c.replace(':', ' learner, ') + ' loss' for c in p['curves'])}, each at the λ that "
            f"minimises ε_gen at that (α, ε); kernel with {p['activation']} activation (arcsine kernel). At "
            f"optimal λ kernel ridge regression coincides with linear ridge (spec §5.6): the wide blue "
            f"curve lies under the vermillion one. "
            f"Thick black: Bayes-optimal ε_gen. Grey guides: α^-1/2 (dash-dot) and α^-1 (dotted) rates, "
            f"anchored near the largest α.")


GALLERY = [GalleryFigure(name="raf_learning_curves", title="Learning curves at optimal λ vs Bayes-optimal",
                         caption=_caption(CURVE_PARAMS), producer="memtheory.studies.raf_curves:learning_curves",
                         params=CURVE_PARAMS, plot=plot_learning_curves, group="raf")]
