"""Figures every benchmark prints: percentiles (nearest rank, as the README's were made) and
this process's peak memory."""

from __future__ import annotations

import resource


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of `values` by nearest rank; nan when there are none."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
