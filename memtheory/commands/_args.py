"""Parsing helpers shared by the command groups."""

from __future__ import annotations

import argparse

import numpy as np


def parse_range(text: str) -> np.ndarray:
    """Parse ``start:stop:count`` (inclusive linspace), a comma list, or a single number.

    Raises ``argparse.ArgumentTypeError`` (which argparse reports in one line, exit 2) on bad input.
    """
    try:
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise ValueError
            start, stop, count = float(parts[0]), float(parts[1]), int(parts[2])
            if count < 1 or not np.isfinite([start, stop]).all():
                raise ValueError
            return np.linspace(start, stop, count)
        values = np.array([float(v) for v in text.split(",")], dtype=float)
        if values.size == 0 or not np.isfinite(values).all():
            raise ValueError
        return values
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid range {text!r}: use start:stop:count (count >= 1), a comma list, or a number"
        ) from None
