"""Capacity gallery figures: facts memorized and bits/parameter vs N, the Gardner bridge,
``p*`` vs ``C/(N·H)``, and the training histories. Plot functions only: ``data -> Figure``."""

from __future__ import annotations

import numpy as np

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import (LABELS, OKABE_ITO, REFERENCE_COLOR, new_figure, ordered_colors, panel_label,
                                     sci_label, style_context)

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


def _errorbar(ax, n, data, cond, metric, label, color, ls, ms=4):
    y = _present(data, cond, metric)
    if y is None:
        return
    se = data.get(f"{cond}__{metric}_se")
    se = None if se is None else np.where(np.isfinite(np.asarray(se, float)), np.asarray(se, float), 0.0)
    ok = np.isfinite(y)
    ax.errorbar(n[ok], y[ok], yerr=None if se is None else se[ok], ls=ls, marker="o", ms=ms, color=color,
                capsize=2.5, elinewidth=1.0, label=label)


def _capacity_source(data: dict) -> str:
    cond = str(data.get("capacity_all_runs_condition", ""))
    label = _CONDITIONS.get(cond, (cond,))[0]
    n_top = data.get("capacity_all_runs_n_facts")
    return f"{label}, N = {float(n_top):,.0f}" if n_top is not None else label


def plot_facts_vs_n(data: dict):
    """Chance-corrected stored facts vs the number of training facts ``N``, with the capacity ceiling.

    The ceiling is ``min(N, m*)`` with ``m* = C/H`` and ``C`` the largest loss-implied information of
    any run of the sweep (an upper estimate of what the model stores: loss-implied bits count partial
    knowledge and are never below the accuracy-implied bits). Points: mean ± standard error over seeds.

    Parameters
    ----------
    data : dict
        Output of :func:`memtheory.studies.capacity_experiment.capacity_sweep`.
    """
    n = np.asarray(data["n_facts"], float)
    m_star = float(data["m_star_all_runs"])
    keep = float(data["keep_facts"])
    grid = np.geomspace(n.min(), n.max(), 200)
    with style_context():
        fig, axes = new_figure(1, 1, width=6.6, height=4.6)
        ax = axes[0, 0]
        ax.plot(grid, np.minimum(grid, m_star), color=REFERENCE_COLOR, lw=2.0,
                label=rf"limit $\min(N, m^*)$, $m^* = C/H$ = {m_star:,.0f} facts" "\n"
                      f"(C: largest loss-implied bits of any run: {_capacity_source(data)})")
        ax.axhline(keep, color=OKABE_ITO["grey"], lw=1.0, ls="-.",
                   label=f"selection keeps {keep:,.0f} facts (1.1 × standard-training m*)")
        for cond, (label, color, ls) in _CONDITIONS.items():
            _errorbar(ax, n, data, cond, "n_stored", label, color, ls)
        ax.set_xscale("log")
        ax.set_xlabel(r"training facts $N$")
        ax.set_ylabel(r"stored facts $(n - N/K)/(1 - 1/K)$")
        ax.set_ylim(0, 1.12 * m_star)
        ax.set_title(f"mean ± s.e. over {int(data.get('n_seeds', 1))} seeds", fontsize=8, loc="right")
        top = ax.secondary_xaxis("top", functions=(
            lambda x: x * float(data["entropy_bits"]) / (m_star * float(data["entropy_bits"])),
            lambda r: r * m_star))
        top.set_xlabel(r"$N / m^* = NH/C$", fontsize=8)
        top.tick_params(labelsize=7)
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=7,
                   handlelength=3.0)
    return fig


def plot_bits_vs_n(data: dict):
    """Loss-implied (Morris) and accuracy-implied bits per parameter vs ``N`` (mean ± s.e. over seeds)."""
    n = np.asarray(data["n_facts"], float)
    top = float(data["capacity_emp_bits_all_runs"]) / float(data["params"])
    source = _capacity_source(data).replace(", N", ",\nN")
    with style_context():
        fig, axes = new_figure(1, 2, width=3.5, height=3.0, sharey=True)
        for ax, metric, title in ((axes[0, 0], "bits_morris_per_param", "loss-implied"),
                                  (axes[0, 1], "acc_bits_per_param", "accuracy-implied")):
            ax.axhline(top, color=REFERENCE_COLOR, lw=1.5,
                       label=f"largest loss-implied bits of any run / P = {top:.2f}\n"
                             f"({source}; not a plateau)")
            for cond, (label, color, ls) in _CONDITIONS.items():
                _errorbar(ax, n, data, cond, metric, label, color, ls, ms=3)
            ax.set_xscale("log")
            ax.set_xlabel(r"training facts $N$")
            ax.set_title(title, fontsize=9)
        axes[0, 0].set_ylabel("bits per parameter")
        fig.suptitle(f"P = {int(data['params']):,} parameters; mean ± s.e. over {int(data.get('n_seeds', 1))} seeds",
                     fontsize=9)
        axes[0, 0].set_ylim(0, 1.15 * top)
        handles, labels = axes[0, 1].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=7, handlelength=3.0)
    return fig


