"""Velocity prior of the FWI experiment: periodic GRF samples projected on a cosine KL basis (docs/theory/posterior.md §5).

Squared slowness ``m = 1/v^2`` (s^2/km^2). GRF spectrum ``(4 pi^2 |k|^2 + tau^2)^(-alpha/2)`` applied to
white noise, rescaled so ±3 std spans ``[1/3^2, 1/1.5^2]`` (v ≈ 1.5–3 km/s). KL basis
``phi_i(x) = 2 cos(pi (i1 + 1/2) x1) cos(pi (i2 + 1/2) x2)``, ``i1, i2 = 1..K`` on the unit square, weighted by
``lambda_i = (pi^2 ((i1+1/2)^2 + (i2+1/2)^2))^(-s/2)``; diffusion coordinates are the z-scored
least-squares coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_array, check_positive

__all__ = ["grf_samples", "kl_design", "KLVelocityPrior", "fit_kl_prior", "farthest_candidate"]

_M_LO, _M_HI = 1.0 / 3.0**2, 1.0 / 1.5**2


def grf_samples(n: int, shape: tuple[int, int], rng: np.random.Generator, alpha: float = 3.0, tau: float = 5.0) -> np.ndarray:
    """Periodic Gaussian-random-field squared-slowness samples.

    Parameters
    ----------
    n : int
        Number of fields, >= 1.
    shape : tuple of int
        Grid shape ``(nz, nx)``.
    rng : numpy.random.Generator
        Random stream.
    alpha, tau : float, default 3.0, 5.0
        Spectrum ``(4 pi^2 |k|^2 + tau^2)^(-alpha/2)``, both > 0.

    Returns
    -------
    ndarray, shape (n, nz, nx)
        Squared slowness (s^2/km^2); ±3 std span ``[1/3^2, 1/1.5^2]``.

    Examples
    --------
    >>> import numpy as np
    >>> f = grf_samples(3, (16, 16), np.random.default_rng(0))
    >>> f.shape, round(float(f.mean()), 3), bool(f.min() > 0)
    ((3, 16, 16), 0.278, True)

    See docs/theory/posterior.md §5.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n!r}")
    a = check_positive("alpha", alpha)
    t = check_positive("tau", tau)
    nz, nx = shape
    kz = np.fft.fftfreq(nz) * nz
    kx = np.fft.fftfreq(nx) * nx
    k2 = kz[:, None] ** 2 + kx[None, :] ** 2
    amp = (4.0 * np.pi**2 * k2 + t**2) ** (-a / 2.0)
    amp[0, 0] = 0.0  # zero-mean fields; the level is set by the rescaling below
    white = rng.standard_normal((n, nz, nx))
    g = np.real(np.fft.ifft2(np.fft.fft2(white) * amp))
    g /= g.std(axis=(1, 2), keepdims=True)
    # ±3 std -> [m_lo, m_hi]
    return 0.5 * (_M_LO + _M_HI) + g * (_M_HI - _M_LO) / 6.0


def kl_design(shape: tuple[int, int], K: int = 10, s: float = 1.1, sigma_m: float = 0.02) -> np.ndarray:
    """KL design matrix: columns ``sigma_m lambda_i phi_i`` on the cell-centred grid of the unit square.

    Parameters
    ----------
    shape : tuple of int
        Grid shape ``(nz, nx)``.
    K : int, default 10
        Modes per axis, >= 1.
    s : float, default 1.1
        Decay exponent of ``lambda_i``.
    sigma_m : float, default 0.02
        Overall amplitude.

    Returns
    -------
    ndarray, shape (nz*nx, K^2)
        One column per KL mode.

    Examples
    --------
    >>> kl_design((16, 16), K=3).shape
    (256, 9)

    See docs/theory/posterior.md §5.
    """
    if K < 1:
        raise ValueError(f"K must be >= 1, got {K!r}")
    nz, nx = shape
    xz = (np.arange(nz) + 0.5) / nz
    xx = (np.arange(nx) + 0.5) / nx
    i = np.arange(1, K + 1) + 0.5
    cz = np.cos(np.pi * i[None, :] * xz[:, None])  # (nz, K)
    cx = np.cos(np.pi * i[None, :] * xx[:, None])  # (nx, K)
    lam = (np.pi**2 * (i[:, None] ** 2 + i[None, :] ** 2)) ** (-s / 2.0)  # (K, K)
    phi = 2.0 * cz[:, None, :, None] * cx[None, :, None, :]  # (nz, nx, K, K)
    return (sigma_m * phi * lam).reshape(nz * nx, K * K)


