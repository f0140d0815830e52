"""Fact memorization in a small GPT on biographies: data, scoring, selection, model, smoke experiment."""

import json
import math
import subprocess
import sys
import time

import numpy as np
import pytest

from memtheory.simulations.lm import (GPTConfig, Vocabulary, gpt_parameter_count, lm_fact_metrics, make_biographies,
                                      row_exact_match, select_examples)
from memtheory.simulations.lm.scoring import fact_table, row_value_nll


# ----------------------------------------------------------------------------------------- data
def test_biographies_entropy_names_and_sentences():
    ks = (7, 64, 336)
    d = make_biographies(500, n_values=ks, attributes=("field", "employer", "birth_date"), zipf=1.2, seed=4)
    assert d.entropy_bits == pytest.approx(math.log2(7) + 6 + math.log2(336), abs=1e-12)
    assert len(set(d.names)) == 500
    assert all(len(name.split()) == 2 for name in d.names)
    assert d.values.shape == (500, 3) and np.all(d.values >= 0) and np.all(d.values < np.array(ks))
    assert [len(set(v)) for v in d.value_words] == list(ks)  # K_a distinct values per attribute
    assert d.tokens.shape[0] == 500 * 3 * 3
    assert d.sentence_probs.sum() == pytest.approx(1.0)
    # each individual's sentences carry its frequency
    assert np.allclose(np.bincount(d.individual, weights=d.sentence_probs), d.probs)
    assert d.probs[0] > d.probs[-1]
    rng = np.random.default_rng(0)
    for j in rng.choice(d.tokens.shape[0], 40, replace=False):
        i, a = d.individual[j], d.attribute[j]
        text = d.vocab.decode(d.tokens[j][d.tokens[j] != d.vocab.pad])
        value = d.value_text(i, a)
        assert text == f"{d.prompt(i, a, d.template[j])} {value} . <eos>"
        assert d.vocab.decode(d.tokens[j, d.value_start[j]:d.value_start[j] + d.value_len[j]]) == value
        assert d.vocab.decode(d.tokens[j, d.name_start[j]:d.name_start[j] + 2]) == d.names[i]
    assert set(d.value_len[d.attribute == 2]) == {2} and set(d.value_len[d.attribute < 2]) == {1}


def test_biographies_values_uniform_and_deterministic():
    d = make_biographies(4000, n_values=(16,), attributes=("birth_city",), seed=1)
    counts = np.bincount(d.values[:, 0], minlength=16)
    assert ((counts - 250) ** 2 / 250).sum() < 45  # chi-square, 15 dof, tail ~1e-4
    again = make_biographies(4000, n_values=(16,), attributes=("birth_city",), seed=1)
    assert again.names == d.names and np.array_equal(again.tokens, d.tokens)
    assert make_biographies(4000, n_values=(16,), attributes=("birth_city",), seed=2).names != d.names


def test_name_pool_fixes_the_vocabulary_across_n():
    sizes = {len(make_biographies(n, n_values=(32,), attributes=("birth_city",), name_pool=400).vocab)
             for n in (10, 100, 400)}
    assert len(sizes) == 1


def test_biographies_bad_input():
    with pytest.raises(ValueError, match="n_individuals"):
        make_biographies(0)
    with pytest.raises(ValueError, match="unknown attribute"):
        make_biographies(5, n_values=(4,), attributes=("shoe_size",))
    with pytest.raises(ValueError, match="n_values"):
        make_biographies(5, n_values=(4, 4), attributes=("field",))
    with pytest.raises(ValueError, match="n_values"):
        make_biographies(5, n_values=(1,), attributes=("field",))
    with pytest.raises(ValueError, match="zipf"):
        make_biographies(5, n_values=(4,), attributes=("field",), zipf=-1)


def test_vocabulary_roundtrip():
    v = Vocabulary(["b", "a", "a"])
    assert v.words == ("<pad>", "<bos>", "<eos>", "a", "b")
    assert v.decode(v.encode("<bos> a b <eos>")) == "<bos> a b <eos>"
    with pytest.raises(ValueError, match="vocabulary"):
        v.encode("a c")


