"""Gallery figures of trained diffusion models on real images vs the memorized prior (``docs/theory/posterior_trained.md``).

Plot functions only: each takes the dict of :func:`memtheory.studies.diffusion_real.trained_prior_study`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from memtheory.figures.registry import GalleryFigure
from memtheory.studies.diffusion_real import get_config

__all__ = ["plot_trained_memorization", "plot_trained_score_error", "plot_trained_samples", "plot_trained_tv",
           "GALLERY"]


def plot_trained_memorization(data) -> plt.Figure:
    """Memorization rate (d1 < d2/3) of unconditional samples vs N, with binomial error bars."""
    fig, ax = plt.subplots(figsize=(5.6, 4.3), layout="constrained")
    n = np.asarray(data["n_train"])
    ax.errorbar(n, data["memorization_rate"], yerr=data["memorization_rate_sem"], fmt="o-", capsize=3,
                label=f"trained model, {int(data['n_samples'])} samples")
    ax.plot(n, data["smc_memorization_rate"], "D--", ms=4, color="tab:green",
            label="trained model, twisted-SMC posterior samples")
    ax.plot(n, data["dps_memorization_rate"], "s--", ms=4, color="tab:purple", label="trained model, DPS posterior samples")
    ax.plot(n, data["fresh_memorization_rate"], "k:", label="held-out real images (fresh-data level)")
    ax.axhline(1.0, color="0.7", lw=0.8)
    # Above the reference line at the right end, where the rates are lowest, so no point is covered.
    ax.text(n[-1], 1.015, "exact memorized score: 1 at every N", fontsize=7, color="0.4", ha="right", va="bottom")
    _n_axis(ax, n)
    ax.set_ylim(-0.03, 1.1)
    ax.set_ylabel("fraction memorized (d₁ < d₂/3)")
    ax.set_title(f"{data['data']} ({data['config']} config): score MLP, {int(data['steps'])} steps at every N",
                 fontsize=9)
    fig.legend(*_ordered(ax), loc="outside lower center", ncols=2, fontsize=7, frameon=False)
    return fig


def plot_trained_score_error(data) -> plt.Figure:
    """Relative error of the trained score against the closed-form memorized score vs sigma, per N."""
    fig, ax = plt.subplots(figsize=(5.8, 4.0))
    sig = np.asarray(data["sigmas"])
    colors = plt.cm.viridis(np.linspace(0.0, 0.9, len(data["n_train"])))
    for i, N in enumerate(data["n_train"]):
        ax.loglog(sig, data["score_error_held_out"][i], "o-", ms=3, color=colors[i], label=f"N = {N}")
        ax.loglog(sig, data["score_error_train"][i], "--", lw=1, color=colors[i])
    ax.set_xlabel("noise level σ (VE bandwidth)")
    ax.set_ylabel("‖s_θ − s*‖ / ‖s*‖")
    ax.set_title("trained vs memorized score\nsolid: noised held-out images, dashed: noised training images",
                 fontsize=8)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return fig


def _n_axis(ax, n) -> None:
    ax.set_xscale("log")
    ax.set_xticks(list(n), [str(int(v)) for v in n])
    # 1000 and 1618 are a fifth of a decade apart: small labels keep them from touching
    ax.tick_params(axis="x", labelsize=7)
    ax.minorticks_off()
    ax.set_xlabel("training images N")


def _image(ax, vec, shape, title=None, masked=False):
    img = np.asarray(vec, dtype=float).reshape(shape)
    if masked:
        img = img.copy().ravel()
        img[img.size // 2:] = np.nan
        img = img.reshape(shape)
    cmap = plt.get_cmap("gray_r").with_extremes(bad=(1.0, 0.6, 0.2, 0.35))
    ax.imshow(img, cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=7)


def _sampler_name(data) -> str:
    return {"smc": "twisted SMC", "dps": "DPS"}.get(str(data["sampler"]), str(data["sampler"]))


def plot_trained_samples(data) -> plt.Figure:
    """Inpainting posterior samples of both priors side by side, smallest and largest N, with nearest examples."""
    shape = tuple(int(s) for s in data["image_shape"])
    n = list(np.asarray(data["n_train"]))
    picks = [0, len(n) - 1] if len(n) > 1 else [0]
    n_show = data["show_truth"].shape[1]
    cols = [("truth", "show_truth", False), ("observed", "show_truth", True),
            ("closed form\nsample", "show_closed", False), ("its nearest\ntraining image", "show_closed_nearest", False),
            (f"trained {_sampler_name(data)}\nsample", "show_trained", False), ("its nearest\ntraining image", "show_trained_nearest", False)]
    rows = [(i, j) for i in picks for j in range(n_show)]
    fig, axes = plt.subplots(len(rows), len(cols), figsize=(1.35 * len(cols), 1.45 * len(rows) + 0.5), squeeze=False)
    for r, (i, j) in enumerate(rows):
        for c, (title, key, masked) in enumerate(cols):
            _image(axes[r, c], data[key][i, j], shape, title if r == 0 else None, masked)
        axes[r, 0].set_ylabel(f"N = {n[i]}", fontsize=8)
    fig.suptitle(f"inpainting (top half observed, γ = {data['noise_std']:g}): exact memorized-mixture posterior vs "
                 f"{_sampler_name(data)} with the trained model", fontsize=8)
    fig.tight_layout()
    return fig


def _ordered(ax):
    """Legend entries in plotting order (matplotlib lists error-bar containers after plain lines)."""
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(handles)), key=lambda k: min(
        (ax.lines.index(a) for a in (handles[k].get_children() if hasattr(handles[k], "get_children") else [handles[k]])
         if a in ax.lines), default=len(ax.lines)))
    return [handles[k] for k in order], [labels[k] for k in order]


def plot_trained_tv(data) -> plt.Figure:
    """TV distance between closed-form weights and the samples' nearest-example distribution vs N; RMSE vs N."""
    n = np.asarray(data["n_train"])
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10.0, 5.0), layout="constrained")
    a1.errorbar(n, data["tv_smc"], yerr=data["tv_smc_sem"], fmt="o-", capsize=3, color="tab:green",
                label="twisted SMC, trained model")
    a1.plot(n, data["tv_exact_smc"], "D--", ms=4, color="tab:green", alpha=0.6, label="twisted SMC, exact memorized score")
    a1.errorbar(n, data["tv_dps"], yerr=data["tv_dps_sem"], fmt="o-", capsize=3, color="tab:blue",
                label="DPS, trained model")
    a1.plot(n, data["tv_exact_dps"], "s--", ms=4, color="tab:blue", alpha=0.6, label="DPS, exact memorized score")
    a1.plot(n, data["tv_small_margin"], "v:", ms=4, color="tab:red",
            label=f"twisted SMC, trained, lookup margin < {float(data['margin_split']):g} nats")
    a1.plot(n, data["tv_closed_samples"], "^:", ms=4, color="tab:orange", label="closed-form posterior samples")
    a1.plot(n, data["tv_floor"], "k-", lw=0.8, label=f"sampling floor ({int(data['n_post'])} draws)")
    _n_axis(a1, n)
    a1.set_ylim(-0.03, 1.03)
    a1.set_ylabel("TV(closed-form weights, nearest-example freq.)")
    a1.legend(*_ordered(a1), fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, frameon=False)
    a1.set_title(f"trained SMC: {int(data['n_obs'])} held-out images, others: first "
                 f"{int(data['n_obs_reference'])}\n{int(data['n_post'])} samples each", fontsize=8)
    a2.plot(n, data["rmse_smc"], "o-", color="tab:green", label="twisted SMC, trained model")
    a2.plot(n, data["rmse_exact_smc"], "D--", ms=4, color="tab:green", alpha=0.6, label="twisted SMC, exact score")
    a2.plot(n, data["rmse_dps"], "o-", color="tab:blue", label="DPS, trained model")
    a2.plot(n, data["rmse_exact_dps"], "s--", ms=4, color="tab:blue", alpha=0.6, label="DPS, exact score")
    a2.plot(n, data["rmse_closed"], "^:", ms=4, color="tab:orange", label="closed-form posterior (lookup)")
    a2.plot(n, data["rmse_best_lookup"], "k-", lw=0.8, label="best possible lookup (nearest training image)")
    _n_axis(a2, n)
    a2.set_ylabel("RMSE to the true image (per pixel)")
    a2.legend(*_ordered(a2), fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, frameon=False)
    a2.set_title("sample quality", fontsize=8)
    return fig


