"""Lessons and practice-case cards (issue 7): the catalogue a policy writer browses."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from assistant.api.errors import ApiError, responses
from assistant.api.state import ApiState, get_state
from assistant.catalogue import CaseCard, Lesson, case, cases, lessons
from ingest.kinds import KINDS

router = APIRouter(tags=["lessen en praktijkvoorbeelden"])


class LessonList(BaseModel):
    total: int
    lessons: list[Lesson]


class CaseList(BaseModel):
    total: int
    cases: list[CaseCard]


def _kinds(kind: list[str] | None) -> list[str] | None:
    unknown = [k for k in kind or [] if k not in KINDS]
    if unknown:
        raise ApiError(422, f"Onbekende soort: {', '.join(unknown)}. Kies uit: {', '.join(KINDS)}.")
    return kind or None


@router.get("/lessons", response_model=LessonList, summary="Lessen, aanbevelingen, knelpunten, resultaten …",
            responses=responses(422, 500, 503))
def get_lessons(
    kind: list[str] = Query([], description=f"Soort passage (herhaalbaar): {', '.join(KINDS)}."),
    doc: list[str] = Query([], description="Document-id of (deel van de) titel (herhaalbaar)."),
    place: list[str] = Query([], description="Plaats (herhaalbaar)."),
    state: ApiState = Depends(get_state),
) -> LessonList:
    """Alle passages die een les, aanbeveling, plus- of minpunt, knelpunt of resultaat
    rapporteren, in documentvolgorde, elk met thema en bronvermelding."""
    found = lessons(state.components, kind=_kinds(kind), doc=doc, place=place)
    return LessonList(total=len(found), lessons=found)


@router.get("/cases", response_model=CaseList, summary="Praktijkvoorbeelden als kaarten",
            responses=responses(422, 500, 503))
def get_cases(
    doc: list[str] = Query([], description="Document-id of (deel van de) titel (herhaalbaar)."),
    place: list[str] = Query([], description="Plaats (herhaalbaar)."),
    state: ApiState = Depends(get_state),
) -> CaseList:
    """Per praktijkvoorbeeld of gebied: naam, plaatsen, partners, aanpak, resultaten,
    knelpunten en links, elk veld met de passages waar het vandaan komt."""
    found = cases(state.components, doc=doc, place=place)
    return CaseList(total=len(found), cases=found)


@router.get("/cases/{case_id}", response_model=CaseCard, summary="Eén praktijkvoorbeeld",
            responses=responses(404, 422, 500, 503))
def get_case(case_id: str, state: ApiState = Depends(get_state)) -> CaseCard:
    card = case(state.components, case_id)
    if card is None:
        raise ApiError(404, f"Geen praktijkvoorbeeld met id '{case_id}'. Zie GET /cases.")
    return card
