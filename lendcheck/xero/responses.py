"""What each API's response is: the parsing of a verified response body into its endpoint's
model (:func:`parse_response`), and the months of bank statements a snapshot's manifest covers.

The models are :mod:`lendcheck.xero.models` (Finance API) and
:mod:`lendcheck.xero.accounting_models` (Accounting API). Bodies come verified from
:mod:`lendcheck.snapshot`; a large applicant's BankStatementsPlus files go straight to frames
instead (:mod:`lendcheck.frames`), which read them with these models' rules.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from lendcheck.snapshot import CallRecord, Manifest, Response, Snapshot, verified
from lendcheck.snapshot.manifest import MANIFEST, fail
from lendcheck.snapshot.read import loads
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.accounting_models import ACCOUNTING_RESPONSE_MODELS
from lendcheck.xero.models import (
    BalanceSheet,
    BankStatements,
    Cashflow,
    CashValidationAccount,
    IncomeByContact,
    Problem,
    ProfitAndLoss,
    TrialBalance,
)

#: The model each Finance API endpoint's successful response is parsed with.
RESPONSE_MODELS: dict[str, TypeAdapter[Any]] = {
    fp.CASH_VALIDATION: TypeAdapter(list[CashValidationAccount]),
    fp.BALANCE_SHEET: TypeAdapter(BalanceSheet),
    fp.CASHFLOW: TypeAdapter(Cashflow),
    fp.PROFIT_AND_LOSS: TypeAdapter(ProfitAndLoss),
    fp.TRIAL_BALANCE: TypeAdapter(TrialBalance),
    fp.CONTACTS_REVENUE: TypeAdapter(IncomeByContact),
    fp.CONTACTS_EXPENSE: TypeAdapter(IncomeByContact),
    fp.BANK_STATEMENTS: TypeAdapter(BankStatements),
}


def parse_response(directory: Path, record: CallRecord, body: bytes) -> Response:
    """A verified response body parsed: ``data`` the endpoint's model (the JSON as parsed for
    a call no model reads, e.g. an extra ``/Organisation``) when Xero answered 2xx, else
    ``problem`` (:class:`lendcheck.xero.models.Problem`, None when the body is not one).

    Raises:
        SnapshotError: the body is not JSON within :mod:`lendcheck.limits` (a key twice in one
            object included, but in BankStatementsPlus, read keeping the last as frames read
            it), or does not fit its endpoint's model; the message names the file and field.
    """
    path = directory / record.file
    # A repeated key: refused, but in BankStatementsPlus as its fast reader reads it.
    payload = loads(path, body, refuse_duplicates=record.endpoint != fp.BANK_STATEMENTS)
    if not record.ok:
        try:
            problem = Problem.model_validate(payload) if isinstance(payload, dict) else None
        except ValidationError:
            problem = None
        return Response(record, problem=problem)
    finance = record.api == fp.FINANCE_API
    models = RESPONSE_MODELS if finance else ACCOUNTING_RESPONSE_MODELS
    adapter = models.get(record.endpoint)
    if adapter is None:  # an extra call (e.g. /Organisation) kept for the record only
        return Response(record, data=payload)
    try:
        # By Xero's (camelCase) names only, as lendcheck.frames reads BankStatementsPlus.
        data = adapter.validate_python(payload, by_alias=True, by_name=False)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(p) for p in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise fail(
            path,
            f"{record.endpoint} response does not fit its model at {location}: "
            f"{first['msg']}{more}",
        ) from exc
    return Response(record, data=data)


def bank_statements(snapshot: Snapshot, response: Response) -> BankStatements:
    """A BankStatementsPlus response's model, its file read (and verified) again through the
    models: for tools and tests that walk the statements; a report reads frames.

    Raises:
        SnapshotError: the file changed since it was read, or its data is missing.
    """
    record = response.record
    data = verified(
        snapshot.path, record, lambda body: parse_response(snapshot.path, record, body)
    ).data
    if not isinstance(data, BankStatements):
        raise fail(snapshot.path / record.file, "holds no bank statements")
    return data


def statement_months(manifest: Manifest) -> int:
    """The months of bank statements a snapshot covers: the manifest's ``months``; when absent,
    inferred from the earliest BankStatementsPlus ``FromDate`` (months of 30.4375 days to
    ``as_of``, at least 1); else :data:`lendcheck.xero.fetch_plan.DEFAULT_MONTHS`.

    Raises:
        SnapshotError: over :data:`lendcheck.xero.fetch_plan.MAX_MONTHS`.
    """
    months = manifest.months or _inferred_months(manifest)
    if months > fp.MAX_MONTHS:
        raise fail(
            manifest.path / MANIFEST,
            f"months {months} (declared, or from the earliest FromDate) is over the limit of "
            f"{fp.MAX_MONTHS} months of bank statements",
        )
    return months


def _inferred_months(manifest: Manifest) -> int:
    starts = [
        r.params.get("FromDate", "") for r in manifest.calls if r.endpoint == fp.BANK_STATEMENTS
    ]
    try:
        earliest = min(date.fromisoformat(s) for s in starts if s)
    except ValueError:
        return fp.DEFAULT_MONTHS
    return max(1, round((manifest.as_of - earliest).days / 30.4375))
