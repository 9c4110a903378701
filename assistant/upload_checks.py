"""Checks on an upload before it touches the knowledge base: a safe file name, the size, and
content that matches its extension. `UploadError` carries the HTTP-like status and the Dutch
message for every refusal of the document library (assistant/library.py)."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from pathlib import Path

MAX_NAME_CHARS = 120
# Content that is certainly not plain text, whatever its extension says.
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0", b"\x7fELF")


class UploadError(Exception):
    """An action the library refuses; `status` follows HTTP (400, 404, 409, 413, 415, 422)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def safe_filename(name: str) -> str:
    """A file name that is safe on every file system and in a URL: the base name only,
    accents folded to ASCII, other characters replaced by '-', no leading dot."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    # NFKD + dropping combining marks: "één" → "een"; zero-width and direction marks go too.
    ascii_name = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    ).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = ascii_name.rpartition(".")
    if not dot:
        stem, suffix = ascii_name, ""
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    stem = re.sub(r"[-.]{2,}", "-", stem).strip("-._")[:MAX_NAME_CHARS].strip("-._")
    if not stem:  # nothing usable left (e.g. a name in another script): a stable stand-in
        stem = "document-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{stem}.{suffix}" if suffix else stem


def upload_limit_bytes(max_mb: float) -> int:
    """`api.max_upload_mb` in bytes. MB as file managers and the SI count it (1.000.000 bytes):
    a file Explorer or Finder calls 62,9 MB is reported as 62,9 MB, not as 60,0."""
    return int(max_mb * 1_000_000)


def check_size(data: bytes | int, max_mb: float) -> None:
    """Refuse more than `max_mb`; takes the bytes or just their count (a file not read yet)."""
    from assistant.dutch_notation import size as dutch_size

    count = data if isinstance(data, int) else len(data)
    if count > upload_limit_bytes(max_mb):
        raise UploadError(413, f"Het bestand is te groot ({dutch_size(count)}; maximaal {max_mb:g} MB).")


def check_type(name: str, data: bytes) -> None:
    """415 when the extension is not supported or the bytes are not what it promises."""
    from ingest.loaders import SUPPORTED_SUFFIXES

    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UploadError(
            415,
            f"{name}: bestandstype '{suffix or '(geen extensie)'}' wordt niet ondersteund. "
            f"Ondersteunde typen: {kinds}.",
        )
    if not data:
        return  # an empty file is the loader's to report (422: "het bestand is leeg")
    mismatch = UploadError(415, f"{name}: de inhoud past niet bij de extensie '{suffix}'.")
    if suffix == ".pdf":
        if b"%PDF" not in data[:1024]:
            raise mismatch
    elif suffix == ".docx":
        if not data.startswith(b"PK\x03\x04"):
            raise mismatch
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return  # a damaged Word file: the loader says so (422)
        if "word/document.xml" not in names:
            raise mismatch  # another zip (e.g. .xlsx or .zip renamed)
    elif not _looks_like_text(data):
        raise mismatch


def _looks_like_text(data: bytes) -> bool:
    head = data[:65536]
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        return False
    from ingest.loaders import decode_text

    text = decode_text(head)
    odd = sum(1 for ch in text if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f"))
    return odd <= max(2, len(text) // 100)
