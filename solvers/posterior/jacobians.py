"""Jacobians of a forward operator: explicit, central finite differences, or torch autograd.

Every returned callable maps one point ``x`` of shape (d,) to ``J(x)`` of shape (m, d). torch is
imported only when an autograd Jacobian is requested.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from memtheory.core.checks import check_positive

__all__ = ["fd_jacobian", "autograd_jacobian", "resolve_jacobian", "as_numpy_forward"]


def fd_jacobian(forward: Callable, step: float = 1e-6) -> Callable:
    """Central finite-difference Jacobian, column ``j = (F(x + h e_j) - F(x - h e_j)) / (2 h)``.

    The step is scaled by ``max(1, |x_j|)`` so that the truncation/round-off balance (error
    ``O(h^2) + O(eps/h)``) holds for large coordinates too.

    See docs/theory/posterior.md §3.

    Parameters
    ----------
    forward : callable
        ``F(x) -> (m,)`` for ``x`` of shape ``(d,)``.
    step : float
        Step ``h``, scaled by ``max(1, |x_j|)`` per coordinate.

    Returns
    -------
    callable
        ``J(x) -> (m, d)``.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> jac = posterior.fd_jacobian(lambda x: np.array([x[0] * x[1], x[0] ** 2]))
    >>> jac(np.array([1.0, 2.0])).round(6)
    array([[2., 1.],
       [2., 0.]])
    """
    h0 = check_positive("step", step)

    def jac(x):
        x = np.asarray(x, dtype=np.float64)
        cols = []
        for j in range(x.size):
            h = h0 * max(1.0, abs(x[j]))
            e = np.zeros_like(x)
            e[j] = h
            cols.append((np.asarray(forward(x + e), dtype=np.float64) - np.asarray(forward(x - e), dtype=np.float64)) / (2 * h))
        return np.stack(cols, axis=-1)

    return jac


def as_numpy_forward(torch_forward: Callable) -> Callable:
    """Wrap a torch function ``F(x: Tensor) -> Tensor`` as a float64 numpy function."""

    def fwd(x):
        import torch

        with torch.no_grad():
            return torch_forward(torch.as_tensor(np.asarray(x, dtype=np.float64))).detach().cpu().numpy()

    return fwd


def autograd_jacobian(torch_forward: Callable) -> Callable:
    """Jacobian of a torch function by reverse-mode autograd (``torch.func.jacrev``), in float64.

    See docs/theory/posterior.md §3.

    Parameters
    ----------
    torch_forward : callable
        ``F(x) -> (m,)`` written with torch operations.

    Returns
    -------
    callable
        ``J(x) -> (m, d)`` as a float64 numpy array (takes numpy input).

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> # needs torch (the optional ``neural`` extra); importing it takes seconds
    >>> jac = posterior.autograd_jacobian(lambda x: x ** 2)  # doctest: +SKIP
    >>> jac(np.array([1.0, 2.0]))  # doctest: +SKIP
    array([[2., 0.],
           [0., 4.]])
    """

    def jac(x):
        import torch

        t = torch.as_tensor(np.asarray(x, dtype=np.float64))
        return torch.func.jacrev(torch_forward)(t).detach().cpu().numpy()

    return jac


def resolve_jacobian(forward: Callable, jacobian) -> tuple[Callable, Callable]:
    """Turn ``(forward, jacobian)`` into numpy callables.

    Parameters
    ----------
    forward : callable
        ``F(x) -> (m,)`` on numpy arrays, or a torch function when ``jacobian == "autograd"``.
    jacobian : callable or {"fd", "autograd"}
        Explicit Jacobian, central finite differences, or torch autograd.
    """
    if not callable(forward):
        raise ValueError("forward must be callable")
    if callable(jacobian):
        return forward, jacobian
    if jacobian == "fd":
        return forward, fd_jacobian(forward)
    if jacobian == "autograd":
        return as_numpy_forward(forward), autograd_jacobian(forward)
    raise ValueError(f"jacobian must be a callable, 'fd' or 'autograd', got {jacobian!r}")
