"""Render a SourceDoc (e.g. the text loader's reading of a sample .txt) into real documents for tests.

- `render_pdf`: HTML through pymupdf's Story (MuPDF's built-in CJK fallback font) with
  ruled tables (CSS borders); an empty cell directly below a filled one in the first
  two columns becomes part of a row span, as Word/Excel exports draw merged 一级/二级 cells.
- `render_docx`: python-docx paragraphs + 'Table Grid' tables, same vertical merges.
- `render_xlsx`: one sheet, blocks top to bottom, a blank row between blocks; numbers and
  percentages written as numbers with a format that shows them as in the text; same merges.
- `render_scanned_pdf`: the PDF rendering rasterised (~200 dpi) into an image-only PDF.
"""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

from extractor.source import Block, SourceDoc

_NUM = re.compile(r"^-?\d{1,12}(?:\.(\d{1,6}))?$")
_PCT = re.compile(r"^-?\d{1,6}(?:\.(\d{1,4}))?%$")


_LEVEL_HEADER = ("一级指标", "二级指标", "三级指标", "指标名称")


def _is_level_header(row: list[str]) -> bool:
    return any(any(w in t for w in _LEVEL_HEADER) for t in row)


def table_layout(block: Block, merge_cols: int = 2) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """A rectangular grid of texts and the merged ranges (r0, c0, r1, c1) a real document would have.

    A flattened dump loses merges, so rows come out ragged; put back the two merges such tables have:
    a row shorter than the table above a level-header row (绩效指标 over 一级/二级/三级) spans the
    missing columns with its first cell; a level-header row shorter than the row below it lost a
    vertically merged first column, so it is padded on the left.  Other short rows are padded on the
    right.  Then an empty cell directly below a filled one in the first `merge_cols` columns joins it
    (merged 一级/二级 cells).
    """
    raw = [[c.text for c in r] for r in block.rows]
    width = max(len(r) for r in raw)
    grid: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []
    for i, row in enumerate(raw):
        missing = width - len(row)
        nxt = raw[i + 1] if i + 1 < len(raw) else []
        if missing and nxt and _is_level_header(nxt) and not _is_level_header(row) and row:
            grid.append([row[0]] + [""] * missing + row[1:])
            merges.append((i, 0, i, missing))
        elif missing and _is_level_header(row) and nxt and len(nxt) > len(row):
            grid.append([""] * (len(nxt) - len(row)) + row + [""] * (width - len(nxt)))
        else:
            grid.append(row + [""] * missing)
    spanned = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for j in range(min(merge_cols, width - 1)):
        i = 0
        while i < len(grid):
            if grid[i][j] and (i, j) not in spanned:
                k = i + 1
                while k < len(grid) and not grid[k][j] and any(grid[k]) and (k, j) not in spanned:
                    k += 1
                if k - i > 1:
                    merges.append((i, j, k - 1, j))
                i = k
            else:
                i += 1
    return grid, merges


def _spans(grid, merges):
    """(rowspan, colspan) per top-left cell; covered cells -> None."""
    spans = [[(1, 1) for _ in row] for row in grid]
    for r0, c0, r1, c1 in merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                spans[r][c] = None
        spans[r0][c0] = (r1 - r0 + 1, c1 - c0 + 1)
    return spans


def _html(doc: SourceDoc, merge_cols: int) -> str:
    out = []
    for b in doc.blocks:
        if b.is_table:
            out.append("<table>")
            grid, merges = table_layout(b, merge_cols)
            spans = _spans(grid, merges)
            for row, srow in zip(grid, spans):
                out.append("<tr>")
                for text, span in zip(row, srow):
                    if span is None:
                        continue
                    attr = (f' rowspan="{span[0]}"' if span[0] > 1 else "") + (f' colspan="{span[1]}"' if span[1] > 1 else "")
                    out.append(f"<td{attr}>{html.escape(text)}</td>")
                out.append("</tr>")
            out.append("</table>")
        else:
            out.append(f"<p>{html.escape(b.text.strip())}</p>")
    return "\n".join(out)


