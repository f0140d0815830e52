"""Trained diffusion on real images vs the memorized prior: metrics, exact-score controls, smoke run end to end."""

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from memtheory.cli import main
from memtheory.solvers.inverse_problems.dps import MemorizedDenoiser
from memtheory.solvers.posterior.prior import MemorizedPrior
from memtheory.solvers.posterior.sample_metrics import (
    lookup_margin,
    memorization_fraction,
    memorized_mask,
    nearest_example_distribution,
    nn_ratio,
    relative_error,
    total_variation,
)
from memtheory.solvers.posterior.schedule import linear_schedule

# ---------------------------------------------------------------------------------------------- criterion


def test_one_third_rule_on_constructed_cases():
    X = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    S = np.array([
        [0.1, 0.0],   # d1 = 0.1, d2 = 9.9: memorized
        [2.0, 0.0],   # 2 / 8 = 0.25: memorized
        [2.5, 0.0],   # 2.5 / 7.5 = 1/3 exactly: not (strict inequality)
        [3.0, 0.0],   # 3 / 7: not
        [5.0, 0.0],   # equidistant: ratio 1
        [0.0, 0.0],   # on an example: ratio 0, memorized
    ])
    np.testing.assert_allclose(nn_ratio(S, X), [0.1 / 9.9, 0.25, 1 / 3, 3 / 7, 1.0, 0.0], rtol=1e-12)
    np.testing.assert_array_equal(memorized_mask(S, X), [True, True, False, False, False, True])
    rate, sem = memorization_fraction(S, X)
    assert rate == 0.5 and sem == pytest.approx(math.sqrt(0.25 / 6))
    # a duplicated training example cannot be told apart: 0/0 counts as ratio 1, not memorized
    assert not memorized_mask([[1.0, 1.0]], [[1.0, 1.0], [1.0, 1.0], [5.0, 5.0]])[0]
    with pytest.raises(ValueError, match="threshold"):
        memorized_mask(S, X, threshold=1.5)
    with pytest.raises(ValueError, match="at least 2"):
        nn_ratio(S, X[:1])


def test_controls_exact_memorizer_and_fresh_poisson_floor():
    rng = np.random.default_rng(0)
    # positive control: samples of the memorized prior at sigma_min = 0.01 in d = 64 are all memorized
    X = rng.uniform(-1, 1, (50, 64))
    assert memorization_fraction(MemorizedPrior(X, sigma=0.01).sample(400, rng), X)[0] == 1.0
    # negative control: fresh draws from the data law in d = 2; training points near x form a Poisson
    # process, so P(R1/R2 < 1/3) = 3^-2 = 1/9 (interior queries avoid edge effects)
    X2 = rng.uniform(0, 1, (5000, 2))
    Q = rng.uniform(0.2, 0.8, (2000, 2))
    rate, sem = memorization_fraction(Q, X2)
    assert abs(rate - 1 / 9) < 4 * sem, (rate, sem)


def test_tv_nearest_distribution_and_relative_error():
    assert total_variation([1, 0, 0], [0, 1, 0]) == 1.0
    assert total_variation([0.5, 0.5], [0.25, 0.75]) == pytest.approx(0.25)
    X = np.array([[0.0], [1.0], [5.0]])
    np.testing.assert_allclose(nearest_example_distribution([[0.1], [0.9], [1.2], [4.0]], X), [0.25, 0.5, 0.25])
    with pytest.raises(ValueError, match="sum to 1"):
        total_variation([0.5, 0.4], [0.5, 0.5])
    assert relative_error([1.0, 1.0], [1.0, 0.0]) == 1.0
    with pytest.raises(ValueError, match="zero"):
        relative_error([1.0], [0.0])


