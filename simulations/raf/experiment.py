"""One RAF simulation point: parameters, the per-seed run and the over-seeds result.

A point is a learner (``linear``, ``kernel``, ``random_features``, ``two_layer``), a loss, the ridge λ in
the theory's normalisation (docs/theory/raf.md §1), the sample ratio α = n/d, the fact fraction ε and the
dimension d. Each seed draws its own teacher, training set, test set and (for random features) its own
projection F from independent streams of ``numpy.random.SeedSequence(seed)``, so a given seed gives
the same training set for every learner (paired comparisons).
"""

from __future__ import annotations

import inspect
from dataclasses import asdict, dataclass, field

import numpy as np

from memtheory.core.names import NN_ACTIVATIONS, SIMULATION_LEARNERS, canonical
from memtheory.core.checks import (
    check_choice,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_seeds,
    check_unit_interval,
)
from memtheory.core.memory import check_memory
from .activations import check_activation
from .datasets import make_raf_data, make_test_set, spawn_rngs
from .kernel_learners import fit_kernel
from .kernels import DotProductKernel, make_kernel
from .linear import fit_linear
from .measure import METRICS, Measurement, measure, population_gen_error
from .random_features import draw_projection, rf_features
from .spectra import check_spectrum_name, make_spectrum

__all__ = ["LEARNERS", "SimSpec", "SimResult", "make_spec", "estimate_memory", "run_one", "simulate", "aggregate"]

LEARNERS = SIMULATION_LEARNERS
_LOSSES = {
    "linear": ("square", "hinge", "logistic", "squared_hinge", "huber"),
    "kernel": ("square", "hinge"),
    "random_features": ("square", "hinge", "logistic", "squared_hinge", "huber"),
    "two_layer": ("square", "hinge", "logistic"),
}


@dataclass(frozen=True)
class SimSpec:
    """Validated parameters of one simulation point (build with :func:`make_spec`).

    Attributes
    ----------
    learner, loss : str
        Canonical learner (one of ``LEARNERS``) and loss names.
    lam, alpha, epsilon : float
        Ridge λ ≥ 0, sample ratio α = n/d and fact fraction ε ∈ [0, 1].
    d, n, n_test : int
        Dimension, training-set size and test-set size.
    activation : str or None
        Activation of the random-features or two-layer learner.
    kernel : DotProductKernel or None
        Kernel of the kernel learner.
    kappa : float or None
        Random-features ratio p/d.
    width, steps, lr, optimizer, init_scale, device, threads
        Two-layer network options (see :func:`make_spec`).
    tol : float or None
        Solver tolerance (None: the solver's default).
    center : bool
        Centre the random features.
    spectrum : str or None
        Name of the input covariance spectrum (None: isotropic).

    Examples
    --------
    >>> spec = make_spec("linear", "square", lam=0.1, alpha=2.0, epsilon=0.2, d=50)
    >>> spec.n, spec.label()
    (100, 'linear square lam=0.1 alpha=2 eps=0.2')

    See docs/theory/raf.md §1.
    """

    learner: str
    loss: str
    lam: float
    alpha: float
    epsilon: float
    d: int
    n: int
    n_test: int = 4000
    activation: str | None = None
    kernel: DotProductKernel | None = field(default=None, repr=False)
    kappa: float | None = None
    width: int | None = None
    steps: int | None = None
    lr: float | None = None
    optimizer: str = "adam"
    init_scale: float = 1.0
    tol: float | None = None
    center: bool = True
    device: str | None = None
    threads: int | None = None
    spectrum: str | None = None

    @property
    def p(self) -> int | None:
        """Number of random features p = round(κd)."""
        return None if self.kappa is None else max(1, int(round(self.kappa * self.d)))

    def label(self) -> str:
        """Short human-readable description used in tables."""
        parts = [self.learner, self.loss, f"lam={self.lam:g}", f"alpha={self.alpha:g}", f"eps={self.epsilon:g}"]
        if self.spectrum is not None:
            parts.append(f"spectrum={self.spectrum}")
        if self.learner == "kernel":
            parts.append(f"kernel={self.kernel.name}")
        if self.learner == "random_features":
            parts += [f"act={self.activation}", f"kappa={self.kappa:g}"]
        if self.learner == "two_layer":
            parts += [f"act={self.activation}", f"width={self.width}", f"steps={self.steps}", f"lr={self.lr:g}"]
        return " ".join(parts)

    def as_dict(self) -> dict:
        """JSON-friendly parameters (the kernel by name)."""
        out = asdict(self)
        out["kernel"] = None if self.kernel is None else self.kernel.name
        if self.kernel is not None:
            out["mu1"], out["mu_star"] = self.kernel.mu1, self.kernel.mu_star
        return out


