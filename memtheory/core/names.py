"""The one registry of names: learners, losses, activations, kernels and their aliases.

The CLI, the studies, the simulations, the solvers and the tests all spell a learner or a loss through
:func:`canonical`, so ``random-features``, ``random_features``, ``RF`` and ``rf`` mean the same learner
in every command and every function. Canonical names are lower case with underscores; matching
ignores case and treats ``-`` like ``_``; an alias maps to its canonical name.

Each layer says which of the names it implements (``allowed=``): the solvers have no ``two_layer``
learner, the simulations no ``bayes_optimal`` one, and the error message lists what the caller
accepts. Adding a built-in loss means adding its name to :data:`LOSSES` (and its channel file under
``solvers/raf/channels/``); a test checks that every layer's tables agree with this module.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "LEARNERS",
    "SOLVER_LEARNERS",
    "SIMULATION_LEARNERS",
    "LOSSES",
    "ACTIVATIONS",
    "NN_ACTIVATIONS",
    "KERNELS",
    "ALIASES",
    "KINDS",
    "canonical",
    "short_learner",
    "learner_help",
]

LEARNERS = ("linear", "kernel", "random_features", "bayes_optimal", "gcm", "two_layer")
# What each layer implements: the saddle point has no finite network, the simulations no posterior mean.
SOLVER_LEARNERS = ("linear", "kernel", "random_features", "bayes_optimal", "gcm")
SIMULATION_LEARNERS = ("linear", "kernel", "random_features", "two_layer")

LOSSES = ("square", "hinge", "logistic", "squared_hinge", "huber")
# Activations whose Hermite coefficients (μ₀, μ₁, μ⋆) the solvers know and the simulations draw features of.
ACTIVATIONS = ("sign", "erf", "tanh", "relu")
# Activations of the trained two-layer network.
NN_ACTIVATIONS = ("relu", "tanh", "erf")
# Dot-product kernels of the simulated kernel learners (``sign`` and ``arcsine`` are the same kernel).
KERNELS = ("sign", "arcsine", "erf", "tanh", "relu", "rbf", "linear")

ALIASES: dict[str, dict[str, str]] = {
    "learner": {
        "perceptron": "linear",
        "gaussian_covariate": "gcm",
        "rf": "random_features",
        "randomfeatures": "random_features",
        "bo": "bayes_optimal",
        "bayes": "bayes_optimal",
        "bayesoptimal": "bayes_optimal",
        "nn": "two_layer",
        "twolayer": "two_layer",
    },
    "loss": {},
    "activation": {},
    "kernel": {},
}
KINDS: dict[str, tuple[str, ...]] = {
    "learner": LEARNERS,
    "loss": LOSSES,
    "activation": ACTIVATIONS,
    "kernel": KERNELS,
}
# Short labels of the figure data and the producer specs (``"rf:2"``, ``"bo"``).
_SHORT = {"random_features": "rf", "bayes_optimal": "bo"}


def canonical(kind: str, name, allowed: Iterable[str] | None = None) -> str:
    """Canonical spelling of a ``kind`` name (``learner``, ``loss``, ``activation``, ``kernel``).

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    name : str
        The name or an alias, in any case, with ``-`` or ``_``.
    allowed : iterable of str, optional
        Canonical names the caller implements; default every name of that kind.

    Raises
    ------
    ValueError
        For a non-string or unknown name, or one the caller does not implement; the message names
        the parameter and lists the allowed names.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of name {kind!r}; allowed: {', '.join(KINDS)}")
    allowed = KINDS[kind] if allowed is None else tuple(allowed)
    if isinstance(name, str):
        key = name.strip().lower().replace("-", "_")
        key = ALIASES[kind].get(key, ALIASES[kind].get(key.replace("_", ""), key))
        if key in allowed:
            return key
    raise ValueError(f"unknown {kind} {name!r}; allowed: {', '.join(allowed)}")


def short_learner(name: str) -> str:
    """The short label of a learner (``rf``, ``bo``; others are their own label)."""
    name = canonical("learner", name)
    return _SHORT.get(name, name)


def learner_help(allowed: Iterable[str] = LEARNERS) -> str:
    """``"linear, kernel, random_features (rf), ..."`` for a command's ``--learner`` help."""
    return ", ".join(f"{n} ({_SHORT[n]})" if n in _SHORT else n for n in allowed)
