"""results.xlsx: one row per indicator, numbers as numbers, text as text, frozen header, filters."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from extractor.checks import check_report
from extractor.export.review import embed_json, render_review
from extractor.export.xlsx import INDICATOR_COLUMNS, SHEETS, write_workbook
from extractor.models import Document, Evidence, Funds, Goal, Indicator, Report, Span, load_document

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _documents() -> list[Document]:
    docs = [load_document(p) for p in sorted(GOLDEN.glob("*.json"))]
    odd = Report(
        kind="transfer", name="特殊字符\x07测试", unit=None, year=2021,
        funds=Funds(budget=10, executed=8, rate=100), score=None,
        goals=[Goal(target="目标1：=SUM(A1:A3)", actual="完成")],
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name="=HYPERLINK(\"http://x\")", target="=100%",
                      actual="98%", weight=10, score=10, note="bell\x07here",
                      evidence=Evidence(spans={"name": Span(start=0, end=3, page=4)})),
            Indicator(level1=None, level2=None, name="长文本" * 40, target="稳步提升", actual="显著提升",
                      weight=None, score=None, note=None),
        ],
    )
    docs.append(Document(document="odd", reports=[odd]))
    for d in docs:
        for r in d.reports:
            r.checks = check_report(r)
    return docs


def _col(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def test_workbook_structure(tmp_path):
    docs = _documents()
    runs = [{"path": "bad/locked.pdf", "stem": "locked", "status": "failed", "error": "PDF is encrypted",
             "sha256": "ab" * 32},
            {"path": "good.txt", "stem": "good", "status": "ok", "error": None, "sha256": "cd" * 32}]
    path = tmp_path / "results.xlsx"
    write_workbook(docs, runs, path)
    wb = load_workbook(path)
    assert wb.sheetnames == list(SHEETS.values())
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws.auto_filter.ref.endswith(str(ws.max_row))
        for letter, dim in ws.column_dimensions.items():
            assert 6 <= dim.width <= 60

    ind = wb[SHEETS["indicators"]]
    n_indicators = sum(len(r.indicators) for d in docs for r in d.reports)
    assert ind.max_row - 1 == n_indicators
    assert [c.value for c in ind[1]] == [h for h, _ in INDICATOR_COLUMNS]
    assert wb[SHEETS["reports"]].max_row - 1 == sum(len(d.reports) for d in docs)
    assert wb[SHEETS["goals"]].max_row - 1 == sum(len(r.goals) for d in docs for r in d.reports)
    assert wb[SHEETS["checks"]].max_row - 1 == sum(len(r.checks) for d in docs for r in d.reports)
    fails = wb[SHEETS["failures"]]
    assert fails.max_row == 2 and fails.cell(2, 1).value == "bad/locked.pdf"

    # numbers are numeric cells wherever the document stated them
    weight_col, score_col, tnum_col = _col(ind, "分值"), _col(ind, "得分"), _col(ind, "指标值-数值")
    numeric_seen = 0
    for row in ind.iter_rows(min_row=2):
        for col in (weight_col, score_col, tnum_col):
            cell = row[col - 1]
            if cell.value is not None:
                assert cell.data_type == "n" and isinstance(cell.value, (int, float))
                numeric_seen += 1
    assert numeric_seen > 50
    rep = wb[SHEETS["reports"]]
    for row in rep.iter_rows(min_row=2):
        for header in ("预算数（万元）", "执行数（万元）", "执行率（%）"):
            v = row[_col(rep, header) - 1]
            assert v.value is None or v.data_type == "n"


def test_untrusted_text_stays_text(tmp_path):
    path = tmp_path / "r.xlsx"
    write_workbook(_documents(), [], path)
    ind = load_workbook(path)[SHEETS["indicators"]]
    rows = [r for r in ind.iter_rows(min_row=2) if r[0].value == "odd"]
    assert len(rows) == 2
    first = rows[0]
    target = first[_col(ind, "指标值（原文）") - 1]
    assert target.value == "=100%" and target.data_type == "s"  # not a formula
    assert first[_col(ind, "三级指标") - 1].data_type == "s"
    assert first[_col(ind, "指标值-运算符") - 1].value == "="
    assert first[_col(ind, "指标值-数值") - 1].value == 100
    assert first[_col(ind, "是否达成") - 1].value == "否"  # 98% < 100%
    assert first[_col(ind, "偏差原因及改进措施") - 1].value == "bellhere"  # control character dropped
    assert first[_col(ind, "页码") - 1].value == 4
    assert "full_marks_unmet" in first[_col(ind, "未通过的检查") - 1].value
    second = rows[1]
    assert second[_col(ind, "指标值-数值") - 1].value is None  # qualitative: nothing parsed
    assert second[_col(ind, "是否达成") - 1].value == "未知"


def test_review_embed_is_inert():
    nasty = {"a": "</script><script>alert(1)</script><!-- & \u2028"}
    text = embed_json(nasty)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    import json

    assert json.loads(text) == nasty
    html = render_review(_documents(), {"odd": "原文 </script>"})
    assert html.count("</script>") == 2  # the two script elements of the template, nothing more
