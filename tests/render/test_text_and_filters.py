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
    assert money(Money.from_minor(-1234567890, "GBP")) == "GBP -1,234,567.89"  # thousandths
    assert money(Money.from_minor(50, "")) == "0.05"
    # ISO 4217 scales: three decimals for the Kuwaiti dinar, none for the yen
    assert money(Money.from_minor(1234567, "KWD")) == "KWD 1,234.567"
    assert money(Money.from_minor(1234000, "JPY")) == "JPY 1,234"
    assert money(None) == "—"
    assert share(0.87654) == "87.7%"
    assert share(None) == "—"
    assert ratio(1.23456) == "1.23"
    assert days(12.4) == "12 days"
    assert days(1) == "1 day"
    assert number(12345) == "12,345"
    assert isodate(date(2026, 10, 31)) == "2026-10-31"
    assert longdate(date(2026, 10, 1)) == "1 October 2026"


def test_money_filter_cleans_the_currency_code() -> None:
    from lendcheck.render.filters import money as money_filter

    hostile = Money.from_minor(1500, "GB\u202eP<b>")
    assert money_filter(hostile) == "GBP<b> 1.50"  # no bidi override; autoescape does the rest
    assert money_filter(Money.from_minor(1500, "NZD")) == "NZD 1.50"
    assert money_filter(None) == "—"


def test_metric_values_as_flags_hold_them() -> None:
    from lendcheck.render.filters import metric, metric_label, path, thresholds

    assert metric(0.1234, "share") == "12.3%"
    assert metric(1.5, "ratio") == "1.50"
    assert metric(214, "days") == "214 days"
    assert metric(12.25, "days") == "12.2 days"
    assert metric("-6355.64", "money") == "-6,355.64"
    assert metric({"amount": "31589.98", "currency": "NZD"}, "money") == "NZD 31,589.98"
    assert metric(1248, "count") == "1,248"
    assert metric(None, "share") == "not available"
    assert metric(True, "flag") == "yes"
    assert metric("2026-03-31", "date") == "2026-03-31"
    assert metric("<b>\u202ex", "text") == "<b>x"  # cleaned; autoescape does the rest
    assert thresholds({"red": 0.1, "amber": 0.02}, "share") == "amber 2.0% · red 10.0%"
    assert thresholds({"red": 3}, "count") == "red 3"
    assert metric_label("reconciliation.unreconciled_lines") == "unreconciled lines"
    assert path("a.b.c") == "a.\u200bb.\u200bc"
