"""The straightforward way, for comparison: JSON parsed into dicts, aggregates summed in loops.

``make bench`` times this beside lendcheck's own path so that the speed-up of the metrics stage
is a ratio measured in the same run on the same machine. It computes the reconciliation
aggregates of CashValidation ``bankStatement.statementLines`` per bank account, as
:func:`lendcheck.metrics.reconciliation.line_summary` does: line counts and amounts
(reconciled/unreconciled, positive/negative) and the numerators of Xero's value-weighted ages
of unreconciled lines, exactly (``Decimal``). Two steps, timed apart:

* :func:`parse`: each BankStatementsPlus file through ``json.loads`` (amounts as ``Decimal``);
* :func:`aggregate`: one Python loop over the parsed documents: each statement line once
  (first seen wins, as in lendcheck's frames), its date parsed, its amount summed.

The property tests hold :func:`aggregate` equal to ``line_summary`` on arbitrary lines, so the
two compute the same thing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from lendcheck.money import MINOR_UNITS

#: Aggregates per account, in the names and units of ``line_summary`` (minor units; days x
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
_COUNTS = FIELDS[:3]


def parse(files: Iterable[Path]) -> list[Any]:
    """Each file parsed with the ``json`` module, amounts as :class:`~decimal.Decimal` (exact).

    Give the files newest window first, as lendcheck's frames read them.
    """
    return [json.loads(Path(file).read_bytes(), parse_float=Decimal) for file in files]


def aggregate(
    documents: Iterable[Any], *, end: dt.date, begin: dt.date | None = None
) -> dict[str, dict[str, int]]:
    """The reconciliation aggregates per bank account, summed in one Python loop.

    Args:
        documents: parsed BankStatementsPlus responses (:func:`parse`).
        end: last accounting date included (``transactionDate``, else ``postedDate``); ages are
            counted to it.
        begin: first accounting date included (None: no lower bound).

    Returns:
        Per account id (lower case) with a line in range, :data:`FIELDS` as ints (amounts in
        minor units). Deleted lines are left out, as Xero does.
    """
    sums: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for document in documents:
        account = str(document["bankAccountId"]).lower()
        for statement in document.get("statements") or []:
            for line in statement.get("statementLines") or []:
                line_id = str(line["statementLineId"]).lower()
                if line_id in seen:
                    continue
                seen.add(line_id)
                text = line.get("transactionDate") or line.get("postedDate")
                if line.get("isDeleted") or not text:
                    continue
                day = dt.date.fromisoformat(text[:10])
                if day > end or (begin is not None and day < begin):
                    continue
                acc = sums.get(account)
                if acc is None:
                    acc = sums[account] = dict.fromkeys(FIELDS, 0)
                amount = Decimal(line["amount"])
                acc["total_lines"] += 1
                acc["total_amount"] += amount
                sign = "pos" if amount > 0 else "neg" if amount < 0 else None
                if line.get("isReconciled"):
                    acc["reconciled_lines"] += 1
                    if sign:
                        acc[f"reconciled_amount_{sign}"] += amount
                else:
                    acc["unreconciled_lines"] += 1
                    if sign:
                        acc[f"unreconciled_amount_{sign}"] += amount
                        acc[f"unreconciled_age_amount_{sign}"] += (end - day).days * amount
    return {
        account: {f: int(v) if f in _COUNTS else int(v * MINOR_UNITS) for f, v in acc.items()}
        for account, acc in sums.items()
    }


def weighted_ages(row: dict[str, int]) -> tuple[float | None, float | None]:
    """Xero's ``avgDaysUnreconciledPos``/``Neg`` from :func:`aggregate`'s numerators."""

    def age(numerator: int, amount: int) -> float | None:
        return numerator / amount if amount else None

    return (
        age(row["unreconciled_age_amount_pos"], row["unreconciled_amount_pos"]),
        age(row["unreconciled_age_amount_neg"], row["unreconciled_amount_neg"]),
    )
