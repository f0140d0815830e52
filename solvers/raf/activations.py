"""Hermite coefficients (μ₀, μ₁, μ⋆) of an activation, for kernels and random features.

Mei–Montanari notation (docs/theory/raf.md §1): with ``G ~ N(0, 1)``, ``μ₀ = E σ(G)``, ``μ₁ = E[G σ(G)]`` and
``μ⋆² = E σ(G)² − μ₀² − μ₁²``. Named activations use closed forms where they exist; any Python
callable is integrated by adaptive quadrature split at 0 (where sign/ReLU-type activations kink).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from memtheory.core.names import canonical

__all__ = ["HermiteCoefficients", "hermite_coefficients", "ACTIVATIONS"]


@dataclass(frozen=True)
class HermiteCoefficients:
    """``(μ₀, μ₁, μ⋆)`` of an activation; ``mu_star2 = μ⋆²``."""

    mu0: float
    mu1: float
    mu_star: float

    @property
    def mu_star2(self) -> float:
        return self.mu_star**2


def _closed(mu0: float, mu1: float, second_moment: float) -> HermiteCoefficients:
    return HermiteCoefficients(mu0, mu1, math.sqrt(max(second_moment - mu0**2 - mu1**2, 0.0)))


def _gaussian_expectation(fn: Callable[[float], float]) -> float:
    from scipy import integrate

    def integrand(t):
        return fn(t) * math.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)

    left, _ = integrate.quad(integrand, -np.inf, 0.0, epsabs=1e-13, epsrel=1e-12, limit=200)
    right, _ = integrate.quad(integrand, 0.0, np.inf, epsabs=1e-13, epsrel=1e-12, limit=200)
    return left + right


def _by_quadrature(sigma: Callable[[float], float]) -> HermiteCoefficients:
    def f(t):
        v = float(sigma(t))
        if not math.isfinite(v):
            raise ValueError("activation must return finite real values on the real line")
        return v

    mu0 = _gaussian_expectation(f)
    mu1 = _gaussian_expectation(lambda t: t * f(t))
    second = _gaussian_expectation(lambda t: f(t) ** 2)
    return _closed(mu0, mu1, second)


ACTIVATIONS: dict[str, Callable[[], HermiteCoefficients]] = {
    # sign: E sign(G)² = 1, E|G| = √(2/π)
    "sign": lambda: _closed(0.0, math.sqrt(2.0 / math.pi), 1.0),
    # erf: E[G erf(G)] = 2/√(3π); E erf(G)² = (2/π) arcsin(2/3)
    "erf": lambda: _closed(0.0, 2.0 / math.sqrt(3.0 * math.pi), 2.0 / math.pi * math.asin(2.0 / 3.0)),
    "tanh": lambda: _by_quadrature(math.tanh),
    # ReLU: E max(G,0) = 1/√(2π), E[G max(G,0)] = 1/2, E max(G,0)² = 1/2
    "relu": lambda: _closed(1.0 / math.sqrt(2.0 * math.pi), 0.5, 0.5),
}


def hermite_coefficients(activation) -> HermiteCoefficients:
    """Coefficients of a named activation (``sign``, ``erf``, ``tanh``, ``relu``) or of a callable."""
    if callable(activation):
        return _by_quadrature(activation)
    if isinstance(activation, str):
        try:
            return ACTIVATIONS[canonical("activation", activation, allowed=tuple(ACTIVATIONS))]()
        except ValueError:
            pass
    raise ValueError(
        f"unknown activation {activation!r}; allowed: {', '.join(ACTIVATIONS)} or a Python callable"
    )
