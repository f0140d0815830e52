"""The gallery runner and its cache: hits and misses, --only, index.html, skipped modules, failures."""

from __future__ import annotations

import json
import sys
import textwrap

import numpy as np
import pytest

from memtheory.figures.gallery import collect_figures, run_gallery, select_figures
from memtheory.core.cache import DiskCache, cache_key, normalize_data

FAKE_MODULE = textwrap.dedent('''
    """A throw-away figure module with a producer that counts its calls in a file."""
    import os
    from pathlib import Path

    import matplotlib.pyplot as plt
    import numpy as np

    from memtheory.figures.registry import GalleryFigure

    def produce(n, scale, fail=False):
        if fail:
            raise ValueError("boom: producer failed on purpose")
        with open(Path(os.environ["FAKE_GALLERY_COUNTER"]), "a") as f:
            f.write("x")
        x = np.linspace(0, 1, int(n))
        return {"x": x, "y": scale * x**2, "label": "parabola", "scale": scale}


    def plot(data):
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.plot(data["x"], data["y"], label=data["label"])
        ax.set_xlabel("x")
        return fig


    GALLERY = [
        GalleryFigure(name="fake_a", title="Fake A <parabola>", caption="Parabola with scale 2 & n 5.",
                      producer="fake_fig_mod:produce", params={"n": 5, "scale": 2.0}, plot=plot,
                      group="g1"),
        GalleryFigure(name="fake_b", title="Fake B", caption="Parabola with scale 3.",
                      producer="fake_fig_mod:produce", params={"n": 7, "scale": 3.0}, plot=plot,
                      group="g2"),
        GalleryFigure(name="fake_same", title="Fake A again", caption="Same data as A.",
                      producer="fake_fig_mod:produce", params={"scale": 2, "n": 5}, plot=plot,
                      group="g2"),
    ]

    def plot_pair(data):
        assert set(data) >= {"x", "y", "other_x", "other_y", "other_scale"}
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.plot(data["x"], data["y"])
        ax.plot(data["other_x"], data["other_y"])
        return fig

    WITH_INPUTS = [GalleryFigure(name="fake_pair", title="Pair", caption="Two producers.",
                                 producer="fake_fig_mod:produce", params={"n": 5, "scale": 2.0},
                                 plot=plot_pair, group="g4",
                                 inputs={"other": ("fake_fig_mod:produce", {"n": 4, "scale": 5.0})})]
''')

FAILING_MODULE = textwrap.dedent('''
    import numpy as np
    from memtheory.figures.registry import GalleryFigure
    import fake_fig_mod

    GALLERY = [GalleryFigure(name="fake_fail", title="Fails", caption="Producer raises.",
                             producer="fake_fig_mod:produce", params={"n": 3, "scale": 1.0, "fail": True},
                             plot=fake_fig_mod.plot, group="g3")]
''')

OPTIONAL_DEP_MODULE = "import torch_like_optional_dependency_xyz  # noqa: F401\nGALLERY = []\n"


