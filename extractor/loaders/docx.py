"""Word (.docx) loader (python-docx + the document XML): paragraphs and tables in body order.

The body's XML children are walked in order (w:p, w:tbl, and the same inside
content controls w:sdt), so a table sits exactly where Word shows it.  Tables
are read from their XML grid, not python-docx's cell objects: w:gridBefore /
w:gridAfter shift a row, w:gridSpan makes a cell span columns, w:vMerge
continues a cell from the row above (also the legacy w:hMerge).  A merged range
keeps its text in the top-left cell; the other cells of the range are present
and empty.  Paragraphs inside a cell are joined into one line.

Layouts real files add on top of that:
- text boxes (w:txbxContent, DrawingML with a VML fallback copy): read once, as
  body content after the paragraph that anchors them, never glued into it;
- a cell holding a real nested table (2+ rows and 2+ columns, e.g. the indicator
  rows nested beside a 绩效指标 label cell) has the nested rows spliced into the
  outer grid; the outer row's other cells keep their text in the first of those rows;
  a small nested table is still read as the cell's text;
- one table cut into several Word tables (one per page or section, with only empty
  paragraphs, page or section breaks between them) is read as one table: same column
  count, the continuation not opening a new form (a name field row), header rows it
  repeats dropped;
- title lines set as the table's first rows (one text across the whole width) are
  read as paragraphs above the table.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..source import LoadError, SourceDoc
from . import DocBuilder, one_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
TXBX = W + "txbxContent"
# the first cell of a row that opens a form (a new report), never a continuation of the table above
_FORM_START = re.compile(
    r"^(转移支付(\(项目\)|项目|资金)?|专项(\(项目\)|资金)?|项目|部门(\(单位\))?|单位|预算单位|政策|资金)名称"
)


def load_docx(path: Path) -> SourceDoc:
    from docx.opc.exceptions import PackageNotFoundError

    try:
        body = _body(path)
    except PackageNotFoundError:
        raise LoadError(f"{path.name}: not a valid .docx file (damaged, or another format renamed)") from None
    except KeyError as exc:
        raise LoadError(f"{path.name}: damaged .docx file (missing part {exc})") from None
    except Exception as exc:
        raise LoadError(f"{path.name}: damaged .docx file ({' '.join(str(exc).split())[:160] or type(exc).__name__})") from None
    builder = DocBuilder()
    stats = {"tables": 0, "paragraphs": 0}
    _walk(body, builder, stats)
    if not builder.blocks:
        raise LoadError(f"{path.name}: the Word document has no text")
    return builder.build(path.stem, path, "docx", {"tables": stats["tables"]})


def _body(path: Path):
    """The w:body element; macro-enabled documents (.docm) and templates read through the package."""
    import docx

    try:
        return docx.Document(str(path)).element.body
    except ValueError as exc:
        if "content type" not in str(exc):
            raise
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.package import OpcPackage
    from docx.oxml import parse_xml

    package = OpcPackage.open(str(path))
    part = package.part_related_by(RT.OFFICE_DOCUMENT)
    root = parse_xml(part.blob)
    body = root.find(W + "body")
    if body is None:
        raise LoadError(f"{path.name}: the Word document has no body")
    return body


def _walk(parent, builder: DocBuilder, stats: dict) -> None:
    pending: list[list[str]] | None = None  # a table that may continue in the next Word table

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            _write_table(pending, builder, stats)
        pending = None

    for child in parent.iterchildren():
        tag = child.tag
        if tag == W + "p":
            text = paragraph_text(child)
            boxes = _text_boxes(child)
            if not text and not boxes:
                continue  # empty paragraphs, page and section breaks: a split table goes on
            flush()
            if builder.paragraph(text) is not None:
                stats["paragraphs"] += 1
            for box in boxes:
                _walk(box, builder, stats)
        elif tag == W + "tbl":
            if _is_frame(child):
                # a one-column table is a frame around text (often a whole report in a box):
                # read its cells' paragraphs and tables as body content, not as one glued cell
                flush()
                for tr in child.iterchildren(W + "tr"):
                    for tc in _row_cells(tr):
                        _walk(tc, builder, stats)
                continue
            rows = table_rows(child)
            if not any(any(c.strip() for c in r) for r in rows):
                continue
            if pending is not None and _continues(pending, rows):
                pending.extend(_drop_repeated_header(pending, rows))
            else:
                flush()
                pending = rows
        elif tag in (W + "sdt", W + "customXml", W + "smartTag"):
            content = child.find(W + "sdtContent") if tag == W + "sdt" else child
            if content is not None:
                flush()
                _walk(content, builder, stats)
        # w:sectPr, bookmarks, etc.: nothing to read
    flush()


def _write_table(rows: list[list[str]], builder: DocBuilder, stats: dict) -> None:
    """Leading rows with one text across the table (a title set inside the table) become paragraphs."""
    k = 0
    while k < len(rows) - 1 and sum(1 for c in rows[k] if c.strip()) == 1 and len(rows[k]) > 2 and _spans_row(rows[k]):
        k += 1
    for row in rows[:k]:
        if builder.paragraph(next(c for c in row if c.strip())) is not None:
            stats["paragraphs"] += 1
    if builder.table(rows[k:]) is not None:
        stats["tables"] += 1


def _spans_row(row: list[str]) -> bool:
    return getattr(row, "full_span", False)


class _Row(list):
    """A grid row; `full_span` when one cell spans the whole table width."""

    full_span = False


def _norm(row: list[str]) -> str:
    return "|".join(re.sub(r"\s+", "", c) for c in row)


def _continues(prev: list[list[str]], rows: list[list[str]]) -> bool:
    """Does the Word table `rows` (right after `prev`, nothing but empty paragraphs between) go on with it?"""
    if not prev or not rows or len(rows[0]) != len(prev[0]):
        return False
    first = next((c for c in rows[0] if c.strip()), "")
    if _FORM_START.match(re.sub(r"\s+", "", first)) or getattr(rows[0], "full_span", False):
        return False  # a new form (项目名称 …) or a title row opens a new table
    return True


def _drop_repeated_header(prev: list[list[str]], rows: list[list[str]]) -> list[list[str]]:
    """The continuation without the header rows it repeats (rows equal to a row of the table above)."""
    seen = {_norm(r) for r in prev if any(c.strip() for c in r)}
    h = 0
    while h < min(3, len(rows) - 1) and _norm(rows[h]) in seen:
        h += 1
    return rows[h:]


def _is_frame(tbl) -> bool:
    """A table whose every row holds one cell spanning it: a frame around content."""
    widths = [sum(1 for _ in _row_cells(tr)) for tr in tbl.iterchildren(W + "tr")]
    return bool(widths) and max(widths) == 1


def _text_boxes(p) -> list:
    """The outermost text box contents anchored in paragraph `p` (the VML fallback copy skipped)."""
    out = []
    for box in p.iter(TXBX):
        if not _inside(box, p, (MC_FALLBACK, TXBX)):
            out.append(box)
    return out


def paragraph_text(p) -> str:
    """A w:p's visible text: runs, tabs, breaks; deleted text (w:del) skipped, inserted kept."""
    parts: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == W + "t":
            if _inside(el, p, (W + "del", MC_FALLBACK, TXBX)):
                continue
            parts.append(el.text or "")
        elif tag == W + "tab":
            if el.getparent() is not None and el.getparent().tag == W + "r" and not _inside(el, p, (MC_FALLBACK, TXBX)):
                parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            if _inside(el, p, (MC_FALLBACK, TXBX)):
                continue
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif tag == W + "sym":
            parts.append(_sym(el))
    return one_line("".join(parts))