# -------------------------------------------------------------------------------------- scoring
def test_exact_match_hand_cases():
    # rows: <bos> x y V1 [V2] <eos>; the value starts at position 3
    tokens = np.array([[1, 5, 6, 9, 2, 0],
                       [1, 5, 6, 9, 8, 2],
                       [1, 5, 6, 9, 8, 2],
                       [1, 5, 6, 9, 2, 0]])
    start = np.array([3, 3, 3, 3])
    length = np.array([1, 2, 2, 1])
    # column c predicts token c+1; template positions may be wrong without affecting the fact
    pred = np.array([[7, 7, 9, 7, 7],    # value 9 right (predicted at column 2)
                     [5, 6, 9, 8, 7],    # both value tokens right
                     [5, 6, 9, 4, 2],    # second value token wrong
                     [5, 6, 3, 2, 0]])   # value wrong
    assert row_exact_match(pred, tokens, start, length).tolist() == [True, True, False, False]
    nll = np.arange(20, dtype=float).reshape(4, 5)
    assert row_value_nll(nll, start, length).tolist() == [2.0, 7 + 8, 12 + 13, 17.0]
    with pytest.raises(ValueError, match="shape"):
        row_exact_match(pred[:, :3], tokens, start, length)


def test_fact_table_and_metrics_by_hand():
    ind = np.array([0, 0, 1, 1, 0, 1])
    att = np.array([0, 0, 0, 0, 1, 1])
    acc = fact_table(np.array([1, 0, 1, 1, 1, 0]), ind, att, 2, 2)
    assert acc.tolist() == [[0.5, 1.0], [1.0, 0.0]]
    nll = np.array([[0.0, math.log(2)], [math.log(4), 10.0]])
    m = lm_fact_metrics(acc, nll, (4, 8), np.array([0.75, 0.25]), params=10)
    assert m["facts_memorized"] == 2.5 and m["accuracy"] == 0.625
    assert m["acc_weighted"] == pytest.approx(0.75 * 0.75 + 0.25 * 0.5)
    # chance correction per attribute: (1.5 - 2/4)/(3/4) + (1 - 2/8)/(7/8)
    assert m["facts_stored"] == pytest.approx(1.0 / 0.75 + 0.75 / 0.875)
    # bits: log2 K - L/ln2 per fact -> 2, 3 - 1, 2 - 2, 3 - 14.43 (clipped at 0 for Morris)
    assert m["bits_morris"] == pytest.approx(2 + 2 + 0 + 0)
    assert m["bits_az"] == pytest.approx(2 + 2 + 0 + 3 - 10 / math.log(2))
    assert m["bits_facts"] == pytest.approx(0.5 * 2 + 1 * 3 + 1 * 2 + 0)
    assert m["bits_morris_per_param"] == pytest.approx(0.4)


# ------------------------------------------------------------------------------------ selection
def test_select_examples_constructed_loss_table():
    # 4 individuals x 3 sentences; mean losses 0.1, 2.0, 1.0, 5.0
    group = np.repeat(np.arange(4), 3)
    loss = np.array([0.1, 0.1, 0.1,   1.0, 3.0, 2.0,   0.2, 1.6, 1.2,   5.0, 5.0, 5.0])
    # limit: keep the 3 lowest-mean individuals {0, 2, 1}; flatten: skip sentences with loss < 0.5
    both = select_examples(loss, group, keep_groups=3, tau_lo=0.5)
    assert np.flatnonzero(both).tolist() == [3, 4, 5, 7, 8]
    limit = select_examples(loss, group, keep_groups=2, tau_lo=0.5, flatten=False)
    assert np.flatnonzero(limit).tolist() == [0, 1, 2, 6, 7, 8]
    flat = select_examples(loss, group, keep_groups=2, tau_lo=0.5, limit=False)
    assert np.flatnonzero(flat).tolist() == [3, 4, 5, 7, 8, 9, 10, 11]
    # every kept sentence already learned: keep training the kept individual rather than nothing
    assert np.flatnonzero(select_examples(loss, group, keep_groups=1, tau_lo=0.5)).tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="example_loss"):
        select_examples([np.inf, 1.0], [0, 1], keep_groups=1, tau_lo=0.1)
    with pytest.raises(ValueError, match="every individual"):
        select_examples([1.0, 1.0], [0, 2], keep_groups=1, tau_lo=0.1)


