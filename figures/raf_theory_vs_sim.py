"""Figure 6: theory against finite-size simulations, on the trade-off and learning-curve figures."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.lines import Line2D

from memtheory.figures.raf_learning_curves import CURVE_PARAMS
from memtheory.figures.raf_tradeoff import TRADEOFF_PARAMS
from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import (LABELS, REFERENCE_COLOR, learner_color, learner_label, loss_style, new_figure,
                           panel_label, style_context)

__all__ = ["plot_theory_vs_sim", "prefixed", "GALLERY", "SIM_TRADEOFF", "SIM_CURVES"]

_SIM_LEARNER = {"linear": "linear", "kernel": "kernel", "random_features": "rf"}
_MARKERS = {"linear": "o", "kernel": "s", "rf": "^"}


def prefixed(data: dict, prefix: str) -> dict:
    """The entries ``<prefix>_<key>`` of ``data`` as ``{key: value}``."""
    start = prefix + "_"
    return {k[len(start):]: v for k, v in data.items() if k.startswith(start)}


def _theory_tradeoff_panel(ax, theory: dict, loss: str, sim_lams, learners=("linear", "kernel")) -> None:
    losses = [str(x) for x in np.atleast_1d(theory["loss"])]
    s = losses.index(loss)
    names = [str(x) for x in np.atleast_1d(theory["learner"])]
    lam = np.asarray(theory["lam"], float)
    # Theory points at the simulated λ (nearest λ of the theory path) pair each simulation with its curve point.
    at = np.unique([int(np.argmin(np.abs(np.log(lam / x)))) for x in np.atleast_1d(sim_lams)])
    for learner in learners:
        j = names.index(learner)
        gen, mem = theory["gen_error"][s, j], theory["mem_error"][s, j]
        color = learner_color(learner)
        ax.plot(gen, mem, color=color, ls=loss_style(loss), label=f"{learner_label(learner)} theory")
        ax.plot(gen[at], mem[at], ls="none", marker=_MARKERS[learner], ms=3.5, color=color, zorder=5)
    ax.axvline(float(theory["bo_gen"]), color=REFERENCE_COLOR, ls=":", lw=1.3)


def _sim_points(ax, sim: dict, mask, x: str, y: str, xerr: str | None, yerr: str | None,
                dodge: float = 1.0) -> None:
    learners = np.array([_SIM_LEARNER.get(str(v), str(v)) for v in np.atleast_1d(sim["learner"])])
    for k, learner in enumerate(dict.fromkeys(learners[mask])):
        sel = mask & (learners == learner)
        # On log axes coinciding learners are shifted by a factor dodge**±1 so both stay visible.
        shift = dodge ** (2 * k - 1) if dodge != 1.0 else 1.0
        ax.errorbar(np.asarray(sim[x])[sel] * shift, sim[y][sel], xerr=None if xerr is None else sim[xerr][sel],
                    yerr=None if yerr is None else sim[yerr][sel], ls="none", marker=_MARKERS.get(learner, "D"),
                    ms=5, mfc="white", mec=learner_color(learner), ecolor=learner_color(learner),
                    elinewidth=1.0, capsize=2, zorder=6, label=f"{learner_label(learner)} simulation")


def plot_theory_vs_sim(data: dict):
    """Trade-off curves (square, hinge) and learning curves, theory lines against simulation points.

    Parameters
    ----------
    data : dict
        Merged gallery data: the simulation points of the trade-off (``gen_mean``, ``gen_se``,
        ``mem_mean``, ``mem_se``, ``learner``, ``loss``, ``lam``, ``d``, ``seeds``, see
        :func:`memtheory.studies.raf_simulations.raf_points`), ``curvesim_*`` (the same for the learning curves),
        ``tradeoff_*`` (:func:`memtheory.studies.raf_tradeoff.tradeoff_curves`) and ``curves_*``
        (:func:`memtheory.studies.raf_curves.learning_curves`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    theory = prefixed(data, "tradeoff")
    curves = prefixed(data, "curves")
    csim = prefixed(data, "curvesim")
    sim_loss = np.array([str(v) for v in np.atleast_1d(data["loss"])])
    with style_context():
        fig, axes = new_figure(1, 3, width=3.3, height=3.1)
        for i, loss in enumerate(("square", "hinge")):
            ax = axes[0, i]
            _theory_tradeoff_panel(ax, theory, loss, np.asarray(data["lam"], float)[sim_loss == loss])
            _sim_points(ax, data, sim_loss == loss, "gen_mean", "mem_mean", "gen_se", "mem_se")
            ax.set(xlabel=LABELS["gen_error"], ylabel=LABELS["mem_error"] if i == 0 else "",
                   title=rf"{loss} loss, $\alpha={float(theory['alpha']):g}$, "
                         rf"$\varepsilon={float(theory['epsilon']):g}$")
            ax.set_ylim(bottom=-0.01)
            panel_label(ax, "ab"[i])
        ax = axes[0, 2]
        _learning_panel(ax, curves, csim)
        panel_label(ax, "c")
        handles = [Line2D([], [], color=learner_color(l), label=f"{learner_label(l)} theory")
                   for l in ("linear", "kernel")]
        handles += [Line2D([], [], ls="none", marker=_MARKERS[l], mfc="white", mec=learner_color(l),
                           color=learner_color(l), label=f"{learner_label(l)} simulation (mean ± s.e.)")
                    for l in ("linear", "kernel")]
        handles += [Line2D([], [], color="grey", ls=loss_style(s), label=f"{s} loss") for s in ("square", "hinge")]
        handles += [Line2D([], [], color=REFERENCE_COLOR, ls=":", lw=1.3, label=r"Bayes-optimal $\varepsilon_{\rm gen}$"),
                    Line2D([], [], color=REFERENCE_COLOR, lw=2.0, label="Bayes-optimal learning curve")]
        fig.legend(handles=handles, loc="outside lower center", ncols=4)
        fig.suptitle(rf"Replica theory (lines) vs simulations (points, mean $\pm$ s.e. over {int(data['seeds'])} "
                     rf"seeds, $d = {int(data['d'])}$)")
    return fig


def _learning_panel(ax, curves: dict, csim: dict) -> None:
    eps_all = np.atleast_1d(np.asarray(curves["epsilon"], float))
    eps = float(np.atleast_1d(csim["epsilon"])[0])
    i = int(np.argmin(np.abs(eps_all - eps)))
    alpha = np.asarray(curves["alpha"], float)
    names = [str(c) for c in np.atleast_1d(curves["curve"])]
    for name in names:
        learner, _, loss = name.partition(":")
        if loss != "square":
            continue
        ax.plot(alpha, curves["gen_error"][i][names.index(name)], color=learner_color(learner),
                ls=loss_style(loss), lw=3.0 if learner == "linear" else 1.6, zorder=2 if learner == "linear" else 3)
    ax.plot(alpha, curves["bo_gen"][i], color=REFERENCE_COLOR, lw=2.0)
    _sim_points(ax, csim, np.ones(np.size(csim["alpha"]), bool), "alpha", "gen_mean", None, "gen_se",
                dodge=1.06)
    ax.set(xscale="log", yscale="log", xlabel=LABELS["alpha"], ylabel=LABELS["gen_error"],
           title=rf"square loss, optimal $\lambda$, $\varepsilon={eps:g}$")
    lo = np.nanmin(csim["alpha"]) / 1.5
    hi = np.nanmax(csim["alpha"]) * 3
    ax.set_xlim(max(lo, alpha.min()), min(hi, alpha.max()))


# --- gallery entry ---------------------------------------------------------------------------------
_MU1_SQ = 2 / math.pi  # sign activation (arcsine kernel): μ₁² = 2/π, μ⋆² = 1 − 2/π
_MU_STAR_SQ = 1 - 2 / math.pi


def _square_lam_opt(epsilon: float) -> tuple[float, float]:
    """Closed-form optimal ridges of square-loss linear and kernel ridge regression at which the
    simulations run (the linear one is π/(2(1−ε)²) − 1; the kernel's is μ₁² times that minus μ⋆²)."""
    ratio = math.pi / (2 * (1 - epsilon) ** 2) - 1
    return round(ratio, 4), round(max(_MU1_SQ * ratio - _MU_STAR_SQ, 0.0), 4)


# On the theory's λ grid (10^-4 … 10^1.5 in steps of 10^0.1), so each simulation has its theory point.
_SIM_LAMS = (round(10**-1.5, 5), round(10**-0.5, 5), round(10**0.5, 5))
SIM_TRADEOFF = {
    "points": [{"learner": learner, "loss": loss, "lam": lam, "alpha": TRADEOFF_PARAMS["alpha"],
                "epsilon": TRADEOFF_PARAMS["epsilon"]}
               for loss in ("square", "hinge") for learner in ("linear", "kernel") for lam in _SIM_LAMS],
    "d": 800,
    "seeds": 10,
    "activation": "sign",
}
_EPS_SIM = 0.2
_LAM_LIN, _LAM_KER = _square_lam_opt(_EPS_SIM)
# The kernel simulation solves an n × n system (n = αd): α = 8 at d = 800 alone would cost more than
# the rest of the figure, so the kernel stops at α = 4.
_ALPHAS_LIN = (0.5, 1.0, 2.0, 4.0, 8.0)
_ALPHAS_KER = (0.5, 1.0, 2.0, 4.0)
SIM_CURVES = {
    "points": [{"learner": learner, "loss": "square", "lam": lam, "alpha": a, "epsilon": _EPS_SIM}
               for learner, lam, alphas in (("linear", _LAM_LIN, _ALPHAS_LIN), ("kernel", _LAM_KER, _ALPHAS_KER))
               for a in alphas],
    "d": 800,
    "seeds": 10,
    "activation": "sign",
}


def _caption() -> str:
    def nums(xs):
        return ", ".join(f"{x:g}" for x in xs)

    return (f"Replica-symmetric theory (lines, the data of the trade-off and learning-curve figures) against "
            f"finite-size simulations (points, mean ± standard error over seeds). (a, b) ε_mem against ε_gen "
            f"at α = {TRADEOFF_PARAMS['alpha']:g}, ε = {TRADEOFF_PARAMS['epsilon']:g} for the linear learner "
            f"and the arcsine (sign activation) kernel, square and hinge losses; simulations at λ = "
            f"{', '.join(f'{x:.4g}' for x in _SIM_LAMS)} (small filled markers: theory at the same λ) "
            f"(d = {SIM_TRADEOFF['d']}, n = αd, {SIM_TRADEOFF['seeds']} seeds, the sizes of the `raf validate` "
            f"table). (c) ε_gen against α at ε = {_EPS_SIM:g}, square loss at the optimal λ (linear "
            f"λ = {_LAM_LIN:g}, kernel λ = {_LAM_KER:g}), with the Bayes-optimal curve; simulations at "
            f"α = {nums(_ALPHAS_LIN)} (linear) and α = {nums(_ALPHAS_KER)} (kernel, whose n × n solve makes "
            f"α = 8 too slow for the gallery) (d = {SIM_CURVES['d']}, {SIM_CURVES['seeds']} seeds; linear and "
            f"kernel points shifted by a factor 1.06 in α either way, as the two coincide). Finite-d "
            f"corrections of order 1/d are expected, largest for the kernel learners. The theory curves use "
            f"the trade-off figure's λ grid and the learning-curve figure's α grid (see their captions).")


GALLERY = [GalleryFigure(
    name="raf_theory_vs_sim", title="Theory vs simulation: trade-off and learning curves",
    caption=_caption(), producer="memtheory.studies.raf_simulations:raf_points", params=SIM_TRADEOFF,
    plot=plot_theory_vs_sim, group="raf",
    inputs={"curvesim": ("memtheory.studies.raf_simulations:raf_points", SIM_CURVES),
            "tradeoff": ("memtheory.studies.raf_tradeoff:tradeoff_curves", TRADEOFF_PARAMS),
            "curves": ("memtheory.studies.raf_curves:learning_curves", CURVE_PARAMS)},
    data_keys=("gen_mean", "gen_se", "mem_mean", "mem_se", "learner", "loss", "lam", "d", "seeds",
               "curvesim_alpha", "curvesim_gen_mean", "curvesim_gen_se", "curvesim_epsilon", "curvesim_d",
               "curvesim_seeds", "tradeoff_gen_error", "tradeoff_mem_error", "tradeoff_bo_gen",
               "curves_gen_error", "curves_bo_gen"),
    caption_exempt=("tradeoff.lam.log10", "tradeoff.learners", "tradeoff.losses", "tradeoff.activation",
                    "curves.alpha.log10", "curves.curves", "curves.epsilon", "curves.activation"),
)]
