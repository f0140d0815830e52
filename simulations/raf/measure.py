"""Measurements of one trained RAF learner (docs/theory/raf.md §5).

* ε_gen: misclassification of fresh clean teacher data. For a linear predictor w it is computed
  exactly as arccos(w·w*/(‖w‖‖w*‖))/π, the expectation over Gaussian test inputs, which removes the
  test-set Monte-Carlo noise; other learners use a fresh test set.
* ε_mem: training misclassification of the facts, y_μ f(x_μ) ≤ 0 (a tie counts as an error).
* ε_train^rule: training misclassification of the rule examples.
* training loss: the average of ℓ over all training samples (docs/theory/raf.md §5 "Training loss"), without the
  penalty.
NaN marks a quantity with no samples (no facts at ε = 0, no rule examples at ε = 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .losses import loss_values

__all__ = ["Measurement", "population_gen_error", "measure"]

METRICS = ("gen_error", "mem_error", "rule_train_error", "train_loss")


@dataclass(frozen=True)
class Measurement:
    """The metrics of one seed; ``converged`` is the learner's tolerance flag.

    Attributes
    ----------
    seed : int
        The seed.
    gen_error : float
        Generalization error on clean teacher labels.
    mem_error : float
        Training error on the facts (NaN without facts).
    rule_train_error : float
        Training error on the rule examples.
    train_loss : float
        Training loss.
    converged : bool
        Whether the learner met its tolerance.
    overlaps : tuple of (str, float)
        Order parameters of the linear learner (``m``, ``q``); empty otherwise.

    Examples
    --------
    >>> from memtheory.simulations.raf import make_spec, run_one
    >>> m = run_one(make_spec("linear", "square", d=50), 0)
    >>> isinstance(m, Measurement), dict(m.overlaps).keys() == {"m", "q"}
    (True, True)

    See docs/theory/raf.md §5.
    """

    seed: int
    gen_error: float
    mem_error: float
    rule_train_error: float
    train_loss: float
    converged: bool
    overlaps: tuple = ()


def population_gen_error(w: np.ndarray, teacher: np.ndarray, spectrum=None) -> float:
    """Generalization error ε_gen = arccos(m/√(qρ))/π of a linear predictor, exact for Gaussian x.

    With ``spectrum = ω`` (x ~ N(0, diag ω)) the overlaps are Σ-weighted:
    ``arccos(wᵀΣθ/√(wᵀΣw·θᵀΣθ))/π`` (docs/theory/gcm.md).

    Parameters
    ----------
    w : ndarray, shape (d,)
        Student weights.
    teacher : ndarray, shape (d,)
        Teacher weights.
    spectrum : ndarray, shape (d,), optional
        Input variances ω; default isotropic.

    Returns
    -------
    float
        The angle between student and teacher over π; 0.5 for a zero or non-finite ``w``.

    Examples
    --------
    >>> import numpy as np
    >>> round(population_gen_error(np.array([1.0, 0.0]), np.array([1.0, 1.0])), 6)
    0.25

    See docs/theory/raf.md §5.
    """
    if spectrum is not None:
        s = np.sqrt(np.asarray(spectrum, dtype=float))
        w, teacher = w * s, teacher * s
    nw = np.linalg.norm(w)
    if not np.isfinite(nw) or nw == 0.0:
        return 0.5
    c = float(w @ teacher / (nw * np.linalg.norm(teacher)))
    return float(np.arccos(np.clip(c, -1.0, 1.0)) / np.pi)


def _error_rate(y, f, mask):
    if not mask.any():
        return float("nan")
    return float(np.mean(y[mask] * f[mask] <= 0.0))


def measure(seed, loss, data, train_outputs, converged, *, test_outputs=None, y_test=None,
            gen_error=None, overlaps=()) -> Measurement:
    """Assemble a :class:`Measurement` from training outputs and either test outputs or an exact ε_gen."""
    f = np.asarray(train_outputs, dtype=np.float64)
    if gen_error is None:
        gen_error = float(np.mean(np.asarray(y_test) * np.asarray(test_outputs) <= 0.0))
    return Measurement(
        seed=int(seed),
        gen_error=float(gen_error),
        mem_error=_error_rate(data.y, f, data.is_fact),
        rule_train_error=_error_rate(data.y, f, ~data.is_fact),
        train_loss=float(np.mean(loss_values(loss, data.y, f))),
        converged=bool(converged),
        overlaps=tuple(overlaps),
    )
