"""Helpers shared by the segmenter and the rule reader: cell text, header words, numbers.

Everything here is decided by words (header words and their synonyms), never by a
column position or a document-specific string.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .source import Cell
from .values import norm

_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?\s*>")
_BREAKS = re.compile(r"\s*[\r\n]+\s*")


@lru_cache(maxsize=1 << 16)
def clean(text: str | None) -> str:
    """Cell/paragraph text on one line: markup removed, line breaks removed, trimmed."""
    if not text:
        return ""
    text = _TAG.sub("", text)
    text = _BREAKS.sub("", text)
    return text.strip()


@lru_cache(maxsize=1 << 16)
def key(text: str | None) -> str:
    """Text for matching labels: NFKC, no whitespace, no trailing punctuation/colons."""
    k = norm(clean(text or ""))
    return k.rstrip(":：")


def nonempty(row: list[Cell]) -> list[tuple[int, Cell]]:
    return [(i, c) for i, c in enumerate(row) if clean(c.text)]


# ------------------------------------------------------------------ years

# A year as digits or in Chinese numerals ("2023", "二〇二三"; some offices write dates that way).
YEAR_NUM = r"(?:(?:19|20)\d{2}|[一二][〇零○Ｏ一二三四五六七八九]{3})"
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}
_YEAR = re.compile(rf"({YEAR_NUM})\s*年")
_YEAR_LINE = re.compile(rf"^[（(\[【]?\s*({YEAR_NUM})\s*年度?\s*[)）\]】]?$")


def year_value(text: str) -> int | None:
    """The int of a YEAR_NUM match ("二〇二三" -> 2023); None outside 1900-2099."""
    digits = "".join(_CN_DIGITS.get(c, c) for c in text)
    return int(digits) if digits.isdigit() and 1900 <= int(digits) <= 2099 else None


def year_in(text: str) -> int | None:
    m = _YEAR.search(text or "")
    return year_value(m.group(1)) if m else None


def year_line(text: str) -> int | None:
    """A line that is only a year: "(2021年度)", "2020年度", "（二〇二三年度）"."""
    m = _YEAR_LINE.match(key(text))
    return year_value(m.group(1)) if m else None


# ------------------------------------------------------------------ numbers

_NUM = r"[-+]?\d[\d,]*(?:\.\d+)?"
_PLAIN = re.compile(rf"^({_NUM})\s*分?$")
_PAREN_NUM = re.compile(rf"[（(]\s*({_NUM})\s*分?\s*[)）]")


_SPACED_NUMBERS = re.compile(r"\d[\s\u3000]+[-+]?\d")


def plain_number(text: str | None) -> float | None:
    """A cell that is only a number (optionally 分): "8", "89.1", "10分".  Two numbers a
    space apart ("100 97.75", cells a dump failed to split) are not one number."""
    if text and _SPACED_NUMBERS.search(text):
        return None
    m = _PLAIN.match(key(text))
    if not m:
        return None
    try:
        return float(m.group(1).replace(",", ""))
    except ValueError:
        return None


# ------------------------------------------------------------------ header words

def _rx(p: str) -> re.Pattern:
    return re.compile(p)


# Indicator table columns.  Order matters: the first role whose pattern matches wins.
INDICATOR_ROLES: list[tuple[str, re.Pattern]] = [
    ("note", _rx(r"原因|改进措施|偏差|整改措施|备注")),
    ("ignore", _rx(r"完成比例|完成率|完成程度|指标解释|计分标准|评分标准|评分细则|评分规则|指标说明|评价标准|序号|计分方法|评分方法|指标性质|指标方向")),
    ("score", _rx(r"得分|^(自评|实际|考核|综合)?评分(值)?$|^自评分$")),
    ("weight", _rx(r"分值|权重|标准分|满分")),
    ("actual", _rx(r"实际|完成值|完成情况|实现值|完成指标值")),
    ("target", _rx(r"指标值|目标值|预期|计划值|年度目标|标准值|期望值")),
    ("name", _rx(r"三级指标|^三级$|指标名称|指标内容|具体指标|绩效指标名称|考核内容|评价内容|评价要点")),
    ("level2", _rx(r"^二级(指标)?$|二级指标")),
    ("level1", _rx(r"^一级(指标)?$|一级指标")),
]


_PARENS = re.compile(r"[（(][^）)]*[）)]")
_LAST_YEAR = re.compile(r"^(?:上年|上一年|去年|上年度|前一年)(?!结转)")
_INDICATOR_SECTION = re.compile(r"^(绩效指标|绩效目标|年度绩效指标)")


@lru_cache(maxsize=1 << 16)
def indicator_role(text: str) -> str | None:
    k = key(text)
    if not k or len(k) > 30:
        return None
    k = _PARENS.sub("", k) or k
    if _LAST_YEAR.match(k):
        return "ignore"  # 上年实际完成值: last year's figures, shown for comparison only
    if _INDICATOR_SECTION.match(k) and "名称" not in k:
        return None  # the section label of the indicator block, not a column
    for role, rx in INDICATOR_ROLES:
        if rx.search(k):
            return role
    return None


# Funds labels.
BUDGET = _rx(r"^(全年|年度|本年|调整后)?预算(数|金额|资金|安排|总额)?(\(A\)|（A）|A)?$|预算数|全年预算|年度预算")
INITIAL_BUDGET = _rx(r"年初预算")
EXECUTED = _rx(r"执行数|执行金额|实际支出|支出数|决算数|全年执行|实际执行|执行总额|实际使用")
RATE = _rx(r"执行率|执行进度|预算完成率|资金执行率")


_FUNDS_PARENS = re.compile(r"[（(《][^）)》]*[）)》]")


@lru_cache(maxsize=1 << 16)
def funds_role(text: str) -> str | None:
    k = key(text)
    if not k or len(k) > 24:
        return None
    k2 = _FUNDS_PARENS.sub("", k) or k
    if _LAST_YEAR.match(k2):
        return None  # 上年执行数: last year's, for comparison
    if RATE.search(k2):
        return "rate"
    if EXECUTED.search(k2):
        return "executed"
    if INITIAL_BUDGET.search(k2):
        return "initial_budget"
    if BUDGET.search(k2):
        return "budget"
    return None


def amount_unit(text: str, default: str = "万元") -> str:
    """The unit a header names: 元 or 万元 (else `default`)."""
    k = key(text)
    if "万元" in k or re.search(r"[（(]万[)）]|单位:?万", k):
        return "万元"
    if re.search(r"[（(]元[)）]|单位:?元", k):
        return "元"
    return default


# Name and unit fields.
NAME_LABEL = _rx(
    r"^(转移支付(\(项目\)|项目|资金)?|专项(\(项目\)|资金)?|项目|部门(\(单位\))?|单位|预算单位|政策|资金)名称"
    r"(及代码|及编码|\(代码\)|\(盖章\))?$"
)
UNIT_LABEL = _rx(r"^(项目)?(实施|预算|资金使用|使用|执行|承办|责任|承担|主办)单位(名称)?$|^单位名称$|^项目单位$")
FILER_LABEL = _rx(r"^(填报|编报|报送|申报)(单位|部门)(名称)?(\(盖章\)|（盖章）)?$")
YEAR_LABEL = _rx(r"^(评价|所属|预算|实施)?年度$")
SCORE_LABEL = _rx(r"^(项目|部门|单位|整体)?(自评|综合|评价|绩效)?(得分|总分|总得分|自评分|评分|分数)$")
TOTAL_ROW = _rx(r"^(合计|总分|总计|总得分|合计得分|得分合计|分值合计|综合得分|自评总分|总\s*分|(总体|综合|绩效)?自评得分)$")
# The form's sign-off line under a table ("单位负责人：XX  填表人：XX  填报日期：…"): no indicator.
SIGNATURE = _rx(r"^((单位|部门|财务|项目)?负责人|填表人|填报人|制表人|审核人|审批人|经办人|联系人|联系电话|"
                r"(填报|填表|制表|报送)日期|(单位)?(盖章|公章))([:：(（]|$)")
GOAL_TARGET = _rx(r"设定目标|预期目标|总体目标|年度目标|绩效目标|计划目标|目标内容|预期|^目标$")
GOAL_ACTUAL = _rx(r"实际完成|完成情况|完成目标|实际情况|实现情况|实际")


@lru_cache(maxsize=1 << 16)
def name_label_kind(text: str) -> str | None:
    """Which report kind a name label implies: 转移支付→transfer, 项目/专项→project, 部门/单位→department."""
    k = key(text)
    if not NAME_LABEL.match(k):
        return None
    if k.startswith("转移支付"):
        return "transfer"
    if k.startswith(("项目", "专项", "政策", "资金")):
        return "project"
    return "department"


INLINE_FIELD = re.compile(r"^(?P<label>[^:：]{2,16}?)\s*[:：]\s*(?P<value>\S.*)$")


def split_inline(cell: Cell) -> tuple[str, Cell] | None:
    """A cell holding "label：value" (项目名称：XX) -> (label, value cell with its own offsets)."""
    text = cell.text or ""
    if ":" not in text and "：" not in text:
        return None  # (most cells: the pattern needs a colon)
    m = INLINE_FIELD.match(text.strip())
    if not m:
        return None
    lead = len(text) - len(text.lstrip())
    vstart = cell.start + lead + m.start("value")
    value = clean(m.group("value"))
    if not value:
        return None
    return key(m.group("label")), Cell(value, vstart, min(cell.end, vstart + len(m.group("value"))), cell.page)


def paragraph_row(text: str, block) -> list[Cell]:
    """A paragraph as a pseudo table row: cells split at tabs or runs of 2+ spaces.

    Offsets point into the document text when the block's text is its raw slice."""
    raw = text[block.start: block.end]
    src = raw if raw.strip() else (block.text or "")
    base = block.start if src is raw else block.start
    cells: list[Cell] = []
    for m in re.finditer(r"[^\t]+?(?=\t|\s{2,}|$)", src):
        part = m.group(0)
        if part.strip():
            lead = len(part) - len(part.lstrip())
            cells.append(Cell(clean(part), base + m.start() + lead, base + m.end(), block.page))
    return cells
