"""Fault injection against a fake OpenAI-compatible server: every read finishes, every event is
counted, and nothing but the faulty part is lost."""

from __future__ import annotations

import json

import pytest

from extractor.llm.reader import LLMConfig, read
from extractor.pipeline import Pending
from extractor.source import SourceDoc

TABLE = (
    "项目支出绩效自评表\n"
    "项目名称\t社区读书角建设\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
    "产出指标\t数量指标\t新建读书角数量\t≥12个\t12个\t20\t20\t\n"
    "产出指标\t质量指标\t图书上架合格率\t≥95%\t97%\t20\t19\t个别图书登记延迟\n"
    "效益指标\t社会效益指标\t居民借阅人次\t≥3000人次\t3150人次\t30\t30\t\n"
)
ROW1 = {"l1": "产出指标", "l2": "数量指标", "l3": "新建读书角数量", "tgt": "≥12个", "act": "12个", "w": 20, "s": 20, "note": None}
ROW2 = {"l1": "产出指标", "l2": "质量指标", "l3": "图书上架合格率", "tgt": "≥95%", "act": "97%", "w": 20, "s": 19,
        "note": "个别图书登记延迟"}
ROW3 = {"l1": "效益指标", "l2": "社会效益指标", "l3": "居民借阅人次", "tgt": "≥3000人次", "act": "3150人次", "w": 30, "s": 30,
        "note": None}
GOOD = json.dumps({"rows": [ROW1, ROW2, ROW3]}, ensure_ascii=False)


def doc() -> SourceDoc:
    return SourceDoc(stem="fake", text=TABLE, blocks=[])


def pending() -> list[Pending]:
    return [Pending(0, len(TABLE), "indicators", "project", "社区读书角建设")]


def config(fake, tmp_path, **kw) -> LLMConfig:
    base = dict(base_url=fake.base_url, model="fake-model", mode="json", use_cache=False, cache_dir=tmp_path / "c",
                max_attempts=3, wait_initial=0.01, wait_max=0.05, timeout=5.0, concurrency=1)
    base.update(kw)
    return LLMConfig(**base)


def names(reading) -> list[str]:
    return [i.name for r in reading.reports for i in r.indicators]


def test_clean_call_grounds_every_field(fake_llm, tmp_path):
    fake_llm.script = [("ok", GOOD)]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    assert names(reading) == ["新建读书角数量", "图书上架合格率", "居民借阅人次"]
    report = reading.reports[0]
    assert (report.kind, report.name) == ("project", "社区读书角建设")
    ind = report.indicators[1]
    assert (ind.target, ind.actual, ind.weight, ind.score, ind.note) == ("≥95%", "97%", 20, 19, "个别图书登记延迟")
    assert ind.evidence.origin == "llm:fake-model:indicators@1"
    for key in ("name", "target", "actual", "note", "level1", "level2", "weight", "score"):
        span = ind.evidence.spans[key]
        assert TABLE[span.start:span.end] == str(getattr(ind, key)).removesuffix(".0"), key
    s = reading.stats
    assert (s["llm_calls"], s["retries"], s["failed_segments"], s["ungrounded_dropped"]) == (1, 0, 0, 0)
    assert (s["prompt_tokens"], s["completion_tokens"]) == (11, 7)
    # the request: json_object response format, bounded max_tokens, temperature 0, the schema in the prompt
    body = fake_llm.requests[0]["body"]
    assert body["response_format"] == {"type": "json_object"}
    assert body["temperature"] == 0 and 0 < body["max_tokens"] <= 4096
    assert '"tgt"' in body["messages"][0]["content"] and body["messages"][1]["content"].endswith("\n\n" + TABLE)
    assert "社区读书角建设" in body["messages"][1]["content"]  # the report's identity, not in the system prompt
    assert "社区读书角建设" not in body["messages"][0]["content"]


def test_500_is_retried(fake_llm, tmp_path):
    fake_llm.script = [("status", 500, {}), ("status", 503, {}), ("ok", GOOD)]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    assert len(names(reading)) == 3
    assert reading.stats["llm_calls"] == 3 and reading.stats["retries"] == 2 and reading.stats["failed_segments"] == 0


