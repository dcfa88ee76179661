"""Prose reports: labelled target/actual lines read by the rules, and every other line stating an
indicator value handed to the model as a Pending stretch (synthetic texts written for these tests)."""

from __future__ import annotations

from builders import make_doc

from extractor.read_rules import read
from extractor.segment import segment


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


MIXED = [
    "某市城市管理局2023年度公园绿地养护项目支出绩效自评报告",
    "一、项目基本情况",
    "公园绿地养护项目由某市园林服务中心具体实施。项目全年预算数为260万元，实际支出250万元，预算执行率96.15%。",
    "上半年完成养护方案编制，10月底前完成全部补植。",
    "二、绩效指标完成情况",
    "（一）产出指标",
    "绿地养护面积：目标≥120公顷；实际：124公顷。",
    "补植苗木成活率较上年提高3个百分点。",
    "病虫害防治：计划开展防治6次，全年实际开展5次，未完成原因为雨季延误。",
    "（二）效益指标",
    "公园日均游客量增长12%。",
    "（三）满意度指标",
    "游园群众满意度：目标≥90%；实际：95%。",
    "三、自评结论",
    "综合自评得分93分。",
]


def test_every_unread_value_line_under_an_indicator_heading_is_pending_adjacent_lines_merged():
    doc, reading = run(MIXED)
    [rep] = reading.reports
    assert [i.name for i in rep.indicators] == ["绿地养护面积", "游园群众满意度"]
    # the two unread lines under 产出指标 and the one under 效益指标 form one stretch (the heading
    # between them included); funds, schedule and score sentences are not sent
    assert pending_texts(doc, reading) == [doc.text[doc.text.index("补植苗木"):doc.text.index("增长12%。") + 6]]
    [p] = [p for p in reading.pending if p.want == "indicators"]
    assert (p.kind, p.name) == ("project", rep.name)


def test_indicator_heading_directly_above_opens_the_stretch():
    doc, reading = run([
        "某市城市管理局2023年度公园绿地养护项目支出绩效自评报告",
        "项目全年预算数为260万元，实际支出250万元。",
        "（一）产出指标",
        "绿地养护面积：目标≥120公顷；实际：124公顷。",
        "（二）效益指标",
        "公园日均游客量增长12%，周边商户营业额有所增加。",
    ])
    assert pending_texts(doc, reading) == ["（二）效益指标\n\n公园日均游客量增长12%，周边商户营业额有所增加。"]


def test_unread_clause_beside_a_read_one_keeps_its_paragraph_pending():
    doc, reading = run([
        "某市城市管理局2023年度公园绿地养护项目支出绩效自评报告",
        "项目全年预算数为260万元，实际支出250万元。",
        "二、绩效指标完成情况",
        "绿地养护面积：目标≥120公顷；实际：124公顷；园路维修完成率达到100%。",
    ])
    [rep] = reading.reports
    assert [i.name for i in rep.indicators] == ["绿地养护面积"]
    assert pending_texts(doc, reading) == ["二、绩效指标完成情况\n\n绿地养护面积：目标≥120公顷；实际：124公顷；园路维修完成率达到100%。"]


def test_value_with_indicator_words_outside_a_heading_is_pending_plain_narrative_is_not():
    doc, reading = run([
        "某市城市管理局2023年度公园绿地养护项目支出绩效自评报告",
        "项目全年预算数为260万元，实际支出250万元。",
        "（一）产出指标",
        "绿地养护面积：目标≥120公顷；实际：124公顷。",
        "三、项目管理情况",
        "全年实际完成补植乔木860株。",
        "项目组织有序，管理规范，群众反映良好。",
        "2023年共召开专题会议，研究部署养护工作。",
    ])
    assert pending_texts(doc, reading) == ["全年实际完成补植乔木860株。"]


def test_single_paragraph_report_stating_a_value_is_pending():
    _, reading = run([
        "某市城市管理局2023年度公园绿地养护项目支出绩效自评报告",
        "项目全年预算数为260万元，实际支出250万元，全年实际完成补植乔木860株，绿地养护面积达到124公顷。",
    ])
    [rep] = reading.reports
    assert not rep.indicators
    assert [p.want for p in reading.pending] == ["indicators"]


def test_a_second_stated_goal_not_read_is_pending():
    doc, reading = run([
        "某市城市管理局2023年度公园绿地养护项目支出绩效自评报告",
        "项目全年预算数为260万元，实际支出250万元。",
        "（一）总体目标",
        "完成全市公园绿地日常养护，保持绿地完好，提升群众游园体验。",
        "目标2：完成主要道路行道树修剪和病虫害防治，确保行道树安全。",
        "（一）产出指标",
        "绿地养护面积：目标≥120公顷；实际：124公顷。",
    ])
    [rep] = reading.reports
    assert [g.target for g in rep.goals] == ["完成全市公园绿地日常养护，保持绿地完好，提升群众游园体验。"]
    assert pending_texts(doc, reading, "goals") == ["目标2：完成主要道路行道树修剪和病虫害防治，确保行道树安全。"]


def test_short_numbered_line_with_a_value_is_no_heading_and_nearby_stretches_share_one_call():
    doc, reading = run([
        "某县卫生健康局2022年度基层医疗设备购置项目支出绩效自评报告",
        "项目预算数为88万元，实际支出86.5万元，预算执行率98.3%。",
        "（一）产出指标",
        "1.设备采购数量45台",
        "2.设备验收合格率：目标100%，实际100%。",
        "（二）效益指标",
        "基层门诊量同比增长8.5%；群众就医等待时间明显缩短。",
        "三、自评得分",
        "自评得分94分，评价等级为优。",
    ])
    [rep] = reading.reports
    assert [(i.level1, i.name, i.target, i.actual) for i in rep.indicators] == [
        ("产出指标", "设备验收合格率", "100%", "100%")]
    start, end = doc.text.index("（一）产出指标"), doc.text.index("明显缩短。") + 5
    assert pending_texts(doc, reading) == [doc.text[start:end]]


def test_indicator_values_in_prose_outside_every_segment_go_to_the_single_report():
    doc, reading = run([
        "某县交通运输局关于2023年度绩效自评情况的报告",
        "我局认真开展绩效自评工作。",
        "主要指标完成情况如下：",
        "农村公路养护里程完成85公里，路面完好率达到92%。",
        "2023年乡村道路养护项目支出绩效自评报告",
        "项目全年预算数为300万元，实际支出288万元。",
        "（一）产出指标",
        "养护里程：目标≥80公里；实际：85公里。",
    ])
    [rep] = reading.reports
    [p] = reading.pending
    assert (p.want, p.kind, p.name) == ("indicators", "project", rep.name)
    assert doc.text[p.start:p.end] == "农村公路养护里程完成85公里，路面完好率达到92%。"


def test_one_paragraph_report_and_unit_titled_prose_under_an_indicator_heading_are_pending():
    doc, reading = run([
        "2023年乡村道路养护项目支出绩效自评报告",
        "全年实际完成农村公路养护85公里，路面完好率达到92%。",
    ])
    assert [(p.want, p.kind, p.name) for p in reading.pending] == [("indicators", "project", "2023年乡村道路养护项目")]
    doc, reading = run([
        "某县交通运输局2023年度项目支出绩效自评报告",
        "（一）产出指标",
        "农村公路养护里程85公里，路面完好率92%。",
        "2023年乡村道路养护项目支出绩效自评表",
        [["项目名称", "乡村道路养护"], ["全年预算数", "300"]],
    ])
    [p] = reading.pending
    assert p.want == "indicators" and "路面完好率92%" in doc.text[p.start:p.end]
