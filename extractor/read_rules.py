"""The deterministic reader: segments in, contract reports (with evidence) out.

Tables are read by header words and their synonyms (see `tables.py`): the funds block
(预算数 / 执行数 / 执行率, inline "预算数：720.87万元" or in columns under the header),
the score (自评得分 field, 合计/总分 row), goals (年初设定目标/预期目标 vs 实际完成情况),
indicator tables (一级/二级/三级 …, header split over two rows, merged 一级/二级 cells
carried forward, values split over several columns joined), scoring rubrics (评分表)
and summary tables (one project per row).  Prose is read only where it states a thing
plainly (a project's 预算数/执行数/完成预算的%); whatever the rules cannot read with
confidence is handed on as a `Pending` stretch for the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .models import Evidence, Funds, Goal, Indicator, Report, Span
from .pipeline import Pending, Reading
from .recut import recut
from .segment import TOP_HEADING, Segment, is_summary_header, row_title, row_year
from .layout import join_lines
from .source import Block, Cell, SourceDoc
from .tables import (
    FILER_LABEL,
    GOAL_ACTUAL,
    GOAL_TARGET,
    SCORE_LABEL,
    SIGNATURE,
    TOTAL_ROW,
    UNIT_LABEL,
    amount_unit,
    clean,
    funds_role,
    indicator_role,
    key,
    name_label_kind,
    nonempty,
    paragraph_row,
    plain_number,
    split_inline,
)
from .values import parse_amount, parse_rate

# ------------------------------------------------------------------ accumulation


def _span(cells: list[Cell]) -> Span | None:
    cells = [c for c in cells if c is not None]
    if not cells:
        return None
    return Span(start=min(c.start for c in cells), end=max(c.end for c in cells), page=cells[0].page)


def _widen(old: Span | None, add: Span | None) -> Span | None:
    """The span of a value that goes on in more text (a cell wrapped onto the next row)."""
    if old is None or add is None:
        return old or add
    return Span(start=min(old.start, add.start), end=max(old.end, add.end),
                page=old.page if old.page is not None else add.page)


@dataclass
class _Acc:
    kind: str | None = None
    name: str | None = None
    unit: str | None = None
    year: int | None = None
    budget: float | None = None
    executed: float | None = None
    rate: float | None = None
    score: float | None = None  # from a score field
    total_score: float | None = None  # from a 合计/总分 row (wins)
    goals: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    spans: dict[str, Span] = field(default_factory=dict)
    source: str = "table"  # "table" | "summary" | "prose": authority when reports merge
    segment: int | None = None  # index of the segment read (rows of one summary table never merge)

    def set(self, attr: str, value, cells: list[Cell] | None = None, overwrite: bool = False) -> None:
        if value is None:
            return
        if getattr(self, attr) is not None and not overwrite:
            if getattr(self, attr) == value and attr not in self.spans:
                sp = _span(cells or [])
                if sp:
                    self.spans[attr] = sp
            return
        setattr(self, attr, value)
        sp = _span(cells or [])
        if sp:
            self.spans[attr] = sp

    def report(self) -> Report | None:
        if self.kind not in ("department", "project", "transfer"):
            return None
        name = self.name or ""
        unit = self.unit
        if self.kind == "department" and name and not unit:
            unit = name
        score = self.total_score if self.total_score is not None else self.score
        spans = dict(self.spans)
        if self.total_score is not None and "total_score" in spans:
            spans["score"] = spans.pop("total_score")
        return Report(
            kind=self.kind,
            name=name,
            unit=unit,
            year=self.year,
            funds=Funds(budget=self.budget, executed=self.executed, rate=self.rate),
            score=score,
            goals=self.goals,
            indicators=self.indicators,
            evidence=Evidence(origin="rules", spans=spans, source=self.source, segment=self.segment),
        )


# ------------------------------------------------------------------ columns


def _spans_of(header: list[str | None], width: int) -> dict[str, tuple[int, int]]:
    """role -> [start, end) columns: a role's column plus the unlabelled columns after it."""
    out: dict[str, tuple[int, int]] = {}
    labelled = [i for i, r in enumerate(header) if r is not None and not (i > 0 and header[i - 1] == r)]
    for n, i in enumerate(labelled):
        role = header[i]
        end = labelled[n + 1] if n + 1 < len(labelled) else max(width, i + 1)
        if role not in out:
            out[role] = (i, end)
    return out


def _span_cells(row: list[Cell], span: tuple[int, int] | None) -> list[Cell]:
    if not span:
        return []
    return [c for c in row[span[0]: span[1]] if clean(c.text)]


def _span_text(row: list[Cell], span: tuple[int, int] | None) -> tuple[str | None, list[Cell]]:
    cells = _span_cells(row, span)
    if not cells:
        return None, []
    parts: list[str] = []
    for c in cells:
        t = clean(c.text)
        if not parts or t != parts[-1]:
            parts.append(t)
    return "".join(parts), cells


def _header_texts(row: list[Cell]) -> list[str]:
    return [clean(c.text) for c in row]


_SECTION_CELL = re.compile(r"^(?:年度)?绩效(?:指标|目标)(?:完成情况)?$")


def _header_start(prev: list[Cell], row: list[Cell]) -> bool:
    """`prev` holds only the first header cells ("绩效指标 | 一级指标") and `row` the rest, from
    二级指标 or 三级指标 on: a header row a dump broke after its first columns."""
    ptexts = [t for t in _header_texts(prev) if t]
    proles = [indicator_role(t) for t in ptexts]
    if not ptexts or not any(r in ("level1", "level2") for r in proles):
        return False
    if not all(r in ("level1", "level2") or _SECTION_CELL.match(key(t)) for t, r in zip(ptexts, proles)):
        return False
    rtexts = [t for t in _header_texts(row) if t]
    rroles = [indicator_role(t) for t in rtexts]
    return bool(rtexts) and rroles[0] in ("level2", "name") and "name" in rroles and not set(proles) & set(rroles)


def indicator_header(row: list[Cell], prev: list[Cell] | None, width: int,
                     below: list[list[Cell]] | None = None) -> list[str | None] | None:
    """Column roles of an indicator table header, or None when `row` is not one.

    A header split over two rows ("绩效指标 | 指标分值 | … " above "一级指标 | 二级指标 |
    三级指标 | | |") is combined: cell by cell when both rows have the same cells,
    otherwise the upper row's remaining column words fill the lower row's empty columns
    in order (merged header cells collapse in flattened text)."""
    if prev is not None and _header_start(prev, row):
        row, prev = list(prev) + list(row), None  # one header row broken in two by the dump
    roles = [indicator_role(t) for t in _header_texts(row)]
    if "name" not in roles and {"target", "actual"} <= set(roles):
        # a plain "绩效指标"/"指标" column before the target and actual: the indicator name
        for j, t in enumerate(_header_texts(row)):
            if roles[j] is None and key(t) in ("绩效指标", "指标", "考核指标", "评价指标", "三级", "指标项"):
                roles[j] = "name"
                break
    if "name" not in roles:
        return None
    value_roles = {"target", "actual", "weight", "score"}
    if prev is not None:
        proles = [indicator_role(t) for t in _header_texts(prev)]
        extra = [r for r in proles if r in value_roles | {"note", "ignore"}]
        if extra and not (value_roles & set(roles)):
            if len(prev) == len(row):
                roles = [r if r is not None else p for r, p in zip(roles, proles)]
            else:
                last = max(i for i, r in enumerate(roles) if r is not None)
                slots = [i for i in range(last + 1, max(width, len(roles))) if i >= len(roles) or roles[i] is None]
                roles = roles + [None] * (max(width, len(roles)) - len(roles))
                for slot, r in zip(slots, extra):
                    roles[slot] = r
    if not (value_roles & set(roles)):
        return None
    # data rows wider than the header, with empty leading cells: the header lost the
    # (merged, empty) label column on its left -> shift it right
    data = [r for r in (below or []) if nonempty(r)][:4]
    if data and roles and roles[0] is not None:
        widths = [len(r) for r in data]
        w = max(set(widths), key=widths.count)
        shift = w - len(roles)
        if shift > 0 and all(len(r) >= shift and not any(clean(c.text) for c in r[:shift]) for r in data if len(r) == w):
            roles = [None] * shift + roles
    return roles


# a new goal item opening a cell ("目标2：", "2.", "（二）", "二是")
_GOAL_ITEM = re.compile(r"^\s*(?:(?:年度)?目标\s*[\d一二三四五六七八九十]|[\d一二三四五六七八九十]{1,2}\s*[、.．]|[（(][\d一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]是)")
_TOTAL_LABELS = ("合计", "总计", "总量", "年度资金总额", "资金总额", "总额")
_SCORE_VALUE = re.compile(r"^(\d+(?:\.\d+)?)分?(?:[(（]?(?:优秀?|良好?|中|合格|不合格|差)[)）]?)?$")
_TOTAL_FUNDS = re.compile(r"^(年度)?(资金)?(总额|合计|总计|总量)[:：]?$|^年度资金总额|^资金总额|^合计")
GOAL_LABEL_T = re.compile(r"^(年度)?(总体|绩效|预期|设定)?目标$|^年度总体目标$|^(年度)?(预期|设定|总体)目标(内容)?$")
GOAL_LABEL_A = re.compile(r"^(全年|年度)?(目标|总体目标)?实际完成(情况|目标)?$|^(年度)?(总体)?目标完成情况$|^(全年)?完成情况$")
_LEVEL1_WORD = re.compile(r"^(产出|效益|效果|满意度|项目完成|成本|决策|过程|履职效能|管理效率|社会效应|可持续发展能力)(指[标表])?$")
_LEVEL2_WORD = re.compile(
    r"^(数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度|经济成本|社会成本|生态环境成本)(指[标表])$"
)
_PLACEHOLDER = re.compile(r"^[…\.。·\-—_－~～/\\、无]*$")
_OTHER_ROW = re.compile(r"^(说明|备注|注|填报说明|其他说明|情况说明|审计情况)([:：].*)?$")
_FUNDS_IN_TABLE = re.compile(r"资金情况|项目资金|资金投入情况|预算资金|年度资金|资金执行情况|预算执行情况")


_SOURCE_WORD = re.compile(r"财政|拨款|补助|自筹|其他|上级|本级|中央|省级|市级|县级|区级|地方|配套|专项|社会|单位")


def _split_by_source(cands: list[list[Cell]], span: tuple[int, int]) -> bool:
    """Two or more data rows with an amount in the column, each labelled by a funding source."""
    labelled = 0
    for r in cands:
        if not any(plain_number(c.text) is not None or re.fullmatch(r"[\d,.]+%?", key(c.text) or "-")
                   for c in r[span[0]: max(span[1], span[0] + 1)]):
            continue
        label = next((key(c.text) for c in r[: span[0]] if clean(c.text)), "")
        if not label or _TOTAL_FUNDS.search(label) or not _SOURCE_WORD.search(label):
            return False
        labelled += 1
    return labelled >= 2


def _number_cells(row: list[Cell]) -> list[tuple[float, Cell]]:
    out = []
    for c in row:
        n = plain_number(c.text)
        if n is not None:
            out.append((n, c))
    return out


def _column_numbers(row: list[Cell]) -> bool:
    """A header's row of column numbers ("1 | 2 | 3 | … | 7", some forms number their columns)."""
    nums = [key(c.text) for _, c in nonempty(row)]
    return len(nums) >= 4 and all(n.isdigit() for n in nums) and [int(n) for n in nums] == list(
        range(int(nums[0]), int(nums[0]) + len(nums)))


