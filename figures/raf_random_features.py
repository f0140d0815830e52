"""Figure 5: random features along κ = p/d: where the excess capacity starts storing facts."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import (LABELS, OKABE_ITO, REFERENCE_COLOR, learner_color, loss_style, new_figure,
                           panel_label, style_context)

__all__ = ["plot_rf_kappa", "GALLERY", "RF_PARAMS"]


def plot_rf_kappa(data: dict):
    """ε_gen (left) and ε_mem (right) of random features against κ, with kernel and linear limits.

    Parameters
    ----------
    data : dict
        Output of :func:`memtheory.studies.raf_curves.rf_kappa_sweep`: ``kappa`` (K,), ``loss`` (S,),
        ``gen_error``/``mem_error`` (S, K), ``kernel_gen``/``kernel_mem``/``linear_gen``/``linear_mem``
        (S,), ``bo_gen``, ``alpha``, ``epsilon``, ``lam``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    kappa = np.asarray(data["kappa"], float)
    losses = [str(x) for x in np.atleast_1d(data["loss"])]
    alpha = float(data["alpha"])
    with style_context():
        fig, axes = new_figure(1, 2, width=3.5, height=3.4, sharex=True)
        for col, key in enumerate(("gen", "mem")):
            ax = axes[0, col]
            values = np.asarray(data[f"{key}_error"], float)
            for s, loss in enumerate(losses):
                ls = loss_style(loss)
                ax.plot(kappa, values[s], color=learner_color("rf"), ls=ls)
                ax.axhline(np.asarray(data[f"kernel_{key}"], float)[s], color=learner_color("kernel"),
                           ls=ls, lw=1.1)
                ax.axhline(np.asarray(data[f"linear_{key}"], float)[s], color=learner_color("linear"),
                           ls=ls, lw=1.1)
            if key == "gen":
                ax.axhline(float(data["bo_gen"]), color=REFERENCE_COLOR, ls=":", lw=1.3)
            # κ = α is p = n: from there on the features alone can fit every training label.
            ax.axvspan(alpha, kappa.max(), color=OKABE_ITO["grey"], alpha=0.15, lw=0)
            ax.axvline(alpha, color=OKABE_ITO["grey"], lw=1.0)
            ax.set(xscale="log", xlabel=LABELS["kappa"], ylabel=LABELS[f"{key}_error"],
                   xlim=(kappa.min(), kappa.max()))
            if key == "mem":
                ax.set_ylim(bottom=0)
            panel_label(ax, "ab"[col])
        handles = [Line2D([], [], color="grey", ls=loss_style(loss), label=f"{loss} loss") for loss in losses]
        handles += [Line2D([], [], color=learner_color("rf"), label=r"random features at $\kappa$"),
                    Line2D([], [], color=learner_color("kernel"), lw=1.1, label=r"kernel ($\kappa\to\infty$)"),
                    Line2D([], [], color=learner_color("linear"), lw=1.1, label="linear learner"),
                    Line2D([], [], color=REFERENCE_COLOR, ls=":", lw=1.3, label=r"Bayes-optimal $\varepsilon_{\rm gen}$"),
                    Patch(facecolor=OKABE_ITO["grey"], alpha=0.3, label=r"$\kappa > \alpha$ (more features than samples, $p > n$)")]
        fig.legend(handles=handles, loc="outside lower center", ncols=3)
        fig.suptitle(rf"Random features: $\alpha={alpha:g}$, $\varepsilon={float(data['epsilon']):g}$, "
                     rf"$\lambda={float(data['lam']):g}$")
    return fig


RF_PARAMS = {
    "alpha": 2.0,
    "epsilon": 0.2,
    "lam": 0.1,
    "kappa": {"log10": [-1, 2, 49]},
    "losses": ["square", "hinge"],
    "activation": "sign",
}


def _caption(p: dict) -> str:
    lo, hi, n = p["kappa"]["log10"]
    return (f"Random-features learner with {p['activation']} activation: rule test error ε_gen (a) and "
            f"training error on the facts ε_mem (b) against κ = p/d ∈ 10^{lo:g}…10^{hi:g} ({n} log-spaced "
            f"values), at α = n/d = {p['alpha']:g}, fact fraction ε = {p['epsilon']:g}, ridge "
            f"λ = {p['lam']:g}, for the {' and '.join(p['losses'])} losses (line style). Horizontal lines: "
            f"the κ → ∞ kernel limit (arcsine kernel) and the linear learner at the same λ; dotted: "
            f"Bayes-optimal ε_gen. Shaded: κ > α, i.e. more random features than training samples, where "
            f"the excess capacity stores the facts (ε_mem falls towards 0).")


GALLERY = [GalleryFigure(name="raf_random_features", title="Random features: errors along κ = p/d",
                         caption=_caption(RF_PARAMS), producer="memtheory.studies.raf_curves:rf_kappa_sweep",
                         params=RF_PARAMS, plot=plot_rf_kappa, group="raf",
                         data_keys=("kappa", "loss", "gen_error", "mem_error", "kernel_gen", "kernel_mem",
                                    "linear_gen", "linear_mem", "bo_gen", "alpha", "epsilon", "lam"))]
