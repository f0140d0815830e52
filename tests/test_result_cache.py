"""The result cache: faulty entries are misses and get rewritten, checksums, where the cache lives,
and keys that follow the import graph (an edit to the quadrature recomputes exactly the figures
that depend on it)."""

from __future__ import annotations

import struct
import sys
import textwrap
import zipfile

import numpy as np
import pytest

from memtheory.core import cache as cache_mod
from memtheory.core import sources
from memtheory.core.cache import DiskCache, data_checksum, default_cache_dir, user_cache_dir
from memtheory.figures.gallery import producer_fingerprint, run_gallery

PRODUCER = "p:f"
PARAMS = {"a": 1}


def _compute():
    return {"z": np.arange(5.0), "n": 3, "name": "x"}


def _fresh_entry(root):
    cache = DiskCache(root)
    res = cache.get_or_compute(PRODUCER, PARAMS, _compute)
    assert res.hit is False and cache.load(PRODUCER, PARAMS).hit
    return cache, res.path


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _bad_crc(path):
    # Flip the last payload byte of a data member inside the zip: its CRC no longer matches.
    with zipfile.ZipFile(path) as zf:
        info = next(i for i in zf.infolist() if not i.filename.startswith("_"))
    data = bytearray(path.read_bytes())
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
    data[info.header_offset + 30 + name_len + extra_len + info.compress_size - 1] ^= 0xFF
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() == info.filename  # really a CRC fault


def _plain_npy(path):
    with open(path, "wb") as f:
        np.save(f, np.arange(4.0))


def _checksum_mismatch(path):
    # A perfectly readable archive whose data no longer match the stored checksum.
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    key = next(k for k in arrays if not k.startswith("_"))
    arrays[key] = arrays[key] + 1.0
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def _no_checksum(path):
    # An entry of an older layout (no checksum, no compute time).
    with open(path, "wb") as f:
        np.savez(f, z=np.arange(5.0))


def _directory(path):
    path.unlink()
    (path / "junk").mkdir(parents=True)


FAULTS = [_truncate, _bad_crc, _plain_npy, _checksum_mismatch, _no_checksum, _directory,
          lambda p: p.write_bytes(b""), lambda p: p.write_bytes(b"not an npz")]


@pytest.mark.parametrize("fault", FAULTS, ids=["truncated", "bad_crc", "plain_npy", "checksum", "old_layout",
                                               "directory", "empty", "garbage"])
def test_faulty_entry_is_a_miss_and_is_rewritten(tmp_path, fault):
    cache, path = _fresh_entry(tmp_path)
    fault(path)
    assert cache.load(PRODUCER, PARAMS) is None
    calls = []
    res = cache.get_or_compute(PRODUCER, PARAMS, lambda: calls.append(1) or _compute())
    assert res.hit is False and calls == [1] and res.path == path
    again = cache.load(PRODUCER, PARAMS)  # rewritten: an intact entry again
    assert again is not None and again.hit
    np.testing.assert_array_equal(again.data["z"], np.arange(5.0))
    assert again.data["n"] == 3 and again.data["name"] == "x"


def test_entries_carry_a_checksum_of_their_data(tmp_path):
    _, path = _fresh_entry(tmp_path)
    with np.load(path) as npz:
        stored = str(npz["_checksum"])
    assert stored == data_checksum(cache_mod.normalize_data(_compute()))
    assert data_checksum({"z": np.arange(5.0)}) != data_checksum({"z": np.arange(5.0) + 1e-12})
    assert data_checksum({"z": np.zeros(2)}) != data_checksum({"z": np.zeros((1, 2))})
    with pytest.raises(ValueError, match="_checksum"):
        cache_mod.normalize_data({"_checksum": 1.0})


