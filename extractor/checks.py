"""Cross-checks computed beside the extracted values (they never change them).

`check_report(report) -> list[Check]` answers the questions an auditor asks of a
self-evaluation table before trusting it:

- ``funds_rate``        执行率 = 执行数 / 预算数 (within 0.5 percentage point)
- ``weights_total``     指标分值 add up to the stated total (bracketed group totals such as
                        ``部门预算管理（55分）`` and the 100-point rubric)
- ``score_total``       指标得分 (+ the funds block's points, derived) add up to the 总分
- ``score_le_weight``   per indicator: 得分 ≤ 分值
- ``target_met``        per indicator: the actual meets the target by (operator, number, unit)
- ``full_marks_unmet``  per indicator: full marks although the target was not met

Statuses: ``pass``, ``fail``, ``unknown`` (not enough stated, or qualitative text).
Messages are short and in Chinese; numbers are printed as written (no trailing .0).
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict

from .models import Check, Indicator, Report
from .values import canonical_level2, norm, parse_value

RATE_TOLERANCE = 0.5  # percentage points
IMPLAUSIBLE_RATE = 300.0  # 执行率 above this (or below 0) with nothing to recompute it from is an error
SCORE_TOLERANCE = 0.05  # points (scores are written with one or two decimals)
FULL_TOTAL = 100.0
NUMBER_TOLERANCE = 1e-6

# Lower is better for these indicators when the target has no operator.
_LOWER_IS_BETTER = ("成本", "费用", "差错", "错误", "投诉", "事故", "违规", "违纪", "违法",
                    "超支", "损失", "失误", "不良", "发生率", "负担")

# Money units convert into one another; anything else must be written the same.
_UNIT_SCALE = {"元": 1.0, "千元": 1e3, "万元": 1e4, "万": 1e4, "亿元": 1e8, "亿": 1e8}

_STATED_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


def fmt(x: float | None) -> str:
    """A number as an auditor writes it: 100, 89.1, 0.25 (no 100.0, no 89.100000001)."""
    if x is None:
        return "—"
    if not math.isfinite(float(x)):
        return str(x)
    r = round(float(x), 4)
    if r == int(r):
        return str(int(r))
    return f"{r:.4f}".rstrip("0").rstrip(".")


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol + 1e-9


# ---------------------------------------------------------------- report level


def check_funds_rate(report: Report) -> Check:
    f = report.funds
    name = "funds_rate"
    if f.rate is None:
        if f.budget and f.executed is not None:
            computed = fmt(round(f.executed / f.budget * 100, 2))
            return Check(name=name, status="unknown", message=f"未填写执行率（执行数÷预算数 = {computed}%）")
        return Check(name=name, status="unknown", message="未填写执行率")
    if f.budget is None or f.executed is None:
        if f.rate < 0 or f.rate > IMPLAUSIBLE_RATE:
            return Check(name=name, status="fail", message=f"执行率{fmt(f.rate)}%不合理（预算数或执行数未填写）")
        return Check(name=name, status="unknown", message=f"执行率{fmt(f.rate)}%，预算数或执行数未填写，无法核对")
    if f.budget == 0:
        return Check(name=name, status="unknown", message="预算数为0，无法计算执行率")
    computed = f.executed / f.budget * 100
    detail = f"执行数{fmt(f.executed)} ÷ 预算数{fmt(f.budget)} = {fmt(round(computed, 2))}%"
    if _close(computed, f.rate, RATE_TOLERANCE):
        return Check(name=name, status="pass", message=f"{detail}，与填报执行率{fmt(f.rate)}%一致")
    return Check(name=name, status="fail", message=f"{detail}，填报执行率为{fmt(f.rate)}%")


def _group_totals(indicators: list[Indicator], attr: str) -> "OrderedDict[str, tuple[float, list[int]]]":
    """Group headings that state their own points: `部门预算管理（55分）` -> (55, [indices])."""
    groups: OrderedDict[str, tuple[float, list[int]]] = OrderedDict()
    for i, ind in enumerate(indicators):
        heading = getattr(ind, attr)
        if not heading:
            continue
        m = _STATED_POINTS.search(heading)
        if not m:
            continue
        key = heading if attr == "level1" else f"{ind.level1 or ''}\x00{heading}"
        stated, members = groups.get(key, (float(m.group(1)), []))
        members.append(i)
        groups[key] = (stated, members)
    return groups


def check_weights_total(report: Report) -> list[Check]:
    inds = report.indicators
    weights = [ind.weight for ind in inds]
    given = [w for w in weights if w is not None]
    if not given:
        return []  # nothing stated: nothing to check (not even "unknown" noise)
    if len(given) < len(weights):
        missing = len(weights) - len(given)
        return [Check(name="weights_total", status="unknown",
                      message=f"{len(given)}项指标有分值、{missing}项未填写，无法核对分值合计")]
    checks: list[Check] = []
    # Group headings with stated points, e.g. 部门预算管理（55分） / 预算编制（23分）.
    bad_groups = []
    for attr in ("level1", "level2"):
        for key, (stated, members) in _group_totals(inds, attr).items():
            total = sum(inds[i].weight for i in members)  # type: ignore[misc]
            if not _close(total, stated, SCORE_TOLERANCE):
                label = key.split("\x00")[-1]
                bad_groups.append(f"{label}下各项分值合计{fmt(total)}")
    total = sum(given)
    if bad_groups:
        checks.append(Check(name="weights_total", status="fail", message="；".join(bad_groups)))
        return checks
    if _close(total, FULL_TOTAL, SCORE_TOLERANCE):
        checks.append(Check(name="weights_total", status="pass", message=f"指标分值合计{fmt(total)}"))
    elif total > FULL_TOTAL:
        checks.append(Check(name="weights_total", status="fail", message=f"指标分值合计{fmt(total)}，超过100分"))
    else:
        rest = FULL_TOTAL - total
        has_funds = any(v is not None for v in (report.funds.budget, report.funds.executed, report.funds.rate))
        if has_funds and rest <= 30 + SCORE_TOLERANCE:
            checks.append(Check(name="weights_total", status="unknown",
                                message=f"指标分值合计{fmt(total)}，余{fmt(rest)}分应为资金执行（预算执行率）分值，表中未单列"))
        else:
            checks.append(Check(name="weights_total", status="fail",
                                message=f"指标分值合计{fmt(total)}，不足100分"))
    return checks


def check_score_total(report: Report) -> list[Check]:
    inds = report.indicators
    scores = [ind.score for ind in inds]
    given = [s for s in scores if s is not None]
    name = "score_total"
    if report.score is None:
        if given:
            return [Check(name=name, status="unknown", message=f"指标得分合计{fmt(sum(given))}，未填写总分")]
        return []
    if not given:
        return [Check(name=name, status="unknown", message=f"总分{fmt(report.score)}，各指标未填写得分")]
    if len(given) < len(scores):
        return [Check(name=name, status="unknown",
                      message=f"{len(scores) - len(given)}项指标未填写得分，无法核对总分{fmt(report.score)}")]
    total = sum(given)
    if _close(total, report.score, SCORE_TOLERANCE):
        return [Check(name=name, status="pass", message=f"指标得分合计{fmt(total)} = 总分{fmt(report.score)}")]
    if total > report.score:
        return [Check(name=name, status="fail",
                      message=f"指标得分合计{fmt(total)}，高于总分{fmt(report.score)}")]
    # Fewer indicator points than the total: the funds block (预算执行率) holds the rest.
    rest = report.score - total
    weights = [ind.weight for ind in inds]
    if all(w is not None for w in weights):
        funds_weight = FULL_TOTAL - sum(weights)  # type: ignore[arg-type]
        if funds_weight > SCORE_TOLERANCE and rest <= funds_weight + SCORE_TOLERANCE:
            return [Check(name=name, status="pass",
                          message=f"指标得分{fmt(total)} + 资金执行得分{fmt(rest)}（推算，分值{fmt(funds_weight)}）"
                                  f" = 总分{fmt(report.score)}")]
        return [Check(name=name, status="fail",
                      message=f"指标得分合计{fmt(total)}，与总分{fmt(report.score)}相差{fmt(rest)}"
                              f"，超出资金执行分值{fmt(max(funds_weight, 0))}")]
    return [Check(name=name, status="unknown",
                  message=f"指标得分合计{fmt(total)}，与总分{fmt(report.score)}相差{fmt(rest)}（可能为资金执行得分）")]


# ---------------------------------------------------------------- indicator level


def check_score_le_weight(ind: Indicator, index: int) -> Check | None:
    if ind.score is None and ind.weight is None:
        return None
    name = "score_le_weight"
    if ind.score is None:
        return None  # a weight without a score is common (not yet scored); nothing to say
    if ind.weight is None:
        return Check(name=name, status="unknown", message=f"得分{fmt(ind.score)}，未填写分值", indicator=index)
    if ind.score < -NUMBER_TOLERANCE:
        return Check(name=name, status="fail", message=f"得分{fmt(ind.score)}为负数", indicator=index)
    if ind.score <= ind.weight + NUMBER_TOLERANCE:
        return Check(name=name, status="pass", message=f"得分{fmt(ind.score)} ≤ 分值{fmt(ind.weight)}", indicator=index)
    return Check(name=name, status="fail", message=f"得分{fmt(ind.score)}超过分值{fmt(ind.weight)}", indicator=index)


def _lower_is_better(ind: Indicator) -> bool:
    if canonical_level2(ind.level2) == "成本指标":
        return True
    return any(word in (ind.name or "") for word in _LOWER_IS_BETTER)


def _same_scale(t_unit: str, a_unit: str) -> tuple[float, float] | None:
    """Factors that bring both numbers to one unit, or None when the units differ."""
    if t_unit == a_unit:
        return 1.0, 1.0
    if t_unit in _UNIT_SCALE and a_unit in _UNIT_SCALE:
        return _UNIT_SCALE[t_unit], _UNIT_SCALE[a_unit]
    return None


def target_status(ind: Indicator) -> tuple[str, str]:
    """(status, message) for "the actual meets the target"; status pass / fail / unknown / skip."""
    if ind.target is None and ind.actual is None:
        return "skip", ""
    if ind.target is None:
        return "unknown", "未填写目标值"
    if ind.actual is None:
        return "unknown", "未填写实际完成值"
    if norm(ind.target) == norm(ind.actual):
        return "pass", "实际完成值与目标值相同"
    t, a = parse_value(ind.target), parse_value(ind.actual)
    if t is None or a is None or t.number is None or a.number is None:
        return "unknown", "定性指标，需人工判断"
    scale = _same_scale(t.unit, a.unit)
    if scale is None:
        return "unknown", f"单位不一致（目标“{t.unit or '无'}”，实际“{a.unit or '无'}”）"
    tn, an = t.number * scale[0], a.number * scale[1]
    tol = max(NUMBER_TOLERANCE, abs(tn) * 1e-9)
    t_op = t.op or "="
    a_op = a.op or "="
    shown = f"实际{ind.actual}，目标{ind.target}"

    def verdict(ok: bool | None) -> tuple[str, str]:
        if ok is None:
            return "unknown", f"{shown}，实际值为区间，无法判断"
        return ("pass", f"{shown}，已达成") if ok else ("fail", f"{shown}，未达成")

    if t_op == "=":
        if a_op != "=":
            return verdict(None)
        if abs(an - tn) <= tol:
            return "pass", f"{shown}，已达成"
        if _lower_is_better(ind):
            return verdict(an <= tn)
        if an > tn:
            return "pass", f"{shown}，超额完成"
        return verdict(False)
    # An actual written as a bound (≥95%) meets a same-direction target when the bound does.
    if t_op in ("≥", ">"):
        if a_op in ("=", "≥", ">"):
            ok = an > tn or (an >= tn - tol and (t_op == "≥" or a_op == ">"))
            if a_op == "=" or ok:
                return verdict(ok)
            return verdict(None)
        # actual is an upper bound (≤x): fails for sure only when x is below the target
        return verdict(False) if an < tn - tol or (t_op == ">" and an <= tn + tol) else verdict(None)
    # t_op in ("≤", "<")
    if a_op in ("=", "≤", "<"):
        ok = an < tn or (an <= tn + tol and (t_op == "≤" or a_op == "<"))
        if a_op == "=" or ok:
            return verdict(ok)
        return verdict(None)
    return verdict(False) if an > tn + tol or (t_op == "<" and an >= tn - tol) else verdict(None)


def check_target_met(ind: Indicator, index: int) -> Check | None:
    status, message = target_status(ind)
    if status == "skip":
        return None
    return Check(name="target_met", status=status, message=message, indicator=index)  # type: ignore[arg-type]


def check_full_marks_unmet(ind: Indicator, index: int, met: Check | None) -> Check | None:
    if ind.score is None or ind.weight is None or met is None:
        return None
    full = ind.weight > 0 and abs(ind.score - ind.weight) <= NUMBER_TOLERANCE
    name = "full_marks_unmet"
    if not full:
        return None  # points were deducted: nothing inconsistent to flag
    if met.status == "fail":
        return Check(name=name, status="fail",
                     message=f"目标未达成却得满分{fmt(ind.score)}", indicator=index)
    if met.status == "pass":
        return Check(name=name, status="pass", message="目标已达成，得满分", indicator=index)
    return None  # qualitative: target_met already says "需人工判断"


# ---------------------------------------------------------------- entry point


def _finite_view(report: Report) -> tuple[Report, list[str]]:
    """A copy where NaN/inf numbers read as not stated, and the fields that held them."""
    bad: list[str] = []

    def clean(obj, attrs, where):
        for a in attrs:
            v = getattr(obj, a)
            if isinstance(v, float) and not math.isfinite(v):
                setattr(obj, a, None)
                bad.append(where + a)

    def finite(v) -> bool:
        return not (isinstance(v, float) and not math.isfinite(v))

    numbers = [report.score, report.funds.budget, report.funds.executed, report.funds.rate]
    numbers += [v for ind in report.indicators for v in (ind.weight, ind.score)]
    if all(finite(v) for v in numbers):
        return report, bad  # the usual case: nothing to hide, no copy needed
    r = report.model_copy(deep=True)
    clean(r, ("score",), "")
    clean(r.funds, ("budget", "executed", "rate"), "funds.")
    for i, ind in enumerate(r.indicators):
        clean(ind, ("weight", "score"), f"indicators[{i}].")
    return r, bad


def check_report(report: Report) -> list[Check]:
    """All checks for one report: report-level first, then per indicator in table order."""
    report, bad = _finite_view(report)
    checks: list[Check] = []
    if bad:
        checks.append(Check(name="numbers_finite", status="fail",
                            message="数值无效（非有限数）：" + "、".join(bad)))
    checks.append(check_funds_rate(report))
    checks += check_weights_total(report)
    checks += check_score_total(report)
    for i, ind in enumerate(report.indicators):
        le = check_score_le_weight(ind, i)
        if le:
            checks.append(le)
        met = check_target_met(ind, i)
        if met:
            checks.append(met)
        full = check_full_marks_unmet(ind, i, met)
        if full:
            checks.append(full)
    return checks


def indicator_met(report: Report, index: int) -> str:
    """"yes" / "no" / "unknown" for an indicator, from its target_met check (computed if absent)."""
    for c in report.checks:
        if c.name == "target_met" and c.indicator == index:
            return {"pass": "yes", "fail": "no"}.get(c.status, "unknown")
    status, _ = target_status(report.indicators[index])
    return {"pass": "yes", "fail": "no"}.get(status, "unknown")
