"""The report of the bundled samples: content, determinism, conventions, snapshot."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lendcheck.errors import UsageError
from lendcheck.render.json_report import render_json
from lendcheck.report import SCHEMA_VERSION, Report, build_report
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.responses import bank_statements
from tests.conftest import SAMPLE_NAMES
from tests.report.conftest import DEFAULT_SAMPLE, SAMPLES


def test_every_sample_is_committed_and_nothing_else() -> None:
    """The samples folder holds one snapshot per simulator profile (SAMPLE_NAMES)."""
    on_disk = sorted(p.name for p in SAMPLES.iterdir() if (p / "manifest.json").is_file())
    assert on_disk == SAMPLE_NAMES


def test_report_json_snapshot(cafe_report: Report, snapshot) -> None:
    assert render_json(cafe_report).decode() == snapshot


def test_report_json_is_byte_identical_across_runs(cafe_report: Report) -> None:
    again = build_report(load_snapshot(DEFAULT_SAMPLE))
    assert render_json(again) == render_json(cafe_report)


def test_identity_and_provenance(cafe_report: Report) -> None:
    snap = load_snapshot(DEFAULT_SAMPLE)
    assert cafe_report.schema_version == SCHEMA_VERSION
    assert cafe_report.applicant.tenant_name == "Harbour Cafe Ltd"
    assert cafe_report.applicant.base_currency == "GBP"
    assert cafe_report.as_of == date(2026, 10, 31)
    assert re.fullmatch(r"lc-[0-9a-f]{24}", cafe_report.report_id)
    assert cafe_report.inputs.input_digest == snap.input_digest
    assert len(cafe_report.inputs.calls) == len(snap.calls)
    assert cafe_report.inputs.missing == []
    planned = fp.fetch_plan(snap.as_of, [a.bank_account_id for a in cafe_report.bank.accounts])
    assert {c.key for c in planned} == {fp.call_key(c.endpoint, c.params) for c in snap.calls}


def _floats(value: object, path: str = "") -> list[tuple[str, float]]:
    if isinstance(value, float):
        return [(path, value)]
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in _floats(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [f for i, v in enumerate(value) for f in _floats(v, f"{path}[{i}]")]
    return []


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_json_conventions(name: str) -> None:
    report = build_report(load_snapshot(SAMPLES / name))
    data = json.loads(render_json(report))

    # Shares, ratios and days are rounded to at most 4 decimals; no float is money. The one
    # exception: the cross-check shows value-weighted ages at Xero's own 6 decimals.
    def places(path: str) -> int:
        return 6 if re.search(r"\.cross_check\.ages\[\d+\]\.", path) else 4

    unrounded = [(p, v) for p, v in _floats(data) if round(v, places(p)) != v]
    assert unrounded == []
    # Every money object is a decimal string with two places and a currency code.
    money = _money_objects(data)
    assert money
    assert [m for m in money if not re.fullmatch(r"-?\d+\.\d{2}", m["amount"])] == []
    assert {m["currency"] for m in money} == {report.applicant.base_currency}


def _money_objects(value: object) -> list[dict]:
    if isinstance(value, dict):
        if set(value) == {"amount", "currency"} and isinstance(value["amount"], str):
            return [value]
        return [m for v in value.values() for m in _money_objects(v)]
    if isinstance(value, list):
        return [m for v in value for m in _money_objects(v)]
    return []


def test_numbers_match_the_statements(cafe_report: Report) -> None:
    snap = load_snapshot(DEFAULT_SAMPLE)
    pnl = snap.get(fp.PROFIT_AND_LOSS, {"startDate": "2025-11-01", "endDate": "2026-10-31"}).data
    current = cafe_report.financials.profit_and_loss.current
    assert current.revenue.amount == pnl.revenue.total
    assert current.net_profit.amount == pnl.net_profit_loss
    lines = sum(
        1
        for r in snap.all_of(fp.BANK_STATEMENTS)
        for s in bank_statements(snap, r).statements
        for line in s.statement_lines
        if not line.is_deleted
    )
    assert cafe_report.bank.overall.total_lines == lines
    assert cafe_report.bank.overall.cross_check_agrees is True


def test_refused_cashflow_is_named_not_zeroed() -> None:
    report = build_report(load_snapshot(SAMPLES / "mesa-roasters"))
    missing = [m for m in report.inputs.missing if m.endpoint == fp.CASHFLOW]
    assert len(missing) == 2
    assert all("400" in m.reason and "US region" in m.reason for m in missing)
    assert report.financials.cash_flow.current is None or (
        report.financials.cash_flow.current.operating_activities is None
    )


def test_as_of_after_the_snapshot_is_refused() -> None:
    with pytest.raises(UsageError, match="after the snapshot's date"):
        build_report(load_snapshot(DEFAULT_SAMPLE), as_of=date(2026, 11, 30))


def test_earlier_as_of_the_snapshot_does_not_support_is_refused() -> None:
    # The snapshot holds its periods ending 2026-10-31 only: a report at 2026-09-30 would
    # show the P&L and balance sheet the option removed as missing.
    with pytest.raises(UsageError, match="report dates this snapshot supports: 2026-10-31;"):
        build_report(load_snapshot(DEFAULT_SAMPLE), as_of=date(2026, 9, 30))


def test_money_is_exact_in_the_dump(cafe_report: Report) -> None:
    data = json.loads(render_json(cafe_report))
    revenue = data["financials"]["profit_and_loss"]["current"]["revenue"]
    assert revenue == {"amount": "505103.63", "currency": "GBP"}
    assert (
        Decimal(revenue["amount"]) == cafe_report.financials.profit_and_loss.current.revenue.amount
    )


def test_untrusted_text_is_cleaned_in_json(tmp_path: Path) -> None:
    from tests.report.conftest import edit_sample

    hostile = "PAYEE \u202eexe.pdf\x00" + "x" * 5000

    def plant(data: dict) -> None:
        line = data["statements"][0]["statementLines"][0]
        line.update(
            payee=hostile, reference="INV-1\u200b\u2066", isReconciled=False, isDeleted=False
        )

    snap = edit_sample(SAMPLES / "fernleaf-studio", tmp_path / "snap", plant, fp.BANK_STATEMENTS)
    text = render_json(build_report(load_snapshot(snap))).decode()
    data = json.loads(text)
    [line] = [x for x in data["bank"]["oldest_unreconciled_lines"] if x["reference"] == "INV-1"]
    assert line["payee"].startswith("PAYEE exe.pdf" + "x" * 100)
    assert len(line["payee"]) == 1000 and line["payee"].endswith("…")
    for hidden in ("\u202e", "\\u0000", "\u200b", "\u2066"):
        assert hidden not in text


def _add_organisation(snap: Path, organisation: dict[str, str]) -> None:
    """Add a /Organisation call holding ``organisation`` to a copied snapshot."""
    import hashlib

    from tests.corpus.cases import manifest, save_manifest

    body = json.dumps({"Organisations": [organisation]})
    (snap / "organisation.json").write_text(body)
    calls = manifest(snap)
    calls["calls"].append(
        {
            "endpoint": "/Organisation",
            "params": {},
            "status": 200,
            "file": "organisation.json",
            "sha256": hashlib.sha256(body.encode()).hexdigest(),
        }
    )
    save_manifest(snap, calls)


def test_base_currency_is_the_organisations_and_that_of_the_financial_statements(
    tmp_path: Path,
) -> None:
    """One rule for the applicant's currency and the financial statements': the
    /Organisation call's BaseCurrency when the snapshot holds it (here it differs from the
    currency of every bank account, GBP)."""
    import shutil

    snap = tmp_path / "snap"
    shutil.copytree(DEFAULT_SAMPLE, snap)
    _add_organisation(snap, {"Name": "Harbour Cafe Ltd", "BaseCurrency": "nzd"})
    report = build_report(load_snapshot(snap))
    assert report.applicant.base_currency == "NZD"
    revenue = report.financials.profit_and_loss.current.revenue
    assert revenue is not None and revenue.currency == "NZD"


KOWHAI = SAMPLES / "kowhai-builders"
KOWHAI_VISA = "83faac57"  # prefix of kowhai-builders' ASB Visa Business account


def _nz_organisation_with_an_aud_account(tmp_path: Path, aud_balance: str) -> Path:
    """kowhai-builders (NZ, NZD) with its Visa account made an AUD account: CashValidation
    gives the account's own balance ``aud_balance`` in AUD and BankStatementsPlus says AUD;
    the balance sheet keeps its NZD value (25,234.34). One NZD and one AUD account: counting
    accounts per currency cannot tell the base currency (a tie, once broken towards AUD)."""
    import shutil

    from tests.corpus.cases import manifest, rewrite

    snap = tmp_path / "nz"
    shutil.copytree(KOWHAI, snap)
    for call in manifest(snap)["calls"]:
        if call["status"] != 200 or call["endpoint"] not in (
            fp.CASH_VALIDATION,
            fp.BANK_STATEMENTS,
        ):
            continue
        text = (snap / call["file"]).read_text()
        data = json.loads(text)
        if call["endpoint"] == fp.BANK_STATEMENTS:
            if not data["bankAccountId"].startswith(KOWHAI_VISA):
                continue
            data["bankAccountCurrencyCode"] = "AUD"
        else:
            for account in data:
                if account["accountId"].startswith(KOWHAI_VISA):
                    account["cashAccount"]["balanceCurrency"] = "AUD"
                    if "asAtSystemDate" not in call["params"]:
                        account["cashAccount"]["accountBalance"] = float(aud_balance)
        rewrite(snap, call["file"], json.dumps(data).encode())
    return snap


def test_base_currency_comes_from_the_financial_statements_not_the_account_count(
    tmp_path: Path,
) -> None:
    """Issue 16 finding 2: an NZ organisation with one NZD and one AUD account got base
    currency AUD (its NZD P&L labelled AUD, its NZD account left out as foreign, a false red
    revenue_not_seen_in_bank flag). The NZD cheque account shows 18,791.45 both in the balance
    sheet and in its own currency; the AUD account's 22,961.25 AUD is 25,234.34 NZD in the
    balance sheet: the statements are in NZD."""
    report = build_report(load_snapshot(_nz_organisation_with_an_aud_account(tmp_path, "22961.25")))
    assert report.applicant.base_currency == "NZD"
    assert report.applicant.base_currency_basis == "financial_statements"
    revenue = report.financials.profit_and_loss.current.revenue
    assert revenue is not None and revenue.currency == "NZD"
    books = report.financials.bank_to_books
    assert [a[:8] for a in books.excluded_foreign_currency_accounts] == [KOWHAI_VISA]
    assert books.bank_inflows is not None and books.bank_inflows.currency == "NZD"
    # The foreign account is analysed in its own currency, never relabelled.
    visa = next(a for a in report.bank.accounts if a.bank_account_id.startswith(KOWHAI_VISA))
    assert visa.currency == "AUD"
    assert "revenue_not_seen_in_bank" not in {f.rule_id for f in report.verdict.flags}


def test_unknown_base_currency_is_said_not_guessed(tmp_path: Path) -> None:
    """When no account's balance agrees between the balance sheet and its own currency (and
    there is no /Organisation), the base currency is unknown: "" with the reason, and bank
    amounts are not set against the financial statements'."""
    snap = _nz_organisation_with_an_aud_account(tmp_path, "25234.34")  # AUD = NZD: ambiguous
    report = build_report(load_snapshot(snap))
    assert report.applicant.base_currency == ""
    assert report.applicant.base_currency_basis is None
    assert report.applicant.not_available == {
        "base_currency": "bank accounts in AUD and NZD each show the same balance in the "
        "balance sheet as in their own currency"
    }
    books = report.financials.bank_to_books
    assert books.bank_inflows is None
    assert books.not_available["bank_inflows"].startswith(
        "the organisation's base currency could not be established"
    )
    assert "revenue_not_seen_in_bank" not in {f.rule_id for f in report.verdict.flags}
    from lendcheck.render.html import render_html

    assert "The base currency could not be established: bank accounts in AUD and NZD" in (
        render_html(report)
    )


