"""``fetch --source accounting`` against Stoplight Prism serving Xero's own Accounting API spec
(``tests/xero_spec/xero_accounting.yaml``, cut to the paths the fetch plan calls, every line of
them as Xero wrote it), as ``test_prism.py`` does for the Finance API.

Prism checks every request against the spec (parameters, the ``xero-tenant-id`` header, the
OAuth2 token): none may be refused. In static mode it answers with the spec's examples (and,
for ``/Reports/ProfitAndLoss``, which has none, with a report built from the schema), which must
parse with lendcheck's models; in dynamic mode (asked per request with
``Prefer: dynamic=true``) with random data of the schemas' shapes, which the fetch must page
through and store, and which the snapshot reader parses or refuses with a
:class:`SnapshotError` naming the file and field (Xero's dates are strings in the spec, so
random text lands in date fields), never with anything else. The reports and /Invoices stay
static in that test (``test_prism.STATIC_PATHS``: Prism's generator does not come back from the
reports' rows nested in rows within minutes, and answers 500 to /Invoices).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from lendcheck.errors import SnapshotError
from lendcheck.frames.accounting import read_books
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import accounting_plan as plan
from tests.conftest import ACCOUNTING_SPEC

from .test_prism import TENANT, PrismRoute, prism_fetch, prism_server, request_faults

pytestmark = pytest.mark.slow

AS_OF = date(2026, 10, 31)


def planned_paths_only(spec: Path, out: Path) -> Path:
    """``spec`` (an OpenAPI document in block YAML, as Xero writes it) with only the paths of
    :data:`plan.ENDPOINTS`: every other line as in the spec. Prism reads the examples of all
    138 paths at start (13 s of CPU) though the fetch calls 9 (4 s); a request to any other path
    would get Prism's 404, which the tests fail on."""
    kept: list[str] = []
    keep = True
    in_paths = False
    for line in spec.read_text(encoding="utf-8").splitlines(keepends=True):
        if line[:1] not in (" ", "\n", "#"):  # a top-level key
            in_paths, keep = line.startswith("paths:"), True
        elif in_paths and line.startswith("  /"):  # a path's first line: "  /Accounts:"
            keep = line.strip().removesuffix(":") in plan.ENDPOINTS
        if keep:
            kept.append(line)
    out.write_text("".join(kept), encoding="utf-8")
    return out


def test_planned_paths_only_keeps_the_planned_paths_whole(
    accounting_spec: dict, tmp_path: Path
) -> None:
    import yaml

    path = planned_paths_only(ACCOUNTING_SPEC, tmp_path / "spec.yaml")
    trimmed = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert sorted(trimmed["paths"]) == sorted(plan.ENDPOINTS)
    assert trimmed == accounting_spec | {
        "paths": {p: accounting_spec["paths"][p] for p in plan.ENDPOINTS}
    }


@pytest.fixture(scope="module")
def static_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    spec = planned_paths_only(ACCOUNTING_SPEC, tmp_path_factory.mktemp("spec") / "spec.yaml")
    with prism_server(spec) as url:
        yield url


def accounting_route(*, dynamic: bool = False) -> PrismRoute:
    """:class:`PrismRoute` in front of the Accounting API spec (prefix ``/api.xro/2.0``)."""
    return PrismRoute(plan.ACCOUNTING_PATH, dynamic=dynamic)


def test_static_examples(static_url: str, tmp_path: Path) -> None:
    route = accounting_route()
    result = prism_fetch(static_url, tmp_path, route, AS_OF, "accounting")
    assert [(r.url.path, s) for r, s, _ in route.exchanges if s != 200] == []
    assert request_faults(route) == []
    # the examples' lists are short (3 records, pageCount 1): one page each
    paths = [r.url.path for r, _, _ in route.exchanges]
    assert len(paths) == result.calls == 8 + 3
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
    route = accounting_route(dynamic=True)
    result = prism_fetch(static_url, tmp_path, route, AS_OF, "accounting")
    assert [(r.url.path, s) for r, s, _ in route.exchanges if s != 200] == []
    assert request_faults(route) == []
    assert {r.url.path for r, _, _ in route.exchanges} == set(plan.ENDPOINTS)
    manifest = json.loads((result.path / "manifest.json").read_bytes())
    assert len(manifest["calls"]) == result.calls == len(route.exchanges)
    try:
        load_snapshot(result.path)
    except SnapshotError as exc:
        assert "response does not fit its model at" in str(exc)
        assert "accounting/" in str(exc)
