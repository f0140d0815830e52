"""Figure 4: kernel geometry: over (μ⋆²/μ₁², λ), where facts are memorised and ε_gen is optimal."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import LABELS, OKABE_ITO, REFERENCE_COLOR, log_edges, panel_label, style_context

__all__ = ["plot_kernel_geometry", "classify", "CATEGORIES", "GALLERY", "GEOMETRY_PARAMS"]

# (label, colour) in the order of the integer codes returned by :func:`classify`.
CATEGORIES = (
    ("neither", "#e8e8e8"),
    ("memorises all facts only", OKABE_ITO["sky"]),
    ("optimal generalization only", OKABE_ITO["orange"]),
    ("both", OKABE_ITO["green"]),
)


def classify(memorizes, optimal) -> np.ndarray:
    """Integer code 0–3 per point: 1·memorises + 2·optimal (indices into :data:`CATEGORIES`)."""
    return np.asarray(memorizes, bool).astype(int) + 2 * np.asarray(optimal, bool).astype(int)


def _cmap():
    cmap = ListedColormap([c for _, c in CATEGORIES])
    return cmap, BoundaryNorm(np.arange(-0.5, len(CATEGORIES)), cmap.N)


def plot_kernel_geometry(data: dict):
    """Category map over (r = μ⋆²/μ₁², λ) and the cost of perfect memorization along r.

    Parameters
    ----------
    data : dict
        Output of :func:`memtheory.studies.raf_kernel_geometry.kernel_geometry`: ``ratio`` (R,), ``lam``
        (N,), ``memorizes``/``optimal`` (R, N), ``memorizes_lam0``/``optimal_lam0``/``gen_lam0``/
        ``gen_opt``/``mem_opt``/``lam_opt`` (R,), ``boundary``, ``alpha``, ``epsilon``, ``mem_tol``,
        ``gen_tol``, ``loss``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    r = np.asarray(data["ratio"], float)
    lam = np.asarray(data["lam"], float)
    codes = classify(data["memorizes"], data["optimal"])
    codes0 = classify(data["memorizes_lam0"], data["optimal_lam0"])
    boundary = float(data["boundary"])
    cmap, norm = _cmap()
    with style_context():
        fig = _figure()
        ax, ax0, axc = fig.axes
        lam_opt = np.asarray(data["lam_opt"], float)
        ok = np.isfinite(lam_opt) & (lam_opt > 0)
        ax.plot(r[ok], lam_opt[ok], color=REFERENCE_COLOR, ls="--", lw=1.4)
        ax.pcolormesh(log_edges(r), log_edges(lam), codes.T, cmap=cmap, norm=norm, shading="flat",
                      rasterized=True)
        ax.set(xscale="log", yscale="log", ylabel=LABELS["lam"], xlim=(r.min(), r.max()),
               ylim=(lam.min(), lam.max()))
        ax.tick_params(labelbottom=False)
        ax0.pcolormesh(log_edges(r), [0.0, 1.0], codes0[None, :], cmap=cmap, norm=norm, shading="flat",
                       rasterized=True)
        ax0.set(xscale="log", xlim=(r.min(), r.max()), yticks=[0.5], yticklabels=[r"$\lambda=0$"],
                xlabel=LABELS["ratio"], ylim=(0, 1))
        boundary_tol = float(data.get("boundary_tol", np.nan))
        for a in (ax, ax0):
            a.axvline(boundary, color=REFERENCE_COLOR, lw=1.6)
            if np.isfinite(boundary_tol):
                a.axvline(boundary_tol, color=REFERENCE_COLOR, lw=1.4, ls=":")
        panel_label(ax, "a")
        ax.set_title(rf"{data['loss']} loss, $\alpha={float(data['alpha']):g}$, "
                     rf"$\varepsilon={float(data['epsilon']):g}$")
        _cost_panel(axc, data, r, boundary, boundary_tol)
        panel_label(axc, "b")
        handles = [Patch(facecolor=c, edgecolor="#888888", lw=0.5, label=lbl) for lbl, c in CATEGORIES]
        tol = _fmt_pow10(float(data["gen_tol"]))
        handles += [Line2D([], [], color=REFERENCE_COLOR, lw=1.6,
                           label=r"optimal $\lambda$ reaches 0: $\mu_\star^2/\mu_1^2 = \pi/(2(1-\varepsilon)^2) - 1$"
                                 "\n(exact compatibility: ridgeless interpolator is optimal)"),
                    Line2D([], [], color=REFERENCE_COLOR, lw=1.4, ls=":",
                           label=rf"same with tolerance: ridgeless $\varepsilon_{{\rm gen}}$ within ${tol}$"
                                 "\nof the optimum from here on"),
                    Line2D([], [], color=REFERENCE_COLOR, ls="--", lw=1.4, label=r"optimal $\lambda$")]
        fig.legend(handles=handles, loc="outside lower center", ncols=2)
        fig.suptitle(rf"Kernel geometry: memorise all facts ($\varepsilon_{{\rm mem}}\leq"
                     rf"{float(data['mem_tol']):g}$) and generalise optimally "
                     rf"($\varepsilon_{{\rm gen}}\leq\min_\lambda\varepsilon_{{\rm gen}}+"
                     rf"{float(data['gen_tol']):g}$)?", fontsize=10)
    return fig