class _TableReader:
    def __init__(self, acc: _Acc, seg: Segment, pending: list[Pending]):
        self.acc = acc
        self.seg = seg
        self.pending = pending
        self.roles: list[str | None] | None = None
        self.spans: dict[str, tuple[int, int]] = {}
        self.level1: tuple[str | None, list[Cell]] = (None, [])
        self.level2: tuple[str | None, list[Cell]] = (None, [])
        self.goal_spans: tuple[tuple[int, int], tuple[int, int]] | None = None
        self.unread: list[list[Cell]] = []
        self.summary: dict[str, tuple[int, int]] | None = None
        self.summary_unit: str = "万元"
        self.summary_reports: list[Report] = []
        self.goal_t: tuple[str, Cell] | None = None
        self.goal_header: list[str] = []
        self.unread_funds: list[list[Cell]] = []
        self.default_unit = "万元"  # "单位：元" stated above or inside the table changes it
        self.goal_a: tuple[str, Cell] | None = None
        self.text: str = ""  # the document text (gaps between cells tell a flattened table)
        self.last_row_indicator: Indicator | None = None  # read from the row just before
        self.funds_row = -2  # index of the last row read as funds
        self.goal_stacked = False  # the last goal row held only a target, on a row too short for an actual

    # ---- rows
    def read(self, rows: list[list[Cell]]) -> None:
        prev: list[Cell] | None = None
        i = 0
        while i < len(rows):
            row = rows[i]
            ne = nonempty(row)
            if not ne:
                i += 1
                continue
            width = max(len(row), max((len(r) for r in rows[i + 1: i + 4]), default=0))
            for _, c in ne:
                mu = re.search(r"(?:金额|资金)?单位[:：]\s*(万元|元)", key(c.text))
                if mu:
                    self.default_unit = mu.group(1)
            if row_title(row):
                prev = None
                i += 1
                continue
            y = row_year(row)
            if y and len(ne) <= 3:
                self.acc.set("year", y, [ne[-1][1]])
                if len(ne) == 1:
                    i += 1
                    continue
            hdr = indicator_header(row, prev, width, rows[i + 1: i + 6])
            if hdr:
                if hdr != self.roles:  # a header repeated after a page break keeps the carried levels
                    self.level1 = (None, [])
                    self.level2 = (None, [])
                self.roles = hdr
                self.spans = _spans_of(hdr, width)
                self.goal_spans = None
                self.summary = None
                prev = row
                i += 1
                continue
            if is_summary_header(row):
                self._summary_header(row)
                prev = row
                i += 1
                continue
            if self.summary is not None:
                self._summary_row(row)
                prev = row
                i += 1
                continue
            if self._goal_header(row):
                prev = row
                i += 1
                continue
            if self._funds(rows, i):
                prev = row
                i += 1
                continue
            if self.roles is not None:
                self._indicator_row(row)
            elif self.goal_spans is not None and self._goal_row(row):
                pass
            else:
                self._fields(row)
            prev = row
            i += 1

    # ---- fields: name, unit, score, goals stated as label + text
    def _fields(self, row: list[Cell]) -> None:
        ne = nonempty(row)
        for idx, (_, cell) in enumerate(ne):
            k = key(cell.text)
            nxt = ne[idx + 1][1] if idx + 1 < len(ne) else None
            if nxt is not None and _is_label(nxt.text):
                nxt = None
            inline = split_inline(cell)
            if inline and (name_label_kind(inline[0]) or UNIT_LABEL.match(inline[0]) or SCORE_LABEL.match(inline[0])
                           or GOAL_LABEL_T.match(inline[0]) or GOAL_LABEL_A.match(inline[0])
                           or FILER_LABEL.match(inline[0])):
                k, nxt = inline
            elif inline and funds_role(inline[0]) in ("budget", "executed", "rate"):
                # "全年预算数：100万元" in one cell
                attr = funds_role(inline[0])
                value = self._parse(attr, inline[1].text, amount_unit(inline[0], self.default_unit))
                if value is not None:
                    self.acc.set(attr, value, [inline[1]])
                continue
            label_kind = name_label_kind(k)
            if label_kind and nxt is not None:
                if label_kind == "department" and self.acc.kind in ("project", "transfer"):
                    self.acc.set("unit", clean(nxt.text), [nxt])
                else:
                    self.acc.set("name", clean(nxt.text), [nxt])
            elif UNIT_LABEL.match(k) and nxt is not None:
                if self.acc.kind != "department":
                    self.acc.set("unit", clean(nxt.text), [nxt])
                else:  # a department's spending unit is the department itself
                    self.acc.set("name", clean(nxt.text), [nxt])
            elif FILER_LABEL.match(k) and nxt is not None and self.acc.kind == "department":
                self.acc.set("name", re.sub(r"[(（]?盖章[)）]?$", "", clean(nxt.text)).strip() or None, [nxt])
            elif SCORE_LABEL.match(k) and nxt is not None:
                ms = _SCORE_VALUE.match(key(nxt.text))
                if ms and float(ms.group(1)) <= 150:
                    self.acc.set("score", float(ms.group(1)), [nxt])
            elif GOAL_LABEL_T.match(k) and nxt is not None and len(clean(nxt.text)) > 8:
                self.goal_t = self.goal_t or (clean(nxt.text), nxt)
            elif GOAL_LABEL_A.match(k) and nxt is not None and len(clean(nxt.text)) > 8:
                self.goal_a = self.goal_a or (clean(nxt.text), nxt)
            else:
                m = re.match(r"^(?:项目|部门|单位|整体)?(?:自评)?(?:得分|总分)[:：]?[（(]?\s*(\d+(?:\.\d+)?)\s*分?[)）]?$", k)
                if m:
                    self.acc.set("score", float(m.group(1)), [cell])

    def finish(self) -> None:
        if (self.goal_t or self.goal_a) and not self.acc.goals:
            t, a = self.goal_t, self.goal_a
            self.acc.goals.append(Goal(target=t[0] if t else None, actual=a[0] if a else None,
                                       evidence=Evidence(origin="rules", spans={k: v for k, v in (
                                           ("target", _span([t[1]]) if t else None),
                                           ("actual", _span([a[1]]) if a else None)) if v})))

    # ---- funds
    def _funds(self, rows: list[list[Cell]], i: int) -> bool:
        row = rows[i]
        for c in row:
            inline = split_inline(c)
            if inline and funds_role(inline[0]) and re.match(r"^[-+]?\d", key(inline[1].text)):
                return False  # "全年预算数：100万元" cells: read as fields
        labels = [(j, funds_role(c.text), c) for j, c in enumerate(row) if funds_role(c.text)]
        if self.roles is not None:
            # under an indicator header, words in an explanation/criteria column (指标解释,
            # 评分标准: "…实际支出数与预算数的比率") are not funds labels
            ignored = [(a, b) for role, (a, b) in self.spans.items() if role == "ignore"]
            labels = [t for t in labels if not any(a <= t[0] < b for a, b in ignored)]
        kinds = {r for _, r, _ in labels}
        inline = self._inline_value(row, labels[0][0]) if kinds == {"rate"} and self.funds_row == i - 1 else None
        if inline is not None:
            # funds turned sideways (年初预算数 / 全年预算数 / 全年执行数 / 执行率 as row labels):
            # the rate row right under the amounts; an indicator row 预算执行率 is never right there
            value = self._parse("rate", inline.text, self.default_unit)
            if value is not None and self.acc.rate is None:
                self.acc.set("rate", value, [inline])
                self.funds_row = i
                return True
        if not labels or not (kinds & {"budget", "executed"}):
            return False
        if len(kinds) < 2 and not self._inline_value(row, labels[0][0]):
            return False
        unit = amount_unit(" ".join(c.text for c in row), self.default_unit)
        # header words and the total row's numbers flattened into one row
        if self._total_row_funds([row], 0, unit):
            return True
        # the total row is a cell wider than the header (a "资金来源" label cell the header row
        # lacks): its 合计 label stands where the header has an amount column, so columns do not
        # line up; read the amounts in order after the label instead
        nxt = rows[i + 1] if i + 1 < len(rows) else []
        first_col = min(j for j, _, _ in labels)
        if len(nxt) > len(row) and any(key(c.text) in _TOTAL_LABELS for c in nxt[first_col:first_col + 1]) \
                and self._total_row_funds(rows, i + 1, unit):
            self.funds_row = i + 1
            return True
        got = False
        # budget: 全年预算数 wins over 年初预算数
        order = sorted(labels, key=lambda t: 0 if t[1] != "initial_budget" else 1)
        for j, role, cell in order:
            attr = "budget" if role in ("budget", "initial_budget") else role
            if role == "initial_budget" and "budget" in kinds:
                continue
            if getattr(self.acc, attr) is not None:
                continue
            inline = self._inline_value(row, j)
            if inline is not None:
                value = self._parse(attr, inline.text, unit)
                if value is not None:
                    self.acc.set(attr, value, [inline])
                    got = True
                    continue
            # columnar: the first data row under the label (its column span), not a 其中 row
            header = [c if clean(c.text) else None for c in row]
            nxt = [k for k in range(j + 1, len(row)) if header[k] is not None]
            span = (j, nxt[0] if nxt else max(len(row), j + 1))
            cands = []
            for r in rows[i + 1: i + 9]:
                rne = nonempty(r)
                if not rne:
                    continue
                if indicator_role(rne[0][1].text) or any(GOAL_ACTUAL.search(key(c.text)) for _, c in rne[:2]) \
                        or sum(1 for _, c in rne if funds_role(c.text)) >= 2:
                    break
                if re.match(r"^(其中|含[:：]|\(\d\)|（\d）)", key(rne[0][1].text)) or any(
                    key(c.text).startswith("其中") for c in r[: span[0] + 1] if clean(c.text)
                ):
                    continue
                cands.append(r)
            # the total row (合计 / 年度资金总额 / 总量) when one is labelled, else the first data row
            totals = [r for r in cands if any(_TOTAL_FUNDS.search(key(c.text)) for c in r[: span[0] + 1] if clean(c.text))]
            listing = any(re.search(r"名称|任务|内容|序号", key(c.text)) for c in row)
            # a list of tasks/items with their own amounts: only its total row is the report's;
            # funds split by source (财政拨款 / 其他资金 …) on several rows with no total row:
            # the budget is not any one of them (left to the model, never summed)
            if not totals and _split_by_source(cands, span):
                continue
            for r in (totals or ([] if listing else cands))[:1]:
                cells = _span_cells(r, (span[0], span[1] if span[1] > span[0] else span[0] + 1))
                for c in cells:
                    val = self._parse(attr, c.text, unit)
                    if val is not None:
                        self.acc.set(attr, val, [c])
                        got = True
                        break
        if not got:
            got = self._total_row_funds(rows, i, unit)
        if not got:
            self.unread_funds.append(row)
        self.funds_row = i
        return True

    def _total_row_funds(self, rows: list[list[Cell]], i: int, unit: str) -> bool:
        """Funds header words and numbers flattened into one row ("… 合计 | 4847.62 | 5514.89 | 114%"):
        the amounts after the total label are 预算数 then 执行数, the first percent the rate."""
        for r in rows[i: i + 3]:
            ne = nonempty(r)
            for idx, (_, c) in enumerate(ne):
                if key(c.text) in _TOTAL_LABELS:
                    amounts, rate = [], None
                    for _, v in ne[idx + 1:]:
                        t = key(v.text)
                        if t.endswith("%") and rate is None:
                            rate = (parse_rate(t), v)
                            break
                        a = parse_amount(t, unit)
                        if a is None:
                            break
                        amounts.append((a, v))
                    if len(amounts) >= 2:
                        self.acc.set("budget", amounts[0][0], [amounts[0][1]])
                        self.acc.set("executed", amounts[1][0], [amounts[1][1]])
                        if rate and rate[0] is not None:
                            self.acc.set("rate", rate[0], [rate[1]])
                        return True
        return False

    def _inline_value(self, row: list[Cell], j: int) -> Cell | None:
        for c in row[j + 1: j + 3]:
            if clean(c.text):
                if _is_label(c.text):
                    return None
                k = key(c.text)
                if re.fullmatch(r"[-+]?\d[\d,]*(\.\d+)?\s*(%|‰|万元|元|千元|亿元|万)?", k):
                    return c
                return None
        return None

    @staticmethod
    def _parse(attr: str, text: str, unit: str) -> float | None:
        k = key(text)
        if attr == "rate":
            if not re.fullmatch(r"[-+]?\d[\d,]*(\.\d+)?\s*[%‰]?", k):
                return None
            rate = parse_rate(k)
            if rate is not None and not k.endswith(("%", "‰")) and not 0 <= rate <= 200:
                return None  # a bare number this large is an amount, not a percentage
            return rate
        if k.endswith("%"):
            return None
        return parse_amount(k, unit)

    # ---- goals
    def _goal_header(self, row: list[Cell]) -> bool:
        cells = [(j, key(c.text)) for j, c in enumerate(row) if clean(c.text)]
        if not cells or any(len(k) > 20 for _, k in cells):
            return False
        if not all(GOAL_TARGET.search(k) or GOAL_ACTUAL.search(k) or "目标" in k for _, k in cells):
            return False
        actual = [j for j, k in cells if GOAL_ACTUAL.search(k) and not funds_role(k)]
        if not actual:
            return False
        a = actual[-1]
        targets = [j for j, k in cells if j < a and GOAL_TARGET.search(k)]
        if not targets:
            return False
        t = targets[-1]
        labelled = [j for j, _ in cells]
        after_a = [j for j in labelled if j > a]
        self.goal_spans = ((t, a), (a, after_a[0] if after_a else max(len(row), a + 1) + 8))
        self.goal_header = [key(c.text) for c in row]
        self.roles = None
        return True

    def _goal_row(self, row: list[Cell]) -> bool:
        assert self.goal_spans is not None
        (ts, te), (as_, ae) = self.goal_spans
        ne = nonempty(row)
        # a cell left of the goals ends them, unless it repeats the header's label (merged cell copied down)
        # (or is itself a goal row label: "年度总体目标" under a "总体目标" header cell)
        if any(j < ts and (j >= len(self.goal_header) or key(c.text) != self.goal_header[j])
               and not GOAL_LABEL_T.match(key(c.text)) for j, c in ne):
            self.goal_spans = None
            return False
        target, tcells = _span_text(row, (ts, te))
        actual, acells = _span_text(row, (as_, ae))
        if not target and not actual:
            return True
        last = self.acc.goals[-1] if self.acc.goals else None
        if last is not None and self._goal_wraps(last, target, actual):
            # a dump that wrapped the goal's two cells over several lines: each line is a row
            for field, text, cells in (("target", target, tcells), ("actual", actual, acells)):
                if text:
                    setattr(last, field, join_lines([getattr(last, field) or "", text]))
                    span = _widen(last.evidence.spans.get(field), _span(cells))
                    if span is not None:
                        last.evidence.spans[field] = span
            return True
        if (target and not actual and len(row) <= as_ and last is not None and last.actual is None
                and self.goal_stacked):
            # a dump that put the target and its completion on rows of their own, one under the
            # other (the row has no cell at the actual column at all): the second is the actual
            last.actual = target
            span = _span(tcells)
            if span is not None:
                last.evidence.spans["actual"] = span
            self.goal_stacked = False
            return True
        self.goal_stacked = bool(target and not actual and len(row) <= as_)
        goal = Goal(target=target, actual=actual, evidence=Evidence(origin="rules", spans={
            k: v for k, v in (("target", _span(tcells)), ("actual", _span(acells))) if v
        }))
        self.acc.goals.append(goal)
        return True

    def _goal_wraps(self, last: Goal, target: str | None, actual: str | None) -> bool:
        """The row goes on with the goal above: that goal's texts stop mid-sentence (no 。；) and
        this row's texts open no new item (目标2, 2., （二）…)."""
        pairs = [(getattr(last, f), t) for f, t in (("target", target), ("actual", actual)) if t]
        if not pairs:
            return False
        for have, more in pairs:
            if not have or re.search(r"[。；;！!]$", have) or _GOAL_ITEM.match(more):
                return False
        return True

    # ---- indicators
    def _realign(self, row: list[Cell]) -> list[Cell]:
        """A row whose empty (merged) cells were dropped by the source ("质量指标 | 合格率 | ≥95% | …"
        under a 一级/二级/三级 header) is moved right to the column its first cell belongs to."""
        sp = self.spans
        width = max(end for _, end in sp.values()) if sp else 0
        core = list(row)
        while core and not clean(core[-1].text):
            core.pop()  # an empty note at the end is still the row's last cell
        if not core or len(row) >= width:
            return row
        lead = 0
        while lead < len(core) and not clean(core[lead].text):
            lead += 1
        if lead and lead < len(core) and "level2" in sp and sp["level2"][0] > lead \
                and _LEVEL2_WORD.match(key(core[lead].text)) and not _LEVEL1_WORD.match(key(core[lead].text)) \
                and len(row) + sp["level2"][0] - lead <= width:
            # some of the merged cells' empty places dropped: the 二级 word goes to its column
            pad = [Cell("", row[0].start, row[0].start, row[0].page) for _ in range(sp["level2"][0] - lead)]
            return pad + row
        if any(not clean(c.text) for c in core):
            return row
        first = key(row[0].text)
        first = re.sub(r"[（(][^）)]*[）)]", "", first)
        if TOTAL_ROW.match(first) or _OTHER_ROW.match(first):
            return row
        if "level1" in sp and _LEVEL1_WORD.match(first):
            col = sp["level1"][0]
        elif "level2" in sp and _LEVEL2_WORD.match(first):
            col = sp["level2"][0]
        elif "name" in sp:
            col = sp["name"][0]
        else:
            return row
        if col == 0 or col + len(row) > width:
            return row
        pad = [Cell("", row[0].start, row[0].start, row[0].page) for _ in range(col)]
        return pad + row

    def _lone_note(self, row: list[Cell]) -> bool:
        """A flattened table (one cell per line) whose row put its trailing note on a line of
        its own: the note of the indicator just read, when that one has none."""
        ne = nonempty(row)
        if len(ne) != 1 or "note" not in self.spans or not self.acc.indicators or self.roles is None:
            return False
        if self.roles[-1] != "note" and "note" not in [r for r in self.roles if r][-1:]:
            return False
        cell = ne[0][1]
        k = key(cell.text)
        last = self.acc.indicators[-1]
        if last.note is not None or (last.weight is None and last.score is None):
            return False
        if _LEVEL1_WORD.match(k) or _LEVEL2_WORD.match(k) or TOTAL_ROW.match(k) or _OTHER_ROW.match(k) \
                or plain_number(k) is not None:
            return False
        ev = last.evidence.spans if last.evidence else {}
        prev_end = max((sp.end for sp in ev.values()), default=None)
        gap = self.text[prev_end: cell.start] if prev_end is not None and self.text else None
        if gap is None or "\n" not in gap or "\t" in gap or gap.strip():
            return False
        last.note = _dash_none(clean(cell.text))
        last.evidence.spans["note"] = Span(start=cell.start, end=cell.end, page=cell.page)
        return True

    def _note_in_level(self, cells: list[Cell]) -> bool:
        """A level cell that is really the note of the indicator just read (see _indicator_row)."""
        if "note" not in self.spans or not self.acc.indicators or len(cells) != 1:
            return False
        cell = cells[0]
        k = key(cell.text)
        if _LEVEL1_WORD.match(k) or _LEVEL2_WORD.match(k) or re.search(r"[（(]\s*\d+(\.\d+)?\s*分\s*[)）]$", k):
            return False
        if not (_dash_none(k) is None or k == "无" or re.search(r"[，。；,;]", k) or len(k) > 16):
            return False
        last = self.acc.indicators[-1]
        if last.note is not None or last.evidence is None or not last.evidence.spans:
            return False
        prev_end = max(sp.end for sp in last.evidence.spans.values())
        gap = self.text[prev_end: cell.start] if self.text and prev_end <= cell.start else None
        if gap is None or "\n" not in gap or "\t" in gap or "|" in gap or gap.strip():
            return False
        last.note = _dash_none(clean(cell.text))
        last.evidence.spans["note"] = Span(start=cell.start, end=cell.end, page=cell.page)
        return True

    def _continuation(self, texts: dict, l1: str | None, l2: str | None) -> bool:
        """A row holding only the rest of one cell of the indicator above — its 实际完成值 or its
        note, wrapped onto a row of its own by the form (the 三级 cell blank or repeated, no
        target and no points): the text joins that cell."""
        if not self.acc.indicators or self.last_row_indicator is not self.acc.indicators[-1]:
            return False
        last = self.acc.indicators[-1]
        name = texts["name"][0]
        if name and key(name) != key(last.name):
            return False
        if any(texts[k][0] for k in ("target", "weight", "score")):
            return False
        if (l1 and key(l1) != key(last.level1 or "")) or (l2 and key(l2) != key(last.level2 or "")):
            return False
        filled = [k for k in ("actual", "note") if texts[k][0]]
        if len(filled) != 1:
            return False
        field = filled[0]
        have = getattr(last, field)
        if have is None and field == "actual":
            return False  # an actual where the row above has none is no continuation
        text, cells = texts[field]
        if field == "note":
            text = _dash_none(text)
            if text is None:
                return False
        setattr(last, field, join_lines([have, text]) if have else text)
        span = _widen(last.evidence.spans.get(field), _span(cells))
        if span is not None:
            last.evidence.spans[field] = span
        return True

    def _indicator_row(self, row: list[Cell]) -> None:
        if self._lone_note(row) or _column_numbers(row):
            return
        row = self._realign(row)
        sp = self.spans
        texts = {role: _span_text(row, sp.get(role)) for role in
                 ("level1", "level2", "name", "target", "actual", "weight", "score", "note")}
        ne = nonempty(row)
        # total row -> report score
        for _, c in ne[:3]:
            if TOTAL_ROW.match(key(c.text)):
                score_text, score_cells = texts["score"]
                n = plain_number(score_text) if score_text else None
                if n is None:
                    nums = _number_cells(row)
                    if nums:
                        n, cell = nums[-1]
                        score_cells = [cell]
                if n is not None:
                    self.acc.set("total_score", n, score_cells, overwrite=True)
                self.last_row_indicator = None
                return
        l1, l1c = texts["level1"]
        l2, l2c = texts["level2"]
        # flattened table: the previous row's trailing note pushed into this row's level cell
        # ("两台设备招标流标… | 培训医护人员 | …", "无 | 质量指标 | …")
        for lv, cells in (("level1", l1c), ("level2", l2c)):
            if cells and self._note_in_level(cells):
                if lv == "level1":
                    l1, l1c = None, []
                else:
                    l2, l2c = None, []
                break
        if l1:
            if l1 != self.level1[0]:
                self.level2 = (None, [])
            self.level1 = (l1, l1c)
        if l2:
            self.level2 = (l2, l2c)
        name, ncells = texts["name"]
        if self._continuation(texts, l1, l2):
            return
        self.last_row_indicator = None
        if not name:
            return
        if _PLACEHOLDER.match(key(name)):
            return
        if _OTHER_ROW.match(key(name)) or any(_OTHER_ROW.match(key(c.text)) and len(key(c.text)) <= 6 for _, c in ne[:2]):
            return
        if any(SIGNATURE.match(key(c.text)) for _, c in ne[:2]):
            return
        level1, level2 = self.level1[0], self.level2[0]
        if _FUNDS_IN_TABLE.search(key(level1 or "") + "|" + key(level2 or "")):
            return  # a funds-block row (预算执行率 inside 资金情况): its points are part of the total
        target, tc = texts["target"]
        actual, ac = texts["actual"]
        wtext, wc = texts["weight"]
        stext, sc = texts["score"]
        note, nc = texts["note"]
        weight = plain_number(wtext) if wtext else None
        score = plain_number(stext) if stext else None
        if target is None and actual is None and weight is None and score is None:
            self.unread.append(row)
            return
        spans = {k: v for k, v in (
            ("level1", _span(self.level1[1])), ("level2", _span(self.level2[1])), ("name", _span(ncells)),
            ("target", _span(tc)), ("actual", _span(ac)), ("weight", _span(wc)), ("score", _span(sc)),
            ("note", _span(nc)),
        ) if v}
        self.acc.indicators.append(Indicator(
            level1=level1, level2=level2, name=name, target=target, actual=actual,
            weight=weight, score=score, note=_dash_none(note), evidence=Evidence(origin="rules", spans=spans),
        ))
        self.last_row_indicator = self.acc.indicators[-1]

    # ---- summary tables
    def _summary_header(self, row: list[Cell]) -> None:
        header: list[str | None] = []
        for c in row:
            k = key(c.text)
            role = None
            if not k:
                role = None
            elif name_label_kind(c.text) in ("project", "transfer") or k in ("项目", "项目名称"):
                role = "name"
            elif UNIT_LABEL.match(k):
                role = "unit"
            elif re.search(r"得分|总分|评分|分数", k):
                role = "score"
            elif funds_role(k):
                role = funds_role(k)
            elif k:
                role = "ignore"
            header.append(role)
        if "budget" not in header:
            header = ["budget" if r == "initial_budget" else r for r in header]
        self.summary = _spans_of(header, len(row))
        self.summary_unit = amount_unit(" ".join(c.text for c in row), self.default_unit)
        self.roles = None
        self.goal_spans = None

    def _summary_row(self, row: list[Cell]) -> None:
        sp = self.summary or {}
        name, ncells = _span_text(row, sp.get("name"))
        if not name or TOTAL_ROW.match(key(name)) or key(name).startswith("其中") or _PLACEHOLDER.match(key(name)):
            return
        if any(SIGNATURE.match(key(c.text)) for _, c in nonempty(row)[:2]):
            return  # the sign-off line under the table (填报人：XX  联系电话：…)
        acc = _Acc(kind=self.seg.kind if self.seg.kind in ("project", "transfer") else "project",
                   name=name, year=self.acc.year or self.seg.year, source="summary", segment=self.acc.segment)
        acc.spans["name"] = _span(ncells)
        for attr in ("budget", "executed", "rate", "score", "unit"):
            text, cells = _span_text(row, sp.get(attr))
            if not text:
                continue
            if attr == "unit":
                acc.set("unit", text, cells)
            elif attr == "score":
                acc.set("score", plain_number(text), cells)
            else:
                acc.set(attr, self._parse(attr, text, self.summary_unit), cells)
        rep = acc.report()
        if rep:
            self.summary_reports.append(rep)


