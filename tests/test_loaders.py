"""Loaders on small documents built here (docx, xlsx, PDF) and every bad input -> one-line LoadError."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.loaders import SUPPORTED_SUFFIXES, load
from extractor.source import LoadError, SourceDoc


def _tables(doc: SourceDoc):
    return [b for b in doc.blocks if b.is_table]


def _texts(block) -> list[list[str]]:
    return [[c.text for c in row] for row in block.rows]


def _check_offsets(doc: SourceDoc) -> None:
    """Every block and cell points at its own text in doc.text; blocks in order, not overlapping."""
    last_end = -1
    for b in doc.blocks:
        assert 0 <= b.start <= b.end <= len(doc.text)
        assert b.start >= last_end, "blocks overlap or are out of order"
        last_end = b.end
        if b.is_table:
            assert b.text == doc.text[b.start : b.end]
            for row in b.rows:
                for c in row:
                    assert b.start <= c.start <= c.end <= b.end
                    assert doc.text[c.start : c.end] == c.text
                    assert "\n" not in c.text and "\t" not in c.text
        else:
            assert doc.text[b.start : b.end] == b.text
            assert "\n" not in b.text


# --------------------------------------------------------------------------- docx


def _docx_with_merges(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("项目支出绩效自评表")
    t = d.add_table(rows=5, cols=5)
    t.style = "Table Grid"
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
        ["产出指标", "数量指标", "培训次数", "≥2次", "3次"],
        ["", "质量指标", "验收合格率", "=100%", "100%"],
        ["", "时效指标", "完成及时率", "100%", "100%"],
        ["合计", "", "", "", "90"],
    ]
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text:
                t.cell(i, j).text = text
    merged = t.cell(1, 0).merge(t.cell(3, 0))  # vertically merged 一级指标
    merged.text = "产出指标"
    span = t.cell(4, 0).merge(t.cell(4, 3))  # 合计 across four columns
    span.text = "合计"
    cell = t.cell(2, 4)
    cell.text = "第一段"
    cell.add_paragraph("第二段")  # two paragraphs in one cell -> joined
    d.add_paragraph("说明：以上为自评结果。")
    d.save(path)
    return path


def test_docx_body_order_and_merges(tmp_path):
    doc = load(_docx_with_merges(tmp_path / "a.docx"))
    assert doc.format == "docx"
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph"]
    assert doc.blocks[0].text == "项目支出绩效自评表"
    assert doc.blocks[2].text == "说明：以上为自评结果。"
    rows = _texts(doc.blocks[1])
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"]
    assert [r[0] for r in rows[1:4]] == ["产出指标", "", ""]  # merged: text once, top-left
    assert rows[2][1:] == ["质量指标", "验收合格率", "=100%", "第一段第二段"]
    assert rows[4] == ["合计", "", "", "", "90"]
    assert all(len(r) == 5 for r in rows)
    _check_offsets(doc)


def test_docx_nested_table_text_is_kept_in_cell(tmp_path):
    import docx

    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "外层"
    inner = t.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内层甲"
    inner.cell(0, 1).text = "内层乙"
    d.save(tmp_path / "n.docx")
    doc = load(tmp_path / "n.docx")
    (table,) = _tables(doc)
    assert table.rows[0][0].text == "外层"
    assert "内层甲" in table.rows[0][1].text and "内层乙" in table.rows[0][1].text
    _check_offsets(doc)


# --------------------------------------------------------------------------- xlsx


def _xlsx_with_formats(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目自评"
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:E1")
    ws["A2"] = "单位：万元"
    header = ["一级指标", "三级指标", "指标值", "完成值", "金额"]
    for j, h in enumerate(header, start=1):
        ws.cell(row=3, column=j, value=h)
    ws["A4"] = "产出指标"
    ws.merge_cells("A4:A6")
    data = [
        ("参保率", 1, "0%", 0.955, "0.00%", 973.9, "0.00"),
        ("覆盖率", 0.9, "0%", 1, "0%", 1286400, "#,##0"),
        ("完成日期", "≥90%", None, dt.datetime(2021, 12, 31), 'yyyy"年"m"月"d"日"', 52, '0"万元"'),
    ]
    for i, (name, tgt, tfmt, act, afmt, amount, mfmt) in enumerate(data, start=4):
        ws.cell(row=i, column=2, value=name)
        c = ws.cell(row=i, column=3, value=tgt)
        if tfmt:
            c.number_format = tfmt
        c = ws.cell(row=i, column=4, value=act)
        c.number_format = afmt
        c = ws.cell(row=i, column=5, value=amount)
        c.number_format = mfmt
    # an empty row, then a second table
    ws["A8"] = "合计"
    ws["B8"] = 117.8
    ws["C8"] = 0.1 + 0.2
    ws2 = wb.create_sheet("空表")
    ws3 = wb.create_sheet("隐藏")
    ws3["A1"] = "不应出现"
    ws3["B1"] = "x"
    ws3.sheet_state = "hidden"
    del ws2
    wb.save(path)
    return path


def test_xlsx_display_values_merges_and_tables(tmp_path):
    doc = load(_xlsx_with_formats(tmp_path / "b.xlsx"))
    assert doc.format == "xlsx"
    paras = [b.text for b in doc.blocks if not b.is_table]
    assert paras[:2] == ["项目支出绩效自评表", "单位：万元"]
    assert "项目自评" not in paras  # the sheet opens with its own title: no tab label above it
    assert "空表" in paras
    assert "不应出现" not in doc.text
    assert doc.meta["hidden_sheets"] == ["隐藏"]
    tables = _tables(doc)
    assert len(tables) == 2  # split at the empty row
    rows = _texts(tables[0])
    assert rows[0] == ["一级指标", "三级指标", "指标值", "完成值", "金额"]
    assert rows[1] == ["产出指标", "参保率", "100%", "95.50%", "973.90"]
    assert rows[2] == ["", "覆盖率", "90%", "100%", "1,286,400"]  # merged A4:A6: empty below
    assert rows[3] == ["", "完成日期", "≥90%", "2021年12月31日", "52万元"]
    assert _texts(tables[1]) == [["合计", "117.8", "0.3"]]
    assert all(b.page == 1 for b in tables)
    _check_offsets(doc)


@pytest.mark.parametrize(
    "value,fmt,shown",
    [
        (1, "0%", "100%"),
        (0.955, "0.00%", "95.50%"),
        (0.5, "0.0%", "50.0%"),
        (973.9, "0.00", "973.90"),
        (1234567.891, "#,##0.00", "1,234,567.89"),
        (-3, "0.00_);(0.00)", "(3.00)"),
        (0, '0.00;-0.00;"—"', "—"),
        (2.5, "0", "3"),
        (117.8, "General", "117.8"),
        (52.5, '0.0"万元"', "52.5万元"),
        (0.12345, "0.00##", "0.1235"),
        (44561, "yyyy-mm-dd", "2021-12-31"),
    ],
)
def test_xlsx_number_formats(value, fmt, shown):
    from extractor.loaders.xlsx import display

    assert display(value, fmt) == shown


# --------------------------------------------------------------------------- pdf


_CSS = "table{border-collapse:collapse} td{border:0.8pt solid black; padding:2pt; font-size:9pt}"


def _story_pdf(path: Path, html: str, css: str = _CSS) -> Path:
    import pymupdf

    story = pymupdf.Story(html, user_css=css)
    writer = pymupdf.DocumentWriter(str(path))
    mediabox = pymupdf.paper_rect("a4")
    more = True
    while more:
        dev = writer.begin_page(mediabox)
        more, _ = story.place(mediabox + (40, 40, -40, -40))
        story.draw(dev)
        writer.end_page()
    writer.close()
    return path


def test_pdf_ruled_table_with_row_span(tmp_path):
    html = """<h2>项目支出绩效自评表</h2><p>(2021年度)</p>
    <table>
    <tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标值</td></tr>
    <tr><td rowspan="2">产出指标</td><td>数量指标</td><td>开展宣传活动次数</td><td>≥2次</td></tr>
    <tr><td>质量指标</td><td>医保信息系统正常运行率</td><td>≥90%</td></tr>
    </table><p>填表人：张三</p>"""
    doc = load(_story_pdf(tmp_path / "c.pdf", html))
    assert doc.format == "pdf"
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["paragraph", "paragraph", "table", "paragraph"]
    assert [b.text for b in doc.blocks if not b.is_table] == ["项目支出绩效自评表", "(2021年度)", "填表人：张三"]
    (table,) = _tables(doc)
    assert _texts(table) == [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "开展宣传活动次数", "≥2次"],
        ["", "质量指标", "医保信息系统正常运行率", "≥90%"],
    ]
    assert all(c.page == 1 for row in table.rows for c in row) and table.page == 1
    _check_offsets(doc)


def test_pdf_wrapped_cell_text_joined_without_spaces(tmp_path):
    long = "全区在册满足条件的申请精神障碍医疗救助的精神障碍患者应救尽救保证救助质量"
    html = f"<table><tr><td>三级指标</td><td>指标值</td></tr><tr><td style='width:60pt'>{long}</td><td>应救尽救</td></tr></table>"
    doc = load(_story_pdf(tmp_path / "w.pdf", html))
    (table,) = _tables(doc)
    assert table.rows[1][0].text == long
    _check_offsets(doc)


def test_pdf_table_continued_on_next_page_is_one_table(tmp_path):
    rows = "".join(f"<tr><td>指标{i}</td><td>{i}次</td><td>完成</td></tr>" for i in range(1, 90))
    html = f"<p>标题</p><table><tr><td>三级指标</td><td>指标值</td><td>完成值</td></tr>{rows}</table><p>结束</p>"
    doc = load(_story_pdf(tmp_path / "long.pdf", html))
    assert doc.meta["pages"] >= 2
    (table,) = _tables(doc)
    assert len(table.rows) == 90
    assert [r[0].text for r in table.rows[1:]] == [f"指标{i}" for i in range(1, 90)]
    pages = {c.page for row in table.rows for c in row}
    assert pages >= {1, 2}
    assert table.rows[-1][0].page == doc.meta["pages"]
    assert doc.blocks[-1].text == "结束" and doc.blocks[-1].page == doc.meta["pages"]
    _check_offsets(doc)


def test_pdf_prose_lines_rejoined_but_items_kept_apart(tmp_path):
    para = "本部门按要求对年度部门整体支出绩效评价情况开展自评，" * 6
    html = f"<p>一、基本情况</p><p>{para}</p><p>1、第一项工作已完成。</p><p>2、第二项工作已完成。</p>"
    doc = load(_story_pdf(tmp_path / "p.pdf", html))
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "一、基本情况"
    assert para.rstrip("，") in texts[1].replace(" ", "")
    assert texts[-2:] == ["1、第一项工作已完成。", "2、第二项工作已完成。"]
    _check_offsets(doc)


def test_pdf_scanned_without_tesseract_says_what_to_install(tmp_path, monkeypatch):
    import pymupdf

    from extractor.loaders import pdf as pdf_loader

    src = _story_pdf(tmp_path / "v.pdf", "<p>部门整体绩效自评表</p>")
    pix = pymupdf.open(src)[0].get_pixmap(dpi=72)
    out = pymupdf.open()
    page = out.new_page()
    page.insert_image(page.rect, stream=pix.tobytes("png"))
    out.save(tmp_path / "scan.pdf")
    monkeypatch.setattr(pdf_loader, "find_tessdata", lambda: None)
    with pytest.raises(LoadError) as err:
        load(tmp_path / "scan.pdf")
    msg = str(err.value)
    assert "no text layer: OCR needs Tesseract (apt-get install tesseract-ocr tesseract-ocr-chi-sim)" in msg
    assert "\n" not in msg


# --------------------------------------------------------------------------- bad inputs


def _pdf_bytes(tmp_path: Path) -> bytes:
    return _story_pdf(tmp_path / "ok.pdf", "<p>部门整体绩效自评表</p><table><tr><td>a</td><td>b</td></tr></table>").read_bytes()


def _encrypted_pdf(tmp_path: Path) -> Path:
    import pymupdf

    doc = pymupdf.open(_story_pdf(tmp_path / "plain.pdf", "<p>保密</p>"))
    out = tmp_path / "locked.pdf"
    doc.save(out, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    return out


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _bad_cases(tmp_path: Path) -> list[tuple[Path, str, dict]]:
    ok_pdf = _pdf_bytes(tmp_path)
    good_docx = _docx_with_merges(tmp_path / "good.docx").read_bytes()
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    cases = [
        (_write(tmp_path, "empty.txt", b""), r"empty file", {}),
        (_write(tmp_path, "empty.pdf", b""), r"empty file", {}),
        (_write(tmp_path, "empty.docx", b""), r"empty file", {}),
        (_write(tmp_path, "blank.pdf", b"   \n\n  "), r"empty PDF", {}),
        (_write(tmp_path, "random.pdf", bytes(range(256)) * 8), r"not a PDF file", {}),
        (_write(tmp_path, "cut.pdf", ok_pdf[: len(ok_pdf) // 2]), r"truncated PDF", {}),
        (_encrypted_pdf(tmp_path), r"encrypted; remove the password first", {}),
        (_write(tmp_path, "table.ods", b"PK\x03\x04"), r"unsupported file type.*\.txt.*\.csv.*\.pdf.*\.docx.*\.xlsx", {}),
        (_write(tmp_path, "noext", b"hello"), r"unsupported file type \(no extension\)", {}),
        (_write(tmp_path, "big.txt", "部门整体绩效".encode() * 40000), r"over the 0\.1 MB limit", {"max_mb": 0.1}),
        (_write(tmp_path, "old.doc", ole), r"\.doc.*save as \.docx", {}),
        (_write(tmp_path, "old.xls", ole), r"\.xls.*save as \.xlsx", {}),
        (_write(tmp_path, "renamed.docx", ole + "WordDocument".encode("utf-16-le")), r"legacy Word.*\.docx", {}),
        (_write(tmp_path, "locked.xlsx", ole + "EncryptedPackage".encode("utf-16-le")), r"encrypted; remove the password first", {}),
        (_write(tmp_path, "random.docx", bytes(range(256)) * 4), r"not a valid \.docx file", {}),
        (_write(tmp_path, "random.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4), r"damaged or truncated", {}),
        (_write(tmp_path, "cut.docx", good_docx[: len(good_docx) // 2]), r"damaged or truncated", {}),
        (_write(tmp_path, "zip.xlsx", _zip_bytes(tmp_path)), r"not a valid \.xlsx file", {}),
    ]
    return cases


def _zip_bytes(tmp_path: Path) -> bytes:
    p = tmp_path / "other.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("readme.txt", "not an office file")
    return p.read_bytes()


def test_every_bad_input_is_one_line_load_error(tmp_path):
    for path, pattern, kwargs in _bad_cases(tmp_path):
        try:
            load(path, **kwargs)
        except LoadError as err:
            msg = str(err)
            assert "\n" not in msg, (path.name, msg)
            assert path.name in msg, (path.name, msg)
            assert re.search(pattern, msg), (path.name, msg)
        except Exception as err:  # pragma: no cover - the failure being tested for
            pytest.fail(f"{path.name}: {type(err).__name__} escaped instead of LoadError: {err}")
        else:
            pytest.fail(f"{path.name}: no LoadError")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load(tmp_path / "nope.pdf")
    d = tmp_path / "dir.pdf"
    d.mkdir()
    with pytest.raises(LoadError, match="directory"):
        load(d)


def test_supported_suffixes_listed():
    assert {".txt", ".md", ".pdf", ".docx", ".xlsx", ".xlsm"} <= set(SUPPORTED_SUFFIXES)


def test_misnamed_file_is_read_by_its_content(tmp_path):
    data = _docx_with_merges(tmp_path / "real.docx").read_bytes()
    doc = load(_write(tmp_path, "misnamed.pdf", data))
    assert doc.format == "docx" and _tables(doc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=3000), suffix=st.sampled_from([".pdf", ".docx", ".xlsx", ".xlsm", ".xls", ".doc"]),
       prefix=st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<html><table><tr><td rowspan=99999999>"]))
def test_arbitrary_bytes_never_escape_as_other_exceptions(tmp_path, data, suffix, prefix):
    p = tmp_path / f"fuzz{suffix}"
    p.write_bytes(prefix + data)
    try:
        doc = load(p)
    except LoadError as err:
        assert "\n" not in str(err)
    else:
        assert isinstance(doc, SourceDoc)


def test_mutilated_real_files_never_escape(tmp_path):
    """Real documents with bytes flipped or cut anywhere: SourceDoc or LoadError, nothing else."""
    import random

    rnd = random.Random(7)
    originals = {
        ".pdf": _pdf_bytes(tmp_path),
        ".docx": _docx_with_merges(tmp_path / "m.docx").read_bytes(),
        ".xlsx": _xlsx_with_formats(tmp_path / "m.xlsx").read_bytes(),
    }
    for suffix, data in originals.items():
        for k in range(15):
            b = bytearray(data)
            if k % 3 == 0:
                b = b[: rnd.randrange(1, len(b))]
            else:
                for _ in range(rnd.randrange(1, 40)):
                    b[rnd.randrange(len(b))] = rnd.randrange(256)
            p = tmp_path / f"mut{k}{suffix}"
            p.write_bytes(bytes(b))
            try:
                load(p)
            except LoadError as err:
                assert "\n" not in str(err)


def test_macro_enabled_word_document_is_read(tmp_path):
    src = _docx_with_merges(tmp_path / "a.docx")
    out = tmp_path / "b.docm"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            zout.writestr(info, data)
    doc = load(out)
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph"]
    assert _texts(_tables(doc)[0])[1][0] == "产出指标"


@pytest.mark.parametrize("rotation", [90, 270])
def test_pdf_landscape_table_on_rotated_page(tmp_path, rotation):
    """A landscape form drawn sideways on a portrait page with /Rotate (as many exports do) reads upright."""
    import pymupdf

    html = """<p>标题行</p><table><tr><td>一级指标</td><td>三级指标</td><td>指标值</td></tr>
    <tr><td>产出指标</td><td>培训次数</td><td>≥2次</td></tr></table><p>结尾</p>"""
    src = pymupdf.open(_story_pdf(tmp_path / "land.pdf", html))
    out = pymupdf.open()
    page = out.new_page(width=595, height=842)
    page.show_pdf_page(page.rect, src, 0, rotate=rotation)
    page.set_rotation(rotation)
    out.save(tmp_path / "rot.pdf")
    doc = load(tmp_path / "rot.pdf")
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph"]
    assert _texts(doc.blocks[1]) == [["一级指标", "三级指标", "指标值"], ["产出指标", "培训次数", "≥2次"]]
    assert doc.blocks[0].text == "标题行" and doc.blocks[2].text == "结尾"
    _check_offsets(doc)


def test_pdf_running_header_and_page_numbers_dropped_and_table_continues(tmp_path):
    """A header line repeated at the top of every page and page numbers at the bottom are page furniture."""
    import pymupdf

    rows = "".join(f"<tr><td>指标{i}</td><td>{i}次</td><td>完成</td></tr>" for i in range(1, 120))
    html = f"<table><tr><td>三级指标</td><td>指标值</td><td>完成值</td></tr>{rows}</table><p>结束语</p>"
    body = _story_pdf(tmp_path / "body.pdf", html)
    doc = pymupdf.open(body)
    for n, page in enumerate(doc, start=1):
        page.insert_text((200, 25), "某某县医疗保障局2021年度绩效自评", fontname="china-s", fontsize=9)
        page.insert_text((290, 825), f"- {n} -", fontsize=9)
    doc.save(tmp_path / "furniture.pdf")
    assert doc.page_count >= 3
    loaded = load(tmp_path / "furniture.pdf")
    assert "某某县医疗保障局2021年度绩效自评" not in loaded.text
    assert not re.search(r"-\s*\d+\s*-", loaded.text)
    (table,) = _tables(loaded)
    assert len(table.rows) == 120
    assert loaded.blocks[-1].text == "结束语"


def test_pdf_undecodable_text_layer_is_not_taken_as_text():
    """Glyphs without a Unicode map come out as U+FFFD / private-use codes: that page needs OCR."""
    from extractor.loaders.pdf import _garbled, _Line, _Para, _Table

    def para(*texts):
        return _Para([_Line(t, 0, 100, 0, 10, 10) for t in texts], 1, 0)

    bad = "".join(chr(0xE000 + j) for j in range(40))
    assert _garbled([para(bad, "第1页")])
    assert _garbled([para("\ufffd" * 30), _Table([["\ufffd" * 10, "a"]], 1, 0, 10)])
    assert not _garbled([para("部门整体绩效自评表", "（2021年度）" * 5, bad[:5])])
    assert not _garbled([para(bad[:10])])  # too little to judge


def test_xlsx_formula_without_saved_value_is_reported(tmp_path):
    """openpyxl writes formulas without cached values: the cell reads empty and meta says why."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["三级指标", "分值", "得分"])
    ws.append(["培训次数", 10, 9])
    ws.append(["合计", "=SUM(B2:B2)", "=SUM(C2:C2)", "满分"])
    wb.save(tmp_path / "f.xlsx")
    doc = load(tmp_path / "f.xlsx")
    (table,) = _tables(doc)
    assert _texts(table)[2] == ["合计", "", "", "满分"]
    assert doc.meta["formulas_without_values"] == 2
    assert "no saved value" in doc.meta["warning"]


