"""Figure 2: the memorization–generalization trade-off, ε_mem against ε_gen along the ridge path λ."""

from __future__ import annotations

import numpy as np

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import (LABELS, REFERENCE_COLOR, learner_color, learner_label, new_figure, panel_label,
                           rf_color, sci_label, style_context)

__all__ = ["plot_tradeoff", "draw_tradeoff_panel", "GALLERY", "TRADEOFF_PARAMS"]


def _curve_color(learner: str, index_rf: int) -> str:
    return rf_color(index_rf) if learner == "rf" else learner_color(learner)


# λ values marked along every curve (shape-coded, one legend entry each), so λ can be read off.
LAM_MARKS = (1e-3, 1e-2, 1e-1, 1.0, 10.0)
_LAM_MARKERS = ("v", "s", "D", "P", "X")


def _lam_marks(ax, lam, gen, mem, color) -> None:
    lam = np.asarray(lam, float)
    for value, marker in zip(LAM_MARKS, _LAM_MARKERS):
        k = int(np.argmin(np.abs(np.log(lam / value))))
        if abs(np.log10(lam[k] / value)) > 0.05 or not (np.isfinite(gen[k]) and np.isfinite(mem[k])):
            continue  # not on the λ path
        ax.plot(gen[k], mem[k], marker=marker, ms=4.5, color=color, mec="black", mew=0.5, ls="none", zorder=4)


def draw_tradeoff_panel(ax, data: dict, s: int, *, legend: bool = True) -> None:
    """Draw the trade-off curves of loss number ``s`` of ``data`` on ``ax`` (see :func:`plot_tradeoff`)."""
    learners = np.atleast_1d(data["learner"])
    kappas = np.atleast_1d(np.asarray(data["kappa"], float))
    gen = np.asarray(data["gen_error"], float)[s]
    mem = np.asarray(data["mem_error"], float)[s]
    n_rf = 0
    for j, learner in enumerate(map(str, learners)):
        color = _curve_color(learner, n_rf)
        n_rf += learner == "rf"
        kappa = kappas[j] if np.isfinite(kappas[j]) else None
        ax.plot(gen[j], mem[j], color=color, label=learner_label(learner, kappa=kappa))
        _direction_arrow(ax, gen[j], mem[j], color)
        _lam_marks(ax, data["lam"], gen[j], mem[j], color)
        g_opt, m_opt = _at(data, "gen_opt", s, j), _at(data, "mem_opt", s, j)
        if np.isfinite(g_opt):
            ax.plot(g_opt, m_opt, marker="*", ms=11, color=color, mec="black", mew=0.6, ls="none",
                    zorder=5)
        g0, m0 = _at(data, "gen_lam0", s, j), _at(data, "mem_lam0", s, j)
        if np.isfinite(g0):
            ax.plot(g0, m0, marker="o", ms=5, mfc="white", color=color, ls="none", zorder=5)
    ax.axvline(float(data["bo_gen"]), color=REFERENCE_COLOR, ls=":", lw=1.3)
    ax.set_xlabel(LABELS["gen_error"])
    ax.set_ylabel(LABELS["mem_error"])
    ax.set_ylim(bottom=-0.01)
    if legend:
        _legend(ax.figure, ax)


def _at(data: dict, key: str, s: int, j: int) -> float:
    return float(np.asarray(data[key], float)[s, j]) if key in data else np.nan


