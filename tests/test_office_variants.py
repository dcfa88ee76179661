"""Real-world Word and Excel layouts read like the text they were made from.

Every labelled sample (golden/docs, eval/heldout/docs, eval/heldout2/docs; never eval/unseen) is read by the
text loader, rendered by tests/render.py into Word/Excel files laid out the way real files are (a table cut
into several Word tables, tables in text boxes or nested in a cell, titles inside the table, cell text in
several paragraphs, numbers typed with separators / full-width digits / 万元, 一、/（一）/ 1. drawn by Word list
numbering, tables typed as tab-separated paragraphs or imported as HTML (w:altChunk); one report per sheet, hidden
helper columns and rows, spacer columns, numbers stored as text, formulas with cached values, a header over
two rows, signature rows, .xls-era leftovers), extracted with the rules backend and scored with the
project's own scoring against the hand labels: strict indicator F1 within 0.02 of the .txt reading and the
same number of reports.  Loader-level tests below pin each layout rule on a small hand-made file.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from extractor.loaders import load

try:
    from tests.render import render_docx_variant, render_xlsx, render_xlsx_variant
except ImportError:  # tests/ itself on sys.path
    from render import render_docx_variant, render_xlsx, render_xlsx_variant

ROOT = Path(__file__).resolve().parents[1]
SETS = [ROOT / "golden", ROOT / "eval" / "heldout", ROOT / "eval" / "heldout2"]
# h05's .txt is a one-cell-per-line dump whose rubric table the text loader rebuilds with rows out of
# line (cells of one row spill into the next; extractor/layout.py).  The reader scores the .txt at 1.000
# only because extractor/recut.py re-cuts such line-break-only tables from their raw text; a real Word or
# Excel grid is taken as drawn.  A rendering of that SourceDoc would draw the misaligned rows into the
# file and test the text loader's recovery, not Word/Excel reading, so the sample is left out.
EXCLUDED = {"h05_shandong_jiaoyu_2021": "text loader misaligns its flat rubric table (layout.py); rendering would encode that"}
DOCS = sorted(p for s in SETS for p in (s / "docs").iterdir() if p.suffix in (".txt", ".md") and p.stem not in EXCLUDED)

VARIANTS = {
    # the plain layout of render_docx, drawn through the variant writer (same grid and merges, built in one
    # pass instead of render_docx's per-cell lookups, which cost seconds on the 70 kB sample)
    "docx": (render_docx_variant, {}),
    "docx-split": (render_docx_variant, {"split_rows": 6}),
    "docx-split-header": (render_docx_variant, {"split_rows": 6, "repeat_header": True}),
    "docx-split-jagged": (render_docx_variant, {"split_rows": 6, "jagged": True}),
    "docx-title-row": (render_docx_variant, {"title_in_table": True}),
    "docx-nested": (render_docx_variant, {"nested": True}),
    "docx-cell-paragraphs": (render_docx_variant, {"cell_paragraphs": True}),
    "docx-numbers": (render_docx_variant, {"numbers": True}),
    "docx-text-box": (render_docx_variant, {"text_boxes": True, "noise": True}),
    "docx-numbering": (render_docx_variant, {"numbering": True}),
    "docx-tab-rows": (render_docx_variant, {"tab_paragraphs": True}),
    "docx-altchunk": (render_docx_variant, {"alt_chunks": True}),
    "docx-all": (
        render_docx_variant,
        {"split_rows": 5, "repeat_header": True, "title_in_table": True, "cell_paragraphs": True, "numbers": True,
         "text_boxes": True, "noise": True, "numbering": True},
    ),
    "docx-nested-all": (
        render_docx_variant,
        {"nested": True, "title_in_table": True, "cell_paragraphs": True, "numbers": True, "text_boxes": True, "noise": True},
    ),
    "xlsx": (render_xlsx, {}),
    "xlsx-sheets": (render_xlsx_variant, {"sheet_per_report": True, "title_in_table": True}),
    "xlsx-hidden": (render_xlsx_variant, {"hidden": True, "spacer_cols": True}),
    "xlsx-values": (render_xlsx_variant, {"text_numbers": True, "formulas": True, "quirks": True}),
    "xlsx-two-row-header": (render_xlsx_variant, {"split_header": True, "signature": True}),
    "xlsx-all": (
        render_xlsx_variant,
        {"sheet_per_report": True, "title_in_table": True, "hidden": True, "spacer_cols": True, "text_numbers": True,
         "formulas": True, "split_header": True, "signature": True, "quirks": True},
    ),
}


def _gold_path(doc: Path) -> Path:
    return doc.parent.parent / f"{doc.stem}.json"


@pytest.fixture(scope="session")
def txt_readings():
    """stem -> (text SourceDoc, gold Document, strict F1 of the .txt reading, report count), built once."""
    from extractor.models import load_document
    from extractor.pipeline import ExtractOptions, extract_document
    from extractor.scoring import figures, score_document

    out = {}
    options = ExtractOptions(backend="rules")
    for doc in DOCS:
        gold = load_document(_gold_path(doc))
        reading = extract_document(doc, options, stem=doc.stem).document
        tally, _ = score_document(doc.stem, gold, reading)
        out[doc.stem] = (load(doc), gold, figures(tally)["strict_indicator_f1"], len(reading.reports))
    return out


def test_every_labelled_sample_is_used():
    assert len(DOCS) >= 17
    assert all(_gold_path(d).exists() for d in DOCS)
    assert not any("unseen" in d.parts for d in DOCS)


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("stem", [d.stem for d in DOCS])
def test_variant_scores_like_the_text(txt_readings, tmp_path, variant, stem):
    from extractor.pipeline import ExtractOptions, extract_document
    from extractor.scoring import figures, score_document

    source, gold, f_txt, n_txt = txt_readings[stem]
    render, kwargs = VARIANTS[variant]
    path = render(source, tmp_path / f"{stem}.{variant.split('-')[0]}", **kwargs)
    doc = load(path)
    _check_offsets(doc)
    reading = extract_document(path, ExtractOptions(backend="rules"), stem=stem).document
    tally, misses = score_document(stem, gold, reading)
    f = figures(tally)["strict_indicator_f1"]
    shown = "; ".join(f"{m.what} {m.where}" for m in misses[:4])
    assert f >= f_txt - 0.02, f"{stem} as {variant}: strict F1 {f:.3f} vs txt {f_txt:.3f} ({shown})"
    assert len(reading.reports) == n_txt, f"{stem} as {variant}: {len(reading.reports)} reports vs {n_txt} from the txt"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_offsets(doc) -> None:
    """Every block and cell points at its own text in SourceDoc.text (a cell or paragraph recovered from
    tab-typed lines spans its raw lines, so whitespace is ignored); xlsx blocks carry their sheet."""
    last = -1
    for b in doc.blocks:
        assert b.start >= last
        last = b.end
        if b.is_table:
            for row in b.rows:
                for c in row:
                    assert _flat(doc.text[c.start : c.end]) == _flat(c.text)
        else:
            assert _flat(doc.text[b.start : b.end]) == _flat(b.text)
        if doc.format == "xlsx":
            assert 1 <= b.page <= len(doc.meta["sheets"]) + len(doc.meta.get("hidden_sheets", []))


# --------------------------------------------------------------------------- the renderings hold their layout


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part).decode("utf-8")


def test_variants_have_their_layout(txt_readings, tmp_path):
    """The variants really lay the sample out as they claim (so the scores above test those layouts)."""
    source = txt_readings["h01_henan_jiaotong_2022"][0]
    split = _xml(render_docx_variant(source, tmp_path / "s.docx", split_rows=6, repeat_header=True), "word/document.xml")
    assert split.count("<w:tbl>") >= 4 and "w:tblHeader" in split
    boxed = _xml(render_docx_variant(source, tmp_path / "b.docx", text_boxes=True, noise=True), "word/document.xml")
    assert boxed.count("<w:txbxContent>") == 2 and "<w:sdt>" in boxed and boxed.count("<w:sectPr") >= 2
    nested = _xml(render_docx_variant(source, tmp_path / "n.docx", nested=True), "word/document.xml")
    assert re.search(r"<w:tc>(?:(?!</w:tc>).)*<w:tbl>", nested, re.S)
    titled = render_docx_variant(source, tmp_path / "t.docx", title_in_table=True)
    import docx

    rows = docx.Document(str(titled)).tables[0].rows[:3]
    assert all(len({c._tc for c in r.cells}) == 1 for r in rows[:2])  # title lines: one cell across the table
    assert any("绩效自评表" in r.cells[0].text for r in rows)
    xlsx = render_xlsx_variant(
        source, tmp_path / "x.xlsx", hidden=True, spacer_cols=True, formulas=True, split_header=True, quirks=True
    )
    sheet = _xml(xlsx, "xl/worksheets/sheet1.xml")
    assert 'hidden="1"' in sheet and "<f>" in sheet
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    assert [ws.sheet_state for ws in wb.worksheets].count("hidden") == 1
    multi = openpyxl.load_workbook(render_xlsx_variant(txt_readings["000_810d7b326acf2007"][0], tmp_path / "m.xlsx", sheet_per_report=True))
    assert len(multi.worksheets) >= 3


# --------------------------------------------------------------------------- loader rules, one by one

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _tables(doc):
    return [b for b in doc.blocks if b.is_table]


def _texts(block):
    return [[c.text for c in row] for row in block.rows]


def _indicator_doc():
    import docx

    d = docx.Document()
    d.add_paragraph("项目支出绩效自评表")
    return d


def _fill(table, rows):
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text:
                table.cell(i, j).text = text


def test_docx_table_split_over_word_tables_is_one_table(tmp_path):
    from docx.enum.text import WD_BREAK

    d = _indicator_doc()
    _fill(d.add_table(rows=2, cols=3), [["三级指标", "指标值", "实际完成值"], ["培训次数", "≥2次", "3次"]])
    d.add_paragraph("")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _fill(d.add_table(rows=2, cols=3), [["三级指标", "指标值", "实际完成值"], ["合格率", "100%", "100%"]])  # header repeated
    d.add_paragraph("说明：无")
    d.save(tmp_path / "split.docx")
    doc = load(tmp_path / "split.docx")
    (table,) = _tables(doc)
    assert _texts(table) == [["三级指标", "指标值", "实际完成值"], ["培训次数", "≥2次", "3次"], ["合格率", "100%", "100%"]]
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph"]


def test_docx_next_form_or_other_width_is_not_joined(tmp_path):
    d = _indicator_doc()
    _fill(d.add_table(rows=2, cols=2), [["项目名称", "甲项目"], ["主管部门", "某局"]])
    d.add_paragraph("")
    _fill(d.add_table(rows=2, cols=2), [["项目名称", "乙项目"], ["主管部门", "某局"]])  # the next report's form
    d.add_paragraph("")
    _fill(d.add_table(rows=2, cols=2), [["转移支付（项目）名称", "丙资金"], ["主管部门", "某局"]])  # full-width brackets
    _fill(d.add_table(rows=1, cols=3), [["三级指标", "指标值", "完成值"]])  # another width
    d.save(tmp_path / "two.docx")
    assert [len(t.rows) for t in _tables(load(tmp_path / "two.docx"))] == [2, 2, 2, 1]


def test_docx_table_in_text_box_is_read_once_as_a_table(tmp_path):
    try:
        from tests.render import _into_text_box
    except ImportError:
        from render import _into_text_box

    d = _indicator_doc()
    p = d.add_paragraph("正文")
    t = d.add_table(rows=2, cols=2)
    _fill(t, [["三级指标", "指标值"], ["培训次数", "≥2次"]])
    _into_text_box(d, [t._tbl], 1)
    d.add_paragraph("后记")
    d.save(tmp_path / "box.docx")
    doc = load(tmp_path / "box.docx")
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph", "table", "paragraph"]
    assert _texts(_tables(doc)[0]) == [["三级指标", "指标值"], ["培训次数", "≥2次"]]
    assert doc.text.count("培训次数") == 1  # the VML fallback copy is not read again
    assert p.text == "正文"


def test_docx_nested_indicator_table_is_spliced_into_the_outer_grid(tmp_path):
    d = _indicator_doc()
    outer = d.add_table(rows=2, cols=3)
    _fill(outer, [["项目名称", "甲项目", ""]])
    outer.cell(0, 1).merge(outer.cell(0, 2))
    outer.cell(1, 0).text = "绩效指标"
    cell = outer.cell(1, 1).merge(outer.cell(1, 2))
    inner = cell.add_table(rows=3, cols=2)
    _fill(inner, [["三级指标", "指标值"], ["培训次数", "≥2次"], ["合格率", "100%"]])
    d.save(tmp_path / "nested.docx")
    (table,) = _tables(load(tmp_path / "nested.docx"))
    assert _texts(table) == [["项目名称", "甲项目", ""], ["绩效指标", "三级指标", "指标值"], ["", "培训次数", "≥2次"], ["", "合格率", "100%"]]


def test_docx_title_row_inside_the_table_is_a_paragraph(tmp_path):
    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "项目支出绩效自评表"
    _fill(t, [[], ["项目名称", "甲项目", "乙"], ["三级指标", "指标值", "完成值"]])
    d.save(tmp_path / "title.docx")
    doc = load(tmp_path / "title.docx")
    assert [b.kind for b in doc.blocks] == ["paragraph", "table"]
    assert doc.blocks[0].text == "项目支出绩效自评表"
    assert len(doc.blocks[1].rows) == 2


def test_xlsx_hidden_rows_and_columns_are_not_read(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [["三级指标", "辅助", "指标值"], ["培训次数", "x1", "≥2次"], ["（已取消）旧指标", "x2", "≥1次"], ["合格率", "x3", "100%"]]
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=text)
    ws.column_dimensions["B"].hidden = True
    ws.row_dimensions[3].hidden = True
    ws["A6"] = "一级指标"
    ws.merge_cells("A6:C6")
    ws["A7"], ws["C7"] = "产出指标", "数量"
    ws.row_dimensions[6].hidden = False
    wb.save(tmp_path / "h.xlsx")
    doc = load(tmp_path / "h.xlsx")
    assert "辅助" not in doc.text and "旧指标" not in doc.text
    assert _texts(_tables(doc)[0]) == [["三级指标", "指标值"], ["培训次数", "≥2次"], ["合格率", "100%"]]


def test_xlsx_merged_text_of_a_hidden_top_left_cell_shows_in_the_first_visible_cell(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"] = "一级指标", "三级指标", "指标值"
    ws["A2"] = "产出指标"
    ws.merge_cells("A2:A4")
    for r, (name, value) in enumerate([("旧", "1"), ("培训次数", "≥2次"), ("合格率", "100%")], start=2):
        ws.cell(row=r, column=2, value=name)
        ws.cell(row=r, column=3, value=value)
    ws.row_dimensions[2].hidden = True
    wb.save(tmp_path / "m.xlsx")
    (table,) = _tables(load(tmp_path / "m.xlsx"))
    assert _texts(table) == [["一级指标", "三级指标", "指标值"], ["产出指标", "培训次数", "≥2次"], ["", "合格率", "100%"]]


def test_xlsx_sheet_name_heads_only_a_sheet_without_its_own_title(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "关于某项目绩效自评情况的报告"
    ws["A2"] = "项目名称：某项目"
    two = wb.create_sheet("甲项目支出绩效自评表")
    two["A1"], two["B1"] = "项目名称", "甲项目"
    wb.save(tmp_path / "n.xlsx")
    doc = load(tmp_path / "n.xlsx")
    paras = [b.text for b in doc.blocks if not b.is_table]
    assert paras == ["关于某项目绩效自评情况的报告", "项目名称：某项目", "甲项目支出绩效自评表"]
    assert doc.meta["sheets"] == ["自评表", "甲项目支出绩效自评表"]
    assert [b.page for b in doc.blocks] == [1, 1, 2, 2]


def test_xlsx_escaped_line_breaks_of_old_files_are_line_breaks(tmp_path):
    """Strings saved by .xls-era tools carry their carriage returns as _x000D_ (openpyxl keeps it literally)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "年度总体目标", "目标1：完成养护_x000D_\n目标2：群众满意"
    ws["A2"], ws["B2"] = "三级指标", "培训_x000D_\n次数"
    wb.save(tmp_path / "x.xlsx")
    doc = load(tmp_path / "x.xlsx")
    assert "_x000D_" not in doc.text
    assert _texts(_tables(doc)[0]) == [["年度总体目标", "目标1：完成养护目标2：群众满意"], ["三级指标", "培训次数"]]


