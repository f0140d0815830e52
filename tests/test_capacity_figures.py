"""Capacity gallery entries and plot functions."""

import json

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from memtheory.figures import capacity_figures as cf  # noqa: E402
from memtheory.studies.capacity import p_star_curves  # noqa: E402


def test_gallery_entries_are_well_formed():
    names = [g.name for g in cf.GALLERY]
    assert len(names) == len(set(names)) == 5
    for g in cf.GALLERY:
        assert g.group == "capacity"
        json.dumps(dict(g.params))
        module, _, fn = g.producer.partition(":")
        assert module.startswith(("memtheory.studies.", "memtheory.simulations.")) and fn


def test_p_star_figure():
    d = p_star_curves(values=[2, 1e7], n_points=11)
    assert d["p_star"].shape == (2, 11)
    assert np.all(d["p_star"] >= d["subset_accuracy"] - 1e-12)
    fig = cf.plot_p_star(d)
    assert len(fig.axes[0].lines) == 4  # p* and the subset accuracy for each K
    assert len(fig.axes[1].lines) == 2  # their difference for each K
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert r"$K = 10^{7}$" in labels and len(set(labels)) == len(labels)


def test_gardner_figure():
    pytest.importorskip("memtheory.solvers.raf")
    from memtheory.studies.capacity import gardner_bridge_curves

    d = gardner_bridge_curves(alpha_max=4.0, n_points=8, epsilons=[1.0, 0.5], rf_kappa=[2.0])
    assert d["bits_per_param_at_alpha_c"] == 2.0
    # cell-centred grid: α = 0.25, 0.75, ..., 3.75; max-margin interpolates below 2
    assert np.allclose(d["linear_hinge_maxmargin__bits_per_param"][:4], [0.25, 0.75, 1.25, 1.75])
    fig = cf.plot_gardner_bridge(d)
    assert len(fig.axes) >= 2


def test_sweep_figures():
    pytest.importorskip("torch")
    from memtheory.studies.capacity_experiment import capacity_sweep

    params = json.loads(json.dumps(cf.SWEEP_PARAMS))
    params.update(n_values=16, n_facts=[30, 90], train={"exposures": 4000, "batch": 128, "lr": 1e-2, "n_evals": 2},
                  model={"key_dim": 8, "width": 8, "depth": 1}, ablations=False)
    d = capacity_sweep(**params)
    for plot in (cf.plot_facts_vs_n, cf.plot_bits_vs_n, cf.plot_training_history):
        fig = plot(d)
        assert fig.axes and any(ax.lines for ax in fig.axes)
