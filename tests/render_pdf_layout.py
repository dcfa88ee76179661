"""Render a SourceDoc into PDFs laid out as Word/WPS exports them, in the variants real files show.

`render_pdf_word` draws body text and tables glyph by glyph (MuPDF's built-in CJK font, subset and
embedded): font size, A4 portrait/landscape, column widths (narrow columns wrap cell text onto
several lines), rules (full grid, horizontal rules only, no outer vertical border), rows and
merged 一级/二级 cells split across a page break (closed by a rule at the break or left open),
header rows repeated on each page, running header and page-number footer.  The grid and its
merges come from `render.table_layout`, as for the other renderings.
"""

from __future__ import annotations

import re
from pathlib import Path

from extractor.source import SourceDoc

try:
    from tests.render import _is_level_header, _spans, table_layout
except ImportError:  # tests/ itself on sys.path
    from render import _is_level_header, _spans, table_layout

# --------------------------------------------------------------------------- Word-like PDF layout

_FONT = None
_NO_LINE_START = set("，。、；：？！）》」』”’%,.;:?!)")  # line-breaking rules (禁则) as Word applies them
_NO_LINE_END = set("（《「『“‘(")
_LATIN_RUN = re.compile(r"[A-Za-z0-9.%,:/+\-_()]+|.", re.S)


def _font():
    global _FONT
    if _FONT is None:
        import pymupdf

        _FONT = pymupdf.Font("cjk")  # MuPDF's built-in Droid Sans Fallback: CJK full width, Latin proportional
    return _FONT


_ADVANCE: dict[str, float] = {}


