"""Biography-LM gallery figures: facts memorized vs number of individuals and vs model size, standard
training against loss-based selection, with the capacity limit measured on the GPT itself.
Plot functions only (``data -> Figure``); the producer is :func:`memtheory.studies.lm_facts.lm_facts_experiment`.
"""

from __future__ import annotations

import numpy as np

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import OKABE_ITO, REFERENCE_COLOR, new_figure, style_context

__all__ = ["GALLERY", "LM_PARAMS", "plot_lm_facts_vs_n", "plot_lm_facts_vs_size", "write_lm_summary"]

_ARMS = {
    "uniform_standard": ("uniform, standard", OKABE_ITO["blue"], "--", "o"),
    "zipf_standard": ("Zipf, standard", OKABE_ITO["vermillion"], "--", "o"),
    "uniform_selection": ("uniform, selection", OKABE_ITO["blue"], "-", "s"),
    "zipf_selection": ("Zipf, loss-based selection", OKABE_ITO["vermillion"], "-", "s"),
    "zipf_flatten_only": ("Zipf, flatten only", OKABE_ITO["orange"], ":", "^"),
    "zipf_limit_only": ("Zipf, limit only", OKABE_ITO["purple"], ":", "v"),
}


def _log_ticks(ax, values, labels) -> None:
    """Log axis with one labelled tick per data point and no minor labels (a short range crowds them)."""
    from matplotlib.ticker import NullFormatter

    ax.set_xscale("log")
    ax.set_xticks(values, labels)
    ax.xaxis.set_minor_formatter(NullFormatter())


def plot_lm_facts_vs_n(data: dict):
    """Facts memorized (exact-match greedy completions) vs ``N`` individuals, with ``min(N·A, A·C/H)``.

    Points at a single ``N`` (the ablations at the largest ``N``) are drawn as markers with error bars.
    """
    n = np.asarray(data["n_grid"], float)
    a = int(data["n_attributes"])
    with style_context():
        fig, axes = new_figure(1, 1, width=5.6, height=4.4)
        ax = axes[0, 0]
        grid = np.geomspace(n.min(), n.max(), 200)
        ax.plot(grid, np.minimum(grid * a, data["m_star_facts"]), color=REFERENCE_COLOR, lw=2.0,
                label=rf"limit $\min(NA,\, A C/H)$, $C$ = {data['capacity_bits']:.0f} bits "
                      rf"({data['bits_per_param']:.3f} bits/param)")
        for arm, (label, color, ls, marker) in _ARMS.items():
            y = np.asarray(data.get(f"{arm}__facts_memorized", np.full(n.size, np.nan)), float)
            e = np.asarray(data.get(f"{arm}__facts_memorized_sem", np.zeros(n.size)), float)
            ok = np.isfinite(y)
            if not ok.any():
                continue
            ax.errorbar(n[ok], y[ok], yerr=np.nan_to_num(e[ok]), ls=ls if ok.sum() > 1 else "none", marker=marker,
                        ms=4, capsize=2.5, color=color, label=label)
        _log_ticks(ax, n, [f"{v:g}" for v in n])
        ax.set_xlabel(r"individuals $N$  (top: information ratio $N H / C$)")
        ax.set_ylabel(f"facts memorized (of N·A, A = {a})")
        top = ax.secondary_xaxis("top", functions=(lambda x: x * data["entropy_bits"] / data["capacity_bits"],
                                                   lambda r: r * data["capacity_bits"] / data["entropy_bits"]))
        ratios = n * data["entropy_bits"] / data["capacity_bits"]
        _log_ticks(top, ratios, [f"{r:.2g}" for r in ratios])
        ax.set_ylim(bottom=0)
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=7,
                   handlelength=3.0)
    return fig


def plot_lm_facts_vs_size(data: dict):
    """Facts memorized at the largest ``N`` vs parameter count: Zipf standard vs Zipf selection, mean ± s.e."""
    p = np.asarray(data["size_params"], float)
    with style_context():
        fig, axes = new_figure(1, 1, width=5.2, height=3.6)
        ax = axes[0, 0]
        ax.plot(p, data["bound_size_limit_facts"], color=REFERENCE_COLOR, lw=1.5, marker="_",
                label=rf"limit $\min(NA,\, A\,bP/H)$, $b$ = {data['bits_per_param']:.3f}")
        for arm in ("zipf_standard", "zipf_selection"):
            label, color, ls, marker = _ARMS[arm]
            ax.errorbar(p, data[f"{arm}__size_facts_memorized"], yerr=data[f"{arm}__size_facts_memorized_sem"],
                        ls=ls, marker=marker, ms=4, capsize=3, color=color, label=label)
        for w, x in zip(np.asarray(data["widths"]), p):
            ax.annotate(f"d={w:.0f}", (x, 0), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=7)
        _log_ticks(ax, p, [f"{v / 1e3:.1f}k" for v in p])
        ax.set_xlabel("parameters P (all, embeddings included)")
        ax.set_ylabel(f"facts memorized at N = {int(data['n_max'])}")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7, loc="upper left")
    return fig


