"""The shapes the model fills, derived from the contract models (one definition).

Every LLM row model is built with `create_model` from the contract model's own field
annotations (`CONTRACT_FIELDS` order), minus `evidence`, with short JSON keys (aliases) so the
model writes less.  Nullable contract fields get a default of None (a row that leaves them out is
still valid); non-nullable ones (an indicator's `name`) stay required.  A lenient `before`
validator turns "10分" into 10.0, 90 into "90", "" into None — the contract types decide.

What is *sent* to the model (`compact_schema`) is the strict shape; what instructor *parses*
is a lenient wrapper (any JSON object), so rows are validated one by one and a bad row is
dropped and counted instead of failing the whole chunk.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
import types
import typing
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from ..models import CONTRACT_FIELDS, Funds, Goal, Indicator, Report

# Contract field -> short JSON key the model writes.
ALIASES: dict[type[BaseModel], dict[str, str]] = {
    Indicator: {"level1": "l1", "level2": "l2", "name": "l3", "target": "tgt", "actual": "act",
                "weight": "w", "score": "s", "note": "note"},
    Goal: {"target": "goal", "actual": "done"},
    Funds: {"budget": "budget", "executed": "exec", "rate": "rate"},
    Report: {"kind": "kind", "name": "name", "unit": "unit", "year": "year", "score": "score"},
}

_NUM = re.compile(r"[-+]?\d+(?:\.\d+)?")


def _base_types(annotation: Any) -> set[Any]:
    if get_origin(annotation) in (typing.Union, types.UnionType):
        out: set[Any] = set()
        for a in get_args(annotation):
            out |= _base_types(a)
        return out
    return {annotation}


def _nullable(annotation: Any) -> bool:
    return type(None) in _base_types(annotation)


class _Lenient(BaseModel):
    """Coerces what small models typically write into the contract types before validation."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _coerce(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for fname, info in cls.model_fields.items():
            for key in (info.alias or fname, fname):
                if key in data:
                    data[key] = _coerce_value(data[key], _base_types(info.annotation))
        return data


def _coerce_value(value: Any, types_: set[Any]) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if (value == "" or value.lower() in ("null", "none")) and type(None) in types_:
            return None
    if (float in types_ or int in types_) and isinstance(value, str):
        m = _NUM.search(value.replace(",", ""))
        if m:
            num = float(m.group())
            return int(num) if int in types_ and float not in types_ and num.is_integer() else num
        return None if type(None) in types_ else value
    if str in types_ and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if str in types_ and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return value


def llm_model(contract: type[BaseModel], fields: tuple[str, ...] | None = None, *,
              require: tuple[str, ...] = ()) -> type[BaseModel]:
    """A row model for `contract` with only `fields` (default: its contract fields minus nested ones)."""
    fields = fields or tuple(
        f for f in CONTRACT_FIELDS[contract]
        if not (isinstance(contract.model_fields[f].annotation, type)
                and issubclass(contract.model_fields[f].annotation, BaseModel))
        and get_origin(contract.model_fields[f].annotation) is not list
    )
    defs: dict[str, Any] = {}
    for name in fields:
        info = contract.model_fields[name]
        annotation = info.annotation
        required = name in require or not _nullable(annotation)
        defs[name] = (annotation, Field(... if required else None, alias=ALIASES[contract][name]))
    suffix = "".join(f.title()[:3] for f in fields) if fields != CONTRACT_FIELDS[contract] else ""
    return create_model(f"LLM{contract.__name__}{suffix}", __base__=_Lenient, **defs)


# The row models used by the reader.
IndicatorRow = llm_model(Indicator, CONTRACT_FIELDS[Indicator])
NoteRow = llm_model(Indicator, ("name", "note"), require=("note",))
GoalRow = llm_model(Goal)
FundsRow = llm_model(Funds)
ReportIdentity = llm_model(Report, ("kind", "name"))
ReportScalars = llm_model(Report, ("unit", "year", "score"))


def _json_type(annotation: Any) -> dict[str, Any]:
    types_ = _base_types(annotation)
    names: list[str] = []
    enum: list[Any] | None = None
    for t in types_:
        if get_origin(t) is Literal:
            enum = list(get_args(t))
            names.append("string")
        elif t is str:
            names.append("string")
        elif t is float:
            names.append("number")
        elif t is int:
            names.append("integer")
        elif t is type(None):
            names.append("null")
    order = ["string", "number", "integer", "null"]
    names = sorted(set(names), key=order.index)
    out: dict[str, Any] = {"type": names[0] if len(names) == 1 else names}
    if enum:
        out["enum"] = enum
    return out


def row_schema(model: type[BaseModel]) -> dict[str, Any]:
    props = {info.alias or name: _json_type(info.annotation) for name, info in model.model_fields.items()}
    required = [info.alias or name for name, info in model.model_fields.items() if info.is_required()]
    return {"type": "object", "properties": props, "required": required}


def _array(model: type[BaseModel]) -> dict[str, Any]:
    return {"type": "array", "items": row_schema(model)}


# want -> the strict response shape (what the model is shown).
def compact_schema(want: str, ask_identity: bool) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if ask_identity:
        props.update(row_schema(ReportIdentity)["properties"])
    if want == "indicators":
        props["rows"] = _array(IndicatorRow)
    elif want == "notes":
        props["rows"] = _array(NoteRow)
    elif want == "goals":
        props["goals"] = _array(GoalRow)
    elif want == "funds":
        props["funds"] = row_schema(FundsRow)
        props["money_unit"] = {"type": ["string", "null"], "enum": ["万元", "元", None]}
    elif want == "report":
        props.update(row_schema(ReportScalars)["properties"])
        props["funds"] = row_schema(FundsRow)
        props["money_unit"] = {"type": ["string", "null"], "enum": ["万元", "元", None]}
        props["goals"] = _array(GoalRow)
        props["rows"] = _array(IndicatorRow)
    else:
        raise ValueError(f"unknown want {want!r}")
    return {"type": "object", "properties": props, "required": list(props)}


def schema_hash(schema: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def response_wrapper(want: str, ask_identity: bool) -> type[BaseModel]:
    """What instructor parses: any JSON object (validated row by row later), shown as the strict schema."""
    name = f"{want.title()}Response"
    schema = {"title": name, **compact_schema(want, ask_identity)}

    class Wrapper(BaseModel):
        model_config = ConfigDict(extra="allow")

        @classmethod
        def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:  # noqa: ARG003
            return copy.deepcopy(schema)  # callers (instructor's tool schema) mutate it

    Wrapper.__name__ = Wrapper.__qualname__ = name
    Wrapper.__doc__ = f"The {want} read from the text."
    return Wrapper
