"""The RAF learners as frozen dataclasses (validated on construction).

Each model names its loss (an output channel) and its learner (a prior); ``solve`` composes them.
Change a parameter with :func:`dataclasses.replace`, e.g. ``replace(model, lam=0.5)``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

from memtheory.core.checks import check_nonnegative, check_positive
from memtheory.core.names import LOSSES as NAMED_LOSSES
from memtheory.core.names import SOLVER_LEARNERS, canonical
from memtheory.solvers.raf.activations import hermite_coefficients
from memtheory.solvers.raf.channels import CHANNELS
from memtheory.solvers.raf.channels.custom import CustomLoss

__all__ = ["Linear", "Kernel", "RandomFeatures", "BayesOptimal", "LOSSES", "LEARNERS"]

# The registry's order first (as every layer lists them), then any channel module the registry lacks.
LOSSES = tuple(n for n in NAMED_LOSSES if n in CHANNELS) + tuple(n for n in CHANNELS if n not in NAMED_LOSSES)
LEARNERS = SOLVER_LEARNERS


def _check_loss(loss):
    if isinstance(loss, CustomLoss):
        return loss
    return canonical("loss", loss, allowed=LOSSES)


@dataclass(frozen=True)
class Linear:
    """Linear learner (perceptron ERM): ``Σ ℓ(y, w·x/√d) + (λ/2)‖w‖²`` (docs/theory/raf.md §1, §3.1).

    ``lam = 0`` is the λ → 0⁺ limit: min-norm interpolation (square, α < 1), max-margin (hinge,
    α < α_c(ε)), or the unregularised minimiser above those thresholds, chosen automatically.

    See docs/theory/raf.md §1.

    Parameters
    ----------
    loss : str or CustomLoss
        A name of :data:`LOSSES` (``"square"``, ``"hinge"``, ``"logistic"``, ...) or a :class:`CustomLoss`.
    lam : float
        Ridge ``λ >= 0``; 0 is the λ → 0⁺ limit.

    Attributes
    ----------
    learner : str
        ``"linear"`` (fixed; selects the prior of docs/theory/raf.md §4).

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> m = raf.Linear(loss='hinge', lam=0.5)
    >>> m.loss, m.lam, m.learner
    ('hinge', 0.5, 'linear')
    >>> round(raf.solve(m, alpha=2.0, epsilon=0.1).gen_error, 4)
    0.2207
    """

    loss: str = "square"
    lam: float = 0.1
    learner: str = field(default="linear", init=False)

    def __post_init__(self):
        object.__setattr__(self, "loss", _check_loss(self.loss))
        object.__setattr__(self, "lam", check_nonnegative("lam", self.lam))


@dataclass(frozen=True)
class Kernel:
    """Dot-product kernel learner (KRR / kernel SVM), summarised by ``(μ₁, μ⋆)`` (docs/theory/raf.md §4).

    Give either ``activation`` (the kernel induced by random features of that activation, e.g.
    ``"sign"`` → arcsine kernel) or ``mu1`` and ``mu_star`` directly.

    See docs/theory/raf.md §4.

    Parameters
    ----------
    loss : str or CustomLoss
        A name of :data:`LOSSES` (``"square"``, ``"hinge"``, ``"logistic"``, ...) or a :class:`CustomLoss`.
    lam : float
        Ridge ``λ >= 0``; 0 is the λ → 0⁺ limit (needs ``mu_star > 0``).
    activation : str or callable, optional
        Activation whose induced kernel is used (default ``"sign"`` when no coefficients are given).
    mu1, mu_star : float, optional
        Hermite coefficients ``μ₁ > 0`` and ``μ⋆ >= 0``; filled from ``activation`` when it is given.

    Attributes
    ----------
    learner : str
        ``"kernel"`` (fixed).

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> k = raf.Kernel(loss='square', lam=0.1, activation='sign')
    >>> round(k.mu1, 6), round(k.mu_star, 6)
    (0.797885, 0.60281)
    >>> round(raf.solve(k, alpha=2.0, epsilon=0.2).gen_error, 4)
    0.25
    """

    loss: str = "square"
    lam: float = 0.1
    activation: object = None
    mu1: float | None = None
    mu_star: float | None = None
    learner: str = field(default="kernel", init=False)

    def __post_init__(self):
        object.__setattr__(self, "loss", _check_loss(self.loss))
        object.__setattr__(self, "lam", check_nonnegative("lam", self.lam))
        _resolve_coefficients(self)
        if self.lam == 0.0 and self.mu_star == 0.0:
            raise ValueError("mu_star must be > 0 for a kernel at lam = 0 (with mu_star = 0 use raf.Linear)")


@dataclass(frozen=True)
class RandomFeatures:
    """Random-features learner, ``p = κd`` features ``σ(Fx/√d)`` (docs/theory/raf.md §4). Requires ``lam > 0``.

    See docs/theory/raf.md §4.

    Parameters
    ----------
    loss : str or CustomLoss
        A name of :data:`LOSSES` (``"square"``, ``"hinge"``, ``"logistic"``, ...) or a :class:`CustomLoss`.
    lam : float
        Ridge ``λ >= 0``, here ``> 0`` (the λ → 0 limit is not implemented).
    kappa : float
        Features per input dimension ``κ = p/d > 0``.
    activation : str or callable
        Feature activation ``σ`` (default ``"sign"``).
    mu1, mu_star : float, optional
        Hermite coefficients of ``σ``; filled from ``activation`` when it is given.

    Attributes
    ----------
    learner : str
        ``"random_features"`` (fixed).

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> rf = raf.RandomFeatures(loss='square', lam=0.1, kappa=2.0)
    >>> rf.activation, rf.kappa
    ('sign', 2.0)
    >>> round(raf.solve(rf, alpha=2.0, epsilon=0.2).gen_error, 4)
    0.3699
    """

    loss: str = "square"
    lam: float = 0.1
    kappa: float = 1.0
    activation: object = "sign"
    mu1: float | None = None
    mu_star: float | None = None
    learner: str = field(default="random_features", init=False)

    def __post_init__(self):
        object.__setattr__(self, "loss", _check_loss(self.loss))
        lam = check_nonnegative("lam", self.lam)
        if lam == 0.0:
            raise ValueError(
                "lam must be > 0 for random features (allowed range (0, inf)): the λ → 0 limit of the "
                "random-features equations is not implemented; use a small lam such as 1e-4"
            )
        object.__setattr__(self, "lam", lam)
        object.__setattr__(self, "kappa", check_positive("kappa", self.kappa))
        _resolve_coefficients(self)


@dataclass(frozen=True)
class BayesOptimal:
    """The Bayes-optimal estimator of the rule (docs/theory/raf.md §4); it has no loss and no ridge.

    See docs/theory/raf.md §4.

    Attributes
    ----------
    learner : str
        ``"bayes_optimal"`` (fixed).

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> res = raf.solve(raf.BayesOptimal(), alpha=2.0, epsilon=0.2)
    >>> res.regime, round(res.gen_error, 4)
    ('bayes', 0.243)
    """

    learner: str = field(default="bayes_optimal", init=False)


@functools.lru_cache(maxsize=64)
def _named_coefficients(name: str):
    return hermite_coefficients(name)


def _resolve_coefficients(model) -> None:
    """Fill ``mu1``/``mu_star`` from ``activation``, or validate explicit ones.

    With an activation, explicit coefficients are accepted only if they agree with it (this is what
    :func:`dataclasses.replace` passes back in).
    """
    act = model.activation
    if act is None and model.mu1 is None and model.mu_star is None:
        act = "sign"
    if act is not None:
        coeffs = _named_coefficients(act.lower()) if isinstance(act, str) else hermite_coefficients(act)
        if isinstance(act, str):
            object.__setattr__(model, "activation", act.lower())
        for name, value in (("mu1", coeffs.mu1), ("mu_star", coeffs.mu_star)):
            given = getattr(model, name)
            if given is not None and abs(float(given) - value) > 1e-9 * max(1.0, abs(value)):
                raise ValueError(f"give either an activation or ({name}, ...), not both: {name}={given!r} "
                                 f"disagrees with activation {act!r} ({value:.6g})")
            object.__setattr__(model, name, value)
    elif model.mu1 is None or model.mu_star is None:
        raise ValueError("give both mu1 and mu_star, or an activation")
    else:
        object.__setattr__(model, "mu1", check_positive("mu1", model.mu1))
        object.__setattr__(model, "mu_star", check_nonnegative("mu_star", model.mu_star))
    if not math.isfinite(model.mu1) or model.mu1 <= 0:
        raise ValueError(f"mu1 must be > 0 (the learner must see the rule), got {model.mu1!r}")
    # The equations use mu1^2 and mu_star^2: beyond 1e150 they overflow (and 0 * inf turns into NaN).
    for name in ("mu1", "mu_star"):
        if getattr(model, name) > 1e150:
            raise ValueError(f"{name} must be <= 1e150 (its square must be a finite double), got {getattr(model, name)!r}")
