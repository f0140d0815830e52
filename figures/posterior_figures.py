"""Gallery figures of memorized diffusion priors and their Gaussian-mixture posteriors.

Plot functions only: each takes the dict returned by a producer in :mod:`memtheory.studies.posterior`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import (OKABE_ITO, REFERENCE_COLOR, new_figure, ordered_colors, panel_label,
                                     style_context)

__all__ = [
    "plot_stylized_1d",
    "plot_stylized_2d",
    "plot_effective_modes",
    "plot_helmholtz_inversion",
    "plot_memorization_rate",
    "GALLERY",
]


# One colour per role, shared by the 1-D and 2-D stylized figures.
_PRIOR = OKABE_ITO["grey"]
_LIKELIHOOD = OKABE_ITO["green"]
_POSTERIOR = OKABE_ITO["blue"]
_LINEARIZED = REFERENCE_COLOR
_EXAMPLE = OKABE_ITO["vermillion"]


def _weights_text(w) -> str:
    return "  ".join(f"{x:.2f}" for x in np.asarray(w, float))


def plot_stylized_1d(data) -> plt.Figure:
    """Prior, likelihood, exact posterior and linearized mixture at each sigma (1-D stylized problem)."""
    sig = np.atleast_1d(data["sigmas"])
    x = np.asarray(data["x"], float)
    with style_context():
        fig, axes = new_figure(1, len(sig), width=3.3, height=3.0)
        for k, ax in enumerate(axes[0]):
            ax.plot(x, data["prior"][k], color=_PRIOR, lw=1.1, label="memorized prior")
            ax.plot(x, data["likelihood"][k], color=_LIKELIHOOD, lw=1.1, label="likelihood (normalised)")
            ax.fill_between(x, data["posterior"][k], color=_POSTERIOR, alpha=0.35, lw=0, label="exact posterior")
            ax.plot(x, data["linearized"][k], color=_LINEARIZED, ls="--", lw=1.2, label="linearized mixture")
            ax.plot(data["x_train"], np.zeros_like(data["x_train"]), "v", color=_EXAMPLE, ms=6, clip_on=False,
                    label="training examples")
            ax.set_title(rf"$\sigma = {float(sig[k]):g}$" "\n"
                         f"w exact: {_weights_text(data['w_exact'][k])}\n"
                         f"w lin.:   {_weights_text(data['w_linearized'][k])}", fontsize=8)
            ax.set_xlabel("$x$")
            ax.set_xlim(x[0], x[-1])
            ax.set_ylim(bottom=0)
        axes[0, 0].set_ylabel("density")
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
        fig.suptitle(rf"1-D stylized problem $F(x) = x + 0.3x^3$, $y = 0$, $\gamma = {float(data['noise_std']):g}$"
                     " (weights w in the order of the examples, left to right)")
    return fig


def _relative_levels(z, fractions=(0.05, 0.25, 0.5, 0.75, 0.95)):
    """Contour levels at fixed fractions of the maximum: no spurious rings from round-off near 0."""
    top = float(np.nanmax(z))
    return [f * top for f in fractions] if top > 0 else None


def plot_stylized_2d(data) -> plt.Figure:
    """2-D stylized panels: prior and likelihood contours, exact posterior (shaded), linearized contours,
    and a zoom (last panel, with ticks) on the dominant example at the smallest sigma."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    sig = np.atleast_1d(data["sigmas"])
    x1, x2 = np.asarray(data["x1"], float), np.asarray(data["x2"], float)
    X1, X2 = np.meshgrid(x1, x2, indexing="ij")
    lik = np.exp(np.asarray(data["log_likelihood"], float))
    n = len(sig)
    with style_context():
        fig, axes = new_figure(1, n + 1, width=3.1, height=3.0)
        axes = axes[0]
        for k in range(n + 1):
            ax = axes[k]
            kk = min(k, n - 1)
            log_post = np.asarray(data["log_posterior"][kk], float)
            post = np.exp(log_post - np.nanmax(log_post))  # posterior / its maximum: one colour scale
            mesh = ax.pcolormesh(X1, X2, post, cmap="Blues", vmin=0, vmax=1, shading="gouraud",
                                 rasterized=True)
            prior = np.exp(np.asarray(data["log_prior"][kk], float))
            if k < n:
                ax.contour(X1, X2, prior, levels=_relative_levels(prior), colors=[_PRIOR], linewidths=0.6)
                ax.contour(X1, X2, lik, levels=_relative_levels(lik), colors=[_LIKELIHOOD], linewidths=0.7)
            lin = np.asarray(data["linearized"][kk], float)
            if lin.max() > 0:
                ax.contour(X1, X2, lin, levels=_relative_levels(lin, (0.1, 0.5, 0.9)), colors=[_LINEARIZED],
                           linestyles="--", linewidths=0.8)
            ax.plot(*np.asarray(data["x_train"]).T, "v", color=_EXAMPLE, ms=6, zorder=5)
            ax.plot(*np.asarray(data["x_true"]), "*", color=REFERENCE_COLOR, ms=9, zorder=5)
            ax.set_aspect("equal")
            ax.set_xlabel("$x_1$")
            if k < n:
                ax.set_title(rf"$\sigma = {float(sig[k]):g}$" "\n"
                             f"w lin.: {_weights_text(data['w_linearized'][k])}", fontsize=8)
        # zoom on the dominant example at the smallest σ, where the narrow components live
        zoom = axes[n]
        c = np.asarray(data["x_train"])[int(np.argmax(data["w_exact"][n - 1]))]
        half = 6 * float(sig[n - 1])
        zoom.set_xlim(c[0] - half, c[0] + half)
        zoom.set_ylim(c[1] - half, c[1] + half)
        zoom.set_title(rf"zoom of $\sigma = {float(sig[n - 1]):g}$ on the dominant" "\n"
                       rf"example ($\pm 6\sigma$ box)", fontsize=8)
        axes[n - 1].indicate_inset_zoom(zoom, edgecolor="black")
        axes[0].set_ylabel("$x_2$")
        cbar = fig.colorbar(mesh, ax=list(axes), shrink=0.9, location="right", aspect=25, fraction=0.03)
        cbar.set_label("exact posterior / its maximum")
        handles = [Patch(color=plt.get_cmap("Blues")(0.7), label="exact posterior"),
                   Line2D([], [], color=_LINEARIZED, ls="--", lw=0.8, label="linearized mixture"),
                   Line2D([], [], color=_PRIOR, lw=0.6, label="memorized prior"),
                   Line2D([], [], color=_LIKELIHOOD, lw=0.7, label="likelihood"),
                   Line2D([], [], color=_EXAMPLE, marker="v", ls="none", label="training examples"),
                   Line2D([], [], color=REFERENCE_COLOR, marker="*", ms=9, ls="none", label="truth")]
        fig.legend(handles=handles, loc="outside lower center", ncols=6)
        fig.suptitle(rf"2-D stylized problem, $\gamma = {float(data['noise_std']):g}$ "
                     "(contours at 5, 25, 50, 75, 95 % of each density's maximum; dashed at 10, 50, 90 %)")
    return fig


