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


# --------------------------------------------------------------------------- real-world Office variants
#
# The plain renderings above are the tidy case.  Real Word/Excel files differ in layout only; the
# helpers below re-create those layouts from the same SourceDoc (no text is invented except what
# the layout itself adds: a repeated header row, a hidden helper column, a signature line).

_OPERATOR = re.compile(r"^(?:≥|≤|>=|<=|＞|＜|>|<|=|＝)")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?%?$")
_FUNDS_HEAD = re.compile(r"预算数|执行数|预算金额|资金总额|拨款")
_TITLE_LINE = re.compile(r"[。；;，,：:]$")


def level_header_index(grid: list[list[str]]) -> int | None:
    """Row index of the indicator header (一级指标/三级指标/指标名称 …), if the table has one."""
    for i, row in enumerate(grid):
        if _is_level_header(row):
            return i
    return None


def _clip_merges(merges, r_lo: int, r_hi: int, c_lo: int = 0, c_hi: int = 10**6, r_shift: int = 0, c_shift: int = 0):
    """Merged ranges intersected with rows [r_lo, r_hi) x cols [c_lo, c_hi), moved by the shifts; 1x1 dropped."""
    out = []
    for r0, c0, r1, c1 in merges:
        a0, a1, b0, b1 = max(r0, r_lo), min(r1, r_hi - 1), max(c0, c_lo), min(c1, c_hi - 1)
        if a0 > a1 or b0 > b1 or (a0 == a1 and b0 == b1):
            continue
        out.append((a0 - r_lo + r_shift, b0 - c_lo + c_shift, a1 - r_lo + r_shift, b1 - c_lo + c_shift))
    return out


def _full_width(s: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "0" <= ch <= "9" or ch in "%." else ch for ch in s)


def _thousands(s: str) -> str:
    m = re.fullmatch(r"(-?)(\d{4,})(\.\d+)?", s)
    return f"{m.group(1)}{int(m.group(2)):,}{m.group(3) or ''}" if m else s


def number_styles(grid: list[list[str]]) -> list[list[str]]:
    """Numbers as people type them in Word: thousands separators, some full-width digits, and
    "万元" written into amount cells of a table whose header says the amounts are in 万元."""
    flat = "".join("".join(r) for r in grid)
    wan = "万元" in flat and not re.search(r"[（(]元[)）]|单位[:：]元", flat)
    out = [list(r) for r in grid]
    k = 0
    for j in range(max(len(r) for r in grid)):
        head = ""
        for i, row in enumerate(out):
            text = row[j] if j < len(row) else ""
            if not text:
                continue
            if not _PLAIN_NUMBER.match(text):
                head = text
                continue
            k += 1
            new = _thousands(text)
            if wan and not text.endswith("%") and _FUNDS_HEAD.search(head) and "率" not in head:
                new += "万元"
            if k % 3 == 0:
                new = _full_width(new)
            row[j] = new
    return out


