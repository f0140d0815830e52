"""Figure 1: RAF phase diagrams over (α, ε): ε_gen and ε_mem heat maps for each learner, one loss each."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import LABELS, SEQUENTIAL_CMAP, SHORT, learner_label, new_figure, style_context

__all__ = ["plot_phase_diagrams", "plot_grid_heatmap", "GALLERY", "PERFECT_MEMORIZATION_TOL"]

# ε_mem below this counts as "all facts memorised": the saddle point only reaches exact zero at λ = 0.
PERFECT_MEMORIZATION_TOL = 1e-3
_ERROR_MAX = 0.5  # both errors are misclassification rates of a ±1 label: 0.5 is chance level


def _heatmap(ax, x, y, z, *, vmax=_ERROR_MAX):
    import matplotlib

    cmap = matplotlib.colormaps[SEQUENTIAL_CMAP].with_extremes(bad="#d9d9d9")
    return ax.pcolormesh(x, y, np.ma.masked_invalid(z).T, shading="nearest", cmap=cmap, vmin=0.0,
                         vmax=vmax, rasterized=True)


def _cmap_colors():
    import matplotlib

    return matplotlib.colormaps[SEQUENTIAL_CMAP](np.linspace(0, 1, 256))


def plot_phase_diagrams(data: dict, *, memorization_tol: float = PERFECT_MEMORIZATION_TOL):
    """Draw ε_gen (left column) and ε_mem (right column) over (α, ε), one row per learner.

    Parameters
    ----------
    data : dict
        Output of :func:`memtheory.studies.raf_phase.phase_diagrams`: ``alpha`` (A,), ``epsilon`` (E,),
        ``learner``/``kappa`` (L,), ``gen_error``/``mem_error``/``converged`` (L, A, E), ``alpha_c`` (E,),
        ``lam``, ``loss``.
    memorization_tol : float
        ε_mem threshold of the hatched "all facts memorised" region.

    Returns
    -------
    matplotlib.figure.Figure
    """
    alpha = np.asarray(data["alpha"], float)
    eps = np.asarray(data["epsilon"], float)
    learners = np.atleast_1d(data["learner"])
    kappas = np.atleast_1d(np.asarray(data["kappa"], float))
    gen = np.asarray(data["gen_error"], float)
    mem = np.asarray(data["mem_error"], float)
    conv = np.asarray(data.get("converged", np.ones(gen.shape, bool)), bool)
    gen = np.where(conv, gen, np.nan)
    mem = np.where(conv, mem, np.nan)
    alpha_c = np.asarray(data["alpha_c"], float)
    n = len(learners)
    with style_context():
        fig, axes = new_figure(n, 2, width=3.3, height=2.35, sharex=True, sharey=True)
        for i in range(n):
            kappa = None if not np.isfinite(kappas[i]) else kappas[i]
            name = learner_label(str(learners[i]), kappa=kappa)
            for j, (z, key) in enumerate(((gen[i], "gen_error"), (mem[i], "mem_error"))):
                ax = axes[i, j]
                mesh = _heatmap(ax, alpha, eps, z)
                ax.set_title(f"{name}: {SHORT[key]}")
                if j == 1:
                    _mark_memorization(ax, alpha, eps, z, memorization_tol)
                if str(learners[i]) == "linear":
                    _draw_threshold(ax, alpha, eps, alpha_c)
                if i == n - 1:
                    ax.set_xlabel(LABELS["alpha"])
                if j == 0:
                    ax.set_ylabel(LABELS["epsilon"])
                ax.set_xlim(alpha.min(), alpha.max())
                ax.set_ylim(eps.min(), eps.max())
        cbar = fig.colorbar(mesh, ax=axes, shrink=0.6, aspect=30, pad=0.02, extend="neither")
        cbar.set_label(r"error $\varepsilon_{\rm gen}$ or $\varepsilon_{\rm mem}$  (0.5 = chance)")
        handles = [Line2D([], [], color="white", lw=2.2, ls="--",
                          path_effects=_outline(), label=r"separability threshold $\alpha_c(\varepsilon)$"),
                   Patch(facecolor=_cmap_colors()[0], edgecolor="white", hatch="////",
                         label=rf"all facts memorised ($\varepsilon_{{\rm mem}} < {_fmt_tol(memorization_tol)}$)"),
                   Patch(facecolor="#d9d9d9", label="solver did not converge")]
        if not (~conv).any():
            handles = handles[:2]
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
        fig.suptitle(f"RAF phase diagram, {data['loss']} loss, "
                     rf"$\lambda = {float(data['lam']):g}$")
    return fig


def plot_grid_heatmap(xs, ys, z, *, x: str, y: str, z_name: str = "gen_error", title: str = ""):
    """Heat map of one output over two swept parameters (the ``raf phase-diagram`` command).

    Parameters
    ----------
    xs, ys : array
        Values of the horizontal and vertical parameters.
    z : array, shape (len(xs), len(ys))
        The output; NaN cells (no converged solution) are drawn grey.
    x, y : str
        Parameter names among ``alpha``, ``epsilon``, ``lam``, ``kappa`` (for the axis labels).
    z_name : str
        Output name (``gen_error``, ``mem_error``, ``rule_train_error``, ``train_loss``).
    title : str
        Figure title (the learner and the fixed parameters).

    Returns
    -------
    matplotlib.figure.Figure
    """
    z = np.asarray(z, float)
    is_error = z_name != "train_loss"
    with style_context():
        fig, axes = new_figure(1, 1, width=5.0, height=3.8)
        ax = axes[0, 0]
        vmax = _ERROR_MAX if is_error else (np.nanmax(z) if np.isfinite(z).any() else 1.0)
        mesh = _heatmap(ax, np.asarray(xs, float), np.asarray(ys, float), z, vmax=vmax)
        cbar = fig.colorbar(mesh, ax=ax)
        cbar.set_label(LABELS.get(z_name, z_name) + ("  (0.5 = chance)" if is_error else ""))
        ax.set_xlabel(LABELS.get(x, x))
        ax.set_ylabel(LABELS.get(y, y))
        if title:
            ax.set_title(title)
    return fig


def _fmt_tol(tol: float) -> str:
    exp = np.log10(tol)
    return rf"10^{{{int(exp)}}}" if float(exp).is_integer() else f"{tol:g}"


def _outline():
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=3.6, foreground="black")]


def _draw_threshold(ax, alpha, eps, alpha_c):
    ok = np.isfinite(alpha_c)
    ax.plot(alpha_c[ok], eps[ok], color="white", lw=2.0, ls="--", path_effects=_outline(), zorder=5)
    ax.set_xlim(alpha.min(), alpha.max())


def _mark_memorization(ax, alpha, eps, mem, tol):
    region = np.where(np.isfinite(mem), (mem < tol).astype(float), 0.0)
    if region.max() < 1:
        return
    import matplotlib

    with matplotlib.rc_context({"hatch.color": "white"}):
        cs = ax.contourf(alpha, eps, region.T, levels=[0.5, 1.5], colors="none", hatches=["////"])
    if hasattr(cs, "set_hatchcolor"):  # matplotlib >= 3.10 fixes the hatch colour per artist
        cs.set_hatchcolor("white")
    ax.contour(alpha, eps, region.T, levels=[0.5], colors="white", linewidths=1.0)


# --- gallery entries -------------------------------------------------------------------------------
_PHASE_LEARNERS = ("linear", "kernel", "rf:0.5", "rf:2")
_PHASE_GRID = {"alpha": [0.1, 5.0, 200], "epsilon": [0.0, 1.0, 101]}
# the logistic channel integrates a prox per quadrature node (about 30× the hinge's cost): coarser grid
_PHASE_GRIDS = {"square": _PHASE_GRID, "hinge": _PHASE_GRID, "squared_hinge": _PHASE_GRID,
                "logistic": {"alpha": [0.1, 5.0, 100], "epsilon": [0.0, 1.0, 51]}}
_PHASE_LAM = {"square": 1e-3, "hinge": 1e-3, "logistic": 1e-3, "squared_hinge": 1e-3}
_LOSS_NOTE = {
    "square": " (reached by the max-margin hinge learner; the square loss interpolates the training set "
              "only for α < 1, and its ε_gen peaks at the interpolation thresholds α = 1 (linear) and "
              "α = κ (random features))",
    "hinge": " (at λ = 0.001 the hinge learner is close to max-margin, so the hatched region ends near it)",
    "squared_hinge": " (the squared hinge vanishes for yz ≥ 1 like the hinge: as λ → 0 it tends to the "
                     "max-margin learner below the threshold)",
    "logistic": " (below it, the unregularised logistic loss has no finite minimiser; at λ = 0.001 the learner "
                "approaches the max-margin direction there)",
}


def _entry(loss: str) -> GalleryFigure:
    lam = _PHASE_LAM[loss]
    grid = _PHASE_GRIDS[loss]
    params = {"loss": loss, "learners": list(_PHASE_LEARNERS), **grid, "lam": lam,
              "activation": "sign", "margin": 0.0}
    a, e = grid["alpha"], grid["epsilon"]
    caption = (
        f"Saddle-point ε_gen (rule test error, left) and ε_mem (training error on the facts, right) of "
        f"the RAF model over α = n/d ∈ [{a[0]:g}, {a[1]:g}] ({a[2]} points) and fact fraction "
        f"ε ∈ [{e[0]:g}, {e[1]:g}] ({e[2]} points), {loss} loss, ridge λ = {lam:g}, for the linear "
        f"learner, the kernel with sign activation (arcsine kernel, μ⋆²/μ₁² = π/2 − 1) and random "
        f"features with sign activation at κ = p/d = 0.5 and 2. Dashed line on the linear panels: "
        f"separability threshold α_c(ε) (margin 0, spec §5.5) below which a linear classifier can fit "
        f"every fact{_LOSS_NOTE[loss]}. Hatched: ε_mem < {PERFECT_MEMORIZATION_TOL:g} (all facts memorised). Colour "
        f"scale 0 to 0.5 (chance) for both errors.")
    return GalleryFigure(name=f"raf_phase_{loss}", title=f"Phase diagram over (α, ε), {loss} loss",
                         caption=caption, producer="memtheory.studies.raf_phase:phase_diagrams",
                         params=params, plot=plot_phase_diagrams, group="raf")


GALLERY = [_entry("square"), _entry("hinge"), _entry("logistic"), _entry("squared_hinge")]
