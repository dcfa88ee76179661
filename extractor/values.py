"""Reading values the way the contract compares them (shared/spec/golden-format.md, "How a
prediction is scored").  Used by scoring, the normaliser and the cross-checks, so every
function here is total: any string (or None) in, a result out, never an exception.

A *value* is a target or actual such as `≥90%`, `不少于120场`, `42.9元/人`, `稳步提升`.
It parses to (operator, number, unit) only when the WHOLE normalised text is: an optional
leading operator (symbol or word), one number, a short unit, an optional trailing operator
word (以上/以下/以内...).  Anything else (a sentence, several numbers, `7*24小时`) is
qualitative: `Value(op=None, number=None, unit="", text=...)`.  That rule is what keeps
"全年均正常运行，100%达到年初绩效目标" from ever equalling "100%".
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------- norm (contract step 1)

_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_TRAILING = "。；;，,"


def norm(text: Any) -> str:
    """NFKC, no whitespace, `>=`/`≧` -> `≥`, `<=`/`≦` -> `≤`, trailing `。；;，,` dropped.

    None gives "" (so a missing value never equals a stated one after `values_match`'s
    None check); a non-string is read through `str()`.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace(">=", "≥").replace("≧", "≥").replace("<=", "≤").replace("≦", "≤")
    return text.rstrip(_TRAILING)


# ---------------------------------------------------------------- values

OPS = ("=", "≥", "≤", ">", "<")

# Longest first: 大于等于 must win over 大于, 不大于 is its own word.
_PREFIX_WORDS = (
    ("大于等于", "≥"), ("不少于", "≥"), ("不低于", "≥"), ("不小于", "≥"),
    ("小于等于", "≤"), ("不超过", "≤"), ("不高于", "≤"), ("不大于", "≤"),
    ("超过", ">"), ("大于", ">"), ("高于", ">"),
    ("小于", "<"), ("低于", "<"),
)
_SUFFIX_WORDS = (("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"))
_DIRECTION = {"≥": 1, ">": 1, "≤": -1, "<": -1, "=": 0}

# Commas inside a digit run followed by exactly three digits are thousands separators
# (`1,286,400`); `1,2` or `目标1,2` keep their comma and so stay unparsed.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER = r"[-+−]?(?:\d+(?:\.\d+)?|\.\d+)"
_CJK = r"A-Za-z\u4e00-\u9fff·²³°℃㎡"
# A short unit: %, ‰, or up to five letters/characters with an optional `/per` part
# (次, 分钟, 个工作日, 元/人, 万元/年).  Longer text is a sentence, not a unit.
_UNIT = rf"(?:%|‰|[{_CJK}]{{1,5}}(?:/[{_CJK}]{{1,4}})?)?"
_VALUE = re.compile(rf"(?P<op>[=≥≤><])?(?P<num>{_NUMBER})(?P<unit>{_UNIT})")


@dataclass(frozen=True)
class Value:
    """A target/actual read as (op, number, unit); op and number are None for qualitative text."""

    op: str | None
    number: float | None
    unit: str
    text: str  # the normalised text it was read from

    @property
    def quantitative(self) -> bool:
        return self.number is not None


def _to_float(digits: str) -> float | None:
    try:
        number = float(digits.replace("−", "-"))
    except ValueError:  # cannot happen for _NUMBER matches; kept so parsing stays total
        return None
    return number if math.isfinite(number) else None


def parse_value(text: Any) -> Value | None:
    """Read a target/actual.  None for None or a text that normalises to "";
    otherwise a Value — with number None when the text is not exactly (operator, number, unit)."""
    n = norm(text)
    if not n:
        return None
    qualitative = Value(None, None, "", n)
    body = _THOUSANDS.sub("", n)

    prefix_op = None
    for word, op in _PREFIX_WORDS:
        if body.startswith(word):
            prefix_op, body = op, body[len(word):]
            break
    suffix_op = None
    for word, op in _SUFFIX_WORDS:
        if body.endswith(word) and len(body) > len(word):
            suffix_op, body = op, body[: -len(word)]
            break

    m = _VALUE.fullmatch(body)
    if not m:
        return qualitative
    symbol = m.group("op")
    if prefix_op and symbol:  # `不少于≥5` reads as nonsense, not as a value
        return qualitative
    op = prefix_op or symbol
    if op and suffix_op:
        # `≥90%以上` is common and means ≥; `≤90%以上` contradicts itself.
        if _DIRECTION[op] != _DIRECTION[suffix_op]:
            return qualitative
    else:
        op = op or suffix_op or "="
    number = _to_float(m.group("num"))
    if number is None:
        return qualitative
    return Value(op, number, m.group("unit"), n)


