"""Figure 1: RAF phase diagrams over (α, ε): ε_gen and ε_mem heat maps for each learner, one loss each."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from memtheory.figures.registry import GalleryFigure
from memtheory.figures.style import (LABELS, SEQUENTIAL_CMAP, SHORT, learner_label, new_figure, outline,
                                     style_context)

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

    Each learner gets the threshold of its own loss: for the square loss the interpolation threshold
    (α = 1 linear, α = κ random features; the kernel interpolates at every α), for the hinge and
    logistic losses the separability threshold α_c(ε) of the linear learner. ε = 0 (no facts) is
    left out of the ε_mem panels.

    Parameters
    ----------
    data : dict
        Output of :func:`memtheory.studies.raf_phase.phase_diagrams`: ``alpha`` (A,), ``epsilon`` (E,),
        ``learner``/``kappa`` (L,), ``gen_error``/``mem_error``/``converged`` (L, A, E), ``alpha_c`` (E,),
        ``lam``, ``loss``.
    memorization_tol : float
        ε_mem threshold of the hatched "all facts memorised" region (drawn as the interpolated contour
        ε_mem = tol, so a coarse grid gives a smooth edge).

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
    loss = str(data["loss"])
    facts = eps > 0  # ε = 0 has no facts: ε_mem is undefined there
    n = len(learners)
    drawn: set[str] = set()
    with style_context():
        fig, axes = new_figure(n, 2, width=3.3, height=2.35, sharex=True, sharey=True)
        for i in range(n):
            kappa = None if not np.isfinite(kappas[i]) else kappas[i]
            learner = str(learners[i])
            name = learner_label(learner, kappa=kappa)
            for j, (z, key) in enumerate(((gen[i], "gen_error"), (mem[i], "mem_error"))):
                ax = axes[i, j]
                if j == 0:
                    mesh = _heatmap(ax, alpha, eps, z)
                    if _gen_contours(ax, alpha, eps, z):
                        drawn.add("contours")
                else:
                    _heatmap(ax, alpha, eps[facts], z[:, facts])
                    if _mark_memorization(ax, alpha, eps[facts], z[:, facts], memorization_tol):
                        drawn.add("memorised")
                ax.set_title(f"{name}: {SHORT[key]}")
                kind = _draw_threshold(ax, loss, learner, kappa, eps, alpha_c)
                if kind:
                    drawn.add(kind)
                if i == n - 1:
                    ax.set_xlabel(LABELS["alpha"])
                if j == 0:
                    ax.set_ylabel(LABELS["epsilon"])
                ax.set_xlim(alpha.min(), alpha.max())
                ax.set_ylim(eps.min(), eps.max())
        cbar = fig.colorbar(mesh, ax=axes, shrink=0.6, aspect=30, pad=0.02, extend="neither")
        cbar.set_label(r"error $\varepsilon_{\rm gen}$ or $\varepsilon_{\rm mem}$  (0.5 = chance)")
        handles = []
        if "separability" in drawn:
            handles.append(Line2D([], [], color="white", lw=2.2, ls="--", path_effects=outline(3.6),
                                  label=r"separability threshold $\alpha_c(\varepsilon)$ (linear)"))
        if "interpolation" in drawn:
            handles.append(Line2D([], [], color="white", lw=2.2, ls="--", path_effects=outline(3.6),
                                  label=r"interpolation threshold $\alpha = 1$ (linear), $\alpha = \kappa$ (RF)"))
        if "memorised" in drawn:
            handles.append(Patch(facecolor=_cmap_colors()[0], edgecolor="white", hatch="////",
                                 label=rf"all facts memorised ($\varepsilon_{{\rm mem}} < {_fmt_tol(memorization_tol)}$)"))
        if "contours" in drawn:
            handles.append(Line2D([], [], color="black", lw=0.8,
                                  label=r"$\varepsilon_{\rm gen}$ contours (labelled)"))
        if (~conv).any():
            handles.append(Patch(facecolor="#d9d9d9", label="solver did not converge"))
        fig.legend(handles=handles, loc="outside lower center", ncols=2)
        fig.suptitle(f"RAF phase diagram, {loss} loss, "
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


# ε_gen levels labelled on the generalization panels: the shared 0–0.5 colour scale alone shows
# the random-features panels as almost one colour.
GEN_CONTOUR_LEVELS = (0.2, 0.3, 0.35, 0.4, 0.45)


def _gen_contours(ax, alpha, eps, gen) -> bool:
    z = np.ma.masked_invalid(gen).T
    if z.count() < 4:
        return False
    lo, hi = np.nanmin(gen), np.nanmax(gen)
    levels = [v for v in GEN_CONTOUR_LEVELS if lo < v < hi]
    if not levels:
        return False
    cs = ax.contour(alpha, eps, z, levels=levels, colors="black", linewidths=0.7)
    ax.clabel(cs, fmt=lambda v: f"{v:g}", fontsize=6.5, inline=True, inline_spacing=2)
    return True


def _draw_threshold(ax, loss, learner, kappa, eps, alpha_c) -> str:
    """Draw the threshold of this learner's loss on ``ax``; return its kind ("" when none applies)."""
    style = dict(color="white", lw=2.0, ls="--", path_effects=outline(3.6), zorder=5)
    if loss == "square":
        # λ → 0 square loss fits every training label iff there are at least as many parameters as
        # samples: α ≤ 1 (linear), α ≤ κ (random features); the kernel interpolates at every α.
        at = 1.0 if learner == "linear" else (kappa if learner == "rf" and kappa is not None else None)
        if at is None:
            return ""
        ax.axvline(at, **style)
        return "interpolation"
    if learner != "linear":
        return ""
    ok = np.isfinite(alpha_c)
    ax.plot(alpha_c[ok], eps[ok], **style)
    return "separability"