@pytest.fixture
def fake_modules(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    (src / "fake_fig_mod.py").write_text(FAKE_MODULE)
    (src / "fake_fail_mod.py").write_text(FAILING_MODULE)
    (src / "fake_optional_mod.py").write_text(OPTIONAL_DEP_MODULE)
    counter = tmp_path / "calls.txt"
    counter.write_text("")
    monkeypatch.setenv("FAKE_GALLERY_COUNTER", str(counter))
    monkeypatch.syspath_prepend(str(src))
    for name in ("fake_fig_mod", "fake_fail_mod", "fake_optional_mod"):
        monkeypatch.delitem(sys.modules, name, raising=False)  # each test imports its own copy
    return {"counter": counter, "cache": tmp_path / "cache", "out": tmp_path / "out"}


def _calls(env) -> int:
    return len(env["counter"].read_text())


def test_cache_miss_then_hit(fake_modules):
    env = fake_modules
    kw = dict(modules=["fake_fig_mod"], cache_dir=env["cache"], jobs=1, progress=False)
    first = run_gallery(env["out"], **kw)
    assert [o.status for o in first.outcomes] == ["computed", "computed", "computed"]
    # fake_same has the same producer and parameters as fake_a: computed once
    assert _calls(env) == 2
    second = run_gallery(env["out"], **kw)
    assert [o.status for o in second.outcomes] == ["cached", "cached", "cached"]
    assert _calls(env) == 2
    third = run_gallery(env["out"], refresh=True, **kw)
    assert {o.status for o in third.outcomes} == {"computed"}
    assert _calls(env) == 4


def test_outputs_and_index(fake_modules):
    env = fake_modules
    report = run_gallery(env["out"], modules=["fake_fig_mod"], cache_dir=env["cache"], jobs=1, progress=False)
    out = env["out"]
    for name in ("fake_a", "fake_b", "fake_same"):
        for ext in ("png", "pdf", "npz", "csv"):
            assert (out / f"{name}.{ext}").stat().st_size > 0
    index = (out / "index.html").read_text()
    assert "Fake A &lt;parabola&gt;" in index  # titles are HTML-escaped
    assert "Parabola with scale 2 &amp; n 5." in index
    assert "<img src='fake_a.png'" in index and "fake_b.pdf" in index and "fake_a.npz" in index
    assert "fake_fig_mod:produce" in index and "<th>scale</th><td>3.0</td>" in index
    data = np.load(out / "fake_b.npz")
    np.testing.assert_allclose(data["y"], 3.0 * np.linspace(0, 1, 7) ** 2)
    csv_text = (out / "fake_b.csv").read_text().splitlines()
    assert csv_text[0].startswith("# label = parabola") and "x,y" in csv_text
    manifest = json.loads((out / "manifest.json").read_text())
    assert [f["name"] for f in manifest["figures"]] == ["fake_a", "fake_b", "fake_same"]
    assert report.index == out / "index.html"


def test_only_filters_by_name_group_and_pattern(fake_modules):
    figures, _ = collect_figures(["fake_fig_mod"])
    assert [f.name for f in select_figures(figures, ["fake_b"])] == ["fake_b"]
    assert [f.name for f in select_figures(figures, ["g2"])] == ["fake_b", "fake_same"]
    assert [f.name for f in select_figures(figures, ["fake_*"])] == ["fake_a", "fake_b", "fake_same"]
    assert len(select_figures(figures, None)) == 3
    env = fake_modules
    report = run_gallery(env["out"], only=["fake_b"], modules=["fake_fig_mod"], cache_dir=env["cache"],
                         jobs=1, progress=False)
    assert [o.figure.name for o in report.outcomes] == ["fake_b"]
    assert not (env["out"] / "fake_a.png").exists()
    # after a full run, a partial rerun keeps the other figures in the index
    run_gallery(env["out"], modules=["fake_fig_mod"], cache_dir=env["cache"], jobs=1, progress=False)
    run_gallery(env["out"], only=["fake_b"], modules=["fake_fig_mod"], cache_dir=env["cache"], jobs=1,
                progress=False)
    index = (env["out"] / "index.html").read_text()
    assert "id='fake_a'" in index and "data from an earlier run" in index


def test_unknown_name_is_value_error(fake_modules):
    figures, _ = collect_figures(["fake_fig_mod"])
    with pytest.raises(ValueError, match="unknown figure 'nope'.*fake_a"):
        select_figures(figures, ["nope"])
    with pytest.raises(ValueError, match="jobs"):
        run_gallery(fake_modules["out"], modules=["fake_fig_mod"], jobs=0, progress=False)


def test_missing_and_optional_modules(fake_modules):
    figures, notes = collect_figures(["fake_fig_mod", "memtheory.figures.does_not_exist_yet", "fake_optional_mod"])
    assert len(figures) == 3
    assert len(notes) == 1 and "fake_optional_mod" in notes[0] and "torch_like_optional" in notes[0]


def test_failed_producer_does_not_stop_the_gallery(fake_modules):
    env = fake_modules
    report = run_gallery(env["out"], modules=["fake_fig_mod", "fake_fail_mod"], cache_dir=env["cache"],
                         jobs=1, progress=False)
    status = {o.figure.name: o.status for o in report.outcomes}
    assert status == {"fake_a": "computed", "fake_b": "computed", "fake_same": "computed", "fake_fail": "failed"}
    assert "boom" in report.failed[0].error
    assert "Not produced" in (env["out"] / "index.html").read_text()


def test_process_pool_computes_misses(fake_modules):
    env = fake_modules
    report = run_gallery(env["out"], modules=["fake_fig_mod"], cache_dir=env["cache"], jobs=2, progress=False)
    assert [o.status for o in report.outcomes] == ["computed"] * 3
    assert _calls(env) == 2


def test_inputs_are_merged_and_cached_separately(fake_modules, monkeypatch):
    import fake_fig_mod

    monkeypatch.setattr(fake_fig_mod, "GALLERY", fake_fig_mod.GALLERY + fake_fig_mod.WITH_INPUTS)
    env = fake_modules
    kw = dict(only=["fake_a", "fake_pair"], modules=["fake_fig_mod"], cache_dir=env["cache"], jobs=1, progress=False)
    report = run_gallery(env["out"], **kw)
    assert [o.status for o in report.outcomes] == ["computed", "computed"]
    assert _calls(env) == 2  # fake_pair's main call is fake_a's: only its input is new
    data = np.load(env["out"] / "fake_pair.npz")
    assert data["other_scale"] == 5.0 and data["other_x"].size == 4
    index = (env["out"] / "index.html").read_text()
    assert "Input <code>other</code>" in index
    assert [o.status for o in run_gallery(env["out"], **kw).outcomes] == ["cached", "cached"]


def test_disk_cache_keys_and_atomicity(tmp_path):
    cache = DiskCache(tmp_path)
    assert cache_key("p:f", {"a": 1, "b": [1, 2]}) == cache_key("p:f", {"b": [1.0, 2.0], "a": 1.0})
    assert cache_key("p:f", {"a": 1}) != cache_key("p:f", {"a": 1}, fingerprint="v2")
    assert cache_key("p:f", {"a": 1}) != cache_key("p:g", {"a": 1})
    calls = []

    def compute():
        calls.append(1)
        return {"z": np.arange(3.0), "n": 4, "flag": True, "name": "x"}

    miss = cache.get_or_compute("p:f", {"a": 1}, compute)
    hit = cache.get_or_compute("p:f", {"a": 1.0}, compute)
    assert (miss.hit, hit.hit, len(calls)) == (False, True, 1)
    assert hit.data["n"] == 4 and hit.data["flag"] is True and hit.data["name"] == "x"
    np.testing.assert_array_equal(hit.data["z"], miss.data["z"])
    assert not list(tmp_path.rglob("*.tmp"))
    hit.path.write_bytes(b"not an npz")  # a corrupt entry is a miss, then rewritten
    again = cache.get_or_compute("p:f", {"a": 1}, compute)
    assert again.hit is False and len(calls) == 2
    with pytest.raises(ValueError):
        normalize_data({"bad": {"nested": 1}})
    with pytest.raises(ValueError):
        cache_key("p:f", {"a": object()})


def test_cli_figures_exit_codes(tmp_path, capsys):
    from memtheory.cli import main

    assert main(["figures", "--only", "no_such_figure", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown figure 'no_such_figure'" in err[0]
    assert main(["figures", "--list"]) == 0
    assert "raf_tradeoff" in capsys.readouterr().out