def _sym(el) -> str:
    code = el.get(W + "char")
    try:
        value = int(code, 16)
        if value >= 0xF000:
            value -= 0xF000
        return chr(value) if value >= 32 else ""
    except (TypeError, ValueError):
        return ""


def _inside(el, stop, tags: tuple[str, ...]) -> bool:
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag in tags:
            return True
        node = node.getparent()
    return False


def cell_text(tc, skip=None) -> str:
    """All paragraphs of a cell (nested tables and text boxes included) joined into one line;
    `skip`: a nested table whose paragraphs are read elsewhere."""
    lines = []
    for p in tc.iter(W + "p"):
        if _inside(p, tc, (MC_FALLBACK,)) or (skip is not None and _within(p, skip)):
            continue
        t = paragraph_text(p)
        if t:
            lines.append(t)
    return one_line("\n".join(lines))


def _within(el, ancestor) -> bool:
    node = el.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _nested_grid(tc) -> tuple[object, list[list[str]]] | None:
    """A real table nested in the cell (2+ rows with text, 2+ columns): (its w:tbl, its grid)."""
    inner = [t for t in tc.iterchildren(W + "tbl")]
    for child in tc.iterchildren(W + "sdt"):
        content = child.find(W + "sdtContent")
        if content is not None:
            inner += list(content.iterchildren(W + "tbl"))
    if len(inner) != 1:
        return None
    grid = [r for r in table_rows(inner[0]) if any(c.strip() for c in r)]
    if len(grid) < 2 or max(len(r) for r in grid) < 2:
        return None
    return inner[0], grid


