"""The λ → 0 output channels below the interpolation threshold (docs/theory/losses.md, zero-loss set).

In the rescaled variables ``Ṽ = λV`` the loss becomes a hard constraint on the training outputs: the
min-norm interpolator ``yz = 1`` (losses vanishing only at ``z = 1``: square, Huber) or the max-margin
SVM ``yz ≥ 1`` (losses vanishing on ``z ≥ 1``: hinge, squared hinge). Generated from theory/channels.py;
a loss module names the one it uses through the zero set of its ``MARGIN_LOSS``.
"""

from memtheory.solvers.raf.channels._generated.limits import (  # noqa: F401  (dispatch)
    hinge_max_margin_conjugates,
    hinge_max_margin_jacobian,
    square_interpolating_conjugates,
    square_interpolating_jacobian,
)

KERNELS = ("square_interpolating", "hinge_max_margin")
JACOBIANS = ("square_interpolating", "hinge_max_margin")
