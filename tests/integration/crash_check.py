"""Prints, as JSON, what a crash test checks after each kill: the doctor's findings, each stored
document's chunk count and chunk hashes, and whether a query still answers. Runs in its own
process so it sees the index exactly as the next `wijkwijs` process would.

Usage: python -m tests.integration.crash_check (settings from WIJKWIJS_* as for the CLI).
"""

from __future__ import annotations

import json

from assistant.components import Components
from assistant.settings import Settings
from ingest.manifest import load_manifest
from ingest.pipeline import document_hash, prepare_document
from kb.doctor import diagnose
from kb.indexer import corpus_files
from kb.store import chunk_metadata
from tests.fakes import HashEmbedder


def main() -> None:
    c = Components(Settings(), embedder=HashEmbedder())
    checkup = diagnose(c.indexer, c.settings.corpus_dir)
    metas = c.store.chunks.get(include=["metadatas"])["metadatas"]
    docs = {}
    for stored in c.store.documents():
        mine = sorted((m for m in metas if m["doc_id"] == stored.document.doc_id), key=lambda m: m["chunk_index"])
        docs[stored.document.doc_id] = {
            "version": stored.version,
            "chunk_count": stored.chunk_count,
            "chunks": len(mine),
            "hashes": [m["embed_hash"] for m in mine],
        }
    # What a clean ingest of the files as they are now would store, chunk by chunk.
    folder = c.settings.corpus_dir
    manifest = load_manifest(folder)
    expected = {}
    for path in corpus_files(folder):
        doc, chunks = prepare_document(path, folder, manifest, chunk_words=c.settings.chunking.words,
                                       overlap_words=c.settings.chunking.overlap_words)
        version = document_hash(path, c.settings.ingest_fingerprint())
        doc = doc.model_copy(update={"content_hash": version})
        expected[doc.doc_id] = {"version": version,
                                "hashes": [chunk_metadata(doc, ch, version)["embed_hash"] for ch in chunks]}
    answer = c.assistant.ask("Hoe regel je een waakvlamfunctie?")
    print(json.dumps({
        "findings": [(f.kind, f.doc_id) for f in checkup.findings if f.kind not in ("manifest", "unsupported")],
        "documents": docs,
        "expected": expected,
        "total_chunks": len(metas),
        # with the fake embedder the answer's wording means little; that the index serves the
        # passages the question is about is what a crash must not break
        "retrieved_sources": [ctx.doc for ctx in answer.contexts],
    }))


if __name__ == "__main__":
    main()
