"""HTML read as a document: web pages saved with a .doc/.xls name.

Many finance and office systems "export to Excel/Word" by writing an HTML table and
naming it .xls or .doc; Word and Excel open such files without complaint, so they
reach auditors as ordinary Office files.  `load_html` reads them with the standard
library's HTML parser: text outside tables becomes paragraphs (one per block element
or <br>), each outermost <table> a table block with rowspan/colspan laid out on a
grid (text in the top-left cell, the rest of the range empty), nested tables' text
kept inside their cell.  The character set comes from <meta charset>/content-type,
else UTF-8, else GB18030.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ..source import LoadError, SourceDoc
from . import DocBuilder, one_line

_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "title", "section", "article",
    "header", "footer", "blockquote", "pre", "center", "dd", "dt", "caption", "hr", "body",
}
_SKIP = {"style", "script", "head", "xml", "noscript", "template"}
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def looks_like_html(head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return h.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) and (b"<html" in h or b"<table" in h)


def looks_like_mht(head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return h.startswith(b"mime-version:") or (b"multipart/related" in h[:2048] and b"content-type:" in h[:2048])


def html_from_mht(data: bytes) -> bytes | None:
    """The first text/html part of a MIME 'single file web page' (.mht saved as .doc/.xls)."""
    import email
    from email import policy

    msg = email.message_from_bytes(data, policy=policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and not _CHARSET.search(payload[:4096]):
                payload = f'<meta charset="{charset}">'.encode() + payload
            return payload
    return None


def decode_html(data: bytes) -> str:
    m = _CHARSET.search(data[:4096])
    candidates = []
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore").lower())
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        enc = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}.get(enc, enc)
        try:
            return data.decode(enc).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("gb18030", errors="replace")


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[tuple[list[str], int, int]]] = []  # cells: (text parts, rowspan, colspan)
        self.cell: list[str] | None = None

    def grid(self) -> list[list[str]]:
        out: dict[tuple[int, int], str] = {}
        taken: set[tuple[int, int]] = set()
        width = 0
        for r, row in enumerate(self.rows):
            c = 0
            for parts, rs, cs in row:
                while (r, c) in taken:
                    c += 1
                out[(r, c)] = one_line("".join(parts))
                for dr in range(min(rs, len(self.rows) - r)):  # spans past the last row end there
                    for dc in range(cs):
                        taken.add((r + dr, c + dc))
                c += cs
                width = max(width, c)
        return [[out.get((r, c), "") for c in range(width)] for r in range(len(self.rows))]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, object]] = []  # ("p", text) / ("table", grid)
        self.para: list[str] = []
        self.tables: list[_Table] = []  # open tables, outermost first
        self.skip = 0

    # paragraphs outside tables
    def _flush(self) -> None:
        text = one_line("".join(self.para))
        self.para = []
        if text:
            self.items.append(("p", text))

    def _cell_text(self, s: str) -> None:
        t = self.tables[0]
        if t.cell is not None:
            t.cell.append(s)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        attrs = dict(attrs)
        if tag == "table":
            if not self.tables:
                self._flush()
            elif self.tables[0].cell is not None:
                self.tables[0].cell.append("\n")
            self.tables.append(_Table())
            return
        if self.tables:
            if len(self.tables) > 1:  # nested table: its text flows into the outer cell
                if tag in ("tr", "br", "p", "div") and self.tables[0].cell is not None:
                    self.tables[0].cell.append("\n")
                return
            t = self.tables[0]
            if tag == "tr":
                t.rows.append([])
                t.cell = None
            elif tag in ("td", "th"):
                if not t.rows:
                    t.rows.append([])
                t.cell = []
                t.rows[-1].append((t.cell, _span(attrs.get("rowspan")), _span(attrs.get("colspan"))))
            elif tag in ("br", "p", "div", "li") and t.cell is not None:
                t.cell.append("\n")
            return
        if tag in _BLOCK or tag == "br":
            self._flush()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "table" and self.tables:
            t = self.tables.pop()
            if not self.tables:
                self.items.append(("table", t.grid()))
            return
        if self.tables:
            if tag in ("td", "th") and len(self.tables) == 1:
                self.tables[0].cell = None
            elif tag in ("p", "div") and self.tables[0].cell is not None:
                self.tables[0].cell.append("\n")
            return
        if tag in _BLOCK:
            self._flush()

    def handle_data(self, data):
        if self.skip:
            return
        if self.tables:
            self._cell_text(data)
        else:
            self.para.append(data)

    def close(self):
        super().close()
        while self.tables:  # unclosed tables (cut files)
            t = self.tables.pop()
            if not self.tables:
                self.items.append(("table", t.grid()))
        self._flush()


def _span(value, limit: int = 200) -> int:
    try:
        return max(1, min(int(str(value).strip()), limit))
    except (TypeError, ValueError):
        return 1


def load_html(path: Path) -> SourceDoc:
    data = path.read_bytes()
    if looks_like_mht(data[:4096]):
        data = html_from_mht(data)
        if data is None:
            raise LoadError(f"{path.name}: web archive (MHT) named {path.suffix} without an HTML part")
    text = decode_html(data)
    parser = _Parser()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:
        raise LoadError(f"{path.name}: unreadable HTML content ({' '.join(str(exc).split())[:120]})") from None
    builder = DocBuilder()
    for kind, value in parser.items:
        if kind == "p":
            builder.paragraph(value)
        else:
            builder.table(value)
    if not builder.blocks:
        raise LoadError(f"{path.name}: web page (HTML) named {path.suffix} holds no text")
    return builder.build(path.stem, path, "html", {"html_as": path.suffix.lower()})
