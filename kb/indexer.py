"""Keeps the knowledge base in step with a folder of documents.

A document's version hash (file bytes + ingest settings) decides: unchanged → skipped without
parsing or embedding; changed → re-chunked, and only chunk texts never embedded before are
embedded (the vectors of unchanged texts are reused, like simonw/llm's content-hash skip).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from ingest.loaders import SUPPORTED_SUFFIXES, IngestError, load_file
from ingest.manifest import Manifest, load_manifest
from ingest.pipeline import document_hash, prepare_document
from ingest.quality import document_warnings
from ingest.records import Chunk, Document
from kb.embedders import Embedder, passage_and_unit_vectors
from kb.passages import indexed_text
from kb.sparse_mirror import SparseMirror
from kb.store import ChromaStore, chunk_metadata
from kb.units import encode_vectors, unit_spans

# (doc_id, chunks embedded so far, chunks to embed): lets the CLI and the UI show progress.
ProgressCallback = Callable[[str, int, int], None]


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, Dutch message)
    # Accepted, but a maintainer should look: another language, an instruction to a model.
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, Dutch message)
    # New files whose bytes equal an indexed document's: not indexed twice.
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the indexed doc_id)
    chunks_embedded: int = 0
    chunks_reused: int = 0
    orphans_removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed or self.orphans_removed)


@dataclass
class PreparedDocument:
    """A file parsed, chunked and embedded, not yet stored (Indexer.prepare → Indexer.commit)."""

    doc: Document
    chunks: list[Chunk]
    vectors: np.ndarray
    unit_blobs: list[str]
    warnings: list[tuple[str, str]]  # (file, Dutch message)
    embedded: int
    reused: int


MANIFEST_NAME = "manifest.json"


def _visible_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def corpus_files(folder: Path, visible: list[Path] | None = None) -> list[Path]:
    """The documents in a folder (recursively), skipping the manifest and hidden files."""
    return [p for p in visible or _visible_files(folder) if p.suffix.lower() in SUPPORTED_SUFFIXES]


def unsupported_files(folder: Path, visible: list[Path] | None = None) -> list[Path]:
    """Files a maintainer put in the folder that we cannot read (reported, never silently skipped)."""
    return [
        p
        for p in visible or _visible_files(folder)
        if p.suffix.lower() not in SUPPORTED_SUFFIXES and p.name != MANIFEST_NAME
    ]


def retire_file(folder: Path, doc_id: str, trash: Path) -> Path | None:
    """Move a removed document's file out of the corpus folder (into `trash`, never deleted),
    so the next ingest doesn't bring it back. None when there is no such file."""
    source = (folder / doc_id).resolve()
    if not source.is_file() or not source.is_relative_to(folder.resolve()):
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = trash / f"{stamp}-{source.name}"
    trash.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), target)
    return target


