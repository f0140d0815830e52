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
        # with linear ridge, and the linear curve must stay visible around it.
        wide = learner == "linear"
        ax.plot(alpha, gen[j], color=learner_color(learner), ls=loss_style(loss), lw=3.0 if wide else 1.6,
                zorder=2 if wide else 3, label=learner_label(learner, loss) + r", optimal $\lambda$")
    ax.plot(alpha, bo, color=REFERENCE_COLOR, lw=2.0, label="Bayes-optimal")
    refs = []
    if guides:
        # Each guide is anchored on the curve it describes, at the largest α (open circle): α^-1 on
        # the Bayes-optimal curve, α^-1/2 on the square-loss curve with the largest ε_gen there.
        keep = alpha >= alpha[-1] / 10 ** 1.2
        last = gen[:, -1]
        square = [j for j, c in enumerate(curves) if c.endswith(":square") and np.isfinite(last[j])]
        j_half = max(square, key=lambda j: last[j]) if square else int(np.nanargmax(last))
        for y_end, exponent, ls in ((last[j_half], -0.5, "-."), (bo[-1], -1.0, (0, (1, 1.5)))):
            if not np.isfinite(y_end):
                continue
            guide = rate_guide(alpha, alpha[-1], y_end, exponent)
            ax.plot(alpha[keep], guide[keep], color=OKABE_ITO["grey"], ls=ls, lw=1.3, zorder=4)
            ax.plot(alpha[-1], y_end, marker="o", ms=4, mfc="white", mec=OKABE_ITO["grey"], zorder=6)
        refs = [Line2D([], [], color=OKABE_ITO["grey"], ls="-.", lw=1.2,
                       label=r"rate $\alpha^{-1/2}$ (through square loss at largest $\alpha$)"),
                Line2D([], [], color=OKABE_ITO["grey"], ls=(0, (1, 1.5)), lw=1.4,
                       label=r"rate $\alpha^{-1}$ (through Bayes-optimal at largest $\alpha$)")]
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
    eps = " and ".join(f"{e:g}" for e in p["epsilon"])
    learners = sorted({c.split(":")[0] for c in p["curves"]})
    losses = sorted({c.split(":")[1] for c in p["curves"]})
    return (f"Rule test error ε_gen against α = n/d on log–log axes (10^{lo:g} to 10^{hi:g}, {n} log-spaced "
            f"points), one panel for each fact fraction ε = {eps}. Each curve is a learner "
            f"({' and '.join(learners)}; colour) with a loss ({' and '.join(losses)}; line style) at the λ that "
            f"minimises ε_gen at that (α, ε); the kernel uses the {p['activation']} activation (arcsine "
            f"kernel). At the optimal λ kernel ridge regression coincides with linear ridge, so the wide blue "
            f"square-loss curve lies under the vermillion one. Thick black: Bayes-optimal ε_gen. The grey "
            f"guides are anchored at the largest α (open circles): α^-1/2 through the upper square-loss curve "
            f"and α^-1 through the Bayes-optimal curve, over the last 1.2 decades.")


GALLERY = [GalleryFigure(name="raf_learning_curves", title="Learning curves at optimal λ vs Bayes-optimal",
                         caption=_caption(CURVE_PARAMS), producer="memtheory.studies.raf_curves:learning_curves",
                         params=CURVE_PARAMS, plot=plot_learning_curves, group="raf",
                         data_keys=("alpha", "epsilon", "curve", "gen_error", "bo_gen"))]
