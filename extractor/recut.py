"""Re-cut the rows of a table flattened with no separators (one cell per line, no tabs),
anchored on the numeric columns of its header.

In such a dump an empty (merged) cell is simply absent, and a cell whose text wrapped
becomes two lines, so the row cutting the layout step guessed may be off.  The cell
ORDER is still right, and the header says which columns hold numbers (分值 / 得分 /
权重).  When the header's last column is numeric, every row ends at a number:

    [一级] [二级] 三级 | 分值 | 指标解释 … 评分标准 | 得分

- the text cells before the first number fill the header's text columns from the RIGHT
  (the name is always there; absent merged 一级/二级 cells are on the left);
- between two numeric columns, a number followed directly by another number is the
  wrapped end of a text cell ("…每超1%扣" / "0.5分"), the last of the run is the value;
- a repeated header (after a page break) is skipped.

Rows that do not fit are returned apart (`unread`) so the caller can hand them on.
The re-cut is used only for tables whose cells are separated by line breaks alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .source import Cell
from .tables import clean, indicator_role, key, plain_number

NUMERIC = ("weight", "score")
LEVELS = ("level1", "level2")
_LEVEL1 = re.compile(r"^(产出|效益|效果|满意度|项目完成|投入|过程|决策|成本|产出效益)(指[标表])?$")
_PAGE_DEBRIS = re.compile(r"^[-—－–]+\d{1,4}[-—－–]+$|^第\d{1,4}页(共\d+页)?$")


@dataclass
class Recut:
    rows: list[list[Cell]]
    unread: list[list[Cell]] = field(default_factory=list)
    parsed: int = 0


def separated_by_lines_only(text: str, cells: list[Cell]) -> bool:
    """Every cell on its own line(s), nothing but line breaks (and page debris) between cells."""
    if len(cells) < 6:
        return False
    for a, b in zip(cells, cells[1:]):
        gap = text[a.end: b.start]
        if "\n" not in gap or "\t" in gap or "|" in gap:
            return False
        if "\t" in text[a.start: a.end]:
            return False
    return True


def _joined(cells: list[Cell]) -> Cell:
    return Cell("".join(clean(c.text) for c in cells), cells[0].start, cells[-1].end, cells[0].page)


def _empty(at: Cell) -> Cell:
    return Cell("", at.start, at.start, at.page)


_POINTS = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_LEVEL_ANY = re.compile(r"^(产出|效益|效果|满意度|项目完成|投入|过程|决策|成本|数量|质量|时效|经济效益|社会效益|生态效益"
                        r"|可持续影响|服务对象满意度)(指[标表])?$")


def _looks_level(cell: Cell) -> bool:
    k = key(cell.text)
    return bool(_POINTS.search(k) or _LEVEL_ANY.match(re.sub(r"[（(][^）)]*[）)]", "", k)))


def _is_num(cell: Cell) -> bool:
    return plain_number(cell.text) is not None


def _line_cells(text: str, start: int, end: int) -> list[Cell]:
    """One cell per non-blank line of text[start:end] (the raw dump, before any joining)."""
    out, pos = [], start
    for line in text[start:end].split("\n"):
        s = line.strip()
        if s:
            lead = len(line) - len(line.lstrip())
            out.append(Cell(s, pos + lead, pos + lead + len(s)))
        pos += len(line) + 1
    return out


def recut(text: str, rows: list[list[Cell]]) -> Recut | None:
    """Rows re-cut from the cell order, or None when the table is not a flat one with a
    numeric last column (then the layout's rows stand).

    Two tokenisations are tried, the layout's cells and the raw lines of the table's
    span (the layout may have joined two lines or taken a number for page debris);
    the one whose rows parse with fewer leftovers wins, the layout's on a tie."""
    cells = sorted((c for r in rows for c in r if clean(c.text)), key=lambda c: c.start)
    if not separated_by_lines_only(text, cells):
        return None
    page = cells[0].page
    lines = [Cell(c.text, c.start, c.end, page) for c in _line_cells(text, cells[0].start, cells[-1].end)]
    best = None
    for toks in (cells, lines):
        got = _recut(toks, rows)
        if got is None:
            continue
        score = (sum(len(u) for u in got.unread), -got.parsed)
        if best is None or score < best[0]:
            best = (score, got)
    return best[1] if best else None


def _recut(cells: list[Cell], rows: list[list[Cell]]) -> Recut | None:
    # the header: the first run of cells that all name a column, ending at a numeric column
    start = None
    for i, c in enumerate(cells):
        if indicator_role(c.text) is not None:
            start = i
            break
    if start is None:
        return None
    end = start
    while end < len(cells) and indicator_role(cells[end].text) is not None:
        end += 1
    header = cells[start:end]
    roles = [indicator_role(c.text) for c in header]
    if "name" not in roles or roles[-1] not in NUMERIC or len(roles) < 3:
        return None
    nums = [j for j, r in enumerate(roles) if r in NUMERIC]
    lead = roles[: nums[0]]
    if any(r not in LEVELS + ("name",) for r in lead):
        return None  # target/actual values before the numbers may be numbers themselves: not anchored here
    levels = [j for j, r in enumerate(lead) if r in LEVELS]
    required = [j for j, r in enumerate(lead) if r not in LEVELS]
    if required != list(range(len(levels), len(lead))):
        return None  # level columns must be the leftmost ones
    gaps = [list(range(a + 1, b)) for a, b in zip(nums, nums[1:])]
    width = len(roles)
    hkeys = [key(c.text) for c in header]

    out: list[list[Cell]] = []
    before = [r for r in rows if r and all(c.start < header[0].start for c in r if clean(c.text))
              and any(clean(c.text) for c in r)]
    out.extend(before)
    out.append(list(header))
    unread: list[list[Cell]] = []
    toks = [c for c in cells[end:] if not _PAGE_DEBRIS.match(key(c.text))]
    p = 0
    n = len(toks)
    parsed = 0
    while p < n:
        # a header repeated after a page break
        if [key(c.text) for c in toks[p: p + width]] == hkeys:
            p += width
            continue
        q = p
        prefix: list[Cell] = []
        while q < n and not _is_num(toks[q]):
            prefix.append(toks[q])
            q += 1
        if q >= n:  # trailing text after the last row (notes, signatures): left as it stands
            out.append(prefix)
            break
        row: list[Cell | None] = [None] * width
        row[nums[0]] = toks[q]
        q += 1
        ok = True
        for gap, col in zip(gaps, nums[1:]):
            middle: list[Cell] = []
            if not gap:
                if q < n and _is_num(toks[q]):
                    row[col] = toks[q]
                    q += 1
                else:
                    ok = False
                continue
            while q < n:
                t = toks[q]
                if _is_num(t) and not (q + 1 < n and _is_num(toks[q + 1]) and middle):
                    break
                middle.append(t)
                q += 1
            if q >= n:
                ok = False
                break
            row[col] = toks[q]
            q += 1
            if len(middle) > len(gap):  # wrapped text: the extra pieces join the gap's last cell
                middle = middle[: len(gap) - 1] + [_joined(middle[len(gap) - 1:])]
            if len(middle) != len(gap) and any(roles[j] not in ("ignore", None) for j in gap):
                ok = False  # a value column (target, note) we cannot place
            for j, c in zip(gap, middle):
                row[j] = c
        c = len(prefix)
        if ok and levels and c == len(required) + len(levels) + 1 and all(_looks_level(t) for t in prefix[: len(levels)]) \
                and not _looks_level(prefix[-2]):
            prefix = prefix[:-2] + [_joined(prefix[-2:])]  # a name wrapped onto two lines
            c = len(prefix)
        if not ok or not (len(required) <= c <= len(required) + len(levels)) or not prefix:
            unread.append(toks[p:q])
            p = q
            continue
        for j, t in zip(required, prefix[c - len(required):]):
            row[j] = t
        extra = prefix[: c - len(required)]
        if extra:
            if len(extra) == len(levels):
                cols = levels
            elif len(extra) == 1 and len(levels) == 2:
                word = re.sub(r"[（(][^）)]*[）)]", "", key(extra[0].text))
                cols = [levels[0]] if _LEVEL1.match(word) else [levels[1]]
            else:
                cols = levels[-len(extra):]
            for j, t in zip(cols, extra):
                row[j] = t
        anchor = toks[p]
        out.append([x if x is not None else _empty(anchor) for x in row])
        parsed += 1
        p = q
    if parsed < 2 or parsed < 4 * len(unread):
        return None
    return Recut(out, unread, parsed)
