"""Rules-and-Facts datasets (docs/theory/raf.md §1).

Inputs x ~ N(0, I_d); a teacher w* with ‖w*‖²/d = ρ = 1 exactly; rule labels y = sign(w*·x/√d);
facts: a fraction ε of the samples whose labels are replaced by independent uniform ±1. The fact mask
is kept because the memorization error is measured on the facts only (docs/theory/raf.md §5).

Anisotropic inputs (docs/theory/gcm.md): with ``spectrum = ω`` (see :mod:`.spectra`) the rows are
x ~ N(0, diag(ω)), drawn as ``g·√ω`` with g ~ N(0, I); the teacher is drawn as before, so its
components in Σ's eigenbasis are isotropic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_positive_int, check_unit_interval

__all__ = ["RAFData", "make_teacher", "make_raf_data", "make_test_set", "teacher_labels", "spawn_rngs"]


@dataclass(frozen=True)
class RAFData:
    """A RAF sample, as drawn by :func:`make_raf_data`.

    Attributes
    ----------
    X : ndarray, shape (n, d)
        Inputs, rows x_μ ~ N(0, I_d).
    y : ndarray, shape (n,)
        Labels in {-1, +1}.
    is_fact : ndarray of bool, shape (n,)
        True for the facts (random labels), False for the rule examples.
    teacher : ndarray, shape (d,)
        Teacher w* with ‖w*‖² = d.

    Examples
    --------
    >>> import numpy as np
    >>> data = make_raf_data(100, 50, 0.2, np.random.default_rng(0))
    >>> data.n, data.d, int(data.is_fact.sum())
    (100, 50, 20)

    See docs/theory/raf.md §1.
    """

    X: np.ndarray
    y: np.ndarray
    is_fact: np.ndarray
    teacher: np.ndarray

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]


def spawn_rngs(seed: int, k: int) -> list[np.random.Generator]:
    """Return ``k`` independent Generators derived from ``seed`` (SeedSequence spawning).

    Separate streams for data, test set, features and learner mean that changing e.g. n_test does not
    change the training set of a given seed.
    """
    return [np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(k)]


def make_teacher(d: int, rng: np.random.Generator) -> np.ndarray:
    """Draw a teacher with ‖w*‖²/d = 1 exactly (ρ = 1).

    Parameters
    ----------
    d : int
        Input dimension, >= 1.
    rng : numpy.random.Generator
        Random stream.

    Returns
    -------
    ndarray, shape (d,)
        Gaussian direction rescaled to norm √d.

    Examples
    --------
    >>> import numpy as np
    >>> w = make_teacher(50, np.random.default_rng(0))
    >>> w.shape, round(float(w @ w / 50), 6)
    ((50,), 1.0)

    See docs/theory/raf.md §1.
    """
    d = check_positive_int("d", d)
    w = rng.standard_normal(d)
    return w * (np.sqrt(d) / np.linalg.norm(w))


def teacher_labels(X: np.ndarray, teacher: np.ndarray) -> np.ndarray:
    """Clean rule labels sign(w*·x/√d); the measure-zero tie ν = 0 is sent to +1."""
    nu = X @ teacher
    return np.where(nu >= 0, 1.0, -1.0)


def _scaled_inputs(shape, rng, spectrum):
    X = rng.standard_normal(shape)
    if spectrum is not None:
        X *= np.sqrt(np.asarray(spectrum, dtype=float))
    return X


def make_raf_data(n: int, d: int, epsilon: float, rng: np.random.Generator, teacher=None,
                  spectrum=None) -> RAFData:
    """Draw a RAF training set.

    Parameters
    ----------
    n, d : int
        Number of samples and input dimension (α = n/d).
    epsilon : float
        Fraction of facts, ε ∈ [0, 1]. Exactly round(ε n) samples are facts, at random positions: a fixed
        count removes the binomial fluctuation of the fact fraction, which the theory does not have.
    rng : numpy.random.Generator
        Random stream.
    teacher : ndarray, optional
        Reuse a teacher (default: a fresh one from ``rng``).
    spectrum : ndarray, shape (d,), optional
        Variances ω of the (diagonal) input covariance; default isotropic.

    Returns
    -------
    RAFData
        Inputs, labels, fact mask and teacher.

    Examples
    --------
    >>> import numpy as np
    >>> data = make_raf_data(100, 50, 0.2, np.random.default_rng(0))
    >>> data.X.shape, int(data.is_fact.sum()), sorted(set(data.y.tolist()))
    ((100, 50), 20, [-1.0, 1.0])

    See docs/theory/raf.md §1.
    """
    n = check_positive_int("n", n)
    d = check_positive_int("d", d)
    epsilon = check_unit_interval("epsilon", epsilon)
    if teacher is None:
        teacher = make_teacher(d, rng)
    if spectrum is not None and np.shape(spectrum) != (d,):
        raise ValueError(f"spectrum must have shape ({d},), got {np.shape(spectrum)}")
    X = _scaled_inputs((n, d), rng, spectrum)
    y = teacher_labels(X, teacher)
    n_facts = int(round(epsilon * n))
    is_fact = np.zeros(n, dtype=bool)
    is_fact[rng.permutation(n)[:n_facts]] = True
    y[is_fact] = rng.choice(np.array([-1.0, 1.0]), size=n_facts)
    return RAFData(X=X, y=y, is_fact=is_fact, teacher=teacher)


def make_test_set(n_test: int, teacher: np.ndarray, rng: np.random.Generator,
                  spectrum=None) -> tuple[np.ndarray, np.ndarray]:
    """Fresh clean teacher data (X_test, y_test) for the generalization error.

    Parameters
    ----------
    n_test : int
        Number of test points, >= 1.
    teacher : ndarray, shape (d,)
        The teacher of the training set.
    rng : numpy.random.Generator
        Random stream.
    spectrum : ndarray, shape (d,), optional
        Input variances ω; default isotropic.

    Returns
    -------
    X_test : ndarray, shape (n_test, d)
        Inputs.
    y_test : ndarray, shape (n_test,)
        Clean rule labels sign(w*·x).

    Examples
    --------
    >>> import numpy as np
    >>> X, y = make_test_set(10, make_teacher(50, np.random.default_rng(0)), np.random.default_rng(1))
    >>> X.shape, y.shape
    ((10, 50), (10,))

    See docs/theory/raf.md §5.
    """
    n_test = check_positive_int("n_test", n_test)
    X = _scaled_inputs((n_test, teacher.shape[0]), rng, spectrum)
    return X, teacher_labels(X, teacher)
