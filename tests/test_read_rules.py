"""Rule reader on synthetic tables (written for these tests, not copied from samples)."""

from __future__ import annotations

from extractor.read_rules import read
from extractor.segment import segment
from extractor.source import Cell
from builders import make_doc


def run(parts):
    doc = make_doc(parts)
    reading = read(doc, segment(doc))
    return doc, reading


PROJECT = [
    "项目支出绩效自评表",
    "（2023年度）",
    [
        ["项目名称", "乡村道路养护补助", "", ""],
        ["主管部门", "某县交通运输局", "实施单位", "某县公路事务中心"],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", "300", "320.5", "288.45", "10", "90%", "9"],
        ["", "其中：当年财政拨款", "300", "300", "270", "", "", ""],
        ["年度总体目标", "预期目标", "", "实际完成情况", ""],
        ["", "完成养护里程不少于80公里", "", "完成养护里程85公里", ""],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "预期指标值", "全年实际完成值", "权重", "自评得分", "偏差原因分析及改进措施"],
        ["", "产出指标", "数量指标", "养护里程", "≥80公里", "85公里", "20", "20", ""],
        ["", "", "", "其中：村道养护里程", "≥30公里", "32公里", "", "", ""],
        ["", "", "质量指标", "路面完好率", "≥90%", "88%", "20", "18", "雨季损毁较多，加强巡查"],
        ["", "效益指标", "社会效益指标", "群众出行便利度", "明显改善", "明显改善", "30", "30", ""],
        ["", "", "生态效益指标", "……", "", "", "", "", ""],
        ["", "满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥85%", "92%", "20", "20", ""],
        ["总分", "", "", "", "", "", "100", "97", ""],
    ],
]


def test_project_table_fields_funds_goals():
    doc, reading = run(PROJECT)
    [rep] = reading.reports
    assert rep.kind == "project"
    assert rep.name == "乡村道路养护补助"
    assert rep.unit == "某县公路事务中心"  # 实施单位, not 主管部门
    assert rep.year == 2023
    # 全年预算数 wins over 年初预算数; the total row, not the 其中 row
    assert rep.funds.budget == 320.5
    assert rep.funds.executed == 288.45
    assert rep.funds.rate == 90.0
    assert rep.score == 97  # 总分 row's 得分, not the funds block's 9
    assert [(g.target, g.actual) for g in rep.goals] == [("完成养护里程不少于80公里", "完成养护里程85公里")]


def test_project_indicators_synonyms_carry_forward_subrows_placeholders():
    doc, reading = run(PROJECT)
    [rep] = reading.reports
    names = [i.name for i in rep.indicators]
    assert names == ["养护里程", "其中：村道养护里程", "路面完好率", "群众出行便利度", "沿线群众满意度"]
    sub = rep.indicators[1]
    assert (sub.level1, sub.level2) == ("产出指标", "数量指标")  # merged cells carried forward
    assert sub.target == "≥30公里" and sub.actual == "32公里"
    assert sub.weight is None and sub.score is None
    q = rep.indicators[2]
    assert (q.level1, q.level2, q.weight, q.score) == ("产出指标", "质量指标", 20, 18)
    assert q.note == "雨季损毁较多，加强巡查"
    assert rep.indicators[3].level2 == "社会效益指标"
    assert rep.indicators[0].note is None


def test_evidence_spans_point_at_values():
    doc, reading = run(PROJECT)
    [rep] = reading.reports
    ind = rep.indicators[2]
    for field in ("name", "target", "actual", "note"):
        sp = ind.evidence.spans[field]
        assert doc.text[sp.start:sp.end] == getattr(ind, field)
    sp = rep.evidence.spans["budget"]
    assert doc.text[sp.start:sp.end] == "320.5"
    sp = rep.evidence.spans["name"]
    assert doc.text[sp.start:sp.end] == "乡村道路养护补助"


def test_split_value_columns_and_header_synonyms():
    doc, reading = run([
        "转移支付项目绩效目标自评表",
        [
            ["转移支付（项目）名称", "农机购置补贴"],
            ["资金使用单位", "某市农业农村局"],
            ["一级指标", "二级指标", "指标名称", "年度指标值", "", "", "实际完成值", "", "", "分值", "得分"],
            ["产出指标", "数量指标", "补贴机具数量", "≥", "1200", "台", "≥", "1350", "台", "50", "50"],
            ["满意度指标", "满意度", "农户满意度", "≥", "90", "%", "", "95", "%", "50", "45"],
        ],
    ])
    [rep] = reading.reports
    assert rep.kind == "transfer" and rep.name == "农机购置补贴" and rep.unit == "某市农业农村局"
    assert [(i.target, i.actual) for i in rep.indicators] == [("≥1200台", "≥1350台"), ("≥90%", "95%")]
    assert [(i.weight, i.score) for i in rep.indicators] == [(50, 50), (50, 45)]


def test_rubric_header_split_over_two_rows_and_total():
    doc, reading = run([
        "某区教育局部门整体支出绩效评价评分表",
        [
            ["绩效指标", "指标分值", "评分标准", "自评得分"],
            ["一级指标", "二级指标", "三级指标", "", "", ""],
            ["预算管理（40分）", "预算编制（20分）", "目标设置", "10", "目标完整得10分", "9"],
            ["", "", "编制准确", "10", "偏差小于5%得满分", "10"],
            ["", "预算执行（20分）", "执行进度", "20", "按进度计分", "16.5"],
            ["总 分", "35.5"],
        ],
    ])
    [rep] = reading.reports
    assert rep.kind == "department" and rep.name == "某区教育局"
    assert rep.score == 35.5
    rows = [(i.level1, i.level2, i.name, i.weight, i.score, i.target, i.actual) for i in rep.indicators]
    assert rows == [
        ("预算管理（40分）", "预算编制（20分）", "目标设置", 10, 9, None, None),
        ("预算管理（40分）", "预算编制（20分）", "编制准确", 10, 10, None, None),
        ("预算管理（40分）", "预算执行（20分）", "执行进度", 20, 16.5, None, None),
    ]


def test_summary_table_one_report_per_row_in_yuan():
    doc, reading = run([
        "项目绩效自评结果汇总表",
        "（2022年度）",
        [
            ["序号", "项目名称", "预算数（元）", "执行数（元）", "执行率", "自评得分"],
            ["1", "校舍维修", "1,286,400", "1,200,000", "93.28%", "95"],
            ["2", "教师培训", "500000", "500000", "100%", "100"],
            ["", "合计", "1786400", "1700000", "", ""],
        ],
    ])
    reps = reading.reports
    assert [r.name for r in reps] == ["校舍维修", "教师培训"]
    assert all(r.kind == "project" and r.year == 2022 for r in reps)
    assert abs(reps[0].funds.budget - 128.64) < 1e-6 and reps[0].funds.executed == 120.0
    assert reps[0].funds.rate == 93.28 and reps[0].score == 95
    assert reps[0].unit is None


def test_inline_funds_and_phone_is_not_a_score():
    doc, reading = run([
        "部门整体绩效自评表",
        [
            ["部门（单位）名称", "某市档案馆", "自评得分", "李明13800000000"],
            ["预算执行情况（万元）", "预算数：", "150.2万元", "执行数：", "149万元"],
            ["", "其中－财政拨款：", "150万元", "其中－财政拨款：", "149万元"],
        ],
    ])
    [rep] = reading.reports
    assert rep.kind == "department" and rep.name == "某市档案馆" and rep.unit == "某市档案馆"
    assert rep.score is None
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (150.2, 149.0, None)


def test_funds_block_rows_inside_indicator_table_are_not_indicators():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "文化惠民演出"],
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
            ["资金情况", "预算执行", "预算执行率", "100%", "98%", "10", "9.8"],
            ["产出指标", "数量指标", "演出场次", "不少于120场", "126场", "40", "40"],
            ["合计", "", "", "", "", "50", "49.8"],
        ],
    ])
    [rep] = reading.reports
    assert [i.name for i in rep.indicators] == ["演出场次"]
    assert rep.score == 49.8


def test_header_missing_left_label_column_is_shifted():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "河道清淤"],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["", "产出指标", "数量指标", "清淤长度", "≥5公里", "5.2公里", "50", "50"],
            ["", "", "时效指标", "完工时间", "年底前", "11月", "50", "50"],
        ],
    ])
    [rep] = reading.reports
    assert [(i.level1, i.level2, i.name, i.target) for i in rep.indicators] == [
        ("产出指标", "数量指标", "清淤长度", "≥5公里"),
        ("产出指标", "时效指标", "完工时间", "年底前"),
    ]


