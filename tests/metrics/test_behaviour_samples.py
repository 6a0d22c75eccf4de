"""The behaviour signals planted by the simulator are found, with their values, and the samples
without them raise none of the behaviour flags (a false alarm costs a lender a good customer).

Planted (lendcheck/simulator/profiles.py and samples/*/README.md): copperleaf-catering (hidden
loan, unpaid VAT, dishonoured receipts, overdrawn days, blank and late lines, the owner's
round-sum receipts), kowhai-builders (GST owed growing while its payments sit unreconciled;
undeleted duplicate feed lines), sundown-wholesale (a fall in receipts, GST owed growing;
its whole hundreds are savings sweeps between its own accounts, no receipts at all),
tidewater-kayaks (seasonal, volatile receipts; no tax paid from the account).
"""

from __future__ import annotations

import math
import statistics
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
    # drill-back: every one of the lines, typed by hand, newest first
    blank, late = hygiene.blank_description_examples, hygiene.late_entry_examples
    assert len(blank) == 90 and len(late) == 80
    assert {(ln.payee, ln.reference, ln.import_source_kind) for ln in blank} == {("", "", "manual")}
    assert {(ln.payee, ln.import_source_kind) for ln in late} == {("PETTY CASH", "manual")}
    assert sorted(ln.reference for ln in late) == [f"RECEIPT {n:03d}" for n in range(1, 81)]
    for lines in (blank, late):
        dates = [ln.date for ln in lines if ln.date]
        assert dates == sorted(dates, reverse=True)
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
    # drill-back: the 8 pairs, set by set, each pair one account, amount, date and payee
    copies = behaviour.hygiene.duplicate_examples
    assert len(copies) == 16
    for first, second in zip(copies[::2], copies[1::2], strict=True):
        assert (first.bank_account_id, first.date, first.payee, first.amount) == (
            second.bank_account_id,
            second.date,
            second.payee,
            second.amount,
        )
        assert first.statement_line_id != second.statement_line_id
    assert (copies[0].date, copies[0].payee, copies[0].amount.amount) == (
        date(2024, 11, 29),
        "JACK THOMPSON",
        Decimal("-4617.09"),
    )
    # the duplicates break the balance chain: no daily balance is guessed
    assert all(not b.chain_trusted and b.daily == [] for b in behaviour.daily_balances)
    assert flags("kowhai-builders")["tax_liabilities_growing"] == "red"


def test_sundown_receipts_fall_and_gst_owed_grows() -> None:
    # receipts of August-October 2026 against May-July (months the keyed and uploaded
    # receipts, mid-April to mid-September, swell): 445,318.91 against 711,442.74, -37.4 %,
    # amber below -25 %
    behaviour = report("sundown-wholesale").behaviour
    (aud,) = behaviour.monthly.by_currency
    inflows = aud.inflows
    assert inflows.last_3_months is not None and inflows.previous_3_months is not None
    assert (inflows.last_3_months.amount, inflows.previous_3_months.amount) == (
        Decimal("445318.91"),
        Decimal("711442.74"),
    )
    months = {m.month: m.inflows.amount for m in aud.months}
    assert sum(months[m] for m in ("2026-08", "2026-09", "2026-10")) == Decimal("445318.91")
    assert inflows.trend_3_months == pytest.approx(445318.91 / 711442.74 - 1)
    (flag,) = [
        f for f in report("sundown-wholesale").verdict.flags if f.rule_id == "inflows_falling"
    ]
    assert (flag.severity, flag.value, flag.scope.key) == ("amber", -0.3741, "AUD")
    # its typed balances break the current account's chain: no daily balance is guessed
    current = next(
        b for b in behaviour.daily_balances if b.bank_account_name == "CBA Business Transaction"
    )
    assert not current.chain_trusted and current.daily == [] and current.overdrawn_days is None
    assert (current.balances_checked, current.balance_check_failures) == (781, 250)
    assert current.first_failure_date == date(2026, 4, 1)
    assert current.not_available is not None and "250 of 781" in current.not_available
    # GST owed 25,994.54 a year ago, 47,350.51 now: +82 %, amber above 50 %
    tax = behaviour.tax_arrears
    assert tax.previous_tax_liabilities is not None and tax.tax_liabilities is not None
    assert (tax.previous_tax_liabilities.amount, tax.tax_liabilities.amount) == (
        Decimal("25994.54"),
        Decimal("47350.51"),
    )
    assert tax.tax_liability_growth == pytest.approx(47350.51 / 25994.54 - 1)
    assert flags("sundown-wholesale") == {
        "inflows_falling": "amber",
        "tax_liabilities_growing": "amber",
    }


