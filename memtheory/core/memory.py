"""Memory budget of a request, checked before the work starts.

A request that cannot fit (a simulation at ``d = 10**7``, a validation at ``alpha = 1e9``, a grid of
10⁸ saddle points) should be refused at once with the estimate in the message, not die with a
``MemoryError`` or the kernel's OOM killer after minutes. The budget is a fraction
(:data:`MEMORY_FRACTION`) of the memory available now: ``MemAvailable`` of ``/proc/meminfo`` on Linux,
else the physical memory from :func:`os.sysconf`. The environment variable ``MEMTHEORY_MEMORY_BYTES``
overrides the available amount (for tests, or to budget for a smaller machine than this one).
"""

from __future__ import annotations

import math
import os

__all__ = ["MEMORY_FRACTION", "available_memory", "check_memory", "format_bytes"]

#: Share of the available memory one request may plan to use.
MEMORY_FRACTION = 0.5


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation now, or ``None`` if it cannot be told."""
    override = os.environ.get("MEMTHEORY_MEMORY_BYTES")
    if override:
        try:
            value = float(override)
        except ValueError:
            raise ValueError(f"MEMTHEORY_MEMORY_BYTES must be a number of bytes, got {override!r}") from None
        if not value > 0:
            raise ValueError(f"MEMTHEORY_MEMORY_BYTES must be > 0, got {override!r}")
        return int(value)
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):
        return None


def format_bytes(n: float) -> str:
    """``n`` bytes in binary units (``"18.2 TiB"``)."""
    if not math.isfinite(n):
        return "more than any machine has"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if abs(n) < 1024 or unit == "EiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024.0
    return f"{n:.1f} EiB"  # pragma: no cover


def check_memory(what: str, estimate: float, *, reduce: str, fraction: float = MEMORY_FRACTION) -> None:
    """Raise ``ValueError`` if ``estimate`` bytes exceed ``fraction`` of the available memory.

    Parameters
    ----------
    what : str
        What needs the memory (``"simulate(learner='kernel', d=400, n=800)"``), for the message.
    estimate : float
        Estimated peak bytes.
    reduce : str
        The parameters to reduce, named in the message (``"d or alpha"``).
    fraction : float
        Share of the available memory allowed (default :data:`MEMORY_FRACTION`).
    """
    avail = available_memory()
    if avail is None:
        # Unknown machine: refuse only what no machine holds (1 PiB).
        avail, fraction = 2.0**50, 1.0
    if not estimate <= fraction * avail:
        raise ValueError(f"{what} needs about {format_bytes(estimate)} of memory, more than "
                         f"{fraction:.0%} of the {format_bytes(avail)} available; reduce {reduce}")