def _mark_memorization(ax, alpha, eps, mem, tol) -> bool:
    if not (np.isfinite(mem) & (mem < tol)).any():
        return False
    import matplotlib

    # Contour of log10 ε_mem at log10 tol: linear interpolation between grid points gives a smooth
    # edge even on a coarse grid (a 0/1 mask would give a staircase).
    floor = 1e-300
    z = np.ma.masked_invalid(np.log10(np.clip(mem, floor, None))).T
    levels = [np.log10(floor) - 1, np.log10(tol)]
    with matplotlib.rc_context({"hatch.color": "white"}):
        cs = ax.contourf(alpha, eps, z, levels=levels, colors="none", hatches=["////"])
    if hasattr(cs, "set_hatchcolor"):  # matplotlib >= 3.10 fixes the hatch colour per artist
        cs.set_hatchcolor("white")
    ax.contour(alpha, eps, z, levels=[np.log10(tol)], colors="white", linewidths=1.0)
    return True


# --- gallery entries -------------------------------------------------------------------------------
_PHASE_LEARNERS = ("linear", "kernel", "rf:0.5", "rf:2")
_PHASE_GRID = {"alpha": [0.1, 5.0, 200], "epsilon": [0.0, 1.0, 101]}
# the logistic channel integrates a prox per quadrature node (about 30× the hinge's cost): coarser grid
_PHASE_GRIDS = {"square": _PHASE_GRID, "hinge": _PHASE_GRID, "squared_hinge": _PHASE_GRID,
                "logistic": {"alpha": [0.1, 5.0, 100], "epsilon": [0.0, 1.0, 51]}}
_PHASE_LAM = {"square": 1e-3, "hinge": 1e-3, "logistic": 1e-3, "squared_hinge": 1e-3}
_THRESHOLD_NOTE = {
    "square": ("Dashed lines: interpolation thresholds of the square loss, α = 1 on the linear panels and "
               "α = κ on the random-features panels, below which the λ → 0 square-loss learner fits every "
               "training label (the kernel interpolates at every α shown); ε_gen peaks there."),
    "hinge": ("Dashed line on the linear panels: separability threshold α_c(ε) (margin {margin:g}), below "
              "which a linear classifier can fit every fact; at λ = {lam:g} the hinge learner is close to "
              "max-margin, so the hatched region ends near it."),
    "squared_hinge": ("Dashed line on the linear panels: separability threshold α_c(ε) (margin {margin:g}), "
                      "below which a linear classifier can fit every fact; the squared hinge vanishes for yz ≥ 1 "
                      "like the hinge, so at λ = {lam:g} the learner is close to max-margin below it."),
    "logistic": ("Dashed line on the linear panels: separability threshold α_c(ε) (margin {margin:g}), below "
                 "which a linear classifier can fit every fact and the unregularised logistic loss has no "
                 "finite minimiser; at λ = {lam:g} the learner approaches the max-margin direction there."),
}


def _entry(loss: str) -> GalleryFigure:
    lam = _PHASE_LAM.get(loss, 1e-3)
    grid = _PHASE_GRIDS.get(loss, _PHASE_GRID)
    params = {"loss": loss, "learners": list(_PHASE_LEARNERS), **grid, "lam": lam,
              "activation": "sign", "margin": 0.0}
    a, e = grid["alpha"], grid["epsilon"]
    levels = ", ".join(f"{v:g}" for v in GEN_CONTOUR_LEVELS)
    caption = (
        f"Saddle-point ε_gen (rule test error, left) and ε_mem (training error on the facts, right) of "
        f"the RAF model over α = n/d ∈ [{a[0]:g}, {a[1]:g}] ({a[2]} points) and fact fraction "
        f"ε ∈ [{e[0]:g}, {e[1]:g}] ({e[2]} points), {loss} loss, ridge λ = {lam:g}, for the linear "
        f"learner, the kernel with sign activation (arcsine kernel, μ⋆²/μ₁² = π/2 − 1) and random "
        f"features with sign activation at κ = p/d = 0.5 and 2. "
        + _THRESHOLD_NOTE.get(loss, _THRESHOLD_NOTE["hinge"].replace("hinge", loss)).format(
            margin=params["margin"], lam=lam)
        + f" Hatched: ε_mem < {PERFECT_MEMORIZATION_TOL:g} (all facts memorised), bounded by the contour "
        f"ε_mem = {PERFECT_MEMORIZATION_TOL:g} interpolated in log ε_mem between grid points; ε = 0 (no facts, "
        f"ε_mem undefined) is left out of the ε_mem panels. Black labelled contours on the ε_gen panels at "
        f"ε_gen = {levels}. Colour scale 0 to 0.5 (chance) for both errors.")
    return GalleryFigure(name=f"raf_phase_{loss}", title=f"Phase diagram over (α, ε), {loss} loss",
                         caption=caption, producer="memtheory.studies.raf_phase:phase_diagrams",
                         params=params, plot=plot_phase_diagrams, group="raf",
                         data_keys=("alpha", "epsilon", "learner", "kappa", "gen_error", "mem_error",
                                    "converged", "alpha_c", "lam", "loss", "margin"))


GALLERY = [_entry("square"), _entry("hinge"), _entry("logistic"), _entry("squared_hinge")]
