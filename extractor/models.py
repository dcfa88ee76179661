"""The typed models that ARE the eval contract (shared/spec/golden-format.md).

One definition serves three uses: the JSON the extractor writes, loading golden
files, and (through `CONTRACT_FIELDS`) the schema the LLM fills.  Contract keys
are required-but-nullable, so a file with a missing key fails loudly; extra keys
(evidence, checks, stats) are allowed anywhere and ignored by scoring.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field, ValidationError

Kind = Literal["department", "project", "transfer"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Span(BaseModel):
    """Where a value was found: character offsets into the document's text."""

    model_config = ConfigDict(extra="allow")
    start: int
    end: int
    page: int | None = None


class Evidence(BaseModel):
    """How a record was obtained and where each of its fields came from."""

    model_config = ConfigDict(extra="allow")
    origin: str = "rules"  # "rules", or "llm:<model>:<prompt id@version>"
    spans: dict[str, Span] = Field(default_factory=dict)  # field name -> span


class Funds(_Model):
    budget: float | None
    executed: float | None
    rate: float | None


class Goal(_Model):
    target: str | None
    actual: str | None
    evidence: Evidence | None = None


class Indicator(_Model):
    level1: str | None
    level2: str | None
    name: str
    target: str | None
    actual: str | None
    weight: float | None
    score: float | None
    note: str | None
    evidence: Evidence | None = None


class Check(BaseModel):
    """A cross-check computed beside the extracted values (never changes them)."""

    model_config = ConfigDict(extra="allow")
    name: str
    status: Literal["pass", "fail", "unknown"]
    message: str = ""
    indicator: int | None = None  # index into Report.indicators, when the check is per indicator


class Report(_Model):
    kind: Kind
    name: str
    unit: str | None
    year: int | None
    funds: Funds
    score: float | None
    goals: list[Goal]
    indicators: list[Indicator]
    evidence: Evidence | None = None
    checks: list[Check] = Field(default_factory=list)


class Document(_Model):
    document: str
    reports: list[Report]


# Contract keys per model, in contract order: what golden files hold and the LLM fills.
CONTRACT_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {
    Funds: ("budget", "executed", "rate"),
    Goal: ("target", "actual"),
    Indicator: ("level1", "level2", "name", "target", "actual", "weight", "score", "note"),
    Report: ("kind", "name", "unit", "year", "funds", "score", "goals", "indicators"),
    Document: ("document", "reports"),
}


class ContractError(ValueError):
    """A golden or prediction file that does not follow the contract."""


def _describe(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return f"field {where}: {first['msg']}"


def parse_document(data: Any, source: str = "<data>") -> Document:
    try:
        return Document.model_validate(data)
    except ValidationError as err:
        raise ContractError(f"{source}: {_describe(err)}") from None


def load_document(path: str | Path) -> Document:
    """Load a golden or prediction file; errors name the file and the field."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ContractError(f"{path}: not valid JSON ({err.msg} at line {err.lineno})") from None
    except UnicodeDecodeError:
        raise ContractError(f"{path}: not UTF-8 text") from None
    except OSError as err:
        raise ContractError(f"{path}: cannot read ({err.strerror or err})") from None
    return parse_document(data, str(path))


def document_json(doc: Document) -> str:
    """The document as written to <stem>.json: contract keys plus evidence and checks."""
    data = doc.model_dump(mode="json", exclude_none=False)
    # What json.dumps(data, ensure_ascii=False, indent=2) gives (NaN included), in compiled code:
    # the pure-Python encoder json uses whenever indent is set was most of the time spent here.
    return pydantic_core.to_json(data, indent=2).decode("utf-8") + "\n"
