"""Twisted sequential Monte Carlo for a linear Gaussian observation (docs/theory/posterior_trained.md §5).

Literature: Wu, Trippe, Naesseth, Blei and Cunningham, *Practical and asymptotically exact conditional
sampling in diffusion models* (TDS, arXiv:2306.17775, Algorithm 1). ``K`` particles run the reverse DDPM
(ancestral) chain of a denoiser; a twisting function

    p~_t(y | x_t) = N(y; A x0_hat(x_t), (gamma^2 + r_t^2) I),   r_t^2 = 1 - abar_t,

(the likelihood at the Tweedie estimate, its variance widened by the prior variance of ``x_0`` given
``x_t`` for data of unit scale, as in Song et al.'s Pi-GDM) both steers the proposal and reweights the
particles:

* proposal ``x_{t-1} ~ N(mu(x_t) + (beta_t / sqrt(alpha_t)) grad_{x_t} log p~_t, var_t I)``, the
  DDPM step of the prior with the twisted score (one vector-Jacobian product through the denoiser),
  the drift capped in norm (a trust region; any proposal leaves the target unchanged);
* incremental log weight ``log p(x_{t-1} | x_t) - log q(x_{t-1} | x_t) + log p~_{t-1}(y | x_{t-1}) -
  log p~_t(y | x_t)``, systematic resampling when the effective sample size falls below a fraction of
  ``K``.

At step 0 the twisting is (up to ``r_0^2 = 1 - abar_0``) the exact likelihood of the denoised point,
so the weighted particles target the prior at step 0 times the likelihood, the same posterior as the
closed form of :func:`memtheory.solvers.posterior.linear_posterior`; the approximation error of the
twisting functions only costs variance, and the sampler is exact as ``K -> infinity``. The returned
samples are the particles' Tweedie estimates at step 0 after a final resampling by these weights: they
share ancestors (several returned rows may be copies of one particle), which is what a posterior
concentrated on one training example requires but means that ``K`` rows are not ``K`` independent draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_array, check_interval, check_positive, check_positive_int
from memtheory.solvers.posterior.schedule import DDPMSchedule

__all__ = ["TwistedSMCResult", "twisted_smc_sample"]


@dataclass(frozen=True, eq=False)
class TwistedSMCResult:
    """Result of :func:`twisted_smc_sample`.

    Attributes
    ----------
    samples : ndarray, shape (G, K, d), or (K, d) for a single data vector
        Final samples of each data vector's ``K`` particles (after the final resampling).
    log_weights : ndarray, shape (G, K)
        Normalised final log weights before the final resampling.
    ess : ndarray, shape (G, nt)
        Effective sample size of each group at each step, before any resampling (index = step).
    n_resampled : ndarray, shape (G,)
        Steps at which a group was resampled (the final resampling not counted).
    n_unique : ndarray, shape (G,)
        Distinct particles among the returned samples.

    See docs/theory/posterior_trained.md §5.
    """

    samples: np.ndarray
    log_weights: np.ndarray
    ess: np.ndarray
    n_resampled: np.ndarray
    n_unique: np.ndarray


def _linearize(denoiser, x: np.ndarray, t: int):
    """``(x0_hat, v -> (d x0_hat / dx)^T v)`` at ``x``; one forward pass when the denoiser offers ``linearize``."""
    if hasattr(denoiser, "linearize"):
        return denoiser.linearize(x, t)
    return denoiser.denoise(x, t), lambda v: denoiser.vjp(x, t, v)


def _normalise(logw: np.ndarray) -> np.ndarray:
    """Log weights normalised per row (log-sum-exp)."""
    mx = logw.max(axis=1, keepdims=True)
    return logw - (mx + np.log(np.exp(logw - mx).sum(axis=1, keepdims=True)))


def _systematic(logw_norm: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Systematic resampling, one uniform per row; returns ancestor indices (G, K) within each row."""
    G, K = logw_norm.shape
    cdf = np.cumsum(np.exp(logw_norm), axis=1)
    cdf[:, -1] = 1.0
    pos = (rng.uniform(size=(G, 1)) + np.arange(K)[None, :]) / K
    return np.minimum(np.array([np.searchsorted(c, p) for c, p in zip(cdf, pos)]), K - 1)


