"""The contract's scoring (shared/spec/golden-format.md, "How a prediction is scored").

Every figure is a micro-average: per document we only count (tallies), and the overall
figures are computed from the summed tallies, so a large document weighs what it holds.

What is counted where:
- Reports pair one-to-one (same kind, name similarity >= 90, best pairs first).
  Report P = paired / predicted reports, R = paired / golden reports.
- Report fields (funds budget/executed/rate, score, unit, year) are scored over paired
  reports only, where the golden value is not null.
- Indicators pair inside paired reports only.  Indicators of an unpaired golden report
  are all missed (they count in the recall denominator); indicators of an unpaired
  predicted report are all extra (they count in the precision denominator).
- Strict: an indicator is correct when it pairs AND target, actual, weight and score
  match wherever golden states them.  Strict P = strict-correct / predicted indicators,
  strict R = strict-correct / golden indicators.
- Per-field indicator accuracy is over paired indicators where the golden value is not null.
- Goals pair one-to-one inside paired reports, best first, by the similarity they are
  scored with: rapidfuzz fuzz.ratio of the norm'd golden target+actual against the
  prediction's same fields (only fields golden states), /100.  The goal figure is the
  mean over all golden goals (those of unpaired reports included); an unpaired golden
  goal counts 0.  Extra predicted goals cost nothing.
- Conventions for empty sides: P/R/F1 are 1.0 when both sides hold nothing, 0.0 when
  only one side does; an accuracy with nothing to score is None ("n/a").
- A missing prediction file is an empty prediction; a prediction file that fails the
  contract is reported as one warning line and also scored as empty.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from rapidfuzz import fuzz

from .models import ContractError, Document, Indicator, Report, load_document
from .values import canonical_level1, canonical_level2, norm, numbers_match, values_match

PAIR_THRESHOLD = 90.0
FUNDS_FIELDS = ("budget", "executed", "rate")
REPORT_FIELDS = ("funds.budget", "funds.executed", "funds.rate", "score", "unit", "year")
INDICATOR_FIELDS = ("level1", "level2", "target", "actual", "weight", "score", "note")
STRICT_FIELDS = ("target", "actual", "weight", "score")


class EvalError(ValueError):
    """A mistake in how the harness was called (no golden files, unwritable output)."""


# ---------------------------------------------------------------- tallies and figures

@dataclass
class Tally:
    """Counts for one document; tallies add up, figures are computed from the sums."""

    gold_reports: int = 0
    pred_reports: int = 0
    paired_reports: int = 0
    gold_indicators: int = 0
    pred_indicators: int = 0
    paired_indicators: int = 0
    strict_indicators: int = 0
    gold_goals: int = 0
    paired_goals: int = 0
    goal_similarity: float = 0.0  # sum over golden goals (unpaired ones add 0)
    correct: Counter = field(default_factory=Counter)  # "report.unit" / "indicator.target" -> matches
    scored: Counter = field(default_factory=Counter)  # same keys -> fields golden states

    def __add__(self, other: "Tally") -> "Tally":
        out = Tally()
        for name in ("gold_reports", "pred_reports", "paired_reports", "gold_indicators", "pred_indicators",
                     "paired_indicators", "strict_indicators", "gold_goals", "paired_goals", "goal_similarity"):
            setattr(out, name, getattr(self, name) + getattr(other, name))
        out.correct = self.correct + other.correct
        out.scored = self.scored + other.scored
        return out

    def count(self, key: str, ok: bool) -> None:
        self.scored[key] += 1
        self.correct[key] += int(ok)


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    if n_pred == 0 and n_gold == 0:
        return 1.0, 1.0, 1.0
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _ratio(correct: int | float, total: int) -> float | None:
    return correct / total if total else None


def figures(t: Tally) -> dict[str, float | None]:
    """Every figure for a tally (one document or the sum of all), in display order."""
    out: dict[str, float | None] = {}
    out["report_precision"], out["report_recall"], out["report_f1"] = _prf(
        t.paired_reports, t.pred_reports, t.gold_reports)
    funds_keys = [f"report.funds.{f}" for f in FUNDS_FIELDS]
    out["funds_accuracy"] = _ratio(sum(t.correct[k] for k in funds_keys), sum(t.scored[k] for k in funds_keys))
    for f in FUNDS_FIELDS:
        out[f"funds_{f}_accuracy"] = _ratio(t.correct[f"report.funds.{f}"], t.scored[f"report.funds.{f}"])
    for f in ("score", "unit", "year"):
        out[f"report_{f}_accuracy"] = _ratio(t.correct[f"report.{f}"], t.scored[f"report.{f}"])
    out["indicator_precision"], out["indicator_recall"], out["indicator_f1"] = _prf(
        t.paired_indicators, t.pred_indicators, t.gold_indicators)
    out["strict_indicator_precision"], out["strict_indicator_recall"], out["strict_indicator_f1"] = _prf(
        t.strict_indicators, t.pred_indicators, t.gold_indicators)
    for f in INDICATOR_FIELDS:
        out[f"indicator_{f}_accuracy"] = _ratio(t.correct[f"indicator.{f}"], t.scored[f"indicator.{f}"])
    out["goal_similarity"] = _ratio(t.goal_similarity, t.gold_goals)
    return out


def counts(t: Tally) -> dict[str, int]:
    return {
        "gold_reports": t.gold_reports, "pred_reports": t.pred_reports, "paired_reports": t.paired_reports,
        "gold_indicators": t.gold_indicators, "pred_indicators": t.pred_indicators,
        "paired_indicators": t.paired_indicators, "strict_indicators": t.strict_indicators,
        "gold_goals": t.gold_goals, "paired_goals": t.paired_goals,
    }


@dataclass
class Miss:
    """One difference between golden and prediction, for error analysis (--verbose)."""

    document: str
    what: str  # missing/extra report, missing/extra indicator, field, missing goal, goal differs, ...
    where: str  # "project 医保网络维护费 › 开展培训次数" or ""
    expected: Any = None
    got: Any = None

    def line(self) -> str:
        text = f"{self.document} | {self.what}"
        if self.where:
            text += f" | {self.where}"
        if self.what.startswith("field") or self.what == "goal differs":
            text += f" | expected {_show(self.expected)} got {_show(self.got)}"
        return text


def _show(value: Any, limit: int = 60) -> str:
    if value is None:
        return "null"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return repr(text[:limit] + "…" if len(text) > limit else text)


@dataclass
class DocumentScore:
    document: str
    tally: Tally


@dataclass
class Scores:
    documents: list[DocumentScore]
    misses: list[Miss] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def tally(self) -> Tally:
        total = Tally()
        for d in self.documents:
            total = total + d.tally
        return total

    @property
    def overall(self) -> dict[str, float | None]:
        return figures(self.tally)

    @property
    def per_document(self) -> dict[str, dict[str, float | None]]:
        return {d.document: figures(d.tally) for d in self.documents}

    def as_json(self) -> dict[str, Any]:
        return {
            "overall": {**self.overall, "counts": counts(self.tally)},
            "documents": {d.document: {**figures(d.tally), "counts": counts(d.tally)} for d in self.documents},
            "misses": [asdict(m) for m in self.misses],
            "warnings": list(self.warnings),
        }


# ---------------------------------------------------------------- pairing

def similarity(a: str | None, b: str | None) -> float:
    """The contract's name test: fuzz.ratio of the norm'd texts (0-100)."""
    return fuzz.ratio(norm(a), norm(b))


def pair_best_first(n_gold: int, n_pred: int, key: Callable[[int, int], tuple | None]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing: candidates sorted by `key` (None = may not pair), smallest first."""
    candidates = []
    for i in range(n_gold):
        for j in range(n_pred):
            k = key(i, j)
            if k is not None:
                candidates.append((k, i, j))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def pair_reports(gold: list[Report], pred: list[Report]) -> list[tuple[int, int]]:
    def key(i: int, j: int) -> tuple | None:
        if gold[i].kind != pred[j].kind:
            return None
        sim = similarity(gold[i].name, pred[j].name)
        return None if sim < PAIR_THRESHOLD else (-sim, abs(i - j), i, j)

    return pair_best_first(len(gold), len(pred), key)


