"""What makes the report quicker must not change it: the lean user-agent stylesheet gives the
same PDF bytes as WeasyPrint's own, and charts drawn in a child process the same HTML as charts
drawn in this one, also when the child fails or hangs."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import weasyprint
from weasyprint import html as wp_html

from lendcheck.render import html as html_module
from lendcheck.render import pdf as pdf_module
from lendcheck.render.html import render_html
from lendcheck.report import Report, build_report
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


@pytest.fixture(scope="module")
def fernleaf() -> Report:
    return build_report(load_snapshot(ROOT / "samples" / "fernleaf-studio"))


def test_charts_drawn_in_a_child_give_the_same_html(
    fernleaf: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_module, "_fork_for_charts", lambda then_pdf: True)
    forked = render_html(fernleaf, then_pdf=True)
    monkeypatch.setattr(html_module, "_fork_for_charts", lambda then_pdf: False)
    assert render_html(fernleaf) == forked
    assert forked.count("<svg") >= 4


def _in_the_child(misbehave: Callable[[], None]) -> Callable[..., Any]:
    """``build_context`` that calls ``misbehave`` first when run in a child process."""
    parent, real = os.getpid(), html_module.build_context

    def build_context(report: Any, paper: Any = "A4") -> Any:
        if os.getpid() != parent:
            misbehave()
        return real(report, paper)

    return build_context


def test_a_failing_child_leaves_the_charts_to_the_parent(
    fernleaf: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = render_html(fernleaf)

    def fail() -> None:
        raise RuntimeError("child failure")

    monkeypatch.setattr(html_module, "_fork_for_charts", lambda then_pdf: True)
    monkeypatch.setattr(html_module, "build_context", _in_the_child(fail))
    assert render_html(fernleaf) == expected


def test_a_slow_child_is_killed_and_the_parent_draws(
    fernleaf: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = render_html(fernleaf)
    children: list[int] = []
    fork = os.fork

    def recorded_fork() -> int:
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded_fork)
    monkeypatch.setattr(html_module, "_fork_for_charts", lambda then_pdf: True)
    monkeypatch.setattr(html_module, "CHILD_TIMEOUT", 0.5)
    monkeypatch.setattr(html_module, "build_context", _in_the_child(lambda: time.sleep(60)))
    started = time.monotonic()
    assert render_html(fernleaf) == expected
    assert time.monotonic() - started < 30
    assert len(children) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # killed and reaped: nothing left behind


def test_a_child_only_when_it_saves_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_module, "PARALLEL_CHARTS", True)
    assert not html_module._fork_for_charts(then_pdf=False)  # nothing to do meanwhile
    assert "weasyprint" in sys.modules  # this process has rendered PDFs
    assert not html_module._fork_for_charts(then_pdf=True)
    monkeypatch.delitem(sys.modules, "weasyprint")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert html_module._fork_for_charts(then_pdf=True)
    # A host application's threads could hold locks a forked child would wait on.
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not html_module._fork_for_charts(then_pdf=True)


def test_chart_heights_of_a4_are_the_charts_defaults() -> None:
    from lendcheck.render import charts

    assert html_module.CHART_HEIGHTS["A4"] == (charts.FULL_HEIGHT, charts.HALF_HEIGHT)


def test_charts_as_images_give_the_same_pdf_bytes(
    fernleaf: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = render_html(fernleaf)
    as_images, charts = pdf_module._charts_as_images(html)
    assert len(charts) == html.count("<svg") >= 4 and "<svg" not in as_images
    pdf = pdf_module.render_pdf(html, fernleaf.as_of)
    monkeypatch.setattr(pdf_module, "_charts_as_images", lambda text: (text, []))
    assert pdf_module.render_pdf(html, fernleaf.as_of) == pdf


def test_the_fetcher_serves_only_the_documents_own_charts() -> None:
    fetcher = pdf_module._fetcher_class()([b"<svg/>"])
    assert fetcher.fetch("lendcheck-chart:0").read() == b"<svg/>"
    for url in ("lendcheck-chart:1", "lendcheck-chart:-1", "lendcheck-chart:0/x", "file:///etc"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 4
