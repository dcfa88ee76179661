"""Cross-checks on hand-made reports: each check passes on a consistent table and fails on a broken one."""

from __future__ import annotations

import pytest

from extractor.checks import check_report, indicator_met, target_status
from extractor.models import Funds, Indicator, Report


def ind(name="指标", target=None, actual=None, weight=None, score=None, level1="产出指标", level2="数量指标"):
    return Indicator(level1=level1, level2=level2, name=name, target=target, actual=actual,
                     weight=weight, score=score, note=None)


def report(indicators=(), budget=None, executed=None, rate=None, score=None):
    return Report(kind="project", name="测试项目", unit=None, year=2021,
                  funds=Funds(budget=budget, executed=executed, rate=rate), score=score,
                  goals=[], indicators=list(indicators))


def only(checks, name, indicator=None):
    found = [c for c in checks if c.name == name and (indicator is None or c.indicator == indicator)]
    assert len(found) == 1, f"expected one {name} check, got {found}"
    return found[0]


# ---------------------------------------------------------------- 执行率


def test_rate_consistent_passes():
    c = only(check_report(report(budget=4847.62, executed=5514.89, rate=114.0)), "funds_rate")
    assert c.status == "pass"
    assert "113.76" in c.message


def test_rate_within_half_point_passes_and_beyond_fails():
    assert only(check_report(report(budget=200, executed=199, rate=100.0)), "funds_rate").status == "pass"
    c = only(check_report(report(budget=10, executed=8, rate=100.0)), "funds_rate")
    assert c.status == "fail"
    assert "80%" in c.message and "100%" in c.message


def test_rate_missing_parts_unknown():
    assert only(check_report(report(budget=None, executed=8, rate=80.0)), "funds_rate").status == "unknown"
    assert only(check_report(report(budget=0, executed=0, rate=0.0)), "funds_rate").status == "unknown"
    c = only(check_report(report(budget=31, executed=31)), "funds_rate")
    assert c.status == "unknown" and "100%" in c.message


# ---------------------------------------------------------------- 分值合计


def test_weights_total_100_passes():
    inds = [ind(name=f"i{k}", weight=w, score=w) for k, w in enumerate([30, 20, 20, 10, 10, 10])]
    assert only(check_report(report(inds, score=100)), "weights_total").status == "pass"


def test_weights_total_over_100_fails():
    inds = [ind(name=f"i{k}", weight=w) for k, w in enumerate([60, 50])]
    c = only(check_report(report(inds)), "weights_total")
    assert c.status == "fail" and "110" in c.message


def test_weights_partial_is_unknown():
    inds = [ind(name="a", weight=50), ind(name="b", weight=None)]
    assert only(check_report(report(inds)), "weights_total").status == "unknown"


def test_weights_none_emits_nothing():
    inds = [ind(name="a", target="1", actual="1")]
    assert [c for c in check_report(report(inds)) if c.name == "weights_total"] == []


def test_weights_short_of_100_with_funds_block_is_unknown_without_funds_fails():
    inds = [ind(name=f"i{k}", weight=w) for k, w in enumerate([50, 40])]
    with_funds = only(check_report(report(inds, budget=10, executed=10, rate=100.0)), "weights_total")
    assert with_funds.status == "unknown" and "10" in with_funds.message
    inds = [ind(name=f"i{k}", weight=w) for k, w in enumerate([20, 20])]
    assert only(check_report(report(inds)), "weights_total").status == "fail"


def test_weights_group_totals_in_headings():
    good = [ind(name="a", weight=30, level1="部门预算管理（55分）", level2="预算编制（30分）"),
            ind(name="b", weight=25, level1="部门预算管理（55分）", level2="预算执行（25分）"),
            ind(name="c", weight=45, level1="绩效结果应用（45分）", level2="信息公开")]
    assert only(check_report(report(good)), "weights_total").status == "pass"
    bad = [ind(name="a", weight=30, level1="部门预算管理（55分）", level2="预算编制（23分）"),
           ind(name="b", weight=25, level1="部门预算管理（55分）", level2="预算执行（25分）"),
           ind(name="c", weight=45, level1="绩效结果应用（45分）", level2="信息公开")]
    c = only(check_report(report(bad)), "weights_total")
    assert c.status == "fail" and "预算编制" in c.message


# ---------------------------------------------------------------- 得分合计


def test_score_total_passes_and_fails():
    inds = [ind(name="a", weight=60, score=55.5), ind(name="b", weight=40, score=33.6)]
    assert only(check_report(report(inds, score=89.1)), "score_total").status == "pass"
    c = only(check_report(report(inds, score=95)), "score_total")
    assert c.status == "fail"


def test_score_total_with_derived_funds_points():
    # 90 points of indicators + a funds block worth 10 (not an indicator in the contract)
    inds = [ind(name="a", weight=50, score=50), ind(name="b", weight=40, score=38)]
    c = only(check_report(report(inds, budget=10, executed=10, rate=100.0, score=98)), "score_total")
    assert c.status == "pass" and "资金" in c.message
    c = only(check_report(report(inds, budget=10, executed=10, rate=100.0, score=100)), "score_total")
    assert c.status == "fail"  # 12 points missing but the funds block is only worth 10


def test_score_total_indicator_sum_above_total_fails():
    inds = [ind(name="a", weight=50, score=50), ind(name="b", weight=50, score=50)]
    assert only(check_report(report(inds, score=90)), "score_total").status == "fail"


def test_score_total_unknown_when_not_stated():
    inds = [ind(name="a", weight=50, score=50), ind(name="b", weight=50, score=None)]
    assert only(check_report(report(inds, score=100)), "score_total").status == "unknown"
    assert only(check_report(report([ind(name="a", score=5)])), "score_total").status == "unknown"


