"""Plotting functions of the RAF gallery, on small synthetic data (no saddle-point solver needed).

The synthetic errors use the closed-form linear ridge solution of docs/theory/raf.md §3.2, so the pictures have the
right qualitative shape; the tests only check that each function returns a figure with labelled axes.
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest
from scipy.special import erfc

matplotlib.use("Agg")

from memtheory.figures import raf_kernel_geometry, raf_learning_curves, raf_phase, raf_random_features, raf_tradeoff  # noqa: E402


def ridge_errors(alpha, epsilon, lam):
    """Closed-form (ε_gen, ε_mem) of square-loss linear ridge on RAF data (docs/theory/raf.md §3.2), broadcasting."""
    alpha, epsilon, lam = np.broadcast_arrays(*(np.asarray(x, float) for x in (alpha, epsilon, lam)))
    c = (1 - epsilon) * math.sqrt(2 / math.pi)
    b = lam + alpha - 1
    V = (-b + np.sqrt(b**2 + 4 * lam)) / (2 * lam)
    m = alpha * c * V / (1 + V)
    q = V**2 * (alpha**2 * c**2 + alpha * (1 - 2 * c * m)) / ((1 + V) ** 2 - alpha * V**2)
    gen = np.arccos(np.clip(m / np.sqrt(q), -1, 1)) / math.pi
    mem = 0.5 * erfc(V / np.sqrt(q) / math.sqrt(2))
    return gen, mem


def synthetic_phase(n_alpha=12, n_eps=7, learners=("linear", "kernel", "rf"), kappas=(np.nan, np.nan, 2.0)):
    alpha = np.linspace(0.2, 5, n_alpha)
    eps = np.linspace(0, 1, n_eps)
    gen, mem = ridge_errors(alpha[:, None], eps[None, :], 0.05)
    scale = np.arange(1, len(learners) + 1)[:, None, None]
    conv = np.ones((len(learners), n_alpha, n_eps), bool)
    conv[-1, -1, -1] = False
    a_c = np.where(eps > 0, 2 + 1.0 / np.maximum(eps, 1e-9) ** 0.6 - 1, np.inf)
    return {"alpha": alpha, "epsilon": eps, "learner": np.array(learners), "kappa": np.array(kappas),
            "gen_error": np.broadcast_to(gen, conv.shape) * 1.0, "mem_error": mem[None] ** scale * 1.0,
            "converged": conv, "alpha_c": a_c, "lam": 0.05, "loss": "square", "margin": 0.0}


def synthetic_tradeoff(n=15):
    lam = np.logspace(-3, 1.5, n)
    learners = ["linear", "kernel", "rf", "rf"]
    kappas = [np.nan, np.nan, 0.5, 2.0]
    gen = np.empty((2, 4, n))
    mem = np.empty_like(gen)
    for s in range(2):
        for j in range(4):
            g, m = ridge_errors(2.0, 0.2, lam * (j + 1) * (s + 1))
            gen[s, j], mem[s, j] = g + 0.01 * j, m / (j + 1)
    i = np.nanargmin(gen, axis=2)
    pick = np.take_along_axis
    return {"lam": lam, "loss": np.array(["square", "hinge"]), "learner": np.array(learners),
            "kappa": np.array(kappas), "gen_error": gen, "mem_error": mem,
            "lam_opt": lam[i], "gen_opt": pick(gen, i[..., None], 2)[..., 0],
            "mem_opt": pick(mem, i[..., None], 2)[..., 0], "gen_lam0": gen[..., 0] + 0.02,
            "mem_lam0": np.where(np.arange(4) > 0, 0.0, np.nan)[None].repeat(2, 0), "bo_gen": 0.243,
            "alpha": 2.0, "epsilon": 0.2}


def synthetic_curves(n=10):
    alpha = np.logspace(-0.5, 2, n)
    eps = np.array([0.0, 0.2])
    curves = np.array(["linear:square", "linear:hinge", "kernel:square"])
    gen = np.stack([np.stack([ridge_errors(alpha, e, 0.57)[0] * (1 - 0.05 * j) for j in range(3)]) for e in eps])
    bo = np.stack([0.44 / (alpha + 1) * (1 + e) for e in eps])
    return {"alpha": alpha, "epsilon": eps, "curve": curves, "gen_error": gen,
            "mem_error": np.zeros_like(gen), "lam_opt": np.ones_like(gen), "bo_gen": bo}


def synthetic_geometry(n_r=15, n_lam=11):
    ratio = np.logspace(-2, 1, n_r)
    lam = np.logspace(-4, 1, n_lam)
    boundary = math.pi / (2 * 0.8**2) - 1
    mu1_sq = 2 / math.pi
    lam_eff = (lam[None, :] + ratio[:, None] * mu1_sq) / mu1_sq
    gen = ridge_errors(2.0, 0.2, lam_eff)[0]
    mem = 0.5 * erfc(ratio[:, None] / lam[None, :] / 3)
    gen0 = ridge_errors(2.0, 0.2, ratio)[0]
    best = np.fmin(gen.min(axis=1), gen0)
    lam_opt = np.where(ratio < boundary, mu1_sq * (boundary - ratio), 0.0)
    return {"ratio": ratio, "lam": lam, "gen_error": gen, "mem_error": mem, "gen_lam0": gen0,
            "mem_lam0": np.zeros(n_r), "lam_opt": lam_opt, "gen_opt": best,
            "mem_opt": np.where(ratio < boundary, 0.01 * (boundary - ratio), 0.0),
            "memorizes": mem <= 1e-3, "optimal": gen - best[:, None] <= 1e-3,
            "memorizes_lam0": np.ones(n_r, bool), "optimal_lam0": gen0 - best <= 1e-3,
            "boundary": boundary, "alpha": 2.0, "epsilon": 0.2, "loss": "square", "mu1_sq": mu1_sq,
            "mem_tol": 1e-3, "gen_tol": 1e-3}


def synthetic_rf(n=12):
    kappa = np.logspace(-1, 2, n)
    gen = np.stack([0.25 + 0.15 / (1 + kappa), 0.26 + 0.14 / (1 + kappa)])
    mem = np.stack([0.3 / (1 + kappa**2), 0.3 / (1 + kappa**3)])
    return {"kappa": kappa, "loss": np.array(["square", "hinge"]), "gen_error": gen, "mem_error": mem,
            "kernel_gen": np.array([0.25, 0.251]), "kernel_mem": np.array([0.0, 0.0]),
            "linear_gen": np.array([0.268, 0.269]), "linear_mem": np.array([0.168, 0.147]),
            "bo_gen": 0.243, "alpha": 2.0, "epsilon": 0.2, "lam": 0.1}


CASES = {
    "phase": (raf_phase.plot_phase_diagrams, synthetic_phase),
    "tradeoff": (raf_tradeoff.plot_tradeoff, synthetic_tradeoff),
    "curves": (raf_learning_curves.plot_learning_curves, synthetic_curves),
    "geometry": (raf_kernel_geometry.plot_kernel_geometry, synthetic_geometry),
    "rf": (raf_random_features.plot_rf_kappa, synthetic_rf),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_plot_returns_labelled_figure(case, tmp_path):
    import matplotlib.pyplot as plt

    plot, make = CASES[case]
    fig = plot(make())
    try:
        assert isinstance(fig, matplotlib.figure.Figure)
        labelled = [ax for ax in fig.axes if ax.get_xlabel() or ax.get_ylabel()]
        assert labelled, "no axis carries a label"
        fig.savefig(tmp_path / f"{case}.png", dpi=40)
        assert (tmp_path / f"{case}.png").stat().st_size > 1000
    finally:
        plt.close(fig)


@pytest.mark.parametrize("loss", ["square", "hinge"])
def test_phase_draws_each_losss_own_threshold(loss):
    """Square loss: interpolation thresholds α = 1 (linear) and α = κ (random features), none for the
    kernel; hinge/logistic: the separability threshold α_c(ε) on the linear panels only."""
    import matplotlib.pyplot as plt

    data = synthetic_phase()
    data["loss"] = loss
    fig = raf_phase.plot_phase_diagrams(data)
    try:
        lines = {}
        for ax in fig.axes:
            if ax.get_title():
                lines[ax.get_title().split(":")[0]] = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
        legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
        if loss == "square":
            assert np.allclose(lines["linear"][0].get_xdata(), 1.0)
            assert np.allclose(lines[[k for k in lines if k.startswith("RF")][0]][0].get_xdata(), 2.0)
            assert not lines["kernel"]
            assert "interpolation" in legend and "separability" not in legend
        else:
            assert lines["linear"] and not lines["kernel"]
            assert all(not v for k, v in lines.items() if k.startswith("RF"))
            assert "separability" in legend and "interpolation" not in legend
    finally:
        plt.close(fig)


def test_phase_leaves_zero_facts_out_of_the_memorization_hatching():
    import matplotlib.pyplot as plt

    data = synthetic_phase()
    data["mem_error"][:] = 0.0  # everything memorised, ε = 0 included in the data
    fig = raf_phase.plot_phase_diagrams(data)
    try:
        mem_axes = [ax for ax in fig.axes if "rm mem" in ax.get_title()]
        from matplotlib.collections import QuadMesh
        from matplotlib.contour import ContourSet

        assert mem_axes
        for ax in mem_axes:
            hatch = [c for c in ax.collections if isinstance(c, ContourSet) and c.get_paths()]
            assert hatch, "the memorised region must be drawn"
            ys = np.concatenate([p.vertices[:, 1] for c in hatch for p in c.get_paths() if len(p.vertices)])
            mesh = [c for c in ax.collections if isinstance(c, QuadMesh)][0]
            assert mesh.get_coordinates()[..., 1].min() > 0.0
            assert ys.min() > 0.0, "ε = 0 (no facts) must not be drawn as memorised"
    finally:
        plt.close(fig)


def test_phase_handles_all_nan_learner():
    import matplotlib.pyplot as plt

    data = synthetic_phase()
    data["mem_error"] = np.full_like(data["mem_error"], np.nan)
    fig = raf_phase.plot_phase_diagrams(data)
    plt.close(fig)


def test_kernel_geometry_classify_codes():
    codes = raf_kernel_geometry.classify([[True, False], [True, False]], [[True, True], [False, False]])
    assert codes.tolist() == [[3, 2], [1, 0]]
    assert [c for c, _ in raf_kernel_geometry.CATEGORIES][3] == "both"


def test_rate_guide_passes_through_anchor():
    alpha = np.array([1.0, 10.0, 100.0])
    g = raf_learning_curves.rate_guide(alpha, 100.0, 0.01, -0.5)
    assert g[-1] == pytest.approx(0.01)
    assert g[0] == pytest.approx(0.1)


def test_gallery_entries_are_consistent():
    from memtheory.figures.registry import GalleryFigure

    for module in (raf_phase, raf_tradeoff, raf_learning_curves, raf_kernel_geometry, raf_random_features):
        for fig in module.GALLERY:
            assert isinstance(fig, GalleryFigure)
            assert fig.producer.startswith("memtheory.studies.")
            assert fig.group == "raf"
            # every parameter value named in the caption must be the one in params
            assert fig.caption and len(fig.caption) > 80
