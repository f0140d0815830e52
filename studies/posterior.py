"""Data producers for the memorized-prior gallery figures.

Each producer is ``f(**params) -> dict[str, ndarray | scalar]``, deterministic given its params
(including a seed), and computes everything the matching plot in ``figures/posterior_figures.py`` shows.
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.solvers.inverse_problems import stylized
from memtheory.solvers.inverse_problems.fwi import build_fwi
from memtheory.solvers.posterior.gaussian_mixture import effective_modes
from memtheory.solvers.posterior.linearized import linearized_posterior
from memtheory.solvers.posterior.lookup import lookup_weights
from memtheory.solvers.posterior.memorization import memorization_rate, nearest_distances
from memtheory.solvers.posterior.prior import MemorizedPrior

__all__ = ["stylized_1d_panels", "stylized_2d_panels", "effective_modes_sweep", "helmholtz_study"]


def _linearized_density(post, pts: np.ndarray) -> np.ndarray:
    return np.exp(post.log_density(pts))


def stylized_1d_panels(sigmas=(0.5, 0.3, 0.05), noise_std: float = 0.3, n_grid: int = 500, seed: int = 0) -> dict:
    """1-D stylized panels (docs/theory/posterior.md §5 a–c): prior, likelihood, exact posterior, linearized mixture per sigma.

    ``seed`` is unused (the problem is deterministic) but kept for the producer contract.
    """
    prob = stylized.problem_1d(noise_std)
    x = stylized.grid_axes_1d(n_grid)[0]
    fine = [np.linspace(-6.0, 6.0, 120_001)]  # weights/moments need a finer grid than the plot
    out = {k: [] for k in ("prior", "likelihood", "posterior", "linearized", "w_exact", "w_linearized", "w_nodet")}
    for s in sigmas:
        g = stylized.grid_posterior(prob.forward, prob.x_train, prob.y, s, noise_std, [x])
        gw = stylized.grid_posterior(prob.forward, prob.x_train, prob.y, s, noise_std, fine)
        prior = MemorizedPrior(prob.x_train, sigma=s)
        lin = linearized_posterior(prior, prob.forward, prob.jacobian, prob.y, noise_std)
        nodet = linearized_posterior(prior, prob.forward, prob.jacobian, prob.y, noise_std, include_logdet=False)
        out["prior"].append(np.exp(g.log_prior))
        out["likelihood"].append(np.exp(g.log_likelihood))
        out["posterior"].append(np.exp(g.log_posterior))
        out["linearized"].append(_linearized_density(lin, x[:, None]))
        out["w_exact"].append(gw.weights)
        out["w_linearized"].append(lin.weights)
        out["w_nodet"].append(nodet.weights)
    res = {k: np.array(v) for k, v in out.items()}
    res.update(
        x=x,
        sigmas=np.asarray(sigmas, dtype=float),
        x_train=prob.x_train[:, 0],
        w_lookup=lookup_weights(prob.forward, prob.x_train, prob.y, noise_std),
        noise_std=float(noise_std),
    )
    return res


def stylized_2d_panels(sigmas=(0.5, 0.3, 0.05), noise_std: float = 0.3, n_grid: int = 200, seed: int = 0) -> dict:
    """2-D stylized panels (docs/theory/posterior.md §5): prior, likelihood, exact and linearized posteriors on the 200×200 grid."""
    prob = stylized.problem_2d(noise_std)
    axes = stylized.grid_axes_2d(prob.x_train, n=n_grid)
    pts = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 2)
    out = {k: [] for k in ("log_prior", "log_posterior", "linearized", "w_exact", "w_linearized", "lin_means")}
    for s in sigmas:
        g = stylized.grid_posterior(prob.forward, prob.x_train, prob.y, s, noise_std, axes)
        lin = linearized_posterior(MemorizedPrior(prob.x_train, sigma=s), prob.forward, prob.jacobian, prob.y, noise_std)
        out["log_prior"].append(g.log_prior)
        out["log_posterior"].append(g.log_posterior)
        out["linearized"].append(_linearized_density(lin, pts).reshape(g.log_posterior.shape))
        out["w_exact"].append(g.weights)
        out["w_linearized"].append(lin.weights)
        out["lin_means"].append(lin.means)
    res = {k: np.array(v) for k, v in out.items()}
    res.update(
        x1=axes[0], x2=axes[1], sigmas=np.asarray(sigmas, dtype=float), x_train=prob.x_train, x_true=prob.x_true,
        log_likelihood=g.log_likelihood, noise_std=float(noise_std),
    )
    return res


def effective_modes_sweep(
    n_trains=(3, 5, 10, 20, 100),
    noise_std: float = 0.3,
    sigma_min: float = 0.01,
    sigma_max: float = 5.0,
    n_sigma: int = 70,
    grid_refine: float = 1.0,
    seed: int = 42,
) -> dict:
    """Effective number of posterior modes ``exp(H(w))`` vs sigma (docs/theory/posterior.md §4, §5).

    N examples evenly on [-3, 3], ``y = 0``; exact weights by 1-D quadrature and linearized weights;
    ``sigma_crit`` from docs/theory/posterior.md §4.
    """
    from memtheory.solvers.posterior.collapse import stylized_sigma_crit

    sig = np.logspace(math.log10(sigma_min), math.log10(sigma_max), n_sigma)
    exact = np.empty((len(n_trains), n_sigma))
    lin = np.empty_like(exact)
    for i, N in enumerate(n_trains):
        X = np.linspace(-3.0, 3.0, int(N))[:, None]
        for j, s in enumerate(sig):
            # spacing a quarter of the narrowest width min(sigma, gamma / max F'): Riemann sums of
            # Gaussians are then exact to double precision; range covers 6 sigma beyond the examples.
            width = min(s, noise_std / 9.1)
            ax = [np.arange(-3.0 - 6 * s - 1, 3.0 + 6 * s + 1 + 1e-12, width / (4 * grid_refine))]
            g = stylized.grid_posterior(stylized.forward_1d, X, np.zeros(1), s, noise_std, ax)
            exact[i, j] = effective_modes(g.weights)
            post = linearized_posterior(MemorizedPrior(X, sigma=s), stylized.forward_1d, stylized.jacobian_1d, np.zeros(1), noise_std)
            lin[i, j] = effective_modes(post.weights)
    return dict(
        sigmas=sig,
        n_trains=np.asarray(n_trains, dtype=int),
        modes_exact=exact,
        modes_linearized=lin,
        sigma_crit=np.array([stylized_sigma_crit(int(N), noise_std) for N in n_trains]),
        noise_std=float(noise_std),
        sigma_min_line=0.01,
    )


def _fixed_point_fns(z_train: np.ndarray, F: np.ndarray, J: np.ndarray):
    """Batched forward/Jacobian that return precomputed values at the training points (reused across sigma)."""

    def fwd(Z):
        if Z.shape != z_train.shape or not np.array_equal(Z, z_train):
            raise ValueError("cached forward only evaluates the training set")
        return F

    # linearized_posterior asks for the Jacobian chunk by chunk; serve the right rows.
    def jac_chunked(Z):
        idx = _row_index(z_train, Z)
        return J[idx]

    return fwd, jac_chunked


def _row_index(X: np.ndarray, rows: np.ndarray) -> np.ndarray:
    lookup = {X[i].tobytes(): i for i in range(X.shape[0])}
    try:
        return np.array([lookup[r.tobytes()] for r in rows])
    except KeyError:
        raise ValueError("cached jacobian only evaluates the training set") from None


def _fwi_linearized(setup):
    """Forward values and Jacobians of the FWI problem at every training point (computed once)."""
    F = np.stack([setup.forward(z) for z in setup.z_train])
    J = np.stack([setup.jacobian(z) for z in setup.z_train])
    return _fixed_point_fns(setup.z_train, F, J)


def helmholtz_study(
    n_trains=(50, 200, 1000),
    sigma_mins=(0.01, 0.03, 0.1, 0.3, 1.0),
    sigma_show: float = 0.01,
    n: int = 32,
    freq: float = 3.0,
    K: int = 10,
    n_samples: int = 256,
    n_show: int = 3,
    seed: int = 42,
) -> dict:
    """Helmholtz inversion with a memorized prior (docs/theory/posterior.md §5) via the linearized-mixture posterior.

    For each N: Jacobians at every training point (once), then for each ``sigma_min`` the posterior,
    ``n_samples`` samples and their memorization rate (docs/theory/posterior.md §5 metric ``d1/mean(d2..dk) < 0.7``). At
    ``sigma_show`` it also keeps ``n_show`` samples and their nearest training examples (velocities).
    ``extent_km`` and ``src_x_km``/``src_z_km``/``rec_x_km``/``rec_z_km`` give the acquisition geometry.
    """
    rng = np.random.default_rng(seed)
    sigma_mins = tuple(float(s) for s in sigma_mins)
    if float(sigma_show) not in sigma_mins:
        sigma_mins = tuple(sorted(sigma_mins + (float(sigma_show),)))
    rates = np.empty((len(n_trains), len(sigma_mins)))
    modes = np.empty_like(rates)
    samples_v, nearest_v, rmse, top_w = [], [], [], []
    v_true = None
    geometry: dict = {}
    for i, N in enumerate(n_trains):
        setup = build_fwi(n_train=int(N), n=n, freq=freq, K=K, seed=seed)
        geometry = _acquisition_km(setup.problem)
        fwd, jac = _fwi_linearized(setup)
        v_true = setup.kl.to_velocity(setup.z_true)
        for j, s in enumerate(sigma_mins):
            post = linearized_posterior(MemorizedPrior(setup.z_train, sigma=s), fwd, jac, setup.y, setup.noise_std, batched=True)
            zs = post.sample(n_samples, rng)
            rates[i, j] = memorization_rate(zs, setup.z_train)
            modes[i, j] = post.effective_modes()
            if s == float(sigma_show):
                _, idx = nearest_distances(zs, setup.z_train, 1)
                samples_v.append(setup.kl.to_velocity(zs[:n_show]))
                nearest_v.append(setup.kl.to_velocity(setup.z_train[idx[:n_show, 0]]))
                rmse.append(float(np.sqrt(np.mean((setup.kl.to_velocity(zs) - v_true) ** 2))))
                top_w.append(np.sort(post.weights)[::-1][:5])
    return dict(
        n_trains=np.asarray(n_trains, dtype=int),
        sigma_mins=np.asarray(sigma_mins),
        sigma_show=float(sigma_show),
        memorization_rate=rates,
        effective_modes=modes,
        v_true=v_true,
        samples=np.array(samples_v),
        nearest=np.array(nearest_v),
        rmse=np.array(rmse),
        top_weights=np.array(top_w),
        **geometry,
    )


def _acquisition_km(problem) -> dict:
    """Grid extent and source/receiver positions (km, x across, z down) of a Helmholtz problem."""
    nx_pad = problem.nx + 2 * problem.npml

    def xz(idx):
        row, col = np.divmod(np.asarray(idx, dtype=int), nx_pad)
        return (col - problem.npml) * problem.h, (row - problem.npml) * problem.h

    sx, sz = xz(problem.src_idx)
    rx, rz = xz(problem.rec_idx)
    return {"extent_km": float(problem.h * (problem.nx - 1)), "src_x_km": sx, "src_z_km": sz,
            "rec_x_km": rx, "rec_z_km": rz}

