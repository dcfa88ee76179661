"""Grounding: every value the model returns must be found in the stretch it read.

Text is compared after normalisation (NFKC, all whitespace removed), character by character;
when the exact normalised value is absent, a substring within a tiny edit distance is accepted
(0 edits under 4 characters, 1 under 20, 2 under 60, 3 beyond) and the SOURCE wording is kept.
Numbers are grounded when the same number (or, for amounts, the same number in 元 / 10,000)
is written in the stretch.  Found values get a `Span` into `SourceDoc.text`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..models import Span
from ..source import SourceDoc

_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])|(?<![\d.])\d+(?:\.\d+)?")


def norm_chars(text: str) -> str:
    """NFKC with every whitespace character removed (the grounding comparison form)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


def allowed_edits(length: int) -> int:
    if length < 4:
        return 0
    if length < 20:
        return 1
    if length < 60:
        return 2
    return 3


@dataclass
class Found:
    span: Span
    text: str  # the value as written in the source (whitespace/line breaks of the source removed)
    exact: bool


class Grounder:
    """Finds values inside doc.text[start:end]."""

    def __init__(self, doc: SourceDoc, start: int, end: int):
        self.doc = doc
        self.start = start
        self.end = end
        chars: list[str] = []
        index: list[int] = []  # index[i] = offset in doc.text of normalised char i
        for offset in range(start, end):
            for ch in unicodedata.normalize("NFKC", doc.text[offset]):
                if not ch.isspace():
                    chars.append(ch)
                    index.append(offset)
        self.norm = "".join(chars)
        self.index = index
        self._numbers: list[tuple[int, int, float]] | None = None
        # spans of the parsed table rows in the stretch: a row's values must come from that row
        self.rows: list[tuple[int, int]] = sorted(
            (min(c.start for c in row), max(c.end for c in row))
            for block in doc.blocks if block.is_table and block.start < end and block.end > start
            for row in block.rows if row
        )

    def next_cell(self, offset: int) -> tuple[str, Span] | None:
        """The non-empty cell after the one holding `offset`, in the same parsed table row."""
        for block in self.doc.blocks:
            if not (block.is_table and block.start <= offset < block.end):
                continue
            for row in block.rows:
                for i, cell in enumerate(row):
                    if cell.start <= offset < max(cell.end, cell.start + 1):
                        after = next((c for c in row[i + 1:] if c.text.strip()), None)
                        if after is None or after.end > self.end:
                            return None
                        return after.text, Span(start=after.start, end=after.end, page=self.doc.page_at(after.start))
        return None

    def row_span(self, offset: int) -> tuple[int, int] | None:
        """The parsed table row holding `offset`, if any."""
        i = bisect.bisect_right(self.rows, (offset, float("inf"))) - 1
        if i >= 0 and self.rows[i][0] <= offset < self.rows[i][1]:
            return self.rows[i]
        return None

    # --- text ----------------------------------------------------------------------------
    def _span(self, i: int, j: int) -> Span:
        """Span for normalised chars [i, j)."""
        s, e = self.index[i], self.index[j - 1] + 1
        return Span(start=s, end=e, page=self.doc.page_at(s))

    def _norm_pos(self, offset: int | None) -> int:
        if offset is None:
            return 0
        return bisect.bisect_left(self.index, offset)

    def find_text(self, value: str | None, hint: int | None = None, before: int | None = None,
                  within: tuple[int, int] | None = None) -> Found | None:
        """Locate `value`; prefer the first occurrence at/after doc offset `hint`, or with `before`
        the last occurrence starting before that offset (headings above a row); `within` limits
        the search to doc offsets [a, b) (one table row)."""
        if value is None:
            return None
        needle = norm_chars(value)
        if not needle:
            return None
        if within is not None:
            lo, hi = self._norm_pos(within[0]), self._norm_pos(within[1])
            i = self.norm.find(needle, lo, hi)
            if i >= 0:
                return Found(self._span(i, i + len(needle)), value.strip(), True)
            k = allowed_edits(len(needle))
            if k == 0 or hi <= lo:
                return None
            sub = Grounder.__new__(Grounder)
            sub.doc, sub.start, sub.end = self.doc, within[0], within[1]
            sub.norm, sub.index = self.norm[lo:hi], self.index[lo:hi]
            best = sub._fuzzy(needle, k, 0)
            if best is None:
                return None
            span = self._span(best[0] + lo, best[1] + lo)
            return Found(span, "".join(self.doc.text[span.start:span.end].split()), False)
        h = self._norm_pos(hint)
        i = -1
        if before is not None:
            i = self.norm.rfind(needle, 0, self._norm_pos(before) + len(needle) - 1)
        if i < 0:
            i = self.norm.find(needle, h)
        if i < 0:
            i = self.norm.find(needle)
        if i >= 0:
            span = self._span(i, i + len(needle))
            return Found(span, value.strip(), True)
        k = allowed_edits(len(needle))
        if k == 0 or not self.norm:
            return None
        best = self._fuzzy(needle, k, h) or self._fuzzy(needle, k, 0)
        if best is None:
            return None
        i, j = best
        span = self._span(i, j)
        source = "".join(self.doc.text[span.start:span.end].split())
        return Found(span, source, False)

    def _fuzzy(self, needle: str, k: int, from_pos: int) -> tuple[int, int] | None:
        hay = self.norm[from_pos:]
        if len(hay) < len(needle) - k:
            return None
        al = fuzz.partial_ratio_alignment(needle, hay)
        if al is None:
            return None
        best: tuple[tuple[int, int], int, int] | None = None
        for a in range(-k, k + 1):
            for b in range(-k, k + 1):
                i, j = al.dest_start + a, al.dest_end + b
                if i < 0 or j > len(hay) or j - i < max(1, len(needle) - k):
                    continue
                d = Levenshtein.distance(needle, hay[i:j], score_cutoff=k)
                key = (d, abs((j - i) - len(needle)))
                if d <= k and (best is None or key < best[0]):
                    best = (key, i, j)
        if best is None:
            return None
        return best[1] + from_pos, best[2] + from_pos

    # --- numbers -------------------------------------------------------------------------
    def numbers(self) -> list[tuple[int, int, float]]:
        if self._numbers is None:
            seg = unicodedata.normalize("NFKC", self.doc.text[self.start:self.end])
            if len(seg) != self.end - self.start:  # NFKC changed length: fall back to raw text
                seg = self.doc.text[self.start:self.end]
            self._numbers = [
                (self.start + m.start(), self.start + m.end(), float(m.group().replace(",", "")))
                for m in _NUMBER.finditer(seg)
            ]
        return self._numbers

    def _is_cell(self, s: int, e: int) -> bool:
        """The number stands alone: a whole cell or word (10, 10分), not part of ≥40公里 or 2021年."""
        text = self.doc.text
        before = text[s - 1] if s > self.start else "\n"
        after = text[e:e + 1] if e < self.end else "\n"
        return (before.isspace() or before in "|:：") and (after == "" or after.isspace() or after in "分|")

    def find_number(self, value: float | int | None, hint: int | None = None,
                    scales: tuple[float, ...] = (1.0,), cell: bool = False,
                    within: tuple[int, int] | None = None) -> Span | None:
        """Locate a number written in the stretch; `scales` allow e.g. 元 amounts (1/10000);
        `cell` demands a number standing alone (weights and scores); `within` as in find_text."""
        if value is None:
            return None
        hits = [(s, e) for s, e, n in self.numbers()
                if any(abs(n * scale - float(value)) <= 1e-6 * max(1.0, abs(float(value))) for scale in scales)
                and (not cell or self._is_cell(s, e))
                and (within is None or within[0] <= s and e <= within[1])]
        if not hits:
            return None
        after = [h for h in hits if hint is None or h[0] >= hint]
        s, e = (after or hits)[0]
        return Span(start=s, end=e, page=self.doc.page_at(s))