def test_default_cache_dir_is_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("MEMTHEORY_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "memtheory" / "results"
    assert DiskCache().root == default_cache_dir()
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "memtheory" / "results"
    assert user_cache_dir("numba") == tmp_path / "home" / ".cache" / "memtheory" / "numba"
    monkeypatch.setenv("MEMTHEORY_CACHE_DIR", str(tmp_path / "env"))
    assert DiskCache().root == tmp_path / "env"
    assert DiskCache(tmp_path / "opt").root == tmp_path / "opt"  # the option wins over the variable


FAKE = textwrap.dedent('''
    import os
    import matplotlib.pyplot as plt
    import numpy as np
    from memtheory.figures.registry import GalleryFigure

    def produce(n):
        with open(os.environ["FAULT_COUNTER"], "a") as f:
            f.write("x")
        return {"x": np.arange(float(n))}

    def plot(data):
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.plot(data["x"])
        return fig

    GALLERY = [GalleryFigure(name="fault_fig", title="F", caption="c", producer="fault_fig_mod:produce",
                             params={"n": 4}, plot=plot, group="g")]
''')


@pytest.fixture
def fake_gallery(tmp_path, monkeypatch):
    (tmp_path / "fault_fig_mod.py").write_text(FAKE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fault_fig_mod", raising=False)
    counter = tmp_path / "calls"
    counter.write_text("")
    monkeypatch.setenv("FAULT_COUNTER", str(counter))
    return counter


@pytest.mark.parametrize("fault", [_truncate, _bad_crc, _plain_npy, _checksum_mismatch],
                         ids=["truncated", "bad_crc", "plain_npy", "checksum"])
def test_gallery_survives_a_faulty_entry(tmp_path, fake_gallery, fault):
    kw = dict(modules=["fault_fig_mod"], cache_dir=tmp_path / "cache", jobs=1, progress=False)
    assert [o.status for o in run_gallery(tmp_path / "out", **kw).outcomes] == ["computed"]
    (entry,) = (tmp_path / "cache").rglob("*.npz")
    fault(entry)
    for expected in ("computed", "cached"):  # recomputed and rewritten once, then a hit again
        assert [o.status for o in run_gallery(tmp_path / "out", **kw).outcomes] == [expected]
    assert len(fake_gallery.read_text()) == 2


def test_cli_cache_dir_option_and_variable(tmp_path, fake_gallery, monkeypatch):
    from memtheory.figures import gallery

    monkeypatch.setattr(gallery, "FIGURE_MODULES", ("fault_fig_mod",))
    from memtheory.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEMTHEORY_CACHE_DIR", str(tmp_path / "env_cache"))
    assert main(["figures", "--out", "o1", "--no-progress", "--jobs", "1"]) == 0
    assert list((tmp_path / "env_cache").rglob("*.npz"))
    assert main(["figures", "--out", "o2", "--no-progress", "--jobs", "1", "--cache-dir", "opt_cache"]) == 0
    assert list((tmp_path / "opt_cache").rglob("*.npz"))
    assert not (tmp_path / ".memtheory_cache").exists()  # nothing lands in the working directory


# --- keys that follow the import graph --------------------------------------------------------------

AFFECTED = "memtheory.studies.raf_curves:rf_kappa_sweep"  # solves saddle points: uses the quadrature
UNRELATED = "memtheory.studies.posterior:stylized_1d_panels"  # memorized-prior posterior: does not


@pytest.fixture
def edited_quadrature(monkeypatch):
    """Stand an edited copy of ``solvers/quadrature.py`` (one comment added) in for the real file."""
    target = sources.module_path("memtheory.solvers.quadrature")
    real = sources.read_source

    def read(path):
        data = real(path)
        return data + b"\n# an edit that changes nothing but the source\n" if path == target else data

    def edit():
        monkeypatch.setattr(sources, "read_source", read)

    return edit


def test_edit_to_quadrature_changes_exactly_the_dependent_keys(edited_quadrature):
    assert "memtheory.solvers.quadrature" in sources.import_closure([AFFECTED.partition(":")[0]])
    assert "memtheory.solvers.quadrature" not in sources.import_closure([UNRELATED.partition(":")[0]])
    before = {p: producer_fingerprint(p) for p in (AFFECTED, UNRELATED)}
    solvers_before = sources.layer_digest("memtheory.solvers")
    edited_quadrature()
    after = {p: producer_fingerprint(p) for p in (AFFECTED, UNRELATED)}
    assert after[AFFECTED] != before[AFFECTED]
    assert after[UNRELATED] == before[UNRELATED]
    # the numba cache directory is keyed by the same hashing, over the solvers and what they may import
    assert sources.layer_digest("memtheory.solvers") != solvers_before
    solvers = sources.package_modules("memtheory.solvers")
    covered = set(solvers) | set(sources.package_modules("memtheory.core")) | {"memtheory"}
    assert set(sources.import_closure(solvers)) <= covered


STALE = textwrap.dedent('''
    import matplotlib.pyplot as plt
    from memtheory.figures.registry import GalleryFigure

    def plot(data):
        fig, ax = plt.subplots(figsize=(2, 2))
        return fig

    GALLERY = [
        GalleryFigure(name="uses_quadrature", title="A", caption="c", producer="{affected}",
                      params=dict(alpha=2.0, epsilon=0.2, lam=0.5, kappa={{"values": [0.5, 2.0]}}, losses=["square"]),
                      plot=plot, group="g"),
        GalleryFigure(name="posterior_only", title="B", caption="c", producer="{unrelated}",
                      params=dict(sigmas=[0.5], n_grid=40), plot=plot, group="g"),
    ]
''')


def test_gallery_recomputes_only_what_the_edit_touches(tmp_path, monkeypatch, edited_quadrature):
    (tmp_path / "stale_fig_mod.py").write_text(STALE.format(affected=AFFECTED, unrelated=UNRELATED))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "stale_fig_mod", raising=False)
    kw = dict(modules=["stale_fig_mod"], cache_dir=tmp_path / "cache", jobs=1, progress=False)
    status = lambda: {o.figure.name: o.status for o in run_gallery(tmp_path / "out", **kw).outcomes}  # noqa: E731
    assert status() == {"uses_quadrature": "computed", "posterior_only": "computed"}
    assert status() == {"uses_quadrature": "cached", "posterior_only": "cached"}
    edited_quadrature()
    assert status() == {"uses_quadrature": "computed", "posterior_only": "cached"}
    assert status() == {"uses_quadrature": "cached", "posterior_only": "cached"}
