"""Digital PDFs in the layouts real exports show read as the .txt does.

Every labelled sample we may develop on -- golden/docs, eval/heldout/docs, eval/heldout2/docs (never
eval/unseen, the team's blind set) -- is loaded by the text loader and laid out as a PDF the way
Word/WPS export one (tests/render_pdf_layout.py), in the variants below: font sizes 9-14 pt, A4
portrait and landscape, narrow columns wrapping cell text onto 2-4 lines, rows and merged 一级/二级
cells split by page breaks (closed by a rule or left open), header rows repeated on each page,
running headers and page-number footers, rules only between rows, no outer vertical border.  Each
rendering goes through the whole rules pipeline and is scored with extractor.scoring against the
document's hand labels; its strict indicator F1 must be within 0.02 of the .txt's own.

Every value must still point back to its source: each block and cell sits at its offsets in the
loaded text, pages run 1..n in order, and each indicator's name span holds the name.

Runtime (2 cores): about 90 s.  Renderings and readings are cached per session (one render, load
and read per document and variant, shared by the tests that need them).  Every variant runs on
every document but the one large one (see CASES); the Story variants leave out what Story
cannot draw (STORY_DROPS_CONTENT).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.loaders.text import load_text

try:
    from tests.render import render_pdf
    from tests.render_pdf_layout import render_pdf_word
except ImportError:  # tests/ itself on sys.path
    from render import render_pdf
    from render_pdf_layout import render_pdf_word

ROOT = Path(__file__).resolve().parents[1]
LABELLED = [ROOT / "golden", ROOT / "eval" / "heldout", ROOT / "eval" / "heldout2"]

# Documents whose text reading cannot be rendered faithfully: the text loader's tables (what every
# rendering is drawn from) already lose what the reader recovers from the raw text, so no
# rendering of them can score like the .txt.  h05 is a one-cell-per-line dump whose recovered
# grid is ragged (its tab rendering scores 0.33); test_excluded_documents_are_still_lossy fails
# once that is fixed, so the document comes back into the variants.
LOSSY_TEXT_TABLES = {"h05_shandong_jiaoyu_2021"}

DOCS = sorted(
    (p for d in LABELLED for p in (d / "docs").iterdir() if p.suffix in (".txt", ".md") and (d / f"{p.stem}.json").exists()),
    key=lambda p: p.name,
)
RENDERED_DOCS = [p for p in DOCS if p.stem not in LOSSY_TEXT_TABLES]

VARIANTS: dict[str, dict] = {
    "10.5pt": dict(font_pt=10.5),
    "9pt": dict(font_pt=9),
    "12pt-header-footer": dict(font_pt=12, running="page-of"),
    "14pt-page-numbers": dict(font_pt=14, running="dash"),
    "landscape-12pt": dict(landscape=True, font_pt=12),
    "narrow-columns": dict(table_width=0.6, max_col_em=6),
    "repeated-header": dict(font_pt=12, repeat_header=True, running="page-of"),
    "open-page-breaks": dict(font_pt=12, close_breaks=False),
    "open-breaks-text-on-top": dict(font_pt=10.5, close_breaks=False, valign="top", table_width=0.8),
    "horizontal-rules-only": dict(rules="horizontal"),
    "horizontal-rules-14pt-landscape": dict(rules="horizontal", font_pt=14, landscape=True, running="page-of"),
    "no-outer-border": dict(rules="no_outer", landscape=True, font_pt=12, running="dash"),
    # the other layout engine (HTML through MuPDF's Story, tests/render.py): its own column widths,
    # cell borders drawn per cell box, rows cut by page breaks without closing rules
    "story-12pt": dict(engine="story", font_pt=12),
    "story-landscape-10.5pt": dict(engine="story", font_pt=10.5, landscape=True),
}

# The one large document (002: 70 KB, 30+ pages, ~5 s a reading) goes through the variants that
# stress what its size brings -- many page breaks, rows and merged cells cut, long prose between
# tables -- and not the others, which keeps the module near 90 s on 2 cores; every other document
# goes through every variant.
LARGE = 40_000
LARGE_DOC_VARIANTS = ("10.5pt", "14pt-page-numbers", "open-page-breaks", "horizontal-rules-only")
# MuPDF's Story cannot break a table row taller than a page: what follows it in the table is
# not drawn at all (003's 部门职责 row at 12 pt or landscape: its indicator table is missing from
# the PDF, see test_story_loses_rows_taller_than_a_page), so no reader could score it.
STORY_DROPS_CONTENT = {"003_0b8a2aad63db18d1"}
CASES = [
    (doc, variant)
    for variant in VARIANTS
    for doc in RENDERED_DOCS
    if (doc.stat().st_size < LARGE or variant in LARGE_DOC_VARIANTS)
    and not (VARIANTS[variant].get("engine") == "story" and (doc.stem in STORY_DROPS_CONTENT or doc.stat().st_size >= LARGE))
]


def _gold(doc: Path) -> Path:
    return doc.parent.parent / f"{doc.stem}.json"


class _Cache:
    def __init__(self, base: Path) -> None:
        from extractor.pipeline import ExtractOptions

        self.base = base
        self.options = ExtractOptions(backend="rules")
        self.sources: dict = {}
        self.txt_f1: dict = {}
        self.readings: dict = {}

    def source(self, doc: Path):
        if doc not in self.sources:
            self.sources[doc] = load_text(doc)
        return self.sources[doc]

    def score(self, doc: Path, path: Path):
        """(strict F1, misses, extraction, loaded SourceDoc): the real pipeline, its SourceDoc kept."""
        import extractor.loaders as loaders
        from extractor.models import load_document
        from extractor.pipeline import extract_document
        from extractor.scoring import figures, score_document

        seen = []
        real_load = loaders.load

        def keep(*args, **kwargs):
            seen.append(real_load(*args, **kwargs))
            return seen[-1]

        loaders.load = keep  # extract_document imports `load` from extractor.loaders when called
        try:
            extraction = extract_document(path, self.options, stem=doc.stem)
        finally:
            loaders.load = real_load
        tally, misses = score_document(doc.stem, load_document(_gold(doc)), extraction.document)
        return figures(tally)["strict_indicator_f1"], misses, extraction, seen[0] if seen else None

    def txt(self, doc: Path) -> float:
        if doc not in self.txt_f1:
            self.txt_f1[doc] = self.score(doc, doc)[0]
        return self.txt_f1[doc]

    def reading(self, doc: Path, variant: str):
        """(pdf path, strict F1, misses, extraction, loaded SourceDoc) of one rendering, made once."""
        key = (doc, variant)
        if key not in self.readings:
            options = dict(VARIANTS[variant])
            render = render_pdf if options.pop("engine", "word") == "story" else render_pdf_word
            path = render(self.source(doc), self.base / f"{doc.stem}.{variant}.pdf", **options)
            self.readings[key] = (path, *self.score(doc, path))
        return self.readings[key]


@pytest.fixture(scope="session")
def cache(tmp_path_factory) -> _Cache:
    return _Cache(tmp_path_factory.mktemp("pdf_variants"))


def test_documents_present():
    stems = {p.stem for p in DOCS}
    assert len(RENDERED_DOCS) >= 15
    assert len(CASES) >= 14 * (len(RENDERED_DOCS) - 2)
    assert any(s.startswith("h2_") for s in stems) and any(s.startswith("h0") for s in stems)
    assert not any("unseen" in str(p) for p in DOCS)


@pytest.mark.parametrize(("doc", "variant"), CASES, ids=[f"{d.stem}-{v}" for d, v in CASES])
def test_variant_scores_like_the_text(cache, doc, variant):
    path, f1, misses, _, _ = cache.reading(doc, variant)
    want = cache.txt(doc)
    shown = "\n".join(f"  {m.what} | {m.where} | expected {m.expected!s:.60} got {m.got!s:.60}" for m in misses[:8])
    assert f1 >= want - 0.02, f"{doc.stem} as {variant}: strict indicator F1 {f1:.3f} vs .txt {want:.3f}\n{shown}"


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_values_point_back_to_their_source(cache, variant):
    """Offsets and pages of every block and cell, and each indicator's name span, on every document."""
    for doc in [d for d, v in CASES if v == variant]:
        path, _, _, extraction, loaded = cache.reading(doc, variant)
        assert loaded is not None and loaded.format == "pdf" and loaded.text == extraction.source_text
        pages = loaded.meta["pages"]
        last = -1
        for b in loaded.blocks:
            assert b.start >= last, f"{doc.stem} {variant}: blocks out of order"
            last = b.end
            assert b.page is not None and 1 <= b.page <= pages
            if b.is_table:
                for row in b.rows:
                    for c in row:
                        assert loaded.text[c.start : c.end] == c.text
                        assert c.page is not None and b.page <= c.page <= pages
            else:
                assert loaded.text[b.start : b.end] == b.text
        assert [b.page for b in loaded.blocks] == sorted(b.page for b in loaded.blocks)
        named = 0
        for report in extraction.document.reports:
            for ind in report.indicators:
                span = ind.evidence.spans.get("name") if ind.evidence else None
                if span is None:
                    continue
                named += 1
                assert _norm(ind.name) in _norm(loaded.text[span.start : span.end]), (
                    f"{doc.stem} {variant}: {ind.name!r} not at its span {loaded.text[span.start:span.end]!r}"
                )
                assert span.page is None or 1 <= span.page <= pages
        if any(r.indicators for r in extraction.document.reports):
            assert named, f"{doc.stem} {variant}: no indicator carries a name span"