def test_429_honours_retry_after(fake_llm, tmp_path):
    fake_llm.script = [("status", 429, {"Retry-After": "1"}), ("ok", GOOD)]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    assert len(names(reading)) == 3 and reading.stats["retries"] == 1
    gap = fake_llm.requests[1]["time"] - fake_llm.requests[0]["time"]
    assert gap >= 0.95, gap  # exponential wait would be ~0.01 s


def test_timeout_is_retried(fake_llm, tmp_path):
    fake_llm.script = [("sleep", 2.0, GOOD), ("ok", GOOD)]
    reading = read(doc(), pending(), config(fake_llm, tmp_path, timeout=0.5))
    assert len(names(reading)) == 3
    assert reading.stats["retries"] == 1 and reading.stats["llm_calls"] == 2


def test_truncated_body_and_garbage_body_are_retried(fake_llm, tmp_path):
    fake_llm.script = [("cut_body",), ("garbage_body",), ("ok", GOOD)]
    reading = read(doc(), pending(), config(fake_llm, tmp_path, max_attempts=4))
    assert len(names(reading)) == 3
    assert reading.stats["retries"] == 2 and reading.stats["failed_segments"] == 0


def test_malformed_json_is_reasked_differently(fake_llm, tmp_path):
    fake_llm.script = [("ok", "rows: 新建读书角数量, oops"), ("ok", GOOD)]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    assert len(names(reading)) == 3
    assert reading.stats["reasks"] == 1 and reading.stats["llm_calls"] == 2
    second = fake_llm.requests[1]["body"]
    assert second["temperature"] > 0  # a temperature-0 re-ask would repeat the same answer
    assert "could not be used" in second["messages"][-1]["content"]
    assert second["messages"][-2] == {"role": "assistant", "content": "rows: 新建读书角数量, oops"}


def test_repairable_answers_need_no_reask(fake_llm, tmp_path):
    fenced = "```json\n" + GOOD + "\n```"
    fake_llm.script = [("ok", fenced)]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    assert len(names(reading)) == 3 and reading.stats["llm_calls"] == 1 and reading.stats["reasks"] == 0


def test_one_bad_row_keeps_the_good_rows(fake_llm, tmp_path):
    bad = {"l1": "产出指标", "tgt": "≥95%"}  # no name: invalid
    fake_llm.script = [("ok", json.dumps({"rows": [ROW1, bad, ROW3, "junk"]}, ensure_ascii=False))]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    assert names(reading) == ["新建读书角数量", "居民借阅人次"]
    assert reading.stats["invalid_rows"] == 2 and reading.stats["llm_calls"] == 1 and reading.stats["reasks"] == 0


def test_ungrounded_values_are_dropped_and_counted(fake_llm, tmp_path):
    invented = dict(ROW3, l3="居民阅读满意度提升幅度")  # not in the text: the row goes
    padded = dict(ROW1, act="全部按期完成建设任务")  # not in the text: the value goes
    fake_llm.script = [("ok", json.dumps({"rows": [padded, ROW2, invented]}, ensure_ascii=False))]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    assert names(reading) == ["新建读书角数量", "图书上架合格率"]
    first = reading.reports[0].indicators[0]
    assert first.actual is None and "actual" not in first.evidence.spans and first.target == "≥12个"
    assert reading.stats["ungrounded_dropped"] == 2


def test_output_cut_at_max_tokens_keeps_complete_rows_and_reads_on(fake_llm, tmp_path):
    cut = GOOD[: GOOD.index('"l3": "居民借阅人次"') + 12]
    rest = json.dumps({"rows": [ROW2, ROW3]}, ensure_ascii=False)
    fake_llm.script = [("length", cut), ("ok", rest)]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    assert names(reading) == ["新建读书角数量", "图书上架合格率", "居民借阅人次"]  # ROW2 read twice, kept once
    assert reading.stats["truncated"] == 1 and reading.stats["continuations"] == 1 and reading.stats["llm_calls"] == 2
    # the second call reads from the line of the last complete row on
    assert fake_llm.requests[1]["body"]["messages"][1]["content"].endswith("\n\n" + TABLE[TABLE.index("产出指标\t质量指标"):])