def make_spec(learner="linear", loss="square", lam=0.1, alpha=2.0, epsilon=0.2, d=400, *, n=None,
              n_test=4000, activation=None, kernel=None, eta=1.0, kappa=None, width=None, steps=None,
              lr=None, optimizer="adam", init_scale=1.0, tol=None, center=True, device=None,
              threads=None, spectrum=None) -> SimSpec:
    """Validate the parameters of a point; every bad value raises ``ValueError`` naming it.

    Parameters
    ----------
    learner : {'linear', 'kernel', 'random_features', 'two_layer'}, default 'linear'
        The learner.
    loss : str, default 'square'
        A loss the learner supports (square, hinge, logistic, squared_hinge, huber; kernel: square, hinge).
    lam, alpha, epsilon : float
        Ridge λ ≥ 0, α > 0 and ε ∈ [0, 1].
    d : int, default 400
        Input dimension.
    n : int, optional
        Defaults to round(αd); if given it overrides α (α is then n/d).
    n_test : int, default 4000
        Test-set size (learners without a closed-form generalization error).
    activation : str, optional
        Random features: default ``sign``; two_layer: default ``relu``; kernel: selects the kernel of
        that activation when ``kernel`` is absent.
    kernel : str or callable or DotProductKernel, optional
        Kernel learner: a name, a function of t = x·x'/d or a :class:`DotProductKernel`.
    eta : float, default 1.0
        RBF bandwidth.
    kappa : float, optional
        Random features: p/d (default 1).
    width, steps, lr, optimizer, init_scale, device, threads : optional
        two_layer: ``width`` (512), ``steps`` (2000), ``lr`` (1e-2 for Adam, 1.0 for GD), ``optimizer``,
        ``init_scale``, ``device`` (default cuda if available) and ``threads`` (torch CPU threads).
    tol : float, optional
        Solver tolerance (for two_layer: the plateau ``rtol``).
    center : bool, default True
        Centre the random features.
    spectrum : str, optional
        Input covariance (:func:`make_spectrum`: ``powerlaw:A``, ``spike:F:R``; default isotropic).

    Returns
    -------
    SimSpec
        The validated point.

    Examples
    --------
    >>> spec = make_spec("kernel", "hinge", lam=0.0, alpha=1.5, d=40)
    >>> spec.n, spec.kernel.name, spec.epsilon
    (60, 'sign', 0.2)

    See docs/theory/raf.md §1.
    """
    learner = canonical("learner", learner, allowed=LEARNERS)
    loss = canonical("loss", loss, allowed=_LOSSES[learner])
    lam = check_nonnegative("lam", lam)
    epsilon = check_unit_interval("epsilon", epsilon)
    d = check_positive_int("d", d)
    if n is None:
        alpha = check_positive("alpha", alpha)
        n = int(round(alpha * d))
        if n < 1:
            raise ValueError(f"n = round(alpha*d) must be >= 1, got alpha={alpha!r}, d={d}")
    else:
        n = check_positive_int("n", n)
        alpha = n / d
    n_test = check_positive_int("n_test", n_test)
    if tol is not None:
        tol = check_positive("tol", tol)
    kw = dict(learner=learner, loss=loss, lam=lam, alpha=alpha, epsilon=epsilon, d=d, n=n, n_test=n_test,
              tol=tol, center=bool(center), device=device, spectrum=check_spectrum_name(spectrum))
    if learner == "kernel":
        if kernel is None:
            kernel = check_activation(activation or "sign")
        kw["kernel"] = make_kernel(kernel, eta=eta, center=center)
        kw["activation"] = kw["kernel"].name
    elif learner == "random_features":
        kw["activation"] = check_activation(activation or "sign")
        kw["kappa"] = check_positive("kappa", 1.0 if kappa is None else kappa)
    elif learner == "two_layer":
        optimizer = check_choice("optimizer", optimizer, ("adam", "gd"))
        kw.update(
            activation=canonical("activation", activation or "relu", allowed=NN_ACTIVATIONS),
            width=check_positive_int("width", 512 if width is None else width),
            steps=check_positive_int("steps", 2000 if steps is None else steps),
            lr=check_positive("lr", (1e-2 if optimizer == "adam" else 1.0) if lr is None else lr),
            optimizer=optimizer,
            init_scale=check_nonnegative("init_scale", init_scale),
            threads=None if threads is None else check_positive_int("threads", threads),
        )
    spec = SimSpec(**kw)
    check_memory(f"a {learner} simulation at d={d}, n={n}, n_test={n_test}", estimate_memory(spec),
                 reduce="d, alpha (n = round(alpha*d)), n_test" + (", kappa" if learner == "random_features" else "")
                 + (", width" if learner == "two_layer" else ""))
    return spec