def plot_training_history(data: dict):
    """Facts memorized along training (best ``N`` of each condition) vs exposures; selection start marked."""
    with style_context():
        fig, axes = new_figure(1, 1, width=6.4, height=3.4)
        ax = axes[0, 0]
        ax.axhline(float(data["m_star_all_runs"]), color=REFERENCE_COLOR, lw=1.5,
                   label=rf"$m^* = C/H$ (as in the facts-vs-N figure)")
        if "selection_start_exposures" in data:
            ax.axvline(float(data["selection_start_exposures"]) / 1e6, color=OKABE_ITO["grey"], lw=1.2, ls=":",
                       label="selection starts (end of warm-up)")
        for cond, (label, color, ls) in _CONDITIONS.items():
            key = f"{cond}__hist_exposures"
            if key in data:
                ax.plot(np.asarray(data[key]) / 1e6, data[f"{cond}__hist_n_memorized"], ls=ls, marker=".", color=color,
                        label=f"{label} (N = {float(data[f'{cond}__best_n_facts']):,.0f})")
        ax.set_xlabel(r"exposures (training examples, $\times 10^6$)")
        ax.set_ylabel("facts memorized (exact match)")
        ax.set_ylim(bottom=0)
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right center", fontsize=7, handlelength=3.0)
    return fig


def _with_cusp(a: np.ndarray, y: np.ndarray, alpha_c: float, y_c: float):
    """The curve with its left limit at the threshold ``α_c`` inserted: the cell-centred grid never lands
    on ``α_c``, so without it the peak is cut off and the dot floats above a jag."""
    if not (np.isfinite(alpha_c) and np.isfinite(y_c)) or not (a.min() < alpha_c < a.max()):
        return a, y
    i = int(np.searchsorted(a, alpha_c))
    return np.insert(a, i, alpha_c), np.insert(np.asarray(y, float), i, y_c)


# Gardner bridge colours: one hue per learner family and never the same hue for two meanings;
# panel b's ε = 1 curve is panel a's linear hinge λ → 0 curve and keeps its colour and dash.
_GARDNER_CURVES = (
    ("linear_hinge_maxmargin", r"linear, hinge, $\lambda\to 0$ (max-margin)", OKABE_ITO["blue"], "--"),
    ("linear_square_minnorm", r"linear, square, $\lambda\to 0$ (min-norm)", OKABE_ITO["blue"], "-"),
    ("linear_hinge_ridge", r"linear, hinge, ridge $\lambda_{{\rm r}}$", OKABE_ITO["vermillion"], "--"),
    ("linear_square_ridge", r"linear, square, ridge $\lambda_{{\rm r}}$", OKABE_ITO["vermillion"], "-"),
)
_RF_GARDNER_COLORS = (OKABE_ITO["green"], OKABE_ITO["purple"], OKABE_ITO["grey"])
_EPS_COLORS = (OKABE_ITO["blue"], OKABE_ITO["sky"], OKABE_ITO["orange"], OKABE_ITO["black"])


