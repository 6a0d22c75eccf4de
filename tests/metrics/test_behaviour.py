"""Trends and behaviour metrics on hand-computed cases (docs/metrics.md, "Trends and
behaviour")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from lendcheck.frames import LINKS_SCHEMA
from lendcheck.metrics._common import Payees, own_account_payee
from lendcheck.metrics.daily_balances import daily_balances
from lendcheck.metrics.debt_service import debt_service
from lendcheck.metrics.hygiene import hygiene
from lendcheck.metrics.returned_payments import returned_payments
from lendcheck.metrics.tax_arrears import tax_arrears
from lendcheck.metrics.trends import monthly_trends, series_stats
from lendcheck.xero.models import BalanceSheet
from tests.metrics.build import AS_OF, GBP_ID, bank, d, frames, line, statement

CUR = {GBP_ID: "GBP"}


def test_series_stats_trend_volatility_and_year_on_year() -> None:
    # 24 months: the first year 100.00 a month, the second 150.00, the last 3 months 60.00
    # (frames' minor units are thousandths).
    values = [100_000] * 12 + [150_000] * 9 + [60_000] * 3
    labels = [f"{2024 + (i + 10) // 12}-{(i + 10) % 12 + 1:02d}" for i in range(24)]
    stats = series_stats(values, labels, "GBP")
    assert stats.last_3_months is not None and stats.last_3_months.amount == Decimal("180.00")
    assert stats.previous_3_months is not None
    assert stats.previous_3_months.amount == Decimal("450.00")
    assert stats.trend_3_months == pytest.approx(180 / 450 - 1)
    assert stats.last_12_months is not None
    assert stats.last_12_months.amount == Decimal("1530.00")  # 9 x 150 + 3 x 60
    assert stats.year_on_year == pytest.approx(1530 / 1200 - 1)
    mean = sum(values) / 24
    sd = (sum((v - mean) ** 2 for v in values) / 23) ** 0.5
    assert stats.coefficient_of_variation == pytest.approx(sd / mean)
    # November (labels[0] is 2024-11): 100 and 150 over the overall mean
    november = next(s for s in stats.seasonality if s.month_of_year == 11)
    assert november.index == pytest.approx(((100_000 + 150_000) / 2) / mean)


def test_series_stats_of_too_few_lines_are_null_with_reason() -> None:
    # 12 months of a hand-made joinery: 59 receipts are single invoices, not a trend
    values = [480_000, 0, 0, 600_000, 0, 0, 0, 240_000, 0, 0, 0, 120_000]
    labels = [f"{2025 + (i + 10) // 12}-{(i + 10) % 12 + 1:02d}" for i in range(12)]
    few = series_stats(values, labels, "GBP", lines=59)
    assert few.trend_3_months is None and few.coefficient_of_variation is None
    assert few.not_available == "59 lines in the 12 complete months: the statistics need 60"
    assert few.complete_months == 12
    enough = series_stats(values, labels, "GBP", lines=60)
    assert enough.trend_3_months == pytest.approx(120_000 / 240_000 - 1)
    # a year of months: a trend and a volatility, but no year on year, with the reason
    assert enough.year_on_year is None and enough.seasonality == []
    assert enough.not_available == "12 complete months: year on year and seasonality need 24"


def test_series_stats_too_few_months_are_null_with_reason() -> None:
    stats = series_stats([100, 200, 300], ["2026-08", "2026-09", "2026-10"], "GBP")
    assert stats.trend_3_months is None and stats.coefficient_of_variation is None
    assert stats.not_available == "3 complete months: the trend needs 6"
    assert stats.seasonality == []


def test_monthly_flows_and_completeness() -> None:
    f = frames(
        bank(
            [
                statement(
                    "2026-08-15",
                    "2026-10-31",
                    [
                        line("2026-08-20", "100.00"),
                        line("2026-09-02", "250.50"),
                        line("2026-09-03", "-40.25"),
                        line("2026-10-30", "-10.00", deleted=True),
                    ],
                )
            ]
        )
    )
    trends = monthly_trends(f.statement_lines, f.statements, CUR, AS_OF, d("2025-11-01"))
    (series,) = trends.accounts
    assert [(m.month, m.complete) for m in series.months] == [
        ("2026-08", False),  # statements start mid-August
        ("2026-09", True),
        ("2026-10", True),
    ]
    september = series.months[1]
    assert (september.inflows.amount, september.outflows.amount, september.net.amount) == (
        Decimal("250.50"),
        Decimal("40.25"),
        Decimal("210.25"),
    )
    assert series.months[2].lines == 0  # the deleted line is left out
    assert trends.by_currency[0].key == "GBP"


def test_daily_balances_from_a_chain_that_holds() -> None:
    f = frames(
        bank(
            [
                statement(
                    "2026-10-01",
                    "2026-10-03",
                    [line("2026-10-02", "-150.00")],
                    start_balance="100.00",
                    end_balance="-50.00",
                ),
                statement(
                    "2026-10-04",
                    "2026-10-05",
                    [line("2026-10-05", "80.00")],
                    start_balance="-50.00",
                    end_balance="30.00",
                ),
            ]
        )
    )
    (account,) = daily_balances(f.statement_lines, f.statements, CUR, AS_OF)
    assert account.chain_trusted and account.balances_checked == 3
    assert [(b.date.day, b.balance.amount) for b in account.daily] == [
        (1, Decimal("100.00")),
        (2, Decimal("-50.00")),
        (3, Decimal("-50.00")),
        (4, Decimal("-50.00")),
        (5, Decimal("30.00")),
    ]
    assert account.overdrawn_days == 3
    assert account.lowest_balance is not None
    assert account.lowest_balance.amount == Decimal("-50.00")
    assert account.lowest_balance_date == d("2026-10-02")
    # (100 - 50 - 50 - 50 + 30) / 5 = -4.00
    assert account.average_daily_balance is not None
    assert account.average_daily_balance.amount == Decimal("-4.00")
    (october,) = account.months
    assert october.days == 5 and october.minimum_daily_balance.amount == Decimal("-50.00")


def test_daily_balances_of_several_accounts_each_from_its_own_chain() -> None:
    # Two accounts rebuilt together, one across a month end, and one whose chain breaks: each
    # keeps its own days, months and opening balance.
    other, broken = "0a0a0a0a-0000-4000-8000-000000000002", "0a0a0a0a-0000-4000-8000-000000000003"
    f = frames(
        bank(
            [
                statement(
                    "2026-09-29",
                    "2026-10-02",
                    [line("2026-09-30", "-20.00"), line("2026-10-01", "5.00")],
                    start_balance="10.00",
                    end_balance="-5.00",
                )
            ]
        ),
        bank(
            [
                statement(
                    "2026-10-01",
                    "2026-10-02",
                    [line("2026-10-02", "7.00")],
                    start_balance="1.00",
                    end_balance="8.00",
                )
            ],
            account_id=other,
            name="Other",
        ),
        bank(
            [statement("2026-10-01", "2026-10-02", [], start_balance="1.00", end_balance="2.00")],
            account_id=broken,
            name="Broken",
        ),
    )
    currencies = {**CUR, other: "GBP", broken: "GBP"}
    result = daily_balances(f.statement_lines, f.statements, currencies, AS_OF)
    assert [a.bank_account_id for a in result] == sorted(currencies)
    first, second, third = (next(a for a in result if a.bank_account_id == i) for i in currencies)
    assert [(b.date.day, b.balance.amount) for b in first.daily] == [
        (29, Decimal("10.00")),
        (30, Decimal("-10.00")),
        (1, Decimal("-5.00")),
        (2, Decimal("-5.00")),
    ]
    assert [(m.month, m.days, m.overdrawn_days) for m in first.months] == [
        ("2026-09", 2, 1),
        ("2026-10", 2, 2),
    ]
    assert [(b.date.day, b.balance.amount) for b in second.daily] == [
        (1, Decimal("1.00")),
        (2, Decimal("8.00")),
    ]
    assert second.credit_account is False and second.overdrawn_days == 0
    assert not third.chain_trusted and third.daily == [] and third.months == []


def test_daily_balances_refused_when_the_chain_breaks() -> None:
    f = frames(
        bank(
            [
                statement(
                    "2026-10-01",
                    "2026-10-03",
                    [line("2026-10-02", "-150.00")],
                    start_balance="100.00",
                    end_balance="-40.00",  # the lines give -50.00
                )
            ]
        )
    )
    (account,) = daily_balances(f.statement_lines, f.statements, CUR, AS_OF)
    assert not account.chain_trusted
    assert account.overdrawn_days is None and account.daily == []
    assert account.first_failure_date == d("2026-10-03")
    assert account.first_failure_difference is not None
    assert account.first_failure_difference.amount == Decimal("-10.00")
    assert account.not_available is not None and "1 of 1" in account.not_available


def test_returned_payments_by_pair_and_by_reference() -> None:
    f = frames(
        bank(
            [
                statement(
                    "2026-09-01",
                    "2026-10-31",
                    [
                        line("2026-09-10", "500.00", payee="Acme Ltd"),
                        line("2026-09-12", "-500.00", payee="ACME LTD "),  # dishonoured
                        line("2026-09-20", "300.00", payee="Other"),
                        line("2026-09-30", "-300.00", payee="Other"),  # 10 days: not a pair
                        line("2026-10-05", "75.00", payee="BANK", reference="RETURNED DD"),
                    ],
                )
            ]
        )
    )
    result = returned_payments(f.statement_lines, CUR, AS_OF)
    assert result.returned_items == 2
    assert (result.dishonoured_receipts, result.returned_payments) == (1, 1)
    newest, pair = result.items
    assert newest.matched_by == "reference" and newest.original is None
    assert pair.matched_by == "pair" and pair.original is not None
    assert pair.original.amount.amount == Decimal("500.00")
    assert [(m.month, m.returned_items, m.amount.amount) for m in result.by_month] == [
        ("2026-09", 1, Decimal("500.00")),
        ("2026-10", 1, Decimal("75.00")),
    ]


def test_returned_payments_pair_only_named_payees() -> None:
    # Lines without a payee (missing, empty or spaces) name no one: no pair among them,
    # while two spellings of one payee pair.
    f = frames(
        bank(
            [
                statement(
                    "2026-09-01",
                    "2026-10-31",
                    [
                        line("2026-09-10", "40.00"),
                        line("2026-09-11", "-40.00", payee="  "),
                        line("2026-09-12", "60.00", payee=""),
                        line("2026-09-13", "-60.00"),
                        line("2026-09-20", "-25.00", payee=" Zeta"),
                        line("2026-09-21", "25.00", payee="zeta"),
                    ],
                )
            ]
        )
    )
    result = returned_payments(f.statement_lines, CUR, AS_OF)
    assert [(i.matched_by, i.reversal.amount.amount) for i in result.items] == [
        ("pair", Decimal("25.00"))
    ]


def test_returned_payments_pair_within_one_account_and_window() -> None:
    # A receipt and a payment of the same payee and amount pair only in one account, and only
    # within the window; the earliest later match is the one taken.
    other = "0a0a0a0a-0000-4000-8000-000000000002"
    f = frames(
        bank(
            [
                statement(
                    "2026-09-01",
                    "2026-10-31",
                    [
                        line("2026-09-10", "90.00", payee="Acme", line_id="l-1"),
                        line("2026-09-13", "-90.00", payee="acme", line_id="l-2"),
                        line("2026-09-14", "-90.00", payee="Acme", line_id="l-3"),
                        line("2026-10-01", "45.00", payee="Acme", line_id="l-4"),
                    ],
                )
            ]
        ),
        bank(
            [
                statement(
                    "2026-09-01",
                    "2026-10-31",
                    [line("2026-10-02", "-45.00", payee="Acme", line_id="l-5")],
                )
            ],
            account_id=other,
            name="Savings",
        ),
    )
    result = returned_payments(f.statement_lines, {**CUR, other: "GBP"}, AS_OF)
    assert [
        (
            i.matched_by,
            i.original.statement_line_id if i.original else None,
            i.reversal.statement_line_id,
        )
        for i in result.items
    ] == [("pair", "l-1", "l-2")]


def test_payees_tested_once_each_as_over_every_line() -> None:
    # A test of the payee alone gives each line what it gives the line's own payee: nulls,
    # blanks and a literal test (no account names) included.
    lines = pl.DataFrame({"payee": ["HMRC", None, "  ", "hmrc", "HMRC", None, "Savings"]})
    payees = Payees.of(lines)
    assert len(payees.values) == 5  # four texts and the null
    tests = [
        pl.col("payee").str.contains_any(["hmrc"], ascii_case_insensitive=True),
        ~pl.col("payee").str.contains(r"\S").fill_null(False),
        pl.col("payee").fill_null("").str.strip_chars().str.to_lowercase(),
        own_account_payee({"a": "Savings"}),
        own_account_payee({}),
    ]
    for test in tests:
        assert payees.on(lines).select(payees.test(test).alias("t"))["t"].to_list() == (
            lines.with_columns(test.alias("t"))["t"].to_list()
        )
    with pytest.raises(ValueError, match="not the same lines"):
        payees.on(lines.head(3))


def _sheet(liabilities: list[tuple[str, str, str]]) -> BalanceSheet:
    return BalanceSheet.model_validate(
        {
            "liability": {
                "accountTypes": [
                    {
                        "accountType": "CURRLIAB",
                        "accounts": [
                            {"name": n, "reportingCode": c, "total": Decimal(t)}
                            for n, c, t in liabilities
                        ],
                    }
                ]
            }
        }
    )


def _monthly_loan(payee: str) -> list[dict[str, object]]:
    return [
        line(f"2026-{m:02d}-03", "-250.00", payee=payee, reference="LOAN 123") for m in range(5, 11)
    ]


def test_debt_service_stream_and_undisclosed_debt() -> None:
    f = frames(
        bank(
            [
                statement(
                    "2026-05-01",
                    "2026-10-31",
                    [
                        *_monthly_loan("Quick Capital"),
                        line("2026-05-10", "-900.00", payee="Landlord", reference="RENT"),
                        line("2026-06-10", "-900.00", payee="Landlord", reference="RENT"),
                        line("2026-07-10", "-900.00", payee="Landlord", reference="RENT"),
                    ],
                )
            ]
        )
    )
    no_loan = _sheet([("Accounts Payable", "LIA.CUR.PAY.TRA", "10.00")])
    result = debt_service(
        f.statement_lines, {GBP_ID: "Business Current"}, CUR, no_loan, "GBP", AS_OF
    )
    (stream,) = result.streams  # the rent is regular but names no lender
    assert (stream.cadence, stream.payments, stream.active) == ("monthly", 6, True)
    assert stream.annual_debt_service is not None
    assert stream.annual_debt_service.amount == Decimal("3000.00")
    assert result.annual_debt_service is not None
    assert result.annual_debt_service.amount == Decimal("3000.00")
    assert result.undisclosed_debt_suspected is True
    with_loan = _sheet([("Business Loan", "LIA.NCL.LOA", "5000.00")])
    disclosed = debt_service(f.statement_lines, {}, CUR, with_loan, "GBP", AS_OF)
    assert disclosed.undisclosed_debt_suspected is False
    assert disclosed.balance_sheet_debt is not None
    assert disclosed.balance_sheet_debt.amount == Decimal("5000.00")


def test_debt_service_payments_split_by_where_the_books_hold_them() -> None:
    # Six monthly 250.00 payments to one lender, reconciled four ways (docs/metrics.md, "Debt
    # service seen in the bank in the DSCR"): against the loan and interest (in the books'
    # debt service), to an expense account (a cost), to a fixed asset, and not at all.
    payments = _monthly_loan("Quick Capital")
    f = frames(bank([statement("2026-05-01", "2026-10-31", payments)]))
    ids = [str(p["statementLineId"]) for p in payments]
    booked = [
        (["TERMLIAB", "EXPENSE"], ["LIA.NCL.LOA", "EXP.INT"]),  # May: principal and interest
        (["EXPENSE"], ["EXP.INT"]),  # June: all as interest
        (["OVERHEADS"], ["EXP.OTH"]),  # July: as an overhead
        (["FIXED"], ["ASS.NCA.FIX"]),  # August: to an asset
        ([], []),  # September: reconciled, no account detail (summary mode)
    ]  # October: not reconciled (no link)
    links = pl.DataFrame(
        [
            {
                "bank_account_id": GBP_ID,
                "statement_line_id": line_id,
                "link_kind": "bank_transaction",
                "account_types": types,
                "reporting_codes": codes,
            }
            for line_id, (types, codes) in zip(ids, booked, strict=False)
        ],
        schema=LINKS_SCHEMA,
    )
    no_loan = _sheet([("Accounts Payable", "LIA.CUR.PAY.TRA", "10.00")])
    result = debt_service(f.statement_lines, {}, CUR, no_loan, "GBP", AS_OF, "", links=links)
    (stream,) = result.streams
    assert stream.last_12_months_paid.amount == Decimal("1500.00")
    assert stream.last_12_months_in_debt_service.amount == Decimal("500.00")  # May, June
    assert stream.last_12_months_in_costs.amount == Decimal("250.00")  # July
    assert stream.last_12_months_outside_books.amount == Decimal("500.00")  # August, October
    assert stream.last_12_months_booking_unknown.amount == Decimal("250.00")  # September
    assert (
        result.last_12_months_in_costs.amount,
        result.last_12_months_outside_books.amount,
    ) == (Decimal("250.00"), Decimal("500.00"))
    # without links every payment is outside the books
    bare = debt_service(f.statement_lines, {}, CUR, no_loan, "GBP", AS_OF)
    assert bare.last_12_months_outside_books.amount == Decimal("1500.00")
    # a stream in another currency is left out of the base-currency sums
    other = debt_service(f.statement_lines, {}, CUR, no_loan, "EUR", AS_OF, "", links=links)
    assert other.streams_in_other_currencies == ["Quick Capital"]
    assert other.last_12_months_outside_books.amount == Decimal("0.00")


def test_tax_arrears_growth_and_payments() -> None:
    f = frames(
        bank(
            [
                statement(
                    "2026-01-01",
                    "2026-10-31",
                    [
                        line("2026-02-07", "-100.00", payee="HMRC VAT"),
                        line("2026-05-07", "-120.00", payee="HMRC VAT"),
                        line("2026-05-08", "-99.00", payee="Thermax"),  # 'max' is no authority
                    ],
                )
            ]
        )
    )
    result = tax_arrears(
        f.statement_lines,
        CUR,
        _sheet([("VAT", "LIA.CUR.TAX.GST", "3000.00"), ("PAYE Payable", "", "1000.00")]),
        _sheet([("VAT", "LIA.CUR.TAX.GST", "1600.00")]),
        "GBP",
        AS_OF,
    )
    assert result.tax_liabilities is not None
    assert result.tax_liabilities.amount == Decimal("4000.00")
    assert result.tax_liability_growth == pytest.approx(4000 / 1600 - 1)
    assert (result.tax_payments, result.last_tax_payment) == (2, d("2026-05-07"))
    assert result.days_since_last_tax_payment == (AS_OF - dt.date(2026, 5, 7)).days
    assert result.longest_gap_between_tax_payments_days == 177  # 7 May to 31 October


def test_hygiene_signals() -> None:
    lines = [
        line("2026-10-01", "1000.00", payee="Cash"),
        line("2026-10-02", "1234.56", payee="Client"),
        line("2026-10-02", "150.00", payee="Client B"),  # tested, not a whole hundred
        line("2026-10-02", "20.00", payee="Small"),  # below 100.00: not tested
        line("2026-10-02", "500.00", payee="From Business Savings"),  # own transfer: no receipt
        line("2026-10-03", "-12.00", payee="Cafe"),
        line("2026-10-03", "-12.00", payee="Cafe"),
        line("2026-10-03", "-12.00", payee="Cafe"),
        line("2026-10-04", "-5.00", payee=" ", reference=None),
    ]
    late = [line("2026-07-01", "-30.00", payee="Old")]
    f = frames(
        bank(
            [
                statement("2026-10-01", "2026-10-31", lines),
                statement("2026-07-01", "2026-07-31", late, imported="2026-09-30T00:00:00Z"),
            ]
        )
    )
    result = hygiene(f.statement_lines, CUR, AS_OF, {GBP_ID: "Business Savings"})
    assert (result.round_receipts, result.receipts_tested) == (1, 3)
    assert result.duplicate_lines == 2 and len(result.duplicate_examples) == 3
    assert result.blank_description_lines == 1
    assert result.late_entry_lines == 1  # imported 91 days after its date
    # 3 receipts, 9 lines: too few for a share (1 of 3 would read as a third typed by hand)
    assert (result.round_receipts_share, result.blank_description_share) == (None, None)
    assert result.late_entry_share is None
    assert result.not_available == {
        "round_receipts_share": "3 receipts of 100.00 or more: a share needs 100",
        "blank_description_share": "10 lines: a share needs 100",
        "late_entry_share": "10 lines with an import time: a share needs 100",
    }
    # 97 more receipts of 123.45: 100 tested, 107 lines, every one with an import time
    more = [line("2026-10-06", "123.45", payee=f"Client {i}") for i in range(97)]
    f = frames(
        bank(
            [
                statement("2026-10-01", "2026-10-31", lines + more),
                statement("2026-07-01", "2026-07-31", late, imported="2026-09-30T00:00:00Z"),
            ]
        )
    )
    enough = hygiene(f.statement_lines, CUR, AS_OF, {GBP_ID: "Business Savings"})
    assert (enough.round_receipts, enough.receipts_tested) == (1, 100)
    assert enough.round_receipts_share == pytest.approx(0.01)
    assert enough.blank_description_share == pytest.approx(1 / 107)
    assert enough.late_entry_share == pytest.approx(1 / 107)
    # without the account names the transfer is a round receipt like any other
    unnamed = hygiene(f.statement_lines, CUR, AS_OF)
    assert (unnamed.round_receipts, unnamed.receipts_tested) == (2, 101)
    assert enough.not_available == {}
    assert result.benford_mad is None and result.benford_lines == 4
    assert [x.lines for x in result.benford_digits][:3] == [3, 0, 1]
