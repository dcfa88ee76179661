"""PDF loader (pymupdf): text in reading order, ruled tables as table blocks, OCR for scans.

Per page:
- ruled tables come from `page.find_tables()`; every character is assigned to the
  table cell that contains it, so cell text is read in MuPDF's own line order
  (no re-sorting of glyphs) and a cell's lines are joined without a space between
  Chinese characters.  Cells spanning rows/columns keep their text in the top-left
  cell; the other cells of the range are present and empty.
- text outside tables becomes lines (fragments on one baseline joined; a wide gap
  becomes a tab), wrapped prose lines are re-joined into paragraphs, page numbers
  in the page margins are dropped, and the lines go through
  `layout.blocks_from_text`, so unruled tab-aligned tables are still recovered.
- a table that ends one page and continues at the top of the next with the same
  column count (repeated header rows dropped) is one table.

A page without a text layer is OCR'd through pymupdf + Tesseract (chi_sim) when
available (`meta["ocr"] = True`); if no page has text and Tesseract is missing,
LoadError says what to install.  On a scan, the ruling lines found in the image give the
tables' cell grids; each cell's lines are OCR'd as plain strips (all cells of a table in one
pass, `_ocr_cells`), so tables come out rows x cells as from a digital PDF; the text around
the tables is OCR'd in one pass with the tables whited out.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..source import LoadError, SourceDoc
from . import DocBuilder, one_line

OCR_DPI = 300  # table cells (small and narrow) are OCR'd at this resolution
OCR_TEXT_DPI = 200  # the text around tables
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \u00a0]+(?=[{_CJK}0-9A-Za-z%])|(?<=[0-9A-Za-z%])[ \u00a0]+(?=[{_CJK}])")
_SPACED_CJK = re.compile(rf"(?<=[{_CJK}])[ \u00a0]{{1,3}}(?=[{_CJK}])")  # "项 目 名 称" (distributed alignment)
_NUMBER_ONLY = re.compile(r"^\s*[-—–－]?\s*\d{1,4}\s*[-—–－]?\s*$")


def load_pdf(path: Path) -> SourceDoc:
    import pymupdf

    name = path.name
    _check_tail(path)
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:
        raise LoadError(f"{name}: damaged PDF, cannot be opened ({_short(exc)})") from None
    try:
        if doc.needs_pass and not doc.authenticate(""):
            raise LoadError(f"{name}: PDF is encrypted; remove the password first")
        if doc.page_count == 0:
            raise LoadError(f"{name}: PDF has no pages (damaged or truncated)")
        return _read(doc, path)
    finally:
        doc.close()


def _check_tail(path: Path) -> None:
    """A PDF cut short (download/copy interrupted) has no %%EOF near its end."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 4096))
        tail = fh.read()
    if b"%%EOF" not in tail:
        # some writers put junk after %%EOF; a cut file has no %%EOF anywhere after its last stream
        with path.open("rb") as fh:
            data = fh.read()
        last_eof = data.rfind(b"%%EOF")
        last_stream = data.rfind(b"endstream")
        if last_eof < 0 or last_eof < last_stream:
            raise LoadError(f"{path.name}: truncated PDF (the file ends before %%EOF); re-download or re-export it")


def _short(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:160]


# --------------------------------------------------------------------------- page model


@dataclass
class _Frag:
    """A run of characters of one MuPDF line inside one region (a cell, or the page outside tables)."""

    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    base: float  # baseline
    size: float


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    tabbed: bool = False


@dataclass
class _Table:
    rows: list[list[str]]
    page: int
    y0: float
    y1: float
    pages: list[int] = field(default_factory=list)
    height: float = 842.0  # the page's height (where the part ends / starts on its page)
    # geometry of a digital table (None when unknown): per grid position the (row, col) of the cell
    # covering it (merged cells cover several), and per cell its box's y range and its text's
    # (top, bottom, line count) -- what tells a row or merged cell split by a page break
    owner: list[list[tuple[int, int]]] | None = None
    open_bottom: bool = False  # its cell rules run into the page break with no closing rule
    boxes: dict = field(default_factory=dict)
    ink: dict = field(default_factory=dict)


@dataclass
class _Para:
    lines: list[_Line]
    page: int
    y0: float
    height: float = 842.0  # the page's height (margins for running headers)
    margins: tuple[float, float] | None = None  # left/right edge of the page's running text


def _read(doc, path: Path) -> SourceDoc:
    tessdata = None
    ocr_pages: list[int] = []
    unread_pages: list[int] = []
    garbled_pages: list[int] = []
    broken_pages: list[int] = []
    items: list[list] = []  # per page: ordered _Para/_Table items
    text_pages = 0
    for pno in range(doc.page_count):
        try:
            page = doc.load_page(pno)
            page_items, had_text = _page_items(page, pno + 1)
        except LoadError:
            raise
        except Exception as exc:
            if doc.page_count == 1:
                raise LoadError(f"{path.name}: damaged PDF, page 1 cannot be read ({_short(exc)})") from None
            broken_pages.append(pno + 1)  # one damaged page does not lose the others
            items.append([])
            continue
        garbled = had_text and _garbled(page_items)
        if (not had_text and _looks_scanned(page)) or garbled:
            if tessdata is None:
                tessdata = find_tessdata() or ""
            if tessdata:
                try:
                    page_items, had_text = _ocr_page_items(page, pno + 1, tessdata)
                    ocr_pages.append(pno + 1)
                except Exception as exc:
                    raise LoadError(f"{path.name}: OCR failed on page {pno + 1} ({_short(exc)})") from None
            elif garbled:
                garbled_pages.append(pno + 1)
            else:
                unread_pages.append(pno + 1)
        text_pages += bool(had_text)
        items.append(page_items)
    if garbled_pages and len(garbled_pages) == text_pages:
        raise LoadError(
            f"{path.name}: text layer unreadable (fonts without a Unicode map): OCR needs Tesseract"
            " (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
        )
    if unread_pages and not text_pages:
        raise LoadError(
            f"{path.name}: no text layer: OCR needs Tesseract (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
        )
    if not text_pages and broken_pages:
        raise LoadError(f"{path.name}: damaged PDF, no page can be read")
    if not text_pages:
        raise LoadError(f"{path.name}: PDF has no text (blank pages)")
    items = _drop_running_lines(items)
    _join_across_pages(items)
    merged = _merge_continued_tables(items)
    builder = DocBuilder()
    for item in merged:
        if isinstance(item, _Table):
            builder.table(item.rows, item.pages, item.page)
        else:
            _write_lines(builder, [ln.text for ln in item.lines], item.page)
    meta: dict = {"pages": doc.page_count}
    warnings: list[str] = []
    if ocr_pages:
        meta["ocr"] = True
        meta["ocr_pages"] = ocr_pages
    if broken_pages:
        meta["broken_pages"] = broken_pages
        warnings.append(f"damaged page(s) skipped: {', '.join(map(str, broken_pages))}")
    if garbled_pages:
        meta["garbled_pages"] = garbled_pages
        warnings.append("pages with an unreadable text layer kept as is: OCR needs Tesseract")
    if unread_pages:
        meta["unread_pages"] = unread_pages
        warnings.append("pages without a text layer were skipped: OCR needs Tesseract")
    if warnings:
        meta["warning"] = "; ".join(warnings)
    return builder.build(path.stem, path, "pdf", meta)


def _write_lines(builder: DocBuilder, lines: list[str], page: int) -> None:
    """A run of text lines: one paragraph per line, except the stretch from the first to the last
    line with a column gap (tab), which goes through layout.blocks_from_text (unruled tables)."""
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        return
    tabbed = [i for i, ln in enumerate(lines) if "\t" in ln]
    if tabbed:
        first, last = tabbed[0], tabbed[-1]
        blocks = None
        try:
            from ..layout import blocks_from_text

            chunk = "\n".join(lines[first : last + 1]) + "\n"
            blocks = blocks_from_text(chunk)
        except Exception:
            blocks = None
        if blocks:
            for ln in lines[:first]:
                builder.paragraph(ln, page)
            builder.raw(chunk, blocks, page)
            for ln in lines[last + 1 :]:
                builder.paragraph(ln, page)
            return
    for ln in lines:
        builder.paragraph(ln, page)


_BAD_CHAR = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f]")


