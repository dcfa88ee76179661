"""Recover paragraphs and tables from plain text (text dumps of Word/PDF/Excel tables).

`blocks_from_text(text)` returns ordered `Block`s (paragraphs and tables) whose
offsets point into `text`.  Layouts read:

a. tab-separated rows, one row per line (``名称⇥值⇥自评得分⇥90``);
b. one cell per line, each cell line starting with a tab, rows separated by blank
   lines; a cell continues on following lines without the tab (even across a
   single blank line) while the table goes on.  Two blank lines, a heading
   (一、 / （一） / 注： / 第…部分), form metadata (单位：万元, 填表人：) or a sentence
   after a bare value end the table; a one-cell title row (…自评表, (2021年度), 表3)
   splits tables and becomes paragraphs;
c. cells flattened one per line with no separator, found from a run of known
   header words (一级指标 二级指标 三级指标 分值 得分 …): rows close at their numeric
   cells (or start at level words such as 产出指标/数量指标), short rows are padded
   in front (the merged 一级/二级 columns);
d. Markdown pipe tables, ``#`` headings, pandoc grid tables, HTML <table>s
   (colspan/rowspan become empty cells);
e. columns aligned with runs of spaces (``pdftotext -layout``).

Everything else becomes paragraph blocks, one per non-blank line, so titles such
as ``部门整体绩效自评表`` / ``(2021年度)`` / ``表10`` stand alone.  Page numbers
(``- 3 -``, ``第3页``, bare numbers counting up page by page) and running headers
next to them are dropped everywhere.

Cell offsets span the raw cell text (first to last piece); Cell.text is that text
with tags stripped and lines joined by `join_lines`.  When page debris or other
columns sit inside the span (grid/space tables), the text is a subsequence of it.

Debug: ``python -m extractor.layout FILE [WIDTH]`` prints the blocks.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache

from .source import Block, Cell

# --------------------------------------------------------------------------- text helpers

_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?\s*>")
_BREAK_TAG = re.compile(r"<\s*(?:br|/p|/div|/li|/tr)\s*/?\s*>", re.I)
_LATIN_END = re.compile(r"[A-Za-z0-9,.;:!?%)\]]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9(\[]")


def strip_tags(s: str) -> str:
    """Remove HTML debris (``<p>…</p>``, ``<br/>``); block-ending tags become line breaks."""
    if "<" not in s and "&" not in s:
        return s
    s = _BREAK_TAG.sub("\n", s)
    s = _TAG.sub("", s)
    return html.unescape(s)


def join_lines(parts: list[str]) -> str:
    """Join the lines of one cell/paragraph into one line.

    Chinese text is joined without a space (``一级`` + ``指标`` -> ``一级指标``);
    Latin words keep one space between them (``data`` + ``center`` -> ``data center``).
    """
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and _LATIN_END.search(out) and _LATIN_START.match(part):
            a, b = out[-1], part[0]
            if a.isalpha() or b.isalpha() or a in ",;:!?.)]%":
                out += " "
        out += part
    return out


_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


@lru_cache(maxsize=1 << 16)
def clean_text(raw: str) -> str:
    """Cell/paragraph text: tags and Markdown bold stripped, inner line breaks removed, outer whitespace stripped."""
    s = strip_tags(raw)
    if "**" in s or "__" in s:
        s = _MD_STRONG.sub(r"\2", s)
    return join_lines(s.split("\n"))


# --------------------------------------------------------------------------- line model


@dataclass
class _Line:
    start: int
    end: int  # excludes the newline
    raw: str
    debris: bool = False  # page number / running header next to one: skipped everywhere

    @property
    def blank(self) -> bool:
        return "\t" not in self.raw and not self.raw.strip()

    @property
    def has_tab(self) -> bool:
        return "\t" in self.raw

    def span(self, a: int = 0, b: int | None = None) -> tuple[int, int]:
        """Span of raw[a:b] with surrounding whitespace trimmed (absolute offsets)."""
        b = len(self.raw) if b is None else b
        seg = self.raw[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if lead == len(seg):  # empty
            return self.start + a, self.start + a
        return self.start + a + lead, self.start + b - trail


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    _mark_debris(out)
    return out


def _bare_page_numbers(lines: list[_Line], min_chain: int = 3, min_gap: int = 10) -> list[int]:
    """Lines holding only a number, standing alone (blank or nothing on both sides),
    that count up by one through the document at least `min_gap` lines apart:
    page numbers of a dumped PDF.  Chains shorter than `min_chain` are left alone."""
    chains: dict[int, list[int]] = {}  # value -> line indexes of the best chain ending at value
    n = len(lines)
    for k, l in enumerate(lines):
        s = l.raw.strip()
        if l.has_tab or not s.isdigit() or len(s) > 4:
            continue
        if (k > 0 and not lines[k - 1].blank) or (k + 1 < n and not lines[k + 1].blank):
            continue
        v = int(s)
        prev = chains.get(v - 1)
        chain = prev + [k] if prev and k - prev[-1] >= min_gap else [k]
        if len(chain) >= len(chains.get(v, [])):
            chains[v] = chain
    out: set[int] = set()
    for chain in chains.values():
        if len(chain) >= min_chain:
            out.update(chain)
    return sorted(out)


_NEW_FORM = re.compile(r"^(?:项目|部门|单位|转移支付|专项|政策|资金)(?:[(（]项目[)）])?名称|^[（(]\s*\d{4}\s*年")


def _value_like(raw: str) -> bool:
    w = _norm_word(raw)
    return len(w) <= 2 or bool(_NUMERIC_CELL.fullmatch(w)) or bool(re.fullmatch(r"[≥≤<>=]?\d[\d,.]*\S{0,4}", w))


def _mark_debris(lines: list[_Line]) -> None:
    """Page numbers, and running headers/footers: short untabbed lines repeated three or
    more times that stand next to a page number (within two non-blank lines)."""
    pages = [k for k, l in enumerate(lines) if not l.has_tab and is_page_debris(l.raw)]
    pages = sorted(set(pages) | set(_bare_page_numbers(lines)))
    if not pages:
        return
    counts: dict[str, int] = {}
    for l in lines:
        if not l.has_tab and not l.blank:
            key = _norm_word(l.raw)
            counts[key] = counts.get(key, 0) + 1
    nonblank = [k for k, l in enumerate(lines) if not l.blank]
    pos = {k: n for n, k in enumerate(nonblank)}
    for k in pages:
        lines[k].debris = True
        n = pos[k]
        for m in range(max(0, n - 2), min(len(nonblank), n + 3)):
            l = lines[nonblank[m]]
            if not l.has_tab and len(l.raw.strip()) <= 40 and counts.get(_norm_word(l.raw), 0) >= 3 \
                    and not _value_like(l.raw):  # a cell value ("3", "100%") recurs too, and is no header
                l.debris = True
        # a two-page document's running header: the line over the page break seen once before,
        # inside a table that goes on after it (a new form would open with its name field)
        if 0 < n and n + 2 < len(nonblank):
            before, header, after = (lines[nonblank[m]] for m in (n - 1, n + 1, n + 2))
            if before.has_tab and after.has_tab and not header.has_tab and not header.debris \
                    and len(header.raw.strip()) <= 40 and counts.get(_norm_word(header.raw), 0) >= 2 \
                    and not _NEW_FORM.match(after.raw.strip()):
                header.debris = True


# --------------------------------------------------------------------------- classifiers

_PAGE_DEBRIS = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}\s*页?|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$"
)
_TITLE = re.compile(
    r"^.{3,}(?<!指)表\s*$|(?:自评报告|评价报告|绩效报告)\s*$"
    r"|^\s*[（(]\s*\d{4}\s*年度?\s*[）)]\s*$"
    r"|^\s*表\s*\d{1,3}\s*$"
)
_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s|第[一二三四五六七八九十百\d]+[部分章节]|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]|附件\s*\d*\s*$|附表|注\s*[:：]|备注\s*[:：]|说明\s*[:：])"
)
_MD_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")

# Column words that begin an indicator/rubric header row (layout c and row breaks in b).
HEADER_WORDS = (
    "一级指标", "二级指标", "三级指标", "指标名称", "指标分值", "分值", "指标解释", "计分标准", "评分标准",
    "年度指标值", "指标值", "预期指标值", "实际完成值", "全年完成值", "全年实际完成值", "实际完成指标值",
    "完成比例", "得分", "自评得分", "偏差原因分析及改进措施", "未完成原因和改进措施", "权重",
)
_ROW_STARTING_HEADERS = ("一级指标", "绩效指标", "指标名称", "三级指标")


def is_page_debris(line: str) -> bool:
    """Page numbers and similar page-break debris (``- 3 -``, ``第3页 共10页``)."""
    return bool(_PAGE_DEBRIS.match(line))


def looks_like_title(line: str) -> bool:
    s = strip_tags(line).strip().lstrip("#").strip()
    return bool(s) and len(s) <= 60 and bool(_TITLE.search(s))


_META = re.compile(
    r"^\s*(?:(?:金额|计量|货币)?单位\s*[:：]|(?:填表|填报|审核|联系)人\s*[:：（(]|填[报表]日期|联系电话\s*[:：]|填报单位\s*[（(:：])"
)


def looks_like_meta(line: str) -> bool:
    """Form metadata standing outside tables: 单位：万元, 填表人：…, 填报日期 …"""
    return bool(_META.match(strip_tags(line)))


def looks_like_heading(line: str) -> bool:
    return bool(_HEADING.match(line)) or looks_like_title(line) or looks_like_meta(line)


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def _norm_word(s: str) -> str:
    return _SPACES.sub("", strip_tags(s))


# --------------------------------------------------------------------------- units (layouts a/b)


@dataclass
class _Unit:
    """One tab line and the lines that continue its last cell."""

    line: _Line
    blank_before: int
    cont: list[_Line] = field(default_factory=list)

    @property
    def is_multi(self) -> bool:
        """Tab-separated row (layout a) rather than a single tab-prefixed cell (layout b)."""
        raw = self.line.raw
        first = raw.index("\t")
        if raw[:first].strip():
            return True
        # leading tabs are indentation, trailing tabs add no cell: a tab between texts makes a row
        return "\t" in raw.strip(" \t\u3000")

    def segments(self, keep_leading: bool) -> list[tuple[int, int]]:
        """(a, b) index ranges into line.raw of the tab-separated segments."""
        raw = self.line.raw
        bounds, a = [], 0
        for piece in raw.split("\t"):
            bounds.append((a, a + len(piece)))
            a += len(piece) + 1
        if not keep_leading:
            # layout b: tabs before the cell text are indentation
            while len(bounds) > 1 and not raw[bounds[0][0] : bounds[0][1]].strip():
                bounds = bounds[1:]
            # layout b: a trailing tab after the cell text is not another cell
            while len(bounds) > 1 and not raw[bounds[-1][0] : bounds[-1][1]].strip():
                bounds.pop()
        return bounds


def _make_cell(parts: list[tuple[int, int]], text: str) -> Cell:
    """A cell from absolute spans of its raw pieces (first = on the tab line, rest continuation lines)."""
    nonempty = [(a, b) for a, b in parts if b > a]
    if not nonempty:
        a = parts[0][0]
        return Cell("", a, a)
    start, end = nonempty[0][0], nonempty[-1][1]
    # text from the pieces (skipped page debris between them stays out of the text)
    return Cell(join_lines([clean_text(text[a:b]) for a, b in nonempty]), start, end)


def _unit_cells(unit: _Unit, text: str, keep_leading: bool) -> list[Cell]:
    line = unit.line
    segs = unit.segments(keep_leading)
    cells = []
    for k, (a, b) in enumerate(segs):
        parts = [line.span(a, b)]
        if k == len(segs) - 1:
            parts += [c.span() for c in unit.cont]
        cells.append(_make_cell(parts, text))
    return cells


def _is_empty_row(row: list[Cell]) -> bool:
    return all(not c.text for c in row)


# --------------------------------------------------------------------------- main scan


def blocks_from_text(text: str) -> list[Block]:
    """Ordered paragraph and table blocks with exact offsets into `text`."""
    lines = _lines(text)
    blocks: list[Block] = []
    i = 0
    for a, b, block in _html_tables(text, lines):
        blocks.extend(_blocks_from_lines(lines[i:a], text))
        blocks.append(block)
        i = b
    blocks.extend(_blocks_from_lines(lines[i:], text))
    return blocks


def _blocks_from_lines(lines: list[_Line], text: str) -> list[Block]:
    n = len(lines)
    blocks: list[Block] = []
    para_run: list[_Line] = []  # untabbed lines outside tables, flushed through layouts c/e / paragraphs

    def flush_paras() -> None:
        if para_run:
            blocks.extend(_untabbed_blocks(para_run, text))
            para_run.clear()

    i = 0
    while i < n:
        ln = lines[i]
        if _is_md_row(ln.raw):
            j = i
            while j < n and _is_md_row(lines[j].raw):
                j += 1
            bars = {_bar_count(lines[k].raw) for k in range(i, j) if not _MD_SEP.match(lines[k].raw)}
            if j - i >= 2 and (any(_MD_SEP.match(lines[k].raw) for k in range(i, j)) or (len(bars) == 1 and min(bars) >= 3)):
                flush_paras()
                blocks.extend(_md_table(lines[i:j], text))
                i = j
                continue
        rec = _bar_table(lines, i, text) if not ln.has_tab and _bare_bars(ln.raw) >= 1 else None
        if rec is None and _GRID_BORDER.match(ln.raw):
            rec = _grid_table(lines, i, text)
        if rec is not None:
            flush_paras()
            block, i = rec
            blocks.append(block)
            continue
        if ln.has_tab:
            flush_paras()
            units, i, trailing = _scan_tab_region(lines, i)
            for run in _split_styles(units):
                blocks.extend(_tab_table_blocks(run, text))
            para_run.extend(trailing)
            continue
        para_run.append(ln)
        i += 1
    flush_paras()
    return blocks


# --------------------------------------------------------------------------- HTML and grid tables

_HTML_TABLE = re.compile(r"<table\b[^>]*>(.*?)</table\s*>", re.I | re.S)
_HTML_ROW = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</table|$)", re.I | re.S)
_HTML_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)(?=<td\b|<th\b|</tr|<tr\b|$)", re.I | re.S)
_SPAN_ATTR = re.compile(r"\b(colspan|rowspan)\s*=\s*[\"']?(\d+)", re.I)


def _html_tables(text: str, lines: list[_Line]) -> list[tuple[int, int, Block]]:
    """HTML <table> elements (Markdown converters emit them for merged cells).

    Returns (first line index, line index after, table block); colspan/rowspan
    expand to empty cells so merged values stay in the top-left cell.
    """
    if "<table" not in text and "<TABLE" not in text:
        return []
    starts = [l.start for l in lines]
    import bisect

    out = []
    last_line = 0
    for m in _HTML_TABLE.finditer(text):
        a = bisect.bisect_right(starts, m.start()) - 1
        b = bisect.bisect_right(starts, m.end() - 1)
        if a < last_line:
            continue
        rows: list[list[Cell]] = []
        pending: dict[tuple[int, int], int] = {}  # (row, col) filled by a rowspan from above
        body_start = m.start(1)
        for r, rm in enumerate(_HTML_ROW.finditer(m.group(1))):
            row: list[Cell] = []
            col = 0
            for cm in _HTML_CELL.finditer(rm.group(1)):
                while (r, col) in pending:
                    pos = body_start + rm.start(1) + cm.start()
                    row.append(Cell("", pos, pos))
                    col += 1
                attrs = dict((k.lower(), int(v)) for k, v in _SPAN_ATTR.findall(cm.group(2)))
                inner = re.sub(r"</t[dh]\s*>\s*$", "", cm.group(3), flags=re.I)
                raw_a = body_start + rm.start(1) + cm.start(3)
                raw_b = raw_a + len(inner)
                lead = len(inner) - len(inner.lstrip())
                trail = len(inner) - len(inner.rstrip())
                ca, cb = (raw_a + lead, raw_b - trail) if inner.strip() else (raw_a, raw_a)
                row.append(Cell(clean_text(text[ca:cb]), ca, cb))
                span_c, span_r = max(1, attrs.get("colspan", 1)), max(1, attrs.get("rowspan", 1))
                for extra in range(1, span_c):
                    row.append(Cell("", cb, cb))
                for dr in range(1, span_r):
                    for dc in range(span_c):
                        pending[(r + dr, col + dc)] = 1
                col += span_c
            while (r, col) in pending:
                pos = body_start + rm.end(1)
                row.append(Cell("", pos, pos))
                col += 1
            if row:
                rows.append(row)
        if not rows:
            continue
        start, end = m.start(), m.end()
        out.append((a, b, Block("table", start, end, text=text[start:end], rows=rows)))
        last_line = b
    return out


_GRID_BORDER = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")


def _grid_table(lines: list[_Line], i: int, text: str) -> tuple[Block, int] | None:
    """Pandoc grid tables: ``+---+---+`` borders, ``|`` columns, cells over several lines."""
    n = len(lines)
    rows: list[list[Cell]] = []
    j = i + 1
    group: list[_Line] = []
    while j < n:
        raw = lines[j].raw
        if _GRID_BORDER.match(raw):
            if group:
                rows.append(_grid_row(group, text))
                group = []
            j += 1
            if j >= n or not (lines[j].raw.strip().startswith("|") or _GRID_BORDER.match(lines[j].raw)):
                break
            continue
        if raw.strip().startswith("|"):
            group.append(lines[j])
            j += 1
            continue
        break
    if group or not rows:
        return None  # not closed by a border: not a grid table
    start, end = lines[i].span()[0], lines[j - 1].span()[1]
    return Block("table", start, end, text=text[start:end], rows=rows), j


def _grid_row(group: list[_Line], text: str) -> list[Cell]:
    first = group[0].raw
    bars = [k for k, ch in enumerate(first) if ch == "|"]
    pieces: list[list[tuple[int, int]]] = [[] for _ in bars[:-1]]
    for ln in group:
        for c, (a, b) in enumerate(zip(bars, bars[1:])):
            if b <= len(ln.raw):
                pieces[c].append(ln.span(a + 1, b))
            elif a + 1 < len(ln.raw):
                pieces[c].append(ln.span(a + 1, len(ln.raw)))
    cells = []
    for spans in pieces:
        spans = [(x, y) for x, y in spans if y > x] or spans[:1]
        x0, y1 = spans[0][0], spans[-1][1]
        cells.append(Cell(join_lines([clean_text(text[x:y]) for x, y in spans]), x0, y1))
    return cells


def _bar_count(raw: str) -> int:
    return sum(1 for k, ch in enumerate(raw) if ch == "|" and (k == 0 or raw[k - 1] != "\\"))


def _scan_tab_region(lines: list[_Line], i: int) -> tuple[list[_Unit], int, list[_Line]]:
    """Read a table region starting at tab line i.

    Returns its units, the index where scanning resumes, and untabbed lines that
    ended the table (to be read as paragraphs).
    """
    n = len(lines)
    units: list[_Unit] = []
    blanks = 0
    after_debris = False
    while i < n:
        ln = lines[i]
        if ln.has_tab:
            units.append(_Unit(ln, blanks))
            blanks = 0
            after_debris = False
            i += 1
            continue
        if ln.debris:  # page-break debris inside a table: invisible
            after_debris = True
            i += 1
            continue
        if ln.blank:
            if not after_debris:
                blanks += 1
            i += 1
            continue
        after_debris = False
        # an untabbed, non-blank line after a cell: continuation or end of table?
        chunk_end, term = _chunk(lines, i)
        if _continues(lines, i, chunk_end, term, blanks, units[-1]):
            units[-1].cont.extend(l for l in lines[i:chunk_end] if not l.blank and not l.debris)
            i = chunk_end
            blanks = 0
            # trailing blanks before the next tab line are counted by the loop
            continue
        return units, i, []
    return units, i, []


def _chunk(lines: list[_Line], i: int) -> tuple[int, str]:
    """Untabbed run from i: up to a tab line, two blank lines in a row, or the end.

    Returns (end index excluding trailing blanks, terminator) with terminator
    'tab' (tab line right after the run), 'tab_after_blank', or 'end'.
    """
    n = len(lines)
    j, last_text, gap, after_debris = i, i, 0, False
    while j < n:
        ln = lines[j]
        if ln.has_tab:
            return last_text + 1, ("tab" if gap == 0 else "tab_after_blank" if gap == 1 else "end")
        if ln.debris:
            after_debris = True
        elif ln.blank:
            if not after_debris:
                gap += 1
            if gap >= 2:
                return last_text + 1, "end"
        else:
            last_text, gap, after_debris = j, 0, False
        j += 1
    return last_text + 1, "end"


_VALUE = re.compile(r"[-+≥≤<>=＝]?\s*\d[\d,，.]*\s*(?:%|％|万元|元|分|人|次|个|天|小时)?")


def _continues(lines: list[_Line], i: int, end: int, term: str, blanks: int, unit: _Unit) -> bool:
    """Is the untabbed run lines[i:end] (after `blanks` blank lines) part of the unit's last cell?

    Yes when the table resumes right after it (tab line next) unless it is only
    titles/form metadata; after a blank line, no when it is a heading, when the
    cell it would continue is a bare value (a number does not go on as prose), or
    when the next table row is a title (the run introduces a new table).  When
    the table does not resume, only a short tail glued to the cell continues it.
    """
    first = lines[i].raw
    body = [l for l in lines[i:end] if not l.blank]
    if blanks >= 2:
        return False
    if term == "tab":
        if not unit.cont and _VALUE.fullmatch(unit.line.raw.split("\t")[-1].strip()) and len(first.strip()) > 8:
            return False  # a bare value does not go on as a sentence
        return not all(looks_like_title(l.raw) or looks_like_meta(l.raw) for l in body)
    if looks_like_heading(first):
        return False
    if term == "tab_after_blank":
        if blanks and not unit.cont:
            last = strip_tags(unit.line.raw.split("\t")[-1]).strip()
            if _VALUE.fullmatch(last):
                return False
            # a new paragraph of a cell follows a paragraph, not a short label/value
            if len(last) < 15 and len(_norm_word(first)) > 10:
                return False
        nxt = end
        while nxt < len(lines) and not lines[nxt].has_tab:
            nxt += 1
        if nxt < len(lines) and lines[nxt].raw.count("\t") == 1 and looks_like_title(lines[nxt].raw.split("\t")[1]):
            return False
        return True
    # the table ends after this run: only a short tail glued to the cell continues it
    return blanks == 0 and len(body) <= 2 and all(len(l.raw.strip()) <= 40 for l in body)


def _split_styles(units: list[_Unit]) -> list[list[_Unit]]:
    """Split a tab region where tab-separated rows (a) meet one-cell-per-line rows (b).

    Groups are runs of units between blank lines; a group of two or more units is
    style a when most of its units are tab-separated rows, else b.  A change of
    style between two such groups starts a new table; one-unit groups never split.
    """
    groups: list[list[_Unit]] = []
    for u in units:
        if not groups or u.blank_before > 0:
            groups.append([u])
        else:
            groups[-1].append(u)
    runs: list[list[_Unit]] = []
    style = None
    for g in groups:
        g_style = None
        if len(g) >= 2:
            g_style = "a" if sum(u.is_multi for u in g) * 2 >= len(g) else "b"
        if runs and (g_style is None or style is None or g_style == style):
            runs[-1].extend(g)
            style = style or g_style
        else:
            runs.append(list(g))
            style = g_style
    return runs


def _tab_table_blocks(units: list[_Unit], text: str) -> list[Block]:
    """Turn a tab region into table blocks (splitting at title rows) and paragraphs."""
    if not units:
        return []
    multi = sum(u.is_multi for u in units)
    layout_a = multi * 2 >= len(units)
    rows: list[tuple[list[Cell], list[_Unit]]] = []  # cells and the units making the row
    for u in units:
        cells = _unit_cells(u, text, keep_leading=layout_a)
        if not cells:
            continue
        new_row = (
            not rows
            or layout_a
            or u.blank_before > 0
            or _header_starts_row(cells, rows[-1][0])
        )
        if new_row:
            rows.append((cells, [u]))
        else:
            rows[-1][0].extend(cells)
            rows[-1][1].append(u)
    if not layout_a:
        merged: list[tuple[list[Cell], list[_Unit]]] = []
        for row in rows:
            if merged and _lone_cell_continues_row(row, merged[-1][0]):
                # a stray blank line split a row: the lone cell joins the row above
                merged[-1][0].extend(row[0])
                merged[-1][1].extend(row[1])
            else:
                merged.append(row)
        rows = [r for row in merged for r in _split_long_row(row)]

    blocks: list[Block] = []
    current: list[tuple[list[Cell], list[_Unit]]] = []

    def flush_table() -> None:
        body = [r for r in current if not _is_empty_row(r[0])]
        if body:
            # lone one-cell rows at the very start (at most three) are captions
            lead = 0
            while lead < 3 and len(body) - lead > 1 and _is_caption(body[lead][0]):
                blocks.extend(_unit_paragraphs(body[lead][1], text))
                lead += 1
            body = body[lead:]
            if len(body) == 1 and sum(bool(c.text) for c in body[0][0]) <= 1:
                blocks.extend(_unit_paragraphs(body[0][1], text))
            else:
                start = body[0][1][0].line.start
                last_units = body[-1][1]
                end = max([c.end for c in body[-1][0]] + [last_units[-1].line.end])
                blocks.append(
                    Block("table", start, end, text=text[start:end], rows=[r[0] for r in body])
                )
        current.clear()

    for row in rows:
        nonempty = [c for c in row[0] if c.text]
        if len(nonempty) == 1 and all(looks_like_title(l.raw) or _is_year_line(l.raw) for l in _row_lines(row[1])) and looks_like_title(nonempty[0].text):
            flush_table()
            blocks.extend(_unit_paragraphs(row[1], text))
            continue
        current.append(row)
    flush_table()
    return blocks


def _is_year_line(s: str) -> bool:
    return bool(re.match(r"^\s*[（(]\s*\d{4}\s*年度?\s*[）)]\s*$", strip_tags(s.replace("\t", ""))))


def _row_lines(units: list[_Unit]) -> list[_Line]:
    out = []
    for u in units:
        out.append(u.line)
        out.extend(u.cont)
    return out


def _is_caption(row: list[Cell]) -> bool:
    nonempty = [c for c in row if c.text]
    return len(nonempty) == 1 and len(nonempty[0].text) <= 40 and not re.search(r"\d+(\.\d+)?$", nonempty[0].text)


def _header_starts_row(cells: list[Cell], row: list[Cell]) -> bool:
    """A header word (一级指标, 绩效指标 …) after long content cells starts a new row (lost blank line)."""
    first = _norm_word(cells[0].text) if cells else ""
    if first not in _ROW_STARTING_HEADERS:
        return False
    words = {_norm_word(c.text) for c in row}
    if words & set(HEADER_WORDS) or words & set(_ROW_STARTING_HEADERS):
        return False
    return any(len(c.text) > 20 for c in row)


def _split_long_row(row: tuple[list[Cell], list[_Unit]]) -> list[tuple[list[Cell], list[_Unit]]]:
    """Layout b without blank lines between rows: one very long row holding a header
    run (一级指标 二级指标 三级指标 … at least three header words with a level word)
    is cut at the header and then into rows of the header's width (empty cells are
    present in this layout, so the width holds)."""
    cells, units = row
    if len(cells) < 12 or len(cells) != len(units):
        return [row]
    words = [_norm_word(c.text) for c in cells]
    for h in range(len(words)):
        w = 0
        while h + w < len(words) and _is_header_word(words[h + w]):
            w += 1
        head = set(words[h : h + w])
        if w >= 3 and head & {"一级指标", "二级指标", "三级指标", "指标名称"}:
            break
    else:
        return [row]
    if len(cells) - (h + w) < w:  # not even one data row
        return [row]
    if not any(x and not _is_header_word(x) for x in words[h + w:]):
        return [row]  # one wide header row (empty cells between its words), no data in it
    out = [(cells[:h], units[:h])] if h else []
    for a in range(h, len(cells), w):
        out.append((cells[a : a + w], units[a : a + w]))
    return out


def _lone_cell_continues_row(row: tuple[list[Cell], list[_Unit]], prev: list[Cell]) -> bool:
    """A one-cell row after a blank line (e.g. ``⇥全年实际完成情况`` after ``⇥总体目标``).

    In layout b a real row has at least two cells (label and value, or an empty
    merged cell and a value); a single non-title cell separated from the row
    above by a stray blank line belongs to that row, provided the row above
    has two or three cells (a label row such as 总体目标 | 年初目标 | …).
    """
    cells, units = row
    if len(cells) != 1 or len(units) != 1 or units[0].is_multi or not cells[0].text or not 2 <= len(prev) <= 3:
        return False  # a full-width row above (an indicator row) does not take a lone cell
    if looks_like_title(cells[0].text) or _norm_word(cells[0].text) in _ROW_STARTING_HEADERS:
        return False
    return True


def _unit_paragraphs(units: list[_Unit], text: str) -> list[Block]:
    out = []
    for ln in _row_lines(units):
        a, b = ln.span()
        if b > a:
            t = clean_text(text[a:b].replace("\t", " "))
            if t:
                out.append(Block("paragraph", a, b, text=t))
    return out


# --------------------------------------------------------------------------- markdown (layout d)


def _is_md_row(raw: str) -> bool:
    s = raw.strip()
    return s.startswith("|") and s.count("|") >= 2


def _bare_bars(raw: str) -> int:
    """Bars separating cells in a line that neither opens nor closes with one ("a|b|c")."""
    if "|" not in raw:
        return 0
    s = raw.strip()
    if not s or s.startswith("|") or s.endswith("|") and s.count("|") == 1:
        return 0
    return _bar_count(s)


def _bar_table(lines: list[_Line], i: int, text: str) -> tuple[Block, int] | None:
    """Cells separated by bars without the outer ones ("项目名称|XX|主管部门|YY"), a form exported
    as delimited text.  At least three such lines, one of three or more cells; a short line with
    no bar between them is a one-cell row (a caption such as "项目资金（万元）")."""
    n = len(lines)
    rows: list[list[Cell]] = []
    j, last, widest, barred = i, i, 0, 0
    while j < n:
        ln = lines[j]
        if ln.debris:
            j += 1
            continue
        bars = _bare_bars(ln.raw)
        if bars >= 1 and not ln.has_tab:
            cells, a = [], 0
            raw = ln.raw
            cuts = [k for k, ch in enumerate(raw) if ch == "|" and (k == 0 or raw[k - 1] != "\\")] + [len(raw)]
            for b in cuts:
                s0, e0 = ln.span(a, b)
                cells.append(Cell(clean_text(text[s0:e0].replace("\\|", "|")), s0, e0))
                a = b + 1
            rows.append(cells)
            widest, barred, last = max(widest, len(cells)), barred + 1, j
            j += 1
            continue
        k = ln.raw.strip()
        nxt = lines[j + 1] if j + 1 < n else None
        if k and len(k) <= 20 and not re.search(r"[，。；;]", k) and nxt is not None and _bare_bars(nxt.raw) >= 1:
            s0, e0 = ln.span()
            rows.append([Cell(clean_text(text[s0:e0]), s0, e0)])
            j += 1
            continue
        break
    if barred < 3 or widest < 3:
        return None
    rows = rows[: next(r for r in range(len(rows), 0, -1) if len(rows[r - 1]) > 1)]  # no trailing caption
    start, end = lines[i].span()[0], lines[last].span()[1]
    return Block("table", start, end, text=text[start:end], rows=rows), last + 1


def _md_table(lines: list[_Line], text: str) -> list[Block]:
    rows: list[list[Cell]] = []
    for ln in lines:
        if _MD_SEP.match(ln.raw):
            continue
        raw = ln.raw
        bars = [k for k, ch in enumerate(raw) if ch == "|" and (k == 0 or raw[k - 1] != "\\")]
        cells = []
        for a, b in zip(bars, bars[1:]):
            s, e = ln.span(a + 1, b)
            cells.append(Cell(clean_text(text[s:e].replace("\\|", "|")), s, e))
        # text after the last bar (row without closing bar)
        tail = raw[bars[-1] + 1 :]
        if tail.strip():
            s, e = ln.span(bars[-1] + 1, len(raw))
            cells.append(Cell(clean_text(text[s:e]), s, e))
        if cells:
            rows.append(cells)
    if not rows:
        return []
    start, end = lines[0].span()[0], lines[-1].span()[1]
    return [Block("table", start, end, text=text[start:end], rows=rows)]


# --------------------------------------------------------------------------- untabbed lines (paragraphs, layout c)


def _paragraph(ln: _Line, text: str) -> Block | None:
    a, b = ln.span()
    if b <= a:
        return None
    raw = text[a:b]
    m = _MD_HEADING.match(raw)
    t = clean_text(m.group(2) if m else raw)
    if not t:
        return None
    return Block("paragraph", a, b, text=t)


def _untabbed_blocks(lines: list[_Line], text: str) -> list[Block]:
    """Paragraph blocks, one per non-blank line; page debris dropped; layouts c and e recovered."""
    blocks: list[Block] = []
    body = [l for l in lines if not l.blank]
    k = 0
    no_space_table_before = 0  # a failed space-table run fails for every later start inside it
    while k < len(body):
        rec = _flat_table(body, k, text) or _flat_funds(body, k, text) or _flat_goals(body, k, text)
        if rec is None and k >= no_space_table_before:
            rec = _space_table(body, k, text)
            if isinstance(rec, int):
                no_space_table_before, rec = rec, None
        if rec is not None:
            block, k = rec
            blocks.append(block)
            continue
        ln = body[k]
        k += 1
        if ln.debris:
            continue
        p = _paragraph(ln, text)
        if p:
            blocks.append(p)
    return blocks


_NUMERIC_CELL = re.compile(r"[-+]?\d+(?:\.\d+)?%?|[-—－/／]")
# column words of a funds block (预算数 / 执行数 / 执行率 / 分值 / 得分 and their variants)
_FUNDS_WORD = re.compile(r"^(?:年初|全年|年度|调整后)?(?:预算数|执行数|预算金额|执行金额|实际支出|支出数)(?:[(（][A-Za-zＡ-Ｚ/／]+[)）])?$"
                         r"|^(?:预算)?执行率(?:[(（][A-Za-zＡ-Ｚ/／]+[)）])?$|^(?:分值|得分|权重)$")
_AMOUNT_CELL = re.compile(r"^(?:[-+]?\d[\d,]*(?:\.\d+)?%?|[-—－/／]+)$")


_GOAL_BLOCK = re.compile(r"^(?:年度)?(?:总体|整体|绩效)?目标$|^年度总体目标$")
_GOAL_T_WORD = re.compile(r"^(?:预期|年初设定|设定|计划)目标$|^年度目标$")
_GOAL_A_WORD = re.compile(r"^(?:全年)?实际完成(?:情况|目标)?$|^(?:目标)?完成情况$")


def _flat_goals(body: list[_Line], k: int, text: str) -> tuple[Block, int] | None:
    """The goal block of a form dumped one cell per line with no separators: the label
    (年度总体目标, maybe broken "年度总体" / "目标"), the two column words (预期目标,
    实际完成情况), then the two texts wrapped over lines.  They are split after a line that
    ends a sentence, the split that makes the two texts most alike in length (a goal and its
    completion are told at similar length).  Rebuilt as a two-row table."""
    if "目标" not in body[k].raw and not (k + 1 < len(body) and body[k + 1].raw.lstrip().startswith("目标")):
        return None  # (most lines)
    j = k
    label = [body[j]]
    if not _GOAL_BLOCK.match(_norm_word(body[j].raw)):
        if j + 1 >= len(body) or not _GOAL_BLOCK.match(_norm_word(body[j].raw + body[j + 1].raw)):
            return None
        j += 1
        label.append(body[j])
    j += 1
    if j + 1 >= len(body) or not (_GOAL_T_WORD.match(_norm_word(body[j].raw))
                                  and _GOAL_A_WORD.match(_norm_word(body[j + 1].raw))):
        return None
    words = [body[j], body[j + 1]]
    j += 2
    lines: list[_Line] = []
    while j < len(body):
        ln = body[j]
        w = _norm_word(ln.raw)
        if ln.debris:
            j += 1
            continue
        if len(w) <= 2 or _is_header_word(w) or w in _FLAT_HEADER_WORDS or looks_like_heading(ln.raw) \
                or _is_level_word(w) or ln.has_tab:
            break
        lines.append(ln)
        j += 1
    ends = [i for i in range(len(lines) - 1) if re.search(r"[。；;！!]$", lines[i].raw.strip())]
    if not ends or not re.search(r"[。；;！!]$", lines[-1].raw.strip()):
        return None
    size = [len(_norm_word(l.raw)) for l in lines]
    cut = min(ends, key=lambda i: abs(sum(size[: i + 1]) - sum(size[i + 1:]))) + 1
    head = [_cell_of_lines(label), _cell_of_lines([words[0]]), _cell_of_lines([words[1]])]
    pad = Cell("", lines[0].start, lines[0].start)
    rows = [head, [pad, _cell_of_lines(lines[:cut]), _cell_of_lines(lines[cut:])]]
    start, end = label[0].span()[0], lines[-1].span()[1]
    return Block("table", start, end, text=text[start:end], rows=rows), j


def _flat_funds(body: list[_Line], k: int, text: str) -> tuple[Block, int] | None:
    """A funds block flattened one cell per line with no separators: its column words
    (年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分, at least three, one per line), then
    rows of a label followed by as many values (numbers, percents, dashes).  Rebuilt as a table
    whose header row has an empty label cell; anything else ends it."""
    words: list[_Line] = []
    p = k
    while p < len(body) and not body[p].debris and _FUNDS_WORD.match(_norm_word(body[p].raw)):
        words.append(body[p])
        p += 1
    n = len(words)
    if n < 3:
        return None
    rows: list[list[Cell]] = [[Cell("", words[0].start, words[0].start)] + [_cell_of_lines([w]) for w in words]]
    while p + n < len(body):
        label = body[p]
        values = body[p + 1: p + 1 + n]
        if len(values) < n or label.debris or _AMOUNT_CELL.match(_norm_word(label.raw)) \
                or not all(_AMOUNT_CELL.match(_norm_word(v.raw)) for v in values):
            break
        rows.append([_cell_of_lines([label])] + [_cell_of_lines([v]) for v in values])
        p += 1 + n
    if len(rows) < 2:
        return None
    start, end = words[0].span()[0], body[p - 1].span()[1]
    return Block("table", start, end, text=text[start:end], rows=rows), p
LEVEL_WORDS = (
    "产出指标", "效益指标", "满意度指标", "项目完成指标", "投入指标", "过程指标", "效果指标", "影响指标",
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
    "可持续影响指标", "服务对象满意度指标", "满意度",
)


_FLAT_HEADER_WORDS = set(HEADER_WORDS) | {"绩效指标", "序号", "项目名称"}
_HEADER_STEM = re.compile(r"指标|分值|得分|权重|完成值|实际值|目标值|完成情况|偏差|原因|措施|标准|解释|序号|备注|完成率|完成比例")


def _is_header_word(w: str) -> bool:
    """A column word of an indicator/rubric header (w normalised): known words and short
    variants (实际值, 偏差原因 …), never a level word such as 产出指标."""
    if w in _FLAT_HEADER_WORDS:
        return True
    return 2 <= len(w) <= 14 and not _is_level_word(w) and bool(_HEADER_STEM.search(w)) and not _is_number(w)
_LEVEL_SET = set(LEVEL_WORDS)
_TOTAL_WORDS = {"合计", "总分", "总计", "小计", "得分合计", "总得分"}
_LABEL_WORDS = _TOTAL_WORDS | {"说明", "备注", "其他说明", "情况说明"}
_NUMERIC_HEADERS = {"分值", "指标分值", "得分", "自评得分", "权重"}
_UNIT_TAILS = {
    "元", "万元", "亿元", "人", "万人", "人次", "次", "个", "户", "家", "%", "％", "天", "日", "月", "年", "小时", "分钟",
    "件", "项", "公里", "千米", "米", "平方米", "亩", "吨", "册", "座", "所", "台", "套", "份", "场", "期", "批", "辆", "张",
}


def _is_number(s: str) -> bool:
    return bool(_NUMERIC_CELL.fullmatch(s))


def _cell_of(ln: _Line) -> Cell:
    a, b = ln.span()
    return Cell(clean_text(ln.raw), a, b)


_LEVEL_STEM = re.compile(
    r"^(?:产出|效益|满意度?|数量|质量|时效|成本|经济效益|社会效益|生态效益|环境效益|可持续影响|服务对象满意度"
    r"|项目完成|投入|过程|决策|效果|影响|管理|产出数量|产出质量|产出时效|产出成本)(?:指标|指表|类指标)$"
)


def _is_level_word(s: str) -> bool:
    """一级/二级 indicator words, typos such as 产出指表 included (s already normalised)."""
    return s in _LEVEL_SET or bool(_LEVEL_STEM.match(s))


def _header_run(body: list[_Line], k: int) -> list[list[_Line]]:
    """Header cells from body[k]: lines that are header words, or two lines that
    together make one (``一级`` / ``指标``).  Page debris inside is skipped."""
    cells: list[list[_Line]] = []
    j = k
    while j < len(body) and len(cells) <= 24:
        ln = body[j]
        if ln.debris and cells:
            j += 1
            continue
        w = _norm_word(ln.raw)
        if _is_header_word(w):
            cells.append([ln])
            j += 1
        elif j + 1 < len(body) and len(w) >= 2 and _norm_word(w + body[j + 1].raw) in _FLAT_HEADER_WORDS:
            cells.append([ln, body[j + 1]])
            j += 2
        else:
            break
    return cells


def _cell_of_lines(group: list[_Line]) -> Cell:
    if len(group) == 1:
        return _cell_of(group[0])
    a, b = group[0].span()[0], group[-1].span()[1]
    return Cell(join_lines([clean_text(l.raw) for l in group]), a, b)


def _flat_table(body: list[_Line], k: int, text: str) -> tuple[Block, int] | None:
    """Layout c: a header row of known column words, one cell per line, no separators.

    Needs at least three header-word cells including a level word
    (一级指标/二级指标/三级指标/指标名称) to start.  Empty cells vanish in such dumps,
    so the width cannot be trusted:
    - with numeric columns in the header (分值/得分), a data row is closed by as
      many numeric cells as the header has numeric columns (a total row by one);
    - without them, level words (产出指标, 数量指标 …) start rows, and the lines
      between level words are cut into rows of (name + trailing columns) cells,
      the size chosen so they divide evenly (trailing empty notes vanish).
    Short rows are padded in front (the merged 一级/二级 columns).  Page numbers
    and repeated header words are skipped; a heading or a long sentence ends the
    table; unfinished lines fall back to paragraphs.  Returns None when nothing
    is recognised.
    """
    if not _is_header_word(_norm_word(body[k].raw)) and not (
        k + 1 < len(body) and _norm_word(body[k].raw + body[k + 1].raw) in _FLAT_HEADER_WORDS
    ):
        return None
    head_cells = _header_run(body, k)
    header = [_norm_word("".join(l.raw for l in g)) for g in head_cells]
    if len(header) < 3 or len(header) > 24 or not (set(header) & {"一级指标", "二级指标", "三级指标", "指标名称"}):
        return None
    j = body.index(head_cells[-1][-1]) + 1
    width = len(header)
    n_numeric = sum(w in _NUMERIC_HEADERS for w in header)
    # a two-row header flattened into one run (绩效指标 指标分值 … then 一级指标 二级指标 …)
    cut = header.index("一级指标") if "一级指标" in header else 0
    head_rows = [head_cells[:cut], head_cells[cut:]] if cut >= 2 else [head_cells]
    rows: list[list[Cell]] = [[_cell_of_lines(g) for g in h] for h in head_rows]
    n_head = len(rows)
    name_col = max((i for i, w in enumerate(header) if w in ("三级指标", "指标名称")), default=width - 1)
    per_row = range(max(2, width - name_col), 1, -1)  # name + trailing columns, largest first
    Group = list  # the lines of one cell (a split word or a unit tail joins two lines)
    pending: list[Group] = []
    segments: list[tuple[list[Group], list[Group]]] = []  # level mode: (level words, other cells)
    p = last_good = j
    while p < len(body):
        ln = body[p]
        s = _norm_word(ln.raw)
        if ln.debris or (s in header and not pending):
            p += 1  # page numbers and repeated header words
            if not pending:
                last_good = p
            continue
        if (not pending or not n_numeric) and (looks_like_heading(ln.raw) or (len(s) > 60 and s.endswith("。"))):
            break
        group = [ln]
        p += 1
        nxt_line = body[p] if p < len(body) else None
        nxt_word = _norm_word(nxt_line.raw) if nxt_line is not None else ""
        if nxt_line is not None and _is_level_word(s + nxt_word) and not _is_level_word(nxt_word) and len(nxt_word) <= 4:
            group.append(nxt_line)  # 经济效益 / 指标
            p += 1
            s = _norm_word(ln.raw + nxt_line.raw)
        prev = pending if n_numeric else (segments[-1][1] if segments else [])
        if s in _UNIT_TAILS and prev and re.search(r"\d[十百千万亿]?$", _norm_word(prev[-1][-1].raw)):
            prev[-1].append(ln)  # 共计划拨0万 / 元
            last_good = p if not n_numeric or not pending else last_good
            continue
        if n_numeric:
            if _is_level_word(s) and any(
                not _is_level_word(w) and not _is_number(w) for w in (_norm_word("".join(l.raw for l in g)) for g in pending)
            ):
                # a level word after a name: the row above had no numbers (a …… placeholder)
                rows.append([_cell_of_lines(g) for g in pending])
                pending = []
                last_good = p - len(group)
            pending.append(group)
            if _is_number(s) and len(pending) >= 2:
                nums = sum(_is_number(_norm_word("".join(l.raw for l in g))) for g in pending)
                nxt = _norm_word(body[p].raw) if p < len(body) else ""
                total = _norm_word(pending[0][0].raw) in _TOTAL_WORDS
                if (nums >= n_numeric or total) and not _is_number(nxt) and nxt not in _UNIT_TAILS:
                    rows.append([_cell_of_lines(g) for g in pending])
                    pending = []
                    last_good = p
            if len(pending) > width * 3:
                break
            continue
        # level mode
        if _is_level_word(s):
            if not segments or segments[-1][1] or len(segments[-1][0]) >= 2:
                segments.append(([], []))
            segments[-1][0].append(group)
        else:
            if not segments:
                segments.append(([], []))
            segments[-1][1].append(group)
            if len(segments[-1][1]) > per_row[0] * 15:
                break
        last_good = p
    if segments:
        # one row size for the table: the one dividing most segments evenly
        size = max(per_row, key=lambda c: (sum(len(it) % c == 0 for _, it in segments), c))
        level_cols = [i for i, w in enumerate(header) if w in ("一级指标", "二级指标")] or [max(0, name_col - 1)]
        first_level = level_cols[0]
        name_at = max(name_col, first_level + len(level_cols))
        for levels, items in segments:
            chunks = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
            for c, chunk in enumerate(chunks):
                anchor = chunk[0][0] if chunk else levels[0][0]
                pad = Cell("", anchor.span()[0], anchor.span()[0])
                if chunk and (c > 0 or not levels) and _norm_word(chunk[0][0].raw) in _LABEL_WORDS:
                    rows.append([_cell_of_lines(g) for g in chunk])  # 说明/合计 rows start at the left
                    continue
                lv = [_cell_of_lines(g) for g in levels] if c == 0 else []
                row = [pad] * first_level + [pad] * (len(level_cols) - len(lv)) + lv
                row += [pad] * (name_at - len(row)) + [_cell_of_lines(g) for g in chunk]
                rows.append(row)
    if len(rows) <= n_head:
        return None
    data = rows[n_head:]
    num_cols = [i for i, w in enumerate(header) if w in _NUMERIC_HEADERS]
    if n_numeric and n_head == 1 and num_cols:
        _reflow_wrapped(data, header, num_cols)
    if n_numeric and n_head == 1 and num_cols:
        # right-align each row on its last number: it sits in the header's last numeric column
        for r in data:
            if _norm_word(r[0].text) in _TOTAL_WORDS:
                continue
            last = max((i for i, c in enumerate(r) if _is_number(_norm_word(c.text))), default=None)
            if last is not None and num_cols[-1] > last:
                r[:0] = [Cell("", r[0].start, r[0].start) for _ in range(num_cols[-1] - last)]
    elif not segments:
        # empty cells vanish in such dumps; cells merged from above are the leading
        # (一级/二级) columns, so a short row is padded with empty cells at its front
        wide = max(len(r) for r in data)
        for r in data:
            if len(r) < wide and _norm_word(r[0].text) not in _TOTAL_WORDS:
                r[:0] = [Cell("", r[0].start, r[0].start) for _ in range(wide - len(r))]
    start, end = rows[0][0].start, max(c.end for c in rows[-1])
    return Block("table", start, end, text=text[start:end], rows=rows), last_good


def _join_cells(cells: list[Cell]) -> Cell:
    return Cell(join_lines([c.text for c in cells]), cells[0].start, cells[-1].end)


def _reflow_wrapped(data: list[list[Cell]], header: list[str], num_cols: list[int]) -> None:
    """Rows closed on their numbers hold as many text cells before them as the header has
    text columns.  A dump that wraps long cells onto several lines leaves more:
    - lines before a row's level words (or 合计) are the note of the row above, run on past
      its numbers ("部分学校监控仍有 / 覆盖死角，下一步 / 补点完善");
    - an extra line where the name stands is the name's wrapped tail ("…系统建 / 设学校数").
    Both are joined back into one cell."""
    note_after = any(w not in _NUMERIC_HEADERS for w in header[num_cols[-1] + 1:])
    # name, target, actual …: the columns before the numbers, less the level and section columns
    texts_before = sum(1 for w in header[: num_cols[0]] if w not in ("一级指标", "二级指标", "绩效指标"))
    for i, row in enumerate(data):
        tail = 0  # the points closing the row (a target or actual may be a number too)
        while tail < min(len(num_cols), len(row)) and _is_number(_norm_word(row[len(row) - 1 - tail].text)):
            tail += 1
        if not tail:
            continue
        pre = row[: len(row) - tail]
        words = [_norm_word(c.text) for c in pre]
        start = next((j for j, w in enumerate(words) if _is_level_word(w) or w in _LABEL_WORDS), None)
        if start is None:
            start = max(0, len(pre) - texts_before)
        if start and i > 0 and note_after and not any(_is_level_word(w) for w in words[:start]):
            prev = data[i - 1]
            prev_nums = [j for j, c in enumerate(prev) if _is_number(_norm_word(c.text))]
            if prev_nums and prev_nums[-1] == len(prev) - 1:  # the row above ends on its numbers
                prev.append(_join_cells(pre[:start]))
                del row[:start]
                pre, words = pre[start:], words[start:]
        if words and words[0] in _LABEL_WORDS:
            continue
        levels = 0
        while levels < len(words) and _is_level_word(words[levels]):
            levels += 1
        extra = len(pre) - levels - texts_before
        # a wrapped line fills its column: long, not ending a sentence (a short word is a level
        # name the list does not know, such as a rubric's 投入 / 预算编制)
        wrapped = all(len(w) >= 8 and not re.search(r"[。；;]$", w) for w in words[levels: levels + extra])
        if 0 < extra <= 2 and wrapped and not any(_is_level_word(w) for w in words[levels:]):
            row[levels: levels + extra + 1] = [_join_cells(pre[levels: levels + extra + 1])]


_GAP = re.compile(r"(?: {2,}|[ ]*\u3000[\u3000 ]*)")


def _display_col(raw: str, a: int) -> int:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in raw[:a])


_VALUE_HEAD = ("指标值", "完成值", "实际值", "目标值", "分值", "得分", "权重")


def _align_under_header(parts: list, dcols: list[list[int]], text: str) -> list:
    """Below an indicator header row (or a goal header row: 年度总体目标 | 预期目标 | 实际完成情况),
    cells go to the header column they stand under (display positions; empty merged cells leave
    no text in such dumps).  Under an indicator header, a line with text only outside the value
    columns continues the row above: wrapped names, levels and notes."""
    def words(row) -> str:
        return "".join(re.sub(r"\s+", "", text[a:b]) for spans in row for a, b in spans)

    def kind(row) -> str | None:
        w = words(row)
        if len(row) >= 4 and re.search(r"一级指标|三级指标|指标名称", w):
            return "indicators"
        if len(row) >= 2 and re.search(r"预期目标|年初设定目标|年度目标", w) and re.search(r"实际完成|完成情况", w):
            return "goals"
        return None

    out: list = []
    anchors: list[int] | None = None
    value_cols: set[int] = set()
    first_data = 0
    for row, dc in zip(parts, dcols):
        k = kind(row)
        if k is not None:
            anchors = dc
            heads = [re.sub(r"\s+", "", "".join(text[a:b] for a, b in spans)) for spans in row]
            value_cols = {j for j, w in enumerate(heads) if any(v in w for v in _VALUE_HEAD)} if k == "indicators" else set()
            wraps = k == "indicators"
            out.append(row)
            first_data = len(out)
            continue
        if anchors is None:
            out.append(row)
            continue
        full: list[list[tuple[int, int]]] = [[] for _ in anchors]
        for spans, d in zip(row, dc):
            j = max([q for q, a in enumerate(anchors) if a <= d + 1] or [0])
            full[j].extend(spans)
        used = {j for j, spans in enumerate(full) if spans}
        if wraps and len(out) > first_data and used and not used & value_cols and 0 not in used:
            above = out[-1]
            for j in used:
                above[j].extend(full[j])
            continue
        out.append([spans or [_empty_at(row)] for spans in full])
    return out


def _empty_at(row) -> tuple[int, int]:
    a = row[0][0][0]
    return (a, a)


def _space_segments(raw: str) -> list[tuple[int, int]]:
    """(a, b) ranges of the parts of a line separated by runs of 2+ spaces or ideographic spaces."""
    out, pos = [], 0
    body_start = len(raw) - len(raw.lstrip())
    body_end = len(raw.rstrip())
    pos = body_start
    for m in _GAP.finditer(raw, body_start, body_end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if body_end > pos:
        out.append((pos, body_end))
    return out


def _space_table(body: list[_Line], k: int, text: str) -> tuple[Block, int] | int:
    """Layout e: columns aligned with runs of spaces (``pdftotext -layout`` dumps).

    At least three consecutive lines (no two blank lines between) of two or more
    parts, one of them with three or more; a one-part line indented inside such a
    run continues the cell of the row above whose column it falls under.
    Returns (table, next index), or the index before which no such table starts.
    """
    cols: list[list[int]] = []  # start column of each cell of each row
    dcols: list[list[int]] = []  # the same as display columns (a CJK character is two wide)
    parts: list[list[list[tuple[int, int]]]] = []
    p = k
    widest = 0
    while p < len(body):
        ln = body[p]
        if p > k and ln.start - body[p - 1].end > 3:  # more than one blank line in between
            break
        if ln.debris:
            p += 1
            continue
        segs = _space_segments(ln.raw)
        if len(segs) >= 2 and len(ln.raw.strip()) < 400:
            cols.append([a for a, _ in segs])
            dcols.append([_display_col(ln.raw, a) for a, _ in segs])
            parts.append([[ln.span(a, b)] for a, b in segs])
            widest = max(widest, len(segs))
            p += 1
            continue
        indent = len(ln.raw) - len(ln.raw.lstrip(" \u3000"))
        nxt_multi = p + 1 < len(body) and body[p + 1].start - ln.end <= 1 and len(_space_segments(body[p + 1].raw)) >= 2
        if len(segs) == 1 and parts and indent >= 4 and (nxt_multi or len(ln.raw.strip()) <= 12):
            col = cols[-1]
            target = max([q for q, c in enumerate(col) if c <= indent + 1] or [0])
            parts[-1][target].append(ln.span(*segs[0]))
            p += 1
            continue
        if len(segs) == 1 and parts and indent == 0 and nxt_multi and len(ln.raw.strip()) <= 20:
            # a caption row inside the table ("（万元）" under 项目资金)
            cols.append([segs[0][0]])
            dcols.append([0])
            parts.append([[ln.span(*segs[0])]])
            p += 1
            continue
        break
    if len(parts) < 3 or widest < 3:
        return p  # nothing here; nor from any later start before p
    parts = _align_under_header(parts, dcols, text)
    rows = [
        [Cell(join_lines([clean_text(text[x:y]) for x, y in spans if y > x]), spans[0][0], spans[-1][1])
         for spans in row_parts]
        for row_parts in parts
    ]
    start, end = rows[0][0].start, max(c.end for r in rows for c in r)
    return Block("table", start, end, text=text[start:end], rows=rows), p


# --------------------------------------------------------------------------- debug printer


def format_blocks(blocks: list[Block], width: int = 60) -> str:
    """Blocks as text: kind, offsets (and page), rows with cells separated by ' | '.  width 0: no cut."""

    def cut(t: str, w: int) -> str:
        return t if w <= 0 or len(t) <= w else t[: w - 1] + "…"

    out = []
    for b in blocks:
        page = f" p{b.page}" if b.page is not None else ""
        if b.is_table:
            out.append(f"TABLE [{b.start}:{b.end}]{page} rows={len(b.rows)}")
            for r in b.rows:
                out.append("  | " + " | ".join(cut(c.text, width) for c in r))
        else:
            out.append(f"PARA  [{b.start}:{b.end}]{page} {cut(b.text, width * 2)}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m extractor.layout FILE [WIDTH]   (WIDTH: cut cells at WIDTH chars, 0 = whole)", file=sys.stderr)
        return 2
    from pathlib import Path

    from .source import LoadError

    width = int(argv[1]) if len(argv) > 1 else 60
    path = Path(argv[0])
    try:
        if path.suffix.lower() in (".txt", ".md", ".markdown", ".text", ""):
            from .loaders.text import load_text

            doc = load_text(path)
        else:  # any format the loaders read
            from .loaders import load

            doc = load(path, max_mb=None)
    except LoadError as e:
        print(e, file=sys.stderr)
        return 1
    print(f"# {doc.stem} encoding={doc.meta.get('encoding')} chars={len(doc.text)} blocks={len(doc.blocks)}")
    try:
        print(format_blocks(doc.blocks, width))
    except BrokenPipeError:  # piped into head
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
