"""Result objects of the RAF solvers (frozen, OptimizeResult-like)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["RAFResult", "SweepResult"]


class _OnFirstAccess:
    """Data descriptor of a field that may be computed on first access: the constructor stores what it
    is given, and ``None`` means "compute with the owner's ``_compute_<name>()`` when first read" (then
    stored). Reading it on the class raises ``AttributeError``, so the dataclass field keeps no default
    and the positional constructor is unchanged; the frozen dataclass still refuses assignment."""

    def __set_name__(self, owner, name):
        self.name = name
        self.slot = "_" + name

    def __get__(self, obj, owner=None):
        if obj is None:
            raise AttributeError(self.name)
        value = obj.__dict__[self.slot]
        if value is None:
            value = getattr(obj, "_compute_" + self.name)()
            obj.__dict__[self.slot] = value
        return value

    def __set__(self, obj, value):
        obj.__dict__[self.slot] = value


@dataclass(frozen=True)
class RAFResult:
    """Solution of the RAF saddle point at one (model, α, ε).

    See docs/theory/raf.md §5 and §12.

    Attributes
    ----------
    model : object
        The model that was solved.
    alpha, epsilon : float
        Sample ratio ``n/d`` and fraction of facts.
    gen_error : float
        Generalization error on fresh teacher data, ``arccos(m/√q)/π`` (docs/theory/raf.md §5).
    mem_error : float
        Training misclassification of the facts (0 in interpolating regimes; NaN for Bayes-optimal).
        At ε = 0 there are no facts: the number is the limit ε → 0⁺, the probability that one
        hypothetical fact added to the training set is misclassified (``message`` says so).
    rule_train_error : float
        Training misclassification of the rule examples (NaN for Bayes-optimal).
    train_loss : float
        Average training loss over the RAF mixture (NaN for Bayes-optimal).
    bayes_error : float
        Bayes-optimal generalization error at the same (α, ε) (docs/theory/raf.md §4). It depends on
        (α, ε) only, so :func:`~memtheory.solvers.raf.solve` does not solve for it: given as ``None``
        to the constructor, it is computed on first access (and then stored).
    converged : bool
        ``True`` promises that every reported error and every order parameter of the state (and the
        ``channel_*`` overlaps) is within ``tol`` relative of the exact fixed point, or ``tol`` absolute
        where ``tol`` times its size is below ``tol`` (i.e. an error of at most ``tol·max(|x|, 1)``);
        see docs/theory/raf.md, "Stopping rule and what `converged` promises". The conjugates
        (``*_hat``) are evaluated at the returned state and are not part of the promise.
    residual : float
        Estimated scaled distance to the fixed point at the returned state: the largest relative
        change of a state component (``m`` relative to ``max(|m|, 10⁻²√q)``) and the change of
        ``gen_error``, under one step of the map, of its secant (Anderson) step or of its Newton step.
    iterations : int
        Evaluations of the saddle-point map.
    message : str
        Status in words.
    regime : str
        ``"ridge"``, ``"unregularized"``, ``"min-norm"``, ``"max-margin"`` or ``"bayes"``. In the
        ``min-norm``/``max-margin`` regimes the susceptibilities and conjugates in ``overlaps`` are the
        rescaled λ → 0 quantities of docs/theory/raf.md §6 (``V`` stands for ``lim λV``).
    overlaps : dict
        Order parameters and conjugates, named as in docs/theory/raf.md §2 (``m, q, V, m_hat, q_hat, V_hat``
        for the linear learner; ``m_s, q_s, V_s, ...`` for the kernel; plus ``q_w, V_w, q_hat_w,
        V_hat_w`` for random features; ``q_b, one_minus_q_b, q_hat_b`` for Bayes-optimal, where the state is
        ``1 − q_b``, kept to full relative precision at large α). ``channel_m``,
        ``channel_q``, ``channel_V`` are what the output channel sees.

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> res = raf.solve(raf.Linear(loss='square', lam=0.1), alpha=2.0, epsilon=0.2)
    >>> res.converged, res.regime
    (True, 'ridge')
    >>> round(res.gen_error, 4), round(res.mem_error, 4)
    (0.2682, 0.1682)
    >>> sorted(res.overlaps)[:3]
    ['V', 'V_hat', 'channel_V']
    """

    model: object
    alpha: float
    epsilon: float
    gen_error: float
    mem_error: float
    rule_train_error: float
    train_loss: float
    bayes_error: float = _OnFirstAccess()
    converged: bool
    residual: float
    iterations: int
    message: str
    regime: str
    overlaps: dict = field(default_factory=dict)
    x: np.ndarray = field(default=None, repr=False)

    def _compute_bayes_error(self) -> float:
        from memtheory.solvers.raf.solve import bayes_error

        return bayes_error(self.alpha, self.epsilon)

    def as_dict(self) -> dict:
        """JSON-friendly dictionary of every field except the model object and raw state."""
        out = {
            "learner": getattr(self.model, "learner", None),
            "loss": getattr(getattr(self.model, "loss", None), "name", getattr(self.model, "loss", None)),
            "alpha": self.alpha,
            "epsilon": self.epsilon,
        }
        for name in ("lam", "kappa", "mu1", "mu_star"):
            if hasattr(self.model, name):
                out[name] = getattr(self.model, name)
        if hasattr(self.model, "activation") and isinstance(self.model.activation, str):
            out["activation"] = self.model.activation
        for name in (
            "gen_error",
            "mem_error",
            "rule_train_error",
            "train_loss",
            "bayes_error",
            "converged",
            "residual",
            "iterations",
            "message",
            "regime",
        ):
            out[name] = getattr(self, name)
        out["overlaps"] = dict(self.overlaps)
        return out

    def to_dict(self) -> dict:
        """Plain-JSON dictionary of the result, with the model's attributes and the memtheory version.

        Returns
        -------
        dict
            Every field of :meth:`as_dict` plus ``memtheory_version``; non-finite numbers become ``None``.

        Examples
        --------
        >>> from memtheory.solvers import raf
        >>> d = raf.solve(raf.Linear(loss="square", lam=0.1), alpha=2.0, epsilon=0.2).to_dict()
        >>> d["learner"], d["loss"], round(d["gen_error"], 5)
        ('linear', 'square', 0.26823)
        """
        from memtheory.solvers.raf.export import _plain, model_attributes

        out = {**model_attributes(self.model), **self.as_dict()}
        out["memtheory_version"] = model_attributes(self.model)["memtheory_version"]
        out["overlaps"] = {k: _plain(v) for k, v in self.overlaps.items()}
        return {k: (_plain(v) if not isinstance(v, dict) else v) for k, v in out.items()}


@dataclass(frozen=True)
class SweepResult:
    """Results of :func:`memtheory.solvers.raf.sweep` on a grid; every array has shape ``shape``.

    ``axes`` maps each swept parameter name to its values (in axis order). ``coexistence`` flags
    points where the uninformed and informed starts converged to different fixed points.
    ``singular`` flags λ = 0 grid points where the λ → 0 limit has no finite solution (the square-loss
    interpolation peak α = 1, the separability threshold, separable data under logistic loss): their
    values are NaN and ``converged`` is False. ``converged`` carries the same promise as
    :attr:`RAFResult.converged`.

    See docs/theory/raf.md §12.

    Attributes
    ----------
    model : object
        The swept model.
    axes : dict
        Swept parameter name → its values. For :func:`~memtheory.solvers.raf.sweep` a 1-D array per
        grid axis, in axis order; for the batched :func:`~memtheory.solvers.raf.solve` (array-valued
        α, ε, λ or κ, broadcast like numpy) each array-valued parameter broadcast to the full result
        shape (a 1-D result is both).
    gen_error, mem_error, rule_train_error, train_loss, bayes_error : ndarray
        As in :class:`RAFResult`, one value per grid point. ``bayes_error`` given as ``None`` to the
        constructor is computed on first access, for all points at once in parallel, from the points'
        α and ε (``axes`` and ``fixed``).
    converged : ndarray of bool
        The promise of :attr:`RAFResult.converged` at every point.
    residual : ndarray
        Estimated scaled distance to the fixed point.
    iterations : ndarray of int
        Evaluations of the saddle-point map.
    coexistence : ndarray of bool
        Points where the uninformed and informed starts reached different fixed points.
    fixed : dict
        Parameters that were not swept.
    singular : ndarray of bool or None
        λ = 0 points without a finite λ → 0 solution (NaN values).
    broadcast : bool
        ``axes`` layout: ``False`` for a grid (one 1-D array per axis), ``True`` for the batched
        :func:`~memtheory.solvers.raf.solve` (every array broadcast to :attr:`shape`).

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> sw = raf.sweep(raf.Linear(loss='square', lam=0.1), alpha=[1.0, 2.0], epsilon=0.2)
    >>> sw.gen_error.shape, bool(sw.converged.all())
    ((2,), True)
    >>> list(sw.axes)
    ['alpha']
    """

    model: object
    axes: dict
    gen_error: np.ndarray
    mem_error: np.ndarray
    rule_train_error: np.ndarray
    train_loss: np.ndarray
    bayes_error: np.ndarray = _OnFirstAccess()
    converged: np.ndarray
    residual: np.ndarray
    iterations: np.ndarray
    coexistence: np.ndarray
    fixed: dict = field(default_factory=dict)
    singular: np.ndarray = None
    broadcast: bool = False

    @property
    def shape(self) -> tuple:
        return self.gen_error.shape

    def point_values(self, name: str) -> np.ndarray:
        """Values of parameter ``name`` (``"alpha"``, ``"epsilon"``, ``"lam"``, ``"kappa"``) at every
        point, shape :attr:`shape` (from ``axes``, either layout, or ``fixed``)."""
        shape = self.shape
        if name in self.axes:
            vals = np.asarray(self.axes[name], dtype=float)
            if self.broadcast:
                return np.broadcast_to(vals, shape)
            k = list(self.axes).index(name)
            view = [1] * len(shape)
            view[k] = vals.size
            return np.broadcast_to(vals.reshape(view), shape)
        if name in self.fixed:
            return np.full(shape, float(self.fixed[name]))
        if name == "lam" and hasattr(self.model, "lam"):
            return np.full(shape, float(self.model.lam))
        raise KeyError(f"{name} is neither an axis nor a fixed parameter of this result")

    def _compute_bayes_error(self) -> np.ndarray:
        if getattr(self.model, "learner", None) == "gcm":
            return np.full(self.shape, np.nan)  # no isotropic Bayes bound for anisotropic inputs
        from memtheory.solvers.raf.solve import bayes_errors

        return bayes_errors(self.point_values("alpha"), self.point_values("epsilon"))

    FIELDS = ("gen_error", "mem_error", "rule_train_error", "train_loss", "bayes_error", "converged",
              "residual", "iterations", "coexistence")

    def _export_parts(self) -> tuple[dict, dict, dict]:
        from memtheory.solvers.raf.export import model_attributes

        fields = {name: getattr(self, name) for name in self.FIELDS}
        axes = dict(self.axes)
        if self.broadcast:
            # one record per point: the parameters become per-point columns of a 1-D "grid" of points
            fields = {k: np.asarray(v).ravel() for k, v in fields.items()}
            axes = {k: np.broadcast_to(np.asarray(v, dtype=float), self.shape).ravel() for k, v in axes.items()}
            return model_attributes(self.model, self.fixed), axes, fields, True
        return model_attributes(self.model, self.fixed), axes, fields, False

    def to_dict(self) -> dict:
        """Plain-JSON dictionary: ``attributes`` (model, fixed parameters, version), ``axes``, ``fields``.

        Returns
        -------
        dict
            Arrays become nested lists in axis order; non-finite numbers become ``None``.
        """
        from memtheory.solvers.raf.export import _plain

        attrs, axes, fields, _ = self._export_parts()
        if self.broadcast:
            axes = {k: np.asarray(v).reshape(self.shape) for k, v in axes.items()}
            fields = {k: np.asarray(v).reshape(self.shape) for k, v in fields.items()}
        as_list = lambda a: np.vectorize(_plain, otypes=[object])(np.asarray(a)).tolist()  # noqa: E731
        return {"attributes": attrs, "axes": {k: as_list(v) for k, v in axes.items()},
                "fields": {k: as_list(v) for k, v in fields.items()}}

    def to_dataframe(self):
        """One row per grid point: the model's attributes, every axis and every output (needs pandas).

        Returns
        -------
        pandas.DataFrame
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe needs pandas: pip install 'memtheory[xarray]'") from exc
        from memtheory.solvers.raf.export import grid_records

        attrs, axes, fields, points = self._export_parts()
        columns, values = grid_records(attrs, axes, fields, points=points)
        return pd.DataFrame(dict(zip(columns, values)))

    def to_xarray(self):
        """An :class:`xarray.Dataset`: one dimension per swept parameter, every output a variable (for a
        batched solve, ``broadcast=True``: one dimension ``point`` over the flattened points, with the
        array-valued parameters as coordinates along it).

        The model (learner, loss, activation, λ, κ, …), the fixed parameters and the memtheory version
        are the Dataset's attributes; booleans are stored as int8 so that it round-trips through netCDF.

        Returns
        -------
        xarray.Dataset

        Examples
        --------
        >>> import numpy as np
        >>> from memtheory.solvers import raf
        >>> ds = raf.sweep(raf.Linear(loss="square", lam=0.1), alpha=np.array([0.5, 1.0]),
        ...                epsilon=0.2).to_xarray()                                    # doctest: +SKIP
        >>> ds.gen_error.dims                                                          # doctest: +SKIP
        ('alpha',)
        """
        from memtheory.solvers.raf.export import to_xarray

        attrs, axes, fields, points = self._export_parts()
        return to_xarray(attrs, axes, fields, points=points)

    def save(self, path):
        """Write the grid to ``path``; ``.csv``, ``.json``, ``.npz`` or ``.nc`` chosen by the suffix.

        Returns
        -------
        pathlib.Path
        """
        from memtheory.solvers.raf.export import write_grid

        attrs, axes, fields, points = self._export_parts()
        return write_grid(path, attrs, axes, fields, points=points)
