"""Solve the RAF saddle point for one model at one (α, ε).

:func:`solve` picks the regime (ridge, or one of the λ → 0 limits of docs/theory/raf.md §6 chosen from the
thresholds — the user never says "below α_c"), runs the composed fixed point of
:mod:`memtheory.solvers.raf.driver`, and evaluates the errors of docs/theory/raf.md §5 at the solution.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass, replace

import numpy as np

from memtheory.core.checks import check_interval, check_positive
from memtheory.solvers.fixed_point import STATUS_MESSAGES
from memtheory.solvers.quadrature import DEFAULT_NODES, legendre_rule
from memtheory.solvers.raf import channels as ch
from memtheory.solvers.raf import observables as obs
from memtheory.solvers.raf import priors as pr
from memtheory.solvers.raf.bayes_large_alpha import bayes_gen_error_u
from memtheory.solvers.raf.driver import iterate
from memtheory.solvers.raf.channels.custom import driver_for
from memtheory.solvers.raf.gcm import GaussianCovariate, pack_spectrum
from memtheory.solvers.raf.models import BayesOptimal, Kernel, Linear, RandomFeatures
from memtheory.solvers.raf.observables import kinks_array
from memtheory.solvers.raf import pointwise as pw
from memtheory.solvers.raf.results import RAFResult
from memtheory.solvers.raf.thresholds import separability_threshold

__all__ = ["solve", "bayes_error", "bayes_errors", "SaddlePointWarning", "SingularPointError", "plan",
           "check_solver_options"]

DEFAULT_TOL = 1e-10
_BAYES_NODES = 64

# Starting points: "uninformed" follows the reference code (m₀ = 0.1, q₀ = 0.8, V₀ = 3); "informed"
# starts almost aligned with the teacher. Two starts that disagree reveal coexisting fixed points.
_INITS = {
    "uninformed": np.array([0.1, 0.8, 3.0, 0.8, 3.0]),
    "informed": np.array([0.99, 1.0, 0.5, 0.05, 0.5]),
}
# the Bayes-optimal state is u = 1 − q_b (see :mod:`memtheory.solvers.raf.bayes_large_alpha`)
_BAYES_INITS = {"uninformed": np.array([0.99]), "informed": np.array([0.01])}


class SaddlePointWarning(RuntimeWarning):
    """Emitted when a saddle-point iteration did not converge.

    See docs/theory/raf.md §12.

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> import warnings
    >>> issubclass(raf.SaddlePointWarning, Warning)
    True
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter('always')
    ...     res = raf.solve(raf.Linear(loss='hinge', lam=0.1), alpha=2.0, epsilon=0.2, max_iter=2)
    ...
    >>> res.converged, caught[0].category.__name__
    (False, 'SaddlePointWarning')
    """


class SingularPointError(ValueError):
    """The λ = 0 limit has no finite solution at this (α, ε): the square-loss interpolation peak
    α = 1, the separability threshold α = α_c(ε), or a separable training set for a loss without a
    max-margin limit (logistic). :func:`~memtheory.solvers.raf.sweep` marks such grid points
    (NaN, not converged) instead of refusing the grid."""


@dataclass(frozen=True)
class Plan:
    """How a (model, α, ε) is solved: learner id, channel kernel id, flat parameters, regime."""

    learner_id: int
    channel_id: int
    params: np.ndarray
    regime: str
    channel: ch.OutputChannel | None


@functools.lru_cache(maxsize=256)
def _rules(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    return legendre_rule(nodes)


@dataclass(frozen=True)
class ModelInfo:
    """The part of a :class:`Plan` that depends on the model only (cached per model by :func:`model_info`).

    ``params`` is the flat parameter vector with NaN in the α and ε slots; ``kinks`` and
    ``zero_crossing`` describe the loss for the compiled observables (:mod:`.pointwise`); ``compiled``
    says whether the channel is a built-in one (a custom loss takes the Python path)."""

    learner_id: int
    channel_id: int
    params: np.ndarray
    channel: ch.OutputChannel | None
    kinks: np.ndarray
    zero_crossing: float
    compiled: bool


_INFO_CACHE: dict = {}
_INFO_CACHE_SIZE = 64


def _build_info(model) -> ModelInfo:
    if isinstance(model, BayesOptimal):
        p = np.array([math.nan, math.nan, 0.0, 0.0, 1.0, 0.0, 1.0])
        return ModelInfo(pr.BAYES, ch.BAYES, p, None, np.zeros((0, 2)), 0.0, True)
    if not isinstance(model, (Linear, Kernel, RandomFeatures, GaussianCovariate)):
        raise ValueError(f"unknown model {model!r}; allowed: raf.Linear, raf.Kernel, raf.RandomFeatures, "
                         "raf.GaussianCovariate, raf.BayesOptimal")
    channel = ch.channel_of(model.loss)
    lam = model.lam
    if lam == 0.0 and channel.zero_loss_set == "unknown":
        raise ValueError(f"lam must be > 0 for the custom loss {channel.name!r} (allowed range (0, inf)): its "
                         "λ → 0 limit is not derived; use a small lam such as 1e-4")
    mu1 = getattr(model, "mu1", 1.0)
    ms2 = getattr(model, "mu_star", 0.0) ** 2
    kappa = getattr(model, "kappa", 1.0)
    lid = {Linear: pr.LINEAR, Kernel: pr.KERNEL, RandomFeatures: pr.RANDOM_FEATURES,
           GaussianCovariate: pr.GCM}[type(model)]
    p = np.array([math.nan, math.nan, lam, 0.0, mu1, ms2, kappa])
    if lid == pr.GCM:
        p = np.concatenate([p, pack_spectrum(model)])
    cid = channel.kernel
    return ModelInfo(lid, cid, p, channel, kinks_array(channel), float(channel.zero_crossing), cid >= 0)


def model_info(model) -> ModelInfo:
    """The per-model part of :func:`plan`, cached for hashable models (models are frozen dataclasses;
    one holding an array, such as a Gaussian-covariate spectrum, is rebuilt at every call)."""
    try:
        info = _INFO_CACHE.get(model)
    except TypeError:
        return _build_info(model)
    if info is None:
        info = _build_info(model)
        if len(_INFO_CACHE) >= _INFO_CACHE_SIZE:
            _INFO_CACHE.clear()
        _INFO_CACHE[model] = info
    return info


def plan(model, alpha: float, epsilon: float) -> Plan:
    """Choose the regime and build the flat parameter vector for the numba driver."""
    alpha = check_positive("alpha", alpha)
    eps = check_interval("epsilon", epsilon, 0.0, 1.0)
    return _plan_checked(model_info(model), model, alpha, eps)


def _plan_checked(info: ModelInfo, model, alpha: float, eps: float) -> Plan:
    p = info.params.copy()
    p[0] = alpha
    p[1] = eps
    if info.learner_id == pr.BAYES:
        return Plan(pr.BAYES, ch.BAYES, p, "bayes", None)
    channel = info.channel
    cid = info.channel_id
    regime = "ridge"
    if model.lam == 0.0:
        interpolates = _interpolates_at_zero_lambda(model, channel, alpha, eps)
        if interpolates:
            if channel.interpolating_kernel is None:
                raise SingularPointError(
                    f"lam = 0 with {channel.name} loss has no finite minimizer here: the training set is "
                    f"separable (α = {alpha:g} below the separability threshold for ε = {eps:g}); use lam > 0"
                )
            cid = channel.interpolating_kernel
            p[pr.P_ZERO_LAM] = 1.0
            regime = channel.regime_at_zero_lambda
        else:
            regime = "unregularized"
    return Plan(info.learner_id, cid, p, regime, channel)


def _interpolates_at_zero_lambda(model, channel, alpha: float, eps: float) -> bool:
    """Whether the λ → 0⁺ minimiser interpolates the training set (docs/theory/raf.md §6, §4)."""
    if isinstance(model, Kernel):
        return True  # μ⋆ > 0 gives unlimited capacity in the proportional regime
    if channel.zero_loss_set == "point":
        if alpha == 1.0:
            raise SingularPointError(f"alpha = 1 with lam = 0 and {channel.name} loss is the interpolation peak (errors diverge); use lam > 0")
        return alpha < 1.0
    a_c = separability_threshold(eps)
    if abs(alpha - a_c) < 1e-9 * max(1.0, a_c):
        raise SingularPointError(f"alpha = {alpha:g} is the separability threshold α_c(ε = {eps:g}) where the λ = 0 limit is singular")
    return alpha < a_c


MAX_TOL = 1e-2


def check_solver_options(tol, max_iter) -> tuple[float, int]:
    """Validate the stopping options shared by :func:`solve` and :func:`~memtheory.solvers.raf.sweep`:
    ``tol`` in ``(0, 1e-2]`` and ``max_iter`` a positive integer."""
    tol = check_interval("tol", tol, 0.0, MAX_TOL, closed=(False, True))
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer (allowed range 1, 2, ...), got {max_iter!r}")
    return tol, int(max_iter)


def _initial_state(lid: int, init) -> np.ndarray:
    if isinstance(init, str):
        table = _BAYES_INITS if lid == pr.BAYES else _INITS
        if init not in table:
            raise ValueError(f"unknown init {init!r}; allowed: uninformed, informed, or an array")
        return table[init].copy()
    x = np.asarray(init, dtype=float).ravel()
    size = 1 if lid == pr.BAYES else (5 if lid == pr.RANDOM_FEATURES else 3)
    if x.size != size or not np.all(np.isfinite(x)):
        raise ValueError(f"init must be 'uninformed', 'informed' or a finite array of length {size}")
    out = np.zeros(5)
    out[:size] = x
    if lid == pr.BAYES:
        if not 0.0 <= x[0] < 1.0:
            raise ValueError(f"init q_b must be in [0, 1), got {x[0]!r}")
        out[0] = 1.0 - x[0]
    return out


def _overlap_names(lid: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if lid in (pr.LINEAR, pr.GCM):
        return ("m", "q", "V"), ("m_hat", "q_hat", "V_hat")
    if lid == pr.KERNEL:
        return ("m_s", "q_s", "V_s"), ("m_hat_s", "q_hat_s", "V_hat_s")
    if lid == pr.RANDOM_FEATURES:
        return ("m_s", "q_s", "V_s", "q_w", "V_w"), ("m_hat_s", "q_hat_s", "V_hat_s", "q_hat_w", "V_hat_w")
    return ("q_b",), ("q_hat_b",)


@functools.lru_cache(maxsize=4096)
def _bayes_cached(alpha: float, eps: float) -> float:
    p = np.array([alpha, eps, 0.0, 0.0, 1.0, 0.0, 1.0])
    nodes, weights = _rules(_BAYES_NODES)
    x, _, res, _, status = iterate(pr.BAYES, ch.BAYES, _BAYES_INITS["uninformed"].copy(), p, nodes, weights, 1e-12, 5000, 1.0, 3)
    return float(bayes_gen_error_u(x[0])) if status == 0 else math.nan


def bayes_error(alpha: float, epsilon: float) -> float:
    """Bayes-optimal generalization error ``arccos(√q_b)/π`` at (α, ε) (docs/theory/raf.md §4).

    See docs/theory/raf.md §4 and §5.

    Parameters
    ----------
    alpha : float
        Sample ratio ``α = n/d > 0``.
    epsilon : float
        Fraction of facts, ``ε ∈ [0, 1]``.

    Returns
    -------
    float
        The Bayes-optimal generalization error (0.5 at ε = 1).

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> round(raf.bayes_error(2.0, 0.2), 4)
    0.243
    >>> round(raf.bayes_error(2.0, 0.0), 4)
    0.1745
    """
    return _bayes_cached(check_positive("alpha", alpha), check_interval("epsilon", epsilon, 0.0, 1.0))


def bayes_errors(alpha, epsilon) -> np.ndarray:
    """:func:`bayes_error` at every point of the broadcast ``alpha, epsilon`` (validated), solved in
    parallel in one compiled call; the same numbers as the scalar function.

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> from memtheory.solvers.raf.solve import bayes_errors
    >>> bayes_errors([2.0, 2.0], [0.2, 0.0]).round(4)
    array([0.243 , 0.1745])
    """
    a, e = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(epsilon, dtype=float))
    if not (np.all(np.isfinite(a)) and np.all(a > 0)):
        raise ValueError("alpha must be > 0 and finite (allowed range (0, inf))")
    if not (np.all(np.isfinite(e)) and np.all((e >= 0) & (e <= 1))):
        raise ValueError("epsilon must lie in [0.0, 1.0]")
    # the error depends on (α, ε) only: one solve per distinct pair (a λ or κ sweep needs one)
    pairs, inverse = np.unique(np.stack([a.ravel(), e.ravel()], axis=1), axis=0, return_inverse=True)
    out = np.empty(pairs.shape[0])
    nodes, weights = _rules(_BAYES_NODES)
    with pw.threads_for(out.size):
        pw.bayes_errors(np.ascontiguousarray(pairs[:, 0]), np.ascontiguousarray(pairs[:, 1]), nodes, weights, out)
    return out[np.asarray(inverse).ravel()].reshape(a.shape)


def solve(
    model,
    alpha,
    epsilon,
    *,
    lam=None,
    kappa=None,
    tol: float = DEFAULT_TOL,
    max_iter: int = 10000,
    step: float = 1.0,
    memory: int = 5,
    init="uninformed",
    nodes: int = DEFAULT_NODES,
    warn: bool = True,
):
    """Solve the RAF saddle-point equations and evaluate every error.

    See docs/theory/raf.md §2, §5 and §12.

    Parameters
    ----------
    model : Linear, Kernel, RandomFeatures or BayesOptimal
        Learner and loss (see :mod:`memtheory.solvers.raf.models`).
    alpha : float or array_like
        Sample ratio ``α = n/d > 0``.
    epsilon : float or array_like
        Fraction of facts (random labels), ``ε ∈ [0, 1]``.
    lam : float or array_like, optional
        Ridge ``λ ≥ 0`` in place of the model's (not for the Bayes-optimal estimator).
    kappa : float or array_like, optional
        Features per dimension ``κ > 0`` in place of the model's (random features only).
    tol : float
        Accuracy promised by ``converged`` (default 1e-10), in ``(0, 1e-2]``; see Notes.
    max_iter : int
        Maximum evaluations of the saddle-point map per attempt (a positive integer).
    step : float
        Weight on the new value, ``x ← (1 − step) x + step F(x)``, in (0, 1]; 1 is undamped.
    memory : int
        Anderson memory (0 disables acceleration, at most 8).
    init : {"uninformed", "informed"} or array
        Starting point (state layout of the learner: ``(m, q, V)``, ``(m_s, q_s, V_s)``,
        ``(m_s, q_s, V_s, q_w, V_w)`` or ``(q_b,)``).
    nodes : int
        Gauss–Legendre nodes per interval of the channel quadratures.
    warn : bool
        Emit :class:`SaddlePointWarning` when the iteration does not converge.

    Returns
    -------
    RAFResult or SweepResult
        For scalar arguments, a :class:`~memtheory.solvers.raf.results.RAFResult`: errors, order
        parameters and convergence information. A non-converged result has ``converged = False`` (and
        a warning); its numbers are those of the last iterate. Its ``bayes_error`` is computed on first
        access. If any of ``alpha, epsilon, lam, kappa`` is an array, a
        :class:`~memtheory.solvers.raf.results.SweepResult` of their numpy broadcast shape (see Notes).

    Notes
    -----
    The contract (docs/theory/raf.md, "Stopping rule and what `converged` promises"):
    ``converged=True`` means every reported error and overlap is within ``tol`` relative (or ``tol``
    absolute where that is below ``tol``, i.e. within ``tol·max(|x|, 1)``) of the exact fixed point.
    "Overlap" means the order parameters of the state and the ``channel_*`` overlaps; the conjugates
    are evaluated at the returned state. The iteration stops when an estimate of the distance to the
    fixed point (per component, relative, plus the change of ``gen_error``, from the larger of the
    undamped residual and the Anderson or Newton step) is below ``tol/10``. Where plain Anderson
    mixing is slow (a nearly critical fixed point, e.g. the λ = 0 hinge next to the separability
    threshold) the driver switches to Newton in ``(log m, log(q − m²), log V)``; a λ < 1 that still
    fails is approached by continuation from λ = 1 down. A point where none of this converges is
    reported as not converged, never with a wrong converged value. ``mem_error`` at ε = 0 is the
    ε → 0⁺ limit (the error on one hypothetical fact), as the result's ``message`` says.

    Batched solves (docs/theory/raf.md §10): array-valued ``alpha, epsilon, lam, kappa`` are broadcast
    against each other like numpy, and every point is solved *independently* from ``init`` (no
    continuation between points, so the result does not depend on the order or the neighbours of a
    point) in one compiled call, in parallel over the cores. The result's ``axes`` holds each
    array-valued parameter broadcast to the result shape; the scalar ones are in ``fixed``;
    ``coexistence`` is all False (one start per point). Points that fail are solved again with every
    fallback of the scalar call (at most 256 of them); what still fails is reported as not converged,
    with one warning. At λ = 0 each point gets its own regime; points without a λ → 0 solution are NaN,
    not converged, and flagged in ``singular``. Custom losses are solved point by point.

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> res = raf.solve(raf.Linear(loss='hinge', lam=0.1), alpha=2.0, epsilon=0.2)
    >>> res.converged, round(res.gen_error, 4), round(res.mem_error, 4)
    (True, 0.2689, 0.1471)
    >>> batch = raf.solve(raf.Linear(loss='hinge', lam=0.1), alpha=[[1.0], [2.0]], epsilon=[0.0, 0.2, 0.4])
    >>> batch.shape, bool(batch.converged.all()), round(float(batch.gen_error[1, 1]), 4)
    ((2, 3), True, 0.2689)
    >>> batch.axes["alpha"].shape
    (2, 3)
    """
    if lam is not None or kappa is not None or not (_is_scalar(alpha) and _is_scalar(epsilon)):
        if not all(_is_scalar(v) for v in (alpha, epsilon, lam, kappa) if v is not None):
            from memtheory.solvers.raf.batch import solve_batch

            return solve_batch(model, alpha, epsilon, lam=lam, kappa=kappa, tol=tol, max_iter=max_iter, step=step,
                               memory=memory, init=init, nodes=nodes, warn=warn)
        model = with_parameters(model, lam, kappa)
    info = model_info(model)
    pl = _plan_checked(info, model, check_positive("alpha", alpha), check_interval("epsilon", epsilon, 0.0, 1.0))
    tol, max_iter, step, memory = check_iteration_options(tol, max_iter, step, memory)
    n_nodes = _BAYES_NODES if pl.learner_id == pr.BAYES else nodes
    x_nodes, w_nodes = _rules(int(n_nodes))
    x0 = _initial_state(pl.learner_id, init)
    if not info.compiled:
        return _solve_python(model, pl, x0, x_nodes, w_nodes, tol, max_iter, step, memory, warn)
    # The driver and the compiled observables are called one after the other: linking the driver into
    # one more compiled function would compile it again (about 10 s cold). The batched solve does use
    # such a wrapper (pointwise.solve_points), compiled on its first use.
    lid, cid = pl.learner_id, pl.channel_id
    x, hats, res, its, status = iterate(lid, cid, x0, pl.params, x_nodes, w_nodes, tol, max_iter, step, memory)
    if status != 0:
        x, hats, res, its, status = _fallbacks(pl, x0, x_nodes, w_nodes, tol, max_iter, step, memory,
                                               (x, hats, res, its, status), iterate)
    row = np.empty(pw.NCOL)
    if lid != pr.BAYES:
        pw.observe_point(lid, cid, x, pl.params, pl.regime in _INTERPOLATING, info.zero_crossing, info.kinks,
                         pw.OBS_RULES, row)
    return _result_from_row(model, pl, x, hats, res, its, status, row, warn)


def _fallbacks(pl: Plan, x0, x_nodes, w_nodes, tol, max_iter, step, memory, first, run):
    """After a failed first attempt ``first``: continuation in λ (for 0 < λ < 1), then the plain
    iteration (memory 0), keeping whichever converged or ended closest to the fixed point."""
    x, hats, res, its, status = first
    if pl.learner_id != pr.BAYES and 0.0 < pl.params[pr.P_LAM] < 1.0:
        x2, hats2, res2, its2, status2 = _ridge_continuation(pl, x0, x_nodes, w_nodes, tol, max_iter, step, memory)
        its += its2
        if status2 == 0:
            x, hats, res, status = x2, hats2, res2, status2
    if status != 0 and memory > 0:
        # Anderson mixing can stall near critical points (e.g. close to α_c); the plain iteration is
        # slower but monotone there
        x2, hats2, res2, its2, status2 = run(pl.learner_id, pl.channel_id, x0, pl.params, x_nodes, w_nodes, tol,
                                             max_iter, step, 0)
        its += its2
        if status2 == 0 or res2 < res:
            x, hats, res, status = x2, hats2, res2, status2
    return x, hats, res, its, status


_INTERPOLATING = ("min-norm", "max-margin")


def _is_scalar(value) -> bool:
    return isinstance(value, (float, int)) or np.ndim(value) == 0


def with_parameters(model, lam=None, kappa=None):
    """``model`` with ``lam``/``kappa`` replaced where given (validated by the model's constructor)."""
    changes = {}
    if lam is not None:
        if isinstance(model, BayesOptimal):
            raise ValueError("lam cannot be set for the Bayes-optimal estimator (it has no ridge)")
        changes["lam"] = float(lam) if _is_real(lam) else lam
    if kappa is not None:
        if not isinstance(model, RandomFeatures):
            raise ValueError("kappa can only be set for raf.RandomFeatures")
        changes["kappa"] = float(kappa) if _is_real(kappa) else kappa
    return replace(model, **changes) if changes else model


def _is_real(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def check_iteration_options(tol, max_iter, step, memory) -> tuple[float, int, float, int]:
    """Validate ``tol, max_iter`` (:func:`check_solver_options`), ``step ∈ (0, 1]`` and ``memory``, an
    integer in ``[0, 8]``."""
    if tol == DEFAULT_TOL and type(max_iter) is int and max_iter > 0 and step == 1.0 and type(memory) is int \
            and 0 <= memory <= 8:
        return DEFAULT_TOL, max_iter, 1.0, memory  # the defaults (and common choices) need no more checks
    tol, max_iter = check_solver_options(tol, max_iter)
    step = check_interval("step", step, 0.0, 1.0, closed=(False, True))
    if int(memory) != memory or not 0 <= memory <= 8:
        raise ValueError(f"memory must be an integer in [0, 8], got {memory!r}")
    return tol, max_iter, step, int(memory)


def _solve_python(model, pl: Plan, x0, x_nodes, w_nodes, tol, max_iter, step, memory, warn) -> RAFResult:
    """The solve of a custom loss, whose driver is its own uncached copy (observables in numpy)."""
    run = driver_for(pl.channel).iterate
    out = run(pl.learner_id, pl.channel_id, x0, pl.params, x_nodes, w_nodes, tol, max_iter, step, memory)
    if out[4] != 0:
        out = _fallbacks(pl, x0, x_nodes, w_nodes, tol, max_iter, step, memory, out, run)
    return _result(model, pl, *out, warn, stacklevel=4)


def _ridge_continuation(pl: Plan, x0, x_nodes, w_nodes, tol, max_iter, step, memory):
    """Continuation in λ: solve at λ = 1, 10⁻¹, …, down to the requested λ, each from the previous
    solution. At small λ on separable data the solution sits at a large norm that a cold start reaches
    only slowly; one decade of λ moves it little, so each warm start is close to its fixed point."""
    lam = float(pl.params[pr.P_LAM])
    path = [10.0**k for k in range(0, int(math.floor(math.log10(lam))), -1)] + [lam]
    x = x0.copy()
    its = 0
    for value in path:
        params = pl.params.copy()
        params[pr.P_LAM] = value
        xk, hats, res, n_it, status = driver_for(pl.channel).iterate(pl.learner_id, pl.channel_id, x, params, x_nodes, w_nodes, tol,
                                              max_iter, step, memory)
        its += n_it
        if status != 0:
            return xk, hats, res, its, status
        x = np.zeros(5)
        x[: xk.shape[0]] = xk
    return xk, hats, res, its, 0


def _message(pl: Plan, status: int) -> str:
    message = STATUS_MESSAGES[status]
    if pl.params[1] == 0.0 and pl.learner_id != pr.BAYES:
        message += "; at epsilon = 0 mem_error is the epsilon -> 0+ limit (the error on one hypothetical fact)"
    return message


def _warn(model, pl: Plan, message, res, its, stacklevel) -> None:
    warnings.warn(
        f"RAF saddle point did not converge ({message}) for {model!r} at alpha={pl.params[0]:g}, "
        f"epsilon={pl.params[1]:g}: residual {res:.3g} after {its} iterations",
        SaddlePointWarning,
        stacklevel=stacklevel,
    )


def _result_from_row(model, pl: Plan, x, hats, res, its, status, row: np.ndarray, warn: bool) -> RAFResult:
    """The result of a driver's output and the errors that
    :func:`memtheory.solvers.raf.pointwise.observe_point` wrote into ``row`` (unused for Bayes-optimal)."""
    alpha, eps = float(pl.params[0]), float(pl.params[1])
    status = int(status)
    res, its = float(res), int(its)
    message = _message(pl, status)
    if status != 0 and warn:
        _warn(model, pl, message, res, its, 4)
    lid = pl.learner_id
    names, hat_names = _overlap_names(lid)
    overlaps = dict(zip(names, x.tolist()))
    overlaps.update(zip(hat_names, hats.tolist()))
    if lid == pr.BAYES:
        u = overlaps[names[0]]
        overlaps["q_b"] = 1.0 - u
        overlaps["one_minus_q_b"] = u
        gen = math.asin(math.sqrt(min(max(u, 0.0), 1.0))) / math.pi
        return RAFResult(model, alpha, eps, gen, math.nan, math.nan, math.nan, gen, status == 0, res, its, message,
                         "bayes", overlaps, x)
    vals = row.tolist()
    overlaps["channel_m"] = vals[pw.COL_CM]
    overlaps["channel_q"] = vals[pw.COL_CQ]
    overlaps["channel_V"] = vals[pw.COL_CV]
    bayes = None  # computed on first access (RAFResult.bayes_error)
    if lid == pr.GCM:
        # the isotropic Bayes error is no bound for anisotropic inputs (not computed for the GCM)
        overlaps["rho"] = float(model.rho)
        bayes = math.nan
    return RAFResult(model, alpha, eps, vals[pw.COL_GEN], vals[pw.COL_MEM], vals[pw.COL_RULE], vals[pw.COL_LOSS], bayes,
                     status == 0, res, its, message, pl.regime, overlaps, x)


def _result(model, pl: Plan, x, hats, res, its, status, warn, stacklevel=3) -> RAFResult:
    alpha, eps = float(pl.params[0]), float(pl.params[1])
    converged = status == 0
    message = STATUS_MESSAGES[int(status)]
    if eps == 0.0 and pl.learner_id != pr.BAYES:
        message += "; at epsilon = 0 mem_error is the epsilon -> 0+ limit (the error on one hypothetical fact)"
    if not converged and warn:
        warnings.warn(
            f"RAF saddle point did not converge ({message}) for {model!r} at alpha={alpha:g}, "
            f"epsilon={eps:g}: residual {res:.3g} after {its} iterations",
            SaddlePointWarning,
            stacklevel=stacklevel,
        )
    names, hat_names = _overlap_names(pl.learner_id)
    overlaps = {n: float(v) for n, v in zip(names, x)}
    overlaps.update({n: float(v) for n, v in zip(hat_names, hats)})
    if pl.learner_id == pr.BAYES:
        u = float(x[0])
        overlaps["q_b"] = 1.0 - u
        overlaps["one_minus_q_b"] = u
        gen = float(bayes_gen_error_u(u))
        return RAFResult(model, alpha, eps, gen, math.nan, math.nan, math.nan, gen, converged, float(res),
                         int(its), message, "bayes", overlaps, x)
    _, m, q, V = pr.channel_inputs(pl.learner_id, x, pl.params)
    overlaps.update(channel_m=float(m), channel_q=float(q), channel_V=float(V))
    ok = math.isfinite(m) and math.isfinite(q) and q > m * m and V > 0
    if not ok:
        gen = mem = rule_err = loss = math.nan
    else:
        gen = float(obs.gen_error(m, q))
        if pl.regime in ("min-norm", "max-margin"):
            mem = rule_err = loss = 0.0
        else:
            c = pl.channel.zero_crossing
            mem = float(obs.mem_error(c, V, q))
            rule_err = float(obs.rule_train_error(c, V, m, q)[0])
            loss = float(obs.train_loss(pl.channel, eps, m, q, V)[0])
    if pl.learner_id == pr.GCM:
        # the isotropic Bayes error is no bound for anisotropic inputs (not computed for the GCM)
        overlaps["rho"] = float(model.rho)
        bayes = math.nan
    else:
        bayes = None  # computed on first access (RAFResult.bayes_error)
    return RAFResult(model, alpha, eps, gen, mem, rule_err, loss, bayes, converged, float(res),
                     int(its), message, pl.regime, overlaps, x)
