"""Formatting report values for people: money, shares, ratios, days, counts, dates.

Used by the templates (as Jinja filters, :mod:`lendcheck.render.filters`), the policy engine
(flag messages) and the CLI summary, so that a value reads the same everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lendcheck.money import quantize
from lendcheck.report_types import Money

DASH = "—"


def money(value: Money | None, with_currency: bool = True) -> str:
    """``Money`` as ``GBP 1,234.50`` (negative: ``GBP -1,234.50``), at its currency's ISO 4217
    scale (``KWD 1,234.500``, ``JPY 1,235``); None as an em dash."""
    if value is None:
        return DASH
    text = f"{quantize(value.amount, value.currency):,f}"
    return f"{value.currency} {text}" if with_currency and value.currency else text


def share(value: float | None, places: int = 1) -> str:
    """A share in [0, 1] as a percentage: ``0.8765`` → ``87.7%``; None as an em dash."""
    if value is None:
        return DASH
    return f"{value * 100:.{places}f}%"


def ratio(value: float | None, places: int = 2) -> str:
    """A ratio with fixed decimals: ``1.23456`` → ``1.23``; None as an em dash."""
    if value is None:
        return DASH
    return f"{value:.{places}f}"


def days(value: float | int | None, places: int = 0) -> str:
    """A number of days: ``12.4`` → ``12 days``; ``1`` → ``1 day``; None as an em dash."""
    if value is None:
        return DASH
    text = f"{value:.{places}f}"
    return f"{text} day" if text == "1" else f"{text} days"


def number(value: int | float | Decimal | None) -> str:
    """A count with thousands separators: ``12345`` → ``12,345``; None as an em dash."""
    if value is None:
        return DASH
    return f"{value:,}"


def isodate(value: date | None) -> str:
    """A date as ``2026-10-31``; None as an em dash."""
    return value.isoformat() if value else DASH


def longdate(value: date | None) -> str:
    """A date as ``31 October 2026``; None as an em dash."""
    return f"{value.day} {value:%B %Y}" if value else DASH
