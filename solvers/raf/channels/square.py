"""Square loss ``ℓ(y, z) = (y − z)²/2 = (1 − yz)²/2`` (docs/theory/raf.md, square loss).

Everything of this loss: the table of its margin loss (read by ``python -m memtheory.theory.generate``,
which derives the prox, the kinks and the channel kernel into ``_generated/square.py``) and its
registry record. Its λ → 0 limit below α = 1 is the min-norm interpolator (``limits.py``).
"""

from memtheory.solvers.raf.channels._generated import square as _gen
from memtheory.solvers.raf.channels._generated.square import square_conjugates, square_jacobian  # noqa: F401  (dispatch)
from memtheory.solvers.raf.channels.base import OutputChannel

MARGIN_LOSS = (("-oo", "oo", "(1 - z)**2/2"),)
KERNELS = ("square",)
JACOBIANS = ("square",)

CHANNEL = OutputChannel.from_generated("square", _gen)
