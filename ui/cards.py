"""Practice-case cards in the app: one expander per card; per field its items, numbered, and a
"Bronnen" popover with each item's source (title, section, pages) and the quoted sentence.

A card's contents run only while its expander is open (a keyed expander that reruns on
toggle): a page with twenty closed cards sends twenty labels, not hundreds of quotes.
"""

from __future__ import annotations

import streamlit as st

from assistant.catalogue import CardItem, CaseCard
from assistant.catalogue_render import FIELD_LABELS, SOORT_LABELS
from assistant.search import pages_label
from ui import style
from ui.passages import contains_words, escape_markdown, passage_html


def card_text(card: CaseCard) -> str:
    """Everything a card says, for the text filter."""
    items = [card.tagline] if card.tagline else []
    items += [item for name in FIELD_LABELS for item in getattr(card, name)]
    return " ".join([card.name, card.doc_title, *(f"{i.label or ''} {i.text}" for i in items)])


def card_matches(card: CaseCard, query: str) -> bool:
    return contains_words(card_text(card), query)


def card_label(card: CaseCard) -> str:
    # "Noord-Holland (Zaanstad, Purmerend, …)" → "Noord-Holland": the label stays one line
    places = ", ".join(dict.fromkeys(p.text.split(" (")[0] for p in card.places[:3]))
    label = f"**{escape_markdown(card.name)}**"
    return f"{label} · {escape_markdown(places)}" if places else label


def show_card(card: CaseCard) -> None:
    box = st.expander(card_label(card), key=f"kaart-{card.id}", on_change="rerun", icon=":material/id_card:")
    if not box.open:
        return
    with box:
        if card.tagline:
            _field(f"*{escape_markdown(card.tagline.text)}*", [card.tagline], f"{card.id}-tagline", numbered=False)
        counts = f"{len(card.passages)} passage{'' if len(card.passages) == 1 else 's'}"
        st.caption(f"{SOORT_LABELS[card.soort].capitalize()} · {escape_markdown(card.doc_title)} · {counts}")
        for name, label in FIELD_LABELS.items():
            items = getattr(card, name)
            if items:
                _field(f"**{label}**", items, f"{card.id}-{name}")


def _field(heading: str, items: list[CardItem], key: str, numbered: bool = True) -> None:
    head, sources = st.columns([0.84, 0.16], vertical_alignment="center")
    head.markdown(heading)
    with sources.popover("Bronnen" if numbered else "Bron", icon=":material/format_quote:", type="tertiary",
                         key=f"bron-{key}"):
        st.caption(escape_markdown(items[0].citations[0].title))  # a card quotes one document
        for n, item in enumerate(items, 1):
            _citation(item, n if numbered else None)
    if numbered:
        st.markdown("\n".join(f"- {_item_text(item)} <sup>{n}</sup>" for n, item in enumerate(items, 1)),
                    unsafe_allow_html=True)


def _item_text(item: CardItem) -> str:
    text = escape_markdown(item.text)
    if not item.label:
        return text
    # "Wat is 1.Hoorn?" keeps its question mark, "Borging" gets a colon
    label = item.label if item.label.endswith(("?", ":")) else item.label + ":"
    return f"**{escape_markdown(label)}** {text}"


def _citation(item: CardItem, n: int | None) -> None:
    citation = item.citations[0]
    where = ", ".join(x for x in (citation.section or citation.case, pages_label(citation)) if x) or "hele document"
    st.markdown(f"**{f'{n}. ' if n is not None else ''}{escape_markdown(where)}**")
    at = citation.quote.casefold().find(item.text.casefold())  # the name or point inside its sentence
    strong = [(at, at + len(item.text))] if at >= 0 and item.text != citation.quote else []
    st.markdown(passage_html(citation.quote, strong=strong), unsafe_allow_html=True)
    if style.details():
        st.caption(f"Passage {citation.chunk_id}")