def test_total_row_with_flattened_funds_header():
    doc, reading = run([
        "2022年度部门整体支出绩效自评表",
        [
            ["部门名称", "某县林业局"],
            ["全年执行数", "执行率", "资金来源", "合计", "800", "760", "95%", "10", "9.5"],
        ],
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (800.0, 760.0, 95.0)


def test_prose_project_funds_and_pending():
    doc, reading = run([
        "社区养老服务补贴项目绩效目标完成情况综述。项目全年预算数45.5万元，执行数为40万元，完成预算的87.91%。通过项目实施，服务老人300名。",
        "城市绿化养护项目2022年绩效评价报告",
        "一、项目概况",
        "项目完成指标包括数量指标：绿化面积，20万平方米。",
    ])
    reps = {r.name: r for r in reading.reports}
    rep = reps["社区养老服务补贴"]
    assert rep.kind == "project"
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (45.5, 40.0, 87.91)
    sp = rep.evidence.spans["budget"]
    assert doc.text[sp.start:sp.end] == "45.5万元"
    assert any(p.want == "indicators" and p.name == "城市绿化养护项目" for p in reading.pending)


def test_goal_label_rows():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "图书馆数字化"],
            ["年度总体目标", "完成馆藏古籍数字化两千册并上线"],
            ["实际完成情况", "完成数字化两千一百册并上线"],
        ],
    ])
    [rep] = reading.reports
    assert [(g.target, g.actual) for g in rep.goals] == [("完成馆藏古籍数字化两千册并上线", "完成数字化两千一百册并上线")]


def test_merged_cells_copied_across_and_down():
    # a loader that copies a merged cell's text into every cell it covers
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "垃圾分类推广", "垃圾分类推广"],
            ["年度总体目标", "预期目标", "实际完成情况"],
            ["年度总体目标", "覆盖全部社区", "已覆盖全部社区"],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "覆盖社区数", "≥", "40个", "42个", "50", "50"],
            ["产出指标", "质量指标", "分类准确率", "≥85%", "≥85%", "88%", "50", "45"],
        ],
    ])
    [rep] = reading.reports
    assert rep.name == "垃圾分类推广"
    assert [(g.target, g.actual) for g in rep.goals] == [("覆盖全部社区", "已覆盖全部社区")]
    assert [(i.name, i.target, i.actual) for i in rep.indicators] == [
        ("覆盖社区数", "≥40个", "42个"),
        ("分类准确率", "≥85%", "88%"),
    ]


def test_goal_like_words_in_indicator_rows_do_not_end_the_table():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "健康宣教"],
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
            ["产出指标", "数量指标", "年度目标完成率", "100%", "实际完成100%"],
            ["", "", "宣教场次", "10场", "12场"],
        ],
    ])
    [rep] = reading.reports
    assert [i.name for i in rep.indicators] == ["年度目标完成率", "宣教场次"]


def test_prose_score_sentence():
    doc, reading = run([
        "2022年度某县司法局部门整体支出绩效自评报告",
        "一、基本情况",
        "经综合评价，本部门整体支出绩效自评得分为92.5分，等级为优。",
    ])
    [rep] = reading.reports
    assert (rep.kind, rep.name, rep.score, rep.year) == ("department", "某县司法局", 92.5, 2022)


def test_rows_with_dropped_empty_cells_are_realigned_by_content():
    # a source that drops the empty (merged) cells: rows start at their first written cell
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "职业技能培训"],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "培训人次", "≥500人次", "520人次", "20", "20"],
            ["质量指标", "培训合格率", "≥95%", "96%", "20", "19"],
            ["结业证书发放数", "≥450本", "470本", "10", "10"],
        ],
    ])
    [rep] = reading.reports
    got = [(i.level1, i.level2, i.name, i.target, i.score) for i in rep.indicators]
    assert got == [
        ("产出指标", "数量指标", "培训人次", "≥500人次", 20),
        ("产出指标", "质量指标", "培训合格率", "≥95%", 19),
        ("产出指标", "质量指标", "结业证书发放数", "≥450本", 10),
    ]


def test_what_rules_cannot_read_becomes_pending():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "社区矫正"],
            ["全年预算数", "全年执行数", "执行率"],
            ["见附表", "见附表", "见附表"],
            ["年度总体目标", "详见报告正文"],
            ["绩效指标", "详见附件"],
        ],
    ])
    [rep] = reading.reports
    assert rep.name == "社区矫正" and rep.funds.budget is None
    wants = {p.want for p in reading.pending if p.name == "社区矫正" and p.kind == "project"}
    assert {"funds", "indicators", "goals"} <= wants
    for p in reading.pending:
        assert 0 <= p.start < p.end <= len(doc.text)


def test_budget_execution_rate_as_a_process_indicator_is_kept():
    doc, reading = run([
        "部门整体支出绩效自评表",
        [
            ["部门名称", "某区审计局"],
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
            ["过程", "预算执行", "预算执行率", "100%", "97%", "10", "9.7"],
        ],
    ])
    [rep] = reading.reports
    assert [(i.level1, i.level2, i.name) for i in rep.indicators] == [("过程", "预算执行", "预算执行率")]


def test_prose_summary_broken_at_a_line_end():
    doc, reading = run([
        "公共法律服务项目绩效目标完成情况综述。项目全年预算数20万元，执行数为18万元，完成",
        "预算的90%。通过项目实施，提供法律咨询3000人次。",
        "其他说明：无。",
    ])
    [rep] = reading.reports
    assert (rep.name, rep.funds.budget, rep.funds.executed, rep.funds.rate) == ("公共法律服务", 20.0, 18.0, 90.0)
    sp = rep.evidence.spans["rate"]
    assert doc.text[sp.start:sp.end] == "90%"
    sp = rep.evidence.spans["executed"]
    assert doc.text[sp.start:sp.end] == "18万元"


def test_bare_large_number_is_not_a_rate():
    doc, reading = run([
        "部门整体支出绩效自评表",
        [
            ["部门名称", "某县商务局"],
            ["全年预算数", "全年执行数", "执行率"],
            ["", "", ""],
            ["合计", "350", "2800"],
        ],
    ])
    [rep] = reading.reports
    assert rep.funds.rate is None


def test_label_value_in_one_cell_and_department_named_by_its_unit():
    doc, reading = run([
        "部门整体支出绩效自评表",
        [
            ["预算单位：某县气象局", "评价年度：2022"],
            ["全年预算数：86.5万元", "全年执行数：80万元", "预算执行率：92.49%"],
            ["一级", "二级", "三级", "指标值", "实际完成值"],
            ["产出指标", "数量指标", "预警信息发布次数", "≥100次", "130次"],
        ],
    ])
    [rep] = reading.reports
    assert (rep.kind, rep.name, rep.unit, rep.year) == ("department", "某县气象局", "某县气象局", 2022)
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (86.5, 80.0, 92.49)
    assert [i.name for i in rep.indicators] == ["预警信息发布次数"]
    sp = rep.evidence.spans["budget"]
    assert doc.text[sp.start:sp.end] == "86.5万元"


def test_prose_indicators_stated_plainly():
    doc, reading = run([
        "敬老院维修项目2022年绩效评价报告",
        "一、项目绩效目标",
        "项目完成指标包括数量指标：①维修房屋数量，12间；②更换床位，40张。质量指标：验收合格率，100%。",
        "项目效益指标包括社会效益指标：改善老人居住条件，让入住老人住得安全、住得舒心，长期有效。",
        "满意度指标包括：入住老人满意度，≥90%。",
    ])
    [rep] = reading.reports
    got = [(i.level1, i.level2, i.name, i.target) for i in rep.indicators]
    assert got == [
        ("项目完成指标", "数量指标", "维修房屋数量", "12间"),
        ("项目完成指标", "数量指标", "更换床位", "40张"),
        ("项目完成指标", "质量指标", "验收合格率", "100%"),
        ("满意度指标", None, "入住老人满意度", "≥90%"),
    ]
    ind = rep.indicators[1]
    for f in ("name", "target"):
        sp = ind.evidence.spans[f]
        assert doc.text[sp.start:sp.end] == getattr(ind, f)
    # the sentence the rules could not split is still handed on
    assert any(p.want == "indicators" and p.name == "敬老院维修项目" for p in reading.pending)


