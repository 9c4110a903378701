"""The lessons table in the app: one expander per theme with its rows; a row opens its passage."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.catalogue import KIND_LABELS, Lesson
from assistant.catalogue_export import group_by_theme, pages_label
from ingest.structure import SECTION_JOIN
from ui import style
from ui.passages import contains_words, escape_markdown, show_passage, source_label

COLUMNS = {
    "Soort": st.column_config.TextColumn(width=95),
    "Les / punt": st.column_config.TextColumn(width=450, help="De eerste zin(nen) van de passage"),
    "Plaatsen": st.column_config.TextColumn(width=130),
    "Vindplaats": st.column_config.TextColumn(width=170, help="Kop en pagina's in het document"),
}
ROW_HEIGHT = 88  # room for four wrapped lines: a summary has at most 240 characters
MAX_ROWS_IN_VIEW = 8  # a longer theme scrolls inside its table


def lesson_matches(lesson: Lesson, query: str) -> bool:
    return contains_words(" ".join([lesson.summary, lesson.text, lesson.theme, lesson.section or ""]), query)


def counts_line(lessons: list[Lesson]) -> str:
    """"**57** lessen en punten in **12** thema's · les 9 · knelpunt 20 …" (kinds in table order)."""
    counts: dict[str, int] = {}
    for lesson in lessons:
        counts[lesson.kind] = counts.get(lesson.kind, 0) + 1
    per_kind = " · ".join(f"{KIND_LABELS[k].lower()} {counts[k]}" for k in KIND_LABELS if k in counts)
    themes = len(group_by_theme(lessons))
    what = "les of punt" if len(lessons) == 1 else "lessen en punten"
    noun = "thema" if themes == 1 else "thema's"
    head = f"**{len(lessons)}** {what} in **{themes}** {noun}"
    return f"{head} · {per_kind}" if per_kind else head


def _where(lesson: Lesson) -> str:
    """The deepest heading and the pages: the theme already names the case or chapter."""
    heading = (lesson.section or "").split(SECTION_JOIN)[-1].strip()
    return ", ".join(x for x in (heading, pages_label(lesson.page_start, lesson.page_end)) if x)


def _table(lessons: list[Lesson]) -> pd.DataFrame:
    return pd.DataFrame({
        "Soort": [r.kind_label for r in lessons],
        "Les / punt": [r.summary for r in lessons],
        "Plaatsen": [", ".join(p.split(" (")[0] for p in r.places) for r in lessons],
        "Vindplaats": [_where(r) for r in lessons],
    })


def show_themes(lessons: list[Lesson], selection_key: str) -> None:
    """`selection_key` changes with the filters, so a row picked before does not point at
    another lesson after the table changed."""
    themes = group_by_theme(lessons)
    shown_doc = None
    for n, theme in enumerate(themes):
        if theme.doc != shown_doc:  # themes come in document order
            shown_doc = theme.doc
            st.markdown(f"##### {escape_markdown(theme.title)}")
        label = f"**{escape_markdown(theme.name)}** ({len(theme.lessons)})"
        with st.expander(label, expanded=len(themes) <= 3):
            st.caption("Klik op een rij om de hele passage te lezen.")
            rows = min(len(theme.lessons), MAX_ROWS_IN_VIEW)
            event = st.dataframe(
                _table(theme.lessons), hide_index=True, column_config=COLUMNS, on_select="rerun",
                selection_mode="single-row", row_height=ROW_HEIGHT, height=rows * ROW_HEIGHT + 38,
                key=f"{selection_key}-{n}",
            )
            for row in event.selection.rows:
                _show_lesson(theme.lessons[row])


def _show_lesson(lesson: Lesson) -> None:
    with st.container(border=True):
        st.markdown(f"**{lesson.kind_label}** · {escape_markdown(source_label(lesson))}")
        show_passage(lesson.text, quote=lesson.summary)  # the summary in bold inside its passage
        st.caption(f"Document {lesson.doc}" + (f" · passage {lesson.chunk_id}" if style.details() else ""))