def test_pdf_unruled_table_recovered_from_column_gaps(tmp_path):
    """No ruling lines: wide gaps become tabs and layout.blocks_from_text finds the table."""
    rows = "".join(
        f"<tr><td>产出指标</td><td>数量指标</td><td>培训次数{i}</td><td>≥{i}次</td><td>{i}次</td></tr>" for i in range(1, 6)
    )
    html = (
        "<p>项目绩效自评表</p><table><tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标值</td>"
        f"<td>实际完成值</td></tr>{rows}</table><p>结尾</p>"
    )
    doc = load(_story_pdf(tmp_path / "unruled.pdf", html, css="td{padding:2pt 6pt; font-size:9pt}"))
    (table,) = _tables(doc)
    rows_out = _texts(table)
    assert rows_out[0] == ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"]
    assert rows_out[3] == ["产出指标", "数量指标", "培训次数3", "≥3次", "3次"]
    assert len(rows_out) == 6
    assert doc.blocks[0].text == "项目绩效自评表" and doc.blocks[-1].text == "结尾"
    assert all(b.page == 1 for b in doc.blocks)


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("| 国家医保局 |", "国家医保局"),
        ("”国家医保 ”局", "国家医保局"),
        ("三60分钟", "≥60分钟"),
        ("二 2次", "≥2次"),
        ("=100%", "=100%"),
        ("深入开展“三假”治理", "深入开展“三假”治理"),
        ("医保 信息 系统", "医保信息系统"),
        ("DRG 试点", "DRG试点"),
    ],
)
def test_ocr_text_cleanup(raw, clean):
    from extractor.loaders.pdf import _fix_ocr

    assert _fix_ocr(raw) == clean