def pair_indicators(gold: list[Indicator], pred: list[Indicator]) -> list[tuple[int, int]]:
    """Best first: name similarity, then canonical level2 agreeing, then level1, then position."""
    g_names, p_names = [norm(g.name) for g in gold], [norm(p.name) for p in pred]

    def key(i: int, j: int) -> tuple | None:
        sim = fuzz.ratio(g_names[i], p_names[j])
        if sim < PAIR_THRESHOLD:
            return None
        l2 = canonical_level2(gold[i].level2) == canonical_level2(pred[j].level2)
        l1 = canonical_level1(gold[i].level1) == canonical_level1(pred[j].level1)
        return (-sim, not l2, not l1, abs(i - j), i, j)

    return pair_best_first(len(gold), len(pred), key)


def _goal_text(goal, fields: tuple[str, ...]) -> str:
    return "".join(norm(getattr(goal, f)) for f in fields)


# ---------------------------------------------------------------- one document

def _report_label(report: Report) -> str:
    return f"{report.kind} {report.name}"


def _contents(report: Report) -> str:
    return f"{len(report.indicators)} indicators, {len(report.goals)} goals"


def _indicator_field_ok(name: str, g: Indicator, p: Indicator) -> bool:
    gv, pv = getattr(g, name), getattr(p, name)
    if name == "level1":
        return canonical_level1(gv) == canonical_level1(pv)
    if name == "level2":
        return canonical_level2(gv) == canonical_level2(pv)
    if name in ("weight", "score"):
        return numbers_match(gv, pv)
    return values_match(gv, pv)


