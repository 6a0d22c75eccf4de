"""``fetch --source accounting|both`` against the fake Xero: the Accounting API plan paged as Xero
pages, within the same limits as the Finance API, 429 with Retry-After, an empty organisation,
and the report of what was fetched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lendcheck.api import make_report
from lendcheck.errors import UsageError
from lendcheck.frames.accounting import read_books
from lendcheck.report.accounting_statements import monthly_statements
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import accounting_plan as plan
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.config import scopes_for
from lendcheck.xero.fetch import FetchResult, fetch_snapshot

from .accounting_data import AS_OF, with_accounting
from .conftest import HARBOUR, TODAY, FakeClock, fast_client_options, settings_for, store_login
from .fake_xero import FakeXero


@pytest.fixture
def both(_shared_server, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The fake serving harbour-cafe with Accounting API data beside its Finance API data."""
    current, url = _shared_server
    current.xero = FakeXero(with_accounting(HARBOUR, tmp_path / "served"), today=TODAY)
    yield current.xero, url
    current.xero = None


def _fetch(xero: FakeXero, url: str, tmp: Path, clock: FakeClock, source: str, **kw) -> FetchResult:  # type: ignore[no-untyped-def]
    settings = settings_for(url, tmp)
    store_login(xero, settings)
    return fetch_snapshot(
        tmp / "snap",
        tenant_id=xero.tenant_id,
        as_of=AS_OF,
        months=24,
        settings=settings,
        client_options=fast_client_options(clock),
        source=source,
        **kw,
    )


