"""Capacity gallery figures (issue 5): facts memorized and bits/parameter vs N, the Gardner bridge,
``p*`` vs ``C/(N·H)``, and the training histories. Plot functions only: ``data -> Figure``."""

from __future__ import annotations

import numpy as np

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import LABELS, OKABE_ITO, REFERENCE_COLOR, new_figure, panel_label, rf_color, style_context

__all__ = [
    "GALLERY",
    "PSTAR_PARAMS",
    "GARDNER_PARAMS",
    "SWEEP_PARAMS",
    "plot_bits_vs_n",
    "plot_facts_vs_n",
    "plot_gardner_bridge",
    "plot_p_star",
    "plot_training_history",
]

# Condition -> (label, colour, dash). Frequency law by colour family, method by dash.
_CONDITIONS = {
    "uniform_standard": ("uniform, standard", OKABE_ITO["blue"], "--"),
    "zipf_standard": ("Zipf, standard", OKABE_ITO["vermillion"], "--"),
    "uniform_selection": ("uniform, loss-based selection", OKABE_ITO["blue"], "-"),
    "zipf_selection": ("Zipf, loss-based selection", OKABE_ITO["vermillion"], "-"),
    "zipf_flatten_only": ("Zipf, flatten only (drop low loss)", OKABE_ITO["orange"], ":"),
    "zipf_limit_only": ("Zipf, limit only (drop high loss)", OKABE_ITO["purple"], ":"),
}


def _tag(x: float) -> str:
    """Number as used in data keys (``0.5`` -> ``"0p5"``), as written by the producer."""
    return f"{x:g}".replace(".", "p").replace("-", "m").replace("+", "")


def _present(data: dict, cond: str, metric: str):
    key = f"{cond}__{metric}"
    if key not in data:
        return None
    y = np.asarray(data[key], float)
    return None if not np.any(np.isfinite(y)) else y


def plot_facts_vs_n(data: dict):
    """Facts memorized vs number of training facts ``N``, with the capacity limit.

    Left: exact-match counts against the subset limit counted the same way, ``m* + (N − m*)/K``
    (lucky guesses included, spec §3.3b). Right: chance-corrected stored facts
    ``(n − N/K)/(1 − 1/K)`` against ``min(N, m*)``.

    Parameters
    ----------
    data : dict
        Output of :func:`memtheory.studies.capacity_experiment.capacity_sweep`.
    """
    n = np.asarray(data["n_facts"], float)
    m_star = float(data["m_star"])
    k = 2.0 ** float(data["entropy_bits"])
    grid = np.geomspace(n.min(), n.max(), 200)
    limit = np.minimum(grid, m_star)
    with style_context():
        fig, axes = new_figure(1, 2, width=4.3, height=3.5, sharey=True)
        panels = ((axes[0, 0], "n_memorized", limit + (grid - limit) / k,
                   r"limit $m^* + (N - m^*)/K$", "facts memorized (exact match)"),
                  (axes[0, 1], "n_stored", limit, r"limit $\min(N, m^*)$", r"stored facts, $(n - N/K)/(1 - 1/K)$"))
        for ax, metric, lim, lim_label, ylabel in panels:
            ax.plot(grid, lim, color=REFERENCE_COLOR, lw=2.0, label=lim_label + rf", $m^* = C_{{emp}}/H = {m_star:.0f}$")
            ax.axhline(0.9 * m_star, color=OKABE_ITO["grey"], lw=0.8, ls="-.", label=r"$0.9\,m^*$")
            for cond, (label, color, ls) in _CONDITIONS.items():
                y = _present(data, cond, metric)
                if y is not None:
                    ok = np.isfinite(y)
                    ax.plot(n[ok], y[ok], ls=ls, marker="o", ms=3.5, color=color, label=label)
            ax.set_xscale("log")
            ax.set_xlabel(r"training facts $N$  (top: $N H / C_{emp}$)")
            ax.set_title(ylabel, fontsize=9)
            top = ax.secondary_xaxis("top", functions=(
                lambda x: x * data["entropy_bits"] / data["capacity_emp_bits"],
                lambda r: r * data["capacity_emp_bits"] / data["entropy_bits"]))
            top.tick_params(labelsize=7)
        axes[0, 0].set_ylabel("facts")
        axes[0, 0].set_ylim(0, 1.15 * m_star)
        # one legend below both panels: inside a panel it would cover the curves at large N
        handles, labels = axes[0, 1].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=7, handlelength=3.5)
    return fig