def plot_gardner_bridge(data: dict):
    """Stored fact bits per parameter vs ``α`` for RAF learners; facts' share for ``ε < 1``."""
    a = np.asarray(data["alpha"], float)
    b = float(data["bits_per_param"])
    alpha_c, bits_c = float(data["alpha_c"]), float(data["bits_per_param_at_alpha_c"])
    with style_context():
        fig, axes = new_figure(1, 2, width=3.8, height=3.6)
        ax = axes[0, 0]
        ax.axhline(b, color=REFERENCE_COLOR, lw=1.2, ls=":", label=f"b = {b:g} bits/parameter")
        for key, label, color, ls in _GARDNER_CURVES:
            x, y = a, np.asarray(data[f"{key}__bits_per_param"], float)
            if key == "linear_hinge_maxmargin":
                x, y = _with_cusp(a, y, alpha_c, bits_c)
            ax.plot(x, y, color=color, ls=ls, label=label)
        for i, k in enumerate(np.atleast_1d(data["rf_kappa"])):
            ax.plot(a, data[f"rf_hinge_kappa{_tag(k)}__bits_per_param"], color=_RF_GARDNER_COLORS[i % 3], ls="-.",
                    label=rf"random features erf, hinge, $\kappa={k:g}$ (P = $\kappa d$)")
        ax.plot([alpha_c], [bits_c], "o", color=OKABE_ITO["blue"], mec="black", zorder=5,
                label=rf"$\alpha_c = {alpha_c:.2f}$: {bits_c:.2f} bits/param")
        ax.set_xlabel(LABELS["alpha"])
        ax.set_ylabel("stored fact bits / parameter")
        ax.set_title(r"$\varepsilon = 1$: $\alpha\,(1-h_2(\varepsilon_{mem}))\,/\,(P/d)$", fontsize=9)
        ax.set_ylim(0, 1.2 * b)
        ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(0.0, -0.2), ncol=2)
        panel_label(ax, "a")
        ax = axes[0, 1]
        for i, eps in enumerate(np.atleast_1d(data["epsilons"])):
            share = np.asarray(data[f"eps{_tag(eps)}__bits_per_param"], float) / b
            ac = float(data[f"eps{_tag(eps)}__alpha_c"])
            yc = float(data[f"eps{_tag(eps)}__bits_at_alpha_c"]) / b
            x, y = _with_cusp(a, share, ac, yc)
            color = _EPS_COLORS[i % len(_EPS_COLORS)]
            ax.plot(x, y, color=color, ls="--", label=rf"$\varepsilon = {eps:g}$")
            ax.plot([ac], [yc], "o", color=color, mec="black", zorder=5)
        ax.set_xlabel(LABELS["alpha"])
        ax.set_ylabel(r"facts' share of $b\cdot P$")
        ax.set_title(r"linear hinge, $\lambda\to 0$ (dots: $\alpha_c(\varepsilon)$)", fontsize=9)
        ax.set_ylim(0, 1.1)
        ax.legend(fontsize=7, loc="upper right")
        panel_label(ax, "b")
    return fig