# ---------------------------------------------------------------------------------------- model
def test_gpt_config_and_count_without_torch():
    with pytest.raises(ValueError, match="multiple of n_heads"):
        GPTConfig(d_model=10, n_heads=4)
    c = gpt_parameter_count(GPTConfig(d_model=8, n_layers=1, n_heads=2, mlp_ratio=4), vocab_size=10, context=5)
    block = 4 * 8 + 3 * 64 + 24 + 64 + 8 + 8 * 32 + 32 + 32 * 8 + 8
    assert c == {"total": block + 16 + 80 + 40, "non_embedding": block + 16}


@pytest.mark.torch
def test_gpt_count_matches_torch_and_is_causal():
    torch = pytest.importorskip("torch")
    from memtheory.simulations.lm.model import build_gpt

    cfg = GPTConfig(d_model=16, n_layers=2, n_heads=4)
    m = build_gpt(cfg, 30, 9)
    assert sum(p.numel() for p in m.parameters()) == gpt_parameter_count(cfg, 30, 9)["total"]
    x = torch.randint(0, 30, (3, 9))
    y = x.clone()
    y[:, 5:] = (y[:, 5:] + 1) % 30
    with torch.no_grad():
        assert torch.allclose(m(x)[:, :5], m(y)[:, :5], atol=1e-6)
        assert not torch.allclose(m(x)[:, 5:], m(y)[:, 5:])


@pytest.mark.torch
def test_teacher_forced_score_equals_greedy_generation():
    torch = pytest.importorskip("torch")
    from memtheory.simulations.lm.model import build_gpt
    from memtheory.simulations.lm.training import evaluate

    torch.manual_seed(0)
    d = make_biographies(6, n_values=(336,), attributes=("birth_date",), seed=0)
    model = build_gpt(GPTConfig(16, 1, 2), len(d.vocab), d.tokens.shape[1] - 1)
    tokens = d.tokens.copy()
    # make every row's value the model's own greedy two-token completion, then spoil half the rows
    with torch.no_grad():
        for j in range(tokens.shape[0]):
            s = int(d.value_start[j])
            for p in range(s, s + 2):
                logits = model(torch.from_numpy(tokens[j:j + 1, :p]))
                tokens[j, p] = int(logits[0, -1].argmax())
    spoil = np.arange(tokens.shape[0]) % 2 == 1
    rows = np.flatnonzero(spoil)
    pos = d.value_start[rows] + (rows % 4 == 1)  # first or second value token
    tokens[rows, pos] = (tokens[rows, pos] + 1) % len(d.vocab)
    import dataclasses

    ev = evaluate(model, torch.from_numpy(tokens), dataclasses.replace(d, tokens=tokens))
    assert ev.correct.tolist() == (~spoil).tolist()


@pytest.mark.torch
def test_tiny_gpt_memorizes_a_few_facts():
    pytest.importorskip("torch")
    from memtheory.simulations.lm.training import LMTrainConfig, train_lm

    d = make_biographies(8, n_values=(16,), attributes=("birth_city",), seed=0)
    r = train_lm(d, GPTConfig(64, 2, 4), LMTrainConfig(exposures=2400, batch=16, lr=1e-2, n_evals=1), seed=0)
    # chance is 8/16 = 0.5 facts; a learner that stores nothing stays near it
    assert r.final["facts_memorized"] >= 6
    assert r.final["bits_morris"] > 0.5 * 8 * 4


# ----------------------------------------------------------------------------- smoke end to end
@pytest.fixture(scope="module")
def smoke_data():
    """One run of the smoke configuration (with the bounds), shared by the tests below."""
    pytest.importorskip("torch")
    from memtheory.simulations.lm.configs import SMOKE
    from memtheory.studies.lm_facts import run_lm_study

    t0 = time.perf_counter()
    data = run_lm_study(SMOKE)
    return data, time.perf_counter() - t0


@pytest.fixture
def smoke_out(smoke_data, tmp_path, monkeypatch):
    """The CLI on the smoke configuration, its experiment replaced by the shared run."""
    import memtheory.studies.lm_facts as study
    from memtheory.cli import main

    monkeypatch.setattr(study, "run_lm_study", lambda cfg, progress=False: smoke_data[0])
    out = tmp_path / "smoke"
    assert main(["capacity", "lm-experiment", "--config", "smoke", "--out", str(out), "--quiet"]) == 0
    return out, smoke_data[1]


