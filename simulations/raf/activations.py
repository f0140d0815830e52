"""Activations σ of the random-features learner and their Gaussian coefficients (docs/theory/raf.md §1, table
"Typical activations").

Mei–Montanari notation with G ~ N(0, 1): μ₀ = E σ(G), μ₁ = E[G σ(G)], μ⋆² = E σ(G)² − μ₀² − μ₁².
The coefficients are computed here by Gauss–Hermite quadrature, independently of the closed forms in
the spec table (which the tests compare them with).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.integrate import quad
from scipy.special import erf, roots_hermitenorm

from memtheory.core import names

__all__ = ["ACTIVATIONS", "activation", "check_activation", "gaussian_coefficients", "hermite_coefficients"]


def _sign(z):
    return np.where(z >= 0, 1.0, -1.0)


def _relu(z):
    return np.maximum(z, 0.0)


ACTIVATIONS = {"sign": _sign, "erf": erf, "tanh": np.tanh, "relu": _relu}


def check_activation(name: str) -> str:
    """Validate an activation name."""
    return names.canonical("activation", name, allowed=tuple(ACTIVATIONS))


def activation(name: str):
    """The elementwise function σ for ``name``."""
    return ACTIVATIONS[check_activation(name)]


@lru_cache(maxsize=None)
def hermite_coefficients(name: str, degree: int = 60, nodes: int = 400) -> np.ndarray:
    """c_l = E[σ(G) He_l(G)] for l = 0..degree (probabilists' Hermite polynomials).

    By Mehler's formula E[σ(G)σ(G')] = Σ_l c_l² ρ^l / l! for unit Gaussians with correlation ρ, which
    gives the kernel of infinitely many random features (docs/theory/raf.md §4, κ → ∞). Gauss–Hermite is accurate
    only for smooth σ, so this is used for tanh; sign, erf and ReLU have closed-form kernels.
    """
    x, wts = roots_hermitenorm(nodes)
    wts = wts / np.sqrt(2.0 * np.pi)
    s = ACTIVATIONS[check_activation(name)](x)
    coeffs = np.empty(degree + 1)
    he_prev, he = np.zeros_like(x), np.ones_like(x)
    for l in range(degree + 1):
        coeffs[l] = np.sum(wts * s * he)
        he_prev, he = he, x * he - l * he_prev  # He_{l+1} = x He_l − l He_{l−1}
    return coeffs


@lru_cache(maxsize=None)
def gaussian_coefficients(name: str) -> tuple[float, float, float]:
    """(μ₀, μ₁, μ⋆) of an activation, by adaptive quadrature split at the kink z = 0.

    Splitting at 0 keeps the quadrature exact to ~1e-12 for the discontinuous sign and the kinked ReLU,
    where Gauss–Hermite would only be accurate to ~1e-3.

    Parameters
    ----------
    name : str
        Activation name (a key of ``ACTIVATIONS``).

    Returns
    -------
    tuple of float
        ``(μ₀, μ₁, μ⋆)`` with G ~ N(0, 1): μ₀ = E σ(G), μ₁ = E[G σ(G)], μ⋆² = E σ(G)² − μ₀² − μ₁².

    Examples
    --------
    >>> [round(c, 4) for c in gaussian_coefficients("sign")]
    [0.0, 0.7979, 0.6028]

    See docs/theory/raf.md §1.
    """
    sig = ACTIVATIONS[check_activation(name)]

    def moment(g):
        f = lambda z: g(z) * np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)  # noqa: E731
        return quad(f, -np.inf, 0.0, epsabs=1e-13)[0] + quad(f, 0.0, np.inf, epsabs=1e-13)[0]

    mu0 = moment(lambda z: sig(z))
    mu1 = moment(lambda z: z * sig(z))
    second = moment(lambda z: sig(z) ** 2)
    return float(mu0), float(mu1), float(np.sqrt(max(second - mu0**2 - mu1**2, 0.0)))