def test_a_kuwaiti_dinar_organisation_reports_at_three_decimals(tmp_path: Path) -> None:
    """Issue 16 finding 2: one amount with three decimals (KWD, BHD, OMR) aborted the whole
    report. harbour-cafe made a KWD organisation (every account KWD, /Organisation KWD) with
    one statement line of 12.345: the report is written, that account's figures carry KWD and
    three decimals, and the line's amount is exact."""
    import shutil

    from tests.corpus.cases import manifest, rewrite

    snap = tmp_path / "kwd"
    shutil.copytree(DEFAULT_SAMPLE, snap)
    first_line = None
    for call in manifest(snap)["calls"]:
        if call["status"] != 200 or call["endpoint"] not in (
            fp.CASH_VALIDATION,
            fp.BANK_STATEMENTS,
        ):
            continue
        data = json.loads((snap / call["file"]).read_text())
        if call["endpoint"] == fp.BANK_STATEMENTS:
            data["bankAccountCurrencyCode"] = "KWD"
            line = data["statements"][0]["statementLines"][0]
            if first_line is None:
                first_line = line["statementLineId"]
                line["amount"] = 12.345
        else:
            for account in data:
                account["cashAccount"]["balanceCurrency"] = "KWD"
        rewrite(snap, call["file"], json.dumps(data).encode())
    _add_organisation(snap, {"BaseCurrency": "KWD"})
    report = build_report(load_snapshot(snap))
    assert report.applicant.base_currency == "KWD"
    data = json.loads(render_json(report))
    revenue = data["financials"]["profit_and_loss"]["current"]["revenue"]
    assert revenue["currency"] == "KWD" and re.fullmatch(r"-?\d+\.\d{3}", revenue["amount"])
    totals = [a["reconciliation"]["total_amount"] for a in data["bank"]["accounts"]]
    assert {t["currency"] for t in totals} == {"KWD"}
    assert all(re.fullmatch(r"-?\d+\.\d{3}", t["amount"]) for t in totals)
    from lendcheck.frames import bank_frames

    lines = bank_frames(load_snapshot(snap)).statement_lines
    amount = lines.filter(lines["statement_line_id"] == first_line.lower())["amount"].to_list()
    assert amount == [12345]  # thousandths: 12.345 KWD, exact