def _css(font_pt: float) -> str:
    return (
        f"body{{font-size:{font_pt + 1}pt}} p{{margin:2pt 0}}"
        " table{border-collapse:collapse; margin:4pt 0}"
        f" td{{border:0.7pt solid black; padding:1.5pt; font-size:{font_pt}pt; vertical-align:middle}}"
    )


def render_pdf(doc: SourceDoc, path: Path, *, merge_cols: int = 0, landscape: bool = False, font_pt: float = 8) -> Path:
    import pymupdf

    path = Path(path)
    story = pymupdf.Story(_html(doc, merge_cols), user_css=_css(font_pt))
    mediabox = pymupdf.paper_rect("a4-l" if landscape else "a4")
    where = mediabox + (36, 40, -36, -40)
    writer = pymupdf.DocumentWriter(str(path))
    more = True
    pages = 0
    while more:
        dev = writer.begin_page(mediabox)
        more, _ = story.place(where)
        story.draw(dev)
        writer.end_page()
        pages += 1
        if pages > 500:
            break
    writer.close()
    return path


def render_scanned_pdf(
    doc: SourceDoc, path: Path, *, dpi: int = 200, max_pages: int | None = None, font_pt: float = 10.5, landscape: bool = True
) -> Path:
    """An image-only PDF: the PDF rendering (五号 10.5pt text by default, as printed forms) scanned at `dpi`."""
    import pymupdf

    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        vector = render_pdf(doc, Path(tmp) / "vector.pdf", font_pt=font_pt, landscape=landscape)
        src = pymupdf.open(vector)
        out = pymupdf.open()
        for pno in range(src.page_count if max_pages is None else min(max_pages, src.page_count)):
            page = src[pno]
            pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
            new = out.new_page(width=page.rect.width, height=page.rect.height)
            new.insert_image(new.rect, stream=pix.tobytes("png"))
        out.save(path)
        out.close()
        src.close()
    return path


def render_docx(doc: SourceDoc, path: Path, *, merge_cols: int = 2) -> Path:
    import docx

    path = Path(path)
    d = docx.Document()
    for b in doc.blocks:
        if not b.is_table:
            d.add_paragraph(b.text.strip())
            continue
        grid, merges = table_layout(b, merge_cols)
        table = d.add_table(rows=len(grid), cols=len(grid[0]))
        table.style = "Table Grid"
        for i, row in enumerate(grid):
            for j, text in enumerate(row):
                if text:
                    table.cell(i, j).text = text
        for r0, c0, r1, c1 in merges:
            merged = table.cell(r0, c0).merge(table.cell(r1, c1))
            merged.text = grid[r0][c0]  # merge() concatenates the (empty) paragraphs; keep one
    d.save(path)
    return path


def _excel_value(text: str):
    """(value, number_format) so Excel shows `text` as written."""
    m = _PCT.match(text)
    if m:
        decimals = len(m.group(1) or "")
        value = round(float(text[:-1]) / 100, decimals + 2)
        return value, "0%" if not decimals else "0." + "0" * decimals + "%"
    m = _NUM.match(text)
    if m and not (len(text) > 1 and text.startswith("0") and not text.startswith("0.")):
        decimals = len(m.group(1) or "")
        if decimals:
            return float(text), "0." + "0" * decimals
        return int(text), "General"
    return text, None


def render_xlsx(doc: SourceDoc, path: Path, *, merge_cols: int = 2) -> Path:
    import openpyxl

    path = Path(path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    r = 1
    prev_table = False
    for b in doc.blocks:
        if b.is_table:
            if r > 1:
                r += 1  # blank row before a table
            grid, merges = table_layout(b, merge_cols)
            for i, row in enumerate(grid):
                for j, text in enumerate(row):
                    if not text:
                        continue
                    value, fmt = _excel_value(text)
                    cell = ws.cell(row=r + i, column=j + 1, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # text such as "=100%", not a formula
                    if fmt:
                        cell.number_format = fmt
            for r0, c0, r1, c1 in merges:
                ws.merge_cells(start_row=r + r0, start_column=c0 + 1, end_row=r + r1, end_column=c1 + 1)
            r += len(grid) + 1  # blank row after
            prev_table = True
        else:
            ws.cell(row=r, column=1, value=b.text.strip())
            r += 1
            prev_table = False
    wb.save(path)
    return path