def test_pdf_spaced_out_chinese_labels_read_as_words(tmp_path):
    html = "<p>部 门 整 体 绩 效 自 评 表</p><table><tr><td>项 目 名 称</td><td>医保 network 维护</td></tr></table>"
    doc = load(_story_pdf(tmp_path / "spaced.pdf", html))
    assert doc.blocks[0].text == "部门整体绩效自评表"
    (table,) = _tables(doc)
    assert _texts(table) == [["项目名称", "医保 network 维护"]]


def test_docx_grid_before_and_content_control_keep_columns(tmp_path):
    """A row starting after skipped grid columns (w:gridBefore) and a table inside a content control."""

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    d = docx.Document()
    d.add_paragraph("前言")
    t = d.add_table(rows=2, cols=3)
    for j, text in enumerate(["一级指标", "三级指标", "指标值"]):
        t.cell(0, j).text = text
    t.cell(1, 1).text = "培训次数"
    t.cell(1, 2).text = "≥2次"
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[0])  # the row skips the first grid column instead of holding an empty cell
    tr.insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:gridBefore w:val="1"/></w:trPr>'))
    tbl = t._tbl
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent/></w:sdt>')
    tbl.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(tbl)
    d.add_paragraph("后记")
    d.save(tmp_path / "g.docx")
    doc = load(tmp_path / "g.docx")
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph"]
    assert _texts(doc.blocks[1]) == [["一级指标", "三级指标", "指标值"], ["", "培训次数", "≥2次"]]
    _check_offsets(doc)


