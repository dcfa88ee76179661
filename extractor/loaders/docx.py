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
  count, or (each page converted on its own) another grid of the same overall width whose
  cells are moved into the first table's columns by position; the continuation not opening
  a new form (a name field row) or a title row; header rows it repeats dropped;
- title lines set as the table's first rows (one text across the whole width) are
  read as paragraphs above the table;
- list numbering (一、 / （一） / 1. drawn by Word from numbering.xml, directly or
  through the paragraph's style) is put in front of the paragraph's text;
- HTML/MHT imported through w:altChunk (documents built from web pages) is read like
  an HTML file; rows typed with tab stops are read like a text dump's tab table.
"""

from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar
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
        body, part = _body(path)
    except PackageNotFoundError:
        raise LoadError(f"{path.name}: not a valid .docx file (damaged, or another format renamed)") from None
    except KeyError as exc:
        raise LoadError(f"{path.name}: damaged .docx file (missing part {exc})") from None
    except Exception as exc:
        raise LoadError(f"{path.name}: damaged .docx file ({' '.join(str(exc).split())[:160] or type(exc).__name__})") from None
    builder = DocBuilder()
    stats = {"tables": 0, "paragraphs": 0}
    token = _NUMBERING.set(_Numbering.of(part))
    token_part = _PART.set(part)
    try:
        _walk(body, builder, stats)
    finally:
        _NUMBERING.reset(token)
        _PART.reset(token_part)
    if not builder.blocks:
        raise LoadError(f"{path.name}: the Word document has no text")
    return builder.build(path.stem, path, "docx", {"tables": stats["tables"]})


def _body(path: Path):
    """(w:body, the document part); macro-enabled documents (.docm) and templates read through the package."""
    import docx

    try:
        document = docx.Document(str(path))
        return document.element.body, document.part
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
    return body, part


# --------------------------------------------------------------------------- list numbering

_NUMBERING: ContextVar["_Numbering | None"] = ContextVar("docx_numbering", default=None)
_PART: ContextVar[object] = ContextVar("docx_part", default=None)
_CN = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """Word's chineseCounting / chineseCountingThousand: 1 一, 10 十, 12 十二, 20 二十, 105 一百零五."""
    if n <= 0 or n >= 10000:
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out += "零"
            out += _CN[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting"):
        return _chinese(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return "子丑寅卯辰巳午未申酉戌亥"[(n - 1) % 12]
    if fmt in ("upperLetter", "lowerLetter"):
        s = _letters(n)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Numbering:
    """Word list numbering (numbering.xml, styles with numPr): the label a numbered paragraph shows.

    Word draws 一、 / （一） / 1. in front of a list paragraph from the list definition; the text
    itself does not hold it.  Counters run per list (w:num) in document order; using a level
    restarts the levels below it; w:startOverride sets where a list starts."""

    def __init__(self, numbering, styles) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId -> ilvl -> (start, fmt, text)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, list[int]] = {}
        self.seen: dict[object, str] = {}
        if numbering is not None:
            for ab in numbering.iterchildren(W + "abstractNum"):
                lv = {}
                for lvl in ab.iterchildren(W + "lvl"):
                    k = _attr_int(lvl, "ilvl", 0)
                    fmt_el, text_el = lvl.find(W + "numFmt"), lvl.find(W + "lvlText")
                    lv[k] = (
                        _int(lvl.find(W + "start"), 1),
                        fmt_el.get(W + "val", "decimal") if fmt_el is not None else "decimal",
                        text_el.get(W + "val", "") if text_el is not None else "",
                    )
                self.levels[ab.get(W + "abstractNumId")] = lv
            for num in numbering.iterchildren(W + "num"):
                ab = num.find(W + "abstractNumId")
                overrides = {}
                for ov in num.iterchildren(W + "lvlOverride"):
                    so = ov.find(W + "startOverride")
                    if so is not None:
                        overrides[_attr_int(ov, "ilvl", 0)] = _int(so, 1)
                self.nums[num.get(W + "numId")] = (ab.get(W + "val") if ab is not None else None, overrides)
        if styles is not None:
            raw: dict[str, tuple[str | None, str | None, int | None]] = {}
            for st in styles.iterchildren(W + "style"):
                based = st.find(W + "basedOn")
                num_pr = st.find(W + "pPr/" + W + "numPr")
                num_id = ilvl = None
                if num_pr is not None:
                    nid = num_pr.find(W + "numId")
                    num_id = nid.get(W + "val") if nid is not None else None
                    ilvl = _int(num_pr.find(W + "ilvl"), 0) if num_pr.find(W + "ilvl") is not None else None
                raw[st.get(W + "styleId")] = (based.get(W + "val") if based is not None else None, num_id, ilvl)
            for sid in raw:
                seen, cur, num_id, ilvl = set(), sid, None, None
                while cur in raw and cur not in seen:
                    seen.add(cur)
                    based, nid, lvl = raw[cur]
                    num_id = num_id if num_id is not None else nid
                    ilvl = ilvl if ilvl is not None else lvl
                    cur = based
                if num_id is not None:
                    self.style_num[sid] = (num_id, ilvl)

    @classmethod
    def of(cls, part) -> "_Numbering | None":
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml import parse_xml

        found = {}
        try:
            for rel in part.rels.values():
                if rel.reltype in (RT.NUMBERING, RT.STYLES) and not rel.is_external:
                    found[rel.reltype] = parse_xml(rel.target_part.blob)
        except Exception:
            return None
        if RT.NUMBERING not in found:
            return None
        return cls(found.get(RT.NUMBERING), found.get(RT.STYLES))

    def label(self, p) -> str:
        if p in self.seen:
            return self.seen[p]
        label = self._label(p)
        self.seen[p] = label
        return label

    def _label(self, p) -> str:
        ppr = p.find(W + "pPr")
        num_id = ilvl = None
        if ppr is not None:
            style = ppr.find(W + "pStyle")
            if style is not None and style.get(W + "val") in self.style_num:
                num_id, ilvl = self.style_num[style.get(W + "val")]
            num_pr = ppr.find(W + "numPr")
            if num_pr is not None:
                nid = num_pr.find(W + "numId")
                if nid is not None:
                    num_id = nid.get(W + "val")
                if num_pr.find(W + "ilvl") is not None:
                    ilvl = _int(num_pr.find(W + "ilvl"), 0)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = ilvl or 0
        if not 0 <= ilvl <= 8:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract or "", {})
        if ilvl not in levels:
            return ""
        counters = self.counters.get(num_id)
        if counters is None:
            counters = [overrides.get(k, levels.get(k, (1, "", ""))[0]) - 1 for k in range(9)]
            self.counters[num_id] = counters
        counters[ilvl] += 1
        for k in range(ilvl + 1, 9):
            counters[k] = overrides.get(k, levels.get(k, (1, "", ""))[0]) - 1
        start, fmt, text = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k)
            return _format_number(counters[k], lv[1]) if lv else ""

        label = re.sub(r"%([1-9])", sub, text).strip()
        if label and label[-1].isascii() and label[-1].isalnum():
            label += " "
        return label


