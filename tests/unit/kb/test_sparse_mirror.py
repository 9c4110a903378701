"""The sparse mirror notices an index saved by another process (CLI ingest beside the API)."""

from __future__ import annotations

from kb.sparse_mirror import SparseMirror


def test_a_second_mirror_sees_documents_added_through_the_first(fake_components, tiny_corpus):
    c = fake_components
    (tiny_corpus / "wijknetwerk.md").unlink()
    c.indexer.sync_folder(tiny_corpus)
    reader = SparseMirror(c.store, c.settings.sparse_dir)  # e.g. the API process
    assert not any(cid.startswith("extra.txt@") for cid, _ in reader.index.search("wijktafel"))

    (tiny_corpus / "extra.txt").write_text(
        "Wijktafel in Oost\n\nElke maand is er een wijktafel waar professionals casussen bespreken.",
        "utf-8",
    )
    c.indexer.sync_folder(tiny_corpus)  # the writer saves a new sparse index
    found = reader.index.search("wijktafel")
    assert found and found[0][0].startswith("extra.txt@")


def test_kind_is_a_sparse_filter(fake_components, tiny_corpus):
    c = fake_components
    c.indexer.sync_folder(tiny_corpus)
    chunk = c.store.current_chunks()[0]
    kind = chunk.metadata.get("kind")
    hits = c.sparse.index.search("waakvlamfunctie wijktafel", k=20, filters={"kind": "geen-soort"})
    assert hits == []
    if kind:  # with kinds assigned at ingest the filter keeps exactly that kind
        hits = c.sparse.index.search(chunk.text[:60], k=20, filters={"kind": kind})
        assert hits and all(
            c.store.get_chunks([cid])[0].metadata.get("kind") == kind for cid, _ in hits
        )