class Indexer:
    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        sparse: SparseMirror,
        fingerprint: str,
        chunk_words: int = 220,
        overlap_words: int = 30,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.sparse = sparse
        self.fingerprint = fingerprint
        self.chunk_words = chunk_words
        self.overlap_words = overlap_words
        self._manifest_cache: tuple[tuple, Manifest | None] | None = None

    def _manifest(self, folder: Path) -> Manifest | None:
        """The folder's manifest, parsed again only when the file changed (10k entries: ±0.2 s)."""
        path = folder / MANIFEST_NAME
        try:
            st = path.stat()
            key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
        except OSError:
            key = (str(path), None, None)
        if self._manifest_cache is None or self._manifest_cache[0] != key:
            self._manifest_cache = (key, load_manifest(folder))
        return self._manifest_cache[1]

    def sync_folder(
        self,
        folder: Path,
        files: list[Path] | None = None,
        prune: bool = False,
        progress: ProgressCallback | None = None,
    ) -> SyncReport:
        """Index new and changed files of `folder` (or just `files` in it); prune vanished ones."""
        report = SyncReport()
        report.orphans_removed = self.store.remove_crash_leftovers()
        manifest = self._manifest(folder)
        # One walk of the folder serves every list below; none when only `files` are synced
        # (an upload into 10k documents need not list them).
        visible = _visible_files(folder) if files is None or prune else []
        targets = corpus_files(folder, visible) if files is None else files
        if files is None:
            for path in unsupported_files(folder, visible):
                try:
                    load_file(path)  # raises the loader's own Dutch message for this type
                except IngestError as err:
                    report.failed.append((path.relative_to(folder).as_posix(), str(err)))
        for path in targets:
            self._sync_file(path, folder, manifest, report, progress)
        if prune:
            present = {p.relative_to(folder).as_posix() for p in corpus_files(folder, visible)}
            for stored in self.store.documents():
                if stored.document.doc_id not in present:
                    self.store.remove_document(stored.document.doc_id)
                    report.removed.append(stored.document.doc_id)
        # Always, not only when this run changed something: an earlier run killed between the
        # Chroma write and the sparse save leaves the sparse side behind (crash test, issue 8).
        self.sparse.refresh()
        return report

    def remove(self, doc_id: str) -> bool:
        removed = self.store.remove_document(doc_id)
        if removed:
            self.sparse.refresh()
        return removed

    def _sync_file(
        self,
        path: Path,
        folder: Path,
        manifest: Manifest | None,
        report: SyncReport,
        progress: ProgressCallback | None,
    ) -> None:
        doc_id = path.relative_to(folder).as_posix()
        stored = self.store.document(doc_id)
        version = document_hash(path, self.fingerprint)
        if stored is not None and stored.version == version:
            report.unchanged.append(doc_id)
            if progress:
                progress(doc_id, stored.chunk_count, stored.chunk_count)
            return
        if stored is None:
            twin = self.store.document_with_version(version)
            # A twin whose file is gone was renamed, not copied: index under the new name
            # (with --prune the old name goes).
            if twin is not None and twin != doc_id and (folder / twin).is_file():
                report.duplicates.append((doc_id, twin))
                if progress:
                    progress(doc_id, 0, 0)
                return
        try:
            prepared = self.prepare(path, folder, manifest, progress=progress)
        except IngestError as err:
            report.failed.append((doc_id, str(err)))
            return
        except Exception as err:  # one odd file must not stop a folder of reports
            report.failed.append((doc_id, f"{doc_id}: onverwachte fout bij het verwerken ({err!r})."))
            return
        self.commit(prepared, report, replaced=stored is not None)

    def prepare(
        self,
        path: Path,
        folder: Path,
        manifest: Manifest | None = None,
        doc_id: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> PreparedDocument:
        """Parse, chunk and embed one file without storing it: the slow part, which an upload
        does before it takes the write lock (`doc_id` when the file still sits in a staging folder).
        Raises IngestError with the Dutch message for the maintainer (a parser's own exception
        passes through: the caller words it). Without `manifest`, the folder's own is read."""
        doc_id = doc_id or path.relative_to(folder).as_posix()
        manifest = manifest if manifest is not None else self._manifest(folder)
        doc, chunks = prepare_document(
            path, folder, manifest, chunk_words=self.chunk_words, overlap_words=self.overlap_words, doc_id=doc_id
        )
        if not chunks:
            raise IngestError(f"{doc_id}: geen bruikbare tekst gevonden; niets opgenomen.")
        doc = doc.model_copy(update={"content_hash": document_hash(path, self.fingerprint)})
        warnings = [(doc_id, w) for w in document_warnings(doc_id, "\n".join(c.text for c in chunks))]
        metas = [chunk_metadata(doc, c, doc.content_hash) for c in chunks]
        vectors, unit_blobs, embedded = self._embed(doc, chunks, metas, progress)
        return PreparedDocument(doc, chunks, vectors, unit_blobs, warnings, embedded, len(chunks) - embedded)

    def commit(self, prepared: PreparedDocument, report: SyncReport, replaced: bool) -> None:
        """Store a prepared document as its new current version (all-or-nothing, kb/store.py)."""
        self.store.put_document(prepared.doc, prepared.chunks, prepared.vectors, prepared.unit_blobs)
        report.warnings.extend(prepared.warnings)
        report.chunks_embedded += prepared.embedded
        report.chunks_reused += prepared.reused
        (report.replaced if replaced else report.added).append(prepared.doc.doc_id)

    def commit_upload(self, prepared: PreparedDocument) -> SyncReport:
        """`commit` for an upload moved into the folder: with the clean-up `sync_folder` does."""
        report = SyncReport()
        report.orphans_removed = self.store.remove_crash_leftovers()
        self.commit(prepared, report, replaced=self.store.document(prepared.doc.doc_id) is not None)
        self.sparse.refresh()
        return report

    def _embed(
        self, doc: Document, chunks: list[Chunk], metas: list[dict], progress: ProgressCallback | None
    ) -> tuple[np.ndarray, list[str], int]:
        """Vectors for every chunk (and its units), reusing those of texts embedded before;
        returns (matrix, unit blobs, number embedded now)."""
        known = self.store.embeddings_by_hash(doc.doc_id)
        vectors: dict[int, np.ndarray] = {}
        unit_blobs: dict[int, str] = {}
        for i, m in enumerate(metas):
            stored = known.get(m["embed_hash"])
            if stored is not None and stored[2] == m.get("units"):  # same text, context and units
                vectors[i], unit_blobs[i] = stored[0], stored[1] or ""
        todo = [i for i in range(len(chunks)) if i not in vectors]
        batch = 32  # progress granularity; the embedder batches further inside
        if progress:
            progress(doc.doc_id, 0, len(todo))
        for start in range(0, len(todo), batch):
            part = todo[start : start + batch]
            texts = [indexed_text(chunks[i].text, metas[i]) for i in part]
            spans = [unit_spans(chunks[i], len(texts[k]) - len(chunks[i].text)) for k, i in enumerate(part)]
            passage_vectors, unit_vectors = passage_and_unit_vectors(self.embedder, texts, spans)
            for i, vec, units in zip(part, passage_vectors, unit_vectors):
                vectors[i] = vec
                unit_blobs[i] = encode_vectors(units) if len(units) else ""
            if progress:
                progress(doc.doc_id, min(start + batch, len(todo)), len(todo))
        matrix = np.stack([vectors[i] for i in range(len(chunks))]) if chunks else np.zeros((0, 1))
        return matrix, [unit_blobs.get(i, "") for i in range(len(chunks))], len(todo)
