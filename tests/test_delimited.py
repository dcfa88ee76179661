""".csv / .tsv inputs: each sample written out as a spreadsheet export reads like its .txt."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extractor.loaders import load
from extractor.loaders.text import load_text
from extractor.models import load_document
from extractor.pipeline import ExtractOptions, extract_document
from extractor.scoring import figures, score_document

try:
    from tests.render import table_layout
except ImportError:  # tests/ itself on sys.path
    from render import table_layout

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "golden" / "docs").glob("*.txt"))


def write_delimited(sample: Path, out: Path, delimiter: str, encoding: str = "utf-8") -> Path:
    """The text loader's reading of `sample` as a spreadsheet export: a paragraph is a row of one
    cell, a table its rectangular grid (merged cells: text in the first, as the Excel rendering
    lays them out), an empty row between blocks (what Excel's Save As CSV writes)."""
    source = load_text(sample)
    with out.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        for block in source.blocks:
            if block.is_table:
                writer.writerows(table_layout(block)[0])
            else:
                writer.writerow([block.text])
            writer.writerow([])
    return out


@pytest.mark.parametrize("delimiter, suffix, encoding", [(",", ".csv", "utf-8-sig"), ("\t", ".tsv", "utf-8"),
                                                         (";", ".csv", "gb18030")])
def test_samples_as_delimited_exports_score_like_the_text(tmp_path, delimiter, suffix, encoding):
    options = ExtractOptions(backend="rules")
    txt_total = csv_total = None
    for sample in SAMPLES:
        gold = load_document(ROOT / "golden" / f"{sample.stem}.json")
        path = write_delimited(sample, tmp_path / f"{sample.stem}{suffix}", delimiter, encoding)
        doc = load(path)
        assert doc.format == "csv" and doc.meta["delimiter"] == delimiter
        for block in doc.blocks:
            for row in block.rows:
                for c in row:
                    assert doc.text[c.start:c.end] == c.text
        t_txt, _ = score_document(sample.stem, gold, extract_document(sample, options, stem=sample.stem).document)
        t_csv, _ = score_document(sample.stem, gold, extract_document(path, options, stem=sample.stem).document)
        txt_total = t_txt if txt_total is None else txt_total + t_txt
        csv_total = t_csv if csv_total is None else csv_total + t_csv
    f_txt, f_csv = figures(txt_total)["strict_indicator_f1"], figures(csv_total)["strict_indicator_f1"]
    assert f_txt > 0.9 and abs(f_csv - f_txt) <= 0.02, (f_csv, f_txt)


def test_quoted_cells_keep_delimiters_and_line_breaks(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text(
        "项目支出绩效自评表\n"
        "项目名称,\"道路养护,一期\"\n"
        "一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分\n"
        "产出指标,数量指标,\"养护里程\n（含村道）\",\"≥80公里\",82公里,20,20\n",
        encoding="utf-8",
    )
    doc = load(path)
    (table,) = [b for b in doc.blocks if b.is_table]
    assert [c.text for c in table.rows[0]][:2] == ["项目名称", "道路养护,一期"]
    assert table.rows[2][2].text == "养护里程（含村道）"
    assert [b.text for b in doc.blocks if not b.is_table] == ["项目支出绩效自评表"]


def test_empty_csv_is_a_one_line_error(tmp_path):
    from extractor.source import LoadError

    path = tmp_path / "empty.csv"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(LoadError, match="empty"):
        load(path)