def _attr_int(el, name: str, default: int) -> int:
    try:
        return int(el.get(W + name))
    except (TypeError, ValueError):
        return default


def _walk(parent, builder: DocBuilder, stats: dict) -> None:
    pending: list[list[str]] | None = None  # a table that may continue in the next Word table
    pending_x: list[float] | None = None  # its column edges (twips), for a continuation with another grid
    lines: list[str] = []  # body paragraphs not yet written, tabs kept (tab-aligned rows form a table)

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            _write_table(pending, builder, stats)
        pending = None

    def flush_lines() -> None:
        if lines:
            _write_lines(lines, builder, stats)
            lines.clear()

    for child in parent.iterchildren():
        tag = child.tag
        if tag == W + "p":
            raw = paragraph_text(child, keep_tabs=True)
            boxes = _text_boxes(child)
            if not raw.strip() and not boxes:
                continue  # empty paragraphs, page and section breaks: a split table goes on
            flush()
            if raw.strip():
                lines.append(raw)
            if boxes:
                flush_lines()
            for box in boxes:
                _walk(box, builder, stats)
        elif tag == W + "tbl":
            flush_lines()
            if _is_frame(child):
                # a one-column table is a frame around text (often a whole report in a box):
                # read its cells' paragraphs and tables as body content, not as one glued cell
                flush()
                for tr in _table_rows_of(child):
                    for tc in _row_cells(tr):
                        _walk(tc, builder, stats)
                continue
            rows = table_rows(child)
            if not any(any(c.strip() for c in r) for r in rows):
                continue
            x = _grid_x(child, rows)
            if pending is not None and _continues(pending, rows):
                pending.extend(_drop_repeated_header(pending, rows))
            elif pending is not None and (moved := _onto_grid(pending_x, x, rows)) is not None:
                pending.extend(_drop_repeated_header(pending, moved))
            else:
                flush()
                pending, pending_x = rows, x
        elif tag in (W + "sdt", W + "customXml", W + "smartTag"):
            content = child.find(W + "sdtContent") if tag == W + "sdt" else child
            if content is not None:
                flush_lines()
                flush()
                _walk(content, builder, stats)
        elif tag == W + "altChunk":
            flush_lines()
            flush()
            _alt_chunk(child, builder, stats)
        # w:sectPr, bookmarks, etc.: nothing to read
    flush_lines()
    flush()