_PRODUCER = "memtheory.studies.diffusion_real:trained_prior_study"
_PARAMS = dict(config="cpu", data="digits")


def _setup_text(name: str) -> str:
    """The set-up of configuration ``name`` in words, read from the configuration so it cannot go stale."""
    cfg = get_config(name)
    m = cfg.model
    sizes = ", ".join("all (1618)" if n is None else str(n) for n in cfg.n_train)
    return (f"scikit-learn digits (8x8, scaled to [-1, 1]; 10 % held out), N = {sizes}; the {name} configuration: "
            f"eps-MLP (width {m.hidden}, {m.n_blocks} residual blocks, log-sigma Fourier embedding with "
            f"{m.n_freq} frequencies) trained {m.steps} Adam steps (batch {m.batch}, lr {m.lr:g} cosine-annealed to "
            f"{m.lr_final:g}, seed {m.seed}) at every N on the linear-beta VP schedule ({m.nt} steps, beta "
            f"{m.beta_min:g}..{m.beta_max:g})")


_CFG = _PARAMS["config"]
_C = get_config(_CFG)
_SETUP = _setup_text(_CFG)
_DATA_KEYS = ("config", "data", "n_train", "steps")
_SAMPLER = {"smc": "twisted SMC", "dps": "DPS"}[_C.sampler]
_SAMPLER_SETUP = (f"{_C.n_post} particles, ESS threshold {_C.ess_threshold:g}" if _C.sampler == "smc"
                  else f"zeta = {_C.dps_step:g}")

