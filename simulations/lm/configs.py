"""Configurations of the biography-LM experiment.

* :data:`SMOKE` — seconds; the tests and the notebook.
* :data:`CPU` — what ``make figures`` runs: a one-layer GPT of width 24/32/48 (about 16–34 k
  parameters with its 560-word vocabulary), ``N`` = 50…400 individuals with two 256-valued attributes
  (``H = 16`` bits, 100…800 facts), 30 000 training sentences of batch 16 per run (AdamW lr 1e-2: at
  3e-3 the attention that binds name to value is found too late for this budget). Selection thresholds
  chosen on seed 0 at ``N = 400`` under Zipf (facts memorized; standard training 294.3):
  ``keep_ratio`` 1.1 → 338.0, 1.5 → 391.0, 2.0 → 397.3 (chosen) with ``tau_lo = 0.3`` nats;
  ``tau_lo = 1.0`` at 1.1 → 265.7; flatten only → 399.0. Warm-up 0.3 and re-selection every 0.1 of the
  budget as for the MLP experiment. The configuration reports the held-out seeds 1, 2, 3.
* :data:`GPU` — 8-layer GPTs of width 256/512/768 (at 768 about 57 M non-embedding parameters; GPT-2
  Small has 12 layers and 85 M) on 10⁴–10⁵ individuals with five bioS-like attributes (38.9 bits
  each), 2·10⁷ sentences per run, on CUDA when available (``device="auto"``). Defined, not yet run: no
  device machine was available.
"""

from __future__ import annotations

from .experiment import LMExperimentConfig
from .model import GPTConfig
from .selection import SelectionConfig
from .training import LMTrainConfig

__all__ = ["CONFIGS", "CPU", "GPU", "SMOKE"]

_SELECTION = SelectionConfig(keep_ratio=1.1, tau_lo=0.3, warmup=0.3, interval=0.1)

SMOKE = LMExperimentConfig(
    n_individuals=(20, 40),
    n_values=(32, 32),
    attributes=("birth_city", "employer"),
    zipf=1.0,
    model=GPTConfig(d_model=16, n_layers=1, n_heads=2),
    widths=(12, 16),
    train=LMTrainConfig(exposures=1_600, batch=16, lr=1e-2, n_evals=2),
    selection=_SELECTION,
    seeds=(1, 2),
    sweep_seeds=(1,),
    ablations=True,
)

CPU = LMExperimentConfig(
    n_individuals=(50, 100, 200, 400),
    n_values=(256, 256),
    attributes=("birth_city", "employer"),
    zipf=1.0,
    model=GPTConfig(d_model=32, n_layers=1, n_heads=4),
    widths=(24, 32, 48),
    train=LMTrainConfig(exposures=30_000, batch=16, lr=1e-2, n_evals=3),
    selection=SelectionConfig(keep_ratio=2.0, tau_lo=0.3, warmup=0.3, interval=0.1),
    seeds=(1, 2, 3),
    sweep_seeds=(1,),
    ablations=True,
)

GPU = LMExperimentConfig(
    n_individuals=(10_000, 20_000, 50_000, 100_000),
    n_values=(200, 300, 263, 100, 336),
    attributes=("birth_city", "university", "employer", "field", "birth_date"),
    zipf=1.0,
    model=GPTConfig(d_model=512, n_layers=8, n_heads=8),
    widths=(256, 512, 768),
    train=LMTrainConfig(exposures=20_000_000, batch=512, lr=1e-3, lr_final_ratio=0.1, warmup=0.01, weight_decay=0.02,
                        n_evals=5, device="auto", eval_batch=16384),
    selection=_SELECTION,
    seeds=(1, 2, 3),
    sweep_seeds=(1,),
    ablations=True,
)

CONFIGS = {"smoke": SMOKE, "cpu": CPU, "gpu": GPU}
