"""A small noise-conditioned MLP score model trained by denoising score matching (``docs/theory/posterior_trained.md``).

Network: ε-prediction MLP. Input ``x_t`` (VP form) concatenated with a Fourier embedding of the noise
level ``c = log sigma_t``, ``sigma_t = sqrt((1 - abar_t) / abar_t)`` the VE bandwidth of step t (the
same reading as :class:`memtheory.solvers.posterior.DDPMSchedule`); a Linear to width ``hidden``;
``n_blocks`` residual blocks ``h + Lin(SiLU(Lin(SiLU(h))))``; a Linear back to ``d``. Conditioning on
``log sigma`` rather than the step index makes the score-error-vs-sigma comparison read directly.

Objective: the DDPM loss ``E ||eps - eps_theta(sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, t)||^2`` with
t uniform on the ``nt`` steps of a linear-beta schedule, whose minimiser over all functions, on N
examples, is the memorized (empirical) optimum. Adam with cosine decay, gradient clipping at 1,
float32. A fixed number of optimizer steps whatever N.

The trained object offers ``eps``, ``denoise`` (Tweedie), ``vjp`` (through the network) and ``linearize``
(both from one forward pass) on numpy float64 arrays, the interface of
:class:`memtheory.simulations.diffusion.TrainedDiffusion`, so :func:`memtheory.simulations.diffusion.ddpm_sample`
and the solvers' DPS and twisted-SMC drivers accept it unchanged.
torch is imported lazily.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["ScoreMLPConfig", "TrainedScoreMLP", "linear_alpha_bars", "train_score_mlp", "sample"]


@dataclass(frozen=True)
class ScoreMLPConfig:
    """Network, schedule and training settings.

    Attributes
    ----------
    hidden, n_blocks, n_freq : int
        Width, residual blocks, Fourier frequencies of the noise embedding (embedding size ``2 n_freq``).
    steps, batch : int
        Optimizer steps (the same for every N) and examples per step.
    lr, lr_final : float
        Adam learning rate, cosine-annealed to ``lr_final``.
    nt, beta_min, beta_max : int, float, float
        Linear-beta VP schedule.
    ema : float
        Decay of an exponential moving average of the weights, in [0, 1); 0 (the default) keeps the
        last iterate. With ``ema > 0`` the returned network carries the averaged weights
        ``theta_ema <- ema * theta_ema + (1 - ema) * theta`` (updated after every step).
    seed : int
    device : str
        torch device (``"cpu"`` or ``"cuda"``).
    threads : int
        torch CPU threads during training and sampling.
    """

    hidden: int = 256
    n_blocks: int = 3
    n_freq: int = 16
    steps: int = 3000
    batch: int = 256
    lr: float = 2e-3
    lr_final: float = 1e-5
    nt: int = 200
    beta_min: float = 1e-4
    beta_max: float = 0.05
    ema: float = 0.0
    seed: int = 0
    device: str = "cpu"
    threads: int = 1

    def __post_init__(self):
        for name in ("hidden", "n_blocks", "n_freq", "steps", "batch", "nt", "threads"):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
        if not (0 < self.beta_min <= self.beta_max < 1):
            raise ValueError(f"beta_min, beta_max must satisfy 0 < beta_min <= beta_max < 1, got {self.beta_min}, {self.beta_max}")
        if not 0.0 <= self.ema < 1.0:
            raise ValueError(f"ema must be in [0, 1), got {self.ema!r}")
        if not (self.lr > 0 and self.lr_final > 0):
            raise ValueError(f"lr and lr_final must be > 0, got {self.lr}, {self.lr_final}")


def linear_alpha_bars(nt: int, beta_min: float, beta_max: float) -> np.ndarray:
    """``abar_t = prod_{s <= t} (1 - beta_s)`` with ``beta`` linear from ``beta_min`` to ``beta_max``."""
    return np.cumprod(1.0 - np.linspace(beta_min, beta_max, nt))


class _threads:
    """Set torch's CPU thread count inside the block and restore it afterwards."""

    def __init__(self, n: int):
        self.n = n

    def __enter__(self):
        import torch

        self._old = torch.get_num_threads()
        torch.set_num_threads(self.n)

    def __exit__(self, *exc):
        import torch

        torch.set_num_threads(self._old)
        return False


