"""Prose reports: labelled target/actual lines read by the rules, and every other line stating an
indicator value handed to the model as a Pending stretch (synthetic texts written for these tests)."""

from __future__ import annotations

from extractor.read_rules import read
from extractor.segment import segment
from builders import make_doc


def run(parts):
    doc = make_doc(parts)
    reading = read(doc, segment(doc))
    return doc, reading


def pending_texts(doc, reading, want="indicators"):
    return [doc.text[p.start:p.end] for p in reading.pending if p.want == want]


LABELLED = [
    "某区水务局2023年度农村供水保障项目支出绩效自评报告",
    "一、项目基本情况",
    "农村供水保障项目由某区供水服务站具体实施。项目全年预算数为150万元，实际支出142万元，预算执行率94.67%。",
    "二、绩效目标完成情况",
    "（一）产出指标",
    "水质检测达标率：目标≥95%；实际：98.2%。",
    "管网抢修到场时间：目标不超过2小时；实际平均1.5小时到场处置。",
    "新建集中供水点：目标为6处，实际完成6处。",
    "水表更换数量：目标800只。实际：760只。",
    "（二）满意度指标",
    "受益农户满意度：目标值≥90%，实际达到93%。",
    "三、自评结论",
    "综合自评得分92分。",
]


def test_labelled_target_and_actual_lines_are_read_with_the_heading_level():
    doc, reading = run(LABELLED)
    [rep] = reading.reports
    got = [(i.level1, i.level2, i.name, i.target, i.actual) for i in rep.indicators]
    assert got == [
        ("产出指标", None, "水质检测达标率", "≥95%", "98.2%"),
        ("产出指标", None, "管网抢修到场时间", "不超过2小时", "平均1.5小时到场处置"),
        ("产出指标", None, "新建集中供水点", "6处", "6处"),
        ("产出指标", None, "水表更换数量", "800只", "760只"),
        ("满意度指标", None, "受益农户满意度", "≥90%", "93%"),
    ]
    for ind in rep.indicators:
        for f in ("name", "target", "actual"):
            sp = ind.evidence.spans[f]
            assert doc.text[sp.start:sp.end] == getattr(ind, f)
    assert pending_texts(doc, reading) == []


def test_labelled_actual_not_opening_with_a_value_is_left_to_the_model():
    doc, reading = run([
        "某区水务局2023年度农村供水保障项目支出绩效自评报告",
        "项目全年预算数为150万元，实际支出142万元。",
        "（一）产出指标",
        "水质检测达标率：目标≥95%；实际：98.2%。",
        "管网巡检覆盖：目标每月2次；实际按计划完成全部巡检任务共26次。",
    ])
    [rep] = reading.reports
    assert [i.name for i in rep.indicators] == ["水质检测达标率"]
    assert pending_texts(doc, reading) == ["管网巡检覆盖：目标每月2次；实际按计划完成全部巡检任务共26次。"]