def test_html_table_saved_as_xls_is_read(tmp_path):
    """Systems that 'export to Excel' often write an HTML table named .xls: read it, spans and all."""
    page = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
    <style>td {mso-number-format:"0.00"}</style></head><body>
    <p>项目支出绩效自评表</p>
    <table border=1>
    <tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标值</td></tr>
    <tr><td rowspan=2>产出指标</td><td>数量指标</td><td>培训<br>次数</td><td>&ge;2次</td></tr>
    <tr><td>质量指标</td><td>合格率</td><td>100%</td></tr>
    <tr><td colspan=3>合计</td><td>90</td></tr>
    </table><p>填表人：张三</p></body></html>"""
    p = tmp_path / "export.xls"
    p.write_bytes(page.encode("gb18030"))
    doc = load(p)
    assert doc.format == "html"
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph"]
    assert _texts(doc.blocks[1]) == [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训次数", "≥2次"],
        ["", "质量指标", "合格率", "100%"],
        ["合计", "", "", "90"],
    ]
    _check_offsets(doc)
    rtf = _write(tmp_path, "memo.doc", b"{\\rtf1\\ansi hello}")
    with pytest.raises(LoadError, match=r"RTF document named \.doc.*save as \.docx"):
        load(rtf)


def test_mht_web_archive_saved_as_doc_is_read(tmp_path):
    """Word's 'single file web page' (MIME, quoted-printable) under a .doc name."""
    import quopri

    html = "<html><body><p>部门整体绩效自评表</p><table><tr><td>项目名称</td><td>医保网络维护</td></tr></table></body></html>"
    body = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    mht = (
        "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01\"\r\n\r\n"
        "------=_NextPart_01\r\nContent-Location: file:///C:/x.htm\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        "Content-Type: text/html; charset=\"utf-8\"\r\n\r\n" + body + "\r\n------=_NextPart_01--\r\n"
    )
    p = _write(tmp_path, "report.doc", mht.encode("ascii"))
    doc = load(p)
    assert doc.blocks[0].text == "部门整体绩效自评表"
    assert _texts(doc.blocks[1]) == [["项目名称", "医保网络维护"]]