def test_lookup_margin_and_tv_split_by_margin():
    # gap between the two largest log weights, independent of the normalisation
    assert lookup_margin([0.0, -3.0, -10.0]) == 3.0
    assert lookup_margin(np.log([0.25, 0.5, 0.25]) + 7.0) == pytest.approx(math.log(2.0))
    assert lookup_margin([0.0, -np.inf, -np.inf]) == math.inf
    for bad, match in (([1.0], "at least 2"), ([np.nan, 0.0], "NaN"), ([[0.0, 1.0]], "1-dimensional"),
                       ([-np.inf, -np.inf], "finite")):
        with pytest.raises(ValueError, match=match):
            lookup_margin(bad)
    # the margin of closed-form weights is their log ratio: w = (e^2, 1, 1) / Z gives 2 nats
    w = np.array([math.exp(2.0), 1.0, 1.0])
    assert lookup_margin(np.log(w / w.sum())) == pytest.approx(2.0)

    from memtheory.studies.diffusion_real import _split_by_margin

    tv = np.array([1.0, 0.0, 0.0, 1.0, 0.0])
    margin = np.array([10.0, 500.0, 50.0, 300.0, 900.0, 5.0])  # one more margin than TVs: cut to match
    frac, small, small_se, large, large_se = _split_by_margin(tv, margin, 200.0)
    assert frac == pytest.approx(0.4) and small == pytest.approx(0.5) and large == pytest.approx(1 / 3)
    assert small_se == pytest.approx(math.sqrt(0.5) / math.sqrt(2))
    assert large_se == pytest.approx(np.std([0.0, 1.0, 0.0], ddof=1) / math.sqrt(3))
    frac, small, small_se, large, _ = _split_by_margin(tv[:1], margin, 200.0)
    assert frac == 1.0 and small == 1.0 and math.isnan(small_se) and math.isnan(large)


# ---------------------------------------------------------------------------------------------- data


def test_digits_data_and_npz_validation(tmp_path):
    pytest.importorskip("sklearn")
    from memtheory.simulations.image_data import load_image_data

    data = load_image_data("digits")
    assert data.shape == (8, 8) and data.d == 64
    assert data.pool.shape[0] + data.held_out.shape[0] == 1797 and data.held_out.shape[0] == 179
    assert data.pool.min() == -1.0 and data.pool.max() == 1.0
    np.testing.assert_array_equal(data.train(30)[:10], data.train(10))
    # a user file: any range is mapped affinely onto [-1, 1]
    np.savez(tmp_path / "ok.npz", X=np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3))
    user = load_image_data(str(tmp_path / "ok.npz"), n_test=1)
    assert user.shape == (2, 3) and user.d == 6
    assert min(user.pool.min(), user.held_out.min()) == -1 and max(user.pool.max(), user.held_out.max()) == 1
    np.savez(tmp_path / "nox.npz", Y=np.zeros((5, 2)))
    (tmp_path / "junk.npz").write_text("not a zip")
    for path, msg in ((tmp_path / "nox.npz", "no array 'X'"), (tmp_path / "junk.npz", "cannot read"),
                      (tmp_path / "missing.npz", "existing .npz")):
        with pytest.raises(ValueError, match=msg):
            load_image_data(str(path))


# ---------------------------------------------------------------------------------------------- exact score in place of a trained one


class _ExactModel(MemorizedDenoiser):
    """The closed-form memorized optimum dressed as a trained network (eps, denoise, vjp, alpha_bars)."""

    @property
    def alpha_bars(self):
        return self.schedule.alpha_bars

    def eps(self, x, t):
        return MemorizedPrior.vp(self.x_train, float(self.schedule.alpha_bars[t])).eps_prediction(x)


def test_score_error_vanishes_and_tv_matches_for_the_exact_memorized_score():
    from memtheory.studies import diffusion_real as dr

    rng = np.random.default_rng(1)
    X, held = rng.uniform(-1, 1, (12, 16)), rng.uniform(-1, 1, (6, 16))
    sched = linear_schedule(40, 1e-4, 0.2)
    model = _ExactModel(X, sched)
    steps = dr._probe_steps(sched.alpha_bars, 5)
    e_tr, e_ho = dr._score_errors(model, X, held, steps, 32, rng)
    assert np.all(e_tr < 1e-12) and np.all(e_ho < 1e-12)
    cfg = dr.ExperimentConfig(name="t", n_train=(12,), model=dr.SMOKE.model, n_obs=3, n_post=8, n_show=1)
    inv = dr._inverse_problem(model, X, held[:3], cfg, sched, seed=5)
    # same denoiser, same seeds: the "trained" and the exact runs of each sampler coincide sample for sample
    for sampler in ("dps", "smc"):
        np.testing.assert_array_equal(inv[f"tv_{sampler}"], inv[f"tv_exact_{sampler}"])
        np.testing.assert_array_equal(inv[f"rmse_{sampler}"], inv[f"rmse_exact_{sampler}"])
    assert np.all((inv["smc_unique"] >= 1) & (inv["smc_unique"] <= 8))
    assert np.all((inv["tv_floor"] >= 0) & (inv["tv_floor"] <= 1))
    with pytest.raises(ValueError, match="sampler"):
        dr.ExperimentConfig(name="t", n_train=(12,), model=dr.SMOKE.model, sampler="langevin")
    with pytest.raises(ValueError, match="ess_threshold"):
        dr.ExperimentConfig(name="t", n_train=(12,), model=dr.SMOKE.model, ess_threshold=2.0)


