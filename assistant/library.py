"""Maintainer actions on the knowledge base: list, add, replace and delete documents.

Shared by the HTTP API and the Streamlit app's Beheer page; no HTTP in here. Every failure a
maintainer can cause is an `UploadError` with an HTTP-like status and a Dutch message.

The rules that keep the knowledge base safe:
  * an upload is checked (size, type, content matches the extension) and loaded from a hidden
    temp folder BEFORE it enters the corpus folder, so a bad file changes nothing;
  * the same content already in the knowledge base (under any name) is a no-op;
  * a different document under the same name is never overwritten (409: use replace);
  * a replace keeps the old file in the trash and puts it back when the new one fails; the
    indexer flips a document's version in one step, so readers see the old or the new;
  * deleted and replaced files go to the trash folder, never away;
  * writes are serialised (threads in this process and, through a lock file, other processes);
    an upload is parsed, chunked and embedded before it takes the lock, so only the short
    store step waits for other writers.
"""

from __future__ import annotations

import fcntl
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from assistant.upload_checks import UploadError, check_size, check_type, safe_filename  # noqa: F401 - re-exported
from kb.doctor import UPLOAD_PREFIX

if TYPE_CHECKING:
    from assistant.components import Components
    from kb.indexer import PreparedDocument
    from kb.store import StoredDocument

log = logging.getLogger("wijkwijs.library")

# (doc_id, chunks embedded so far, chunks to embed): the indexer's progress callback.
ProgressCallback = Callable[[str, int, int], None]

TRASH_FOLDER = "prullenbak"


class DocumentInfo(BaseModel):
    id: str
    file: str
    title: str
    publisher: str | None = None
    year: str | None = None
    doc_type: str | None = None
    places: list[str] = []
    cases: list[str] = []
    chunk_count: int
    content_hash: str
    ingested_at: str | None = None


class AddResult(BaseModel):
    doc_id: str
    status: Literal["added", "replaced", "unchanged"]
    chunks: int
    message: str  # Dutch, for people
    # Accepted, but worth a look (another language, an instruction aimed at a language model).
    warnings: list[str] = []


# --- the library ---------------------------------------------------------------------------

