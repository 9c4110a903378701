"""Read a file into raw pages: PDF (pypdf), TXT, Markdown and DOCX.

Loaders only extract; all cleaning happens in `cleaning`. Every failure a user can cause
(wrong type, empty file, encrypted or scanned PDF) is an `IngestError` with a Dutch message
that names the file, so the CLI and the UI can show it as is.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.layout import docx_front_matter, docx_heading_level, pdf_layout, read_pdf_page
from ingest.records import LoadedFile, Page

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".pdf", ".txt", ".md", ".markdown", ".docx"})


class IngestError(ValueError):
    """A file that cannot be taken into the knowledge base; the message is for the user."""


class UnsupportedFileError(IngestError):
    pass


class EmptyFileError(IngestError):
    pass


class EncryptedPdfError(IngestError):
    pass


class CorruptFileError(IngestError):
    pass


class NoTextLayerError(IngestError):
    pass


def load_file(path: Path) -> LoadedFile:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedFileError(
            f"{path.name}: bestandstype '{suffix or '(geen extensie)'}' wordt niet ondersteund. "
            f"Ondersteunde typen: {kinds}."
        )
    if not path.is_file():
        raise IngestError(f"{path.name}: bestand niet gevonden.")
    if path.stat().st_size == 0:
        raise EmptyFileError(f"{path.name}: het bestand is leeg.")
    if suffix == ".pdf":
        loaded = _load_pdf(path)
    elif suffix == ".docx":
        loaded = _load_docx(path)
    else:
        loaded = _load_text(path, markdown=suffix in {".md", ".markdown"})
    if not any(p.text.strip() for p in loaded.pages):
        raise EmptyFileError(f"{path.name}: het bestand bevat geen tekst.")
    return loaded


# --- plain text and Markdown -------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM); bytes that are not UTF-8 are read as Windows-1252,
    the usual encoding of Dutch text saved by older Windows programs."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _load_text(path: Path, markdown: bool) -> LoadedFile:
    text = decode_text(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    title = None
    if markdown:
        front = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
        if front:  # YAML front matter: keep its title, drop the block from the text
            m = re.search(r"^title:\s*['\"]?(.+?)['\"]?\s*$", front.group(1), re.M)
            title = m.group(1) if m else None
            text = text[front.end() :]
        heading = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.M)
        if title is None and heading:
            title = heading.group(1).strip()
        text = _markdown_to_text(text)
    return LoadedFile(file=path.name, pages=[Page(number=None, text=text)], title=title)


def _markdown_to_text(text: str) -> str:
    """Markdown markup that would end up inside chunks is removed; headings stay as
    their own lines (with a blank line around them) so that `structure` finds them."""
    out: list[str] = []
    for line in text.split("\n"):
        if re.match(r"^\s*(```|~~~)", line) or re.match(r"^\s*([-*_]\s*){3,}$", line):
            continue
        if re.match(r"^\s*\|?\s*:?-{3,}", line):  # table separator row
            continue
        m = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
        if m:
            out.extend(["", m.group(1), ""])
            continue
        line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)  # images → alt text
        line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)  # links → link text
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        line = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", line)
        line = re.sub(r"`([^`]+)`", r"\1", line)
        line = re.sub(r"^\s*>\s?", "", line)
        line = re.sub(r"^(\s*)[*+]\s+", r"\1- ", line)
        if line.strip().startswith("|") and line.strip().endswith("|"):
            line = " | ".join(c.strip() for c in line.strip().strip("|").split("|"))
        out.append(line)
    return "\n".join(out)


# --- DOCX --------------------------------------------------------------------------------


MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a Word file's parts together, unpacked
MAX_ZIP_RATIO = 100  # unpacked / packed: text compresses ~5-20×, a zip bomb ~1000×


def _refuse_zip_bomb(path: Path) -> None:
    """Read a DOCX's zip directory (not its contents) and refuse one that would unpack to more
    than MAX_UNZIPPED_BYTES or MAX_ZIP_RATIO times its size, before any parser unpacks it."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # not a zip at all: the loader says so below
    packed = max(path.stat().st_size, 1)
    if unpacked > MAX_UNZIPPED_BYTES or unpacked / packed > MAX_ZIP_RATIO:
        raise CorruptFileError(
            f"{path.name}: het Word-bestand pakt uit tot {unpacked / 1024 / 1024:.0f} MB "
            f"({unpacked / packed:.0f}× zo groot als het bestand); dat wordt niet gelezen "
            f"(grens {MAX_UNZIPPED_BYTES // 1024 // 1024} MB en {MAX_ZIP_RATIO}×)."
        )


