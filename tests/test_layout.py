"""Paragraph/table recovery from plain text (extractor.layout)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.layout import blocks_from_text, format_blocks, join_lines, strip_tags
from extractor.loaders.text import load_text

DOCS = Path(__file__).resolve().parent.parent / "golden" / "docs"


def tables(blocks):
    return [b for b in blocks if b.is_table]


def paras(blocks):
    return [b.text for b in blocks if not b.is_table]


def texts(table):
    return [[c.text for c in row] for row in table.rows]


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def check_offsets(text, blocks, exact=True):
    """Every cell/paragraph text is found in its raw span; blocks are ordered and disjoint.

    exact=False: a cell's pieces may be interrupted (page debris, column-wrapped
    cells of space-aligned tables), so its text is a subsequence of its span.
    """
    prev = 0
    for b in blocks:
        assert prev <= b.start <= b.end <= len(text)
        prev = b.end
        if b.is_table:
            assert b.text == text[b.start : b.end]
            for row in b.rows:
                for c in row:
                    assert b.start <= c.start <= c.end <= b.end
                    raw = _squash(strip_tags(text[c.start : c.end]))
                    if exact:
                        assert _squash(c.text) in raw
                    else:
                        assert _subsequence(_squash(c.text), raw)
                    if c.text:
                        assert text[c.start : c.end] == text[c.start : c.end].strip()
        else:
            assert "\n" not in b.text
            raw = _squash(strip_tags(text[b.start : b.end]))
            assert _squash(b.text) in raw if exact else _subsequence(_squash(b.text), raw)


# ---------------------------------------------------------------- joining


def test_join_lines_chinese_no_space_latin_one_space():
    assert join_lines(["一级", "指标"]) == "一级指标"
    assert join_lines(["目标1:提升", "  ", "目标2:加强"]) == "目标1:提升目标2:加强"
    assert join_lines(["data", "center"]) == "data center"
    assert join_lines(["共计划拨0万", "元"]) == "共计划拨0万元"
    assert join_lines(["DRG", "试点"]) == "DRG试点"


def test_strip_tags():
    assert strip_tags("<p>甲</p><p>乙</p>").replace("\n", "") == "甲乙"
    assert strip_tags("a &amp; b") == "a & b"


# ---------------------------------------------------------------- layout a


def test_tab_separated_rows():
    text = (
        "样表一\n"
        "\n"
        "单位名称\t某某局\t自评得分\t95\n"
        "预算数\t执行数\t执行率\n"
        "\t12.5\t12.0\t96%\n"
        "目标\t<p>完成甲</p><p>完成乙</p>\t\n"
        "\n"
        "说明文字一段。\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["单位名称", "某某局", "自评得分", "95"],
        ["预算数", "执行数", "执行率"],
        ["", "12.5", "12.0", "96%"],
        ["目标", "完成甲完成乙", ""],
    ]
    assert paras(blocks) == ["样表一", "说明文字一段。"]
    # HTML debris stays in the raw span
    cell = t.rows[3][1]
    assert text[cell.start : cell.end].startswith("<p>")


# ---------------------------------------------------------------- layout b


def test_one_cell_per_line_rows_and_merged_cells():
    text = (
        "某某补助资金绩效自评表\n"
        "（2030年度）\n"
        "\t项目名称\n"
        "\t甲乙丙项目\n"
        "\n"
        "\t一级\n"
        "\n"
        "指标\n"
        "\t二级指标\n"
        "\t三级指标\n"
        "\t指标值\n"
        "\n"
        "\t\n"
        "\t产出指标\n"
        "\t数量指标\n"
        "\t培训次数\n"
        "\t≥3次\n"
        "\n"
        "\t\n"
        "\t\n"
        " \t质量指标\n"
        "\t合格率\n"
        "\t≥95%\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    assert paras(blocks) == ["某某补助资金绩效自评表", "（2030年度）"]
    (t,) = tables(blocks)
    assert texts(t) == [
        ["项目名称", "甲乙丙项目"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "培训次数", "≥3次"],
        ["", "", "质量指标", "合格率", "≥95%"],
    ]


def test_goal_cell_continues_over_blank_lines_then_prose_after_table():
    text = (
        "\t年度目标\n"
        "\t预期\n"
        "\t实际\n"
        "\n"
        "\t\n"
        "\t目标1：修路十公里。\n"
        "\n"
        "目标2：建桥两座。\n"
        "\n"
        "目标3：植树百棵。\n"
        "\t已修路十公里。\n"
        "\n"
        "已建桥两座。\n"
        "\n"
        "\t总分\n"
        "\t88\n"
        "\n"
        "\n"
        "一、基本情况\n"
        "本单位是某某局下属单位，承担甲乙丙等职责。\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["年度目标", "预期", "实际"],
        ["", "目标1：修路十公里。目标2：建桥两座。目标3：植树百棵。", "已修路十公里。已建桥两座。"],
        ["总分", "88"],
    ]
    goal = t.rows[1][1]
    assert "目标3" in text[goal.start : goal.end] and "目标1" in text[goal.start : goal.end]
    assert paras(blocks) == ["一、基本情况", "本单位是某某局下属单位，承担甲乙丙等职责。"]


def test_title_row_splits_two_tables():
    text = (
        "\t某项目绩效目标完成情况表\n"
        "(2030年度）\n"
        "\n"
        "\t项目名称\n"
        "\t甲项目\n"
        "\n"
        "\t满意度指标\n"
        "\t≥90%\n"
        "\n"
        "\n"
        "\t某项目绩效目标完成情况表\n"
        "(2030年度）\n"
        "\n"
        "\t项目名称\n"
        "\t乙项目\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    ts = tables(blocks)
    assert [texts(t)[0] for t in ts] == [["项目名称", "甲项目"], ["项目名称", "乙项目"]]
    assert paras(blocks).count("某项目绩效目标完成情况表") == 2
    assert paras(blocks).count("(2030年度）") == 2
    # order: title paragraphs come before their table
    kinds = [b.kind for b in blocks]
    assert kinds == ["paragraph", "paragraph", "table", "paragraph", "paragraph", "table"]


def test_header_word_after_long_cell_starts_row():
    text = (
        "\t年度总体目标\n"
        "\t年初目标\n"
        "\t完成情况\n"
        "\n"
        "\t\n"
        "\t1、完成全部二十个村的道路硬化工程，并按期通过验收合格。\n"
        "\t1、已完成全部二十个村的道路硬化工程，验收合格。\n"
        " \t一级指标\n"
        "\t二级指标\n"
        "\t三级指标\n"
        "\n"
        "\t\n"
        "\t产出指标\n"
        "\t数量指标\n"
        "\t道路公里数\n"
    )
    t = tables(blocks_from_text(text))[0]
    assert texts(t)[2] == ["一级指标", "二级指标", "三级指标"]
    assert len(texts(t)) == 4


def test_lone_cell_after_stray_blank_joins_row():
    text = "\t总体目标完成情况\n\t总体目标\n\n\n\t全年实际完成情况\n\n\t\n\t甲\n\t乙\n"
    t = tables(blocks_from_text(text))[0]
    assert texts(t) == [["总体目标完成情况", "总体目标", "全年实际完成情况"], ["", "甲", "乙"]]


def test_page_debris_inside_table_is_skipped():
    text = "\t名称\n\t值\n\n- 3 -\n\n\t甲\n\t1\n"
    blocks = blocks_from_text(text)
    (t,) = tables(blocks)
    assert texts(t) == [["名称", "值"], ["甲", "1"]]
    assert paras(blocks) == []


# ---------------------------------------------------------------- layout c


def test_flat_rubric_recovered_from_header_words():
    text = (
        "某局整体支出绩效评价评分表\n"
        "一级指标\n二级指标\n三级指标\n指标分值\n自评得分\n"
        "投入\n预算编制\n目标制定\n8\n6\n"
        "\n"
        "第 2 页\n"
        "\n"
        "过程\n资金管理\n资金使用合规性\n10\n9\n"
        "\n"
        "二、存在问题\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["一级指标", "二级指标", "三级指标", "指标分值", "自评得分"],
        ["投入", "预算编制", "目标制定", "8", "6"],
        ["过程", "资金管理", "资金使用合规性", "10", "9"],
    ]
    assert paras(blocks) == ["某局整体支出绩效评价评分表", "二、存在问题"]


def test_no_flat_table_without_header_words():
    text = "一级目标已完成\n二级任务顺利\n8\n6\n"
    blocks = blocks_from_text(text)
    assert tables(blocks) == []
    assert len(paras(blocks)) == 4


# ---------------------------------------------------------------- layout d


def test_markdown_table_and_heading():
    text = (
        "# 项目支出绩效自评表\n"
        "\n"
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "|---|:---:|---|---|\n"
        "| 产出指标 | 数量指标 | 培训人数 | ≥100人 |\n"
        "|  |  | 合格率 | 100% |\n"
        "\n"
        "正文一段。\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训人数", "≥100人"],
        ["", "", "合格率", "100%"],
    ]
    assert paras(blocks) == ["项目支出绩效自评表", "正文一段。"]


def test_prose_only_gives_one_paragraph_per_line():
    text = "一、部门概况\n\n本部门共有编制二十名。\n表3\n"
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    assert paras(blocks) == ["一、部门概况", "本部门共有编制二十名。", "表3"]


def test_format_blocks_prints_rows():
    out = format_blocks(blocks_from_text("甲\t乙\n丙\t丁\n"))
    assert "TABLE" in out and "甲 | 乙" in out


# ---------------------------------------------------------------- sample documents (structure read by eye)


def _header_tables(doc, word):
    """(table, index of its first row holding `word`) for tables with such a row."""
    out = []
    for t in tables(doc.blocks):
        for k, row in enumerate(t.rows):
            if any(_squash(c.text) == word for c in row):
                out.append((t, k))
                break
    return out


def _rows_after(t, k):
    return [r for r in t.rows[k + 1 :] if any(c.text for c in r)]


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_samples_offsets(path):
    doc = load_text(path)
    check_offsets(doc.text, doc.blocks)
    assert tables(doc.blocks)


def _doc(prefix):
    matches = sorted(DOCS.glob(prefix + "_*.txt"))
    if not matches:
        pytest.skip("sample not present")
    return load_text(matches[0])


def test_sample_004_transfer_table():
    doc = _doc("004")
    # lines 68-76: header row with 三级指标; 15 blank-separated rows follow, 3 of them all empty, then 说明
    ((t, k),) = _header_tables(doc, "三级指标")
    assert len(tables(doc.blocks)) == 1
    assert _squash(" ".join(c.text for c in t.rows[k])).startswith("绩效指标一级指标二级指标三级指标")
    rows = _rows_after(t, k)
    assert len(rows) == 13
    assert rows[-1][0].text == "说明"
    # the first row: name label and the transfer name
    assert texts(t)[0] == ["转移支付(项目)名称", "中央财政医疗服务与保障能力提升补助资金"]
    # goals cell holds 目标1..目标4 as one cell
    goal_row = t.rows[k - 1]
    assert any("目标1" in c.text and "目标4" in c.text for c in goal_row)
    assert "转移支付区域(项目)绩效目标自评表" in paras(doc.blocks)


def test_sample_003_department_table():
    doc = _doc("003")
    ((t, k),) = _header_tables(doc, "三级指标")
    rows = _rows_after(t, k)
    assert len(rows) == 18  # 17 indicator rows and 总分
    assert rows[-1][0].text == "总分"
    assert [c.text for c in t.rows[k]][:3] == ["一级指标", "二级指标", "三级指标"]
    # the report's prose after the table is paragraphs, not cell text
    assert any(p.startswith("六、下一步改进措施") for p in paras(doc.blocks))


def test_sample_002_project_and_rubric_tables():
    doc = _doc("002")
    found = _header_tables(doc, "三级指标")
    assert len(found) == 6  # five 项目绩效目标完成情况表 and the 评分表
    counts = [len(_rows_after(t, k)) for t, k in found]
    # indicator rows read off the document: 7, 8, 7, 10, 14; rubric 20 rows + 总分
    assert counts == [7, 8, 7, 10, 14, 21]
    assert paras(doc.blocks).count("项目绩效目标完成情况表") == 5


def test_sample_000_tab_rows():
    doc = _doc("000")
    ts = tables(doc.blocks)
    assert len(ts) == 3
    assert len(ts[1].rows) == 17  # header + 16 projects
    assert [c.text for c in ts[1].rows[0]] == ["序号", "项目名称", "预算数(万元)", "执行数(万元)", "自评得分"]
    ((t, k),) = _header_tables(doc, "指标名称")
    assert len(_rows_after(t, k)) == 9  # 合计, 7 indicators, 说明
    for title in ("表10", "部门整体绩效自评表", "(2021年度)"):
        assert title in paras(doc.blocks)


# ---------------------------------------------------------------- layout c without numeric columns, layout e, debris


def test_flat_table_rows_from_level_words():
    text = (
        "一级指标\n二级指标\n三级指标\n年度指标值\n实际完成值\n"
        "产出指标\n数量指标\n培训人次\n≥200人次\n230人次\n"
        "质量指标\n合格率\n≥95%\n98%\n"
        "效益指标\n社会效益指标\n群众知晓率\n提高\n明显提高\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t)[1:] == [
        ["产出指标", "数量指标", "培训人次", "≥200人次", "230人次"],
        ["", "质量指标", "合格率", "≥95%", "98%"],  # level1 merged from above: padded in front
        ["效益指标", "社会效益指标", "群众知晓率", "提高", "明显提高"],
    ]


def test_space_aligned_columns():
    text = (
        "绩效指标完成情况\n"
        "一级指标    二级指标    三级指标          指标值     完成值\n"
        "产出指标    数量指标    培训人次          ≥200人次   230人次\n"
        "                        （含线上）\n"
        "            质量指标    合格率            ≥95%       98%\n"
        "\n"
        "以上为本年度完成情况。\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks, exact=False)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["一级指标", "二级指标", "三级指标", "指标值", "完成值"],
        ["产出指标", "数量指标", "培训人次（含线上）", "≥200人次", "230人次"],
        ["", "质量指标", "合格率", "≥95%", "98%"],  # under the columns it stands in (一级 merged above)
    ]
    assert paras(blocks) == ["绩效指标完成情况", "以上为本年度完成情况。"]


def test_running_header_and_page_number_dropped_inside_table():
    page = "\n某某局2030年度绩效自评报告\n\n- {} -\n\n"
    text = (
        "某某局2030年度绩效自评报告\n"
        "\t名称\n\t值\n"
        + page.format(1)
        + "\t甲\n\t长文本第一段\n"
        + page.format(2)
        + "接续的第二段\n\t乙\n\t2\n"
        + page.format(3)
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks, exact=False)
    (t,) = tables(blocks)
    assert texts(t) == [["名称", "值"], ["甲", "长文本第一段接续的第二段", "乙", "2"]]


def test_tab_rows_then_cell_per_line_table_are_two_tables():
    text = (
        "序号\t项目名称\t得分\n"
        "1\t甲项目\t90\n"
        "2\t乙项目\t85\n"
        "\n"
        "\t项目名称\n"
        "\t甲项目\n"
        "\n"
        "\t一级指标\n"
        "\t二级指标\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    a, b = tables(blocks)
    assert texts(a) == [["序号", "项目名称", "得分"], ["1", "甲项目", "90"], ["2", "乙项目", "85"]]
    assert texts(b) == [["项目名称", "甲项目"], ["一级指标", "二级指标"]]


def test_bare_page_numbers_counting_up_are_dropped():
    def filler(page):
        return "".join(f"第{page}页第{k}段正文内容。\n" for k in range(12))

    text = "".join(f"{filler(page)}\n{page}\n\n" for page in (1, 2, 3, 4)) + "\n7\n\n"
    blocks = blocks_from_text(text)
    ps = paras(blocks)
    assert not any(p in ("1", "2", "3", "4") for p in ps)
    assert "7" in ps  # a lone number outside the chain stays
    assert len(ps) == 12 * 4 + 1


def test_title_and_unit_lines_between_glued_tables():
    text = "名称\t得分\n甲\t90\n表2\n单位：万元\n项目\t预算数\n乙\t12\n"
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    assert [b.kind for b in blocks] == ["table", "paragraph", "paragraph", "table"]
    assert paras(blocks) == ["表2", "单位：万元"]


def test_random_text_never_breaks_offsets():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(["\t", "\n", "\n\n", " ", "  ", "甲", "乙", "1", "8", "表", "<p>", "</p>", "|", "---", "一级指标\n", "- 2 -", "。", "a", "<table>", "<tr>", "<td colspan=2>", "</table>", "+--+", "+==+",
                                "一级\n", "指标\n", "分值\n", "得分\n", "产出指标\n", "满意度\n", "元\n", "总分\n", "……\n"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(alphabet, max_size=60).map("".join))
    def run(text):
        blocks = blocks_from_text(text)
        check_offsets(text, blocks, exact=False)

    run()


def test_prose_between_cell_tables_is_paragraph():
    text = (
        "\t满意度\n"
        "\t≥95%\n"
        "\n"
        "本单位另有一个项目情况如下\n"
        "\n"
        "\t乙项目绩效自评表\n"
        "\n"
        "\t项目名称\n"
        "\t乙项目\n"
        "\n"
        "\t说明\n"
        "\t无\n"
        "\n"
        "本表由财务科填写并加盖公章后报送\n"
        "\n"
        "\t项目名称\n"
        "\t丙项目\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    assert paras(blocks) == ["本单位另有一个项目情况如下", "乙项目绩效自评表", "本表由财务科填写并加盖公章后报送"]
    assert [texts(t) for t in tables(blocks)] == [
        [["满意度", "≥95%"]],
        [["项目名称", "乙项目"], ["说明", "无"]],
        [["项目名称", "丙项目"]],
    ]


def test_html_table_with_spans():
    text = (
        "项目支出绩效自评表\n"
        "<table>\n"
        "<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th></tr>\n"
        "<tr><td rowspan=\"2\">产出指标</td><td colspan=\"2\">数量指标 <br/>合计</td></tr>\n"
        "<tr><td>质量指标</td><td>合格率</td></tr>\n"
        "</table>\n"
        "以上。\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["一级指标", "二级指标", "三级指标"],
        ["产出指标", "数量指标合计", ""],
        ["", "质量指标", "合格率"],
    ]
    assert paras(blocks) == ["项目支出绩效自评表", "以上。"]


def test_grid_table_multiline_cells():
    text = (
        "+----------+------------+\n"
        "| 指标名称 | 实际完成值 |\n"
        "+==========+============+\n"
        "| 培训     | 完成200    |\n"
        "| 人次     | 人次       |\n"
        "+----------+------------+\n"
        "| 合格率   | 98%        |\n"
        "+----------+------------+\n"
        "后记\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks, exact=False)
    (t,) = tables(blocks)
    assert texts(t) == [["指标名称", "实际完成值"], ["培训人次", "完成200人次"], ["合格率", "98%"]]
    assert paras(blocks) == ["后记"]


def test_pipe_rows_without_separator():
    text = "| 名称 | 得分 |\n| 甲 | 90 |\n"
    (t,) = tables(blocks_from_text(text))
    assert texts(t) == [["名称", "得分"], ["甲", "90"]]


def test_flat_rubric_two_row_header_merged_cells_and_total():
    text = (
        "评分表\n"
        "绩效指标\n分值\n评分标准\n得分\n一级指标\n二级指标\n三级指标\n"
        "决策（20分）\n目标设定（10分）\n目标明确\n5\n目标明确得5分\n4\n"
        "目标细化\n5\n细化量化得5分\n5\n"
        "过程（30分）\n资金管理\n资金到位\n10\n足额到位得10分\n10\n"
        "总分\n19\n"
        "三、存在问题\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["绩效指标", "分值", "评分标准", "得分"],
        ["一级指标", "二级指标", "三级指标"],
        ["决策（20分）", "目标设定（10分）", "目标明确", "5", "目标明确得5分", "4"],
        ["", "", "目标细化", "5", "细化量化得5分", "5"],
        ["过程（30分）", "资金管理", "资金到位", "10", "足额到位得10分", "10"],
        ["总分", "19"],
    ]
    assert paras(blocks) == ["评分表", "三、存在问题"]


def test_sentence_after_value_row_is_not_cell_text():
    text = "项目\t金额\n甲\t100\n本表金额单位为万元，下同。\n项目\t得分\n乙\t90\n\t117.8\n万元\n"
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    assert paras(blocks) == ["本表金额单位为万元，下同。"]
    a, b = tables(blocks)
    assert texts(a) == [["项目", "金额"], ["甲", "100"]]
    assert texts(b)[-1] == ["", "117.8万元"]


def test_spreadsheet_dump_title_rows_and_stray_tab():
    text = (
        "一、基本情况\t\n"
        "\n"
        "\t\t某项目绩效自评表\t\t\n"
        "\t\t（2030年度）\t\t\n"
        "指标名称\t指标值\t实际完成值\t\t\n"
        "培训人次\t≥100\t120\t\t\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    assert paras(blocks) == ["一、基本情况", "某项目绩效自评表", "（2030年度）"]
    (t,) = tables(blocks)
    assert [c.text for c in t.rows[0]][:3] == ["指标名称", "指标值", "实际完成值"]
    assert len(t.rows) == 2


def test_cells_with_trailing_tabs_stay_one_cell_per_line():
    text = "\t项目名称\t\n\t甲项目\t\n\n\t\n\t数量指标\t\n\t10\t\n"
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [["项目名称", "甲项目"], ["", "数量指标", "10"]]


def test_flat_table_split_words_unit_tails_and_placeholder():
    text = (
        "一级\n指标\n二级指标\n三级指标\n指标值\n实际值\n分值\n得分\n"
        "产出指标\n数量指标\n修路长度\n≥10公里\n共完成12\n公里\n5\n5\n"
        "建桥数\n2座\n2座\n5\n5\n"
        "效益指标\n生态效益\n指标\n……\n"
        "满意度\n指标\n群众满意度\n≥90%\n95%\n10\n9\n"
        "总分\n19\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["一级指标", "二级指标", "三级指标", "指标值", "实际值", "分值", "得分"],
        ["产出指标", "数量指标", "修路长度", "≥10公里", "共完成12公里", "5", "5"],
        ["", "", "建桥数", "2座", "2座", "5", "5"],
        ["效益指标", "生态效益指标", "……"],
        ["", "满意度指标", "群众满意度", "≥90%", "95%", "10", "9"],  # right-aligned on its last number
        ["总分", "19"],
    ]


def test_flat_table_without_numbers_rows_by_level_words_and_even_split():
    text = (
        "项目绩效表\n"
        "一级指标\n二级指标\n三级指标\n指标值\n实际完成值\n偏差原因\n"
        "产出指标\n数量指标\n培训人次\n≥100\n120\n发放手册\n500册\n500册\n"
        "质量指标\n合格率\n≥95%\n98%\n"
        "说明\n无\n"
        "注：本表由项目单位填写\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t)[1:] == [
        ["产出指标", "数量指标", "培训人次", "≥100", "120"],
        ["", "", "发放手册", "500册", "500册"],
        ["", "质量指标", "合格率", "≥95%", "98%"],
        ["说明", "无"],
    ]
    assert paras(blocks) == ["项目绩效表", "注：本表由项目单位填写"]


def test_markdown_bold_removed_from_text():
    text = "**项目名称**：甲项目\n\n| **指标** | 值 |\n|---|---|\n| 合格率 | 100% |\n"
    blocks = blocks_from_text(text)
    check_offsets(text, blocks, exact=False)
    assert paras(blocks) == ["项目名称：甲项目"]
    assert texts(tables(blocks)[0])[0] == ["指标", "值"]


def test_double_tab_indent_is_still_one_cell_per_line():
    text = "\t\t项目名称\n\t\t甲项目\n\n\t\t\n\t\t数量指标\n\t\t10\n"
    (t,) = tables(blocks_from_text(text))
    assert texts(t) == [["项目名称", "甲项目"], ["", "数量指标", "10"]]


def test_debug_printer_main(tmp_path, capsys):
    from extractor.layout import main

    path = tmp_path / "d.txt"
    path.write_text("标题表\n\n名称\t得分\n甲\t90\n", encoding="gb18030")
    assert main([str(path), "0"]) == 0
    out = capsys.readouterr().out
    assert "encoding=gb18030" in out
    assert "PARA  [0:3] 标题表" in out
    assert "  | 甲 | 90" in out
    assert main([str(tmp_path / "missing.txt")]) == 1


def test_lone_cell_after_full_row_stays_own_row():
    text = "\t\n\t产出指标\n\t数量指标\n\t培训人次\n\t≥100\n\t120\n\n\t备注：以上数据来自统计台账\n"
    (t,) = tables(blocks_from_text(text))
    assert texts(t) == [["", "产出指标", "数量指标", "培训人次", "≥100", "120"], ["备注：以上数据来自统计台账"]]


def test_cell_lines_without_blank_rows_cut_by_header_width():
    text = (
        "\t项目名称\n\t甲项目\n"
        "\t一级指标\n\t二级指标\n\t三级指标\n\t指标值\n"
        "\t产出指标\n\t数量指标\n\t培训人次\n\t≥100\n"
        "\t\n\t质量指标\n\t合格率\n多行说明\n\t≥95%\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["项目名称", "甲项目"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训人次", "≥100"],
        ["", "质量指标", "合格率多行说明", "≥95%"],
    ]


def test_wide_header_row_with_empty_cells_is_not_cut():
    # a blank-line-separated header row holding empty cells between its words (a two-row
    # header's upper row) is one row, not cut into rows of its first header run's width
    text = (
        "\t绩效指标\n\t一级指标\n\t二级指标\n\t三级指标\n\t年度指标值\n\t\n\t\n\t实际完成值\n\t\n\t分值\n\t得分\n\t偏差原因分析及改进措施\n"
        "\n\t\n\t产出指标\n\t数量指标\n\t义诊次数\n\t≥\n\t10\n\t次\n\t12\n\t次\n\t5\n\t5\n\t\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t)[0][:5] == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"]
    assert texts(t)[0][-1] == "偏差原因分析及改进措施"


def test_bar_separated_rows_without_outer_bars():
    text = (
        "项目支出绩效自评表\n"
        "项目名称|乡村公路养护|主管部门|某县交通局\n"
        "项目资金（万元）\n"
        "资金来源|全年预算数|全年执行数|执行率\n"
        "年度资金总额|120.00|118.20|98.5%\n"
        "一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分\n"
        "产出指标|数量指标|养护里程|≥80公里|82公里|20|20\n"
        "合计|||||100|96\n"
        "\n"
        "本表金额单位：万元。数据来源|财务系统\n"  # prose with one bar, after a blank line: not a row
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["项目名称", "乡村公路养护", "主管部门", "某县交通局"],
        ["项目资金（万元）"],
        ["资金来源", "全年预算数", "全年执行数", "执行率"],
        ["年度资金总额", "120.00", "118.20", "98.5%"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "养护里程", "≥80公里", "82公里", "20", "20"],
        ["合计", "", "", "", "", "100", "96"],
    ]
    assert paras(blocks) == ["项目支出绩效自评表", "本表金额单位：万元。数据来源|财务系统"]


def test_two_bar_lines_are_no_table():
    text = "说明|见附件\n备注|无\n正文一段。\n"
    assert tables(blocks_from_text(text)) == []


def test_two_page_running_header_inside_a_table_is_debris_but_a_new_form_title_is_not():
    # page 1 opens with the header line; page 2 repeats it after the page number, mid-table
    text = (
        "某区2030年度项目支出绩效自评表\n\n"
        "\t项目名称\n\t甲项目\n\n"
        "\t一级指标\n\t三级指标\n\t指标值\n\n"
        "\t产出指标\n\t培训人数\n\t100人\n\n"
        "— 1 —\n\n"
        "某区2030年度项目支出绩效自评表\n\n"
        "\t效益指标\n\t满意度\n\t90%\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks, exact=False)
    assert paras(blocks) == ["某区2030年度项目支出绩效自评表"]
    # the same line over a page break that a new form follows (its name field) is a title
    text2 = text.replace("\t效益指标\n\t满意度\n\t90%\n", "\t项目名称\n\t乙项目\n")
    assert paras(blocks_from_text(text2)) == ["某区2030年度项目支出绩效自评表"] * 2


def test_funds_block_one_cell_per_line_without_separators():
    text = (
        "项目资金\n（万元）\n年初预算数\n全年预算数\n全年执行数\n分值\n执行率\n得分\n"
        "年度资金总额\n320.00\n360.00\n352.44\n10\n97.9%\n9.8\n"
        "其中：当年财政拨款\n320.00\n360.00\n352.44\n—\n—\n—\n"
        "年度总体\n目标\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks)
    (t,) = tables(blocks)
    assert texts(t) == [
        ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "320.00", "360.00", "352.44", "10", "97.9%", "9.8"],
        ["其中：当年财政拨款", "320.00", "360.00", "352.44", "—", "—", "—"],
    ]
    assert paras(blocks) == ["项目资金", "（万元）", "年度总体", "目标"]
    # column words without values under them are no table
    assert tables(blocks_from_text("预算数\n执行数\n执行率\n说明文字一段。\n")) == []


def test_no_separator_dump_wrapped_name_note_run_on_and_values_near_a_page_break():
    header = "一级指标\n二级指标\n三级指标\n年度指标值\n实际完成值\n分值\n得分\n偏差原因分析及改进措施\n"
    title = "某县某局2030年度项目支出绩效自评表\n"
    text = (
        title + header
        + "产出指标\n数量指标\n校园视频监控系统建\n设学校数\n≥45所\n45所\n15\n15\n"
        + "质量指标\n设备验收合格率\n100%\n95%\n10\n8\n"
        + "部分设备到货较晚，\n已督促厂家整改\n"           # the note above, run on past its points
        + "工程返工率\n≤5%\n3%\n10\n10\n"
        + "第 1 页，共 3 页\n" + title                      # page break: footer and running header
        + "安装及时率\n100%\n100%\n3\n3\n"
        + "第 2 页，共 3 页\n" + title
        + "满意度指标\n服务对象满意度指标\n满意度\n≥90%\n92%\n10\n10\n"
        + "第 3 页，共 3 页\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks, exact=False)
    (t,) = tables(blocks)
    rows = [[c for c in r if c] for r in texts(t)[1:]]
    assert rows == [
        ["产出指标", "数量指标", "校园视频监控系统建设学校数", "≥45所", "45所", "15", "15"],
        ["质量指标", "设备验收合格率", "100%", "95%", "10", "8", "部分设备到货较晚，已督促厂家整改"],
        ["工程返工率", "≤5%", "3%", "10", "10"],
        ["安装及时率", "100%", "100%", "3", "3"],  # "3" recurs but is a value, not a running header
        ["满意度指标", "服务对象满意度指标", "满意度", "≥90%", "92%", "10", "10"],
    ]


def test_goal_block_one_cell_per_line_split_into_goal_and_completion():
    text = (
        "年度总体\n目标\n预期目标\n实际完成情况\n"
        "完成全县农村公路养护里程320公里，\n优良路率达到80%以上，保障群众安全出行。\n"
        "完成养护里程326公里，优良路率\n82.5%，全年未发生因路况引发的事故。\n"
        "一级指标\n二级指标\n三级指标\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks, exact=False)
    goal = next(t for t in tables(blocks) if texts(t)[0][0] == "年度总体目标")
    assert texts(goal) == [
        ["年度总体目标", "预期目标", "实际完成情况"],
        ["", "完成全县农村公路养护里程320公里，优良路率达到80%以上，保障群众安全出行。",
         "完成养护里程326公里，优良路率82.5%，全年未发生因路况引发的事故。"],
    ]


def test_space_aligned_table_cells_keep_their_columns_and_wrapped_lines_join():
    # pdftotext -layout: columns by display width (a CJK character is two wide)
    text = (
        "项目资金          年初预算数    全年预算数    全年执行数\n"
        "（万元）\n"
        "年度资金总额      150.00        150.00        146.85\n"
        "\n"
        "一级指标      二级指标        三级指标                年度指标值      实际完成值      分值  得分    偏差原因\n"
        "产出指标      数量指标        服务站建设数量          ≥36个           36个            15    15\n"
        "                              退役军人及其他优抚对象  ≥98%            99.2%           10    10\n"
        "                              信息采集更新覆盖率\n"
        "效益指标      社会效益指标    就业创业服务            ≥1500人次       1386人次        15    12      设备到位较\n"
        "                              人次                                                                  晚，服务推迟\n"
        "满意度指标    服务对象满意    满意度                  ≥90%            95.6%           15    15\n"
        "              度指标\n"
    )
    blocks = blocks_from_text(text)
    check_offsets(text, blocks, exact=False)
    (t,) = tables(blocks)
    assert texts(t)[1:3] == [["（万元）"], ["年度资金总额", "150.00", "150.00", "146.85"]]
    assert texts(t)[4:] == [
        ["产出指标", "数量指标", "服务站建设数量", "≥36个", "36个", "15", "15", ""],
        ["", "", "退役军人及其他优抚对象信息采集更新覆盖率", "≥98%", "99.2%", "10", "10", ""],
        ["效益指标", "社会效益指标", "就业创业服务人次", "≥1500人次", "1386人次", "15", "12", "设备到位较晚，服务推迟"],
        ["满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95.6%", "15", "15", ""],
    ]


def test_space_aligned_goal_rows_go_under_their_columns():
    text = (
        "项目名称      服务站建设\n"
        "年度总体目标    预期目标                              实际完成情况\n"
        "                完成36个服务站建设，开展就业          完成36个服务站建设并通\n"
        "                创业等服务。                          过验收。\n"
    )
    (t,) = tables(blocks_from_text(text))
    assert texts(t)[2:] == [["", "完成36个服务站建设，开展就业", "完成36个服务站建设并通"],
                            ["", "创业等服务。", "过验收。"]]
