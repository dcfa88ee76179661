"""Loaders: one per input format, each returning a `source.SourceDoc`.

`load(path, max_mb=...)` is the front door: it checks the file (exists, not
empty, not too large), recognises the format from the extension and, where the
extension lies, from the file's first bytes (a Word file named .pdf is read as
Word; a legacy .doc named .docx is refused with a conversion hint), and calls the
format's loader.  Every unreadable input raises `LoadError` with one line an
auditor can act on; no library exception escapes as anything else.

`DocBuilder` is what the binary-format loaders (pdf, docx, xlsx) use to write
`SourceDoc.text` and its blocks at the same time, so every offset is exact:
paragraphs are lines, tables are tab-separated rows (a blank line before and
after each table).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..source import Block, Cell, LoadError, SourceDoc

TEXT_SUFFIXES = (".txt", ".md", ".text")
DELIMITED_SUFFIXES = (".csv", ".tsv")
PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx", ".docm")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SUPPORTED_SUFFIXES: tuple[str, ...] = TEXT_SUFFIXES + DELIMITED_SUFFIXES + PDF_SUFFIXES + DOCX_SUFFIXES + XLSX_SUFFIXES

_LEGACY = {
    ".doc": "legacy Word 97-2003 (.doc) file: open it in Word/WPS and save as .docx, then retry",
    ".wps": "WPS Writer (.wps) file: open it in WPS and save as .docx, then retry",
    ".xls": "legacy Excel 97-2003 (.xls) file: open it in Excel/WPS and save as .xlsx, then retry",
    ".et": "WPS Spreadsheets (.et) file: open it in WPS and save as .xlsx, then retry",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def load(path: Path, *, max_mb: float = 50.0) -> SourceDoc:
    """Read one input file into a SourceDoc.  Raises LoadError (one line) for anything unreadable."""
    path = Path(path)
    try:
        return _load(path, max_mb)
    except LoadError:
        raise
    except MemoryError:
        raise LoadError(f"{path.name}: too large to read in memory") from None
    except Exception as exc:  # a library failing on a damaged file: never escape as anything else
        raise LoadError(f"{path.name}: cannot read {_kind_of(path)} file ({_one_line(exc)})") from exc


def _load(path: Path, max_mb: float) -> SourceDoc:
    name = path.name
    if not path.exists():
        raise LoadError(f"{name}: no such file")
    if path.is_dir():
        raise LoadError(f"{name}: is a directory, not a file")
    size = path.stat().st_size
    if size == 0:
        raise LoadError(f"{name}: empty file (0 bytes)")
    if max_mb is not None and size > max_mb * 1024 * 1024:
        raise LoadError(f"{name}: file is {size / 1048576:.1f} MB, over the {max_mb:g} MB limit (raise --max-mb to read it)")
    suffix = path.suffix.lower()
    if suffix in _LEGACY:
        try:
            with path.open("rb") as fh:
                head = fh.read(4096)
        except OSError as exc:
            raise LoadError(f"{name}: cannot open file ({_one_line(exc)})") from None
        from .html import load_html, looks_like_html, looks_like_mht

        if looks_like_html(head) or looks_like_mht(head):  # a web page saved under an Office name, as many systems export
            return load_html(path)
        if head.startswith(b"{\\rtf"):
            raise LoadError(f"{name}: RTF document named {suffix}: open it in Word/WPS and save as .docx, then retry")
        raise LoadError(f"{name}: {_LEGACY[suffix]}")
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"'{path.suffix}'" if path.suffix else "no extension"
        raise LoadError(f"{name}: unsupported file type ({shown}); supported: {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise LoadError(f"{name}: cannot open file ({_one_line(exc)})") from None
    fmt = _sniff(path, head, suffix)
    if fmt == "pdf":
        from .pdf import load_pdf

        return load_pdf(path)
    if fmt == "docx":
        from .docx import load_docx

        return load_docx(path)
    if fmt == "xlsx":
        from .xlsx import load_xlsx

        return load_xlsx(path)
    if suffix in DELIMITED_SUFFIXES:
        from .delimited import load_delimited

        return load_delimited(path)
    from .text import load_text

    return load_text(path)


def _sniff(path: Path, head: bytes, suffix: str) -> str:
    """The format to read: the extension's, unless the first bytes clearly say another supported one."""
    name = path.name
    by_suffix = (
        "pdf" if suffix in PDF_SUFFIXES else "docx" if suffix in DOCX_SUFFIXES else "xlsx" if suffix in XLSX_SUFFIXES else "text"
    )
    if head.startswith(_OLE_MAGIC):
        if by_suffix == "text":
            raise LoadError(f"{name}: binary Office file named {suffix}; save it as .docx/.xlsx or plain text")
        raise LoadError(f"{name}: {_ole_message(path)}")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        kind = _zip_kind(path)
        if kind:
            return kind
        if by_suffix in ("docx", "xlsx"):
            raise LoadError(f"{name}: not a valid {suffix} file (a zip archive without the Office document parts)")
    if by_suffix == "pdf":
        if not head.strip(b" \t\r\n\x00"):
            raise LoadError(f"{name}: empty PDF (no content)")
        raise LoadError(f"{name}: not a PDF file (no %PDF header); damaged, or another format renamed .pdf")
    if by_suffix in ("docx", "xlsx"):
        if b"<w:document" in head or b"<?mso-application" in head:
            raise LoadError(f"{name}: Word 2003 XML / HTML saved as {suffix}; save it as a real .docx/.xlsx")
        raise LoadError(f"{name}: not a valid {suffix} file (not a zip-based Office document); damaged or renamed")
    return "text"


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        raise LoadError(f"{path.name}: damaged or truncated {path.suffix or 'zip'} file (the zip archive cannot be opened)") from None
    if "word/document.xml" in names or any(n.endswith("/document.xml") and n.startswith("word") for n in names):
        return "docx"
    if "xl/workbook.xml" in names or any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):
        return "xlsx"
    return None


