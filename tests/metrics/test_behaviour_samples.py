"""The behaviour signals planted by the simulator are found, with their values, and the samples
without them raise none of the behaviour flags (a false alarm costs a lender a good customer).

Planted (lendcheck/simulator/profiles.py and samples/*/README.md): copperleaf-catering (hidden
loan, unpaid VAT, dishonoured receipts, overdrawn days, blank and late lines, the owner's
round-sum receipts), kowhai-builders (GST owed growing while its payments sit unreconciled;
undeleted duplicate feed lines), sundown-wholesale (a fall in receipts, GST owed growing;
its whole hundreds are savings sweeps between its own accounts, no receipts at all).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

import pytest

from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot
from tests.conftest import SAMPLE_NAMES, SAMPLES

#: The default policy's rules over ``behaviour`` (docs/policy.md).
BEHAVIOUR_RULES = {
    "inflows_falling",
    "inflows_volatile",
    "overdrawn_days",
    "returned_payments",
    "undisclosed_debt",
    "tax_liabilities_growing",
    "tax_payments_overdue",
    "no_tax_payments",
    "round_sum_receipts",
    "benford_nonconformity",
    "duplicate_lines",
    "blank_descriptions",
    "late_entries",
}


@cache
def report(name: str) -> Report:
    return build_report(load_snapshot(SAMPLES / name))


def flags(name: str) -> dict[str, str]:
    return {
        f.rule_id: f.severity for f in report(name).verdict.flags if f.rule_id in BEHAVIOUR_RULES
    }


def test_every_behaviour_rule_is_in_the_default_policy() -> None:
    from lendcheck.report import load_report_policy

    assert {r.id for r in load_report_policy().policy.rules} >= BEHAVIOUR_RULES


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in SAMPLE_NAMES
        if n in {"harbour-cafe", "fernleaf-studio", "mesa-roasters", "northgate-haulage"}
    ],
)
def test_samples_without_planted_behaviour_raise_no_behaviour_flag(name: str) -> None:
    assert flags(name) == {}


def test_copperleaf_hidden_loan_is_undisclosed_debt() -> None:
    debt = report("copperleaf-catering").behaviour.debt_service
    (stream,) = debt.streams
    assert (stream.payee, stream.cadence, stream.payments) == ("IWOCA", "monthly", 18)
    assert stream.typical_amount.amount == Decimal("617.50")
    assert (stream.first_payment, stream.last_payment) == (date(2025, 5, 3), date(2026, 10, 3))
    assert debt.annual_debt_service is not None
    assert debt.annual_debt_service.amount == Decimal("7410.00")  # 12 x 617.50
    assert debt.balance_sheet_debt is not None and debt.balance_sheet_debt.amount == 0
    assert debt.undisclosed_debt_suspected is True
    assert flags("copperleaf-catering")["undisclosed_debt"] == "red"


def test_copperleaf_unpaid_vat() -> None:
    tax = report("copperleaf-catering").behaviour.tax_arrears
    vat = next(p for p in tax.tax_payees if p.payee == "HMRC VAT")
    assert vat.last_payment == date(2025, 11, 7)  # returns due from February 2026 unpaid
    assert tax.stalest_tax_payee_days == (date(2026, 10, 31) - date(2025, 11, 7)).days == 358
    assert tax.tax_liability_growth is not None and tax.tax_liability_growth > 1
    assert flags("copperleaf-catering")["tax_payments_overdue"] == "red"
    assert flags("copperleaf-catering")["tax_liabilities_growing"] == "red"


def test_copperleaf_dishonoured_receipts() -> None:
    returned = report("copperleaf-catering").behaviour.returned_payments
    assert (returned.returned_items, returned.dishonoured_receipts) == (3, 3)
    assert [(i.reversal.date, i.reversal.amount.amount) for i in returned.items] == [
        (date(2026, 5, 11), Decimal("-294.98")),
        (date(2026, 3, 23), Decimal("-917.64")),
        (date(2026, 2, 18), Decimal("-254.49")),
    ]
    for item in returned.items:
        assert item.original is not None
        assert item.original.amount.amount == -item.reversal.amount.amount
        assert item.reversal.reference is not None
        assert item.reversal.reference.startswith("DISHONOUR")


def test_copperleaf_overdrawn_after_the_oven() -> None:
    (current,) = [
        b
        for b in report("copperleaf-catering").behaviour.daily_balances
        if b.bank_account_name == "Business Current Account"
    ]
    assert current.chain_trusted
    assert (current.overdrawn_days, current.last_12_months_overdrawn_days) == (31, 31)
    assert current.lowest_balance is not None
    assert current.lowest_balance.amount == Decimal("-14830.80")
    assert current.lowest_balance_date == date(2026, 7, 3)
    assert flags("copperleaf-catering")["overdrawn_days"] == "red"


def test_copperleaf_typed_lines_without_description_or_late() -> None:
    hygiene = report("copperleaf-catering").behaviour.hygiene
    assert hygiene.blank_description_lines == 90
    assert hygiene.late_entry_lines == 80
    assert all(line.payee == "" for line in hygiene.blank_description_examples)
    assert flags("copperleaf-catering")["blank_descriptions"] == "amber"
    assert flags("copperleaf-catering")["late_entries"] == "amber"


def test_copperleaf_round_sum_receipts() -> None:
    # 100 receipts of whole hundreds from the owner (C REID, EVENT BOOKING) since 4 August
    # 2026, beside 1 round cash deposit of the 1,086 receipts of 100.00 or more before them
    r = report("copperleaf-catering")
    hygiene = r.behaviour.hygiene
    assert (hygiene.round_receipts, hygiene.receipts_tested) == (101, 1186)
    assert hygiene.round_receipts_share == pytest.approx(101 / 1186)  # 8.5 %
    (flag,) = [f for f in r.verdict.flags if f.rule_id == "round_sum_receipts"]
    assert (flag.severity, flag.value) == ("amber", round(101 / 1186, 4))
    assert flag.evidence == {
        "behaviour.hygiene.round_receipts": 101,
        "behaviour.hygiene.receipts_tested": 1186,
    }
    assert flag.message == "8.5% of receipts of 100 or more are whole hundreds (threshold 5.0%)"
    # drill-back: every round receipt, largest first; the owner's are 100.00 to 600.00 (34,800.00)
    lines = hygiene.round_receipt_examples
    assert len(lines) == 101
    assert (lines[0].payee, lines[0].date, lines[0].amount.amount) == (
        "CASH DEPOSIT",
        date(2026, 3, 2),
        Decimal("900.00"),
    )
    owner = lines[1:]
    assert {(ln.payee, ln.reference) for ln in owner} == {("C REID", "EVENT BOOKING")}
    assert [ln.amount.amount for ln in owner] == sorted(
        (ln.amount.amount for ln in owner), reverse=True
    )
    assert sum(ln.amount.amount for ln in owner) == Decimal("34800.00")
    assert min(ln.date for ln in owner if ln.date) == date(2026, 8, 4)
    assert all(ln.statement_line_id for ln in lines)
    # the owner's receipts are no duplicate lines nor returned payments
    assert r.behaviour.hygiene.duplicate_lines == 0
    assert r.behaviour.returned_payments.returned_items == 3


def test_copperleaf_round_sum_receipts_in_the_pdf_evidence_lines() -> None:
    from lendcheck.render.html import render_html

    html = render_html(report("copperleaf-catering"))
    evidence = html.split("<h3>Evidence lines</h3>", 1)[1].split("</table>", 1)[0]
    rows = [
        row.split("</tr>", 1)[0] for row in evidence.split("<tr><td>Round-sum receipt</td>")[1:]
    ]
    assert len(rows) == 5  # the five largest; report.json holds all 101
    assert "CASH DEPOSIT" in rows[0] and "900.00" in rows[0]
    assert all("C REID" in row and "EVENT BOOKING" in row and "600.00" in row for row in rows[1:])


def test_kowhai_gst_owed_grows_and_duplicates_are_counted() -> None:
    behaviour = report("kowhai-builders").behaviour
    tax = behaviour.tax_arrears
    assert tax.previous_tax_liabilities is not None and tax.tax_liabilities is not None
    assert (tax.previous_tax_liabilities.amount, tax.tax_liabilities.amount) == (
        Decimal("9396.22"),
        Decimal("78305.60"),
    )
    assert tax.tax_liability_growth == pytest.approx(78305.60 / 9396.22 - 1)
    assert behaviour.hygiene.duplicate_lines == 8
    # the duplicates break the balance chain: no daily balance is guessed
    assert all(not b.chain_trusted and b.daily == [] for b in behaviour.daily_balances)
    assert flags("kowhai-builders")["tax_liabilities_growing"] == "red"


def test_round_sum_receipts_leave_out_transfers_between_own_accounts() -> None:
    # sundown-wholesale's whole hundreds (24 of its 25) were sweeps from its own accounts:
    # with them left out, 1 round receipt of 340 and no flag (was 25 of 364, 6.9 %, amber)
    hygiene = report("sundown-wholesale").behaviour.hygiene
    assert (hygiene.round_receipts, hygiene.receipts_tested) == (1, 340)
    assert "round_sum_receipts" not in flags("sundown-wholesale")
    cafe = report("harbour-cafe").behaviour.hygiene
    assert (cafe.round_receipts, cafe.receipts_tested) == (2, 1071)


def test_healthy_harbour_cafe_figures() -> None:
    behaviour = report("harbour-cafe").behaviour
    assert all(b.chain_trusted and b.overdrawn_days == 0 for b in behaviour.daily_balances)
    (stream,) = behaviour.debt_service.streams
    assert (stream.payee, stream.typical_amount.amount) == ("FUNDING CIRCLE", Decimal("828.39"))
    assert behaviour.debt_service.undisclosed_debt_suspected is False
    assert behaviour.returned_payments.returned_items == 0