def test_docx_list_numbering_is_part_of_the_text(tmp_path):
    """一、/（一） drawn by Word from numbering.xml (directly or through a heading style) are read into the text."""
    import docx
    from docx.oxml import parse_xml

    try:
        from tests.render import _add_numbering_definition
    except ImportError:
        from render import _add_numbering_definition

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    _add_numbering_definition(d)  # list 90: 一、 / （一） / 1. / （1）
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(f'<w:num {w} w:numId="91"><w:abstractNumId w:val="90"/>'
                               f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="11"/></w:lvlOverride></w:num>'))
    d.styles["Heading 1"].element.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:numId w:val="90"/></w:numPr>'))

    def numbered(text, num, level):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'))

    d.add_heading("基本情况", level=1)
    numbered("年度目标", 90, 1)
    numbered("完成情况", 90, 1)
    d.add_heading("绩效指标", level=1)
    numbered("产出指标", 90, 1)  # restarts under the new heading
    numbered("数量", 90, 3)
    numbered("另一清单", 91, 0)  # another list starting at 11
    d.add_paragraph("正文不编号")
    d.save(tmp_path / "num.docx")
    paras = [b.text for b in load(tmp_path / "num.docx").blocks]
    assert paras == ["一、基本情况", "（一）年度目标", "（二）完成情况", "二、绩效指标", "（一）产出指标", "（1）数量", "十一、另一清单", "正文不编号"]


def test_docx_rows_in_a_content_control_and_hidden_runs(tmp_path):
    """Rows wrapped in a repeating-section content control are rows; hidden (w:vanish) hints are not text."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    d = _indicator_doc()
    t = d.add_table(rows=4, cols=2)
    _fill(t, [["三级指标", "指标值"], ["培训次数", "≥2次"], ["合格率", "100%"], ["满意度", "≥90%"]])
    t.cell(2, 1).paragraphs[0].add_run("（请填写百分比）").font.hidden = True
    sdt = parse_xml(f'<w:sdt {W_NS}><w:sdtPr/><w:sdtContent/></w:sdt>')
    rows = t._tbl.findall(qn("w:tr"))
    rows[1].addprevious(sdt)
    for tr in rows[1:3]:
        sdt.find(qn("w:sdtContent")).append(tr)
    d.save(tmp_path / "sdt.docx")
    doc = load(tmp_path / "sdt.docx")
    assert _texts(_tables(doc)[0]) == [["三级指标", "指标值"], ["培训次数", "≥2次"], ["合格率", "100%"], ["满意度", "≥90%"]]
    assert "请填写" not in doc.text
    assert "请填写百分比" in _xml(tmp_path / "sdt.docx", "word/document.xml")  # the file holds it
    assert len(docx.Document(str(tmp_path / "sdt.docx")).tables[0].rows) == 2  # python-docx alone misses the wrapped rows


def test_docx_rows_typed_with_tabs_are_a_table_and_indented_prose_is_not(tmp_path):
    import docx

    d = docx.Document()
    for text in ["填报人：张三\t联系电话：0000-1234567", "\t根据通知要求，现将自评情况报告如下。", "一、\t基本情况", "（一）\t自评结论",
                 "序号\t项目名称\t预算数\t执行数", "1\t农村公路养护\t385\t371.25", "2\t安保工程\t120\t98.6"]:
        d.add_paragraph(text)
    d.save(tmp_path / "tabs.docx")
    doc = load(tmp_path / "tabs.docx")
    assert [b.kind for b in doc.blocks] == ["paragraph"] * 4 + ["table"]
    assert doc.blocks[0].text == "填报人：张三 联系电话：0000-1234567"  # one tab-spaced line is no table
    assert doc.blocks[1].text == "根据通知要求，现将自评情况报告如下。"  # a tab as indentation is no column
    assert doc.blocks[2].text == "一、 基本情况"  # nor is the tab after a typed enumerator
    assert _texts(doc.blocks[4]) == [["序号", "项目名称", "预算数", "执行数"], ["1", "农村公路养护", "385", "371.25"], ["2", "安保工程", "120", "98.6"]]
    _check_offsets(doc)


def test_docx_odd_numbering_definitions_do_not_stop_reading(tmp_path):
    """A list level out of range, a missing list, a numbering part without levels: the text is still read."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {w} w:abstractNumId="88"><w:lvl w:ilvl="12"><w:numFmt w:val="decimal"/>'
                                  f'<w:lvlText w:val="%13."/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="77"><w:abstractNumId w:val="999"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="78"><w:abstractNumId w:val="88"/></w:num>'))
    for text, num, level in [("甲", "77", "0"), ("乙", "12345", "0"), ("丙", "78", "12"), ("丁", "1", "x")]:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'))
    d.save(tmp_path / "odd.docx")
    assert [b.text.strip(" .") [-1] for b in load(tmp_path / "odd.docx").blocks] == ["甲", "乙", "丙", "丁"]


