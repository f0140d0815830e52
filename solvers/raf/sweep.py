"""Sweeps of the RAF saddle point over grids of (α, ε, λ, κ) with continuation.

Points along the first swept axis form *lines*: each point starts from its neighbour's solution
(warm start), and each line starts from the first point of the previous line. The grid is solved from
the uninformed start; the informed start is run only where that path shows it may matter — points that
did not converge, a jump of ``gen_error`` along a line, a point that converged much more slowly than its
line (critical slowing down before a spinodal) — and their neighbours, and from there outwards for as
long as the two starts keep disagreeing, so a whole coexistence region is traced. Points where the two
converge to different errors are flagged in ``coexistence`` (two fixed points: a first-order
transition). Large grids are split across processes (both cores of the reference machine).
"""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np

from memtheory.core.checks import check_interval, check_positive
from memtheory.solvers.quadrature import DEFAULT_NODES, legendre_rule
from memtheory.solvers.raf import observables as obs
from memtheory.solvers.raf import pointwise as pw
from memtheory.solvers.raf import priors as pr
from memtheory.solvers.raf.channels.custom import driver_for
from memtheory.solvers.raf.driver import iterate_lines, iterate_many
from memtheory.solvers.raf.models import BayesOptimal, RandomFeatures
from memtheory.solvers.raf.results import SweepResult
from memtheory.solvers.raf.solve import (_BAYES_NODES, DEFAULT_TOL, Plan, SaddlePointWarning, SingularPointError,
                                        _initial_state, check_solver_options, plan, solve)

__all__ = ["sweep", "SWEEPABLE"]

SWEEPABLE = ("alpha", "epsilon", "lam", "kappa")
_COEXISTENCE_TOL = 1e-6
# points that fail in the batch are solved again one by one with all of solve's fallbacks; the cap
# bounds the cost of a grid that lies mostly where nothing converges
_MAX_RETRIES = 256
# second-start triggers along a line: a step of gen_error larger than _JUMP_RATIO times both neighbouring
# steps (and than _JUMP_FLOOR), or a point needing more than _SLOW_RATIO times its line's median
# iterations (and more than _SLOW_FLOOR)
_JUMP_RATIO = 5.0
_JUMP_FLOOR = 1e-5
_SLOW_RATIO = 4.0
_SLOW_FLOOR = 100


def _axis_values(name, value) -> np.ndarray | None:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a number or a non-empty 1-D array")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return arr


