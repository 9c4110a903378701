"""Thumbs up/down on answers, kept durably in SQLite (in the data dir) and exportable.

Shared by the HTTP API and the Streamlit app. One short-lived connection per call keeps it
safe from any thread; WAL lets readers and the writer of other processes work side by side.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from assistant.csv_cells import spreadsheet_csv

Rating = Literal["up", "down"]
COLUMNS = ("id", "created_at", "rating", "question", "answer", "comment", "citations", "source")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    comment TEXT,
    citations TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL DEFAULT 'api'
)
"""


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def add(
        self,
        rating: Rating,
        question: str,
        answer: str,
        comment: str | None = None,
        citations: list[dict] | None = None,
        source: str = "api",
    ) -> int:
        if rating not in ("up", "down"):
            raise ValueError(f"rating moet 'up' of 'down' zijn, niet {rating!r}")
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with closing(self._connect()) as db, db:  # `with db` commits (durable) or rolls back
            cursor = db.execute(
                "INSERT INTO feedback (created_at, rating, question, answer, comment, citations, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now, rating, question, answer, comment, json.dumps(citations or [], ensure_ascii=False), source),
            )
            return int(cursor.lastrowid)

    def all(self) -> list[dict]:
        with closing(self._connect()) as db:
            rows = db.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id").fetchall()
        return [{**dict(row), "citations": json.loads(row["citations"])} for row in rows]

    def export_csv(self) -> str:
        """For Dutch Excel (assistant/csv_cells.py); citations as JSON in one cell."""
        return spreadsheet_csv(list(COLUMNS), (
            [json.dumps(row[c], ensure_ascii=False) if c == "citations" else row[c] for c in COLUMNS]
            for row in self.all()
        ))

    def export_jsonl(self) -> str:
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in self.all())
