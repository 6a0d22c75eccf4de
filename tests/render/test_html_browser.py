"""report.html in a real browser: Debian's headless Chromium, driven by Playwright (which never
downloads a browser of its own here: it is given /usr/bin/chromium).

The page must open from disk with no network request at all (fonts, styles and charts are
in the page, the charts as images of their SVG in ``data:`` URLs), every in-page link must lead
to an element of the page, and every chart and table must be visible with a size. A screenshot
of the first screen (A4 width at 96 dpi) is kept in ``test-artefacts/browser/`` (git ignores
it) for a person to look at.

``.ci/run`` installs the chromium package, so in CI (``CI`` set) a missing browser fails the
test; on a developer's machine without it the test is skipped with the reason (``-ra`` prints
it in the summary).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from lendcheck.api import make_report

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts" / "browser"
#: An A4 page at 96 CSS pixels per inch.
PAGE = {"width": 794, "height": 1123}
#: Samples opened: a clean applicant and one with many flags and two currencies of detail.
SAMPLES = ("harbour-cafe", "kowhai-builders")


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = (
        "Debian's chromium is not installed: `apt-get install chromium` to run the browser "
        "test (.ci/run installs it)"
    )
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Any:
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable)
        yield launched
        launched.close()


# Every a[href] that does not lead to an element of this page; every <use> whose reference
# is missing.
BROKEN_LINKS = """() => {
  const broken = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (!href.startsWith('#') || !document.getElementById(decodeURIComponent(href.slice(1)))) {
      broken.push(href);
    }
  }
  for (const use of document.querySelectorAll('use')) {
    const href = use.getAttribute('href') || use.getAttribute('xlink:href') || '';
    if (!href.startsWith('#') || !document.getElementById(href.slice(1))) broken.push(href);
  }
  return broken;
}"""

# Size and visibility of each chart (an image of its SVG) and table.
BOXES = """(selector) => [...document.querySelectorAll(selector)]
  .map(e => {
    const box = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return {width: box.width, height: box.height, hidden: style.visibility === 'hidden'
            || style.display === 'none' || Number(style.opacity) === 0,
            rows: e.tagName.toLowerCase() === 'table' ? e.rows.length : null};
  })"""


@pytest.mark.slow  # a browser in a subprocess; make test runs it
@pytest.mark.parametrize("sample", SAMPLES)
def test_report_html_in_chromium(browser: Any, tmp_path: Path, sample: str) -> None:
    html = make_report(ROOT / "samples" / sample, tmp_path, formats=("html",)).paths["html"]
    page = browser.new_page(viewport=PAGE)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # Anything but the file itself is refused, so a stray fetch cannot reach the network.
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url == html.as_uri() else route.abort(),
    )
    page.goto(html.as_uri(), wait_until="load")

    assert requests == [html.as_uri()]  # no font, style, script or image fetched
    assert page.evaluate(BROKEN_LINKS) == []
    assert page.locator('a[href^="#"]').count() >= 10  # the contents and cross-references
    charts, tables = page.evaluate(BOXES, "img.chart"), page.evaluate(BOXES, "table")
    assert len(charts) >= 4 and len(tables) >= 10
    for box in [*charts, *tables]:
        assert not box["hidden"] and box["width"] > 100 and box["height"] > 20, box
    assert all(box["rows"] >= 1 for box in tables)
    title = page.locator("h1").first
    assert title.is_visible()

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / f"{sample}-page-1.png"
    page.screenshot(path=str(shot))
    page.close()
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (PAGE["width"], PAGE["height"])
        grey = image.convert("L")
        inked = sum(count for level, count in enumerate(grey.histogram()) if level < 200)
    assert inked > 0.03 * PAGE["width"] * PAGE["height"]  # text and grade boxes, not blank