def test_a_failed_continuation_keeps_what_was_read(fake_llm, tmp_path):
    cut = GOOD[: GOOD.index('"l3": "居民借阅人次"') + 12]
    fake_llm.script = [("length", cut)]  # then only 500s
    reading = read(doc(), pending(), config(fake_llm, tmp_path, max_attempts=2))
    assert names(reading) == ["新建读书角数量", "图书上架合格率"]
    assert reading.stats["failed_segments"] == 1
    assert [p.start for p in reading.pending] == [TABLE.index("产出指标\t质量指标")]


def test_a_failing_segment_is_recorded_and_the_rest_kept(fake_llm, tmp_path):
    text = TABLE + "\n项目名称\t老年食堂运营补助\n产出指标\t数量指标\t助餐服务人次\t≥5000人次\t5200人次\t20\t20\t\n"
    second = {"rows": [{"l1": "产出指标", "l2": "数量指标", "l3": "助餐服务人次", "tgt": "≥5000人次", "act": "5200人次",
                        "w": 20, "s": 20, "note": None}]}
    fake_llm.script = [("status", 500, {}), ("status", 500, {}), ("ok", json.dumps(second, ensure_ascii=False))]
    src = SourceDoc(stem="two", text=text, blocks=[])
    todo = [Pending(0, len(TABLE), "indicators", "project", "社区读书角建设"),
            Pending(len(TABLE), len(text), "indicators", "project", "老年食堂运营补助")]
    reading = read(src, todo, config(fake_llm, tmp_path, max_attempts=2))
    assert [r.name for r in reading.reports] == ["老年食堂运营补助"]
    assert names(reading) == ["助餐服务人次"]
    assert reading.stats["failed_segments"] == 1 and reading.stats["retries"] == 1
    assert [(p.start, p.end, p.name) for p in reading.pending] == [(0, len(TABLE), "社区读书角建设")]


def test_auto_mode_detects_llama_cpp_and_cache_skips_calls(fake_llm, tmp_path):
    fake_llm.script = [("ok", GOOD)]
    cfg = config(fake_llm, tmp_path, mode="auto", model=None, use_cache=True)
    first = read(doc(), pending(), cfg)
    assert fake_llm.requests[0]["body"]["response_format"] == {"type": "json_object"}  # owned_by "me"
    assert fake_llm.requests[0]["body"]["model"] == "fake-model"
    again = read(doc(), pending(), cfg)
    assert first.stats["llm_calls"] == 1 and again.stats["llm_calls"] == 0 and again.stats["cache_hits"] == 1
    assert names(again) == names(first) and len(fake_llm.requests) == 1
    other = read(doc(), [Pending(0, len(TABLE), "indicators", "project", "另一个项目名称")], cfg)
    assert other.stats["cache_hits"] == 0  # another prompt (the report's name is in it): another key


def test_report_without_identity_needs_a_grounded_name(fake_llm, tmp_path):
    invented = json.dumps({"kind": "project", "name": "全市读书工程", "rows": [ROW1]}, ensure_ascii=False)
    grounded = json.dumps({"kind": "project", "name": "社区读书角建设", "rows": [ROW1]}, ensure_ascii=False)
    fake_llm.script = [("ok", invented), ("ok", grounded)]
    todo = [Pending(0, len(TABLE), "indicators")]
    dropped = read(doc(), todo, config(fake_llm, tmp_path))
    assert dropped.reports == [] and dropped.stats["ungrounded_dropped"] >= 1
    kept = read(doc(), todo, config(fake_llm, tmp_path))
    assert [(r.kind, r.name) for r in kept.reports] == [("project", "社区读书角建设")]
    assert "name" in kept.reports[0].evidence.spans