def _build(d: int, cfg: ScoreMLPConfig):
    import torch
    from torch import nn

    class Block(nn.Module):
        def __init__(self, w):
            super().__init__()
            self.l1, self.l2 = nn.Linear(w, w), nn.Linear(w, w)

        def forward(self, h):
            return h + self.l2(nn.functional.silu(self.l1(nn.functional.silu(h))))

    class EpsMLP(nn.Module):
        def __init__(self):
            super().__init__()
            # Frequencies spread geometrically so that log sigma in about [-5, 5] is resolved at every scale.
            self.register_buffer("freqs", torch.exp(torch.linspace(math.log(0.1), math.log(30.0), cfg.n_freq)))
            self.inp = nn.Linear(d + 2 * cfg.n_freq, cfg.hidden)
            self.blocks = nn.Sequential(*[Block(cfg.hidden) for _ in range(cfg.n_blocks)])
            self.out = nn.Linear(cfg.hidden, d)

        def forward(self, x, log_sigma):
            ang = log_sigma[:, None] * self.freqs[None, :]
            h = self.inp(torch.cat([x, torch.sin(ang), torch.cos(ang)], dim=1))
            return self.out(nn.functional.silu(self.blocks(h)))

    return EpsMLP()


@dataclass(frozen=True, eq=False)
class TrainedScoreMLP:
    """A trained ε-network with its schedule; ``losses`` holds the mean loss of every 50 steps."""

    model: object
    config: ScoreMLPConfig
    alpha_bars: np.ndarray
    losses: np.ndarray
    n_train: int

    @property
    def log_sigmas(self) -> np.ndarray:
        """``log sigma_t`` of every step (the network's noise input)."""
        return 0.5 * np.log((1.0 - self.alpha_bars) / self.alpha_bars)

    def _inputs(self, x, t):
        import torch

        xt = torch.as_tensor(np.asarray(x, dtype=np.float32), device=self.config.device)
        ls = torch.full((xt.shape[0],), float(self.log_sigmas[t]), dtype=torch.float32, device=self.config.device)
        return xt, ls

    def eps(self, x: np.ndarray, t: int) -> np.ndarray:
        """Noise prediction at step ``t`` for points ``x`` (B, d), float64."""
        import torch

        with torch.no_grad(), _threads(self.config.threads):
            return self.model(*self._inputs(x, t)).double().cpu().numpy()

    def score(self, x: np.ndarray, t: int) -> np.ndarray:
        """Score of the VP marginal, ``-eps_theta / sqrt(1 - abar_t)``."""
        return -self.eps(x, t) / math.sqrt(1.0 - float(self.alpha_bars[t]))

    def denoise(self, x: np.ndarray, t: int) -> np.ndarray:
        """Tweedie estimate ``x0_hat = (x - sqrt(1 - abar) eps_theta) / sqrt(abar)``."""
        ab = float(self.alpha_bars[t])
        return (np.asarray(x, dtype=np.float64) - math.sqrt(1.0 - ab) * self.eps(x, t)) / math.sqrt(ab)

    def vjp(self, x: np.ndarray, t: int, v: np.ndarray) -> np.ndarray:
        """``(d x0_hat / d x)^T v`` by autograd through the network (DPS as in Chung et al.)."""
        import torch

        ab = float(self.alpha_bars[t])
        with _threads(self.config.threads):
            xt, ls = self._inputs(x, t)
            xt.requires_grad_(True)
            x0 = (xt - math.sqrt(1.0 - ab) * self.model(xt, ls)) / math.sqrt(ab)
            vv = torch.as_tensor(np.asarray(v, dtype=np.float32), device=self.config.device)
            (g,) = torch.autograd.grad(x0, xt, grad_outputs=vv)
        return g.double().cpu().numpy()

    def linearize(self, x: np.ndarray, t: int):
        """``(x0_hat, v -> (d x0_hat / dx)^T v)`` from one forward pass (the graph is kept for repeated products)."""
        import torch

        ab = float(self.alpha_bars[t])
        with _threads(self.config.threads), torch.enable_grad():
            xt, ls = self._inputs(x, t)
            xt.requires_grad_(True)
            e = self.model(xt, ls)
            x0 = (xt - math.sqrt(1.0 - ab) * e) / math.sqrt(ab)
        # the value in float64, as denoise() computes it; the graph only serves the products
        x0_np = (np.asarray(x, dtype=np.float64) - math.sqrt(1.0 - ab) * e.detach().double().cpu().numpy()) / math.sqrt(ab)

        def vjp(v: np.ndarray) -> np.ndarray:
            with _threads(self.config.threads):
                vv = torch.as_tensor(np.asarray(v, dtype=np.float32), device=self.config.device)
                (g,) = torch.autograd.grad(x0, xt, grad_outputs=vv, retain_graph=True)
            return g.double().cpu().numpy()

        return x0_np, vjp