def test_task_list_amounts_are_not_the_report_funds():
    doc, reading = run([
        "部门整体支出绩效自评表",
        [
            ["部门名称", "某县档案局"],
            ["年度主要任务", "任务名称", "主要内容", "预算数", "执行数"],
            ["", "档案数字化", "扫描档案", "30", "28"],
            ["", "库房维护", "维修", "20", "20"],
        ],
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed) == (None, None)
    doc, reading = run([
        "部门整体支出绩效自评表",
        [
            ["部门名称", "某县档案局"],
            ["年度主要任务", "任务名称", "主要内容", "预算数", "执行数"],
            ["", "档案数字化", "扫描档案", "30", "28"],
            ["", "合计", "", "50", "48"],
        ],
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed) == (50.0, 48.0)


def test_score_field_with_grade():
    doc, reading = run([
        "项目支出绩效自评表",
        [["项目名称", "河长制宣传", "自评得分", "92.5（优）"], ["联系电话", "12345678901"]],
    ])
    [rep] = reading.reports
    assert rep.score == 92.5


def test_score_sheet_with_points_only_in_brackets():
    doc, reading = run([
        "2019年部门整体支出绩效评价得分表",
        [
            ["部门名称", "某县科技局"],
            ["一级指标", "二级指标", "三级指标", "得分"],
            ["部门决策（25分）", "目标任务（15分）", "相关性（5分）", "5"],
            ["", "", "明确性（5分）", "4"],
            ["总分", "", "", "9"],
        ],
    ])
    [rep] = reading.reports
    assert rep.score == 9
    assert [(i.level2, i.name, i.weight, i.score, i.target) for i in rep.indicators] == [
        ("目标任务（15分）", "相关性（5分）", None, 5, None),
        ("目标任务（15分）", "明确性（5分）", None, 4, None),
    ]


def test_prose_full_year_budget_wins_over_initial_budget():
    doc, reading = run([
        "农村公路养护项目绩效目标完成情况综述。该项目年初预算80万元，全年预算数100万元，全年执行数95万元，执行率95%。",
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (100.0, 95.0, 95.0)


# ------------------------------------------------------------------ no-separator rubric re-cut

FLAT_RUBRIC = """单位整体支出绩效评价评分表
单位名称：某市文化馆
一级指标
二级指标
三级指标
分值
指标说明
评分标准
自评得分
决策（20分）
目标管理（20分）
目标明确性
12
目标是否清晰
清晰的得12分，每缺一项扣
2分
10
目标合理性
8
目标是否合理
合理的得8分
8
管理（30分）
资金管理（30分）
资金到位率
10
到位资金与计划资金之比
到位率×10分
9.5
— 7 —
一级指标
二级指标
三级指标
分值
指标说明
评分标准
自评得分
支出规范性
20
是否按规定支出
规范的得20分
18
合计
50
45.5
"""


def _flat_doc(tmp_path, text):
    from extractor.loaders import load

    p = tmp_path / "flat.txt"
    p.write_text(text, encoding="utf-8")
    return load(p)


def test_recut_anchors_rows_on_numeric_columns():
    from extractor.recut import recut

    text = FLAT_RUBRIC
    lines, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lines.append(Cell(line.strip(), pos, pos + len(line)))
        pos += len(line) + 1
    table = lines[2:]
    # any row cutting (here: a bad one, five cells a row) gives the same re-cut
    rows = [table[i: i + 5] for i in range(0, len(table), 5)]
    cut = recut(text, rows)
    assert cut is not None and not cut.unread
    got = [[c.text for c in r] for r in cut.rows[1:]]
    assert got[0][:4] == ["决策（20分）", "目标管理（20分）", "目标明确性", "12"]
    assert got[0][5] == "清晰的得12分，每缺一项扣2分" and got[0][6] == "10"  # wrapped number joined
    assert got[1][:4] == ["", "", "目标合理性", "8"] and got[1][6] == "8"
    assert got[2][:3] == ["管理（30分）", "资金管理（30分）", "资金到位率"]
    assert got[3][2:4] == ["支出规范性", "20"] and got[3][6] == "18"  # after page debris + repeated header
    assert got[4][2] == "合计" and got[4][6] == "45.5"


def test_recut_leaves_tab_tables_alone():
    from extractor.recut import recut

    doc = make_doc([[["一级指标", "二级指标", "三级指标", "分值", "得分"], ["产出", "数量", "场次", "10", "9"],
                     ["", "", "人数", "10", "10"]]])
    assert recut(doc.text, doc.blocks[0].rows) is None


def test_flat_rubric_read_end_to_end(tmp_path):
    doc = _flat_doc(tmp_path, FLAT_RUBRIC)
    reading = read(doc, segment(doc))
    [rep] = [r for r in reading.reports if r.indicators]
    got = [(i.level1, i.level2, i.name, i.weight, i.score) for i in rep.indicators]
    assert got == [
        ("决策（20分）", "目标管理（20分）", "目标明确性", 12, 10),
        ("决策（20分）", "目标管理（20分）", "目标合理性", 8, 8),
        ("管理（30分）", "资金管理（30分）", "资金到位率", 10, 9.5),
        ("管理（30分）", "资金管理（30分）", "支出规范性", 20, 18),
    ]
    assert rep.score == 45.5


def test_funds_words_in_a_criteria_column_are_not_funds():
    doc, reading = run([
        "部门整体支出绩效评价评分表",
        [
            ["部门名称", "某区档案馆"],
            ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分"],
            ["过程", "预算执行", "预算执行率", "5", "实际支出数与预算数之比×5分", "4.5"],
        ],
    ])
    [rep] = reading.reports
    assert rep.funds.rate is None and rep.funds.executed is None
    assert [(i.name, i.weight, i.score) for i in rep.indicators] == [("预算执行率", 5, 4.5)]


def test_prose_report_titled_by_its_unit_joins_the_single_project():
    doc, reading = run([
        "某县林业局2021年度项目支出绩效自评报告",
        "一、项目概况",
        "经自评，该项目自评得分88分。",
        "项目支出绩效自评表",
        [
            ["项目名称", "森林防火巡护补助"],
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
            ["产出指标", "数量指标", "巡护天数", "≥300天", "320天"],
        ],
    ])
    names = [(r.kind, r.name) for r in reading.reports]
    assert ("project", "某县林业局") not in names and ("project", "") not in names
    assert {n for _, n in names} == {"森林防火巡护补助"}
    assert any(r.score == 88 for r in reading.reports)


PROSE_PROJECT = [
    "2023年山塘清淤项目支出绩效自评报告",
    "一、项目概况",
    "项目由某县水利局主管，某县水利工程管理站具体实施。",
    "项目全年预算数为80万元，其中省级补助50万元。截至年底，项目实际支出76万元，预算执行率95%。",
    "二、目标完成情况",
    "（一）产出指标完成情况",
    "数量指标方面，清淤山塘数量目标为20座，实际完成22座；此外，计划开展安全巡查8次，实际开展9次。",
    "质量指标方面，验收合格率目标不低于95%，实际达到98%；工程完成情况目标为按期完成，实际工程已基本完工并投入使用。",
    "时效指标方面，完工时间目标为2023年10月底前，实际完成时间为2023年9月28日。",
    "（二）满意度指标完成情况",
    "服务对象满意度指标方面，受益群众满意度目标≥90%，实际调查满意度为93.5%。",
    "三、自评结论",
    "该项目综合自评得分91分。",
]


def test_prose_project_funds_unit_and_indicator_sentences():
    doc, reading = run(PROSE_PROJECT)
    [rep] = reading.reports
    assert rep.name == "2023年山塘清淤项目"
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (80.0, 76.0, 95.0)
    assert rep.unit == "某县水利工程管理站" and rep.score == 91
    got = [(i.level1, i.level2, i.name, i.target, i.actual) for i in rep.indicators]
    assert got == [
        ("产出指标", "数量指标", "清淤山塘数量", "20座", "22座"),
        ("产出指标", "数量指标", "开展安全巡查", "8次", "9次"),
        ("产出指标", "质量指标", "验收合格率", "不低于95%", "98%"),
        ("产出指标", "时效指标", "完工时间", "2023年10月底前", "2023年9月28日"),
        ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", "93.5%"),
    ]  # "实际工程已基本完工…" has no plain value: not read by rules
    for ind in rep.indicators:
        for f in ("name", "target", "actual"):
            sp = ind.evidence.spans[f]
            assert doc.text[sp.start:sp.end] == getattr(ind, f)
    sp = rep.evidence.spans["executed"]
    assert doc.text[sp.start:sp.end] == "76万元"


def test_prose_amount_of_a_part_alone_is_not_the_funds():
    doc, reading = run([
        "2023年山塘清淤项目支出绩效自评报告",
        "项目资金中，其中省级补助50万元，已全部支出。",
    ])
    [rep] = reading.reports
    assert rep.funds.budget is None and rep.funds.executed is None


def test_prose_goal_under_headings_lead_in_dropped():
    doc, reading = run([
        "某县统计局2022年度部门整体支出绩效自评报告",
        "三、部门整体绩效目标及完成情况",
        "（一）年度总体绩效目标",
        "2022年度部门整体绩效目标是：完成经济普查入户登记，统计数据按时报送率达到100%。",
        "（二）阶段性目标",
        "上半年完成普查员培训，下半年完成入户登记。",
        "（三）目标完成情况",
        "全年完成入户登记12万户，统计数据按时报送率100%，全面完成年度目标。",
    ])
    [rep] = reading.reports
    assert [(g.target, g.actual) for g in rep.goals] == [(
        "完成经济普查入户登记，统计数据按时报送率达到100%。",
        "全年完成入户登记12万户，统计数据按时报送率100%，全面完成年度目标。",
    )]


def test_goal_row_labelled_under_a_goal_header_keeps_its_actual():
    doc, reading = run([
        "转移支付区域绩效目标自评表",
        [
            ["转移支付（项目）名称", "某县渔港维护补助资金"],
            ["总体目标", "预期目标", "全年实际完成情况"],
            ["年度总体目标", "目标1：维护渔港3处。<br>目标2：清理航道5公里。", "维护渔港3处；<br>清理航道5.2公里。"],
        ],
    ])
    [rep] = reading.reports
    assert [(g.target, g.actual) for g in rep.goals] == [
        ("目标1：维护渔港3处。目标2：清理航道5公里。", "维护渔港3处；清理航道5.2公里。")]


def test_score_in_prose_outside_any_segment_joins_the_single_report():
    doc, reading = run([
        "某县港航局关于2023年度渔港维护资金绩效自评情况的报告",
        "经综合评价，该项目自评得分87分，评价等级为“良”。",
        "我局全年预算数为900万元，实际支出880万元。",
        "转移支付区域绩效目标自评表",
        [
            ["转移支付（项目）名称", "某县渔港维护补助资金"],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "全年实际完成值"],
            ["产出指标", "数量指标", "维护渔港数", "3处", "3处"],
        ],
    ])
    assert {r.name for r in reading.reports} == {"某县渔港维护补助资金"}
    assert any(r.score == 87 for r in reading.reports)
    assert all(r.funds.budget is None for r in reading.reports)  # whose 预算数 it is, the prose does not say
    # two reports: the sentence cannot be placed by rules
    doc, reading = run([
        "某县港航局关于2023年度资金绩效自评情况的报告",
        "经综合评价，该项目自评得分87分。",
        "项目支出绩效自评表",
        [["项目名称", "渔港维护"], ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
         ["产出指标", "数量指标", "维护渔港数", "3处", "3处"]],
        "项目支出绩效自评表",
        [["项目名称", "航道清障"], ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
         ["产出指标", "数量指标", "清障里程", "5公里", "5公里"]],
    ])
    assert all(r.score is None for r in reading.reports)


def test_prose_statements_rules_did_not_read_become_pending():
    doc, reading = run(PROSE_PROJECT)
    stretches = [doc.text[p.start:p.end] for p in reading.pending if p.want == "indicators"]
    assert all(p.name == "2023年山塘清淤项目" for p in reading.pending)
    # only the paragraph with the clause the rules left ("…实际工程已基本完工并投入使用")
    assert len(stretches) == 1 and "基本完工" in stretches[0] and "清淤山塘数量" not in stretches[0]
    # no indicator read at all: the whole prose report goes to the model
    doc, reading = run(["2023年河道保洁项目支出绩效自评报告", "一、绩效目标完成情况",
                        "河道保洁覆盖全部村庄，群众反映良好。"])
    assert [p.want for p in reading.pending] == ["indicators"]


def test_recut_only_for_rubric_shaped_headers():
    from extractor.recut import recut

    text = "一级指标\n二级指标\n三级指标\n指标值\n实际完成值\n分值\n得分\n产出指标\n数量指标\n培训期数\n4\n4\n10\n10\n"
    cells, pos = [], 0
    for line in text.split("\n"):
        if line:
            cells.append(Cell(line, pos, pos + len(line)))
        pos += len(line) + 1
    assert recut(text, [cells[:7], cells[7:]]) is None  # "4" / "4" are values, not 分值/得分


def test_funds_split_by_source_without_a_total_row_are_not_guessed():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "某镇污水管网维护"],
            ["资金来源", "全年预算数", "全年执行数", "执行率"],
            ["财政拨款", "100", "90", "90%"],
            ["其他资金", "20", "20", "100%"],
        ],
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (None, None, None)
    assert [(p.want, p.name) for p in reading.pending] == [("funds", "某镇污水管网维护")]
    # one source row only: it is the whole
    doc, reading = run([
        "项目支出绩效自评表",
        [["项目名称", "某镇污水管网维护"], ["资金来源", "全年预算数", "全年执行数", "执行率"],
         ["财政拨款", "100", "90", "90%"]],
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (100, 90, 90)


def test_unmet_indicator_without_note_sends_the_problems_passage_as_notes():
    doc, reading = run([
        "某县文旅局2022年度项目支出绩效自评报告",
        "一、项目概况",
        "项目按计划实施。",
        "二、存在的问题及原因分析",
        "送戏下乡场次未达目标，主要原因是部分村点舞台改造延期。",
        "三、下一步工作",
        "加快舞台改造进度。",
        "项目支出绩效自评表",
        [
            ["项目名称", "送戏下乡补助"],
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "偏差原因分析及改进措施"],
            ["产出指标", "数量指标", "送戏下乡场次", "≥120场", "100场", ""],
            ["", "质量指标", "演出合格率", "100%", "100%", ""],
        ],
    ])
    notes = [p for p in reading.pending if p.want == "notes"]
    assert len(notes) == 1 and notes[0].name == "送戏下乡补助"
    text = doc.text[notes[0].start:notes[0].end]
    assert "舞台改造延期" in text and "下一步工作" not in text


def test_prose_indicator_sentences_numbered_leads_and_no_level2():
    doc, reading = run([
        "2022年农机购置补贴项目绩效自评报告",
        "（一）产出指标完成情况",
        "1.数量指标：补贴农机具台数目标值为800台，实际完成值为812台；受益农户：目标值600户，实际完成值631户。",
        "补贴资金兑付及时率目标为不低于95%，实际达到97%。",
        "三、存在的问题",
        "部分农户申请补贴目标为尽快兑付，实际兑付周期较长。",
    ])
    [rep] = reading.reports
    assert [(i.level1, i.level2, i.name, i.target, i.actual) for i in rep.indicators] == [
        ("产出指标", "数量指标", "补贴农机具台数", "800台", "812台"),
        ("产出指标", "数量指标", "受益农户", "600户", "631户"),
        ("产出指标", None, "补贴资金兑付及时率", "不低于95%", "97%"),
    ]


def test_prose_unit_and_score_variants():
    doc, reading = run([
        "2023年山塘清淤项目支出绩效自评报告",
        "项目由某县水利局主管，由某县河道管理所负责实施。",
        "经评价，项目自评总分为89.5分。",
    ])
    [rep] = reading.reports
    assert (rep.unit, rep.score) == ("某县河道管理所", 89.5)
    doc, reading = run(["2023年山塘清淤项目支出绩效自评报告", "项目由某县水利局组织实施，各镇配合。"])
    [rep] = reading.reports
    assert rep.unit is None  # 组织实施 is said of the department in charge as well: not read


FLAT_PROJECT = """项目支出绩效自评表
项目名称
乡镇文化站设备购置
实施单位
某县文化馆
一级指标
二级指标
三级指标
年度指标值
实际完成值
分值
得分
偏差原因分析及改进措施
产出指标
数量指标
购置设备套数
≥12套
12套
40
40
质量指标
设备验收合格率
100%
95%
30
27
两套音响返厂维修
效益指标
社会效益指标
文化活动场次
≥50场
56场
30
30
总分
100
97
"""


def test_flat_form_label_value_lines_and_lone_note_lines(tmp_path):
    doc = _flat_doc(tmp_path, FLAT_PROJECT)
    reading = read(doc, segment(doc))
    [rep] = reading.reports
    assert (rep.name, rep.unit, rep.score) == ("乡镇文化站设备购置", "某县文化馆", 97)
    assert [(i.name, i.note) for i in rep.indicators] == [
        ("购置设备套数", None), ("设备验收合格率", "两套音响返厂维修"), ("文化活动场次", None)]


def test_recut_joins_a_name_wrapped_under_full_levels():
    from extractor.recut import recut

    text = ("一级指标\n二级指标\n三级指标\n分值\n自评得分\n"
            "决策（10分）\n目标设定（10分）\n绩效目标与部门职责\n的相符性\n10\n9\n"
            "过程（20分）\n资金管理（20分）\n资金使用合规性\n20\n20\n")
    cells, pos = [], 0
    for line in text.split("\n"):
        if line:
            cells.append(Cell(line, pos, pos + len(line)))
        pos += len(line) + 1
    cut = recut(text, [cells])
    assert cut is not None and not cut.unread
    assert [c.text for c in cut.rows[1]] == ["决策（10分）", "目标设定（10分）", "绩效目标与部门职责的相符性", "10", "9"]


FLAT_NOTES = """项目支出绩效自评表
项目名称：乡村学校食堂改造
一级指标
二级指标
三级指标
年度指标值
实际完成值
分值
得分
偏差原因分析及改进措施
产出指标
数量指标
改造食堂数量
≥8所
7所
30
26
一所学校搬迁，改造顺延
配备餐具套数
≥2000套
2100套
20
20
无
质量指标
验收合格率
100%
100%
30
30
满意度指标
服务对象满意度指标
师生满意度
≥90%
94%
20
20
合计
100
96
"""


def test_flat_table_notes_pushed_into_the_next_row_go_back(tmp_path):
    doc = _flat_doc(tmp_path, FLAT_NOTES)
    reading = read(doc, segment(doc))
    [rep] = reading.reports
    got = [(i.level1, i.level2, i.name, i.weight, i.score, i.note) for i in rep.indicators]
    assert got == [
        ("产出指标", "数量指标", "改造食堂数量", 30, 26, "一所学校搬迁，改造顺延"),
        ("产出指标", "数量指标", "配备餐具套数", 20, 20, "无"),
        ("产出指标", "质量指标", "验收合格率", 30, 30, None),
        ("满意度指标", "服务对象满意度指标", "师生满意度", 20, 20, None),
    ]
    assert rep.score == 96


def test_prose_score_said_of_the_project():
    doc, reading = run(["2023年山塘清淤项目支出绩效自评报告", "经评价，该项目得分为92分，产出指标得分40分。"])
    [rep] = reading.reports
    assert rep.score == 92


def test_prose_funds_paragraph_wording_variants():
    doc, reading = run([
        "2023年山塘清淤项目支出绩效自评报告",
        "该项目年度预算资金60万元，由县财政全额保障。截至12月底已支出57万元，资金执行进度95%。",
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (60, 57, 95)


def test_indicator_table_without_a_name_column_goes_to_the_model():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "某镇垃圾清运补助"],
            ["一级指标", "二级指标", "年度指标值", "实际完成值"],
            ["产出指标", "清运垃圾吨数", "≥5000吨", "5200吨"],
        ],
    ])
    [rep] = reading.reports
    assert rep.indicators == []  # which column names the indicator is not for rules to guess
    assert ("indicators", "某镇垃圾清运补助") in [(p.want, p.name) for p in reading.pending]


