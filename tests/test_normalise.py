"""Normaliser: one-line text, 万元, percent, int years."""

from __future__ import annotations

from extractor.models import Funds, Goal, Indicator, Report
from extractor.normalise import normalise_report, one_line


def make(**kw):
    base = dict(kind="project", name=" 甲项目\n", unit=None, year=2021,
                funds=Funds(budget=None, executed=None, rate=None), score=None, goals=[], indicators=[])
    base.update(kw)
    return Report(**base)


def test_text_one_line_markup_removed_nothing_else():
    assert one_line("<p>保障运转，\n履行职能</p>") == "保障运转，履行职能"
    assert one_line("  满意 度指 标 ") == "满意 度指 标"  # inner spaces kept as written
    assert one_line("   ") is None
    r = normalise_report(make(
        goals=[Goal(target="<p>目标1:甲\r\n目标2:乙</p>", actual="完成")],
        indicators=[Indicator(level1="产出指表", level2="社会效益\n指标", name="宣传\n次数", target="≥2次",
                              actual=" ≥2次", weight=None, score=None, note="")],
    ))
    assert r.name == "甲项目"
    assert (r.goals[0].target, r.goals[0].actual) == ("目标1:甲目标2:乙", "完成")
    i = r.indicators[0]
    assert (i.level1, i.level2, i.name, i.actual, i.note) == ("产出指表", "社会效益指标", "宣传次数", "≥2次", None)


def test_amounts_rates_years():
    r = make(funds=Funds(budget=320.5, executed=288.45, rate=0.9), year=2021)
    r.funds.budget = "1,286,400元"  # a model may hand over text; validation is bypassed on assignment
    r.funds.executed = "115.776万元"
    r.year = "2021年度"
    out = normalise_report(r)
    assert abs(out.funds.budget - 128.64) < 1e-9
    assert out.funds.executed == 115.776
    assert out.funds.rate == 90.0  # 0.9 confirmed by executed/budget
    assert out.year == 2021


def test_small_rate_not_confirmed_stays():
    out = normalise_report(make(funds=Funds(budget=100.0, executed=100.0, rate=0.5)))
    assert out.funds.rate == 0.5
    r = make()
    r.funds.rate = "98.5%"
    assert normalise_report(r).funds.rate == 98.5


def test_input_not_mutated():
    r = make()
    normalise_report(r)
    assert r.name == " 甲项目\n"