def sweep(model, *, alpha, epsilon, lam=None, kappa=None, tol: float = DEFAULT_TOL, max_iter: int = 10000,
          nodes: int = DEFAULT_NODES, starts=("uninformed", "informed"), workers: int | None = None,
          warn: bool = True) -> SweepResult:
    """Solve the RAF saddle point on a grid.

    See docs/theory/raf.md §10 and §12.

    Parameters
    ----------
    model : Linear, Kernel, RandomFeatures or BayesOptimal
        The learner; ``lam`` and ``kappa`` given here override the model's.
    alpha, epsilon, lam, kappa : float or 1-D array
        Each array-valued argument is a grid axis; result arrays have shape ``(len(a1), len(a2), ...)``
        in the order ``alpha, epsilon, lam, kappa`` restricted to the array-valued ones.
    tol, max_iter, nodes :
        As in :func:`memtheory.solvers.raf.solve`.
    starts : tuple of str
        Initial conditions; with two, disagreeing points are flagged in ``coexistence``.
    workers : int, optional
        Processes to split the grid across (default 1: one process whose threads solve the grid's
        lines in parallel, each line continued from its head; the heads are solved first, in order).
    warn : bool
        Warn once with the number of non-converged points.

    Returns
    -------
    SweepResult
        ``gen_error, mem_error, rule_train_error, train_loss, bayes_error, converged, residual,
        iterations, coexistence, singular`` arrays and the ``axes``.

    Notes
    -----
    ``converged`` carries the promise of :func:`memtheory.solvers.raf.solve` at every point: each
    reported error is within ``tol·max(|x|, 1)`` of the exact fixed point (docs/theory/raf.md,
    "Stopping rule and what `converged` promises"). Continuation starts a point only from a converged
    neighbour; a point that fails from there is retried cold, then (up to 256 points per sweep) with
    every fallback of ``solve``. λ = 0 points without a λ → 0 solution are NaN, not converged, and
    flagged in ``singular``. ``tol`` must lie in ``(0, 1e-2]`` and ``max_iter`` be a positive integer.

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> sw = raf.sweep(raf.Linear(loss='square', lam=0.1), alpha=[0.5, 1.0, 2.0], epsilon=[0.0, 0.2])
    >>> sw.gen_error.shape
    (3, 2)
    >>> sw.gen_error.round(4)
    array([[0.3292, 0.3727],
       [0.2754, 0.3392],
       [0.1955, 0.2682]])
    """
    given = {"alpha": alpha, "epsilon": epsilon, "lam": lam, "kappa": kappa}
    for name in ("alpha", "epsilon"):
        if given[name] is None:
            raise ValueError(f"{name} is required: a number or a non-empty 1-D array")
    tol, max_iter = check_solver_options(tol, max_iter)
    if lam is not None and isinstance(model, BayesOptimal):
        raise ValueError("lam cannot be swept for the Bayes-optimal estimator")
    if kappa is not None and not isinstance(model, RandomFeatures):
        raise ValueError("kappa can only be swept for raf.RandomFeatures")
    axes = {}
    fixed = {}
    for name in SWEEPABLE:
        if given[name] is None:
            continue
        vals = _axis_values(name, given[name])
        if vals is None:
            fixed[name] = float(given[name])
        else:
            axes[name] = vals
    if not starts:
        raise ValueError("starts must name at least one initial condition")
    # every value of α and ε is checked once here, not once per grid point
    alpha_values = np.atleast_1d(axes.get("alpha", fixed.get("alpha")))
    for value in alpha_values[~(alpha_values > 0)][:1]:  # the first offending value names the error
        check_positive("alpha", float(value))
    eps_values = np.atleast_1d(axes.get("epsilon", fixed.get("epsilon")))
    for value in eps_values[~((eps_values >= 0) & (eps_values <= 1))][:1]:
        check_interval("epsilon", float(value), 0.0, 1.0)
    shape = tuple(len(v) for v in axes.values())
    names = list(axes)
    n_pts = int(np.prod(shape)) if shape else 1
    # per-point values of every parameter, in C order over the axes
    mesh = np.meshgrid(*axes.values(), indexing="ij") if shape else []
    columns = {name: grid.ravel() for name, grid in zip(names, mesh)}
    for name, value in fixed.items():
        columns[name] = np.full(n_pts, value)
    points = _PointValues(columns)
    # models per distinct (lam, kappa), validated once; one full plan per model, then only α and ε
    # change (except at λ = 0, where the regime depends on α and ε)
    lam_pt, kappa_pt = columns.get("lam"), columns.get("kappa")
    if lam_pt is None and kappa_pt is None:
        keys = [(None, None)]  # one model for the whole grid (a list of n_pts keys costs more than small solves)
    else:
        keys = list(zip(lam_pt if lam_pt is not None else [None] * n_pts,
                        kappa_pt if kappa_pt is not None else [None] * n_pts))
    models = {}
    template = {}
    for key in dict.fromkeys(keys):
        changes = {k: float(v) for k, v in zip(("lam", "kappa"), key) if v is not None}
        models[key] = replace(model, **changes) if changes else model
        if getattr(models[key], "lam", None) != 0.0:
            template[key] = plan(models[key], 1.0, 0.5)
    alpha_pt, eps_pt = columns["alpha"], columns["epsilon"]
    members = {}
    if len(models) == 1:
        members[keys[0]] = np.arange(n_pts)
    else:
        for i, key in enumerate(keys):
            members.setdefault(key, []).append(i)
    exact = {}  # λ = 0: the regime depends on α and ε, one plan per point
    for key, idx in members.items():
        if key in template:
            continue
        for i in idx:
            try:
                exact[i] = plan(models[key], float(alpha_pt[i]), float(eps_pt[i]))
            except SingularPointError:
                pass  # no λ → 0 solution at this grid point: NaN, not converged
    sizes = [t.params.size for t in template.values()] + [pl.params.size for pl in exact.values()]
    plans = _PointPlans(n_pts, max(sizes, default=0))
    for key, idx in members.items():
        tmpl = template.get(key)
        if tmpl is not None:
            plans.set_block(np.asarray(idx), tmpl, alpha_pt, eps_pt)
    for i, pl in exact.items():
        plans.set_point(i, pl)
    prev = _continuation_order(shape, plans)
    coexist = np.zeros(n_pts, dtype=bool)
    # solve order: line by line along axis 0 (each line's points consecutive, heads in C order)
    line_order = np.moveaxis(np.arange(n_pts).reshape(shape), 0, -1).ravel() if shape else np.zeros(1, np.int64)
    first = _solve_batch(model, plans, prev, starts[0], tol, max_iter, nodes, workers, line_order=line_order)
    valid = plans.valid
    for start in starts[1:]:
        _second_start(model, plans, shape, valid, first, coexist, start, tol, max_iter, nodes)
    point_model = (lambda i: models[keys[0]]) if len(models) == 1 else (lambda i: models[keys[i]])
    _retry_with_solve(first, plans, points, point_model, tol, max_iter, nodes)
    fields = first
    converged = first["converged"]
    residual = first["residual"]
    iterations = first["iterations"]
    if getattr(model, "learner", None) == "gcm":  # no isotropic Bayes bound for anisotropic inputs
        bayes = np.full(n_pts, np.nan)
    else:
        bayes = None  # SweepResult computes it on first access, all points at once
    singular = ~plans.valid
    if warn and not converged.all():
        extra = f" ({int(singular.sum())} of them have no λ → 0 solution)" if singular.any() else ""
        warnings.warn(f"{int((~converged).sum())} of {n_pts} sweep points did not converge{extra}", SaddlePointWarning,
                      stacklevel=2)
    reshape = (lambda a: a.reshape(shape)) if shape else (lambda a: a.reshape(()))
    return SweepResult(model, axes, *(reshape(fields[f]) for f in ("gen_error", "mem_error", "rule_train_error",
                                                                    "train_loss")),
                       None if bayes is None else reshape(bayes), reshape(converged), reshape(residual), reshape(iterations), reshape(coexist),
                       fixed, reshape(singular))


