"""The model reader: `read(doc, pending, config) -> Reading`.

For every `Pending` stretch of `doc.text` the model is asked for what `want` names ("report",
"indicators", "goals", "notes", "funds").  Long stretches are cut at line ends to fit the
context, with an overlap where the cut falls inside a table; rows read twice are merged by
their grounded position.  The report's kind and name come from the segmenter (Pending) when
it has them; otherwise the model proposes them and the name must be found in the text.

Grounding: each text value must occur in the stretch the model read (grounding.py); its span
goes into `evidence` (origin ``llm:<model>:<prompt id>@<version>``); a value that is not found is
set to null, an indicator whose name is not found is dropped; both are counted in
stats["ungrounded_dropped"].  Rows that fail validation are dropped one by one
(stats["invalid_rows"]).  A piece that fails after retries counts in stats["failed_segments"]
and comes back in `Reading.pending`; everything else is kept.
"""

from __future__ import annotations

import hashlib
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from ..models import Evidence, Funds, Goal, Indicator, Report, Span
from ..pipeline import Pending, Reading
from ..source import SourceDoc
from . import prompts
from .client import CallFailed, LLMClient, LLMUnavailable, Stats
from .config import LLMConfig
from .grounding import Grounder, norm_chars
from .schema import FundsRow, GoalRow, IndicatorRow, NoteRow, ReportIdentity, ReportScalars, compact_schema, \
    response_wrapper, schema_hash
from .server import ServerError

__all__ = ["LLMConfig", "read", "cut", "render", "break_points", "Piece"]

WANTS = ("report", "indicators", "goals", "notes", "funds")
KIND_ZH = {"project": "项目支出", "transfer": "转移支付", "department": "部门整体支出"}
TOTAL_NAMES = {"合计", "总计", "总分", "小计", "合计得分"}
HEADER_NAMES = {  # column headings and level names: never an indicator's name
    "一级指标", "二级指标", "三级指标", "指标名称", "绩效指标", "年度指标值", "预期指标值", "指标值", "实际完成值",
    "全年完成值", "实际完成指标值", "全年实际值", "分值", "得分", "权重", "偏差原因分析及改进措施",
    "未完成原因和改进措施", "项目名称", "产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标",
    "时效指标", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标",
}
LEVEL2_WORDS = {"数量指标", "质量指标", "时效指标", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标",
                "服务对象满意度指标", "数量", "质量", "时效", "经济效益", "社会效益", "生态效益", "可持续影响",
                "服务对象满意度"}


def _is_level2(text: str) -> bool:
    return _BRACKETS.sub("", norm_chars(text)) in LEVEL2_WORDS


_VALUE_LIKE = re.compile(r"^[≥≤<>=＞＜]|^[-+]?\d|%$")  # a target/actual, never an indicator's name
_FUNDS_NAME = re.compile(r"预算|执行数|执行率|实际支出|支出数|拨付资金|到位资金|资金总额")
_AMOUNT = re.compile(r"\d\s*(?:万元|亿元|元)$")


def _not_an_indicator(values: dict, report_name: str | None) -> bool:
    """What a small model reads as an indicator but is none: a sentence carrying its own value
    as the name ("年度预算820万元" with target 820万元), the report's funds (预算 / 执行 in 万元),
    or the report's own name."""
    name = norm_chars(values.get("name") or "")
    for key in ("target", "actual"):
        v = norm_chars(values.get(key) or "")
        if len(v) >= 2 and v in name:
            return True
    amounts = [norm_chars(values.get(k) or "") for k in ("target", "actual")]
    if _FUNDS_NAME.search(name) and any(_AMOUNT.search(a) for a in amounts):
        return True
    if report_name:
        rn = norm_chars(report_name)
        core = re.sub(r"(项目|资金|经费|专项)$", "", rn)
        if name in (rn, core):
            return True
    return False


# An indicator's name is a label: at most a long clause (tables: up to ~50 characters), never
# several sentences.  A small model sometimes returns a whole paragraph as one "name".
MAX_NAME_CHARS = 60
_SENTENCES = re.compile(r"[。！？!?].")
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")
MAX_CONTINUATIONS = 3  # extra calls for the rest of a piece whose answer was cut at max_tokens
OUTPUT_BASE_TOKENS = 128  # per-call max_tokens = base + per_char * input characters (capped by config)
OUTPUT_TOKENS_PER_CHAR = 2


