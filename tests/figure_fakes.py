"""Small synthetic data shaped like each gallery producer's output, keyed by figure name.

The layout smoke test draws every gallery figure from these dicts (no producer runs, milliseconds
each). Each builder returns the keys and array shapes of its producer, with values of the right
qualitative shape (closed-form ridge errors, power laws, Gaussian bumps), so that legends and
labels land where they land on the real data. A new gallery figure needs a builder here.
"""

from __future__ import annotations

import math

import numpy as np

from tests.test_figures_plots import (ridge_errors, synthetic_curves, synthetic_geometry, synthetic_phase,
                                      synthetic_rf, synthetic_tradeoff)


def _phase(loss: str):
    def build():
        d = synthetic_phase(n_alpha=30, n_eps=21, learners=("linear", "kernel", "rf", "rf"),
                            kappas=(np.nan, np.nan, 0.5, 2.0))
        d["alpha"] = np.linspace(0.1, 5.0, 30)
        d["converged"] = np.ones_like(d["converged"])
        d["gen_error"] = np.clip(d["gen_error"] + 0.05 * np.arange(4)[:, None, None], 0, 0.5)
        d.update(loss=loss, lam=1e-3, margin=0.0)
        return d
    return build


def _tradeoff():
    d = synthetic_tradeoff(n=56)
    d["lam"] = np.logspace(-4, 1.5, 56)
    d["learner"] = np.array(["linear", "kernel", "rf", "rf", "rf", "rf"])
    d["kappa"] = np.array([np.nan, np.nan, 0.5, 1, 2, 5])
    gen = np.empty((2, 6, 56))
    mem = np.empty_like(gen)
    for s in range(2):
        for j in range(6):
            g, m = ridge_errors(2.0, 0.2, d["lam"] * (j + 1) * (s + 1))
            gen[s, j], mem[s, j] = g + 0.03 * j, m / (j + 1)
    i = np.nanargmin(gen, axis=2)
    pick = np.take_along_axis
    d.update(gen_error=gen, mem_error=mem, lam_opt=d["lam"][i], gen_opt=pick(gen, i[..., None], 2)[..., 0],
             mem_opt=pick(mem, i[..., None], 2)[..., 0], gen_lam0=gen[..., 0] + 0.01,
             mem_lam0=np.zeros((2, 6)))
    return d


def _curves():
    d = synthetic_curves(n=26)
    d["curve"] = np.array(["linear:square", "linear:hinge", "kernel:square", "kernel:hinge"])
    d["gen_error"] = np.concatenate([d["gen_error"], d["gen_error"][:, -1:] * 0.9], axis=1)
    return d


def _geometry():
    d = synthetic_geometry()
    d["boundary_tol"] = 0.9
    return d


def _sim_points(learners, losses, lams, alphas, rng):
    gen = 0.25 + 0.02 * rng.standard_normal(len(learners))
    return {"learner": np.array(learners), "loss": np.array(losses), "lam": np.asarray(lams, float),
            "alpha": np.asarray(alphas, float), "epsilon": np.full(len(learners), 0.2),
            "kappa": np.full(len(learners), np.nan), "gen_mean": np.abs(gen), "gen_se": np.full(len(learners), 0.004),
            "mem_mean": np.abs(0.1 + 0.05 * rng.standard_normal(len(learners))),
            "mem_se": np.full(len(learners), 0.004), "converged": np.ones(len(learners)), "d": 800, "seeds": 10}