GALLERY: list[GalleryFigure] = [
    GalleryFigure(
        name="posterior_trained_memorization_rate",
        title="Trained diffusion on digits: memorization rate vs N",
        caption=_SETUP + f"; fraction of {_C.n_samples} samples with d1 < d2/3 (binomial error bars), "
        "of inpainting posterior samples (twisted SMC and DPS), "
        "and of held-out real images.",
        producer=_PRODUCER, params=_PARAMS, plot=plot_trained_memorization,
        data_keys=_DATA_KEYS + ("memorization_rate", "memorization_rate_sem", "smc_memorization_rate",
                                "dps_memorization_rate",
                                "fresh_memorization_rate", "n_samples"), group="posterior",
        needs=("torch", "sklearn"),
    ),
    GalleryFigure(
        name="posterior_trained_score_error",
        title="Trained vs memorized score vs noise level",
        caption=_SETUP + "; relative error of the trained score against the closed-form memorized score on "
        f"{_C.n_probe} noised held-out (solid) and training (dashed) images at each of {_C.n_sigma} noise levels "
        "log-spaced in the VE bandwidth σ.",
        producer=_PRODUCER, params=_PARAMS, plot=plot_trained_score_error,
        data_keys=_DATA_KEYS + ("sigmas", "score_error_held_out", "score_error_train"), group="posterior",
        needs=("torch", "sklearn"),
    ),
    GalleryFigure(
        name="posterior_trained_samples",
        title="Inpainting posteriors: memorized mixture vs trained model",
        caption=_SETUP + f"; top half observed with noise {_C.noise_std:g}; a closed-form posterior sample and a "
        f"{_SAMPLER} sample of the trained model ({_SAMPLER_SETUP}) with their nearest training images, smallest and "
        "largest N.",
        producer=_PRODUCER, params=_PARAMS, plot=plot_trained_samples,
        data_keys=_DATA_KEYS + ("noise_std", "sampler", "dps_step", "ess_threshold", "image_shape", "show_truth",
                                "show_closed",
                                "show_closed_nearest", "show_trained", "show_trained_nearest"), group="posterior",
        needs=("torch", "sklearn"),
    ),
    GalleryFigure(
        name="posterior_trained_tv",
        title="Trained posterior vs likelihood-weighted lookup: TV distance and RMSE vs N",
        caption=_SETUP + f"; {_C.n_obs} held-out images inverted by twisted SMC with the trained model, the first "
        f"{_C.n_obs_reference if _C.n_obs_reference is not None else _C.n_obs} also by the reference runs; "
        f"{_C.n_post} samples per sampler (twisted SMC with "
        f"{_C.n_post} particles, ESS threshold {_C.ess_threshold:g}; DPS with zeta = {_C.dps_step:g}), each with the "
        "trained model and with the exact memorized score; TV between the closed-form weights over the training set "
        "and the distribution of the samples' nearest training image; dotted red: the trained model's TV over the images "
        f"whose runner-up training image is within {_C.margin_split:g} nats of the lookup's choice.",
        producer=_PRODUCER, params=_PARAMS, plot=plot_trained_tv,
        data_keys=_DATA_KEYS + ("tv_smc", "tv_smc_sem", "tv_exact_smc", "tv_dps", "tv_dps_sem", "tv_exact_dps",
                                "tv_closed_samples", "tv_floor", "rmse_smc", "rmse_exact_smc", "rmse_dps",
                                "rmse_exact_dps", "rmse_closed", "rmse_best_lookup", "n_obs", "n_post", "dps_step",
                                "ess_threshold", "n_obs_reference", "margin_split", "tv_small_margin"),
        group="posterior",
        needs=("torch", "sklearn"),
    ),
]
