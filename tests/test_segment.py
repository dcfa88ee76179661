"""Segmenter on synthetic documents."""

from __future__ import annotations

from extractor.segment import prose_summary, prose_title, segment, table_title
from builders import make_doc


def test_table_titles_kinds_roles_names_years():
    t = table_title("部门整体支出绩效自评表")
    assert (t.kind, t.role, t.name) == ("department", "table", None)
    t = table_title("2022年度部门整体绩效自评表")
    assert (t.kind, t.year) == ("department", 2022)
    t = table_title("某县卫生健康局部门整体支出绩效评价评分表")
    assert (t.kind, t.role, t.name) == ("department", "rubric", "某县卫生健康局")
    t = table_title("项目绩效自评结果汇总表(2021年度)")
    assert (t.kind, t.role, t.year) == ("project", "summary", 2021)
    t = table_title("中央对地方转移支付区域绩效目标自评表")
    assert (t.kind, t.name) == ("transfer", None)
    assert table_title("项目支出绩效目标完成情况表").kind == "project"
    assert table_title("收入支出决算总表") is None
    assert table_title("本表由单位填写，数据来源于财务账，请如实填报绩效自评表") is None


def test_prose_titles_take_the_name_from_the_line_before():
    t = prose_title("2021年度某市统计局部门整体支出绩效自评报告")
    assert (t.kind, t.name, t.year) == ("department", "某市统计局", 2021)
    t = prose_title("2020年部门整体支出绩效评价报告", prev="某县民政局")
    assert (t.kind, t.name) == ("department", "某县民政局")
    t = prose_title("2020年绩效评价报告", prev="敬老院改造项目")
    assert (t.kind, t.name) == ("project", "敬老院改造项目")
    t = prose_title("污水管网建设项目2020年绩效评价报告")
    assert (t.kind, t.name) == ("project", "污水管网建设项目")


def test_prose_project_title_keeps_the_name_as_written():
    t = prose_title("2023年山塘清淤项目支出绩效自评报告")
    assert (t.kind, t.name, t.year) == ("project", "2023年山塘清淤项目", 2023)
    t = prose_title("2022年度河道保洁专项资金绩效自评报告")
    assert t.name == "2022年度河道保洁专项资金"
    # titled by the unit: the project is named in its table, not here
    t = prose_title("某县林业局2021年度项目支出绩效自评报告")
    assert (t.kind, t.name) == ("project", None)
    assert prose_title("本部门已按要求完成《某局2020年部门整体支出绩效评价报告》，见附件。") is None


def test_prose_summary_paragraph_name_is_unpadded():
    s = prose_summary("农村饮水安全项目绩效目标完成情况综述。项目全年预算数12万元，执行数为12万元。")
    assert (s.kind, s.name) == ("project", "农村饮水安全")
    assert prose_summary("本单位对5个项目绩效目标实际完成情况进行了说明。") is None


def test_segments_split_tables_at_titles_and_name_fields():
    doc = make_doc([
        "前言：本报告说明本单位预算绩效情况，以下为自评表格。这里是一段较长的说明文字，用于确认它不会成为报告。",
        "项目支出绩效自评表",
        "(2023年度)",
        [
            ["项目名称", "甲工程"],
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
            ["产出指标", "数量指标", "完成数", "5", "5"],
            ["项目名称", "乙工程"],  # a second project's table flattened into the same block
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
            ["产出指标", "数量指标", "完成数", "3", "3"],
        ],
        "丙工程项目绩效目标完成情况综述。项目全年预算数3万元，执行数为3万元，完成预算的100%。",
    ])
    segs = segment(doc)
    assert [(s.role, s.kind, s.name, s.year) for s in segs] == [
        ("table", "project", "甲工程", 2023),
        ("table", "project", "乙工程", 2023),
        ("prose", "project", "丙工程", 2023),
    ]
    # each table segment holds only its own rows, offsets inside the document
    first_rows = [r for b in segs[0].blocks if b.is_table for r in b.rows]
    assert len(first_rows) == 3
    assert segs[1].start >= segs[0].end


def test_title_inside_table_row_and_summary_header():
    doc = make_doc([
        [
            ["项目绩效自评结果汇总表"],
            ["（2020年度）"],
            ["序号", "项目名称", "预算数", "执行数", "自评得分"],
            ["1", "甲", "1", "1", "90"],
        ],
    ])
    [seg] = segment(doc)
    assert (seg.role, seg.kind, seg.year) == ("summary", "project", 2020)


