"""The one plotting style of the gallery: colour-blind-safe colours, axis labels, figure sizes.

Colours are the Okabe–Ito palette (distinguishable under the common colour-vision deficiencies);
continuous maps are ``cividis``/``viridis`` (perceptually uniform, readable in greyscale). Every plotting
function of the gallery draws inside :func:`style_context` and labels its axes with :data:`LABELS`, so
the symbols (α = n/d, ε, λ, κ, μ⋆²/μ₁²) read the same in every figure.
"""

from __future__ import annotations

import contextlib

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "OKABE_ITO",
    "LEARNER_COLORS",
    "LOSS_STYLES",
    "REFERENCE_COLOR",
    "SEQUENTIAL_CMAP",
    "LABELS",
    "SHORT",
    "RC_PARAMS",
    "style_context",
    "new_figure",
    "learner_label",
    "learner_color",
    "rf_color",
    "panel_label",
    "log_edges",
    "loss_style",
    "ordered_colors",
    "sci_label",
    "outline",
]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}

LEARNER_COLORS = {
    "linear": OKABE_ITO["blue"],
    "kernel": OKABE_ITO["vermillion"],
    "rf": OKABE_ITO["green"],
    "bo": OKABE_ITO["black"],
}
# Loss is the second dimension of most RAF plots: it is told by the dash, the learner by the colour.
LOSS_STYLES = {"square": "-", "hinge": "--", "logistic": ":"}
# Reference lines (thresholds, Bayes-optimal, rates) share one neutral colour and differ by dash.
REFERENCE_COLOR = OKABE_ITO["black"]
SEQUENTIAL_CMAP = "cividis"

# Random-features curves at several κ: colour-blind-safe and distinct from the linear (blue) and
# kernel (vermillion) learners in the first four, so that no κ reads as another learner (orange is
# close to vermillion: it comes fifth).
_RF_SEQUENCE = ("#009E73", "#56B4E9", "#CC79A7", "#999999", "#E69F00", "#F0E442")

LABELS = {
    "alpha": r"$\alpha = n/d$  (samples per dimension)",
    "epsilon": r"$\varepsilon$  (fraction of facts)",
    "lam": r"$\lambda$  (ridge penalty)",
    "kappa": r"$\kappa = p/d$  (features per dimension)",
    "ratio": r"$\mu_\star^2/\mu_1^2$  (kernel identity / linear part)",
    "gen_error": r"$\varepsilon_{\rm gen}$  (rule test error)",
    "mem_error": r"$\varepsilon_{\rm mem}$  (training error on facts)",
    "rule_train_error": r"$\varepsilon_{\rm train}^{\rm rule}$  (training error on rule examples)",
    "train_loss": "training loss per sample",
}
SHORT = {
    "alpha": r"$\alpha$",
    "epsilon": r"$\varepsilon$",
    "lam": r"$\lambda$",
    "kappa": r"$\kappa$",
    "ratio": r"$\mu_\star^2/\mu_1^2$",
    "gen_error": r"$\varepsilon_{\rm gen}$",
    "mem_error": r"$\varepsilon_{\rm mem}$",
    "rule_train_error": r"$\varepsilon_{\rm train}^{\rm rule}$",
    "train_loss": "train loss",
}

RC_PARAMS = {
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "legend.fontsize": 8,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.prop_cycle": matplotlib.cycler(color=[OKABE_ITO[k] for k in
                                                ("blue", "vermillion", "green", "purple", "orange", "sky")]),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "lines.linewidth": 1.6,
    "lines.markersize": 5,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    "pdf.fonttype": 42,  # embed TrueType so the PDF text stays editable in papers
    "image.cmap": SEQUENTIAL_CMAP,
    "mathtext.fontset": "dejavusans",
}


@contextlib.contextmanager
def style_context():
    """Context manager applying :data:`RC_PARAMS` (restored on exit)."""
    with matplotlib.rc_context(RC_PARAMS):
        yield


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 3.4, height: float = 2.8, **kwargs):
    """Create a figure of ``nrows × ncols`` panels, each ``width × height`` inches, constrained layout.

    Must be called inside :func:`style_context`.
    """
    kwargs.setdefault("layout", "constrained")
    kwargs.setdefault("squeeze", False)
    return plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), **kwargs)


def learner_label(learner: str, loss: str | None = None, kappa: float | None = None) -> str:
    """Human-readable learner name, e.g. ``"kernel, hinge"`` or ``"RF κ=2, square"``."""
    names = {"linear": "linear", "kernel": "kernel", "rf": "RF", "bo": "Bayes-optimal"}
    text = names.get(learner, learner)
    if learner == "rf" and kappa is not None:
        text += rf"  $\kappa={kappa:g}$"
    if loss:
        text += f", {loss}"
    return text


def learner_color(learner: str) -> str:
    """Colour of a learner family (linear/kernel/rf/bo)."""
    return LEARNER_COLORS.get(learner, OKABE_ITO["grey"])


def loss_style(loss: str) -> str:
    """Line style of a loss (square solid, hinge dashed, logistic dotted)."""
    return LOSS_STYLES.get(str(loss), "-.")


def rf_color(index: int) -> str:
    """Colour of the ``index``-th random-features curve in a κ sweep."""
    return _RF_SEQUENCE[index % len(_RF_SEQUENCE)]


def panel_label(ax, text: str) -> None:
    """Write a bold panel letter ``text`` above the top-left corner (as a left title, so layout sees it)."""
    ax.set_title(text, loc="left", fontweight="bold")


def log_edges(centers) -> np.ndarray:
    """Cell edges (geometric midpoints) of log-spaced ``centers``, for ``pcolormesh(shading="flat")``."""
    c = np.log(np.asarray(centers, float))
    if c.size == 1:
        return np.exp(np.array([c[0] - 0.5, c[0] + 0.5]))
    mid = 0.5 * (c[1:] + c[:-1])
    return np.exp(np.concatenate([[2 * c[0] - mid[0]], mid, [2 * c[-1] - mid[-1]]]))


def ordered_colors(n: int, cmap: str = "viridis", lo: float = 0.0, hi: float = 0.85) -> list:
    """``n`` colours along a perceptually uniform map for an *ordered* parameter (K, N, σ, ...).

    The light yellow end of the map is cut off (``hi``) so that every curve stays visible on white.
    """
    import matplotlib

    return [matplotlib.colormaps[cmap](x) for x in np.linspace(lo, hi, max(int(n), 1))]


def sci_label(value: float, digits: int = 3) -> str:
    """Number as mathtext: ``2`` -> ``2``, ``1e4`` -> ``10^{4}``, ``2.5e-3`` -> ``2.5\\times10^{-3}``."""
    value = float(value)
    if value == 0 or 1e-2 <= abs(value) < 1e3:
        return f"{value:.{digits}g}"
    exp = int(np.floor(np.log10(abs(value))))
    mant = value / 10.0**exp
    if np.isclose(mant, 1.0):
        return rf"10^{{{exp}}}"
    return rf"{mant:.{digits}g}\times10^{{{exp}}}"


def outline(width: float = 3.0, color: str = "black"):
    """Path effect drawing a ``color`` halo around a line or text, so it reads on any background."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground=color)]