def estimate_memory(spec: SimSpec) -> float:
    """Peak bytes of one seed of ``spec`` in one process (the arrays :func:`run_one` holds at once).

    An upper estimate from the array shapes: data and test inputs, the feature or Gram matrices and
    the solver's own (a Cholesky factor of the smaller Gram side for square loss, the Hessian for
    logistic loss). Floats are 8 bytes; Python and library overheads are not counted.
    """
    n, d, nt = float(spec.n), float(spec.d), float(spec.n_test)
    data = 8.0 * n * (d + 2)
    if spec.learner == "linear":
        solver = 2 * min(n, d) ** 2 + (d * d if spec.loss == "logistic" else 0.0)
        return data + 8.0 * (2 * n * d + solver)
    test = 8.0 * nt * (d + 2)
    if spec.learner == "kernel":
        return data + test + 8.0 * (3 * n * n + 2000 * n)
    if spec.learner == "random_features":
        p = float(spec.p)
        solver = 2 * min(n, p) ** 2 + (p * p if spec.loss == "logistic" else 0.0)
        return data + test + 8.0 * (p * d + 3 * n * p + nt * p + solver)
    width = float(spec.width)
    return data + test + 8.0 * (3 * (n + nt) * width + 4 * width * d)


def run_one(spec: SimSpec, seed: int) -> Measurement:
    """Train the learner of ``spec`` on the RAF data of ``seed`` and measure it.

    Module-level and picklable, so that executors (processes, dask) can run it.

    Parameters
    ----------
    spec : SimSpec
        The point.
    seed : int
        Seed of the data, test set, features and learner streams.

    Returns
    -------
    Measurement
        The metrics of this seed.

    Examples
    --------
    >>> m = run_one(make_spec("linear", "square", lam=0.1, alpha=2.0, epsilon=0.2, d=50), 0)
    >>> m.seed, round(m.gen_error, 4), round(m.mem_error, 4), m.converged
    (0, 0.2614, 0.35, True)

    See docs/theory/raf.md §5.
    """
    rng_data, rng_test, rng_feat, rng_learn = spawn_rngs(seed, 4)
    omega = None if spec.spectrum is None else make_spectrum(spec.spectrum, spec.d)
    data = make_raf_data(spec.n, spec.d, spec.epsilon, rng_data, spectrum=omega)
    solver_seed = int(rng_learn.integers(2**31 - 1))
    tol_kw = {} if spec.tol is None else {"tol": spec.tol}
    if spec.learner == "linear":
        Z = data.X / np.sqrt(spec.d)
        extra = {"seed": solver_seed} if spec.loss == "hinge" else {}
        fit = fit_linear(Z, data.y, spec.loss, spec.lam, **tol_kw, **extra)
        w = fit.w
        sw = w if omega is None else w * omega
        overlaps = (("m", float(sw @ data.teacher / spec.d)), ("q", float(sw @ w / spec.d)))
        return measure(seed, spec.loss, data, Z @ w, fit.converged,
                       gen_error=population_gen_error(w, data.teacher, omega), overlaps=overlaps)
    X_test, y_test = make_test_set(spec.n_test, data.teacher, rng_test, spectrum=omega)
    if spec.learner == "kernel":
        K = spec.kernel.gram(data.X)
        fit = fit_kernel(K, data.y, spec.loss, spec.lam, seed=solver_seed, **tol_kw)
        del K
        support = fit.coef != 0.0  # the SVM's non-support vectors do not enter f
        Xs, cs = data.X[support], fit.coef[support]
        f_test = np.concatenate([spec.kernel.gram(X_test[i:i + 2000], Xs) @ cs for i in range(0, spec.n_test, 2000)])
        return measure(seed, spec.loss, data, fit.train_outputs, fit.converged, test_outputs=f_test, y_test=y_test)
    if spec.learner == "random_features":
        F = draw_projection(spec.p, spec.d, rng_feat)
        Z = rf_features(data.X, F, spec.activation, spec.center)
        extra = {"seed": solver_seed} if spec.loss == "hinge" else {}
        fit = fit_linear(Z, data.y, spec.loss, spec.lam, **tol_kw, **extra)
        f_test = rf_features(X_test, F, spec.activation, spec.center) @ fit.w
        return measure(seed, spec.loss, data, Z @ fit.w, fit.converged, test_outputs=f_test, y_test=y_test)
    from .two_layer import fit_two_layer

    nn = fit_two_layer(data.X, data.y, X_test, loss=spec.loss, lam=spec.lam, width=spec.width, steps=spec.steps,
                       lr=spec.lr, optimizer=spec.optimizer, activation=spec.activation,
                       init_scale=spec.init_scale, seed=solver_seed, device=spec.device, threads=spec.threads,
                       **({"rtol": spec.tol} if spec.tol is not None else {}))
    return measure(seed, spec.loss, data, nn.train_outputs, nn.converged, test_outputs=nn.test_outputs, y_test=y_test)


