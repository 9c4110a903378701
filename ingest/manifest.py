"""The corpus manifest (`manifest.json` in the corpus folder): curated metadata per file.

Entries describe a file by `corpus_name` (its path relative to the corpus folder, or just
its name) with title, publishers, year, type, places and — for magazines of practice
examples — the names of the cases. Files that are not listed get their metadata from the
file itself.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from ingest.loaders import IngestError

MANIFEST_NAME = "manifest.json"


class ManifestEntry(BaseModel):
    model_config = ConfigDict(extra="allow")

    corpus_name: str
    title: str | None = None
    title_note: str | None = None
    authors_publishers: list[str] = Field(default_factory=list)
    year: str | None = None
    year_evidence: str | None = None
    document_type: str | None = None
    places: list[str] = Field(default_factory=list)
    cases: list[str] = Field(default_factory=list)
    structure: str | None = None
    summary: str | None = None


class Manifest(BaseModel):
    entries: list[ManifestEntry] = Field(default_factory=list)
    # Built on the first lookup: a scan per file made ingesting 10k listed files quadratic.
    _index: tuple[dict, dict] | None = PrivateAttr(default=None)

    def lookup(self, file_name: str) -> ManifestEntry | None:
        """By path relative to the corpus folder ("sub/x.pdf") or, failing that, by bare name."""
        wanted = PurePosixPath(str(file_name).replace("\\", "/"))
        if self._index is None:
            by_path: dict[PurePosixPath, ManifestEntry] = {}
            by_name: dict[str, list[ManifestEntry]] = {}
            for entry in self.entries:
                path = PurePosixPath(entry.corpus_name)
                by_path.setdefault(path, entry)  # the first listed wins, as before
                by_name.setdefault(path.name, []).append(entry)
            self._index = (by_path, by_name)
        by_path, by_name = self._index
        if wanted in by_path:
            return by_path[wanted]
        named = by_name.get(wanted.name, [])
        return named[0] if len(named) == 1 else None


def load_manifest(folder: Path) -> Manifest | None:
    """The manifest of a corpus folder, or None when there is none. A broken manifest does
    not stop ingesting (files then describe themselves); it is reported as a warning."""
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        return read_manifest(path)
    except IngestError as err:
        warnings.warn(str(err), stacklevel=2)
        return None


def read_manifest(path: Path) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise IngestError(f"{path.name}: het manifest is geen geldige JSON ({err}).") from err
    if isinstance(data, dict):  # also accept {"documents": [...]}
        data = data.get("documents") or data.get("entries") or []
    try:
        return Manifest(entries=[ManifestEntry.model_validate(e) for e in data])
    except ValidationError as err:
        raise IngestError(f"{path.name}: het manifest heeft een onverwachte vorm ({err}).") from err
