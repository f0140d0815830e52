"""Training the biography GPT from scratch with next-token loss, optionally with loss-based selection.

One *exposure* is one training sentence; the budget counts sentences actually trained on, so pruned
sentences cost nothing. AdamW, linear warm-up then cosine decay to ``lr_final_ratio``·lr, loss on every
non-padding next token (the LM objective, not only the value tokens). Needs PyTorch.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from memtheory.core.checks import check_int, check_number
from ..facts.datasets import FactStream
from .biographies import BiographyData
from .model import GPTConfig, build_gpt, gpt_parameter_count, require_torch
from .scoring import fact_table, lm_fact_metrics, row_exact_match, row_value_nll
from .selection import SelectionConfig, select_examples

__all__ = ["EvalPass", "LMRunResult", "LMTrainConfig", "evaluate", "train_lm"]


@dataclass(frozen=True)
class LMTrainConfig:
    """Optimisation and evaluation schedule.

    Attributes
    ----------
    exposures : int
        Budget of training sentences.
    batch : int
        Sentences per step.
    lr, lr_final_ratio, warmup, weight_decay : float
        AdamW learning rate, cosine floor (fraction of lr), linear warm-up (fraction of the steps),
        decoupled weight decay.
    n_evals : int
        Evaluation points along training (the last is the end of training).
    device : str
        ``"cpu"``, ``"cuda"`` or ``"auto"`` (CUDA when available).
    threads : int
        ``torch.set_num_threads`` on the CPU.
    eval_batch : int
        Sentences per evaluation chunk.
    """

    exposures: int = 200_000
    batch: int = 128
    lr: float = 3e-3
    lr_final_ratio: float = 0.1
    warmup: float = 0.02
    weight_decay: float = 0.0
    n_evals: int = 4
    device: str = "cpu"
    threads: int = 1
    eval_batch: int = 8192

    def __post_init__(self):
        check_int("exposures", self.exposures, lo=1)
        check_int("batch", self.batch, lo=1)
        check_number("lr", self.lr, lo=0.0, lo_open=True)
        check_number("lr_final_ratio", self.lr_final_ratio, lo=0.0, hi=1.0)
        check_number("warmup", self.warmup, lo=0.0, hi=1.0)
        check_number("weight_decay", self.weight_decay, lo=0.0)
        check_int("n_evals", self.n_evals, lo=1)
        check_int("threads", self.threads, lo=1)
        check_int("eval_batch", self.eval_batch, lo=1)
        if self.device not in ("cpu", "cuda", "auto"):
            raise ValueError(f"device must be 'cpu', 'cuda' or 'auto', got {self.device!r}")


@dataclass(frozen=True)
class EvalPass:
    """One teacher-forced pass over every distinct sentence.

    ``correct`` (S,) greedy exact match of the value; ``value_nll`` (S,) summed loss of the value
    tokens in nats, which is also the per-example training loss the selection rule reads.
    """

    correct: np.ndarray
    value_nll: np.ndarray


@dataclass(frozen=True)
class LMRunResult:
    """Final metrics (:func:`.scoring.lm_fact_metrics` plus bookkeeping) and their history."""

    params: int
    params_non_embedding: int
    final: dict
    history: dict = field(default_factory=dict)
    fact_accuracy: np.ndarray | None = None
    seconds: float = float("nan")


def evaluate(model, tokens, data: BiographyData, eval_batch: int = 8192) -> EvalPass:
    """Score every sentence of ``data`` (``tokens`` is ``data.tokens`` as a tensor on the model's device)."""
    import torch
    import torch.nn.functional as F

    preds, nlls = [], []
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for start in range(0, tokens.shape[0], eval_batch):
            x = tokens[start:start + eval_batch]
            logits = model(x[:, :-1]).float()
            nll = F.cross_entropy(logits.transpose(1, 2), x[:, 1:], reduction="none")
            preds.append(logits.argmax(dim=2).cpu())
            nlls.append(nll.double().cpu())
    model.train(was_training)
    pred = torch.cat(preds).numpy()
    token_nll = torch.cat(nlls).numpy()
    return EvalPass(correct=row_exact_match(pred, data.tokens, data.value_start, data.value_len),
                    value_nll=row_value_nll(token_nll, data.value_start, data.value_len))


def _metrics(ev: EvalPass, data: BiographyData, params: int) -> tuple[dict, np.ndarray]:
    n, a = data.n_individuals, data.n_attributes
    acc = fact_table(ev.correct, data.individual, data.attribute, n, a)
    nll = fact_table(ev.value_nll, data.individual, data.attribute, n, a)
    return lm_fact_metrics(acc, nll, data.n_values, data.probs, params), acc


def train_lm(data: BiographyData, model_cfg: GPTConfig = GPTConfig(), train_cfg: LMTrainConfig = LMTrainConfig(),
             selection: SelectionConfig | None = None, keep_individuals: int | None = None,
             seed: int = 0) -> LMRunResult:
    """Train a GPT on the biographies of ``data`` for ``train_cfg.exposures`` sentences.

    Parameters
    ----------
    data : BiographyData
    model_cfg, train_cfg : GPTConfig, LMTrainConfig
    selection : SelectionConfig, optional
        Loss-based selection (``None``: standard training). Its warm-up and interval are fractions of
        the budget; ``tau_lo`` is in nats of a sentence's value loss.
    keep_individuals : int, optional
        Individuals the limit side keeps when ``selection.keep_facts`` is ``None``.
    seed : int
        Seeds torch (initialisation) and the sentence stream.
    """
    torch = require_torch()
    import torch.nn.functional as F

    t0 = time.perf_counter()
    device = train_cfg.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        torch.set_num_threads(train_cfg.threads)
    torch.manual_seed(seed)
    dev = torch.device(device)
    context = data.tokens.shape[1] - 1
    model = build_gpt(model_cfg, len(data.vocab), context).to(dev)
    counts = gpt_parameter_count(model_cfg, len(data.vocab), context)
    params = counts["total"]
    tokens = torch.from_numpy(data.tokens).to(dev)
    stream = FactStream(data.sentence_probs, seed=seed + 1)

    steps = max(1, train_cfg.exposures // train_cfg.batch)
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.dim() >= 2 and "pos" not in name else no_decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": train_cfg.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=train_cfg.lr, betas=(0.9, 0.98))
    warm_steps = max(1, int(round(train_cfg.warmup * steps)))
    floor = train_cfg.lr_final_ratio

    def lr_factor(s):
        if s < warm_steps:
            return (s + 1) / warm_steps
        x = min(1.0, (s - warm_steps) / max(1, steps - warm_steps))
        return floor + (1.0 - floor) * 0.5 * (1.0 + math.cos(math.pi * x))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    eval_steps = set(np.unique(np.linspace(steps / train_cfg.n_evals, steps, train_cfg.n_evals).round().astype(int)))

    keep = None
    if selection is not None:
        keep = selection.keep_facts if selection.keep_facts is not None else keep_individuals
        if selection.limit and keep is None:
            raise ValueError("keep_individuals must be given when selection.limit is on and "
                             "selection.keep_facts is None")
        warm = int(round(selection.warmup * steps))
        every = max(1, int(round(selection.interval * steps)))
    n_kept, n_rows = data.n_individuals, data.tokens.shape[0]
    hist: dict[str, list] = {}
    acc = None
    for step in range(steps):
        if selection is not None and step >= warm and (step - warm) % every == 0:
            ev = evaluate(model, tokens, data, train_cfg.eval_batch)
            mask = select_examples(ev.value_nll, data.individual, keep_groups=keep, tau_lo=selection.tau_lo,
                                   flatten=selection.flatten, limit=selection.limit)
            stream.set_mask(mask)
            n_kept, n_rows = int(np.unique(data.individual[mask]).size), int(mask.sum())
        idx = torch.from_numpy(stream.sample(train_cfg.batch)).to(dev)
        x = tokens[idx]
        logits = model(x[:, :-1])
        loss = F.cross_entropy(logits.transpose(1, 2), x[:, 1:], ignore_index=data.vocab.pad)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        if step + 1 in eval_steps:
            ev = evaluate(model, tokens, data, train_cfg.eval_batch)
            m, acc = _metrics(ev, data, params)
            m.update(exposures=(step + 1) * train_cfg.batch, n_individuals_kept=n_kept, n_sentences_kept=n_rows,
                     train_loss=float(loss.item()))
            for k, v in m.items():
                hist.setdefault(k, []).append(v)
    history = {k: np.asarray(v) for k, v in hist.items()}
    final = {k: v[-1].item() for k, v in history.items()}
    return LMRunResult(params=params, params_non_embedding=counts["non_embedding"], final=final, history=history,
                       fact_accuracy=acc, seconds=time.perf_counter() - t0)