def _load_docx(path: Path) -> LoadedFile:
    doc = _open_docx(path)
    lines, styled = _docx_lines(doc)
    first_heading = next((t for style, t in styled if style.lower().startswith(_DOCX_HEADING_STYLES)), None)
    props = doc.core_properties
    year = str(props.created.year) if props.created else None
    return LoadedFile(
        file=path.name,
        pages=[Page(number=None, text="\n".join(lines))],
        title=(props.title or "").strip() or first_heading,
        author=(props.author or "").strip() or None,
        year=year,
        headings={t: level for s, t in styled if (level := docx_heading_level(s))},
        front_matter=docx_front_matter(styled),
    )


_DOCX_HEADING_STYLES = ("heading", "kop", "title", "titel")


def _open_docx(path: Path):
    import zipfile

    from docx import Document as open_docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import XMLSyntaxError

    _refuse_zip_bomb(path)
    try:
        return open_docx(str(path))
    # OpcError: a zip that is no Word package (e.g. an .xlsx or a zip renamed to .docx).
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError, XMLSyntaxError) as err:
        # the library's message may hold the server's path to the file: say what, not where
        reason = str(err).replace(str(path), path.name).replace(str(path.parent), "")
        raise CorruptFileError(
            f"{path.name}: het Word-bestand is beschadigd of geen echt .docx-bestand ({reason})."
        ) from err


def _docx_lines(doc) -> tuple[list[str], list[tuple[str, str]]]:
    """The text lines of a Word document in document order (tables where they stand, a heading on
    a line of its own, list paragraphs as "- " items), and (style, text) of every paragraph."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    styled: list[tuple[str, str]] = []  # (style, text) of every paragraph: the layout
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            para = Paragraph(child, doc)
            text = para.text.strip()
            if not text:
                lines.append("")
                continue
            style = (para.style.name if para.style is not None else "") or ""
            styled.append((style, text))
            if style.lower().startswith(_DOCX_HEADING_STYLES):
                lines.extend(["", text, ""])  # a heading line of its own
            elif style.lower().startswith(("list", "lijst")):
                lines.append(f"- {text}")
            else:
                lines.extend([text, ""])
        elif child.tag == qn("w:tbl"):
            lines += _table_lines(Table(child, doc))
    return lines, styled


def _table_lines(table) -> list[str]:
    """A Word table row by row, its cells joined by " | " (merged cells repeat: once each)."""
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            value = " ".join(cell.text.split())
            if value and (not cells or cells[-1] != value):
                cells.append(value)
        if cells:
            lines.append(" | ".join(cells))
    return lines + [""]


# --- PDF ---------------------------------------------------------------------------------


def _load_pdf(path: Path) -> LoadedFile:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    head = path.read_bytes()[:1024]
    if b"%PDF" not in head:
        raise CorruptFileError(f"{path.name}: dit is geen geldig PDF-bestand (beschadigd of verkeerde extensie).")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:  # only an owner password (no password needed to open): readable
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError, PdfReadError):
                opened = 0
            if not opened:
                raise EncryptedPdfError(
                    f"{path.name}: de PDF is beveiligd met een wachtwoord; verwijder de beveiliging en probeer opnieuw."
                )
        pages, runs = [], []
        for number, page in enumerate(reader.pages, 1):
            text, page_runs = read_pdf_page(page, number)
            pages.append(Page(number=number, text=text))
            runs += page_runs
        headings, front_matter = pdf_layout(runs)
        meta = reader.metadata
    except IngestError:
        raise
    except FileNotDecryptedError as err:
        raise EncryptedPdfError(
            f"{path.name}: de PDF is beveiligd met een wachtwoord; verwijder de beveiliging en probeer opnieuw."
        ) from err
    except Exception as err:  # pypdf raises many types for damaged files
        raise CorruptFileError(f"{path.name}: de PDF is beschadigd en kan niet gelezen worden ({err}).") from err
    if not pages:
        raise CorruptFileError(f"{path.name}: de PDF bevat geen pagina's.")
    if sum(len(p.text.strip()) for p in pages) < 20:
        raise NoTextLayerError(
            f"{path.name}: de PDF heeft geen tekstlaag (scan zonder tekstlaag: OCR nodig)."
        )
    title = author = year = None
    if meta:
        title = _clean_meta(meta.get("/Title"))
        author = _clean_meta(meta.get("/Author"))
        m = re.search(r"(19|20)\d\d", str(meta.get("/CreationDate") or ""))
        year = m.group(0) if m else None
    return LoadedFile(file=path.name, pages=pages, title=title, author=author, year=year,
                      headings=headings, front_matter=front_matter)



def _clean_meta(value) -> str | None:
    text = " ".join(str(value or "").split())
    # Producer defaults such as "Microsoft Word - rapport.docx" are not titles.
    if not text or re.search(r"\.(docx?|pdf|indd|odt)$", text, re.I) or text.lower() in {"untitled", "titel"}:
        return None
    return text
