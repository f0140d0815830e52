"""A small decoder-only transformer (GPT) configuration, its parameter count and a lazy builder.

The network itself is in :mod:`._gpt` (PyTorch); this module imports torch only inside
:func:`build_gpt`, so the data, scoring and selection code runs without it.

Parameter-count convention (:data:`PARAM_CONVENTION`): every trainable weight, the token embedding
(tied with the output layer, counted once, all vocabulary rows: the vocabulary is built from the data,
so every row is used) and the learned position embedding included; ``non_embedding`` excludes both
embeddings.
"""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.core.checks import check_int

__all__ = ["GPTConfig", "PARAM_CONVENTION", "build_gpt", "gpt_parameter_count", "require_torch"]

PARAM_CONVENTION = ("all trainable weights: tied token embedding (all rows, the vocabulary is built from the data), "
                    "position embedding, attention, MLP, layer norms")


@dataclass(frozen=True)
class GPTConfig:
    """Shape of the pre-LN GPT: ``n_layers`` blocks of width ``d_model`` with ``n_heads`` heads.

    Attributes
    ----------
    d_model : int, default 32
        Residual width, a multiple of ``n_heads``.
    n_layers : int, default 2
        Number of transformer blocks.
    n_heads : int, default 2
        Attention heads per block.
    mlp_ratio : int, default 4
        MLP hidden width over ``d_model``.

    Examples
    --------
    >>> GPTConfig(d_model=64, n_heads=4)
    GPTConfig(d_model=64, n_layers=2, n_heads=4, mlp_ratio=4)

    See docs/theory/lm_facts.md, section "Model".
    """

    d_model: int = 32
    n_layers: int = 2
    n_heads: int = 2
    mlp_ratio: int = 4

    def __post_init__(self):
        check_int("d_model", self.d_model, lo=1)
        check_int("n_layers", self.n_layers, lo=1)
        check_int("n_heads", self.n_heads, lo=1)
        check_int("mlp_ratio", self.mlp_ratio, lo=1)
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model must be a multiple of n_heads, got {self.d_model} and {self.n_heads}")


def gpt_parameter_count(cfg: GPTConfig, vocab_size: int, context: int) -> dict:
    """Closed-form parameter count of :func:`build_gpt` (no torch needed).

    Parameters
    ----------
    cfg : GPTConfig
        Model shape.
    vocab_size : int
        Vocabulary size (tied embedding rows), >= 1.
    context : int
        Context length (position-embedding rows), >= 1.

    Returns
    -------
    dict
        ``total`` and ``non_embedding``.

    Examples
    --------
    >>> gpt_parameter_count(GPTConfig(), vocab_size=100, context=16)
    {'total': 29184, 'non_embedding': 25472}

    See docs/theory/lm_facts.md, section "Model".
    """
    v = check_int("vocab_size", vocab_size, lo=1)
    t = check_int("context", context, lo=1)
    d, m = cfg.d_model, cfg.mlp_ratio * cfg.d_model
    block = 2 * 2 * d + (3 * d * d + 3 * d) + (d * d + d) + (d * m + m) + (m * d + d)
    non_emb = cfg.n_layers * block + 2 * d
    return {"total": non_emb + v * d + t * d, "non_embedding": non_emb}


def require_torch():
    """Import and return torch, or raise ImportError naming the optional extra."""
    try:
        import torch
    except ModuleNotFoundError as exc:
        raise ImportError("the language-model experiment needs PyTorch: install the optional extra "
                          "'neural' (pip install -e '.[neural]')") from exc
    return torch


def build_gpt(cfg: GPTConfig, vocab_size: int, context: int):
    """The GPT as a ``torch.nn.Module`` mapping token ids (B, T) to logits (B, T, V)."""
    require_torch()
    from ._gpt import GPT

    return GPT(cfg.d_model, cfg.n_layers, cfg.n_heads, cfg.mlp_ratio, check_int("vocab_size", vocab_size, lo=1),
               check_int("context", context, lo=1))
