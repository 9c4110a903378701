"""Keeps the persisted sparse (BM25) index in step with the Chroma store.

Chroma is the source of truth. The sparse index is saved together with the document versions
it was built from (in its manifest, so both change in one step); whenever those differ from the
store's registry, only the documents that differ are re-indexed and committed as a new segment.
The versions are also written beside the index folder (`sparse.versions.json`) for the doctor
and for other processes, which notice a change there or in the manifest with two stat calls per
query and then load only the new segments.

Several processes may commit (server mode): a commit on top of a manifest another process
replaced meanwhile is refused (`SparseConflict`); the mirror then loads that manifest and
replays its diff against the registry, so no process's changes are lost.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from kb.passages import indexed_text
from kb.sparse import SparseConflict, SparseIndex, SparseRecord
from kb.store import ChromaStore, StoredChunk

FETCH_BATCH = 200  # documents per Chroma read when many changed (a first build)
COMMIT_ATTEMPTS = 3


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
        self._seen_stamp: tuple | None = None  # manifest and versions file as last loaded/saved
        self._versions_file_checked: tuple | None = None  # (file stamp, versions) known to match

    @property
    def index(self) -> SparseIndex:
        # Another process (a CLI ingest beside the API or the app) may have committed; two
        # stats per query notice it, and the reload reads only the segments that are new.
        if self._index is not None and self._stamp() != self._seen_stamp:
            with self._lock:
                if self._stamp() != self._seen_stamp:
                    self._load()
        if self._index is None:
            self.refresh()
        assert self._index is not None
        return self._index

    def _stamp(self) -> tuple:
        def stat(path: Path):
            try:
                st = path.stat()
            except OSError:
                return None
            return (st.st_mtime_ns, st.st_size, st.st_ino)

        return stat(self.folder / "index.json"), stat(self.versions_file)

    def refresh(self) -> None:
        """Bring the index up to date with the store, re-indexing only documents that changed."""
        with self._lock:
            for _ in range(COMMIT_ATTEMPTS):
                if self._index is None or self._stamp() != self._seen_stamp:
                    self._load()
                current = self.store.current_versions()
                if current == self._versions and self._index is not None:
                    self._write_versions_file()  # e.g. after a crash between the two writes
                    return
                index = self._index or SparseIndex()
                self._apply_diff(index, current)
                try:
                    index.commit(self.folder, extra={"versions": current})
                except SparseConflict:
                    self._seen_stamp = None  # load what the other process committed, then replay
                    continue
                self._index, self._versions = index, current
                self._write_versions_file()
                return
            # Another writer kept committing in between: write this complete view whole.
            index.save(self.folder, extra={"versions": current})
            self._index, self._versions = index, current
            self._write_versions_file()

    def _apply_diff(self, index: SparseIndex, current: dict[str, str]) -> None:
        removed = set(self._versions) - set(current)
        if removed:
            index.apply({doc_id: [] for doc_id in removed})
        changed = [doc_id for doc_id, version in current.items() if self._versions.get(doc_id) != version]
        for start in range(0, len(changed), FETCH_BATCH):
            batch = changed[start : start + FETCH_BATCH]
            chunks = self.store.current_chunks_of(batch)
            index.apply({doc_id: [sparse_record(c) for c in chunks.get(doc_id, [])] for doc_id in batch})

    def stored_versions(self) -> dict[str, str]:
        """The document versions the saved sparse index was built from ({} when there is none)."""
        try:
            return json.loads(self.versions_file.read_text("utf-8"))
        except (FileNotFoundError, ValueError, OSError):
            return {}

    def _load(self) -> None:
        self._seen_stamp = self._stamp()
        try:
            self._index = SparseIndex.load(self.folder, previous=self._index)
            self._versions = dict(self._index.extra.get("versions") or {})
        except (FileNotFoundError, ValueError, KeyError, OSError):
            self._index, self._versions = None, {}

    def _write_versions_file(self) -> None:
        """The index's versions beside it, for the doctor (read and written only when changed)."""
        stamp = self._stamp()
        checked = self._versions_file_checked
        if stamp[1] is None or checked is None or checked[0] != stamp[1] or checked[1] is not self._versions:
            if self.stored_versions() != self._versions:
                tmp = self.versions_file.with_suffix(".tmp")
                tmp.write_text(json.dumps(self._versions, sort_keys=True), "utf-8")
                tmp.replace(self.versions_file)
                stamp = self._stamp()
            self._versions_file_checked = (stamp[1], self._versions)
        self._seen_stamp = stamp
