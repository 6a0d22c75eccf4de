"""Builders of small BankStatementsPlus and CashValidation models for hand-computed cases."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from lendcheck.frames import BankFrames, frames_from_bank_statements
from lendcheck.xero.models import BankStatements, CashValidationAccount

AS_OF = dt.date(2026, 10, 31)
GBP_ID = "aaaaaaaa-0000-0000-0000-000000000001"
USD_ID = "bbbbbbbb-0000-0000-0000-000000000002"
FEED = "STMTIMPORTSRC/CBAFEED"
YODLEE = "STMTIMPORTSRC/YODLEE"
CSV = "STMTIMPORTSRC/CSV"
MANUAL = "STMTIMPORTSRC/MANUAL"

_ids = itertools.count(1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def line(
    day: str,
    amount: str,
    *,
    reconciled: bool = False,
    deleted: bool = False,
    duplicate: bool = False,
    line_id: str | None = None,
    payee: str | None = None,
    reference: str | None = None,
) -> dict[str, Any]:
    """A statement line as Xero sends it (camelCase), amount exact."""
    return {
        "statementLineId": line_id or f"00000000-0000-0000-0000-{next(_ids):012d}",
        "postedDate": day,
        "transactionDate": day,
        "amount": Decimal(amount),
        "payee": payee,
        "reference": reference,
        "isReconciled": reconciled,
        "isDeleted": deleted,
        "isDuplicate": duplicate,
    }


def statement(
    start: str,
    end: str,
    lines: list[dict[str, Any]] = (),  # type: ignore[assignment]
    *,
    source: str | None = FEED,
    start_balance: str | None = None,
    end_balance: str | None = None,
    indicative_start: str | None = None,
    indicative_end: str | None = None,
    imported: str | None = None,
    statement_id: str | None = None,
) -> dict[str, Any]:
    def dec(v: str | None) -> Decimal | None:
        return None if v is None else Decimal(v)

    return {
        "statementId": statement_id or f"5a000000-0000-0000-0000-{next(_ids):012d}",
        "startDate": start,
        "endDate": end,
        "importedDateTimeUtc": imported or f"{end}T12:00:00Z",
        "importSource": source,
        "startBalance": dec(start_balance),
        "endBalance": dec(end_balance),
        "indicativeStartBalance": dec(indicative_start),
        "indicativeEndBalance": dec(indicative_end),
        "statementLines": list(lines),
    }


def bank(
    statements: list[dict[str, Any]],
    account_id: str = GBP_ID,
    name: str = "Business Current",
    currency: str = "GBP",
) -> BankStatements:
    return BankStatements.model_validate(
        {
            "bankAccountId": account_id,
            "bankAccountName": name,
            "bankAccountCurrencyCode": currency,
            "statements": statements,
        }
    )


def frames(*responses: BankStatements) -> BankFrames:
    return frames_from_bank_statements((f"f{i}.json", r) for i, r in enumerate(responses))


def cash_validation(account_id: str = GBP_ID, **fields: Any) -> CashValidationAccount:
    """A CashValidation account from snake_case keyword fields (nested as dicts)."""
    return CashValidationAccount.model_validate({"account_id": account_id, **fields})
