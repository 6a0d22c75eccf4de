"""The Accounting API figures on hand-computed cases: aged balances by contact, journals keyed
late, bank-transaction reconciliation, Bank Summary cash against the balance sheet, the
Executive Summary comparison and the system accounts' balances."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

from lendcheck.frames.accounting import AccountingBooks
from lendcheck.metrics.accounting import (
    NO_STATEMENT_LINES,
    analyse_accounting,
    report_source,
)
from lendcheck.metrics.financials import BalanceSheetFigures, ExecutiveSummaryPeriod
from lendcheck.report_types import Money
from lendcheck.xero.accounting_models import (
    Account,
    BankTransaction,
    Invoice,
    Journal,
    Report,
    ReportGrid,
)

AS_OF = dt.date(2026, 10, 31)
BANK = "11111111-1111-1111-1111-111111111111"
DEBTORS = "22222222-2222-2222-2222-222222222222"
CREDITORS = "33333333-3333-3333-3333-333333333333"


def _v(model: Any, payload: dict[str, Any]) -> Any:
    return model.model_validate(payload, by_alias=True, by_name=False)


def _grid(
    sections: list[tuple[str, list[tuple[str, str, list[str], str | None]]]], headings: list[str]
) -> ReportGrid:
    rows: list[dict[str, Any]] = [
        {"RowType": "Header", "Cells": [{"Value": ""}, *({"Value": h} for h in headings)]}
    ]
    for title, lines in sections:
        section_rows = []
        for kind, label, values, account in lines:
            first: dict[str, Any] = {"Value": label}
            if account:
                first["Attributes"] = [{"Id": "account", "Value": account}]
            section_rows.append(
                {"RowType": kind, "Cells": [first, *({"Value": v} for v in values)]}
            )
        rows.append({"RowType": "Section", "Title": title, "Rows": section_rows})
    return ReportGrid.of(_v(Report, {"Rows": rows}))


def _invoice(kind: str, contact: str, due: dt.date, amount: str, **extra: Any) -> Invoice:
    return _v(
        Invoice,
        {
            "Type": kind,
            "Status": extra.pop("Status", "AUTHORISED"),
            "Contact": {"ContactID": f"{contact:0>8}-0000-0000-0000-000000000000", "Name": contact},
            "DueDate": due.isoformat(),
            "AmountDue": D(amount),
            "CurrencyCode": extra.pop("CurrencyCode", "GBP"),
            **extra,
        },
    )


def _books(**parts: Any) -> AccountingBooks:
    return AccountingBooks(**parts)


def test_report_source() -> None:
    assert report_source({"finance"}) == "finance"
    assert report_source(set()) == "finance"
    assert report_source({"accounting"}) == "accounting"
    assert report_source({"finance", "accounting"}) == "both"


def test_aged_receivables_and_payables_by_contact() -> None:
    invoices = [
        _invoice("ACCREC", "A", dt.date(2026, 7, 1), "1000.00"),  # 122 days overdue
        _invoice("ACCREC", "A", dt.date(2026, 10, 15), "200.00"),  # 16 days overdue
        _invoice("ACCREC", "B", dt.date(2026, 11, 30), "300.00"),  # not yet due
        _invoice("ACCREC", "C", dt.date(2026, 8, 1), "500.00"),  # exactly 91 days overdue
        _invoice("ACCREC", "D", dt.date(2026, 8, 2), "50.00"),  # 90 days: not over 90
        _invoice("ACCREC", "E", dt.date(2026, 1, 1), "0.00"),  # nothing due: not open
        _invoice("ACCREC", "F", dt.date(2026, 1, 1), "40.00", Status="PAID"),
        # 230 EUR at 1.15 EUR per GBP = 200.00 GBP, 61 days overdue
        _invoice(
            "ACCREC",
            "G",
            dt.date(2026, 8, 31),
            "230.00",
            CurrencyCode="EUR",
            CurrencyRate=D("1.15"),
        ),
        _invoice("ACCREC", "H", dt.date(2026, 8, 31), "99.00", CurrencyCode="USD"),  # no rate
        _invoice("ACCPAY", "S", dt.date(2026, 10, 1), "75.50"),
    ]
    result = analyse_accounting(_books(invoices=invoices), None, "both", AS_OF, "GBP")
    r = result.aged_receivables
    # due 1000 + 200 + 300 + 500 + 50 + 200 = 2250; overdue without B: 1950; over 90: 1500
    assert r.invoices == 6 and r.contacts == 5
    assert r.due == Money.of(D("2250"), "GBP")
    assert r.overdue == Money.of(D("1950"), "GBP")
    assert r.over_90_days == Money.of(D("1500"), "GBP")
    assert r.share_over_90_days == 1500 / 2250
    assert [(c.name, str(c.overdue.amount)) for c in r.largest_overdue] == [
        ("A", "1200.00"),
        ("C", "500.00"),
        ("G", "200.00"),
        ("D", "50.00"),
    ]
    assert r.not_available == {
        "invoices": "1 open invoices in another currency without a rate are left out"
    }
    p = result.aged_payables
    assert (p.invoices, p.due, p.share_over_90_days) == (1, Money.of(D("75.50"), "GBP"), 0.0)


def test_journals_keyed_late() -> None:
    def journal(day: dt.date, created: dt.datetime) -> Journal:
        return _v(Journal, {"JournalDate": day.isoformat(), "CreatedDateUTC": created.isoformat()})

    utc = dt.UTC
    journals = [
        journal(dt.date(2026, 1, 1), dt.datetime(2026, 1, 1, 9, tzinfo=utc)),
        journal(dt.date(2026, 1, 1), dt.datetime(2026, 1, 31, 23, tzinfo=utc)),  # 30 days
        journal(dt.date(2026, 1, 1), dt.datetime(2026, 2, 1, 0, 30, tzinfo=utc)),  # 31 days
        journal(dt.date(2025, 6, 1), dt.datetime(2026, 3, 1, tzinfo=utc)),  # 273 days
        journal(dt.date(2025, 10, 1), dt.datetime(2025, 10, 31, tzinfo=utc)),  # before period
        journal(dt.date(2026, 11, 1), dt.datetime(2026, 11, 2, tzinfo=utc)),  # after as_of
    ]
    late = analyse_accounting(_books(journals=journals), None, "both", AS_OF, "GBP").late_journals
    assert (late.journals, late.keyed_late, late.keyed_late_share) == (4, 2, 0.5)
    missing = analyse_accounting(
        _books(missing={"journals": "Xero answered 403"}), None, "both", AS_OF, "GBP"
    ).late_journals
    assert missing.journals is None and missing.not_available == {"journals": "Xero answered 403"}


def test_bank_transaction_reconciliation() -> None:
    def tx(day: str, kind: str, total: str, reconciled: bool) -> BankTransaction:
        return _v(
            BankTransaction,
            {
                "Type": kind,
                "Status": "AUTHORISED",
                "IsReconciled": reconciled,
                "Date": day,
                "BankAccount": {"AccountID": BANK, "Name": "Business Account"},
                "Total": D(total),
                "CurrencyCode": "GBP",
            },
        )

    transactions = [
        tx("2026-10-30", "RECEIVE", "600.00", True),
        tx("2026-10-01", "SPEND", "100.00", False),  # 30 days old
        tx("2026-09-21", "SPEND", "300.00", False),  # 40 days old
        tx("2026-11-02", "RECEIVE", "999.00", False),  # after the report date
    ]
    [account] = analyse_accounting(
        _books(bank_transactions=transactions), None, "accounting", AS_OF, "GBP"
    ).bank_transactions
    assert (account.transactions, account.reconciled, account.unreconciled) == (3, 1, 2)
    assert account.reconciled_share_by_count == 1 / 3
    assert account.amount == Money.of(D("1000"), "GBP")
    assert account.reconciled_share_by_amount == 0.6
    assert account.oldest_unreconciled_date == dt.date(2026, 9, 21)
    assert account.oldest_unreconciled_days == 40
    assert account.avg_days_unreconciled == (100 * 30 + 300 * 40) / 400  # 37.5
    assert account.name == "Business Account"


def test_cash_agreement_and_system_accounts() -> None:
    summary = _grid(
        [
            (
                "",
                [
                    ("Row", "Business Account", ["100.00", "50.00", "30.00", "120.00"], BANK),
                    ("SummaryRow", "Total", ["100.00", "50.00", "30.00", "120.00"], None),
                ],
            )
        ],
        ["Opening Balance", "Cash Received", "Cash Spent", "Closing Balance"],
    )
    sheet = _grid(
        [
            (
                "Bank",
                [
                    ("Row", "Business Account", ["119.99", "80.00"], BANK),
                    ("SummaryRow", "Total Bank", ["119.99", "80.00"], None),
                ],
            ),
            ("Current Assets", [("Row", "Accounts Receivable", ["4,100.00", "3500.00"], DEBTORS)]),
            ("Current Liabilities", [("Row", "Accounts Payable", ["(12.50)", "9.00"], CREDITORS)]),
        ],
        ["31 Oct 2026", "31 Oct 2025"],
    )
    accounts = [
        _v(Account, {"AccountID": DEBTORS, "Type": "CURRENT", "SystemAccount": "DEBTORS"}),
        _v(Account, {"AccountID": CREDITORS, "Type": "CURRLIAB", "SystemAccount": "CREDITORS"}),
    ]
    result = analyse_accounting(
        _books(bank_summary=summary, balance_sheet=sheet, accounts=accounts),
        None,
        "accounting",
        AS_OF,
        "GBP",
    )
    cash = result.cash_agreement
    assert cash.bank_summary == Money.of(D("120"), "GBP")
    assert cash.balance_sheet == Money.of(D("119.99"), "GBP")
    assert cash.difference == Money.of(D("0.01"), "GBP") and cash.agrees is False
    assert result.trade_receivables == Money.of(D("4100"), "GBP")
    assert result.trade_payables == Money.of(D("-12.50"), "GBP")
    assert result.statement_lines == NO_STATEMENT_LINES


def test_executive_summary_comparison() -> None:
    summary = _grid(
        [
            ("Cash", [("Row", "Closing bank balance", ["20512.40", "1.00", "0%"], None)]),
            (
                "Balance Sheet",
                [
                    ("Row", "Debtors", ["4100.00", "", ""], None),
                    ("Row", "Creditors", ["8332.27", "", ""], None),
                ],
            ),
            (
                "Position",
                [
                    (
                        "Row",
                        "Current assets to liabilities",
                        ["6.0612345678901234567890123456", "", ""],
                        None,
                    )
                ],
            ),
        ],
        ["Oct 2026", "Sep 2026", "Variance"],
    )
    ours = BalanceSheetFigures(
        cash=Money.of(D("20512.40"), "GBP"),
        accounts_receivable=Money.of(D("4753.19"), "GBP"),
        accounts_payable=Money.of(D("8332.27"), "GBP"),
        current_ratio=6.0649,
        not_available={"equity": "the balance sheet has no equity"},
    )
    rows = {
        r.label: r
        for r in analyse_accounting(
            _books(executive_summary=summary), ours, "both", AS_OF, "GBP"
        ).executive_summary
    }
    assert (rows["Closing bank balance"].difference, rows["Closing bank balance"].differs) == (
        "0.00",
        False,
    )
    assert (rows["Debtors"].lendcheck, rows["Debtors"].difference, rows["Debtors"].differs) == (
        "4753.19",
        "653.19",
        True,
    )
    # Xero writes creditors as owed, as lendcheck does
    assert (rows["Creditors"].lendcheck, rows["Creditors"].differs) == ("8332.27", False)
    assert (
        rows["Current assets to liabilities"].difference,
        rows["Current assets to liabilities"].differs,
    ) == ("0.00", False)
    assert (
        rows["Net assets"].reason
        == "Xero's Executive Summary has no Balance Sheet / Net assets row"
    )
    assert rows["Short term cash forecast"].differs is None
    nothing = analyse_accounting(
        _books(missing={"executive_summary": "Xero answered 403"}), ours, "both", AS_OF, "GBP"
    )
    assert {r.reason for r in nothing.executive_summary} == {"Xero answered 403"}


def _spec_example() -> ReportGrid:
    """The Executive Summary of the spec's example (xero_accounting.yaml, November 2019)."""
    rows = {
        "Profitability": [
            ("Income", "40.00"),
            ("Direct costs", "0.00"),
            ("Gross profit (loss)", "40.00"),
            ("Other Income", "0.00"),
            ("Expenses", "205.40"),
            ("Profit (loss)", "-165.40"),
        ],
        "Balance Sheet": [("Debtors", "590.00"), ("Creditors", "-44.00"), ("Net assets", "594.16")],
        "Performance": [("Gross profit margin", "100.0%"), ("Net profit margin", "-413.5%")],
        "Position": [
            ("Average debtors days", "442.50"),
            ("Average creditors days", "-6.426484907497565725413826680"),
            ("Short term cash forecast", "634.00"),
            ("Current assets to liabilities", "4.0729764675459012154124644427"),
        ],
    }
    return _grid(
        [(t, [("Row", label, [v, "", ""], None) for label, v in r]) for t, r in rows.items()],
        ["Nov 2019", "Oct 2019", "Variance"],
    )