def test_pdf_repeated_form_titles_are_not_running_headers(tmp_path):
    """One form per page, each with the same title at the top: every title stays."""
    import pymupdf

    out = pymupdf.open()
    for i in range(1, 5):
        one = pymupdf.open(_story_pdf(tmp_path / f"f{i}.pdf", f"<h3>项目支出绩效自评表</h3><table><tr><td>项目名称</td><td>项目{i}</td></tr></table>"))
        out.insert_pdf(one)
    out.save(tmp_path / "forms.pdf")
    doc = load(tmp_path / "forms.pdf")
    assert [b.text for b in doc.blocks if not b.is_table] == ["项目支出绩效自评表"] * 4
    assert [t.rows[0][1].text for t in _tables(doc)] == [f"项目{i}" for i in range(1, 5)]


def test_builder_drops_empty_rows_and_columns_and_keeps_offsets():
    from extractor.loaders import DocBuilder

    b = DocBuilder()
    b.paragraph("标题")
    b.table([["一级指标", "", "指标值"], ["", "", ""], ["产出指标", "", "≥2次"]], pages=[1, 1, 2], page=1)
    doc = b.build("x", None, "pdf")
    (table,) = _tables(doc)
    assert _texts(table) == [["一级指标", "指标值"], ["产出指标", "≥2次"]]
    assert [row[0].page for row in table.rows] == [1, 2]
    _check_offsets(doc)


