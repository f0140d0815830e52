"""``memtheory raf ...``: the RAF saddle point from the command line.

``memtheory raf solve`` prints one JSON object with every error, the convergence information and the
order parameters; ``thresholds`` prints α_c(ε), the kernel compatibility threshold and λ_opt. The
``validate`` (simulations), ``sweep`` and ``phase-diagram`` (figures) subcommands are registered by
their own modules when those are installed.
"""

from __future__ import annotations

import argparse
import sys

from memtheory.commands import optional_command_module
from memtheory.commands._io import dumps
from memtheory.commands._ux import add_json_flag
from memtheory.core.names import SOLVER_LEARNERS, canonical, learner_help

# The model options each learner uses. One rule for solve, optimal-lambda, sweep and phase-diagram:
# an option given on the command line that the learner does not use is refused, not silently ignored.
MODEL_OPTIONS = {
    "linear": ("loss", "loss_module", "lam"),
    "kernel": ("loss", "loss_module", "lam", "activation", "mu1", "mu_star"),
    "random_features": ("loss", "loss_module", "lam", "activation", "mu1", "mu_star", "kappa"),
    "gcm": ("loss", "loss_module", "lam", "spectrum", "teacher_weights"),
    "bayes_optimal": (),
}
_NOT_APPLICABLE = {
    "kappa": "kappa applies to random features only (--learner rf)",
    "lam": "the Bayes-optimal estimator has no ridge penalty lam",
    "loss": "the Bayes-optimal estimator has no loss",
    "loss_module": "the Bayes-optimal estimator has no loss",
    "activation": "--activation applies to the kernel and random-features learners only",
    "mu1": "--mu1 applies to the kernel and random-features learners only",
    "mu_star": "--mu-star applies to the kernel and random-features learners only",
    "spectrum": "--spectrum applies to --learner gcm only",
    "teacher_weights": "--teacher-weights applies to --learner gcm only",
}


def check_model_options(learner: str, given: dict) -> None:
    """Refuse the options in ``given`` (name -> value, ``None`` = not given) that ``learner`` does not use.

    ``learner`` is any spelling the names registry accepts; an unknown learner is left to the model
    builders, which name the allowed ones.
    """
    try:
        key = canonical("learner", learner, allowed=SOLVER_LEARNERS)
    except ValueError:
        return
    for name, value in given.items():
        if value is not None and name not in MODEL_OPTIONS[key]:
            raise ValueError(f"{_NOT_APPLICABLE[name]}; remove --{name.replace('_', '-')}")


def add_model_arguments(p: argparse.ArgumentParser) -> None:
    """Options that define a RAF model (shared with sweep/phase-diagram/validate)."""
    p.add_argument("--learner", required=True, help=f"{learner_help(SOLVER_LEARNERS)}, or an alias")
    p.add_argument("--loss", default=None,
                   help="square, hinge, logistic, squared_hinge or huber (default square; not for bo)")
    p.add_argument("--loss-module", default=None, metavar="MODULE:FUNCTION",
                   help="a convex margin loss of your own, loss(y, z) in an importable module (replaces --loss)")
    p.add_argument("--lam", type=float, default=None, help="ridge λ >= 0 (default 0.1; 0 = the λ→0 limit; not for bo)")
    p.add_argument("--activation", default=None, help="sign, erf, tanh or relu (kernel, random features)")
    p.add_argument("--mu1", type=float, default=None, help="kernel/RF linear coefficient μ₁ (instead of --activation)")
    p.add_argument("--mu-star", type=float, default=None, help="kernel/RF coefficient μ⋆ (instead of --activation)")
    p.add_argument("--kappa", type=float, default=None, help="random features: κ = p/d > 0 (default 1)")
    p.add_argument("--spectrum", default=None, metavar="FILE.npy", help="gcm: eigenvalues of the input covariance")
    p.add_argument("--teacher-weights", default=None, metavar="FILE.npy",
                   help="gcm: squared teacher components in the covariance eigenbasis (default all ones)")


def custom_loss_from(spec: str):
    """``raf.CustomLoss`` of the function ``FUNCTION`` of the importable ``MODULE`` (``MODULE:FUNCTION``).

    The current directory is searched first, so a ``myloss.py`` next to the user works. Optional
    ``d<FUNCTION>``/``d2<FUNCTION>`` functions of the same module are used as derivatives.
    """
    import importlib

    from memtheory.solvers import raf

    module_name, sep, func_name = str(spec).partition(":")
    if not sep or not module_name or not func_name:
        raise ValueError(f"--loss-module must be MODULE:FUNCTION, got {spec!r}")
    if "" not in sys.path and "." not in sys.path:
        sys.path.insert(0, "")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(f"--loss-module: cannot import module {module_name!r} ({exc})") from exc
    fn = getattr(module, func_name, None)
    if not callable(fn):
        raise ValueError(f"--loss-module: module {module_name!r} has no function {func_name!r}")
    return raf.CustomLoss(fn, name=func_name, dloss=getattr(module, "d" + func_name, None),
                          d2loss=getattr(module, "d2" + func_name, None))


def loss_of(args):
    """The loss named by ``--loss``, or the ``CustomLoss`` of ``--loss-module`` if given."""
    spec = getattr(args, "loss_module", None)
    return args.loss if spec is None else custom_loss_from(spec)