def _width(text: str, size: float) -> float:
    total = 0.0
    for ch in text:
        adv = _ADVANCE.get(ch)
        if adv is None:
            adv = _ADVANCE[ch] = _font().text_length(ch, fontsize=1.0)
        total += adv
    return total * size


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of `text` no wider than `width`: CJK breaks anywhere, a Latin/number run only when it
    is itself wider than a line (as Word does)."""
    text = " ".join(text.split())
    if not text:
        return []
    lines: list[str] = []
    cur, cur_w = "", 0.0
    for tok in _LATIN_RUN.findall(text):
        tok_w = _width(tok, size)
        if cur_w + tok_w <= width:
            cur, cur_w = cur + tok, cur_w + tok_w
            continue
        if tok in _NO_LINE_START and len(cur) > 1:  # a closing mark takes the character before it down
            lines.append(cur[:-1].rstrip())
            cur = cur[-1] + tok
            cur_w = _width(cur, size)
            continue
        if len(cur) > 1 and cur[-1] in _NO_LINE_END:  # an opening bracket goes down with what it opens
            lines.append(cur[:-1].rstrip())
            cur, cur_w = cur[-1] + tok, _width(cur[-1] + tok, size)
            continue
        if len(tok) > 1 and tok_w > width:  # a run longer than a line: broken by character
            for ch in tok:
                ch_w = _width(ch, size)
                if cur_w + ch_w > width and cur:
                    lines.append(cur)
                    cur, cur_w = "", 0.0
                cur, cur_w = cur + ch, cur_w + ch_w
            continue
        if cur.strip():
            lines.append(cur.rstrip())
        cur = tok.lstrip()
        cur_w = _width(cur, size)
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def _header_rows(grid: list[list[str]]) -> int:
    """Rows Word would repeat at the top of each page: the first row, or through the level-header
    row (一级/二级/三级指标) when it is among the first three."""
    for i, row in enumerate(grid[:3]):
        if _is_level_header(row):
            return i + 1
    return 1


_WRITERS: dict = {}  # page -> TextWriter (written out once per page at the end)


def put(page, origin, text: str, size: float) -> None:
    import pymupdf

    key = (id(page.parent), page.number)
    tw = _WRITERS.get(key)
    if tw is None:
        tw = _WRITERS[key] = pymupdf.TextWriter(page.rect)
    tw.append(origin, text, font=_font(), fontsize=size)


def _flush_text(doc) -> None:
    for pno in range(doc.page_count):
        tw = _WRITERS.pop((id(doc), pno), None)
        if tw is not None:
            tw.write_text(doc[pno])


class _Pdf:
    """Pages of a growing PDF with a y cursor inside the body area."""

    def __init__(self, landscape: bool, margin_x: float, margin_y: float) -> None:
        import pymupdf

        self.doc = pymupdf.open()
        self.rect = pymupdf.paper_rect("a4-l" if landscape else "a4")
        self.x0, self.x1 = margin_x, self.rect.width - margin_x
        self.top, self.bottom = margin_y, self.rect.height - margin_y
        self.page = None
        self.y = self.top
        self.shape = None
        self.new_page()

    def new_page(self) -> None:
        if self.shape is not None:
            self.shape.commit()
        self.page = self.doc.new_page(width=self.rect.width, height=self.rect.height)
        self.shape = self.page.new_shape()
        self.y = self.top

    def text(self, x: float, y_top: float, s: str, size: float) -> None:
        put(self.page, (x, y_top + 0.88 * size), s, size)


def render_pdf_word(
    doc: SourceDoc,
    path: Path,
    *,
    font_pt: float = 10.5,
    landscape: bool = False,
    table_width: float = 1.0,
    max_col_em: float = 16.0,
    rules: str = "grid",
    repeat_header: bool = False,
    close_breaks: bool = True,
    running: str | None = None,
    merge_cols: int = 2,
    valign: str = "middle",
) -> Path:
    """A PDF laid out as Word/WPS export one: body text and tables drawn glyph by glyph, tables
    paginated row by row (a row taller than what is left of the page breaks across the pages).

    - `font_pt`: table text size (paragraphs one point larger); `landscape`: A4 landscape.
    - `table_width` (of the text width) and `max_col_em` (the widest column, in ems of the table
      font): narrow columns wrap cell text onto several lines.
    - `rules`: "grid" (every cell border), "horizontal" (row rules only, no vertical line, drawn
      cell by cell), "horizontal-joined" (the same, each rule one stroke: no cell edge shows where
      a rule ends), "no_outer" (no left/right outer border).
    - `repeat_header`: the table's header rows (`_header_rows`) repeated at the top of each page.
    - `close_breaks`: a row or merged cell split by a page break gets a rule at the break (Word);
      False leaves it open (the cell continues on the next page without a top rule).
    - `running`: None, "page-of" (a running header line and "第 N 页 共 M 页" footer) or "dash"
      (a footer "- N -").
    - `merge_cols` as in `table_layout`; `valign`: where a merged cell split across pages shows its
      text: "top" (its first part) or "middle" (its tallest part).
    """
    path = Path(path)
    margin_x, margin_y = (60.0, 64.0) if landscape else (64.0, 72.0)
    pdf = _Pdf(landscape, margin_x, margin_y)
    para_pt = font_pt + 1
    pad = 2.5
    for b in doc.blocks:
        if not b.is_table:
            lh = para_pt * 1.45
            for ln in _wrap(b.text.strip(), pdf.x1 - pdf.x0, para_pt):
                if pdf.y + lh > pdf.bottom:
                    pdf.new_page()
                pdf.text(pdf.x0, pdf.y + 0.2 * para_pt, ln, para_pt)
                pdf.y += lh
            pdf.y += 2
            continue
        grid, merges = table_layout(b, merge_cols)
        _draw_table(pdf, grid, merges, font_pt, pad, table_width, max_col_em, rules, repeat_header, close_breaks, valign)
        pdf.y += 6
    pages = pdf.doc.page_count
    pdf.shape.commit()
    pdf.shape = None
    if running:
        for pno in range(pages):
            page = pdf.doc[pno]
            w, h = page.rect.width, page.rect.height
            if running == "page-of":
                head = "预算绩效管理资料"
                put(page, (w - margin_x - _width(head, 9), 40), head, 9)
                foot = f"第 {pno + 1} 页 共 {pages} 页"
            else:
                foot = f"- {pno + 1} -"
            put(page, ((w - _width(foot, 9)) / 2, h - 34), foot, 9)
    _flush_text(pdf.doc)
    pdf.doc.subset_fonts()
    pdf.doc.save(path, garbage=3, deflate=True)
    pdf.doc.close()
    return path


def _col_widths(grid, spans, size: float, pad: float, avail: float, max_col_em: float) -> list[float]:
    n = len(grid[0])
    natural = [2 * size + 2 * pad] * n
    for row, srow in zip(grid, spans):
        for j, (text, span) in enumerate(zip(row, srow)):
            if span and span[1] == 1 and text:
                natural[j] = max(natural[j], min(_width(text, size), max_col_em * size) + 2 * pad)
    low = [min(nat, 2.2 * size + 2 * pad) for nat in natural]
    if sum(natural) <= avail:
        return [w * avail / sum(natural) for w in natural]
    extra = avail - sum(low)
    want = sum(nat - lo for nat, lo in zip(natural, low)) or 1.0
    return [lo + max(0.0, extra) * (nat - lo) / want for nat, lo in zip(natural, low)]


def _draw_table(pdf: _Pdf, grid, merges, size, pad, table_width, max_col_em, rules, repeat_header, close_breaks, valign):
    spans = _spans(grid, merges)
    nr, nc = len(grid), len(grid[0])
    avail = (pdf.x1 - pdf.x0) * table_width
    widths = _col_widths(grid, spans, size, pad, avail, max_col_em)
    xs = [pdf.x0]
    for w in widths:
        xs.append(xs[-1] + w)
    lh = size * 1.3
    lines = {}  # (i, j) -> wrapped lines of a top-left cell
    heights = [lh + 2 * pad] * nr
    for i in range(nr):
        for j in range(nc):
            span = spans[i][j]
            if span is None:
                continue
            w = xs[j + span[1]] - xs[j] - 2 * pad
            lines[(i, j)] = _wrap(grid[i][j], w, size)
            if span[0] == 1:
                heights[i] = max(heights[i], len(lines[(i, j)]) * lh + 2 * pad)
    for i in range(nr):  # a merged cell taller than its rows grows its last row
        for j in range(nc):
            span = spans[i][j]
            if span and span[0] > 1:
                need = len(lines[(i, j)]) * lh + 2 * pad
                have = sum(heights[i : i + span[0]])
                if need > have:
                    heights[i + span[0] - 1] += need - have
    head = _header_rows(grid) if repeat_header else 0
    if head and any(spans[i][j] and spans[i][j][0] > head - i for i in range(head) for j in range(nc)):
        head = 0  # a header cell merged into the body: nothing Word could repeat
    if sum(heights[:head]) > (pdf.bottom - pdf.top) / 4:
        head = 0  # no header row worth repeating (a first row of long text)
    # pieces: (page index, row, y0, y1, first line, last line (exclusive) per cell of a split row)
    pieces: list[tuple[int, int, float, float, int, int]] = []
    pno = pdf.doc.page_count - 1
    y = pdf.y

    def break_page():
        nonlocal pno, y
        pdf.new_page()
        pno = pdf.doc.page_count - 1
        y = pdf.top
        for h in range(head):
            pieces.append((pno, h, y, y + heights[h], 0, 10**6))
            y += heights[h]

    if y + min(heights[0], lh * 3) > pdf.bottom:
        pdf.new_page()
        pno, y = pdf.doc.page_count - 1, pdf.top
    for i in range(nr):
        singles = [len(lines[(i, j)]) for j in range(nc) if spans[i][j] and spans[i][j][0] == 1]
        total = max(singles, default=1)
        left_h = heights[i]
        first = 0
        fresh = False  # nothing of the table body on this page yet
        while True:
            room = pdf.bottom - y
            if left_h <= room:
                pieces.append((pno, i, y, y + left_h, first, 10**6))
                y += left_h
                break
            fit = int((room - 2 * pad) // lh)
            if fit >= 2 and first + fit < total:  # the row breaks across the page
                pieces.append((pno, i, y, pdf.bottom, first, first + fit))
                first += fit
                left_h = max(lh + 2 * pad, (total - first) * lh + 2 * pad)
            elif fresh:  # taller than a page and nothing to split: drawn clipped
                pieces.append((pno, i, y, pdf.bottom, first, 10**6))
                y = pdf.bottom
                break
            break_page()
            fresh = True
    pdf.y = y
    by_page: dict[int, list] = {}
    for piece in pieces:
        by_page.setdefault(piece[0], []).append(piece)
    for p, ps in by_page.items():
        page = pdf.doc[p]
        shape = pdf.shape if p == pdf.doc.page_count - 1 else page.new_shape()
        for _, r, y0, y1, a, z in ps:
            for j in range(nc):
                span = spans[r][j]
                if span is None or span[0] > 1:
                    continue
                split_top, split_bottom = a > 0, z != 10**6
                _cell(page, shape, lines[(r, j)][a:z], xs[j], xs[j + span[1]], y0, y1, size, lh, pad, rules, xs,
                      split_top and not close_breaks, split_bottom and not close_breaks, top=split_top or split_bottom)
        for i in range(nr):  # merged cells (rowspan > 1): their part on this page as one box
            for j in range(nc):
                span = spans[i][j]
                if not span or span[0] == 1:
                    continue
                rs, cs = span
                parts: dict[int, list[float]] = {}
                for q, r, y0, y1, _, _ in pieces:
                    if i <= r < i + rs:
                        part = parts.setdefault(q, [y0, y1])
                        part[0], part[1] = min(part[0], y0), max(part[1], y1)
                if p not in parts:
                    continue
                order = sorted(parts)
                home = order[0] if valign == "top" else max(order, key=lambda q: parts[q][1] - parts[q][0])
                y0, y1 = parts[p]
                _cell(page, shape, lines[(i, j)] if p == home else [], xs[j], xs[j + cs], y0, y1, size, lh, pad, rules,
                      xs, p != order[0] and not close_breaks, p != order[-1] and not close_breaks)
        if rules == "horizontal-joined":  # one stroke per rule: no cell edge shows where the rule ends
            rows = sorted(_JOIN.pop(id(shape), []))
            merged: list[list[float]] = []
            for y, a, b in rows:
                if merged and abs(merged[-1][0] - y) < 0.01 and a <= merged[-1][2] + 0.01:
                    merged[-1][2] = max(merged[-1][2], b)
                else:
                    merged.append([y, a, b])
            for y, a, b in merged:
                shape.draw_line((a, y), (b, y))
                shape.finish(width=0.6, color=(0, 0, 0))
        if shape is not pdf.shape:
            shape.commit()


_JOIN: dict[int, list] = {}  # shape -> horizontal cell edges waiting to be drawn as joined rules


def _cell(page, shape, txt, x0, x1, y0, y1, size, lh, pad, rules, xs, open_top, open_bottom, top=False):
    """One cell (or its part on this page): its lines centred (`top`: from the top, as the parts of
    a row split by a page break are filled), then its borders as `rules` says."""
    if txt:
        ty = y0 + (pad if top else max(pad, (y1 - y0 - len(txt) * lh) / 2))
        for ln in txt:
            w = _width(ln, size)
            tx = x0 + pad if len(txt) > 1 or w > (x1 - x0) * 0.6 else x0 + (x1 - x0 - w) / 2
            put(page, (tx, ty + 0.2 * size + 0.88 * size), ln, size)
            ty += lh

    def seg(a, b, c, d):
        if rules == "horizontal-joined":
            _JOIN.setdefault(id(shape), []).append((b, a, c))
            return
        shape.draw_line((a, b), (c, d))
        shape.finish(width=0.6, color=(0, 0, 0))

    if not open_top:
        seg(x0, y0, x1, y0)
    if not open_bottom:
        seg(x0, y1, x1, y1)
    if rules in ("horizontal", "horizontal-joined"):
        return
    if not (rules == "no_outer" and abs(x0 - xs[0]) < 0.01):
        seg(x0, y0, x0, y1)
    if not (rules == "no_outer" and abs(x1 - xs[-1]) < 0.01):
        seg(x1, y0, x1, y1)