def _direction_arrow(ax, x, y, color):
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 4:
        return
    i = int(0.55 * (x.size - 1))
    ax.annotate("", xy=(x[i + 1], y[i + 1]), xytext=(x[i], y[i]),
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": 0, "mutation_scale": 11})


def _legend(fig, ax):
    from matplotlib.lines import Line2D

    handles, _ = ax.get_legend_handles_labels()
    handles += [
        Line2D([], [], color=REFERENCE_COLOR, ls=":", lw=1.3, label=r"Bayes-optimal $\varepsilon_{\rm gen}$"),
        Line2D([], [], color="grey", marker="*", ms=10, mec="black", mew=0.6, ls="none",
               label=r"optimal $\lambda$ (min $\varepsilon_{\rm gen}$)"),
        Line2D([], [], color="grey", marker="o", ms=5, mfc="white", ls="none", label=r"$\lambda \to 0$"),
        Line2D([], [], color="grey", marker=r"$\rightarrow$", ms=10, ls="none", label=r"increasing $\lambda$"),
    ]
    handles += [Line2D([], [], color="grey", marker=m, ms=4.5, mec="black", mew=0.5, ls="none",
                       label=rf"$\lambda = {sci_label(v)}$") for v, m in zip(LAM_MARKS, _LAM_MARKERS)]
    fig.legend(handles=handles, loc="outside right center")


def plot_tradeoff(data: dict):
    """ε_mem against ε_gen as λ varies, one panel per loss.

    Parameters
    ----------
    data : dict
        Output of :func:`memtheory.studies.raf_tradeoff.tradeoff_curves`: ``lam`` (N,), ``loss`` (S,),
        ``learner``/``kappa`` (L,), ``gen_error``/``mem_error`` (S, L, N), ``gen_opt``/``mem_opt``/
        ``lam_opt`` (S, L), optional ``gen_lam0``/``mem_lam0`` (S, L), ``bo_gen``, ``alpha``, ``epsilon``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    losses = np.atleast_1d(data["loss"])
    with style_context():
        # 2 inches on top of the panels for the legend on the right
        fig, axes = new_figure(1, len(losses), width=3.4 + 2.0 / len(losses), height=3.1, sharey=True)
        for s, loss in enumerate(losses):
            ax = axes[0, s]
            draw_tradeoff_panel(ax, data, s, legend=s == len(losses) - 1)
            ax.set_title(f"{loss} loss")
            if s:
                ax.set_ylabel("")
            if len(losses) > 1:
                panel_label(ax, "abc"[s])
        fig.suptitle(rf"Memorization–generalization trade-off along $\lambda$ "
                     rf"($\alpha={float(data['alpha']):g}$, $\varepsilon={float(data['epsilon']):g}$)")
    return fig


TRADEOFF_PARAMS = {
    "alpha": 2.0,
    "epsilon": 0.2,
    "losses": ["square", "hinge", "squared_hinge"],
    "learners": ["linear", "kernel", "rf:0.5", "rf:1", "rf:2", "rf:5"],
    "lam": {"log10": [-4, 1.5, 56]},
    "activation": "sign",
}


def _caption(p: dict) -> str:
    lo, hi, n = p["lam"]["log10"]
    kappas = ", ".join(s.split(":")[1] for s in p["learners"] if s.startswith("rf:"))
    return (f"Memorization error on the facts ε_mem against rule test error ε_gen as the ridge penalty λ "
            f"runs over 10^{lo:g}…10^{hi:g} ({n} log-spaced values), at α = n/d = {p['alpha']:g} and "
            f"fact fraction ε = {p['epsilon']:g}, for the {' and '.join(p['losses'])} losses. Learners: "
            f"linear, kernel with {p['activation']} activation (arcsine kernel) and random features with "
            f"{p['activation']} activation at κ = p/d = {kappas}. Stars: optimal λ (smallest ε_gen); open "
            f"circles: λ → 0 limit (min-norm interpolator / max-margin) where it exists; arrows point to "
            f"increasing λ; small markers (shape per value, see legend) at λ = "
            f"{', '.join(f'{v:g}' for v in LAM_MARKS)}. Dotted vertical line: Bayes-optimal ε_gen at the same (α, ε).")


GALLERY = [GalleryFigure(name="raf_tradeoff", title="Memorization–generalization trade-off (λ path)",
                         caption=_caption(TRADEOFF_PARAMS),
                         producer="memtheory.studies.raf_tradeoff:tradeoff_curves",
                         params=TRADEOFF_PARAMS, plot=plot_tradeoff, group="raf",
                         data_keys=("lam", "loss", "learner", "kappa", "gen_error", "mem_error", "gen_opt",
                                    "mem_opt", "lam_opt", "gen_lam0", "mem_lam0", "bo_gen", "alpha", "epsilon"))]