NUMBER_TOLERANCE = 0.01
_EPS = 1e-9  # 100.01 - 100 is 0.010000000000005 in binary floating point


def numbers_match(golden: Any, predicted: Any, tolerance: float = NUMBER_TOLERANCE) -> bool:
    """Two numbers within the contract's 0.01 (None matches only None; non-numbers never match)."""
    if golden is None or predicted is None:
        return golden is None and predicted is None
    try:
        return abs(float(golden) - float(predicted)) <= tolerance + _EPS
    except (TypeError, ValueError, OverflowError):
        return False


def values_match(golden_text: Any, predicted_text: Any) -> bool:
    """The contract's text-field test: `norm` equal, or both read as the same
    (operator, number within 0.01, unit).  None matches only None."""
    if golden_text is None or predicted_text is None:
        return golden_text is None and predicted_text is None
    if norm(golden_text) == norm(predicted_text):
        return True
    g, p = parse_value(golden_text), parse_value(predicted_text)
    if g is None or p is None or g.number is None or p.number is None:
        return False
    return g.op == p.op and g.unit == p.unit and numbers_match(g.number, p.number)


# ---------------------------------------------------------------- indicator levels

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")

_LEVEL1 = {
    "产出指表": "产出指标", "项目完成指标": "产出指标", "产出": "产出指标",
    "效益": "效益指标", "效果指标": "效益指标",
    "满意度": "满意度指标",
}
_LEVEL2 = {
    **{short: short + "指标" for short in
       ("数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响")},
    "服务对象满意度": "服务对象满意度指标", "满意度指标": "服务对象满意度指标", "满意度": "服务对象满意度指标",
}


def _strip_brackets(text: Any) -> str:
    text = unicodedata.normalize("NFKC", "" if text is None else str(text))
    for _ in range(10):  # nested brackets peel one layer per pass
        stripped = _BRACKETED.sub("", text)
        if stripped == text:
            break
        text = stripped
    return norm(text)


def canonical_level1(text: Any) -> str | None:
    """一级指标 as scoring compares it: `产出指表（50分）` -> `产出指标`.  None stays None."""
    if text is None:
        return None
    s = _strip_brackets(text)
    return _LEVEL1.get(s, s)


def canonical_level2(text: Any) -> str | None:
    """二级指标 as scoring compares it: `数量` -> `数量指标`, `满意度` -> `服务对象满意度指标`."""
    if text is None:
        return None
    s = _strip_brackets(text)
    return _LEVEL2.get(s, s)


# ---------------------------------------------------------------- amounts and rates

_AMOUNT_UNITS = {"元": 1e-4, "千元": 0.1, "万元": 1.0, "万": 1.0, "亿元": 1e4, "亿": 1e4}
_AMOUNT = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>千元|万元|亿元|元|万|亿)?")
_RATE = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>%|‰)?")


def _plain_number(text: Any) -> float | None:
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text) if math.isfinite(float(text)) else None
    return None


def parse_amount(text: Any, default_unit: str = "万元") -> float | None:
    """An amount in 万元: `1,286,400元` -> 128.64, `52万元` -> 52.0, `973.90` -> 973.9.

    The whole text must be one number with an optional unit (元, 千元, 万元, 亿元);
    a bare number is in `default_unit`.  None for anything else (`-`, `见附表`, prose).
    Raises ValueError only for an unknown `default_unit` (a programming error).
    """
    if default_unit not in _AMOUNT_UNITS:
        raise ValueError(f"unknown amount unit {default_unit!r}; use one of {', '.join(_AMOUNT_UNITS)}")
    number = _plain_number(text)
    unit = default_unit
    if number is None:
        if text is None or isinstance(text, bool):
            return None
        m = _AMOUNT.fullmatch(_THOUSANDS.sub("", norm(text)))
        if not m:
            return None
        number = _to_float(m.group("num"))
        if number is None:
            return None
        unit = m.group("unit") or default_unit
    return round(number * _AMOUNT_UNITS[unit], 6)


def parse_rate(text: Any) -> float | None:
    """A rate in percent: `114%` -> 114.0, `100.00%` -> 100.0, `5‰` -> 0.5.

    A bare number is taken as already in percent (`98.5` -> 98.5): nothing is guessed
    from its size.  None for anything that is not exactly one number with `%`/`‰`.
    """
    number = _plain_number(text)
    if number is not None:
        return number
    if text is None or isinstance(text, bool):
        return None
    m = _RATE.fullmatch(_THOUSANDS.sub("", norm(text)))
    if not m:
        return None
    number = _to_float(m.group("num"))
    if number is None:
        return None
    return round(number / 10 if m.group("unit") == "‰" else number, 6)
