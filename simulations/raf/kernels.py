"""Dot-product kernels k(t), t = x·x'/d, and their (μ₁, μ⋆) (docs/theory/raf.md §1 learner 2, §5.6).

El Karoui's linearisation K ≈ μ₀² 11ᵀ + μ₁² XXᵀ/d + μ⋆² I with μ₁² = k'(0), μ⋆² = k(1) − k(0) − k'(0)
is what the theory sees.

Two normalisation choices, documented because the theory is silent on them:

* ``sphere=True`` (default): inputs are projected onto the sphere of radius √d before the kernel is
  evaluated, so t = cos∠(x, x') ∈ [−1, 1] and the diagonal is exactly k(1), as the linearisation
  assumes. The labels sign(w*·x/√d) are invariant under this rescaling. It is also what "RBF on the
  sphere" means: exp(−η‖x − x'‖²/(2d)) = exp(−η(1 − t)).
* ``center=True`` (default): the constant part is removed. The theory ignores μ₀, i.e. it describes a
  predictor without bias. Left in, μ₀² 11ᵀ has eigenvalue n μ₀², so the kernel machine effectively
  learns an almost unpenalised bias, an O(1/√n) finite-size perturbation the theory does not have. We
  subtract the exact degree-0 spherical-harmonic component c̄ = E k(t) (t distributed as the cosine of
  two independent directions in R^d). What is left is still positive semi-definite (it is k minus its
  projection on the constants), has the same μ₁ and μ⋆, and its RKHS contains no constant function.
  c̄ = k(0) + k''(0)/(2d) + O(d⁻²): subtracting only k(0) would leave a rank-one O(α) term. Odd kernels
  (sign/arcsine, erf, tanh, linear) have c̄ = 0, so centring changes nothing for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import numpy as np
from scipy.integrate import quad
from scipy.special import gammaln

from memtheory.core import names
from memtheory.core.checks import check_callable, check_positive, check_positive_int
from .activations import hermite_coefficients

__all__ = ["DotProductKernel", "make_kernel", "KERNELS", "sphere_mean"]


@dataclass(frozen=True)
class DotProductKernel:
    """A kernel k(x, x') = k(t) of t = x·x'/d (learner 2).

    Attributes
    ----------
    func : callable
        Vectorised k(t).
    name : str
        Name used in tables.
    sphere : bool
        Evaluate on inputs projected to the sphere of radius √d (module docstring).
    center : bool
        Subtract the constant component c̄ (module docstring).
    deriv : callable, optional
        k'(t); if absent k'(0) is taken by a central difference.

    Examples
    --------
    >>> k = make_kernel("sign")
    >>> isinstance(k, DotProductKernel), round(k.mu1, 4), round(k.mu_star, 4)
    (True, 0.7979, 0.6028)

    See docs/theory/raf.md §1.
    """

    func: Callable = field(repr=False)
    name: str = "custom"
    sphere: bool = True
    center: bool = True
    deriv: Callable | None = field(default=None, repr=False)

    def __post_init__(self):
        check_callable("kernel", self.func)

    @property
    def mu1(self) -> float:
        """μ₁ = √k'(0)."""
        if self.deriv is not None:
            k1 = float(self.deriv(np.array(0.0)))
        else:
            h = 1e-4
            k1 = float((self.func(np.array(h)) - self.func(np.array(-h))) / (2 * h))
        return float(np.sqrt(max(k1, 0.0)))

    @property
    def mu_star(self) -> float:
        """μ⋆ = √(k(1) − k(0) − k'(0))."""
        val = float(self.func(np.array(1.0)) - self.func(np.array(0.0))) - self.mu1**2
        return float(np.sqrt(max(val, 0.0)))

    def constant(self, d: int) -> float:
        """The constant removed by centring: c̄ = E k(t) in dimension d, or 0 if ``center`` is off."""
        return sphere_mean(self.func, int(d)) if self.center else 0.0

    def _prepare(self, X):
        if not self.sphere:
            return X
        return X * (np.sqrt(X.shape[1]) / np.linalg.norm(X, axis=1, keepdims=True))

    def gram(self, X: np.ndarray, Y: np.ndarray | None = None) -> np.ndarray:
        """K_μν = k(x_μ·y_ν/d) − c̄; with ``Y=None`` the symmetric training Gram matrix of ``X``."""
        d = X.shape[1]
        A = self._prepare(X)
        B = A if Y is None else self._prepare(Y)
        T = A @ B.T
        T /= d
        if self.sphere:
            np.clip(T, -1.0, 1.0, out=T)
        if Y is None:
            # Rounding must not break the exact symmetry / unit diagonal the solvers rely on.
            T = 0.5 * (T + T.T)
            if self.sphere:
                np.fill_diagonal(T, 1.0)
        K = np.asarray(self.func(T), dtype=np.float64)
        c = self.constant(d)
        if c != 0.0:
            K -= c
        return K


@lru_cache(maxsize=256)
def _sphere_mean_cached(func, d):
    # t = cosine of two independent directions in R^d: density ∝ (1 − t²)^{(d−3)/2} on [−1, 1].
    a = 0.5 * (d - 3)
    lognorm = gammaln(d / 2) - gammaln(0.5) - gammaln((d - 1) / 2)
    half = min(1.0, 14.0 / np.sqrt(max(d, 1)))

    def integrand(t):
        return float(func(np.array(t))) * np.exp(lognorm + a * np.log1p(-t * t))

    return quad(integrand, -half, half, points=[0.0], limit=200, epsabs=1e-13, epsrel=1e-11)[0]


def sphere_mean(func: Callable, d: int) -> float:
    """E k(t) for t the cosine between two independent uniform directions in R^d (d ≥ 2)."""
    d = check_positive_int("d", d)
    if d < 2:
        raise ValueError(f"d must be >= 2 for a kernel on the sphere, got {d}")
    return _sphere_mean_cached(func, d)


# Closed forms of the infinite-width random-feature kernels E_f[σ(f·x)σ(f·x')] for unit-norm inputs
# (arc-sine / arc-cosine kernels); these are the κ → ∞ limits of docs/theory/raf.md §4.
def _k_sign(t):
    return (2.0 / np.pi) * np.arcsin(t)


def _dk_sign(t):
    return (2.0 / np.pi) / np.sqrt(1.0 - t * t)


def _k_erf(t):
    return (2.0 / np.pi) * np.arcsin(2.0 * t / 3.0)


def _dk_erf(t):
    return (2.0 / np.pi) * (2.0 / 3.0) / np.sqrt(1.0 - (2.0 * t / 3.0) ** 2)


def _k_relu(t):
    return (np.sqrt(np.maximum(1.0 - t * t, 0.0)) + t * (np.pi - np.arccos(t))) / (2.0 * np.pi)


def _dk_relu(t):
    return (np.pi - np.arccos(t)) / (2.0 * np.pi)


def _k_linear(t):
    return np.asarray(t, dtype=np.float64)


def _dk_linear(t):
    return np.ones_like(np.asarray(t, dtype=np.float64))


class _HermiteKernel:
    """k(t) = Σ_l c_l² t^l / l! (Mehler), tabulated on a fine grid; picklable for process pools."""

    def __init__(self, activation: str):
        self.activation = activation
        c = hermite_coefficients(activation)
        logfact = gammaln(np.arange(c.size) + 1.0)
        self.coef = c**2 * np.exp(-logfact)
        # Linear interpolation on 40001 nodes: error ≤ max|k''| h²/8 ≈ 1e-10 on [−1, 1].
        self.grid = np.linspace(-1.0, 1.0, 40001)
        self.table = np.polynomial.polynomial.polyval(self.grid, self.coef)

    def __call__(self, t):
        return np.interp(t, self.grid, self.table)

    def deriv(self, t):
        return np.polynomial.polynomial.polyval(t, np.polynomial.polynomial.polyder(self.coef))

    def __reduce__(self):
        return (_HermiteKernel, (self.activation,))


class _RBF:
    """exp(−η(1 − t)): the RBF kernel exp(−η‖x − x'‖²/(2d)) on the sphere of radius √d."""

    def __init__(self, eta: float):
        self.eta = eta

    def __call__(self, t):
        return np.exp(-self.eta * (1.0 - np.asarray(t, dtype=np.float64)))

    def deriv(self, t):
        return self.eta * self.__call__(t)

    def __reduce__(self):
        return (_RBF, (self.eta,))

    def __hash__(self):
        return hash(("rbf", self.eta))

    def __eq__(self, other):
        return isinstance(other, _RBF) and other.eta == self.eta


@lru_cache(maxsize=None)
def _tanh_kernel():
    return _HermiteKernel("tanh")


KERNELS = names.KERNELS


def make_kernel(kernel="sign", *, eta: float = 1.0, sphere: bool = True, center: bool = True) -> DotProductKernel:
    """Build a :class:`DotProductKernel`.

    Parameters
    ----------
    kernel : str or callable or DotProductKernel
        A name — ``sign`` (= ``arcsine``), ``erf``, ``tanh``, ``relu`` (the infinite-width kernels of the
        random-feature activations, so that (μ₁, μ⋆) equal the activation's, docs/theory/raf.md §1 table), ``rbf``
        (exp(−η(1 − t)), docs/theory/raf.md §1 "RBF kernel") or ``linear`` (k = t, μ⋆ = 0) — or any vectorised
        function of t = x·x'/d.
    eta : float
        RBF bandwidth η (μ₁² = η e^{−η}, μ⋆² = 1 − e^{−η}(1 + η)).
    sphere, center : bool
        See the module docstring.

    Returns
    -------
    DotProductKernel
        The kernel.

    Notes
    -----
    Campaigns on worker processes or dask pickle the kernel: give a module-level function there, not a
    lambda. ``k`` is called on whole Gram matrices, so it must be vectorised.

    Examples
    --------
    >>> import numpy as np
    >>> k = make_kernel("rbf", eta=1.0)
    >>> k.name, round(k.mu1 ** 2, 4)
    ('rbf(eta=1)', 0.3679)
    >>> make_kernel("sign").gram(np.random.default_rng(0).standard_normal((6, 20))).shape
    (6, 6)

    See docs/theory/raf.md §1.
    """
    if isinstance(kernel, DotProductKernel):
        return kernel
    if isinstance(kernel, str):
        name = names.canonical("kernel", kernel, allowed=KERNELS)
        if name in ("sign", "arcsine"):
            return DotProductKernel(_k_sign, "sign", sphere, center, _dk_sign)
        if name == "erf":
            return DotProductKernel(_k_erf, "erf", sphere, center, _dk_erf)
        if name == "relu":
            return DotProductKernel(_k_relu, "relu", sphere, center, _dk_relu)
        if name == "linear":
            return DotProductKernel(_k_linear, "linear", sphere, center, _dk_linear)
        if name == "tanh":
            k = _tanh_kernel()
            return DotProductKernel(k, "tanh", sphere, center, k.deriv)
        eta = check_positive("eta", eta)
        k = _RBF(eta)
        return DotProductKernel(k, f"rbf(eta={eta:g})", sphere, center, k.deriv)
    check_callable("kernel", kernel)
    return DotProductKernel(kernel, getattr(kernel, "__name__", "custom"), sphere, center)
