"""Put a report's values into the contract's units and forms.

- text fields on one line: markup (<p>, <br/>) and inner line breaks removed, outer
  whitespace trimmed, nothing else changed (typos, spaces inside, truncations stay);
  an empty text becomes null;
- amounts in 万元, rates in percent (a fraction such as 0.8 given for a stated 80% is
  recognised only when budget and executed confirm it), years as int;
- level1/level2 kept as written (scoring canonicalises them).
"""

from __future__ import annotations

import re

from .models import Report
from .values import parse_amount, parse_rate

_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?\s*>")
_BREAKS = re.compile(r"[ \t\u3000]*[\r\n\u2028\u2029]+[ \t\u3000]*")


def one_line(text: str | None) -> str | None:
    """Markup and line breaks out, outer whitespace trimmed; "" -> None."""
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    text = _TAG.sub("", text)
    text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = _BREAKS.sub("", text)
    text = text.strip()
    return text or None


def to_amount(value) -> float | None:
    """A number or a text such as "720.87万元" / "1,286,400元" in 万元."""
    if value is None:
        return None
    return parse_amount(value)


def to_rate(value) -> float | None:
    if value is None:
        return None
    return parse_rate(value)


def to_year(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    m = re.search(r"(19|20)\d{2}", str(value))
    return int(m.group(0)) if m else None


def normalise_report(r: Report, *, in_place: bool = False) -> Report:
    """Normalised copy of `r` (or `r` itself with in_place=True: the pipeline owns fresh reports,
    and deep-copying pydantic models was a third of the rules backend's time)."""
    if not in_place:
        r = r.model_copy(deep=True)
    r.name = one_line(r.name) or ""
    r.unit = one_line(r.unit)
    r.year = to_year(r.year)
    f = r.funds
    f.budget = to_amount(f.budget)
    f.executed = to_amount(f.executed)
    f.rate = to_rate(f.rate)
    if f.rate is not None and 0 < f.rate <= 1.5 and f.budget and f.executed:
        ratio = f.executed / f.budget
        if abs(ratio - f.rate) < 0.006 and abs(ratio * 100 - f.rate) > 1:
            f.rate = round(f.rate * 100, 6)
    for g in r.goals:
        g.target = one_line(g.target)
        g.actual = one_line(g.actual)
    r.goals = [g for g in r.goals if g.target or g.actual]
    for ind in r.indicators:
        ind.level1 = one_line(ind.level1)
        ind.level2 = one_line(ind.level2)
        ind.name = one_line(ind.name) or ""
        ind.target = one_line(ind.target)
        ind.actual = one_line(ind.actual)
        ind.note = one_line(ind.note)
    r.indicators = [i for i in r.indicators if i.name]
    return r