def build_model(args):
    """Model object from parsed options; unknown names and options the learner does not use raise ``ValueError``."""
    from memtheory.solvers import raf

    learner = canonical("learner", args.learner, allowed=SOLVER_LEARNERS)
    check_model_options(learner, {k: getattr(args, k, None) for k in (
        "loss", "loss_module", "lam", "activation", "mu1", "mu_star", "kappa", "spectrum", "teacher_weights")})
    if learner == "bayes_optimal":
        return raf.BayesOptimal()
    args = argparse.Namespace(**{**vars(args), "loss": args.loss or "square",
                                 "lam": 0.1 if args.lam is None else args.lam})
    if learner == "gcm":
        from memtheory.commands.raf_gcm import gcm_model

        return gcm_model(args)
    coeffs = {}
    if args.mu1 is not None or args.mu_star is not None:
        coeffs = {"mu1": args.mu1, "mu_star": args.mu_star}
    loss = loss_of(args)
    if learner == "linear":
        return raf.Linear(loss=loss, lam=args.lam)
    if learner == "kernel":
        return raf.Kernel(loss=loss, lam=args.lam, activation=args.activation, **coeffs)
    act = args.activation if (args.activation or not coeffs) else None
    return raf.RandomFeatures(loss=loss, lam=args.lam, kappa=1.0 if args.kappa is None else args.kappa,
                              activation=act or ("sign" if not coeffs else None), **coeffs)


def _solve(args) -> int:
    from memtheory.core.checks import check_interval, check_positive
    from memtheory.core.jit import INTERPRETED, INTERPRETED_ARITHMETIC_ERRORS
    from memtheory.solvers import raf
    from memtheory.solvers.raf.solve import SingularPointError

    model = build_model(args)
    alpha = check_positive("alpha", args.alpha)
    epsilon = check_interval("epsilon", args.epsilon, 0.0, 1.0)
    try:
        res = raf.solve(model, alpha=alpha, epsilon=epsilon, tol=args.tol, warn=False)
        payload = res.as_dict()  # the Bayes-optimal error is solved here, on first access
    except SingularPointError:
        raise
    except INTERPRETED_ARITHMETIC_ERRORS:
        if not INTERPRETED:
            raise
        from memtheory.cli import RunCompiled

        raise RunCompiled from None
    print(dumps(payload, indent=None if (args.compact or args.json) else 2))
    if not res.converged:
        print(f"memtheory: warning: not converged ({res.message})", file=sys.stderr)
        return 1
    return 0


def _thresholds(args) -> int:
    from memtheory.solvers import raf

    out = {
        "epsilon": args.epsilon,
        "separability_threshold": raf.separability_threshold(args.epsilon, margin=args.margin),
        "kernel_compatibility_threshold": raf.kernel_compatibility_threshold(args.epsilon),
    }
    print(dumps(out, indent=None if args.json else 2))
    return 0


def _optimal_lambda(args) -> int:
    from memtheory.solvers import raf

    model = build_model(args)
    lam, res = raf.optimal_lambda(model, alpha=args.alpha, epsilon=args.epsilon, full_output=True)
    out = {"lam_opt": lam, "gen_error": res.gen_error, "mem_error": res.mem_error, "bayes_error": res.bayes_error}
    print(dumps(out, indent=None if args.json else 2))
    return 0


def register(subparsers) -> None:
    """Add the ``raf`` command group."""
    group = subparsers.add_parser("raf", help="Rules-and-Facts model: saddle points, sweeps, validation")
    group.set_defaults(uses_kernels=True)  # every raf command may run the numba solver kernels
    sub = group.add_subparsers(dest="raf_command", metavar="SUBCOMMAND")
    sub.required = True

    p = sub.add_parser("solve", help="solve one point and print a JSON object")
    add_model_arguments(p)
    p.add_argument("--alpha", type=float, required=True, help="sample ratio α = n/d > 0")
    p.add_argument("--epsilon", type=float, required=True, help="fraction of facts ε in [0, 1]")
    p.add_argument("--tol", type=float, default=1e-10, help="tolerance on the undamped residual (default 1e-10)")
    p.add_argument("--compact", action="store_true", help="print the JSON object on one line (same as --json)")
    add_json_flag(p)
    p.set_defaults(handler=_solve)

    p = sub.add_parser("thresholds", help="separability threshold α_c(ε) and kernel compatibility threshold")
    p.add_argument("--epsilon", type=float, required=True, help="fraction of facts ε in [0, 1]")
    p.add_argument("--margin", type=float, default=0.0, help="margin κ >= 0 (default 0)")
    add_json_flag(p)
    p.set_defaults(handler=_thresholds)

    p = sub.add_parser("optimal-lambda", help="λ minimizing the generalization error")
    add_model_arguments(p)
    p.add_argument("--alpha", type=float, required=True, help="sample ratio α = n/d > 0")
    p.add_argument("--epsilon", type=float, required=True, help="fraction of facts ε in [0, 1]")
    add_json_flag(p)
    p.set_defaults(handler=_optimal_lambda)

    for name in ("raf_validate", "raf_grid", "raf_real"):
        module = optional_command_module(name)
        if module is not None:
            module.register(sub)