def test_both_sources_in_one_snapshot(both, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    xero, url = both
    ticks: list[tuple[int, int]] = []
    result = _fetch(
        xero, url, tmp_path, clock, "both", progress=lambda d, t, c, s: ticks.append((d, t))
    )
    assert xero.violations == []
    # 29 Finance API calls, as a Finance fetch makes, byte for byte the sample's
    finance = [(s.endpoint, s.params) for s in xero.finance_calls()]
    assert len(finance) == 29
    sample = json.loads((HARBOUR / "manifest.json").read_bytes())["calls"]
    ours = json.loads((result.path / "manifest.json").read_bytes())["calls"]
    assert [c for c in ours if "api" not in c] == sample
    # 8 fixed Accounting API calls; invoices 1 page; 1,203 bank transactions at 1,000 a page:
    # 2 pages; journals keyed since 2025-11-01 (230 of 250), 100 a page: offsets 0, 120, 220
    seen = xero.accounting_calls()
    assert len(seen) == 8 + 1 + 2 + 3
    assert [s.params for s in seen if s.endpoint == plan.JOURNALS] == [
        {"offset": "0"},
        {"offset": "120"},
        {"offset": "220"},
    ]
    for request in seen:
        assert request.headers["xero-tenant-id"] == xero.tenant_id
        if request.endpoint == plan.JOURNALS:
            assert request.headers["if-modified-since"] == "2025-11-01T00:00:00Z"
    assert [s.params["page"] for s in seen if s.endpoint == plan.BANK_TRANSACTIONS] == ["1", "2"]
    assert result.calls == 29 + 14 == len(ours) and result.source == "both"
    assert xero.max_in_flight <= 5  # both APIs within one organisation's limits
    assert [d for d, _ in ticks] == list(range(1, 44)) and ticks[-1][1] == 43
    entries = [c for c in ours if c.get("api") == "accounting"]
    assert {c["file"] for c in entries if c["endpoint"] == plan.BANK_TRANSACTIONS} == {
        "accounting/banktransactions/page-0001.json",
        "accounting/banktransactions/page-0002.json",
    }

    snapshot = load_snapshot(result.path)
    books = read_books(snapshot, AS_OF, 24)
    assert books.missing == {}
    assert books.organisation is not None and books.organisation.base_currency == "GBP"
    assert books.bank_transactions is not None and len(books.bank_transactions) == 1200
    assert books.excluded_bank_transactions == {"DELETED": 2, "VOIDED": 1}
    assert books.invoices is not None and len(books.invoices) == 2
    assert books.excluded_invoices == {"VOIDED": 1}
    assert books.journals is not None and len(books.journals) == 230
    assert books.pnl_months is not None and len(books.pnl_months.columns) == 12
    # the two monthly P&L calls: November 2024 to October 2026, each month once
    months = monthly_statements(snapshot, books.accounts, AS_OF)
    assert list(months) == [fp.add_months(AS_OF.replace(day=1), -i) for i in range(23, -1, -1)]

    report = make_report(result.path, tmp_path / "out", formats=("json",))
    assert report.report.applicant.tenant_name == "Harbour Cafe Ltd"


def test_accounting_only_makes_no_finance_call(both, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    xero, url = both
    result = _fetch(xero, url, tmp_path, clock, "accounting")
    assert xero.finance_calls() == [] and xero.violations == []
    manifest = json.loads((result.path / "manifest.json").read_bytes())
    assert len(manifest["calls"]) == 14
    assert {c["api"] for c in manifest["calls"]} == {"accounting"}
    assert load_snapshot(result.path).apis() == {"accounting"}


def test_429_retry_after_on_a_page_is_waited_for(both, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    xero, url = both
    xero.inject("429-minute", plan.BANK_TRANSACTIONS, retry_after=7)
    result = _fetch(xero, url, tmp_path, clock, "accounting")
    assert xero.served_429 == 1
    assert any(s >= 7 for s in clock.sleeps)
    pages = [s for s in xero.accounting_calls() if s.endpoint == plan.BANK_TRANSACTIONS]
    assert [s.status for s in pages] == [429, 200, 200]
    books = read_books(load_snapshot(result.path), AS_OF, 24)
    assert books.bank_transactions is not None and len(books.bank_transactions) == 1200


def test_an_empty_organisation(both, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    xero, url = both
    xero.empty_accounting()
    result = _fetch(xero, url, tmp_path, clock, "accounting")
    assert result.calls == 8 + 3  # one page of each list, each empty
    books = read_books(load_snapshot(result.path), AS_OF, 24)
    assert books.missing == {}
    assert (books.invoices, books.bank_transactions, books.journals) == ([], [], [])
    assert books.pnl_years is not None and books.pnl_years.lines == ()


def test_an_unknown_source_is_a_usage_error(both, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    xero, url = both
    with pytest.raises(UsageError, match="'payroll' is not one of finance, accounting, both"):
        _fetch(xero, url, tmp_path, clock, "payroll")
    assert xero.seen == []


def test_scopes_per_source() -> None:
    finance = (
        "offline_access",
        "finance.statements.read",
        "finance.cashvalidation.read",
        "finance.bankstatementsplus.read",
    )
    accounting = (
        "accounting.settings.read",
        "accounting.reports.read",
        "accounting.transactions.read",
        "accounting.journals.read",
    )
    assert scopes_for("finance") == finance
    assert scopes_for("finance", accounting_settings=True) == (*finance, accounting[0])
    assert scopes_for("accounting") == ("offline_access", *accounting)
    assert scopes_for("both") == (*finance, *accounting)
    # every scope is the one the Accounting API spec names for the endpoint
    assert set(plan.SCOPES.values()) == set(accounting)
    with pytest.raises(UsageError):
        scopes_for("all")


def test_login_asks_for_exactly_the_read_scopes_the_spec_names_for_the_planned_calls(
    accounting_spec: dict,
) -> None:
    # The Accounting API spec's `security` for each endpoint the plan calls, read scopes only:
    # the scopes `auth login --source accounting` asks for are exactly those. A scope no
    # planned call needs is not asked for: accounting.contacts.read guards /Contacts only, and
    # lendcheck takes contacts from the invoices and bank transactions it reads (their
    # ContactID and Name come under accounting.transactions.read). Adding /Contacts (or any
    # endpoint) to the plan without its scope fails here.
    spec = accounting_spec

    def read_scopes(path: str) -> set[str]:
        (requirement,) = spec["paths"][path]["get"]["security"]
        return {s for s in requirement["OAuth2"] if s.endswith(".read")}

    for endpoint in plan.ENDPOINTS:
        assert read_scopes(endpoint) == {plan.SCOPES[endpoint]}, endpoint
    needed = set().union(*(read_scopes(e) for e in plan.ENDPOINTS))
    assert set(scopes_for("accounting")) - {"offline_access"} == needed
    assert set(scopes_for("both")) - set(scopes_for("finance")) == needed
    assert read_scopes("/Contacts") == {"accounting.contacts.read"}
    assert "/Contacts" not in plan.ENDPOINTS
    assert "accounting.contacts.read" not in scopes_for("both")


def test_the_finance_fetch_is_unchanged_by_default(fake_xero, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    xero, url = fake_xero
    result = _fetch(xero, url, tmp_path, clock, "finance")
    assert result.calls == 29 and xero.accounting_calls() == []
    assert len(fp.ENDPOINTS) == 8


def test_cli_fetch_source_both_then_report(both, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from lendcheck.cli import main

    from .test_cli import _env

    xero, url = both
    store_login(xero, settings_for(url, tmp_path))
    env = _env(url, tmp_path)
    snap = tmp_path / "snap"
    fetched = CliRunner().invoke(
        main,
        [
            "fetch",
            "--tenant-id",
            xero.tenant_id,
            "--as-of",
            "2026-10-31",
            "--source",
            "both",
            "-o",
            str(snap),
        ],
        env=env,
    )
    assert fetched.exit_code == 0, fetched.output
    assert fetched.stdout.strip() == str(snap)
    assert "fetched 43 calls for Harbour Cafe Ltd" in fetched.stderr
    reported = CliRunner().invoke(
        main, ["report", str(snap), "-o", str(tmp_path / "out"), "--format", "json", "-q"], env=env
    )
    assert reported.exit_code in (0, 1), reported.output
    data = json.loads((tmp_path / "out" / "report.json").read_bytes())
    assert data["applicant"]["tenant_name"] == "Harbour Cafe Ltd"
    bad = CliRunner().invoke(
        main,
        ["fetch", "--tenant-id", xero.tenant_id, "--source", "ledger", "-o", str(snap)],
        env=env,
    )
    assert bad.exit_code == 2 and "'ledger' is not one of" in bad.output


def test_cli_report_tenant_id_source_accounting(both, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # `report --tenant-id` fetches from the source chosen, as `fetch --source` does: 13
    # Accounting API calls (harbour-cafe's books), no Finance API call, and the report rests on
    # the Accounting API.
    from click.testing import CliRunner

    from lendcheck.cli import main

    from .test_cli import _env

    xero, url = both
    store_login(xero, settings_for(url, tmp_path))
    out = tmp_path / "out"
    args = ["report", "--tenant-id", xero.tenant_id, "--as-of", "2026-10-31", "-o", str(out)]
    result = CliRunner().invoke(
        main, [*args, "--source", "accounting", "--format", "json", "-q"], env=_env(url, tmp_path)
    )
    assert result.exit_code in (0, 1), result.output
    calls = json.loads((out / "snapshot" / "manifest.json").read_bytes())["calls"]
    assert len(calls) == 14 and {c.get("api") for c in calls} == {"accounting"}
    assert xero.accounting_calls() != []
    report = json.loads((out / "report.json").read_bytes())
    assert report["accounting"]["source"] == "accounting"


def test_report_source_goes_with_tenant_id_only(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lendcheck.cli import main

    result = CliRunner().invoke(
        main, ["report", str(HARBOUR), "--source", "accounting", "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "--source chooses what to fetch and goes with --tenant-id" in result.output
    assert not (tmp_path / "o" / "report.json").exists()


def test_one_source_option_for_fetch_report_and_login() -> None:
    # One declaration (lendcheck.cli.fetch_cmd.source_option): the same choices and default.
    from lendcheck.cli import main

    commands = [main.commands["fetch"], main.commands["report"]]
    commands.append(main.commands["auth"].commands["login"])  # type: ignore[attr-defined]
    options = [next(p for p in command.params if p.name == "source") for command in commands]
    for option in options:
        assert list(option.type.choices) == ["finance", "accounting", "both"]  # type: ignore[attr-defined]
        assert option.default == "finance"