def test_titled_table_that_came_out_as_text_lines_goes_to_the_model():
    lines = ["项目支出绩效自评表", "项目名称：某村道硬化", "考核项目", "计划数", "完成数",
             "硬化道路长度达到三公里以上并完成验收工作", "3公里", "3.2公里",
             "路面宽度不少于四点五米并设置错车道和排水沟", "4.5米", "4.5米",
             "群众出行条件明显改善，农产品运输成本有所下降", "明显改善", "明显改善",
             "道路建成后由村委会负责日常管护，建立长效管护机制并落实管护经费", "长期", "长期",
             "沿线村民对道路硬化工程质量和施工组织的满意程度", "≥90%", "96%"]
    doc, reading = run(lines)
    assert any(p.want == "report" for p in reading.pending)


def test_prose_indicator_styles_with_levels_and_notes():
    doc, reading = run([
        "2021年乡村道路养护项目绩效自评报告",
        "三、绩效指标完成情况",
        "（1）产出数量：计划养护村道40公里，实际完成38公里。未完成原因：两段道路因汛期封闭，顺延至次年。",
        "（2）产出时效：养护完成时间目标为2021年11月底前，实际于2021年11月20日全部完成。",
        "（3）可持续影响：养护设施使用年限不少于5年，实际≥5年。",
        "1.数量指标：新增路灯安装1,250盏（目标≥1,200盏）；公交候车亭改造18座（目标20座）。偏差原因及改进措施：两座站点待征地，下一步加快协调。",
        "2.效益指标：沿线群众出行时间缩短率12%（目标≥10%）。",
        "主要绩效指标完成情况如下：1.路面平整合格率，目标值95%，完成值97%；2.养护资金拨付率，目标值100%，完成值92%，未完成原因：部分工程款待审计；3.验收通过，目标值通过，完成值通过。",
        "满意度指标：沿线群众满意度，目标值≥85%，实际完成90.5%。",
        "四、自评结论",
        "本项目计划年内完成养护任务，实际完成情况较好，自评得分90分。",
    ])
    [rep] = reading.reports
    got = [(i.level1, i.level2, i.name, i.target, i.actual, i.note) for i in rep.indicators]
    assert got == [
        (None, "产出数量", "养护村道", "40公里", "38公里", "两段道路因汛期封闭，顺延至次年"),
        (None, "产出时效", "养护完成时间", "2021年11月底前", "2021年11月20日", None),
        (None, "可持续影响", "养护设施使用年限", "不少于5年", "≥5年", None),
        (None, "数量指标", "新增路灯安装", "≥1,200盏", "1,250盏", None),
        (None, "数量指标", "公交候车亭改造", "20座", "18座", "两座站点待征地，下一步加快协调"),
        ("效益指标", None, "沿线群众出行时间缩短率", "≥10%", "12%", None),
        (None, None, "路面平整合格率", "95%", "97%", None),
        (None, None, "养护资金拨付率", "100%", "92%", "部分工程款待审计"),
        (None, None, "验收通过", "通过", "通过", None),
        ("满意度指标", None, "沿线群众满意度", "≥85%", "90.5%", None),
    ]
    for ind in rep.indicators:  # every value points at its own source text
        for field, span in ind.evidence.spans.items():
            assert doc.text[span.start:span.end] == getattr(ind, field)