def plot_effective_modes(data) -> plt.Figure:
    """Effective number of posterior modes exp(H(w)) vs sigma, with sigma_crit marked."""
    from matplotlib.lines import Line2D

    sig = np.asarray(data["sigmas"], float)
    n_trains = np.atleast_1d(data["n_trains"])
    colors = ordered_colors(len(n_trains))
    with style_context():
        fig, axes = new_figure(1, 1, width=5.6, height=3.8)
        ax = axes[0, 0]
        handles = []
        for i, N in enumerate(n_trains):
            color = colors[i]
            ax.loglog(sig, data["modes_exact"][i], lw=1.6, color=color)
            ax.loglog(sig, data["modes_linearized"][i], "--", lw=1.0, color=color)
            sc = float(data["sigma_crit"][i])
            ax.loglog([sc], [np.interp(np.log(sc), np.log(sig), data["modes_exact"][i])], "D", color=color,
                      mec="black", mew=0.5, ms=6, zorder=5)
            handles.append(Line2D([], [], color=color, lw=1.6, label=f"N = {int(N)}"))
        ax.axvline(float(data["sigma_min_line"]), color=OKABE_ITO["grey"], ls=":", lw=1)
        ax.invert_xaxis()
        ax.set_xlabel(r"prior bandwidth $\sigma$  (decreasing $\rightarrow$)")
        ax.set_ylabel(r"effective modes $\exp(H(w))$")
        # regime names as left/right titles: above the data, where no curve can run into them
        ax.set_title(r"$\leftarrow$ well-regularised", loc="left", fontsize=9)
        ax.set_title(r"memorised $\rightarrow$", loc="right", fontsize=9)
        handles += [Line2D([], [], color="grey", lw=1.6, label="exact (quadrature)"),
                    Line2D([], [], color="grey", ls="--", lw=1.0, label="linearized"),
                    Line2D([], [], color="grey", marker="D", mec="black", mew=0.5, ls="none",
                           label=r"$\sigma_{\rm crit}$"),
                    Line2D([], [], color=OKABE_ITO["grey"], ls=":", lw=1,
                           label=rf"typical $\sigma_{{\min}} = {float(data['sigma_min_line']):g}$")]
        fig.legend(handles=handles, loc="outside right center")
        fig.suptitle(rf"Effective number of posterior modes, $\gamma = {float(data['noise_std']):g}$")
    return fig