def _field_label(text: str) -> bool:
    k = key(text)
    return bool(name_label_kind(text) or UNIT_LABEL.match(k) or FILER_LABEL.match(k) or SCORE_LABEL.match(k))


def _join_label_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    """A field label alone on its row with its value alone on the next (a form flattened one
    cell per line: "实施单位" / "某县水利服务中心") becomes one label/value row."""
    out: list[list[Cell]] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        ne = nonempty(row)
        if len(ne) == 1 and i + 1 < len(rows) and _field_label(ne[0][1].text):
            nn = nonempty(rows[i + 1])
            if len(nn) == 1 and not _is_label(nn[0][1].text) and indicator_role(nn[0][1].text) is None \
                    and len(key(nn[0][1].text)) <= 60:
                out.append([ne[0][1], nn[0][1]])
                i += 2
                continue
        out.append(row)
        i += 1
    return out


def _dash_none(text: str | None) -> str | None:
    if text is None:
        return None
    k = key(text)
    if not k or re.fullmatch(r"[—\-－/／…\.。_]+", k):
        return None
    return text


def _is_label(text: str) -> bool:
    k = key(text)
    return bool(
        name_label_kind(text) or UNIT_LABEL.match(k) or funds_role(k) or SCORE_LABEL.match(k)
        or re.match(r"^(主管部门|联系人|联系电话|电话|负责人|中央主管部门|地方主管部门)", k)
    )


