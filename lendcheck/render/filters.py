"""Jinja2 filters that format report values (from :mod:`lendcheck.formatting`). Templates call
these and do no arithmetic."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lendcheck import formatting
from lendcheck.formatting import days, isodate, longdate, number, ratio, share
from lendcheck.render.wording import plain_label, plain_message
from lendcheck.report_types import Money
from lendcheck.text import clean_untrusted


def money(value: Money | None, with_currency: bool = True) -> str:
    """:func:`lendcheck.formatting.money` with the currency code cleaned like untrusted text:
    it comes from the bank data (``GBP 1,234.50``; None as an em dash)."""
    if value is not None and value.currency != clean_untrusted(value.currency, 8):
        value = value.model_copy(update={"currency": clean_untrusted(value.currency, 8)})
    return formatting.money(value, with_currency)


def untrusted(value: str | None, max_length: int = 60) -> str:
    """Text from bank or customer data, cleaned (:func:`clean_untrusted`) and capped for a table
    cell. Autoescape still applies: the result is never marked safe."""
    return clean_untrusted(value, max_length)


def metric(value: Any, unit: str = "") -> str:
    """A metric value as a policy flag holds it (report.json form) in its unit: shares as
    percentages, money (a decimal string) with thousands separators, days, counts; None as
    "not available"; booleans as yes/no. Unknown units fall back to plain text."""
    if value is None:
        return "not available"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and "amount" in value:  # Money as report.json has it
        amount = metric(value["amount"], "text money")
        currency = clean_untrusted(str(value.get("currency") or ""), 3)
        return f"{currency} {amount}" if currency else amount
    try:
        if unit == "share":
            return share(float(value))
        if unit == "ratio":
            return ratio(float(value))
        if unit == "days":
            return days(float(value), 1 if float(value) % 1 else 0)
        if unit == "money":
            return f"{Decimal(str(value)):,.2f}"
        if unit == "text money":  # report.json's decimal string, already at its currency's scale
            return f"{Decimal(str(value)):,f}"
        if unit in ("count", "number") and isinstance(value, int):
            return number(value)
    except (ValueError, ArithmeticError, InvalidOperation):
        pass
    if isinstance(value, float):
        return f"{value:,.4g}"
    return clean_untrusted(str(value), 60)


def thresholds(value: dict[str, Any], unit: str = "") -> str:
    """A rule's thresholds as ``amber 2.0% · red 10.0%`` (those present, amber first)."""
    return " · ".join(
        f"{level} {metric(value[level], unit)}" for level in ("amber", "red") if level in value
    )


def metric_label(path: str) -> str:
    """A report.json path in plain words (:func:`lendcheck.render.wording.plain_label`):
    ``reconciliation.unreconciled_amount_neg`` → ``unreconciled payments``."""
    return clean_untrusted(plain_label(path), 80)


def path(value: str, max_length: int = 100) -> str:
    """A report.json path, cleaned, with a zero-width space after each dot so that a narrow
    table cell can break it between names rather than inside one."""
    return clean_untrusted(value, max_length).replace(".", ".\u200b")


def params(value: dict[str, str]) -> str:
    """Query parameters as ``k=v`` pairs in sorted order."""
    return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))


FILTERS: dict[str, Any] = {
    "untrusted": untrusted,
    "params": params,
    "metric": metric,
    "thresholds": thresholds,
    "metric_label": metric_label,
    "plain_message": plain_message,
    "path": path,
    "money": money,
    "share": share,
    "ratio": ratio,
    "days": days,
    "number": number,
    "isodate": isodate,
    "longdate": longdate,
}