def train_score_mlp(x_train, config: ScoreMLPConfig | None = None,
                    on_progress: Callable[[int], None] | None = None) -> TrainedScoreMLP:
    """Train the ε-MLP on ``x_train`` (N, d) with the DDPM loss (see the module docstring).

    Parameters
    ----------
    x_train : array_like, shape (N, d)
        Finite training images.
    config : ScoreMLPConfig
    on_progress : callable, optional
        Called with the number of steps done since its previous call (every 50 steps and at the end).
    """
    cfg = config or ScoreMLPConfig()
    X = np.asarray(x_train, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1 or not np.all(np.isfinite(X)):
        raise ValueError(f"x_train must be a finite (N, d) array with N, d >= 1, got shape {X.shape}")
    with _threads(cfg.threads):
        return _train(X, cfg, on_progress)


def _train(X: np.ndarray, cfg: ScoreMLPConfig, on_progress) -> TrainedScoreMLP:
    import torch

    dev = cfg.device
    torch.manual_seed(cfg.seed)
    gen = torch.Generator(device="cpu").manual_seed(cfg.seed)
    model = _build(X.shape[1], cfg).to(dev)
    alpha_bars = linear_alpha_bars(cfg.nt, cfg.beta_min, cfg.beta_max)
    ab = torch.as_tensor(alpha_bars, dtype=torch.float32, device=dev)
    log_sig = 0.5 * torch.log((1 - ab) / ab)
    data = torch.as_tensor(X, dtype=torch.float32, device=dev)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg.steps, eta_min=cfg.lr_final)
    ema = [p.detach().clone() for p in model.parameters()] if cfg.ema > 0 else None
    chunk, losses, acc = 50, [], torch.zeros((), device=dev)
    for step in range(cfg.steps):
        idx = torch.randint(0, X.shape[0], (cfg.batch,), generator=gen).to(dev)
        t = torch.randint(0, cfg.nt, (cfg.batch,), generator=gen).to(dev)
        eps = torch.randn(cfg.batch, X.shape[1], generator=gen).to(dev)
        a = ab[t][:, None]
        xt = a.sqrt() * data[idx] + (1 - a).sqrt() * eps
        loss = ((model(xt, log_sig[t]) - eps) ** 2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if ema is not None:
            with torch.no_grad():
                for e, p in zip(ema, model.parameters()):
                    e.lerp_(p, 1.0 - cfg.ema)
        acc += loss.detach()
        if (step + 1) % chunk == 0 or step + 1 == cfg.steps:
            n_done = (step % chunk) + 1
            losses.append(float(acc) / n_done)
            acc.zero_()
            if on_progress is not None:
                on_progress(n_done)
    model.eval()
    if ema is not None:
        with torch.no_grad():
            for p, q in zip(model.parameters(), ema):
                p.copy_(q)
    for p in model.parameters():
        p.requires_grad_(False)
    return TrainedScoreMLP(model=model, config=cfg, alpha_bars=alpha_bars, losses=np.asarray(losses),
                           n_train=int(X.shape[0]))


def sample(trained: TrainedScoreMLP, n: int, seed: int = 0) -> np.ndarray:
    """``n`` unconditional samples (ancestral DDPM over all steps, ending at the ``t = 0`` Tweedie estimate)."""
    from memtheory.simulations.diffusion import ddpm_sample

    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    return ddpm_sample(trained, int(n), seed=seed)
