"""ISO 4217 scales: amounts are exact in thousandths, refused when finer than their currency,
shown at their currency's scale (issue 16, finding 2: a KWD amount with three decimals aborted
the whole report; the yen has no decimals)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from lendcheck.money import currency_digits, from_minor_units, quantize, to_minor_units
from lendcheck.report_types import Money


def test_currency_scales() -> None:
    assert [currency_digits(c) for c in ("GBP", "NZD", "KWD", "bhd", "OMR", "JPY", "")] == [
        2,
        2,
        3,
        3,
        3,
        0,
        2,
    ]


def test_three_decimals_are_exact_for_dinars_and_refused_for_pounds() -> None:
    assert to_minor_units(D("12.345"), "KWD") == 12345
    assert from_minor_units(12345) == D("12.345")
    assert to_minor_units(D("12.34"), "GBP") == 12340
    with pytest.raises(ValueError, match=r"^12\.345 has more than two decimal places$"):
        to_minor_units(D("12.345"), "GBP")
    with pytest.raises(ValueError, match="has more than three decimal places"):
        to_minor_units(D("12.3456"))  # no currency stated: up to three
    assert to_minor_units(D("1500"), "JPY") == 1_500_000
    with pytest.raises(ValueError, match=r"1500\.5 has decimal places, which JPY amounts do not"):
        to_minor_units(D("1500.5"), "JPY")


def test_money_is_written_at_its_currencys_scale() -> None:
    def text(amount: str, currency: str) -> str:
        return Money.of(D(amount), currency).model_dump(mode="json")["amount"]

    assert text("1234.5", "GBP") == "1234.50"
    assert text("1234.5675", "KWD") == "1234.568"  # half to even
    assert text("1234.5", "JPY") == "1234"  # half to even
    assert text("1235.5", "JPY") == "1236"
    assert text("7", "") == "7.00"  # an unknown currency: two decimals
    assert quantize(D("0.125")) == D("0.12")
    assert Money.from_minor(12345, "KWD").amount == D("12.345")