@pytest.mark.torch
def test_smoke_cli_writes_summary_and_runs(smoke_out):
    from memtheory.simulations.lm.configs import SMOKE

    out, seconds = smoke_out
    assert seconds < 120
    s = json.loads((out / "summary.json").read_text())
    assert isinstance(s["n_params"], int) and s["n_params"] > 0
    assert s["bits_per_param"] == pytest.approx(s["capacity_bits"] / s["n_params"])
    assert {"uniform_standard", "zipf_standard", "zipf_selection", "zipf_flatten_only",
            "zipf_limit_only"} <= set(s["arms"])
    n_facts = max(SMOKE.n_individuals) * len(SMOKE.attributes)
    for arm, v in s["arms"].items():
        assert v["n_facts_trained"] == n_facts
        assert 0 <= v["facts_memorized"] <= n_facts and v["facts_memorized_sem"] >= 0
        assert v["accuracy"] == pytest.approx(v["facts_memorized"] / n_facts)
    assert s["bounds"]["m_star_facts"] == pytest.approx(s["capacity_bits"] / s["entropy_bits"] * len(SMOKE.attributes))
    lines = (out / "runs.csv").read_text().strip().splitlines()
    header = lines[0].split(",")
    assert {"arm", "n_individuals", "d_model", "seed", "facts_memorized", "bits_morris"} <= set(header)
    # 2x(1 + 2) standard, ablations 3x1, size sweep 2x2, plus the selection runs of the N sweep
    assert 13 <= len(lines) - 1 <= 13 + 3


@pytest.mark.torch
def test_lm_figures_draw_from_smoke_data(smoke_data, tmp_path):
    import matplotlib.pyplot as plt

    from memtheory.figures.capacity_lm import plot_lm_facts_vs_n, plot_lm_facts_vs_size, write_lm_summary

    data = smoke_data[0]
    for plot in (plot_lm_facts_vs_n, plot_lm_facts_vs_size):
        fig = plot(data)
        assert fig.axes
        plt.close(fig)
    files = write_lm_summary(data, tmp_path)
    assert files == ["capacity_lm/summary.json", "capacity_lm/runs.csv"]
    assert json.loads((tmp_path / "capacity_lm" / "summary.json").read_text())["arms"]


def test_cli_without_torch_is_one_line_naming_the_extra():
    code = ("import sys; sys.modules['torch'] = None; from memtheory.cli import main; "
            "sys.exit(main(['capacity', 'lm-experiment', '--config', 'smoke', '--out', 'unused']))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert p.stderr.strip().count("\n") == 0 and "neural" in p.stderr


EXTRA_MODULE = '''
import json
import matplotlib.pyplot as plt
import numpy as np
from memtheory.figures.registry import GalleryFigure

def produce(n):
    return {"x": np.arange(float(n))}

def plot(data):
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot(data["x"])
    return fig

def extra(data, out):
    (out / "extra_dir").mkdir(exist_ok=True)
    (out / "extra_dir" / "summary.json").write_text(json.dumps({"n": int(data["x"].size)}))
    return ["extra_dir/summary.json"]

GALLERY = [GalleryFigure(name="fake_extra", title="Extra", caption="Writes a summary.",
                         producer="fake_extra_mod:produce", params={"n": 4}, plot=plot, group="g",
                         extra_outputs=extra)]
'''


def test_gallery_extra_outputs_hook(tmp_path, monkeypatch):
    from memtheory.figures.gallery import run_gallery

    (tmp_path / "fake_extra_mod.py").write_text(EXTRA_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fake_extra_mod", raising=False)
    report = run_gallery(tmp_path / "out", modules=["fake_extra_mod"], cache_dir=tmp_path / "cache", jobs=1,
                         progress=False, formats=("png",))
    (outcome,) = report.outcomes
    assert outcome.status == "computed" and "extra_dir/summary.json" in outcome.files
    assert json.loads((tmp_path / "out" / "extra_dir" / "summary.json").read_text()) == {"n": 4}
