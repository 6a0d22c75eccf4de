"""The few figures a reader compares first, read from a parsed ``report.json``: the summary of
``lendcheck diff`` and the columns of a batch's ``summary.csv`` and ``summary.json``.

One definition for both, so the diff and the portfolio summary show the same figure under the
same name. Each figure is a field the report already holds (docs/metrics.md defines it); nothing
is computed here.

==========================  ===================================================================
``revenue``                 ``financials.profit_and_loss.current.revenue`` (money, last 12 months)
``net_margin``              ``financials.profit_and_loss.current.net_margin`` (ratio, shown as
                            a percentage)
``dscr``                    ``financials.loan.dscr`` (ratio; null without loan terms)
``bank_verified_dscr``      ``financials.loan.bank_verified_dscr`` (ratio)
``reconciled_share``        reconciled share by amount of the accounts in the base currency,
                            ``bank.overall.by_currency[<applicant.base_currency>]
                            .reconciliation.reconciled_share_by_amount`` (share)
``feed_verified_coverage``  ``bank.overall.by_currency[<base currency>]
                            .feed_verified_coverage.feed_verified_coverage`` (share)
==========================  ===================================================================

A figure the report does not hold (no loan terms, no P&L, no account in the base currency) is
``None``, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class KeyFigure:
    """One key figure.

    Attributes:
        name: the column / JSON name (``net_margin``).
        label: how a person reads it (``Net margin``).
        unit: ``money``, ``share``, ``ratio`` or ``percent`` (a ratio shown as a percentage:
            0.144 is 14.4 %).
        path: where it is in report.json; ``<base>`` stands for the base currency's entry of
            ``bank.overall.by_currency``.
    """

    name: str
    label: str
    unit: str
    path: str


KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure(
        "revenue",
        "Revenue, last 12 months",
        "money",
        "financials.profit_and_loss.current.revenue",
    ),
    KeyFigure(
        "net_margin", "Net margin", "percent", "financials.profit_and_loss.current.net_margin"
    ),
    KeyFigure("dscr", "DSCR", "ratio", "financials.loan.dscr"),
    KeyFigure(
        "bank_verified_dscr", "Bank-verified DSCR", "ratio", "financials.loan.bank_verified_dscr"
    ),
    KeyFigure(
        "reconciled_share",
        "Reconciled share of bank lines (by amount)",
        "share",
        "<base>.reconciliation.reconciled_share_by_amount",
    ),
    KeyFigure(
        "feed_verified_coverage",
        "Inflows verified by a bank feed",
        "share",
        "<base>.feed_verified_coverage.feed_verified_coverage",
    ),
)


def _get(node: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def base_currency(report: dict[str, Any]) -> str | None:
    """``applicant.base_currency`` of a parsed report, None when absent or empty."""
    value = _get(report, "applicant.base_currency")
    return value if isinstance(value, str) and value else None


def key_figure(report: dict[str, Any], figure: KeyFigure) -> Any:
    """One figure's value as report.json holds it (Money as ``{"amount", "currency"}``), or
    None when the report does not hold it."""
    path = figure.path
    node: Any = report
    if path.startswith("<base>."):
        currency = base_currency(report)
        entries = _get(report, "bank.overall.by_currency")
        matches = [e for e in (entries if isinstance(entries, list) else []) if isinstance(e, dict)]
        found = [e for e in matches if e.get("currency") == currency]
        if not found:
            return None
        node, path = found[0], path.removeprefix("<base>.")
    return _get(node, path)


def key_figures(report: dict[str, Any]) -> dict[str, Any]:
    """Every :data:`KEY_FIGURES` value of a parsed report, by name, in that order."""
    return {figure.name: key_figure(report, figure) for figure in KEY_FIGURES}