def _int(el, default: int = 0) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W + "val"))
    except (TypeError, ValueError):
        return default


def table_rows(tbl) -> list[list[str]]:
    """The table as a grid of cell texts; merged ranges keep text only in their top-left cell.

    A cell holding a real nested table contributes the nested rows: the outer row becomes as many
    rows, its other cells' text in the first of them (as a vertically merged cell reads)."""
    grid: list[list[str]] = []
    owner: list[list[object]] = []  # the w:tc that owns each grid position (for vMerge continuation)
    for tr in tbl.iterchildren(W + "tr"):
        # pieces: (texts per sub-row, owners) for each cell position group, in column order
        pieces: list[tuple[list[list[str]], list[object]]] = []
        width = 0
        trpr = tr.find(W + "trPr")
        before = _int(trpr.find(W + "gridBefore")) if trpr is not None else 0
        if before:
            pieces.append(([[""] * before], [None] * before))
            width += before
        prev_owner = None
        full = False
        for tc in _row_cells(tr):
            tcpr = tc.find(W + "tcPr")
            span = max(1, _int(tcpr.find(W + "gridSpan"), 1)) if tcpr is not None else 1
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
            col = width
            continued = vmerge is not None and vmerge.get(W + "val") in (None, "continue")
            nested = None
            if continued and grid and col < len(owner[-1]) and owner[-1][col] is not None:
                texts = [[""] * span]
                tc_owner = owner[-1][col]
            elif hmerge is not None and hmerge.get(W + "val") in (None, "continue") and width:
                texts = [[""] * span]
                tc_owner = prev_owner if prev_owner is not None else tc
            else:
                tc_owner = tc
                nested = _nested_grid(tc)
                if nested is not None:
                    inner_tbl, inner = nested
                    w = max(span, max(len(r) for r in inner))
                    own = cell_text(tc, skip=inner_tbl)
                    texts = ([[own] + [""] * (w - 1)] if own else []) + [r + [""] * (w - len(r)) for r in inner]
                    span = w
                else:
                    texts = [[cell_text(tc)] + [""] * (span - 1)]
                    full = full or (not pieces and not before)
            pieces.append((texts, [tc_owner] * span if nested is None else [None] * span))
            width += span
            prev_owner = tc_owner
        height = max((len(t) for t, _ in pieces), default=1)
        for k in range(height):
            row = _Row()
            own: list[object] = []
            for texts, owners in pieces:
                row += texts[k] if k < len(texts) else [""] * len(owners)
                own += owners
            row.full_span = full and len(pieces) == 1 and height == 1
            grid.append(row)
            owner.append(own)
    if not grid:
        return []
    width = max(len(r) for r in grid)
    out = []
    for r in grid:
        padded = _Row(r + [""] * (width - len(r)))
        padded.full_span = r.full_span and width > 1
        out.append(padded)
    return out


def _row_cells(tr):
    """The w:tc of a row, also those wrapped in content controls / customXml."""
    for child in tr.iterchildren():
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from (c for c in content.iter(W + "tc") if c.getparent() is content or c.getparent().getparent() is content)