def _second_start(model, plans, shape, valid, first, coexist, start, tol, max_iter, nodes) -> None:
    """Run ``start`` where the first start's path calls for it (see the module docstring), growing the
    set along every axis while the two starts disagree; flag ``coexist`` and take the second start's
    solution where only it converged (in place)."""
    need = valid & _candidates(first, shape, valid)
    done = np.zeros_like(valid)
    while need.any():
        idx = np.flatnonzero(need)
        out = _solve_batch(model, plans, np.full(len(plans), -1, dtype=np.int64), start, tol, max_iter, nodes, 1,
                           subset=idx)
        done |= need
        both = out["converged"] & first["converged"]
        new = need & both & (np.abs(out["gen_error"] - first["gen_error"]) > _COEXISTENCE_TOL)
        coexist |= new
        take = need & out["converged"] & ~first["converged"]
        for f in first:
            first[f] = np.where(take, out[f], first[f])
        need = valid & ~done & _dilate(new, shape)


def _candidates(first, shape, valid) -> np.ndarray:
    """Points that need the second start: not converged, either side of a jump of ``gen_error`` along a
    line, or converged much more slowly than their line; and their neighbours along the line."""
    need = ~first["converged"]
    if not shape or shape[0] < 2:
        return need
    gen = first["gen_error"].reshape(shape)
    # jumps: a step much larger than both neighbouring steps (a kink has one comparable neighbour)
    step = np.abs(np.diff(gen, axis=0))
    step[~np.isfinite(step)] = 0.0
    neighbour = np.zeros_like(step)  # the larger of the steps before and after (0 beyond the ends)
    neighbour[1:] = step[:-1]
    np.maximum(neighbour[:-1], step[1:], out=neighbour[:-1])
    jump = (step > _JUMP_FLOOR) & (step > _JUMP_RATIO * neighbour)
    mark = np.zeros(shape, dtype=bool)
    mark[:-1] |= jump
    mark[1:] |= jump
    # critical slowing down ahead of a spinodal (the median is skipped where no point took that long,
    # as on every grid that Newton solves: it costs more than the rest of this check)
    its = first["iterations"].reshape(shape)
    if (its > _SLOW_FLOOR).any():
        ok = first["converged"].reshape(shape) & valid.reshape(shape)
        line_median = _median_along_lines(its.astype(float), ok)
        mark |= ok & (its > _SLOW_FLOOR) & (its > _SLOW_RATIO * line_median)
    grown = mark.copy()
    grown[1:] |= mark[:-1]
    grown[:-1] |= mark[1:]
    return need | grown.ravel()