def test_pdf_same_form_on_consecutive_pages_stays_two_tables(tmp_path):
    """Two filled-in copies of one form (no titles), one per page: not a continued table."""
    import pymupdf

    out = pymupdf.open()
    for i in (1, 2):
        rows = "".join(f"<tr><td>第{k}行</td><td>内容{i}-{k}</td></tr>" for k in range(1, 31))  # fills most of a page
        html = f"<table><tr><td>项目名称</td><td>项目{i}</td></tr>{rows}</table>"
        out.insert_pdf(pymupdf.open(_story_pdf(tmp_path / f"form{i}.pdf", html)))
    out.save(tmp_path / "two.pdf")
    doc = load(tmp_path / "two.pdf")
    tables = _tables(doc)
    assert [t.rows[0][1].text for t in tables] == ["项目1", "项目2"]


def test_pdf_continuation_rules():
    from extractor.loaders.pdf import _continues, _Table

    head = _Table([["项目名称", "项目1"], ["第1行", "内容"]], 1, 40, 800, [1, 1], 842)
    assert _continues(head, _Table([["第2行", "内容"]], 2, 40, 300, [2], 842))
    assert not _continues(head, _Table([["项目名称", "项目2"]], 2, 40, 300, [2], 842))  # the form again
    assert _continues(head, _Table([["项目名称", "项目1"], ["第2行", "x"]], 2, 40, 300, [2, 2], 842))  # header repeated
    assert not _continues(head, _Table([["a", "b", "c"]], 2, 40, 300, [2], 842))  # other columns
    short = _Table([["项目名称", "项目1"]], 1, 40, 200, [1], 842)
    assert not _continues(short, _Table([["第2行", "内容"]], 2, 40, 300, [2], 842))  # ended mid-page


