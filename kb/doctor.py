"""`wijkwijs doctor`: compare the index with the corpus folder and the manifest, and repair.

What can be wrong after crashes, hand edits or a settings change:
- a document in the folder is not indexed (missing) or indexed from older bytes/settings (stale);
- a document is indexed but its file is gone (orphaned document);
- chunks of superseded versions are left behind, or a document has fewer/more chunks than its
  registry entry says (damaged);
- the sparse (BM25) index is not in step with the store;
- the index was built with another embedding model than the settings name;
- the manifest names files that are not there.
Repairs reuse the indexer (the same code as `wijkwijs ingest`), so they are as safe as an ingest.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.loaders import IngestError
from ingest.manifest import MANIFEST_NAME, read_manifest
from ingest.pipeline import document_hash
from kb.indexer import Indexer, corpus_files, unsupported_files
from kb.passages import indexed_hash

# Finding kinds, in the order they are reported; the Dutch label says what it means.
LABELS = {
    "model": "ander embeddingmodel",
    "missing": "niet opgenomen",
    "stale": "verouderd",
    "orphan": "bestand ontbreekt",
    "damaged": "beschadigd (aantal passages klopt niet)",
    "leftovers": "losse passages (oude versies)",
    "sparse": "trefwoordenindex loopt achter",
    "manifest": "manifest",
    "unsupported": "niet leesbaar bestandstype",
    "uploads": "achtergebleven upload-mappen",
}
# Uploads are staged in hidden folders inside the corpus folder (assistant/library.py); one that
# outlives an hour belongs to an upload that crashed, not to one that is running.
UPLOAD_PREFIX = ".upload-"
STALE_UPLOAD_S = 3600
# Findings that `--fix` cannot repair (the maintainer must act): reported, not counted as fixed.
ADVISORY = {"manifest", "unsupported"}


@dataclass
class Finding:
    kind: str
    doc_id: str | None
    message: str  # Dutch, for people

    @property
    def label(self) -> str:
        return LABELS[self.kind]


@dataclass
class Checkup:
    documents_indexed: int = 0
    files_in_folder: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not [f for f in self.findings if f.kind not in ADVISORY]

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


def model_finding(error: Exception) -> Finding:
    return Finding("model", None, str(error))


def diagnose(indexer: Indexer, folder: Path) -> Checkup:
    """Everything that differs between the index and `folder` (read-only)."""
    store = indexer.store
    store.reload_registry()  # the doctor trusts no cache: hand edits do not renew it
    files = {p.relative_to(folder).as_posix(): p for p in corpus_files(folder)}
    stored = {s.document.doc_id: s for s in store.documents()}
    checkup = Checkup(files_in_folder=len(files), documents_indexed=len(stored))
    for check in (_file_findings(files, stored, indexer.fingerprint), _chunk_findings(store, stored),
                  _sparse_findings(indexer, stored), _manifest_findings(folder, files), _folder_findings(folder)):
        checkup.findings += check
    return checkup


def _file_findings(files: dict[str, Path], stored: dict, fingerprint: str) -> list[Finding]:
    """Files not indexed, changed since, or indexed while the file is gone."""
    out = []
    for doc_id, path in files.items():
        entry = stored.get(doc_id)
        if entry is None:
            out.append(Finding("missing", doc_id, f"{doc_id} staat in de map maar niet in de index."))
        elif entry.version != document_hash(path, fingerprint):
            out.append(Finding("stale", doc_id, f"{doc_id} is gewijzigd (of de instellingen) sinds het is opgenomen."))
    for doc_id in stored.keys() - files.keys():
        out.append(Finding("orphan", doc_id, f"{doc_id} staat in de index maar het bestand is weg."))
    return out


def _chunk_findings(store, stored: dict) -> list[Finding]:
    """One pass over the chunks: counts per (document, version), and each text against the hash
    recorded when it was embedded (a torn write would not match)."""
    got = store.chunks.get(include=["metadatas", "documents"])
    counts = Counter((m.get("doc_id"), m.get("version")) for m in got["metadatas"])
    torn = {m.get("doc_id") for m, text in zip(got["metadatas"], got["documents"])
            if indexed_hash(text or "", m) != m.get("embed_hash")}
    leftovers = sum(n for (doc_id, version), n in counts.items()
                    if doc_id not in stored or stored[doc_id].version != version)
    out = []
    if leftovers:
        out.append(Finding("leftovers", None,
                           f"{leftovers} passages van oude of verwijderde versies staan nog in de index."))
    for doc_id, entry in stored.items():
        have = counts.get((doc_id, entry.version), 0)
        if doc_id in torn:
            out.append(Finding("damaged", doc_id, f"{doc_id}: de tekst van een passage klopt niet met zijn hash."))
        elif have != entry.chunk_count:
            out.append(Finding("damaged", doc_id,
                               f"{doc_id}: {have} passages in de index, {entry.chunk_count} verwacht."))
    return out


def _sparse_findings(indexer: Indexer, stored: dict) -> list[Finding]:
    sparse_versions = indexer.sparse.stored_versions()
    current = {doc_id: s.version for doc_id, s in stored.items()}
    if sparse_versions == current:
        return []
    names = sorted({doc_id for doc_id, _ in set(current.items()) ^ set(sparse_versions.items())})
    return [Finding("sparse", None, "De trefwoordenindex wijkt af voor: " + ", ".join(names[:5])
                    + (" …" if len(names) > 5 else "") + ".")]


def _manifest_findings(folder: Path, files: dict[str, Path]) -> list[Finding]:
    """A manifest that cannot be read, or names a file the folder does not have."""
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        return []
    try:
        manifest = read_manifest(manifest_path)
    except IngestError as err:
        return [Finding("manifest", None, str(err))]
    return [
        Finding("manifest", entry.corpus_name,
                f"Het manifest noemt {entry.corpus_name}, maar dat bestand staat niet in de map.")
        for entry in manifest.entries
        if not (folder / entry.corpus_name).is_file()
        and not any(Path(f).name == Path(entry.corpus_name).name for f in files)
    ]


def _folder_findings(folder: Path) -> list[Finding]:
    """Upload folders of broken-off uploads, and files wijkwijs cannot read."""
    out = []
    stale_uploads = leftover_uploads(folder)
    if stale_uploads:
        names = ", ".join(p.name for p in stale_uploads[:3]) + (" …" if len(stale_uploads) > 3 else "")
        out.append(Finding("uploads", None,
                           f"{len(stale_uploads)} upload-map(pen) van afgebroken uploads in de corpusmap: {names}."))
    for path in unsupported_files(folder):
        rel = path.relative_to(folder).as_posix()
        out.append(Finding("unsupported", rel,
                           f"{rel}: dit bestandstype kan wijkwijs niet lezen (pdf, txt, md, docx)."))
    return out


def leftover_uploads(folder: Path) -> list[Path]:
    """Staging folders of uploads that crashed (older than STALE_UPLOAD_S)."""
    now = time.time()
    return sorted(p for p in Path(folder).glob(UPLOAD_PREFIX + "*")
                  if p.is_dir() and now - p.stat().st_mtime > STALE_UPLOAD_S)


def repair(indexer: Indexer, folder: Path, checkup: Checkup, progress=None):
    """Fix what `diagnose` found; returns the indexer's SyncReport of the repair."""
    store = indexer.store
    if checkup.of_kind("uploads"):
        for path in leftover_uploads(folder):
            shutil.rmtree(path, ignore_errors=True)
    if checkup.of_kind("leftovers"):
        # Ingest only cleans after interrupted writes it knows of (write markers); leftovers
        # without a marker (an older version of wijkwijs, a hand edit) need the full scan.
        store.remove_orphans()
    for finding in checkup.of_kind("damaged"):
        store.remove_document(finding.doc_id)  # re-indexed from its file below
    # The indexer adds missing and damaged documents, replaces stale ones, removes orphans and
    # leftover chunks, and brings the sparse index in step: the same path as `ingest --prune`.
    report = indexer.sync_folder(folder, prune=True, progress=progress)
    indexer.sparse.refresh()
    return report
