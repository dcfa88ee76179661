"""The one front door: a path in, a contract `Document` out.

Data flows one way: load -> segment -> read (rules and/or model) -> normalise ->
merge -> check.  Each step is one module; this file only wires them.

    loaders.load(path)                   -> SourceDoc          (extractor/loaders/)
    segment.segment(doc)                 -> list[Segment]      (extractor/segment.py)
    read_rules.read(doc, segments)       -> Reading            (extractor/read_rules.py)
    llm.reader.read(doc, spans, config)  -> Reading            (extractor/llm/)
    normalise.normalise_report(report)   -> Report             (extractor/normalise.py)
    merge.merge_reports(reports)         -> list[Report]       (extractor/merge.py)
    checks.check_report(report)          -> list[Check]        (extractor/checks.py)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .models import Document, Report

Backend = Literal["rules", "llm", "hybrid", "auto"]


@dataclass
class Pending:
    """A stretch of the document text the rules could not read with confidence.

    `want` says what is missing there ("indicators", "goals", "notes", "funds",
    "report" for a whole unread segment); `kind`/`name` tie it to the report the
    segmenter believes it belongs to, so the model never has to guess that.
    """

    start: int
    end: int
    want: str
    kind: str | None = None
    name: str | None = None


@dataclass
class Reading:
    reports: list[Report] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    stats: dict = field(default_factory=dict)  # e.g. llm_calls, prompt_tokens, ungrounded_dropped


@dataclass
class ExtractOptions:
    backend: Backend = "auto"
    base_url: str | None = None  # OpenAI-compatible endpoint; None = embedded local model
    model: str | None = None
    use_cache: bool = True
    concurrency: int = 1
    max_mb: float = 50.0


@dataclass
class Extraction:
    document: Document
    backend: str  # the backend actually used ("auto" resolved)
    stats: dict = field(default_factory=dict)  # llm_calls, cache_hits, prompt_tokens, ... for run.json
    source_text: str | None = None  # the text evidence spans point into (for the review page)


def extract_document(path: Path, options: ExtractOptions | None = None, *, stem: str | None = None) -> Extraction:
    """Read one file into a contract Document.  Raises `source.LoadError` for unreadable input."""
    from .loaders import load
    from .segment import segment
    from .read_rules import read as read_rules
    from .normalise import normalise_report
    from .merge import merge_reports
    from .checks import check_report

    options = options or ExtractOptions()
    doc = load(Path(path), max_mb=options.max_mb)
    if stem:
        doc.stem = stem
    segments = segment(doc)
    backend = resolve_backend(options)
    stats: dict = {}
    reports: list[Report] = []
    if backend in ("rules", "hybrid"):
        reading = read_rules(doc, segments)
        reports += reading.reports
        pending = reading.pending
    else:  # llm: the model reads every segment
        pending = [Pending(s.start, s.end, "report", s.kind, s.name) for s in segments]
    if not reports and not pending and doc.text.strip():
        # Nothing the reader recognised: rather than return an empty document, let the model read it all.
        pending = [Pending(0, len(doc.text), "report")]
    if backend in ("llm", "hybrid") and pending:
        from .llm.reader import LLMConfig, read as read_llm

        config = LLMConfig.from_options(options)
        model_reading = read_llm(doc, pending, config)
        reports += model_reading.reports
        stats.update(model_reading.stats)
    reports = merge_reports([normalise_report(r, in_place=True) for r in reports], in_place=True)
    for report in reports:
        report.checks = check_report(report)
    return Extraction(Document(document=doc.stem, reports=reports), backend, stats, source_text=doc.text)


_announced: set[str] = set()


def resolve_backend(options: ExtractOptions) -> str:
    """`auto` is hybrid when an endpoint or the local model is available, rules otherwise (said once)."""
    if options.backend != "auto":
        return options.backend
    from .llm.availability import model_available

    ok, why = model_available(options.base_url)
    chosen = "hybrid" if ok else "rules"
    if chosen not in _announced:
        _announced.add(chosen)
        import sys

        print(f"extractor: backend auto -> {chosen} ({why})", file=sys.stderr)
    return chosen
