"""Hinge loss ``ℓ(y, z) = max(0, 1 − yz)`` (docs/theory/raf.md, hinge loss).

Everything of this loss: the table of its margin loss (read by ``python -m memtheory.theory.generate``,
which derives the prox, the kinks ``yω = 1 − V`` and ``1`` and the channel kernel into
``_generated/hinge.py``) and its registry record. Its λ → 0 limit below the separability threshold is
the max-margin SVM (``limits.py``).
"""

from memtheory.solvers.raf.channels._generated import hinge as _gen
from memtheory.solvers.raf.channels._generated.hinge import hinge_conjugates, hinge_jacobian  # noqa: F401  (dispatch)
from memtheory.solvers.raf.channels.base import OutputChannel

MARGIN_LOSS = (("-oo", "1", "1 - z"), ("1", "oo", "0"))
KERNELS = ("hinge",)
JACOBIANS = ("hinge",)

CHANNEL = OutputChannel.from_generated("hinge", _gen)
