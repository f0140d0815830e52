"""The fixed-point driver of the RAF saddle point: composes one prior with one output channel.

``F(x) = prior(channel(inputs(x)))``: the learner's prior (:mod:`memtheory.solvers.raf.priors`) says what the
output channel sees and how conjugates map back to order parameters; the loss's channel
(:mod:`memtheory.solvers.raf.channels`) computes the conjugates. Neither knows about the other, and the driver
knows about neither beyond the two integer ids. Everything runs inside one numba function, so a full
solve costs microseconds once compiled (and compiled code is cached on disk).

Every kernel is compiled with numba's ``error_model="numpy"``: a division by zero gives inf/NaN, which
the guards below catch, instead of an exception from inside the iteration.

Feasibility guards: the state must stay finite with ``V > 0``, ``q > 0`` and ``q > m²`` (i.e.
``η = m²/q < 1``) as seen by the channel; an Anderson step that leaves this set is replaced by the damped
step, and a damped step that leaves it is shortened.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from memtheory.solvers.fixed_point import anderson_step
from memtheory.solvers.raf.channels import channel_conjugates
from memtheory.solvers.raf.priors import BAYES, RANDOM_FEATURES, channel_inputs, prior_update

MAX_MEMORY = 8


@njit(cache=True, error_model="numpy")
def state_size(lid):
    """Length of the state vector of learner ``lid``."""
    if lid == RANDOM_FEATURES:
        return 5
    if lid == BAYES:
        return 1
    return 3


@njit(cache=True, error_model="numpy")
def feasible(lid, x, p):
    """Whether ``x`` is a state the channel can be evaluated at."""
    for i in range(x.shape[0]):
        if not math.isfinite(x[i]):
            return False
    if lid == BAYES:
        return 0.0 <= x[0] < 1.0
    if x[2] <= 0.0 or x[1] <= 0.0:
        return False
    if lid == RANDOM_FEATURES and (x[4] <= 0.0 or x[3] < 0.0):
        return False
    _, m, q, V = channel_inputs(lid, x, p)
    return V > 0.0 and q > 0.0 and q - m * m > 1e-15 * q


@njit(cache=True, error_model="numpy")
def evaluate(lid, cid, x, p, nodes, weights, out, hats):
    """``out = F(x)``; conjugates in ``hats``. Returns False on an infeasible or non-finite result."""
    a_eff, m, q, V = channel_inputs(lid, x, p)
    mh, qh, Vh = channel_conjugates(cid, a_eff, p[1], m, q, V, nodes, weights)
    if not (math.isfinite(mh) and math.isfinite(qh) and math.isfinite(Vh)):
        return False
    prior_update(lid, mh, qh, Vh, p, out, hats)
    return feasible(lid, out, p)


@njit(cache=True, error_model="numpy")
def _norm(v):
    s = 0.0
    for i in range(v.shape[0]):
        s += v[i] * v[i]
    return math.sqrt(s)


@njit(cache=True, error_model="numpy")
def iterate(lid, cid, x0, p, nodes, weights, tol, max_iter, step, memory):
    """Anderson-accelerated fixed-point iteration of the RAF saddle point.

    Returns ``(x, hats, residual, iterations, status)`` with status 0 (converged), 1 (max_iter) or
    2 (left the feasible region); see :data:`memtheory.solvers.fixed_point.STATUS_MESSAGES`.
    """
    n = state_size(lid)
    memory = min(memory, MAX_MEMORY)
    x = x0[:n].copy()
    fx = np.zeros(n)
    g = np.zeros(n)
    hats = np.zeros(5)
    good_hats = np.zeros(5)
    x_prev = np.zeros(n)
    g_prev = np.zeros(n)
    x_new = np.zeros(n)
    dX = np.zeros((MAX_MEMORY, n))
    dG = np.zeros((MAX_MEMORY, n))
    count = 0
    have_prev = False
    best_res = np.inf
    best_x = x.copy()
    cooldown = 0
    since_best = 0
    failures = 0
    res = np.inf
    if not feasible(lid, x, p):
        return x, good_hats, res, 0, 2
    it = 0
    status = 1
    while it < max_iter:
        it += 1
        if not evaluate(lid, cid, x, p, nodes, weights, fx, hats):
            failures += 1
            if not have_prev or failures > 60:
                status = 2
                break
            for i in range(n):
                x[i] = x_prev[i] + 0.5 * (x[i] - x_prev[i])
            count = 0
            continue
        for i in range(n):
            g[i] = fx[i] - x[i]
        good_hats[:] = hats
        res = _norm(g) / max(_norm(x), 1e-12)
        if res <= tol:
            status = 0
            break
        if res < best_res:
            if res < 0.5 * best_res:
                since_best = 0
            best_res = res
            best_x[:] = x
        else:
            since_best += 1
        if since_best > 25 and count > 0:
            # Anderson stagnates (its mixing can freeze away from the fixed point): forget the history
            count = 0
            have_prev = False
            cooldown = 5
            since_best = 0
        elif res > 1e4 * best_res:
            # Anderson wandered off: restart from the best point with plain damped steps for a while.
            x[:] = best_x
            count = 0
            have_prev = False
            cooldown = 10
            continue
        if have_prev and memory > 0 and cooldown == 0:
            if count == memory:
                for a in range(memory - 1):
                    dX[a, :] = dX[a + 1, :]
                    dG[a, :] = dG[a + 1, :]
                count -= 1
            for i in range(n):
                dX[count, i] = x[i] - x_prev[i]
                dG[count, i] = g[i] - g_prev[i]
            count += 1
        if cooldown > 0:
            cooldown -= 1
        x_prev[:] = x
        g_prev[:] = g
        have_prev = True
        anderson_step(x, g, dX, dG, count if cooldown == 0 else 0, step, x_new)
        if not feasible(lid, x_new, p):
            count = 0
            for i in range(n):
                x_new[i] = x[i] + step * g[i]
            shrink = 0
            while not feasible(lid, x_new, p) and shrink < 60:
                for i in range(n):
                    x_new[i] = x[i] + 0.5 * (x_new[i] - x[i])
                shrink += 1
        x[:] = x_new
    return x, good_hats, res, it, status


@njit(cache=True, error_model="numpy")
def iterate_many(lid, cids, P, x_init, prev, nodes, weights, tol, max_iter, step, memory):
    """Solve a batch of points in order, warm-starting point ``i`` from the solution of ``prev[i]``.

    ``prev[i] < 0`` (or a non-converged predecessor) means a cold start from ``x_init``. This is the
    continuation used by sweeps: along a line of the grid each point starts where its neighbour ended.
    Returns ``(X, H, residual, iterations, status)`` with one row per point.
    """
    npts = P.shape[0]
    X = np.zeros((npts, 5))
    H = np.zeros((npts, 5))
    R = np.empty(npts)
    I = np.zeros(npts, dtype=np.int64)
    S = np.zeros(npts, dtype=np.int64)
    x0 = np.zeros(5)
    for i in range(npts):
        j = prev[i]
        if j >= 0 and S[j] == 0:
            x0[:] = X[j]
        else:
            x0[:] = x_init
        x, h, res, its, status = iterate(lid, cids[i], x0, P[i], nodes, weights, tol, max_iter, step, memory)
        if status != 0 and j >= 0:
            # a warm start can land outside the basin near a regime boundary: retry cold
            x, h, res, its2, status = iterate(lid, cids[i], x_init.copy(), P[i], nodes, weights, tol, max_iter, step, memory)
            its += its2
        if status != 0 and memory > 0:
            x, h, res, its2, status = iterate(lid, cids[i], x_init.copy(), P[i], nodes, weights, tol, max_iter, step, 0)
            its += its2
        n = x.shape[0]
        X[i, :n] = x
        H[i, :] = h
        R[i] = res
        I[i] = its
        S[i] = status
    return X, H, R, I, S
