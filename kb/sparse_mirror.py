"""Keeps the persisted sparse (BM25) index in step with the Chroma store.

Chroma is the source of truth. The sparse index is saved together with the document versions
it was built from; whenever those differ from the store's registry, only the documents that
differ are re-indexed. A crash between the two saves only means that diff is replayed.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from kb.passages import indexed_text
from kb.sparse import SparseIndex, SparseRecord
from kb.store import ChromaStore, StoredChunk



def sparse_record(chunk: StoredChunk) -> SparseRecord:
    meta = chunk.metadata
    return SparseRecord(
        chunk_id=chunk.chunk_id,
        doc_id=meta["doc_id"],
        text=indexed_text(chunk.text, meta),
        metadata={
            "doc_id": meta["doc_id"],
            "doc_type": meta.get("doc_type"),
            "case": meta.get("case"),
            "year": meta.get("year"),
            "kind": meta.get("kind"),
            "places": list(meta.get("places") or []),
        },
    )


class SparseMirror:
    def __init__(self, store: ChromaStore, folder: Path) -> None:
        self.store = store
        self.folder = folder
        self._index: SparseIndex | None = None
        self._versions: dict[str, str] = {}
        self._lock = threading.Lock()
        # Beside the index folder, not in it: SparseIndex.save replaces the folder whole.
        self.versions_file = folder.with_name(folder.name + ".versions.json")
        self._seen_stamp: tuple[int, int] | None = None  # versions file as last loaded/saved

    @property
    def index(self) -> SparseIndex:
        # Another process (a CLI ingest beside the API or the app) may have saved a newer
        # index; one stat per query notices it, and the reload is the on-disk index only.
        if self._index is not None and self._stamp() != self._seen_stamp:
            with self._lock:
                if self._stamp() != self._seen_stamp:
                    self._load()
        if self._index is None:
            self.refresh()
        assert self._index is not None
        return self._index

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.versions_file.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def refresh(self) -> None:
        """Bring the index up to date with the store, re-indexing only documents that changed."""
        with self._lock:
            if self._index is None:
                self._load()
            current = self.store.current_versions()
            if current == self._versions and self._index is not None:
                return
            index = self._index or SparseIndex.build([])
            for doc_id in set(self._versions) - set(current):
                index.remove_document(doc_id)
            for doc_id, version in current.items():
                if self._versions.get(doc_id) != version:
                    records = [sparse_record(c) for c in self.store.current_chunks(doc_id)]
                    index.replace_document(doc_id, records)
            self._save(index, current)
            self._index, self._versions = index, current

    def stored_versions(self) -> dict[str, str]:
        """The document versions the saved sparse index was built from ({} when there is none)."""
        try:
            return json.loads(self.versions_file.read_text("utf-8"))
        except (FileNotFoundError, ValueError, OSError):
            return {}

    def _load(self) -> None:
        self._seen_stamp = self._stamp()
        try:
            self._index = SparseIndex.load(self.folder)
            self._versions = json.loads(self.versions_file.read_text("utf-8"))
        except (FileNotFoundError, ValueError, KeyError, OSError):
            self._index, self._versions = None, {}

    def _save(self, index: SparseIndex, versions: dict[str, str]) -> None:
        index.save(self.folder)
        tmp = self.versions_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(versions, sort_keys=True), "utf-8")
        tmp.replace(self.versions_file)
        self._seen_stamp = self._stamp()
