"""Gallery figures of memorized diffusion priors and their Gaussian-mixture posteriors (issue 6).

Plot functions only: each takes the dict returned by a producer in :mod:`memtheory.studies.posterior`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from memtheory.figures.registry import GalleryFigure

__all__ = [
    "plot_stylized_1d",
    "plot_stylized_2d",
    "plot_effective_modes",
    "plot_helmholtz_inversion",
    "plot_memorization_rate",
    "GALLERY",
]


def plot_stylized_1d(data) -> plt.Figure:
    """Prior, likelihood, exact posterior and linearized mixture at each sigma (spec §6, 1-D)."""
    sig = data["sigmas"]
    fig, axes = plt.subplots(1, len(sig), figsize=(4.2 * len(sig), 3.4), sharey=False)
    axes = np.atleast_1d(axes)
    x = data["x"]
    for k, ax in enumerate(axes):
        ax.plot(x, data["prior"][k], color="0.6", lw=1, label="memorized prior")
        ax.plot(x, data["likelihood"][k], color="tab:green", lw=1, label="likelihood (normalised)")
        ax.fill_between(x, data["posterior"][k], color="tab:blue", alpha=0.35, label="exact posterior")
        ax.plot(x, data["linearized"][k], "k--", lw=1.2, label="linearized mixture")
        ax.plot(data["x_train"], np.zeros_like(data["x_train"]), "rv", ms=6, label="training examples")
        we, wl = data["w_exact"][k], data["w_linearized"][k]
        ax.set_title(f"σ = {sig[k]:g}\nw exact {np.round(we, 3)}\nw lin. {np.round(wl, 3)}", fontsize=8)
        ax.set_xlabel("x")
        ax.set_xlim(x[0], x[-1])
    axes[0].set_ylabel("density")
    axes[0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"1-D stylized problem F(x) = x + 0.3x³, y = 0, γ = {data['noise_std']:g}", fontsize=10)
    fig.tight_layout()
    return fig


def plot_stylized_2d(data) -> plt.Figure:
    """2-D stylized panels: prior and likelihood contours, exact posterior (shaded), linearized contours."""
    sig = data["sigmas"]
    x1, x2 = data["x1"], data["x2"]
    X1, X2 = np.meshgrid(x1, x2, indexing="ij")
    fig, axes = plt.subplots(1, len(sig), figsize=(4.2 * len(sig), 4.0))
    axes = np.atleast_1d(axes)
    for k, ax in enumerate(axes):
        post = np.exp(data["log_posterior"][k])
        ax.contourf(X1, X2, post, levels=20, cmap="Blues")
        ax.contour(X1, X2, np.exp(data["log_prior"][k]), levels=6, colors="0.55", linewidths=0.6)
        ax.contour(X1, X2, np.exp(data["log_likelihood"]), levels=5, colors="tab:green", linewidths=0.7)
        lin = data["linearized"][k]
        if lin.max() > 0:
            ax.contour(X1, X2, lin, levels=np.linspace(0.1, 0.9, 4) * lin.max(), colors="k", linestyles="--", linewidths=0.8)
        ax.plot(*data["x_train"].T, "rv", ms=6)
        ax.plot(*data["x_true"], "k*", ms=9)
        ax.set_title(f"σ = {sig[k]:g}; w lin. {np.round(data['w_linearized'][k], 3)}", fontsize=8)
        ax.set_aspect("equal")
        ax.set_xlabel("x₁")
        if k == len(sig) - 1:
            # zoom on the dominant example, where the narrow components live
            n = int(np.argmax(data["w_exact"][k]))
            c = data["x_train"][n]
            ins = ax.inset_axes([0.58, 0.58, 0.4, 0.4])
            ins.contourf(X1, X2, post, levels=20, cmap="Blues")
            if lin.max() > 0:
                ins.contour(X1, X2, lin, levels=np.linspace(0.1, 0.9, 4) * lin.max(), colors="k", linestyles="--", linewidths=0.6)
            ins.plot(*c, "rv", ms=5)
            half = 6 * sig[k]
            ins.set_xlim(c[0] - half, c[0] + half)
            ins.set_ylim(c[1] - half, c[1] + half)
            ins.set_xticks([])
            ins.set_yticks([])
    axes[0].set_ylabel("x₂")
    fig.suptitle("2-D stylized problem: exact posterior (shaded), linearized mixture (dashed), prior (grey), "
                 "likelihood (green), examples (▼), truth (★)", fontsize=9)
    fig.tight_layout()
    return fig


def plot_effective_modes(data) -> plt.Figure:
    """Effective number of posterior modes exp(H(w)) vs sigma, with sigma_crit marked (spec §4.2)."""
    fig, ax = plt.subplots(figsize=(6.0, 4.2))
    sig = data["sigmas"]
    for i, N in enumerate(data["n_trains"]):
        (line,) = ax.loglog(sig, data["modes_exact"][i], lw=1.6, label=f"N = {N}")
        ax.loglog(sig, data["modes_linearized"][i], "--", lw=1, color=line.get_color())
        sc = data["sigma_crit"][i]
        ax.loglog([sc], [np.interp(np.log(sc), np.log(sig), data["modes_exact"][i])], "D", color=line.get_color(), ms=6)
    ax.axvline(data["sigma_min_line"], color="0.5", ls=":", lw=1)
    ax.text(data["sigma_min_line"], 1.15, "typical σ_min ", fontsize=7, color="0.4", ha="right")
    ax.invert_xaxis()
    ax.set_xlabel("prior bandwidth σ (decreasing →)")
    ax.set_ylabel("effective modes exp(H(w))")
    ax.set_title(f"solid: exact (quadrature); dashed: linearized; ◆ σ_crit; γ = {data['noise_std']:g}", fontsize=9)
    ax.text(0.02, 0.04, "well-regularised", transform=ax.transAxes, fontsize=8)
    ax.text(0.78, 0.04, "memorised", transform=ax.transAxes, fontsize=8)
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    return fig


def plot_helmholtz_inversion(data) -> plt.Figure:
    """True model, posterior samples and their nearest training examples for each N (spec §7)."""
    Ns = data["n_trains"]
    k = data["samples"].shape[1]
    fig, axes = plt.subplots(len(Ns), 1 + 2 * k, figsize=(1.9 * (1 + 2 * k), 2.0 * len(Ns)), squeeze=False)
    vmin = min(data["v_true"].min(), data["samples"].min(), data["nearest"].min())
    vmax = max(data["v_true"].max(), data["samples"].max(), data["nearest"].max())
    for i, N in enumerate(Ns):
        panels = [("true model", data["v_true"])]
        panels += [(f"sample {j + 1}", data["samples"][i, j]) for j in range(k)]
        panels += [(f"nearest ex. {j + 1}", data["nearest"][i, j]) for j in range(k)]
        for ax, (title, img) in zip(axes[i], panels):
            im = ax.imshow(img, cmap="viridis", vmin=vmin, vmax=vmax)
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title(title, fontsize=8)
        axes[i, 0].set_ylabel(f"N = {N}\nmem. {data['memorization_rate'][i, list(data['sigma_mins']).index(data['sigma_show'])]:.2f}", fontsize=8)
    fig.colorbar(im, ax=axes, shrink=0.7, label="velocity (km/s)")
    fig.suptitle(f"Helmholtz inversion, memorized prior at σ = {data['sigma_show']:g}: samples vs nearest training examples", fontsize=9)
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
        caption="F(x)=x+0.3x^3, examples {-1.5,-0.4,0.4,1.2,2.5}, y=0, gamma=0.3; exact posterior by quadrature vs "
        "linearized Gaussian mixture (with log-det) at sigma=0.5, 0.3, 0.05.",
        producer="memtheory.studies.posterior:stylized_1d_panels",
        params=dict(_STYL, n_grid=500),
        plot=plot_stylized_1d,
        group="posterior",
    ),
    GalleryFigure(
        name="posterior_stylized_2d",
        title="Memorized prior: 2-D stylized posterior",
        caption="F(x)=[x1+0.3x1x2, x2+0.2x1^2], 5 examples on a radius-2 pentagon, truth 0.7*x_1, noise-free y, "
        "gamma=0.3; 200x200 grid; sigma=0.5, 0.3, 0.05 (inset: zoom on the dominant example).",
        producer="memtheory.studies.posterior:stylized_2d_panels",
        params=dict(_STYL, n_grid=200),
        plot=plot_stylized_2d,
        group="posterior",
    ),
    GalleryFigure(
        name="posterior_effective_modes",
        title="Effective number of posterior modes vs sigma",
        caption="exp(H(w)) for N=3,5,10,20,100 examples evenly on [-3,3], F(x)=x+0.3x^3, y=0, gamma=0.3; "
        "70 log-spaced sigma in [0.01, 5]; diamonds: sigma_crit = sqrt(delta*gamma/|F'|).",
        producer="memtheory.studies.posterior:effective_modes_sweep",
        params=dict(n_trains=[3, 5, 10, 20, 100], noise_std=0.3, sigma_min=0.01, sigma_max=5.0, n_sigma=70, seed=42),
        plot=plot_effective_modes,
        group="posterior",
    ),
    GalleryFigure(
        name="posterior_helmholtz_inversion",
        title="Helmholtz inversion with a memorized prior",
        caption="32x32 grid (2 km), 3 Hz, 5 sources/40 receivers, 5% noise; GRF training sets (alpha=3, tau=5) in a "
        "100-term cosine KL basis, OOD truth (alpha=1.5, tau=1); linearized mixture posterior at sigma=0.01; "
        "N=50, 200, 1000.",
        producer="memtheory.studies.posterior:helmholtz_study",
        params=_HELM,
        plot=plot_helmholtz_inversion,
        group="posterior",
    ),
]
