"""The text loader: decoding, newline normalisation, errors (extractor.loaders.text)."""

from __future__ import annotations

import pytest

from extractor.loaders.text import decode_bytes, load_text
from extractor.source import LoadError

SAMPLE = (
    "项目支出绩效自评表\n"
    "（2030年度）\n"
    "\t项目名称\n"
    "\t乡村道路硬化补助资金\n"
    "\n"
    "\t一级指标\n"
    "\t二级指标\n"
    "\t三级指标\n"
    "\n"
    "\t\n"
    "\t产出指标\n"
    "\t数量指标\n"
    "\t硬化道路长度≥12公里，合格率100%\n"
    "结论：基本完成。Road works done.\n"
)


@pytest.mark.parametrize(
    "encoding, prefix",
    [
        ("gbk", b""),
        ("gb18030", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-8", b""),
        ("utf-16-le", b""),  # no BOM: found from the NUL pattern
    ],
)
def test_encodings_give_identical_text(tmp_path, encoding, prefix):
    path = tmp_path / "doc.txt"
    path.write_bytes(prefix + SAMPLE.encode(encoding))
    doc = load_text(path)
    assert doc.text == SAMPLE
    assert doc.meta["encoding"]
    assert doc.stem == "doc" and doc.format == "txt"
    reference = load_text(_write(tmp_path / "ref.txt", SAMPLE.encode("utf-8")))
    assert [(b.kind, b.start, b.end) for b in doc.blocks] == [(b.kind, b.start, b.end) for b in reference.blocks]


def _write(path, data):
    path.write_bytes(data)
    return path


def test_gb18030_only_characters(tmp_path):
    text = "㐀䶵 扩展区汉字与€符号\n第二行\n"
    doc = load_text(_write(tmp_path / "x.txt", text.encode("gb18030")))
    assert doc.text == text
    assert doc.meta["encoding"] == "gb18030"


def test_crlf_and_cr_normalised(tmp_path):
    raw = "甲\t乙\r\n丙\t丁\r\n\r\n说明\r末行"
    doc = load_text(_write(tmp_path / "w.txt", raw.encode("utf-8")))
    assert doc.text == "甲\t乙\n丙\t丁\n\n说明\n末行"
    assert "\r" not in doc.text
    (table,) = [b for b in doc.blocks if b.is_table]
    cell = table.rows[1][1]
    assert doc.text[cell.start : cell.end] == "丁"


def test_markdown_format(tmp_path):
    doc = load_text(_write(tmp_path / "a.md", "# 标题\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n".encode()))
    assert doc.format == "md"
    assert [b.kind for b in doc.blocks] == ["paragraph", "table"]


@pytest.mark.parametrize("data", [b"", b"\n\r\n  \t\n", b"\xef\xbb\xbf"])
def test_empty_file_raises(tmp_path, data):
    with pytest.raises(LoadError) as e:
        load_text(_write(tmp_path / "e.txt", data))
    assert "\n" not in str(e.value) and "empty" in str(e.value)


def test_binary_garbage_raises(tmp_path):
    data = bytes(range(256)) * 40
    with pytest.raises(LoadError) as e:
        load_text(_write(tmp_path / "b.txt", data))
    assert "\n" not in str(e.value)


def test_missing_file_raises(tmp_path):
    with pytest.raises(LoadError):
        load_text(tmp_path / "nope.txt")


def test_utf8_with_one_broken_byte_stays_utf8():
    text = "绩效自评表，本年度完成情况良好。" * 40
    data = text.encode("utf-8")
    data = data[:-2]  # truncated last character
    decoded, enc = decode_bytes(data)
    assert enc.startswith("utf-8")
    assert decoded.startswith("绩效自评表")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_mostly_chinese(tmp_path, encoding):
    text = "".join(f"第{k}项：本年度完成情况良好，各项指标均已达到预期目标要求\n" for k in range(30))
    doc = load_text(_write(tmp_path / "u.txt", text.encode(encoding)))
    assert doc.text == text
    assert doc.meta["encoding"] == encoding


def test_form_feed_and_vertical_tab_become_newlines(tmp_path):
    doc = load_text(_write(tmp_path / "f.txt", "甲\f乙\x0b丙\n".encode()))
    assert doc.text == "甲\n乙\n丙\n"


def test_form_feeds_give_pages(tmp_path):
    raw = "第一页标题\n名称\t值\n\n\f第二页正文说明本年度的工作情况。\n\n\f第三页\t表格\n\f"
    doc = load_text(_write(tmp_path / "p.txt", raw.encode()))
    assert doc.meta["pages"] == 3
    pages = {b.text if not b.is_table else b.rows[0][0].text: b.page for b in doc.blocks}
    assert pages == {"第一页标题": 1, "名称": 1, "第二页正文说明本年度的工作情况。": 2, "第三页": 3}
    assert doc.page_at(doc.text.index("第二页")) == 2
    table = [b for b in doc.blocks if b.is_table][-1]
    assert table.rows[0][1].page == 3


def test_no_pages_without_form_feeds(tmp_path):
    doc = load_text(_write(tmp_path / "n.txt", "甲\n乙\n".encode()))
    assert "pages" not in doc.meta and all(b.page is None for b in doc.blocks)


def test_page_break_inside_cell_table_keeps_row(tmp_path):
    raw = "\t名称\n\t甲项目\n\n\t\n\t数量指标\n\f\t10\n"
    doc = load_text(_write(tmp_path / "q.txt", raw.encode()))
    (table,) = [b for b in doc.blocks if b.is_table]
    assert [[c.text for c in r] for r in table.rows] == [["名称", "甲项目"], ["", "数量指标", "10"]]
    assert table.rows[1][2].page == 2 and table.rows[1][1].page == 1