def test_variants_really_differ(cache):
    """The variants are the layouts they claim: page geometry, sizes, rules, running lines."""
    import pymupdf

    doc = next(p for p in RENDERED_DOCS if p.stem.startswith("003"))  # 20 KB, several pages at any size
    info = {}
    for variant in ("10.5pt", "9pt", "14pt-page-numbers", "landscape-12pt", "horizontal-rules-only", "12pt-header-footer"):
        path = cache.reading(doc, variant)[0]
        with pymupdf.open(path) as pdf:
            page = pdf[0]
            sizes = {round(s["size"], 1) for b in page.get_text("dict")["blocks"] for l in b.get("lines", []) for s in l["spans"]}
            verticals = sum(
                1 for d in page.get_drawings() for it in d["items"] if it[0] == "l" and abs(it[1].x - it[2].x) < 0.5
            )
            info[variant] = (pdf.page_count, page.rect.width > page.rect.height, sizes, verticals, pdf[1].get_text())
    assert info["9pt"][0] < info["10.5pt"][0] < info["14pt-page-numbers"][0]
    assert info["landscape-12pt"][1] and not info["10.5pt"][1]
    assert 14.0 in info["14pt-page-numbers"][2] and 9.0 in info["9pt"][2]
    assert info["horizontal-rules-only"][3] == 0 and info["10.5pt"][3] > 0
    assert re.search(r"第 2 页 共 \d+ 页", info["12pt-header-footer"][4])
    assert "- 2 -" in info["14pt-page-numbers"][4]


