"""review.html in a real headless Debian chromium (playwright, no downloaded browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.checks import check_report
from extractor.export.review import render_review, write_review
from extractor.models import Document, Evidence, Funds, Indicator, Report, Span, parse_document

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

XSS = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>'

SOURCE = (
    "项目名称\t医保信息化建设\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
    "产出指标\t数量指标\t开展医保政策宣传活动次数\t≥2次\t3次\t10\t10\n"
    "产出指标\t质量指标\t参保率\t≥95%\t90%\t10\t10\n"
    f"满意度指标\t满意度指标\t{XSS}\t≥90%\t92%\t10\t9\n"
)


def _doc() -> tuple[Document, dict[str, str], Document]:
    def span_of(text: str, start_at: int = 0) -> Span:
        i = SOURCE.index(text, start_at)
        return Span(start=i, end=i + len(text), page=1)

    row2 = SOURCE.index("开展医保")
    row3 = SOURCE.index("参保率")
    inds = [
        Indicator(level1="产出指标", level2="数量指标", name="开展医保政策宣传活动次数", target="≥2次", actual="3次",
                  weight=10, score=10, note=None,
                  evidence=Evidence(origin="rules", spans={"name": span_of("开展医保政策宣传活动次数"),
                                                           "target": span_of("≥2次", row2),
                                                           "actual": span_of("3次", row2)})),
        # no evidence: the page must find "90%" by searching the source
        Indicator(level1="产出指标", level2="质量指标", name="参保率", target="≥95%", actual="90%",
                  weight=10, score=10, note=None, evidence=None),
        Indicator(level1="满意度指标", level2="满意度指标", name=XSS, target="≥90%", actual="92%",
                  weight=10, score=9, note=XSS, evidence=Evidence(origin="rules", spans={"name": span_of(XSS)})),
    ]
    assert row3 > 0
    rep = Report(kind="project", name="医保信息化建设", unit=XSS, year=2021,
                 funds=Funds(budget=10, executed=8, rate=80), score=None, goals=[], indicators=inds)
    rep.checks = check_report(rep)
    doc = Document(document="doc_a", reports=[rep])
    other = Document(document="doc_b</script>", reports=[])
    return doc, {"doc_a": SOURCE}, other


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page_at(browser, tmp_path):
    doc, sources, other = _doc()
    path = tmp_path / "review.html"
    failures = [{"path": "bad/locked.pdf", "status": "failed", "error": "locked.pdf: PDF is encrypted " + XSS},
                {"path": "good.txt", "status": "ok", "error": None}]
    write_review([doc, other], sources, path, failures=failures)
    ctx = browser.new_context(accept_downloads=True)
    page = ctx.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "blob:", "data:")) else None)
    page.goto(path.as_uri())
    page.wait_for_selector("table.indicators")
    yield page, errors, requests, tmp_path
    ctx.close()


def test_embedded_data_cannot_break_out():
    doc, sources, other = _doc()
    html = render_review([doc, other], sources)
    data_part = html.split('id="review-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_part and ">" not in data_part
    assert "https://" not in html and "http://" not in html  # no CDN, no network


def test_page_loads_without_errors_and_escapes_text(page_at):
    page, errors, requests, _ = page_at
    assert errors == []
    assert requests == []
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("img").count() == 0  # the XSS string is shown as text, not markup
    assert page.locator("table.indicators").get_by_text(XSS).first.is_visible()
    assert page.locator("#docs li").count() == 2
    assert page.locator("#failures li").count() == 1  # inputs that could not be read, with reasons
    page.click("#failures summary")
    assert "PDF is encrypted" in page.locator("#failures").inner_text()
    assert page.locator("img").count() == 0
    # failed checks are marked: 参保率 has full marks although 90% < 95%
    assert page.locator("tr.fail").count() >= 1
    assert "未达成" in page.locator("tr[data-indicator='1']").inner_text()


def test_click_shows_highlighted_source_from_span(page_at):
    page, errors, _, _ = page_at
    page.locator("tr[data-indicator='0'] .v[data-field='actual']").click()
    mark = page.locator("#source mark")
    assert mark.inner_text() == "3次"
    assert "开展医保政策宣传活动次数" in page.locator("#source pre").inner_text()
    assert "第 1 页" in page.locator("#source").inner_text()
    assert errors == []


def test_click_without_span_searches_source(page_at):
    page, errors, _, _ = page_at
    page.locator("tr[data-indicator='1'] .v[data-field='actual']").click()
    assert page.locator("#source mark").inner_text() == "90%"
    assert "查找" in page.locator("#source").inner_text()
    assert errors == []


def test_filters(page_at):
    page, _, _, _ = page_at
    assert page.locator("table.indicators tbody tr").count() == 3
    page.check("#f-unmet")
    assert page.locator("table.indicators tbody tr").count() == 1
    assert page.locator("table.indicators tbody tr").get_attribute("data-indicator") == "1"
    page.uncheck("#f-unmet")
    page.fill("#f-text", "宣传")
    assert page.locator("table.indicators tbody tr").count() == 1


def test_edit_and_download_contract_json(page_at):
    page, errors, _, tmp_path = page_at
    cell = page.locator("tr[data-indicator='1'] .v[data-field='actual']")
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("96%")
    score = page.locator("tr[data-indicator='2'] .v[data-field='score']")
    score.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("8.5")
    assert "edited" in (cell.get_attribute("class") or "")
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == "doc_a.json"
    out = tmp_path / "corrected.json"
    download.save_as(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    doc = parse_document(data, "download")  # valid contract
    ind = doc.reports[0].indicators
    assert ind[1].actual == "96%"
    assert ind[2].score == 8.5 and isinstance(data["reports"][0]["indicators"][2]["score"], float)
    assert ind[2].name == XSS  # untouched values survive as written
    # contract keys only: no evidence, no checks
    assert set(data) == {"document", "reports"}
    assert "checks" not in data["reports"][0] and "evidence" not in data["reports"][0]["indicators"][0]
    assert errors == []


def test_invalid_number_blocks_download(page_at):
    page, _, _, _ = page_at
    page.locator("tr[data-indicator='0'] .v[data-field='weight']").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("十分")
    page.click("#download")
    assert "无效" in page.locator("#msg").inner_text()




def test_corrections_survive_reload_until_discarded(page_at):
    page, errors, _, _ = page_at
    cell = page.locator("tr[data-indicator='0'] .v[data-field='target']")
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("≥3次")
    page.reload()
    page.wait_for_selector("table.indicators")
    assert page.locator("tr[data-indicator='0'] .v[data-field='target']").inner_text() == "≥3次"
    page.click("#discard")
    assert page.locator("tr[data-indicator='0'] .v[data-field='target']").inner_text() == "≥2次"
    page.reload()
    page.wait_for_selector("table.indicators")
    assert page.locator("tr[data-indicator='0'] .v[data-field='target']").inner_text() == "≥2次"
    assert page.locator("#discard").count() == 0
    assert errors == []


def test_delete_and_add_indicator_in_download(page_at):
    page, errors, _, tmp_path = page_at
    page.locator("tr[data-indicator='2'] button.x").click()
    page.get_by_role("button", name="+ 添加指标").click()
    new = page.locator("tr[data-indicator='2'] .v[data-field='name']")
    new.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("新增的指标")
    with page.expect_download() as info:
        page.click("#download")
    info.value.save_as(tmp_path / "d.json")
    doc = parse_document(json.loads((tmp_path / "d.json").read_text(encoding="utf-8")))
    names = [i.name for i in doc.reports[0].indicators]
    assert names == ["开展医保政策宣传活动次数", "参保率", "新增的指标"]
    assert errors == []


def test_filters_narrow_document_list(page_at):
    page, errors, _, _ = page_at
    assert page.locator("#docs li").count() == 2
    page.check("#f-failed")
    assert page.locator("#docs li").count() == 1  # doc_b has no failed checks
    assert page.locator("#docs li").inner_text().startswith("doc_a")
    assert errors == []


def test_real_extraction_values_point_at_their_source(browser, tmp_path):
    """On a real rules extraction, clicking an indicator's values highlights exactly that text."""
    from extractor.loaders import load
    from extractor.pipeline import ExtractOptions, extract_document

    sample = Path(__file__).resolve().parents[1] / "golden" / "docs" / "004_6c29cab8ffeca497.txt"
    doc = extract_document(sample, ExtractOptions(backend="rules")).document
    write_review([doc], {doc.document: load(sample).text}, tmp_path / "review.html")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / "review.html").as_uri())
    inds = doc.reports[0].indicators
    assert inds
    checked = 0
    for i, ind in enumerate(inds):
        for field in ("name", "target", "actual"):
            value = getattr(ind, field)
            if not value:
                continue
            page.locator(f"tr[data-indicator='{i}'] .v[data-field='{field}']").click()
            marked = page.locator("#source mark").inner_text()
            assert "".join(marked.split()) == "".join(value.split()), (field, value, marked)
            checked += 1
    assert checked >= 2 * len(inds)
    assert errors == []
    page.close()