def score_document(stem: str, gold: Document, pred: Document | None) -> tuple[Tally, list[Miss]]:
    """Tally one golden document against its prediction (None = nothing predicted)."""
    t = Tally()
    misses: list[Miss] = []
    g_reports = gold.reports
    p_reports = pred.reports if pred is not None else []
    t.gold_reports, t.pred_reports = len(g_reports), len(p_reports)
    t.gold_indicators = sum(len(r.indicators) for r in g_reports)
    t.pred_indicators = sum(len(r.indicators) for r in p_reports)

    pairs = pair_reports(g_reports, p_reports)
    t.paired_reports = len(pairs)
    paired_g = {i for i, _ in pairs}
    paired_p = {j for _, j in pairs}
    for i, r in enumerate(g_reports):
        goals = [g for g in r.goals if g.target is not None or g.actual is not None]
        t.gold_goals += len(goals)
        if i not in paired_g:  # its indicators and goals are missed too: said once, here
            misses.append(Miss(stem, "missing report", f"{_report_label(r)} ({_contents(r)})"))
    for j, r in enumerate(p_reports):
        if j not in paired_p:
            misses.append(Miss(stem, "extra report", f"{_report_label(r)} ({_contents(r)})"))

    for i, j in pairs:
        g, p = g_reports[i], p_reports[j]
        where = _report_label(g)
        _score_report_fields(stem, where, g, p, t, misses)
        _score_indicators(stem, where, g, p, t, misses)
        _score_goals(stem, where, g, p, t, misses)
    return t, misses


def _score_report_fields(stem: str, where: str, g: Report, p: Report, t: Tally, misses: list[Miss]) -> None:
    for name in REPORT_FIELDS:
        if name.startswith("funds."):
            f = name.split(".", 1)[1]
            gv, pv = getattr(g.funds, f), getattr(p.funds, f)
            ok = numbers_match(gv, pv) if gv is not None else None
        else:
            gv, pv = getattr(g, name), getattr(p, name)
            if gv is None:
                ok = None
            elif name == "score":
                ok = numbers_match(gv, pv)
            elif name == "year":
                ok = gv == pv
            else:
                ok = values_match(gv, pv)
        if ok is None:
            continue
        t.count(f"report.{name}", ok)
        if not ok:
            misses.append(Miss(stem, f"field {name}", where, gv, pv))