@pytest.mark.parametrize("want", ["goals", "funds", "report", "notes"])
def test_every_want_has_a_prompt_and_maps(fake_llm, tmp_path, want):
    text = ("项目名称\t社区读书角建设\n年度\t2023年\n资金情况\t全年预算数\t全年执行数\t执行率\n年度资金总额\t120000元\t96000元\t80%\n"
            "年度总体目标\t建成12个社区读书角\t实际完成情况\t建成12个并投入使用\n总分\t95\n"
            "产出指标\t数量指标\t新建读书角数量\t≥12个\t12个\t20\t20\t部分站点开放时间偏短\n")
    answer = {"unit": None, "year": 2023, "score": 95, "funds": {"budget": 120000, "exec": 96000, "rate": 80},
              "money_unit": "元", "goals": [{"goal": "建成12个社区读书角", "done": "建成12个并投入使用"}],
              "rows": [{"l3": "新建读书角数量", "note": "部分站点开放时间偏短", "tgt": "≥12个"}]}
    fake_llm.script = [("ok", json.dumps(answer, ensure_ascii=False))]
    src = SourceDoc(stem="w", text=text, blocks=[])
    reading = read(src, [Pending(0, len(text), want, "project", "社区读书角建设")], config(fake_llm, tmp_path))
    report = reading.reports[0]
    if want in ("goals", "report"):
        assert [(g.target, g.actual) for g in report.goals] == [("建成12个社区读书角", "建成12个并投入使用")]
    if want in ("funds", "report"):
        assert (report.funds.budget, report.funds.executed, report.funds.rate) == (12.0, 9.6, 80)
    if want == "report":
        assert (report.year, report.score) == (2023, 95)
    if want in ("notes", "report"):
        assert [(i.name, i.note) for i in report.indicators] == [("新建读书角数量", "部分站点开放时间偏短")]
    assert reading.stats["failed_segments"] == 0


def test_tools_mode_for_other_endpoints(fake_llm, tmp_path):
    fake_llm.script = [("tool", "IndicatorsResponse", GOOD)]
    reading = read(doc(), pending(), config(fake_llm, tmp_path, mode="tools"))
    body = fake_llm.requests[0]["body"]
    assert body["tools"][0]["function"]["name"] == "IndicatorsResponse"
    assert "rows" in body["tools"][0]["function"]["parameters"]["properties"]
    assert "response_format" not in body
    assert len(names(reading)) == 3


def test_headings_taken_for_indicators_are_dropped(fake_llm, tmp_path):
    heading = {"l1": "一级指标", "l2": "二级指标", "l3": "产出指标", "tgt": "数量指标", "act": "新建读书角数量"}
    fake_llm.script = [("ok", json.dumps({"rows": [heading, ROW1]}, ensure_ascii=False))]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    assert names(reading) == ["新建读书角数量"] and reading.stats["invalid_rows"] == 1


def test_table_rows_bound_values_and_fix_shifted_levels(fake_llm, tmp_path):
    from extractor.loaders import load

    text = ("一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
            "产出指标\t数量指标\t新建读书角数量\t≥12个\t12个\t20\t20\t\n"
            "\t质量指标\t图书上架合格率\t≥95%\t97%\t20\t19\t个别图书登记延迟\n")
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    src = load(path)
    assert any(b.is_table and b.rows for b in src.blocks)
    rows = [dict(ROW1, note="个别图书登记延迟"),  # the next row's note: not in this row
            {"l1": "质量指标", "l3": "图书上架合格率", "tgt": "≥95%", "act": "97%", "w": 20, "s": 19,
             "note": "个别图书登记延迟"}]  # 二级 read into 一级 (the empty 一级 cell)
    fake_llm.script = [("ok", json.dumps({"rows": rows}, ensure_ascii=False))]
    reading = read(src, [Pending(0, len(text), "indicators", "project", "社区读书角建设")], config(fake_llm, tmp_path))
    first, second = reading.reports[0].indicators
    assert first.note is None and reading.stats["ungrounded_dropped"] == 1
    assert (second.level1, second.level2, second.note) == ("产出指标", "质量指标", "个别图书登记延迟")
    assert second.evidence.spans["level1"] == first.evidence.spans["level1"]  # carried from the merged cell
    user = fake_llm.requests[0]["body"]["messages"][1]["content"]
    assert "|  | 质量指标 | 图书上架合格率 |" in user  # the model saw the empty cell