def plot_bits_vs_n(data: dict):
    """Loss-implied (Morris) and accuracy-implied bits per parameter vs ``N``."""
    n = np.asarray(data["n_facts"], float)
    with style_context():
        fig, axes = new_figure(1, 2, width=3.6, height=3.0, sharey=True)
        for ax, metric, title in ((axes[0, 0], "bits_morris_per_param", "loss-implied bits / parameter"),
                                  (axes[0, 1], "acc_bits_per_param", r"accuracy-implied bits / parameter")):
            ax.axhline(data["capacity_emp_bits_per_param"], color=REFERENCE_COLOR, lw=1.5,
                       label=r"$C_{emp}/P$ (plateau, uniform standard)")
            for cond, (label, color, ls) in _CONDITIONS.items():
                y = _present(data, cond, metric)
                if y is not None:
                    ok = np.isfinite(y)
                    ax.plot(n[ok], y[ok], ls=ls, marker="o", ms=3, color=color, label=label)
            ax.set_xscale("log")
            ax.set_xlabel(r"training facts $N$")
            ax.set_title(title)
        axes[0, 0].set_ylabel(f"bits per parameter (P = {int(data['params'])})")
        axes[0, 0].set_ylim(bottom=0)
        handles, labels = axes[0, 1].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=7, handlelength=3.5)
    return fig


def plot_training_history(data: dict):
    """Facts memorized along training (best ``N`` of each condition) vs exposures."""
    with style_context():
        fig, axes = new_figure(1, 1, width=7.6, height=3.4)
        ax = axes[0, 0]
        ax.axhline(data["m_star"], color=REFERENCE_COLOR, lw=1.5, label=r"$m^*$")
        for cond, (label, color, ls) in _CONDITIONS.items():
            key = f"{cond}__hist_exposures"
            if key in data:
                ax.plot(np.asarray(data[key]) / 1e6, data[f"{cond}__hist_n_memorized"], ls=ls, marker=".", color=color,
                        label=f"{label} (N = {data[f'{cond}__best_n_facts']:.0f})")
        ax.set_xlabel(r"exposures (training examples, $\times 10^6$)")
        ax.set_ylabel("facts memorized")
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right center", fontsize=7, handlelength=3.5)
    return fig


