"""What the models see of a stored chunk.

Both the dense and the sparse side index the chunk text with its title, case and section in
front: a question names "Hoorn" or "De Ruwaard" while the passage itself often only says
"de wijk". The stored text (what is cited and quoted) stays the bare chunk text.
"""

from __future__ import annotations

from ingest.records import text_hash


def context_line(meta: dict) -> str:
    parts = [meta.get("title"), meta.get("case"), meta.get("section")]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return " | ".join(seen)


def indexed_text(text: str, meta: dict) -> str:
    head = context_line(meta)
    return f"{head}\n{text}" if head else text


def indexed_hash(text: str, meta: dict) -> str:
    return text_hash(indexed_text(text, meta))
