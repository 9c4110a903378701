"""Conversations that last (/conversations): the same store as the app's sidebar, so another
front-end lists, reopens, renames and deletes the same conversations, and asks within one
(its stored turns are the follow-up's history; question and answer are stored with it)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.errors import ApiError, responses
from assistant.api.routes_assistant import within_budget
from assistant.api.schemas import ApiFilters, to_filters
from assistant.api.state import ApiState, get_state
from assistant.budget import Budget
from assistant.conversations import Conversation
from assistant.records import Answer

router = APIRouter(prefix="/conversations", tags=["gesprekken"])


class ConversationSummary(BaseModel):
    id: str
    title: str
    created_at: datetime
    updated_at: datetime


class ExchangeOut(BaseModel):
    question: str
    answer: Answer
    rating: str | None = None
    comment: str | None = None


class ConversationOut(ConversationSummary):
    exchanges: list[ExchangeOut]


class NewConversation(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    title: str = Field("Nieuw gesprek", min_length=1, max_length=200)


class Rename(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    title: str = Field(min_length=1, max_length=200, description="De nieuwe naam van het gesprek.")


class ConversationQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    question: str = Field(min_length=1, description="De (vervolg)vraag; het gesprek tot nu toe is de context.")
    filters: ApiFilters | None = None
    k: int | None = Field(None, ge=1, le=50)


def _found(state: ApiState, conversation_id: str) -> Conversation:
    found = state.conversations.get(conversation_id)
    if found is None:
        raise ApiError(404, f"Geen gesprek met id '{conversation_id[:80]}'.")
    return found


def _summary(c: Conversation) -> ConversationSummary:
    return ConversationSummary(id=c.id, title=c.title, created_at=c.created_at, updated_at=c.updated_at)


def _full(c: Conversation) -> ConversationOut:
    exchanges = [ExchangeOut(question=e.question, answer=e.answer, rating=e.rating, comment=e.comment)
                 for e in c.exchanges]
    return ConversationOut(**_summary(c).model_dump(), exchanges=exchanges)


@router.get("", response_model=list[ConversationSummary], summary="Gesprekken, laatst gebruikt eerst")
def list_conversations(state: ApiState = Depends(get_state)) -> list[ConversationSummary]:
    return [_summary(c) for c in state.conversations.list()]


@router.post("", status_code=201, response_model=ConversationOut, summary="Begin een gesprek",
             responses=responses(422))
def create_conversation(body: NewConversation | None = None, state: ApiState = Depends(get_state)) -> ConversationOut:
    return _full(state.conversations.create((body or NewConversation()).title))


@router.get("/{conversation_id}", response_model=ConversationOut, summary="Eén gesprek met vragen en antwoorden",
            responses=responses(404, 422))
def get_conversation(conversation_id: str, state: ApiState = Depends(get_state)) -> ConversationOut:
    return _full(_found(state, conversation_id))


@router.patch("/{conversation_id}", response_model=ConversationSummary, summary="Geef een gesprek een andere naam",
              responses=responses(404, 422))
def rename_conversation(conversation_id: str, body: Rename, state: ApiState = Depends(get_state)) -> ConversationSummary:
    _found(state, conversation_id)
    try:
        state.conversations.rename(conversation_id, body.title)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from exc
    return _summary(_found(state, conversation_id))


class Deleted(BaseModel):
    id: str
    deleted: bool = True


@router.delete("/{conversation_id}", response_model=Deleted, summary="Verwijder een gesprek",
               responses=responses(404, 422))
def delete_conversation(conversation_id: str, state: ApiState = Depends(get_state)) -> Deleted:
    if not state.conversations.delete(conversation_id):
        raise ApiError(404, f"Geen gesprek met id '{conversation_id[:80]}'.")
    return Deleted(id=conversation_id)


@router.post("/{conversation_id}/ask", response_model=Answer, summary="Stel een vraag binnen een gesprek",
             responses=responses(404, 413, 422, 429, 500, 503))
async def ask_in_conversation(conversation_id: str, body: ConversationQuestion, request: Request,
                              state: ApiState = Depends(get_state)) -> Answer:
    """Als POST /ask, met de eerdere beurten van dit gesprek als context; vraag en antwoord
    worden aan het gesprek toegevoegd."""
    found = _found(state, conversation_id)

    def work(budget: Budget) -> Answer:
        state.keep_fresh()
        answer = state.components.assistant.ask(
            body.question, history=found.history(), filters=to_filters(body.filters), k=body.k, budget=budget
        )
        try:
            state.conversations.add_exchange(conversation_id, body.question, answer)
        except KeyError as exc:  # deleted while the question was answered
            raise ApiError(404, f"Het gesprek '{conversation_id[:80]}' is intussen verwijderd.") from exc
        return answer

    return await within_budget(request, state, work)
