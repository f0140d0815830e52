"""The memorized-prior FWI set-up of docs/theory/posterior.md §5 in KL coordinates: training set, OOD truth, noisy data.

Data are complex; every function here works on the real vector ``[Re d, Im d]`` so that the Gaussian
posterior machinery applies with a real noise std per component (circular complex noise).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_positive
from memtheory.solvers.inverse_problems.helmholtz import HelmholtzProblem, make_problem
from memtheory.solvers.inverse_problems.velocity_prior import KLVelocityPrior, farthest_candidate, fit_kl_prior, grf_samples

__all__ = ["FWISetup", "build_fwi"]


def _as_real(d: np.ndarray) -> np.ndarray:
    d = d.reshape(-1)
    return np.concatenate([d.real, d.imag])


@dataclass(frozen=True, eq=False)
class FWISetup:
    """Helmholtz problem + KL prior + training coordinates + OOD truth + data.

    Attributes
    ----------
    problem : HelmholtzProblem
        Forward geometry.
    kl : KLVelocityPrior
        Map from KL coordinates to squared slowness.
    z_train : ndarray, shape (N, d)
        Training (memorized) coordinates.
    z_true : ndarray, shape (d,)
        Coordinates of the out-of-distribution truth.
    y : ndarray, shape (2 n_src n_rec,)
        Noisy data as ``[Re, Im]``.
    noise_std : float
        Std of each real component.

    Examples
    --------
    >>> s = build_fwi(n_train=4, n=16, n_src=2, n_rec=4, K=3, n_candidates=10, n_reference=4)
    >>> s.forward(s.z_true).shape, s.jacobian(s.z_true).shape
    ((16,), (16, 9))

    See docs/theory/posterior.md §5.
    """

    problem: HelmholtzProblem
    kl: KLVelocityPrior
    z_train: np.ndarray
    z_true: np.ndarray
    y: np.ndarray
    noise_std: float

    def forward(self, z) -> np.ndarray:
        """Real data vector of KL coordinates ``z`` (d,)."""
        return _as_real(self.problem.forward(self.kl.to_slowness(z)))

    def jacobian(self, z) -> np.ndarray:
        """Real Jacobian ``∂[Re d, Im d]/∂z``, shape (2 n_src n_rec, d)."""
        J = self.problem.jacobian(self.kl.to_slowness(z), self.kl.dm_dz).reshape(-1, self.kl.d)
        return np.concatenate([J.real, J.imag], axis=0)

    def misfit_gradient(self, z) -> tuple[float, np.ndarray]:
        """``1/2 ||F(z) - y||^2`` and its gradient in z by the adjoint state and the chain rule."""
        n = self.problem.n_src * self.problem.n_rec
        d_obs = (self.y[:n] + 1j * self.y[n:]).reshape(self.problem.n_src, self.problem.n_rec)
        phi, g_m = self.problem.misfit_gradient(self.kl.to_slowness(z), d_obs)
        return phi, self.kl.dm_dz.T @ g_m.ravel()


def build_fwi(
    n_train: int = 50,
    n: int = 64,
    freq: float = 4.0,
    n_src: int = 5,
    n_rec: int = 40,
    K: int = 10,
    noise_frac: float = 0.05,
    n_candidates: int = 200,
    n_reference: int = 50,
    seed: int = 42,
) -> FWISetup:
    """Build the memorized-prior FWI set-up in KL coordinates.

    Training GRF fields (alpha=3, tau=5) come from one random stream, so the first ``n`` fields of a
    larger set equal a smaller set; the OOD truth is, of ``n_candidates`` rough GRFs (alpha=1.5, tau=1,
    a second stream), the one farthest in KL space from the first ``n_reference`` training fields, so
    every N shares one truth. Noise is circular complex with modulus std ``noise_frac * max|d|``.

    Parameters
    ----------
    n_train : int, default 50
        Number of training fields, >= 2.
    n : int, default 64
        Grid points per side.
    freq : float, default 4.0
        Frequency (Hz).
    n_src, n_rec : int, default 5, 40
        Numbers of sources and receivers.
    K : int, default 10
        KL modes per axis (d = K^2).
    noise_frac : float, default 0.05
        Noise level relative to ``max|d|``, > 0.
    n_candidates : int, default 200
        Rough GRFs the OOD truth is chosen from.
    n_reference : int, default 50
        Training fields the truth is chosen to be far from.
    seed : int, default 42
        Seed of both random streams.

    Returns
    -------
    FWISetup
        The complete set-up.

    Examples
    --------
    >>> s = build_fwi(n_train=4, n=16, n_src=2, n_rec=4, K=3, n_candidates=10, n_reference=4)
    >>> s.z_train.shape, s.z_true.shape, s.y.shape, round(float(s.noise_std), 5)
    ((4, 9), (9,), (16,), 0.00446)

    See docs/theory/posterior.md §5.
    """
    if n_train < 2:
        raise ValueError(f"n_train must be >= 2, got {n_train!r}")
    check_positive("noise_frac", noise_frac)
    rng_train = np.random.default_rng([seed, 0])
    rng_ood = np.random.default_rng([seed, 1])
    fields = grf_samples(max(n_train, n_reference), (n, n), rng_train)
    ref_kl, ref_z = fit_kl_prior(fields[:n_reference], K=K)
    cand = grf_samples(n_candidates, (n, n), rng_ood, alpha=1.5, tau=1.0)
    true_field = cand[farthest_candidate(ref_kl.project(cand), ref_z)]
    kl, z_train = fit_kl_prior(fields[:n_train], K=K)
    z_true = kl.project(true_field[None])[0]
    problem = make_problem(n=n, freq=freq, n_src=n_src, n_rec=n_rec)
    d_clean = problem.forward(kl.to_slowness(z_true))
    noise_c = noise_frac * float(np.abs(d_clean).max())
    gamma = noise_c / np.sqrt(2.0)
    y = _as_real(d_clean) + gamma * rng_ood.standard_normal(2 * d_clean.size)
    return FWISetup(problem=problem, kl=kl, z_train=z_train, z_true=z_true, y=y, noise_std=gamma)
