"""Conversations that last: questions, answers (with their citations) and feedback, kept in SQLite
in the data folder. Shared by the Streamlit app (sidebar list, reopen after a reload or restart)
and the HTTP API (`/conversations`), so other front-ends see the same conversations.

Like assistant/feedback.py: one short-lived connection per call (safe from any thread), WAL so
the app and the API can read while the other writes. An answer is stored as the API's Answer
JSON: reopening shows it exactly as it was given, sources included.
"""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from assistant.records import Answer, Turn

TITLE_CHARS = 80  # a title from the first question, cut at a word

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS conversations (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS turns (
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        rating TEXT CHECK (rating IN ('up', 'down')),
        comment TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (conversation_id, position)
    )""",
]


@dataclass
class Exchange:
    """One question and its answer; `rating`/`comment` once the user gave feedback."""

    question: str
    answer: Answer
    rating: str | None = None
    comment: str | None = None


@dataclass
class Conversation:
    id: str
    title: str
    created_at: str
    updated_at: str
    exchanges: list[Exchange] = field(default_factory=list)

    def history(self) -> list[Turn]:
        """The turns as the assistant takes them for a follow-up question."""
        turns = []
        for ex in self.exchanges:
            turns += [Turn(role="user", content=ex.question), Turn(role="assistant", content=ex.answer.answer)]
        return turns


def title_from(question: str) -> str:
    text = " ".join(question.split())
    if len(text) <= TITLE_CHARS:
        return text or "Gesprek"
    return text[:TITLE_CHARS].rsplit(" ", 1)[0] + " …"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class ConversationStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            for statement in _SCHEMA:
                db.execute(statement)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def create(self, title: str = "Nieuw gesprek") -> Conversation:
        now = _now()
        conversation = Conversation(uuid.uuid4().hex, title_from(title), now, now)
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?)", (conversation.id, conversation.title, now, now))
        return conversation

    def list(self, limit: int = 200) -> list[Conversation]:
        """Most recently used first, without their exchanges."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT * FROM conversations ORDER BY updated_at DESC, rowid DESC LIMIT ?", (limit,)
            ).fetchall()
        return [Conversation(r["id"], r["title"], r["created_at"], r["updated_at"]) for r in rows]

    def get(self, conversation_id: str) -> Conversation | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if row is None:
                return None
            turns = db.execute(
                "SELECT * FROM turns WHERE conversation_id = ? ORDER BY position", (conversation_id,)
            ).fetchall()
        exchanges = [
            Exchange(t["question"], Answer.model_validate_json(t["answer"]), t["rating"], t["comment"]) for t in turns
        ]
        return Conversation(row["id"], row["title"], row["created_at"], row["updated_at"], exchanges)

    def add_exchange(self, conversation_id: str, question: str, answer: Answer) -> int:
        """Append a question and its answer; returns its position. The first question names a
        conversation that still has the default title."""
        now = _now()
        with closing(self._connect()) as db, db:
            row = db.execute("SELECT title FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if row is None:
                raise KeyError(conversation_id)
            position = db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()[0]
            db.execute(
                "INSERT INTO turns (conversation_id, position, question, answer, created_at) VALUES (?, ?, ?, ?, ?)",
                (conversation_id, position, question, answer.model_dump_json(), now),
            )
            title = title_from(question) if position == 0 and row["title"] == "Nieuw gesprek" else row["title"]
            db.execute("UPDATE conversations SET updated_at = ?, title = ? WHERE id = ?", (now, title, conversation_id))
        return position

    def rate(self, conversation_id: str, position: int, rating: str, comment: str | None = None) -> bool:
        with closing(self._connect()) as db, db:
            cur = db.execute(
                "UPDATE turns SET rating = ?, comment = ? WHERE conversation_id = ? AND position = ?",
                (rating, comment, conversation_id, position),
            )
        return cur.rowcount > 0

    def rename(self, conversation_id: str, title: str) -> bool:
        title = " ".join(title.split())[:200]
        if not title:
            raise ValueError("Een gesprek heeft een naam nodig.")
        with closing(self._connect()) as db, db:
            cur = db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))
        return cur.rowcount > 0

    def delete(self, conversation_id: str) -> bool:
        with closing(self._connect()) as db, db:
            cur = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        return cur.rowcount > 0