def _garbled(items: list) -> bool:
    """A text layer that does not decode (no ToUnicode map): mostly U+FFFD / private-use / control chars."""
    parts = []
    for it in items:
        if isinstance(it, _Para):
            parts += [ln.text for ln in it.lines]
        else:
            parts += [c for row in it.rows for c in row]
    text = re.sub(r"\s+", "", "".join(parts))
    return len(text) >= 20 and len(_BAD_CHAR.findall(text)) >= 0.3 * len(text)


def _image_page(page) -> bool:
    """Most of the page is covered by images (a scan), whatever text lies over it."""
    import pymupdf

    try:
        area = abs(page.rect)
        covered = sum(abs(pymupdf.Rect(info["bbox"]) & page.rect) for info in page.get_image_info())
        return area > 0 and covered >= 0.5 * area
    except Exception:
        return False


def _looks_scanned(page) -> bool:
    try:
        return bool(page.get_images(full=False))
    except Exception:
        return False


def find_tessdata() -> str | None:
    """Tesseract's tessdata folder holding chi_sim, or None.

    MuPDF carries the Tesseract engine itself; only the language data must be installed
    (Debian: tesseract-ocr-chi-sim, with tesseract-ocr for the rest)."""
    candidates = []
    if os.environ.get("TESSDATA_PREFIX"):
        candidates.append(os.environ["TESSDATA_PREFIX"])
    candidates += sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"), reverse=True)
    candidates += ["/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata"]
    for c in candidates:
        if c and os.path.exists(os.path.join(c, "chi_sim.traineddata")):
            return c
    return None


# --------------------------------------------------------------------------- one page


def _ocr_page_items(page, pno: int, tessdata: str) -> tuple[list, bool]:
    """A scanned page's paragraphs and tables through Tesseract (chi_sim).

    The ruling lines found in the image give the tables' cell grids (`_rule_grids`); every cell
    with ink is OCR'd on its own (a cell's wrapped lines are one text block, never mixed with its
    neighbours' lines), so a table comes out rows x cells as from a digital PDF.  The rest of the
    page (table areas and rules whited out) is OCR'd in one pass for the text around the tables."""
    import pymupdf

    rules = raster_rules(page)
    pix = page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csRGB, alpha=False)  # (gray yields no text)
    pix.set_dpi(OCR_DPI, OCR_DPI)
    sx = pix.width / page.rect.width
    sy = pix.height / page.rect.height

    def box(x0: float, y0: float, x1: float, y1: float, pad: float = 0.0):
        r = pymupdf.IRect(int((x0 - pad) * sx), int((y0 - pad) * sy), int((x1 + pad) * sx) + 1, int((y1 + pad) * sy) + 1)
        return r & pymupdf.IRect(pix.irect)

    white = pymupdf.Pixmap(pymupdf.csRGB, pix.irect, False)
    white.clear_with(255)  # whiting out = copying from here (Pixmap.set_rect fills pixel by pixel in Python)
    # white out the rules: Tesseract then reads no | strokes, and cell crops carry no border bits
    for p1, p2 in rules:
        r = box(min(p1.x, p2.x), min(p1.y, p2.y), max(p1.x, p2.x), max(p1.y, p2.y), 1.2)
        if not r.is_empty:
            pix.copy(white, r)
    height = page.rect.height or 842.0
    tables: list[_Table] = []
    had_text = False
    for xs, ys, cells in _rule_grids(rules):
        rows = [["" for _ in range(len(xs) - 1)] for _ in range(len(ys) - 1)]
        texts = _ocr_cells(pix, [box(xs[j0], ys[i0], xs[j1], ys[i1], -0.8) for i0, j0, i1, j1 in cells], tessdata)
        for (i0, j0, _, _), text in zip(cells, texts):
            rows[i0][j0] = one_line(_fix_ocr(" ".join(text.split("\n")))) if text.strip() else ""
        if any(c for r in rows for c in r):
            had_text = True
            tables.append(_Table(rows, pno, ys[0], ys[-1], [pno] * len(rows), height))
        r = box(xs[0], ys[0], xs[-1], ys[-1], 1.5)
        if not r.is_empty:
            pix.copy(white, r)
    items: list = []
    if _ink(pix, pymupdf.IRect(pix.irect)) >= _MIN_INK:
        if OCR_TEXT_DPI != OCR_DPI:  # running text reads as well at a scan's usual 200 dpi (cells gain from 300)
            f = OCR_TEXT_DPI / OCR_DPI
            pix = pymupdf.Pixmap(pix, max(1, round(pix.width * f)), max(1, round(pix.height * f)), None)
            pix.set_dpi(OCR_TEXT_DPI, OCR_TEXT_DPI)
        data = pix.pdfocr_tobytes(compress=True, language="chi_sim", tessdata=tessdata)
        with pymupdf.open("pdf", data) as ocr_doc:
            items, had_page_text = _page_items(ocr_doc[0], pno, ocr=True, rules=[], ocr_tables=tables)
        had_text = had_text or had_page_text
    else:
        items = sorted(tables, key=lambda t: t.y0)
    return items, had_text


_LINE_GAP = 0.35  # between lines laid side by side, in line heights
_MIN_INK = 25  # dark pixels (at OCR_DPI) for a cell to be worth OCR: about one short stroke


def _ink(pix, rect) -> int:
    """Dark pixels of `pix` inside `rect` (an IRect in the pixmap's coordinates)."""
    import pymupdf

    rect = pymupdf.IRect(rect) & pymupdf.IRect(pix.irect)
    if rect.is_empty:
        return 0
    part = pymupdf.Pixmap(pymupdf.csRGB, rect, False)
    part.copy(pix, rect)
    gray = pymupdf.Pixmap(pymupdf.csGRAY, part)
    return bytes(gray.samples).translate(_DARK).count(b"1")