def _figure():
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8.6, 3.9), layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=(6, 1), width_ratios=(1.1, 1))
    ax = fig.add_subplot(grid[0, 0])
    fig.add_subplot(grid[1, 0], sharex=ax)  # the λ = 0 strip
    fig.add_subplot(grid[:, 1])
    return fig


def _fmt_pow10(x: float) -> str:
    k = np.log10(x)
    return rf"10^{{{int(k)}}}" if float(k).is_integer() else f"{x:g}"


# Panel b floor: ε_mem at the optimal λ falls to ~1e-13 before the optimal λ reaches 0, so the floor
# must sit below that for the drop to be seen; exact zeros are drawn on it.
COST_FLOOR = 1e-16


def _cost_panel(ax, data: dict, r: np.ndarray, boundary: float, boundary_tol: float) -> None:
    gap = np.asarray(data["gen_lam0"], float) - np.asarray(data["gen_opt"], float)
    mem_opt = np.asarray(data["mem_opt"], float)
    floor = COST_FLOOR
    ax.plot(r, np.clip(gap, floor, None), color=OKABE_ITO["vermillion"],
            label=r"$\varepsilon_{\rm gen}(\lambda{=}0) - \min_\lambda \varepsilon_{\rm gen}$")
    ax.plot(r, np.clip(mem_opt, floor, None), color=OKABE_ITO["blue"], ls="--",
            label=r"$\varepsilon_{\rm mem}$ at optimal $\lambda$")
    ax.axvline(boundary, color=REFERENCE_COLOR, lw=1.6)
    if np.isfinite(boundary_tol):
        ax.axvline(boundary_tol, color=REFERENCE_COLOR, lw=1.4, ls=":")
        ax.axhline(float(data["gen_tol"]), color=OKABE_ITO["grey"], lw=0.8, ls=":")
    ax.set(xscale="log", yscale="log", xlabel=LABELS["ratio"], ylabel="error (0 drawn at $10^{-16}$)",
           ylim=(floor * 0.7, None), xlim=(r.min(), r.max()))
    ax.legend(loc="lower left")
    ax.set_title("cost of insisting on one property")


GEOMETRY_PARAMS = {
    "alpha": 2.0,
    "epsilon": 0.2,
    "loss": "square",
    "ratio": {"log10": [-2, 1, 49]},
    "lam": {"log10": [-4, 1, 41]},
    "mu1_sq": 2 / math.pi,
    "mem_tol": 1e-3,
    "gen_tol": 1e-3,
}


def _caption(p: dict) -> str:
    eps = p["epsilon"]
    boundary = math.pi / (2 * (1 - eps) ** 2) - 1
    rl, rh, rn = p["ratio"]["log10"]
    ll, lh, ln = p["lam"]["log10"]
    return (f"Kernel learner ({'kernel ridge regression, ' if p['loss'] == 'square' else ''}{p['loss']} loss) "
            f"at α = n/d = {p['alpha']:g}, fact fraction ε = {eps:g}, with μ₁² = {p['mu1_sq']:.4g} fixed and "
            f"μ⋆² = r·μ₁² for r = μ⋆²/μ₁² ∈ 10^{rl:g}…10^{rh:g} ({rn} values) and λ ∈ 10^{ll:g}…10^{lh:g} "
            f"({ln} values) plus λ = 0 (ridgeless). (a) Which properties hold: 'memorises all facts' = "
            f"ε_mem ≤ {p['mem_tol']:g}; 'optimal generalization' = ε_gen within {p['gen_tol']:g} of the "
            f"minimum over λ ≥ 0 at that r; the λ = 0 strip uses the exact conditions ε_mem = 0 and optimal "
            f"λ = 0. Dashed: optimal λ. Solid vertical line: r = π/(2(1−ε)²) − 1 = {boundary:.3f}, where the "
            f"optimal λ reaches 0. This is the exact compatibility condition (perfect memorization compatible with "
            f"optimal generalization, arXiv:2603.25579; closed form from the kernel saddle point): from there "
            f"on the ridgeless kernel, which interpolates every fact (ε_mem = 0), is also the best generaliser. "
            f"Dotted vertical line: the same condition with the figure's tolerance, where the ridgeless "
            f"kernel's ε_gen comes within {p['gen_tol']:g} of the optimum (boundary_tol in the data); the "
            f"'both' region of the map reaches λ → 0 from there. Between the two lines both properties hold "
            f"up to the tolerances but not exactly: the optimal λ is still positive and ε_mem at it is tiny but "
            f"not zero (about 2·10^-13 at r = 1). "
            f"(b) Along r: the ε_gen cost of λ = 0 over the optimal λ, and ε_mem at the optimal λ (exact zeros "
            f"drawn at 10^-16; grey dotted: the tolerance {p['gen_tol']:g}); both vanish at the solid line.")


GALLERY = [GalleryFigure(name="raf_kernel_geometry", title="Kernel geometry: memorization vs optimal generalization",
                         caption=_caption(GEOMETRY_PARAMS),
                         producer="memtheory.studies.raf_kernel_geometry:kernel_geometry",
                         params=GEOMETRY_PARAMS, plot=plot_kernel_geometry, group="raf",
                         data_keys=("ratio", "lam", "memorizes", "optimal", "memorizes_lam0", "optimal_lam0",
                                    "gen_lam0", "gen_opt", "mem_opt", "lam_opt", "boundary", "boundary_tol",
                                    "alpha", "epsilon", "mu1_sq", "mem_tol", "gen_tol", "loss"))]
