"""Grounding: values are found on characters after NFKC + whitespace removal, with only a tiny
edit distance allowed, and their spans point into SourceDoc.text."""

from __future__ import annotations

from extractor.llm.grounding import Grounder, allowed_edits, norm_chars
from extractor.llm.reader import cut
from extractor.source import Block, SourceDoc

TEXT = (
    "前言文字\n"
    "项目名称\t乡村 医疗\n培训项目\n"  # a cell broken over two lines
    "产出指标\t数量指标\t培训场次\t≥5场\t6场\t10\t10\n"
    "产出指标\t质量指标\t培训合格率\t≥９０％\t95%\t10\t9\n"  # full-width digits
    "预算数\t1,178,000元\t执行率\t100%\n"
)


def grounder(start: int = 0, end: int | None = None) -> Grounder:
    doc = SourceDoc("g", TEXT, [Block("table", 0, len(TEXT), page=3)])
    return Grounder(doc, start, len(TEXT) if end is None else end)


def test_norm_chars():
    assert norm_chars(" ≥９０％ \n") == "≥90%"
    assert norm_chars("乡村 医疗\n培训") == "乡村医疗培训"


def test_exact_match_across_whitespace_and_nfkc_gives_source_span():
    g = grounder()
    found = g.find_text("乡村医疗培训项目")
    assert found and found.exact
    assert TEXT[found.span.start:found.span.end] == "乡村 医疗\n培训项目"
    assert found.span.page == 3
    found = g.find_text("≥90%")
    assert TEXT[found.span.start:found.span.end] == "≥９０％"


def test_fuzzy_is_tiny_and_keeps_the_source_wording():
    g = grounder()
    found = g.find_text("培训合格律")  # one wrong character in five
    assert found and not found.exact and found.text == "培训合格率"
    assert g.find_text("培训场数").text == "培训场次"  # a substitution, not the shorter "培训场"
    assert g.find_text("培训完成率高") is None  # two edits in six characters: not allowed
    assert g.find_text("≥6场") is None  # short values must match exactly
    assert [allowed_edits(n) for n in (3, 4, 19, 20, 59, 60)] == [0, 1, 1, 2, 2, 3]


def test_search_is_limited_to_the_stretch():
    start = TEXT.index("产出指标\t质量指标")
    g = grounder(start)
    assert g.find_text("培训场次") is None  # it is in the document, but not in the stretch read
    assert g.find_text("培训合格率").span.start == TEXT.index("培训合格率")


def test_hint_and_before_pick_the_nearest_occurrence():
    g = grounder()
    second_row = TEXT.index("产出指标\t质量指标")
    assert g.find_text("产出指标").span.start == TEXT.index("产出指标")
    assert g.find_text("产出指标", hint=second_row).span.start == second_row
    name_at = TEXT.index("培训合格率")
    assert g.find_text("产出指标", before=name_at).span.start == second_row


def test_numbers_ground_on_written_numbers_and_yuan_scale():
    g = grounder()
    assert TEXT[slice(*(lambda s: (s.start, s.end))(g.find_number(117.8, scales=(1e-4,))))] == "1,178,000"
    assert g.find_number(117.8) is None
    assert g.find_number(9, hint=TEXT.index("培训合格率")) is not None
    assert g.find_number(11) is None
    assert g.find_number(100).start == TEXT.index("100%")


def test_cut_respects_size_lines_and_overlaps_inside_tables():
    rows = "".join(f"产出指标\t数量指标\t指标{i:03d}\t≥{i}次\t{i}次\t5\t5\n" for i in range(200))
    text = "说明段落\n" + rows
    table_start = text.index("产出")
    doc = SourceDoc("c", text, [Block("paragraph", 0, table_start), Block("table", table_start, len(text))])
    pieces = cut(doc, 0, len(text), 1000, 200)
    assert len(pieces) > 1
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    for (a, b), (c, d) in zip(pieces, pieces[1:]):
        assert b - a <= 1000 and text[b - 1] == "\n"  # cut at a line end
        assert c < b and b - c <= 200  # overlap inside the table
        assert c == 0 or text[c - 1] == "\n"
    covered = set()
    for a, b in pieces:
        covered.update(range(a, b))
    assert covered == set(range(len(text)))
    # no overlap where the cut falls outside a table
    prose = "".join(f"第{i}段文字说明。\n" for i in range(300))
    pdoc = SourceDoc("p", prose, [Block("paragraph", 0, len(prose))])
    ppieces = cut(pdoc, 0, len(prose), 500, 200)
    assert all(b == c for (_, b), (c, _) in zip(ppieces, ppieces[1:]))


def test_weights_and_scores_must_stand_alone():
    doc = SourceDoc("n", "保洁河道长度\t≥40公里\t42公里\t20\t18分\n", [])
    g = Grounder(doc, 0, len(doc.text))
    assert g.find_number(40) is not None  # anywhere: part of ≥40公里
    assert g.find_number(40, cell=True) is None  # but not a cell of its own
    assert g.find_number(20, cell=True) is not None and g.find_number(18, cell=True) is not None


def table_doc(rows: list[list[str]], before: str = "自评表\n") -> SourceDoc:
    """A SourceDoc whose table block has parsed rows (as the loaders make them)."""
    from extractor.source import Cell

    text = before
    parsed = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if i:
                text += "\t"
            cells.append(Cell(value, len(text), len(text) + len(value)))
            text += value
        text += "\n"
        parsed.append(cells)
    blocks = [Block("paragraph", 0, len(before) - 1, text=before.strip()),
              Block("table", len(before), len(text), rows=parsed)]
    return SourceDoc("t", text, blocks)


HEAD = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


def test_render_makes_empty_cells_visible_and_repeats_the_heading():
    from extractor.llm.reader import render

    rows = [HEAD] + [["产出指标" if i == 0 else "", "数量指标" if i % 10 == 0 else "", f"指标{i:02d}", f"≥{i}次", f"{i}次",
                      "5", "5"] for i in range(40)]
    doc = table_doc(rows)
    pieces = cut(doc, 0, len(doc.text), 300, 80)
    assert len(pieces) >= 3
    row_starts = {min(c.start for c in r) for r in doc.blocks[1].rows}
    assert all(start in row_starts for start, _ in pieces[1:])  # pieces begin at whole rows
    first, g0, g1 = render(doc, *pieces[0])
    assert first.splitlines()[:3] == ["自评表", "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |",
                                      "| 产出指标 | 数量指标 | 指标00 | ≥0次 | 0次 | 5 | 5 |"]
    assert "|  |  | 指标01 | ≥1次 | 1次 | 5 | 5 |" in first.splitlines()
    second, s0, s1 = render(doc, *pieces[1])
    assert second.splitlines()[0].startswith("| 一级指标 | 二级指标 |")  # heading repeated for the model
    assert (s0, s1) == (pieces[1][0], max(pieces[1][1], s1)) and s0 == pieces[1][0]
    # grounding uses the document text: a value the model read in the rendered row is found
    name = second.splitlines()[1].split(" | ")[2]
    assert Grounder(doc, s0, s1).find_text(name) is not None