@dataclass(frozen=True)
class SimResult:
    """Per-seed metrics of one point (arrays with one entry per seed, in ``seeds`` order).

    ``mean(name)`` and ``sem(name)`` give the mean and standard error over seeds (NaN-aware; the s.e.
    uses the unbiased sample standard deviation, so it needs at least two seeds).

    Attributes
    ----------
    spec : SimSpec
        The point.
    seeds : ndarray of int
        The seeds.
    gen_error, mem_error, rule_train_error, train_loss : ndarray of float
        Generalization error, error on the facts, training error on the rule examples and training loss.
    converged : ndarray of bool
        The learner's tolerance flag per seed.

    Examples
    --------
    >>> r = simulate("linear", "square", lam=0.1, alpha=2.0, epsilon=0.2, d=50, seeds=3)
    >>> r.seeds.tolist(), round(r.mean("gen_error"), 4), round(r.sem("gen_error"), 4), r.all_converged
    ([0, 1, 2], 0.2501, 0.018, True)

    See docs/theory/raf.md §5.
    """

    spec: SimSpec
    seeds: np.ndarray
    gen_error: np.ndarray
    mem_error: np.ndarray
    rule_train_error: np.ndarray
    train_loss: np.ndarray
    converged: np.ndarray

    @property
    def all_converged(self) -> bool:
        return bool(np.all(self.converged))

    def mean(self, name: str) -> float:
        v = getattr(self, check_choice("metric", name, METRICS))
        return float(np.nanmean(v)) if np.any(np.isfinite(v)) else float("nan")

    def sem(self, name: str) -> float:
        v = getattr(self, check_choice("metric", name, METRICS))
        v = v[np.isfinite(v)]
        return float(np.std(v, ddof=1) / np.sqrt(v.size)) if v.size > 1 else float("nan")

    def summary(self) -> dict:
        """Parameters plus mean and s.e. of every metric, JSON-friendly."""
        out = self.spec.as_dict()
        out["seeds"] = [int(s) for s in self.seeds]
        out["all_converged"] = self.all_converged
        for m in METRICS:
            out[m] = self.mean(m)
            out[m + "_se"] = self.sem(m)
        return out


