"""results.xlsx: the whole run as sheets an auditor filters and sorts.

Sheets: 报告 reports, 指标 indicators (one row per indicator: target and actual as written AND
parsed), 目标 goals, 检查 checks, 失败 failures.  Numbers are numeric cells; every sheet has a
frozen header row, an autofilter and widths sized for CJK text.  Text from the documents is
always stored as text: a target such as ``=100%`` never becomes a formula.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import xlsxwriter

from ..checks import indicator_met
from ..models import Document, Evidence, Report
from ..values import parse_value

SHEETS = {"reports": "报告", "indicators": "指标", "goals": "目标", "checks": "检查", "failures": "失败"}
KIND_LABEL = {"department": "部门整体", "project": "项目", "transfer": "转移支付"}
MET_LABEL = {"yes": "是", "no": "否", "unknown": "未知"}
STATUS_LABEL = {"pass": "通过", "fail": "不通过", "unknown": "未知"}
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # not allowed in XML
MAX_CELL = 32000  # Excel's limit is 32767 characters per cell
WRAP_WIDTH = 50

# (header, width hint or None for auto, is_number)
INDICATOR_COLUMNS = [
    ("文档", None), ("报告", None), ("类型", None), ("序号", 6), ("一级指标", None), ("二级指标", None),
    ("三级指标", None), ("指标值（原文）", None), ("指标值-运算符", 8), ("指标值-数值", 10), ("指标值-单位", 8),
    ("实际完成值（原文）", None), ("实际值-运算符", 8), ("实际值-数值", 10), ("实际值-单位", 8),
    ("分值", 7), ("得分", 7), ("是否达成", 9), ("偏差原因及改进措施", None), ("页码", 6), ("未通过的检查", None),
]


def _clean(value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CELL:
        value = value[: MAX_CELL - 1] + "…"
    return value


_WIDE = re.compile("[\u2e80-\U0010ffff]")


@lru_cache(maxsize=1 << 14)
def _text_width(text: str) -> int:
    """Display width of a cell's widest line (names, levels and labels recur row after row)."""
    return max((_display_width(line) for line in text.splitlines() or [""]), default=0)


@lru_cache(maxsize=1 << 14)
def _display_width(text: str) -> int:
    """Columns a text takes in Excel: CJK and full-width characters count double."""
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


def _page(evidence: Evidence | None, fields: Iterable[str]) -> int | None:
    if evidence is None:
        return None
    for f in fields:
        span = evidence.spans.get(f)
        if span is not None and span.page is not None:
            return span.page
    for span in evidence.spans.values():
        if span.page is not None:
            return span.page
    return None


_HEADER = {"bold": True, "bg_color": "#DDEBF7", "pattern": 1}
_FAIL = {"bg_color": "#FCE4E4", "pattern": 1}
_WRAP = {"text_wrap": True, "valign": "top"}


class _Sheet:
    """Rows are collected first (widths need every value), then written in one pass."""

    def __init__(self, wb: xlsxwriter.Workbook, title: str, headers: list[tuple[str, int | None]]):
        self.wb = wb
        self.title = title
        self.headers = headers
        self.widths = [_display_width(h) + 4 for h, _ in headers]  # + room for the filter button
        self.hinted = [hint is not None for _, hint in headers]
        self.rows: list[tuple[list[Any], bool]] = []

    def append(self, values: list[Any], fail: bool = False) -> None:
        clean = []
        widths, hinted = self.widths, self.hinted
        for col, value in enumerate(values):
            if isinstance(value, str):
                value = _clean(value)
                if not hinted[col]:  # a fixed width needs no measuring
                    widths[col] = max(widths[col], min(_text_width(value), WRAP_WIDTH))
            elif isinstance(value, bool):
                value = "是" if value else "否"
            elif value is not None and not hinted[col]:
                widths[col] = max(widths[col], min(len(str(value)), WRAP_WIDTH))
            clean.append(value)
        self.rows.append((clean, fail))

    def finish(self) -> None:
        wb = self.wb
        ws = wb.add_worksheet(self.title)
        n = len(self.headers)
        for i, (_, hint) in enumerate(self.headers):
            width = hint if hint is not None else self.widths[i]
            ws.set_column(i, i, max(6, min(width + 2, WRAP_WIDTH + 2)))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(self.rows), n - 1)
        header = wb.add_format(_HEADER)
        for col, (h, _) in enumerate(self.headers):
            ws.write_string(0, col, h, header)
        # (styling every cell would double the time: only failed rows and long text get a format)
        plain = {False: None, True: wb.add_format(_FAIL)}
        wrapped = {False: wb.add_format(_WRAP), True: wb.add_format({**_FAIL, **_WRAP})}
        for row, (values, fail) in enumerate(self.rows, start=1):
            for col, value in enumerate(values):
                if isinstance(value, str):
                    long = len(value) > WRAP_WIDTH // 2 and _display_width(value) > WRAP_WIDTH
                    fmt = wrapped[fail] if long else plain[fail]
                    if value:
                        ws.write_string(row, col, value, fmt)  # `=100%` is a target, not a formula
                    elif fmt is not None:
                        ws.write_blank(row, col, None, fmt)
                elif value is None:
                    if fail:
                        ws.write_blank(row, col, None, plain[True])
                else:
                    ws.write_number(row, col, value, plain[fail])
        self.rows = []