_INNER_TAB = re.compile(r"[^\s]\t|\t+[^\t\s][^\t]*\t")
# "一、<tab>基本情况", "（二）<tab>…", "3.<tab>…": a heading or list item with a tab after its enumerator
_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]?|第[一二三四五六七八九十\d]+[章节条部分]+)\t+[^\t]+$")


def _tab_row(line: str) -> bool:
    """A paragraph that reads as a row typed with tab stops: a tab between texts, not an enumerator's tab."""
    s = line.strip(" \u3000")
    return bool(_INNER_TAB.search(s)) and not _ENUMERATED.match(s.strip("\t"))


def _write_lines(lines: list[str], builder: DocBuilder, stats: dict) -> None:
    """Body paragraphs: one paragraph each, except rows typed with tab stops: a run of two or more
    paragraphs with a tab between texts (at most two other paragraphs between them, e.g. a row with
    one filled cell) is read like a text dump's tab-separated table (layout.blocks_from_text)."""
    tabbed = [i for i, ln in enumerate(lines) if _tab_row(ln)]
    runs: list[list[int]] = []
    for i in tabbed:
        if runs and i - runs[-1][-1] <= 3:
            runs[-1].append(i)
        else:
            runs.append([i])
    done = 0
    for run in runs:
        if len(run) < 2:
            continue
        first, last = run[0], run[-1]
        chunk = "\n".join(lines[first : last + 1]) + "\n"
        try:
            from ..layout import blocks_from_text

            blocks = blocks_from_text(chunk)
        except Exception:
            blocks = None
        if not blocks or not any(b.is_table for b in blocks):
            continue
        _write_paragraphs(lines[done:first], builder, stats)
        builder.raw(chunk, blocks)
        stats["tables"] += sum(1 for b in blocks if b.is_table)
        done = last + 1
    _write_paragraphs(lines[done:], builder, stats)


def _write_paragraphs(lines: list[str], builder: DocBuilder, stats: dict) -> None:
    for ln in lines:
        if builder.paragraph(one_line(ln)) is not None:
            stats["paragraphs"] += 1


R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _alt_chunk(el, builder: DocBuilder, stats: dict) -> None:
    """A w:altChunk: content Word imports when it opens the file (systems that build .docx from web
    pages embed HTML/MHT this way); python-docx does not read it.  HTML and MHT chunks are read like
    an HTML file: paragraphs, and tables laid out on their grid."""
    part = _PART.get()
    rid = el.get(R_ID)
    if part is None or not rid:
        return
    try:
        target = part.rels[rid].target_part
        blob, ctype = target.blob, (target.content_type or "").lower()
    except Exception:
        return
    from .html import _Parser, decode_html, html_from_mht, looks_like_mht

    if looks_like_mht(blob[:4096]) or "rfc822" in ctype:
        blob = html_from_mht(blob)
        if blob is None:
            return
    elif "html" not in ctype and not blob.lstrip()[:1] == b"<":
        return  # an RTF or Word chunk: not read here
    parser = _Parser()
    try:
        parser.feed(decode_html(blob))
        parser.close()
    except Exception:
        return
    for kind, value in parser.items:
        if kind == "p":
            if builder.paragraph(value) is not None:
                stats["paragraphs"] += 1
        elif builder.table(value) is not None:
            stats["tables"] += 1


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
    if _FORM_START.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", first))) or getattr(rows[0], "full_span", False):
        return False  # a new form (项目名称 …) or a title row opens a new table
    return True


def _grid_x(tbl, rows: list[list[str]]) -> list[float] | None:
    """Column edges of the table's grid (w:tblGrid widths from its indent), when they describe `rows`."""
    grid = tbl.find(W + "tblGrid")
    if grid is None or not rows:
        return None
    widths = []
    for col in grid.iterchildren(W + "gridCol"):
        try:
            widths.append(float(col.get(W + "w")))
        except (TypeError, ValueError):
            return None
    if len(widths) != len(rows[0]) or sum(widths) <= 0:
        return None
    ind = tbl.find(W + "tblPr/" + W + "tblInd")
    try:
        x = [float(ind.get(W + "w")) if ind is not None and ind.get(W + "type", "dxa") == "dxa" else 0.0]
    except (TypeError, ValueError):
        x = [0.0]
    for w in widths:
        x.append(x[-1] + w)
    return x


