"""``lendcheck fetch``: run the fetch plan against Xero and write a ``lendcheck-snapshot/1``.

Exactly the calls of :mod:`lendcheck.xero.fetch_plan`, no more: the main CashValidation call first
(its ``accountId`` values are the bank accounts to ask BankStatementsPlus for), then every other
organisation call and the BankStatementsPlus windows of every account at once, as far as the
client's limits allow (5 in flight). ``GET /connections`` is asked once beforehand to check that
the organisation is connected and to learn its name; it is not part of the snapshot (it lists the
lender's other applicants).

A call Xero refuses with a Problem (e.g. 400 for Cashflow of a US organisation) is recorded with
its status and body: the report names what is missing. Failures that say nothing about the
organisation's data (credentials, limits, outages, the network) stop the fetch with a typed error
and leave no snapshot behind: the snapshot appears only once every call is in.

With ``source="accounting"`` or ``"both"`` the Accounting API's calls
(:mod:`lendcheck.xero.accounting_plan`, run by :mod:`lendcheck.xero.fetch_accounting`) are made too,
alongside and within the same per-organisation limits, and kept in the same snapshot with
``"api": "accounting"``. ``source="accounting"`` makes no Finance API call at all.

``ToDate`` is never after "today" as Xero may see it: the date in the earliest time zone
(UTC-12), so no organisation anywhere sees it as the future. A BankStatementsPlus window whose
planned ``ToDate`` is later is sent with ``ToDate`` = today, recorded as sent, and listed in the
manifest's ``to_date_clamped``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from pydantic import TypeAdapter, ValidationError

from lendcheck.errors import UsageError
from lendcheck.money import loads_exact
from lendcheck.snapshot import SnapshotWriter
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.auth import TokenSource, token_source
from lendcheck.xero.client import ApiResponse, FinanceClient
from lendcheck.xero.config import Settings
from lendcheck.xero.errors import BadResponseError, DailyLimitError, XeroError
from lendcheck.xero.fetch_accounting import Answers, Tally, fetch_accounting, run_all, spool
from lendcheck.xero.models import CashValidationAccount

log = logging.getLogger(__name__)

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_ACCOUNTS = TypeAdapter(list[CashValidationAccount])

#: ``progress(done, total, call, status)`` after each call.
Progress = Callable[[int, int, fp.PlannedCall, int], None]


def xero_today(now: datetime | None = None) -> date:
    """Today's date in the earliest time zone on Earth (UTC-12): never the future anywhere."""
    moment = now or datetime.now(UTC)
    return (moment.astimezone(UTC) - timedelta(hours=12)).date()


@dataclass
class FetchResult:
    """What a fetch did.

    Attributes:
        path: the snapshot directory written.
        tenant_id, tenant_name: the organisation.
        as_of: the report date of the plan.
        calls: calls in the snapshot (the plan's length).
        refused: ``(endpoint, params, status)`` of each call Xero refused and the snapshot records.
        clamped: BankStatementsPlus windows whose ``ToDate`` was moved back to today.
        seconds: wall time of the fetch.
        requests_sent: HTTP requests sent, retries included (``/connections`` too).
        max_in_flight: most calls in flight at once.
        day_limit_remaining: Xero's last ``X-DayLimit-Remaining``, if it sent one.
        source: ``finance``, ``accounting`` or ``both``: the APIs the snapshot holds.
    """

    path: Path
    tenant_id: str
    tenant_name: str
    as_of: date
    calls: int
    refused: list[tuple[str, dict[str, str], int]] = field(default_factory=list)
    clamped: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    requests_sent: int = 0
    max_in_flight: int = 0
    day_limit_remaining: int | None = None
    source: str = "finance"


#: The sources a fetch takes: the Finance API, the Accounting API, or both.
SOURCES = ("finance", "accounting", "both")


def _check_options(tenant_id: str, as_of: date, months: int, now: datetime) -> None:
    if not _UUID.match(tenant_id):
        raise UsageError(
            f"--tenant-id {tenant_id!r} is not a Xero organisation id (a UUID); "
            "`lendcheck auth tenants` lists them"
        )
    if months < 1 or months > 120:
        raise UsageError("--months must be between 1 and 120")
    if as_of > now.astimezone(UTC).date():
        raise UsageError(f"--as-of {as_of} is in the future; Xero has no data for it yet")


def _clamp(call: fp.PlannedCall, today: date) -> tuple[fp.PlannedCall, dict[str, str] | None]:
    if call.endpoint != fp.BANK_STATEMENTS or date.fromisoformat(call.params["ToDate"]) <= today:
        return call, None
    params = {**call.params, "ToDate": today.isoformat()}
    note = {
        "BankAccountID": params["BankAccountID"],
        "FromDate": params["FromDate"],
        "planned_ToDate": call.params["ToDate"],
        "ToDate": params["ToDate"],
    }
    return replace(call, params=params), note


