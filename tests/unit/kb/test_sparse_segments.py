"""The segmented sparse index (issue 8): exact BM25 as bm25s computed it, incremental commits that
write only what changed, tiered merges, reloads of another process's commit, and conflicts."""

from __future__ import annotations

import json

import bm25s
import numpy as np
import pytest

import kb.sparse as sparse
from kb.dutch_text import content_tokens
from kb.sparse import SparseConflict, SparseIndex, SparseRecord
from kb.sparse_mirror import SparseMirror
from tests.unit.kb.test_sparse import CORPUS, _pieces

QUERIES = [
    "Hoe regel je een waakvlam voor iemand die uit beschermt wonen komt?",
    "broodje kasus in oost", "wie zitten er in dat tom in de buurt in alfen", "Moderne Devoten",
    "samenwerking corporatie zorg wijk", "woonzorgcirkels", "armoedecoalitie utrecht opgericht",
]


def _corpus_records() -> list[SparseRecord]:
    return [
        SparseRecord(chunk_id=f"{f.name}#{i}", doc_id=f.name, text=piece, metadata={"doc_id": f.name})
        for f in sorted(CORPUS.glob("*.txt"))
        for i, piece in enumerate(_pieces(f.read_text("utf-8")))
    ]


def _bm25s_scores(records: list[SparseRecord], weights: dict[str, float]) -> dict[str, np.float32]:
    """What the bm25s index this one replaced gave: Lucene BM25, weighted sum in float32."""
    terms = [[t for tok in content_tokens(r.text) for t in sparse._word_terms(tok)] for r in records]
    bm25 = bm25s.BM25(k1=sparse.K1, b=sparse.B, method="lucene")
    bm25.index(terms, show_progress=False)
    data, indices, indptr = (bm25.scores[k] for k in ("data", "indices", "indptr"))
    scores = np.zeros(len(records), dtype=np.float32)
    for term, w in weights.items():
        col = bm25.vocab_dict.get(term)
        if col is not None:
            scores[indices[indptr[col] : indptr[col + 1]]] += np.float32(w) * data[indptr[col] : indptr[col + 1]]
    return {r.chunk_id: s for r, s in zip(records, scores) if s > 0}


def _ours(index: SparseIndex, query: str) -> tuple[dict[str, np.float32], dict[str, float]]:
    state = index._current()
    stems, grams = index._query_weights(state, query)
    weights = {**stems, **grams}
    found = dict(index.search(query, k=100_000))
    return {c: np.float32(s) for c, s in found.items()}, weights


def test_scores_equal_bm25s_bit_for_bit_also_after_changes():
    records = _corpus_records()
    index = SparseIndex.build(records)
    for q in QUERIES:
        ours, weights = _ours(index, q)
        assert ours == _bm25s_scores(records, weights), q
    # replace one document (fewer chunks), remove another: dead rows must not count anywhere
    oost = "wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt"
    kept = [r for r in records if r.doc_id == oost][:5]
    index.replace_document(oost, kept)
    index.remove_document("zorgzame-buurten-woonzorgconcepten.txt")
    remaining = [r for r in records if r.doc_id not in (oost, "zorgzame-buurten-woonzorgconcepten.txt")] + kept
    for q in QUERIES:
        ours, weights = _ours(index, q)
        assert ours == _bm25s_scores(remaining, weights), q


def _docs(n: int, prefix: str = "doc") -> dict[str, list[SparseRecord]]:
    words = ["wijktafel", "buurtkamer", "waakvlam", "mantelzorg", "corporatie", "huisarts", "vrijwilliger"]
    return {
        f"{prefix}{d}.txt": [
            SparseRecord(chunk_id=f"{prefix}{d}.txt#{i}", doc_id=f"{prefix}{d}.txt",
                         text=f"{words[d % 7]} {words[(d + i) % 7]} in wijk {d} deel {i}",
                         metadata={"doc_id": f"{prefix}{d}.txt", "year": str(2000 + d % 5)})
            for i in range(3)
        ]
        for d in range(n)
    }


def _all(index: SparseIndex, query: str, **kw) -> set[tuple[str, float]]:
    return set(index.search(query, k=10_000, **kw))


def _files(folder) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() and p.name != "index.json"}


def test_commit_writes_only_the_new_segment(tmp_path):
    folder = tmp_path / "sparse"
    index = SparseIndex()
    index.apply(_docs(20))
    index.commit(folder)
    before = _files(folder)
    index.replace_document("doc3.txt", [SparseRecord(chunk_id="doc3.txt#0", doc_id="doc3.txt",
                                                     text="buurtbus naar de huisarts", metadata={})])
    index.commit(folder)
    after = _files(folder)
    assert all(after[name] == stamp for name, stamp in before.items())  # nothing rewritten
    new_segments = {name.split("/")[0] for name in after.keys() - before.keys()}
    assert len(new_segments) == 1
    manifest = json.loads((folder / "index.json").read_text("utf-8"))
    assert sum(len(s["dead"]) for s in manifest["segments"]) == 3  # the old rows of doc3
    loaded = SparseIndex.load(folder)
    for q in ["buurtbus huisarts", "wijktafel", "waakvlam mantelzorg"]:
        assert loaded.search(q) == index.search(q)
    assert loaded.chunk_ids("doc3.txt") == {"doc3.txt#0"} and len(loaded) == len(index) == 58


