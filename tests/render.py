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


def table_grid(block: Block, merge_cols: int = 2) -> list[list[tuple[str, int]]]:
    """Rows of (text, rowspan); rowspan 0 marks a cell covered by a span from above."""
    rows = [[c.text for c in r] for r in block.rows]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    grid = [[(t, 1) for t in r] for r in rows]
    for j in range(min(merge_cols, width)):
        i = 0
        while i < len(rows):
            if rows[i][j]:
                k = i + 1
                while k < len(rows) and not rows[k][j] and any(rows[k]):
                    k += 1
                if k - i > 1 and j < width - 1:
                    grid[i][j] = (rows[i][j], k - i)
                    for m in range(i + 1, k):
                        grid[m][j] = ("", 0)
                i = k
            else:
                i += 1
    return grid


def _html(doc: SourceDoc, merge_cols: int) -> str:
    out = []
    for b in doc.blocks:
        if b.is_table:
            out.append("<table>")
            for row in table_grid(b, merge_cols):
                out.append("<tr>")
                for text, span in row:
                    if span == 0:
                        continue
                    attr = f' rowspan="{span}"' if span > 1 else ""
                    out.append(f"<td{attr}>{html.escape(text)}</td>")
                out.append("</tr>")
            out.append("</table>")
        else:
            out.append(f"<p>{html.escape(b.text.strip())}</p>")
    return "\n".join(out)


_CSS = (
    "body{font-size:9pt} p{margin:2pt 0}"
    " table{border-collapse:collapse; margin:4pt 0}"
    " td{border:0.7pt solid black; padding:1.5pt; font-size:8pt; vertical-align:middle}"
)


def render_pdf(doc: SourceDoc, path: Path, *, merge_cols: int = 0, landscape: bool = False) -> Path:
    import pymupdf

    path = Path(path)
    story = pymupdf.Story(_html(doc, merge_cols), user_css=_CSS)
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


def render_scanned_pdf(doc: SourceDoc, path: Path, *, dpi: int = 200, max_pages: int | None = None) -> Path:
    import pymupdf

    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        vector = render_pdf(doc, Path(tmp) / "vector.pdf")
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
        grid = table_grid(b, merge_cols)
        width = len(grid[0])
        table = d.add_table(rows=len(grid), cols=width)
        table.style = "Table Grid"
        for i, row in enumerate(grid):
            for j, (text, span) in enumerate(row):
                if span >= 1:
                    table.cell(i, j).text = text
        for i, row in enumerate(grid):
            for j, (text, span) in enumerate(row):
                if span > 1:
                    top = table.cell(i, j)
                    merged = top.merge(table.cell(i + span - 1, j))
                    merged.text = text  # merge() concatenates the (empty) paragraphs; keep one
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
            grid = table_grid(b, merge_cols)
            for i, row in enumerate(grid):
                for j, (text, span) in enumerate(row):
                    if span == 0 or not text:
                        continue
                    value, fmt = _excel_value(text)
                    cell = ws.cell(row=r + i, column=j + 1, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # text such as "=100%", not a formula
                    if fmt:
                        cell.number_format = fmt
                    if span > 1:
                        ws.merge_cells(start_row=r + i, start_column=j + 1, end_row=r + i + span - 1, end_column=j + 1)
            r += len(grid) + 1  # blank row after
            prev_table = True
        else:
            ws.cell(row=r, column=1, value=b.text.strip())
            r += 1
            prev_table = False
    wb.save(path)
    return path