def aggregate(spec: SimSpec, measurements: list[Measurement]) -> SimResult:
    """Stack per-seed :class:`Measurement` objects into a :class:`SimResult`."""
    ms = sorted(measurements, key=lambda m: m.seed)
    col = lambda k: np.array([getattr(m, k) for m in ms], dtype=float)  # noqa: E731
    return SimResult(spec, np.array([m.seed for m in ms]), col("gen_error"), col("mem_error"),
                     col("rule_train_error"), col("train_loss"), np.array([m.converged for m in ms], dtype=bool))


# Keyword options simulate passes on to make_spec (everything but its positional parameters).
_SPEC_OPTIONS = frozenset(inspect.signature(make_spec).parameters) - {"learner", "loss", "lam", "alpha", "epsilon", "d"}


def simulate(learner="linear", loss="square", lam=0.1, alpha=2.0, epsilon=0.2, d=400, seeds=10, *,
             executor=None, blas_threads=1, **options) -> SimResult:
    """Simulate one RAF point over seeds.

    Parameters
    ----------
    learner : {'linear', 'kernel', 'random_features', 'two_layer'}
        The learner.
    loss : {'square', 'hinge', 'logistic'}
        The kernel learner supports square (KRR) and hinge (kernel SVM).
    lam : float
        Ridge λ ≥ 0 in the theory's normalisation (docs/theory/raf.md §1); λ = 0 is min-norm / max-margin.
    alpha, epsilon, d : float, float, int
        n = round(αd) samples of which a fraction ε are facts, in dimension d.
    seeds : int or list of int
        k means seeds 0..k−1.
    executor : optional
        A ``concurrent.futures.Executor`` or a ``dask.distributed.Client``; default: run in this process.
    blas_threads : int or None
        BLAS (and, for two_layer, torch) threads per job, default 1 (see :func:`blas_threads` for why);
        ``None`` leaves the thread pools alone.
    **options
        Passed to :func:`make_spec` (``activation``, ``kernel``, ``eta``, ``kappa``, ``width``, ``steps``,
        ``lr``, ``n``, ``n_test``, ``tol``, ...).

    Returns
    -------
    SimResult
        ``gen_error``, ``mem_error``, ``rule_train_error``, ``train_loss``, ``converged``: one entry per
        seed.

    Examples
    --------
    >>> r = simulate("linear", "square", lam=0.1, alpha=2.0, epsilon=0.2, d=50, seeds=3)
    >>> r.gen_error.shape, round(r.mean("gen_error"), 4)
    ((3,), 0.2501)

    See docs/theory/raf.md §1, §5.
    """
    unknown = sorted(set(options) - _SPEC_OPTIONS)
    if unknown:
        raise ValueError(f"unknown option{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} of "
                         f"simulate; allowed: {', '.join(sorted(_SPEC_OPTIONS))}")
    spec = make_spec(learner, loss, lam, alpha, epsilon, d, **options)
    seeds = check_seeds("seeds", seeds)
    from .campaign import run_points

    return run_points([spec], seeds, executor=executor, blas_threads=blas_threads)[0]
