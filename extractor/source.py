"""The one internal form every loader produces: ordered blocks over the document text.

Every loader (txt, md, pdf, docx, xlsx) turns its input into a `SourceDoc`:
`text` is the document as one string (tables rendered as tab-separated rows for
binary formats), and `blocks` are paragraphs and tables in reading order whose
character offsets point into `text`.  Every extracted value can therefore point
back to a span of `text` (and a page, where the format has pages).

Merged cells: a merged range keeps its text in its top-left cell; the other cells
of the range are present and empty (as flattened text dumps show them), so the
reader carries 一级/二级 values forward the same way for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass
class Cell:
    text: str  # cell text on one line: inner line breaks removed, outer whitespace stripped
    start: int  # span of the raw cell text in SourceDoc.text
    end: int
    page: int | None = None


@dataclass
class Block:
    kind: Literal["paragraph", "table"]
    start: int
    end: int
    page: int | None = None
    text: str = ""  # paragraph: its text (one line); table: the raw slice of SourceDoc.text
    rows: list[list[Cell]] = field(default_factory=list)  # table only

    @property
    def is_table(self) -> bool:
        return self.kind == "table"


@dataclass
class SourceDoc:
    stem: str  # document name used for output (<stem>.json)
    text: str
    blocks: list[Block]
    path: str | None = None
    format: str = "txt"  # txt, md, pdf, docx, xlsx
    meta: dict = field(default_factory=dict)  # loader notes, e.g. {"ocr": True, "encoding": "gb18030"}

    def page_at(self, offset: int) -> int | None:
        """Page of a character offset, from the blocks that carry pages."""
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block.page
        return None


class LoadError(Exception):
    """An input that cannot be read; its message is the one line an auditor sees."""
