"""Word (.docx) loader (python-docx + the document XML): paragraphs and tables in body order.

The body's XML children are walked in order (w:p, w:tbl, and the same inside
content controls w:sdt), so a table sits exactly where Word shows it.  Tables
are read from their XML grid, not python-docx's cell objects: w:gridBefore /
w:gridAfter shift a row, w:gridSpan makes a cell span columns, w:vMerge
continues a cell from the row above (also the legacy w:hMerge).  A merged range
keeps its text in the top-left cell; the other cells of the range are present
and empty.  Paragraphs inside a cell (and nested tables) are joined into one line.
"""

from __future__ import annotations

from pathlib import Path

from ..source import LoadError, SourceDoc
from . import DocBuilder, one_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


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
    for child in parent.iterchildren():
        tag = child.tag
        if tag == W + "p":
            text = paragraph_text(child)
            if builder.paragraph(text) is not None:
                stats["paragraphs"] += 1
        elif tag == W + "tbl":
            rows = table_rows(child)
            if rows and max(len(r) for r in rows) == 1:
                # a one-column table is a frame around text (often a whole report in a box):
                # read its cells' paragraphs and tables as body content, not as one glued cell
                for tr in child.iterchildren(W + "tr"):
                    for tc in _row_cells(tr):
                        _walk(tc, builder, stats)
            elif rows and builder.table(rows) is not None:
                stats["tables"] += 1
        elif tag in (W + "sdt", W + "customXml", W + "smartTag"):
            content = child.find(W + "sdtContent") if tag == W + "sdt" else child
            if content is not None:
                _walk(content, builder, stats)
        # w:sectPr, bookmarks, etc.: nothing to read


def paragraph_text(p) -> str:
    """A w:p's visible text: runs, tabs, breaks; deleted text (w:del) skipped, inserted kept."""
    parts: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == W + "t":
            if _inside(el, p, (W + "del", MC_FALLBACK)):
                continue
            parts.append(el.text or "")
        elif tag == W + "tab":
            if el.getparent() is not None and el.getparent().tag == W + "r":
                parts.append("\t")
        elif tag in (W + "br", W + "cr"):
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


def cell_text(tc) -> str:
    """All paragraphs of a cell (nested tables included) joined into one line."""
    lines = []
    for p in tc.iter(W + "p"):
        t = paragraph_text(p)
        if t:
            lines.append(t)
    return one_line("\n".join(lines))


def _int(el, default: int = 0) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W + "val"))
    except (TypeError, ValueError):
        return default


def table_rows(tbl) -> list[list[str]]:
    """The table as a grid of cell texts; merged ranges keep text only in their top-left cell."""
    grid: list[list[str]] = []
    owner: list[list[object]] = []  # the w:tc that owns each grid position (for vMerge continuation)
    for tr in tbl.iterchildren(W + "tr"):
        row: list[str] = []
        own: list[object] = []
        trpr = tr.find(W + "trPr")
        before = _int(trpr.find(W + "gridBefore")) if trpr is not None else 0
        row += [""] * before
        own += [None] * before
        for tc in _row_cells(tr):
            tcpr = tc.find(W + "tcPr")
            span = max(1, _int(tcpr.find(W + "gridSpan"), 1)) if tcpr is not None else 1
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
            col = len(row)
            continued = vmerge is not None and vmerge.get(W + "val") in (None, "continue")
            if continued and grid and col < len(owner[-1]) and owner[-1][col] is not None:
                text = ""
                tc_owner = owner[-1][col]
            elif hmerge is not None and hmerge.get(W + "val") in (None, "continue") and row:
                text = ""
                tc_owner = own[-1] if own else tc
            else:
                text = cell_text(tc)
                tc_owner = tc
            row.append(text)
            own.append(tc_owner)
            row += [""] * (span - 1)
            own += [tc_owner] * (span - 1)
        grid.append(row)
        owner.append(own)
    if not grid:
        return []
    width = max(len(r) for r in grid)
    return [r + [""] * (width - len(r)) for r in grid]


def _row_cells(tr):
    """The w:tc of a row, also those wrapped in content controls / customXml."""
    for child in tr.iterchildren():
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from (c for c in content.iter(W + "tc") if c.getparent() is content or c.getparent().getparent() is content)