# ---------------------------------------------------------------- 得分 ≤ 分值


def test_score_le_weight():
    checks = check_report(report([ind(name="a", weight=10, score=10), ind(name="b", weight=10, score=12)]))
    assert only(checks, "score_le_weight", 0).status == "pass"
    bad = only(checks, "score_le_weight", 1)
    assert bad.status == "fail" and bad.indicator == 1 and "12" in bad.message


# ---------------------------------------------------------------- 目标达成


@pytest.mark.parametrize("target, actual, expected", [
    ("≥90%", "95%", "pass"),
    ("≥90%", "89.5%", "fail"),
    ("不少于120场", "130场", "pass"),
    ("不少于120场", "100场", "fail"),
    ("90%以上", "90%", "pass"),
    (">90%", "90%", "fail"),
    ("≤30万元", "26.08万元", "pass"),
    ("≤30万元", "31万元", "fail"),
    ("≤30万元", "260800元", "pass"),  # money units convert
    ("<5%", "5%", "fail"),
    ("=100%", "100%", "pass"),
    ("100%", "98%", "fail"),
    ("≥95%", "≥95%", "pass"),  # actual written as the same bound
    ("≥95%", "≥90%", "unknown"),  # could be 96% or 91%
    ("≥95%", "≤90%", "fail"),
    ("≥2次", "3个", "unknown"),  # units disagree
    ("稳步提升", "显著提升", "unknown"),  # qualitative
    ("持续保障", "持续保障", "pass"),  # identical text
    ("≥90%", None, "unknown"),
])
def test_target_met(target, actual, expected):
    status, message = target_status(ind(target=target, actual=actual))
    assert status == expected, message


def test_equal_target_direction_for_cost_indicator():
    # 成本指标: spending less than an '=' target is fine, more is not
    assert target_status(ind(target="42.9元/人", actual="40元/人", level2="成本指标"))[0] == "pass"
    assert target_status(ind(target="42.9元/人", actual="45元/人", level2="成本"))[0] == "fail"
    assert target_status(ind(target="19人", actual="25人"))[0] == "pass"  # quantity exceeded
    assert target_status(ind(target="19人", actual="15人"))[0] == "fail"


def test_rubric_row_without_target_gets_no_met_check():
    checks = check_report(report([ind(name="目标制定", weight=8, score=6)]))
    assert [c for c in checks if c.name == "target_met"] == []


# ---------------------------------------------------------------- 满分未达成


def test_full_marks_unmet_flags_only_inconsistency():
    rep = report([
        ind(name="a", target="≥95%", actual="90%", weight=10, score=10),  # full marks, not met
        ind(name="b", target="≥95%", actual="90%", weight=10, score=8),  # points deducted: fine
        ind(name="c", target="≥95%", actual="99%", weight=10, score=10),  # met, full marks
    ])
    checks = check_report(rep)
    assert only(checks, "full_marks_unmet", 0).status == "fail"
    assert [c for c in checks if c.name == "full_marks_unmet" and c.indicator == 1] == []
    assert only(checks, "full_marks_unmet", 2).status == "pass"
    rep.checks = checks
    assert [indicator_met(rep, i) for i in range(3)] == ["no", "no", "yes"]


def test_checks_never_change_values():
    rep = report([ind(name="a", target="≥95%", actual="90%", weight=10, score=12)], budget=10, executed=8, rate=100.0)
    before = rep.model_dump()
    check_report(rep)
    assert rep.model_dump() == before


def test_every_check_has_a_message_and_valid_index():
    rep = report([ind(name=str(k), target="≥1", actual=str(k), weight=5, score=k) for k in range(6)],
                 budget=1, executed=1, rate=100.0, score=15)
    for c in check_report(rep):
        assert c.message
        assert c.indicator is None or 0 <= c.indicator < len(rep.indicators)


# ---------------------------------------------------------------- property: total on anything

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_texts = st.one_of(st.none(), st.text(max_size=25),
                   st.sampled_from(["≥90%", "100%", "=100%", "不少于120场", "≤30万元", "26.08万元", "90%以上",
                                    "1,286,400元", "-5", "稳步提升", "≥", "%", "0", "1e308万元"]))
_numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6))


@st.composite
def _reports(draw):
    inds = [Indicator(level1=draw(_texts), level2=draw(_texts), name=draw(st.text(max_size=15)),
                      target=draw(_texts), actual=draw(_texts), weight=draw(_numbers), score=draw(_numbers),
                      note=draw(_texts))
            for _ in range(draw(st.integers(0, 6)))]
    return Report(kind=draw(st.sampled_from(["department", "project", "transfer"])), name=draw(st.text(max_size=10)),
                  unit=draw(_texts), year=None,
                  funds=Funds(budget=draw(_numbers), executed=draw(_numbers), rate=draw(_numbers)),
                  score=draw(_numbers), goals=[], indicators=inds)


@settings(max_examples=300, deadline=None)
@given(_reports())
def test_checks_and_normaliser_never_raise(rep):
    from extractor.normalise import normalise_report

    for r in (rep, normalise_report(rep.model_copy(deep=True))):
        checks = check_report(r)
        for c in checks:
            assert c.status in ("pass", "fail", "unknown")
            assert c.indicator is None or 0 <= c.indicator < len(r.indicators)
        r.checks = checks
        for i in range(len(r.indicators)):
            assert indicator_met(r, i) in ("yes", "no", "unknown")


def test_rate_implausible_without_amounts_fails():
    # an amount read into the rate column (5514.89 "%") is caught even when nothing can be recomputed
    assert only(check_report(report(executed=4847.62, rate=5514.89)), "funds_rate").status == "fail"
    assert only(check_report(report(executed=4847.62, rate=114.0)), "funds_rate").status == "unknown"
