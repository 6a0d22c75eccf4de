"""The straightforward way, for comparison: JSON parsed into dicts, aggregates summed in loops.

``make bench`` times this beside lendcheck's own path so that the speed-up of the metrics stage
is a ratio measured in the same run on the same machine. It computes the reconciliation
aggregates of CashValidation ``bankStatement.statementLines`` per bank account, as
:func:`lendcheck.metrics.reconciliation.line_summary` does: line counts and amounts
(reconciled/unreconciled, positive/negative, in exact integer minor units) and Xero's
value-weighted ages of unreconciled lines. The property tests hold it equal to
``line_summary`` on arbitrary lines, so the two compute the same thing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

#: Aggregates per account, in the names and units of ``line_summary`` (minor units, days x
#: minor units for the ``*_age_amount_*`` numerators).
FIELDS = (
    "total_lines",
    "reconciled_lines",
    "unreconciled_lines",
    "total_amount",
    "reconciled_amount_pos",
    "reconciled_amount_neg",
    "unreconciled_amount_pos",
    "unreconciled_amount_neg",
    "unreconciled_age_amount_pos",
    "unreconciled_age_amount_neg",
)


def read_lines(files: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Statement lines of BankStatementsPlus files as flat dicts, each line once.

    Parsed with the ``json`` module (amounts as :class:`~decimal.Decimal`, exact); no model
    validation. Keys: ``bank_account_id``, ``statement_line_id``, ``transaction_date``
    (:class:`datetime.date` or None), ``amount`` (int minor units), ``is_reconciled``,
    ``is_deleted``.
    """
    seen: set[str] = set()
    for file in files:
        data = json.loads(Path(file).read_bytes(), parse_float=Decimal)
        account = str(data["bankAccountId"]).lower()
        for statement in data.get("statements") or []:
            for line in statement.get("statementLines") or []:
                line_id = line["statementLineId"]
                if line_id in seen:
                    continue
                seen.add(line_id)
                day = line.get("transactionDate") or line.get("postedDate")
                yield {
                    "bank_account_id": account,
                    "statement_line_id": line_id,
                    "transaction_date": dt.date.fromisoformat(day[:10]) if day else None,
                    "amount": int(Decimal(line["amount"]) * 100),
                    "is_reconciled": bool(line.get("isReconciled")),
                    "is_deleted": bool(line.get("isDeleted")),
                }


def aggregate(
    lines: Iterable[dict[str, Any]], *, end: dt.date, begin: dt.date | None = None
) -> dict[str, dict[str, int]]:
    """The reconciliation aggregates per bank account, summed in a Python loop.

    Args:
        lines: dicts as :func:`read_lines` gives (``amount`` in minor units).
        end: last accounting date included; ages are counted to it.
        begin: first accounting date included (None: no lower bound).

    Returns:
        Per account id, :data:`FIELDS` as ints (deleted lines left out, as Xero does).
    """
    result: dict[str, dict[str, int]] = {}
    for line in lines:
        day = line["transaction_date"]
        if day is None or day > end or (begin is not None and day < begin):
            continue
        if line["is_deleted"]:
            continue
        acc = result.get(line["bank_account_id"])
        if acc is None:
            acc = result[line["bank_account_id"]] = dict.fromkeys(FIELDS, 0)
        amount = line["amount"]
        acc["total_lines"] += 1
        acc["total_amount"] += amount
        sign = "pos" if amount > 0 else "neg" if amount < 0 else None
        if line["is_reconciled"]:
            acc["reconciled_lines"] += 1
            if sign:
                acc[f"reconciled_amount_{sign}"] += amount
        else:
            acc["unreconciled_lines"] += 1
            if sign:
                acc[f"unreconciled_amount_{sign}"] += amount
                acc[f"unreconciled_age_amount_{sign}"] += (end - day).days * amount
    return result


def weighted_ages(row: dict[str, int]) -> tuple[float | None, float | None]:
    """Xero's ``avgDaysUnreconciledPos``/``Neg`` from :func:`aggregate`'s numerators."""

    def age(numerator: int, amount: int) -> float | None:
        return numerator / amount if amount else None

    return (
        age(row["unreconciled_age_amount_pos"], row["unreconciled_amount_pos"]),
        age(row["unreconciled_age_amount_neg"], row["unreconciled_amount_neg"]),
    )
