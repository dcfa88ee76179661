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