def test_untitled_table_kind_from_name_field():
    doc = make_doc([[["转移支付(项目)名称", "就业补助资金"], ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"]]])
    [seg] = segment(doc)
    assert (seg.kind, seg.name) == ("transfer", "就业补助资金")


def test_inline_name_paragraph_opens_segment():
    doc = make_doc([
        "项目名称：公厕改造    主管部门：某区城管局",
        [["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"], ["产出指标", "数量指标", "改造座数", "10座", "10座"]],
    ])
    [seg] = segment(doc)
    assert (seg.kind, seg.name) == ("project", "公厕改造")


def test_heading_numbers_and_markdown_marks_are_not_names():
    t = prose_title("附件1：某县财政局2020年度部门整体支出绩效自评报告")
    assert (t.kind, t.name, t.year) == ("department", "某县财政局", 2020)
    assert prose_title("一、部门整体支出绩效自评报告").name is None
    t = table_title("## 附表2 项目支出绩效自评表")
    assert (t.kind, t.name) == ("project", None)
    # "XX局项目支出…" names the department that owns the projects, not a project
    assert table_title("2021年度某县教育局项目支出绩效自评表").name is None
    assert table_title("校园安全改造项目支出绩效自评表").name == "校园安全改造"


def test_untitled_table_inside_a_prose_report_belongs_to_it():
    doc = make_doc([
        "2022年度某县林业局部门整体支出绩效自评报告",
        "一、部门基本情况",
        [["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"], ["产出指标", "数量指标", "造林面积", "500亩", "520亩"]],
    ])
    segs = segment(doc)
    assert [(s.role, s.kind, s.name) for s in segs] == [
        ("prose", "department", "某县林业局"),
        ("table", "department", "某县林业局"),
    ]


def test_prose_title_broken_over_two_lines_and_cover_name_field():
    doc = make_doc([
        "某市2019年度部门整体支出",
        "绩效评价自评报告",
        "部门(单位)名称：某市城市管理监督中心",
        "一、部门基本概况",
    ])
    [seg] = segment(doc)
    assert (seg.role, seg.kind, seg.name, seg.year) == ("prose", "department", "某市城市管理监督中心", 2019)
    assert prose_title("绩效评价自评报告") is None


def test_project_table_right_after_a_summary_table_is_its_own_segment():
    doc = make_doc([
        "项目绩效自评结果汇总表",
        [
            ["序号", "项目名称", "预算数", "执行数", "自评得分"],
            ["1", "甲", "1", "1", "90"],
            ["项目名称", "甲"],
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
            ["产出指标", "数量指标", "完成数", "5", "5"],
        ],
    ])
    segs = segment(doc)
    assert [(s.role, s.kind, s.name) for s in segs] == [("summary", "project", None), ("table", "project", "甲")]


def test_prose_title_about_a_project_self_evaluation():
    t = prose_title("某县农业农村局关于2022年耕地地力保护补贴项目绩效自评情况的报告")
    assert (t.kind, t.name, t.year) == ("project", "2022年耕地地力保护补贴项目", 2022)
    t = prose_title("关于2021年度村级公益事业一事一议项目绩效评价的报告")
    assert t.name == "2021年度村级公益事业一事一议项目"


def test_prose_report_named_by_its_body_not_its_title():
    # the title words the project otherwise; "项目名称：" in the body is the name as written
    doc = make_doc([
        "平安县农业农村局2021年耕地修复专项资金绩效自评报告",
        "一、项目概况",
        "项目名称：耕地质量提升补助资金",
        "实施单位：平安县农技推广站",
    ])
    segs = segment(doc)
    assert [(s.kind, s.name) for s in segs] == [("project", "耕地质量提升补助资金")]
    # "XX项目由YY具体实施": the body's statement names the project (with its year)
    doc = make_doc([
        "“乡村书屋·阅读惠民”项目绩效自评报告",
        "一、项目基本情况",
        "2022年农家书屋提质项目由平安县图书馆具体实施，县文化局负责监督管理。",
    ])
    segs = segment(doc)
    assert [(s.kind, s.name, s.year) for s in segs] == [("project", "2022年农家书屋提质项目", 2022)]


def test_unit_titled_summary_paragraph_names_no_project_and_sections_per_project():
    doc = make_doc([
        "平安县水利局2020年度项目支出绩效自评情况说明",
        "一、总体情况",
        [["序号", "项目名称", "预算数", "执行数", "自评得分"],
         ["1", "河道清淤经费", "10.00", "9.00", "90"],
         ["2", "水库巡查经费", "5.00", "5.00", "95"]],
        "二、主要项目情况",
        "（一）河道清淤经费",
        "该项目全年预算数10万元，实际执行9万元。",
        "河道清淤长度目标为10公里，实际9公里。",
        "水库巡查经费项目绩效目标完成情况综述。项目全年预算数5万元，执行数为5万元。",
        "巡查次数目标为12次，实际12次。",
        "该项目自评得分95分。",
        "三、存在问题",
        "资金拨付偏慢。",
    ])
    segs = segment(doc)
    named = [(s.role, s.name, len(s.blocks)) for s in segs if s.role == "prose"]
    assert named[0][1] is None  # the title names the unit, not a project
    assert ("prose", "河道清淤经费", 3) in named
    assert ("prose", "水库巡查经费", 3) in named  # the summary goes on up to the next heading


def test_transfer_named_by_a_field_and_told_in_prose_is_a_prose_segment():
    doc = make_doc([
        "平安县环保局",
        "关于2020年度中央大气污染防治资金绩效自评情况的报告",
        "一、基本情况",
        "转移支付项目名称：2020年中央大气污染防治资金",
        "资金使用单位：平安县环保局",
        "全年预算数100万元，全年执行数90万元，执行率90%。",
    ])
    segs = segment(doc)
    assert [(s.role, s.kind, s.name, s.year) for s in segs] == [
        ("prose", "transfer", "2020年中央大气污染防治资金", 2020)]


def test_generic_words_do_not_name_a_project():
    doc = make_doc([
        "“乡村书屋”项目绩效自评报告",
        "该项目由平安县图书馆具体实施。",
    ])
    assert [s.name for s in segment(doc)] == ["“乡村书屋”项目"]
    doc = make_doc([
        "平安县水利局2020年度项目支出绩效自评报告",
        [["序号", "项目名称", "预算数", "执行数", "自评得分"],
         ["1", "河道清淤经费", "10.00", "9.00", "90"],
         ["2", "水库巡查经费", "5.00", "5.00", "95"]],
        "（一）专项资金",
        "资金均已到位。",
        "（二）城市排水管理经费",
        "管网疏通长度目标为20公里，实际21公里。",
    ])
    names = [s.name for s in segment(doc) if s.role == "prose"]
    assert "专项资金" not in names and "城市排水管理经费" in names


def test_prose_title_unit_prefix_is_not_part_of_the_name():
    t = prose_title("平安县民政局2022年困难群众救助专项资金绩效自评报告")
    assert (t.kind, t.name, t.year) == ("project", "2022年困难群众救助专项资金", 2022)
    t = prose_title("平安县民政局2022年度项目支出绩效自评报告")
    assert (t.kind, t.name) == ("project", None)  # titled by the unit only


def test_summary_paragraph_goes_on_over_numbered_items_and_section_heads_need_a_unit_report():
    doc = make_doc([
        "平安县水利局2020年度项目支出绩效自评报告",
        [["序号", "项目名称", "预算数", "执行数", "自评得分"],
         ["1", "河道清淤经费", "10.00", "9.00", "90"],
         ["2", "水库巡查经费", "5.00", "5.00", "95"]],
        "水库巡查经费项目绩效目标完成情况综述。项目全年预算数5万元，执行数为5万元。",
        "1.产出指标：（1）巡查次数，目标12次，实际12次。",
        "2.满意度指标：（1）群众满意度，目标≥90%，实际95%。",
        "三、存在问题",
    ])
    [summ] = [s for s in segment(doc) if s.name == "水库巡查经费"]
    assert len(summ.blocks) == 3
    # a lone section heading in a document without a unit-titled prose report opens nothing
    doc = make_doc(["（一）中央补助资金", "本年度收到中央补助资金100万元。"])
    assert [s.name for s in segment(doc)] == []


def test_years_in_chinese_numerals():
    t = table_title("项目支出绩效自评表（二〇二三年度）")
    assert (t.kind, t.year) == ("project", 2023)
    # a title naming only the year and the report type names no project
    t = prose_title("二〇二三年度项目支出绩效自评报告", prev="某区体育局")
    assert t is None or t.name is None or "二〇二三" not in t.name
    assert prose_title("二〇一九年度部门整体支出绩效自评报告", prev="某县统计局").year == 2019