def plot_helmholtz_inversion(data) -> plt.Figure:
    """True model, a posterior sample, its nearest training example and sample − nearest example for
    each shown sample, one row per N (velocities in km/s, distances in km)."""
    Ns = np.atleast_1d(data["n_trains"])
    samples = np.asarray(data["samples"], float)
    nearest = np.asarray(data["nearest"], float)
    k = samples.shape[1]
    extent = float(data.get("extent_km", 2.0))
    box = (0.0, extent, extent, 0.0)  # x across, depth z down
    vel = [np.asarray(data["v_true"], float), samples, nearest]
    vmin, vmax = min(v.min() for v in vel), max(v.max() for v in vel)
    diff = samples - nearest
    dmax = float(np.abs(diff).max()) or 1.0
    j_show = list(np.asarray(data["sigma_mins"], float)).index(float(data["sigma_show"]))
    with style_context():
        fig, axes = new_figure(len(Ns), 3 + k, width=1.75, height=1.85, sharex=True, sharey=True)
        for i, N in enumerate(Ns):
            panels = [("true model\n(★ sources, ▲ receivers)", data["v_true"], "v"), ("posterior sample 1", samples[i, 0], "v"),
                      ("nearest training\nexample to sample 1", nearest[i, 0], "v")]
            panels += [(f"sample {j + 1} − its\nnearest example", diff[i, j], "d") for j in range(k)]
            for col, (title, img, kind) in enumerate(panels):
                ax = axes[i, col]
                if kind == "v":
                    im_v = ax.imshow(img, cmap="viridis", vmin=vmin, vmax=vmax, extent=box)
                else:
                    im_d = ax.imshow(img, cmap="RdBu_r", vmin=-dmax, vmax=dmax, extent=box)
                if i == 0:
                    ax.set_title(title, fontsize=8)
                if i == len(Ns) - 1:
                    ax.set_xlabel("x (km)")
            ax0 = axes[i, 0]
            if "src_x_km" in data:
                ax0.plot(data["src_x_km"], data["src_z_km"], "*", color=OKABE_ITO["vermillion"], ms=6,
                         mec="white", mew=0.4, clip_on=False)
                ax0.plot(data["rec_x_km"], data["rec_z_km"], "^", color="white", ms=2.2, mec="black", mew=0.3,
                         clip_on=False)
            rate = float(np.asarray(data["memorization_rate"])[i, j_show])
            ax0.set_ylabel(f"N = {int(N)}, mem. {rate:.2f}\ndepth z (km)", fontsize=8)
        fig.colorbar(im_v, ax=axes[:, :3], shrink=0.8, location="bottom", aspect=30,
                     label="velocity (km/s)")
        fig.colorbar(im_d, ax=axes[:, 3:], shrink=0.8, location="bottom", aspect=30,
                     label="sample − nearest example (km/s)")
        fig.suptitle(rf"Helmholtz inversion, memorized prior at $\sigma = {float(data['sigma_show']):g}$. "
                     "mem. = memorization rate: fraction of posterior samples\nwhose nearest training example "
                     r"is much closer than the next ones ($d_1 / \mathrm{mean}(d_2..d_{50}) < 0.7$)",
                     fontsize=9)
    return fig


def plot_memorization_rate(data) -> plt.Figure:
    """Memorization rate (d1/mean(d2..dk) < 0.7) of posterior samples vs sigma_min for each N."""
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for i, N in enumerate(data["n_trains"]):
        ax.semilogx(data["sigma_mins"], data["memorization_rate"][i], "o-", label=f"N = {N}")
    ax.set_xlabel("σ_min (z-scored KL units)")
    ax.set_ylabel("fraction of samples memorized")
    ax.set_ylim(-0.03, 1.03)
    ax.legend(fontsize=8)
    ax.set_title("Helmholtz FWI, linearized memorized-prior posterior", fontsize=9)
    fig.tight_layout()
    return fig


_STYL = dict(sigmas=[0.5, 0.3, 0.05], noise_std=0.3, seed=0)
_HELM = dict(n_trains=[50, 200, 1000], sigma_mins=[0.01, 0.03, 0.1, 0.3, 1.0], sigma_show=0.01, n=32, freq=3.0, K=10,
             n_samples=256, n_show=3, seed=42)

