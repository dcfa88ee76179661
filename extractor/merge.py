"""One report per (kind, name): a project in a summary row, its own table and its prose
retelling become ONE report carrying the union of what they state.

Authority (who wins a field both state): the report's own table > a summary-table row >
prose > the model.  A report's source is `evidence.source` ("table", "summary",
"prose") and `evidence.origin` ("rules" / "llm:…").  Indicators are merged by fuzzy
name (a prose indicator already in the table is not added again); goals are
deduplicated by text similarity.  A department whose name the table did not state
(name "") joins the document's single named department.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from .models import Report
from .values import canonical_level2, norm

SIMILAR = 90
GOAL_SIMILAR = 80
RETOLD_SIMILAR = 85  # a less authoritative source's indicator already in the table
_RANK = {"table": 0, "rubric": 0, "summary": 1, "prose": 2}


def rank(r: Report) -> int:
    ev = r.evidence
    if ev is None:
        return 3
    origin = getattr(ev, "origin", "rules") or "rules"
    if not origin.startswith("rules"):
        return 3
    return _RANK.get(getattr(ev, "source", None) or "table", 0)


_PAD_END = re.compile(r"(项目)?(绩效目标|绩效|目标)?(完成情况|执行情况|自评|评价)?(综述|报告|表)?$")


_PROJECT_END = re.compile(r"项目$")


@lru_cache(maxsize=1 << 14)
def name_key(name: str | None) -> str:
    """A name for comparing: norm, without a trailing 项目 / padding words, year prefix kept."""
    k = norm(name or "")
    k2 = _PAD_END.sub("", k)
    k2 = _PROJECT_END.sub("", k2)
    return k2 or k


_LEAD_YEAR = re.compile(r"^((?:19|20)\d{2})年度?")


def same_name(a: str | None, b: str | None) -> bool:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ya, yb = _LEAD_YEAR.match(ka), _LEAD_YEAR.match(kb)
    if ya and yb and ya.group(1) != yb.group(1):
        return False
    if ya or yb:
        # "2022年XX项目" (a prose title as written) and "XX" (the table's 项目名称)
        ka, kb = _LEAD_YEAR.sub("", ka) or ka, _LEAD_YEAR.sub("", kb) or kb
        if ka == kb:
            return True
    da, db = re.findall(r"\d+", ka), re.findall(r"\d+", kb)
    if da and db and da != db:
        return False  # 2020年… and 2021年… are two projects however alike the words
    return fuzz.ratio(ka, kb) >= SIMILAR


def _rows_of_one_table(a: Report, b: Report) -> bool:
    """Two rows of the same summary table are two projects by construction."""
    ea, eb = a.evidence, b.evidence
    if ea is None or eb is None:
        return False
    sa, sb = getattr(ea, "segment", None), getattr(eb, "segment", None)
    return getattr(ea, "source", None) == "summary" == getattr(eb, "source", None) and sa is not None and sa == sb


def _two_own_tables(a: Report, b: Report) -> bool:
    """Two reports each read from a table of its own, named differently: two units however
    alike the names ("通渭县…补助资金" and "渭源县…补助资金"); fuzzy names join a retelling
    (a summary row, prose) to its table, never two tables."""
    ea, eb = a.evidence, b.evidence
    if ea is None or eb is None:
        return False
    if not (getattr(ea, "source", None) == "table" == getattr(eb, "source", None)):
        return False
    if getattr(ea, "segment", None) == getattr(eb, "segment", None):
        return False
    return name_key(a.name) != name_key(b.name)


def _same_department(a: str, b: str) -> bool:
    if same_name(a, b):
        return True
    ka, kb = name_key(a), name_key(b)
    short, long_ = sorted((ka, kb), key=len)
    # "岳麓区医疗保障局" inside "长沙市岳麓区医疗保障局": the same department, its place written out
    return len(short) >= 4 and long_.endswith(short)


def _merge_into(base: Report, other: Report) -> None:
    """Fill `base` (the more authoritative) with what `other` adds."""
    if not base.name and other.name:
        base.name = other.name
    for attr in ("unit", "year", "score"):
        if getattr(base, attr) is None and getattr(other, attr) is not None:
            setattr(base, attr, getattr(other, attr))
            _copy_span(base, other, attr)
    for attr in ("budget", "executed", "rate"):
        if getattr(base.funds, attr) is None and getattr(other.funds, attr) is not None:
            setattr(base.funds, attr, getattr(other.funds, attr))
            _copy_span(base, other, attr)
    same_rank = rank(base) == rank(other)
    # a table that lists indicators is the structured statement: what prose or the model adds
    # beyond it is a retelling in other words, used only to fill gaps in the rows it matches
    table_complete = rank(base) == 0 and bool(base.indicators) and rank(other) >= 2
    for ind in other.indicators:
        match = None
        for have in base.indicators:
            if same_rank:
                if norm(have.name) == norm(ind.name) and canonical_level2(have.level2) == canonical_level2(ind.level2) \
                        and norm(have.target) == norm(ind.target):
                    match = have
                    break
            elif _retold(have.name, ind.name) or _retold_target(have, ind):
                match = have
                break
        if match is None:
            if not table_complete:
                base.indicators.append(ind)
        else:
            for attr in ("level1", "level2", "target", "actual", "weight", "score", "note"):
                if getattr(match, attr) is None and getattr(ind, attr) is not None:
                    setattr(match, attr, getattr(ind, attr))
    for goal in other.goals:
        text = norm((goal.target or "") + (goal.actual or ""))
        dup = False
        for have in base.goals:
            if norm(have.target) and norm(goal.target) and fuzz.ratio(norm(have.target), norm(goal.target)) >= GOAL_SIMILAR:
                dup = True
            elif fuzz.ratio(norm((have.target or "") + (have.actual or "")), text) >= GOAL_SIMILAR:
                dup = True
            if dup:
                if have.actual is None and goal.actual is not None:
                    have.actual = goal.actual
                break
        if not dup:
            base.goals.append(goal)


def _retold(table_name: str, other_name: str) -> bool:
    """An indicator retold elsewhere (prose, the model) with slightly different wording."""
    a, b = norm(table_name), norm(other_name)
    if not a or not b:
        return False
    if fuzz.ratio(a, b) >= RETOLD_SIMILAR:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and short in long_


def _retold_target(have, ind) -> bool:
    """Prose that writes a table row's target as "name，value" ("按现行政策…，保障其医疗待遇"
    for the row whose target is that sentence)."""
    told = norm((ind.name or "") + "，" + (ind.target or "")) if ind.target else norm(ind.name)
    for text in (have.target, (have.name or "") + "，" + (have.target or "")):
        t = norm(text)
        if t and len(t) >= 6 and fuzz.ratio(t, told) >= RETOLD_SIMILAR:
            return True
    return False


def _copy_span(base: Report, other: Report, attr: str) -> None:
    if other.evidence is None or attr not in other.evidence.spans:
        return
    if base.evidence is None:
        return
    base.evidence.spans.setdefault(attr, other.evidence.spans[attr])


def merge_reports(reports: list[Report], *, in_place: bool = False) -> list[Report]:
    """Reports of one document merged per (kind, fuzzy name), in order of first appearance.
    The inputs are left untouched unless in_place=True (the pipeline's fresh reports)."""
    if not in_place:
        reports = [r.model_copy(deep=True) for r in reports]
    groups: list[list[Report]] = []
    for r in reports:
        for g in groups:
            head = g[0]
            if head.kind != r.kind or any(_rows_of_one_table(x, r) or _two_own_tables(x, r) for x in g):
                continue
            if r.kind == "department":
                if r.name and head.name and _same_department(head.name, r.name):
                    g.append(r)
                    break
            elif same_name(head.name, r.name):
                g.append(r)
                break
        else:
            groups.append([r])
    # nameless departments join the single named department
    depts = [g for g in groups if g[0].kind == "department"]
    named = [g for g in depts if any(r.name for r in g)]
    nameless = [g for g in depts if not any(r.name for r in g)]
    if nameless and len(named) == 1:
        for g in nameless:
            named[0].extend(g)
            groups.remove(g)
    elif len(nameless) > 1 and not named:
        first = nameless[0]
        for g in nameless[1:]:
            first.extend(g)
            groups.remove(g)
    out: list[Report] = []
    for g in groups:
        ordered = sorted(g, key=rank)  # stable: document order within a rank
        base = ordered[0]
        for other in ordered[1:]:
            _merge_into(base, other)
        if base.kind == "department" and base.name and not base.unit:
            base.unit = base.name
        out.append(base)
    return out