def _month(**changes: Any) -> ExecutiveSummaryPeriod:
    """lendcheck's figures for November 2019 worked by hand from the same books: gross profit
    40.00 - 0.00; margins 40.00 / 40.00 = 1 and -165.40 / 40.00 = -4.135; debtor days
    590.00 / 40.00 x 30 = 442.5; creditor days -44.00 / (0.00 + 205.40) x 30 = -6.4265."""
    gbp = {
        "trading_income": "40.00",
        "direct_costs": "0.00",
        "gross_profit": "40.00",
        "other_income": "0.00",
        "operating_expenses": "205.40",
        "net_profit": "-165.40",
    }
    values: dict[str, Any] = {k: Money.of(D(v), "GBP") for k, v in gbp.items()}
    values |= {
        "gross_margin": 1.0,
        "net_margin": -4.135,
        "debtor_days": 442.5,
        "creditor_days": float(D("-44.00") / D("205.40") * 30),
    }
    return ExecutiveSummaryPeriod(
        label="November 2019",
        start_date=dt.date(2019, 11, 1),
        end_date=dt.date(2019, 11, 30),
        days_in_period=30,
        **(values | changes),
    )


def test_the_months_executive_summary_agrees_with_the_spec_example() -> None:
    """Issue 17 item 4: every Executive Summary figure lendcheck computes beside Xero's for the
    same month. The spec's example is self-consistent: short term cash forecast 634.00 =
    590.00 - (-44.00), so Xero writes Creditors as owed (there a debit balance of 44.00)."""
    balance = BalanceSheetFigures(
        balance_date=dt.date(2019, 11, 30),
        accounts_receivable=Money.of(D("590.00"), "GBP"),
        accounts_payable=Money.of(D("-44.00"), "GBP"),
        equity=Money.of(D("594.16"), "GBP"),
        short_term_cash_forecast=Money.of(D("634.00"), "GBP"),
        current_ratio=4.0729764675459,
    )
    result = analyse_accounting(
        _books(executive_summary=_spec_example()), balance, "both", AS_OF, "GBP", _month()
    )
    rows = {r.label: r for r in result.executive_summary}
    compared = {k: (r.lendcheck, r.difference) for k, r in rows.items() if r.differs is not None}
    assert compared == {
        "Income": ("40.00", "0.00"),
        "Direct costs": ("0.00", "0.00"),
        "Gross profit (loss)": ("40.00", "0.00"),
        "Other Income": ("0.00", "0.00"),
        "Expenses": ("205.40", "0.00"),
        "Profit (loss)": ("-165.40", "0.00"),
        "Debtors": ("590.00", "0.00"),
        "Creditors": ("-44.00", "0.00"),
        "Net assets": ("594.16", "0.00"),
        "Gross profit margin": ("100.0", "0.0"),
        "Net profit margin": ("-413.5", "0.0"),
        "Average debtors days": ("442.50", "0.00"),
        "Average creditors days": ("-6.43", "0.00"),
        "Short term cash forecast": ("634.00", "0.00"),
        "Current assets to liabilities": ("4.07", "0.00"),
    }
    assert result.executive_summary_differences == 0
    assert rows["Closing bank balance"].reason == (
        "Xero's Executive Summary has no Cash / Closing bank balance row"
    )
    income = rows["Income"]
    assert (income.basis, income.xero_period, income.period_start, income.period_end) == (
        "month",
        "Nov 2019",
        dt.date(2019, 11, 1),
        dt.date(2019, 11, 30),
    )
    assert (rows["Debtors"].basis, rows["Debtors"].period_end) == ("balance", dt.date(2019, 11, 30))

    # One cost keyed twice in lendcheck's month: expenses, profit and creditor days differ.
    worse = _month(
        operating_expenses=Money.of(D("206.40"), "GBP"),
        net_profit=Money.of(D("-166.40"), "GBP"),
        net_margin=-4.16,
        creditor_days=float(D("-44.00") / D("206.40") * 30),  # -6.3953
    )
    result = analyse_accounting(
        _books(executive_summary=_spec_example()), balance, "both", AS_OF, "GBP", worse
    )
    differing = {r.label: r.difference for r in result.executive_summary if r.differs}
    assert differing == {
        "Expenses": "1.00",
        "Profit (loss)": "-1.00",
        "Net profit margin": "-2.5",
        "Average creditors days": "0.03",
    }
    assert result.executive_summary_differences == 4

    # Without lendcheck's month (an older snapshot) the month rows are not compared.
    missing = _month(trading_income=None, not_available={"trading_income": "no month P&L"})
    result = analyse_accounting(
        _books(executive_summary=_spec_example()), balance, "both", AS_OF, "GBP", missing
    )
    income = next(r for r in result.executive_summary if r.label == "Income")
    assert (income.lendcheck, income.differs, income.reason) == (None, None, "no month P&L")


def test_monthly_pnl() -> None:
    grid = _grid(
        [
            (
                "Income",
                [
                    ("Row", "Sales", ["100.00", "90.00"], None),
                    ("SummaryRow", "Total Income", ["100.00", "90.00"], None),
                ],
            ),
            ("", [("Row", "Net Profit", ["(5.00)", "12.00"], None)]),
        ],
        ["Oct 26", "Sep 26"],
    )
    months = analyse_accounting(_books(pnl_months=grid), None, "both", AS_OF, "GBP").monthly_pnl
    assert [(m.month, str(m.income.amount), str(m.net_profit.amount)) for m in months] == [  # type: ignore[union-attr]
        ("Oct 26", "100.00", "-5.00"),
        ("Sep 26", "90.00", "12.00"),
    ]