def plot_gardner_bridge(data: dict):
    """Stored fact bits per parameter vs ``α`` for RAF learners; facts' share for ``ε < 1``."""
    a = np.asarray(data["alpha"], float)
    b = float(data["bits_per_param"])
    curves = [
        ("linear_hinge_maxmargin", r"linear, hinge, $\lambda\to 0$", OKABE_ITO["blue"], "--"),
        ("linear_square_minnorm", r"linear, square, $\lambda\to 0$", OKABE_ITO["blue"], "-"),
        ("linear_hinge_ridge", r"linear, hinge, ridge", OKABE_ITO["sky"], "--"),
        ("linear_square_ridge", r"linear, square, ridge", OKABE_ITO["sky"], "-"),
    ]
    with style_context():
        fig, axes = new_figure(1, 2, width=3.8, height=3.6)
        ax = axes[0, 0]
        ax.axhline(b, color=REFERENCE_COLOR, lw=1.2, ls=":", label=f"b = {b:g} bits/parameter")
        for key, label, color, ls in curves:
            ax.plot(a, data[f"{key}__bits_per_param"], color=color, ls=ls, label=label)
        for i, k in enumerate(np.atleast_1d(data["rf_kappa"])):
            ax.plot(a, data[f"rf_hinge_kappa{_tag(k)}__bits_per_param"], color=rf_color(i), ls="-.",
                    label=rf"random features erf, hinge, $\kappa={k:g}$ (P = $\kappa d$)")
        ax.plot([data["alpha_c"]], [data["bits_per_param_at_alpha_c"]], "o", color=REFERENCE_COLOR,
                label=rf"$\alpha_c = {data['alpha_c']:.2f}$: {data['bits_per_param_at_alpha_c']:.2f} bits/param")
        ax.set_xlabel(LABELS["alpha"])
        ax.set_ylabel("stored fact bits / parameter")
        ax.set_title(r"$\varepsilon = 1$: $\alpha\,(1-h_2(\varepsilon_{mem}))\,/\,(P/d)$", fontsize=9)
        ax.set_ylim(0, 1.2 * b)
        ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(0.0, -0.2), ncol=2)
        panel_label(ax, "a")
        ax = axes[0, 1]
        for i, eps in enumerate(np.atleast_1d(data["epsilons"])):
            share = np.asarray(data[f"eps{_tag(eps)}__bits_per_param"], float) / b
            line, = ax.plot(a, share, color=rf_color(i), label=rf"$\varepsilon = {eps:g}$")
            ax.plot([data[f"eps{_tag(eps)}__alpha_c"]], [data[f"eps{_tag(eps)}__bits_at_alpha_c"] / b], "o", color=line.get_color())
        ax.set_xlabel(LABELS["alpha"])
        ax.set_ylabel(r"facts' share of $b\cdot P$")
        ax.set_title(r"linear hinge, $\lambda\to 0$, $\varepsilon \leq 1$", fontsize=9)
        ax.set_ylim(0, 1.1)
        ax.legend(fontsize=7)
        panel_label(ax, "b")
    return fig


def plot_p_star(data: dict):
    """Rate–distortion bound ``p*`` (solid) and subset accuracy (dashed) vs ``C/(N·H)`` for several ``K``."""
    x = np.asarray(data["x"], float)
    with style_context():
        fig, axes = new_figure(1, 1, width=4.4, height=3.4)
        ax = axes[0, 0]
        for i, k in enumerate(np.atleast_1d(data["values"])):
            c = rf_color(i)
            ax.plot(x, data["p_star"][i], color=c, label=f"K = {k:.3g}: $p^*$ (Fano / rate–distortion)")
            ax.plot(x, data["subset_accuracy"][i], color=c, ls="--", lw=1.0)
        ax.plot([], [], color=OKABE_ITO["grey"], ls="--", label=r"memorize-a-subset $m^*/N + (1-m^*/N)/K$")
        ax.set_xlabel(r"$C/(N H)$  (capacity over information in the facts)")
        ax.set_ylabel("mean fact accuracy bound")
        ax.set_xlim(0, x.max())
        ax.set_ylim(0, 1.02)
        ax.legend(fontsize=6.5, loc="lower right")
    return fig


def _sweep_params() -> dict:
    from memtheory.simulations.facts.configs import CPU_SMALL

    return CPU_SMALL.to_dict()


SWEEP_PARAMS = _sweep_params()
PSTAR_PARAMS = {"values": [2, 10, 100, 1e4, 1e7], "x_min": 1e-3, "x_max": 1.2, "n_points": 121}
GARDNER_PARAMS = {"alpha_max": 4.0, "n_points": 40, "epsilons": [1.0, 0.5, 0.2], "lam_ridge": 0.1,
                  "rf_kappa": [0.5, 2.0], "rf_lam": 1e-3, "bits_per_param": 2.0}