def _failed_names(report: Report, index: int | None) -> str:
    return "、".join(c.name for c in report.checks if c.status == "fail" and c.indicator == index)


def build_workbook(documents: list[Document], run_entries: list[dict] | None,
                   out: str | io.BytesIO) -> None:
    """Write the workbook to `out` (a path or a binary buffer)."""
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "nan_inf_to_errors": True})
    reports = _Sheet(wb, SHEETS["reports"], [
        ("文档", None), ("类型", None), ("报告名称", None), ("单位", None), ("年度", 7), ("预算数（万元）", None),
        ("执行数（万元）", None), ("执行率（%）", None), ("总分", 7), ("目标数", 7), ("指标数", 7),
        ("未通过的检查", 9), ("检查未通过项", None), ("来源", None)])
    indicators = _Sheet(wb, SHEETS["indicators"], [(h, w) for h, w in INDICATOR_COLUMNS])
    goals = _Sheet(wb, SHEETS["goals"], [("文档", None), ("报告", None), ("序号", 6), ("年度目标", None),
                                          ("实际完成情况", None), ("页码", 6)])
    checks = _Sheet(wb, SHEETS["checks"], [("文档", None), ("报告", None), ("检查", None), ("结果", 8),
                                           ("指标序号", 8), ("指标", None), ("说明", None)])
    failures = _Sheet(wb, SHEETS["failures"], [("输入文件", None), ("输出名", None), ("原因", None),
                                               ("SHA-256", 20)])

    for doc in documents:
        for report in doc.reports:
            failed = [c for c in report.checks if c.status == "fail"]
            f = report.funds
            reports.append([doc.document, KIND_LABEL.get(report.kind, report.kind), report.name, report.unit,
                            report.year, f.budget, f.executed, f.rate, report.score, len(report.goals),
                            len(report.indicators), len(failed),
                            "、".join(sorted({c.name for c in failed})),
                            report.evidence.origin if report.evidence else None], fail=bool(failed))
            for k, goal in enumerate(report.goals, start=1):
                goals.append([doc.document, report.name, k, goal.target, goal.actual,
                              _page(goal.evidence, ("target", "actual"))])
            for i, ind in enumerate(report.indicators):
                t, a = parse_value(ind.target), parse_value(ind.actual)
                met = indicator_met(report, i)
                bad = _failed_names(report, i)
                indicators.append([
                    doc.document, report.name, KIND_LABEL.get(report.kind, report.kind), i + 1,
                    ind.level1, ind.level2, ind.name,
                    ind.target, t.op if t and t.number is not None else None, t.number if t else None,
                    (t.unit or None) if t and t.number is not None else None,
                    ind.actual, a.op if a and a.number is not None else None, a.number if a else None,
                    (a.unit or None) if a and a.number is not None else None,
                    ind.weight, ind.score, MET_LABEL[met], ind.note,
                    _page(ind.evidence, ("name", "target", "actual")), bad or None,
                ], fail=bool(bad) or met == "no")
            for c in report.checks:
                ind_name = report.indicators[c.indicator].name if c.indicator is not None and \
                    0 <= c.indicator < len(report.indicators) else None
                checks.append([doc.document, report.name, c.name, STATUS_LABEL.get(c.status, c.status),
                               c.indicator + 1 if c.indicator is not None else None, ind_name, c.message],
                              fail=c.status == "fail")
    for e in run_entries or []:
        if e.get("status") == "failed":
            failures.append([e.get("path"), e.get("stem"), e.get("error"), e.get("sha256")], fail=True)
    for sheet in (reports, indicators, goals, checks, failures):
        sheet.finish()
    wb.close()


def write_workbook(documents: list[Document], run_entries: list[dict] | None, path: Path) -> None:
    """Write results.xlsx atomically."""
    from ..batch import atomic_write_bytes

    buf = io.BytesIO()
    build_workbook(documents, run_entries, buf)
    atomic_write_bytes(Path(path), buf.getvalue())