GALLERY: list[GalleryFigure] = [
    GalleryFigure(
        name="posterior_stylized_1d",
        title="Memorized prior: 1-D stylized posterior",
        caption="1-D stylized inverse problem F(x) = x + 0.3x³ with the five training examples x = −1.5, −0.4, "
        "0.4, 1.2, 2.5, observation y = 0 and noise γ = 0.3: memorized prior (grey), normalised likelihood "
        "(green), exact posterior by quadrature (shaded) and the linearized Gaussian mixture (with the "
        "log-determinant term; dashed) at prior bandwidth σ = 0.5, 0.3 and 0.05 (one panel each, 500 grid "
        "points on [−3.5, 3.5]). Above each panel: the mixture weights w of the examples, left to right, "
        "exact and linearized. The problem is deterministic (seed 0 is unused).",
        producer="memtheory.studies.posterior:stylized_1d_panels",
        params=dict(_STYL, n_grid=500),
        plot=plot_stylized_1d,
        group="posterior",
        data_keys=("x", "sigmas", "prior", "likelihood", "posterior", "linearized", "x_train", "w_exact",
                   "w_linearized", "noise_std"),
    ),
    GalleryFigure(
        name="posterior_stylized_2d",
        title="Memorized prior: 2-D stylized posterior",
        caption="2-D stylized inverse problem F(x) = [x₁ + 0.3x₁x₂, x₂ + 0.2x₁²] with 5 training examples on a "
        "radius-2 pentagon (▼), truth 0.7·x_1 (★), noise-free observation and noise γ = 0.3, on a 200×200 grid, "
        "at prior bandwidth σ = 0.5, 0.3 and 0.05: exact posterior (shaded, divided by its maximum; colour "
        "bar), linearized mixture (dashed), memorized prior (grey) and likelihood (green), contours at fixed "
        "fractions of each density's maximum. Last panel: zoom (with ticks) of the σ = 0.05 panel on the "
        "dominant example, ±6σ around it; the box in the σ = 0.05 panel marks it. Titles: linearized "
        "weights of the examples in their order. Deterministic (seed 0 is unused).",
        producer="memtheory.studies.posterior:stylized_2d_panels",
        params=dict(_STYL, n_grid=200),
        plot=plot_stylized_2d,
        group="posterior",
        data_keys=("x1", "x2", "sigmas", "log_prior", "log_posterior", "log_likelihood", "linearized",
                   "x_train", "x_true", "w_exact", "w_linearized", "noise_std"),
    ),
    GalleryFigure(
        name="posterior_effective_modes",
        title="Effective number of posterior modes vs sigma",
        caption="Effective number of posterior modes exp(H(w)) (H the entropy of the mixture weights) against "
        "the prior bandwidth σ (70 log-spaced values in [0.01, 5], decreasing to the right) for N = 3, 5, "
        "10, 20 and 100 training examples evenly spaced on [−3, 3], F(x) = x + 0.3x³, y = 0, γ = 0.3: exact "
        "weights by 1-D quadrature (solid) and linearized weights (dashed). Diamonds: σ_crit = "
        "sqrt(δ·γ/|F′|) (δ the example spacing, |F′| the mean slope at the examples), below which the posterior collapses onto the examples; "
        "dotted: a typical σ_min = 0.01 of a diffusion model's noise schedule. Deterministic (seed 42 is "
        "unused).",
        producer="memtheory.studies.posterior:effective_modes_sweep",
        params=dict(n_trains=[3, 5, 10, 20, 100], noise_std=0.3, sigma_min=0.01, sigma_max=5.0, n_sigma=70, seed=42),
        plot=plot_effective_modes,
        group="posterior",
        data_keys=("sigmas", "n_trains", "modes_exact", "modes_linearized", "sigma_crit", "noise_std",
                   "sigma_min_line"),
    ),
    GalleryFigure(
        name="posterior_helmholtz_inversion",
        title="Helmholtz inversion with a memorized prior",
        caption="Helmholtz full-waveform inversion on a 32×32 grid of 2 km × 2 km at 3 Hz, 5 sources (★, top) and "
        "40 receivers (▲, bottom), 5% noise; training sets of N = 50, 200 and 1000 smooth Gaussian random "
        "fields (alpha = 3, tau = 5) in a K = 10-term KL basis, out-of-distribution truth (alpha = 1.5, "
        "tau = 1), seed 42. Linearized-mixture posterior at σ_min = 0.01 (one row per N): the true model, "
        "posterior sample 1, the training example nearest to it, and for each of the n_show = 3 shown samples "
        "the difference sample − nearest training example (diverging scale): near zero everywhere means the "
        "sample is a copy of a training example. mem. = memorization rate of 256 posterior samples at "
        "σ_min = 0.01: the fraction whose distance d₁ to the nearest training example (in KL space) is below "
        "0.7 × the mean distance to the next ones, d₁/mean(d₂..d₅₀) < 0.7. The producer also evaluates "
        "σ_min = 0.01, 0.03, 0.1, 0.3, 1 (memorization rate figure).",
        producer="memtheory.studies.posterior:helmholtz_study",
        params=_HELM,
        plot=plot_helmholtz_inversion,
        group="posterior",
        data_keys=("n_trains", "sigma_mins", "sigma_show", "memorization_rate", "v_true", "samples", "nearest",
                   "extent_km", "src_x_km", "src_z_km", "rec_x_km", "rec_z_km"),
    ),
]