# ------------------------------------------------------------------ prose

_NUMU = r"([-+]?\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|千元|元|万)"
_P_BUDGET = re.compile(r"(?:全年|年度|调整后)?预算(?:数|资金|金额|总额)?(?:为|是|共|合计)?[:：]?\s*" + _NUMU)
_P_EXEC = re.compile(r"(?:全年)?(?:执行数|实际支出|支出数|执行金额|实际执行|决算数)(?:为|是|共|合计)?[:：]?\s*" + _NUMU)
_P_RATE = re.compile(r"(?:完成(?:全年)?预算的|(?:预算|资金)?(?:执行率|执行进度)(?:为|是|达到?)?[:：]?)\s*(\d+(?:\.\d+)?)\s*%")
_P_DEPT_EXEC = re.compile(r"(?:财政|部门|全年|年度)(?:资金)?(?:总)?支出(?:共|合计|总计|总额为?)[:：]?\s*" + _NUMU)
_P_SCORE = re.compile(r"(?:自评|综合|评价|绩效|(?<![指标])(?:项目|部门)(?:整体)?)(?:总)?(?:得分|评分|分数|总分)(?:为|是|达到?)?[:：]?\s*(\d+(?:\.\d+)?)\s*分")
_P_SCORE_GRADE = re.compile(r"自评(?:结果|结论|等级)(?:为)?[:：]?\s*(?:优秀?|良好?|中等?|合格|及格|差)\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_P_GOAL = re.compile(r"(?:总体|整体)(?:绩效)?目标(?:是|为)[:：]\s*(.+)$")
_HEAD_DONE = re.compile(r"^\d*[.、．]?\s*\S{0,12}目标\S{0,6}完成情况$")


def _amount(num: str, unit: str) -> float | None:
    return parse_amount(num.replace(",", "") + unit)


def _budget_match(sentence: str) -> re.Match | None:
    """The 预算数 of a sentence; 全年/调整后预算 wins over 年初预算 when both are stated."""
    found = list(_P_BUDGET.finditer(sentence))
    for m in found:
        if not sentence[max(0, m.start() - 2): m.start()].endswith("年初"):
            return m
    return found[0] if found else None


class _Shift:
    """A match whose positions are moved by `base` (a sentence's offset in the joined text)."""

    def __init__(self, m: re.Match, base: int):
        self.m, self.base = m, base

    def start(self, g: int = 0) -> int:
        return self.base + self.m.start(g)

    def end(self, g: int = 0) -> int:
        return self.base + self.m.end(g)


_LINE_PIECE = re.compile(r"[^\r\n]+")


def _read_prose(doc: SourceDoc, seg: Segment, acc: _Acc) -> bool:
    """Funds stated plainly in prose; a department's overall goal.  True when something was read."""
    got = False
    paras = [b for b in seg.blocks if not b.is_table]
    # consecutive paragraphs joined (a sentence broken at a line end goes on in the next block),
    # with each character's document offset kept for the evidence spans
    parts: list[str] = []
    offs: list[int] = []
    for block in paras:
        raw = doc.text[block.start: block.end] or block.text
        exact = raw is not block.text
        for m in _LINE_PIECE.finditer(raw):
            parts.append(m.group())
            offs.extend(range(block.start + m.start(), block.start + m.end()) if exact
                        else [block.start] * (m.end() - m.start()))
    src = "".join(parts)
    offs.append(offs[-1] + 1 if offs else seg.start)

    def span(m: re.Match, g1: int, g2: int | None = None, extra: int = 0) -> Span:
        return Span(start=offs[m.start(g1)], end=offs[m.end(g2 or g1) - 1] + 1 + extra)

    pos = 0
    for sentence in re.split(r"(?<=[。；;])", src):
        base = pos
        pos += len(sentence)
        mb, me = _budget_match(sentence), _P_EXEC.search(sentence)
        if mb and me and mb.start() < me.start():
            b = _amount(mb.group(1), mb.group(2))
            e = _amount(me.group(1), me.group(2))
            if acc.budget is None and b is not None:
                acc.budget = b
                acc.spans["budget"] = span(_Shift(mb, base), 1, 2)
            if acc.executed is None and e is not None:
                acc.executed = e
                acc.spans["executed"] = span(_Shift(me, base), 1, 2)
            mr = _P_RATE.search(sentence)
            if mr and acc.rate is None:
                acc.rate = float(mr.group(1))
                acc.spans["rate"] = span(_Shift(mr, base), 1, extra=1)
            got = True
        ms = _P_SCORE.search(sentence) or _P_SCORE_GRADE.search(sentence)
        if ms and acc.score is None and float(ms.group(1)) <= 100:
            acc.score = float(ms.group(1))
            acc.spans["score"] = span(_Shift(ms, base), 1)
            got = True
        if seg.kind == "department" and acc.executed is None and not (mb and me):
            md = _P_DEPT_EXEC.search(sentence)
            if md:
                acc.executed = _amount(md.group(1), md.group(2))
                acc.spans["executed"] = span(_Shift(md, base), 1, 2)
                got = True
    if acc.budget is None and acc.executed is None:
        got = _read_prose_funds_paragraphs(doc, paras, acc) or got
    if seg.kind in ("project", "transfer"):
        got = _read_prose_unit(doc, paras, acc) or got
        got = _read_prose_indicators(doc, paras, acc) or got
    got = _read_prose_statements(doc, paras, acc) or got
    if not acc.goals:
        got = _read_prose_goal_pairs(doc, paras, acc) or got
        if len(acc.goals) == 1 and acc.goals[0].actual is None:
            # a lone goal whose completion is not labelled: the completion may stand under a
            # heading ("（一）总体目标完成情况"), which the heading reader pairs
            lone = acc.goals.pop()
            if not _read_prose_goal(paras, acc):
                acc.goals.append(lone)
    if not acc.goals:
        got = _read_prose_goal(paras, acc) or got
    return got


_P_BUDGET_PARA = re.compile(
    r"(?:(?:全年|年度|调整后)?预算(?:数|资金|金额|总额)?|(?:全年|年度|共|累计)安排(?:资金)?)(?:为|是|共|合计)?[:：]?\s*" + _NUMU)
_P_EXEC_PARA = re.compile(
    r"(?:(?:全年)?(?:执行数|实际支出|支出数|执行金额|实际执行|决算数)|(?:资金|全年|累计)(?:共)?执行|(?:已|累计|共|实际)(?:使用|支付)"
    r"|(?:已|累计|共)支出)(?:资金)?(?:为|是|共|合计|了)?[:：]?\s*"
    + _NUMU)


def _para_src(doc: SourceDoc, block: Block) -> tuple[str, int | None]:
    """A paragraph's text and the offset its characters start at (None when the block's
    text is not the raw slice, so spans fall back to the whole block)."""
    raw = doc.text[block.start: block.end]
    if raw == block.text:
        return raw, block.start
    return clean(block.text), None


def _pspan(block: Block, base: int | None, a: int, b: int) -> Span:
    if base is None:
        return Span(start=block.start, end=block.end, page=block.page)
    return Span(start=base + a, end=base + b, page=block.page)


def _read_prose_funds_paragraphs(doc: SourceDoc, paras: list[Block], acc: _Acc) -> bool:
    """预算数 and 执行数 stated in one paragraph but in different sentences ("项目全年预算数为
    186万元，其中…。截至年底，项目实际支出179.34万元，预算执行率96.42%。").  Both must be
    there (an amount alone may be a part: 其中…); 年初预算 gives way to 全年预算."""
    for n, block in enumerate(paras):
        text, base = _para_src(doc, block)
        budgets = [m for m in _P_BUDGET_PARA.finditer(text) if not text[max(0, m.start() - 2): m.start()].endswith("年初")
                   and not text[max(0, m.start() - 3): m.start()].endswith("其中")]
        if not budgets:
            continue
        mb = budgets[0]
        me = next((m for m in _P_EXEC_PARA.finditer(text) if m.start() > mb.end()), None)
        bblock, bbase = block, base
        if me is None:
            # the spending told in the next paragraph ("全年预算数…。" / "截至年底，实际支出…，执行率…")
            nxt = paras[n + 1] if n + 1 < len(paras) else None
            if nxt is None or _is_heading(clean(nxt.text)) or _P_BUDGET_PARA.search(clean(nxt.text)):
                continue
            ntext, nbase = _para_src(doc, nxt)
            me = next((m for m in _P_EXEC_PARA.finditer(ntext)
                       if not ntext[max(0, m.start() - 3): m.start()].endswith("其中")), None)
            if me is None:
                continue
            block, base, text = nxt, nbase, ntext
        b, e = _amount(mb.group(1), mb.group(2)), _amount(me.group(1), me.group(2))
        if b is None or e is None:
            continue
        acc.set("budget", b)
        acc.spans["budget"] = _pspan(bblock, bbase, mb.start(1), mb.end(2))
        acc.set("executed", e)
        acc.spans["executed"] = _pspan(block, base, me.start(1), me.end(2))
        mr = _P_RATE.search(text, me.start())
        if mr and acc.rate is None:
            acc.set("rate", float(mr.group(1)))
            acc.spans["rate"] = _pspan(block, base, mr.start(1), mr.end(1) + 1)
        return True
    return False


_ORG = r"(?:局|委|委员会|院|中心|办|办公室|厅|所|站|队|馆|处|校|学校|政府|街道办事处|公司|社|室|协会|联合会)"
_P_UNIT = [
    re.compile(r"(?:实施单位|承担单位|项目单位|项目实施单位|承办单位|资金使用单位)(?:为|是)?[:：]?\s*([^\s，,；;。：:、由]{2,30}?" + _ORG + r")(?=[，,；;。（(]|$)"),
    re.compile(r"(?:^|[，,；;。])\s*(?:由)?([^\s，,；;。：:、由]{2,30}?" + _ORG + r")(?:负责)?具体(?:负责)?(?:组织)?实施"),
    re.compile(r"(?:^|[，,；;。])\s*由([^\s，,；;。：:、由]{2,30}?" + _ORG + r")负责(?:项目)?实施"),
    # "XX项目由YY具体实施" / "项目由YY组织实施" (not when others are said to take part: "…，各镇配合")
    re.compile(r"项目由([^\s，,；;。：:、由]{2,30}?" + _ORG + r")(?:负责)?(?:具体|组织)(?:负责)?(?:组织)?实施"
               r"(?![^。；;]*?(?:配合|参与|协助|协同))"),
    re.compile(r"(?:^|[，,；;。])\s*由([^\s，,；;。：:、由]{2,30}?" + _ORG + r")(?:负责)?(?:具体)?(?:承担|承办)"),
]


def _read_prose_unit(doc: SourceDoc, paras: list[Block], acc: _Acc) -> bool:
    """The unit that carries the project out, where the prose names it plainly
    ("…由XX局主管，XX站具体实施", "实施单位为XX中心")."""
    if acc.unit is not None:
        return False
    for block in paras:
        text, base = _para_src(doc, block)
        for rx in _P_UNIT:
            m = rx.search(text)
            if m:
                acc.set("unit", m.group(1))
                acc.spans["unit"] = _pspan(block, base, m.start(1), m.end(1))
                return True
    return False


_P_L1_HEAD = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])?\s*"
                        r"((?:项目)?(?:产出|效益|效果|满意度)指标)(?:完成情况|情况|完成|目标)?[:：]?$")
