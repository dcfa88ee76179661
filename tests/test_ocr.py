"""OCR: a scanned (image-only) rendering of a sample still yields its indicator names.

Needs Tesseract with the chi_sim model (Debian: tesseract-ocr tesseract-ocr-chi-sim).  Two pages
of one sample are scanned at 200 dpi and OCR'd (~8-15 s a page on a shared core).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from extractor.loaders import load
from extractor.loaders.pdf import find_tessdata
from extractor.loaders.text import load_text
try:
    from tests.render import render_pdf, render_scanned_pdf
except ImportError:  # tests/ itself on sys.path
    from render import render_pdf, render_scanned_pdf

ROOT = Path(__file__).resolve().parents[1]
PAGES = 2

pytestmark = [
    pytest.mark.ocr,
    pytest.mark.skipif(find_tessdata() is None, reason="Tesseract with chi_sim not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"),
]


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _sample_with_most_indicators_on_first_pages(tmp_path: Path):
    """The sample whose first PAGES rendered pages show the most golden indicator names (vector text)."""
    import pymupdf

    best = None
    for txt in sorted((ROOT / "golden" / "docs").glob("*.txt")):
        gold = ROOT / "golden" / f"{txt.stem}.json"
        if not gold.exists():
            continue
        names = [i["name"] for r in json.loads(gold.read_text("utf-8"))["reports"] for i in r["indicators"]]
        source = load_text(txt)
        vector = render_pdf(source, tmp_path / f"{txt.stem}.pdf", font_pt=10.5, landscape=True)
        with pymupdf.open(vector) as doc:
            shown = _norm("".join(doc[i].get_text() for i in range(min(PAGES, doc.page_count))))
        expected = sorted({n for n in names if _norm(n) and _norm(n) in shown})
        if best is None or len(expected) > len(best[2]):
            best = (txt, source, expected)
    return best


def test_scanned_pdf_is_ocrd_and_keeps_indicator_names(tmp_path):
    from rapidfuzz import fuzz

    txt, source, expected = _sample_with_most_indicators_on_first_pages(tmp_path)
    assert len(expected) >= 5, "no sample shows enough indicator names on its first pages"
    scan = render_scanned_pdf(source, tmp_path / "scan.pdf", dpi=200, max_pages=PAGES)
    import pymupdf

    with pymupdf.open(scan) as d:
        assert not _norm("".join(p.get_text() for p in d)), "the scan must have no text layer"
    started = time.perf_counter()
    doc = load(scan)
    seconds = time.perf_counter() - started
    print(f"\nOCR of {PAGES} pages of {txt.stem}: {seconds:.1f} s")
    assert doc.meta.get("ocr") is True
    assert doc.meta["ocr_pages"] == list(range(1, PAGES + 1))
    flat = _norm(doc.text)
    found = [n for n in expected if fuzz.partial_ratio(_norm(n), flat) >= 80]
    share = len(found) / len(expected)
    print(f"indicator names found: {len(found)}/{len(expected)} ({share:.0%}); missed: {sorted(set(expected) - set(found))}")
    assert share >= 0.7
    # the ruled table is recovered from the image's lines, not only text lines
    assert any(b.is_table and len(b.rows) >= 5 for b in doc.blocks)
    for b in doc.blocks:
        assert 1 <= b.page <= PAGES
        if b.is_table:
            for row in b.rows:
                for c in row:  # cells found by layout.blocks_from_text in OCR lines: span holds the text's parts
                    raw = _norm(doc.text[c.start : c.end])
                    assert raw in _norm(c.text) or _norm(c.text) in raw, (c.text, raw)