def _score_indicators(stem: str, where: str, g: Report, p: Report, t: Tally, misses: list[Miss]) -> None:
    pairs = pair_indicators(g.indicators, p.indicators)
    t.paired_indicators += len(pairs)
    paired_g = {i for i, _ in pairs}
    paired_p = {j for _, j in pairs}
    for i, ind in enumerate(g.indicators):
        if i not in paired_g:
            misses.append(Miss(stem, "missing indicator", f"{where} › {ind.name}"))
    for j, ind in enumerate(p.indicators):
        if j not in paired_p:
            misses.append(Miss(stem, "extra indicator", f"{where} › {ind.name}"))
    for i, j in pairs:
        gi, pi = g.indicators[i], p.indicators[j]
        strict = True
        for name in INDICATOR_FIELDS:
            gv = getattr(gi, name)
            if gv is None:
                continue
            ok = _indicator_field_ok(name, gi, pi)
            t.count(f"indicator.{name}", ok)
            if not ok:
                misses.append(Miss(stem, f"field {name}", f"{where} › {gi.name}", gv, getattr(pi, name)))
                if name in STRICT_FIELDS:
                    strict = False
        t.strict_indicators += int(strict)


def _score_goals(stem: str, where: str, g: Report, p: Report, t: Tally, misses: list[Miss]) -> None:
    gold_goals = [x for x in g.goals if x.target is not None or x.actual is not None]
    fields_of = [tuple(f for f in ("target", "actual") if getattr(x, f) is not None) for x in gold_goals]
    sims = [[fuzz.ratio(_goal_text(gg, fs), _goal_text(pg, fs)) / 100 for pg in p.goals]
            for gg, fs in zip(gold_goals, fields_of)]
    pairs = pair_best_first(len(gold_goals), len(p.goals), lambda i, j: (-sims[i][j], abs(i - j), i, j))
    t.paired_goals += len(pairs)
    paired_g = {i for i, _ in pairs}
    for i, j in pairs:
        t.goal_similarity += sims[i][j]
        if sims[i][j] < 1.0:
            fs = fields_of[i]
            misses.append(Miss(stem, "goal differs", f"{where} › goal {i + 1} (similarity {sims[i][j]:.3f})",
                               _goal_text(gold_goals[i], fs), _goal_text(p.goals[j], fs)))
    for i, gg in enumerate(gold_goals):
        if i not in paired_g:
            misses.append(Miss(stem, "missing goal", f"{where} › goal {i + 1}"))


# ---------------------------------------------------------------- directories

def _load_gold(path: Path) -> Document:
    """A golden file, or an error naming it (ContractError also names the field)."""
    try:
        return load_document(path)
    except UnicodeDecodeError:
        raise EvalError(f"{path}: not UTF-8 text") from None
    except OSError as err:
        raise EvalError(f"{path}: cannot read ({err.strerror or err})") from None


def score_dirs(gold_dir: str | Path, pred_dir: str | Path) -> Scores:
    """Score every golden `<stem>.json` in gold_dir against pred_dir/<stem>.json.

    Raises EvalError when gold_dir holds no golden file, ContractError (naming file and
    field) when a golden file breaks the contract.
    """
    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    if not gold_dir.is_dir():
        raise EvalError(f"golden folder not found: {gold_dir}")
    if not pred_dir.is_dir():
        raise EvalError(f"prediction folder not found: {pred_dir}")
    gold_files = sorted(gold_dir.glob("*.json"))
    if not gold_files:
        raise EvalError(f"no golden files (*.json) in {gold_dir}")
    golds = [(path.stem, _load_gold(path)) for path in gold_files]

    scores = Scores(documents=[])
    for stem, gold in golds:
        pred_path = pred_dir / f"{stem}.json"
        pred: Document | None = None
        if not pred_path.exists():
            scores.misses.append(Miss(stem, "missing prediction file", str(pred_path)))
        else:
            try:
                pred = load_document(pred_path)
            except (ContractError, OSError, UnicodeDecodeError) as err:
                scores.warnings.append(f"prediction scored as empty: {err}")
                scores.misses.append(Miss(stem, "invalid prediction file", str(pred_path)))
        tally, misses = score_document(stem, gold, pred)
        scores.documents.append(DocumentScore(stem, tally))
        scores.misses.extend(misses)
    return scores


# ---------------------------------------------------------------- output