def _account_ids(response: ApiResponse, tenant_id: str) -> list[str]:
    if not response.ok:
        return []
    try:
        accounts = _ACCOUNTS.validate_python(loads_exact(response.body))
    except ValidationError as exc:
        raise BadResponseError(
            f"{fp.CASH_VALIDATION} for organisation {tenant_id}: the answer does not fit the "
            f"CashValidation model ({exc.error_count()} problems)",
            endpoint=fp.CASH_VALIDATION,
            tenant_id=tenant_id,
        ) from None
    ids: list[str] = []
    for account in accounts:
        if str(account.account_id) not in ids:
            ids.append(str(account.account_id))
    return ids


def _check_day_allowance(client: FinanceClient, tenant_id: str, needed: int) -> None:
    """Fail before the calls when Xero's day allowance cannot cover them: a fetch that ran out
    half-way would leave no snapshot and waste the rest of the allowance."""
    left = client.day_limit_remaining
    if left is not None and left < needed:
        raise DailyLimitError(
            f"organisation {tenant_id}: the fetch needs {needed} more calls but Xero allows only "
            f"{left} more today (X-DayLimit-Remaining); retry tomorrow, when the day's 5,000 "
            "calls are available again",
            tenant_id=tenant_id,
        )


async def _tenant_name(client: FinanceClient, tenant_id: str) -> str:
    connections = await client.connections()
    for connection in connections:
        if str(connection.get("tenantId", "")).lower() == tenant_id.lower():
            return str(connection.get("tenantName") or "")
    raise XeroError(
        f"organisation {tenant_id} is not connected to this login or app ({len(connections)} "
        "organisations are); `lendcheck auth tenants` lists them, `lendcheck auth login` adds one",
        endpoint="/connections",
        tenant_id=tenant_id,
    )


async def fetch_snapshot_async(
    client: FinanceClient,
    out_dir: str | Path,
    *,
    tenant_id: str,
    as_of: date | None = None,
    months: int = fp.DEFAULT_MONTHS,
    progress: Progress | None = None,
    overwrite: bool = False,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    source: str = "finance",
) -> FetchResult:
    """Run the fetch plan with an open :class:`FinanceClient` and write the snapshot.

    Args:
        client: an entered ``FinanceClient``.
        out_dir: the snapshot directory (must not exist or be empty, unless ``overwrite``).
        tenant_id: the organisation (UUID).
        as_of: report date (default: :func:`xero_today`).
        months: months of bank statements (1 to 120).
        progress: called after each call with (done, total, call, status).
        overwrite: replace an existing snapshot directory.
        now: the current UTC time.
        source: ``finance`` (the Finance API plan), ``accounting`` (the Accounting API plan)
            or ``both``.

    Returns:
        The :class:`FetchResult`.

    Raises:
        UsageError: a malformed tenant id, ``months`` out of range, ``as_of`` in the future, or
            an unknown ``source``.
        SnapshotError: ``out_dir`` exists and is not empty (without ``overwrite``).
        XeroError: any failure that stops the fetch (nothing is written then).
    """
    started = time.monotonic()
    today = xero_today(now())
    as_of = as_of or today
    _check_options(tenant_id, as_of, months, now())
    if source not in SOURCES:
        raise UsageError(f"--source {source!r} is not one of {', '.join(SOURCES)}")
    tally = Tally(progress or (lambda done, total, call, status: None))
    with SnapshotWriter(out_dir, overwrite=overwrite) as writer:
        tenant_name = await _tenant_name(client, tenant_id)
        halves: list[asyncio.Task[Any]] = []
        if source in ("finance", "both"):
            halves.append(
                asyncio.create_task(_fetch_finance(client, tenant_id, as_of, months, today, tally))
            )
        if source in ("accounting", "both"):
            halves.append(
                asyncio.create_task(
                    fetch_accounting(
                        client, tenant_id=tenant_id, as_of=as_of, months=months, tally=tally
                    )
                )
            )
        finance: _FinanceAnswers | None = None
        accounting: Answers | None = None
        try:
            finished, pending = await asyncio.wait(halves, return_when=asyncio.FIRST_EXCEPTION)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            for task in finished:
                if not task.cancelled() and task.exception() is None:
                    result = task.result()
                    if isinstance(result, _FinanceAnswers):
                        finance = result
                    else:
                        accounting = result
            failures = [e for t in finished if (e := t.exception()) is not None]
            if failures:  # all retrieved, so asyncio does not log them as lost
                raise failures[0]
            refused: list[tuple[str, dict[str, str], int]] = []
            answered = (finance.calls if finance else []) + (accounting.calls if accounting else [])
            for call, status, spool in answered:
                spool.seek(0)
                writer.add(call, status, spool.read())
                if status >= 300:
                    refused.append((call.endpoint, dict(call.params), status))
        finally:
            for part in (finance, accounting):
                if part is not None:
                    part.close()
        clamped = finance.clamped if finance else []
        extra: dict[str, Any] = {"months": months}
        if clamped:
            extra["to_date_clamped"] = clamped
        path = writer.finish(
            tenant_id=tenant_id,
            tenant_name=tenant_name,
            as_of=as_of,
            fetched_at=now(),
            source="xero",
            extra=extra,
        )
        total = len(answered)
    limiter = client.limiter(tenant_id)
    return FetchResult(
        path=path,
        tenant_id=tenant_id,
        tenant_name=tenant_name,
        as_of=as_of,
        calls=total,
        refused=refused,
        clamped=clamped,
        seconds=time.monotonic() - started,
        requests_sent=client.requests_sent,
        max_in_flight=limiter.max_in_flight,
        day_limit_remaining=client.day_limit_remaining,
        source=source,
    )