def _ocr_cells(pix, rects: list, tessdata: str) -> list[str]:
    """Tesseract's text of each cell (an IRect of `pix`), "" for an empty one; one OCR pass for all.

    Each cell's text lines (rows of ink) are laid side by side into strips up to ~40 characters
    wide, in reading order, and all strips stacked on one canvas, a line height apart: Tesseract
    reads long plain lines far better than narrow columns of 2-3 character lines (where it drops
    or garbles whole lines), and one pass costs one engine start.  Words go back to their cell by
    the strip they lie on."""
    texts = ["" for _ in rects]
    placed: list[tuple[int, list]] = []  # (cell index, its strips)
    for k, rect in enumerate(rects):
        if rect.is_empty or _ink(pix, rect) < _MIN_INK:
            continue
        lines = _ink_lines(pix, rect)
        if not lines:
            continue
        height = sorted(b.height for b in lines)[len(lines) // 2]
        gap = max(2, int(_LINE_GAP * height))
        strips: list[list] = []
        for b in lines:
            if strips and sum(x.width + gap for x in strips[-1]) + b.width <= 40 * height:
                strips[-1].append(b)
            else:
                strips.append([b])
        placed.append((k, [(st, gap) for st in strips]))
    if not placed:
        return texts
    all_strips = [(k, st, gap) for k, sts in placed for st, gap in sts]
    read = _ocr_strips(pix, all_strips, tessdata)
    # a short line Tesseract dropped (it does, now and then, at one scale) gets a second chance;
    # kept only if it reads as letters or digits (not a speck read as punctuation)
    dropped = [i for i, t in enumerate(read) if not t.strip()]
    if dropped:
        again = _ocr_strips(pix, [all_strips[i] for i in dropped], tessdata, zoom=0.75)
        for i, t in zip(dropped, again):
            if re.search(r"[0-9A-Za-z\u4e00-\u9fff]", t):
                read[i] = t
    per_cell: dict[int, list[str]] = {}
    for (k, _, _), t in zip(all_strips, read):
        per_cell.setdefault(k, []).append(t)
    for k, parts in per_cell.items():
        texts[k] = "\n".join(p for p in parts if p.strip())
    for k, sts in placed:  # ≥/≤/= before a number read as >, <, =, 二, 三 or 王: the glyph decides
        m = _SIGN_MISREAD.match(texts[k])
        if m:
            sign = _comparison_glyph(pix, sts[0][0][0])
            if sign:
                texts[k] = sign + texts[k][m.end() :]
    return texts


def _ocr_strips(pix, strips: list, tessdata: str, zoom: float = 1.0) -> list[str]:
    """The text of each strip (cell index, line IRects of `pix`, gap): the strips stacked on one
    canvas a line height apart, OCR'd at `zoom` times OCR_DPI; characters go back to their strip
    by position, in Tesseract's order (its glyph boxes are too rough to re-sort)."""
    import pymupdf

    margin = max(8, int(OCR_DPI / 8))
    width = max(sum(b.width for b in st) + gap * (len(st) - 1) for _, st, gap in strips) + 2 * margin
    spacing = sorted(max(b.height for b in st) for _, st, _ in strips)[len(strips) // 2]
    total = margin * 2 + sum(max(b.height for b in st) + spacing for _, st, _ in strips)
    canvas = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, width, total), False)
    canvas.clear_with(255)
    bands: list[tuple[float, float]] = []  # canvas y range of each strip
    y = margin
    for _, st, gap in strips:
        row_h = max(b.height for b in st)
        x = margin
        for b in st:
            part = pymupdf.Pixmap(pymupdf.csRGB, b, False)
            part.copy(pix, b)
            top = y + (row_h - b.height) // 2  # lines centred on the strip (CJK fills the em box)
            part.set_origin(x, top)
            canvas.copy(part, pymupdf.IRect(x, top, x + b.width, top + b.height))
            x += b.width + gap
        bands.append((y, y + row_h))
        y += row_h + spacing
    dpi = OCR_DPI
    if zoom != 1.0:
        canvas = pymupdf.Pixmap(canvas, max(1, int(width * zoom)), max(1, int(total * zoom)), None)
        dpi = max(1, int(OCR_DPI * zoom))
    canvas.set_dpi(dpi, dpi)
    data = canvas.pdfocr_tobytes(compress=False, language="chi_sim", tessdata=tessdata)
    scale = OCR_DPI / 72.0  # page points -> unzoomed canvas pixels
    chars: list[list[str]] = [[] for _ in strips]
    with pymupdf.open("pdf", data) as doc:
        raw = doc[0].get_text("rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE)
    for block in raw.get("blocks", []):
        for line in block.get("lines", []):
            for span in line.get("spans", []):
                for ch in span.get("chars", []):
                    cy = (ch["bbox"][1] + ch["bbox"][3]) / 2 * scale
                    best = min(range(len(bands)), key=lambda i: max(bands[i][0] - cy, 0, cy - bands[i][1]))
                    chars[best].append(ch["c"])
    return ["".join(c) for c in chars]


_SIGN_MISREAD = re.compile(r"^\s*(?:[>＞<＜]\s?=?|=|[二三王])\s?(?=\d)")


def _comparison_glyph(pix, line) -> str | None:
    """'≥' or '≤' when the first glyph of the text line `line` (an IRect of `pix`) is a chevron over
    a bar (its lowest rows a wide bar, the rows above a narrow stroke whose top lies left of its
    middle: ≥, or right of it: ≤); '=' when it is two bars and nothing else; else None."""
    import pymupdf

    part = pymupdf.Pixmap(pymupdf.csRGB, line, False)
    part.copy(pix, line)
    gray = pymupdf.Pixmap(pymupdf.csGRAY, part)
    w, h, stride = gray.width, gray.height, gray.stride
    bits = bytes(gray.samples).translate(_DARK)
    cols = [any(bits[y * stride + x] == 0x31 for y in range(h)) for x in range(w)]
    if True not in cols:
        return None
    x0 = cols.index(True)
    x1 = x0
    while x1 < w and cols[x1]:
        x1 += 1
    gw = x1 - x0
    rows = []  # (left, right) of ink per row of the glyph, None for a blank row
    for y in range(h):
        seg = bits[y * stride + x0 : y * stride + x1]
        a = seg.find(b"1")
        rows.append(None if a < 0 else (a, seg.rfind(b"1") + 1))
    inked = [y for y, r in enumerate(rows) if r]
    if gw < 3 or len(inked) < 6:
        return None
    top, bottom = inked[0], inked[-1]
    gh = bottom - top + 1
    wide = lambda r: r is not None and r[1] - r[0] >= 0.7 * gw
    runs: list[list[int]] = []  # runs of inked rows
    for y in inked:
        if runs and runs[-1][-1] == y - 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    if len(runs) == 2 and all(wide(rows[y]) for y in inked) and all(len(r) <= 0.4 * gh for r in runs):
        return "="  # two bars and nothing else
    bar = bottom
    while bar > top and (wide(rows[bar]) or rows[bar] is None and wide(rows[bar + 1] if bar + 1 < h else None)):
        bar -= 1
    if bottom - bar < 1 or bottom - bar > 0.35 * gh:
        return None  # no thin bar at the bottom
    above = [(y, rows[y]) for y in range(top, bar + 1) if rows[y]]
    if len(above) < 0.4 * gh or any(wide(r) for _, r in above):
        return None  # '=' (two bars) or a glyph that is no chevron
    mid = above[len(above) // 2][1]
    first = above[0][1]
    centre = lambda r: (r[0] + r[1]) / 2
    if centre(first) < centre(mid) - 0.15 * gw:
        return "≥"
    if centre(first) > centre(mid) + 0.15 * gw:
        return "≤"
    return None


def _ink_lines(pix, rect) -> list:
    """The text lines inside `rect` of `pix`, top to bottom, as tight IRects: runs of pixel rows
    with ink; a run much thinner than the others (a stroke of 二/三, a lone dash) joins its nearer
    neighbour."""
    import pymupdf

    part = pymupdf.Pixmap(pymupdf.csRGB, rect, False)
    part.copy(pix, rect)
    gray = pymupdf.Pixmap(pymupdf.csGRAY, part)
    w, stride = gray.width, gray.stride
    bits = bytes(gray.samples).translate(_DARK)
    spans: list[list[int]] = []  # [top, bottom, left, right] in cell pixels
    for y in range(gray.height):
        row = bits[y * stride : y * stride + w]
        left = row.find(b"1")
        if left < 0:
            continue
        right = row.rfind(b"1") + 1
        if spans and spans[-1][1] == y:
            sp = spans[-1]
            sp[1], sp[2], sp[3] = y + 1, min(sp[2], left), max(sp[3], right)
        else:
            spans.append([y, y + 1, left, right])
    spans = [sp for sp in spans if (sp[1] - sp[0]) * (sp[3] - sp[2]) > 2]  # specks
    if not spans:
        return []
    tall = max(sp[1] - sp[0] for sp in spans)
    merged = True
    while merged and len(spans) > 1:
        merged = False
        for k, sp in enumerate(spans):
            if sp[1] - sp[0] >= 0.45 * tall:
                continue
            up = sp[0] - spans[k - 1][1] if k > 0 else None
            down = spans[k + 1][0] - sp[1] if k + 1 < len(spans) else None
            other = k - 1 if down is None or (up is not None and up <= down) else k + 1
            o = spans[other]
            o[0], o[1], o[2], o[3] = min(o[0], sp[0]), max(o[1], sp[1]), min(o[2], sp[2]), max(o[3], sp[3])
            del spans[k]
            merged = True
            break
    pad = 2
    x0, y0 = rect.x0, rect.y0
    return [
        pymupdf.IRect(x0 + sp[2] - pad, y0 + sp[0] - pad, x0 + sp[3] + pad, y0 + sp[1] + pad) & rect
        for sp in spans
    ]


def _rule_grids(rules: list, tol: float = 2.5) -> list[tuple[list[float], list[float], list[tuple[int, int, int, int]]]]:
    """Tables from ruling lines: per group of crossing rules, the column xs and row ys (page space)
    and the cells as (row0, col0, row1, col1) index ranges -- neighbouring grid squares with no
    rule between them are one (merged) cell.  Groups with fewer than 2 columns are not tables."""
    hs = _merge_segments([(a.y, min(a.x, b.x), max(a.x, b.x)) for a, b in rules if abs(a.y - b.y) < 0.01], tol)
    vs = _merge_segments([(a.x, min(a.y, b.y), max(a.y, b.y)) for a, b in rules if abs(a.x - b.x) < 0.01], tol)
    # groups of crossing rules (union-find over h/v segments)
    parent = list(range(len(hs) + len(vs)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, (y, x0, x1) in enumerate(hs):
        for b, (x, y0, y1) in enumerate(vs):
            if x0 - tol <= x <= x1 + tol and y0 - tol <= y <= y1 + tol:
                parent[find(a)] = find(len(hs) + b)
    groups: dict[int, tuple[list, list]] = {}
    for a, h in enumerate(hs):
        groups.setdefault(find(a), ([], []))[0].append(h)
    for b, v in enumerate(vs):
        groups.setdefault(find(len(hs) + b), ([], []))[1].append(v)
    out = []
    for gh, gv in groups.values():
        if not gh or not gv:
            continue
        # an open edge (a table cut by the page break has no rule at its top or bottom) is where
        # the crossing rules end
        ys = _positions([h[0] for h in gh] + [min(v[1] for v in gv), max(v[2] for v in gv)], tol)
        xs = _positions([v[0] for v in gv] + [min(h[1] for h in gh), max(h[2] for h in gh)], tol)
        if len(ys) < 2 or len(xs) < 3:
            continue

        def covered(segs, pos: float, lo: float, hi: float) -> bool:
            need = 0.6 * (hi - lo)
            return any(abs(p - pos) <= tol and min(b, hi) - max(a, lo) >= need for p, a, b in segs)

        nr, nc = len(ys) - 1, len(xs) - 1
        cell_parent = list(range(nr * nc))

        def cfind(k: int, cell_parent: list[int] = cell_parent) -> int:
            while cell_parent[k] != k:
                cell_parent[k] = cell_parent[cell_parent[k]]
                k = cell_parent[k]
            return k

        for i in range(nr):
            for j in range(nc):
                if j + 1 < nc and not covered(gv, xs[j + 1], ys[i], ys[i + 1]):
                    cell_parent[cfind(i * nc + j)] = cfind(i * nc + j + 1)
                if i + 1 < nr and not covered(gh, ys[i + 1], xs[j], xs[j + 1]):
                    cell_parent[cfind(i * nc + j)] = cfind((i + 1) * nc + j)
        spans: dict[int, list[int]] = {}
        for i in range(nr):
            for j in range(nc):
                s = spans.setdefault(cfind(i * nc + j), [i, j, i, j])
                s[0], s[1], s[2], s[3] = min(s[0], i), min(s[1], j), max(s[2], i), max(s[3], j)
        cells = sorted((i0, j0, i1 + 1, j1 + 1) for i0, j0, i1, j1 in spans.values())
        out.append((xs, ys, cells))
    out.sort(key=lambda g: (g[1][0], g[0][0]))
    return out


def _merge_segments(segs: list[tuple[float, float, float]], tol: float) -> list[tuple[float, float, float]]:
    """Collinear segments (pos, lo, hi) within `tol` of each other and touching joined into one."""
    out: list[list[float]] = []
    for pos, lo, hi in sorted(segs, key=lambda s: (round(s[0] / tol), s[1])):
        for o in out:
            if abs(o[0] - pos) <= tol and lo <= o[2] + tol and hi >= o[1] - tol:
                o[1], o[2] = min(o[1], lo), max(o[2], hi)
                break
        else:
            out.append([pos, lo, hi])
    return [tuple(o) for o in out]


def _positions(values: list[float], tol: float) -> list[float]:
    """Sorted distinct positions: values within `tol` of the previous one are one position (their mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _page_items(page, pno: int, ocr: bool = False, rules: list | None = None, ocr_tables: list | None = None) -> tuple[list, bool]:
    """Ordered paragraphs and tables of one page, and whether the page had any text.

    `ocr`: the page is an OCR result (image + invisible text): ruling lines come from the image.
    `ocr_tables`: tables already read (OCR'd cell by cell), placed among the page's lines by position.
    """
    given = list(ocr_tables or [])
    import pymupdf

    textpage = None
    tables = []
    open_bottoms: list[float] = []
    try:
        if ocr:  # a scan has no vector rules: find the ruling lines in the image
            lines = rules if rules is not None else raster_rules(page)
            found = page.find_tables(use_layout=False, add_lines=lines) if lines else None
        else:
            closing, open_bottoms = _closing_rules(page)
            found = page.find_tables(use_layout=False, add_lines=closing) if closing else page.find_tables(use_layout=False)
        if found is not None:
            tables = [t for t in found.tables if t.row_count >= 1 and t.col_count >= 2 and t.row_count * t.col_count >= 2]
        if not tables and not ocr and _image_page(page):
            # a searchable scan: text layer over a page image, the table rules only in the image
            lines = raster_rules(page)
            if page.rotation:  # find_tables takes extra lines in unrotated page space
                m = page.derotation_matrix
                lines = [(a * m, b * m) for a, b in lines]
            found = page.find_tables(use_layout=False, add_lines=lines) if lines else None
            if found is not None:
                tables = [t for t in found.tables if t.col_count >= 2 and t.row_count * t.col_count >= 2]
    except Exception:
        tables = []
    cell_boxes = []  # per table: list of (row, col, Rect)
    for t in tables:
        boxes = []
        for i, row in enumerate(t.rows):
            for j, bbox in enumerate(row.cells):
                if bbox is not None:
                    boxes.append((i, j, pymupdf.Rect(bbox)))
        cell_boxes.append(boxes)
    table_rects = [pymupdf.Rect(t.bbox) for t in tables]
    mat = page.rotation_matrix if page.rotation else None
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_MEDIABOX_CLIP
    raw = page.get_text("rawdict", flags=flags, textpage=textpage)
    cell_frags: list[dict] = [dict() for _ in tables]
    outside: list[_Frag] = []
    had_text = False
    for block in raw.get("blocks", []):
        if block.get("type", 0) != 0:
            continue
        for line in block.get("lines", []):
            cur_key = None
            cur: list = []
            for span in line.get("spans", []):
                size = span.get("size", 10.0) or 10.0
                for ch in span.get("chars", []):
                    c = ch.get("c", "")
                    if not c:
                        continue
                    if not c.isspace():
                        had_text = True
                    if mat is None:
                        x0, y0, x1, y1 = ch["bbox"]
                        base = ch["origin"][1]
                    else:  # a rotated page: text coordinates into the page as displayed (where tables are)
                        x0, y0, x1, y1 = pymupdf.Rect(ch["bbox"]) * mat
                        base = (pymupdf.Point(ch["origin"]) * mat).y
                    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                    key = _locate(cx, cy, table_rects, cell_boxes)
                    if key != cur_key and cur:
                        _flush(cur, cur_key, cell_frags, outside)
                        cur = []
                    cur_key = key
                    cur.append((c, x0, y0, x1, y1, base, size))
            if cur:
                _flush(cur, cur_key, cell_frags, outside)
    items: list = []
    for t, frags, boxes in zip(tables, cell_frags, cell_boxes):
        rows = [["" for _ in range(t.col_count)] for _ in range(t.row_count)]
        for (i, j), fl in frags.items():
            rows[i][j] = _cell_text(fl, ocr)
        if not any(c for r in rows for c in r):
            continue
        y0, y1 = t.bbox[1], t.bbox[3]
        table = _Table(rows, pno, y0, y1, [pno] * len(rows), page.rect.height or 842.0)
        if not ocr:
            _add_geometry(table, t, boxes, frags)
            table.open_bottom = any(abs(y1 - y) <= 1.5 for y in open_bottoms)
        items.append(table)
    items += given
    height = page.rect.height or 842.0
    lines = _visual_lines(outside, ocr)
    lines = [ln for ln in lines if not _is_margin_debris(ln, height)]
    margins = _text_margins(lines, page.rect.width or 595.0)
    lines = _join_wrapped(lines, page.rect.width or 595.0)
    # interleave lines and tables by vertical position
    tables_sorted = sorted(items, key=lambda t: t.y0)
    out: list = []
    para: list[str] = []
    para_y = None
    ti = 0
    for ln in lines:
        while ti < len(tables_sorted) and tables_sorted[ti].y0 <= ln.y0:
            if para:
                out.append(_Para(para, pno, para_y))
                para, para_y = [], None
            out.append(tables_sorted[ti])
            ti += 1
        if para_y is None:
            para_y = ln.y0
        para.append(ln)
    if para:
        out.append(_Para(para, pno, para_y))
    out.extend(tables_sorted[ti:])
    for item in out:
        if isinstance(item, _Para):
            item.height = height
            item.margins = margins
    return out, had_text


def _closing_rules(page) -> tuple[list, list[float]]:
    """Rules that close cell grids cut open by a page break: where several vertical cell rules end
    at the same height (the page's bottom or top) with no horizontal rule there, a horizontal rule
    joining their ends (as (Point, Point) pairs for find_tables), and the heights of the bottoms
    so closed.  Exporters draw a row split by a page break without a rule at the break."""
    import pymupdf

    if page.rotation:
        return [], []
    vs, hs = _vector_rules(page)
    if len(vs) < 3:
        return _column_rules(page, vs, hs), []
    by_x: dict[int, list] = {}
    for v in vs:
        by_x.setdefault(round(v[0]), []).append(v)
    lines: list = []
    bottoms: list[float] = []
    for end in (2, 1):  # bottoms, then tops
        ys = sorted(v[end] for v in vs)
        groups: list[list[float]] = []
        for y in ys:
            if groups and y - groups[-1][-1] <= 1.0:
                groups[-1].append(y)
            else:
                groups.append([y])
        for g in groups:
            y = sum(g) / len(g)
            # rules that end here with no rule going on from the same point (a cell below/above)
            other = 1 if end == 2 else 2
            xs = sorted(
                {
                    round(v[0], 1)
                    for v in vs
                    if abs(v[end] - y) <= 1.0
                    and not any(abs(w[other] - y) <= 1.5 for k in (-1, 0, 1) for w in by_x.get(round(v[0]) + k, ()) if abs(w[0] - v[0]) <= 1.0)
                }
            )
            if len(xs) < 3:
                continue
            at_y = sorted((hx0, hx1) for hy, hx0, hx1 in hs if abs(hy - y) <= 1.5)
            gaps = [(a, b) for a, b in zip(xs, xs[1:]) if _covered(at_y, a, b) < 0.5 * (b - a)]
            for a, b in gaps:  # each cell edge left open (merged cells run on while the others close)
                lines.append((pymupdf.Point(a, y), pymupdf.Point(b, y)))
            if end == 2 and len(gaps) == len(xs) - 1:
                bottoms.append(y)  # the whole edge open: a row running on overleaf
    lines += _side_rules(vs, hs)
    return lines, bottoms


def _side_rules(vs: list, hs: list) -> list:
    """Outer borders of a table drawn without them: between two row rules that end at the same
    x, with column rules between them but none at that end, a rule at the end."""
    import pymupdf

    rows = sorted(_merge_segments([(y, x0, x1) for y, x0, x1 in hs], 1.5))
    out = []

    def spans(x: float | None, y0: float, y1: float, inside: tuple[float, float] | None = None) -> bool:
        need = 0.8 * (y1 - y0)
        for vx, vy0, vy1 in vs:
            if min(vy1, y1) - max(vy0, y0) < need:
                continue
            if x is not None and abs(vx - x) <= 1.5:
                return True
            if inside is not None and inside[0] + 2 < vx < inside[1] - 2:
                return True
        return False

    for (ya, a0, a1), (yb, b0, b1) in zip(rows, rows[1:]):
        if yb - ya < 4:
            continue
        lo, hi = max(a0, b0), min(a1, b1)
        if hi - lo < 20 or not spans(None, ya, yb, (lo, hi)):
            continue
        for x, other in ((a0, b0), (a1, b1)):
            if abs(x - other) <= 1.5 and not spans(x, ya, yb):
                out.append((pymupdf.Point(x, ya), pymupdf.Point(x, yb)))
    return out


def _vector_rules(page) -> tuple[list, list]:
    """The page's vertical (x, y0, y1) and horizontal (y, x0, x1) rules: stroked lines and thin
    filled rectangles (how Word and WPS draw cell borders)."""
    vs: list[tuple[float, float, float]] = []
    hs: list[tuple[float, float, float]] = []
    for d in page.get_drawings():
        for it in d.get("items", []):
            if it[0] == "l":
                a, b = it[1], it[2]
                if abs(a.x - b.x) < 0.8 and abs(a.y - b.y) > 8:
                    vs.append(((a.x + b.x) / 2, min(a.y, b.y), max(a.y, b.y)))
                elif abs(a.y - b.y) < 0.8 and abs(a.x - b.x) > 8:
                    hs.append(((a.y + b.y) / 2, min(a.x, b.x), max(a.x, b.x)))
            elif it[0] == "re":
                r = it[1]
                if r.width < 2.5 and r.height > 8:
                    vs.append(((r.x0 + r.x1) / 2, r.y0, r.y1))
                elif r.height < 2.5 and r.width > 8:
                    hs.append(((r.y0 + r.y1) / 2, r.x0, r.x1))
    # what lies outside the page is not drawn: a rule running off the page ends at its edge
    top, bottom = page.rect.y0, page.rect.y1
    vs = [(x, max(y0, top), min(y1, bottom)) for x, y0, y1 in vs if min(y1, bottom) - max(y0, top) > 8]
    hs = [h for h in hs if top <= h[0] <= bottom]
    return vs, hs


def _text_runs(page) -> list[tuple[float, float, float, float]]:
    """Boxes of the page's runs of text: characters of one line with no gap wider than a third of a
    character between them (the text of two cells side by side is two runs, even on one baseline)."""
    runs = []
    for block in page.get_text("rawdict").get("blocks", []):
        for line in block.get("lines", []):
            cur = None
            for span in line.get("spans", []):
                size = span.get("size", 10.0) or 10.0
                for ch in span.get("chars", []):
                    if ch["c"].isspace():
                        continue
                    x0, y0, x1, y1 = ch["bbox"]
                    if cur is not None and x0 - cur[2] <= 0.35 * size and x0 >= cur[0]:
                        cur = [cur[0], min(cur[1], y0), max(cur[2], x1), max(cur[3], y1)]
                    else:
                        if cur is not None:
                            runs.append(tuple(cur))
                        cur = [x0, y0, x1, y1]
            if cur is not None:
                runs.append(tuple(cur))
    return runs


def _column_rules(page, vs: list, hs: list) -> list:
    """Vertical rules for tables ruled by rows only (horizontal rules, no vertical line).

    The page's row rules are grouped into tables: two rules in a row belong to one table unless
    both end at cell edges inside and none in common (rules drawn cell by cell end at the column
    edges; one drawn across, or stopped only by a merged cell, says nothing).  Per table, the
    column boundaries are where the text between the rules leaves a gap in every row, or in all
    but a few (a row whose text runs across columns is a merged cell); a boundary is drawn in
    each row its text does not cross, so merged cells stay merged."""
    if vs or len(hs) < 3:
        return []
    width = page.rect.width or 595.0
    ys = _positions([y for y, _, _ in hs], 1.5)
    rules = []  # per rule position: (y, x0, x1, interior segment ends)
    for y in ys:
        at = [(x0, x1) for hy, x0, x1 in hs if abs(hy - y) <= 1.5]
        x0, x1 = min(a for a, _ in at), max(b for _, b in at)
        ends = {round(e * 2) / 2 for a, b in at for e in (a, b)}
        rules.append((y, x0, x1, ends))
    groups: list[list] = []
    for r in rules:
        if groups:
            q = groups[-1][-1]
            lo, hi = min(q[1], r[1]) + 1, max(q[2], r[2]) - 1  # the outer edges say nothing
            qe, re_ = {e for e in q[3] if lo < e < hi}, {e for e in r[3] if lo < e < hi}
            if not qe or not re_ or any(abs(e - f) <= 1.0 for e in qe for f in re_):
                groups[-1].append(r)
                continue
        groups.append([r])
    runs = None
    out: list = []
    for g in groups:
        if len(g) < 2 or max(r[2] for r in g) - min(r[1] for r in g) < 0.3 * width:
            continue
        if runs is None:
            runs = _text_runs(page)
        X0, X1 = min(r[1] for r in g), max(r[2] for r in g)
        ends = {e for r in g for e in r[3] if X0 + 1 < e < X1 - 1}
        out += _group_columns([r[0] for r in g], X0, X1, ends, runs)
    return out


def _group_columns(ys: list[float], X0: float, X1: float, ends: set, runs: list) -> list:
    import pymupdf

    words = [w for w in runs if X0 - 2 <= (w[0] + w[2]) / 2 <= X1 + 2 and ys[0] <= (w[1] + w[3]) / 2 <= ys[-1]]
    if not words:
        return []
    bands: list[list] = [[] for _ in range(len(ys) - 1)]
    for w in words:
        cy = (w[1] + w[3]) / 2
        for k in range(len(ys) - 1):
            if ys[k] <= cy <= ys[k + 1]:
                bands[k].append(w)
                break
    full = [b for b in bands if b]
    step = 0.5
    n = int((X1 - X0) / step) + 1
    count = [0] * n
    for b in full:
        hit = bytearray(n)
        for w in b:
            for i in range(max(0, int((w[0] - X0) / step)), min(n, int((w[2] - X0) / step) + 1)):
                hit[i] = 1
        for i in range(n):
            count[i] += hit[i]
    limit = int(0.15 * len(full))  # rows whose text may run across a boundary (merged cells)
    size = sorted(w[3] - w[1] for w in words)[len(words) // 2]
    seps: list[float] = []
    i = 0
    while i < n:
        if count[i] > limit:
            i += 1
            continue
        j = i
        while j < n and count[j] <= limit:
            j += 1
        if i > 0 and j < n:  # not the margins inside the table's outer edges
            low = min(count[i:j])
            stretches = []  # runs at the lowest count, at least 2pt wide
            k = i
            while k < j:
                if count[k] == low:
                    m = k
                    while m < j and count[m] == low:
                        m += 1
                    if (m - k) * step >= 2:
                        stretches.append((k, m))
                    k = m
                else:
                    k += 1
            if low == 0 and len(stretches) > 1:  # a sparse column between gaps: a boundary each side
                picked = [stretches[0]] + [b for a, b in zip(stretches, stretches[1:]) if (b[0] - a[1]) * step >= 1.5 * size]
            else:
                picked = [max(stretches, key=lambda r: r[1] - r[0])] if stretches else []
            for a, b in picked:
                xa, xb = X0 + a * step, X0 + b * step
                mid = (xa + xb) / 2
                inside = [e for e in ends if xa - 1 <= e <= xb + 1]  # where the row rules end: the cell edge
                seps.append(min(inside, key=lambda e: abs(e - mid)) if inside else mid)
        i = j
    # rules drawn cell by cell end at the column edges: each such end that no text (or only a
    # merged row's) runs across is a boundary, also between columns empty on this page
    for e in sorted(ends):
        at = int((e - X0) / step)
        if 0 < at < n and count[at] <= limit and all(abs(e - x) > 1.0 for x in seps):
            near = [x for x in seps if abs(e - x) < 1.5 * size and not any(w[0] < (e + x) / 2 < w[2] for w in words)]
            seps = [x for x in seps if x not in near] + [e]  # the drawn edge, not the gap's middle
    seps.sort()
    if not seps:
        return []
    out = []
    for k in range(len(ys) - 1):
        y0, y1 = ys[k], ys[k + 1]
        for x in [X0, X1] + seps:
            if x in (X0, X1) or not any(w[0] < x < w[2] for w in bands[k]):
                out.append((pymupdf.Point(x, y0), pymupdf.Point(x, y1)))
    return out


def _covered(segs: list[tuple[float, float]], a: float, b: float) -> float:
    """How much of [a, b] the sorted segments cover."""
    covered, reach = 0.0, a
    for s0, s1 in segs:
        s0, s1 = max(s0, reach), min(s1, b)
        if s1 > s0:
            covered += s1 - s0
            reach = s1
    return covered


def _add_geometry(table: _Table, t, boxes: list, frags: dict) -> None:
    """Which cell covers each grid position (merged cells cover several), each cell's box and the
    extent of its text lines: `_merge_continued_tables` needs them to rejoin what a page break split."""
    try:
        row_y = [((r.bbox[1] + r.bbox[3]) / 2) for r in t.rows]
        lefts = sorted({round(r.x0, 1) for _, _, r in boxes} | {round(t.bbox[2], 1)})
        col_x = [(a + b) / 2 for a, b in zip(lefts, lefts[1:])] if len(lefts) == t.col_count + 1 else []
        owner = [[(i, j) for j in range(t.col_count)] for i in range(t.row_count)]
        for i, j, r in boxes:
            table.boxes[(i, j)] = (r.y0, r.y1)
            for k in range(i, t.row_count):
                if not (r.y0 - 0.5 <= row_y[k] <= r.y1 + 0.5):
                    break
                for m in range(j, t.col_count):
                    x = col_x[m] if m < len(col_x) else None
                    if m > j and (x is None or not (r.x0 - 0.5 <= x <= r.x1 + 0.5)):
                        break
                    owner[k][m] = (i, j)
        table.owner = owner
        for key, fl in frags.items():
            lines = _rows_of(fl)
            table.ink[key] = (min(f.y0 for f in fl), max(f.y1 for f in fl), len(lines), max(f.size for f in fl))
    except Exception:  # geometry is a help for page breaks, never a reason to lose the table
        table.owner = None


def raster_rules(page, dpi: int = 100) -> list:
    """Horizontal and vertical ruling lines of a scanned page, as (Point, Point) pairs in page space.

    Dark pixel runs of at least ~20pt (horizontal) / ~12pt (vertical) -- longer than a glyph stroke
    at body sizes -- one segment per band of adjacent pixel rows/columns.
    """
    import pymupdf

    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    w, h, stride = pix.width, pix.height, pix.stride
    bits = bytes(pix.samples).translate(_DARK)
    sx = page.rect.width / w
    sy = page.rect.height / h
    out = []
    min_h = max(8, int(20 / sx))
    min_v = max(6, int(12 / sy))
    run_h = re.compile(rb"1(?:0?1){%d,}" % (min_h - 1))
    run_v = re.compile(rb"1(?:0?1){%d,}" % (min_v - 1))
    prev: list[tuple[int, int]] = []
    for y in range(h):
        row = bits[y * stride : y * stride + w]
        cur = [(m.start(), m.end()) for m in run_h.finditer(row)]
        for a, b in cur:
            if not any(min(b, d) - max(a, c) >= 0.8 * (b - a) for c, d in prev):
                out.append((pymupdf.Point(a * sx, (y + 0.5) * sy), pymupdf.Point(b * sx, (y + 0.5) * sy)))
        prev = cur
    prev = []
    for x in range(w):
        col = bits[x : x + stride * h : stride]
        cur = [(m.start(), m.end()) for m in run_v.finditer(col)]
        for a, b in cur:
            if not any(min(b, d) - max(a, c) >= 0.8 * (b - a) for c, d in prev):
                out.append((pymupdf.Point((x + 0.5) * sx, a * sy), pymupdf.Point((x + 0.5) * sx, b * sy)))
        prev = cur
    return out


_DARK = bytes.maketrans(bytes(range(256)), bytes(0x31 if v < 140 else 0x30 for v in range(256)))


def _locate(cx: float, cy: float, table_rects, cell_boxes):
    for ti, rect in enumerate(table_rects):
        if rect.x0 - 1 <= cx <= rect.x1 + 1 and rect.y0 - 1 <= cy <= rect.y1 + 1:
            best = None
            best_d = None
            for i, j, r in cell_boxes[ti]:
                if r.x0 <= cx <= r.x1 and r.y0 <= cy <= r.y1:
                    return (ti, i, j)
                dx = max(r.x0 - cx, 0, cx - r.x1)
                dy = max(r.y0 - cy, 0, cy - r.y1)
                d = dx * dx + dy * dy
                if best_d is None or d < best_d:
                    best, best_d = (ti, i, j), d
            if best is not None:
                return best
    return None


TAB_GAP = 1.0  # a gap of at least this many ems between text on one baseline (outside tables) is a column break


def _flush(chars: list, key, cell_frags: list[dict], outside: list[_Frag]) -> None:
    if key is None:  # outside tables: a wide run of blanks inside one line separates columns
        start = 0
        k = 0
        while k < len(chars):
            if chars[k][0].isspace():
                m = k
                while m < len(chars) and chars[m][0].isspace():
                    m += 1
                width = chars[m - 1][3] - chars[k][1]
                if m < len(chars) and k > start and width >= TAB_GAP * chars[k][6]:
                    _flush_one(chars[start:k], key, cell_frags, outside)
                    start = m
                k = m
            else:
                k += 1
        chars = chars[start:]
    _flush_one(chars, key, cell_frags, outside)


def _flush_one(chars: list, key, cell_frags: list[dict], outside: list[_Frag]) -> None:
    text = "".join(c[0] for c in chars)
    if not text.strip():
        return
    ink = [c for c in chars if not c[0].isspace()] or chars
    frag = _Frag(
        text,
        min(c[1] for c in ink),
        max(c[3] for c in ink),
        min(c[2] for c in ink),
        max(c[4] for c in ink),
        sum(c[5] for c in ink) / len(ink),
        max(c[6] for c in ink),
    )
    if key is None:
        outside.append(frag)
    else:
        ti, i, j = key
        cell_frags[ti].setdefault((i, j), []).append(frag)


def _rows_of(frags: list[_Frag]) -> list[list[_Frag]]:
    """Group fragments into visual rows by baseline, top to bottom, each row left to right."""
    rows: list[list[_Frag]] = []
    for f in sorted(frags, key=lambda f: (f.base, f.x0)):
        if rows:
            last = rows[-1]
            ref = sum(g.base for g in last) / len(last)
            tol = 0.45 * max(f.size, max(g.size for g in last))
            if abs(f.base - ref) <= tol:
                last.append(f)
                continue
        rows.append([f])
    return [sorted(r, key=lambda f: f.x0) for r in rows]


def _join_row(row: list[_Frag], tab_gap: float | None) -> tuple[str, bool]:
    out = ""
    tabbed = False
    prev = None
    for f in row:
        t = f.text
        if prev is not None:
            gap = f.x0 - prev.x1
            size = max(f.size, prev.size)
            if tab_gap is not None and gap > tab_gap * size:
                out = out.rstrip() + "\t"
                t = t.lstrip()
                tabbed = True
            elif gap > 0.4 * size and not out.endswith(" ") and not t.startswith(" "):
                out += " "
        out += t
        prev = f
    return out, tabbed


_RULE_CHARS = re.compile(r"[|｜丨¦]+")
_STRAY_MARKS = re.compile(r"(?<=\s)[“”\"'‘’.,，。、:：;；\-_~]+(?=\s)")
_GE_MISREAD = re.compile(r"^[二三](?=\s?\d)")  # ≥ read as 二/三 before a number (never Chinese usage)


def _fix_ocr(s: str) -> str:
    """OCR text: table rules read as | removed, spaces Tesseract puts between Chinese characters removed."""
    s = _RULE_CHARS.sub(" ", s)
    s = _STRAY_MARKS.sub(" ", f" {s} ")  # bits of erased rules read as quotes/dots standing alone
    s = re.sub(r"[ \u00a0]{2,}", " ", s).strip()
    s = re.sub(r"(?:(?<=\s)|^)”+|“+(?=\s|$)", "", s)  # a closing quote never starts a word, nor an opening one ends it
    if "“" in s and "”" not in s:
        s = s.replace("“", "")
    if "”" in s and "“" not in s:
        s = s.replace("”", "")
    s = _GE_MISREAD.sub("≥", s.strip())
    s = re.sub(r"(?<=[≥≤])\s+(?=\d)", "", s)
    return _CJK_SPACE.sub("", s)


def _cell_text(frags: list[_Frag], ocr: bool) -> str:
    if ocr:  # Tesseract writes words in reading order; its per-word baselines are too noisy to re-sort
        return one_line(_fix_ocr(" ".join(f.text for f in frags)))
    text = ""
    for row in _rows_of(frags):
        s, _ = _join_row(row, None)
        s = _SPACED_CJK.sub("", s).strip()
        text = _wrap_join(text, s) if text else s
    return one_line(text)


def _visual_lines(frags: list[_Frag], ocr: bool) -> list[_Line]:
    lines = []
    for row in _rows_of(frags):
        s, tabbed = _join_row(row, TAB_GAP)
        s = s.strip().replace("\u3000", " ")
        s = "\t".join(_fix_ocr(p) if ocr else _SPACED_CJK.sub("", p) for p in s.split("\t"))
        if not s.strip():
            continue
        lines.append(
            _Line(
                s,
                min(f.x0 for f in row),
                max(f.x1 for f in row),
                min(f.y0 for f in row),
                max(f.y1 for f in row),
                max(f.size for f in row),
                tabbed,
            )
        )
    return lines


def _is_margin_debris(ln: _Line, height: float) -> bool:
    """Page numbers ("- 3 -", "第3页 共9页", a bare "3") in the top or bottom margin."""
    in_margin = ln.y1 < height * 0.09 or ln.y0 > height * 0.91
    if not in_margin:
        return False
    from ..layout import is_page_debris

    return is_page_debris(ln.text) or bool(_NUMBER_ONLY.match(ln.text))


_SENTENCE_END = re.compile(r"[。！？!?：:；;]\s*$")
_ITEM_START = re.compile(
    r"^\s*(?:\d{1,3}\s*(?:[、．)）]|\.(?!\d))|[（(]\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[）)]|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|第[一二三四五六七八九十百\d]+[部分章节条]|[①-⑳]|[-•·●■◆]\s)"
)


_FIRST_WORD = re.compile(r"^[A-Za-z0-9.,%/:+\-]{2,}")


def _text_margins(lines: list[_Line], page_width: float) -> tuple[float, float] | None:
    """The left and right edges of the page's running text, None when its lines are no prose block."""
    plain = [ln for ln in lines if not ln.tabbed]
    if len(plain) < 2:
        return None
    left = min(ln.x0 for ln in plain)
    right = max(ln.x1 for ln in plain)
    if right - left < 0.55 * page_width:
        return None
    return left, right


def _wraps_into(prev: _Line, ln: _Line, left: float, right: float) -> bool:
    """Is `ln` the continuation of `prev` wrapped at the right margin?  `prev` runs (nearly) to the
    right margin -- or stops short where the next word, a number or Latin word Word does not break,
    did not fit --, `ln` starts at the left margin, same size, and no sentence end or list item
    lies between them."""
    size = max(prev.size, ln.size)
    gap = right - prev.x1
    word = _FIRST_WORD.match(ln.text)
    # (line-breaking rules move a character down with the closing mark after it: up to ~2.5 ems short)
    full = len(prev.text) >= 12 and (gap <= 2.6 * size or bool(word) and gap <= 0.6 * size * len(word.group()) + size)
    starts_left = ln.x0 <= left + 0.6 * size
    similar = abs(prev.size - ln.size) <= 0.15 * size
    # a line that ends a sentence ends its paragraph; one ending in ：/； right at the margin
    # (nothing more would have fitted) goes on, unless a list item follows
    end = _SENTENCE_END.search(prev.text)
    boundary = bool(end and not (end.group().strip() in "：；:;" and gap <= 1.6 * size) or _ITEM_START.match(ln.text))
    return full and starts_left and similar and not boundary and not prev.tabbed and not ln.tabbed


def _join_wrapped(lines: list[_Line], page_width: float) -> list[_Line]:
    """Re-join prose lines wrapped at the right margin (the next line starts at the left margin)."""
    margins = _text_margins(lines, page_width)
    if margins is None:
        return lines
    out: list[_Line] = []
    for ln in lines:
        if out:
            prev = out[-1]
            if _wraps_into(prev, ln, *margins) and ln.y0 - prev.y1 < 0.9 * max(prev.size, ln.size):
                out[-1] = _Line(_wrap_join(prev.text, ln.text), prev.x0, max(prev.x1, ln.x1), prev.y0, ln.y1, max(prev.size, ln.size))
                continue
        out.append(ln)
    return out


_NUMBER_CUT = re.compile(r"\d[.,]?$")


def _wrap_join(a: str, b: str) -> str:
    """Two pieces of text a line wrap separated: a number cut by the wrap ("680,000." + "00") joins
    without a space, the rest as `layout.join_lines` does."""
    from ..layout import join_lines

    if _NUMBER_CUT.search(a) and b[:1].isdigit():
        return a.rstrip() + b.lstrip()
    return join_lines([a, b])


def _join_across_pages(pages: list[list]) -> None:
    """A paragraph running over a page break: the first line of a page continues the last line of
    the page before when it wraps into it (margins of each page's own running text)."""
    for k in range(1, len(pages)):
        before, after = pages[k - 1], pages[k]
        if not before or not after or not isinstance(before[-1], _Para) or not isinstance(after[0], _Para):
            continue
        p0, p1 = before[-1], after[0]
        if not p0.lines or not p1.lines or p0.margins is None or p1.margins is None:
            continue
        prev, ln = p0.lines[-1], p1.lines[0]
        left = min(p0.margins[0], p1.margins[0])
        if _wraps_into(prev, ln, left, p0.margins[1]) and ln.x0 <= p1.margins[0] + 0.6 * ln.size:
            p0.lines[-1] = _Line(_wrap_join(prev.text, ln.text), prev.x0, max(prev.x1, ln.x1), prev.y0, prev.y1, prev.size)
            p1.lines = p1.lines[1:]
            if not p1.lines:
                del after[0]


# --------------------------------------------------------------------------- across pages


def _margin_key(ln: _Line, height: float) -> str | None:
    """A margin line's text with numbers masked; None for body lines and for titles/headings, which
    repeat legitimately (one form per page, each titled 项目支出绩效自评表) and must never be dropped."""
    if ln.y1 < height * 0.1 or ln.y0 > height * 0.9:
        from ..layout import looks_like_heading

        if looks_like_heading(ln.text):
            return None
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text))
    return None


def _drop_running_lines(pages: list[list]) -> list[list]:
    """Running headers/footers: the same margin line (numbers aside) on at least 3 pages and half of
    them, or on both pages of a two-page document."""
    if len(pages) < 2:
        return pages
    from collections import Counter

    counts: Counter = Counter()
    for items in pages:
        keys = {_margin_key(ln, it.height) for it in items if isinstance(it, _Para) for ln in it.lines}
        counts.update(k for k in keys if k)
    running = {k for k, n in counts.items() if n >= (2 if len(pages) == 2 else max(3, len(pages) // 2))}
    if not running:
        return pages
    out = []
    for items in pages:
        kept = []
        for it in items:
            if isinstance(it, _Para):
                it.lines = [ln for ln in it.lines if _margin_key(ln, it.height) not in running]
                if not it.lines:
                    continue
            kept.append(it)
        out.append(kept)
    return out



def _norm_row(row: list[str]) -> str:
    return "|".join(re.sub(r"\s+", "", c) for c in row)


def _continues(prev: _Table, nxt: _Table) -> bool:
    """Does `nxt` (first on its page) continue `prev` (last on the page before)?

    Same column count, `prev` reaching down the page and `nxt` starting near the top; not when
    `nxt` opens like `prev` with other values (the same form filled in again: 项目名称 | 另一个项目)."""
    if len(nxt.rows[0]) != len(prev.rows[0]):
        return False
    if prev.y1 < 0.6 * prev.height or nxt.y0 > 0.3 * nxt.height:
        return False
    first_prev, first_next = prev.rows[0], nxt.rows[0]
    if first_prev[0].strip() and _norm_row(first_prev[:1]) == _norm_row(first_next[:1]) and _norm_row(first_prev) != _norm_row(first_next):
        return False
    return True


def _merge_continued_tables(pages: list[list]) -> list:
    """Flatten the pages' items; a table first on its page continues the previous page's last table."""
    out: list = []
    prev_last = None  # the table that ended the previous page
    for items in pages:
        for k, item in enumerate(items):
            if (
                k == 0
                and isinstance(item, _Table)
                and prev_last is not None
                and out
                and out[-1] is prev_last
                and _continues(prev_last, item)
            ):
                rows = item.rows
                h = 0
                while h < min(3, len(rows) - 1, len(prev_last.rows)) and _norm_row(rows[h]) == _norm_row(prev_last.rows[h]):
                    h += 1
                h = _rejoin_split(prev_last, item, h)
                _append_rows(prev_last, item, h)
                prev_last.open_bottom = item.open_bottom
                continue
            out.append(item)
        prev_last = out[-1] if out and isinstance(out[-1], _Table) and items and (items[-1] is out[-1] or isinstance(items[-1], _Table)) else None
    return out


def _append_rows(prev: _Table, nxt: _Table, h: int) -> None:
    """`nxt`'s rows from `h` on become `prev`'s last rows (with their cell geometry)."""
    off = len(prev.rows) - h
    prev.rows.extend(nxt.rows[h:])
    prev.pages.extend(nxt.pages[h:])
    prev.y1, prev.height = nxt.y1, nxt.height
    if prev.owner is not None and nxt.owner is not None and len(nxt.owner) == len(nxt.rows):
        prev.owner.extend([(i + off, j) if i >= h else (i, j) for i, j in row] for row in nxt.owner[h:])
        prev.boxes.update({(i + off, j): v for (i, j), v in nxt.boxes.items() if i >= h})
        prev.ink.update({(i + off, j): v for (i, j), v in nxt.ink.items() if i >= h})
    else:
        prev.owner = None


def _span_rows(t: _Table, cell: tuple[int, int]) -> int:
    return sum(1 for row in t.owner if row[cell[1]] == cell) if 0 <= cell[1] < len(t.owner[0]) else 0


def _rejoin_split(prev: _Table, nxt: _Table, h: int) -> int:
    """Put back together what the page break between `prev` (ending a page) and `nxt` (starting
    the next, its first `h` rows a repeated header) cut in two; returns the index of `nxt`'s first
    row that is a row of its own.

    - A merged cell (一级/二级 spanning rows) cut by the break shows its text in one part only,
      often the lower one (vertically centred): the empty part ending `prev` gets the text of the
      part opening `nxt`, so the rows above the break carry the right value.
    - A row cut by the break (its taller cells go on overleaf): `nxt`'s first row has text only
      in columns whose text in `prev`'s last row runs down to the break, and not in all of them
      (a row of its own fills its name column as well); its text is appended to those cells."""
    if prev.owner is None or nxt.owner is None or h >= len(nxt.rows) or not prev.rows:
        return h
    ncols = len(prev.rows[0])
    if len(nxt.rows[h]) != ncols or len(prev.owner) != len(prev.rows) or len(nxt.owner) != len(nxt.rows):
        return h
    last = len(prev.rows) - 1
    first = h

    def text(t: _Table, cell: tuple[int, int]) -> str:
        return t.rows[cell[0]][cell[1]]

    if prev.open_bottom:  # no rule at the break: the first row goes on with the last one
        for j in range(ncols):
            po = prev.owner[last][j]
            if nxt.owner[first][j] != (first, j) or not nxt.rows[first][j].strip() or po[1] != j:
                continue
            prev.rows[po[0]][j] = _wrap_join(text(prev, po), nxt.rows[first][j]) if text(prev, po).strip() else nxt.rows[first][j]
        return first + 1
    # merged cells whose text went overleaf
    for j in range(ncols):
        po, no = prev.owner[last][j], nxt.owner[first][j]
        if po[1] != j or no != (first, j) or text(prev, po).strip() or not text(nxt, no).strip():
            continue
        leading = all(prev.owner[last][m][0] < last or not prev.rows[last][m].strip() for m in range(j))
        if _span_rows(prev, po) >= 2 or (leading and _span_rows(nxt, no) >= 2):
            prev.rows[po[0]][j] = text(nxt, no)
            nxt.rows[first][j] = ""
    # a row cut in two
    filled_next = [j for j in range(ncols) if nxt.owner[first][j] == (first, j) and nxt.rows[first][j].strip()]
    filled_prev = [j for j in range(ncols) if prev.owner[last][j][1] == j and text(prev, prev.owner[last][j]).strip()]
    if not filled_next or not set(filled_next) < set(filled_prev):
        return h

    def runs_to_break(cell: tuple[int, int]) -> bool:
        box, ink = prev.boxes.get(cell), prev.ink.get(cell)
        return bool(box and ink) and box[1] - ink[1] <= 1.6 * ink[3]

    def starts_at_top(cell: tuple[int, int]) -> bool:
        box, ink = nxt.boxes.get(cell), nxt.ink.get(cell)
        return bool(box and ink) and ink[0] - box[0] <= 1.6 * ink[3]

    if not all(runs_to_break(prev.owner[last][j]) and starts_at_top((first, j)) for j in filled_next):
        return h
    if not all(prev.ink.get(prev.owner[last][j], (0, 0, 0))[2] >= 2 for j in filled_next):
        return h  # a page break cuts wrapped text: a one-line cell (a weight, a score) went over whole
    from ..layout import join_lines

    for j in filled_next:
        po = prev.owner[last][j]
        prev.rows[po[0]][j] = join_lines([text(prev, po), nxt.rows[first][j]])
    return first + 1