_ROWS: tuple[tuple[str, str], ...] = (
    ("reports gold/pred/paired", "#reports"),
    ("report precision", "report_precision"),
    ("report recall", "report_recall"),
    ("report F1", "report_f1"),
    ("funds accuracy (all)", "funds_accuracy"),
    ("  budget", "funds_budget_accuracy"),
    ("  executed", "funds_executed_accuracy"),
    ("  rate", "funds_rate_accuracy"),
    ("report score accuracy", "report_score_accuracy"),
    ("report unit accuracy", "report_unit_accuracy"),
    ("report year accuracy", "report_year_accuracy"),
    ("indicators gold/pred/paired", "#indicators"),
    ("indicator precision", "indicator_precision"),
    ("indicator recall", "indicator_recall"),
    ("indicator F1", "indicator_f1"),
    ("strict correct indicators", "#strict"),
    ("strict indicator precision", "strict_indicator_precision"),
    ("strict indicator recall", "strict_indicator_recall"),
    ("STRICT INDICATOR F1", "strict_indicator_f1"),
    ("indicator level1 accuracy", "indicator_level1_accuracy"),
    ("indicator level2 accuracy", "indicator_level2_accuracy"),
    ("indicator target accuracy", "indicator_target_accuracy"),
    ("indicator actual accuracy", "indicator_actual_accuracy"),
    ("indicator weight accuracy", "indicator_weight_accuracy"),
    ("indicator score accuracy", "indicator_score_accuracy"),
    ("indicator note accuracy", "indicator_note_accuracy"),
    ("goals gold/paired", "#goals"),
    ("goal similarity", "goal_similarity"),
)


def _cell(key: str, t: Tally, figs: dict[str, float | None]) -> str:
    if key == "#reports":
        return f"{t.gold_reports}/{t.pred_reports}/{t.paired_reports}"
    if key == "#indicators":
        return f"{t.gold_indicators}/{t.pred_indicators}/{t.paired_indicators}"
    if key == "#strict":
        return str(t.strict_indicators)
    if key == "#goals":
        return f"{t.gold_goals}/{t.paired_goals}"
    value = figs[key]
    return "n/a" if value is None else f"{value:.3f}"


def _short_names(stems: list[str]) -> list[str]:
    """Column headers: the stem's part before '_' when that is unique, else the whole stem."""
    short = [s.split("_", 1)[0] for s in stems]
    return short if len(set(short)) == len(short) else stems


def render_table(scores: Scores) -> str:
    """One plain-text table: a row per figure, columns overall then each document."""
    columns = [("overall", scores.tally)] + list(
        zip(_short_names([d.document for d in scores.documents]), [d.tally for d in scores.documents]))
    figs = [figures(t) for _, t in columns]
    header = ["figure"] + [name for name, _ in columns]
    body = [[label] + [_cell(key, t, f) for (_, t), f in zip(columns, figs)] for label, key in _ROWS]
    widths = [max(len(row[c]) for row in [header] + body) for c in range(len(header))]

    def fmt(row: list[str]) -> str:
        return "  ".join([row[0].ljust(widths[0])] + [v.rjust(w) for v, w in zip(row[1:], widths[1:])])

    lines = [fmt(header), "  ".join("-" * w for w in widths)] + [fmt(r) for r in body]
    if len(columns) > 1 and header[1:] != [d.document for d in scores.documents]:
        lines.append("documents: " + ", ".join(d.document for d in scores.documents))
    return "\n".join(lines)


def run_eval(gold: str | Path, pred: str | Path, json_path: str | Path | None = None, verbose: bool = False) -> int:
    """The `extractor eval` command: print the table (and every miss with verbose), write
    the figures as JSON, end with `strict_indicator_f1=0.xxx`.  0, or 2 for a user mistake."""
    try:
        scores = score_dirs(gold, pred)
    except (EvalError, ContractError) as err:
        print(f"extractor: {err}", file=sys.stderr)
        return 2
    for warning in scores.warnings:
        print(f"extractor: warning: {warning}", file=sys.stderr)
    if json_path is not None:
        try:
            Path(json_path).write_text(json.dumps(scores.as_json(), ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
        except OSError as err:
            print(f"extractor: cannot write {json_path}: {err.strerror or err}", file=sys.stderr)
            return 2
    if verbose:
        for miss in scores.misses:
            print(miss.line())
        if scores.misses:
            print()
    print(render_table(scores))
    print(f"strict_indicator_f1={scores.overall['strict_indicator_f1']:.3f}")
    return 0