def _pieces(text: str) -> list[str]:
    """A cell's text as several paragraphs, broken where Word users press Enter: after ；/; or mid-text
    between two CJK characters (never inside a Latin word or number, which would change the text)."""
    parts = [p for p in re.split(r"(?<=[；;])", text) if p]
    if len(parts) > 1:
        return parts
    if len(text) < 8:
        return [text]
    for cut in list(range(len(text) // 2, len(text) - 1)) + list(range(len(text) // 2, 0, -1)):
        a, b = text[cut - 1], text[cut]
        if "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff":
            return [text[:cut], text[cut:]]
    return [text]


def _title_runs(blocks: list[Block], max_titles: int = 3) -> dict[int, list[int]]:
    """For each table block index: the indexes of the short title/meta paragraphs right above it."""
    out: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        if not b.is_table:
            continue
        run: list[int] = []
        k = i - 1
        while k >= 0 and len(run) < max_titles and not blocks[k].is_table:
            t = blocks[k].text.strip()
            if not t or len(t) > 60 or _TITLE_LINE.search(t):
                break
            run.insert(0, k)
            k -= 1
        if run:
            out[i] = run
    return out


def _write_cell(cell, text: str, paragraphs: bool, hidden_note: bool = False) -> None:
    pieces = _pieces(text) if paragraphs else [text]
    cell.text = pieces[0]
    for p in pieces[1:]:
        cell.add_paragraph(p)
    if paragraphs and len(pieces) > 1:
        cell.add_paragraph("")  # a trailing empty paragraph, as typed
    if hidden_note and _PLAIN_NUMBER.match(text):
        cell.paragraphs[-1].add_run("（填写说明：按实际数填写）").font.hidden = True  # a template's hidden hint


def _docx_grid(container, grid, merges, paragraphs: bool, hidden_notes: bool = False):
    table = container.add_table(rows=len(grid), cols=len(grid[0]))
    if hasattr(container, "styles") or hasattr(container, "part"):
        try:
            table.style = "Table Grid"
        except Exception:
            pass
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    cells = table._cells  # one pass (table.cell() rebuilds this list on every call)
    width = len(grid[0])
    for i, row in enumerate(grid):
        for j, text in enumerate(row):
            if text:
                _write_cell(cells[i * width + j], text, paragraphs, hidden_notes)
    return table


def _set_grid_widths(table, width: int, sliver: bool, total: int = 9000, thin: int = 150) -> None:
    """The table's w:gridCol widths (twips): `width` equal columns; with `sliver`, a thin extra column
    after the first one, taken from it, so every other column starts where it does without."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    each = total // width
    widths = [each] * width
    if sliver:
        widths = [each - thin, thin] + widths[1:]
    grid = table._tbl.find(qn("w:tblGrid"))
    for col in list(grid):
        grid.remove(col)
    for w in widths:
        grid.append(parse_xml(f'<w:gridCol xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:w="{w}"/>'))


def _alt_chunk_table(d, block: Block, merge_cols: int, n: int) -> None:
    """The table as an HTML page imported through w:altChunk (rowspan/colspan as the merges)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    grid, merges = table_layout(block, merge_cols)
    spans = _spans(grid, merges)
    rows = []
    for row, srow in zip(grid, spans):
        cells = []
        for text, span in zip(row, srow):
            if span is None:
                continue
            attr = (f' rowspan="{span[0]}"' if span[0] > 1 else "") + (f' colspan="{span[1]}"' if span[1] > 1 else "")
            cells.append(f"<td{attr}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    page = '<html><head><meta charset="utf-8"></head><body><table border="1">' + "".join(rows) + "</table></body></html>"
    part = Part(PackURI(f"/word/afchunk{n}.htm"), "text/html", page.encode("utf-8"), d.part.package)
    rid = d.part.relate_to(part, RT.A_F_CHUNK)
    chunk = parse_xml(
        '<w:altChunk xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        f' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'
    )
    d.element.body.sectPr.addprevious(chunk)


def _page_break(d) -> None:
    from docx.enum.text import WD_BREAK

    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


_TEXTBOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml">'
    "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0"'
    ' layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    '<wp:extent cx="9000000" cy="5000000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
    '<wp:docPr id="{id}" name="文本框 {id}"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="9000000" cy="5000000"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
    "<wps:txbx><w:txbxContent/></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
    "</w:drawing></mc:Choice><mc:Fallback><w:pict>"
    '<v:shape id="tb{id}" type="#_x0000_t202" style="width:700pt;height:400pt"><v:textbox><w:txbxContent/></v:textbox></v:shape>'
    "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def _into_text_box(d, elements, box_id: int) -> None:
    """Move body elements (tables, paragraphs) into a text box anchored in a new paragraph (Word's
    mc:AlternateContent: a DrawingML text box with a VML copy as fallback)."""
    import copy

    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    anchor = d.add_paragraph()
    run = parse_xml(_TEXTBOX.replace("{id}", str(box_id)))
    anchor._p.append(run)
    boxes = list(run.iter(qn("w:txbxContent")))
    for el in elements:
        el.getparent().remove(el)
        boxes[0].append(el)
    if not len(boxes[0]) or boxes[0][-1].tag != qn("w:p"):
        boxes[0].append(parse_xml('<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'))
    for child in boxes[0]:
        boxes[1].append(copy.deepcopy(child))


def _into_content_control(element) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    sdt = parse_xml(
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:sdtPr><w:alias w:val="填报内容"/></w:sdtPr><w:sdtContent/></w:sdt>'
    )
    element.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(element)


def _rows_into_content_control(tbl, start: int = 1, count: int = 3) -> None:
    """Wrap some rows of a table in one content control (a repeating-section control, as form templates do)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    rows = tbl.findall(qn("w:tr"))[start : start + count]
    if not rows:
        return
    sdt = parse_xml(
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:sdtPr><w:alias w:val="指标行"/></w:sdtPr><w:sdtContent/></w:sdt>'
    )
    rows[0].addprevious(sdt)
    content = sdt.find(qn("w:sdtContent"))
    for tr in rows:
        content.append(tr)


def _section_break(d) -> None:
    """An empty paragraph carrying a next-page section break (as between reports pasted into one file)."""
    from docx.oxml import parse_xml

    p = d.add_paragraph()
    p._p.get_or_add_pPr().append(
        parse_xml(
            '<w:sectPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:type w:val="nextPage"/><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr>'
        )
    )


_CN_DIGITS = "零一二三四五六七八九"


def chinese_count(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (Word's chineseCounting, 1..99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


# (pattern of a typed enumerator, its Word level): 一、 / （一） / 1. / （1）
_ENUMERATORS = [
    (re.compile(r"^([一二三四五六七八九十]{1,3})、"), 0),
    (re.compile(r"^（([一二三四五六七八九十]{1,3})）"), 1),
    (re.compile(r"^(\d{1,2})\.(?!\d)"), 2),
    (re.compile(r"^（(\d{1,2})）"), 3),
]
_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）")]
_ABSTRACT_ID = 90
_NUM_ID = 90


def _add_numbering_definition(d) -> None:
    """A four-level list (一、 / （一） / 1. / （1）) in the document's numbering part."""
    from docx.oxml import parse_xml

    lvls = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>'
        for k, (fmt, text) in enumerate(_LEVELS)
    )
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = d.part.numbering_part.element
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    abstract = parse_xml(f'<w:abstractNum {ns} w:abstractNumId="{_ABSTRACT_ID}"><w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>')
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {ns} w:numId="{_NUM_ID}"><w:abstractNumId w:val="{_ABSTRACT_ID}"/></w:num>'))


class _Numberer:
    """Turns typed enumerators into Word list numbering where Word would count the same number."""

    def __init__(self) -> None:
        self.counters = [0] * len(_LEVELS)

    def __call__(self, paragraph, text: str) -> str:
        for pattern, level in _ENUMERATORS:
            m = pattern.match(text)
            if not m:
                continue
            value = int(m.group(1)) if m.group(1).isdigit() else None
            expected = self.counters[level] + 1
            if value is None:
                value = next((n for n in range(1, 100) if chinese_count(n) == m.group(1)), None)
            if value != expected or not text[m.end() :].strip():
                return text  # typed out of sequence: Word numbering would show another number
            self.counters[level] = expected
            for k in range(level + 1, len(self.counters)):
                self.counters[k] = 0
            from docx.oxml import parse_xml

            paragraph._p.get_or_add_pPr().insert(
                0,
                parse_xml(
                    '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    f'<w:ilvl w:val="{level}"/><w:numId w:val="{_NUM_ID}"/></w:numPr>'
                ),
            )
            return text[m.end() :]
        return text


def render_docx_variant(
    doc: SourceDoc,
    path: Path,
    *,
    merge_cols: int = 2,
    split_rows: int | None = None,
    repeat_header: bool = False,
    title_in_table: bool = False,
    nested: bool = False,
    cell_paragraphs: bool = False,
    numbers: bool = False,
    text_boxes: bool = False,
    noise: bool = False,
    numbering: bool = False,
    tab_paragraphs: bool = False,
    jagged: bool = False,
    alt_chunks: bool = False,
) -> Path:
    """`render_docx` with real-world Word layouts switched on:

    - split_rows: every table cut into Word tables of that many rows (a page break between), merged
      一级/二级 cells cut too (the continuation is empty); repeat_header repeats the indicator header row;
      jagged: every continuation has its own grid, a sliver column after the first (as PDF-to-Word
      conversions cut each page's table), the other columns where the first page has them.
    - title_in_table: the short title lines above a table become its first rows, merged across the table.
    - nested: the indicator part of a table (header row on) sits in a table nested in one cell of the
      outer table, beside the outer 绩效指标 label cell.
    - cell_paragraphs: cell text in several paragraphs (plus an empty one).
    - numbers: thousands separators, some full-width digits, 万元 inside amount cells.
    - text_boxes: every table inside a text box (DrawingML + VML fallback), rows 2-4 of it in a
      row-level content control; every other paragraph in a content control (w:sdt).
    - noise: empty paragraphs around tables, section breaks between tables, header and footer text,
      a hidden (w:vanish) hint after every number in a table cell.
    - numbering: paragraph enumerators (一、 / （一） / 1. / （1）) made by Word list numbering, not typed.
    - tab_paragraphs: no Word tables at all: every table row is a paragraph with its cells separated by
      tabs (tables typed with tab stops, or pasted from a text dump).
    - alt_chunks: every table an HTML part imported through w:altChunk (documents built from web pages).
    """
    import docx

    path = Path(path)
    d = docx.Document()
    if noise:
        section = d.sections[0]
        section.header.paragraphs[0].text = "绩效自评材料（内部资料）"
        section.footer.paragraphs[0].text = "第 1 页 共 9 页"
    blocks = list(doc.blocks)
    titles = _title_runs(blocks) if title_in_table else {}
    moved = {k for run in titles.values() for k in run}
    n_par = 0
    n_box = 0
    numberer = None
    if numbering:
        _add_numbering_definition(d)
        numberer = _Numberer()
    for i, b in enumerate(blocks):
        if not b.is_table:
            if i in moved:
                continue
            p = d.add_paragraph()
            p.add_run(numberer(p, b.text.strip()) if numberer else b.text.strip())
            n_par += 1
            if text_boxes and n_par % 2 == 0:
                _into_content_control(p._p)
            continue
        if tab_paragraphs:
            for row in b.rows:
                d.add_paragraph().add_run("\t".join(c.text for c in row))
            continue
        if alt_chunks:
            _alt_chunk_table(d, b, merge_cols, i)
            continue
        grid, merges = table_layout(b, merge_cols)
        if numbers:
            grid = number_styles(grid)
        width = len(grid[0])
        head = [blocks[k].text.strip() for k in titles.get(i, [])]
        if head:
            grid = [[t] + [""] * (width - 1) for t in head] + grid
            merges = [(r, 0, r, width - 1) for r in range(len(head))] + [(r0 + len(head), c0, r1 + len(head), c1) for r0, c0, r1, c1 in merges]
        h = level_header_index(grid)
        if noise:
            d.add_paragraph("")
            if i > 0:
                _section_break(d)
        body_start = len(d.element.body) - 1  # before the sectPr of the body
        if nested and h is not None and h + 2 < len(grid):
            _nested_table(d, grid, merges, h, cell_paragraphs)
        elif split_rows and len(grid) > split_rows:
            starts = list(range(0, len(grid), split_rows))
            for n, s in enumerate(starts):
                e = min(s + split_rows, len(grid))
                rows = grid[s:e]
                part = _clip_merges(merges, s, e)
                if repeat_header and h is not None and s > h:
                    rows = [grid[h]] + rows
                    part = [(r0 + 1, c0, r1 + 1, c1) for r0, c0, r1, c1 in part]
                if n:
                    _page_break(d)
                sliver = bool(jagged and n and len(rows[0]) > 2)
                if sliver:  # a converted page's table: a sliver grid column after the first one
                    rows = [r[:1] + [""] + r[1:] for r in rows]
                    part = [(r0, c0 + (c0 >= 1), r1, c1 + (c1 >= 1)) for r0, c0, r1, c1 in part]
                table = _docx_grid(d, rows, part, cell_paragraphs, noise)
                _set_grid_widths(table, len(grid[0]), sliver)
                if repeat_header and (h is not None and (s > h or s <= h < e)):
                    from docx.oxml import parse_xml

                    tr = table.rows[0 if s > h else h - s]._tr
                    tr.get_or_add_trPr().append(parse_xml('<w:tblHeader xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'))
        else:
            _docx_grid(d, grid, merges, cell_paragraphs, noise)
        if text_boxes:
            body = d.element.body
            new = [el for el in list(body)[body_start:] if el.tag.endswith("}tbl") or el.tag.endswith("}p")]
            for el in new:
                if el.tag.endswith("}tbl"):
                    _rows_into_content_control(el)
            n_box += 1
            _into_text_box(d, new, n_box)
        if noise:
            d.add_paragraph("")
    d.save(path)
    return path


def _nested_table(d, grid, merges, h: int, paragraphs: bool) -> None:
    """Rows before `h` as an outer table; rows h.. (while the first column stays empty) nested in one
    cell: beside the first column's label when column 0 is a label column, else across the whole row."""
    width = len(grid[0])
    label = not _is_level_header([grid[h][0]])
    end = h + 1
    if label:  # column 0 is the 绩效指标 label: the indicator rows are those it spans
        while end < len(grid) and not grid[end][0]:
            end += 1
        label = end - h > 1
    if not label:  # column 0 holds 一级指标 itself: the indicator rows run to the totals / notes
        end = h + 1
        while end < len(grid) and not re.match(r"(合计|总分|总计|说明|备注)", grid[end][0]):
            end += 1
    c_lo = 1 if label else 0
    outer = grid[:h] + [[grid[h][0] if label else ""] + [""] * (width - 1)] + grid[end:]
    o_merges = _clip_merges(merges, 0, h) + [(h, c_lo, h, width - 1)] if width - 1 > c_lo else _clip_merges(merges, 0, h)
    o_merges += _clip_merges(merges, end, len(grid), r_shift=h + 1)
    table = _docx_grid(d, outer, o_merges, paragraphs)
    cell = table.cell(h, c_lo)
    inner = [row[c_lo:] for row in grid[h:end]]
    i_merges = _clip_merges(merges, h, end, c_lo, width)
    for p in list(cell.paragraphs):
        if not p.text:
            p._p.getparent().remove(p._p)
    _docx_grid(cell, inner, i_merges, paragraphs)


# --------------------------------------------------------------------------- Excel variants


def _report_groups(doc: SourceDoc) -> list[tuple[str | None, list[Block]]]:
    """The document's blocks cut where a table report (or summary/rubric table) starts: (name, blocks)."""
    from extractor.segment import segment

    starts = {}
    for s in segment(doc):
        if s.role in ("table", "summary", "rubric"):
            starts.setdefault(s.start, s.name)
    groups: list[tuple[str | None, list[Block]]] = [(None, [])]
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if b.start in starts and groups[-1][1]:
            carry = []
            prev = groups[-1][1]
            while prev and not prev[-1].is_table and len(prev[-1].text.strip()) <= 8:  # "表11" labels go along
                carry.insert(0, prev.pop())
            groups.append((starts[b.start], carry))
        elif b.start in starts:
            groups[-1] = (starts[b.start], groups[-1][1])
        groups[-1][1].append(b)
    return [g for g in groups if g[1]]


def _sheet_title(name: str | None, n: int, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "", name or "")[:31] if name and n % 2 else ""
    title = title or f"表{n}"
    while title in used:
        title = title[:28] + f"_{len(used)}"
    used.add(title)
    return title


def _split_target(grid, merges, h: int):
    """The target column under the header row `h` split into two sub-columns (符号 | 数值) under a
    header merged across both, and the header itself over two rows (other headers merged down)."""
    head = grid[h]
    t = next((j for j, x in enumerate(head) if "指标值" in x and "完成" not in x and "实际" not in x), None)
    if t is None:
        return grid, merges, None
    out = []
    for i, row in enumerate(grid):
        if i == h:
            out.append(row[: t + 1] + [""] + row[t + 1 :])
            out.append([""] * t + ["符号", "数值"] + [""] * (len(row) - t - 1))
        elif i > h:
            m = _OPERATOR.match(row[t])
            op, rest = (m.group(0), row[t][m.end() :]) if m and row[t][m.end() :] else ("", row[t])
            out.append(row[:t] + [op, rest] + row[t + 1 :])
        else:
            out.append(row[:t] + [row[t], ""] + row[t + 1 :])
    new = []
    for r0, c0, r1, c1 in merges:
        r0 += r0 > h
        r1 += r1 >= h
        c1 += c1 > t or (c1 == t and c0 < t)  # a span across the column widens; one inside it stays
        c0 += c0 > t
        new.append((r0, c0, r1, c1))
    new.append((h, t, h, t + 1))
    for j in range(len(out[h])):
        if j not in (t, t + 1) and out[h][j]:
            new.append((h, j, h + 1, j))
    return out, new, t


def _cell_formula(rows: list[list[str]], i: int, j: int) -> str | None:
    """A formula a form would hold at (i, j): a rate beside two amounts, or a total of a column."""
    text = rows[i][j]
    nums = [k for k, x in enumerate(rows[i]) if k != j and _PLAIN_NUMBER.match(x) and not x.endswith("%")]
    if text.endswith("%") and len(nums) >= 2:
        return f"IFERROR({{c{nums[1]}}}/{{c{nums[0]}}},0)"
    if _PLAIN_NUMBER.match(text) and any(w in "".join(rows[i]) for w in ("合计", "总分")):
        return f"SUM({{c{j}}}:{{c{j}}})"
    return None


def render_xlsx_variant(
    doc: SourceDoc,
    path: Path,
    *,
    merge_cols: int = 2,
    sheet_per_report: bool = False,
    title_in_table: bool = False,
    hidden: bool = False,
    spacer_cols: bool = False,
    text_numbers: bool = False,
    formulas: bool = False,
    split_header: bool = False,
    signature: bool = False,
    quirks: bool = False,
) -> Path:
    """`render_xlsx` with real-world Excel layouts switched on:

    - sheet_per_report: one sheet per report (sheet named after the project every other sheet).
    - title_in_table: title lines directly above the table, merged across all its columns (no blank row).
    - hidden: a hidden helper column in every table and a hidden stale copy of an indicator row.
    - spacer_cols: narrow empty columns between table columns.
    - text_numbers: every other number stored as text; formulas: rates and totals as formulas with
      cached values (what Excel saves).
    - split_header: 年度指标值 over two sub-columns (符号 | 数值), the header over two rows.
    - signature: 填报人 / 联系电话 / 填报日期 cells in the row right below each indicator table.
    - quirks: .xls-era files saved as .xlsx: a shared string table with line breaks saved as _x000D_,
      padded text, a hidden stale copy of the first sheet, and the empty Sheet2/Sheet3 Excel used to add.
    """
    import openpyxl
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    groups = _report_groups(doc) if sheet_per_report else [(None, list(doc.blocks))]
    used: set[str] = set()
    formula_cells: dict[str, dict[str, str]] = {}
    for n, (name, blocks) in enumerate(groups, start=1):
        ws = wb.create_sheet(_sheet_title(name, n, used) if sheet_per_report else "自评表")
        cells = formula_cells.setdefault(ws.title, {})
        titles = _title_runs(blocks) if title_in_table else {}
        moved = {k for run in titles.values() for k in run}
        r = 1
        for i, b in enumerate(blocks):
            if not b.is_table:
                if i not in moved:
                    text = b.text.strip()
                    ws.cell(row=r, column=1, value=("  " + text + " ") if quirks and r % 3 == 0 else text)
                    r += 1
                continue
            grid, merges = table_layout(b, merge_cols)
            h = level_header_index(grid)
            if split_header and h is not None:
                grid, merges, _ = _split_target(grid, merges, h)
            width = len(grid[0])
            hidden_rows: set[int] = set()
            if hidden and h is not None and h + 1 < len(grid):
                k = h + (2 if split_header else 1)
                if k < len(grid):  # a cancelled indicator hidden instead of deleted
                    stale = [("0" if _PLAIN_NUMBER.match(x) else "（已取消）" + x) if x else x for x in grid[k]]
                    grid.insert(k, stale)
                    merges = [(r0 + (r0 >= k), c0, r1 + (r1 >= k), c1) for r0, c0, r1, c1 in merges]
                    hidden_rows.add(k)
            head = [blocks[k].text.strip() for k in titles.get(i, [])]
            if r > 1 and not head:
                r += 1
            # physical columns: an empty spacer after logical column 0, a hidden helper after column 1
            phys = []
            col = 1
            extra_hidden, extra_spacer = None, None
            for j in range(width):
                phys.append(col)
                col += 1
                if spacer_cols and j == 0:
                    extra_spacer = col
                    col += 1
                if hidden and j == 1:
                    extra_hidden = col
                    col += 1
            last = phys[-1]
            for t in head:
                ws.cell(row=r, column=1, value=t)
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
                r += 1
            for ii, row in enumerate(grid):
                for j, text in enumerate(row):
                    if not text:
                        continue
                    value, fmt = _excel_value(text)
                    if text_numbers and not isinstance(value, str) and (ii + j) % 2 == 0 and not text.endswith("%"):
                        value, fmt = text, "@"
                    if quirks and isinstance(value, str) and len(value) > 12 and (ii + j) % 2:
                        cut = len(value) // 2
                        if "\u4e00" <= value[cut - 1] <= "\u9fff" and "\u4e00" <= value[cut] <= "\u9fff":
                            value = value[:cut] + "\r\n" + value[cut:]
                    cell = ws.cell(row=r + ii, column=phys[j], value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"
                    if fmt:
                        cell.number_format = fmt
                    if formulas and not isinstance(value, str):
                        f = _cell_formula(grid, ii, j)
                        if f:
                            f = re.sub(r"\{c(\d+)\}", lambda m: f"{get_column_letter(phys[int(m.group(1))])}{r + ii}", f)
                            cells[cell.coordinate] = f
                if extra_hidden and any(row):
                    ws.cell(row=r + ii, column=extra_hidden, value=f"辅助{ii + 1}")
                if ii in hidden_rows:
                    ws.row_dimensions[r + ii].hidden = True
            if extra_hidden:
                ws.column_dimensions[get_column_letter(extra_hidden)].hidden = True
            if extra_spacer:
                ws.column_dimensions[get_column_letter(extra_spacer)].width = 1.5
            for r0, c0, r1, c1 in merges:
                ws.merge_cells(start_row=r + r0, start_column=phys[c0], end_row=r + r1, end_column=phys[c1])
            r += len(grid)
            if signature and h is not None:
                for j, text in zip((0, max(1, width // 3), max(2, 2 * width // 3)), ("填报人：李明", "联系电话：0871-6543210", "填报日期：2022年3月10日")):
                    ws.cell(row=r, column=phys[min(j, width - 1)], value=text)
                r += 1
            r += 1
    if quirks:
        stale = wb.copy_worksheet(wb.worksheets[0])
        stale.title = "旧版（勿用）"
        stale.sheet_state = "hidden"
        wb.create_sheet("Sheet2")
        wb.create_sheet("Sheet3")
    wb.save(path)
    if formulas and any(formula_cells.values()):
        _add_formulas(path, wb, formula_cells)
    if quirks:
        _shared_strings(path)
    return path


_SS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _shared_strings(path: Path) -> None:
    """Strings in a shared string table, as Excel saves them (openpyxl writes inline strings), with the
    carriage return of an .xls-era line break escaped as _x000D_."""
    import zipfile

    from lxml import etree

    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(path) as zf:
        items = [(info, zf.read(info.filename)) for info in zf.infolist()]
    strings: list[str] = []
    index: dict[str, int] = {}
    out = []
    for info, data in items:
        if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
            root = etree.fromstring(data)
            for c in root.iter(f"{{{ns}}}c"):
                if c.get("t") != "inlineStr":
                    continue
                isel = c.find(f"{{{ns}}}is")
                text = "".join(t.text or "" for t in isel.iter(f"{{{ns}}}t"))
                c.remove(isel)
                c.set("t", "s")
                k = index.setdefault(text, len(strings))
                if k == len(strings):
                    strings.append(text)
                etree.SubElement(c, f"{{{ns}}}v").text = str(k)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        elif info.filename == "[Content_Types].xml":
            data = data.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SS_TYPE}"/></Types>'.encode())
        elif info.filename == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>", f'<Relationship Type="{_SS_REL}" Target="sharedStrings.xml" Id="rIdSS"/></Relationships>'.encode()
            )
        out.append((info, data))
    sst = etree.Element(f"{{{ns}}}sst", nsmap={None: ns}, count=str(len(strings)), uniqueCount=str(len(strings)))
    for text in strings:
        t = etree.SubElement(etree.SubElement(sst, f"{{{ns}}}si"), f"{{{ns}}}t")
        t.text = text.replace("\r", "_x000D_")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    out.append((zipfile.ZipInfo("xl/sharedStrings.xml", (2026, 1, 1, 0, 0, 0)), etree.tostring(sst, xml_declaration=True, encoding="UTF-8", standalone=True)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in out:
            zf.writestr(info, data)


def _add_formulas(path: Path, wb, formula_cells: dict[str, dict[str, str]]) -> None:
    """openpyxl cannot save a formula with its cached value; write <f> next to the saved <v>."""
    import zipfile

    index = {ws.title: k for k, ws in enumerate(wb.worksheets, start=1)}
    with zipfile.ZipFile(path) as zf:
        items = [(info, zf.read(info.filename)) for info in zf.infolist()]
    out = []
    for info, data in items:
        m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
        if m:
            title = next((t for t, k in index.items() if k == int(m.group(1))), None)
            cells = formula_cells.get(title or "", {})
            if cells:
                xml = data.decode("utf-8")
                for ref, f in cells.items():
                    xml = re.sub(rf'(<c r="{ref}"[^>]*>)(<v>)', lambda mm: mm.group(1) + f"<f>{html.escape(f)}</f>" + mm.group(2), xml, count=1)
                data = xml.encode("utf-8")
        out.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in out:
            zf.writestr(info, data)