_thread_locks: dict[str, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


@contextmanager
def write_lock(data_dir: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """One writer at a time per data folder: threads of this process and other processes
    (the app, API workers, a CLI ingest). `on_wait` is called once when another writer holds it."""
    path = Path(data_dir) / "library.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    key = str(path.resolve())
    with _thread_locks_guard:
        lock = _thread_locks.setdefault(key, threading.Lock())
    with lock, open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class Library:
    def __init__(self, components: Components) -> None:
        self.components = components
        self.settings = components.settings
        self._cases: dict[tuple[str, str], list[str]] = {}  # (doc_id, version) → case names

    @property
    def corpus(self) -> Path:
        return Path(self.settings.corpus_dir)

    @property
    def trash(self) -> Path:
        return Path(self.settings.data_dir) / TRASH_FOLDER

    # --- reading --------------------------------------------------------------------------

    def list(self) -> list[DocumentInfo]:
        return [self._info(d) for d in self.components.store.documents()]

    def get(self, doc_id: str) -> DocumentInfo | None:
        stored = self.components.store.document(doc_id)
        return self._info(stored) if stored is not None else None

    def _info(self, stored: StoredDocument) -> DocumentInfo:
        doc = stored.document
        return DocumentInfo(
            id=doc.doc_id,
            file=doc.file,
            title=doc.title,
            publisher=doc.publisher,
            year=doc.year,
            doc_type=doc.doc_type,
            places=list(doc.places),
            cases=self._case_names(doc.doc_id, stored.version),
            chunk_count=stored.chunk_count,
            content_hash=doc.content_hash,
            ingested_at=stored.ingested_at,
        )

    def _case_names(self, doc_id: str, version: str) -> list[str]:
        # The practice cases live on the chunks; a version never changes, so cache per version.
        key = (doc_id, version)
        if key not in self._cases:
            seen: dict[str, None] = {}
            for chunk in self.components.store.current_chunks(doc_id):
                case = chunk.metadata.get("case")
                if case:
                    seen.setdefault(case, None)
            self._cases[key] = list(seen)
        return self._cases[key]

    # --- writing --------------------------------------------------------------------------

    def add(self, filename: str, data: bytes, progress: ProgressCallback | None = None) -> AddResult:
        """Put a new document in the corpus folder and index it. Parsing and embedding happen
        before the write lock is taken: a slow file does not hold up other writers."""
        name = safe_filename(filename)
        check_size(data, self.settings.api.max_upload_mb)
        check_type(name, data)
        target = self.corpus / name
        with self._staged(name, data) as staged:
            version = self._version(staged)
            if (same := self._same_content(version)) is not None:
                return self._unchanged(same.document.doc_id)
            waiting = target.is_file() and target.read_bytes() == data  # in the folder, not indexed yet
            if not waiting:
                self._refuse_name_clash(name, target)
            prepared = self._prepare(staged, name, progress)
            with self._write_lock():
                if (same := self._same_content(version)) is not None:  # again, under the lock
                    return self._unchanged(same.document.doc_id)
                waiting = target.is_file() and target.read_bytes() == data
                if not waiting:
                    self._refuse_name_clash(name, target)
                self.corpus.mkdir(parents=True, exist_ok=True)
                staged.replace(target)  # same file system (hidden folder inside the corpus): atomic
                try:
                    report = self.components.indexer.commit_upload(prepared)
                except BaseException:
                    if not waiting:  # take back only what this upload put there
                        target.unlink(missing_ok=True)
                    raise
                return self._done(name, "added", f"{name} is toegevoegd aan de kennisbank", report.warnings)

    def replace(
        self, doc_id: str, filename: str, data: bytes, progress: ProgressCallback | None = None
    ) -> AddResult:
        """Give an existing document new content; on any failure the old version stays."""
        store = self.components.store
        if store.document(doc_id) is None:
            raise UploadError(404, f"Geen document met id '{doc_id}'.")
        name = safe_filename(filename)
        check_size(data, self.settings.api.max_upload_mb)
        check_type(name, data)
        wanted = Path(doc_id).suffix.lower()
        if Path(name).suffix.lower() != wanted:
            raise UploadError(
                415,
                f"Een vervanging moet hetzelfde bestandstype hebben als '{doc_id}' ({wanted}). "
                "Verwijder het document en voeg het nieuwe bestand toe.",
            )
        target = (self.corpus / doc_id).resolve()
        if not target.is_relative_to(self.corpus.resolve()):
            raise UploadError(400, f"Ongeldig document-id '{doc_id}'.")
        with self._staged(target.name, data) as staged:
            version = self._version(staged)
            if version == store.document(doc_id).version:
                return self._unchanged(doc_id)
            self._refuse_known_content(version)
            prepared = self._prepare(staged, doc_id, progress)  # without the write lock
            with self._write_lock():
                current = store.document(doc_id)  # again, under the lock
                if current is None:
                    raise UploadError(404, f"Geen document met id '{doc_id}'.")
                if version == current.version:
                    return self._unchanged(doc_id)
                self._refuse_known_content(version)
                backup = self._keep_old(target)
                target.parent.mkdir(parents=True, exist_ok=True)
                staged.replace(target)
                try:
                    report = self.components.indexer.commit_upload(prepared)
                except BaseException:
                    self._restore(target, backup)
                    raise
                return self._done(doc_id, "replaced", f"{doc_id} is vervangen door de nieuwe versie", report.warnings)

    def delete(self, doc_id: str) -> bool:
        """Remove a document from the knowledge base; its file goes to the trash folder."""
        from kb.indexer import retire_file

        with self._write_lock():
            if not self.components.indexer.remove(doc_id):
                return False
            retire_file(self.corpus, doc_id, self.trash)
            return True

    def reindex(self, prune: bool = False, progress: ProgressCallback | None = None):
        """Bring the knowledge base in step with the corpus folder (like `wijkwijs ingest`);
        returns the indexer's SyncReport."""
        with self._write_lock():
            return self.components.indexer.sync_folder(self.corpus, prune=prune, progress=progress)

    # --- helpers --------------------------------------------------------------------------

    def _write_lock(self):
        return write_lock(Path(self.settings.data_dir))

    @contextmanager
    def _staged(self, name: str, data: bytes) -> Iterator[Path]:
        """The upload written to a hidden folder inside the corpus folder (ingest skips hidden
        folders; same file system, so moving it in is one atomic rename). Removed afterwards."""
        self.corpus.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX, dir=self.corpus))
        try:
            staged = folder / name
            staged.write_bytes(data)
            yield staged
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _version(self, path: Path) -> str:
        from ingest.pipeline import document_hash

        return document_hash(path, self.components.indexer.fingerprint)

    def _same_content(self, version: str) -> StoredDocument | None:
        return next((d for d in self.components.store.documents() if d.version == version), None)

    def _refuse_name_clash(self, name: str, target: Path) -> None:
        taken = {d.document.doc_id.casefold() for d in self.components.store.documents()}
        if target.exists() or name.casefold() in taken:
            raise UploadError(
                409,
                f"Er staat al een ander document onder de naam '{name}'. Kies een andere "
                "bestandsnaam of vervang het bestaande document.",
            )

    def _refuse_known_content(self, version: str) -> None:
        same = self._same_content(version)
        if same is not None:
            raise UploadError(409, f"Deze inhoud staat al in de kennisbank als '{same.document.doc_id}'.")

    def _prepare(self, staged: Path, doc_id: str, progress: ProgressCallback | None) -> PreparedDocument:
        """Parse, chunk and embed the staged upload as `doc_id`; a file that cannot be read is a 422."""
        from ingest.loaders import IngestError

        try:
            return self.components.indexer.prepare(staged, self.corpus, doc_id=doc_id, progress=progress)
        except IngestError as err:
            raise UploadError(422, str(err)) from err
        except Exception as err:  # a parser error the loader does not translate: still the file's fault
            log.warning("Onleesbare upload %s: %r", staged.name, err)
            raise UploadError(
                422, f"{staged.name}: het bestand is beschadigd en kan niet gelezen worden."
            ) from err

    def _keep_old(self, target: Path) -> Path | None:
        """A copy of the file being replaced, in the trash (restored when the new one fails)."""
        if not target.is_file():
            return None
        self.trash.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        backup = self.trash / f"{stamp}-{target.name}"
        shutil.copy2(target, backup)
        return backup

    @staticmethod
    def _restore(target: Path, backup: Path | None) -> None:
        if backup is None:
            target.unlink(missing_ok=True)
        else:
            shutil.copy2(backup, target)
            backup.unlink(missing_ok=True)

    def _unchanged(self, doc_id: str) -> AddResult:
        stored = self.components.store.document(doc_id)
        return AddResult(
            doc_id=doc_id,
            status="unchanged",
            chunks=stored.chunk_count if stored else 0,
            message=f"Deze inhoud staat al in de kennisbank als '{doc_id}'; er is niets veranderd.",
        )

    def _done(
        self, doc_id: str, status: Literal["added", "replaced"], message: str, warnings=()
    ) -> AddResult:
        stored = self.components.store.document(doc_id)
        chunks = stored.chunk_count if stored else 0
        return AddResult(
            doc_id=doc_id,
            status=status,
            chunks=chunks,
            message=f"{message} ({chunks} passage{'' if chunks == 1 else 's'}).",
            warnings=[w for _, w in warnings],
        )
