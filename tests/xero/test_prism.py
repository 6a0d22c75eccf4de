"""The client against Stoplight Prism serving Xero's own Finance API spec.

Prism validates every request against ``tests/xero_spec/xero-finance.yaml`` (a request that breaks
the spec, or lacks the OAuth2 ``Authorization`` header, gets 400/401 and an ``sl-violations``
header locating the fault in the request) and answers valid ones with the spec's examples, which
must parse with lendcheck's models. Prism also checks its examples against the spec's schemas:
the only response violation is the spec's own known slip (contacts examples say ``id`` where the
schema says ``contactId``; lendcheck accepts both). Prism is installed from the npm registry
into ``.cache/prism`` once; the tests are skipped only where npm itself is absent.

Prism serves the spec's paths at its root (it drops the server URL's ``/finance.xro/1.0``), and
the spec has no ``/connections``: a transport in front of it strips the prefix and answers
``/connections`` itself. Every Finance API request still goes to Prism over real HTTP.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from filelock import FileLock

from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.auth import StaticTokenSource
from lendcheck.xero.client import RetryPolicy
from lendcheck.xero.fetch import FetchResult, fetch_snapshot
from lendcheck.xero.responses import bank_statements
from tests.conftest import FINANCE_SPEC as SPEC

from .conftest import ROOT, settings_for

pytestmark = pytest.mark.slow

PRISM_DIR = ROOT / ".cache" / "prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"
TENANT = "fe79f7dd-b6d4-4a92-ba7b-538af6289c58"  # the spec's example tenant


@contextmanager
def prism_server(spec: Path, *options: str) -> Iterator[str]:
    """Prism mocking ``spec`` on 127.0.0.1 (installed with npm on first use); yields its URL.
    ``options`` go to ``prism mock`` (``--dynamic`` for generated answers)."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: the Prism contract test needs @stoplight/prism-cli")
    PRISM_DIR.mkdir(parents=True, exist_ok=True)
    # make test runs on every core: the Finance and Accounting API tests may start Prism at once
    # in two workers, and only one may install it.
    with FileLock(PRISM_DIR / "install.lock"):
        if not PRISM.exists():
            subprocess.run(
                [
                    npm,
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    str(PRISM_DIR),
                    "@stoplight/prism-cli",
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # One log per server: two xdist workers may each start Prism on the same spec at once, and
    # with a shared log one would read the other's "Prism is listening" and connect too early.
    log = PRISM_DIR.resolve() / f"prism-{spec.stem}{'-'.join(('', *options))}-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(PRISM), "mock", str(spec), *options, "-h", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        # The Accounting API spec is a megabyte of YAML: Prism needs minutes on a busy machine.
        deadline = time.monotonic() + 600
        while b"Prism is listening" not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Prism did not start:\n{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def prism_url() -> Iterator[str]:
    """Prism mocking the Finance API spec on 127.0.0.1 (installed with npm on first use)."""
    with prism_server(SPEC) as url:
        yield url


#: Paths answered with the spec's examples even in dynamic mode: Prism's generator does not
#: come back within minutes from the reports' schema (rows nested in rows) and answers 500 to
#: /Invoices (measured with Prism 5: /Organisation, /Accounts, /BankTransactions and /Journals
#: generate in under a second).
STATIC_PATHS = ("/Reports/", "/Invoices")


class PrismRoute(httpx.AsyncBaseTransport):
    """Strips the API's path prefix before Prism (it serves the spec's paths at its root) and
    answers ``/connections`` (not in the spec); records each API request and Prism's answer.
    ``dynamic``: asks Prism for generated answers (``Prefer: dynamic=true``) except on
    :data:`STATIC_PATHS`. One route for the Finance and the Accounting API tests."""

    def __init__(self, prefix: str = "/finance.xro/1.0", *, dynamic: bool = False) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.prefix = prefix
        self.dynamic = dynamic
        self.exchanges: list[tuple[httpx.Request, int, list[dict[str, Any]]]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/connections":
            return httpx.Response(
                200,
                json=[
                    {"tenantId": TENANT, "tenantName": "Demo Company", "tenantType": "ORGANISATION"}
                ],
            )
        request.url = request.url.copy_with(path=request.url.path.removeprefix(self.prefix))
        if self.dynamic and not request.url.path.startswith(STATIC_PATHS):
            request.headers["Prefer"] = "dynamic=true"
        response = await self.inner.handle_async_request(request)
        violations = json.loads(response.headers.get("sl-violations", "[]"))
        self.exchanges.append((request, response.status_code, violations))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def prism_fetch(
    url: str, tmp_path: Path, route: PrismRoute, as_of: date, source: str = "finance"
) -> FetchResult:
    """``fetch_snapshot`` of 24 months from ``source`` through ``route`` to Prism at ``url``."""
    return fetch_snapshot(
        tmp_path / "snap",
        tenant_id=TENANT,
        as_of=as_of,
        months=24,
        settings=settings_for(url, tmp_path),
        tokens=StaticTokenSource("prism-test-access-token"),
        # Prism (Node) closes idle keep-alive connections after 5 s, and a busy machine can
        # leave one idle that long: the client retries a dropped connection, as it does Xero's.
        client_options={
            "transport": route,
            "retry": RetryPolicy(attempts=3, backoff_base=0.1, backoff_max=0.5),
        },
        source=source,
    )


def request_faults(route: PrismRoute) -> list[tuple[str, str]]:
    """Prism's complaints about lendcheck's requests (path, message): none is allowed."""
    return [
        (r.url.path, v["message"])
        for r, _, vs in route.exchanges
        for v in vs
        if v["location"][0] == "request"
    ]


def test_requests_pass_prism_and_examples_parse(prism_url: str, tmp_path: Path) -> None:
    route = PrismRoute()
    as_of = date(2026, 10, 31)
    result = prism_fetch(prism_url, tmp_path, route, as_of)
    refused = [(r.url.path, status) for r, status, _ in route.exchanges if status != 200]
    assert refused == []
    assert request_faults(route) == []
    example_slips = {
        (r.url.path, v["message"].split(";")[-1].strip())
        for r, _, vs in route.exchanges
        for v in vs
        if v["location"][0] == "response"
    }
    assert example_slips == {
        (fp.CONTACTS_REVENUE, "found 'id'"),
        (fp.CONTACTS_EXPENSE, "found 'id'"),
    }
    # the example CashValidation has one bank account: two 12-month windows of it
    plan = fp.fetch_plan(as_of, ["73151de8-3676-4887-a021-edec960dd537"], 24)
    assert len(route.exchanges) == len(plan) == result.calls
    for request, _, _ in route.exchanges:
        assert request.headers["xero-tenant-id"] == TENANT
        assert request.headers["authorization"] == "Bearer prism-test-access-token"
    snapshot = load_snapshot(result.path)  # every example parses with its model
    assert all(call.status == 200 for call in snapshot.calls)
    statements = bank_statements(snapshot, snapshot.all_of(fp.BANK_STATEMENTS)[0])
    assert statements.statements and statements.statements[0].statement_lines
    manifest = json.loads((result.path / "manifest.json").read_bytes())
    assert manifest["tenant_name"] == "Demo Company"


def test_prism_refuses_what_breaks_the_spec(prism_url: str) -> None:
    """The contract test can fail: Prism does reject a request without the header or token."""
    base = prism_url + "/BankStatementsPlus/statements"
    params = {
        "BankAccountID": "73151de8-3676-4887-a021-edec960dd537",
        "FromDate": "2025-11-01",
        "ToDate": "2026-10-31",
        "SummaryOnly": "false",
    }
    no_tenant = httpx.get(base, params=params, headers={"Authorization": "Bearer x"})
    assert no_tenant.status_code == 400
    assert "xero-tenant-id" in no_tenant.headers["sl-violations"]
    no_token = httpx.get(base, params=params, headers={"xero-tenant-id": TENANT})
    assert no_token.status_code == 401
    missing = httpx.get(
        base,
        params={"BankAccountID": params["BankAccountID"]},
        headers={"Authorization": "Bearer x", "xero-tenant-id": TENANT},
    )
    assert missing.status_code == 400
    assert "fromdate" in missing.headers["sl-violations"].lower()