@dataclass
class Piece:
    index: int  # which Pending
    start: int
    end: int


@dataclass
class PieceResult:
    kind: str | None = None
    name: str | None = None
    name_span: Span | None = None
    scalars: dict[str, Any] = field(default_factory=dict)  # unit, year, score
    funds: dict[str, float | None] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)  # report-level spans
    goals: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
def _table_at(doc: SourceDoc, offset: int) -> bool:
    if not doc.blocks:
        return True  # no layout known: be safe and overlap
    return any(b.is_table and b.start < offset < b.end for b in doc.blocks)


def _row_start(row) -> int:
    return min(c.start for c in row)


def break_points(doc: SourceDoc, start: int, end: int) -> list[int]:
    """Offsets in (start, end) where a piece may begin: block and table-row starts, else line starts."""
    points: set[int] = set()
    for block in doc.blocks:
        if block.end <= start or block.start >= end:
            continue
        points.add(block.start)
        if block.is_table:
            points.update(_row_start(r) for r in block.rows if r)
    if len(points) <= 2:  # no usable layout: lines
        text = doc.text
        i = text.find("\n", start)
        while 0 <= i < end:
            points.add(i + 1)
            i = text.find("\n", i + 1)
    return sorted(p for p in points if start < p < end)


def cut(doc: SourceDoc, start: int, end: int, max_chars: int, overlap: int) -> list[tuple[int, int]]:
    """Cut doc.text[start:end] into pieces of at most `max_chars` at row/line starts, overlapping
    (by whole rows/lines, at most `overlap` characters) where a cut falls inside a table."""
    start, end = max(0, start), min(len(doc.text), end)
    if end - start <= max_chars:
        return [(start, end)] if end > start else []
    points = break_points(doc, start, end)
    pieces: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        limit = pos + max_chars
        if limit >= end:
            pieces.append((pos, end))
            break
        fits = [p for p in points if pos + max_chars // 3 < p <= limit]
        stop = fits[-1] if fits else limit
        pieces.append((pos, stop))
        nxt = stop
        if overlap and _table_at(doc, stop):
            back = [p for p in points if max(pos + 1, stop - overlap) <= p < stop]
            nxt = back[0] if back else stop
        pos = max(nxt, pos + 1)
    return pieces


def render(doc: SourceDoc, start: int, end: int) -> tuple[str, int, int]:
    """What the model reads for doc.text[start:end], and the span its values are grounded in.

    Table rows the loader parsed become ``| a |  | c |`` lines (empty cells visible, so a row with
    empty leading cells is not read shifted); a table cut above its heading row gets that heading
    row again; paragraphs and text outside blocks are given as written.
    """
    blocks = [b for b in doc.blocks if b.start < end and b.end > start]
    if not any(b.is_table and b.rows for b in blocks):
        return doc.text[start:end], start, end
    parts: list[str] = []
    g_end = end
    pos = start
    for block in blocks:
        if block.start > pos and doc.text[pos:block.start].strip():
            parts.append(doc.text[pos:block.start].strip())
        if block.is_table and block.rows:
            rows = [r for r in block.rows if r and start <= _row_start(r) < end]
            if rows and rows[0] is not block.rows[0]:
                heading = next((r for r in block.rows[:6] if any("指标" in c.text for c in r)), None)
                if heading is not None and _row_start(heading) < _row_start(rows[0]):
                    parts.append("| " + " | ".join(c.text for c in heading) + " |")
            for row in rows:
                parts.append("| " + " | ".join(c.text for c in row) + " |")
                g_end = max(g_end, max(c.end for c in row))
            if not rows:
                parts.append(doc.text[max(start, block.start):min(end, block.end)].strip())
        else:
            parts.append(doc.text[max(start, block.start):min(end, block.end)].strip())
        pos = max(pos, block.end)
    if pos < end and doc.text[pos:end].strip():
        parts.append(doc.text[pos:end].strip())
    return "\n".join(p for p in parts if p), start, min(len(doc.text), g_end)


# ----------------------------------------------------------------------------------------------
class _Job:
    """One call: prompt, schema, grounding and mapping of one piece of one Pending."""

    def __init__(self, reader: "_Reader", pending: Pending, piece: Piece):
        self.r = reader
        self.pending = pending
        self.piece = piece
        self.ask_identity = not (pending.kind in KIND_ZH and pending.name)
        want = pending.want if pending.want in WANTS else "report"
        self.want = want
        self.prompt = prompts.load(want)
        # The system prompt is the same for every call of a `want` (llama.cpp reuses its evaluated
        # prefix across calls); what differs — the report's identity and the text — is the user message.
        if self.ask_identity:
            self.identity = prompts.load("identity_ask").render()
        else:
            self.identity = prompts.load("identity_known").render(kind_zh=KIND_ZH[pending.kind], name=pending.name)
        self.system = self.prompt.render()
        self.schema = compact_schema(want, self.ask_identity)
        self.origin = ""
        self.failed: list[tuple[int, int, BaseException]] = []  # continuation ranges that failed

    def run(self) -> list[PieceResult]:
        """One call, and when the answer was cut at max_tokens, calls for the rest of the piece
        (from the line of the last row read; at most `MAX_CONTINUATIONS` more)."""
        results: list[PieceResult] = []
        start = self.piece.start
        for _ in range(1 + MAX_CONTINUATIONS):
            try:
                result, truncated = self._call(start, self.piece.end)
            except Exception as exc:  # noqa: BLE001
                if not results:
                    raise
                self.failed.append((start, self.piece.end, exc))  # keep what was read before the cut
                break
            results.append(result)
            if not truncated or not result.indicators:
                break
            last = max(ind.evidence.spans["name"].start for ind in result.indicators)
            resume = max([p for p in break_points(self.r.doc, start, self.piece.end) if p <= last], default=start)
            if resume <= start or self.piece.end - resume < 20:
                break
            self.r.stats.add("continuations")
            start = resume
        return results

    def _call(self, start: int, end: int) -> tuple[PieceResult, bool]:
        doc = self.r.doc
        text, g_start, g_end = render(doc, start, end)
        user = f"{self.identity}\n\n{text}"
        client = self.r.client
        self.origin = f"llm:{client.identity().model}:{self.prompt.ref}"
        answer = client.complete(
            system=self.system, user=user, response_model=response_wrapper(self.want, self.ask_identity),
            key_parts={"prompt": self.prompt.ref, "system": hashlib.sha256(self.system.encode()).hexdigest(),
                       "schema": schema_hash(self.schema), "text": hashlib.sha256(user.encode()).hexdigest()},
            list_key="goals" if self.want == "goals" else ("rows" if self.want in ("indicators", "notes", "report") else None),
            max_tokens=OUTPUT_BASE_TOKENS + OUTPUT_TOKENS_PER_CHAR * len(text),
        )
        return self.map(answer.data, Grounder(doc, g_start, g_end), start), answer.truncated

    # --- mapping with grounding --------------------------------------------------------------
    def _validate(self, model: type[BaseModel], raw: Any) -> BaseModel | None:
        if not isinstance(raw, dict):
            self.r.stats.add("invalid_rows")
            return None
        try:
            return model.model_validate(raw)
        except ValidationError:
            self.r.stats.add("invalid_rows")
            return None

    def _drop(self) -> None:
        self.r.stats.add("ungrounded_dropped")

    def _text(self, g: Grounder, value: str | None, spans: dict, key: str, **where) -> str | None:
        if value is None:
            return None
        found = g.find_text(value, **where)
        if found is None:
            self._drop()
            return None
        spans[key] = found.span
        return found.text

    def _number(self, g: Grounder, value: float | None, spans: dict, key: str, hint: int | None = None,
                scales: tuple[float, ...] = (1.0,), cell: bool = False,
                within: tuple[int, int] | None = None) -> float | None:
        if value is None:
            return None
        span = g.find_number(value, hint, scales, cell=cell, within=within)
        if span is None:
            self._drop()
            return None
        spans[key] = span
        return value

    def map(self, data: dict, g: Grounder, start: int | None = None) -> PieceResult:
        out = PieceResult()
        if self.ask_identity:
            try:
                ident = ReportIdentity.model_validate({k: data.get(k) for k in ("kind", "name") if k in data})
            except ValidationError:
                ident = None
            if ident is not None:
                spans: dict[str, Span] = {}
                name = self._text(g, ident.name, spans, "name")
                if name:
                    out.name, out.name_span, out.kind = name, spans["name"], ident.kind
        if self.pending.kind in KIND_ZH:
            out.kind = self.pending.kind
        if self.pending.name:
            out.name = self.pending.name
        if self.want in ("report",):
            sc = self._validate(ReportScalars, {k: data.get(k) for k in ("unit", "year", "score")})
            if sc is not None:
                out.scalars["unit"] = self._text(g, sc.unit, out.spans, "unit")
                out.scalars["year"] = self._number(g, sc.year, out.spans, "year")
                out.scalars["score"] = self._number(g, sc.score, out.spans, "score")
                if out.scalars["year"] is not None:
                    out.scalars["year"] = int(out.scalars["year"])
        if self.want in ("report", "funds") and data.get("funds") is not None:
            self._funds(data, g, out)
        if self.want in ("report", "goals"):
            for raw in data.get("goals") or []:
                row = self._validate(GoalRow, raw)
                if row is None:
                    continue
                spans = {}
                target = self._text(g, row.target, spans, "target")
                actual = self._text(g, row.actual, spans, "actual", hint=spans["target"].end if "target" in spans else None)
                if target is None and actual is None:
                    continue
                out.goals.append(Goal(target=target, actual=actual, evidence=Evidence(origin=self.origin, spans=spans)))
        if self.want in ("report", "indicators"):
            self._indicators(data.get("rows") or [], IndicatorRow, g, out, start)
        if self.want == "notes":
            self._indicators(data.get("rows") or [], NoteRow, g, out, start)
        return out

    def _funds(self, data: dict, g: Grounder, out: PieceResult) -> None:
        row = self._validate(FundsRow, data.get("funds"))
        if row is None:
            return
        piece_text = self.r.doc.text[self.piece.start:self.piece.end]
        unit = data.get("money_unit") if data.get("money_unit") in ("万元", "元") else None
        if unit is None:
            unit = "万元" if "万元" in piece_text or "元" not in piece_text else "元"
        for key in ("budget", "executed"):
            value = getattr(row, key)
            if value is None:
                continue
            span = g.find_number(value)
            if span is not None:
                out.funds[key] = value / 10000 if unit == "元" else value
                out.spans[f"funds.{key}"] = span
                continue
            span = g.find_number(value, scales=(1e-4,))  # the model already converted 元 -> 万元
            if span is not None:
                out.funds[key] = value
                out.spans[f"funds.{key}"] = span
            else:
                self._drop()
        out.funds["rate"] = self._number(g, row.rate, out.spans, "funds.rate")
        b, e, r = (out.funds.get(k) for k in ("budget", "executed", "rate"))
        if b and e is not None and (e > 2 * b or (r is not None and abs(e / b * 100 - r) > 1.0)):
            # figures that cannot belong together (a rate not executed / budget, spending twice the
            # budget): numbers picked from the wrong cells; an auditor is better served by none
            for key in ("budget", "executed", "rate"):
                out.funds.pop(key, None)
                out.spans.pop(f"funds.{key}", None)
            self.r.stats.add("invalid_rows")

    def _indicators(self, rows: list, model: type[BaseModel], g: Grounder, out: PieceResult,
                    start: int | None = None) -> None:
        cursor = self.piece.start if start is None else start
        previous: Indicator | None = None
        for raw in rows if isinstance(rows, list) else []:
            row = self._validate(model, raw)
            if row is None:
                continue
            if norm_chars(row.name) in TOTAL_NAMES:
                continue
            if _is_level2(row.name) and getattr(row, "target", None) and getattr(row, "level2", None) is None \
                    and model is IndicatorRow and not _VALUE_LIKE.search(norm_chars(row.target)):  # read one column left: 二级 in the name, the name in the target
                row = row.model_copy(update={"level2": row.name, "name": row.target, "target": row.actual,
                                             "actual": None})
                self.r.stats.add("shifted_rows")
                shifted = True
            else:
                shifted = False
            if _BRACKETS.sub("", norm_chars(row.name)) in HEADER_NAMES:  # a heading, not an indicator
                self.r.stats.add("invalid_rows")
                continue
            if len(norm_chars(row.name)) > MAX_NAME_CHARS or _SENTENCES.search(row.name.strip()):
                self.r.stats.add("invalid_rows")
                continue
            spans: dict[str, Span] = {}
            name = self._text(g, row.name, spans, "name", hint=cursor)
            if name is None:
                continue  # counted: the whole indicator goes when its name is not in the text
            at = spans["name"].start
            cursor = at
            table_row = g.row_span(at)  # a table row's values must come from that row
            where: dict[str, Any] = {"within": table_row} if table_row else {"hint": at}
            values: dict[str, Any] = {"name": name}
            level1, level2 = getattr(row, "level1", None), getattr(row, "level2", None)
            if level2 is None and level1 is not None and _is_level2(level1):  # an empty 一级 cell read shifted
                level1, level2 = None, level1
            for key, value in (("level1", level1), ("level2", level2)):
                values[key] = self._text(g, value, spans, key, before=at)
            if table_row and previous is not None:  # merged 一级/二级 cells: carry from the row above
                for key in ("level1", "level2"):
                    if values[key] is None and key in previous.evidence.spans:
                        values[key] = getattr(previous, key)
                        spans[key] = previous.evidence.spans[key]
            for key in ("target", "actual", "note"):
                values[key] = self._text(g, getattr(row, key, None), spans, key, **where)
            if shifted and table_row and values["actual"] is None and "target" in spans:
                after = g.next_cell(spans["target"].start)  # the value the shift lost: the next cell
                if after is not None and after[1].end <= table_row[1]:
                    values["actual"], spans["actual"] = after
            for key in ("weight", "score"):
                values[key] = self._number(g, getattr(row, key, None), spans, key, cell=True, **where)
            if self.want != "notes" and not table_row and values["target"] is None and values["actual"] is None:
                # in prose an indicator is a stated value; a name alone is a phrase of the text
                self.r.stats.add("invalid_rows")
                continue
            if self.want != "notes" and _not_an_indicator(values, self.pending.name):
                self.r.stats.add("invalid_rows")
                continue
            previous = Indicator(**{k: values.get(k) for k in
                                    ("level1", "level2", "name", "target", "actual", "weight", "score", "note")},
                                 evidence=Evidence(origin=self.origin, spans=spans))
            out.indicators.append(previous)


# ----------------------------------------------------------------------------------------------
def _filled(ind: Indicator) -> int:
    return sum(getattr(ind, k) is not None for k in ("level1", "level2", "target", "actual", "weight", "score", "note"))


def _assemble(pending: Pending, results: list[PieceResult], origin: str) -> Report | None:
    kind = next((r.kind for r in results if r.kind), None)
    name = next((r.name for r in results if r.name), None)
    if kind is None or name is None:
        return None
    spans: dict[str, Span] = {}
    name_span = next((r.name_span for r in results if r.name_span), None)
    if name_span is not None:
        spans["name"] = name_span
    scalars: dict[str, Any] = {"unit": None, "year": None, "score": None}
    funds: dict[str, float | None] = {"budget": None, "executed": None, "rate": None}
    for r in results:
        for key in scalars:
            if scalars[key] is None and r.scalars.get(key) is not None:
                scalars[key] = r.scalars[key]
                if key in r.spans:
                    spans[key] = r.spans[key]
        for key in funds:
            if funds[key] is None and r.funds.get(key) is not None:
                funds[key] = r.funds[key]
                if f"funds.{key}" in r.spans:
                    spans[f"funds.{key}"] = r.spans[f"funds.{key}"]
    by_pos: dict[int, Indicator] = {}
    for r in results:
        for ind in r.indicators:
            at = ind.evidence.spans["name"].start
            if at not in by_pos or _filled(ind) > _filled(by_pos[at]):
                by_pos[at] = ind
    goals: dict[tuple, Goal] = {}
    for r in results:
        for goal in r.goals:
            key = tuple(goal.evidence.spans[k].start if k in goal.evidence.spans else None for k in ("target", "actual"))
            goals.setdefault(key, goal)
    if not by_pos and not goals and all(v is None for v in funds.values()) and scalars["score"] is None:
        return None  # the model read nothing there: no report of its own (the reader's name alone)
    return Report(kind=kind, name=name, unit=scalars["unit"], year=scalars["year"], funds=Funds(**funds),
                  score=scalars["score"], goals=list(goals.values()),
                  indicators=[by_pos[k] for k in sorted(by_pos)], evidence=Evidence(origin=origin, spans=spans))


class _Reader:
    def __init__(self, doc: SourceDoc, config: LLMConfig, stats: Stats, client: LLMClient):
        self.doc, self.config, self.stats, self.client = doc, config, stats, client


_clients: dict[str, LLMClient] = {}


def _client_for(config: LLMConfig) -> LLMClient:
    """One client (endpoint, server, cache) per configuration for the whole process (a batch)."""
    key = repr(config)
    client = _clients.get(key)
    if client is None:
        client = _clients[key] = LLMClient(config)
    return client


def read(doc: SourceDoc, pending: list[Pending], config: LLMConfig | None = None) -> Reading:
    config = config or LLMConfig()
    shared = _client_for(config)
    stats = Stats()
    reading = Reading(stats={})
    pieces: list[Piece] = []
    for index, p in enumerate(pending):
        for start, end in cut(doc, p.start, p.end, config.max_chunk_chars, config.overlap_chars):
            pieces.append(Piece(index, start, end))
    if not pieces:
        reading.stats = stats.as_dict()
        return reading
    try:
        client = shared.view(stats)  # starts the local server here (calling thread), once per process
    except (LLMUnavailable, ServerError) as exc:
        print(f"extractor: model unavailable: {exc}", file=sys.stderr)
        stats.add("failed_segments", len(pieces))
        reading.pending = list(pending)
        reading.stats = stats.as_dict()
        return reading
    reader = _Reader(doc, config, stats, client)
    jobs = [_Job(reader, pending[p.index], p) for p in pieces]

    def run(job: _Job) -> list[PieceResult] | None:
        try:
            return job.run()
        except Exception as exc:  # noqa: BLE001 - one piece's failure never loses the others
            stats.add("failed_segments")
            if not isinstance(exc, CallFailed):
                exc = f"{type(exc).__name__}: {exc}"
            print(f"extractor: {doc.stem}: model failed on {job.want} [{job.piece.start}:{job.piece.end}]: {exc}",
                  file=sys.stderr)
            return None

    with ThreadPoolExecutor(max_workers=max(1, config.concurrency)) as pool:
        results = list(pool.map(run, jobs))
    for job in jobs:
        for start, end, exc in job.failed:
            stats.add("failed_segments")
            print(f"extractor: {doc.stem}: model failed on the rest of {job.want} [{start}:{end}]: {exc}",
                  file=sys.stderr)
            reading.pending.append(Pending(start, end, job.pending.want, job.pending.kind, job.pending.name))
    groups: dict[tuple[str, str], tuple[Pending, list[PieceResult], str]] = {}
    for index, p in enumerate(pending):
        got = [(job, res) for job, res in zip(jobs, results) if job.piece.index == index]
        ok = [part for _, res in got if res is not None for part in res]
        for job, res in got:
            if res is None:
                reading.pending.append(Pending(job.piece.start, job.piece.end, p.want, p.kind, p.name))
        if not ok:
            continue
        kind = next((r.kind for r in ok if r.kind), None)
        name = next((r.name for r in ok if r.name), None)
        if kind is None or name is None:
            stats.add("ungrounded_dropped")
            print(f"extractor: {doc.stem}: no grounded report name/kind for [{p.start}:{p.end}]; dropped",
                  file=sys.stderr)
            continue
        for r in ok:  # one identity for all the pieces of this stretch
            r.kind, r.name = kind, name
        origin = next(job.origin for job, res in got if res is not None)
        key = (kind, norm_chars(name))  # stretches of one report (its table, its goals…) give one report
        if key in groups:
            groups[key][1].extend(ok)
        else:
            groups[key] = (p, list(ok), origin)
    for p, parts, origin in groups.values():
        report = _assemble(p, parts, origin)
        if report is not None:
            reading.reports.append(report)
    reading.stats = stats.as_dict()
    return reading