@dataclass(frozen=True, eq=False)
class KLVelocityPrior:
    """Map between z-scored KL coordinates ``z`` (d = K^2) and squared slowness on the grid.

    ``m(z) = m0 + B (c_mean + c_std * z)``. Built by :func:`fit_kl_prior`.

    Attributes
    ----------
    shape : tuple of int
        Grid shape ``(nz, nx)``.
    design : ndarray, shape (nz*nx, d)
        KL design matrix ``B`` (:func:`kl_design`).
    m0 : float
        Background squared slowness.
    c_mean, c_std : ndarray, shape (d,)
        Mean and std of the training coefficients.

    Examples
    --------
    >>> import numpy as np
    >>> kl, z = fit_kl_prior(grf_samples(5, (16, 16), np.random.default_rng(0)), K=3)
    >>> kl.d, kl.to_slowness(z[0]).shape, kl.project(kl.to_slowness(z[:2])).shape
    (9, (16, 16), (2, 9))

    See docs/theory/posterior.md §5.
    """

    shape: tuple
    design: np.ndarray
    m0: float
    c_mean: np.ndarray
    c_std: np.ndarray

    @property
    def d(self) -> int:
        """Number of KL coordinates."""
        return self.design.shape[1]

    @property
    def dm_dz(self) -> np.ndarray:
        """``∂m/∂z``, shape (nz*nx, d)."""
        return self.design * self.c_std

    def to_slowness(self, z) -> np.ndarray:
        """Squared slowness (..., nz, nx) of coordinates ``z`` (..., d)."""
        z = np.asarray(z, dtype=np.float64)
        m = self.m0 + (self.c_mean + self.c_std * z) @ self.design.T
        return m.reshape(*z.shape[:-1], *self.shape)

    def to_velocity(self, z) -> np.ndarray:
        """Velocity ``1/sqrt(m)`` in km/s."""
        return 1.0 / np.sqrt(self.to_slowness(z))

    def project(self, m_fields) -> np.ndarray:
        """Least-squares z coordinates of squared-slowness fields (n, nz, nx)."""
        m = np.asarray(m_fields, dtype=np.float64).reshape(-1, self.design.shape[0])
        c, *_ = np.linalg.lstsq(self.design, (m - self.m0).T, rcond=None)
        return (c.T - self.c_mean) / self.c_std


def fit_kl_prior(m_fields, K: int = 10, s: float = 1.1, sigma_m: float = 0.02, v_bg: float = 2.0) -> tuple[KLVelocityPrior, np.ndarray]:
    """Project training fields on the KL basis and z-score the coefficients.

    Parameters
    ----------
    m_fields : array_like, shape (n, nz, nx)
        Training squared-slowness fields.
    K : int, default 10
        Modes per axis.
    s, sigma_m : float, default 1.1, 0.02
        Passed to :func:`kl_design`.
    v_bg : float, default 2.0
        Background velocity (km/s), > 0; ``m0 = 1/v_bg^2``.

    Returns
    -------
    prior : KLVelocityPrior
        The coordinate map.
    z : ndarray, shape (n, K^2)
        Training coordinates (z-scored per mode).

    Examples
    --------
    >>> import numpy as np
    >>> kl, z = fit_kl_prior(grf_samples(5, (16, 16), np.random.default_rng(0)), K=3)
    >>> z.shape, z.std(axis=0).round(3)[:3].tolist()
    ((5, 9), [1.0, 1.0, 1.0])

    See docs/theory/posterior.md §5.
    """
    m = check_array("m_fields", m_fields, ndim=3)
    shape = m.shape[1:]
    B = kl_design(shape, K, s, sigma_m)
    m0 = 1.0 / check_positive("v_bg", v_bg) ** 2
    c, *_ = np.linalg.lstsq(B, (m.reshape(m.shape[0], -1) - m0).T, rcond=None)
    c = c.T
    mean = c.mean(axis=0)
    std = c.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    prior = KLVelocityPrior(shape=tuple(shape), design=B, m0=m0, c_mean=mean, c_std=std)
    return prior, (c - mean) / std


def farthest_candidate(candidates_z, train_z) -> int:
    """Index of the candidate whose nearest training example is farthest away (the OOD truth).

    Parameters
    ----------
    candidates_z : array_like, shape (n_cand, d)
        Candidate coordinates.
    train_z : array_like, shape (n_train, d)
        Training coordinates.

    Returns
    -------
    int
        Row index into ``candidates_z``.

    Examples
    --------
    >>> import numpy as np
    >>> farthest_candidate(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0], [1.0, 0.0]]))
    1

    See docs/theory/posterior.md §5.
    """
    cz = check_array("candidates_z", candidates_z, ndim=2)
    tz = check_array("train_z", train_z, ndim=2)
    d2 = np.sum(cz**2, 1)[:, None] - 2 * cz @ tz.T + np.sum(tz**2, 1)[None]
    return int(np.argmax(d2.min(axis=1)))
