"""extractor.values: the contract's norm, value reading and level canonicalisation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.values import (
    Value, canonical_level1, canonical_level2, norm, numbers_match, parse_amount, parse_rate,
    parse_value, values_match,
)


@pytest.mark.parametrize("text, expected", [
    ("  ≥ 90 %\n", "≥90%"),
    ("９０％", "90%"),              # NFKC: full-width digits and percent
    (">= 5", "≥5"), ("≧5", "≥5"), ("<=5", "≤5"), ("≦5", "≤5"),
    ("完成。", "完成"), ("完成；", "完成"), ("完成，", "完成"), ("完成,;。", "完成"),
    ("a\u3000b\tc", "abc"),
    ("。完成", "。完成"),           # only TRAILING punctuation goes
    (None, ""),
])
def test_norm(text, expected):
    assert norm(text) == expected


@pytest.mark.parametrize("text, op, number, unit", [
    ("≥90%", "≥", 90.0, "%"),
    ("=100%", "=", 100.0, "%"),
    ("100%", "=", 100.0, "%"),          # no operator means =
    ("100.0%", "=", 100.0, "%"),
    ("不少于120场", "≥", 120.0, "场"),
    ("不低于95%", "≥", 95.0, "%"),
    ("大于等于3次", "≥", 3.0, "次"),
    ("90%以上", "≥", 90.0, "%"),
    ("3个及以上", "≥", 3.0, "个"),
    ("不超过60分钟", "≤", 60.0, "分钟"),
    ("不大于5%", "≤", 5.0, "%"),
    ("小于等于2天", "≤", 2.0, "天"),
    ("10%以下", "≤", 10.0, "%"),
    ("5个工作日以内", "≤", 5.0, "个工作日"),
    ("超过80%", ">", 80.0, "%"),
    ("高于1", ">", 1.0, ""),
    ("小于3起", "<", 3.0, "起"),
    ("低于0.5%", "<", 0.5, "%"),
    ("1,286,400元", "=", 1286400.0, "元"),
    ("42.9元/人", "=", 42.9, "元/人"),
    ("≥90%以上", "≥", 90.0, "%"),      # redundant but consistent operator word
    ("＞＝ ９０ ％", "≥", 90.0, "%"),
])
def test_parse_value_quantitative(text, op, number, unit):
    v = parse_value(text)
    assert v == Value(op, number, unit, norm(text))
    assert v.quantitative


@pytest.mark.parametrize("text", [
    "稳步提升",
    "全年均正常运行，100%达到年初绩效目标。",     # a sentence holding a number is not that number
    "100%达到年初绩效目标",
    "7*24小时随时响应",
    "1-2次",                                    # two numbers
    "目标1,2",                                  # a comma that is not a thousands separator
    "≤90%以上",                                 # contradicting operators
    "不少于≥5",
    "以上",
])
def test_parse_value_qualitative(text):
    v = parse_value(text)
    assert v is not None and v.op is None and v.number is None and v.unit == ""
    assert v.text == norm(text)


@pytest.mark.parametrize("text", [None, "", "  ", "。"])
def test_parse_value_empty_is_none(text):
    assert parse_value(text) is None


@pytest.mark.parametrize("golden, predicted, expected", [
    ("=100%", "100%", True),            # operator default
    ("100.0%", "100%", True),
    ("不少于120场", "≥120场", True),
    ("90%以上", "≥90%", True),
    ("1,286,400元", "1286400元", True),
    ("≥ 90%", "≥90%。", True),         # norm: spaces and trailing punctuation
    ("100%", "100.009%", True),          # within 0.01
    ("100%", "100.01%", True),           # the boundary itself passes
    ("100%", "100.02%", False),
    ("≥90%", "90%", False),              # operator differs
    ("≥90%", ">90%", False),
    ("100%", "100", False),              # unit differs
    ("100%", "全年均正常运行，100%达到年初绩效目标", False),
    ("稳步提升", "稳步提升", True),
    ("稳步提升", "有所提升", False),
    (None, None, True),
    ("100%", None, False),
    (None, "100%", False),
])
def test_values_match(golden, predicted, expected):
    assert values_match(golden, predicted) is expected
    assert values_match(predicted, golden) is expected


@pytest.mark.parametrize("a, b, expected", [
    (10, 10.009, True), (10, 10.01, True), (10, 10.02, False), (None, None, True), (None, 0, False),
    (1, "x", False),
])
def test_numbers_match(a, b, expected):
    assert numbers_match(a, b) is expected


@pytest.mark.parametrize("text, expected", [
    ("产出指标", "产出指标"), ("产出指表", "产出指标"), ("项目完成指标", "产出指标"), ("产出", "产出指标"),
    ("产出指标（50分）", "产出指标"), ("产出指表(50分)", "产出指标"), ("效益", "效益指标"), ("效果指标", "效益指标"),
    ("满意度", "满意度指标"), ("满意 度指 标", "满意度指标"), ("效益指标【30】", "效益指标"), (None, None),
])
def test_canonical_level1(text, expected):
    assert canonical_level1(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("数量", "数量指标"), ("质量", "质量指标"), ("时效", "时效指标"), ("成本", "成本指标"),
    ("经济效益", "经济效益指标"), ("社会效益", "社会效益指标"), ("生态效益", "生态效益指标"),
    ("可持续影响", "可持续影响指标"), ("社会效益 指标", "社会效益指标"), ("数量指标（20分）", "数量指标"),
    ("服务对象满意度", "服务对象满意度指标"), ("满意度指标", "服务对象满意度指标"), ("满意度", "服务对象满意度指标"),
    ("服务对象  满意度指标", "服务对象满意度指标"), ("其他指标", "其他指标"), (None, None),
])
def test_canonical_level2(text, expected):
    assert canonical_level2(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("1,286,400元", 128.64), ("52万元", 52.0), ("973.90", 973.9), ("117.8", 117.8), ("1.5亿元", 15000.0),
    ("２，０００元", 0.2), (52, 52.0), (3.5, 3.5),
    ("-", None), ("", None), (None, None), ("见附表", None), ("52万元（含结转）", None), ("1-2万元", None), (True, None),
])
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


def test_parse_amount_default_unit():
    assert parse_amount("1286400", default_unit="元") == 128.64
    assert parse_amount("52万元", default_unit="元") == 52.0  # a stated unit wins over the default
    with pytest.raises(ValueError, match="unknown amount unit"):
        parse_amount("5", default_unit="美元")


@pytest.mark.parametrize("text, expected", [
    ("114%", 114.0), ("100.00%", 100.0), ("98.5", 98.5), ("５‰", 0.5), (100, 100.0),
    ("-", None), ("约100%", None), ("100%以上", None), (None, None), ("", None),
])
def test_parse_rate(text, expected):
    assert parse_rate(text) == expected


# Text close to what values look like, so the parser's branches are exercised, not just rejected.
value_like = st.text(alphabet="0123456789.,，%‰≥≤><=＞＝ 不少于低超过以上下内及元万次场人/·\n。；", max_size=20)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), value_like, st.none()))
def test_parsers_are_total(text):
    n = norm(text)
    assert isinstance(n, str)
    v = parse_value(text)
    assert v is None or (v.op is None) == (v.number is None)
    for result in (parse_amount(text), parse_rate(text)):
        assert result is None or isinstance(result, float)
    for level in (canonical_level1(text), canonical_level2(text)):
        assert level is None if text is None else isinstance(level, str)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), value_like), st.one_of(st.text(max_size=30), value_like))
def test_values_match_is_reflexive_and_symmetric(a, b):
    assert values_match(a, a)
    assert values_match(a, b) == values_match(b, a)