def _median_along_lines(values, ok) -> np.ndarray:
    """Median of ``values[ok]`` along axis 0, shape ``(1,) + values.shape[1:]``; ``inf`` where a line has
    no ``ok`` point. (``np.nanmedian`` takes a masked-array path for small grids that cost more than
    the whole continuation of a 16 × 8 grid.)"""
    sorted_vals = np.sort(np.where(ok, values, np.inf), axis=0)  # the excluded points sort last
    count = ok.sum(axis=0, keepdims=True)
    lo = np.take_along_axis(sorted_vals, np.maximum((count - 1) // 2, 0), axis=0)
    hi = np.take_along_axis(sorted_vals, np.maximum(count // 2, 0), axis=0)
    return np.where(count > 0, 0.5 * (lo + hi), np.inf)


def _dilate(mask, shape) -> np.ndarray:
    """``mask`` and its nearest neighbours along every axis of the grid."""
    if not shape:
        return mask.copy()
    m = mask.reshape(shape)
    out = m.copy()
    for ax in range(len(shape)):
        lo = [slice(None)] * len(shape)
        hi = [slice(None)] * len(shape)
        lo[ax], hi[ax] = slice(1, None), slice(None, -1)
        out[tuple(lo)] |= m[tuple(hi)]
        out[tuple(hi)] |= m[tuple(lo)]
    return out.ravel()


class _PointPlans:
    """The :class:`~memtheory.solvers.raf.solve.Plan` of every grid point, as arrays: channel kernel
    ids (-1 where the point has no solution, a λ → 0 singular point), parameter rows, regimes and
    channels. A grid of one model shares one plan but for α and ε, so building a ``Plan`` object per
    point would cost more than solving it; ``plans[i]`` builds one where a single point needs it."""

    _INTERPOLATING = ("min-norm", "max-margin")

    def __init__(self, n: int, width: int):
        self.lid = pr.LINEAR
        self.valid = np.zeros(n, dtype=bool)
        self.cid = np.full(n, -1, dtype=np.int64)
        self.params = np.zeros((n, width))
        self.size = np.zeros(n, dtype=np.int64)
        self.regime = np.empty(n, dtype=object)
        self.channel = np.empty(n, dtype=object)
        self.interp = np.zeros(n, dtype=bool)

    @classmethod
    def from_list(cls, plans) -> "_PointPlans":
        """From one ``Plan`` (or ``None``) per point."""
        sizes = [pl.params.size for pl in plans if pl is not None]
        out = cls(len(plans), max(sizes, default=0))
        for i, pl in enumerate(plans):
            if pl is not None:
                out.set_point(i, pl)
        return out

    def __len__(self) -> int:
        return self.valid.size

    def __getitem__(self, i: int):
        if not self.valid[i]:
            return None
        return Plan(self.lid, int(self.cid[i]), self.params[i, :self.size[i]], self.regime[i], self.channel[i])

    def set_block(self, idx: np.ndarray, tmpl, alpha: np.ndarray, eps: np.ndarray) -> None:
        """Points ``idx`` share the plan ``tmpl`` but for their α and ε (parameter slots 0 and 1)."""
        self.lid = tmpl.learner_id
        k = tmpl.params.size
        self.params[idx, :k] = tmpl.params
        self.params[idx, 0] = alpha[idx]
        self.params[idx, 1] = eps[idx]
        self.size[idx] = k
        self._set_common(idx, tmpl)

    def set_point(self, i: int, pl) -> None:
        self.lid = pl.learner_id
        self.params[i, :pl.params.size] = pl.params
        self.size[i] = pl.params.size
        self._set_common(i, pl)

    def _set_common(self, idx, pl) -> None:
        self.valid[idx] = True
        self.cid[idx] = pl.channel_id
        self.regime[idx] = pl.regime
        self.channel[idx] = pl.channel
        self.interp[idx] = pl.regime in self._INTERPOLATING

    def first_channel(self):
        """The channel of the first point that has a plan."""
        return self.channel[int(np.argmax(self.valid))]


class _PointValues:
    """``points[i]["alpha"]``: the parameter values of grid point ``i`` (views of the per-point columns)."""

    def __init__(self, columns):
        self.columns = columns

    def __getitem__(self, i):
        return {name: float(col[i]) for name, col in self.columns.items()}


def _retry_with_solve(out, plans, points, point_model, tol, max_iter, nodes) -> None:
    """Solve points that failed in the batch again with every fallback of :func:`solve` (Newton from
    a cold start, continuation in λ), at most :data:`_MAX_RETRIES` of them, in place."""
    failed = np.flatnonzero(~out["converged"] & plans.valid)[:_MAX_RETRIES]
    for i in failed:
        res = solve(point_model(i), points[i]["alpha"], points[i]["epsilon"], tol=tol, max_iter=max_iter,
                    nodes=nodes, warn=False)
        out["iterations"][i] += res.iterations
        if res.converged:
            for f in ("gen_error", "mem_error", "rule_train_error", "train_loss", "residual"):
                out[f][i] = getattr(res, f)
            out["converged"][i] = True


def _continuation_order(shape, plans) -> np.ndarray:
    """Predecessor of each point: its neighbour along axis 0, or the line start of the previous line
    (points without a plan, or of another channel kernel, have none)."""
    n = len(plans)
    prev = np.full(n, -1, dtype=np.int64)
    if not shape:
        return prev
    s0 = int(np.prod(shape[1:], dtype=np.int64))  # C-order stride of axis 0, in points
    i = np.arange(n)
    first_row = (i // s0) % shape[0] == 0
    j = np.where(first_row, i - 1, i - s0)
    ok = (j >= 0) & plans.valid
    jj = np.maximum(j, 0)
    ok &= plans.valid[jj] & (plans.cid == plans.cid[jj])
    prev[ok] = j[ok]
    return prev


def _solve_batch(model, plans, prev, start, tol, max_iter, nodes, workers, subset=None, line_order=None) -> dict:
    """Solve the points (all, or the indices ``subset``) from ``start`` with continuation along ``prev``;
    arrays over all points (NaN / not converged outside ``subset``). ``line_order``, a permutation of
    the points in which every predecessor comes first, saves sorting them."""
    n = len(plans)
    valid = plans.valid.copy()
    if subset is not None:
        inside = np.zeros(n, dtype=bool)
        inside[subset] = True
        valid &= inside
    lid = plans.lid
    out = {
        "gen_error": np.full(n, np.nan),
        "mem_error": np.full(n, np.nan),
        "rule_train_error": np.full(n, np.nan),
        "train_loss": np.full(n, np.nan),
        "converged": np.zeros(n, dtype=bool),
        "residual": np.full(n, np.inf),
        "iterations": np.zeros(n, dtype=np.int64),
    }
    if not valid.any():
        return out
    idx = np.flatnonzero(valid)
    # solve order: lines along axis 0 contiguous (predecessors come first)
    order = _topological_order(idx, prev) if line_order is None else line_order[valid[line_order]]
    position = np.full(n, -1, dtype=np.int64)
    position[order] = np.arange(len(order))
    before = prev[order]
    pv = np.where(before >= 0, position[np.maximum(before, 0)], -1)
    cids = plans.cid[order]
    P = plans.params[order]
    x_init = _initial_state(lid, start)
    n_nodes = _BAYES_NODES if lid == pr.BAYES else nodes
    xn, wn = legendre_rule(n_nodes)
    # threads over the grid's lines by default (iterate_lines); processes only when asked for
    n_workers = workers if workers is not None else 1
    if n_workers > 1:  # (os.cpu_count reads /sys: tens of µs, a tenth of a small sweep)
        n_workers = max(1, min(int(n_workers), os.cpu_count() or 1))
    n_workers = max(1, int(n_workers))
    drv = driver_for(plans.first_channel())
    if not drv.cached:
        n_workers = 1  # a custom loss's driver is compiled in this process only
    if n_workers == 1 and drv.cached and len(order) >= pw.PARALLEL_MIN_POINTS:
        # lines of the grid in parallel threads (line heads first, in order)
        # a static split of the lines: dynamic chunks of a few long lines measured 15–40 % slower (a
        # 16 × 8 grid, 8 lines on 2 threads: 640 µs static, 730–890 µs in chunks of 2)
        with pw.threads_for(len(order), chunk=0):
            X, H, R, I, S = iterate_lines(lid, cids, P, x_init, pv, xn, wn, tol, max_iter, 1.0, 5)
    elif n_workers == 1:
        X, H, R, I, S = drv.iterate_many(lid, cids, P, x_init, pv, xn, wn, tol, max_iter, 1.0, 5)
    else:
        X, H, R, I, S = _parallel(lid, cids, P, x_init, pv, xn, wn, tol, max_iter, n_workers)
    conv = S == 0
    channel = plans.channel[order[0]]
    if channel is None or channel.kernel >= 0:
        # the compiled observables of the per-point solver (built-in channels)
        zc = 0.0 if channel is None else float(channel.zero_crossing)
        kinks = np.zeros((0, 2)) if channel is None else obs.kinks_array(channel)
        interp = plans.interp[order]
        rows = np.empty((len(order), pw.NCOL))
        pw.observe_points(lid, cids, np.ascontiguousarray(X), P, interp, zc, kinks, pw.OBS_RULES, rows)
        gen, mem = rows[:, pw.COL_GEN], rows[:, pw.COL_MEM]
        rule, loss = rows[:, pw.COL_RULE], rows[:, pw.COL_LOSS]
    else:
        gen, mem, rule, loss = _observables_numpy(lid, plans, order, X, P)
    for name, arr in (("gen_error", gen), ("mem_error", mem), ("rule_train_error", rule), ("train_loss", loss)):
        out[name][order] = arr
    out["converged"][order] = conv
    out["residual"][order] = R
    out["iterations"][order] = I
    return out


def _observables_numpy(lid, plans, order, X, P):
    """The errors of a custom loss's channel (numpy; its margin loss has no compiled dispatch)."""
    m = np.empty(len(order))
    q = np.empty(len(order))
    V = np.empty(len(order))
    for k in range(len(order)):
        _, m[k], q[k], V[k] = pr.channel_inputs(lid, X[k], P[k])
    ok = np.isfinite(m) & np.isfinite(q) & np.isfinite(V) & (q > m * m) & (V > 0)
    gen = np.where(ok, obs.gen_error(np.where(ok, m, 0.0), np.where(ok, q, 1.0)), np.nan)
    mem = np.full(len(order), np.nan)
    rule = np.full(len(order), np.nan)
    loss = np.full(len(order), np.nan)
    interp = plans.interp[order]
    channel = plans.channel[order[0]]
    reg = ok & ~interp
    if reg.any():
        c = channel.zero_crossing
        mem[reg] = obs.mem_error(c, V[reg], q[reg])
        rule[reg] = obs.rule_train_error(c, V[reg], m[reg], q[reg])
        loss[reg] = obs.train_loss(channel, P[reg, 1], m[reg], q[reg], V[reg])
    zero = ok & interp
    mem[zero] = rule[zero] = loss[zero] = 0.0
    return gen, mem, rule, loss


def _topological_order(idx, prev) -> np.ndarray:
    """Indices ``idx`` ordered so that each point's predecessor is solved before it, line by line.

    A point's successors are the next point of its line (the largest index: the neighbour along axis 0)
    and, for a line head, the next line's head. Each line is followed to its end before the next head
    is taken, so that a line's points are consecutive (what
    :func:`~memtheory.solvers.raf.driver.iterate_lines` solves on one thread).
    """
    members = set(int(i) for i in idx)
    children = {}
    roots = []
    for i in idx:
        i = int(i)
        j = int(prev[i])
        if j >= 0 and j in members:
            children.setdefault(j, []).append(i)
        else:
            roots.append(i)
    order = []
    pending = roots[::-1]
    while pending:
        i = pending.pop()
        while True:
            order.append(i)
            kids = sorted(children.get(i, ()), reverse=True)
            if not kids:
                break
            pending.extend(kids[:0:-1])
            i = kids[0]
    return np.array(order, dtype=np.int64)


def _parallel(lid, cids, P, x_init, pv, xn, wn, tol, max_iter, n_workers):
    """Solve contiguous chunks of the ordered points in separate processes.

    A point whose predecessor lies in another chunk starts cold (it still converges, a little slower),
    so the chunks are independent.
    """
    bounds = np.linspace(0, len(cids), n_workers + 1).astype(int)
    chunks = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        local = pv[a:b] - a
        local[(pv[a:b] < a) | (pv[a:b] < 0)] = -1
        chunks.append((lid, cids[a:b], P[a:b], x_init, local, xn, wn, tol, max_iter, 1.0, 5))
    with ProcessPoolExecutor(max_workers=len(chunks)) as pool:
        parts = list(pool.map(_run_chunk, chunks))
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(5))


def _run_chunk(args):
    return iterate_many(*args)