_P_HEADING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d))")
_P_L2_HEAD = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])?\s*"
                        r"((?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度)指标)"
                        r"(?:完成情况|情况|完成)?[:：]?$")
_ENUM = re.compile(r"^\s*(?:[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]|\d{1,2}[、.．](?!\d)"
                   r"|[一二三四五六七八九十]{1,3}[、.．]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_L1_WORDS = r"(?:项目)?(?:产出|效益|效果|满意度)指标"
_L2_WORDS = r"(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度)指标"
_L2_SHORT = r"产出(?:数量|质量|时效|成本)|经济效益|社会效益|生态效益|可持续影响|满意度"
# a level label leading a paragraph or an item list: "数量指标方面，" / "1.产出指标：" / "（1）产出数量："
_P_LEVEL_LEAD = re.compile(
    rf"^(?:(?P<l2>{_L2_WORDS})(?P<fm2>方面|上|完成情况|完成)?[，,：:。]"
    rf"|(?P<l1>{_L1_WORDS})(?P<fm1>方面|完成情况|完成)?[，,：:。]"
    rf"|(?P<short>{_L2_SHORT})(?:(?P<fm3>方面)[，,：:]|[：:]))\s*")
# a lead naming no level: "绩效指标完成情况：", "主要绩效指标完成情况如下："
_GENERIC_LEAD = r"[^，,。；;：:\d]{0,14}指标(?:完成情况|情况)?(?:如下)?[:：]\s*"
_P_GENERIC_LEAD = re.compile("^" + _GENERIC_LEAD)
_P_INNER_LEAD = re.compile(r"[。；;]\s*" + _GENERIC_LEAD)  # the same lead after a sentence
# the same lead as an inline heading: "（三）绩效指标完成情况。数量指标方面，…"
_P_GENERIC_HEAD = re.compile(r"^[^，,。；;：:\d]{0,14}指标(?:完成情况|情况)[。．.]\s*")
_CN_NO = r"(?:[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．])"  # （一） / 一、
_CN_ENUM = re.compile(r"^\s*" + _CN_NO)
_P_NOTE_LABEL = re.compile(r"(?:未完成(?:的)?原因|偏差原因(?:分析)?(?:及改进措施)?)[:：]\s*")
# a clause that carries a note on: the remedy after the reason ("下一步将…", "今后将…")
_NOTE_GOES_ON = re.compile(r"^(?:下一步|下阶段|今后|后续|接下来|改进措施|整改措施|为此|对此|我们将|将|拟)")
_LEADIN = re.compile(r"^(?:此外|另外|同时|其中|其次|再次|最后)[，,]?\s*")
_OPW = r"(?:[≥≤><=＞＜]|不低于|不少于|不超过|不高于|不大于|不小于|大于等于|小于等于|大于|小于|超过)"
_QTY = (rf"{_OPW}?\d[\d,]*(?:\.\d+)?\s*(?:%|‰|[^\d\s，,。；;、()（）]{{0,6}})(?:[（(][^）)\d]{{1,4}}[)）])?")
_DATE = r"\d{4}年\d{1,2}月(?:\d{1,2}日前?|底前?|前|末)?"
_P_TARGET_ACTUAL = re.compile(
    r"^(?P<name>[^，,；;。：:]{2,30}?)[:：，,]?\s*(?:的)?(?:年度|计划)?(?:目标(?:值)?|指标值)(?:为|是|设定为|设定|确定为)?[:：]?\s*"
    r"(?P<target>(?:[^，,；;。]|(?<=\d),(?=\d)){1,25}?)[，,]\s*"
    r"(?P<rest>(?:[^，,；;。]|(?<=\d),(?=\d))*(?:实际|完成值)(?:[^，,；;。]|(?<=\d),(?=\d))*)")
_P_PLAN_ACTUAL = re.compile(
    rf"^(?:全年|年度)?计划(?P<name>[^，,；;。\d]{{2,30}}?)(?P<target>{_QTY})[，,]\s*实际[^，,；;。\d]{{0,12}}?(?P<actual>{_QTY})(?=$|[，,])")
# actual first, target in brackets: "职业技能培训512人次（目标≥480人次）"
_P_ACTUAL_TARGET = re.compile(
    rf"^(?P<name>[^，,；;。：:\d（(]{{2,30}}?)(?:达到|达|为)?(?P<actual>{_QTY})\s*[（(](?:年度)?目标(?:值)?(?:为|是)?[:：]?\s*"
    r"(?P<target>(?:[^）)，,；;。]|(?<=\d),(?=\d)){1,20})[)）]$")
# actual first, target after a comma: "职业技能培训512人次，目标≥480人次"
_P_ACTUAL_COMMA_TARGET = re.compile(
    rf"^(?P<name>[^，,；;。：:\d（(]{{2,30}}?)(?:达到|达|为)?(?P<actual>{_QTY})[，,]\s*(?:年度)?目标(?:值)?(?:为|是)?[:：]?\s*"
    rf"(?P<target>{_QTY})$")
# an operator word opens the target, no 目标 word: "设施设计使用年限不少于10年，实际≥10年"
_P_OP_ACTUAL = re.compile(
    rf"^(?P<name>[^，,；;。：:\d]{{2,30}}?)(?P<target>{_OPW}\s*\d[\d,]*(?:\.\d+)?[^\d\s，,。；;、]{{0,6}})[，,]\s*"
    r"(?P<rest>实际(?:[^，,；;。]|(?<=\d),(?=\d))*)")
# the target after 计划 with a value: "资助幼儿人数计划1,500人，实际资助1,532人"
_P_NAME_PLAN_ACTUAL = re.compile(
    rf"^(?P<name>[^，,；;。：:\d]{{2,30}}?)计划(?:值|数)?(?:为)?(?P<target>{_QTY})[，,]\s*"
    r"(?P<rest>实际(?:[^，,；;。]|(?<=\d),(?=\d))*)")
_P_ACTUAL_VALUE = re.compile(rf"(?P<v>{_DATE}|{_QTY})$")
# the name labelled, then 目标 and 实际 each labelled: "A：目标≥98%；实际：99.1%", "A：目标为T，实际完成V";
# the actual is taken as written after its label, only when it opens with a value (a qualifier such as
# 平均 may come first): "实际平均6小时完成维修" -> 平均6小时完成维修
_P_LABELLED_TARGET_ACTUAL = re.compile(
    r"^(?P<name>[^，,；;。：:\d]{2,30}?)[:：]\s*(?:年度|计划)?目标(?:值)?(?:为|是)?[:：]?\s*"
    r"(?P<target>(?:[^，,；;。：:]|(?<=\d),(?=\d)){1,25}?)\s*[，,；;。]\s*"
    r"实际(?:完成(?:值|情况)?|达到|值)?(?:为|是)?[:：]?\s*"
    rf"(?P<actual>(?:平均|累计|共计|合计|人均|约|达)?{_OPW}?\d(?:[^，,；;。：:]|(?<=\d),(?=\d)){{0,19}})$")


_QUOTES = "“”\"'「」『』‘’"


def _unquote(value: str, start: int) -> tuple[str, int]:
    """A value written in quotes ("“补贴发放面积”指标值为…"): the text inside, its offset moved."""
    inner = value.lstrip(_QUOTES)
    start += len(value) - len(inner)
    return inner.rstrip(_QUOTES), start


def _actual_value(rest: str) -> tuple[str, int] | None:
    """The value the 实际 clause ends with ("实际培训523人次" -> 523人次, "实际于2023年5月20日全部完成"
    -> 2023年5月20日, "完成值97%" -> 97%), with its offset in `rest`."""
    i = rest.find("实际")
    if i < 0:
        i = rest.find("完成值")
    if i < 0:
        return None
    tail = rest[i:].rstrip(_QUOTES)  # 实际完成值为“2023年5月26日”
    done = re.search(rf"{_DATE}([^\d，,；;。]{{0,5}}(?:完成|完毕|完工|竣工|发放|到位|结束|验收|拨付)[^\d，,；;。]{{0,5}})$", tail)
    if done:
        tail = tail[: done.start(1)]
    m = _P_ACTUAL_VALUE.search(tail)
    if m and m.start() > 1:
        return m.group("v"), i + m.start()
    m = re.match(r"(?:实际|完成值)(?:为|是)([^，,；;。]{1,20})$", tail) or re.match(r"(?:实际|完成值)([^，,；;。\d]{1,8})$", tail)
    if m:
        return m.group(1), i + m.start(1)
    return None


_GOAL_ONLY = re.compile(r"^(?:本|该)?(?:项目|部门)?(?:年度|全年)?(?:总体|整体)?(?:绩效)?(?:目标)?$")


def _statement(body: str) -> tuple[str, int, str, int, str, int] | None:
    """(name, target, actual) with their offsets in one clause of a clear shape, else None."""
    m = _P_LABELLED_TARGET_ACTUAL.match(body)
    if m and re.search(r"\d", m.group("target")):
        return (m.group("name").strip(), m.start("name"), m.group("target").strip(), m.start("target"),
                m.group("actual").strip(), m.start("actual"))
    m = _P_TARGET_ACTUAL.match(body)
    if m:
        av = _actual_value(m.group("rest"))
        if av:
            return (m.group("name").strip(), m.start("name"), m.group("target").strip(), m.start("target"),
                    av[0], m.start("rest") + av[1])
    for rx in (_P_PLAN_ACTUAL, _P_ACTUAL_TARGET, _P_ACTUAL_COMMA_TARGET):
        m = rx.match(body)
        if m:
            return (m.group("name").strip(), m.start("name"), m.group("target").strip(), m.start("target"),
                    m.group("actual").strip(), m.start("actual"))
    m = _P_OP_ACTUAL.match(body) or _P_NAME_PLAN_ACTUAL.match(body)
    if m:
        av = _actual_value(m.group("rest"))
        if av:
            return (m.group("name").strip(), m.start("name"), m.group("target").strip(), m.start("target"),
                    av[0], m.start("rest") + av[1])
    return None


def _level_lead(text: str, pos: int, level1: str | None) -> tuple[str | None, str | None, int] | None:
    """(level1, level2, end) of a level label at `pos`: 二级 words ("数量指标方面，", "（1）产出数量：") go
    to level2 under the heading's level1; 一级 words ("1.产出指标：", "效益指标：") to level1."""
    ml = _P_LEVEL_LEAD.match(text[pos:])
    if not ml:
        return None
    if ml.group("l2"):
        label = ml.group("l2")
        if label == "满意度指标" and not ml.group("fm2") and text[pos + ml.end("l2")] in "：:。":
            return label, None, pos + ml.end()  # "满意度指标：…" beside 产出指标：/效益指标： names the 一级
        return level1, label, pos + ml.end()
    if ml.group("l1"):
        return ml.group("l1"), None, pos + ml.end()
    if ml.group("fm3") and level1 is None:
        return None  # "社会效益方面，…" is a level only under an 一级 ("（二）效益指标。…"), else plain prose
    return level1, ml.group("short"), pos + ml.end()


_INNER_PUNCT = re.compile(r"[：:，,；;。].")


def _is_short_heading(k: str) -> bool:
    return len(k) <= 30 and not _INNER_PUNCT.search(k) and bool(_P_HEADING.match(k) or len(k) <= 16)


# an item whose every part is labelled: "（1）指标名称：A；目标值：T；实际值：V；未完成原因：N"
_P_LABELLED_ITEM = re.compile(
    r"^\s*(?:[（(]\d{1,2}[)）]|\d{1,2}[、.．](?!\d))?\s*(?:三级)?指标(?:名称)?[:：]\s*(?P<name>[^；;。：:]{2,40}?)\s*[；;，,]\s*"
    r"(?:年度|预期|计划)?(?:目标值|指标值|目标)[:：]\s*(?P<target>[^；;。]{1,30}?)\s*[；;，,]\s*"
    r"(?:实际(?:完成)?值|完成值|实际完成|实际)[:：]\s*(?P<actual>[^；;。]{1,30}?)\s*(?:[；;。]\s*|$)"
    r"(?:(?:未完成原因|偏差原因(?:分析)?(?:及改进措施)?)[:：]\s*(?P<note>.+?)\s*$)?")


def _labelled_item(block: Block, base: int, text: str, pos: int, level1: str | None,
                   level2: str | None) -> Indicator | None:
    m = _P_LABELLED_ITEM.match(text[pos:])
    if not m or (m.end() < len(text) - pos and text[pos + m.end():].strip()):
        return None
    spans = {}
    values = {}
    for key_ in ("name", "target", "actual", "note"):
        if m.group(key_):
            a, b = pos + m.start(key_), pos + m.end(key_)
            spans[key_] = _pspan(block, base, a, b)
            values[key_] = text[a:b]
    return Indicator(level1=level1, level2=level2, name=values["name"], target=values["target"],
                     actual=values["actual"], weight=None, score=None, note=values.get("note"),
                     evidence=Evidence(origin="rules", spans=spans))


def _read_prose_statements(doc: SourceDoc, paras: list[Block], acc: _Acc) -> bool:
    """Indicators told in sentences of a clear shape inside an indicator passage (a heading or lead
    with 指标, a level label): "A目标为T，实际…V", "A，目标值T，完成值V", "计划A T，实际完成V",
    "A V（目标T）", "A不少于T，实际V" (name A, target T, actual V as written); level1 from a
    heading "（二）产出指标" or a lead "1.产出指标："; level2 from a lead "数量指标方面，" / "（1）产出数量：";
    a note "未完成原因：…" / "偏差原因：…" goes to the item it follows."""
    got = False
    level1: str | None = None
    level2: str | None = None  # from a heading of its own ("（一）数量指标") or a lone lead ("1.数量指标：")
    in_section = False
    for block in paras:
        text, base = _para_src(doc, block)
        k = key(text)
        mh = _P_L1_HEAD.match(k)
        if mh:
            level1, level2, in_section = mh.group(1), None, True
            continue
        mh = _P_L2_HEAD.match(k)
        if mh:
            level2, in_section = mh.group(1), True
            continue
        if (_is_short_heading(k) and not _P_LEVEL_LEAD.match(_ENUM.sub("", k))
                and not _VALUE.search(_NOT_VALUE.sub(" ", k))):  # a short valued line is no heading
            level1 = level2 = None
            in_section = "指标" in k
            continue
        pos = len(text) - len(text.lstrip())
        p1, p2, led = level1, level2, False
        for _ in range(3):  # "1.产出指标：（1）…", "主要指标完成情况：数量指标方面，…"
            me = _ENUM.match(text[pos:])
            npos = pos + me.end() if me else pos
            lv = _level_lead(text, npos, p1)  # "（一）产出指标。数量指标方面，…": both levels
            if lv:
                p1, p2, pos = lv
                led = True
                continue
            mg = _P_GENERIC_LEAD.match(text[npos:])
            if mg and not me:
                pos, led = npos + mg.end(), True
                continue
            mg = _P_GENERIC_HEAD.match(text[npos:])
            if mg and me and _CN_ENUM.match(text[pos:]):
                pos, led = npos + mg.end(), True
                continue
            break
        if not (led or in_section or level1 is not None):
            # a report's own paragraph that turns to its indicators halfway:
            # "…。主要绩效指标完成情况：数量指标方面，…"
            mi = _P_INNER_LEAD.search(text, pos)
            if mi is None:
                continue
            pos, led = mi.end(), True
        if led and not text[pos:].strip():
            in_section = True
            level1, level2 = p1, p2  # a lead standing alone heads the paragraphs after it
            continue
        labelled = _labelled_item(block, base, text, pos, p1, p2)
        if labelled is not None:
            acc.indicators.append(labelled)
            got = True
            continue
        last: Indicator | None = None
        noted: Indicator | None = None  # the item whose labelled note the next clause may continue
        note_start = 0
        clauses: list[str] = []
        for clause in re.split(r"(?<=[；;。])", text[pos:]):
            # "A：目标T；实际V" / "A：目标T。实际V": the actual after the stop still belongs to its target
            if (clauses and clauses[-1].endswith(("；", ";", "。")) and clause.lstrip().startswith("实际")
                    and "目标" in clauses[-1] and "实际" not in clauses[-1]):
                clauses[-1] += clause
            else:
                clauses.append(clause)
        for clause in clauses:
            cstart = pos
            pos += len(clause)
            body = clause.rstrip("；;。")
            off = 0
            for rx in (_ENUM, _LEADIN):
                mm = rx.match(body[off:])
                if mm:
                    off += mm.end()
            lv = _level_lead(body, off, p1)  # a 二级 lead inside the paragraph keeps its 一级
            if lv:
                p1, p2, off = lv
                mm = _ENUM.match(body[off:])
                off += mm.end() if mm else 0
            mn = _P_NOTE_LABEL.match(body[off:])
            if mn:
                note = body[off + mn.end():].strip()
                if last is not None and last.note is None and note:
                    last.note = note
                    last.evidence.spans["note"] = _pspan(block, base, cstart + off + mn.end(), cstart + len(body))
                    noted, note_start = last, cstart + off + mn.end()
                continue
            if noted is not None and not lv and _NOTE_GOES_ON.match(body[off:]) and _statement(body[off:]) is None:
                # "未完成原因：…；下一步将…。": the remedy after the reason belongs to the same note
                noted.note = text[note_start: cstart + len(body)].strip()
                noted.evidence.spans["note"] = _pspan(block, base, note_start, cstart + len(body))
                continue
            noted = None
            note = None
            mn = re.search(r"[，,]\s*" + _P_NOTE_LABEL.pattern, body[off:])
            nstart = 0
            if mn:
                note = body[off + mn.end():].strip() or None
                nstart = cstart + off + mn.end()
                body = body[: off + mn.start()]
            body = body[off:]
            cstart += off
            found = _statement(body)
            last = None
            if not found:
                continue
            name, ns, target, ts, actual, as_ = found
            (name, ns), (target, ts), (actual, as_) = (_unquote(v, at) for v, at in
                                                      ((name, ns), (target, ts), (actual, as_)))
            if len(name) < 2 or re.search(r"[，,]", name) or _GOAL_ONLY.match(name):
                continue
            spans = {"name": _pspan(block, base, cstart + ns, cstart + ns + len(name)),
                     "target": _pspan(block, base, cstart + ts, cstart + ts + len(target)),
                     "actual": _pspan(block, base, cstart + as_, cstart + as_ + len(actual))}
            if note:
                spans["note"] = _pspan(block, base, nstart, nstart + len(note))
            last = Indicator(level1=p1, level2=p2, name=name, target=target, actual=actual,
                             weight=None, score=None, note=note, evidence=Evidence(origin="rules", spans=spans))
            acc.indicators.append(last)
            got = True
    return got


_P_GOAL_HEAD = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d))?\s*"
                          r"(?:年度)?(?:总体|整体)(?:绩效)?目标$|^(?:[（(][一二三四五六七八九十\d]+[)）])?\s*年度(?:绩效)?目标$")