def test_prose_goal_words_outside_an_indicator_passage_are_not_indicators():
    doc, reading = run([
        "2021年乡村道路养护项目绩效自评报告",
        "一、项目基本情况",
        "项目计划养护村道40公里，实际到位资金30万元。",
        "年度绩效目标：养护村道40公里，实际情况另述。",
    ])
    [rep] = reading.reports
    assert rep.indicators == []


def test_prose_funds_in_two_paragraphs_unit_organised_and_score_with_grade():
    doc, reading = run([
        "2020年渔船安全补助项目绩效自评报告",
        "渔船安全补助项目由某县海洋渔业站组织实施，主要用于渔船救生设备更新。",
        "全年预算数为2,345,600元，其中省级补助1,000,000元，资金均已到位。",
        "截至2020年12月31日，执行数2,100,000元，执行率89.53%，其中设备购置1,500,000元。",
        "数量指标方面，救生设备更新数量目标为1,200套以上，实际更新1,260套。",
        "经评审，自评结果：良（86.5分）。",
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (234.56, 210.0, 89.53)
    assert (rep.unit, rep.score) == ("某县海洋渔业站", 86.5)
    [ind] = rep.indicators
    assert (ind.name, ind.target, ind.actual) == ("救生设备更新数量", "1,200套以上", "1,260套")
    # spending under the next heading is not the budget paragraph's
    doc, reading = run([
        "2020年渔船安全补助项目绩效自评报告",
        "全年预算数为50万元。",
        "二、绩效目标",
        "已支出20万元的设备更新部分另行考核。",
    ])
    [rep] = reading.reports
    assert rep.funds.executed is None
    # the transfer-payment spending unit field
    doc, reading = run([
        "某县水利局",
        "关于2020年度中央水利发展资金绩效自评情况的报告",
        "转移支付项目名称：2020年中央水利发展资金",
        "资金使用单位：某县水利局",
        "全年预算数300万元，全年执行数288万元，执行率96%。",
    ])
    [rep] = reading.reports
    assert (rep.kind, rep.name, rep.unit, rep.year) == ("transfer", "2020年中央水利发展资金", "某县水利局", 2020)
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (300.0, 288.0, 96.0)


def test_prose_goals_labelled_pairs_numbered_and_across_a_heading():
    doc, reading = run([
        "2020年校园安全改造项目绩效自评报告",
        "三、绩效目标设定情况",
        "年度绩效目标：完成10所学校围墙改造，安装监控设备200套。",
        "四、绩效目标完成情况",
        "目标完成情况：完成11所学校围墙改造，安装监控设备210套。",
    ])
    [rep] = reading.reports
    assert [(g.target, g.actual) for g in rep.goals] == [
        ("完成10所学校围墙改造，安装监控设备200套。", "完成11所学校围墙改造，安装监控设备210套。")]
    doc, reading = run([
        "2020年校园安全改造项目绩效自评报告",
        "目标1：完成10所学校围墙改造，消除安全隐患。",
        "完成情况：完成11所学校围墙改造，隐患全部消除。",
        "目标2：安装监控设备200套，实现校园全覆盖。",
        "完成情况：安装监控设备210套，覆盖全部校园。",
        "目标3：师生安全满意度达到90%以上。",
    ])
    [rep] = reading.reports
    assert [(g.target, g.actual) for g in rep.goals] == [
        ("完成10所学校围墙改造，消除安全隐患。", "完成11所学校围墙改造，隐患全部消除。"),
        ("安装监控设备200套，实现校园全覆盖。", "安装监控设备210套，覆盖全部校园。"),
        ("师生安全满意度达到90%以上。", None),
    ]
    for g in rep.goals:
        for field, span in g.evidence.spans.items():
            assert doc.text[span.start:span.end] == getattr(g, field)


def test_paragraphs_without_a_stated_value_are_not_sent_to_the_model():
    doc, reading = run([
        "2021年乡村道路养护项目绩效自评报告",
        "数量指标方面，养护村道目标为40公里，实际38公里。",
        "五、自评结论",
        "对照绩效目标及指标完成情况，按照评价指标体系逐项打分，本项目自评总分为92分。",
        "六、存在问题",
        "一是绩效目标设置不够细化；二是部分指标难以量化。",
    ])
    [rep] = reading.reports
    assert rep.score == 92 and len(rep.indicators) == 1
    assert reading.pending == []
    # a unit-titled introduction with no indicator or goal of its own, several projects below
    doc, reading = run([
        "某县林业局2021年度项目支出绩效自评报告",
        "一、总体情况",
        "我局共有2个项目纳入自评范围，涉及预算资金15万元，实际执行14万元。",
        [["序号", "项目名称", "预算数", "执行数", "自评得分"],
         ["1", "护林员补助", "10.00", "10.00", "95"],
         ["2", "苗圃维护经费", "5.00", "4.00", "85"]],
    ])
    assert [p for p in reading.pending if p.want == "report"] == []
    assert sorted(r.name for r in reading.reports) == ["护林员补助", "苗圃维护经费"]


def test_prose_actual_first_with_reach_word():
    doc, reading = run([
        "2021年乡村道路养护项目绩效自评报告",
        "3.时效指标：养护资金拨付及时率达到98%（目标≥95%）。",
    ])
    [rep] = reading.reports
    assert [(i.level2, i.name, i.target, i.actual) for i in rep.indicators] == [
        ("时效指标", "养护资金拨付及时率", "≥95%", "98%")]


def test_prose_leads_with_a_full_stop_plan_after_name_and_dates_with_a_verb():
    doc, reading = run([
        "2021年学生营养改善项目绩效自评报告",
        "三、绩效指标完成情况",
        "1.产出指标。供餐学校数量目标值12所，实际完成12所。",
        "2.满意度指标。学生家长满意度目标值≥90%，实际完成93%。",
        "数量指标：受益学生人数计划3,200人，实际受益3,265人。",
        "时效指标：补助资金拨付时间目标为2021年6月30日前，实际于2021年6月25日前全部拨付到位。",
    ])
    [rep] = reading.reports
    assert [(i.level1, i.level2, i.name, i.target, i.actual) for i in rep.indicators] == [
        ("产出指标", None, "供餐学校数量", "12所", "12所"),
        ("满意度指标", None, "学生家长满意度", "≥90%", "93%"),
        (None, "数量指标", "受益学生人数", "3,200人", "3,265人"),
        (None, "时效指标", "补助资金拨付时间", "2021年6月30日前", "2021年6月25日前"),
    ]


def test_prose_goal_label_variants():
    doc, reading = run([
        "2020年校园安全改造项目绩效自评报告",
        "项目年度绩效目标为：完成10所学校围墙改造，安装监控设备200套。",
        "年度目标完成情况：完成11所学校围墙改造，安装监控设备210套。",
    ])
    [rep] = reading.reports
    assert [(g.target, g.actual) for g in rep.goals] == [
        ("完成10所学校围墙改造，安装监控设备200套。", "完成11所学校围墙改造，安装监控设备210套。")]


def test_prose_labelled_goal_with_its_completion_under_a_heading():
    doc, reading = run([
        "2020年校园安全改造项目绩效自评报告",
        "（一）总体目标",
        "项目年度总体目标为：完成10所学校围墙改造，安装监控设备200套。",
        "三、目标完成情况",
        "（一）总体目标完成情况",
        "完成11所学校围墙改造，安装监控设备210套，全面完成年度目标。",
    ])
    [rep] = reading.reports
    assert [(g.target, g.actual) for g in rep.goals] == [
        ("完成10所学校围墙改造，安装监控设备200套。", "完成11所学校围墙改造，安装监控设备210套，全面完成年度目标。")]


def test_prose_level2_from_a_heading_of_its_own():
    doc, reading = run([
        "2021年乡村道路养护项目绩效自评报告",
        "（一）产出指标",
        "1.数量指标",
        "养护村道目标为40公里，实际38公里。",
        "2.质量指标完成情况",
        "养护验收合格率目标为100%，实际100%。",
        "（二）效益指标",
        "出行时间缩短率目标≥10%，实际12%。",
    ])
    [rep] = reading.reports
    assert [(i.level1, i.level2, i.name) for i in rep.indicators] == [
        ("产出指标", "数量指标", "养护村道"),
        ("产出指标", "质量指标", "养护验收合格率"),
        ("效益指标", None, "出行时间缩短率"),
    ]


def test_goal_sentence_in_a_goals_and_indicators_section_is_not_an_indicator():
    doc, reading = run([
        "2021年乡村道路养护项目绩效自评报告",
        "四、绩效目标及指标完成情况",
        "年度绩效目标：养护村道40公里，实际完成38公里。",
        "养护验收合格率目标为100%，实际100%。",
    ])
    [rep] = reading.reports
    assert [i.name for i in rep.indicators] == ["养护验收合格率"]


def test_prose_actual_first_then_target_after_a_comma():
    doc, reading = run([
        "2021年职业培训项目绩效自评报告",
        "1.数量指标：职业技能培训512人次，目标≥480人次；培训合格率96%，目标完成率104%。",
    ])
    [rep] = reading.reports
    assert [(i.name, i.target, i.actual) for i in rep.indicators] == [("职业技能培训", "≥480人次", "512人次")]


def test_score_row_labelled_self_score_and_sign_off_row_is_no_indicator():
    # a form whose last rows are "自评得分 | 94.5" (no 合计 row) and the sign-off line
    rows = [r for r in PROJECT[2] if r[0] != "总分"]
    rows += [["自评得分", "91.5", "", "", ""],
             ["单位负责人：张三", "财务负责人：李四", "填表人：王五", "填报日期：2024年3月1日"],
             ["联系电话：0771-1234567", "", "", ""]]
    doc, reading = run(PROJECT[:2] + [rows])
    [rep] = reading.reports
    assert rep.score == 91.5
    assert [i.name for i in rep.indicators] == ["养护里程", "其中：村道养护里程", "路面完好率", "群众出行便利度", "沿线群众满意度"]
    sp = rep.evidence.spans["score"]
    assert doc.text[sp.start:sp.end] == "91.5"


def test_prose_name_field_opening_a_sentence_levels_inline_numbered_goals_and_remedy_note():
    doc, reading = run([
        "某市2023年度社区食堂运营补助项目支出绩效自评报告",
        "一、项目概况",
        "项目名称：社区助老食堂运营补贴。该项目由某市民政局主管，各街道具体实施。",
        "二、绩效目标",
        "目标1：新建社区食堂12个，日均服务老人不少于2000人次。",
        "目标2：老年人就餐满意度达到90%以上。",
        "三、目标完成情况",
        "目标1完成情况：新建社区食堂13个，日均服务老人2150人次。",
        "目标2完成情况：就餐满意度为93%。",
        "四、绩效指标完成情况",
        "（一）产出指标。数量指标方面，新建社区食堂目标为12个，实际为13个。",
        "（二）效益指标。社会效益方面，日均服务老人目标为不少于2000人次，实际为2150人次。"
        "未完成原因：个别食堂开业较晚；下一步将延长供餐时段。可持续影响方面，运营长效机制目标为基本建立，实际已建立。",
    ])
    [rep] = reading.reports
    assert rep.name == "社区助老食堂运营补贴"  # the field, not the title's wording; cut at its stop
    got = [(i.level1, i.level2, i.name, i.target, i.actual) for i in rep.indicators]
    assert got == [
        ("产出指标", "数量指标", "新建社区食堂", "12个", "13个"),
        ("效益指标", "社会效益", "日均服务老人", "不少于2000人次", "2150人次"),
        ("效益指标", "可持续影响", "运营长效机制", "基本建立", "已建立"),
    ]
    note = rep.indicators[1].note
    assert note == "个别食堂开业较晚；下一步将延长供餐时段"
    sp = rep.indicators[1].evidence.spans["note"]
    assert doc.text[sp.start:sp.end] == note
    # numbered goals listed first, numbered completions after: paired by number
    assert [(g.target, g.actual) for g in rep.goals] == [
        ("新建社区食堂12个，日均服务老人不少于2000人次。", "新建社区食堂13个，日均服务老人2150人次。"),
        ("老年人就餐满意度达到90%以上。", "就餐满意度为93%。"),
    ]


def test_prose_aspect_word_without_a_level1_is_plain_prose():
    doc, reading = run([
        "某县2022年度农机购置补贴项目绩效自评报告",
        "一、项目实施情况",
        "社会效益方面，补贴资金目标为惠及农户，实际惠及农户1200户。",
    ])
    [rep] = reading.reports
    assert rep.indicators == []  # no indicator passage: "社会效益方面" alone does not open one


def test_row_holding_only_the_rest_of_a_cell_joins_the_indicator_above():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "河道保洁服务"],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["产出指标", "数量指标", "保洁河道长度", "≥50公里", "48公里", "20", "18", "两段河道施工封闭，"],
            ["产出指标", "数量指标", "保洁河道长度", "", "", "", "", "已于次年补足。"],  # name repeated, rest of the note
            ["", "质量指标", "水面漂浮物清理", "及时清理", "平均2小时内清理，", "20", "20", ""],
            ["", "", "", "", "汛期未发生堆积", "", "", ""],  # name blank, rest of the actual
            ["", "时效指标", "巡查频次", "每日1次", "每日1次", "20", "20", ""],
            ["", "", "其中：汛期巡查", "每日2次", "每日2次", "", "", ""],  # a sub-row: an indicator of its own
        ],
    ])
    [rep] = reading.reports
    got = [(i.name, i.target, i.actual, i.note) for i in rep.indicators]
    assert got == [
        ("保洁河道长度", "≥50公里", "48公里", "两段河道施工封闭，已于次年补足。"),
        ("水面漂浮物清理", "及时清理", "平均2小时内清理，汛期未发生堆积", None),
        ("巡查频次", "每日1次", "每日1次", None),
        ("其中：汛期巡查", "每日2次", "每日2次", None),
    ]
    sp = rep.indicators[1].evidence.spans["actual"]
    assert doc.text[sp.start:sp.end].startswith("平均2小时内清理，") and doc.text[sp.start:sp.end].endswith("汛期未发生堆积")


