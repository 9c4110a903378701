"""API fixtures: the app over the tiny corpus with the fake embedder, and files to upload."""

from __future__ import annotations

import io
import shutil
import time

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.components import Components
from assistant.settings import Settings
from tests.fakes import HashEmbedder

TOKEN = "test-token-1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUESTION = "Hoe lang blijft de begeleider bereikbaar na het stoppen van de begeleiding?"

NEW_TEXT = (
    "Buurtkamer in Zwaag\n\n"
    "In Zwaag opende de corporatie een buurtkamer in een leegstaande winkel. Vrijwilligers "
    "schenken koffie en de wijkverpleegkundige houdt er elke dinsdag spreekuur. Bewoners die "
    "eenzaam zijn vinden zo makkelijker de weg naar hulp.\n"
).encode("utf-8")


def make_components(tmp_path, tiny_corpus, embedder=None, **api) -> Components:
    settings = Settings(
        data_dir=tmp_path / "data",
        corpus_dir=tiny_corpus,
        embedding={"model": "fake-hash-64"},
        answer={"min_dense_score": 0.2},
        api={"token": TOKEN, "rate_limit_per_minute": 0, **api},  # the limit has its own test
    )
    components = Components(settings, embedder=embedder or HashEmbedder(), untrained=True)
    report = components.indexer.sync_folder(tiny_corpus)
    assert not report.failed
    return components


def started_client(components: Components, **kw) -> TestClient:
    client = TestClient(create_app(components), **kw)
    client.__enter__()  # runs the lifespan: the warm-up thread starts
    deadline = time.monotonic() + 10
    while client.get("/ready").status_code != 200:
        assert time.monotonic() < deadline, client.get("/ready").json()
        time.sleep(0.02)
    return client


@pytest.fixture
def components(tmp_path, tiny_corpus) -> Components:
    return make_components(tmp_path, tiny_corpus)


@pytest.fixture
def client(components):
    client = started_client(components)
    yield client
    client.__exit__(None, None, None)


@pytest.fixture
def make_client(tmp_path, tiny_corpus):
    """An app with other API settings: make_client(token=None), make_client(protect_reads=True)."""
    opened = []

    def make(**api) -> TestClient:
        root = tmp_path / f"alt{len(opened)}"
        shutil.copytree(tiny_corpus, root / "corpus")
        c = started_client(make_components(root, root / "corpus", **api), raise_server_exceptions=False)
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)


def pdf_bytes(lines: list[str], **kw) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    if kw.get("password"):
        pdf.set_encryption(owner_password="eigenaar", user_password=kw["password"])
    return bytes(pdf.output())


def scan_pdf_bytes(tmp_path) -> bytes:
    """A PDF holding only an image: what a scan without a text layer looks like."""
    from fpdf import FPDF
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("RGB", (400, 300), (240, 240, 240)).save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=180)
    return bytes(pdf.output())


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("Wijkplan", level=1)
    for p in paragraphs:
        d.add_paragraph(p)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
