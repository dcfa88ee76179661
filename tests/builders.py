"""Build small SourceDocs for reader tests: paragraphs and tab-separated tables with exact offsets."""

from __future__ import annotations

from extractor.source import Block, Cell, SourceDoc


def make_doc(parts: list) -> SourceDoc:
    """parts: str -> paragraph line; list[list[str]] -> table, one tab-separated line per row."""
    text = ""
    blocks: list[Block] = []
    for part in parts:
        if isinstance(part, str):
            start = len(text)
            text += part + "\n"
            blocks.append(Block("paragraph", start, start + len(part), text=part))
        else:
            tstart = len(text)
            rows = []
            for row in part:
                cells = []
                for n, cell in enumerate(row):
                    if n:
                        text += "\t"
                    start = len(text)
                    text += cell
                    cells.append(Cell(cell.replace("\n", ""), start, len(text)))
                text += "\n"
                rows.append(cells)
            blocks.append(Block("table", tstart, len(text) - 1, text=text[tstart:len(text) - 1], rows=rows))
        text += "\n"
    return SourceDoc(stem="t", text=text, blocks=blocks)