def test_a_bad_identity_is_not_a_crash(fake_llm, tmp_path):
    fake_llm.script = [("ok", json.dumps({"kind": "agency", "name": "", "rows": [ROW1]}, ensure_ascii=False))]
    reading = read(doc(), [Pending(0, len(TABLE), "indicators")], config(fake_llm, tmp_path))
    assert reading.reports == [] and reading.stats["failed_segments"] == 0 and reading.stats["ungrounded_dropped"] == 1


def test_concurrency_runs_calls_in_parallel_and_keeps_order(fake_llm, tmp_path):
    import time

    names_ = ["甲项目", "乙项目", "丙项目"]
    text = "".join(TABLE.replace("社区读书角建设", n) for n in names_)
    src = SourceDoc(stem="three", text=text, blocks=[])
    todo = [Pending(i * len(TABLE), (i + 1) * len(TABLE), "indicators", "project", n) for i, n in enumerate(names_)]
    fake_llm.default = ("sleep", 0.6, GOOD)
    started = time.monotonic()
    reading = read(src, todo, config(fake_llm, tmp_path, concurrency=3))
    wall = time.monotonic() - started
    assert [r.name for r in reading.reports] == names_
    for i, report in enumerate(reading.reports):  # each report's rows are grounded in its own stretch
        assert len(report.indicators) == 3
        assert all(i * len(TABLE) <= ind.evidence.spans["name"].start < (i + 1) * len(TABLE) for ind in report.indicators)
    arrivals = [r["time"] for r in fake_llm.requests]
    assert reading.stats["llm_calls"] == 3 and max(arrivals) - min(arrivals) < 0.5, (arrivals, wall)  # all at once


def test_a_row_read_one_column_left_is_shifted_back(fake_llm, tmp_path):
    shifted = {"l1": "效益指标", "l2": None, "l3": "社会效益指标", "tgt": "居民借阅人次", "act": "≥3000人次"}
    fake_llm.script = [("ok", json.dumps({"rows": [shifted]}, ensure_ascii=False))]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    ind = reading.reports[0].indicators[0]
    assert (ind.level1, ind.level2, ind.name, ind.target, ind.actual) == ("效益指标", "社会效益指标", "居民借阅人次", "≥3000人次", None)
    assert reading.stats["shifted_rows"] == 1


def test_a_shifted_table_row_gets_its_actual_from_the_next_cell(fake_llm, tmp_path):
    from extractor.loaders import load

    text = ("一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\n"
            "效益指标\t社会效益指标\t居民借阅人次\t≥3000人次\t3150人次\n")
    path = tmp_path / "s.txt"
    path.write_text(text, encoding="utf-8")
    src = load(path)
    shifted = {"l1": "效益指标", "l3": "社会效益指标", "tgt": "居民借阅人次", "act": "≥3000人次"}
    fake_llm.script = [("ok", json.dumps({"rows": [shifted]}, ensure_ascii=False))]
    reading = read(src, [Pending(0, len(text), "indicators", "project", "社区读书角建设")], config(fake_llm, tmp_path))
    ind = reading.reports[0].indicators[0]
    assert (ind.level2, ind.name, ind.target, ind.actual) == ("社会效益指标", "居民借阅人次", "≥3000人次", "3150人次")
    span = ind.evidence.spans["actual"]
    assert text[span.start:span.end] == "3150人次"


def test_no_shift_when_the_name_is_simply_missing(fake_llm, tmp_path):
    missing = {"l1": "效益指标", "l3": "社会效益指标", "tgt": "≥3000人次", "act": "3150人次"}  # no name at all
    fake_llm.script = [("ok", json.dumps({"rows": [missing, ROW1]}, ensure_ascii=False))]
    reading = read(doc(), pending(), config(fake_llm, tmp_path))
    assert names(reading) == ["新建读书角数量"]  # "≥3000人次" never becomes a name
    assert reading.stats["shifted_rows"] == 0 and reading.stats["invalid_rows"] == 1