def _ole_message(path: Path) -> str:
    """An OLE2 compound file: encrypted OOXML (password) or a legacy .doc/.xls binary."""
    try:
        data = path.read_bytes()[: 4 * 1024 * 1024]
    except OSError:
        data = b""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted; remove the password first (open it, clear the password, save, retry)"
    if "WordDocument".encode("utf-16-le") in data:
        return _LEGACY[".doc"]
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return _LEGACY[".xls"]
    return "legacy Office binary (OLE2) file: save it as .docx or .xlsx, then retry"


def _kind_of(path: Path) -> str:
    s = path.suffix.lower()
    return {"pdf": "PDF"}.get(s.lstrip("."), s.lstrip(".").upper() or "this")


def _one_line(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg[:200]


# --------------------------------------------------------------------------- building a SourceDoc

_WS = re.compile(r"[ \t\u00a0\u3000]+")


def one_line(text: str | None) -> str:
    """Cell/paragraph text on one line: inner line breaks removed (no space between CJK), tabs to spaces."""
    if not text:
        return ""
    from ..layout import join_lines

    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\u2028", "\n")
    parts = [_WS.sub(" ", p).strip() for p in text.split("\n")]
    return join_lines(parts).replace("\t", " ").strip()


class DocBuilder:
    """Writes SourceDoc.text and its blocks together so every offset is exact."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.pos = 0
        self.blocks: list[Block] = []
        self._last = None  # kind of the last block written

    def _write(self, s: str) -> None:
        self._parts.append(s)
        self.pos += len(s)

    def paragraph(self, text: str, page: int | None = None, *, keep_tabs: bool = False) -> Block | None:
        """One paragraph line (already one line; tabs kept only when asked). Empty text writes nothing."""
        text = (text or "").replace("\n", " ").replace("\r", " ")
        if not keep_tabs:
            text = text.replace("\t", " ")
        text = text.strip()
        if not text:
            return None
        if self._last == "table":
            self._write("\n")
        start = self.pos
        self._write(text)
        block = Block("paragraph", start, self.pos, page, text)
        self._write("\n")
        self.blocks.append(block)
        self._last = "paragraph"
        return block

    def table(self, rows: list[list[str]], pages: list[int | None] | None = None, page: int | None = None) -> Block | None:
        """A table: rows of cell texts (one line each), padded to the widest row.  `pages` per row.

        Rows and columns without any text (spacers, grid columns that only exist inside spans)
        are dropped; merged ranges keep their text in the top-left cell."""
        rows = [[one_line(c) if c else "" for c in row] for row in rows]
        keep = [i for i, r in enumerate(rows) if any(r)]  # rows with no text at all are layout, not content
        if not keep:
            return None
        if pages:
            pages = [pages[i] if i < len(pages) else page for i in keep]
        rows = [rows[i] for i in keep]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        used = [j for j in range(width) if any(r[j] for r in rows)]  # so are columns that are empty in every row
        if len(used) < width:
            rows = [[r[j] for j in used] for r in rows]
            width = len(used)
        if self._parts and self._last is not None:
            self._write("\n")
        start = self.pos
        out_rows: list[list[Cell]] = []
        for i, row in enumerate(rows):
            row = row + [""] * (width - len(row))
            row_page = pages[i] if pages and i < len(pages) else page
            cells = []
            for j, text in enumerate(row):
                if j:
                    self._write("\t")
                cells.append(Cell(text, self.pos, self.pos + len(text), row_page))
                self._write(text)
            out_rows.append(cells)
            end = self.pos
            self._write("\n")
        first_page = page if page is not None else (pages[0] if pages else None)
        block = Block("table", start, end, first_page, "", out_rows)
        self.blocks.append(block)
        self._last = "table"
        return block

    def raw(self, chunk: str, blocks: list[Block], page: int | None = None) -> None:
        """Append `chunk` verbatim with the blocks found in it (offsets relative to chunk, shifted here)."""
        if not chunk:
            return
        if self._last == "table":
            self._write("\n")
        if not chunk.endswith("\n"):
            chunk += "\n"
        base = self.pos
        self._write(chunk)
        for b in blocks:
            b.start += base
            b.end += base
            if page is not None:
                b.page = page
            for row in b.rows:
                for c in row:
                    c.start += base
                    c.end += base
                    if page is not None:
                        c.page = page
            self.blocks.append(b)
        if blocks:
            self._last = blocks[-1].kind

    def build(self, stem: str, path: Path | str | None, fmt: str, meta: dict | None = None) -> SourceDoc:
        text = "".join(self._parts)
        for b in self.blocks:
            if b.kind == "table":
                b.text = text[b.start : b.end]
        return SourceDoc(stem=stem, text=text, blocks=self.blocks, path=str(path) if path else None, format=fmt, meta=meta or {})