def _grid(table, widths) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    grid = table._tbl.find(qn("w:tblGrid"))
    for col in list(grid):
        grid.remove(col)
    for w in widths:
        grid.append(parse_xml(f'<w:gridCol {W_NS} w:w="{w}"/>'))


def test_docx_continuation_with_its_own_grid_joins_by_position(tmp_path):
    """Each page's table converted on its own: the continuation has a sliver column; its cells go to
    the columns at the same place.  A table with other columns (edges elsewhere) stays a table of its own."""
    d = _indicator_doc()
    a = d.add_table(rows=2, cols=3)
    _fill(a, [["三级指标", "指标值", "实际完成值"], ["培训次数", "≥2次", "3次"]])
    _grid(a, [3000, 3000, 3000])
    d.add_paragraph("")
    b = d.add_table(rows=1, cols=4)
    _fill(b, [["合格率", "", "100%", "100%"]])
    _grid(b, [2850, 150, 3000, 3000])
    d.add_paragraph("")
    c = d.add_table(rows=1, cols=2)
    _fill(c, [["合计", "90"]])
    _grid(c, [4500, 4500])
    d.save(tmp_path / "jag.docx")
    tables = _tables(load(tmp_path / "jag.docx"))
    assert [_texts(t) for t in tables] == [
        [["三级指标", "指标值", "实际完成值"], ["培训次数", "≥2次", "3次"], ["合格率", "100%", "100%"]],
        [["合计", "90"]],
    ]


def test_docx_html_imported_through_alt_chunk_is_read(tmp_path):
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("项目支出绩效自评表")
    page = ("<html><body><p>单位：万元</p><table><tr><td>三级指标</td><td>指标值</td></tr>"
            "<tr><td>培训次数</td><td>&ge;2次</td></tr></table></body></html>").encode("utf-8")
    rid = d.part.relate_to(Part(PackURI("/word/chunk1.htm"), "text/html", page, d.part.package), RT.A_F_CHUNK)
    d.element.body.sectPr.addprevious(parse_xml(
        f'<w:altChunk {W_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'))
    d.add_paragraph("说明：无")
    d.save(tmp_path / "chunk.docx")
    doc = load(tmp_path / "chunk.docx")
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph", "table", "paragraph"]
    assert doc.blocks[1].text == "单位：万元"
    assert _texts(doc.blocks[2]) == [["三级指标", "指标值"], ["培训次数", "≥2次"]]
    _check_offsets(doc)