def twisted_smc_sample(
    denoiser,
    A,
    y,
    noise_std: float,
    schedule: DDPMSchedule,
    n_particles: int,
    rng: np.random.Generator,
    *,
    ess_threshold: float = 0.5,
    max_shift: float = 1.0,
    x_init=None,
) -> TwistedSMCResult:
    """Posterior samples for ``y = A x + N(0, noise_std^2 I)`` by twisted SMC (module docstring).

    Parameters
    ----------
    denoiser : object
        ``denoise(x, t) -> x0_hat`` (B, d) and ``vjp(x, t, v) -> (d x0_hat / dx)^T v``, or
        ``linearize(x, t) -> (x0_hat, vjp_fn)``.
    A : array_like, shape (m, d)
        Linear forward operator.
    y : array_like, shape (m,) or (G, m)
        Data; ``G`` independent inverse problems run as one batch of ``G * n_particles`` rows.
    noise_std : float
        ``gamma > 0``.
    schedule : DDPMSchedule
        The DDPM schedule the denoiser was built for.
    n_particles : int
        Particles ``K`` per data vector, >= 1.
    rng : numpy.random.Generator
    ess_threshold : float, default 0.5
        Resample a group when its effective sample size is below ``ess_threshold * K``; in [0, 1].
    max_shift : float, default 1.0
        Cap on the norm of the twisted drift of one step, in units of ``sqrt(var_t d)`` (the typical norm
        of that step's noise); > 0. With the exact memorized denoiser the drift stays below about half of
        that.
    x_init : array_like, optional
        Starting ``x_T``, shape (G * K, d); default standard normal.

    Returns
    -------
    TwistedSMCResult

    Examples
    --------
    Two memorized points, equally likely a priori; data observing the first coordinate at 0.6 favour
    ``(1, 0)`` over ``(-1, 0)`` by ``exp(2 * 0.6 / 0.5**2) ~ 121``, so nearly every sample is ``(1, 0)``:

    >>> import numpy as np
    >>> from memtheory.solvers.inverse_problems.dps import MemorizedDenoiser
    >>> from memtheory.solvers.posterior.schedule import linear_schedule
    >>> sched = linear_schedule(nt=50, beta_max=0.2)
    >>> den = MemorizedDenoiser(np.array([[-1.0, 0.0], [1.0, 0.0]]), sched)
    >>> res = twisted_smc_sample(den, [[1.0, 0.0]], [0.6], 0.5, sched, 64, np.random.default_rng(0))
    >>> res.samples.shape, float(np.mean(res.samples[:, 0] > 0))
    ((64, 2), 1.0)

    See docs/theory/posterior_trained.md §5.
    """
    gamma = check_positive("noise_std", noise_std)
    K = check_positive_int("n_particles", n_particles)
    thr = check_interval("ess_threshold", ess_threshold, 0.0, 1.0)
    max_shift = check_positive("max_shift", max_shift)
    A = check_array("A", A, ndim=2)
    m, d = A.shape
    y_arr = check_array("y", y)
    single = y_arr.ndim == 1
    Y = y_arr[None, :] if single else y_arr
    if Y.ndim != 2 or Y.shape[1] != m:
        raise ValueError(f"y must have shape ({m},) or (G, {m}), got {y_arr.shape}")
    G = Y.shape[0]
    Yrows = np.repeat(Y, K, axis=0)
    x = rng.standard_normal((G * K, d)) if x_init is None else check_array(
        "x_init", x_init, shape=(G * K, d)).copy()
    ab, al, be = schedule.alpha_bars, schedule.alphas, schedule.betas
    g2 = gamma * gamma
    logw = np.zeros((G, K))
    prev_twist = np.zeros(G * K)
    ess = np.empty((G, schedule.nt))
    n_res = np.zeros(G, dtype=int)
    base = (np.arange(G) * K)[:, None]
    for i in range(schedule.nt - 1, -1, -1):
        x0, vjp = _linearize(denoiser, x, i)
        s2 = g2 + (1.0 - ab[i])
        resid = Yrows - x0 @ A.T
        twist = -0.5 * np.sum(resid * resid, axis=1) / s2
        logw += (twist - prev_twist).reshape(G, K)
        lw = _normalise(logw)
        ess[:, i] = 1.0 / np.exp(2.0 * lw).sum(axis=1)
        if i == 0:
            break
        grad = vjp((resid @ A) / s2)
        ab_prev = ab[i - 1]
        c1 = np.sqrt(al[i]) * (1.0 - ab_prev) / (1.0 - ab[i])
        c2 = np.sqrt(ab_prev) * be[i] / (1.0 - ab[i])
        var = be[i] * (1.0 - ab_prev) / (1.0 - ab[i])
        low = ess[:, i] < thr * K
        if low.any():
            idx = np.tile(np.arange(K), (G, 1))
            idx[low] = _systematic(lw[low], rng)
            flat = (base + idx).ravel()
            x, x0, grad, twist = x[flat], x0[flat], grad[flat], twist[flat]
            logw = np.where(low[:, None], 0.0, lw)
            n_res += low
        else:
            logw = lw
        shift = (be[i] / np.sqrt(al[i])) * grad
        # Trust region: a poorly trained network's Jacobian can be large far from the data and the
        # twisted drift then feeds on itself; capping the drift at max_shift times the norm of the
        # step's own noise keeps the proposal near the prior transition. The weights use the capped
        # drift, so the target is unchanged.
        cap = max_shift * np.sqrt(var * d)
        norm = np.linalg.norm(shift, axis=1)
        shift *= np.minimum(1.0, cap / np.maximum(norm, 1e-300))[:, None]
        noise = np.sqrt(var) * rng.standard_normal(x.shape)
        x = c1 * x + c2 * x0 + shift + noise
        # log N(x'; mu, var) - log N(x'; mu + shift, var), with x' - mu - shift = noise
        logw += ((np.sum(noise * noise, axis=1) - np.sum((noise + shift) ** 2, axis=1)) / (2.0 * var)).reshape(G, K)
        prev_twist = twist
    lw = _normalise(logw)
    # Systematic resampling returns ancestors in index order; a random order makes every returned row
    # marginally a draw from the weighted particles, so that a single row may be used on its own.
    idx = rng.permuted(_systematic(lw, rng), axis=1)
    flat = (base + idx).ravel()
    samples = x0[flat].reshape(G, K, d)
    n_unique = np.array([np.unique(row).size for row in idx])
    return TwistedSMCResult(samples=samples[0] if single else samples, log_weights=lw, ess=ess,
                            n_resampled=n_res, n_unique=n_unique)