def test_docx_text_framed_in_a_one_cell_table_stays_paragraphs(tmp_path):
    """A report boxed in a single-cell table: its paragraphs and inner table are read as body content."""
    import docx

    d = docx.Document()
    frame = d.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.text = "一、部门基本情况"
    cell.add_paragraph("数量指标方面，开展培训3次。")
    inner = cell.add_table(rows=2, cols=2)
    for (i, j), text in {(0, 0): "三级指标", (0, 1): "指标值", (1, 0): "培训次数", (1, 1): "≥2次"}.items():
        inner.cell(i, j).text = text
    cell.add_paragraph("二、自评结论")
    d.save(tmp_path / "frame.docx")
    doc = load(tmp_path / "frame.docx")
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph", "table", "paragraph"]
    assert doc.blocks[1].text == "数量指标方面，开展培训3次。"
    assert _texts(doc.blocks[2]) == [["三级指标", "指标值"], ["培训次数", "≥2次"]]
    _check_offsets(doc)


def test_pdf_mixed_text_and_scanned_pages_without_tesseract(tmp_path, monkeypatch):
    """Text pages are read; a scanned page without OCR available is named in meta, not fatal."""
    import pymupdf

    from extractor.loaders import pdf as pdf_loader

    text_pdf = pymupdf.open(_story_pdf(tmp_path / "t.pdf", "<p>部门整体绩效自评表</p><table><tr><td>a</td><td>b</td></tr></table>"))
    pix = text_pdf[0].get_pixmap(dpi=72)
    page = text_pdf.new_page()
    page.insert_image(page.rect, stream=pix.tobytes("png"))
    text_pdf.save(tmp_path / "mixed.pdf")
    monkeypatch.setattr(pdf_loader, "find_tessdata", lambda: None)
    doc = load(tmp_path / "mixed.pdf")
    assert doc.blocks[0].text == "部门整体绩效自评表"
    assert doc.meta["unread_pages"] == [2]
    assert "OCR needs Tesseract" in doc.meta["warning"]


