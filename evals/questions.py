"""Gold questions: load and validate a JSONL file (see /work/shared/evals/README.md for the fields)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

QuestionType = Literal[
    "fact", "howto", "lessons", "paraphrase", "crossdoc", "followup", "informal", "unanswerable"
]


class QuestionsError(ValueError):
    """A questions file that cannot be used; the message names every bad line."""


class Evidence(BaseModel):
    doc: str = Field(min_length=1)  # corpus file name
    quote: str = Field(min_length=1)  # exact passage of that document


class HistoryTurn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class Question(BaseModel):
    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    type: QuestionType
    answerable: bool
    evidence: list[Evidence] = Field(default_factory=list)
    reference_answer: str = ""
    must_mention: list[str] = Field(default_factory=list)
    history: list[HistoryTurn] = Field(default_factory=list)

    @field_validator("must_mention")
    @classmethod
    def _no_empty_phrases(cls, phrases: list[str]) -> list[str]:
        if any(not p.strip() for p in phrases):
            raise ValueError("must_mention contains an empty phrase")
        return phrases

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        # Without evidence the retrieval metrics of an answerable question mean nothing.
        if self.answerable and not self.evidence:
            raise ValueError("answerable question without evidence")
        if not self.answerable and self.evidence:
            raise ValueError("unanswerable question with evidence")
        if self.type == "unanswerable" and self.answerable:
            raise ValueError("type 'unanswerable' but answerable is true")
        return self

    def history_dicts(self) -> list[dict]:
        return [turn.model_dump() for turn in self.history]


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err["loc"])
        parts.append(f"{where}: {err['msg']}" if where else err["msg"])
    return "; ".join(parts)


def load_questions(path: Path | str, default_doc: str | None = None) -> list[Question]:
    """Parse every non-blank line; raise QuestionsError listing `file:line: problem` for all bad ones.
    `default_doc`: the document of evidence that names none (a labelled document's questions
    beside its rendered file); by default the one document file in the same folder, if any."""
    path = Path(path)
    default_doc = default_doc or _single_document_beside(path)
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise QuestionsError(f"{path}: cannot read questions file ({exc.strerror or exc})") from exc
    questions: list[Question] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{lineno}: invalid JSON ({exc.msg}, column {exc.colno})")
            continue
        if not isinstance(data, dict):
            problems.append(f"{path}:{lineno}: expected a JSON object, got {type(data).__name__}")
            continue
        if default_doc:
            for ev in data.get("evidence") or []:
                if isinstance(ev, dict) and not ev.get("doc"):
                    ev["doc"] = default_doc
        try:
            q = Question.model_validate(data)
        except ValidationError as exc:
            label = f" (id {data['id']})" if isinstance(data.get("id"), str) else ""
            problems.append(f"{path}:{lineno}{label}: {_describe(exc)}")
            continue
        if q.id in seen:
            problems.append(f"{path}:{lineno}: duplicate id {q.id!r} (first on line {seen[q.id]})")
            continue
        seen[q.id] = lineno
        questions.append(q)
    if problems:
        raise QuestionsError(f"{len(problems)} bad line(s) in {path}:\n" + "\n".join(problems))
    if not questions:
        raise QuestionsError(f"{path}: no questions")
    return questions


def _single_document_beside(path: Path) -> str | None:
    docs = [p.name for p in path.parent.glob("*") if p.suffix.lower() in (".pdf", ".docx")]
    return docs[0] if len(docs) == 1 else None
