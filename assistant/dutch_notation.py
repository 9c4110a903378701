"""Numbers, sizes and dates as a Dutch reader writes them: 0,89 · 37,0 s · 62,9 MB · 7 dec. 2026 21:30.

Written by hand: Babel would do it, but it is not in the stack and these four formats are all
the app shows.
"""

from __future__ import annotations

from datetime import datetime

MONTHS = ["jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."]


def number(value: float | int, decimals: int = 2) -> str:
    """1234.5 → "1.234,50": a point between thousands, a comma before the decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def seconds(value: float) -> str:
    return f"{number(value, 1 if value < 100 else 0)} s"


def size(n_bytes: int) -> str:
    """Bytes in kB/MB with one decimal, counted as file managers do (1 MB = 1.000.000 bytes)."""
    if n_bytes < 1_000_000:
        return f"{number(n_bytes / 1000, 1)} kB"
    return f"{number(n_bytes / 1_000_000, 1)} MB"


def when(stamp: str | datetime, with_time: bool = True) -> str:
    """An ISO time stamp (UTC when it says so) as local "7 dec. 2026 21:30"."""
    moment = datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    text = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    return f"{text} {moment:%H:%M}" if with_time else text