PROSE = ("四、绩效指标完成情况\n"
         "数量指标方面，全年计划培训农民600人次，实际培训652人次。质量指标方面，培训合格率目标为≥90%，实际为94%。"
         "社会效益方面，农民技能明显提升，带动就业效果较好。\n")


def test_paragraph_as_a_name_and_a_valueless_prose_row_are_dropped(fake_llm, tmp_path):
    paragraph = PROSE.split("\n")[1][:80]  # the model returned several sentences as one "name"
    rows = [{"l3": paragraph, "tgt": None, "act": None},
            {"l2": "社会效益", "l3": "农民技能明显提升"},  # a phrase of prose, no value stated
            {"l2": "质量指标", "l3": "培训合格率", "tgt": "≥90%", "act": "94%"}]
    fake_llm.script = [("ok", json.dumps({"rows": rows}, ensure_ascii=False))]
    src = SourceDoc(stem="p", text=PROSE, blocks=[])
    reading = read(src, [Pending(0, len(PROSE), "indicators", "project", "农民技能培训")], config(fake_llm, tmp_path))
    assert [(i.name, i.target, i.actual) for i in reading.reports[0].indicators] == [("培训合格率", "≥90%", "94%")]
    assert reading.stats["invalid_rows"] == 2


def test_a_model_answer_with_nothing_in_it_makes_no_report(fake_llm, tmp_path):
    fake_llm.script = [("ok", json.dumps({"rows": []}))]
    src = SourceDoc(stem="e", text=PROSE, blocks=[])
    reading = read(src, [Pending(0, len(PROSE), "indicators", "transfer", "某县转移支付资金")], config(fake_llm, tmp_path))
    assert reading.reports == [] and reading.stats["failed_segments"] == 0


def test_funds_sentences_and_the_reports_own_name_are_no_indicators(fake_llm, tmp_path):
    text = ("城乡社会救助项目绩效目标完成情况综述。该项目年度预算820万元，实际执行815.6万元，执行率99.46%。"
            "数量指标方面，城乡低保对象保障人数目标值≥5200人，实际完成5318人。\n")
    rows = [{"l3": "年度预算820万元", "tgt": "820万元", "act": "815.6万元"},
            {"l3": "执行率99.46%", "tgt": "99.46%", "act": "99.46%"},
            {"l3": "城乡社会救助", "tgt": "820万元", "act": "815.6万元"},
            {"l2": "数量指标", "l3": "城乡低保对象保障人数", "tgt": "≥5200人", "act": "5318人"}]
    fake_llm.script = [("ok", json.dumps({"rows": rows}, ensure_ascii=False))]
    src = SourceDoc(stem="f", text=text, blocks=[])
    reading = read(src, [Pending(0, len(text), "indicators", "project", "城乡社会救助项目")], config(fake_llm, tmp_path))
    assert [i.name for i in reading.reports[0].indicators] == ["城乡低保对象保障人数"]
    assert reading.stats["invalid_rows"] == 3


def test_funds_that_cannot_belong_together_are_dropped(fake_llm, tmp_path):
    text = "项目资金：全年预算数96万元，全年执行数93.6万元，执行率97.5%。抽检1263批次，分值15。\n"
    answer = {"funds": {"budget": 96, "exec": 1263, "rate": 15}, "money_unit": "万元", "rows": []}
    fake_llm.script = [("ok", json.dumps(answer, ensure_ascii=False))]
    src = SourceDoc(stem="g", text=text, blocks=[])
    reading = read(src, [Pending(0, len(text), "funds", "project", "食品抽检经费")], config(fake_llm, tmp_path))
    assert [(r.funds.budget, r.funds.executed, r.funds.rate) for r in reading.reports] in ([], [(None, None, None)])
    good = {"funds": {"budget": 96, "exec": 93.6, "rate": 97.5}, "money_unit": "万元"}
    fake_llm.script = [("ok", json.dumps(good, ensure_ascii=False))]
    reading = read(src, [Pending(0, len(text), "funds", "project", "食品抽检经费")],
                   config(fake_llm, tmp_path / "other"))
    assert [(r.funds.budget, r.funds.executed, r.funds.rate) for r in reading.reports] == [(96, 93.6, 97.5)]
