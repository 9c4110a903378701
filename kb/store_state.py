"""The store's bookkeeping beside chunks and registry, in a third Chroma collection (`<name>_state`):

* a registry token, renewed after every registry change, with a tombstone per removed document:
  `RegistryCache` keeps the registry in memory and, when the token moved, reads only the records
  changed since (each registry record carries `changed_at`), instead of the whole registry on
  every query (±0.3 s at 10k documents);
* a write marker per document being written (`WriteMarkers`), so cleaning up after a crash
  looks at the interrupted documents only, not at every chunk of the collection.

Both live in Chroma, so they work the same for one embedded process and for several processes
sharing a `chroma run` server.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field

from ingest.records import Document

TOKEN_ID = "registry-token"
# Records changed this long before the newest change already seen are read again: a writer
# stamps `changed_at` just before its write lands, and clocks of processes may differ a little.
MARGIN_NS = 10 * 10**9
# A full read now and then bounds what a clock skew beyond the margin could hide.
FULL_RELOAD_S = 300
# A marker of a live process on this host younger than this is a write in progress, not a crash.
WRITE_TIMEOUT_S = 3600


@dataclass(frozen=True)
class StoredDocument:
    document: Document
    version: str
    chunk_count: int
    ingested_at: str


def stored_document(meta: dict) -> StoredDocument:
    return StoredDocument(
        document=Document.model_validate(json.loads(meta["document"])),
        version=meta["version"],
        chunk_count=int(meta["chunk_count"]),
        ingested_at=meta["ingested_at"],
    )


@dataclass
class RegistrySnapshot:
    token: str | None
    records: dict[str, dict]  # doc_id -> registry metadata (never mutated once published)
    newest: int  # highest changed_at seen
    loaded_at: float  # monotonic time of the last full read
    _parsed: dict[str, StoredDocument] = field(default_factory=dict)
    _documents: list[StoredDocument] | None = None
    _versions: dict[str, str] | None = None

    def versions(self) -> dict[str, str]:
        if self._versions is None:
            self._versions = {doc: m["version"] for doc, m in self.records.items()}
        return self._versions

    def documents(self) -> list[StoredDocument]:
        if self._documents is None:
            for doc, meta in self.records.items():
                if doc not in self._parsed:
                    self._parsed[doc] = stored_document(meta)
            self._documents = sorted(self._parsed.values(), key=lambda d: d.document.doc_id)
        return self._documents


class RegistryCache:
    def __init__(self, registry, state) -> None:
        self.registry = registry
        self.state = state
        self._lock = threading.Lock()
        self._snapshot: RegistrySnapshot | None = None

    def token(self) -> str | None:
        got = self.state.get(ids=[TOKEN_ID], include=["metadatas"])
        return got["metadatas"][0].get("token") if got["ids"] else None

    def bump(self, *records: tuple[str, dict]) -> None:
        """After every registry change (and never before it has landed). Other bookkeeping
        `records` (id, metadata) go along in the same write: each write costs ±5-30 ms."""
        records = ((TOKEN_ID, {"kind": "token", "token": uuid.uuid4().hex}), *records)
        self.state.upsert(
            ids=[i for i, _ in records], embeddings=[[1.0]] * len(records), metadatas=[m for _, m in records]
        )

    @staticmethod
    def tombstone(doc_id: str, changed_at: int) -> tuple[str, dict]:
        return f"deleted:{doc_id}", {"kind": "deleted", "doc_id": doc_id, "changed_at": changed_at}

    def forget(self) -> None:
        """Drop the cache: the next read is a full one (the doctor trusts no cache)."""
        self._snapshot = None

    def snapshot(self) -> RegistrySnapshot:
        token = self.token()
        snap = self._snapshot
        if snap is not None and token is not None and snap.token == token:
            return snap
        with self._lock:
            snap = self._snapshot
            if snap is not None and token is not None and snap.token == token:
                return snap
            if token is None:  # a store from before the token: give it one
                self.bump()
                token = self.token()
            if snap is None or time.monotonic() - snap.loaded_at > FULL_RELOAD_S:
                snap = self._full(token)
            else:
                snap = self._changed_since(snap, token)
            self._snapshot = snap
            return snap

    def _full(self, token: str | None) -> RegistrySnapshot:
        got = self.registry.get(include=["metadatas"])
        records = {m["doc_id"]: m for m in got["metadatas"]}
        newest = max((int(m.get("changed_at", 0)) for m in records.values()), default=0)
        return RegistrySnapshot(token, records, newest, time.monotonic())

    def _changed_since(self, snap: RegistrySnapshot, token: str | None) -> RegistrySnapshot:
        since = snap.newest - MARGIN_NS
        # Tombstones first, then records: a document re-added meanwhile shows up in the second read.
        dead = self.state.get(
            where={"$and": [{"kind": "deleted"}, {"changed_at": {"$gte": since}}]}, include=["metadatas"]
        )["metadatas"]
        changed = self.registry.get(where={"changed_at": {"$gte": since}}, include=["metadatas"])["metadatas"]
        records = dict(snap.records)
        for m in dead:
            records.pop(m["doc_id"], None)
        for m in changed:
            if m != records.get(m["doc_id"]):  # records read again within the margin stay as they were
                records[m["doc_id"]] = m
        if len(records) != self.registry.count():  # something outside the margin: read it all
            return self._full(token)
        newest = max([snap.newest, *(int(m["changed_at"]) for m in [*dead, *changed])])
        parsed = {d: p for d, p in snap._parsed.items() if records.get(d) is snap.records.get(d)}
        return RegistrySnapshot(token, records, newest, snap.loaded_at, parsed)


# Documents this process is writing right now (any store): their markers are not leftovers.
_WRITING: dict[str, int] = {}
_WRITING_LOCK = threading.Lock()


class WriteMarkers:
    """A record per document write in progress; what a crash leaves of them points at leftovers."""

    def __init__(self, state) -> None:
        self.state = state
        self.host = socket.gethostname()

    @staticmethod
    def _id(doc_id: str) -> str:
        return f"writing:{doc_id}"

    def begin(self, doc_id: str) -> None:
        with _WRITING_LOCK:
            _WRITING[doc_id] = _WRITING.get(doc_id, 0) + 1
        meta = {"kind": "writing", "doc_id": doc_id, "pid": os.getpid(), "host": self.host, "at": time.time()}
        self.state.upsert(ids=[self._id(doc_id)], embeddings=[[1.0]], metadatas=[meta])

    def done(self, doc_id: str) -> tuple[str, dict]:
        """The record that ends a marker, to write along with the registry token."""
        return self._id(doc_id), {"kind": "done", "doc_id": doc_id}

    def end(self, doc_id: str) -> None:
        """This process no longer writes `doc_id` (a failed write's marker stays "writing")."""
        with _WRITING_LOCK:
            if _WRITING.get(doc_id, 0) <= 1:
                _WRITING.pop(doc_id, None)
            else:
                _WRITING[doc_id] -= 1

    def interrupted(self) -> list[str]:
        """Documents whose write was interrupted: the writer died (or is another host's, long ago)."""
        got = self.state.get(where={"kind": "writing"}, include=["metadatas"])
        return [m["doc_id"] for m in got["metadatas"] if not self._in_progress(m)]

    def _in_progress(self, meta: dict) -> bool:
        if time.time() - float(meta.get("at", 0)) > WRITE_TIMEOUT_S:
            return False
        if meta.get("host") != self.host:
            return True  # another machine's process (server mode): trust it until the timeout
        pid = int(meta.get("pid", 0))
        if pid == os.getpid():
            with _WRITING_LOCK:  # another thread's write now, or ours that raised earlier
                return meta["doc_id"] in _WRITING
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
