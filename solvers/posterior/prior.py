"""Memorized diffusion prior: the noised empirical distribution of a training set (spec §2).

``p(x) = (1/N) sum_n N(x; s x_n, sigma^2 I)`` with ``s = 1`` (VE form, spec §2.1) or
``s = sqrt(abar_t)``, ``sigma^2 = 1 - abar_t`` (VP form, spec §2.2). Every quantity is a softmax over
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
    """Gaussian mixture with one isotropic component per training example (spec §2.1, §2.2).

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
    """

    x_train: np.ndarray
    sigma: float
    scale: float = 1.0
    block_elems: int = _BLOCK_ELEMS
    _sq_norms: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        x = check_array("x_train", self.x_train, ndim=2)
        if x.shape[0] < 1 or x.shape[1] < 1:
            raise ValueError(f"x_train must have shape (N, d) with N, d >= 1, got {x.shape}")
        object.__setattr__(self, "x_train", x)
        object.__setattr__(self, "sigma", check_positive("sigma", self.sigma))
        object.__setattr__(self, "scale", check_interval("scale", self.scale, 0.0, 1.0, closed=(False, True)))
        if int(self.block_elems) < 1:
            raise ValueError(f"block_elems must be >= 1, got {self.block_elems!r}")
        object.__setattr__(self, "_sq_norms", np.einsum("ij,ij->i", x, x))

    @classmethod
    def vp(cls, x_train, alpha_bar: float, **kwargs) -> "MemorizedPrior":
        """VP/DDPM form at cumulative signal level ``alpha_bar`` in (0, 1) (spec §2.2)."""
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

    def _stream(self, x: np.ndarray, want_mean: bool):
        """Streaming logsumexp of the logits ``(2 s x.x_n - s^2 |x_n|^2) / (2 sigma^2)``.

        The ``-|x|^2 / (2 sigma^2)`` part is the same for every n, so it is left out here (it cancels
        in the weights) and added back only where a density is wanted.
        Returns ``(lse, mean)`` with ``mean = sum_n w_n x_n`` (or None).
        """
        B, N = x.shape[0], self.n
        s, inv2s2 = self.scale, 1.0 / (2.0 * self.sigma**2)
        rows = max(1, min(B, 1024))
        cols = max(1, min(N, int(self.block_elems) // rows))
        lse = np.empty(B)
        mean = np.empty((B, self.d)) if want_mean else None
        for b0 in range(0, B, rows):
            xb = x[b0 : b0 + rows]
            run_max = np.full(xb.shape[0], -np.inf)
            run_sum = np.zeros(xb.shape[0])
            acc = np.zeros_like(xb) if want_mean else None
            for n0 in range(0, N, cols):
                xn = self.x_train[n0 : n0 + cols]
                logits = xb @ xn.T
                logits *= 2.0 * s * inv2s2
                logits -= (s * s * inv2s2) * self._sq_norms[n0 : n0 + cols]
                new_max = np.maximum(run_max, logits.max(axis=1))
                # Rescale what was accumulated under the old maximum (exp(-inf) = 0 on the first block).
                factor = np.exp(run_max - new_max)
                logits -= new_max[:, None]
                np.exp(logits, out=logits)
                run_sum = run_sum * factor + logits.sum(axis=1)
                if want_mean:
                    acc *= factor[:, None]
                    acc += logits @ xn
                run_max = new_max
            lse[b0 : b0 + rows] = run_max + np.log(run_sum)
            if want_mean:
                mean[b0 : b0 + rows] = acc / run_sum[:, None]
        return lse, mean

    # ----------------------------------------------------------------------------------------------
    def log_density(self, x):
        """``log p(x) = logsumexp_n[-||x - s x_n||^2/(2 sigma^2)] - log N - (d/2) log(2 pi sigma^2)`` (spec §2.1)."""
        a, single = self._points(x)
        lse, _ = self._stream(a, want_mean=False)
        sq = np.einsum("ij,ij->i", a, a)
        out = lse - sq / (2.0 * self.sigma**2) - math.log(self.n) - 0.5 * self.d * math.log(2 * math.pi * self.sigma**2)
        return out[0] if single else out

    def denoise(self, x):
        """Optimal (MMSE) denoiser ``D(x) = E[x_0 | x] = sum_n w_n(x) x_n`` (spec §2.1, §2.2)."""
        a, single = self._points(x)
        _, mean = self._stream(a, want_mean=True)
        return mean[0] if single else mean

    def score(self, x):
        """Score ``grad log p(x) = (s D(x) - x) / sigma^2`` (Tweedie; spec §2.1 ``gmm_score``, §2.2)."""
        a, single = self._points(x)
        _, mean = self._stream(a, want_mean=True)
        out = (self.scale * mean - a) / self.sigma**2
        return out[0] if single else out

    def eps_prediction(self, x):
        """Optimal noise prediction ``eps*(x) = (x - s D(x)) / sigma`` (spec §2.2, VP form)."""
        a, single = self._points(x)
        _, mean = self._stream(a, want_mean=True)
        out = (a - self.scale * mean) / self.sigma
        return out[0] if single else out

    def responsibilities(self, x) -> np.ndarray:
        """Dense softmax weights ``w_n(x)``, shape (B, N) (spec §2.1); for small ``B N`` only."""
        a, single = self._points(x)
        logits = (2.0 * self.scale * (a @ self.x_train.T) - self.scale**2 * self._sq_norms) / (2.0 * self.sigma**2)
        w = softmax(logits, axis=1)
        return w[0] if single else w

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` samples from the mixture (uniform component, then isotropic Gaussian)."""
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"n must be an integer >= 0, got {n!r}")
        k = rng.integers(0, self.n, size=n)
        return self.means[k] + self.sigma * rng.standard_normal((n, self.d))