_GOAL_LEADIN = re.compile(r"^[^，,。；;：:]{0,30}?目标(?:是|为)[:：]\s*")


def _is_heading(text: str) -> bool:
    k = key(text)
    return len(k) <= 30 and bool(_P_HEADING.match(k)) or len(k) <= 12 and not re.search(r"[，。；]", k)


_GOAL_NO = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"  # 目标1 / 目标一
_P_GOAL_LABELLED = re.compile(
    rf"^\s*(?:(?:19|20)\d{{2}}年度?)?(?:项目|部门|单位)?(?:整体)?(?:年度)?(?:总体|整体)?(?:绩效)?目标\s*(?P<no>{_GOAL_NO})?\s*(?:是|为)?[:：]\s*")
_P_DONE_LABELLED = re.compile(
    rf"^\s*(?:(?:年度|总体|整体|绩效)*目标\s*(?P<no>{_GOAL_NO})?|实际)?完成情况\s*(?:是|为)?[:：]\s*")


# a heading run into its paragraph: "（二）绩效目标及完成情况。年度绩效目标：…"
_INLINE_HEAD = re.compile(r"^\s*" + _CN_NO + r"[^。：:，,]{0,20}[。．.]\s*")
_P_DONE_INLINE = re.compile(rf"[。；;]\s*(?:(?:年度|总体|整体|绩效)*目标\s*{_GOAL_NO}?|实际)?完成情况\s*(?:是|为)?[:：]\s*")


def _read_prose_goal_pairs(doc: SourceDoc, paras: list[Block], acc: _Acc) -> bool:
    """Goals told as labelled paragraphs: "年度绩效目标：X" / "目标1：X", each followed (a heading
    may come between) by "完成情况：Y" / "实际完成情况：Y" / "目标完成情况：Y"; one pair per goal,
    lead-ins dropped.  Numbered goals listed first and their numbered completions after
    ("目标一：…", "目标二：…", …, "目标一完成情况：…") pair by number."""
    pairs: list[Goal] = []
    numbered: dict[str, Goal] = {}  # goal number -> its pair still waiting for a completion
    n = 0
    while n < len(paras):
        block = paras[n]
        text, base = _para_src(doc, block)
        n += 1
        md = _P_DONE_LABELLED.match(text)
        if md and md.group("no") and md.group("no") in numbered and text[md.end():].strip():
            goal = numbered.pop(md.group("no"))
            goal.actual = text[md.end():].strip()
            goal.evidence.spans["actual"] = _pspan(block, base, md.end(), md.end() + len(goal.actual))
            continue
        mh = _INLINE_HEAD.match(text)
        off = mh.end() if mh and _P_GOAL_LABELLED.match(text[mh.end():]) else 0
        mg = _P_GOAL_LABELLED.match(text[off:])
        if not mg or len(text[off + mg.end():].strip()) <= 10:
            continue
        t0 = off + mg.end()
        target = text[t0:].strip()
        spans = {"target": _pspan(block, base, t0, t0 + len(target))}
        actual = None
        mi = _P_DONE_INLINE.search(target)
        if mi:  # "年度绩效目标：X。完成情况：Y" in one paragraph
            actual = target[mi.end():].strip()
            target = target[: mi.start() + 1].strip()
            spans["target"] = _pspan(block, base, t0, t0 + len(target))
            a0 = t0 + mi.end()
            spans["actual"] = _pspan(block, base, a0, a0 + len(actual))
        for j in range(n, min(n + 2, len(paras)) if actual is None else 0):
            ntext, nbase = _para_src(doc, paras[j])
            md = _P_DONE_LABELLED.match(ntext)
            if md and md.group("no") and md.group("no") != mg.group("no"):
                break  # another goal's completion
            if md and ntext[md.end():].strip():
                actual = ntext[md.end():].strip()
                spans["actual"] = _pspan(paras[j], nbase, md.end(), md.end() + len(actual))
                n = j + 1
                break
            if not _is_heading(clean(ntext)):
                break
        goal = Goal(target=target, actual=actual, evidence=Evidence(origin="rules", spans=spans))
        pairs.append(goal)
        if actual is None and mg.group("no"):
            numbered[mg.group("no")] = goal
    if pairs:
        acc.goals.extend(pairs)
        return True
    return False


