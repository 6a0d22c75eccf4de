"""Exact money: parsing Xero's JSON numbers, converting to integer minor units, and each
currency's ISO 4217 scale.

Xero sends money as JSON doubles (``x-is-money`` in the spec). lendcheck never lets them pass
through a binary float: JSON is parsed with ``parse_float=Decimal`` and frames hold amounts as
``Int64`` minor units of one thousandth of the currency unit, the finest scale ISO 4217 gives a
currency in use (the Kuwaiti dinar, Bahraini dinar and Omani rial have three decimals; most
currencies two; the yen none), so every currency's amounts are exact in one column type. An
amount with more decimals than its currency has (ISO 4217) is refused; report amounts are
shown at their currency's scale (:func:`quantize`).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

#: Decimal places of the frames' minor units (thousandths: the finest ISO 4217 scale in use).
MINOR_DIGITS = 3
#: Minor units per currency unit in frames.
MINOR_UNITS = 10**MINOR_DIGITS
#: ISO 4217 minor unit digits of the currencies that do not have two (ISO 4217, list one:
#: current currencies). Every other code, and an unknown one, has two.
CURRENCY_DIGITS: dict[str, int] = {
    **dict.fromkeys(
        (
            "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX",
            "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}  # fmt: skip
_WORDS = ("no", "one", "two", "three")


def currency_digits(currency: str | None) -> int:
    """Decimal places of ``currency``'s amounts (ISO 4217 minor unit): 0 for JPY, 3 for KWD,
    BHD, OMR..., 2 for every other code and for an unknown or missing one."""
    return CURRENCY_DIGITS.get((currency or "").upper(), 2)


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


def too_fine(amount: Decimal | int, currency: str | None) -> str:
    """Why ``amount`` cannot be an amount of ``currency`` (the message of the ValueError
    :func:`to_minor_units` raises)."""
    digits = MINOR_DIGITS if not currency else currency_digits(currency)
    if digits == 0:
        return f"{amount} has decimal places, which {(currency or '').upper()} amounts do not have"
    return f"{amount} has more than {_WORDS[digits]} decimal places"


def to_minor_units(amount: Decimal | int, currency: str | None = None) -> int:
    """Convert an exact amount to integer minor units (thousandths).

    Args:
        amount: a currency amount.
        currency: its ISO 4217 code; the amount may have no more decimal places than the
            currency has (:func:`currency_digits`). None or "" (not stated): up to three.

    Returns:
        The amount in thousandths, as an int.

    Raises:
        ValueError: the amount has more decimal places than its currency, or is not finite.
    """
    try:
        scaled = Decimal(amount) * MINOR_UNITS
        as_int = int(scaled)
    except (InvalidOperation, OverflowError, ValueError) as exc:
        raise ValueError(f"{amount!r} is not a finite amount") from exc
    step = 10 ** (MINOR_DIGITS - (currency_digits(currency) if currency else MINOR_DIGITS))
    if scaled != as_int or as_int % step:
        raise ValueError(too_fine(amount, currency))
    return as_int


def from_minor_units(minor: int) -> Decimal:
    """Convert integer minor units (thousandths) back to an exact Decimal amount."""
    return Decimal(int(minor)).scaleb(-MINOR_DIGITS)


def quantize(amount: Decimal, currency: str | None = None) -> Decimal:
    """Round an amount to its currency's decimal places (:func:`currency_digits`; two when
    the currency is not given), half to even (banker's rounding)."""
    return amount.quantize(Decimal(1).scaleb(-currency_digits(currency)), rounding=ROUND_HALF_EVEN)
