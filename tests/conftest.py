"""Shared test configuration: headless matplotlib, deterministic seeds."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
