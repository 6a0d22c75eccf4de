"""The live path against hostile servers (issue 20, findings 2 and 4).

Finding 2: a server that echoes the credentials it got (the Authorization header in a 401, 400 or
503 body and in response headers) used to have ``Bearer <token>`` printed in the error message,
with or without ``--debug``, and kept in the snapshot. Every known secret is now masked in every
message, log line and file. Finding 4: a gzip bomb was inflated whole (2.5 GB) and a body dripped
a byte at a time hung for ever; each is now refused with exit 3 naming the call and the limit.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from lendcheck.cli import main
from lendcheck.xero.auth import StaticTokenSource
from lendcheck.xero.client import ApiResponse, FinanceClient, RetryPolicy
from lendcheck.xero.client import Limits as ClientLimits
from lendcheck.xero.config import Settings
from lendcheck.xero.errors import AuthError, BadResponseError, NetworkError, UnavailableError

from .conftest import HARBOUR, FakeClock, settings_for, store_login
from .test_cli import _env

TENANT = json.loads((HARBOUR / "manifest.json").read_bytes())["tenant_id"]
TOKEN = "at.echoed-access-token-0123456789"


def _echo(status: int) -> httpx.Response:
    auth = f"Bearer {TOKEN}"
    problem = {"type": "invalid-request", "title": "Echo", "status": status, "detail": auth}
    return httpx.Response(
        status, json=problem, headers={"X-Echo": auth, "WWW-Authenticate": f"{auth} {TOKEN}"}
    )


def _get(response: Any, **limits: Any) -> ApiResponse:
    def handler(request: httpx.Request) -> httpx.Response:
        return response() if callable(response) else response

    clock = FakeClock()

    async def run() -> ApiResponse:
        async with FinanceClient(
            Settings(api_url="https://api.xero.com"),
            StaticTokenSource(TOKEN),
            transport=httpx.MockTransport(handler),
            clock=clock,
            sleep=clock.sleep,
            retry=RetryPolicy(attempts=2),
            limits=ClientLimits(**limits),
        ) as client:
            return await client.get("/CashValidation", {}, tenant_id=TENANT)

    return asyncio.run(run())


@pytest.mark.parametrize(("status", "error"), [(401, AuthError), (503, UnavailableError)])
def test_an_echoed_token_never_reaches_the_message(status: int, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        _get(_echo(status))
    assert TOKEN not in str(caught.value)
    assert "[REDACTED]" in str(caught.value)  # the detail is shown, masked


def test_an_echoed_token_is_not_kept_in_a_recorded_answer() -> None:
    answer = _get(_echo(400))
    assert TOKEN.encode() not in answer.body
    assert answer.problem is not None and TOKEN not in (answer.problem.detail or "")


def test_a_token_in_a_successful_answer_is_masked_and_the_json_stays_valid() -> None:
    answer = _get(httpx.Response(200, json=[{"note": f"x {TOKEN} y"}]))
    assert json.loads(answer.body) == [{"note": "x [REDACTED] y"}]


def test_a_gzip_bomb_is_refused_at_the_limit() -> None:
    bomb = gzip.compress(b"0" * 50_000_000, compresslevel=9)  # 50 MB inflated, 50 KB sent

    def response() -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=bomb)

    with pytest.raises(BadResponseError, match=r"over the limit of 1,000,000 bytes"):
        _get(response, max_body_bytes=1_000_000)


def test_a_dripped_body_is_refused_at_the_time_limit() -> None:
    async def drip() -> AsyncIterator[bytes]:
        while True:
            yield b" "
            await asyncio.sleep(0.05)

    def response() -> httpx.Response:
        return httpx.Response(200, content=drip())

    with pytest.raises(NetworkError, match=r"took longer than the limit of 0\.5 s per call"):
        _get(response, call_seconds=0.5)


# --- end to end, through the CLI and the fake Xero


def _files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_401_echoing_the_token_prints_no_token(fake_xero, tmp_path: Path, debug) -> None:
    xero, url = fake_xero
    store_login(xero, settings_for(url, tmp_path))
    xero.inject("echo-401", "/CashValidation", times=10)
    result = CliRunner().invoke(
        main,
        [*debug, "fetch", "--tenant-id", TENANT, "-o", str(tmp_path / "snap")],
        env=_env(url, tmp_path),
    )
    assert result.exit_code == 3, result.output
    assert "rejected the access token" in result.output
    assert "request had Authorization: Bearer [REDACTED]" in result.output
    assert xero.issued
    for secret in xero.issued:
        assert secret not in result.output


def test_a_recorded_answer_echoing_the_token_is_kept_masked(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    store_login(xero, settings_for(url, tmp_path))
    xero.inject("echo-400", "/FinancialStatements/Cashflow", times=10)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["--debug", "report", "--tenant-id", TENANT, "--as-of", "2026-10-31", "-o", str(out)],
        env=_env(url, tmp_path),
    )
    assert result.exit_code in (0, 1), result.output
    written = _files(out)
    assert b"[REDACTED]" in written  # the 400 is recorded, masked
    for secret in xero.issued:
        assert secret.encode() not in written
        assert secret not in result.output
