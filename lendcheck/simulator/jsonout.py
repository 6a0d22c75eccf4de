"""Compact JSON with exact money, written the way Xero sends it.

Money is held as ``int`` cents and must never pass through a binary float. :func:`money` wraps
cents in a sentinel string that :func:`dumps` turns back into a bare JSON number after the
(fast, C) encoder has run: ``12345`` cents is written ``123.45``, ``10000`` as ``100.0`` and
``4230`` as ``42.3`` (the shortest form, as Xero's .NET serialiser writes doubles).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

_OPEN = "\x01"
_CLOSE = "\x02"
_SIX = Decimal("0.000001")


def format_cents(cents: int) -> str:
    """Format an amount in cents as a compact JSON number (``123.45``, ``100.0``, ``42.3``).

    Args:
        cents: the amount in hundredths of the currency unit.

    Returns:
        The number's JSON text.
    """
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    if rest == 0:
        return f"{sign}{units}.0"
    if rest % 10 == 0:
        return f"{sign}{units}.{rest // 10}"
    return f"{sign}{units}.{rest:02d}"


def money(cents: int) -> str:
    """An amount in cents, marked so that :func:`dumps` writes it as a bare JSON number."""
    return _OPEN + format_cents(cents) + _CLOSE


def number(value: Decimal) -> str:
    """An exact decimal (e.g. a value-weighted age in days), written as a bare JSON number."""
    text = format(value.normalize(), "f") if value else "0"
    return _OPEN + text + _CLOSE


def ratio(numerator: int, denominator: int) -> Decimal:
    """``numerator / denominator`` rounded to 6 decimal places, half to even (0 when the
    denominator is 0)."""
    if denominator == 0:
        return Decimal(0)
    return (Decimal(numerator) / Decimal(denominator)).quantize(_SIX, rounding=ROUND_HALF_EVEN)


def dumps(payload: Any) -> bytes:
    """Serialise ``payload`` as compact UTF-8 JSON, writing :func:`money` values as numbers.

    Strings in ``payload`` must not contain the control characters U+0001/U+0002 (the
    simulator writes only its own payees and references).
    """
    # ensure_ascii: non-ASCII text is escaped (valid JSON, as Xero may send it) and the
    # all-ASCII string is much faster to post-process and encode (large sample: 0.5 GB)
    text = json.dumps(payload, separators=(",", ":"))
    text = text.replace('"\\u0001', "").replace('\\u0002"', "")
    return text.encode("ascii")