def test_score_column_titled_pingfen_and_weight_before_the_target():
    doc, reading = run([
        "部门整体支出绩效自评表",
        [
            ["部门名称", "某县住房和城乡建设局"],
            ["一级指标", "二级指标", "三级指标", "标准分", "年度指标值", "实际完成值", "评分", "存在问题及改进措施"],
            ["履职效能", "重点工作履职", "棚户区改造户数", "8", "≥300户", "280户", "7", "部分住户未签约"],
            ["", "履职质量", "竣工验收合格率", "8", "100%", "100%", "8", ""],
            ["合计", "", "", "100", "", "", "95.5", ""],
        ],
    ])
    [rep] = reading.reports
    got = [(i.name, i.weight, i.target, i.actual, i.score, i.note) for i in rep.indicators]
    assert got == [("棚户区改造户数", 8, "≥300户", "280户", 7, "部分住户未签约"),
                   ("竣工验收合格率", 8, "100%", "100%", 8, None)]
    assert rep.score == 95.5


def test_untitled_indicator_table_after_a_prose_report_is_that_reports_table():
    doc, reading = run([
        "某县2021年城区绿地养护项目绩效自评报告",
        "一、项目基本情况",
        "项目全年预算数为500万元，全年执行数为480万元，预算执行率为96%。",
        "各项绩效指标完成情况见下表。",
        [
            ["一级", "二级", "三级指标", "指标值", "实际值", "分值", "得分", "偏差原因"],
            ["产出", "数量", "绿地养护面积", "≥100公顷", "101公顷", "20", "20", ""],
            ["满意度", "服务对象满意度", "市民满意度", "≥90%", "88%", "10", "8", "设施老化"],
        ],
        "四、自评结论",
        "项目综合自评得分为95分。",
    ])
    from extractor.merge import merge_reports

    [rep] = merge_reports(reading.reports)
    assert (rep.kind, rep.name) == ("project", "某县2021年城区绿地养护项目")
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.score) for i in rep.indicators] == [
        ("产出", "数量", "绿地养护面积", "≥100公顷", "101公顷", 20),
        ("满意度", "服务对象满意度", "市民满意度", "≥90%", "88%", 8),
    ]
    assert rep.funds.budget == 500 and rep.funds.rate == 96
    assert not [p for p in reading.pending if p.want == "report"]


