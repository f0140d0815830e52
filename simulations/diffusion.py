"""A small PyTorch diffusion model trained until it memorizes its N examples, and DPS with it.

MLP ε-prediction denoiser with a sinusoidal time embedding and residual (Linear + LayerNorm + GELU)
blocks, trained with the DDPM loss on the linear-β schedule of docs/theory/posterior.md §1. torch is imported lazily
inside the functions, so importing this module never needs torch. It never imports the solvers: the
comparisons with the exact memorized denoiser and the closed-form posterior live in
:mod:`memtheory.studies.diffusion`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "DiffusionConfig",
    "TrainedDiffusion",
    "train_memorizing_denoiser",
    "ddpm_sample",
    "dps_sample_learned",
]


@dataclass(frozen=True)
class DiffusionConfig:
    """Network and training settings (defaults are test-sized; docs/theory/posterior.md §5 used 2048 wide, 12 blocks, 50k steps).

    Attributes
    ----------
    hidden, n_blocks, t_embed : int
        MLP width, residual blocks, time-embedding size.
    steps : int
        Optimizer steps.
    batch : int
        Examples per step (each gets a random time and noise).
    lr, lr_final : float
        Adam learning rate, cosine-annealed to ``lr_final``.
    nt, beta_min, beta_max : DDPM schedule (docs/theory/posterior.md §1).
    seed : int
    """

    hidden: int = 128
    n_blocks: int = 2
    t_embed: int = 32
    steps: int = 2000
    batch: int = 256
    lr: float = 2e-3
    lr_final: float = 1e-4
    nt: int = 200
    beta_min: float = 1e-4
    beta_max: float = 0.02
    seed: int = 0

    def __post_init__(self):
        for name in ("hidden", "n_blocks", "t_embed", "steps", "batch", "nt"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)!r}")
        if not (0 < self.beta_min <= self.beta_max < 1):
            raise ValueError("beta_min, beta_max must satisfy 0 < beta_min <= beta_max < 1")
        if not (self.lr > 0 and self.lr_final > 0):
            raise ValueError("lr and lr_final must be > 0")


class _single_thread:
    """Run torch on one thread inside the block: for these tiny networks thread hand-off costs more
    than it saves, badly so on a shared machine. The previous setting is restored on exit."""

    def __enter__(self):
        import torch

        self._n = torch.get_num_threads()
        torch.set_num_threads(1)

    def __exit__(self, *exc):
        import torch

        torch.set_num_threads(self._n)
        return False


def _alpha_bars(cfg: DiffusionConfig) -> np.ndarray:
    return np.cumprod(1.0 - np.linspace(cfg.beta_min, cfg.beta_max, cfg.nt))


def _build_model(d: int, cfg: DiffusionConfig):
    import torch
    from torch import nn

    class Block(nn.Module):
        def __init__(self, w):
            super().__init__()
            self.lin = nn.Linear(w, w)
            self.norm = nn.LayerNorm(w)

        def forward(self, h):
            return h + nn.functional.gelu(self.norm(self.lin(h)))

    class EpsMLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.inp = nn.Linear(d + cfg.t_embed, cfg.hidden)
            self.blocks = nn.Sequential(*[Block(cfg.hidden) for _ in range(cfg.n_blocks)])
            self.out = nn.Linear(cfg.hidden, d)
            half = cfg.t_embed // 2
            self.register_buffer("freqs", torch.exp(-math.log(1000.0) * torch.arange(half, dtype=torch.float64) / max(half, 1)))

        def forward(self, x, t):
            ang = t[:, None].to(x.dtype) * self.freqs[None, :].to(x.dtype)
            emb = torch.cat([torch.sin(ang), torch.cos(ang)], dim=1)
            if emb.shape[1] < cfg.t_embed:
                emb = torch.cat([emb, torch.zeros(x.shape[0], cfg.t_embed - emb.shape[1], dtype=x.dtype)], dim=1)
            return self.out(self.blocks(self.inp(torch.cat([x, emb], dim=1))))

    return EpsMLP().double()


@dataclass(frozen=True, eq=False)
class TrainedDiffusion:
    """A trained ε-network with its schedule; ``losses`` is the training loss per step."""

    model: object
    config: DiffusionConfig
    alpha_bars: np.ndarray
    losses: np.ndarray

    def eps(self, x: np.ndarray, t: int) -> np.ndarray:
        """Network noise prediction at step ``t`` for points ``x`` (B, d)."""
        import torch

        with torch.no_grad():
            xt = torch.as_tensor(np.asarray(x, dtype=np.float64))
            tt = torch.full((xt.shape[0],), float(t), dtype=torch.float64)
            return self.model(xt, tt).numpy()

    def denoise(self, x: np.ndarray, t: int) -> np.ndarray:
        """Tweedie estimate ``x0_hat = (x - sqrt(1 - abar) eps) / sqrt(abar)`` (docs/theory/posterior.md §5)."""
        ab = float(self.alpha_bars[t])
        return (np.asarray(x) - math.sqrt(1.0 - ab) * self.eps(x, t)) / math.sqrt(ab)

    def vjp(self, x: np.ndarray, t: int, v: np.ndarray) -> np.ndarray:
        """``(∂x0_hat/∂x)^T v`` by autograd through the network (official DPS)."""
        import torch

        ab = float(self.alpha_bars[t])
        xt = torch.as_tensor(np.asarray(x, dtype=np.float64)).requires_grad_(True)
        tt = torch.full((xt.shape[0],), float(t), dtype=torch.float64)
        x0 = (xt - math.sqrt(1.0 - ab) * self.model(xt, tt)) / math.sqrt(ab)
        (g,) = torch.autograd.grad(x0, xt, grad_outputs=torch.as_tensor(np.asarray(v, dtype=np.float64)))
        return g.numpy()


def train_memorizing_denoiser(x_train, config: DiffusionConfig | None = None) -> TrainedDiffusion:
    """Train the ε-MLP with the DDPM loss ``E ||eps - eps_theta(sqrt(abar) x0 + sqrt(1-abar) eps, t)||^2`` (docs/theory/posterior.md §1, §5).

    Parameters
    ----------
    x_train : array_like, shape (N, d)
        The examples; with enough steps the minimiser is the memorized (empirical) optimum of docs/theory/posterior.md §1.
    config : DiffusionConfig
    """
    import torch

    cfg = config or DiffusionConfig()
    X = np.asarray(x_train, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 1 or not np.all(np.isfinite(X)):
        raise ValueError(f"x_train must be a finite (N, d) array, got shape {X.shape}")
    with _single_thread():
        return _train(X, cfg)


def _train(X: np.ndarray, cfg: DiffusionConfig) -> TrainedDiffusion:
    import torch

    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    model = _build_model(X.shape[1], cfg)
    ab = torch.as_tensor(_alpha_bars(cfg))
    data = torch.as_tensor(X)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg.steps, eta_min=cfg.lr_final)
    losses = np.empty(cfg.steps)
    for step in range(cfg.steps):
        idx = torch.randint(0, X.shape[0], (cfg.batch,), generator=gen)
        t = torch.randint(0, cfg.nt, (cfg.batch,), generator=gen)
        eps = torch.randn(cfg.batch, X.shape[1], generator=gen, dtype=torch.float64)
        a = ab[t][:, None]
        xt = a.sqrt() * data[idx] + (1 - a).sqrt() * eps
        loss = ((model(xt, t.to(torch.float64)) - eps) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        losses[step] = float(loss.detach())
    model.eval()
    return TrainedDiffusion(model=model, config=cfg, alpha_bars=_alpha_bars(cfg), losses=losses)


def _reverse(denoiser, alpha_bars: np.ndarray, x: np.ndarray, rng: np.random.Generator, guidance=None) -> np.ndarray:
    """Ancestral DDPM reverse pass (docs/theory/posterior.md §5) with an optional guidance callback ``(x, x0, t) -> dx``."""
    alphas = np.concatenate([[alpha_bars[0]], alpha_bars[1:] / alpha_bars[:-1]])
    betas = 1.0 - alphas
    for i in range(alpha_bars.size - 1, -1, -1):
        x0 = denoiser.denoise(x, i)
        ab, ab_prev = alpha_bars[i], (alpha_bars[i - 1] if i > 0 else 1.0)
        x_new = (np.sqrt(alphas[i]) * (1 - ab_prev) / (1 - ab)) * x + (np.sqrt(ab_prev) * betas[i] / (1 - ab)) * x0
        if i > 0:
            x_new += np.sqrt(betas[i] * (1 - ab_prev) / (1 - ab)) * rng.standard_normal(x.shape)
        if guidance is not None:
            x_new -= guidance(x, x0, i)
        x = x_new
    return x


def ddpm_sample(trained: TrainedDiffusion, n: int, seed: int = 0) -> np.ndarray:
    """Unconditional samples from the learned reverse process, shape (n, d)."""
    rng = np.random.default_rng(seed)
    d = trained.model.out.out_features
    with _single_thread():
        return _reverse(trained, trained.alpha_bars, rng.standard_normal((n, d)), rng)


def dps_sample_learned(trained: TrainedDiffusion, misfit_gradient, n: int, step: float = 0.02,
                       through_network: bool = True, seed: int = 0) -> np.ndarray:
    """DPS (docs/theory/posterior.md §5) with the learned denoiser: ``x -= zeta grad_x ||y - F(x0_hat(x))||``.

    ``misfit_gradient(x0) -> (1/2 ||r||^2, grad)``; the gradient reaches ``x`` by autograd through the
    network (``through_network``) or through ``1/sqrt(abar)`` only.
    """
    if step <= 0:
        raise ValueError(f"step must be > 0, got {step!r}")
    rng = np.random.default_rng(seed)
    d = trained.model.out.out_features

    def guidance(x, x0, i):
        phis, grads = zip(*(misfit_gradient(row) for row in x0))
        g0 = np.asarray(grads)
        norm_r = np.sqrt(np.maximum(2.0 * np.asarray(phis), 1e-300))[:, None]
        g = trained.vjp(x, i, g0) if through_network else g0 / np.sqrt(trained.alpha_bars[i])
        return step * g / norm_r

    with _single_thread():
        return _reverse(trained, trained.alpha_bars, rng.standard_normal((n, d)), rng, guidance)
