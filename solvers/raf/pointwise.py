"""Compiled per-point RAF solves: the fixed point and every observable at the solution in one call.

:func:`solve_point` runs the saddle-point iteration of :mod:`memtheory.solvers.raf.driver` (with the
plain-iteration fallback of :func:`~memtheory.solvers.raf.solve`) and evaluates the errors of
docs/theory/raf.md §5 at the solution, writing everything into one flat float64 row (columns
``COL_*``). :func:`solve_points` does the same for many independent points in parallel over the cores
(numba ``prange``), and :func:`bayes_errors` solves the Bayes-optimal saddle point of
docs/theory/raf.md §4 for many ``(α, ε)`` at once. Python is left only to validate inputs and build the
result objects. A scalar :func:`~memtheory.solvers.raf.solve` calls the driver and then
:func:`observe_point` (two compiled calls): a compiled function that calls the driver links and
compiles it once more (about 10 s on first use), which only the batched solve pays.

Built-in channels only: a :class:`~memtheory.solvers.raf.channels.custom.CustomLoss` has its own,
uncached driver and takes the Python path of :func:`~memtheory.solvers.raf.solve`.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

import numpy as np

from memtheory.core.jit import INTERPRETED, njit, prange
from memtheory.solvers.raf.bayes_large_alpha import bayes_gen_error_u
from memtheory.solvers.raf.driver import iterate
from memtheory.solvers.raf.observables import (gen_error_scalar, mem_error_scalar, rule_train_error_scalar,
                                               train_loss_scalar)
from memtheory.solvers.quadrature import DEFAULT_NODES, legendre_rule
from memtheory.solvers.raf.channels._generated.dispatch import train_loss_by_id
from memtheory.solvers.raf.priors import BAYES, channel_inputs

__all__ = ["solve_point", "observe_point", "observe_points", "write_state", "solve_points", "threads_for", "bayes_errors", "NCOL", "BAYES_TOL", "BAYES_MAX_ITER",
           "BAYES_MEMORY"]

# output row layout
COL_X = 0  # state, 5 slots (zero-padded)
COL_H = 5  # conjugates, 5 slots
COL_CM, COL_CQ, COL_CV = 10, 11, 12  # what the output channel sees
COL_GEN, COL_MEM, COL_RULE, COL_LOSS = 13, 14, 15, 16
COL_RES, COL_ITS, COL_STATUS = 17, 18, 19
NCOL = 20

PARALLEL_MIN_POINTS = 8
"""Batches smaller than this run on one thread: waking the thread pool costs more than it saves (and
far more when the cores are busy with other work)."""

# the Bayes-optimal solve behind every ``bayes_error`` (as in memtheory.solvers.raf.solve.bayes_error)
BAYES_TOL = 1e-12
BAYES_MAX_ITER = 5000
BAYES_MEMORY = 3
BAYES_U0 = 0.99  # the uninformed start u = 1 − q_b


@njit(cache=True, error_model="numpy")
def observe_point(lid, cid, x, p, interp, zc, kinks, obs_rules, row):
    """Errors at the state ``x`` into ``row`` (columns ``COL_CM`` … ``COL_LOSS``).

    ``cid`` is the channel kernel whose loss is reported, ``interp`` whether the regime is a λ → 0
    interpolating limit (training errors and loss 0), ``zc`` the channel's zero crossing, ``kinks``
    its ``(a, b)`` kink table and ``obs_rules`` the ``(5, n)`` array of the Gauss–Legendre nodes and
    weights of the rule-error and train-loss quadratures (:func:`observation_rules`).
    Values that do not exist at ``x`` are NaN.

    See docs/theory/raf.md §5 and §10.
    """
    nan = math.nan
    row[COL_MEM] = nan
    row[COL_RULE] = nan
    row[COL_LOSS] = nan
    if lid == BAYES:
        row[COL_CM] = nan
        row[COL_CQ] = nan
        row[COL_CV] = nan
        u = x[0]
        ok = math.isfinite(u) and 0.0 < u <= 1.0
        row[COL_GEN] = bayes_gen_error_u(u) if ok else nan
        return
    _, m, q, V = channel_inputs(lid, x, p)
    row[COL_CM] = m
    row[COL_CQ] = q
    row[COL_CV] = V
    ok = math.isfinite(m) and math.isfinite(q) and math.isfinite(V) and q > m * m and V > 0.0
    if not ok:
        row[COL_GEN] = nan
        return
    row[COL_GEN] = gen_error_scalar(m, q)
    if interp:
        row[COL_MEM] = 0.0
        row[COL_RULE] = 0.0
        row[COL_LOSS] = 0.0
        return
    n48 = int(obs_rules[4, 0])
    n80 = int(obs_rules[4, 1])
    row[COL_MEM] = mem_error_scalar(zc, V, q)
    row[COL_RULE] = rule_train_error_scalar(zc, V, m, q, obs_rules[0, :n48], obs_rules[1, :n48])
    n_closed = int(obs_rules[4, 2])
    loss, closed = train_loss_by_id(cid, p[1], m, q, V, obs_rules[5, :n_closed], obs_rules[6, :n_closed])
    if not closed:
        loss = train_loss_scalar(cid, kinks, p[1], m, q, V, obs_rules[2, :n80], obs_rules[3, :n80])
    row[COL_LOSS] = loss


@njit(cache=True, error_model="numpy")
def write_state(x, hats, res, its, status, row):
    """State, conjugates, residual, iterations and status into their columns of ``row``.

    See docs/theory/raf.md §10.
    """
    for i in range(5):
        row[COL_X + i] = x[i] if i < x.shape[0] else 0.0
        row[COL_H + i] = hats[i]
    row[COL_RES] = res
    row[COL_ITS] = its
    row[COL_STATUS] = status


@njit(cache=True, error_model="numpy")
def solve_point(lid, cid, x0, p, nodes, weights, tol, max_iter, step, memory, fallback, interp, zc, kinks,
                obs_rules, row):
    """Solve one point and evaluate its errors into ``row`` (length :data:`NCOL`).

    Runs :func:`~memtheory.solvers.raf.driver.iterate`; if it fails, ``memory > 0`` and ``fallback``,
    the plain iteration (memory 0) from ``x0`` as well, keeping it if it converged or ended closer to
    the fixed point (the order of fallbacks of :func:`~memtheory.solvers.raf.solve`, which runs its
    λ-continuation before this one and therefore calls with ``fallback=False`` where that applies).
    Returns the status.

    See docs/theory/raf.md §5 and §10.
    """
    x, hats, res, its, status = iterate(lid, cid, x0, p, nodes, weights, tol, max_iter, step, memory)
    if status != 0 and memory > 0 and fallback:
        # Anderson mixing can stall near critical points (e.g. close to α_c); the plain iteration is
        # slower but monotone there
        x2, hats2, res2, its2, status2 = iterate(lid, cid, x0, p, nodes, weights, tol, max_iter, step, 0)
        its += its2
        if status2 == 0 or res2 < res:
            x, hats, res, status = x2, hats2, res2, status2
    write_state(x, hats, res, its, status, row)
    observe_point(lid, cid, row[COL_X:COL_X + 5], p, interp, zc, kinks, obs_rules, row)
    return status


@njit(cache=True, error_model="numpy", parallel=True)
def solve_points(lid, cids, x0, P, nodes, weights, tol, max_iter, step, memory, interp, zc, kinks, obs_rules,
                 out):
    """Independent solves of the points ``P[i]`` (channel kernel ``cids[i]``; ``cids[i] < 0`` skips
    the point and leaves its row NaN) from the same start ``x0``, in parallel; row ``i`` of ``out`` as
    :func:`solve_point` writes it.

    See docs/theory/raf.md §5 and §10.
    """
    for i in prange(P.shape[0]):
        if cids[i] < 0:
            out[i, :] = math.nan
            continue
        solve_point(lid, cids[i], x0.copy(), P[i], nodes, weights, tol, max_iter, step, memory, True,
                    interp[i], zc, kinks, obs_rules, out[i])


@njit(cache=True, error_model="numpy", parallel=True)
def bayes_errors(alpha, eps, nodes, weights, out):
    """Bayes-optimal generalization error at every ``(alpha[i], eps[i])`` (NaN where its solve fails);
    the solve of :func:`~memtheory.solvers.raf.solve.bayes_error`, in parallel.

    See docs/theory/raf.md §5 and §10.
    """
    for i in prange(alpha.shape[0]):
        p = np.array([alpha[i], eps[i], 0.0, 0.0, 1.0, 0.0, 1.0])
        x0 = np.array([BAYES_U0])
        x, _, _, _, status = iterate(BAYES, 0, x0, p, nodes, weights, BAYES_TOL, BAYES_MAX_ITER, 1.0, BAYES_MEMORY)
        out[i] = bayes_gen_error_u(x[0]) if status == 0 else math.nan


PARALLEL_CHUNK = 2
"""Points a thread takes at a time: the points differ in cost (iterations), and a core may be busy with
other work, so threads take small chunks as they finish instead of one fixed share each."""


@contextmanager
def threads_for(n_points: int, chunk: int = PARALLEL_CHUNK):
    """Run a parallel kernel on one thread for fewer than :data:`PARALLEL_MIN_POINTS` points, else with
    dynamic chunks of ``chunk`` items (0: numba's static split, one equal share per thread).

    See docs/theory/raf.md §5 and §10.
    """
    if INTERPRETED:  # plain Python: one thread whatever numba would do
        yield
        return
    import numba

    if n_points >= PARALLEL_MIN_POINTS:
        if chunk <= 0:
            yield
            return
        with numba.parallel_chunksize(chunk):
            yield
        return
    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def observation_rules() -> np.ndarray:
    """The ``obs_rules`` argument: rows nodes/weights of the rule-error rule, nodes/weights of the
    train-loss quadrature, their lengths (and that of the next rule) in row 4, and nodes/weights of the
    teacher moments of the closed-form train losses (the channels' own rule).

    See docs/theory/raf.md §5 and §10.
    """
    from memtheory.solvers.raf.observables import RULE_ERROR_RULE, TRAIN_LOSS_RULE

    closed = legendre_rule(DEFAULT_NODES)
    n = max(RULE_ERROR_RULE[0].size, TRAIN_LOSS_RULE[0].size, closed[0].size)
    out = np.zeros((7, n))
    out[0, :RULE_ERROR_RULE[0].size], out[1, :RULE_ERROR_RULE[0].size] = RULE_ERROR_RULE
    out[2, :TRAIN_LOSS_RULE[0].size], out[3, :TRAIN_LOSS_RULE[0].size] = TRAIN_LOSS_RULE
    out[5, :closed[0].size], out[6, :closed[0].size] = closed
    out[4, 0] = RULE_ERROR_RULE[0].size
    out[4, 1] = TRAIN_LOSS_RULE[0].size
    out[4, 2] = closed[0].size
    return out


OBS_RULES = observation_rules()


@njit(cache=True, error_model="numpy")
def observe_points(lid, cids, X, P, interp, zc, kinks, obs_rules, out):
    """Errors at the states ``X[i]`` (rows of :func:`observe_point`, columns ``COL_CM`` … ``COL_LOSS`` of
    ``out``); ``cids[i] < 0`` leaves the row NaN. Serial: a few microseconds a point, less than what
    starting the threads of a parallel loop costs on small grids.

    See docs/theory/raf.md §5 and §10.
    """
    for i in range(X.shape[0]):
        if cids[i] < 0:
            out[i, :] = math.nan
            continue
        observe_point(lid, cids[i], X[i], P[i], interp[i], zc, kinks, obs_rules, out[i])