def test_funds_turned_sideways_rate_row_and_rate_indicator_apart():
    doc, reading = run([
        "转移支付区域绩效目标自评表",
        [
            ["转移支付名称", "2021年农业生产发展资金"],
            ["资金情况（万元）", "", "合计", "中央补助", "地方资金"],
            ["", "全年预算数", "800.00", "600.00", "200.00"],
            ["", "全年执行数", "760.00", "600.00", "160.00"],
            ["", "执行率", "95.00%", "100.00%", "80.00%"],
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
            ["产出指标", "数量指标", "高标准农田建设面积", "≥2万亩", "2.1万亩"],
            ["效益指标", "经济效益指标", "预算执行率", "≥90%", "95%"],
        ],
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (800.0, 760.0, 95.0)
    sp = rep.evidence.spans["rate"]
    assert doc.text[sp.start:sp.end] == "95.00%"
    assert [i.name for i in rep.indicators] == ["高标准农田建设面积", "预算执行率"]


def test_form_lines_between_tables_stay_in_the_report_and_numbered_rows_without_levels():
    doc, reading = run([
        "某县2022年度项目支出绩效自评表",
        "项目名称：农村文化广场建设补助",
        [["项目资金（万元）", "预算数", "执行数", "执行率", "分值", "得分"],
         ["年度资金总额", "50.00", "48.00", "96%", "10", "9.6"]],
        "年度目标：建成农村文化广场10个，配套健身器材和照明设施，丰富群众文化生活。",
        "完成情况：建成文化广场10个，配套设施全部到位，群众活动明显增多。",
        [["序号", "三级指标", "指标值", "实际值", "分值", "得分"],
         ["1", "文化广场建设数量", "10个", "10个", "40", "40"],
         ["2", "群众满意度", "≥90%", "92%", "50", "48"],
         ["合计", "", "", "", "100", "97.6"]],
    ])
    [rep] = reading.reports
    assert rep.name == "农村文化广场建设补助" and rep.score == 97.6
    assert [(i.name, i.target, i.actual, i.weight, i.score) for i in rep.indicators] == [
        ("文化广场建设数量", "10个", "10个", 40, 40), ("群众满意度", "≥90%", "92%", 50, 48)]
    assert [(g.target, g.actual) for g in rep.goals] == [
        ("建成农村文化广场10个，配套健身器材和照明设施，丰富群众文化生活。", "建成文化广场10个，配套设施全部到位，群众活动明显增多。")]
    assert not [p for p in reading.pending if p.want == "report"]


def test_one_fund_report_evaluating_its_parts_section_by_section():
    doc, reading = run([
        "某县2024年度中央财政林业转移支付资金绩效自评报告",
        "根据通知要求，我局对下达的林业转移支付资金中的两项资金分别开展了绩效自评。",
        "一、森林抚育补助资金",
        "（一）基本情况。2024年全年预算数300万元，全年执行数290万元，执行率96.67%。",
        "（二）绩效目标及完成情况。年度绩效目标：完成森林抚育面积2万亩，提升林分质量。完成情况：完成森林抚育2.1万亩，林分质量明显提升。",
        "（三）绩效指标完成情况。数量指标方面，“森林抚育面积”指标值为不少于2万亩，实际完成2.1万亩；"
        "时效指标方面，“抚育任务完成时间”指标值为“2024年11月底前”，实际完成值为“2024年10月30日”。",
        "（四）自评结论。该项资金自评得分96分。",
        "二、林业有害生物防治补助资金",
        "（一）基本情况。2024年全年预算数80万元，全年执行数80万元，执行率100%。",
        "（二）绩效指标完成情况。质量指标方面，“有害生物成灾率”指标值为≤3‰，实际完成值为1.2‰。",
        "（三）自评结论。该项资金自评得分98分。",
        "三、下一步工作",
        "一是加强项目管理；二是提高资金执行率。",
    ])
    reps = {r.name: r for r in reading.reports}
    assert set(reps) == {"森林抚育补助资金", "林业有害生物防治补助资金"}  # no bare report for the whole fund
    a, b = reps["森林抚育补助资金"], reps["林业有害生物防治补助资金"]
    assert a.kind == b.kind == "transfer"
    assert (a.funds.budget, a.funds.executed, a.funds.rate, a.score) == (300, 290, 96.67, 96)
    assert [(i.level2, i.name, i.target, i.actual) for i in a.indicators] == [
        ("数量指标", "森林抚育面积", "不少于2万亩", "2.1万亩"),
        ("时效指标", "抚育任务完成时间", "2024年11月底前", "2024年10月30日"),
    ]
    sp = a.indicators[1].evidence.spans["actual"]
    assert doc.text[sp.start:sp.end] == "2024年10月30日"
    assert [(g.target, g.actual) for g in a.goals] == [
        ("完成森林抚育面积2万亩，提升林分质量。", "完成森林抚育2.1万亩，林分质量明显提升。")]
    assert (b.score, [(i.name, i.target, i.actual) for i in b.indicators]) == (98, [("有害生物成灾率", "≤3‰", "1.2‰")])


def test_a_topic_heading_in_a_single_project_report_is_no_report():
    doc, reading = run([
        "某县2023年乡村道路建设项目绩效自评报告",
        "一、中央补助资金",
        "中央补助资金全部用于道路硬化。",
        "二、绩效情况",
        "项目全年预算数100万元，全年执行数98万元，执行率98%，自评得分95分。",
    ])
    assert [r.name for r in reading.reports] == ["某县2023年乡村道路建设项目"]


def test_a_row_of_column_numbers_under_the_header_is_no_indicator():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "老年助餐补贴"],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["1", "2", "3", "4", "5", "6", "7"],
            ["产出指标", "数量指标", "助餐人次", "≥1万人次", "1.2万人次", "20", "20"],
            ["", "", "其中：高龄老人", "3", "4", "", ""],
        ],
    ])
    [rep] = reading.reports
    assert [(i.name, i.target, i.actual) for i in rep.indicators] == [
        ("助餐人次", "≥1万人次", "1.2万人次"), ("其中：高龄老人", "3", "4")]


