"""Untrusted-text cleaning and the template filters."""

from __future__ import annotations

from datetime import date

from lendcheck.formatting import days, isodate, longdate, money, number, ratio, share
from lendcheck.report_types import Money
from lendcheck.text import MAX_UNTRUSTED_LENGTH, clean_untrusted


def test_bidi_overrides_and_controls_are_removed() -> None:
    assert clean_untrusted("INVOICE \u202eexe.pdf") == "INVOICE exe.pdf"
    assert clean_untrusted("A\x00B\x07C\u2066D\u2069") == "ABCD"
    assert clean_untrusted("line1\nline2\r\n\tend") == "line1 line2 end"
    assert clean_untrusted("zero\u200bwidth\ufeff") == "zerowidth"


def test_markup_is_kept_as_text_for_autoescape() -> None:
    hostile = '<link rel="attachment" href="file:///etc/passwd">'
    assert clean_untrusted(hostile) == hostile


def test_right_to_left_script_is_kept() -> None:
    assert clean_untrusted("شركة الخليج") == "شركة الخليج"


def test_length_is_capped() -> None:
    text = clean_untrusted("x" * 10_000)
    assert len(text) == MAX_UNTRUSTED_LENGTH
    assert text.endswith("…")
    assert clean_untrusted(None) == ""


def test_filters() -> None:
    assert money(Money.from_minor(-123456789, "GBP")) == "GBP -1,234,567.89"
    assert money(Money.from_minor(5, "")) == "0.05"
    assert money(None) == "—"
    assert share(0.87654) == "87.7%"
    assert share(None) == "—"
    assert ratio(1.23456) == "1.23"
    assert days(12.4) == "12 days"
    assert days(1) == "1 day"
    assert number(12345) == "12,345"
    assert isodate(date(2026, 10, 31)) == "2026-10-31"
    assert longdate(date(2026, 10, 1)) == "1 October 2026"
