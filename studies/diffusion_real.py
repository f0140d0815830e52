"""Trained diffusion models on real images against the memorized-prior theory (``docs/theory/posterior_trained.md``).

For each training-set size N the experiment trains the score MLP of
:mod:`memtheory.simulations.score_mlp` on the first N images of the pool, then measures

1. **memorization** of unconditional samples by the nearest-neighbour ratio criterion
   ``d_1 < d_2 / 3`` (rate and binomial standard error), next to the same statistic for held-out real
   images ("fresh-data level");
2. **score error** ``||eps_theta - eps*|| / ||eps*||`` against the closed-form memorized optimum
   ``eps*`` of :class:`memtheory.solvers.posterior.MemorizedPrior` (VP form) at a grid of noise levels,
   on noised training images and on noised held-out images;
3. an **inpainting** problem on held-out images (the first half of the pixels observed, i.e. the top
   half of an image stored row-major, plus Gaussian noise ``gamma``), solved by two posterior samplers,
   each driven by the trained network and by the exact memorized denoiser: twisted sequential Monte
   Carlo (:func:`memtheory.solvers.inverse_problems.twisted_smc.twisted_smc_sample`, the default,
   asymptotically exact in its number of particles) and DPS
   (:func:`memtheory.solvers.inverse_problems.dps.dps_sample`); and the exact closed-form mixture
   posterior (:func:`memtheory.solvers.posterior.linear_posterior` at the schedule's smallest
   bandwidth). Per N: the total-variation distance between the closed-form weights over the training
   set and the distribution of each sampler's nearest training example, the RMSE of every sampler to
   the true image (with the best any lookup could do: the training image closest to the truth), and
   the data misfit of the trained model's samples against the lookup's. The headline run (twisted SMC,
   trained network) inverts ``n_obs`` images; the reference runs (DPS, and both samplers with the exact
   denoiser) the first ``n_obs_reference`` of them. The TV distance is also split by the *lookup
   margin* of each image (the log ratio of the two largest closed-form weights), because the trained
   model departs from the lookup mostly where a second training image is nearly as likely.

The configurations ``smoke`` (tests, under two minutes on two cores), ``cpu`` (the gallery's) and
``gpu`` (larger network and budget, ``device="cuda"``) are in :data:`CONFIGS`.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np
from threadpoolctl import threadpool_limits

from memtheory.simulations.image_data import load_image_data
from memtheory.simulations.score_mlp import ScoreMLPConfig, sample, train_score_mlp
from memtheory.solvers.inverse_problems.dps import MemorizedDenoiser, dps_sample
from memtheory.solvers.inverse_problems.twisted_smc import twisted_smc_sample
from memtheory.solvers.posterior.gaussian_mixture import effective_modes, linear_posterior
from memtheory.solvers.posterior.memorization import nearest_distances
from memtheory.solvers.posterior.prior import MemorizedPrior
from memtheory.solvers.posterior.sample_metrics import (
    lookup_margin,
    memorization_fraction,
    nearest_example_distribution,
    relative_error,
    total_variation,
)
from memtheory.solvers.posterior.schedule import linear_schedule

__all__ = ["ExperimentConfig", "CONFIGS", "get_config", "run_experiment", "trained_prior_study", "summary",
           "write_summary"]



SAMPLERS = ("smc", "dps")


@dataclass(frozen=True)
class ExperimentConfig:
    """Everything one run of the experiment depends on.

    Attributes
    ----------
    name : str
    n_train : tuple of int or None
        Training-set sizes; ``None`` means the whole pool. Sizes above the pool are clipped to it.
    model : ScoreMLPConfig
        Network, schedule and step budget (the same for every N).
    n_samples : int
        Unconditional samples per N for the memorization rate.
    n_probe : int
        Probe points per noise level for the score error.
    n_sigma : int
        Noise levels (log-spaced in the schedule's VE bandwidth) for the score error.
    n_obs, n_post : int
        Held-out images inverted by twisted SMC with the trained network (the headline
        ``tv_distance``), and posterior samples (particles) per image and sampler.
    n_obs_reference : int or None
        The first ``n_obs_reference`` of those images are also inverted by the reference runs: DPS
        with both denoisers, and twisted SMC with the exact memorized denoiser (paired with the
        trained run by sharing its random stream). ``None``: all ``n_obs``. The reference runs cost
        more per image (DPS one image at a time; the exact denoiser grows with N), which is why the
        headline statistic can afford more images than they can.
    margin_split : float
        Lookup-margin threshold in nats (:func:`~memtheory.solvers.posterior.sample_metrics.lookup_margin`
        of the closed-form log weights): the TV distance is also reported separately over the images
        whose runner-up training image is within ``margin_split`` nats of the lookup's choice and
        over the others.
    noise_std : float
        Data noise ``gamma``.
    sampler : {"smc", "dps"}
        The posterior sampler behind the headline ``tv_distance``, ``rmse_trained`` and the pictures:
        twisted SMC (default) or DPS. Both always run; both are reported.
    dps_step : float
        DPS ``zeta`` (un-squared-norm rule, gradient through the denoiser).
    ess_threshold : float
        Twisted SMC resamples when the effective sample size falls below this fraction of ``n_post``.
    n_test : int or None
        Held-out images (default 10 % of the data).
    n_show : int
        Inverted images kept (as pictures) per N for the figure.
    seed : int
    """

    name: str
    n_train: tuple
    model: ScoreMLPConfig
    n_samples: int = 500
    n_probe: int = 128
    n_sigma: int = 10
    n_obs: int = 16
    n_post: int = 32
    n_obs_reference: int | None = None
    margin_split: float = 200.0
    noise_std: float = 0.05
    sampler: str = "smc"
    dps_step: float = 0.03
    ess_threshold: float = 0.5
    n_test: int | None = None
    n_show: int = 2
    seed: int = 0
    notes: str = field(default="", compare=False)

    def __post_init__(self):
        if not self.n_train:
            raise ValueError("n_train must list at least one training-set size")
        for n in self.n_train:
            if n is not None and (not isinstance(n, (int, np.integer)) or n < 2):
                raise ValueError(f"n_train entries must be integers >= 2 or None (all), got {n!r}")
        for name in ("n_samples", "n_probe", "n_sigma", "n_obs", "n_post", "n_show"):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
        if self.n_obs_reference is not None and (
                not isinstance(self.n_obs_reference, (int, np.integer)) or self.n_obs_reference < 1):
            raise ValueError(f"n_obs_reference must be an integer >= 1 or None, got {self.n_obs_reference!r}")
        if not (self.margin_split > 0 and math.isfinite(self.margin_split)):
            raise ValueError(f"margin_split must be > 0 (allowed range (0, inf)), got {self.margin_split!r}")
        if not (self.noise_std > 0 and math.isfinite(self.noise_std)):
            raise ValueError(f"noise_std must be > 0 (allowed range (0, inf)), got {self.noise_std!r}")
        if not (self.dps_step > 0 and math.isfinite(self.dps_step)):
            raise ValueError(f"dps_step must be > 0 (allowed range (0, inf)), got {self.dps_step!r}")
        if self.sampler not in SAMPLERS:
            raise ValueError(f"unknown sampler {self.sampler!r}; allowed: {', '.join(SAMPLERS)}")
        if not 0.0 <= self.ess_threshold <= 1.0:
            raise ValueError(f"ess_threshold must be in [0, 1], got {self.ess_threshold!r}")


SMOKE = ExperimentConfig(
    name="smoke",
    n_train=(10, 60),
    model=ScoreMLPConfig(hidden=64, n_blocks=2, steps=400, batch=128, lr=3e-3, nt=100, beta_max=0.1),
    n_samples=100, n_probe=32, n_sigma=4, n_obs=3, n_obs_reference=2, n_post=8, n_show=1,
    notes="seconds; exercises every code path, numbers are not meaningful",
)

CPU = ExperimentConfig(
    name="cpu",
    n_train=(10, 30, 100, 300, 1000, None),
    model=ScoreMLPConfig(hidden=256, n_blocks=3, steps=5000, batch=128, lr=2e-3, nt=200, beta_max=0.05),
    n_samples=500, n_probe=128, n_sigma=10, n_obs=128, n_obs_reference=32, n_post=32,
    notes="about 9.5 CPU-minutes on one thread (566 s measured), training about 40 s per N",
)

GPU = ExperimentConfig(
    name="gpu",
    n_train=(10, 30, 100, 300, 1000, None),
    model=ScoreMLPConfig(hidden=1024, n_blocks=4, steps=40000, batch=512, lr=1e-3, nt=200, beta_max=0.05,
                         device="cuda", threads=4),
    n_samples=2000, n_probe=512, n_sigma=16, n_obs=512, n_obs_reference=64, n_post=64,
    notes="defined for a GPU machine; not run yet",
)

CONFIGS = {"smoke": SMOKE, "cpu": CPU, "gpu": GPU}


def get_config(name) -> ExperimentConfig:
    """The configuration called ``name`` (``smoke``, ``cpu``, ``gpu``), or ``name`` itself if it is one."""
    if isinstance(name, ExperimentConfig):
        return name
    if name not in CONFIGS:
        raise ValueError(f"unknown config {name!r}; allowed: {', '.join(CONFIGS)}")
    return CONFIGS[name]


def _mask_operator(d: int) -> np.ndarray:
    """Selection of the first half of the pixels (the top rows of a row-major image)."""
    return np.eye(d)[: d // 2]


def _probe_steps(alpha_bars: np.ndarray, n_sigma: int) -> np.ndarray:
    sig = np.sqrt((1 - alpha_bars) / alpha_bars)
    targets = np.geomspace(sig[0], sig[-1], n_sigma)
    return np.unique([int(np.argmin(np.abs(np.log(sig) - math.log(s)))) for s in targets])


def _score_errors(trained, X: np.ndarray, held: np.ndarray, steps: np.ndarray, n_probe: int,
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    err_train, err_held = np.empty(steps.size), np.empty(steps.size)
    for k, t in enumerate(steps):
        ab = float(trained.alpha_bars[t])
        prior = MemorizedPrior.vp(X, ab)
        for source, out in ((X, err_train), (held, err_held)):
            x0 = source[rng.integers(0, source.shape[0], n_probe)]
            xt = math.sqrt(ab) * x0 + math.sqrt(1 - ab) * rng.standard_normal(x0.shape)
            out[k] = relative_error(trained.eps(xt, int(t)), prior.eps_prediction(xt))
    return err_train, err_held


def _rmse(samples: np.ndarray, truth: np.ndarray) -> float:
    return float(np.sqrt(np.mean((samples - truth) ** 2)))


def _tv_and_rmse(samples: np.ndarray, w: np.ndarray, X: np.ndarray, x_true: np.ndarray) -> tuple[float, float]:
    return total_variation(w, nearest_example_distribution(samples, X)), _rmse(samples, x_true)


def _n_reference(cfg: ExperimentConfig) -> int:
    return cfg.n_obs if cfg.n_obs_reference is None else min(cfg.n_obs, cfg.n_obs_reference)


def _inverse_problem(trained, X: np.ndarray, truths: np.ndarray, cfg: ExperimentConfig, sched, seed: int) -> dict:
    """Both posterior samplers, each with the trained model and with the exact memorized denoiser, on the truths.

    Twisted SMC with the trained model inverts every truth (in two batches: the first
    ``n_obs_reference`` images, then the rest, each batch with its own random stream); the reference
    runs (DPS with both denoisers, twisted SMC with the exact denoiser) invert the first
    ``n_obs_reference``. DPS runs image by image (its misfit callback is per data vector). The trained
    and the exact run of a sampler share their random streams, so that their difference on the
    reference images is the denoiser only.
    """
    d = X.shape[1]
    A = _mask_operator(d)
    gamma = cfg.noise_std
    n_ref = _n_reference(cfg)
    exact_denoiser = MemorizedDenoiser(X, sched)
    prior0 = MemorizedPrior.vp(X, float(sched.alpha_bars[0]))
    rng_noise = np.random.default_rng(seed)
    Y = np.array([A @ x_true + gamma * rng_noise.standard_normal(A.shape[0]) for x_true in truths])

    def run_smc(den, rows, stream):
        return twisted_smc_sample(den, A, Y[rows], gamma, sched, cfg.n_post, np.random.default_rng(stream),
                                  ess_threshold=cfg.ess_threshold)

    ref_rows, extra_rows = slice(0, n_ref), slice(n_ref, len(truths))
    smc_ref = run_smc(trained, ref_rows, seed + 4000)
    smc_exact = run_smc(exact_denoiser, ref_rows, seed + 4000)
    parts = [smc_ref] + ([run_smc(trained, extra_rows, seed + 5000)] if len(truths) > n_ref else [])
    smc_samples = np.concatenate([r.samples for r in parts])
    smc_unique = np.concatenate([r.n_unique for r in parts])
    smc_resampled = np.concatenate([r.n_resampled for r in parts])

    keys = ("tv_dps", "tv_exact_dps", "tv_smc", "tv_smc_ref", "tv_exact_smc", "tv_closed_samples", "tv_floor",
            "rmse_dps", "rmse_exact_dps", "rmse_smc", "rmse_exact_smc", "rmse_closed", "rmse_best_lookup", "modes",
            "margin", "mem_dps", "mem_smc", "smc_unique", "smc_resampled", "misfit_smc", "misfit_dps",
            "misfit_lookup")
    out = {k: [] for k in keys}
    show = {k: [] for k in ("truth", "closed", "closed_nearest", "trained", "trained_nearest")}

    def misfit_of(points, y):
        r = points @ A.T - y
        return 0.5 * np.sum(r * r, axis=1) / gamma**2

    for j, (x_true, y) in enumerate(zip(truths, Y)):
        post = linear_posterior(prior0, A, y, gamma)
        w = post.weights
        s_smc = smc_samples[j]
        tv, rm = _tv_and_rmse(s_smc, w, X, x_true)
        out["tv_smc"].append(tv)
        out["rmse_smc"].append(rm)
        out["margin"].append(lookup_margin(post.log_weights))
        s_cf = post.sample(cfg.n_post, np.random.default_rng(seed + 2000 + j))
        out["tv_closed_samples"].append(total_variation(w, nearest_example_distribution(s_cf, X)))
        # What n_post exact draws from w would score: the sampling floor of the TV statistic.
        draws = np.random.default_rng(seed + 3000 + j).multinomial(cfg.n_post, w, size=200) / cfg.n_post
        out["tv_floor"].append(float(np.mean(0.5 * np.abs(draws - w).sum(axis=1))))
        out["rmse_closed"].append(_rmse(s_cf, x_true))
        out["rmse_best_lookup"].append(float(np.sqrt(np.min(np.mean((X - x_true) ** 2, axis=1)))))
        out["modes"].append(effective_modes(w))
        out["mem_smc"].append(memorization_fraction(np.clip(s_smc, -1, 1), X)[0])
        out["misfit_smc"].append(float(np.mean(misfit_of(s_smc, y))))
        out["misfit_lookup"].append(float(np.min(misfit_of(X, y))))
        out["smc_unique"].append(int(smc_unique[j]))
        out["smc_resampled"].append(int(smc_resampled[j]))
        if j >= n_ref:
            continue

        def misfit_gradient(x0, y=y):
            r = A @ x0 - y
            return 0.5 * float(r @ r) / gamma**2, A.T @ r / gamma**2

        # Same seed for both DPS runs: the difference is the denoiser only.
        s_dps = dps_sample(trained, misfit_gradient, sched, cfg.n_post, d, np.random.default_rng(seed + 1000 + j),
                           step=cfg.dps_step, through_denoiser=True).samples
        s_ex = dps_sample(exact_denoiser, misfit_gradient, sched, cfg.n_post, d,
                          np.random.default_rng(seed + 1000 + j), step=cfg.dps_step, through_denoiser=True).samples
        out["tv_smc_ref"].append(tv)
        for tag, smp in (("dps", s_dps), ("exact_dps", s_ex), ("exact_smc", smc_exact.samples[j])):
            tv_k, rm_k = _tv_and_rmse(smp, w, X, x_true)
            out[f"tv_{tag}"].append(tv_k)
            out[f"rmse_{tag}"].append(rm_k)
        out["mem_dps"].append(memorization_fraction(np.clip(s_dps, -1, 1), X)[0])
        out["misfit_dps"].append(float(np.mean(misfit_of(s_dps, y))))
        if j < cfg.n_show:
            s_tr = s_smc if cfg.sampler == "smc" else s_dps
            show["truth"].append(x_true)
            show["closed"].append(s_cf[0])
            show["closed_nearest"].append(X[int(np.argmax(nearest_example_distribution(s_cf[:1], X)))])
            show["trained"].append(s_tr[0])
            show["trained_nearest"].append(X[int(np.argmax(nearest_example_distribution(s_tr[:1], X)))])
    res = {k: np.asarray(v) for k, v in out.items()}
    res.update({f"show_{k}": np.asarray(v) for k, v in show.items()})
    return res


def _setup(cfg: ExperimentConfig, data: str):
    images = load_image_data(data, n_test=cfg.n_test, seed=cfg.seed)
    pool = images.pool.shape[0]
    sizes = sorted({min(pool, n) if n is not None else pool for n in cfg.n_train})
    if sizes[0] < 2:
        raise ValueError(f"the data leave only {pool} training images; need at least 2")
    if cfg.n_obs > images.held_out.shape[0]:
        cfg = replace(cfg, n_obs=images.held_out.shape[0])
    if cfg.n_show > _n_reference(cfg):
        cfg = replace(cfg, n_show=_n_reference(cfg))
    return cfg, images, sizes


def _run_size(cfg: ExperimentConfig, data: str, N: int, on_progress=None, on_phase=None) -> dict:
    """Train on the first N pool images and measure everything for that N.

    Every N uses the same seeds (network initialisation and batches, sampling noise, probe points,
    observation noise, DPS noise), so differences between N come from the training set alone and the
    result for one N does not depend on which other sizes are run.

    BLAS runs on one thread: every product here is small (at most a few thousand by 64), and above
    a few hundred training images OpenBLAS would split them across threads, whose start-up and
    spinning cost more than the product itself (tens of times more on a busy machine).
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _run_size_serial(cfg, data, N, on_progress, on_phase)


def _run_size_serial(cfg: ExperimentConfig, data: str, N: int, on_progress=None, on_phase=None) -> dict:
    cfg, images, _ = _setup(cfg, data)
    phase = on_phase or (lambda text: None)
    tick = on_progress or (lambda k: None)
    mc = cfg.model
    sched = linear_schedule(mc.nt, mc.beta_min, mc.beta_max)
    X = images.train(N)
    phase(f"N={N} training")
    trained = train_score_mlp(X, replace(mc, seed=cfg.seed), on_progress=on_progress)
    if not np.allclose(trained.alpha_bars, sched.alpha_bars, rtol=1e-12, atol=0):
        raise RuntimeError("the trained model's schedule differs from solvers.posterior's linear_schedule")
    phase(f"N={N} sampling")
    S = np.clip(sample(trained, cfg.n_samples, seed=cfg.seed + 10_000), -1.0, 1.0)
    rate, sem = memorization_fraction(S, X)
    fresh, _ = memorization_fraction(images.held_out, X)
    d1 = nearest_distances(S, X, 1)[0][:, 0]
    tick(1)
    phase(f"N={N} score error")
    e_tr, e_ho = _score_errors(trained, X, images.held_out, _probe_steps(sched.alpha_bars, cfg.n_sigma), cfg.n_probe,
                               np.random.default_rng(cfg.seed + 20_000))
    tick(1)
    phase(f"N={N} inpainting")
    inv = _inverse_problem(trained, X, images.held_out[: cfg.n_obs], cfg, sched, cfg.seed + 30_000)
    tick(1)
    return dict(rate=rate, sem=sem, fresh=fresh, d1=float(np.median(d1)), e_tr=e_tr, e_ho=e_ho, inv=inv,
                loss=float(trained.losses[-max(1, len(trained.losses) // 10):].mean()), samples=S[:8])


def run_experiment(config="cpu", data: str = "digits", progress: bool = False, jobs: int = 1) -> dict:
    """Run the experiment; return a dict of arrays (one row per training-set size).

    Parameters
    ----------
    config : str or ExperimentConfig
        ``"smoke"``, ``"cpu"``, ``"gpu"`` or a configuration.
    data : str
        ``"digits"`` or a ``.npz`` path holding ``X``.
    progress : bool
        Show a tqdm bar on stderr (training steps, plus one unit per evaluation).
    jobs : int
        Worker processes, one training-set size each (results do not depend on ``jobs``).

    Returns
    -------
    dict
        ``n_train``, ``memorization_rate``, ``memorization_rate_sem``, ``fresh_memorization_rate``,
        ``median_d1``, ``sigmas``, ``score_error_train``, ``score_error_held_out`` (N x sigma),
        ``sampler``; ``tv_distance`` (mean over inverted images) and ``tv_distance_sem``, ``tv_exact``,
        ``rmse_trained``, ``rmse_exact`` of that sampler with the trained model and with the exact memorized
        denoiser; the same per sampler (``tv_dps``, ``tv_dps_sem``, ``tv_exact_dps``, ``tv_smc``,
        ``tv_smc_sem``, ``tv_exact_smc``, ``rmse_dps``, ...); ``tv_closed_samples``, ``tv_floor``,
        ``rmse_closed``, ``rmse_best_lookup``, ``effective_modes``, ``dps_memorization_rate``,
        ``smc_memorization_rate``, ``smc_unique_particles`` (distinct particles among the ``n_post``
        returned), ``smc_resampling_steps``, ``misfit_smc``, ``misfit_dps`` (mean data misfit
        ``||A x - y||^2 / (2 gamma^2)`` of the trained model's samples) and ``misfit_lookup`` (the best
        training image's), ``show_*`` pictures, ``final_loss`` and scalars describing
        the set-up.
    """
    cfg = get_config(config)
    if not isinstance(jobs, (int, np.integer)) or jobs < 1:
        raise ValueError(f"jobs must be an integer >= 1, got {jobs!r}")
    cfg, images, sizes = _setup(cfg, data)
    mc = cfg.model
    sched = linear_schedule(mc.nt, mc.beta_min, mc.beta_max)
    steps = _probe_steps(sched.alpha_bars, cfg.n_sigma)

    from tqdm.auto import tqdm

    bar = tqdm(total=len(sizes) * (mc.steps + 3), desc=f"diffusion experiment ({cfg.name})", unit="step",
               disable=not progress, leave=True, dynamic_ncols=True)
    with bar:
        if jobs == 1 or len(sizes) == 1:
            rows = [_run_size(cfg, data, N, bar.update, bar.set_postfix_str) for N in sizes]
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=min(jobs, len(sizes)), mp_context=ctx) as pool:
                # largest N first: the workers then finish at about the same time
                futures = {N: pool.submit(_run_size, cfg, data, N) for N in sorted(sizes, reverse=True)}
                rows_by_n = {}
                for N in sorted(sizes, reverse=True):
                    rows_by_n[N] = futures[N].result()
                    bar.update(mc.steps + 3)
            rows = [rows_by_n[N] for N in sizes]
    inv = [r["inv"] for r in rows]
    mean = lambda k: np.array([v[k].mean() for v in inv])  # noqa: E731
    sem = lambda k: np.array([_sem(v[k]) for v in inv])  # noqa: E731
    by_margin = [_split_by_margin(v[f"tv_{cfg.sampler}"], v["margin"], cfg.margin_split) for v in inv]
    return dict(
        config=cfg.name,
        data=images.source,
        image_shape=np.asarray(images.shape if len(images.shape) == 2 else (1, images.d)),
        n_train=np.asarray(sizes),
        memorization_rate=np.array([r["rate"] for r in rows]),
        memorization_rate_sem=np.array([r["sem"] for r in rows]),
        fresh_memorization_rate=np.array([r["fresh"] for r in rows]),
        median_d1=np.array([r["d1"] for r in rows]),
        final_loss=np.array([r["loss"] for r in rows]),
        sigmas=np.sqrt((1 - sched.alpha_bars[steps]) / sched.alpha_bars[steps]),
        score_error_train=np.array([r["e_tr"] for r in rows]),
        score_error_held_out=np.array([r["e_ho"] for r in rows]),
        sampler=cfg.sampler,
        tv_distance=mean(f"tv_{cfg.sampler}"),
        tv_distance_sem=sem(f"tv_{cfg.sampler}"),
        tv_exact=mean(f"tv_exact_{cfg.sampler}"),
        rmse_trained=mean(f"rmse_{cfg.sampler}"),
        rmse_exact=mean(f"rmse_exact_{cfg.sampler}"),
        **{f"tv_{k}": mean(f"tv_{k}") for k in ("dps", "exact_dps", "smc", "exact_smc")},
        **{f"tv_{k}_sem": sem(f"tv_{k}") for k in ("dps", "smc")},
        **{f"rmse_{k}": mean(f"rmse_{k}") for k in ("dps", "exact_dps", "smc", "exact_smc")},
        tv_smc_reference=mean("tv_smc_ref"),
        lookup_margin_median=np.array([float(np.median(v["margin"])) for v in inv]),
        small_margin_fraction=np.array([b[0] for b in by_margin]),
        tv_small_margin=np.array([b[1] for b in by_margin]),
        tv_small_margin_sem=np.array([b[2] for b in by_margin]),
        tv_large_margin=np.array([b[3] for b in by_margin]),
        tv_large_margin_sem=np.array([b[4] for b in by_margin]),
        tv_per_image=np.array([v[f"tv_{cfg.sampler}"] for v in inv]),
        lookup_margin=np.array([v["margin"] for v in inv]),
        tv_closed_samples=mean("tv_closed_samples"),
        tv_floor=mean("tv_floor"),
        rmse_closed=mean("rmse_closed"),
        rmse_best_lookup=mean("rmse_best_lookup"),
        effective_modes=mean("modes"),
        dps_memorization_rate=mean("mem_dps"),
        smc_memorization_rate=mean("mem_smc"),
        smc_unique_particles=mean("smc_unique"),
        smc_resampling_steps=mean("smc_resampled"),
        misfit_smc=mean("misfit_smc"),
        misfit_dps=mean("misfit_dps"),
        misfit_lookup=mean("misfit_lookup"),
        unconditional_samples=np.array([r["samples"] for r in rows]),
        **{k: np.array([v[k] for v in inv]) for k in inv[0] if k.startswith("show_")},
        noise_std=float(cfg.noise_std),
        dps_step=float(cfg.dps_step),
        ess_threshold=float(cfg.ess_threshold),
        steps=int(mc.steps),
        n_samples=int(cfg.n_samples),
        n_obs=int(cfg.n_obs),
        n_obs_reference=int(_n_reference(cfg)),
        margin_split=float(cfg.margin_split),
        n_post=int(cfg.n_post),
        sigma_min=float(sched.sigma_ve[0]),
        sigma_max=float(sched.sigma_ve[-1]),
    )


def _sem(values: np.ndarray) -> float:
    values = np.asarray(values, dtype=np.float64)
    return float(values.std(ddof=1) / math.sqrt(values.size)) if values.size > 1 else float("nan")


def _split_by_margin(tv: np.ndarray, margin: np.ndarray, split: float) -> tuple[float, float, float, float, float]:
    """``(fraction of images with margin < split, mean TV and s.e. over them, mean TV and s.e. over the rest)``.

    ``tv`` may cover only the first images (the reference subset); ``margin`` is cut to match. An empty
    group gives NaN.
    """
    tv = np.asarray(tv, dtype=np.float64)
    small = np.asarray(margin, dtype=np.float64)[: tv.size] < split
    stats = []
    for group in (tv[small], tv[~small]):
        stats += [float(group.mean()) if group.size else float("nan"), _sem(group)]
    return (float(small.mean()), *stats)


def trained_prior_study(config: str = "cpu", data: str = "digits") -> dict:
    """Gallery producer: :func:`run_experiment` without a progress bar."""
    return run_experiment(config, data, progress=False)


trained_prior_study.gallery_cost = 20.0  # the slowest producer of the gallery: start it first

SUMMARY_KEYS = ("n_train", "memorization_rate", "memorization_rate_sem", "fresh_memorization_rate", "tv_distance",
                "tv_distance_sem", "tv_exact", "tv_smc", "tv_smc_sem", "tv_smc_reference", "tv_exact_smc",
                "lookup_margin_median", "small_margin_fraction", "tv_small_margin", "tv_small_margin_sem",
                "tv_large_margin", "tv_large_margin_sem", "tv_dps", "tv_dps_sem",
                "tv_exact_dps", "tv_closed_samples", "tv_floor", "rmse_trained", "rmse_exact", "rmse_smc",
                "rmse_exact_smc", "rmse_dps", "rmse_exact_dps", "rmse_closed", "rmse_best_lookup", "effective_modes",
                "smc_memorization_rate", "dps_memorization_rate", "smc_unique_particles", "smc_resampling_steps",
                "misfit_smc", "misfit_dps", "misfit_lookup",
                "median_d1", "final_loss")


_SAMPLER_NAMES = {"smc": "twisted SMC", "dps": "DPS"}


def summary(result: dict, config=None) -> dict:
    """JSON-ready summary: the per-N lists (aligned with ``n_train``), the score errors and the set-up."""
    out = {k: np.asarray(result[k]).tolist() for k in SUMMARY_KEYS}
    out.update(
        sigmas=np.asarray(result["sigmas"]).tolist(),
        score_error_train=np.asarray(result["score_error_train"]).tolist(),
        score_error_held_out=np.asarray(result["score_error_held_out"]).tolist(),
        config=str(result["config"]),
        data=str(result["data"]),
        criterion="memorized if d1 < d2 / 3 (nearest / second-nearest training example, Euclidean, samples clipped to [-1, 1])",
        sampler=str(result["sampler"]),
        inverse_problem=f"inpainting: first half of the pixels observed, noise std {float(result['noise_std']):g}; "
                        f"headline sampler {_SAMPLER_NAMES[str(result['sampler'])]}; twisted SMC with "
                        f"{int(result['n_post'])} particles (ESS threshold {float(result['ess_threshold']):g}); "
                        f"DPS step {float(result['dps_step']):g}, gradient through the network; "
                        f"{int(result['n_obs'])} held-out images inverted by twisted SMC with the trained network, "
                        f"the first {int(result['n_obs_reference'])} of them also by DPS and by both samplers with "
                        f"the exact memorized denoiser; small lookup margin: runner-up within "
                        f"{float(result['margin_split']):g} nats of the lookup's choice",
        tv_per_image=np.asarray(result["tv_per_image"]).tolist(),
        lookup_margin=np.asarray(result["lookup_margin"]).tolist(),
    )
    if config is not None:
        c = get_config(config)
        out["settings"] = json.loads(json.dumps(asdict(c), default=str))
    return out


def write_summary(result: dict, path, config=None) -> None:
    """Write :func:`summary` as indented JSON."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(summary(result, config), f, indent=1)