@pytest.mark.parametrize(
    ("name", "payments", "digits"),
    [
        # kowhai's payments run short of 6s; copperleaf's hand-typed petty cash (15.00-89.99)
        # adds 1s to 8s: both just past Nigrini's 0.015
        ("kowhai-builders", 1270, (437, 209, 115, 116, 130, 58, 79, 65, 61)),
        ("copperleaf-catering", 2204, (642, 276, 288, 235, 195, 191, 146, 155, 76)),
    ],
)
def test_benford_nonconformity_where_planted(
    name: str, payments: int, digits: tuple[int, ...]
) -> None:
    hygiene = report(name).behaviour.hygiene
    assert hygiene.benford_lines == payments == sum(digits)
    assert tuple(d.lines for d in hygiene.benford_digits) == digits
    # Nigrini's MAD by hand: mean over the 9 digits of |observed share - log10(1 + 1/d)|
    mad = sum(abs(n / payments - math.log10(1 + 1 / d)) for d, n in enumerate(digits, 1)) / 9
    assert hygiene.benford_mad == pytest.approx(mad)
    assert 0.015 < mad < 0.0165
    assert hygiene.benford_conformity == "nonconformity"
    assert flags(name)["benford_nonconformity"] == "amber"


def test_year_on_year_and_seasonality_of_receipts() -> None:
    # harbour-cafe's 24 complete months: November 2025-October 2026 against the year before
    (gbp,) = report("harbour-cafe").behaviour.monthly.by_currency
    inflows = gbp.inflows
    months = [m.inflows.amount for m in gbp.months if m.complete]
    assert len(months) == inflows.complete_months == 24
    assert inflows.last_12_months is not None and inflows.previous_12_months is not None
    assert inflows.last_12_months.amount == sum(months[12:]) == Decimal("628434.21")
    assert inflows.previous_12_months.amount == sum(months[:12]) == Decimal("603916.70")
    assert inflows.year_on_year == pytest.approx(628434.21 / 603916.70 - 1)
    # August is the busiest month: the mean of its two Augusts over the mean month
    august = [m.inflows.amount for m in gbp.months if m.complete and m.month.endswith("-08")]
    (index,) = [s.index for s in inflows.seasonality if s.month_of_year == 8]
    assert index == pytest.approx(float(sum(august) / 2 / (sum(months) / 24)))
    assert index == pytest.approx(1.206, abs=5e-4)
    assert inflows.not_available is None
    # fernleaf-studio's 7 months: a trend and a volatility, no year on year, with the reason
    (aud,) = report("fernleaf-studio").behaviour.monthly.by_currency
    assert aud.inflows.trend_3_months is not None and aud.inflows.year_on_year is None
    assert aud.inflows.not_available == "7 complete months: year on year and seasonality need 24"


def test_tidewater_volatile_seasonal_receipts_and_no_tax_payments() -> None:
    # a seasonal sole trader: card takings from March to November only, nothing December to
    # February; below the VAT threshold and without staff, it pays no tax from the account
    behaviour = report("tidewater-kayaks").behaviour
    (gbp,) = behaviour.monthly.by_currency
    months = [m for m in gbp.months if m.complete]
    assert len(months) == gbp.inflows.complete_months == 24
    values = [float(m.inflows.amount) for m in months]
    assert [m.month for m in months if m.inflows.amount == 0] == [
        "2024-12",
        "2025-01",
        "2025-02",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    cv = statistics.stdev(values) / statistics.fmean(values)
    assert gbp.inflows.coefficient_of_variation == pytest.approx(cv)
    assert cv == pytest.approx(0.9128, abs=5e-5)  # amber above 0.75
    july = (values[8] + values[20]) / 2  # 2025-07, 2026-07
    index = {s.month_of_year: s.index for s in gbp.inflows.seasonality}
    assert index[7] == pytest.approx(july / statistics.fmean(values))
    assert index[12] == index[1] == index[2] == 0.0
    assert max(index, key=lambda m: index[m]) == 7
    # year on year the business is steady (-2.7 %); the autumn is the season's fall from the
    # summer, which inflows_falling flags as its rationale asks: explained by the indices above
    assert gbp.inflows.year_on_year == pytest.approx(-0.0275, abs=5e-5)
    assert gbp.inflows.last_3_months is not None and gbp.inflows.previous_3_months is not None
    assert (gbp.inflows.last_3_months.amount, gbp.inflows.previous_3_months.amount) == (
        Decimal("26870.62"),
        Decimal("38004.63"),
    )
    tax = behaviour.tax_arrears
    assert (tax.tax_payments, tax.last_12_months_tax_payments, tax.tax_payees) == (0, 0, [])
    assert tax.tax_liability_growth is None
    assert flags("tidewater-kayaks") == {
        "inflows_volatile": "amber",
        "no_tax_payments": "amber",
        "inflows_falling": "amber",
    }
    # the summer's cash carries the winter: never overdrawn
    (account,) = behaviour.daily_balances
    assert account.chain_trusted and account.overdrawn_days == 0


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