def test_rows_and_merged_cells_cross_page_breaks(cache):
    """The open-breaks variant does what it is for: on several pages, cell rules run into the page
    break with no rule there (a row or merged cell going on overleaf)."""
    import pymupdf

    from extractor.loaders.pdf import _closing_rules

    open_pages = 0
    for doc in RENDERED_DOCS:
        path = cache.reading(doc, "open-page-breaks")[0]
        with pymupdf.open(path) as pdf:
            open_pages += sum(bool(_closing_rules(page)[1]) for page in pdf)
    assert open_pages >= 5


def test_excluded_documents_are_still_lossy(cache, tmp_path):
    """LOSSY_TEXT_TABLES holds only documents whose text loader tables really lose indicators: the
    ideal reading of their tables (tab-separated rows) scores below the .txt.  Fails once fixed."""
    for doc in DOCS:
        if doc.stem not in LOSSY_TEXT_TABLES:
            continue
        source = cache.source(doc)
        out = []
        for b in source.blocks:
            out += ["", *("\t".join(c.text for c in row) for row in b.rows), ""] if b.is_table else [b.text.strip()]
        tsv = tmp_path / f"{doc.stem}.txt"
        tsv.write_text("\n".join(out) + "\n", encoding="utf-8")
        assert cache.score(doc, tsv)[0] < cache.txt(doc) - 0.02, f"{doc.stem} renders faithfully now: drop it from LOSSY_TEXT_TABLES"


def test_story_loses_rows_taller_than_a_page(cache):
    """Why STORY_DROPS_CONTENT is left out of the Story variants: the rendering itself has no
    indicator table (a level header word of the .txt is nowhere in the PDF's text)."""
    import pymupdf

    for doc in RENDERED_DOCS:
        if doc.stem not in STORY_DROPS_CONTENT:
            continue
        assert "一级指标" in doc.read_text(encoding="utf-8")
        path = render_pdf(cache.source(doc), cache.base / f"{doc.stem}.story-check.pdf", font_pt=12)
        with pymupdf.open(path) as pdf:
            text = re.sub(r"\s+", "", "".join(page.get_text() for page in pdf))
        assert "一级指标" not in text, f"{doc.stem}: Story draws the whole table now: drop it from STORY_DROPS_CONTENT"