@dataclass
class _FinanceAnswers(Answers):
    clamped: list[dict[str, str]] = field(default_factory=list)


async def _fetch_finance(
    client: FinanceClient,
    tenant_id: str,
    as_of: date,
    months: int,
    today: date,
    tally: Tally,
) -> _FinanceAnswers:
    """The Finance API plan: the main CashValidation call first (its ``accountId`` values are
    the bank accounts), then every other call at once, as far as the client's limits allow."""
    organisation = fp.organisation_calls(as_of, months)
    main, others = organisation[0], organisation[1:]
    tally.expect(len(organisation))
    first = await client.get(main.endpoint, main.params, tenant_id=tenant_id)
    tally.tick(main, first.status)
    ids = _account_ids(first, tenant_id)
    rest: list[fp.PlannedCall] = []
    answers = _FinanceAnswers()
    for call in others + fp.bank_statement_calls(as_of, ids, months):
        sent, note = _clamp(call, today)
        rest.append(sent)
        if note:
            answers.clamped.append(note)
    tally.expect(len(rest) - len(others))
    _check_day_allowance(client, tenant_id, len(rest))
    log.debug("fetching %d calls for %s (%d bank accounts)", 1 + len(rest), tenant_id, len(ids))
    bodies: dict[int, tuple[int, IO[bytes]]] = {}

    async def one(index: int, call: fp.PlannedCall) -> None:
        answer = await client.get(call.endpoint, call.params, tenant_id=tenant_id)
        bodies[index] = (answer.status, spool(answer.body))
        tally.tick(call, answer.status)

    tasks = [asyncio.create_task(one(i, call)) for i, call in enumerate(rest)]
    await run_all(tasks, lambda: (body for _, body in bodies.values()))
    answers.calls.append((main, first.status, spool(first.body)))
    for index, call in enumerate(rest):
        status, body = bodies[index]
        answers.calls.append((call, status, body))
    return answers


def fetch_snapshot(
    out_dir: str | Path,
    *,
    tenant_id: str,
    as_of: date | None = None,
    months: int = fp.DEFAULT_MONTHS,
    settings: Settings | None = None,
    tokens: TokenSource | None = None,
    progress: Progress | None = None,
    overwrite: bool = False,
    client_options: Mapping[str, Any] | None = None,
    source: str = "finance",
) -> FetchResult:
    """Fetch one organisation's data from Xero into a snapshot directory (blocking).

    Credentials and URLs come from ``settings`` (default: the environment, see
    :mod:`lendcheck.xero.config`) unless ``tokens`` is given.

    Args:
        out_dir: the snapshot directory to write.
        tenant_id: the organisation (UUID).
        as_of: report date (default: today in the earliest time zone).
        months: months of bank statements.
        settings: URLs and credentials.
        tokens: a token source (default: :func:`lendcheck.xero.auth.token_source`).
        progress: called after each call with (done, total, call, status).
        overwrite: replace an existing snapshot directory.
        client_options: extra keyword arguments of :class:`FinanceClient` (transport, limits,
            retry, timeout, clock, sleep, now).
        source: ``finance``, ``accounting`` or ``both`` (see :func:`fetch_snapshot_async`).

    Returns:
        The :class:`FetchResult`.

    Raises:
        UsageError: bad options or missing credentials (exit code 2).
        SnapshotError, XeroError: the data could not be fetched or written (exit code 3).
    """
    settings = settings or Settings.from_env()
    tokens = tokens or token_source(settings)
    options = dict(client_options or {})

    async def run() -> FetchResult:
        async with FinanceClient(settings, tokens, **options) as client:
            extra = {"now": options["now"]} if "now" in options else {}
            return await fetch_snapshot_async(
                client,
                out_dir,
                tenant_id=tenant_id,
                as_of=as_of,
                months=months,
                progress=progress,
                overwrite=overwrite,
                source=source,
                **extra,
            )

    return asyncio.run(run())
