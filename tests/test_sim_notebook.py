"""``notebooks/02_theory_vs_simulation.ipynb`` runs top to bottom; the notebook asserts its own results
(convergence flags of every simulation, the network storing all facts)."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_theory_vs_simulation.ipynb"


def test_theory_vs_simulation_notebook_executes():
    pytest.importorskip("torch")
    pytest.importorskip("memtheory.solvers.raf")
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 2
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "plateau reached: [True, True, True, True]" in text
