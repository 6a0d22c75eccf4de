"""What makes the PDF quicker must not change it: the lean user-agent stylesheet gives the same
bytes as WeasyPrint's own, and the collector pause leaves the collector as it found it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import weasyprint
from weasyprint import html as wp_html

from lendcheck.render import gc_paused
from lendcheck.render import pdf as pdf_module
from lendcheck.render.html import render_html
from lendcheck.report import build_report
from lendcheck.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parents[2]


def test_the_installed_weasyprint_gets_the_lean_stylesheet() -> None:
    lean = pdf_module._lean_ua_stylesheet(wp_html.UA)
    assert lean is not None, "the user-agent stylesheet changed: review _lean_ua_stylesheet"
    assert "::footnote" not in lean and "::note" not in lean
    assert "\nli::marker {" in lean and "\n::marker {" not in lean
    assert pdf_module._html_class() is not weasyprint.HTML


def test_an_unexpected_stylesheet_is_used_as_is() -> None:
    assert pdf_module._lean_ua_stylesheet("p { margin: 0 }") is None


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_lean_stylesheet_gives_the_same_pdf_bytes(
    paper: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fernleaf-studio: the quickest sample; lists, flags, charts, tables and page references
    report = build_report(load_snapshot(ROOT / "samples" / "fernleaf-studio"))
    html = render_html(report, paper=paper)  # type: ignore[arg-type]
    lean = pdf_module.render_pdf(html, report.as_of)
    monkeypatch.setattr(pdf_module, "_html_class", lambda: weasyprint.HTML)
    assert pdf_module.render_pdf(html, report.as_of) == lean


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause holds
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()
