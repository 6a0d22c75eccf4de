"""``fetch --source accounting`` against Stoplight Prism serving Xero's own Accounting API spec
(``tests/xero_spec/xero_accounting.yaml``), as ``test_prism.py`` does for the Finance API.

Prism checks every request against the spec (parameters, the ``xero-tenant-id`` header, the
OAuth2 token): none may be refused. In static mode it answers with the spec's examples (and,
for ``/Reports/ProfitAndLoss``, which has none, with a report built from the schema), which must
parse with lendcheck's models; in dynamic mode (asked per request with
``Prefer: dynamic=true``) with random data of the schemas' shapes, which the fetch must page
through and store, and which the snapshot reader parses or refuses with a
:class:`SnapshotError` naming the file and field (Xero's dates are strings in the spec, so
random text lands in date fields), never with anything else. The reports stay static in that
test: their schema nests rows in rows, and Prism's generator does not come back from it within
minutes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from lendcheck.accounting import plan
from lendcheck.accounting.books import read_books
from lendcheck.errors import SnapshotError
from lendcheck.snapshot import load_snapshot
from lendcheck.xero.auth import StaticTokenSource
from lendcheck.xero.client import RetryPolicy
from lendcheck.xero.fetch import FetchResult, fetch_snapshot
from tests.conftest import ACCOUNTING_SPEC

from .conftest import settings_for
from .test_prism import TENANT, prism_server

pytestmark = pytest.mark.slow

AS_OF = date(2026, 10, 31)


@pytest.fixture(scope="module")
def static_url() -> Iterator[str]:
    with prism_server(ACCOUNTING_SPEC) as url:
        yield url


class AccountingRoute(httpx.AsyncBaseTransport):
    """Strips ``/api.xro/2.0`` before Prism (it serves the spec's paths at its root) and answers
    ``/connections`` (not in the spec); records each Accounting API request and Prism's answer."""

    def __init__(self, *, dynamic: bool = False) -> None:
        self.inner = httpx.AsyncHTTPTransport()
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
        request.url = request.url.copy_with(
            path=request.url.path.removeprefix(plan.ACCOUNTING_PATH)
        )
        response = await self.inner.handle_async_request(request)
        violations = json.loads(response.headers.get("sl-violations", "[]"))
        self.exchanges.append((request, response.status_code, violations))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _fetch(url: str, tmp_path: Path, route: AccountingRoute) -> FetchResult:
    return fetch_snapshot(
        tmp_path / "snap",
        tenant_id=TENANT,
        as_of=AS_OF,
        months=24,
        settings=settings_for(url, tmp_path),
        tokens=StaticTokenSource("prism-test-access-token"),
        # Prism (Node) closes idle keep-alive connections after 5 s, and a busy machine can
        # leave one idle that long: the client retries a dropped connection, as it does Xero's.
        client_options={
            "transport": route,
            "retry": RetryPolicy(attempts=3, backoff_base=0.1, backoff_max=0.5),
        },
        source="accounting",
    )


def _request_faults(route: AccountingRoute) -> list[tuple[str, str]]:
    return [
        (r.url.path, v["message"])
        for r, _, vs in route.exchanges
        for v in vs
        if v["location"][0] == "request"
    ]


def test_static_examples(static_url: str, tmp_path: Path) -> None:
    route = AccountingRoute()
    result = _fetch(static_url, tmp_path, route)
    assert [(r.url.path, s) for r, s, _ in route.exchanges if s != 200] == []
    assert _request_faults(route) == []
    # the examples' lists are short (3 records, pageCount 1): one page each
    paths = [r.url.path for r, _, _ in route.exchanges]
    assert len(paths) == result.calls == 7 + 3
    assert sorted(set(paths)) == sorted(plan.ENDPOINTS)
    for request, _, _ in route.exchanges:
        assert request.headers["xero-tenant-id"] == TENANT
        assert request.headers["authorization"] == "Bearer prism-test-access-token"
    snapshot = load_snapshot(result.path)  # every answer parses with its model
    books = read_books(snapshot, AS_OF, 24)
    assert books.missing == {}
    assert books.organisation is not None and books.organisation.base_currency == "NZD"
    assert books.executive_summary is not None
    debtors = books.executive_summary.find("Balance Sheet", "Debtors")
    assert debtors is not None and str(debtors.number()) == "590.00"
    # the example's invoices: one VOIDED, left out and counted
    assert books.excluded_invoices.get("VOIDED") == 1


def test_dynamic_answers(static_url: str, tmp_path: Path) -> None:
    route = AccountingRoute(dynamic=True)
    result = _fetch(static_url, tmp_path, route)
    assert [(r.url.path, s) for r, s, _ in route.exchanges if s != 200] == []
    assert _request_faults(route) == []
    assert {r.url.path for r, _, _ in route.exchanges} == set(plan.ENDPOINTS)
    manifest = json.loads((result.path / "manifest.json").read_bytes())
    assert len(manifest["calls"]) == result.calls == len(route.exchanges)
    try:
        load_snapshot(result.path)
    except SnapshotError as exc:
        assert "response does not fit its model at" in str(exc)
        assert "accounting/" in str(exc)