def test_header_broken_after_its_first_columns_and_goal_rows_stacked():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "2025年灌区改造项目"],
            ["年度总体目标", "预期目标", "实际完成情况"],
            ["", "改造灌区渠道30公里，新增节水灌溉面积2万亩。"],      # the target, alone on its row
            ["", "改造渠道31公里，新增节水灌溉面积2.1万亩。"],        # its completion, on the next
            ["绩效指标", "一级指标"],                                   # the header, broken by the dump
            ["二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["", "产出指标", "数量指标", "改造渠道长度", "≥30公里", "31公里", "20", "20", ""],
            ["", "", "质量指标", "工程验收合格率", "100%", "100%", "20", "20", ""],
        ],
    ])
    [rep] = reading.reports
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.weight) for i in rep.indicators] == [
        ("产出指标", "数量指标", "改造渠道长度", "≥30公里", "31公里", 20),
        ("产出指标", "质量指标", "工程验收合格率", "100%", "100%", 20),
    ]
    assert [(g.target, g.actual) for g in rep.goals] == [
        ("改造灌区渠道30公里，新增节水灌溉面积2万亩。", "改造渠道31公里，新增节水灌溉面积2.1万亩。")]


def test_sign_off_row_under_a_summary_table_is_no_project():
    doc, reading = run([
        "项目绩效自评结果汇总表",
        [
            ["序号", "项目名称", "预算数", "执行数", "执行率", "自评得分"],
            ["1", "农村公路养护", "120.00", "118.00", "98.33%", "96"],
            ["", "合计", "120.00", "118.00", "", ""],
            ["填报人：", "张三", "联系电话：", "0571-1234567"],
        ],
    ])
    assert [r.name for r in reading.reports] == ["农村公路养护"]


def test_last_years_columns_are_shown_for_comparison_only():
    doc, reading = run([
        "部门整体支出绩效自评表",
        [
            ["部门名称", "某区应急管理局"],
            ["资金情况（万元）", "上年执行数", "本年年初预算数", "本年调整后预算数（A）", "本年执行数（B）", "执行率（B/A）"],
            ["年度资金总额", "1182.40", "1240.00", "1356.80", "1320.10", "97.30%"],
            ["一级指标", "二级指标", "三级指标", "上年实际完成值", "本年指标值", "本年实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "安全检查企业数", "386家", "≥400家", "428家", "10", "10"],
        ],
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (1356.8, 1320.1, 97.3)
    assert [(i.name, i.target, i.actual) for i in rep.indicators] == [("安全检查企业数", "≥400家", "428家")]


def test_prose_items_with_every_part_labelled_and_a_dated_goal_label():
    doc, reading = run([
        "某区统计局2019年度部门整体支出绩效自评报告",
        "2019年度部门整体绩效目标：全面完成各项统计调查任务，统计数据及时准确上报。",
        "实际完成情况：完成统计调查项目34项，数据全部按时上报。",
        "（三）绩效指标完成情况",
        "1.产出指标",
        "（1）指标名称：统计调查项目完成数；目标值：≥32项；实际值：34项；",
        "2.效益指标",
        "（1）指标名称：分析报告被采纳数；目标值：≥10篇；实际值：8篇；未完成原因：时效性不足，下一步加强对接。",
    ])
    [rep] = reading.reports
    got = [(i.level1, i.name, i.target, i.actual, i.note) for i in rep.indicators]
    assert got == [("产出指标", "统计调查项目完成数", "≥32项", "34项", None),
                   ("效益指标", "分析报告被采纳数", "≥10篇", "8篇", "时效性不足，下一步加强对接。")]
    sp = rep.indicators[1].evidence.spans["actual"]
    assert doc.text[sp.start:sp.end] == "8篇"
    assert rep.goals[0].target == "全面完成各项统计调查任务，统计数据及时准确上报。"


def test_summary_paragraph_numbered_with_chinese_numerals_turns_to_its_indicators_halfway():
    doc, reading = run([
        "重点项目绩效目标完成情况",
        "一、农村养老服务项目绩效目标完成情况综述。该项目年度预算460万元，实际执行447.3万元，自评得分94分。"
        "主要绩效指标完成情况：数量指标方面，新建农村幸福院数量目标值为8个，实际完成8个；"
        "服务对象满意度指标方面，老年人满意度目标值≥90%，实际完成93%。",
    ])
    [rep] = reading.reports
    assert (rep.name, rep.funds.budget, rep.score) == ("农村养老服务", 460, 94)
    assert [(i.level2, i.name, i.target, i.actual) for i in rep.indicators] == [
        ("数量指标", "新建农村幸福院数量", "8个", "8个"),
        ("服务对象满意度指标", "老年人满意度", "≥90%", "93%")]


def test_two_numbers_a_space_apart_are_not_one_number():
    from extractor.tables import plain_number

    assert plain_number("97.75") == 97.75 and plain_number("1,234.5") == 1234.5 and plain_number("10 分") == 10
    assert plain_number("100 97.75") is None and plain_number("15\u300015") is None


def test_funds_total_row_one_cell_wider_than_its_header():
    doc, reading = run([
        "部门整体支出绩效自评表",
        [
            ["部门名称", "某区水务局"],
            ["", "年度预算数", "全年执行数", "执行率", "分值", "得分"],
            ["资金来源", "合计", "3286.45", "3192.18", "97.13%", "10", "9.71"],
            ["", "", "（1）基本支出", "612.30", "606.52", "", "", ""],
        ],
    ])
    [rep] = reading.reports
    assert (rep.funds.budget, rep.funds.executed, rep.funds.rate) == (3286.45, 3192.18, 97.13)


def test_rows_that_dropped_some_merged_cells_realign_by_their_level_word():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "文化站免费开放补助"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["", "产出指标", "数量指标", "免费开放文化站数", "≥20个", "20个", "10", "10", ""],
            ["质量指标", "免费开放达标率", "≥95%", "96.4%", "10", "10", ""],        # both merged cells dropped
            ["", "时效指标", "补助资金拨付及时率", "100%", "100%", "10", "10"],     # one of them dropped
            ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "93%", "10", "10"],
        ],
    ])
    [rep] = reading.reports
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.score) for i in rep.indicators] == [
        ("产出指标", "数量指标", "免费开放文化站数", "≥20个", "20个", 10),
        ("产出指标", "质量指标", "免费开放达标率", "≥95%", "96.4%", 10),
        ("产出指标", "时效指标", "补助资金拨付及时率", "100%", "100%", 10),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "93%", 10),
    ]


def test_goal_cells_wrapped_over_rows_join_until_a_sentence_ends_or_a_new_item_opens():
    doc, reading = run([
        "项目支出绩效自评表",
        [
            ["项目名称", "服务站标准化建设"],
            ["年度总体目标", "预期目标", "实际完成情况"],
            ["", "完成36个服务站标准化建设，开展就业", "完成36个服务站建设并通"],
            ["", "创业等服务，提升退役军人获得感。", "过验收，服务1386人次。"],
            ["", "2.信息采集更新覆盖率达到98%", "信息采集更新覆盖率99.2%"],   # a new item: a goal of its own
        ],
    ])
    [rep] = reading.reports
    assert [(g.target, g.actual) for g in rep.goals] == [
        ("完成36个服务站标准化建设，开展就业创业等服务，提升退役军人获得感。", "完成36个服务站建设并通过验收，服务1386人次。"),
        ("2.信息采集更新覆盖率达到98%", "信息采集更新覆盖率99.2%"),
    ]