def plot_p_star(data: dict):
    """Rate–distortion bound ``p*`` (solid) and subset accuracy (dashed) vs ``C/(N·H)`` for several ``K``
    (a), and their difference (b), which separates the large-``K`` curves that crowd the diagonal in (a)."""
    from matplotlib.lines import Line2D

    x = np.asarray(data["x"], float)
    ks = np.atleast_1d(data["values"])
    colors = ordered_colors(len(ks))
    with style_context():
        fig, axes = new_figure(1, 2, width=3.6, height=3.3)
        ax, gap_ax = axes[0]
        for i, k in enumerate(ks):
            p, sub = np.asarray(data["p_star"][i], float), np.asarray(data["subset_accuracy"][i], float)
            ax.plot(x, p, color=colors[i])
            ax.plot(x, sub, color=colors[i], ls="--", lw=1.0)
            gap_ax.plot(x, p - sub, color=colors[i])
        ax.set_xlabel(r"$C/(NH)$ (capacity / fact information)")
        ax.set_ylabel("mean fact accuracy")
        ax.set(xlim=(0, x.max()), ylim=(0, 1.02))
        ax.set_title("accuracy bounds", fontsize=9)
        panel_label(ax, "a")
        gap_ax.set_xlabel(r"$C/(NH)$")
        gap_ax.set_ylabel(r"$p^* -$ subset accuracy")
        gap_ax.set(xlim=(0, x.max()), ylim=(0, None))
        gap_ax.set_title("gain over a subset", fontsize=9)
        panel_label(gap_ax, "b")
        handles = [Line2D([], [], color=colors[i], label=rf"$K = {sci_label(k)}$") for i, k in enumerate(ks)]
        handles += [Line2D([], [], color="grey", label=r"$p^*$ (Fano / rate–distortion)"),
                    Line2D([], [], color="grey", ls="--", lw=1.0,
                           label=r"memorize a subset: $m^*/N + (1 - m^*/N)/K$")]
        fig.legend(handles=handles, loc="outside right center")
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
    "Set-up: an MLP maps fixed random key codes (dim {kd}) to K-way logits (K = {k}, H = log2 K bits per fact; "
    "depth {depth}, width {width}; P = all trainable weights and biases), trained on the {device} for "
    "{exp:,} exposures per run (batch {batch}, Adam lr {lr}, cosine decay to {floor}× lr, {evals} evaluations "
    "along training) on N = {ns} facts with uniform or Zipf (s = {s}) frequencies, averaged over seeds "
    "{seeds} (error bars: standard error over the seeds). Loss-based selection (both sides: flatten drops "
    "facts with loss < {tau} nats, limit keeps the {ratio}·m*_std lowest-loss facts, where m*_std is the "
    "largest loss-implied bits of standard uniform training over H) starts after a warm-up of {warm} of "
    "the budget, re-selects every {interval} of it and runs for N ≥ {minr}·(kept facts); the one-sided "
    "ablations are off in this configuration."
).format(k=SWEEP_PARAMS["n_values"], depth=SWEEP_PARAMS["model"]["depth"], width=SWEEP_PARAMS["model"]["width"],
         kd=SWEEP_PARAMS["model"]["key_dim"], exp=SWEEP_PARAMS["train"]["exposures"],
         batch=SWEEP_PARAMS["train"]["batch"], lr=SWEEP_PARAMS["train"]["lr"],
         floor=SWEEP_PARAMS["train"]["lr_final_ratio"], evals=SWEEP_PARAMS["train"]["n_evals"],
         device=SWEEP_PARAMS["train"]["device"].upper(), s=SWEEP_PARAMS["zipf"],
         ns=", ".join(f"{n:,}" for n in SWEEP_PARAMS["n_facts"]),
         warm=SWEEP_PARAMS["selection"]["warmup"], interval=SWEEP_PARAMS["selection"]["interval"],
         ratio=SWEEP_PARAMS["selection"]["keep_ratio"], tau=SWEEP_PARAMS["selection"]["tau_lo"],
         minr=SWEEP_PARAMS["selection_min_ratio"], seeds=", ".join(str(x) for x in SWEEP_PARAMS["seeds"]))
# Parameters the sweep captions leave out: the thread count does not change the numbers.
_SWEEP_EXEMPT = ("train.threads",)
_SWEEP_KEYS = ("n_facts", "entropy_bits", "params", "keep_facts", "m_star_all_runs", "capacity_emp_bits_all_runs",
               "capacity_all_runs_condition", "capacity_all_runs_n_facts", "n_seeds")
_CONDS = ("uniform_standard", "zipf_standard", "uniform_selection", "zipf_selection")

