"""Jinja2 filters that format report values (from :mod:`lendcheck.formatting`). Templates call
these and do no arithmetic."""

from __future__ import annotations

from typing import Any

from lendcheck.formatting import days, isodate, longdate, money, number, ratio, share
from lendcheck.text import clean_untrusted


def untrusted(value: str | None, max_length: int = 60) -> str:
    """Text from bank or customer data, cleaned (:func:`clean_untrusted`) and capped for a table
    cell. Autoescape still applies: the result is never marked safe."""
    return clean_untrusted(value, max_length)


def params(value: dict[str, str]) -> str:
    """Query parameters as ``k=v`` pairs in sorted order."""
    return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))


FILTERS: dict[str, Any] = {
    "untrusted": untrusted,
    "params": params,
    "money": money,
    "share": share,
    "ratio": ratio,
    "days": days,
    "number": number,
    "isodate": isodate,
    "longdate": longdate,
}
