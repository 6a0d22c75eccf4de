"""Value types of the report: how money, shares, ratios and days appear in ``report.json``.

JSON conventions (design.md): money is a decimal string at the currency's scale with its
currency code, never a binary float; shares, ratios and days are JSON numbers rounded to a fixed
number of decimals, so that the same inputs give byte-identical JSON. ``None`` (JSON ``null``)
means "not defined" (for example a share whose denominator is zero); each metric's docstring and
``docs/metrics.md`` say when.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer, field_serializer

from lendcheck.money import from_minor_units, quantize

#: Decimal places of shares (values in [0, 1]) in JSON.
SHARE_DECIMALS = 4
#: Decimal places of ratios (e.g. current ratio, DSCR) in JSON.
RATIO_DECIMALS = 4
#: Decimal places of day counts that are averages (e.g. value-weighted ages) in JSON.
DAYS_DECIMALS = 2


def _rounder(places: int) -> PlainSerializer:
    def serialise(value: float | None) -> float | None:
        if value is None:
            return None
        rounded = round(float(value), places)
        return 0.0 if rounded == 0 else rounded  # never "-0.0"

    return PlainSerializer(serialise, return_type=float | None)


@dataclass(frozen=True)
class Unit:
    """Marks what a number in the report measures, for readers such as the policy engine
    (which formats values and validates metric names by it). One of ``share``, ``ratio``,
    ``days``; money, counts, dates and flags are known by their types."""

    name: str


#: A share in [0, 1] (e.g. reconciled share by amount); None when the denominator is zero.
Share = Annotated[float | None, _rounder(SHARE_DECIMALS), Unit("share")]
#: A dimensionless ratio (e.g. current ratio); None when undefined.
Ratio = Annotated[float | None, _rounder(RATIO_DECIMALS), Unit("ratio")]
#: A number of days that may be fractional (e.g. value-weighted age); None when undefined.
Days = Annotated[float | None, _rounder(DAYS_DECIMALS), Unit("days")]
#: Decimal places of :data:`Mean`.
MEAN_DECIMALS = 2
#: An average of counts (e.g. mean unreconciled lines over month ends); None when undefined.
Mean = Annotated[float | None, _rounder(MEAN_DECIMALS), Unit("number")]
#: Decimal places of :data:`FineDays`.
FINE_DECIMALS = 6
#: Days at Xero's own precision of 6 decimals (the cross-check of value-weighted ages).
FineDays = Annotated[float | None, _rounder(FINE_DECIMALS), Unit("days")]


class ReportModel(BaseModel):
    """Base of every model inside the report: frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Money(ReportModel):
    """An exact currency amount. JSON: ``{"amount": "1234.50", "currency": "GBP"}``, the
    amount a decimal string at the currency's ISO 4217 scale (``"1234.500"`` for KWD,
    ``"1234"`` for JPY; two decimals when the currency is unknown).

    Attributes:
        amount: the amount (serialised as a string at the currency's scale).
        currency: ISO 4217 code of the account or organisation ("" when Xero did not say).
    """

    amount: Decimal
    currency: str

    @field_serializer("amount")
    def _amount_text(self, amount: Decimal) -> str:
        return f"{quantize(amount, self.currency):f}"

    @classmethod
    def from_minor(cls, minor: int, currency: str | None) -> Money:
        """From integer minor units (thousandths), as held in frames."""
        return cls(amount=quantize(from_minor_units(minor), currency), currency=currency or "")

    @classmethod
    def of(cls, amount: Decimal, currency: str | None) -> Money:
        """From an exact Decimal amount, rounded to the currency's scale (half even)."""
        return cls(amount=quantize(amount, currency), currency=currency or "")