def _read_prose_goal(paras: list[Block], acc: _Acc) -> bool:
    """The annual overall goal told in prose: "总体目标为：…" (or the paragraph under a
    heading "（一）年度总体绩效目标", its lead-in "…目标是：" dropped) and what was achieved
    (the paragraph under a heading "（二）目标完成情况" / "总体目标完成情况")."""
    target = actual = None
    tspan = aspan = None
    for n, block in enumerate(paras):
        t = clean(block.text)
        nxt = paras[n + 1] if n + 1 < len(paras) else None
        nxt_text = clean(nxt.text) if nxt is not None else ""
        m = _P_GOAL.search(t)
        if m and target is None and len(m.group(1)) > 10:
            target = m.group(1).strip()
            tspan = Span(start=block.start, end=block.end, page=block.page)
        elif target is None and _P_GOAL_HEAD.match(key(t)) and nxt is not None and not _is_heading(nxt_text):
            body = _GOAL_LEADIN.sub("", nxt_text)
            if len(body) > 10:
                target = body
                tspan = Span(start=nxt.start, end=nxt.end, page=nxt.page)
        if _HEAD_DONE.match(key(t)) and actual is None and nxt is not None and not _is_heading(nxt_text):
            if len(nxt_text) > 20:
                actual = nxt_text
                aspan = Span(start=nxt.start, end=nxt.end, page=nxt.page)
    if target:
        acc.goals.append(Goal(target=target, actual=actual, evidence=Evidence(
            origin="rules", spans={k: v for k, v in (("target", tspan), ("actual", aspan)) if v})))
        return True
    return False


_L2 = r"(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度)指标"
_P_L1 = re.compile(r"^(?:\d+[.、．])?\s*((?:项目)?(?:完成|产出|效益|满意度)指标)包括[:：]?")
_P_L2 = re.compile(rf"({_L2})[:：]")
_ITEM_SPLIT = re.compile(r"[；;]|[①②③④⑤⑥⑦⑧⑨⑩]")


def _read_prose_indicators(doc: SourceDoc, paras: list[Block], acc: _Acc) -> bool:
    """Indicators listed plainly in prose: "项目完成指标包括数量指标：①名称，值；②名称，值。质量指标：名称，值。"

    Only items of exactly "name，value" with a short value are read (the value is the target the
    text states); anything longer or with more commas is left to the model."""
    got = False
    for block in paras:
        raw = doc.text[block.start: block.end]
        if raw != block.text:
            continue  # offsets would not point at the values
        m1 = _P_L1.match(raw.strip())
        if not m1:
            continue
        lead = len(raw) - len(raw.lstrip())
        level1 = m1.group(1)
        body_start = lead + m1.end()
        marks = list(_P_L2.finditer(raw, body_start))
        groups: list[tuple[str | None, int, int]] = []
        if not marks or marks[0].start() > body_start:
            groups.append((None, body_start, marks[0].start() if marks else len(raw)))
        for n, m in enumerate(marks):
            groups.append((m.group(1), m.end(), marks[n + 1].start() if n + 1 < len(marks) else len(raw)))
        if level1.startswith("满意度"):
            groups = [(None, a, b) for _, a, b in groups]
        for level2, a, b in groups:
            pos = a
            for part in _ITEM_SPLIT.split(raw[a:b]):
                start = raw.find(part, pos)
                pos = start + len(part)
                item = part.strip().rstrip("。.")
                bits = re.split(r"[，,]", item)
                if len(bits) != 2:
                    continue
                name, value = bits[0].strip(), bits[1].strip()
                if not name or not value or len(name) > 40 or len(value) > 20:
                    continue
                ns = block.start + start + part.find(name)
                vs = block.start + start + part.find(value, part.find(name) + len(name))
                acc.indicators.append(Indicator(
                    level1=level1, level2=level2, name=name, target=value, actual=None, weight=None, score=None,
                    note=None, evidence=Evidence(origin="rules", spans={
                        "name": Span(start=ns, end=ns + len(name), page=block.page),
                        "target": Span(start=vs, end=vs + len(value), page=block.page)}),
                ))
                got = True
    return got


# ------------------------------------------------------------------ entry


def _floating_pending(doc: SourceDoc, segments: list[Segment], reports: list[Report]) -> list[Pending]:
    """Prose outside every segment stating indicator values (the rules read none there): to the
    model as the document's single report's, when it has exactly one; nearby lines as one stretch."""
    from .merge import same_name

    heads: list[Report] = []
    for r in reports:
        if not any(h.kind == r.kind and (same_name(h.name, r.name) or not (h.name and r.name)) for h in heads):
            heads.append(r)
    if len(heads) != 1 or not heads[0].name:
        return []
    covered = {b.start for seg in segments for b in seg.blocks}
    out: list[Pending] = []
    in_section = joins = False
    for b in doc.blocks:
        if b.is_table or b.start in covered:
            in_section = joins = False
            continue
        k = key(b.text)
        if not k:
            continue
        if _P_L1_HEAD.match(k) or _P_L2_HEAD.match(k):
            in_section = True
            continue
        if _is_short_heading(k) and not _VALUE.search(_NOT_VALUE.sub(" ", k)):
            in_section = "指标" in k
            continue
        if not _valued_clauses(clean(b.text), in_section):
            continue
        if joins and b.end - out[-1].start <= _ONE_CALL:
            out[-1].end = b.end
        else:
            out.append(Pending(b.start, b.end, "indicators", heads[0].kind, heads[0].name))
        joins = True
    return out


def _read_floating_prose(doc: SourceDoc, segments: list[Segment], reports: list[Report]) -> Report | None:
    """Prose outside every segment (under a heading no rule names, e.g. "XX局关于…绩效自评情况的
    报告") read for what it states plainly (score, funds); it belongs to the document's report
    only when the document has exactly one."""
    from .merge import same_name

    heads: list[Report] = []
    for r in reports:
        if not any(h.kind == r.kind and (same_name(h.name, r.name) or not (h.name and r.name)) for h in heads):
            heads.append(r)
    if len(heads) != 1 or not heads[0].name:
        return None
    covered = {b.start for seg in segments for b in seg.blocks}
    paras = [b for b in doc.blocks if not b.is_table and b.start not in covered and clean(b.text)]
    if not paras:
        return None
    head = heads[0]
    seg = Segment(kind=head.kind, name=head.name, title=None, year=head.year, start=paras[0].start,
                  end=paras[-1].end, blocks=paras, role="prose")
    acc = _Acc(kind=head.kind, name=head.name, year=head.year, source="prose")
    _read_prose(doc, seg, acc)
    # only the self-evaluation score is taken from here: amounts in free prose may be the
    # department's or another's (a report segment would have said whose they are)
    scores = {float(m.group(1)) for b in paras for m in _P_SCORE.finditer(clean(b.text))}
    if acc.score is None or len(scores) != 1:
        return None
    rep = Report(kind=head.kind, name=head.name, unit=None, year=head.year,
                 funds=Funds(budget=None, executed=None, rate=None), score=acc.score, goals=[], indicators=[],
                 evidence=Evidence(origin="rules", spans={k: v for k, v in acc.spans.items() if k == "score"},
                                   source="prose"))
    return rep


_STATEMENT = re.compile(r"指标|目标(?:值)?(?:为|是)|实际(?:完成|达到|为)|计划")
_CLAUSE_STATEMENT = re.compile(r"目标|实际|计划")
_LIST_LEAD = re.compile(r"指标(?:方面)?(?:包括|有|[:：，,])")
_CLAUSE_VALUE = re.compile(r"\d(?![\d.]*\s*分)|(?:目标|实际)(?:值)?(?:为|是)")
_GOAL_WORDS = re.compile(r"(?:总体|整体|年度)(?:绩效)?目标")
# what states an indicator value in prose: a number with a unit or %, or an operator word
_VALUE = re.compile(rf"{_OPW}|\d(?:[\d,]*\d)?(?:\.\d+)?\s*(?:[%‰％]|[^\d\s，,。；;、：:（）()\-—～~/.．·])")
_IND_WORDS = re.compile(r"指标|目标|实际|完成")
# values that are no indicator's: scores, years named alone, list numbers
_NOT_VALUE = re.compile(r"\d+(?:\.\d+)?\s*分(?!钟|之|类|批|期|项|级|档)|\d{4}\s*年(?:度)?(?!\s*\d{1,2}\s*月)|第\d+")
_FUNDS_WORDS = (_P_BUDGET, _P_EXEC, _P_RATE, _P_DEPT_EXEC, _P_SCORE, _P_SCORE_GRADE)
# cells that show a table meant to hold indicators / goals (a reader that got none leaves it to the model)
_IND_HEADER_WORDS = re.compile(r"三级指标|指标名称|绩效指标|一级指标|二级指标|年度指标值|实际完成值")
_GOAL_HEADER_WORDS = re.compile(r"(年度|当年)?(总体|整体|绩效)?目标(完成情况)?|年度总体目标|总体目标")
_ONE_CALL = 1800  # characters: nearby unread stretches within this join (below the model's chunk size)