def _onto_grid(prev_x: list[float] | None, x: list[float] | None, rows: list[list[str]]) -> list[list[str]] | None:
    """A continuation drawn with another grid (each page's table converted on its own): its cells moved
    into the columns of the table above by position; None unless both grids are known, span the same
    width (within 5%), and the continuation opens no new form or title."""
    if not prev_x or not x or not rows:
        return None
    span_prev, span = prev_x[-1] - prev_x[0], x[-1] - x[0]
    if abs(span - span_prev) > 0.05 * span_prev or abs(x[0] - prev_x[0]) > 0.05 * span_prev:
        return None
    first = next((c for c in rows[0] if c.strip()), "")
    if _FORM_START.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", first))) or getattr(rows[0], "full_span", False):
        return None
    # the same column structure: every edge of a real (not sliver) column meets an edge of the other grid
    tol = 0.03 * span_prev
    if not (_edges_meet(_core_edges(x, span), prev_x, tol) and _edges_meet(_core_edges(prev_x, span_prev), x, tol)):
        return None
    width = len(prev_x) - 1
    target = []
    for j in range(len(x) - 1):
        mid = (x[j] + x[j + 1]) / 2
        target.append(min(range(width), key=lambda i: 0 if prev_x[i] <= mid < prev_x[i + 1] else min(abs(prev_x[i] - mid), abs(prev_x[i + 1] - mid))))
    out = []
    for row in rows:
        new = _Row([""] * width)
        for j, text in enumerate(row):
            if text:
                i = target[j]
                new[i] = new[i] + text if new[i] else text
        out.append(new)
    return out


def _core_edges(x: list[float], span: float) -> list[float]:
    """The edges of the grid's columns wider than a sliver (4% of the table)."""
    out = []
    for j in range(len(x) - 1):
        if x[j + 1] - x[j] >= 0.04 * span:
            out += [x[j], x[j + 1]]
    return out


def _edges_meet(edges: list[float], other: list[float], tol: float) -> bool:
    return all(any(abs(e - o) <= tol for o in other) for e in edges)


def _drop_repeated_header(prev: list[list[str]], rows: list[list[str]]) -> list[list[str]]:
    """The continuation without the header rows it repeats (rows equal to a row of the table above)."""
    seen = {_norm(r) for r in prev if any(c.strip() for c in r)}
    h = 0
    while h < min(3, len(rows) - 1) and _norm(rows[h]) in seen:
        h += 1
    return rows[h:]


def _is_frame(tbl) -> bool:
    """A table whose every row holds one cell spanning it: a frame around content."""
    widths = [sum(1 for _ in _row_cells(tr)) for tr in _table_rows_of(tbl)]
    return bool(widths) and max(widths) == 1


def _text_boxes(p) -> list:
    """The outermost text box contents anchored in paragraph `p` (the VML fallback copy skipped)."""
    out = []
    for box in p.iter(TXBX):
        if not _inside(box, p, (MC_FALLBACK, TXBX)):
            out.append(box)
    return out


def paragraph_text(p, keep_tabs: bool = False) -> str:
    """A w:p's visible text: runs, tabs, breaks; deleted text (w:del) and hidden runs (w:vanish,
    a template's hints) skipped, inserted kept.  One line; with `keep_tabs` the tabs stay (leading
    ones too: an empty first cell of a tab-typed row) and line breaks stay line breaks."""
    parts: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == W + "t":
            if _inside(el, p, (W + "del", MC_FALLBACK, TXBX)) or _hidden_run(el.getparent()):
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
    text = _keep_tabs("".join(parts)) if keep_tabs else one_line("".join(parts))
    numbering = _NUMBERING.get()
    if numbering is not None:
        label = numbering.label(p)  # counted even for an empty paragraph, as Word numbers it
        if label and text:
            text = label + text
    return text


def _keep_tabs(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\u2028", "\n")
    return "\n".join(re.sub(r"[ \u00a0]+", " ", ln).strip(" ") for ln in text.split("\n")).strip("\n ")


_OFF = ("0", "false", "off")


def _hidden_run(run) -> bool:
    """A run formatted hidden (w:vanish directly on the run): Word neither shows nor prints it."""
    if run is None or run.tag != W + "r":
        return False
    rpr = run.find(W + "rPr")
    if rpr is None:
        return False
    vanish = rpr.find(W + "vanish")
    return vanish is not None and vanish.get(W + "val", "true").lower() not in _OFF


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
    for tr in _table_rows_of(tbl):
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


def _through_controls(parent, tag: str):
    """The children `tag` of `parent`, also those wrapped in content controls / customXml."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _through_controls(content, tag)


def _table_rows_of(tbl):
    """The w:tr of a table, also those wrapped in (repeating-section) content controls / customXml."""
    return _through_controls(tbl, W + "tr")


def _row_cells(tr):
    """The w:tc of a row, also those wrapped in content controls / customXml."""
    return _through_controls(tr, W + "tc")
