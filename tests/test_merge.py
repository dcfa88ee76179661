"""Merging one document's reports per (kind, fuzzy name)."""

from __future__ import annotations

from extractor.merge import merge_reports, same_name
from extractor.models import Evidence, Funds, Goal, Indicator, Report


def rep(kind, name, source="table", budget=None, executed=None, rate=None, score=None, unit=None,
        indicators=(), goals=(), origin="rules"):
    return Report(kind=kind, name=name, unit=unit, year=2021,
                  funds=Funds(budget=budget, executed=executed, rate=rate), score=score,
                  goals=list(goals), indicators=list(indicators),
                  evidence=Evidence(origin=origin, source=source))


def ind(name, target=None, actual=None, level2=None):
    return Indicator(level1=None, level2=level2, name=name, target=target, actual=actual,
                     weight=None, score=None, note=None)


def test_summary_table_and_prose_become_one_report_table_wins():
    reports = [
        rep("project", "河道治理", source="summary", budget=99.0, executed=90.0, score=95),
        rep("project", "河道治理项目", source="prose", budget=50.0, executed=45.0, rate=90.0,
            indicators=[ind("清淤长度", "5公里", "5公里"), ind("群众满意率", "≥90%", "95%")]),
        rep("project", "河道治理", source="table", budget=100.0, executed=90.0, unit="某水务局",
            indicators=[ind("清淤长度", "≥5公里", "5.2公里")], goals=[Goal(target="治理河道5公里", actual="已完成")]),
    ]
    [m] = merge_reports(reports)
    assert m.name == "河道治理"
    assert (m.funds.budget, m.funds.executed, m.funds.rate) == (100.0, 90.0, 90.0)  # table, then prose's rate
    assert m.score == 95 and m.unit == "某水务局"
    # the table lists indicators: prose only fills gaps in matching rows, adds no rows of its own
    assert [(i.name, i.target) for i in m.indicators] == [("清淤长度", "≥5公里")]


def test_prose_indicators_kept_when_the_table_has_none():
    reports = [
        rep("project", "河道治理", source="table", budget=100.0),
        rep("project", "河道治理", source="prose", indicators=[ind("清淤长度", "5公里")]),
    ]
    [m] = merge_reports(reports)
    assert [i.name for i in m.indicators] == ["清淤长度"]


def test_different_projects_stay_apart():
    out = merge_reports([rep("project", "代列-医疗救助资金"), rep("project", "医疗救助补助资金"),
                         rep("project", "结转2020年道路维修补助资金"), rep("project", "2021年道路维修补助资金")])
    assert len(out) == 4


def test_kind_matters():
    assert len(merge_reports([rep("project", "就业补助资金"), rep("transfer", "就业补助资金")])) == 2


def test_nameless_department_joins_named_one_and_place_prefix():
    out = merge_reports([
        rep("department", "", budget=10.0, indicators=[ind("a", "1", "1")]),
        rep("department", "长沙市某区医疗保障局", source="prose", executed=9.0),
        rep("department", "某区医疗保障局", source="rubric", score=88),
    ])
    [d] = out
    assert d.name == "长沙市某区医疗保障局" or d.name == "某区医疗保障局"
    assert (d.funds.budget, d.funds.executed, d.score) == (10.0, 9.0, 88)
    assert d.unit == d.name


def test_goals_deduplicated_by_similarity():
    a = rep("project", "甲", goals=[Goal(target="全年完成培训不少于20场次，覆盖全部乡镇", actual="完成22场")])
    b = rep("project", "甲", source="prose", goals=[Goal(target="全年完成培训不少于20场次，覆盖全部乡镇。", actual=None),
                                                 Goal(target="建立长效机制", actual="已建立")])
    [m] = merge_reports([a, b])
    assert [g.target for g in m.goals] == ["全年完成培训不少于20场次，覆盖全部乡镇", "建立长效机制"]


def test_same_source_repeated_names_under_different_level2_kept():
    a = rep("department", "某局", indicators=[ind("报送时效", level2="预算编制"), ind("报送时效", level2="预算执行")])
    [m] = merge_reports([a])
    assert len(m.indicators) == 2


