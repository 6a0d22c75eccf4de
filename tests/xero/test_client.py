"""The client's answers to single responses, through its ``transport=`` seam (no server)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from lendcheck.xero.auth import StaticTokenSource
from lendcheck.xero.client import ApiResponse, FinanceClient, RetryPolicy, TenantLimiter
from lendcheck.xero.client import Limits as ClientLimits
from lendcheck.xero.config import Settings
from lendcheck.xero.errors import (
    AuthError,
    BadResponseError,
    DailyLimitError,
    RateLimitError,
    RequestRefusedError,
)

from .conftest import FakeClock

TENANT = "bbdc79ef-c388-417b-bdef-d3cf4e4665d2"
NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


Canned = httpx.Response | Callable[[], httpx.Response]


def _get(*responses: Canned, **options: Any) -> tuple[ApiResponse, list[httpx.Request]]:
    """One ``client.get`` against canned responses (the last one repeats; give a factory for
    a streamed response, which can be read only once)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        canned = responses[min(len(seen), len(responses)) - 1]
        return canned if isinstance(canned, httpx.Response) else canned()

    clock = FakeClock()
    options.setdefault("retry", RetryPolicy(attempts=3))

    async def run() -> ApiResponse:
        async with FinanceClient(
            Settings(api_url="https://api.xero.com"),
            StaticTokenSource("token-for-unit-tests"),
            transport=httpx.MockTransport(handler),
            clock=clock,
            sleep=clock.sleep,
            now=lambda: NOW,
            **options,
        ) as client:
            return await client.get(
                "/CashValidation", {"balanceDate": "2026-10-31"}, tenant_id=TENANT
            )

    return asyncio.run(run()), seen


def test_request_carries_what_xero_needs() -> None:
    answer, seen = _get(httpx.Response(200, json=[]))
    request = seen[0]
    assert str(request.url) == (
        "https://api.xero.com/finance.xro/1.0/CashValidation?balanceDate=2026-10-31"
    )
    assert request.headers["xero-tenant-id"] == TENANT
    assert request.headers["authorization"] == "Bearer token-for-unit-tests"
    assert request.headers["user-agent"].startswith("lendcheck/")
    assert answer.ok and answer.body == b"[]"


def test_camel_case_problem_is_returned_for_the_snapshot() -> None:
    problem = {
        "type": "invalid-request",
        "title": "InvalidRequest",
        "status": 400,
        "detail": "Cashflow statement is not available in US region",
    }
    answer, seen = _get(httpx.Response(400, json=problem))
    assert answer.status == 400 and len(seen) == 1
    assert answer.problem is not None and answer.problem.detail == problem["detail"]
    assert json.loads(answer.body) == problem  # the body exactly as sent


def test_fatal_problem_types_raise() -> None:
    problem = {
        "type": "organisation-not-found",
        "title": "NotFound",
        "status": 400,
        "detail": "Organisation xxx does not exist",
    }
    with pytest.raises(RequestRefusedError, match="organisation-not-found") as caught:
        _get(httpx.Response(400, json=problem))
    assert caught.value.endpoint == "/CashValidation" and caught.value.tenant_id == TENANT


def test_4xx_without_a_problem_raises() -> None:
    with pytest.raises(RequestRefusedError, match="without a Problem body"):
        _get(httpx.Response(404, text="<html>not found</html>"))


def test_403_names_the_scopes() -> None:
    with pytest.raises(AuthError, match=r"finance\.bankstatementsplus\.read"):
        _get(
            httpx.Response(
                403,
                json={
                    "Type": None,
                    "Title": "Forbidden",
                    "Status": 403,
                    "Detail": "AuthenticationUnsuccessful",
                },
            )
        )


def test_day_limit_with_an_http_date() -> None:
    limited = httpx.Response(
        429, headers={"Retry-After": "Sun, 22 Nov 2026 00:00:00 GMT", "X-Rate-Limit-Problem": "day"}
    )
    with pytest.raises(
        DailyLimitError, match=r"retry after 2026-11-22 00:00 UTC \(in 10 h 0 min\)"
    ):
        _get(limited)


def test_minute_limit_gives_up_after_the_attempts() -> None:
    limited = httpx.Response(429, headers={"Retry-After": "3", "X-Rate-Limit-Problem": "minute"})
    with pytest.raises(RateLimitError, match="gave up after 3 attempts"):
        _get(limited)


def test_minute_limit_asking_for_too_long_fails_fast() -> None:
    limited = httpx.Response(429, headers={"Retry-After": "3600", "X-Rate-Limit-Problem": "minute"})
    with pytest.raises(RateLimitError) as caught:
        _get(limited, httpx.Response(200, json=[]))
    assert "gave up" not in str(caught.value)


def test_undecodable_body_is_retried_then_a_typed_error() -> None:
    def broken() -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip")
        )

    answer, seen = _get(broken, httpx.Response(200, json=[]))
    assert answer.ok and len(seen) == 2
    with pytest.raises(BadResponseError, match="could not be decoded"):
        _get(broken)


def test_nan_is_not_json() -> None:
    with pytest.raises(BadResponseError, match="not valid JSON"):
        _get(httpx.Response(200, content=b'[{"value": NaN}]'))


def test_limiter_counts_other_callers_from_the_header() -> None:
    clock = FakeClock()
    limiter = TenantLimiter(
        ClientLimits(concurrency=5, per_minute=60, window=60.0), clock, clock.sleep
    )

    async def run() -> None:
        async with limiter.slot() as sent_at:
            pass
        limiter.observe(2, sent_at)  # Xero: 2 left, though we made 1 call: 57 are others'
        for _ in range(2):
            async with limiter.slot():
                pass
        async with limiter.slot():  # the 61st in the window: waits for it to roll
            pass

    asyncio.run(run())
    assert clock.sleeps == [60.0]
    assert limiter.max_in_flight == 1
