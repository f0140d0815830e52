"""Small real image data sets for the trained-diffusion experiment (``docs/theory/posterior_trained.md``).

``load_image_data("digits")`` gives scikit-learn's bundled 8×8 handwritten digits (1,797 images, no
download), scaled from their 0..16 grey levels to [-1, 1]; ``load_image_data("path.npz")`` reads an
array ``X`` a user supplies (N images of any shape, flattened) and maps its range affinely onto
[-1, 1]. A fixed random permutation splits the images into a held-out set and a training pool; the
training sets of every size are prefixes of that pool, so they are nested and comparable across N.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

__all__ = ["ImageData", "load_image_data"]


@dataclass(frozen=True, eq=False)
class ImageData:
    """Images as flat float64 rows in [-1, 1].

    Attributes
    ----------
    pool : ndarray, shape (N_pool, d)
        Training pool; a training set of size N is ``pool[:N]``.
    held_out : ndarray, shape (N_test, d)
        Images never used for training (inverse-problem truths, fresh-data reference).
    shape : tuple of int
        Shape of one image (``(8, 8)`` for digits; ``(d,)`` when unknown).
    source : str
        ``"digits"`` or the file path.
    """

    pool: np.ndarray
    held_out: np.ndarray
    shape: tuple
    source: str

    @property
    def d(self) -> int:
        """Pixels per image."""
        return int(self.pool.shape[1])

    def train(self, n: int) -> np.ndarray:
        """The first ``n`` pool images (``1 <= n <= len(pool)``)."""
        if not 1 <= int(n) <= self.pool.shape[0]:
            raise ValueError(f"n_train must lie in [1, {self.pool.shape[0]}], got {n!r}")
        return self.pool[: int(n)]


def _digits() -> tuple[np.ndarray, tuple]:
    try:
        from sklearn.datasets import load_digits
    except ModuleNotFoundError:
        raise ValueError("--data digits needs scikit-learn (pip install -e .[data])") from None
    # 0..16 grey levels -> [-1, 1]
    return load_digits().data.astype(np.float64) / 8.0 - 1.0, (8, 8)


def _npz(path: str) -> tuple[np.ndarray, tuple]:
    try:
        with np.load(path, allow_pickle=False) as f:
            if "X" not in f.files:
                raise ValueError(f"data file {path!r} has no array 'X' (found {', '.join(f.files) or 'none'})")
            X = np.asarray(f["X"], dtype=np.float64)
    except ValueError as exc:
        if "has no array" in str(exc):
            raise
        raise ValueError(f"cannot read data file {path!r} as .npz ({exc})") from None
    except OSError as exc:
        raise ValueError(f"cannot read data file {path!r} as .npz ({exc})") from None
    if X.ndim < 2 or X.shape[0] < 3:
        raise ValueError(f"data file {path!r}: X must hold at least 3 images (shape (N, ...)), got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"data file {path!r}: X contains NaN or infinite values")
    lo, hi = float(X.min()), float(X.max())
    if hi <= lo:
        raise ValueError(f"data file {path!r}: X is constant, nothing to learn")
    shape = tuple(X.shape[1:])
    X = X.reshape(X.shape[0], -1)
    return 2.0 * (X - lo) / (hi - lo) - 1.0, shape


def load_image_data(source: str = "digits", n_test: int | None = None, seed: int = 0) -> ImageData:
    """Load ``"digits"`` or a ``.npz`` file with an array ``X`` and split off a held-out set.

    Parameters
    ----------
    source : str
        ``"digits"`` or a path to a ``.npz`` file holding ``X`` of shape (N, ...).
    n_test : int, optional
        Held-out images; default 10 % of the images (at least 1).
    seed : int
        Seed of the permutation that orders the pool and picks the held-out images.

    Raises
    ------
    ValueError
        Unreadable file, missing ``X``, non-finite or constant values, too few images, bad ``n_test``.
    """
    if not isinstance(source, str) or not source:
        raise ValueError(f"data must be 'digits' or a path to a .npz file, got {source!r}")
    if source == "digits":
        X, shape = _digits()
    else:
        if not os.path.isfile(source):
            raise ValueError(f"data must be 'digits' or an existing .npz file, got {source!r}")
        X, shape = _npz(source)
    n = X.shape[0]
    n_test = max(1, n // 10) if n_test is None else int(n_test)
    if not 1 <= n_test <= n - 2:
        raise ValueError(f"n_test must lie in [1, {n - 2}] for {n} images, got {n_test!r}")
    perm = np.random.default_rng(seed).permutation(n)
    return ImageData(pool=X[perm[n_test:]], held_out=X[perm[:n_test]], shape=shape, source=source)
