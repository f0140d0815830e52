"""``--learner gcm`` of the ``raf`` commands: the Gaussian-covariate model from ``.npy`` files.

``--spectrum`` names a ``.npy`` file with the eigenvalues of Σ (normalised to mean 1 by the model),
``--teacher-weights`` an optional one with the squared teacher components in Σ's eigenbasis
(docs/theory/gcm.md).
"""

from __future__ import annotations

import os

import numpy as np


def load_vector(path: str | None, name: str) -> np.ndarray | None:
    """A 1-D float array from a ``.npy`` file; unreadable or malformed files raise ``ValueError``."""
    if path is None:
        return None
    if not os.path.isfile(path):
        raise ValueError(f"{name}: no such file {path!r}")
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise ValueError(f"{name}: cannot read {path!r} as a .npy array ({exc})") from None
    if not isinstance(arr, np.ndarray) or arr.ndim != 1:
        raise ValueError(f"{name}: {path!r} must hold a 1-D array, got shape {getattr(arr, 'shape', None)}")
    try:
        return arr.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {path!r} must hold numbers") from None


def gcm_model(args):
    """``raf.GaussianCovariate`` from the parsed ``--loss --lam --spectrum --teacher-weights``."""
    from memtheory.solvers import raf

    if getattr(args, "spectrum", None) is None:
        raise ValueError("--learner gcm needs --spectrum FILE.npy (the eigenvalues of the input covariance)")
    from memtheory.commands.raf import loss_of

    return raf.GaussianCovariate(loss=loss_of(args), lam=args.lam, eigenvalues=load_vector(args.spectrum, "spectrum"),
                                 teacher_weights=load_vector(getattr(args, "teacher_weights", None),
                                                             "teacher-weights"))