def _valued_clauses(text: str, in_section: bool) -> list[tuple[int, int]]:
    """(start, end) of the clauses of a paragraph that state an indicator value: a value (funds,
    scores and bare years aside) under an indicator heading, or beside 指标/目标/实际/完成."""
    out = []
    for m in re.finditer(r"[^；;。]+", text):
        c = m.group()
        rest = c
        for rx in _FUNDS_WORDS:
            rest = rx.sub(" ", rest)
        if not in_section:  # amounts are funds, dates a schedule, unless an indicator heading is above
            rest = re.sub(r"\d[\d,]*(?:\.\d+)?\s*(?:亿|万|千)?元(?!/)", " ", rest)
            rest = re.sub(r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*日", " ", rest)
        rest = _NOT_VALUE.sub(" ", rest)
        if _VALUE.search(rest) and (in_section or _IND_WORDS.search(rest)):
            out.append((m.start(), m.end()))
    return out


def _unread_values(doc: SourceDoc, block: Block, rep: Report, in_section: bool) -> bool:
    """A paragraph stating an indicator value (`_valued_clauses`) that the rules did not read:
    some such clause holds no part of a read indicator (when offsets are exact), or the paragraph
    has fewer read indicators than such clauses."""
    text, base = _para_src(doc, block)
    valued = _valued_clauses(text, in_section)
    if not valued:
        return False
    spans = [sp for i in rep.indicators if i.evidence for sp in i.evidence.spans.values()
             if block.start <= sp.start < block.end or block.start < sp.end <= block.end]
    if base is not None:
        return any(not any(sp.start < base + b and base + a < sp.end for sp in spans) for a, b in valued)
    here = [i for i in rep.indicators if i.evidence and "name" in i.evidence.spans
            and block.start <= i.evidence.spans["name"].start < block.end]
    joined = [v for n, v in enumerate(valued) if not (n and text[v[0]:v[1]].lstrip().startswith("实际"))]
    return len(here) < len(joined)


def _prose_pending(doc: SourceDoc, seg: Segment, paras: list[Block], rep: Report) -> list[Pending]:
    """Pending stretches of a prose report: the whole text when the rules read no indicator
    from it, else the paragraphs stating indicators the rules did not (all) read; the goal
    passage when a goal is spoken of but none was read."""
    out: list[Pending] = []
    name = rep.name or seg.name
    if len(paras) <= 1 and not rep.indicators and not (
            paras and _valued_clauses(clean(paras[0].text), False) and not _is_short_heading(key(paras[0].text))):
        return out
    goal_at = [sp for g in rep.goals if g.evidence for sp in g.evidence.spans.values()]
    if not rep.indicators:
        out.append(Pending(seg.start, seg.end, "indicators", seg.kind, name))
    else:
        # every paragraph stating an indicator value the rules did not read goes to the model
        # (adjacent ones, and the headings between them, as one stretch; the indicator heading
        # just above opens it so the model sees the level)
        run: list[Block] = []
        in_section = False
        head: Block | None = None
        for block in paras + [None]:  # type: ignore[list-item]
            unread = False
            if block is not None:
                text = clean(block.text)
                k = key(text)
                if _P_L1_HEAD.match(k) or _P_L2_HEAD.match(k):
                    in_section, head = True, block
                    continue
                if (_is_short_heading(k) and not _P_LEVEL_LEAD.match(_ENUM.sub("", k))
                        and not _VALUE.search(_NOT_VALUE.sub(" ", k))):  # "1.亮灯率99%" is no heading
                    in_section = "指标" in k
                    head = block if in_section else None
                    continue
                is_goal = any(block.start <= sp.start < block.end for sp in goal_at)
                if not is_goal and _unread_values(doc, block, rep, in_section):
                    unread = True
                elif _STATEMENT.search(text) and len(text) > 15 and not is_goal:
                    clauses = [c for c in re.split(r"[；;。]", text) if _CLAUSE_STATEMENT.search(c)]
                    here = [i for i in rep.indicators if i.evidence and "name" in i.evidence.spans
                            and block.start <= i.evidence.spans["name"].start < block.end]
                    # nothing read, fewer than the clauses stating one, or read without its actual;
                    # a paragraph that only speaks of 指标/目标 without a value (a score sentence
                    # "对照…指标体系…得分为N分", a problems list) states none
                    valued = [c for c in clauses if _CLAUSE_VALUE.search(c)] or (
                        not clauses and _LIST_LEAD.search(text))
                    unread = bool(valued) and (not here or len(here) < len(clauses)
                                               or any(i.actual is None for i in here))
            if unread:
                if not run and head is not None:
                    run.append(head)
                run.append(block)
            head = None
            if not unread and run:
                if out and run[-1].end - out[-1].start <= _ONE_CALL:
                    out[-1].end = run[-1].end  # one model call reads both (a read line between is read again)
                else:
                    out.append(Pending(run[0].start, run[-1].end, "indicators", seg.kind, name))
                run = []
    if not rep.goals and any(_GOAL_WORDS.search(clean(b.text)) for b in paras):
        out.append(Pending(seg.start, seg.end, "goals", seg.kind, name))
    elif rep.goals:
        # a goal stated plainly ("目标2：…", "总体目标为：…", the paragraph under "（一）总体目标")
        # that no read goal came from
        for n, block in enumerate(paras):
            if any(block.start <= sp.start < block.end for sp in goal_at):
                continue
            text = clean(block.text)
            prev = key(paras[n - 1].text) if n else ""
            mg = _P_GOAL_LABELLED.match(text) or _P_GOAL.search(text)
            body = text[mg.end():] if mg and mg.re is _P_GOAL_LABELLED else (mg.group(1) if mg else "")
            under = bool(_P_GOAL_HEAD.match(prev)) and not _is_heading(text) and len(text) > 10
            if len(body.strip()) > 10 or under:
                if out and out[-1].want == "goals" and out[-1].end >= paras[n - 1].end:
                    out[-1].end = block.end
                else:
                    out.append(Pending(block.start, block.end, "goals", seg.kind, name))
    return out


_PROBLEM_HEAD = re.compile(r"存在的?(主要)?问题|偏差(原因)?|未完成(的)?原因|原因分析|改进措施|整改(措施|情况)")


def _notes_pending(doc: SourceDoc, segments: list[Segment], reports: list[Report]) -> list[Pending]:
    """A table's indicator that missed its target with no note: the prose passage on problems
    and their causes (存在的问题 / 偏差原因 / 改进措施) may give it; handed on as "notes"."""
    from .checks import target_status
    from .merge import same_name

    wanting = [r for r in reports if getattr(r.evidence, "source", None) == "table" and any(
        i.note is None and target_status(i)[0] == "fail" for i in r.indicators)]
    if not wanting:
        return []
    blocks = [b for b in doc.blocks]
    owner = {b.start: seg for seg in segments for b in seg.blocks}
    singles = {(r.kind, r.name) for r in reports if getattr(r.evidence, "source", None) != "summary"}
    out: list[Pending] = []
    for n, b in enumerate(blocks):
        if b.is_table:
            continue
        head = key(b.text)
        if len(head) > 30 or not _PROBLEM_HEAD.search(head):
            continue
        end = b.end
        for nb in blocks[n + 1:]:
            if nb.is_table or TOP_HEADING.match(key(nb.text)) or nb.end - b.start > 3000:
                break
            end = nb.end
        if end == b.end:
            continue
        seg = owner.get(b.start)
        for r in wanting:
            if seg is not None and seg.name and seg.kind == r.kind:
                mine = same_name(seg.name, r.name)
            else:
                mine = len(singles) == 1
            if mine:
                out.append(Pending(b.start, end, "notes", r.kind, r.name or None))
    return out


_AMOUNT = re.compile(r"\d\s*(?:亿|万|千)?元(?!/)")


def _states_anything(seg: Segment) -> bool:
    """A prose stretch that speaks of indicators or goals with a value, or lists indicators."""
    in_section = False
    for b in seg.blocks:
        if b.is_table:
            return True
        text = clean(b.text)
        if _P_L1_HEAD.match(key(text)) or _P_L2_HEAD.match(key(text)):
            in_section = True
            continue
        if _GOAL_WORDS.search(text) or _LIST_LEAD.search(text):
            return True
        if any(_CLAUSE_STATEMENT.search(c) and _CLAUSE_VALUE.search(c) and not _AMOUNT.search(c)
               for c in re.split(r"[；;。]", text)):
            return True  # a clause stating a value other than money ("实际执行479万元" is funds)
        if _valued_clauses(text, in_section):  # a value under an indicator heading or beside 指标/实际/完成
            return True
    return False


def _says_something(rep: Report) -> bool:
    f = rep.funds
    return bool(rep.indicators or rep.goals or rep.score is not None or rep.unit
                or f.budget is not None or f.executed is not None or f.rate is not None)


def read(doc: SourceDoc, segments: list[Segment]) -> Reading:
    from .merge import same_name

    reports: list[Report] = []
    pending: list[Pending] = []
    nameless: list[tuple[_Acc, Segment]] = []
    for index, seg in enumerate(segments):
        acc = _Acc(kind=seg.kind, name=seg.name, year=seg.year, source="prose" if seg.role == "prose" else "table",
                   segment=index)
        if seg.role == "prose":
            if not seg.name and seg.kind != "department":
                # a report titled by its unit ("XX局2022年度项目支出绩效自评报告"): read now,
                # named after the document's single project of that kind (below), else left to the model
                _read_prose(doc, seg, acc)
                nameless.append((acc, seg))
                continue
            _read_prose(doc, seg, acc)
            rep = acc.report()
            if rep:
                reports.append(rep)
            # prose states indicators and goals in free wording: what the rules did not read
            # is left to the model
            paras = [b for b in seg.blocks if not b.is_table]
            if rep is not None:
                pending.extend(_prose_pending(doc, seg, paras, rep))
            elif len(paras) > 1 or any(_valued_clauses(clean(b.text), False) for b in paras):
                pending.append(Pending(seg.start, seg.end, "indicators", seg.kind, seg.name))
            continue
        if not any(b.is_table for b in seg.blocks):
            # a titled table whose layout was not recovered (its cells came out as lines of text)
            body = sum(len(clean(b.text)) for b in seg.blocks[1:])
            if seg.title and body >= 150:
                pending.append(Pending(seg.start, seg.end, "report", seg.kind, seg.name))
            continue
        rows, flat_unread = [], []
        for b in seg.blocks:
            if not b.is_table:
                rows.append(paragraph_row(doc.text, b))
                continue
            cut = recut(doc.text, b.rows)  # a no-separator dump: rows re-cut on the numeric columns
            rows.extend(cut.rows if cut else b.rows)
            flat_unread.extend(cut.unread if cut else [])
        rows = _join_label_rows(rows)
        reader = _TableReader(acc, seg, pending)
        reader.text = doc.text
        reader.unread.extend(flat_unread)
        reader.read(rows)
        reader.finish()
        reports.extend(reader.summary_reports)
        if seg.role == "summary" and not acc.indicators and not acc.goals and acc.budget is None:
            continue
        if acc.kind is None and not acc.name and acc.indicators and index > 0:
            above = segments[index - 1]
            if above.role == "prose" and above.kind and (above.name or above.kind == "department"):
                # an untitled table right after a prose report ("各项指标完成情况见下表"): that report's table
                acc.kind, acc.name = above.kind, above.name
                acc.year = acc.year or above.year
        if acc.kind is None:
            if acc.indicators or acc.goals:
                pending.append(Pending(seg.start, seg.end, "report", None, acc.name))
            continue
        if not acc.name and acc.kind != "department":
            pending.append(Pending(seg.start, seg.end, "report", acc.kind, None))
            continue
        rep = acc.report()
        if rep is None:
            continue
        reports.append(rep)
        if reader.unread:
            cells = [c for r in reader.unread for c in r if clean(c.text)]
            if cells:
                pending.append(Pending(min(c.start for c in cells), max(c.end for c in cells), "indicators",
                                       rep.kind, rep.name or None))
        has_ind_words = any(_IND_HEADER_WORDS.search(key(c.text)) for r in rows for c in r)
        if has_ind_words and not rep.indicators:
            pending.append(Pending(seg.start, seg.end, "indicators", rep.kind, rep.name or None))
        has_goal_words = any(_GOAL_HEADER_WORDS.fullmatch(key(c.text) or "-") for r in rows for c in r)
        if has_goal_words and not rep.goals:
            pending.append(Pending(seg.start, seg.end, "goals", rep.kind, rep.name or None))
        if reader.unread_funds and rep.funds.budget is None and rep.funds.executed is None:
            cells = [c for c in reader.unread_funds[0] if clean(c.text)]
            pending.append(Pending(cells[0].start, min(seg.end, cells[-1].end + 400), "funds", rep.kind, rep.name or None))
    floating = _read_floating_prose(doc, segments, reports)
    if floating is not None:
        reports.append(floating)
    pending.extend(_floating_pending(doc, segments, reports))
    for acc, seg in nameless:
        names: list[str] = []
        for r in reports:
            if r.kind == acc.kind and r.name and not any(same_name(r.name, n) for n in names):
                names.append(r.name)
        if len(names) == 1:
            acc.name = names[0]
            rep = acc.report()
            if rep is not None and _says_something(rep):
                reports.append(rep)
            if rep is not None:
                pending.extend(_prose_pending(doc, seg, [b for b in seg.blocks if not b.is_table], rep))
        elif _states_anything(seg):
            pending.append(Pending(seg.start, seg.end, "report", seg.kind, None))
        # else: an introduction under a unit's title (totals over all projects, no indicator,
        # no goal) that names no project of its own: nothing for the model to read
    pending.extend(_notes_pending(doc, segments, reports))
    pending = _drop_covered(pending, reports)
    reports = _drop_bare_prose(reports)
    return Reading(reports=reports, pending=pending, stats={"segments": len(segments)})


def _drop_bare_prose(reports: list[Report]) -> list[Report]:
    """A prose report of which nothing but its title was read (no funds, score, goal or
    indicator), beside others of its kind: the heading over sections that each evaluate one
    part ("XX资金绩效自评报告" over "一、A补贴资金 … 二、B补贴资金 …"), not a unit of its own."""
    def bare(r: Report) -> bool:
        return (getattr(r.evidence, "source", None) == "prose" and not r.indicators and not r.goals
                and r.score is None and r.funds.budget is None and r.funds.executed is None and r.funds.rate is None)

    kinds = {r.kind for r in reports if not bare(r)}
    return [r for r in reports if not (bare(r) and r.kind in kinds)]


def _drop_covered(pending: list[Pending], reports: list[Report]) -> list[Pending]:
    """A prose retelling of a report whose own table already gave its indicators is not
    sent to the model (the table is the structured statement; the prose only retells it)."""
    from .merge import same_name

    covered = [r for r in reports if r.indicators and getattr(r.evidence, "source", None) == "table"]
    out = []
    for p in pending:
        if p.want == "indicators" and p.kind and any(
            r.kind == p.kind and (same_name(r.name, p.name) or (p.kind == "department" and (not r.name or not p.name)))
            for r in covered
        ):
            continue
        out.append(p)
    return out
