""".csv / .tsv loader: a spreadsheet exported as delimited text, read like a sheet.

The delimiter is sniffed (comma, tab, semicolon, bar; a .tsv defaults to tab), quoted
cells may hold delimiters and line breaks.  Rows split into tables at fully empty
rows, and rows with at most one filled cell at the top or bottom of a stretch (a title,
单位：万元, a note) become paragraphs — the same grouping as an Excel sheet.  The
SourceDoc text is the tab-separated rendering, so evidence spans point into it.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..source import LoadError, SourceDoc
from . import DocBuilder, one_line
from .text import read_decoded
from .xlsx import _group

_DELIMITERS = ",\t;|"
_QUOTED = re.compile(r'"(?:[^"]|"")*"')


def _dialect(text: str, suffix: str) -> str:
    """The delimiter most lines use (outside quotes); csv.Sniffer guesses badly on CJK text
    whose numbers carry thousands separators."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:200]
    best, best_lines = ("\t" if suffix == ".tsv" else ","), 0
    for d in _DELIMITERS:
        n = sum(1 for ln in lines if d in _QUOTED.sub("", ln))
        if n > best_lines:
            best, best_lines = d, n
    return best


def load_delimited(path: Path) -> SourceDoc:
    path = Path(path)
    text, encoding = read_decoded(path)
    if not text.strip():
        raise LoadError(f"{path.name}: empty file (no text to read)")
    delimiter = _dialect(text[:50000], path.suffix.lower())
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise LoadError(f"{path.name}: not readable as delimited text ({e})") from None
    texts: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            value = one_line(cell)
            if value:
                texts[(r, c)] = value
    by_row: dict[int, list[int]] = {}
    for r, c in texts:
        by_row.setdefault(r, []).append(c)
    builder = DocBuilder()
    group: list[int] = []
    for r in range(len(rows) + 1):
        if r in by_row:
            group.append(r)
        elif group:
            _group(group, by_row, texts, 1, builder)
            group = []
    meta = {"encoding": encoding, "delimiter": delimiter}
    return builder.build(path.stem, path, "csv", meta)
