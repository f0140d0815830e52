"""Two-layer network with a trained first layer (docs/theory/raf.md §4 "Open question").

f(x) = Σ_j a_j σ(w_j·x/√d)/√width, both layers trained by full-batch gradient descent (``optimizer='gd'``)
or Adam (``'adam'``) on

    J = (1/n) [ Σ_μ ℓ(y_μ, f(x_μ)) + (λ/2)(‖W‖² + ‖a‖²) ],

i.e. weight decay λ acting as the ridge of the RAF objective (divided by n so that the learning rate
does not have to scale with n; the minimisers are those of Σ ℓ + (λ/2)‖θ‖²). The penalty is added to
the loss (L2), not decoupled, so that it is exactly a ridge also under Adam.

Initialisation: W_jk ~ N(0, 1) (pre-activations of order one) and a_j ~ N(0, init_scale²).

The objective is non-convex, so "converged" is a plateau test, stated here: the objective is finite
and its relative change over the last 10 % of the steps is at most ``rtol``.

PyTorch is imported lazily (optional extra ``neural``); the code runs on CUDA when available.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_choice
from memtheory.core.names import NN_ACTIVATIONS, canonical

__all__ = ["TwoLayerFit", "fit_two_layer", "NN_ACTIVATIONS", "default_device"]



@dataclass(frozen=True)
class TwoLayerFit:
    """Outputs of a trained network: training/test outputs, objective history, plateau flag, weights.

    ``W`` (width, d) and ``a`` (width,) are the trained weights: f(x) = a·σ(Wx/√d)/√width.
    """

    train_outputs: np.ndarray
    test_outputs: np.ndarray
    converged: bool
    objective: np.ndarray
    device: str
    W: np.ndarray
    a: np.ndarray


def _torch():
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError("the two_layer learner needs PyTorch: pip install 'memtheory[neural]'") from exc
    return torch


def default_device() -> str:
    """``cuda`` when available, else ``cpu``."""
    return "cuda" if _torch().cuda.is_available() else "cpu"


def fit_two_layer(X, y, X_test, *, loss, lam, width, steps, lr, optimizer="adam", activation="relu",
                  init_scale=1.0, seed=0, rtol=1e-2, device=None, threads=None, record_every=10) -> TwoLayerFit:
    """Train the network of the module docstring and return its outputs on ``X`` and ``X_test``.

    ``threads`` sets torch's intra-op CPU threads for this call (restored afterwards); on a busy
    machine 1 thread is several times faster than oversubscribed ones.
    """
    torch = _torch()
    if threads is None:
        return _fit(torch, X, y, X_test, loss, lam, width, steps, lr, optimizer, activation, init_scale, seed, rtol,
                    device, record_every)
    old = torch.get_num_threads()
    torch.set_num_threads(int(threads))
    try:
        return _fit(torch, X, y, X_test, loss, lam, width, steps, lr, optimizer, activation, init_scale, seed, rtol,
                    device, record_every)
    finally:
        torch.set_num_threads(old)


def _fit(torch, X, y, X_test, loss, lam, width, steps, lr, optimizer, activation, init_scale, seed, rtol, device,
         record_every):
    activation = canonical("activation", activation, allowed=NN_ACTIVATIONS)
    optimizer = check_choice("optimizer", optimizer, ("adam", "gd"))
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    gen = torch.Generator(device="cpu").manual_seed(int(seed))
    n, d = X.shape
    dt = torch.float32
    Xt = torch.as_tensor(X, dtype=dt, device=device) / np.sqrt(d)
    yt = torch.as_tensor(y, dtype=dt, device=device)
    W = torch.randn(width, d, generator=gen, dtype=dt).to(device).requires_grad_()
    a = (init_scale * torch.randn(width, generator=gen, dtype=dt)).to(device).requires_grad_()
    act = {"relu": torch.relu, "tanh": torch.tanh, "erf": torch.erf}[activation]
    scale = 1.0 / np.sqrt(width)

    def forward(Z):
        return act(Z @ W.T) @ a * scale

    def data_loss(f):
        if loss == "square":
            return 0.5 * (yt - f) ** 2
        if loss == "hinge":
            return torch.clamp(1.0 - yt * f, min=0.0)
        return torch.nn.functional.softplus(-yt * f)

    opt = (torch.optim.Adam if optimizer == "adam" else torch.optim.SGD)([W, a], lr=lr)
    history = []
    for step in range(steps):
        opt.zero_grad(set_to_none=True)
        obj = (data_loss(forward(Xt)).sum() + 0.5 * lam * ((W * W).sum() + (a * a).sum())) / n
        obj.backward()
        opt.step()
        if step % record_every == 0 or step == steps - 1:
            history.append(float(obj.detach()))
    history = np.asarray(history)
    with torch.no_grad():
        f_train = forward(Xt).cpu().numpy().astype(np.float64)
        f_test = forward(torch.as_tensor(X_test, dtype=dt, device=device) / np.sqrt(d)).cpu().numpy()
    tail = history[-max(2, len(history) // 10):]
    ok = bool(np.all(np.isfinite(history)) and abs(tail[0] - tail[-1]) <= rtol * max(abs(tail[-1]), 1e-12))
    if not ok:
        warnings.warn(
            f"two_layer: objective not on a plateau (relative change over the last 10% of steps "
            f"{abs(tail[0] - tail[-1]) / max(abs(tail[-1]), 1e-12):.3g} > rtol={rtol:g}); result flagged converged=False",
            RuntimeWarning,
            stacklevel=2,
        )
    return TwoLayerFit(f_train, f_test.astype(np.float64), ok, history, device,
                       W.detach().cpu().numpy().astype(np.float64), a.detach().cpu().numpy().astype(np.float64))