def write_lm_summary(data: dict, out) -> list[str]:
    """Write ``capacity_lm/summary.json`` and ``capacity_lm/runs.csv`` next to the figures."""
    from memtheory.studies.lm_facts import write_lm_outputs

    return write_lm_outputs(data, out / "capacity_lm")


def _lm_params() -> dict:
    from memtheory.simulations.lm.configs import CPU

    return CPU.to_dict()


LM_PARAMS = _lm_params()
_PRODUCER = "memtheory.studies.lm_facts:lm_facts_experiment"
def _words(values) -> str:
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


_T, _S, _M = LM_PARAMS["train"], LM_PARAMS["selection"], LM_PARAMS["model"]
_CAPTION = (
    "Pre-LN GPT trained from scratch (next-token loss on every token) on templated biographies: N = {ns} "
    "individuals, attributes {attrs} with K = {ks} uniform values (H = {h:g} bits per individual), 3 templates "
    "each, random-syllable names; Zipf s = {s:g} over individuals; {exp:,} training sentences per run (batch "
    "{batch}, AdamW lr {lr:g} with a linear warm-up over {lr_warm:g} of the budget and cosine decay to {floor:g}×, "
    "weight decay {wd:g}; facts scored at {n_evals} points along training, the last at its end). "
    "Base model width {d}, {layers} "
    "layer(s), {heads} heads, MLP ratio {mlp}; the size sweep trains widths {widths} at N = {n_max}. "
    "Facts memorized = Σ over (individual, attribute) of the exact-match greedy accuracy of the value after the "
    "template prefix (mean over templates). Capacity C = plateau over N of the loss-implied bits "
    "Σ max(0, log2 K − L/ln2) of uniform standard training. Selection, after a warm-up of {warm:g} of the budget "
    "and again every {interval:g} of it: limit (keep the {ratio:g}·C/H individuals with the lowest mean value "
    "loss) and flatten (skip sentences whose value loss is below {tau:g} nats); it runs only at N ≥ "
    "{min_ratio:g}× the kept individuals (keep ratio and τ chosen on seed 0 at the largest N). "
    "Seeds {seeds} at the largest N and in the size sweep (mean ± s.e.); the smaller N and the ablations at the "
    "largest N (flatten only, limit only, uniform selection) on seed {sweep}."
).format(ns=_words(LM_PARAMS["n_individuals"]), attrs=", ".join(LM_PARAMS["attributes"]),
         ks=_words(LM_PARAMS["n_values"]), h=sum(float(np.log2(k)) for k in LM_PARAMS["n_values"]),
         s=LM_PARAMS["zipf"], exp=_T["exposures"], batch=_T["batch"], lr=_T["lr"], lr_warm=_T["warmup"],
         floor=_T["lr_final_ratio"], wd=_T["weight_decay"], n_evals=_T["n_evals"], d=_M["d_model"],
         layers=_M["n_layers"], heads=_M["n_heads"], mlp=_M["mlp_ratio"], widths=_words(LM_PARAMS["widths"]),
         n_max=max(LM_PARAMS["n_individuals"]), warm=_S["warmup"], interval=_S["interval"], ratio=_S["keep_ratio"],
         tau=_S["tau_lo"], min_ratio=LM_PARAMS["selection_min_ratio"], seeds=_words(LM_PARAMS["seeds"]),
         sweep=_words(LM_PARAMS["sweep_seeds"]))
# Where the runs execute, their thread count and the evaluation batch do not change the numbers.
_EXEMPT = ("train.device", "train.threads", "train.eval_batch")
_ARM_KEYS = tuple(f"{arm}__facts_memorized{e}" for arm in _ARMS for e in ("", "_sem"))

GALLERY = [
    GalleryFigure(name="capacity_lm_facts_vs_n", title="GPT on biographies: facts memorized vs number of individuals",
                  caption="Facts memorized vs N at the base width, with the capacity limit. " + _CAPTION
                          + " Also writes capacity_lm/summary.json and capacity_lm/runs.csv.",
                  producer=_PRODUCER, params=LM_PARAMS, plot=plot_lm_facts_vs_n, group="capacity",
                  needs=("torch",), extra_outputs=write_lm_summary, caption_exempt=_EXEMPT,
                  data_keys=("n_grid", "n_attributes", "entropy_bits", "capacity_bits", "bits_per_param",
                             "m_star_facts", "params") + _ARM_KEYS),
    GalleryFigure(name="capacity_lm_facts_vs_size", title="GPT on biographies: facts memorized vs model size",
                  caption="Facts memorized at the largest N vs parameter count "
                          f"(widths {_words(LM_PARAMS['widths'])}), "
                          "Zipf standard vs Zipf selection; the selection target at each width carries over the "
                          "base width's bits per parameter. " + _CAPTION,
                  producer=_PRODUCER, params=LM_PARAMS, plot=plot_lm_facts_vs_size, group="capacity",
                  needs=("torch",), caption_exempt=_EXEMPT,
                  data_keys=("widths", "size_params", "n_max", "bits_per_param", "entropy_bits", "n_attributes",
                             "bound_size_limit_facts")
                  + tuple(f"{arm}__size_facts_memorized{e}" for arm in ("zipf_standard", "zipf_selection")
                          for e in ("", "_sem"))),
]