_SWEEP = "memtheory.studies.capacity_experiment:capacity_sweep"
_SWEEP_CAPTION = (
    "MLP key code → K-way logits (K = {k}, depth {depth}, width {width}, key codes of dim {kd} fixed, "
    "P counted as all trainable weights and biases), {exp:,} exposures per run (batch {batch}, Adam lr {lr}, "
    "cosine to {floor}×), Zipf s = {s}; C_emp = max over N of the loss-implied bits (Morris-style) of "
    "standard training on uniform facts, m* = C_emp/H; selection (spec §4.2, reconstruction): warm-up {warm}, "
    "re-selection every {interval} of the budget, keep the {ratio}·m* lowest-loss facts, skip facts with "
    "loss < {tau} nats. Seeds {seeds}."
).format(k=SWEEP_PARAMS["n_values"], depth=SWEEP_PARAMS["model"]["depth"], width=SWEEP_PARAMS["model"]["width"],
         kd=SWEEP_PARAMS["model"]["key_dim"], exp=SWEEP_PARAMS["train"]["exposures"],
         batch=SWEEP_PARAMS["train"]["batch"], lr=SWEEP_PARAMS["train"]["lr"],
         floor=SWEEP_PARAMS["train"]["lr_final_ratio"], s=SWEEP_PARAMS["zipf"],
         warm=SWEEP_PARAMS["selection"]["warmup"], interval=SWEEP_PARAMS["selection"]["interval"],
         ratio=SWEEP_PARAMS["selection"]["keep_ratio"], tau=SWEEP_PARAMS["selection"]["tau_lo"],
         seeds=list(SWEEP_PARAMS["seeds"]))

GALLERY = [
    GalleryFigure(name="capacity_facts_vs_n", title="Facts memorized vs number of facts, with the capacity limit",
                  caption="Exact-match facts memorized at the end of training vs N. " + _SWEEP_CAPTION,
                  producer=_SWEEP, params=SWEEP_PARAMS, plot=plot_facts_vs_n, group="capacity", needs=("torch",)),
    GalleryFigure(name="capacity_bits_vs_n", title="Bits per parameter vs number of facts",
                  caption="Loss-implied Σ max(0, H − L/ln2) and accuracy-implied N_correct·H bits per parameter. "
                          + _SWEEP_CAPTION,
                  producer=_SWEEP, params=SWEEP_PARAMS, plot=plot_bits_vs_n, group="capacity", needs=("torch",)),
    GalleryFigure(name="capacity_training_history", title="Facts memorized along training (best N per condition)",
                  caption="Facts memorized vs exposures for the N that maximises the final count. " + _SWEEP_CAPTION,
                  producer=_SWEEP, params=SWEEP_PARAMS, plot=plot_training_history, group="capacity",
                  needs=("torch",)),
    GalleryFigure(name="capacity_gardner_bridge", title="Gardner bridge: RAF fact bits per parameter vs α",
                  caption=("Fano lower bound on stored fact bits per parameter, ε·α·(1 − h2(ε_mem))/(P/d), from the "
                           "RAF saddle points (P = d linear, P = κd random features, erf). Ridge λ = {lam_ridge}, "
                           "random features λ = {rf_lam}; α on a cell-centred grid of {n_points} points up to "
                           "{alpha_max}; the dot is the left limit at Gardner's α_c = 2 (2.00 bits/parameter). "
                           "The kernel learner (hinge, λ → 0, arcsine kernel) interpolates at every α shown: α bits per input "
                           "dimension but 0 per parameter (unboundedly many), so it is not drawn. "
                           "Panel b: linear hinge learner at λ → 0 for ε = {epsilons}, share of b·P, b = 2."
                           ).format(**GARDNER_PARAMS),
                  producer="memtheory.studies.capacity:gardner_bridge_curves", params=GARDNER_PARAMS,
                  plot=plot_gardner_bridge, group="capacity"),
    GalleryFigure(name="capacity_p_star", title="Rate–distortion bound p* vs C/(N·H)",
                  caption=("p* solving N·g_K(p) = C (spec §3.3a, solid) and the memorize-a-subset accuracy "
                           "(§3.3b, dashed) for K = {values}, {n_points} points of C/(NH) in [{x_min}, {x_max}]."
                           ).format(**PSTAR_PARAMS),
                  producer="memtheory.studies.capacity:p_star_curves", params=PSTAR_PARAMS, plot=plot_p_star,
                  group="capacity"),
]
