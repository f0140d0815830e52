"""Gallery contract of figures/posterior_figures.py, with small producer runs; producers are deterministic."""

import importlib

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from memtheory.figures import posterior_figures as pf  # noqa: E402
from memtheory.figures.registry import GalleryFigure  # noqa: E402
from memtheory.studies import posterior as studies  # noqa: E402

SMALL = {
    "stylized_1d_panels": dict(n_grid=200),
    "stylized_2d_panels": dict(n_grid=60),
    "effective_modes_sweep": dict(n_trains=[3, 10], n_sigma=6),
    "helmholtz_study": dict(n_trains=[12, 20], sigma_mins=[0.01, 1.0], n=16, K=3, n_samples=24, n_show=2),
}


_CACHE: dict = {}


def _produce(func: str, params=None):
    """Producer output at the gallery params shrunk by SMALL, computed once per module (plots share it)."""
    if func not in _CACHE:
        _CACHE[func] = getattr(studies, func)(**{**(params or {}), **SMALL[func]})
    return _CACHE[func]


def test_gallery_entries_are_well_formed():
    names = [g.name for g in pf.GALLERY]
    assert len(set(names)) == len(names) == 4
    for g in pf.GALLERY:
        assert isinstance(g, GalleryFigure) and g.group == "posterior"
        module, func = g.producer.split(":")
        assert callable(getattr(importlib.import_module(module), func))
        assert func in SMALL


@pytest.mark.parametrize("entry", pf.GALLERY, ids=lambda g: g.name)
def test_plots_render_from_small_producer_runs(entry):
    func = entry.producer.split(":")[1]
    fig = entry.plot(_produce(func, entry.params))
    assert isinstance(fig, matplotlib.figure.Figure)
    matplotlib.pyplot.close(fig)


def test_producers_deterministic_and_consistent():
    params = next(g.params for g in pf.GALLERY if g.producer.endswith(":helmholtz_study"))
    a = _produce("helmholtz_study", params)
    b = studies.helmholtz_study(**{**params, **SMALL["helmholtz_study"]})
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    s = _produce("stylized_1d_panels")
    # §11 values reproduced by the producer
    np.testing.assert_allclose(s["w_linearized"][0], [0.0572, 0.4174, 0.4174, 0.0983, 0.0097], atol=5e-5)
    np.testing.assert_allclose(s["w_exact"][1], [0.0006, 0.4953, 0.4953, 0.0087, 0.0], atol=5e-5)
    m = _produce("effective_modes_sweep")
    # limits: many effective modes at large sigma (-> N), few at small sigma
    assert np.all(m["modes_exact"][:, 0] < m["modes_exact"][:, -1])
    np.testing.assert_allclose(m["modes_exact"][:, -1], m["n_trains"], rtol=0.05)