# ---------------------------------------------------------------------------------------------- torch: model and smoke run


@pytest.mark.torch
def test_score_mlp_schedule_training_and_vjp():
    pytest.importorskip("torch")
    from memtheory.simulations.score_mlp import ScoreMLPConfig, train_score_mlp

    X = np.random.default_rng(2).uniform(-1, 1, (8, 6))
    cfg = ScoreMLPConfig(hidden=32, n_blocks=1, n_freq=4, steps=300, batch=64, lr=3e-3, nt=50, beta_max=0.2)
    tr = train_score_mlp(X, cfg)
    np.testing.assert_allclose(tr.alpha_bars, linear_schedule(50, 1e-4, 0.2).alpha_bars, rtol=1e-14)
    assert tr.losses[-1] < 0.6 * tr.losses[0]
    # vjp against central differences of the Tweedie denoiser (float32 network: loose tolerance)
    x = np.random.default_rng(3).standard_normal((1, 6))
    v = np.random.default_rng(4).standard_normal((1, 6))
    g = tr.vjp(x, 10, v)[0]
    h, fd = 1e-2, np.empty(6)
    for k in range(6):
        e = np.zeros((1, 6))
        e[0, k] = h
        fd[k] = ((tr.denoise(x + e, 10) - tr.denoise(x - e, 10)) @ v[0])[0] / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=2e-2, atol=2e-3)
    # linearize: the same Tweedie estimate and products from one forward pass, reusable
    x0, vjp = tr.linearize(x, 10)
    np.testing.assert_allclose(x0, tr.denoise(x, 10), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(vjp(v), tr.vjp(x, 10, v), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(vjp(2 * v), 2 * tr.vjp(x, 10, v), rtol=1e-6, atol=1e-7)
    with pytest.raises(ValueError, match="steps"):
        ScoreMLPConfig(steps=0)


def test_score_mlp_ema_of_weights():
    pytest.importorskip("torch")
    import torch

    from memtheory.simulations.score_mlp import ScoreMLPConfig, train_score_mlp

    X = np.random.default_rng(2).uniform(-1, 1, (6, 4))
    base = ScoreMLPConfig(hidden=16, n_blocks=1, n_freq=2, steps=2, batch=8, lr=1e-2, nt=20, beta_max=0.2)
    flat = lambda tr: torch.cat([p.flatten() for p in tr.model.parameters()]).numpy()  # noqa: E731
    last = flat(train_score_mlp(X, base))
    init = flat(train_score_mlp(X, replace(base, steps=1, lr=1e-30, lr_final=1e-30)))  # one step that moves nothing
    # a vanishing decay keeps the last iterate; with decay a the average after 2 steps is
    # a^2 init + a (1 - a) theta_1 + (1 - a) theta_2, so it moves off the last iterate towards init
    np.testing.assert_allclose(flat(train_score_mlp(X, replace(base, ema=1e-12))), last, rtol=0, atol=1e-6)
    half = flat(train_score_mlp(X, replace(base, ema=0.999)))
    assert np.linalg.norm(half - init) < 0.01 * np.linalg.norm(last - init)
    for bad in (-0.1, 1.0):
        with pytest.raises(ValueError, match="ema"):
            ScoreMLPConfig(ema=bad)


@pytest.mark.torch
def test_smoke_end_to_end(tmp_path, capsys):
    """One smoke run (a single test, so that parallel workers never train it twice): summary.json, every
    figure drawn from result.npz, and the result shared with the gallery cache."""
    pytest.importorskip("torch")
    pytest.importorskip("sklearn")
    import matplotlib.pyplot as plt

    from memtheory.figures import posterior_trained as pt
    from memtheory.figures.gallery import producer_fingerprint
    from memtheory.core.cache import DiskCache, normalize_data

    out, cache = tmp_path / "out", tmp_path / "cache"
    argv = ["posterior", "diffusion-experiment", "--config", "smoke", "--data", "digits", "--quiet",
            "--cache-dir", str(cache)]
    assert main(argv + ["--out", str(out)]) == 0
    s = json.loads((out / "summary.json").read_text())
    n = s["n_train"]
    assert n == [10, 60]
    for key in ("memorization_rate", "memorization_rate_sem", "tv_distance", "rmse_trained", "fresh_memorization_rate",
                "tv_smc", "tv_dps", "tv_exact_smc", "tv_exact_dps", "rmse_smc", "rmse_dps"):
        assert len(s[key]) == len(n), key
    assert all(0 <= r <= 1 for r in s["memorization_rate"] + s["tv_distance"] + s["tv_dps"])
    # the default sampler is the headline; DPS is reported next to it
    assert s["sampler"] == "smc" and s["tv_distance"] == s["tv_smc"] and s["rmse_trained"] == s["rmse_smc"]
    assert all(np.isfinite(s["rmse_smc"]))
    for r, e in zip(s["memorization_rate"], s["memorization_rate_sem"]):
        assert e == pytest.approx(math.sqrt(r * (1 - r) / 100))
    assert np.asarray(s["score_error_held_out"]).shape == (2, len(s["sigmas"]))
    # the trained SMC inverts all 3 images, the reference runs the first 2 (smoke: n_obs=3, n_obs_reference=2)
    tv_img = np.asarray(s["tv_per_image"])
    assert tv_img.shape == (2, 3) and np.asarray(s["lookup_margin"]).shape == (2, 3)
    np.testing.assert_allclose(s["tv_distance"], tv_img.mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(s["tv_smc_reference"], tv_img[:, :2].mean(axis=1), rtol=1e-12)
    for k in range(2):
        small = np.asarray(s["lookup_margin"][k]) < 200.0
        assert s["small_margin_fraction"][k] == pytest.approx(small.mean())
        if small.any():
            assert s["tv_small_margin"][k] == pytest.approx(tv_img[k][small].mean())
    assert all(m >= 0 for m in s["lookup_margin_median"])

    with np.load(out / "result.npz") as f:
        data = normalize_data({k: f[k] for k in f.files})
    assert len({g.name for g in pt.GALLERY}) == 4
    for entry in pt.GALLERY:
        fig = entry.plot(data)
        assert fig.axes
        plt.close(fig)

    producer = "memtheory.studies.diffusion_real:trained_prior_study"
    hit = DiskCache(cache).load(producer, {"config": "smoke", "data": "digits"}, producer_fingerprint(producer))
    assert hit is not None
    capsys.readouterr()
    assert main(argv + ["--out", str(tmp_path / "again")]) == 0
    assert "cached result" in capsys.readouterr().err
    assert json.loads((tmp_path / "again" / "summary.json").read_text()) == s


def test_cli_bad_data_file_is_one_line_exit_2(tmp_path, capsys):
    pytest.importorskip("torch")
    bad = tmp_path / "bad.npz"
    bad.write_text("garbage")
    code = main(["posterior", "diffusion-experiment", "--data", str(bad), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "bad.npz" in err[0]


def test_each_size_runs_with_one_blas_thread(monkeypatch):
    # Multi-threaded BLAS on the N x d memorized-denoiser products made the cost grow with N.
    pytest.importorskip("threadpoolctl")
    from threadpoolctl import threadpool_info

    from memtheory.studies import diffusion_real

    seen = {}

    def spy(cfg, data, N, on_progress=None, on_phase=None):
        seen["threads"] = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
        return {}

    monkeypatch.setattr(diffusion_real, "_run_size_serial", spy)
    diffusion_real._run_size(diffusion_real.SMOKE, "digits", 10)
    assert seen["threads"] and all(n == 1 for n in seen["threads"])
