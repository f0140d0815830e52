"""Memorized diffusion prior: the noised empirical distribution of a training set (docs/theory/posterior.md §1).

``p(x) = (1/N) sum_n N(x; s x_n, sigma^2 I)`` with ``s = 1`` (VE form, docs/theory/posterior.md §1) or
``s = sqrt(abar_t)``, ``sigma^2 = 1 - abar_t`` (VP form, docs/theory/posterior.md §1). Every quantity is a softmax over
``-||x - s x_n||^2 / (2 sigma^2)``; the squared distances are expanded as
``|x|^2 - 2 s x.x_n + s^2 |x_n|^2`` so the work is matrix products, and the softmax is accumulated
over blocks of training points with a running maximum (streaming logsumexp). Memory is therefore
``O((B + N) d)`` plus one fixed-size block, never ``O(B N d)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import softmax

from memtheory.core.checks import check_array, check_interval, check_positive

__all__ = ["MemorizedPrior"]

# Elements of one (batch x training) logits block: 2**22 doubles = 32 MiB, two such blocks live at once.
_BLOCK_ELEMS = 2**22


@dataclass(frozen=True, eq=False)
class MemorizedPrior:
    """Gaussian mixture with one isotropic component per training example (docs/theory/posterior.md §1).

    See docs/theory/posterior.md §1.

    Parameters
    ----------
    x_train : array_like, shape (N, d)
        Training examples ``x_n``.
    sigma : float
        Component standard deviation (> 0): the VE bandwidth, or ``sqrt(1 - abar)`` in VP form.
    scale : float
        Mean scaling ``s`` in (0, 1]: 1 for VE, ``sqrt(abar)`` for VP (use :meth:`vp`).
    block_elems : int
        Size of one logits block; controls peak memory, not results.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> x_train = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]])
    >>> prior = posterior.MemorizedPrior(x_train, sigma=0.3)
    >>> prior.n, prior.d
    (3, 2)
    >>> prior.responsibilities(np.array([1.9, 0.1])).round(4)
    array([0., 1., 0.])
    >>> prior.denoise(np.array([1.9, 0.1])).round(4)
    array([2., 0.])
    """

    x_train: np.ndarray
    sigma: float
    scale: float = 1.0
    block_elems: int = _BLOCK_ELEMS
    _sq_norms: np.ndarray = field(init=False, repr=False)
    _unit: float = field(init=False, repr=False)

    def __post_init__(self):
        x = check_array("x_train", self.x_train, ndim=2)
        if x.shape[0] < 1 or x.shape[1] < 1:
            raise ValueError(f"x_train must have shape (N, d) with N, d >= 1, got {x.shape}")
        object.__setattr__(self, "x_train", x)
        object.__setattr__(self, "sigma", check_positive("sigma", self.sigma))
        object.__setattr__(self, "scale", check_interval("scale", self.scale, 0.0, 1.0, closed=(False, True)))
        if int(self.block_elems) < 1:
            raise ValueError(f"block_elems must be >= 1, got {self.block_elems!r}")
        # Norms in the unit max|x_n| (order one), so that tiny or huge data keep full precision.
        unit = float(np.max(np.abs(x)))
        unit = unit if unit > 0.0 else 1.0
        sq = np.empty(x.shape[0])
        for r0 in range(0, x.shape[0], 4096):
            xs = x[r0 : r0 + 4096] / unit
            sq[r0 : r0 + 4096] = np.einsum("ij,ij->i", xs, xs)
        object.__setattr__(self, "_unit", unit)
        object.__setattr__(self, "_sq_norms", sq)

    @classmethod
    def vp(cls, x_train, alpha_bar: float, **kwargs) -> "MemorizedPrior":
        """VP/DDPM form at cumulative signal level ``alpha_bar`` in (0, 1) (docs/theory/posterior.md §1)."""
        ab = check_interval("alpha_bar", alpha_bar, 0.0, 1.0, closed=(False, False))
        return cls(x_train, sigma=math.sqrt(1.0 - ab), scale=math.sqrt(ab), **kwargs)

    @property
    def n(self) -> int:
        """Number of training examples ``N``."""
        return self.x_train.shape[0]

    @property
    def d(self) -> int:
        """Dimension ``d``."""
        return self.x_train.shape[1]

    @property
    def means(self) -> np.ndarray:
        """Component means ``s x_n``, shape (N, d)."""
        return self.scale * self.x_train

    # ----------------------------------------------------------------------------------------------
    def _points(self, x) -> tuple[np.ndarray, bool]:
        a = check_array("x", x)
        single = a.ndim == 1
        a = np.atleast_2d(a)
        if a.ndim != 2 or a.shape[1] != self.d:
            raise ValueError(f"x must have shape (B, {self.d}) or ({self.d},), got {np.shape(x)}")
        return a, single

    def _units(self, x: np.ndarray) -> tuple[float, float, float]:
        """Length unit ``c`` of the points and the means, ``r = s max|x_n| / c`` and ``k = c / sigma``.

        Logits are ``-|x - s x_n|^2 / (2 sigma^2) = k^2 (u.v_n - |v_n|^2/2 - |u|^2/2)`` with
        ``u = x/c`` and ``v_n = s x_n / c = r x_n / max|x_n|`` of order at most one, so no ``sigma^2``
        (which under- or overflows for ``sigma`` beyond ~1e±154) is ever formed; ``k^2`` multiplies
        only differences already taken.
        """
        c = max(float(np.max(np.abs(x), initial=0.0)), self.scale * self._unit)
        return c, self.scale * self._unit / c, c / self.sigma

    @staticmethod
    def _times_k2(diff: np.ndarray, k: float) -> np.ndarray:
        """``diff * k^2`` for ``diff <= 0`` without ``0 * inf`` (a zero difference stays zero)."""
        with np.errstate(over="ignore", invalid="ignore"):
            out = (diff * k) * k
        return np.where(diff == 0.0, 0.0, out)

    def _stream(self, x: np.ndarray, want_mean: bool):
        """Streaming logsumexp of the logits ``-|x - s x_n|^2 / (2 sigma^2)`` over the training set.

        Works in the units of :meth:`_units`: the running maximum is taken over ``u.v_n - |v_n|^2/2``
        and only differences from it are scaled by ``k^2``, so every ``sigma > 0`` gives finite weights
        (down to the one-hot limit of the nearest example as ``sigma -> 0``).
        Returns ``(log_norm, mean)``: ``log_norm = logsumexp_n(logit_n)`` including the ``-|x|^2``
        part (``-inf`` where it lies below the double range) and ``mean = sum_n w_n x_n`` (or None).
        """
        B, N = x.shape[0], self.n
        c, ratio, k = self._units(x)
        u_all = x / c
        v_sq = self._sq_norms * ratio * ratio  # |v_n|^2
        rows = max(1, min(B, 1024))
        cols = max(1, min(N, int(self.block_elems) // rows))
        lse = np.empty(B)
        mean = np.empty((B, self.d)) if want_mean else None
        for b0 in range(0, B, rows):
            ub = u_all[b0 : b0 + rows]
            run_max = np.full(ub.shape[0], -np.inf)
            run_sum = np.zeros(ub.shape[0])
            acc = np.zeros_like(ub) if want_mean else None
            for n0 in range(0, N, cols):
                xn = self.x_train[n0 : n0 + cols]
                raw = (ub @ (xn / self._unit).T) * ratio
                raw -= 0.5 * v_sq[n0 : n0 + cols]
                new_max = np.maximum(run_max, raw.max(axis=1))
                # Rescale what was accumulated under the old maximum (nothing yet on the first block).
                factor = np.exp(self._times_k2(np.where(np.isinf(run_max), -np.inf, run_max - new_max), k))
                raw -= new_max[:, None]
                w = np.exp(self._times_k2(raw, k))
                run_sum = run_sum * factor + w.sum(axis=1)
                if want_mean:
                    acc *= factor[:, None]
                    acc += w @ xn
                run_max = new_max
            # run_max - |u|^2/2 = -min_n |u - v_n|^2 / 2 <= 0
            top = np.minimum(run_max - 0.5 * np.einsum("ij,ij->i", ub, ub), 0.0)
            lse[b0 : b0 + rows] = self._times_k2(top, k) + np.log(run_sum)
            if want_mean:
                mean[b0 : b0 + rows] = acc / run_sum[:, None]
        return lse, mean

    # ----------------------------------------------------------------------------------------------
    def log_density(self, x):
        """``log p(x) = logsumexp_n[-||x - s x_n||^2/(2 sigma^2)] - log N - (d/2) log(2 pi sigma^2)`` (docs/theory/posterior.md §1).

        ``-inf`` where the value lies below the double range (far from every example at tiny sigma).
        """
        a, single = self._points(x)
        lse, _ = self._stream(a, want_mean=False)
        out = lse - math.log(self.n) - 0.5 * self.d * (math.log(2 * math.pi) + 2.0 * math.log(self.sigma))
        return out[0] if single else out

    def denoise(self, x):
        """Optimal (MMSE) denoiser ``D(x) = E[x_0 | x] = sum_n w_n(x) x_n`` (docs/theory/posterior.md §1)."""
        a, single = self._points(x)
        _, mean = self._stream(a, want_mean=True)
        return mean[0] if single else mean

    def score(self, x):
        """Score ``grad log p(x) = (s D(x) - x) / sigma^2`` (Tweedie; docs/theory/posterior.md §1 ``gmm_score``, §2.2)."""
        a, single = self._points(x)
        _, mean = self._stream(a, want_mean=True)
        with np.errstate(over="ignore"):
            out = ((self.scale * mean - a) / self.sigma) / self.sigma
        return out[0] if single else out

    def eps_prediction(self, x):
        """Optimal noise prediction ``eps*(x) = (x - s D(x)) / sigma`` (docs/theory/posterior.md §1, VP form)."""
        a, single = self._points(x)
        _, mean = self._stream(a, want_mean=True)
        out = (a - self.scale * mean) / self.sigma
        return out[0] if single else out

    def responsibilities(self, x) -> np.ndarray:
        """Dense softmax weights ``w_n(x)``, shape (B, N) (docs/theory/posterior.md §1); for small ``B N`` only.

        Computed in the units of :meth:`_units`, so they stay finite and normalised for every ``sigma > 0``.
        """
        a, single = self._points(x)
        c, ratio, k = self._units(a)
        raw = ((a / c) @ (self.x_train / self._unit).T) * ratio - 0.5 * self._sq_norms * ratio * ratio
        raw -= raw.max(axis=1, keepdims=True)
        w = softmax(self._times_k2(raw, k), axis=1)
        return w[0] if single else w

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` samples from the mixture (uniform component, then isotropic Gaussian)."""
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"n must be an integer >= 0, got {n!r}")
        k = rng.integers(0, self.n, size=n)
        return self.means[k] + self.sigma * rng.standard_normal((n, self.d))