def test_many_small_commits_merge_in_tiers_with_the_same_results(tmp_path, monkeypatch):
    monkeypatch.setattr(sparse, "MERGE_FANOUT", 3)
    monkeypatch.setattr(sparse, "TIERS", (7, 20))
    monkeypatch.setattr(sparse, "MAX_SEGMENT_ROWS", 40)
    monkeypatch.setattr(sparse, "RETIRED_GRACE_S", 0)
    folder = tmp_path / "sparse"
    docs = _docs(40)
    index = SparseIndex()
    for doc_id, records in docs.items():  # one commit per document, as single uploads would
        index.replace_document(doc_id, records)
        index.commit(folder)
        assert index.segment_count() <= 2 * (3 - 1) + 120 // 40 + 1
    for d in range(0, 40, 2):  # replace half: dead rows, then compaction
        doc_id = f"doc{d}.txt"
        docs[doc_id] = [r.model_copy(update={"text": r.text + " herzien"}) for r in docs[doc_id]]
        index.replace_document(doc_id, docs[doc_id])
        index.commit(folder)
    fresh = SparseIndex.build([r for records in docs.values() for r in records])
    for q in ["wijktafel herzien", "waakvlam", "mantelzorg corporatie wijk"]:
        assert _all(index, q) == _all(fresh, q)
        assert _all(index, q, filters={"year": "2003"}) == _all(fresh, q, filters={"year": "2003"})
    loaded = SparseIndex.load(folder)
    assert _all(loaded, "wijktafel herzien") == _all(fresh, "wijktafel herzien")
    manifest = json.loads((folder / "index.json").read_text("utf-8"))
    live_rows = sum(s["rows"] - len(s["dead"]) for s in manifest["segments"])
    total_rows = sum(s["rows"] for s in manifest["segments"])
    assert live_rows == 120 and total_rows < 120 / (1 - sparse.COMPACT_DEAD_SHARE) + 1
    on_disk = {p.name for p in folder.iterdir() if p.name.startswith("seg-")}
    listed = {s["name"] for s in manifest["segments"]} | {r["name"] for r in manifest["retired"]}
    assert on_disk == listed  # merged-away segments are deleted once their grace period is over


def test_a_reload_reads_only_new_segments(tmp_path):
    folder = tmp_path / "sparse"
    writer = SparseIndex.build([r for records in _docs(10).values() for r in records])
    writer.save(folder)
    reader = SparseIndex.load(folder)  # another process, e.g. the API
    writer.apply(_docs(2, prefix="nieuw"))
    writer.commit(folder)
    again = SparseIndex.load(folder, previous=reader)
    assert again._segments[0] is reader._segments[0]  # not read from disk again
    assert {"nieuw0.txt", "nieuw1.txt"} <= again.doc_ids()
    assert _all(again, "wijktafel") == _all(writer, "wijktafel")


def test_a_commit_over_another_processes_commit_is_refused(tmp_path):
    folder = tmp_path / "sparse"
    SparseIndex.build([r for records in _docs(5).values() for r in records]).save(folder)
    first, second = SparseIndex.load(folder), SparseIndex.load(folder)
    first.apply(_docs(1, prefix="a"))
    first.commit(folder)
    second.apply(_docs(1, prefix="b"))
    with pytest.raises(SparseConflict):
        second.commit(folder)
    assert "a0.txt" in SparseIndex.load(folder).doc_ids()


def test_two_mirrors_on_one_store_keep_every_change(fake_components, tiny_corpus):
    c = fake_components
    c.indexer.sync_folder(tiny_corpus)
    other = SparseMirror(c.store, c.settings.sparse_dir)  # a second process on the same server
    other.refresh()
    (tiny_corpus / "extra.txt").write_text(
        "Buurtkamer\n\nDe buurtkamer is elke dag open voor bewoners en vrijwilligers uit de wijk.", "utf-8"
    )
    c.indexer.sync_folder(tiny_corpus)  # the first process commits
    c.store.remove_document("waakvlam.txt")  # and a change only the registry knows of yet
    other.refresh()  # loads the first one's commit, then replays the rest
    assert other.index.doc_ids() == {"wijknetwerk.md", "extra.txt"}
    assert other.stored_versions() == c.store.current_versions()
    c.sparse.refresh()
    assert c.sparse.index.doc_ids() == {"wijknetwerk.md", "extra.txt"}


def test_an_index_from_another_analyser_is_rebuilt_from_the_store(fake_components, tiny_corpus):
    c = fake_components
    c.indexer.sync_folder(tiny_corpus)
    manifest_path = c.settings.sparse_dir / "index.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "analyser": "iets-anders"}), "utf-8")
    with pytest.raises(ValueError):
        SparseIndex.load(c.settings.sparse_dir)
    fresh = SparseMirror(c.store, c.settings.sparse_dir)
    assert fresh.index.search("waakvlamfunctie")[0][0].startswith("waakvlam.txt@")
    assert json.loads(manifest_path.read_text("utf-8"))["analyser"] == sparse.ANALYSER_VERSION


def test_what_a_killed_writer_left_is_swept_once_old(tmp_path, monkeypatch):
    folder = tmp_path / "sparse"
    index = SparseIndex.build([r for records in _docs(3).values() for r in records])
    index.commit(folder)
    (folder / "seg-0123456789abcdef").mkdir()  # written, never listed: its writer was killed
    (folder / ".seg-fedcba9876543210.tmp-abc123").mkdir()
    (folder / ".index.json.tmp-abc123").write_text("{", "utf-8")
    index.apply(_docs(1, prefix="nieuw"))
    index.commit(folder)
    assert (folder / "seg-0123456789abcdef").exists()  # young: a writer may still be busy
    monkeypatch.setattr(sparse, "ABANDONED_AFTER_S", 0)
    index.apply(_docs(1, prefix="later"))
    index.commit(folder)
    names = {p.name for p in folder.iterdir()}
    assert "seg-0123456789abcdef" not in names and not any(".tmp-" in n for n in names)
    assert SparseIndex.load(folder).doc_ids() == index.doc_ids()
