"""Excel (.xlsx/.xlsm) loader (openpyxl, data_only=True: formulas read as their cached values).

Each visible worksheet becomes its content, headed by a paragraph with the sheet
name when the sheet opens straight with a table (a sheet that opens with its own
title line needs no tab label; an empty sheet is just its name).  The content: the used cells split into tables at fully empty rows (a row inside a
vertically merged range never splits), rows with at most one filled cell at the
top or bottom of such a stretch (titles, 单位：万元, notes) as paragraphs.  Hidden rows
and columns (helper columns, cancelled rows kept out of sight) are not read.  Merged
ranges keep their text in the top-left cell (openpyxl already leaves the rest
empty).  Values are shown as Excel shows them: number formats with decimals,
thousands separators, percentages (1 with "0%" -> "100%", 0.955 with "0.00%" ->
"95.50%"), literal text such as "万元", dates.  Block.page is the sheet's number.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from ..source import LoadError, SourceDoc
from . import DocBuilder, one_line


def load_xlsx(path: Path) -> SourceDoc:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(str(path), data_only=True)
    except Exception as exc:
        msg = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise LoadError(f"{path.name}: damaged or unsupported Excel file ({msg})") from None
    builder = DocBuilder()
    sheets, hidden = [], []
    empties: dict[str, set] = {}
    try:
        for index, ws in enumerate(wb.worksheets, start=1):
            if not hasattr(ws, "merged_cells"):
                continue  # chartsheet
            if getattr(ws, "sheet_state", "visible") != "visible":
                hidden.append(ws.title)
                continue
            sheets.append(ws.title)
            empties[ws.title] = _sheet(ws, index, builder)
    finally:
        try:
            wb.close()
        except Exception:
            pass
    if not any(b.kind == "table" or b.text not in sheets for b in builder.blocks):
        raise LoadError(f"{path.name}: the workbook has no data (all sheets empty)")
    meta: dict = {"sheets": sheets}
    if hidden:
        meta["hidden_sheets"] = hidden
    uncached = _uncached_formulas(path, empties)
    if uncached:
        meta["formulas_without_values"] = uncached
        meta["warning"] = (
            f"{uncached} formula cell(s) have no saved value (file not last saved by Excel/WPS): "
            "open and save it in Excel/WPS to fill them"
        )
    return builder.build(path.stem, path, "xlsx", meta)


def _uncached_formulas(path: Path, empties: dict[str, set]) -> int:
    """Formula cells whose saved value is missing (data_only reads them as empty)."""
    if not any(empties.values()) or path.stat().st_size > 20 * 1024 * 1024:
        return 0
    import openpyxl

    try:
        wb = openpyxl.load_workbook(str(path), data_only=False, read_only=True)
    except Exception:
        return 0
    n = 0
    try:
        for title, cells in empties.items():
            if not cells:
                continue
            ws = wb[title]
            for row in ws.iter_rows():
                for c in row:
                    v = getattr(c, "value", None)
                    if isinstance(v, str) and v.startswith("=") and (c.row, c.column) in cells:
                        n += 1
    except Exception:
        return n
    finally:
        wb.close()
    return n


def _sheet(ws, page: int, builder: DocBuilder) -> set:
    """Write one sheet; returns the positions of cells that exist but hold no value (for the formula check)."""
    texts: dict[tuple[int, int], str] = {}
    empty: set = set()
    cells = getattr(ws, "_cells", None)
    items = cells.items() if isinstance(cells, dict) else (((c.row, c.column), c) for row in ws.iter_rows() for c in row)
    hidden_rows, hidden_cols = _hidden(ws)
    for (r, c), cell in items:
        if cell.value is None:
            if cell.data_type == "f" or type(cell).__name__ == "Cell":
                empty.add((r, c))
            continue
        text = one_line(display(cell.value, cell.number_format))
        if text:
            texts[(r, c)] = text
    if hidden_rows or hidden_cols:
        texts = _drop_hidden(ws, texts, hidden_rows, hidden_cols)
    if not texts:
        builder.paragraph(ws.title, page)
        return empty
    first = min(r for r, _ in texts)
    if sum(1 for r, _ in texts if r == first) > 1:
        # the tab's name heads a sheet that opens straight with a table; a sheet that opens with its
        # own title or text line does not need it (and a tab label such as 自评表 is no title there)
        builder.paragraph(ws.title, page)
    covered: set[int] = set()  # rows inside a vertical merge (never a table break)
    for rng in ws.merged_cells.ranges:
        if rng.max_row > rng.min_row:
            covered.update(range(rng.min_row + 1, rng.max_row + 1))
    filled_rows = sorted({r for r, _ in texts})
    by_row: dict[int, list[int]] = {}
    for r, c in texts:
        by_row.setdefault(r, []).append(c)
    groups: list[list[int]] = []
    prev = None
    for r in range(filled_rows[0], filled_rows[-1] + 1):
        if r in hidden_rows:
            continue  # not shown: neither content nor the empty row that ends a table
        if r not in by_row:
            if r in covered and groups:
                groups[-1].append(r)
            else:
                prev = None
            continue
        if prev is None:
            groups.append([])
        groups[-1].append(r)
        prev = r
    for rows in groups:
        _group(rows, by_row, texts, page, builder)
    return empty


def _hidden(ws) -> tuple[set[int], set[int]]:
    """Rows and columns the sheet hides (helper columns, stale rows): not part of the form as shown."""
    rows = {r for r, dim in ws.row_dimensions.items() if getattr(dim, "hidden", False)}
    cols: set[int] = set()
    from openpyxl.utils import column_index_from_string

    for key, dim in ws.column_dimensions.items():
        if not getattr(dim, "hidden", False):
            continue
        lo = dim.min or column_index_from_string(key)
        hi = dim.max or lo
        cols.update(range(lo, hi + 1))
    return rows, cols


def _drop_hidden(ws, texts: dict, hidden_rows: set[int], hidden_cols: set[int]) -> dict:
    """Texts of visible cells only; a merged range whose top-left cell is hidden shows its text in
    its first visible cell."""
    out = {k: v for k, v in texts.items() if k[0] not in hidden_rows and k[1] not in hidden_cols}
    for rng in ws.merged_cells.ranges:
        top = (rng.min_row, rng.min_col)
        if top in texts and top not in out:
            for r in range(rng.min_row, rng.max_row + 1):
                if r in hidden_rows:
                    continue
                c = next((c for c in range(rng.min_col, rng.max_col + 1) if c not in hidden_cols), None)
                if c is not None:
                    out[(r, c)] = texts[top]
                    break
    return out


def _group(rows: list[int], by_row: dict, texts: dict, page: int, builder: DocBuilder) -> None:
    def n(r: int) -> int:
        return len(by_row.get(r, ()))

    lo, hi = 0, len(rows)
    while lo < hi and n(rows[lo]) <= 1:
        lo += 1
    while hi > lo and n(rows[hi - 1]) <= 1:
        hi -= 1
    for r in rows[:lo]:
        for c in sorted(by_row.get(r, ())):
            builder.paragraph(texts[(r, c)], page)
    body = rows[lo:hi]
    if body:
        cols = [c for r in body for c in by_row.get(r, ())]
        c0, c1 = min(cols), max(cols)
        grid = [[texts.get((r, c), "") for c in range(c0, c1 + 1)] for r in body]
        builder.table(grid, [page] * len(grid), page)
    for r in rows[hi:]:
        for c in sorted(by_row.get(r, ())):
            builder.paragraph(texts[(r, c)], page)


# --------------------------------------------------------------------------- display values

_BRACKET = re.compile(r"\[[^\]]*\]")
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DATE_TOKEN = re.compile(r"(yyyy|yy|y|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|e|aaaa|aaa)", re.I)


def display(value, fmt: str | None) -> str:
    """A cell value as Excel displays it with number format `fmt` (the common formats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return format_date(value, fmt)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        try:
            return format_number(value, fmt)
        except Exception:
            return general(value)
    text = str(value)
    if "_x" in text:  # OOXML escapes a control character as _xHHHH_ (line breaks of .xls-era files: _x000D_)
        text = _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def general(v) -> str:
    if isinstance(v, int):
        return str(v)
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    s = f"{v:.10g}"
    if "e" in s:
        s = f"{v:.15g}"
        if "e" in s:
            return s.upper()
    return s


def _split_sections(fmt: str) -> list[str]:
    out, cur, quoted, esc = [], "", False, False
    for ch in fmt:
        if esc:
            cur += ch
            esc = False
        elif ch == "\\":
            cur += ch
            esc = True
        elif ch == '"':
            quoted = not quoted
            cur += ch
        elif ch == ";" and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def _tokens(sec: str) -> list[tuple[str, str]]:
    """('lit', text) for quoted/escaped/plain literal text, ('code', text) for format code characters."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(sec):
        ch = sec[i]
        if ch == '"':
            j = sec.find('"', i + 1)
            j = len(sec) if j < 0 else j
            out.append(("lit", sec[i + 1 : j]))
            i = j + 1
        elif ch == "\\" and i + 1 < len(sec):
            out.append(("lit", sec[i + 1]))
            i += 2
        elif ch == "_" and i + 1 < len(sec):
            out.append(("lit", " "))
            i += 2
        elif ch == "*" and i + 1 < len(sec):
            i += 2
        elif ch == "[":
            j = sec.find("]", i)
            i = len(sec) if j < 0 else j + 1
        else:
            out.append(("code", ch))
            i += 1
    return out


def format_number(v: float | int, fmt: str | None) -> str:
    if not fmt or fmt in ("General", "@"):
        return general(v)
    sections = _split_sections(fmt)
    if v < 0 and len(sections) > 1 and sections[1].strip():
        sec, v, sign = sections[1], -v, ""
    elif v == 0 and len(sections) > 2:
        sec, sign = sections[2], ""
    else:
        sec, sign = sections[0], "-" if v < 0 else ""
        v = abs(v)
    plain = _BRACKET.sub("", sec)
    if plain.strip().lower() in ("general", ""):
        return sign + general(v)
    toks = _tokens(sec)
    code = "".join(t for k, t in toks if k == "code")
    if re.search(r"[yYdD]|[hH]|[sS]", code) and not re.search(r"[0#?]", code):
        return format_date(_from_serial(v), sec)
    if not re.search(r"[0#?]", code):
        return sign + "".join(t for _, t in toks) if toks else sign + general(v)
    # layout: prefix literals, the numeric pattern, suffix literals
    first = next(i for i, (k, t) in enumerate(toks) if k == "code" and t in "0#?")
    last = max(i for i, (k, t) in enumerate(toks) if k == "code" and t in "0#?")
    pattern = "".join(t for k, t in toks[first : last + 1] if k == "code")
    tail = toks[last + 1 :]
    while tail and tail[0] == ("code", ","):  # trailing commas scale by 1000
        v = v / 1000
        tail = tail[1:]
    if "%" in code:
        v = v * 100 * code.count("%")
    if "E" in pattern.upper() or "/" in pattern:
        return sign + general(v)
    int_pat, _, dec_pat = pattern.partition(".")
    decimals = sum(ch in "0#?" for ch in dec_pat)
    min_decimals = sum(ch == "0" for ch in dec_pat)
    min_int = sum(ch == "0" for ch in int_pat)
    try:
        d = Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return sign + general(v)
    s = f"{d:f}"
    ip, _, dp = s.partition(".")
    dp = dp.rstrip("0") if decimals > min_decimals else dp
    if len(dp) < min_decimals:
        dp = dp + "0" * (min_decimals - len(dp))
    if ip == "0" and min_int == 0:
        ip = ""
    ip = ip.zfill(min_int) if min_int else ip
    if "," in int_pat and ip:
        ip = f"{int(ip):,}"
    number = ip + ("." + dp if dp else ("" if decimals == 0 or "." not in pattern else ""))
    if not number:
        number = "0" if not decimals else number
    prefix = "".join(t for k, t in toks[:first] if k == "lit" or t not in "%,")
    suffix = "".join(t for k, t in tail)
    if number in ("0", "") or set(number) <= {"0", ".", ","}:
        sign = ""
    return (sign + prefix + number + suffix).strip()


def _from_serial(v: float) -> dt.datetime:
    base = dt.datetime(1899, 12, 30)
    return base + dt.timedelta(days=float(v))


def format_date(value, fmt: str | None) -> str:
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1900, 1, 1), value)
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    sec = _split_sections(fmt or "")[0] if fmt else ""
    code = _BRACKET.sub("", sec)
    if not fmt or fmt in ("General", "@") or not re.search(r"[yYmMdDhHsS]", code):
        if value.time() == dt.time():
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    out = []
    toks = _tokens(sec)
    # merge consecutive code chars into date tokens
    flat: list[tuple[str, str]] = []
    for k, t in toks:
        if k == "code" and flat and flat[-1][0] == "code":
            flat[-1] = ("code", flat[-1][1] + t)
        else:
            flat.append((k, t))
    parts: list[tuple[str, str]] = []
    for k, t in flat:
        if k == "lit":
            parts.append(("lit", t))
            continue
        pos = 0
        for m in _DATE_TOKEN.finditer(t):
            if m.start() > pos:
                parts.append(("lit", t[pos : m.start()]))
            parts.append(("tok", m.group(0)))
            pos = m.end()
        if pos < len(t):
            parts.append(("lit", t[pos:]))
    has_ampm = any(k == "tok" and t.lower() in ("am/pm", "a/p") for k, t in parts)
    for idx, (k, t) in enumerate(parts):
        if k == "lit":
            out.append(t)
            continue
        low = t.lower()
        if low.startswith("m") and len(low) <= 2:
            prev_tok = next((p for kk, p in reversed(parts[:idx]) if kk == "tok"), "")
            next_tok = next((p for kk, p in parts[idx + 1 :] if kk == "tok"), "")
            if prev_tok.lower().startswith("h") or next_tok.lower().startswith("s"):
                out.append(f"{value.minute:02d}" if len(low) == 2 else str(value.minute))
                continue
        out.append(_date_part(value, low, has_ampm))
    return "".join(out).strip()


def _date_part(v: dt.datetime, t: str, ampm: bool) -> str:
    if t in ("yyyy", "y", "e"):
        return str(v.year)
    if t == "yy":
        return f"{v.year % 100:02d}"
    if t == "mmmm":
        return v.strftime("%B")
    if t == "mmm":
        return v.strftime("%b")
    if t == "mm":
        return f"{v.month:02d}"
    if t == "m":
        return str(v.month)
    if t == "dddd":
        return v.strftime("%A")
    if t == "ddd":
        return v.strftime("%a")
    if t == "dd":
        return f"{v.day:02d}"
    if t == "d":
        return str(v.day)
    if t in ("aaaa", "aaa"):
        return "星期" + "一二三四五六日"[v.weekday()] if t == "aaaa" else "一二三四五六日"[v.weekday()]
    hour = (v.hour % 12 or 12) if ampm else v.hour
    if t == "hh":
        return f"{hour:02d}"
    if t == "h":
        return str(hour)
    if t == "ss":
        return f"{v.second:02d}"
    if t == "s":
        return str(v.second)
    if t in ("am/pm", "a/p"):
        return ("AM" if v.hour < 12 else "PM") if t == "am/pm" else ("A" if v.hour < 12 else "P")
    return t