def test_pdf_searchable_scan_table_found_from_image_rules(tmp_path):
    """A scan with an invisible text layer (as scanners' OCR writes it): rules come from the image."""
    import pymupdf

    html = """<p>项目支出绩效自评表</p><table><tr><td>一级指标</td><td>三级指标</td><td>指标值</td></tr>
    <tr><td>产出指标</td><td>培训次数</td><td>≥2次</td></tr><tr><td>效益指标</td><td>群众满意度</td><td>≥90%</td></tr></table>"""
    vector = pymupdf.open(_story_pdf(tmp_path / "v.pdf", html))
    src = vector[0]
    out = pymupdf.open()
    page = out.new_page(width=src.rect.width, height=src.rect.height)
    page.insert_image(page.rect, stream=src.get_pixmap(dpi=150).tobytes("png"))
    for block in src.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for ch in span["chars"]:  # each glyph where it was, invisible (render mode 3)
                    page.insert_text(ch["origin"], ch["c"], fontname="china-s", fontsize=span["size"] * 0.8, render_mode=3)
    out.save(tmp_path / "searchable.pdf")
    assert not pymupdf.open(tmp_path / "searchable.pdf")[0].get_drawings()
    doc = load(tmp_path / "searchable.pdf")
    (table,) = _tables(doc)
    assert [[c.text for c in row] for row in table.rows] == [
        ["一级指标", "三级指标", "指标值"], ["产出指标", "培训次数", "≥2次"], ["效益指标", "群众满意度", "≥90%"],
    ]
    assert "ocr" not in doc.meta
