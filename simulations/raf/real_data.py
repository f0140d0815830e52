"""The rules-and-facts protocol on a real labelled data set (docs/theory/gcm.md, "Real data").

Two classes of the data set form the *rule* (labels ±1 by class); *facts* are images of a third class
(or a random subset of the two rule classes, ``facts="same"``) carrying random ±1 labels. A training set
has ``n = round(α d)`` samples of which ``round(ε n)`` are facts; the rule images left over are the
test set. Inputs are z-scored with the training set's per-feature mean and standard deviation
(constant features are dropped). The learners are bias-free kernel ridge regression and the
bias-free kernel SVM (the convention of the theory: ``Σ ℓ(y, f(x)) + (λ/2)‖f‖²_H``) with the RBF
kernel ``exp(−η ‖x − x'‖² / med)``, ``med`` being the median squared distance between training inputs.
(The authors' CIFAR-10 script uses an SVM with an intercept; a bias-free one is used here so that the
numbers refer to the same learner as the theory.)

Metrics per fit: ``E_mem`` (training error on the facts), ``E_gen`` (error on the held-out rule
images), and the training error on the rule examples.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from memtheory.core.checks import check_positive, check_positive_int, check_unit_interval
from .kernel_learners import fit_kernel

__all__ = ["LabelledData", "load_labelled", "RealSplit", "make_real_split", "zscore", "rbf_gram",
           "median_sq_distance", "run_real_repeat", "REAL_LEARNERS"]

REAL_LEARNERS = ("krr", "svm")


@dataclass(frozen=True)
class LabelledData:
    """Inputs ``X`` (n × d, float) with integer class labels ``y`` and a name."""

    X: np.ndarray
    y: np.ndarray
    name: str


def load_labelled(source: str = "digits") -> LabelledData:
    """``"digits"`` (scikit-learn's bundled 8×8 digits, optional extra ``data``) or a ``.npz`` path.

    The ``.npz`` file must hold ``X`` (n × d numbers) and ``y`` (n class labels); anything else raises
    ``ValueError`` with one line naming the problem.
    """
    if source == "digits":
        try:
            from sklearn.datasets import load_digits
        except ImportError:
            raise ValueError("the digits data set needs scikit-learn: pip install 'memtheory[data]'") from None
        d = load_digits()
        return LabelledData(np.asarray(d.data, dtype=float), np.asarray(d.target), "digits")
    if not os.path.isfile(source):
        raise ValueError(f"data: no such file {source!r} (use 'digits' or a .npz with arrays X and y)")
    try:
        with np.load(source, allow_pickle=False) as f:
            files = set(f.files)
            missing = [k for k in ("X", "y") if k not in files]
            if missing:
                raise ValueError(f"data: {source!r} has no array {' or '.join(missing)} (needs X (n × d) and y)")
            X, y = f["X"], f["y"]
    except (OSError, EOFError) as exc:
        raise ValueError(f"data: cannot read {source!r} as .npz ({exc})") from None
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"data: X in {source!r} must be numeric") from None
    if X.ndim != 2:
        X = X.reshape(X.shape[0], -1) if X.ndim > 2 else X
    if X.ndim != 2 or y.ndim != 1:
        raise ValueError(f"data: X must be (n × d) and y (n,), got shapes {X.shape} and {y.shape}")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"data: X has {X.shape[0]} rows but y has {y.shape[0]} labels")
    if not np.all(np.isfinite(X)):
        raise ValueError("data: X must contain only finite values")
    return LabelledData(X, y, os.path.basename(source))


def _has_class(data: LabelledData, c) -> bool:
    return bool(np.any(data.y == c))


def parse_class(data: LabelledData, text):
    """A class label of ``data`` from its text form (numeric labels are compared as numbers)."""
    labels = np.unique(data.y)
    for lab in labels:
        if str(lab) == str(text).strip():
            return lab
        try:
            if float(lab) == float(text):
                return lab
        except (TypeError, ValueError):
            pass
    raise ValueError(f"class {text!r} does not exist in {data.name} (classes: "
                     f"{', '.join(map(str, labels[:20]))}{' ...' if labels.size > 20 else ''})")


@dataclass(frozen=True)
class RealSplit:
    """One training/test split: z-scored inputs, ±1 labels and the fact mask."""

    X_train: np.ndarray
    y_train: np.ndarray
    is_fact: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def zscore(X_train: np.ndarray, *others: np.ndarray) -> tuple[np.ndarray, ...]:
    """Standardise with the training set's statistics; features constant on it are dropped."""
    mu = X_train.mean(axis=0)
    sd = X_train.std(axis=0)
    keep = sd > 1e-12 * max(1.0, float(np.abs(mu).max(initial=0.0)))
    return tuple((A[:, keep] - mu[keep]) / sd[keep] for A in (X_train, *others))


def make_real_split(data: LabelledData, rule, facts, alpha: float, epsilon: float,
                    rng: np.random.Generator) -> RealSplit:
    """Draw a training set of ``round(α d)`` samples (``round(ε n)`` facts) and the test set.

    ``rule`` is a pair of class labels (first → −1, second → +1); ``facts`` is a class label or
    ``"same"`` (facts drawn from the rule classes). The test set is every rule image not used in
    training.
    """
    alpha = check_positive("alpha", alpha)
    epsilon = check_unit_interval("epsilon", epsilon)
    a, b = rule
    if a == b:
        raise ValueError("rule must name two different classes")
    d = data.X.shape[1]
    n = max(1, int(round(alpha * d)))
    n_fact = int(round(epsilon * n))
    n_rule = n - n_fact
    rule_idx = rng.permutation(np.flatnonzero((data.y == a) | (data.y == b)))
    if isinstance(facts, str) and facts == "same":
        need = n + 1
        if rule_idx.size < need:
            raise ValueError(f"alpha too large: n = {n} training samples need more than the {rule_idx.size} "
                             f"images of the rule classes (leave some for the test set)")
        fact_idx, train_rule, test_idx = rule_idx[:n_fact], rule_idx[n_fact:n], rule_idx[n:]
    else:
        if facts in (a, b):
            raise ValueError("facts must be a third class (or 'same' for a random subset of the rule classes)")
        pool = np.flatnonzero(data.y == facts)
        if pool.size < n_fact:
            raise ValueError(f"alpha*epsilon too large: {n_fact} facts needed, class {facts} has {pool.size} images")
        if rule_idx.size < n_rule + 1:
            raise ValueError(f"alpha too large: {n_rule} rule samples needed, the rule classes have "
                             f"{rule_idx.size} images (leave some for the test set)")
        fact_idx = rng.choice(pool, size=n_fact, replace=False)
        train_rule, test_idx = rule_idx[:n_rule], rule_idx[n_rule:]
    sign = lambda idx: np.where(data.y[idx] == b, 1.0, -1.0)  # noqa: E731
    X_train = np.concatenate([data.X[train_rule], data.X[fact_idx]])
    y_train = np.concatenate([sign(train_rule), rng.choice(np.array([-1.0, 1.0]), size=n_fact)])
    is_fact = np.concatenate([np.zeros(n_rule, bool), np.ones(n_fact, bool)])
    X_train, X_test = zscore(X_train, data.X[test_idx])
    return RealSplit(X_train, y_train, is_fact, X_test, sign(test_idx))


def _sq_distances(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    sa = np.einsum("ij,ij->i", A, A)
    sb = np.einsum("ij,ij->i", B, B)
    return np.maximum(sa[:, None] + sb[None, :] - 2.0 * A @ B.T, 0.0)


def median_sq_distance(X: np.ndarray) -> float:
    """Median of ``‖x_i − x_j‖²`` over pairs ``i < j`` of the rows of ``X``."""
    D = _sq_distances(X, X)
    med = float(np.median(D[np.triu_indices(X.shape[0], 1)]))
    if not med > 0:
        raise ValueError("all training inputs coincide: the RBF width is undefined")
    return med


def rbf_gram(A: np.ndarray, B: np.ndarray, eta: float, med: float) -> np.ndarray:
    """``exp(−η ‖a − b‖² / med)``."""
    return np.exp(-eta * _sq_distances(A, B) / med)


def _errors(f_train, split, f_test):
    y = split.y_train
    fact, rule = split.is_fact, ~split.is_fact
    err = lambda yy, ff: float(np.mean(yy * ff <= 0.0)) if yy.size else float("nan")  # noqa: E731
    return err(y[fact], f_train[fact]), err(split.y_test, f_test), err(y[rule], f_train[rule])


def run_real_repeat(split: RealSplit, etas, lams, learners=REAL_LEARNERS, seed: int = 0) -> np.ndarray:
    """Fit every (learner, η, λ) on one split.

    Returns an array of shape ``(len(learners), len(etas), len(lams), 4)`` holding
    ``(E_mem, E_gen, rule train error, converged)``. KRR uses one eigendecomposition per η for the
    whole λ grid; the SVM is solved per λ by the bias-free dual solver.
    """
    out = np.full((len(learners), len(etas), len(lams), 4), np.nan)
    med = median_sq_distance(split.X_train)
    for j, eta in enumerate(etas):
        eta = check_positive("eta", eta)
        K = rbf_gram(split.X_train, split.X_train, eta, med)
        K_test = rbf_gram(split.X_test, split.X_train, eta, med)
        for i, learner in enumerate(learners):
            if learner == "krr":
                evals, U = sla.eigh(K, check_finite=False)
                evals = np.clip(evals, 0.0, None)
                uy = U.T @ split.y_train
                for k, lam in enumerate(lams):
                    c = U @ (uy / (evals + lam)) if lam > 0 else U @ np.where(evals > 1e-12 * evals[-1],
                                                                              uy / np.maximum(evals, 1e-300), 0.0)
                    out[i, j, k, :3] = _errors(K @ c, split, K_test @ c)
                    out[i, j, k, 3] = 1.0
            elif learner == "svm":
                for k, lam in enumerate(lams):
                    # a fit that misses its tolerance is recorded in the converged column instead
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        fit = fit_kernel(K, split.y_train, "hinge", lam, seed=seed)
                    out[i, j, k, :3] = _errors(fit.train_outputs, split, K_test @ fit.coef)
                    out[i, j, k, 3] = float(fit.converged)
            else:
                raise ValueError(f"unknown learner {learner!r}; allowed: {', '.join(REAL_LEARNERS)}")
    return out


def check_repeats(repeats) -> int:
    """Number of repeats, a positive int."""
    return check_positive_int("repeats", repeats)


def feature_matrix(data: LabelledData, features: str = "pixels", p: int | None = None, seed: int = 0) -> np.ndarray:
    """Inputs for the Gaussian-covariate comparison, standardised so that ``tr Σ/p = 1``.

    ``"pixels"``: the z-scored inputs (constant ones dropped). ``"tanh"``/``"relu"``: random features
    ``σ(F x/√d)`` of the z-scored inputs with ``F_ij ~ N(0, 1)``, ``p`` of them, then z-scored. Every
    column has mean 0 and variance 1 over the whole data set, so the empirical covariance has unit
    mean eigenvalue, the normalisation of the theory.
    """
    (Z,) = zscore(np.asarray(data.X, dtype=float))
    if features == "pixels":
        return Z
    if features not in ("tanh", "relu"):
        raise ValueError(f"unknown features {features!r}; allowed: pixels, tanh, relu")
    p = check_positive_int("p", p if p is not None else 4 * Z.shape[1])
    F = np.random.default_rng(seed).standard_normal((Z.shape[1], p))
    H = Z @ F / np.sqrt(Z.shape[1])
    H = np.tanh(H) if features == "tanh" else np.maximum(H, 0.0)
    (H,) = zscore(H)
    return H
