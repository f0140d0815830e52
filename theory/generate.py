"""Regenerate the numba kernels of ``solvers/raf/_generated/`` from the sympy derivations.

Usage: ``python -m memtheory.theory.generate`` (writes the files) or :func:`render_all` (returns their text).
"""

from __future__ import annotations

from pathlib import Path

from memtheory.theory import channels, priors
from memtheory.theory.codegen import HEADER, kernel_source

TARGET = Path(__file__).resolve().parent.parent / "solvers" / "raf" / "_generated"

_CHANNEL_ARGS = ["alpha", "eps", "m", "q", "V", "nodes", "weights"]
_CHANNEL_PREAMBLE = [
    ("r", "math.sqrt(q)"),
    ("s", "math.sqrt(q - m * m)"),
    ("k", "m / s"),
]
_CHANNEL_DOCS = {
    "square": "Square loss: (m̂, q̂, V̂) of spec raf.md §5.2 (closed form).",
    "hinge": "Hinge loss: (m̂, q̂, V̂) of spec raf.md §5.3, split at the kinks yω = 1 − V and 1.",
    "square_interpolating": "λ → 0 min-norm interpolator (spec raf.md §5.5), rescaled V = λV.",
    "hinge_max_margin": "λ → 0 max-margin SVM (spec raf.md §5.5), rescaled V = λV.",
}


def render_channels() -> str:
    """Text of ``channels.py``: one kernel ``<name>_conjugates`` per piecewise-polynomial channel."""
    parts = [
        HEADER.format(source="channels.py"),
        '"""Output-channel conjugates (m̂, q̂, V̂) of the RAF model, generated from theory/channels.py.\n\n'
        "Each kernel takes (alpha, eps, m, q, V, nodes, weights) with q > m² and a Gauss–Legendre rule\n"
        'on [-1, 1] for the finite-interval teacher moments."""\n\n'
        "import math\n\nfrom numba import njit\n\nfrom memtheory.solvers.quadrature import phi_Phi_moments\n",
    ]
    for name, builder in channels.CHANNELS.items():
        outputs = channels.conjugates(builder())
        parts.append(
            "\n\n"
            + kernel_source(f"{name}_conjugates", _CHANNEL_ARGS, outputs, _CHANNEL_PREAMBLE, _CHANNEL_DOCS[name])
        )
    return "".join(parts)


def render_priors() -> str:
    """Text of ``priors.py``: the ridge prior update."""
    outputs = priors.ridge_prior_update()
    return (
        HEADER.format(source="priors.py")
        + '"""Ridge prior channel (m, q, V) from (m̂, q̂, V̂), generated from theory/priors.py."""\n\n'
        + "from numba import njit\n\n\n"
        + kernel_source(
            "ridge_prior",
            ["m_hat", "q_hat", "V_hat", "lam"],
            outputs,
            doc="Stationarity of the ridge prior potential (spec raf.md §5.1); lam = 1 gives the λ → 0 rescaling.",
        )
    )


def render_all() -> dict[str, str]:
    """File name → text of every generated module."""
    return {"channels.py": render_channels(), "priors.py": render_priors()}


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for fname, text in render_all().items():
        (TARGET / fname).write_text(text, encoding="utf-8")
        print(f"wrote {TARGET / fname}")


if __name__ == "__main__":
    main()
