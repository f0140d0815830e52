"""Output channels of the RAF model: one module per loss, each carrying the ε-mixture of rule and facts.

Facts change only the output channel (docs/theory/raf.md): every channel kernel evaluates its Gaussian
integrals under the mixture weight ``ε + 2(1−ε)Φ(kξ)``, and nothing else in the solver knows about ε.

One module per loss holds everything of that loss and its registry record ``CHANNEL``
(:class:`~memtheory.solvers.raf.channels.base.OutputChannel`): ``square``, ``hinge``, ``squared_hinge``
and ``huber`` declare their margin loss as a table of polynomial pieces, from which
``python -m memtheory.theory.generate`` derives the channel kernel, prox, loss value and kinks into
``_generated/<loss>.py``; ``logistic`` is hand-written (its prox has no closed form). ``limits`` holds
the λ → 0 channels, ``bayes`` the Bayes-optimal one, and ``custom`` the user-supplied losses
(:class:`~memtheory.solvers.raf.channels.custom.CustomLoss`). The integer-id dispatch
:func:`channel_conjugates` is generated from the ``KERNELS`` the modules declare, and :data:`CHANNELS`
is collected from their records: adding a built-in loss is one new module plus a run of the generator.
"""

from __future__ import annotations

import importlib

from memtheory.solvers.raf.channels._generated import dispatch as _dispatch
from memtheory.solvers.raf.channels._generated.dispatch import (
    KERNEL_NAMES,
    channel_conjugates,
    channel_has_jacobian,
    channel_jacobian,
)
from memtheory.solvers.raf.channels.base import OutputChannel

__all__ = ["CHANNELS", "KERNEL_NAMES", "OutputChannel", "channel_conjugates", "channel_jacobian", "channel_has_jacobian",
           "channel_of"] + [k.upper() for k in KERNEL_NAMES]

globals().update({k.upper(): getattr(_dispatch, k.upper()) for k in KERNEL_NAMES})


def _collect() -> dict[str, OutputChannel]:
    found = {}
    for module in _dispatch.CHANNEL_MODULES:
        record = getattr(importlib.import_module(f"{__name__}.{module}"), "CHANNEL", None)
        if record is not None:
            found[record.name] = record
    return dict(sorted(found.items()))


CHANNELS: dict[str, OutputChannel] = _collect()
"""Loss name → record, one per loss module (sorted by name)."""


def channel_of(loss) -> OutputChannel:
    """The record of a loss name or of a :class:`~memtheory.solvers.raf.channels.custom.CustomLoss`."""
    record = getattr(loss, "channel", None)
    return record if record is not None else CHANNELS[loss]
