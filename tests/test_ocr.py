"""OCR: a scanned (image-only) rendering of a sample still yields its report and indicators.

Needs Tesseract's chi_sim model (Debian: tesseract-ocr tesseract-ocr-chi-sim).  The first two
pages of one sample are rendered as a printed form (8pt, A4 portrait), scanned at 200 dpi and
OCR'd once for the whole module (~10-15 s a page on a shared core).
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
FONT_PT = 8.0
LANDSCAPE = False
SCAN_DPI = 200

pytestmark = [
    pytest.mark.ocr,
    pytest.mark.skipif(find_tessdata() is None, reason="Tesseract with chi_sim not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"),
]


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def _best_report_on_first_pages(tmp: Path):
    """(sample .txt, its SourceDoc, golden report, indicator names shown): the golden report whose
    name and most indicator names the first PAGES pages of the (vector) rendering show."""
    import pymupdf

    best = None
    for txt in sorted((ROOT / "golden" / "docs").glob("*.txt")):
        gold = ROOT / "golden" / f"{txt.stem}.json"
        if not gold.exists():
            continue
        source = load_text(txt)
        vector = render_pdf(source, tmp / f"{txt.stem}.pdf", font_pt=FONT_PT, landscape=LANDSCAPE)
        with pymupdf.open(vector) as doc:
            shown = _norm("".join(doc[i].get_text() for i in range(min(PAGES, doc.page_count))))
        for report in json.loads(gold.read_text("utf-8"))["reports"]:
            if not _norm(report.get("name")) or _norm(report["name"]) not in shown:
                continue
            names = sorted({i["name"] for i in report["indicators"] if _norm(i["name"]) and _norm(i["name"]) in shown})
            if best is None or len(names) > len(best[3]):
                best = (txt, source, report, names)
    return best


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """The chosen sample scanned and loaded (OCR'd) once: (txt, golden report, names, scan path, doc, seconds)."""
    tmp = tmp_path_factory.mktemp("ocr")
    txt, source, report, names = _best_report_on_first_pages(tmp)
    assert len(names) >= 5, "no sample shows a report with enough indicator names on its first pages"
    scan = render_scanned_pdf(source, tmp / "scan.pdf", dpi=SCAN_DPI, max_pages=PAGES, font_pt=FONT_PT, landscape=LANDSCAPE)
    started = time.perf_counter()
    doc = load(scan)
    seconds = time.perf_counter() - started
    print(f"\nOCR of {PAGES} pages of {txt.stem}: {seconds:.1f} s")
    return txt, report, names, scan, doc, seconds


def test_scanned_pdf_is_ocrd_and_keeps_indicator_names(scanned):
    import pymupdf
    from rapidfuzz import fuzz

    _, _, expected, scan, doc, _ = scanned
    with pymupdf.open(scan) as d:
        assert not _norm("".join(p.get_text() for p in d)), "the scan must have no text layer"
    assert doc.meta.get("ocr") is True
    assert doc.meta["ocr_pages"] == list(range(1, PAGES + 1))
    flat = _norm(doc.text)
    found = [n for n in expected if fuzz.partial_ratio(_norm(n), flat) >= 90]
    share = len(found) / len(expected)
    print(f"indicator names in the text: {len(found)}/{len(expected)} ({share:.0%}); missed: {sorted(set(expected) - set(found))}")
    assert share >= 0.8
    # the ruled table is recovered from the image's lines: a table block of rows x cells
    assert any(b.is_table and len(b.rows) >= 5 and max(len(r) for r in b.rows) >= 4 for b in doc.blocks)
    for b in doc.blocks:
        assert 1 <= b.page <= PAGES
        if b.is_table:
            for row in b.rows:
                for c in row:  # a cell's span holds its text
                    raw = _norm(doc.text[c.start : c.end])
                    assert raw in _norm(c.text) or _norm(c.text) in raw, (c.text, raw)


def test_scanned_pdf_yields_report_and_indicators_with_rules_backend(scanned, monkeypatch):
    """The acceptance of issue 6: the OCR'd scan, through the normal pipeline (rules backend), yields
    the sample's report and >= 80% of its indicator names (fuzzy >= 90)."""
    from rapidfuzz import fuzz

    import extractor.loaders
    from extractor.pipeline import ExtractOptions, extract_document

    txt, report, expected, scan, doc, _ = scanned
    # the pipeline loads through extractor.loaders.load: hand it the document OCR'd above (OCR once)
    monkeypatch.setattr(extractor.loaders, "load", lambda path, **kw: doc if Path(path) == Path(scan) else load(path, **kw))
    extraction = extract_document(scan, ExtractOptions(backend="rules"))
    reports = extraction.document.reports
    assert reports, "no report read from the OCR'd scan"
    match = max(reports, key=lambda r: fuzz.ratio(_norm(r.name), _norm(report["name"])))
    assert fuzz.ratio(_norm(match.name), _norm(report["name"])) >= 90, (match.name, report["name"])
    got = [_norm(i.name) for i in match.indicators]
    found = [n for n in expected if any(fuzz.ratio(_norm(n), g) >= 90 for g in got)]
    share = len(found) / len(expected)
    print(f"\n{txt.stem}: report {match.name!r}, indicators {len(found)}/{len(expected)} ({share:.0%}); missed: {sorted(set(expected) - set(found))}")
    assert share >= 0.8


@pytest.mark.parametrize("text, sign", [("≥90%", "≥"), ("≤30分钟", "≤"), (">90%", None), ("<5", None), ("=2次", "="), ("100%", None), ("王5", None)])
def test_comparison_sign_read_from_the_glyph(text, sign):
    """≥/≤/= misread by Tesseract (as >, <, =, 三, 王) are put back only when the image shows a chevron
    over a bar (≥/≤) or two bars alone (=)."""
    import pymupdf

    from extractor.loaders.pdf import _comparison_glyph, _ink_lines

    doc = pymupdf.open()
    page = doc.new_page(width=120, height=40)
    page.insert_text((10, 26), text, fontsize=10.5, fontname="china-s")
    pix = page.get_pixmap(dpi=300, colorspace=pymupdf.csRGB, alpha=False)
    lines = _ink_lines(pix, pymupdf.IRect(pix.irect))
    assert len(lines) == 1
    assert _comparison_glyph(pix, lines[0]) == sign
