"""Unit fixtures: a tiny Dutch corpus and components wired with the fake embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.components import Components
from assistant.settings import Settings
from tests.fakes import HashEmbedder

TINY_DOCS = {
    "waakvlam.txt": (
        "Uitstroom uit beschermd wonen\n\n"
        "Wanneer de begeleiding stopt, blijft een waakvlamfunctie bestaan. De corporatie en de "
        "zorgaanbieder spreken af dat de begeleider na het stoppen van de begeleiding nog twee jaar "
        "bereikbaar blijft. Zo kan de huurder snel hulp krijgen als het misgaat.\n\n"
        "Wat is bereikt?\n\n"
        "Meer dan veertig bewoners kregen een eigen woning in de wijk. De gemeente betaalt de "
        "waakvlam uit de middelen voor beschermd wonen."
    ),
    "wijknetwerk.md": (
        "# Wijknetwerken in Oost\n\n"
        "De wijknetwerken brengen zorg, welzijn en informele zorg samen. Elke maand is er een "
        "wijktafel waar professionals casussen bespreken tijdens Broodje Casus.\n\n"
        "## Lessen\n\n"
        "Gelijkwaardige samenwerking met informele zorg vraagt tijd. Organisaties moeten elkaar "
        "kennen voordat zij samen casussen oppakken."
    ),
}


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in TINY_DOCS.items():
        (folder / name).write_text(text, "utf-8")
    return folder


@pytest.fixture
def fake_components(tmp_path, tiny_corpus) -> Components:
    settings = Settings(
        data_dir=tmp_path / "data",
        corpus_dir=tiny_corpus,
        embedding={"model": "fake-hash-64"},
    )
    return Components(settings, embedder=HashEmbedder(), untrained=True)