GALLERY = [
    GalleryFigure(name="capacity_facts_vs_n", title="Facts memorized vs number of facts, with the capacity limit",
                  caption="Chance-corrected stored facts (n − N/K)/(1 − 1/K) at the end of training against the number "
                          "of training facts N (n: exact matches), mean ± standard error over seeds. Black: the "
                          "limit min(N, m*) with m* = C/H and C the largest loss-implied information "
                          "Σ max(0, H − L/ln2) of any run of the sweep (its condition and N are named in the panel "
                          "title). Loss-implied bits count partial knowledge and are never below the accuracy-implied "
                          "bits, so C/H bounds the stored facts of every run from above; C itself still grows slowly "
                          "with N (see the bits figure), so it is an estimate, not a measured plateau. Grey "
                          "dash-dot: the number of facts selection keeps, which caps what selection can store. "
                          + _SWEEP_CAPTION,
                  producer=_SWEEP, params=SWEEP_PARAMS, plot=plot_facts_vs_n, group="capacity", needs=("torch",),
                  caption_exempt=_SWEEP_EXEMPT,
                  data_keys=_SWEEP_KEYS + tuple(f"{c}__n_stored{e}" for c in _CONDS for e in ("", "_se"))),
    GalleryFigure(name="capacity_bits_vs_n", title="Bits per parameter vs number of facts",
                  caption="Loss-implied Σ max(0, H − L/ln2) (left) and accuracy-implied N_correct·H (right) bits per "
                          "parameter against N, mean ± standard error over seeds. Black line: the largest "
                          "loss-implied bits of any run divided by P (condition and N in the legend); the loss-implied "
                          "curves still rise at the largest N, so this is the largest value measured, not a plateau. "
                          + _SWEEP_CAPTION,
                  producer=_SWEEP, params=SWEEP_PARAMS, plot=plot_bits_vs_n, group="capacity", needs=("torch",),
                  caption_exempt=_SWEEP_EXEMPT,
                  data_keys=_SWEEP_KEYS + tuple(f"{c}__{m}{e}" for c in _CONDS
                                                for m in ("bits_morris_per_param", "acc_bits_per_param")
                                                for e in ("", "_se"))),
    GalleryFigure(name="capacity_training_history", title="Facts memorized along training (best N per condition)",
                  caption="Exact-match facts memorized against exposures (training examples seen), for each condition "
                          "at the N with the largest final count, averaged over seeds. Dotted vertical line: end of the "
                          "warm-up, where loss-based selection starts pruning the stream (the selection curves jump "
                          "there because the pruned stream concentrates the remaining budget on the kept facts). "
                          "Black: m* = C/H as in the facts-vs-N figure. " + _SWEEP_CAPTION,
                  producer=_SWEEP, params=SWEEP_PARAMS, plot=plot_training_history, group="capacity",
                  needs=("torch",), caption_exempt=_SWEEP_EXEMPT,
                  data_keys=("m_star_all_runs", "selection_start_exposures")
                  + tuple(f"{c}__{k}" for c in _CONDS for k in ("hist_exposures", "hist_n_memorized", "best_n_facts"))),
    GalleryFigure(name="capacity_gardner_bridge", title="Gardner bridge: RAF fact bits per parameter vs α",
                  caption=("Fano lower bound on stored fact bits per parameter, ε·α·(1 − h2(ε_mem))/(P/d), from the "
                           "RAF saddle points (P = d linear, P = κd random features with erf activation). (a) ε = 1: "
                           "linear learner at λ → 0 (blue: hinge = max-margin dashed, square = min-norm solid) and at "
                           "ridge λ_r = {lam_ridge} (vermillion), random features with hinge loss at κ = {kappas} "
                           "and λ = {rf_lam} (dash-dot); dotted: b = {b:g} bits/parameter. α on a cell-centred grid of "
                           "{n_points} points up to {alpha_max} (it never lands on a threshold); the left limit at "
                           "Gardner's α_c = 2 (2.00 bits/parameter, dot) is inserted into the max-margin curve, which "
                           "peaks there. The kernel learner (hinge, λ → 0, arcsine kernel) interpolates at every α "
                           "shown: α bits per input dimension but 0 per parameter (unboundedly many), so it is not "
                           "drawn. (b) Linear hinge learner at λ → 0 for ε = {epsilons}: facts' share of b·P, with "
                           "each curve's left limit at its own α_c(ε) inserted (dots); the ε = 1 curve is the dashed "
                           "blue curve of (a)."
                           ).format(kappas=" and ".join(f"{k:g}" for k in GARDNER_PARAMS["rf_kappa"]),
                                    b=GARDNER_PARAMS["bits_per_param"],
                                    **{k: (", ".join(f"{e:g}" for e in v) if isinstance(v, list) else v)
                                       for k, v in GARDNER_PARAMS.items()}),
                  data_keys=("alpha", "bits_per_param", "alpha_c", "bits_per_param_at_alpha_c", "rf_kappa",
                             "epsilons", "linear_hinge_maxmargin__bits_per_param"),
                  producer="memtheory.studies.capacity:gardner_bridge_curves", params=GARDNER_PARAMS,
                  plot=plot_gardner_bridge, group="capacity"),
    GalleryFigure(name="capacity_p_star", title="Rate–distortion bound p* vs C/(N·H)",
                  caption=("(a) Rate–distortion (Fano) bound p* on the mean fact accuracy, the p solving "
                           "N·g_K(p) = C (solid), and the accuracy of memorizing a subset of m* = C/H facts and "
                           "guessing the rest, m*/N + (1 − m*/N)/K (dashed), against C/(NH), for K = {ks} "
                           "(colour, light = large K); {n_points} points of C/(NH) in [{x_min:g}, {x_max:g}]. "
                           "(b) Their difference p* − subset accuracy, which separates the large-K curves that "
                           "crowd the diagonal in (a)."
                           ).format(ks=", ".join(f"{k:g}" for k in PSTAR_PARAMS["values"]), **PSTAR_PARAMS),
                  data_keys=("x", "values", "p_star", "subset_accuracy"),
                  producer="memtheory.studies.capacity:p_star_curves", params=PSTAR_PARAMS, plot=plot_p_star,
                  group="capacity"),
]
