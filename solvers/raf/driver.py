"""The fixed-point driver of the RAF saddle point: composes one prior with one output channel.

``F(x) = prior(channel(inputs(x)))``: the learner's prior (:mod:`memtheory.solvers.raf.priors`) says what the
output channel sees and how conjugates map back to order parameters; the loss's channel
(:mod:`memtheory.solvers.raf.channels`) computes the conjugates. Neither knows about the other, and the driver
knows about neither beyond the two integer ids. Everything runs inside one numba function, so a full
solve costs microseconds once compiled (and compiled code is cached on disk).

Where the channel has a sympy-derived Jacobian (every generated channel; docs/theory/raf.md §12,
"Newton steps") the driver starts with damped Newton steps, the Jacobian chained through the prior by
central differences; Anderson mixing is the safeguard, and the only method for the other channels.

The Bayes-optimal learner is iterated in ``u = 1 − q_b`` (:mod:`memtheory.solvers.raf.bayes_large_alpha`),
whose relative precision is what its error needs at large α.

Stopping rule (docs/theory/raf.md, "Stopping rule and what `converged` promises"): the change of
each component is measured relative to that component (``m`` relative to ``max(|m|, 10⁻²√q)``), the
change of ``ε_gen = arccos(m/√q)/π`` absolutely, and the distance to the fixed point is estimated by
the larger of the undamped residual ``F(x) − x`` and the Anderson (secant-Newton) step, which stays
large where the plain map contracts slowly even when the residual is already small. The iteration
stops when that estimate is below ``tol/2``. A norm over the raw state would let the largest
component (``V ≈ 1/λ`` at small λ) hide the others.

Every kernel is compiled with numba's ``error_model="numpy"``: a division by zero gives inf/NaN, which
the guards below catch, instead of an exception from inside the iteration.

Feasibility guards: the state must stay finite with ``V > 0``, ``q > 0`` and ``q > m²`` (i.e.
``η = m²/q < 1``) as seen by the channel; an Anderson step that leaves this set is replaced by the damped
step, and a damped step that leaves it is shortened.
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.core.jit import njit, prange
from memtheory.solvers.fixed_point import anderson_step
from memtheory.solvers.raf.bayes_large_alpha import bayes_update_u
from memtheory.solvers.raf.channels import channel_conjugates, channel_has_jacobian, channel_jacobian
from memtheory.solvers.raf.priors import BAYES, RANDOM_FEATURES, channel_inputs, prior_jacobian, prior_update

MAX_MEMORY = 8
# the stopping estimate must be below SAFETY·tol: the estimate is first order in the distance to the
# fixed point, the factor covers its second-order part and a secant step that is a little short
SAFETY = 0.1
# relative floor of m against √q: m is only needed to the accuracy with which it moves m/√q
M_FLOOR = 1e-2
# iterations of Anderson mixing before Newton is tried, and Newton steps per try
NEWTON_AFTER = 150
NEWTON_STEPS = 60
# Newton steps of the first attempt where the channel has a sympy Jacobian (a cold start needs 4–8)
NEWTON_FIRST_STEPS = 30
# relative steps of the central differences through the prior and the channel inputs (no quadrature:
# rational maps whose truncation error h² ~ 1e-10 leaves Newton's convergence superlinear)
PRIOR_STEP = 1e-5
# largest Newton step of a logarithmic component (a factor e^10), and that of the first step: the
# start is a guess, far from the fixed point at most points, where a full step in the direction of the
# Jacobian there overshoots by orders of magnitude and is rejected by the line search (an evaluation
# for nothing). The cap grows by NEWTON_CAP_GROWTH after every accepted step, so a nearly critical
# point whose q grows by orders of magnitude still takes large steps from the second on.
NEWTON_MAX_LOG_STEP = 10.0
NEWTON_FIRST_LOG_STEP = 1.5
NEWTON_CAP_GROWTH = 4.0
# Newton is in its quadratic regime when successive step lengths shrink by this factor at least
NEWTON_FAST_RATIO = 0.1


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
        return 0.0 < x[0] <= 1.0
    if x[2] <= 0.0 or x[1] <= 0.0:
        return False
    if lid == RANDOM_FEATURES and (x[4] <= 0.0 or x[3] < 0.0):
        return False
    _, m, q, V = channel_inputs(lid, x, p)
    # V² and q must not underflow: the channel kernels divide by them (beyond λ ~ 1e150 a solve is
    # therefore reported as not converged rather than evaluated)
    return V > 1e-150 and q > 1e-300 and q - m * m > 1e-15 * q


@njit(cache=True, error_model="numpy")
def evaluate(lid, cid, x, p, nodes, weights, out, hats):
    """``out = F(x)``; conjugates in ``hats``. Returns False on an infeasible or non-finite result."""
    if not feasible(lid, x, p):
        # the dispatch is not compiled with the numpy error model: never hand it V = 0 or q = m²
        return False
    if lid == BAYES:
        u_new, qh = bayes_update_u(p[0], p[1], x[0], nodes, weights)
        if not math.isfinite(qh):
            return False
        hats[0] = qh
        out[0] = u_new
        return feasible(lid, out, p)
    a_eff, m, q, V = channel_inputs(lid, x, p)
    mh, qh, Vh = channel_conjugates(cid, a_eff, p[1], m, q, V, nodes, weights)
    if not (math.isfinite(mh) and math.isfinite(qh) and math.isfinite(Vh)):
        return False
    prior_update(lid, mh, qh, Vh, p, out, hats)
    return feasible(lid, out, p)


@njit(cache=True, error_model="numpy")
def _gen_error(lid, x, p):
    if lid == BAYES:
        return math.asin(math.sqrt(min(max(x[0], 0.0), 1.0))) / math.pi
    _, m, q, V = channel_inputs(lid, x, p)
    return math.acos(min(max(m / math.sqrt(q), -1.0), 1.0)) / math.pi


@njit(cache=True, error_model="numpy")
def distance(lid, a, b, p):
    """Scaled distance between two states: the largest per-component relative change (``m`` relative
    to ``max(|m|, 10⁻²√q)``) and the absolute change of ``ε_gen``."""
    return _distance_from(lid, a, _gen_error(lid, a, p), b, p)


@njit(cache=True, error_model="numpy")
def _distance_from(lid, a, gen_a, b, p):
    # distance() with the generalization error at a given: Newton measures two distances from every
    # state it visits
    d = 0.0
    for i in range(a.shape[0]):
        scale = max(abs(a[i]), abs(b[i]))
        if i == 0 and lid != BAYES:
            scale = max(scale, M_FLOOR * math.sqrt(max(a[1], 0.0)))
        diff = abs(b[i] - a[i])
        if diff > 0.0:
            d = max(d, diff / scale if scale > 0.0 else math.inf)
    if feasible(lid, b, p):
        d = max(d, abs(_gen_error(lid, b, p) - gen_a))
    else:
        d = math.inf
    return d


@njit(cache=True, error_model="numpy")
def iterate(lid, cid, x0, p, nodes, weights, tol, max_iter, step, memory):
    """Anderson-accelerated fixed-point iteration of the RAF saddle point.

    Returns ``(x, hats, residual, iterations, status)`` with status 0 (converged), 1 (max_iter) or
    2 (left the feasible region); see :data:`memtheory.solvers.fixed_point.STATUS_MESSAGES`.
    ``residual`` is the stopping estimate (scaled distance to the fixed point) at ``x``.
    """
    n = state_size(lid)
    memory = min(memory, MAX_MEMORY)
    it = 0
    if lid != BAYES and memory > 0 and channel_has_jacobian(cid) and feasible(lid, x0[:n], p):
        # a handful of Newton steps with the sympy Jacobian; Anderson below is the safeguard
        xn, hn, rn, en, sn = newton(lid, cid, x0, p, nodes, weights, tol, min(NEWTON_FIRST_STEPS, max_iter), False)
        it += en
        if sn == 0:
            return xn, hn, rn, it, 0
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
    est = np.inf
    est_prev = np.inf
    r_prev = np.inf
    if not feasible(lid, x, p):
        return x, good_hats, res, it, 2
    status = 1
    while it < max_iter:
        if it == NEWTON_AFTER:
            # slow contraction (a nearly critical fixed point): switch to Newton from the best point
            xn, hn, rn, en, sn = newton(lid, cid, best_x, p, nodes, weights, tol, NEWTON_STEPS, True)
            it += en
            if sn == 0:
                return xn, hn, rn, it, 0
            xn, hn, rn, en, sn = newton(lid, cid, x0, p, nodes, weights, tol, NEWTON_STEPS, True)
            it += en
            if sn == 0:
                return xn, hn, rn, it, 0
        it += 1
        if not evaluate(lid, cid, x, p, nodes, weights, fx, hats):
            failures += 1
            if not have_prev or failures > 60:
                status = 2
                break
            for i in range(n):
                x[i] = x_prev[i] + 0.5 * (x[i] - x_prev[i])
            count = 0
            r_prev = np.inf
            continue
        for i in range(n):
            g[i] = fx[i] - x[i]
        good_hats[:] = hats
        res = distance(lid, x, fx, p)
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
            r_prev = np.inf
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
        used = count if cooldown == 0 else 0
        anderson_step(x, g, dX, dG, used, step, x_new)
        # distance to the fixed point: the secant (Anderson) step where there is history; for the plain
        # iteration the residual amplified by 1/(1 − ρ) with ρ the observed contraction
        if used > 0:
            step_est = max(res, distance(lid, x, x_new, p))
            # where Anderson itself converges only linearly (slowly contracting maps at large α), its
            # step underestimates the distance by 1/(1 − ρ), ρ the observed rate of the estimates
            rho = step_est / est_prev if est_prev < np.inf else 1.0
            est = step_est / (1.0 - rho) if rho < 1.0 else np.inf
            if step_est <= 1e-3 * SAFETY * tol:
                est = step_est
            est_prev = step_est
        elif r_prev < np.inf and res < r_prev:
            est = res / (1.0 - res / r_prev)
            est_prev = np.inf
        else:
            est = np.inf
            est_prev = np.inf
        if est <= SAFETY * tol:
            status = 0
            break
        r_prev = res
        x_prev[:] = x
        g_prev[:] = g
        have_prev = True
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
    return x, good_hats, est if status == 0 else res, it, status


@njit(cache=True, error_model="numpy")
def _solve_continued(lid, cid, x_warm, warm, x_back, back, x_init, p, nodes, weights, tol, max_iter, step, memory):
    """One point of a continuation: from its converged predecessor ``x_warm`` (if ``warm``), extrapolated
    linearly along the line when the point before it, ``x_back``, converged too (if ``back``: a secant
    predictor, one Newton step fewer on smooth lines), else cold from ``x_init``. A start that fails is
    retried from the predecessor itself, then cold, then without Anderson mixing."""
    n = state_size(lid)
    x0 = x_init.copy()
    if warm:
        x0 = x_warm.copy()
        if back:
            for i in range(n):
                x0[i] = 2.0 * x_warm[i] - x_back[i]
            if not feasible(lid, x0[:n], p):
                x0[:n] = x_warm[:n]
                back = False
    x, h, res, its, status = iterate(lid, cid, x0, p, nodes, weights, tol, max_iter, step, memory)
    if status != 0 and warm and back:
        x, h, res, its2, status = iterate(lid, cid, x_warm.copy(), p, nodes, weights, tol, max_iter, step, memory)
        its += its2
    if status != 0 and warm:
        # a warm start can land outside the basin near a regime boundary: retry cold
        x, h, res, its2, status = iterate(lid, cid, x_init.copy(), p, nodes, weights, tol, max_iter, step, memory)
        its += its2
    if status != 0 and memory > 0:
        x, h, res, its2, status = iterate(lid, cid, x_init.copy(), p, nodes, weights, tol, max_iter, step, 0)
        its += its2
    return x, h, res, its, status


@njit(cache=True, error_model="numpy")
def _store(i, x, h, res, its, status, X, H, R, I, S):
    n = x.shape[0]
    X[i, :n] = x
    H[i, :] = h
    R[i] = res
    I[i] = its
    S[i] = status


@njit(cache=True, error_model="numpy")
def iterate_many(lid, cids, P, x_init, prev, nodes, weights, tol, max_iter, step, memory):
    """Solve a batch of points in order, warm-starting point ``i`` from the solution of ``prev[i]``.

    ``prev[i] < 0`` (or a non-converged predecessor) means a cold start from ``x_init``. This is the
    continuation used by sweeps: along a line of the grid each point starts where its neighbour ended.
    Returns ``(X, H, residual, iterations, status)`` with one row per point.

    See docs/theory/raf.md §12 (sweeps).
    """
    npts = P.shape[0]
    X = np.zeros((npts, 5))
    H = np.zeros((npts, 5))
    R = np.empty(npts)
    I = np.zeros(npts, dtype=np.int64)
    S = np.full(npts, -1, dtype=np.int64)  # -1: not solved yet
    for i in range(npts):
        j = prev[i]
        warm = j >= 0 and S[j] == 0
        k = prev[j] if j >= 0 else -1
        back = warm and k >= 0 and S[k] == 0 and prev[i] == i - 1 and k == j - 1
        x, h, res, its, status = _solve_continued(lid, cids[i], X[max(j, 0)], warm, X[max(k, 0)], back, x_init, P[i],
                                                  nodes, weights, tol, max_iter, step, memory)
        _store(i, x, h, res, its, status, X, H, R, I, S)
    return X, H, R, I, S


@njit(cache=True, error_model="numpy", parallel=True)
def iterate_lines(lid, cids, P, x_init, prev, nodes, weights, tol, max_iter, step, memory):
    """:func:`iterate_many` with the lines of the grid solved in parallel.

    The points come line by line: a point whose predecessor is the point just before it continues its
    line; the others are line heads, whose predecessors are earlier heads (the continuation from one
    line to the next). The heads are solved first, in order; then every line continues from its head
    on its own thread. The result equals :func:`iterate_many`'s point for point.

    See docs/theory/raf.md §10 (parallel lines).
    """
    npts = P.shape[0]
    X = np.zeros((npts, 5))
    H = np.zeros((npts, 5))
    R = np.empty(npts)
    I = np.zeros(npts, dtype=np.int64)
    S = np.full(npts, -1, dtype=np.int64)  # -1: not solved yet (a head whose predecessor is not solved starts cold)
    heads = np.zeros(npts + 1, dtype=np.int64)
    n_lines = 0
    for i in range(npts):
        if i == 0 or prev[i] != i - 1:
            heads[n_lines] = i
            n_lines += 1
    heads[n_lines] = npts
    for line in range(n_lines):
        i = heads[line]
        j = prev[i]
        warm = j >= 0 and S[j] == 0
        x, h, res, its, status = _solve_continued(lid, cids[i], X[max(j, 0)], warm, X[0], False, x_init, P[i], nodes,
                                                  weights, tol, max_iter, step, memory)
        _store(i, x, h, res, its, status, X, H, R, I, S)
    for line in prange(n_lines):
        for i in range(heads[line] + 1, heads[line + 1]):
            warm = S[i - 1] == 0
            back = warm and i - 2 >= heads[line] and S[i - 2] == 0
            x, h, res, its, status = _solve_continued(lid, cids[i], X[i - 1], warm, X[max(i - 2, 0)], back, x_init,
                                                      P[i], nodes, weights, tol, max_iter, step, memory)
            _store(i, x, h, res, its, status, X, H, R, I, S)
    return X, H, R, I, S


@njit(cache=True, error_model="numpy")
def _lu_solve(a, b, n):
    """Solve ``a x = b`` (n ≤ 5) by Gaussian elimination with partial pivoting; False if singular."""
    for col in range(n):
        piv = col
        for r in range(col + 1, n):
            if abs(a[r, col]) > abs(a[piv, col]):
                piv = r
        if not abs(a[piv, col]) > 0.0:
            return False
        if piv != col:
            for c in range(n):
                a[col, c], a[piv, c] = a[piv, c], a[col, c]
            b[col], b[piv] = b[piv], b[col]
        for r in range(col + 1, n):
            f = a[r, col] / a[col, col]
            for c in range(col, n):
                a[r, c] -= f * a[col, c]
            b[r] -= f * b[col]
    for r in range(n - 1, -1, -1):
        v = b[r]
        for c in range(r + 1, n):
            v -= a[r, c] * b[c]
        b[r] = v / a[r, r]
    return True


@njit(cache=True, error_model="numpy")
def _to_newton(x, mode, y):
    """Newton variables: ``log`` of the positive components, and ``log(q − m²)`` in place of ``q``
    (``mode`` 0: linear, 1: log, 2: log of the excess over the square of component 0). Returns False
    where ``x`` is outside their domain."""
    for i in range(x.shape[0]):
        if mode[i] == 0:
            y[i] = x[i]
        elif mode[i] == 1:
            if not x[i] > 0.0:
                return False
            y[i] = math.log(x[i])
        else:
            d = x[i] - x[0] * x[0]
            if not d > 0.0:
                return False
            y[i] = math.log(d)
    return True


@njit(cache=True, error_model="numpy")
def _from_newton(y, mode, x):
    for i in range(y.shape[0]):
        if mode[i] == 0:
            x[i] = y[i]
        elif mode[i] == 1:
            x[i] = math.exp(min(y[i], 700.0))
        else:
            x[i] = x[0] * x[0] + math.exp(min(y[i], 700.0))


@njit(cache=True, error_model="numpy")
def _newton_residual(y, mode, fx, g, work):
    """``G(y) = T(F(x)) − y``; False if ``F(x)`` is outside the domain of ``T``."""
    if not _to_newton(fx, mode, work):
        return False
    for i in range(y.shape[0]):
        g[i] = work[i] - y[i]
    return True


@njit(cache=True, error_model="numpy")
def evaluate_with_jacobian(lid, cid, x, p, nodes, weights, out, hats, jf, ws):
    """``out = F(x)`` as :func:`evaluate`, and ``jf = dF/dx`` from the channel's sympy Jacobian chained
    with the prior's (sympy for the ridge and random-features priors; central differences, free of
    quadrature, for the others) and the channel inputs'.

    ``ws`` is scratch space of at least ``9 + 9·n + 8`` numbers (no allocation per call: at a few
    microseconds per solve, allocations would cost as much as the channel). Returns 0 (done), 1 (no
    sympy Jacobian for this channel; nothing evaluated) or 2 (infeasible).

    See docs/theory/raf.md §12 (Newton steps).
    """
    n = x.shape[0]
    if not feasible(lid, x, p):
        return 2
    a_eff, m, q, V = channel_inputs(lid, x, p)
    jc = ws[0:9].reshape((3, 3))
    mh, qh, Vh, has = channel_jacobian(cid, a_eff, p[1], m, q, V, nodes, weights, jc)
    if not has:
        return 1
    if not (math.isfinite(mh) and math.isfinite(qh) and math.isfinite(Vh)):
        return 2
    ji = ws[9:9 + 3 * n].reshape((3, n))
    jp = ws[9 + 3 * n:9 + 6 * n].reshape((n, 3))
    if not prior_jacobian(lid, mh, qh, Vh, p, out, hats, jp, ji):
        prior_update(lid, mh, qh, Vh, p, out, hats)
        _prior_differences(lid, x, mh, qh, Vh, p, jp, ji, ws[9 + 6 * n:])
    if not feasible(lid, out, p):
        return 2
    # jf = (jp · jc) · ji (loops: numba's @ calls BLAS, whose overhead dwarfs these 3 × n products)
    pc = ws[9 + 6 * n:9 + 9 * n].reshape((n, 3))
    for i in range(n):
        for b in range(3):
            acc = 0.0
            for a in range(3):
                acc += jp[i, a] * jc[a, b]
            pc[i, b] = acc
    for i in range(n):
        for j in range(n):
            acc = pc[i, 0] * ji[0, j] + pc[i, 1] * ji[1, j] + pc[i, 2] * ji[2, j]
            if not math.isfinite(acc):
                return 2
            jf[i, j] = acc
    return 0


@njit(cache=True, error_model="numpy")
def _prior_differences(lid, x, mh, qh, Vh, p, jp, ji, ws):
    """Central differences (relative step :data:`PRIOR_STEP`) of the prior, ``jp = d(state)/d(m̂, q̂, V̂)``,
    and of the channel inputs, ``ji = d(m, q, V)/d(state)`` (affine for every learner)."""
    n = x.shape[0]
    xt = ws[0:n]
    up = ws[n:2 * n]
    dn = ws[2 * n:3 * n]
    scratch = ws[3 * n:3 * n + 5]
    c = ws[3 * n + 5:3 * n + 8]
    xt[:] = x
    for j in range(n):
        h = PRIOR_STEP * max(abs(x[j]), 1e-8)
        xt[j] = x[j] + h
        _, m1, q1, V1 = channel_inputs(lid, xt, p)
        xt[j] = x[j] - h
        _, m0, q0, V0 = channel_inputs(lid, xt, p)
        xt[j] = x[j]
        ji[0, j] = (m1 - m0) / (2.0 * h)
        ji[1, j] = (q1 - q0) / (2.0 * h)
        ji[2, j] = (V1 - V0) / (2.0 * h)
    for a in range(3):
        c[0], c[1], c[2] = mh, qh, Vh
        h = PRIOR_STEP * max(abs(c[a]), 1e-8)
        c[a] += h
        prior_update(lid, c[0], c[1], c[2], p, up, scratch)
        c[a] -= 2.0 * h
        prior_update(lid, c[0], c[1], c[2], p, dn, scratch)
        for i in range(n):
            jp[i, a] = (up[i] - dn[i]) / (2.0 * h)


@njit(cache=True, error_model="numpy")
def _newton_jacobian(x, fx, mode, jf, work, jac):
    """``jac = dG/dy = T'(F(x)) · dF/dx · dx/dy − I`` for the variables of :func:`_to_newton`, with
    ``jf = dF/dx``; ``work`` is ``n × n`` scratch.

    ``T'`` and ``dx/dy`` are diagonal but for the column of ``m`` in the rows of mode 2 (``log(q − m²)``
    depends on ``m``), so the product costs ``O(n²)`` rather than the ``O(n⁴)`` of dense matrices.
    """
    n = x.shape[0]
    # work = dF/dx · dx/dy: column j scaled by dx_j/dy_j, and the mode-2 rows of dx/dy feed column 0
    for j in range(n):
        if mode[j] == 1:
            s = x[j]
        elif mode[j] == 2:
            s = x[j] - x[0] * x[0]
        else:
            s = 1.0
        for a in range(n):
            work[a, j] = jf[a, j] * s
    s0 = x[0] if mode[0] == 1 else 1.0
    for b in range(n):
        if mode[b] == 2:
            for a in range(n):
                work[a, 0] += jf[a, b] * 2.0 * x[0] * s0
    # jac = T'(F(x)) · work − I, row i scaled by dT_i/dF_i, and mode-2 rows take −2F₀/(F_i − F₀²) of row 0
    for i in range(n):
        if mode[i] == 1:
            t = 1.0 / fx[i]
        elif mode[i] == 2:
            t = 1.0 / (fx[i] - fx[0] * fx[0])
        else:
            t = 1.0
        for j in range(n):
            v = t * work[i, j]
            if mode[i] == 2:
                v -= 2.0 * fx[0] * t * work[0, j]
            jac[i, j] = v - (1.0 if i == j else 0.0)


@njit(cache=True, error_model="numpy")
def newton(lid, cid, x0, p, nodes, weights, tol, max_steps, log_m):
    """Damped Newton on ``G(y) = T(F(x)) − T(x)``, where ``T`` takes the logarithm of the positive
    components (of ``m`` only if ``log_m``) and replaces ``q`` by ``log(q − m²)``.

    The Jacobian is the channel's sympy Jacobian chained through the prior
    (:func:`evaluate_with_jacobian`: one channel evaluation per step, quadratic convergence), or, for
    channels without one, forward differences (``n + 1`` evaluations per step).

    The plain and Anderson iterations contract slowly where the fixed point is nearly critical (the
    unregularised hinge next to the separability threshold, where ``q`` grows without bound and ``F``
    moves it by a few percent per step); in logarithmic variables the map is close to a power law and
    Newton reaches such a point from a cold start in a dozen steps. ``q − m²`` is the variable the
    channel's slope ``m/√(q − m²)`` depends on: at large α, ``1 − m²/q`` is small and a relative
    perturbation of ``q`` alone would leave the domain ``q > m²``. The stopping estimate is the larger
    of the residual and the Newton step, both as :func:`distance`, amplified by ``1/(1 − ρ)`` with ``ρ``
    the observed ratio of successive estimates. Returns ``(x, hats, estimate, evaluations, status)``
    like :func:`iterate`.

    See docs/theory/raf.md §12 (Newton steps).
    """
    n = state_size(lid)
    # one allocation, sliced: a solve takes microseconds and each allocation tens of nanoseconds
    buf = np.zeros(12 * n + 20 + 4 * n * n + 9 + 9 * n + 8)
    work, y, yt, fx, g = buf[0:n], buf[n:2 * n], buf[2 * n:3 * n], buf[3 * n:4 * n], buf[4 * n:5 * n]
    gt, xt, ft, rhs = buf[5 * n:6 * n], buf[6 * n:7 * n], buf[7 * n:8 * n], buf[8 * n:9 * n]
    x, mode = buf[10 * n:11 * n], buf[11 * n:12 * n]  # mode: 0, 1 or 2 (see _to_newton)
    o = 12 * n
    hats = buf[o:o + 5]
    tmp_hats = buf[o + 10:o + 15]
    o += 20
    jac = buf[o:o + n * n].reshape((n, n))
    jf = buf[o + n * n:o + 2 * n * n].reshape((n, n))
    jf_t = buf[o + 2 * n * n:o + 3 * n * n].reshape((n, n))
    jwork = buf[o + 3 * n * n:o + 4 * n * n].reshape((n, n))
    ws = buf[o + 4 * n * n:]
    x[:] = x0[:n]
    evals = 0
    if not feasible(lid, x, p):
        return x, hats, np.inf, evals, 2
    for i in range(n):
        mode[i] = 1 if x[i] > 0.0 else 0
    if lid != BAYES and not log_m:
        mode[0] = 0
    if lid != BAYES and x[1] - x[0] * x[0] > 0.0:
        mode[1] = 2
    _to_newton(x, mode, y)
    analytic = evaluate_with_jacobian(lid, cid, x, p, nodes, weights, fx, hats, jf, ws)
    if analytic == 2:
        return x, hats, np.inf, 1, 2
    if analytic == 1 and not evaluate(lid, cid, x, p, nodes, weights, fx, hats):
        return x, hats, np.inf, 1, 2
    evals += 1
    if not _newton_residual(y, mode, fx, g, work):
        return x, hats, np.inf, evals, 2
    gen_x = _gen_error(lid, x, p)
    res = _distance_from(lid, x, gen_x, fx, p)
    prev_est = np.inf
    gmax = 0.0
    for i in range(n):
        gmax += g[i] * g[i]
    cap = NEWTON_FIRST_LOG_STEP
    for _ in range(max_steps):
        if analytic == 0:
            _newton_jacobian(x, fx, mode, jf, jwork, jac)
        else:
            ok = True
            for j in range(n):
                yt[:] = y
                h = 1e-7 if mode[j] > 0 else 1e-7 * max(abs(y[j]), 1e-300)
                yt[j] = y[j] + h
                _from_newton(yt, mode, xt)
                good = feasible(lid, xt, p) and evaluate(lid, cid, xt, p, nodes, weights, ft, tmp_hats)
                good = good and _newton_residual(yt, mode, ft, gt, work)
                if not good:
                    h = -h
                    yt[j] = y[j] + h
                    _from_newton(yt, mode, xt)
                    good = feasible(lid, xt, p) and evaluate(lid, cid, xt, p, nodes, weights, ft, tmp_hats)
                    good = good and _newton_residual(yt, mode, ft, gt, work)
                evals += 1
                if not good:
                    ok = False
                    break
                for i in range(n):
                    jac[i, j] = (gt[i] - g[i]) / h
            if not ok:
                return x, hats, res, evals, 2
        for i in range(n):
            rhs[i] = -g[i]
        if not _lu_solve(jac, rhs, n):
            return x, hats, res, evals, 1
        # the Newton step estimates the distance of x to the solution, whatever the contraction of F
        for i in range(n):
            yt[i] = y[i] + rhs[i]
        _from_newton(yt, mode, xt)
        est = max(res, _distance_from(lid, x, gen_x, xt, p))
        # where the Jacobian is inexact (finite differences, a nearly singular G) the convergence is
        # linear, at the rate seen between successive steps, and the step underestimates the distance
        # by 1/(1 − ρ)
        rho = est / prev_est if prev_est < np.inf else 1.0
        if rho < 1.0 and est / (1.0 - rho) <= SAFETY * tol:
            return x, hats, est / (1.0 - rho), evals, 0
        predicted = est * rho / (1.0 - rho) if rho < 1.0 else np.inf
        if analytic == 0 and rho < NEWTON_FAST_RATIO and predicted <= SAFETY * tol:
            # the full step lands within tolerance even at the observed (linear) rate, a bound of the
            # quadratic one: F at xt is only needed for its conjugates and to confirm, without a Jacobian
            if feasible(lid, xt, p) and evaluate(lid, cid, xt, p, nodes, weights, ft, tmp_hats):
                evals += 1
                res_t = distance(lid, xt, ft, p)
                if res_t <= SAFETY * tol:
                    return xt, tmp_hats, max(res_t, predicted), evals, 0
        prev_est = est
        # damped step: at most a factor e^cap per component, then halve until feasible and ‖G‖ decreases
        big = 0.0
        for i in range(n):
            big = max(big, abs(rhs[i]) if mode[i] > 0 else 0.0)
        t = min(1.0, cap / big) if big > 0.0 else 1.0
        accepted = False
        g_new = np.inf
        for _k in range(40):
            for i in range(n):
                yt[i] = y[i] + t * rhs[i]
            _from_newton(yt, mode, xt)
            if feasible(lid, xt, p):
                if analytic == 0:
                    good = evaluate_with_jacobian(lid, cid, xt, p, nodes, weights, ft, tmp_hats, jf_t, ws) == 0
                else:
                    good = evaluate(lid, cid, xt, p, nodes, weights, ft, tmp_hats)
                if good:
                    evals += 1
                    if _newton_residual(yt, mode, ft, gt, work):
                        g_new = 0.0
                        for i in range(n):
                            g_new += gt[i] * gt[i]
                        # sufficient decrease of ‖G‖² (the Newton direction is a descent direction for it)
                        if g_new <= gmax * (1.0 - 1e-4 * t) or g_new < (1e-3 * tol) ** 2:
                            accepted = True
                            break
            t *= 0.5
        if not accepted:
            return x, hats, res, evals, 1
        cap = min(NEWTON_MAX_LOG_STEP, cap * NEWTON_CAP_GROWTH)
        y[:] = yt
        x[:] = xt
        fx[:] = ft
        g[:] = gt
        gmax = g_new
        hats[:] = tmp_hats
        if analytic == 0:
            jf[:, :] = jf_t
        gen_x = _gen_error(lid, x, p)
        res = _distance_from(lid, x, gen_x, fx, p)
    return x, hats, res, evals, 1
