"""The report's Accounting API figures: what the Accounting API adds beside the Finance API
(enrichment) and what it gives on its own (fallback). Pure: books and figures in, one frozen
:class:`AccountingAnalysis` out; no I/O, no clock. Every figure is defined in docs/metrics.md
("Accounting API").
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pydantic import Field

from lendcheck.frames.accounting import AccountingBooks, bank_transaction_frame
from lendcheck.metrics.concentration import ConcentrationFigures, concentration_figures
from lendcheck.metrics.financials import BalanceSheetFigures, ExecutiveSummaryPeriod, money
from lendcheck.money import from_minor_units, quantize
from lendcheck.report_types import Days, Money, ReportModel, Share
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.accounting_models import Invoice, ReportGrid
from lendcheck.xero.accounting_plan import NO_STATEMENT_LINES

__all__ = [
    "NO_STATEMENT_LINES",
    "AccountingAnalysis",
    "AgedBalances",
    "BankTransactionReconciliation",
    "CashAgreement",
    "ContactDue",
    "LateJournals",
    "MonthEndBalance",
    "MonthlyPnl",
    "OrganisationFacts",
    "SummaryComparison",
    "analyse_accounting",
    "report_source",
]

#: A journal keyed more than this many days after its date counts as keyed late.
LATE_JOURNAL_DAYS = 30
#: Contacts listed in ``largest_overdue``.
LARGEST_OVERDUE = 5
#: Invoices overdue by more than this many days are in ``over_90_days``.
AGED_DAYS = 90


def report_source(apis: set[str]) -> str:
    """Which source a report rests on: ``finance``, ``accounting`` or ``both``, from the APIs a
    snapshot holds (no call at all: ``finance``, the report's long-standing default)."""
    if fp.ACCOUNTING_API in apis and fp.FINANCE_API in apis:
        return "both"
    return "accounting" if fp.ACCOUNTING_API in apis else "finance"


class OrganisationFacts(ReportModel):
    """``/Organisation``: what the Finance API does not state.

    Attributes:
        name: the organisation's name (untrusted text).
        base_currency: ISO 4217 code of its financial statements.
        country_code: ISO 3166 country.
        organisation_type: COMPANY, SOLETRADER, ...
        financial_year_end_day, financial_year_end_month: the financial year end (day 1-31,
            month 1-12).
    """

    name: str | None = None
    base_currency: str | None = None
    country_code: str | None = None
    organisation_type: str | None = None
    financial_year_end_day: int | None = None
    financial_year_end_month: int | None = None


class SummaryComparison(ReportModel):
    """One Executive Summary figure: Xero's beside lendcheck's own for the same month.

    Attributes:
        section, label: the Executive Summary row (e.g. "Balance Sheet", "Debtors").
        figure: lendcheck's figure compared (a report name, e.g. ``accounts_receivable``).
        unit: ``money``, ``percent`` (Xero's "82.5%"), ``days`` or ``ratio``.
        basis: ``balance`` (at the report date, ``financials.balance_sheet.current``) or
            ``month`` (the month ending at the report date,
            ``financials.executive_summary.month``).
        xero: Xero's value as written in the report (exact text).
        xero_period: the heading of Xero's column compared (e.g. "Oct 2026").
        lendcheck: lendcheck's value at the scale compared, or None with ``reason``.
        period_start, period_end: the period of lendcheck's figure (``month``), or None and
            the balance date (``balance``).
        difference: ``lendcheck - xero`` at that scale, or None.
        differs: True when the two differ at the scale compared (cents; percentages to one
            decimal; days and ratios to two), both rounded half up; None when either is
            missing.
        reason: why the comparison could not be made ("" when it was).
    """

    section: str
    label: str
    figure: str
    unit: str
    basis: str = "balance"
    xero: str | None
    xero_period: str | None = None
    lendcheck: str | None
    period_start: date | None = None
    period_end: date | None = None
    difference: str | None
    differs: bool | None
    reason: str = ""


class MonthlyPnl(ReportModel):
    """One month of ``/Reports/ProfitAndLoss`` by month (newest first).

    Attributes:
        month: Xero's column heading (e.g. "Oct 26").
        income: the "Total Income" row; None when the report has none.
        net_profit: the "Net Profit" row; None when the report has none.
    """

    month: str
    income: Money | None
    net_profit: Money | None


class MonthEndBalance(ReportModel):
    """One column of ``/Reports/BalanceSheet`` by month: the balance history.

    Attributes:
        balance_date: the column's date (the report date, then each month end before).
        trade_receivables, trade_payables: the rows of the ``DEBTORS`` (``CREDITORS``) system
            accounts of ``/Accounts``, as Xero shows them; None without ``/Accounts``.
        net_assets: the "Net Assets" row; None when the report has none.
    """

    balance_date: date
    trade_receivables: Money | None
    trade_payables: Money | None
    net_assets: Money | None


class ContactDue(ReportModel):
    """One contact's open invoices at the report date.

    Attributes:
        contact_id, name: the contact (name is untrusted text).
        due: amount still due (base currency).
        overdue: of which past its due date.
        over_90_days: of which more than 90 days past its due date.
    """

    contact_id: str | None
    name: str
    due: Money
    overdue: Money
    over_90_days: Money


class AgedBalances(ReportModel):
    """Aged receivables (ACCREC) or payables (ACCPAY) from the open invoices.

    Attributes:
        invoices: open invoices counted (AUTHORISED, amount due > 0).
        due: total due (base currency).
        overdue: of which past its due date.
        over_90_days: of which more than 90 days past its due date.
        share_over_90_days: ``over_90_days / due``; None when nothing is due.
        contacts: contacts with an open invoice.
        largest_overdue: the 5 contacts with most overdue, largest first.
        not_available: figure -> why it is None (and ``invoices`` left out, e.g. for a
            currency without a rate).
    """

    invoices: int | None = None
    due: Money | None = None
    overdue: Money | None = None
    over_90_days: Money | None = None
    share_over_90_days: Share = None
    contacts: int | None = None
    largest_overdue: list[ContactDue] = Field(default_factory=list)
    not_available: dict[str, str] = Field(default_factory=dict)


class LateJournals(ReportModel):
    """Journals keyed long after the date they carry (``CreatedDateUTC`` against
    ``JournalDate``).

    Attributes:
        journals: journals keyed from the period start to the report date.
        keyed_late: of which keyed more than 30 days after their ``JournalDate``.
        keyed_late_share: ``keyed_late / journals``; None when there are none.
        not_available: figure -> why it is None.
    """

    journals: int | None = None
    keyed_late: int | None = None
    keyed_late_share: Share = None
    not_available: dict[str, str] = Field(default_factory=dict)


class BankTransactionReconciliation(ReportModel):
    """Reconciliation of one bank account's bank transactions (``/BankTransactions``
    ``IsReconciled``), over the statement months to the report date.

    Attributes:
        bank_account_id, name: the bank account (name is untrusted text).
        transactions: bank transactions in the ledger (neither DELETED nor VOIDED).
        reconciled: of which reconciled.
        reconciled_share_by_count: ``reconciled / transactions``.
        amount: sum of the transactions' absolute amounts.
        amount_reconciled: sum of the reconciled transactions' absolute amounts.
        reconciled_share_by_amount: ``amount_reconciled / amount``.
        unreconciled: transactions not reconciled.
        oldest_unreconciled_date: the earliest date among them.
        oldest_unreconciled_days: its age at the report date (days).
        avg_days_unreconciled: their age at the report date weighted by absolute amount.
    """

    bank_account_id: str
    name: str
    transactions: int
    reconciled: int
    reconciled_share_by_count: Share
    amount: Money
    amount_reconciled: Money
    reconciled_share_by_amount: Share
    unreconciled: int
    oldest_unreconciled_date: date | None
    oldest_unreconciled_days: int | None
    avg_days_unreconciled: Days


class CashAgreement(ReportModel):
    """Bank Summary closing cash against the balance sheet's bank accounts at the report date.

    Attributes:
        bank_summary: ``/Reports/BankSummary`` "Total" closing balance.
        balance_sheet: ``/Reports/BalanceSheet`` "Total Bank" at the report date.
        difference: ``bank_summary - balance_sheet``.
        agrees: True when they are equal to the cent.
        reason: why it could not be checked ("" when it was).
    """

    bank_summary: Money | None = None
    balance_sheet: Money | None = None
    difference: Money | None = None
    agrees: bool | None = None
    reason: str = ""


class AccountingAnalysis(ReportModel):
    """What the Accounting API says about the applicant.

    Attributes:
        source: the source the report rests on: ``finance``, ``accounting`` or ``both``.
        statement_lines: "" when statement lines were read (Finance API); otherwise
            :data:`NO_STATEMENT_LINES`, the reason every statement-line figure is absent.
        organisation: ``/Organisation`` facts; None when missing.
        trade_receivables, trade_payables: the balance of the DEBTORS and CREDITORS system
            accounts (``/Accounts``) in ``/Reports/BalanceSheet`` at the report date.
        executive_summary: Xero's Executive Summary beside lendcheck's figures: the balance
            figures at the report date and the month's (P&L, margins, days) for the month
            ending at it.
        executive_summary_differences: rows of ``executive_summary`` where lendcheck's figure
            differs from Xero's at the scale compared (0 when all compared rows agree).
        monthly_pnl: income and net profit by month, newest first.
        balance_sheet_months: trade receivables, trade payables and net assets at the report
            date and each month end before it that ``/Reports/BalanceSheet`` gives (the plan
            asks for 12, by month), newest first.
        aged_receivables, aged_payables: open invoices by age and contact.
        invoiced_customers: customer concentration of the revenue invoiced in the current
            period (ACCREC invoices before tax; basis ``accrec_invoices``): the Accounting API
            has no revenue by contact, and cash sales are not invoiced.
        late_journals: journals keyed more than 30 days after their date.
        bank_transactions: reconciliation of bank transactions, per bank account.
        cash_agreement: Bank Summary cash against the balance sheet.
        excluded_invoices, excluded_bank_transactions: status -> records left out.
        not_available: part -> why it is missing.
    """

    source: str
    statement_lines: str
    organisation: OrganisationFacts | None
    trade_receivables: Money | None
    trade_payables: Money | None
    executive_summary: list[SummaryComparison]
    executive_summary_differences: int
    monthly_pnl: list[MonthlyPnl]
    balance_sheet_months: list[MonthEndBalance]
    aged_receivables: AgedBalances
    aged_payables: AgedBalances
    invoiced_customers: ConcentrationFigures | None
    late_journals: LateJournals
    bank_transactions: list[BankTransactionReconciliation]
    cash_agreement: CashAgreement
    excluded_invoices: dict[str, int]
    excluded_bank_transactions: dict[str, int]
    not_available: dict[str, str]


def _system_balance(
    books: AccountingBooks, system: str, currency: str, column: int = 0
) -> Money | None:
    if books.accounts is None or books.balance_sheet is None:
        return None
    ids = {a.account_id for a in books.accounts if (a.system_account or "").upper() == system}
    values = [
        line.number(column)
        for line in books.balance_sheet.lines
        if line.row_type == "Row" and line.account_id in ids
    ]
    known = [v for v in values if v is not None]
    return money(sum(known, Decimal(0)), currency) if known else None


def _month_ends(books: AccountingBooks, currency: str) -> list[MonthEndBalance]:
    grid = books.balance_sheet
    if grid is None:
        return []
    net = _labelled(grid, "Net Assets")
    return [
        MonthEndBalance(
            balance_date=day,
            trade_receivables=_system_balance(books, "DEBTORS", currency, column),
            trade_payables=_system_balance(books, "CREDITORS", currency, column),
            net_assets=money(net[column], currency) if net else None,
        )
        for column, day in enumerate(books.balance_sheet_dates)
        if day is not None
    ]


#: Executive Summary rows lendcheck computes itself: (section, label, figure, unit, basis).
#: ``basis`` ``balance``: a figure of the balance sheet at the report date
#: (:class:`BalanceSheetFigures`); ``month``: a figure of the month ending at the report date
#: (:class:`ExecutiveSummaryPeriod`), Xero's Executive Summary being monthly. Xero writes
#: Creditors as owed (positive; its example's -44.00 is a debit balance, and its short-term
#: cash forecast 634.00 = 590.00 - (-44.00)), as lendcheck does.
_COMPARED = (
    ("Cash", "Closing bank balance", "cash", "money", "balance"),
    ("Profitability", "Income", "trading_income", "money", "month"),
    ("Profitability", "Direct costs", "direct_costs", "money", "month"),
    ("Profitability", "Gross profit (loss)", "gross_profit", "money", "month"),
    ("Profitability", "Other Income", "other_income", "money", "month"),
    ("Profitability", "Expenses", "operating_expenses", "money", "month"),
    ("Profitability", "Profit (loss)", "net_profit", "money", "month"),
    ("Balance Sheet", "Debtors", "accounts_receivable", "money", "balance"),
    ("Balance Sheet", "Creditors", "accounts_payable", "money", "balance"),
    ("Balance Sheet", "Net assets", "equity", "money", "balance"),
    ("Performance", "Gross profit margin", "gross_margin", "percent", "month"),
    ("Performance", "Net profit margin", "net_margin", "percent", "month"),
    ("Position", "Average debtors days", "debtor_days", "days", "month"),
    ("Position", "Average creditors days", "creditor_days", "days", "month"),
    ("Position", "Short term cash forecast", "short_term_cash_forecast", "money", "balance"),
    ("Position", "Current assets to liabilities", "current_ratio", "ratio", "balance"),
)
#: The scale each unit is compared at: cents; Xero's percentages to one decimal ("82.5%");
#: days and ratios to two decimals.
_SCALES = {
    "money": Decimal("0.01"),
    "percent": Decimal("0.1"),
    "days": Decimal("0.01"),
    "ratio": Decimal("0.01"),
}


def _compare(
    grid: ReportGrid | None,
    figures: BalanceSheetFigures | None,
    month: ExecutiveSummaryPeriod | None,
    missing_reason: str,
) -> list[SummaryComparison]:
    rows = []
    for section, label, figure, unit, basis in _COMPARED:
        scale = _SCALES[unit]
        source: BalanceSheetFigures | ExecutiveSummaryPeriod | None = (
            figures if basis == "balance" else month
        )
        line = grid.find(section, label) if grid is not None else None
        xero_text = line.values[0] if line is not None and line.values else None
        xero = line.number(0) if line is not None else None
        ours_raw = getattr(source, figure, None) if source is not None else None
        ours: Decimal | None
        if ours_raw is None:
            ours = None
        elif unit == "money":
            ours = ours_raw.amount
        elif unit == "percent":
            ours = Decimal(str(ours_raw)) * 100
        else:
            ours = Decimal(str(ours_raw))
        reason = ""
        if grid is None:
            reason = missing_reason
        elif line is None:
            reason = f"Xero's Executive Summary has no {section} / {label} row"
        elif xero is None:
            reason = f"Xero's Executive Summary leaves {section} / {label} blank"
        elif ours is None:
            reason = (source.not_available.get(figure) if source is not None else None) or (
                f"lendcheck has no {figure} for the report date"
            )
        difference = None
        differs = None
        if xero is not None and ours is not None:
            delta = ours.quantize(scale, ROUND_HALF_UP) - xero.quantize(scale, ROUND_HALF_UP)
            difference = f"{delta:f}"
            differs = delta != 0
        period_start = month.start_date if basis == "month" and month is not None else None
        period_end = (
            month.end_date
            if basis == "month" and month is not None
            else figures.balance_date
            if figures is not None
            else None
        )
        rows.append(
            SummaryComparison(
                section=section,
                label=label,
                figure=figure,
                unit=unit,
                basis=basis,
                xero=xero_text,
                xero_period=grid.columns[0] if grid is not None and grid.columns else None,
                lendcheck=None if ours is None else f"{ours.quantize(scale, ROUND_HALF_UP):f}",
                period_start=period_start,
                period_end=period_end,
                difference=difference,
                differs=differs,
                reason=reason,
            )
        )
    return rows


def _labelled(grid: ReportGrid, label: str) -> list[Decimal | None] | None:
    wanted = label.lower()
    for line in grid.lines:
        if line.label.lower() == wanted:
            return [line.number(i) for i in range(len(grid.columns))]
    return None


def _monthly(grid: ReportGrid | None, currency: str) -> list[MonthlyPnl]:
    if grid is None:
        return []
    income = _labelled(grid, "Total Income")
    net = _labelled(grid, "Net Profit")
    return [
        MonthlyPnl(
            month=heading,
            income=money(income[i], currency) if income else None,
            net_profit=money(net[i], currency) if net else None,
        )
        for i, heading in enumerate(grid.columns)
    ]


def _in_base(invoice: Invoice, amount: Decimal, currency: str) -> Decimal | None:
    code = (invoice.currency_code or currency).upper()
    if code == currency.upper():
        return amount
    rate = invoice.currency_rate
    if rate is None or rate <= 0:
        return None
    return quantize(amount / rate)


def _aged(
    invoices: list[Invoice] | None, kind: str, as_of: date, currency: str, reason: str
) -> AgedBalances:
    if invoices is None:
        return AgedBalances(not_available={"due": reason})
    per_contact: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    names: dict[str, tuple[str | None, str]] = {}
    counted = 0
    no_rate = 0
    for invoice in invoices:
        if (invoice.type or "").upper() != kind or (invoice.status or "").upper() != "AUTHORISED":
            continue
        if invoice.amount_due is None or invoice.amount_due <= 0:
            continue
        amount = _in_base(invoice, invoice.amount_due, currency)
        if amount is None:
            no_rate += 1
            continue
        counted += 1
        contact = invoice.contact
        key = (contact.contact_id if contact else None) or (contact.name if contact else "") or ""
        names[key] = (
            contact.contact_id if contact else None,
            (contact.name if contact else "") or "",
        )
        totals = per_contact[key]
        totals[0] += amount
        if invoice.due_date is not None and invoice.due_date < as_of:
            totals[1] += amount
            if (as_of - invoice.due_date).days > AGED_DAYS:
                totals[2] += amount
    due = sum((t[0] for t in per_contact.values()), Decimal(0))
    overdue = sum((t[1] for t in per_contact.values()), Decimal(0))
    aged = sum((t[2] for t in per_contact.values()), Decimal(0))
    largest = sorted(
        (k for k in per_contact if per_contact[k][1] > 0),
        key=lambda k: (-per_contact[k][1], names[k][1], k),
    )[:LARGEST_OVERDUE]
    gaps = {}
    if no_rate:
        gaps["invoices"] = (
            f"{no_rate} open invoices in another currency without a rate are left out"
        )
    return AgedBalances(
        invoices=counted,
        due=Money.of(due, currency),
        overdue=Money.of(overdue, currency),
        over_90_days=Money.of(aged, currency),
        share_over_90_days=float(aged / due) if due > 0 else None,
        contacts=len(per_contact),
        largest_overdue=[
            ContactDue(
                contact_id=names[k][0],
                name=names[k][1],
                due=Money.of(per_contact[k][0], currency),
                overdue=Money.of(per_contact[k][1], currency),
                over_90_days=Money.of(per_contact[k][2], currency),
            )
            for k in largest
        ],
        not_available=gaps,
    )


def _late_journals(books: AccountingBooks, as_of: date) -> LateJournals:
    if books.journals is None:
        return LateJournals(not_available={"journals": books.reason("journals")})
    start = fp.period(as_of, 0)[0]
    counted = late = 0
    for journal in books.journals:
        created = journal.created_date_utc
        if created is None or journal.journal_date is None:
            continue
        if not start <= created.date() <= as_of:
            continue
        counted += 1
        if (created.date() - journal.journal_date).days > LATE_JOURNAL_DAYS:
            late += 1
    return LateJournals(
        journals=counted,
        keyed_late=late,
        keyed_late_share=late / counted if counted else None,
    )


def _bank_transactions(
    books: AccountingBooks, as_of: date, currency: str
) -> list[BankTransactionReconciliation]:
    if not books.bank_transactions:
        return []
    frame = bank_transaction_frame(books.bank_transactions)
    names = {
        t.bank_account.account_id: (t.bank_account.name or "")
        for t in books.bank_transactions
        if t.bank_account is not None and t.bank_account.account_id
    }
    results = []
    for account_id in sorted(a for a in set(frame["bank_account_id"].to_list()) if a):
        rows = [
            r
            for r in frame.iter_rows(named=True)
            if r["bank_account_id"] == account_id and r["date"] is not None and r["date"] <= as_of
        ]
        codes = {r["currency_code"] for r in rows if r["currency_code"]}
        code = codes.pop() if len(codes) == 1 else currency
        total = sum(abs(r["amount"] or 0) for r in rows)
        reconciled_rows = [r for r in rows if r["is_reconciled"]]
        open_rows = [r for r in rows if not r["is_reconciled"]]
        reconciled_amount = sum(abs(r["amount"] or 0) for r in reconciled_rows)
        open_amount = sum(abs(r["amount"] or 0) for r in open_rows)
        oldest = min((r["date"] for r in open_rows), default=None)
        weighted = sum(abs(r["amount"] or 0) * (as_of - r["date"]).days for r in open_rows)
        results.append(
            BankTransactionReconciliation(
                bank_account_id=account_id,
                name=names.get(account_id, ""),
                transactions=len(rows),
                reconciled=len(reconciled_rows),
                reconciled_share_by_count=len(reconciled_rows) / len(rows) if rows else None,
                amount=Money.of(from_minor_units(total), code),
                amount_reconciled=Money.of(from_minor_units(reconciled_amount), code),
                reconciled_share_by_amount=reconciled_amount / total if total else None,
                unreconciled=len(open_rows),
                oldest_unreconciled_date=oldest,
                oldest_unreconciled_days=(as_of - oldest).days if oldest else None,
                avg_days_unreconciled=weighted / open_amount if open_amount else None,
            )
        )
    return results


def _cash_agreement(books: AccountingBooks, currency: str) -> CashAgreement:
    if books.bank_summary is None:
        return CashAgreement(reason=books.reason("bank_summary"))
    if books.balance_sheet is None:
        return CashAgreement(reason=books.reason("balance_sheet"))
    closing_column = next(
        (i for i, c in enumerate(books.bank_summary.columns) if c.lower() == "closing balance"),
        None,
    )
    total = next(
        (
            line
            for line in books.bank_summary.lines
            if line.row_type == "SummaryRow" and line.label.lower() == "total"
        ),
        None,
    )
    summary = (
        total.number(closing_column) if total is not None and closing_column is not None else None
    )
    bank_total = books.balance_sheet.find("Bank", "Total Bank", "SummaryRow")
    sheet = bank_total.number(0) if bank_total is not None else None
    if summary is None or sheet is None:
        what = (
            "Bank Summary has no Total closing balance"
            if summary is None
            else ("Balance Sheet has no Total Bank")
        )
        return CashAgreement(
            bank_summary=money(summary, currency),
            balance_sheet=money(sheet, currency),
            reason=f"Xero's {what}",
        )
    difference = quantize(summary) - quantize(sheet)
    return CashAgreement(
        bank_summary=Money.of(summary, currency),
        balance_sheet=Money.of(sheet, currency),
        difference=Money.of(difference, currency),
        agrees=difference == 0,
    )


def invoiced_revenue(
    books: AccountingBooks, start: date, end: date, currency: str
) -> list[tuple[str | None, str | None, Decimal]] | None:
    """Revenue invoiced to each customer: ``(contact id, name, amount)`` of every ACCREC
    invoice in the ledger dated in [start, end], before tax (``SubTotal``), in the base
    currency (another currency converted at the invoice's ``CurrencyRate``; one without a rate
    left out); None when the invoices are missing. Credit notes and cash sales are not
    invoices and are not in it."""
    if books.invoices is None:
        return None
    rows: list[tuple[str | None, str | None, Decimal]] = []
    for invoice in books.invoices:
        net = invoice.sub_total
        if (invoice.type or "").upper() != "ACCREC" or invoice.date is None or net is None:
            continue
        if not start <= invoice.date <= end:
            continue
        amount = net
        if (invoice.currency_code or currency).upper() != currency.upper():
            rate = invoice.currency_rate
            if rate is None or rate <= 0:
                continue
            amount = net / rate
        contact = invoice.contact
        rows.append(
            (contact.contact_id if contact else None, contact.name if contact else None, amount)
        )
    return rows


def analyse_accounting(
    books: AccountingBooks,
    balance_sheet: BalanceSheetFigures | None,
    source: str,
    as_of: date,
    currency: str,
    summary_month: ExecutiveSummaryPeriod | None = None,
) -> AccountingAnalysis:
    """Compute every Accounting API figure of the report.

    Args:
        books: the snapshot's Accounting API data (:func:`lendcheck.frames.accounting.read_books`).
        balance_sheet: lendcheck's balance sheet figures at ``as_of`` (compared with Xero's
            Executive Summary); None when there are none.
        summary_month: lendcheck's Executive Summary figures of the month ending at ``as_of``
            (compared with Xero's month); None when there are none.
        source: :func:`report_source` of the snapshot.
        as_of: the report date.
        currency: the base currency.

    Returns:
        :class:`AccountingAnalysis`; never raises for missing parts (each is None or empty
        with its reason).
    """
    org = books.organisation
    organisation = (
        OrganisationFacts(
            name=org.name,
            base_currency=(org.base_currency or "").upper() or None,
            country_code=org.country_code,
            organisation_type=org.organisation_type,
            financial_year_end_day=org.financial_year_end_day,
            financial_year_end_month=org.financial_year_end_month,
        )
        if org is not None
        else None
    )
    not_available = dict(sorted(books.missing.items()))
    comparison = _compare(
        books.executive_summary, balance_sheet, summary_month, books.reason("executive_summary")
    )
    return AccountingAnalysis(
        source=source,
        statement_lines="" if source in ("finance", "both") else NO_STATEMENT_LINES,
        organisation=organisation,
        trade_receivables=_system_balance(books, "DEBTORS", currency),
        trade_payables=_system_balance(books, "CREDITORS", currency),
        executive_summary=comparison,
        executive_summary_differences=sum(1 for c in comparison if c.differs),
        monthly_pnl=_monthly(books.pnl_months, currency),
        balance_sheet_months=_month_ends(books, currency),
        aged_receivables=_aged(books.invoices, "ACCREC", as_of, currency, books.reason("invoices")),
        aged_payables=_aged(books.invoices, "ACCPAY", as_of, currency, books.reason("invoices")),
        invoiced_customers=(
            None
            if (rows := invoiced_revenue(books, *fp.period(as_of, 0), currency)) is None
            else concentration_figures(rows, "accrec_invoices", currency)
        ),
        late_journals=_late_journals(books, as_of),
        bank_transactions=_bank_transactions(books, as_of, currency),
        cash_agreement=_cash_agreement(books, currency),
        excluded_invoices=books.excluded_invoices,
        excluded_bank_transactions=books.excluded_bank_transactions,
        not_available=not_available,
    )
