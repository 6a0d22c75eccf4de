"""Exact money: parsing Xero's JSON numbers and converting to integer minor units.

Xero sends money as JSON doubles (``x-is-money`` in the spec). lendcheck never lets them pass
through a binary float: JSON is parsed with ``parse_float=Decimal`` and frames hold amounts as
``Int64`` minor units (hundredths of the currency unit: Xero keeps bank amounts to two decimal
places in every currency).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

#: Minor units per currency unit in frames (Xero amounts carry at most 2 decimal places).
MINOR_UNITS = 100
_CENT = Decimal("0.01")


def loads_exact(data: str | bytes) -> Any:
    """Parse JSON with every non-integer number as :class:`~decimal.Decimal`.

    Args:
        data: JSON text or UTF-8 bytes.

    Returns:
        The parsed value: dicts, lists, str, int, Decimal, bool, None.

    Raises:
        json.JSONDecodeError: the text is not JSON (also for the bare names NaN and Infinity,
            which Xero never sends and which are no amount).
    """

    def _reject_constant(name: str) -> Any:
        raise json.JSONDecodeError(f"{name} is not a number lendcheck accepts", name, 0)

    return json.loads(data, parse_float=Decimal, parse_constant=_reject_constant)


def to_minor_units(amount: Decimal | int) -> int:
    """Convert an exact amount to integer minor units (cents).

    Args:
        amount: a currency amount.

    Returns:
        The amount in hundredths, as an int.

    Raises:
        ValueError: the amount has more than two decimal places or is not finite.
    """
    try:
        scaled = Decimal(amount) * MINOR_UNITS
        as_int = int(scaled)
    except (InvalidOperation, OverflowError, ValueError) as exc:
        raise ValueError(f"{amount!r} is not a finite amount") from exc
    if scaled != as_int:
        raise ValueError(f"{amount} has more than two decimal places")
    return as_int


def from_minor_units(minor: int) -> Decimal:
    """Convert integer minor units back to a Decimal amount with two decimal places."""
    return (Decimal(minor) / MINOR_UNITS).quantize(_CENT)


def quantize(amount: Decimal) -> Decimal:
    """Round an amount to two decimal places, half to even (banker's rounding)."""
    return amount.quantize(_CENT, rounding=ROUND_HALF_EVEN)