def _theory_vs_sim():
    rng = np.random.default_rng(0)
    lams = [0.03162, 0.31623, 3.16228]
    rows = [(le, lo, la) for lo in ("square", "hinge") for le in ("linear", "kernel") for la in lams]
    data = _sim_points([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [2.0] * len(rows), rng)
    trade = _tradeoff()
    for i, (le, lo, la) in enumerate(rows):
        s, j = ("square", "hinge").index(lo), ("linear", "kernel").index(le)
        k = int(np.argmin(np.abs(np.log(trade["lam"] / la))))
        data["gen_mean"][i], data["mem_mean"][i] = trade["gen_error"][s, j, k], trade["mem_error"][s, j, k]
    alphas = [0.5, 1, 2, 4, 8, 0.5, 1, 2, 4]
    csim = _sim_points(["linear"] * 5 + ["kernel"] * 4, ["square"] * 9, [0.96] * 9, alphas, rng)
    csim["gen_mean"] = np.array([ridge_errors(a, 0.2, 0.96)[0] for a in alphas], float)
    data.update({f"curvesim_{k}": v for k, v in csim.items()})
    data.update({f"tradeoff_{k}": v for k, v in trade.items()})
    data.update({f"curves_{k}": v for k, v in _curves().items()})
    return data


_CONDS = ("uniform_standard", "zipf_standard", "uniform_selection", "zipf_selection")


def _sweep():
    n = np.array([1000.0, 2000, 4000, 10000, 40000])
    m_star, h, params = 4000.0, 8.0, 22912
    out = {"n_facts": n, "entropy_bits": h, "params": params, "zipf": 1.0, "capacity_emp_bits": 3600 * h,
           "m_star": 3600.0, "keep_facts": 3960, "capacity_emp_bits_all_runs": m_star * h,
           "capacity_emp_bits_all_runs_se": 100.0, "capacity_all_runs_condition": "uniform_selection",
           "capacity_all_runs_n_facts": 40000.0, "m_star_all_runs": m_star, "n_seeds": 3,
           "selection_start_exposures": 3e5, "capacity_emp_bits_per_param": 3600 * h / params}
    shapes = {"uniform_standard": np.minimum(n, 3300) * np.where(n > 4000, 0.4, 1.0),
              "zipf_standard": np.minimum(n, 1800) * 0.9,
              "uniform_selection": np.where(n >= 4000, np.minimum(n, 3850), np.nan),
              "zipf_selection": np.where(n >= 4000, np.minimum(n, 3500), np.nan)}
    for cond, stored in shapes.items():
        out[f"{cond}__n_stored"] = stored
        out[f"{cond}__n_memorized"] = stored + (n - stored) / 256
        bits = stored * h * 1.05
        for key, value in (("n_stored", stored), ("bits_morris_per_param", bits / params),
                           ("acc_bits_per_param", stored * h / params)):
            out[f"{cond}__{key}"] = value
            out[f"{cond}__{key}_se"] = 0.02 * value
        out[f"{cond}__hist_exposures"] = np.linspace(1e5, 1e6, 10)
        out[f"{cond}__hist_n_memorized"] = np.nanmax(stored) * (1 - np.exp(-np.linspace(0.3, 3, 10)))
        out[f"{cond}__best_n_facts"] = float(n[int(np.nanargmax(stored))])
    return out


def _gardner():
    a = (np.arange(40) + 0.5) * 0.1
    out = {"alpha": a, "bits_per_param": 2.0, "rf_kappa": np.array([0.5, 2.0]), "epsilons": np.array([1.0, 0.5, 0.2]),
           "alpha_c": 2.0, "bits_per_param_at_alpha_c": 2.0}
    peak = np.where(a < 2, a, 2 * (2 / a) ** 1.5)
    for k, f in (("linear_hinge_maxmargin", 1.0), ("linear_square_minnorm", 0.55), ("linear_hinge_ridge", 0.45),
                 ("linear_square_ridge", 0.5), ("rf_hinge_kappa0p5", 0.8), ("rf_hinge_kappa2", 0.7)):
        out[f"{k}__bits_per_param"] = f * peak
    out["kernel_hinge__bits_per_dim"] = a
    for eps, tag, ac in ((1.0, "1", 2.0), (0.5, "0p5", 2.25), (0.2, "0p2", 3.0)):
        b = eps * np.where(a < ac, a, ac * (ac / a) ** 2)
        out[f"eps{tag}__bits_per_param"] = b
        out[f"eps{tag}__alpha_c"] = ac
        out[f"eps{tag}__bits_at_alpha_c"] = eps * ac
    return out


def _p_star():
    x = np.linspace(1e-3, 1.2, 40)
    ks = np.array([2, 10, 100, 1e4, 1e7])
    sub = np.array([np.minimum(1, x + (1 - np.minimum(x, 1)) / k) for k in ks])
    ps = np.minimum(1, sub + 0.2 * np.sqrt(np.clip(x * (1 - x), 0, None)) / (1 + np.log10(ks))[:, None])
    return {"x": x, "values": ks, "p_star": ps, "subset_accuracy": sub}


def _gauss(x, mu, s):
    return np.exp(-0.5 * ((x - mu) / s) ** 2) / (s * math.sqrt(2 * math.pi))


def _stylized_1d():
    x = np.linspace(-3.5, 3.5, 200)
    xt = np.array([-1.5, -0.4, 0.4, 1.2, 2.5])
    sig = np.array([0.5, 0.3, 0.05])
    prior = np.array([np.mean([_gauss(x, m, s) for m in xt], axis=0) for s in sig])
    lik = np.tile(_gauss(x, 0, 0.28), (3, 1))
    post = np.array([0.5 * (_gauss(x, -0.4, max(s, 0.1)) + _gauss(x, 0.4, max(s, 0.1))) for s in sig])
    w = np.array([[0.02, 0.46, 0.46, 0.06, 0.0], [0.0, 0.5, 0.5, 0.0, 0.0], [0.0, 0.5, 0.5, 0.0, 0.0]])
    return {"x": x, "sigmas": sig, "prior": prior, "likelihood": lik, "posterior": post, "linearized": post * 0.95,
            "x_train": xt, "w_exact": w, "w_linearized": w, "w_nodet": w, "w_lookup": w[0], "noise_std": 0.3}


def _stylized_2d():
    x1, x2 = np.linspace(-2.4, 2.8, 60), np.linspace(-2.7, 2.7, 60)
    X1, X2 = np.meshgrid(x1, x2, indexing="ij")
    ang = 2 * np.pi * np.arange(5) / 5
    xt = 2 * np.column_stack([np.cos(ang), np.sin(ang)])
    sig = np.array([0.5, 0.3, 0.05])

    def g(c, s):
        return -0.5 * ((X1 - c[0]) ** 2 + (X2 - c[1]) ** 2) / s**2

    log_prior = np.array([np.log(np.sum([np.exp(g(c, s)) for c in xt], axis=0) + 1e-300) for s in sig])
    log_lik = g((1.4, 0.0), 0.6)
    log_post = log_prior + log_lik
    w = np.array([[0.99, 0.01, 0, 0, 0], [1, 0, 0, 0, 0], [1, 0, 0, 0, 0]], float)
    return {"x1": x1, "x2": x2, "sigmas": sig, "log_prior": log_prior, "log_posterior": log_post,
            "log_likelihood": log_lik, "linearized": np.exp(log_post - log_post.max()), "x_train": xt,
            "x_true": np.array([1.4, 0.0]), "w_exact": w, "w_linearized": w, "lin_means": np.zeros((3, 5, 2)),
            "noise_std": 0.3}


def _effective_modes():
    sig = np.logspace(-2, np.log10(5), 30)
    ns = np.array([3, 5, 10, 20, 100])
    exact = np.array([1 + (n - 1) / (1 + (0.5 / sig) ** 4) for n in ns])
    return {"sigmas": sig, "n_trains": ns, "modes_exact": exact, "modes_linearized": 0.8 * exact + 0.2,
            "sigma_crit": 0.3 * 3 / ns, "noise_std": 0.3, "sigma_min_line": 0.01}


def _helmholtz():
    rng = np.random.default_rng(1)
    n = 16
    sm = np.array([0.01, 0.03, 0.1, 0.3, 1.0])
    samples = 2.2 + 0.2 * rng.standard_normal((3, 3, n, n))
    h = 2.0 / (n - 1)
    return {"n_trains": np.array([50, 200, 1000]), "sigma_mins": sm, "sigma_show": 0.01,
            "memorization_rate": np.tile([1.0, 1.0, 0.9, 0.3, 0.0], (3, 1)), "effective_modes": np.ones((3, 5)),
            "v_true": 2.2 + 0.3 * rng.standard_normal((n, n)), "samples": samples,
            "nearest": samples + 0.02 * rng.standard_normal(samples.shape), "rmse": np.full(3, 0.2),
            "top_weights": np.tile([1.0, 0, 0, 0, 0], (3, 1)), "extent_km": 2.0,
            "src_x_km": np.linspace(2, n - 3, 5) * h, "src_z_km": np.full(5, h),
            "rec_x_km": np.linspace(1, n - 2, 40) * h, "rec_z_km": np.full(40, (n - 2) * h)}



def _gcm_anisotropic():
    spectra = ["powerlaw:0.5", "powerlaw:1", "powerlaw:1.5", "spike:0.1:10"]
    a_th, a_sim = np.linspace(0.1, 4.0, 40), np.array([0.5, 1.0, 2.0, 3.0])
    d = {"spectrum": np.array(spectra), "alpha_theory": a_th, "alpha_sim": a_sim, "loss": "square", "lam": 0.1,
         "epsilon": 0.2, "d": 400, "seeds": 8}
    shift = 0.02 * np.arange(len(spectra))[:, None]
    for key, a in (("theory", a_th), ("sim", a_sim)):
        g = np.array([ridge_errors(x, 0.2, 0.1)[0] for x in a])
        m = np.array([ridge_errors(x, 0.2, 0.1)[1] for x in a])
        d[f"{key}_gen"], d[f"{key}_mem"] = g[None] + shift, m[None] * (1 + shift)
    d["sim_gen_se"] = np.full((4, 4), 0.006)
    d["sim_mem_se"] = np.full((4, 4), 0.01)
    return d


def _gcm_digits():
    alphas, a_th = np.array([0.25, 0.5, 1.0, 1.5, 2.0]), np.linspace(0.1, 2.0, 30)
    d = {"case": np.array(["(a) teacher + facts, ε = 0.3", "(b) random labels, ε = 1"]), "alpha": alphas,
         "alpha_theory": a_th, "features": "tanh", "p": 300, "n_images": 1797, "loss": "square", "lam": 0.1,
         "seeds": 8, "epsilon": 0.3}

    def curves(a):
        gen = np.array([ridge_errors(x, 0.3, 0.1)[0] for x in a])
        mem = np.array([ridge_errors(x, e, 0.1)[1] for e in (0.3, 1.0) for x in a]).reshape(2, -1)
        loss = 0.6 * (1 - np.exp(-a))[None] * np.array([[1.0], [1.3]])
        return np.vstack([gen, np.full(a.size, np.nan)]), mem, loss

    d["theory_gen"], d["theory_mem"], d["theory_loss"] = curves(a_th)
    for prefix, off in (("sim", 0.01), ("gauss", -0.01)):
        for key, val in zip(("gen", "mem", "loss"), curves(alphas)):
            d[f"{prefix}_{key}"] = val + off
            d[f"{prefix}_{key}_se"] = np.where(np.isfinite(val), 0.008, np.nan)
    return d


def _real_tradeoff():
    lam = np.logspace(-4, 2, 25)
    etas = np.array([0.5, 1.0, 2.0])
    gen, mem = np.empty((2, 3, 25)), np.empty((2, 3, 25))
    for i in range(2):
        for j, eta in enumerate(etas):
            g, m = ridge_errors(2.0, 0.2, lam * eta * (i + 1))
            gen[i, j], mem[i, j] = 0.05 + 0.4 * g + 0.01 * j, m * (1 + 0.2 * j)
    return {"learner": np.array(["krr", "svm"]), "eta": etas, "lam": lam, "mem_mean": mem, "mem_se": 0.01 + 0 * mem,
            "gen_mean": gen, "gen_se": 0.002 + 0 * gen, "rule_mean": 1 - gen, "converged_fraction": np.ones_like(gen),
            "theory_gen": gen * 0.9, "theory_mem": mem * 0.9, "alpha": 2.0, "epsilon": 0.2, "n": 128, "d": 64,
            "d_used": 61, "repeats": 10, "data": "digits", "rule": np.array(["3", "5"]), "facts": "1"}


_LM_ARMS = ("uniform_standard", "zipf_standard", "uniform_selection", "zipf_selection", "zipf_flatten_only",
            "zipf_limit_only")


def _lm_facts():
    grid, a, h, widths = np.array([50.0, 100, 200, 400]), 2, 16.0, np.array([24.0, 32, 48])
    capacity, params = 3200.0, 40_000
    m_star = a * capacity / h
    d = {"n_grid": grid, "n_attributes": a, "entropy_bits": h, "capacity_bits": capacity, "params": params,
         "params_non_embedding": 12_000, "bits_per_param": capacity / params, "m_star": capacity / h,
         "m_star_facts": m_star, "keep_individuals": 200, "n_max": 400, "zipf": 1.0,
         "n_values": np.array([256.0, 256.0]), "widths": widths, "size_params": np.array([28_000.0, 40_000, 66_000]),
         "bound_limit_facts": np.minimum(grid * a, m_star)}
    for k, arm in enumerate(_LM_ARMS):
        y = np.minimum(grid * a, m_star) * (0.9 - 0.1 * k) * (1 - np.exp(-grid / 150))
        if "selection" in arm:
            y[grid < 0.5 * 200] = np.nan
        if arm in ("uniform_selection", "zipf_flatten_only", "zipf_limit_only"):
            y[:-1] = np.nan
        d[f"{arm}__facts_memorized"] = y
        d[f"{arm}__facts_memorized_sem"] = np.where(np.isfinite(y), 6.0, np.nan)
    d["bound_size_limit_facts"] = np.minimum(400 * a, a * d["bits_per_param"] * d["size_params"] / h)
    for k, arm in enumerate(("zipf_standard", "zipf_selection")):
        d[f"{arm}__size_facts_memorized"] = d["bound_size_limit_facts"] * (0.55 + 0.2 * k)
        d[f"{arm}__size_facts_memorized_sem"] = np.full(3, 8.0)
    return d


def _trained_posterior():
    rng = np.random.default_rng(1)
    n = np.array([10, 30, 100, 300, 1000, 1618])
    sig = np.geomspace(0.01, 20.0, 10)
    frac = 1 / (1 + n / 100)
    err = 0.05 + (1 - frac)[:, None] * np.exp(-sig[None] / 2)
    imgs = {k: np.clip(rng.standard_normal((6, 2, 64)), -1, 1)
            for k in ("show_truth", "show_closed", "show_closed_nearest", "show_trained", "show_trained_nearest")}
    return {"config": "cpu", "data": "digits", "image_shape": np.array([8, 8]), "n_train": n,
            "memorization_rate": frac, "memorization_rate_sem": np.sqrt(frac * (1 - frac) / 500),
            "fresh_memorization_rate": np.full(6, 0.02), "dps_memorization_rate": np.clip(frac + 0.1, 0, 1),
            "median_d1": 1 - frac, "final_loss": 0.3 + 0.1 * frac, "sigmas": sig,
            "score_error_train": err * 0.8, "score_error_held_out": err,
            "sampler": "smc", "tv_distance": 0.2 + 0.5 * (1 - frac), "tv_distance_sem": np.full(6, 0.03),
            "tv_exact": np.zeros(6), "tv_smc": 0.2 + 0.5 * (1 - frac), "tv_smc_sem": np.full(6, 0.03),
            "tv_exact_smc": np.zeros(6), "tv_dps": 0.3 + 0.4 * (1 - frac), "tv_dps_sem": np.full(6, 0.04),
            "tv_exact_dps": 0.15 + 0.1 * (1 - frac), "tv_closed_samples": np.full(6, 0.12),
            "tv_floor": np.full(6, 0.1), "rmse_trained": 0.3 + 0.1 * frac, "rmse_exact": 0.3 + 0.2 * frac,
            "rmse_smc": 0.3 + 0.1 * frac, "rmse_exact_smc": 0.3 + 0.2 * frac, "rmse_dps": 0.29 + 0.1 * frac,
            "rmse_exact_dps": 0.28 + 0.1 * frac, "rmse_closed": 0.27 + 0.1 * frac, "rmse_best_lookup": 0.2 + 0.1 * frac,
            "smc_memorization_rate": np.clip(frac - 0.1, 0, 1), "smc_unique_particles": np.full(6, 8.0),
            "smc_resampling_steps": np.full(6, 20.0),
            "effective_modes": 1 + 3 * (1 - frac), "unconditional_samples": np.zeros((6, 4, 64)), **imgs,
            "noise_std": 0.05, "dps_step": 0.03, "ess_threshold": 0.5, "steps": 5000, "n_samples": 500, "n_obs": 128, "n_post": 32,
            "n_obs_reference": 32, "margin_split": 200.0, "tv_small_margin": 0.5 + 0.2 * (1 - frac),
            "sigma_min": 0.01, "sigma_max": 20.0}


FAKES = {
    "raf_phase_square": _phase("square"),
    "raf_phase_hinge": _phase("hinge"),
    "raf_phase_logistic": _phase("logistic"),
    "raf_phase_squared_hinge": _phase("squared_hinge"),
    "raf_tradeoff": _tradeoff,
    "raf_learning_curves": _curves,
    "raf_kernel_geometry": _geometry,
    "raf_random_features": lambda: {**synthetic_rf(n=49), "kappa": np.logspace(-1, 2, 49)},
    "raf_theory_vs_sim": _theory_vs_sim,
    "capacity_facts_vs_n": _sweep,
    "capacity_bits_vs_n": _sweep,
    "capacity_training_history": _sweep,
    "capacity_gardner_bridge": _gardner,
    "capacity_p_star": _p_star,
    "posterior_stylized_1d": _stylized_1d,
    "posterior_stylized_2d": _stylized_2d,
    "posterior_effective_modes": _effective_modes,
    "posterior_helmholtz_inversion": _helmholtz,
    "posterior_memorization_rate": _helmholtz,
    "raf_gcm_anisotropic": _gcm_anisotropic,
    "raf_gcm_digits": _gcm_digits,
    "raf_real_tradeoff": _real_tradeoff,
    "capacity_lm_facts_vs_n": _lm_facts,
    "capacity_lm_facts_vs_size": _lm_facts,
    "posterior_trained_memorization_rate": _trained_posterior,
    "posterior_trained_score_error": _trained_posterior,
    "posterior_trained_samples": _trained_posterior,
    "posterior_trained_tv": _trained_posterior,
}