def test_llm_report_lowest_authority():
    a = rep("project", "甲", source="prose", budget=5.0, origin="llm:qwen:p@1")
    b = rep("project", "甲", source="prose", budget=6.0)
    [m] = merge_reports([a, b])
    assert m.funds.budget == 6.0


def test_same_name_padding():
    assert same_name("城乡低保项目", "城乡低保")
    assert not same_name("城乡低保", "农村特困供养")


def test_prose_indicator_with_padded_wording_not_duplicated():
    table = rep("project", "离休补助", indicators=[ind("维护社会稳定", "减轻负担"), ind("服务对象满意度", "≥95%")])
    prose = rep("project", "离休补助", source="prose",
                indicators=[ind("减轻离休干部就医负担，维护社会稳定"), ind("服务对象满意度指标"), ind("按时支付率", "100%")])
    [m] = merge_reports([table, prose])
    assert [i.name for i in m.indicators] == ["维护社会稳定", "服务对象满意度"]
    # between sources of equal weight (two prose passages) distinct names are all kept
    a = rep("project", "乙", source="prose", indicators=[ind("服务对象满意度", "≥95%")])
    b = rep("project", "乙", source="prose", indicators=[ind("按时支付率", "100%")])
    [m] = merge_reports([a, b])
    assert [i.name for i in m.indicators] == ["服务对象满意度", "按时支付率"]


def test_prose_item_that_is_the_table_target_sentence_not_duplicated():
    table = rep("project", "甲", indicators=[ind("保障干部医疗待遇", "按现行政策及标准报销医疗费，保障其医疗待遇")])
    prose = rep("project", "甲", source="prose", indicators=[ind("按现行政策及标准报销医疗费", "保障其医疗待遇")])
    [m] = merge_reports([table, prose])
    assert len(m.indicators) == 1


def test_near_identical_names_with_different_years_or_rows_stay_apart():
    assert not same_name("2021年城乡居民医保工作经费", "2020年城乡居民医保工作经费")
    a = rep("project", "街道居民医保工作经费（一）", source="summary")
    b = rep("project", "街道居民医保工作经费（二）", source="summary")
    a.evidence.segment = b.evidence.segment = 3
    assert len(merge_reports([a, b])) == 2
    c = rep("project", "街道居民医保工作经费（一）", source="table")
    assert len(merge_reports([a, b, c])) == 2


def test_prose_title_as_written_joins_the_table_name():
    assert same_name("2023年山塘清淤项目", "山塘清淤")
    assert same_name("山塘清淤项目", "2023年度山塘清淤")
    assert not same_name("2023年山塘清淤项目", "2022年山塘清淤")
    table = rep("project", "山塘清淤", budget=10.0)
    prose = rep("project", "2023年山塘清淤项目", source="prose", score=91.0)
    [m] = merge_reports([prose, table])
    assert (m.name, m.funds.budget, m.score) == ("山塘清淤", 10.0, 91.0)


def test_two_own_tables_with_alike_names_stay_two_units():
    a = rep("transfer", "通渭县中央财政衔接推进乡村振兴补助资金", indicators=[ind("新建产业项目个数", "≥10个", "12个")])
    b = rep("transfer", "渭源县中央财政衔接推进乡村振兴补助资金", indicators=[ind("易地搬迁后续扶持项目个数", "≥5个", "6个")])
    a.evidence.segment, b.evidence.segment = 0, 1
    assert same_name(a.name, b.name)  # alike enough to pass as one name retold ...
    assert [r.name for r in merge_reports([a, b])] == [a.name, b.name]  # ... but two tables are two units
    # the same table broken over two segments (its title repeated overleaf) is one unit
    c = rep("transfer", a.name, indicators=[ind("项目开工率", "≥95%", "97%")])
    c.evidence.segment = 2
    [m, n] = merge_reports([a, b, c])
    assert [i.name for i in m.indicators] == ["新建产业项目个数", "项目开工率"]
