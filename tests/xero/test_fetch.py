"""The fetch against the fake Xero: the whole path, the exact plan, limits and every fault."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

from lendcheck.api import make_report
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.auth import StaticTokenSource, StoredLoginSource, login
from lendcheck.xero.client import Limits, RetryPolicy
from lendcheck.xero.errors import (
    AuthError,
    BadResponseError,
    DailyLimitError,
    NetworkError,
    UnavailableError,
    XeroError,
)
from lendcheck.xero.fetch import FetchResult, fetch_snapshot, xero_today

from .conftest import (
    HARBOUR,
    NOW,
    SAMPLES,
    FakeClock,
    browser_for,
    fast_client_options,
    settings_for,
    start_fake,
    store_login,
)
from .fake_xero import FakeXero

AS_OF = date(2026, 10, 31)


def _fetch(
    xero: FakeXero,
    url: str,
    tmp_path: Path,
    clock: FakeClock,
    *,
    out: str = "snap",
    as_of: date = AS_OF,
    **options: object,
) -> FetchResult:
    settings = settings_for(url, tmp_path)
    if not settings.token_store.exists():
        store_login(xero, settings)
    return fetch_snapshot(
        tmp_path / out,
        tenant_id=xero.tenant_id,
        as_of=as_of,
        months=24,
        settings=settings,
        client_options=fast_client_options(clock, **options),
    )


def _leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".snap"))


def test_whole_path_gives_the_sample_byte_for_byte(fake_xero, tmp_path: Path, clock) -> None:
    xero, url = fake_xero
    # sign in as a user would (PKCE through the browser), then fetch with the stored login
    _, browser = browser_for()
    login(
        settings_for(url, tmp_path), port=0, open_browser=browser, echo=lambda _l: None, timeout=10
    )
    started = time.perf_counter()
    result = _fetch(xero, url, tmp_path, clock)
    seconds = time.perf_counter() - started

    sample = json.loads((HARBOUR / "manifest.json").read_bytes())
    ours = json.loads((result.path / "manifest.json").read_bytes())
    assert ours["calls"] == sample["calls"]  # same calls, same order, same sha256
    for call in sample["calls"]:
        assert (result.path / call["file"]).read_bytes() == (HARBOUR / call["file"]).read_bytes()
    assert ours["source"] == "xero"
    assert ours["months"] == 24
    assert ours["tenant_id"] == xero.tenant_id
    assert ours["tenant_name"] == "Harbour Cafe Ltd"
    assert ours["as_of"] == "2026-10-31"
    assert ours["fetched_at"] == "2026-11-21T14:00:00Z"
    assert "to_date_clamped" not in ours

    # exactly the plan: one request per planned call, no retries, nothing unplanned
    snapshot = load_snapshot(result.path)
    ids = [
        str(a.account_id)
        for a in snapshot.get(fp.CASH_VALIDATION, fp.organisation_calls(AS_OF)[0].params).data
    ]
    plan = fp.fetch_plan(AS_OF, ids, 24)
    seen = [(s.endpoint, s.params) for s in xero.finance_calls()]
    assert len(seen) == len(plan) == result.calls == 29
    assert sorted(fp.call_key(e, p) for e, p in seen) == sorted(c.key for c in plan)
    assert seen[0] == (plan[0].endpoint, plan[0].params)  # CashValidation first
    assert xero.violations == []
    assert result.requests_sent == 29 + 1  # and one /connections
    assert xero.max_in_flight <= 5
    assert result.refused == []
    print(
        f"\nfetch of harbour-cafe: {result.calls} calls in {seconds:.2f} s, "
        f"max {xero.max_in_flight} in flight (server count)"
    )

    # every Finance request carried what Xero demands
    for request in xero.finance_calls():
        assert request.headers["xero-tenant-id"] == xero.tenant_id
        assert request.headers["authorization"].startswith("Bearer at.")
        assert request.headers["user-agent"].startswith("lendcheck/")
        if request.endpoint == fp.BANK_STATEMENTS:
            assert request.params["SummaryOnly"] == "false"

    report = make_report(result.path, tmp_path / "out", formats=("json",))
    assert report.report.applicant.tenant_name == "Harbour Cafe Ltd"
    assert (tmp_path / "out" / "report.json").is_file()


def test_concurrency_never_above_five(tmp_path: Path, clock) -> None:
    xero, server = start_fake()
    xero.inject("slow", times=100, delay=0.05)  # every call overlaps with the next ones
    with server:
        result = _fetch(xero, server.url, tmp_path, clock)
    assert xero.max_in_flight == 5
    assert result.max_in_flight == 5
    assert len(xero.finance_calls()) == 29
    assert xero.violations == []


def test_the_fake_catches_a_sixth_call_in_flight(tmp_path: Path, clock) -> None:
    xero, server = start_fake()
    xero.inject("slow", times=100, delay=0.05)
    with server:
        result = _fetch(
            xero,
            server.url,
            tmp_path,
            clock,
            limits=Limits(concurrency=6, per_minute=60, window=60.0),
        )
    assert xero.max_in_flight == 6
    assert any("more than 5 calls in flight" in v for v in xero.violations)
    assert result.calls == 29  # the client took the 429 "concurrent" in its stride


def test_failed_calls_are_recorded_with_their_problem(tmp_path: Path, clock) -> None:
    sample = SAMPLES / "mesa-roasters"
    xero, server = start_fake(sample)
    manifest = json.loads((sample / "manifest.json").read_bytes())
    as_of = date.fromisoformat(manifest["as_of"])
    with server:
        result = _fetch(xero, server.url, tmp_path, clock, as_of=as_of)
    ours = json.loads((result.path / "manifest.json").read_bytes())
    assert ours["calls"] == manifest["calls"]
    refused = [c for c in ours["calls"] if c["status"] != 200]
    assert [c["endpoint"] for c in refused] == [fp.CASHFLOW, fp.CASHFLOW]
    assert all(c["status"] == 400 and c["file"].endswith(".problem.json") for c in refused)
    assert [(e, s) for e, _, s in result.refused] == [(fp.CASHFLOW, 400), (fp.CASHFLOW, 400)]
    snapshot = load_snapshot(result.path)
    problem = snapshot.all_of(fp.CASHFLOW)[0].problem
    assert problem is not None and problem.status == 400


def test_minute_limit_429_waits_retry_after_and_retries(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    xero.inject("429-minute", fp.TRIAL_BALANCE, retry_after=7)
    result = _fetch(xero, url, tmp_path, clock)
    assert result.calls == 29
    assert xero.served_429 == 1
    trial = [s for s in xero.finance_calls() if s.endpoint == fp.TRIAL_BALANCE]
    assert [s.status for s in trial] == [429, 200]
    # the wait: Retry-After plus at most 2 s of jitter, on the fake clock
    assert any(7 <= s <= 9 for s in clock.sleeps), clock.sleeps
    assert load_snapshot(result.path).calls


def test_day_limit_fails_fast_naming_when_to_retry(fake_xero, tmp_path, clock, caplog) -> None:
    xero, url = fake_xero
    for endpoint in (fp.BALANCE_SHEET, fp.PROFIT_AND_LOSS):  # four calls fail at once
        xero.inject("429-day", endpoint, times=2, retry_after=5 * 3600 + 30 * 60)
    with pytest.raises(DailyLimitError) as caught:
        _fetch(xero, url, tmp_path, clock)
    message = str(caught.value)
    assert "daily limit" in message
    assert "retry after 2026-11-21 19:30 UTC (in 5 h 30 min)" in message
    assert xero.tenant_id in message
    assert fp.BALANCE_SHEET in message or fp.PROFIT_AND_LOSS in message
    assert caught.value.exit_code == 3
    limited = [fp.call_key(s.endpoint, s.params) for s in xero.finance_calls() if s.status == 429]
    assert len(limited) == len(set(limited))  # no call was retried
    assert not clock.sleeps or max(clock.sleeps) < 60  # nor waited for hours
    assert not (tmp_path / "snap").exists()
    assert _leftovers(tmp_path) == []
    assert "never retrieved" not in caplog.text  # the other failed calls were collected


def test_organisation_offline_is_retried_with_backoff(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    xero.inject("503-offline", fp.PROFIT_AND_LOSS, times=2)
    result = _fetch(xero, url, tmp_path, clock)
    assert result.calls == 29
    pnl = [s.status for s in xero.finance_calls() if s.endpoint == fp.PROFIT_AND_LOSS]
    assert pnl.count(503) == 2 and pnl.count(200) == 3  # two years and the month
    # capped exponential backoff with full jitter: 1st wait <= 1 s, 2nd <= 2 s
    assert len(clock.sleeps) >= 2 and all(0 <= s <= 2 for s in clock.sleeps)


def test_organisation_offline_for_good_is_a_typed_error(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    xero.inject("503-offline", fp.CASH_VALIDATION, times=100)
    with pytest.raises(UnavailableError) as caught:
        _fetch(xero, url, tmp_path, clock)
    message = str(caught.value)
    assert f"/CashValidation for organisation {xero.tenant_id}" in message
    assert "organisation-offline" in message and "gave up after 4 attempts" in message
    assert len(xero.finance_calls()) == 4
    assert not (tmp_path / "snap").exists()


def test_slow_response_times_out_and_is_retried(fake_xero, tmp_path, clock) -> None:
    import httpx

    xero, url = fake_xero
    # The first trial balance answers after 3 s, past the 1 s read timeout: the fetch gives up on
    # it and asks again (a second request is the proof; no wall-clock bound, which a loaded
    # machine would break: a 0.3 s timeout once expired before the server had even logged it).
    xero.inject("slow", fp.TRIAL_BALANCE, delay=3.0)
    result = _fetch(xero, url, tmp_path, clock, timeout=httpx.Timeout(5.0, read=1.0))
    assert result.calls == 29
    assert len([s for s in xero.finance_calls() if s.endpoint == fp.TRIAL_BALANCE]) == 2


def test_dropped_connection_is_retried(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    xero.inject("drop", fp.CASH_VALIDATION)
    result = _fetch(xero, url, tmp_path, clock)
    sample = json.loads((HARBOUR / "manifest.json").read_bytes())
    assert json.loads((result.path / "manifest.json").read_bytes())["calls"] == sample["calls"]
    assert len(xero.finance_calls()) == 30  # the dropped one, again


def test_malformed_json_is_retried_then_a_typed_error(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    xero.inject("malformed", fp.TRIAL_BALANCE)
    result = _fetch(xero, url, tmp_path, clock)
    assert load_snapshot(result.path).calls  # the retry got the real body
    xero.inject("malformed", fp.CASH_VALIDATION, times=100)
    with pytest.raises(BadResponseError, match="not valid JSON"):
        _fetch(xero, url, tmp_path, clock, out="snap2")
    assert not (tmp_path / "snap2").exists()


def test_network_down_is_a_network_error(tmp_path, clock) -> None:
    xero, server = start_fake()
    with server:
        url = server.url
        settings = settings_for(url, tmp_path)
        store_login(xero, settings)
    # the server is gone now: connections are refused
    with pytest.raises(NetworkError, match="connection to Xero failed"):
        fetch_snapshot(
            tmp_path / "snap",
            tenant_id=xero.tenant_id,
            as_of=AS_OF,
            settings=settings,
            client_options=fast_client_options(clock),
        )


def test_401_gets_a_fresh_token_once(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    store_login(xero, settings)
    xero.expire_access_tokens()  # Xero says 401 although the store thinks the token is fine
    tokens = StoredLoginSource(settings)
    result = fetch_snapshot(
        tmp_path / "snap",
        tenant_id=xero.tenant_id,
        as_of=AS_OF,
        settings=settings,
        tokens=tokens,
        client_options=fast_client_options(clock),
    )
    assert result.calls == 29
    assert tokens.refreshes == 1 and xero.refreshes == 1


def test_rejected_static_token_is_an_auth_error(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    with pytest.raises(AuthError, match="LENDCHECK_ACCESS_TOKEN"):
        fetch_snapshot(
            tmp_path / "snap",
            tenant_id=xero.tenant_id,
            as_of=AS_OF,
            settings=settings,
            tokens=StaticTokenSource("not-a-valid-token-at-all"),
            client_options=fast_client_options(clock),
        )


def test_pascal_case_401_problem_becomes_a_typed_error(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    issued = xero.issue_tokens(refresh=False)
    xero.inject("401", fp.CASH_VALIDATION)
    with pytest.raises(AuthError) as caught:
        fetch_snapshot(
            tmp_path / "snap",
            tenant_id=xero.tenant_id,
            as_of=AS_OF,
            settings=settings,
            tokens=StaticTokenSource(issued["access_token"]),
            client_options=fast_client_options(clock),
        )
    assert "401: Unauthorized; AuthorizationUnsuccessful" in str(caught.value)
    assert caught.value.problem is not None and caught.value.problem.status == 401


def test_unknown_tenant_is_named(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    store_login(xero, settings)
    with pytest.raises(XeroError, match="not connected") as caught:
        fetch_snapshot(
            tmp_path / "snap",
            tenant_id="99999999-9999-4999-8999-999999999999",
            as_of=AS_OF,
            settings=settings,
            client_options=fast_client_options(clock),
        )
    assert "lendcheck auth tenants" in str(caught.value)
    assert xero.finance_calls() == []


def test_to_date_is_never_after_today(tmp_path, clock) -> None:
    # 06:00 UTC on 31 October: already the 31st in London, still the 30th in UTC-12
    from datetime import UTC, datetime

    now = datetime(2026, 10, 31, 6, 0, tzinfo=UTC)
    assert xero_today(now) == date(2026, 10, 30)
    xero, server = start_fake(today=date(2026, 10, 30))
    xero.empty_unknown_statements = True
    with server:
        result = _fetch(xero, server.url, tmp_path, clock, now=lambda: now)
    assert xero.violations == []
    sent = [s.params["ToDate"] for s in xero.finance_calls() if s.endpoint == fp.BANK_STATEMENTS]
    assert max(sent) == "2026-10-30"
    manifest = json.loads((result.path / "manifest.json").read_bytes())
    assert len(manifest["to_date_clamped"]) == 2  # the newest window of each account
    assert {c["planned_ToDate"] for c in manifest["to_date_clamped"]} == {"2026-10-31"}
    statements = [c for c in manifest["calls"] if c["endpoint"] == fp.BANK_STATEMENTS]
    assert sum(c["params"]["ToDate"] == "2026-10-30" for c in statements) == 2
    assert len(result.clamped) == 2


def test_the_fake_refuses_what_xero_refuses(fake_xero) -> None:
    import httpx

    xero, url = fake_xero
    token = xero.issue_tokens(refresh=False)["access_token"]
    base = url + "/finance.xro/1.0/BankStatementsPlus/statements"
    headers = {
        "Authorization": f"Bearer {token}",
        "xero-tenant-id": xero.tenant_id,
        "User-Agent": "lendcheck/test",
    }
    account = "00000000-0000-0000-0000-000000000001"
    future = httpx.get(
        base,
        headers=headers,
        params={"BankAccountID": account, "FromDate": "2026-01-01", "ToDate": "2026-12-31"},
    )
    assert future.status_code == 400 and "future" in future.json()["detail"]
    too_long = httpx.get(
        base,
        headers=headers,
        params={"BankAccountID": account, "FromDate": "2025-10-31", "ToDate": "2026-10-31"},
    )
    assert too_long.status_code == 400 and "12 months" in too_long.json()["detail"]
    no_tenant = httpx.get(base, headers={"Authorization": f"Bearer {token}"})
    assert no_tenant.status_code == 400
    no_auth = httpx.get(base, headers={"xero-tenant-id": xero.tenant_id})
    assert no_auth.status_code == 401 and no_auth.json()["Title"] == "Unauthorized"


def test_slows_down_when_the_minute_allowance_runs_low(tmp_path) -> None:
    clock = FakeClock()
    xero, server = start_fake(clock=clock)
    xero.use_minute_allowance(50)  # another app used 50 of the 60 calls this minute
    with server:
        result = _fetch(xero, server.url, tmp_path, clock)
    assert result.calls == 29
    assert xero.served_429 == 0  # it held back instead of running into the limit
    assert 60 <= clock.now - 10_000 <= 70  # it waited for the window, on the fake clock


def test_minute_limit_of_our_own_calls(tmp_path) -> None:
    clock = FakeClock()
    xero, server = start_fake(clock=clock)
    with server:
        result = _fetch(
            xero,
            server.url,
            tmp_path,
            clock,
            limits=Limits(concurrency=5, per_minute=10, window=60.0),
        )
    assert result.calls == 29
    assert clock.now - 10_000 >= 120  # 29 calls at 10 a minute: two full waits


def test_no_partial_snapshot_and_existing_output_kept(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "keep.txt").write_text("mine")
    from lendcheck.errors import SnapshotError

    with pytest.raises(SnapshotError, match="not empty"):
        _fetch(xero, url, tmp_path, clock)
    assert xero.finance_calls() == []  # refused before calling Xero
    assert (tmp_path / "snap" / "keep.txt").read_text() == "mine"


def test_retry_policy_defaults_are_capped() -> None:
    policy = RetryPolicy()
    assert policy.backoff_max == 30 and policy.attempts >= 3


def test_fetch_time_is_small(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    assert NOW.tzinfo is not None
    started = time.perf_counter()
    _fetch(xero, url, tmp_path, clock)
    assert time.perf_counter() - started < 5


def test_too_little_day_allowance_fails_before_the_calls(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    xero.day_remaining = 10  # the main call leaves 9; the rest of the plan needs 28
    with pytest.raises(DailyLimitError, match="needs 28 more calls but Xero allows only 9"):
        _fetch(xero, url, tmp_path, clock)
    assert len(xero.finance_calls()) == 1
    assert not (tmp_path / "snap").exists()


def test_progress_reports_every_call(fake_xero, tmp_path, clock) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    store_login(xero, settings)
    ticks: list[tuple[int, int, str, int]] = []
    fetch_snapshot(
        tmp_path / "snap",
        tenant_id=xero.tenant_id,
        as_of=AS_OF,
        settings=settings,
        progress=lambda done, total, call, status: ticks.append(
            (done, total, call.endpoint, status)
        ),
        client_options=fast_client_options(clock),
    )
    assert [t[0] for t in ticks] == list(range(1, 30))
    assert ticks[0][2] == fp.CASH_VALIDATION and ticks[-1][1] == 29


def test_run_all_cancels_the_rest_and_closes_the_bodies_on_a_failure() -> None:
    # The one wait of both fetches (Finance and Accounting API): the first failure cancels the
    # calls still running, closes every body spooled so far and is raised as it was.
    import asyncio

    from lendcheck.xero.fetch_accounting import run_all, spool

    bodies = [spool(b"{}"), spool(b"[]")]
    cancelled: list[str] = []

    async def slow() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.append("slow")
            raise

    async def failing() -> None:
        raise BadResponseError("the third call failed")

    async def main() -> None:
        tasks = [asyncio.create_task(slow()), asyncio.create_task(failing())]
        await run_all(tasks, lambda: bodies)

    with pytest.raises(BadResponseError, match="the third call failed"):
        asyncio.run(main())
    assert cancelled == ["slow"]
    assert all(body.closed for body in bodies)

    async def fine() -> None:
        await run_all([asyncio.create_task(asyncio.sleep(0))], lambda: bodies[:0])

    asyncio.run(fine())  # nothing fails: nothing raised
