"""Training one learner on one fact stream for an exposure budget (docs/theory/capacity.md §4 steps 3–5). Needs PyTorch.

One *exposure* is one training example (one occurrence of one fact); the budget is the number of
examples actually trained on, so pruned examples cost nothing (docs/theory/capacity.md §4, data pruning).
Optimiser: Adam with a cosine learning-rate decay to ``lr_final_ratio``·lr.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from memtheory.core.checks import check_int, check_number
from .datasets import FactData, FactStream
from .metrics import fact_metrics
from .selection import SelectionConfig, select_facts

__all__ = ["ModelConfig", "RunResult", "TrainConfig", "evaluate", "train"]


@dataclass(frozen=True)
class ModelConfig:
    """MLP shape (see :func:`memtheory.simulations.facts.models.build_mlp`)."""

    key_dim: int = 32
    width: int = 64
    depth: int = 2


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation and evaluation schedule.

    Attributes
    ----------
    exposures : int
        Budget of training examples.
    batch : int
        Examples per step.
    lr, lr_final_ratio : float
        Adam learning rate and the cosine floor as a fraction of it.
    n_evals : int
        Evaluation points along training (the last one is the end of training).
    device : str
        ``"cpu"`` or ``"cuda"``.
    threads : int
        ``torch.set_num_threads`` (1 for timing on shared machines).
    """

    exposures: int = 1_000_000
    batch: int = 512
    lr: float = 3e-3
    lr_final_ratio: float = 0.1
    n_evals: int = 10
    device: str = "cpu"
    threads: int = 1

    def __post_init__(self):
        check_int("exposures", self.exposures, lo=1)
        check_int("batch", self.batch, lo=1)
        check_number("lr", self.lr, lo=0.0, lo_open=True)
        check_number("lr_final_ratio", self.lr_final_ratio, lo=0.0, hi=1.0)
        check_int("n_evals", self.n_evals, lo=1)


@dataclass(frozen=True)
class RunResult:
    """History and final metrics of one training run.

    ``history`` maps each metric of :func:`~simulations.facts.metrics.fact_metrics` (plus
    ``exposures`` and ``n_selected``) to an array over the evaluation points.
    """

    params: int
    final: dict
    history: dict = field(default_factory=dict)


def evaluate(model, keys, values, chunk: int = 65536):
    """Per-fact greedy correctness and cross-entropy (nats) over all facts, in chunks."""
    import torch
    import torch.nn.functional as F

    correct, losses = [], []
    with torch.no_grad():
        for start in range(0, keys.shape[0], chunk):
            logits = model(keys[start:start + chunk])
            v = values[start:start + chunk]
            losses.append(F.cross_entropy(logits, v, reduction="none"))
            correct.append(logits.argmax(dim=1) == v)
    return torch.cat(correct).cpu().numpy(), torch.cat(losses).double().cpu().numpy()


def train(data: FactData, model_cfg: ModelConfig = ModelConfig(), train_cfg: TrainConfig = TrainConfig(),
          selection: SelectionConfig | None = None, keep_facts: int | None = None, seed: int = 0) -> RunResult:
    """Train an MLP on ``data`` for ``train_cfg.exposures`` examples, optionally with selection.

    Parameters
    ----------
    data : FactData
        The facts and their frequencies.
    model_cfg, train_cfg : ModelConfig, TrainConfig
    selection : SelectionConfig, optional
        Loss-based selection (docs/theory/capacity.md §4); ``None`` is standard training.
    keep_facts : int, optional
        Number of facts the limit side keeps when ``selection.keep_facts`` is ``None``.
    seed : int
        Seeds torch (initialisation) and the stream.
    """
    import torch
    import torch.nn.functional as F

    from .models import build_mlp, count_parameters

    torch.set_num_threads(train_cfg.threads)
    torch.manual_seed(seed)
    dev = torch.device(train_cfg.device)
    model = build_mlp(model_cfg.key_dim, data.n_values, model_cfg.width, model_cfg.depth).to(dev)
    params = count_parameters(model)
    keys = torch.from_numpy(data.keys).to(dev)
    values = torch.from_numpy(data.values).to(dev)
    stream = FactStream(data.probs, seed=seed + 1)

    steps = max(1, train_cfg.exposures // train_cfg.batch)
    opt = torch.optim.Adam(model.parameters(), lr=train_cfg.lr)
    floor = train_cfg.lr_final_ratio
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: floor + (1.0 - floor) * 0.5 * (1.0 + math.cos(math.pi * min(s, steps) / steps)))
    eval_steps = set(np.unique(np.linspace(steps / train_cfg.n_evals, steps, train_cfg.n_evals).round().astype(int)))

    keep = None
    if selection is not None:
        keep = selection.keep_facts if selection.keep_facts is not None else keep_facts
        if selection.limit and keep is None:
            raise ValueError("keep_facts must be given when selection.limit is on and selection.keep_facts is None")
        warm = int(round(selection.warmup * steps))
        every = max(1, int(round(selection.interval * steps)))
    n_selected = data.n_facts
    hist: dict[str, list] = {}
    for step in range(steps):
        if selection is not None and step >= warm and (step - warm) % every == 0:
            _, loss_all = evaluate(model, keys, values)
            mask = select_facts(loss_all, keep_facts=keep, tau_lo=selection.tau_lo,
                                flatten=selection.flatten, limit=selection.limit)
            stream.set_mask(mask)
            n_selected = int(mask.sum())
        idx = torch.from_numpy(stream.sample(train_cfg.batch)).to(dev)
        loss = F.cross_entropy(model(keys[idx]), values[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        if step + 1 in eval_steps:
            correct, losses = evaluate(model, keys, values)
            m = fact_metrics(correct, losses, data.probs, data.n_values, params)
            m["exposures"] = (step + 1) * train_cfg.batch
            m["n_selected"] = n_selected
            for k, v in m.items():
                hist.setdefault(k, []).append(v)
    history = {k: np.asarray(v) for k, v in hist.items()}
    final = {k: v[-1].item() for k, v in history.items()}
    return RunResult(params=params, final=final, history=history)
