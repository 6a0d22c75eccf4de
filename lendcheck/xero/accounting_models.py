"""Pydantic models of the Xero Accounting API responses lendcheck reads.

Source: ``xero_accounting.yaml`` v16.1.0 (Xero-OpenAPI, MIT), base path ``/api.xro/2.0``.
Written for what lendcheck uses, not generated from the spec; the conventions are those of
:mod:`lendcheck.xero.models` (exact :data:`~lendcheck.xero.models.Money`, GUIDs in lower
case, unknown fields ignored, every field optional unless a metric stands on it), with the
Accounting API's own habits:

* **PascalCase names** (``BaseCurrency``, ``IsReconciled``), the aliases here.
* **Two date formats.** Many fields are .NET JSON dates, ``/Date(1550793549392+0000)/``
  (milliseconds since 1970-01-01 UTC; the optional ``+hhmm`` is the offset the value was
  written in and does not move the instant), others ISO 8601 (``2019-02-22T00:00:00``), and one
  response may hold both. :data:`XeroDate` and :data:`XeroDateTime` accept either.
  Accounting dates (an invoice's ``Date``, a journal's ``JournalDate``) are midnight UTC of the
  day they carry, so their UTC date is the date.
* **Reports** (``/Reports/*``) share one generic shape: ``Reports[0].Rows``, each row a
  ``RowType`` (Header, Section, Row, SummaryRow) with ``Cells`` whose ``Value`` is text and whose
  ``Attributes`` may carry an account ID, sections nesting their rows. :class:`ReportGrid` reads
  them by row type and title, never by position.
* **Statuses.** Invoices and bank transactions may be DELETED or VOIDED: the readers in
  :mod:`lendcheck.frames.accounting` exclude them and count them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import polars as pl
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter
from pydantic.alias_generators import to_pascal

from lendcheck.xero import accounting_plan as plan
from lendcheck.xero.models import Guid, Money

__all__ = [
    "ACCOUNTING_RESPONSE_MODELS",
    "Account",
    "AccountsResponse",
    "BankTransaction",
    "BankTransactionsResponse",
    "Invoice",
    "InvoicesResponse",
    "Journal",
    "JournalsResponse",
    "Organisation",
    "OrganisationResponse",
    "Pagination",
    "Report",
    "ReportCell",
    "ReportGrid",
    "ReportLine",
    "ReportRow",
    "ReportsResponse",
    "XeroDate",
    "XeroDateTime",
    "parse_xero_datetime",
    "report_number",
]

_NET_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def parse_xero_datetime(value: Any) -> dt.datetime | None:
    """A Xero Accounting API timestamp as an aware UTC datetime.

    Accepts ``/Date(1550793549392+0000)/`` and ``/Date(1573755038314)/`` (milliseconds since
    the epoch, UTC; the offset is informative only) and ISO 8601 strings (a date, or a date
    and time; without a zone it is taken as UTC, as Xero writes ``...DateUTC`` fields).

    Raises:
        ValueError: any other value (an empty string, a number, a malformed date).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        match = _NET_DATE.match(text)
        if match:
            millis = int(match.group(1))
            epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
            return epoch + dt.timedelta(milliseconds=millis)
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"not a Xero date ({text[:40]!r}): expected /Date(ms+hhmm)/ or ISO 8601"
            ) from None
    else:
        raise ValueError(f"a date must be a string, got {type(value).__name__}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _to_date(value: Any) -> Any:
    moment = parse_xero_datetime(value)
    return None if moment is None else moment.date()


#: A timestamp (``CreatedDateUTC``, ``UpdatedDateUTC``) in either of Xero's formats, as UTC.
XeroDateTime = Annotated[dt.datetime | None, BeforeValidator(parse_xero_datetime)]
#: An accounting date (``Date``, ``DueDate``, ``JournalDate``) in either of Xero's formats.
XeroDate = Annotated[dt.date | None, BeforeValidator(_to_date)]


class AccountingModel(BaseModel):
    """Base of the Accounting API models: PascalCase aliases, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_pascal,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
    )


# ---------------------------------------------------------------------------------------------
# /Organisation and /Accounts (accounting.settings.read)


class Organisation(AccountingModel):
    """The organisation's settings (``GET /Organisation``)."""

    organisation_id: Guid | None = Field(default=None, alias="OrganisationID")
    name: str | None = None
    legal_name: str | None = None
    base_currency: str | None = None
    country_code: str | None = None
    organisation_type: str | None = None
    #: Day (1-31) and month (1-12) of the financial year end.
    financial_year_end_day: int | None = None
    financial_year_end_month: int | None = None
    period_lock_date: XeroDate = None
    end_of_year_lock_date: XeroDate = None
    created_date_utc: XeroDateTime = Field(default=None, alias="CreatedDateUTC")


class OrganisationResponse(AccountingModel):
    organisations: list[Organisation] = Field(default_factory=list)


class Account(AccountingModel):
    """One account of the chart of accounts (``GET /Accounts``).

    ``type`` is Xero's account type (BANK, CURRENT, CURRLIAB, REVENUE, DIRECTCOSTS, ...);
    ``system_account`` marks Xero's own accounts (DEBTORS, CREDITORS, ...); ``bank_account_type``
    is BANK, CREDITCARD or PAYPAL for bank accounts.
    """

    account_id: Guid | None = Field(default=None, alias="AccountID")
    code: str | None = None
    name: str | None = None
    type: str | None = None
    status: str | None = None
    account_class: str | None = Field(default=None, alias="Class")
    system_account: str | None = None
    bank_account_type: str | None = None
    currency_code: str | None = None
    reporting_code: str | None = None


class AccountsResponse(AccountingModel):
    accounts: list[Account] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# /Reports/* (accounting.reports.read)


class ReportAttribute(AccountingModel):
    id: str | None = None
    value: str | None = None


class ReportCell(AccountingModel):
    value: str | None = None
    attributes: list[ReportAttribute] = Field(default_factory=list)


class ReportRow(AccountingModel):
    row_type: str | None = None
    title: str | None = None
    cells: list[ReportCell] = Field(default_factory=list)
    rows: list[ReportRow] = Field(default_factory=list)


class Report(AccountingModel):
    report_id: str | None = Field(default=None, alias="ReportID")
    report_name: str | None = None
    report_type: str | None = None
    report_titles: list[str] = Field(default_factory=list)
    report_date: str | None = None
    rows: list[ReportRow] = Field(default_factory=list)


class ReportsResponse(AccountingModel):
    reports: list[Report] = Field(default_factory=list)

    @property
    def grid(self) -> ReportGrid:
        """The first report read into a :class:`ReportGrid` (empty when there is none)."""
        return ReportGrid.of(self.reports[0] if self.reports else None)


_ACCOUNT_ATTRIBUTES = {"account", "accountid"}


def report_number(text: str | None) -> Decimal | None:
    """A report cell's number, exactly: ``"1,234.50"`` -> 1234.50, ``"(12.00)"`` -> -12.00,
    ``"12.5%"`` -> 12.5 (the percent figure as written), ``""`` -> None.

    Returns None for text that is not a number (a label)."""
    if text is None:
        return None
    value = text.strip().replace(",", "").removesuffix("%").strip()
    negative = value.startswith("(") and value.endswith(")")
    if negative:
        value = value[1:-1]
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return -number if negative else number


class ReportLine(BaseModel):
    """One data row of a report, in its section.

    Attributes:
        section: the title of the enclosing Section ("" for rows outside a titled section).
        row_type: ``Row`` or ``SummaryRow``.
        label: the first cell's text (an account name, "Total Income", "Debtors").
        account_id: the account ID a cell's ``Attributes`` carry (lower case), else None.
        values: the other cells' texts, one per column after the first.
    """

    model_config = ConfigDict(frozen=True)

    section: str
    row_type: str
    label: str
    account_id: str | None
    values: tuple[str, ...]

    def number(self, column: int = 0) -> Decimal | None:
        """The number in value column ``column`` (0 = the first after the label), or None."""
        if column >= len(self.values):
            return None
        return report_number(self.values[column])


class ReportGrid(BaseModel):
    """A ``/Reports/*`` response read into typed lines.

    Attributes:
        report_type: Xero's ``ReportType`` (e.g. ``ProfitAndLoss``).
        titles: ``ReportTitles``.
        columns: the Header row's texts after the first (period headings, e.g. "31 Oct 26").
        lines: every Row and SummaryRow, in report order, with its section title.
    """

    model_config = ConfigDict(frozen=True)

    report_type: str = ""
    titles: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    lines: tuple[ReportLine, ...] = ()

    @classmethod
    def of(cls, report: Report | None) -> ReportGrid:
        """Read a report's rows by row type: the Header names the columns; each Section's
        title labels the Rows and SummaryRows it holds (sections may nest; the innermost
        titled section wins)."""
        if report is None:
            return cls()
        columns: tuple[str, ...] = ()
        lines: list[ReportLine] = []

        def walk(rows: list[ReportRow], section: str) -> None:
            nonlocal columns
            for row in rows:
                kind = row.row_type or ""
                if kind == "Header":
                    if not columns:
                        columns = tuple((c.value or "").strip() for c in row.cells[1:])
                elif kind == "Section":
                    walk(row.rows, (row.title or "").strip() or section)
                elif kind in ("Row", "SummaryRow") and row.cells:
                    account = next(
                        (
                            (a.value or "").lower()
                            for c in row.cells
                            for a in c.attributes
                            if (a.id or "").lower() in _ACCOUNT_ATTRIBUTES and a.value
                        ),
                        None,
                    )
                    lines.append(
                        ReportLine(
                            section=section,
                            row_type=kind,
                            label=(row.cells[0].value or "").strip(),
                            account_id=account,
                            values=tuple((c.value or "").strip() for c in row.cells[1:]),
                        )
                    )

        walk(report.rows, "")
        return cls(
            report_type=report.report_type or "",
            titles=tuple(report.report_titles),
            columns=columns,
            lines=tuple(lines),
        )

    def find(self, section: str, label: str, row_type: str | None = None) -> ReportLine | None:
        """The first line titled ``label`` in section ``section`` (both compared without case
        and surrounding space), optionally of ``row_type``; None when there is none."""
        s, lab = section.strip().lower(), label.strip().lower()
        for line in self.lines:
            if (
                line.section.lower() == s
                and line.label.lower() == lab
                and (row_type is None or line.row_type == row_type)
            ):
                return line
        return None

    def section(self, title: str) -> list[ReportLine]:
        """The lines of every section titled ``title`` (without case), in report order."""
        t = title.strip().lower()
        return [line for line in self.lines if line.section.lower() == t]

    def frame(self) -> pl.DataFrame:
        """The grid as a long Polars frame, one row per line and column.

        Columns: ``section`` (str), ``row_type`` (str), ``label`` (str), ``account_id`` (str or
        null), ``column`` (Int32, 0 = the first value column), ``heading`` (str, the Header's
        text), ``text`` (str, the cell as Xero wrote it). Numbers stay text: report cells mix
        money, percentages and ratios; :func:`report_number` reads one exactly.
        """
        rows: dict[str, list[Any]] = {
            "section": [],
            "row_type": [],
            "label": [],
            "account_id": [],
            "column": [],
            "heading": [],
            "text": [],
        }
        for line in self.lines:
            for index, text in enumerate(line.values):
                rows["section"].append(line.section)
                rows["row_type"].append(line.row_type)
                rows["label"].append(line.label)
                rows["account_id"].append(line.account_id)
                rows["column"].append(index)
                rows["heading"].append(self.columns[index] if index < len(self.columns) else "")
                rows["text"].append(text)
        return pl.DataFrame(
            rows,
            schema={
                "section": pl.String,
                "row_type": pl.String,
                "label": pl.String,
                "account_id": pl.String,
                "column": pl.Int32,
                "heading": pl.String,
                "text": pl.String,
            },
        )


# ---------------------------------------------------------------------------------------------
# Paged lists: /Invoices, /BankTransactions (accounting.transactions.read), /Journals


class Pagination(AccountingModel):
    """The ``pagination`` object Xero adds to paged lists (camelCase, unlike the rest)."""

    model_config = ConfigDict(
        alias_generator=None, populate_by_name=True, extra="ignore", frozen=True
    )

    page: int | None = None
    page_size: int | None = Field(default=None, alias="pageSize")
    page_count: int | None = Field(default=None, alias="pageCount")
    item_count: int | None = Field(default=None, alias="itemCount")


class ContactRef(AccountingModel):
    contact_id: Guid | None = Field(default=None, alias="ContactID")
    name: str | None = None


class Invoice(AccountingModel):
    """A sales (``ACCREC``) or purchase (``ACCPAY``) invoice; amounts in the invoice's
    currency (``currency_code``; ``currency_rate`` units of it per base currency unit)."""

    invoice_id: Guid | None = Field(default=None, alias="InvoiceID")
    invoice_number: str | None = None
    type: str | None = None
    status: str | None = None
    contact: ContactRef | None = None
    date: XeroDate = None
    due_date: XeroDate = None
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    sub_total: Money = None
    total: Money = None
    amount_due: Money = None
    amount_paid: Money = None
    updated_date_utc: XeroDateTime = Field(default=None, alias="UpdatedDateUTC")


class InvoicesResponse(AccountingModel):
    invoices: list[Invoice] = Field(default_factory=list)
    pagination: Pagination | None = Field(default=None, alias="pagination")


class BankAccountRef(AccountingModel):
    account_id: Guid | None = Field(default=None, alias="AccountID")
    code: str | None = None
    name: str | None = None


class BankTransaction(AccountingModel):
    """A spend or receive money transaction in the ledger (not a bank statement line).

    ``type`` is RECEIVE, SPEND, their -OVERPAYMENT/-PREPAYMENT/-TRANSFER forms; ``total`` is
    positive for both directions (the type gives the sign), in ``currency_code``.
    """

    bank_transaction_id: Guid | None = Field(default=None, alias="BankTransactionID")
    type: str | None = None
    status: str | None = None
    is_reconciled: bool | None = None
    date: XeroDate = None
    reference: str | None = None
    contact: ContactRef | None = None
    bank_account: BankAccountRef | None = None
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    total: Money = None
    updated_date_utc: XeroDateTime = Field(default=None, alias="UpdatedDateUTC")


class BankTransactionsResponse(AccountingModel):
    bank_transactions: list[BankTransaction] = Field(default_factory=list)
    pagination: Pagination | None = Field(default=None, alias="pagination")


class Journal(AccountingModel):
    """One journal: the date it carries (``journal_date``) and when it was keyed
    (``created_date_utc``)."""

    journal_id: Guid | None = Field(default=None, alias="JournalID")
    journal_number: int | None = None
    journal_date: XeroDate = None
    created_date_utc: XeroDateTime = Field(default=None, alias="CreatedDateUTC")
    source_type: str | None = None
    reference: str | None = None


class JournalsResponse(AccountingModel):
    journals: list[Journal] = Field(default_factory=list)


#: The model each Accounting API endpoint's successful response is parsed with.
ACCOUNTING_RESPONSE_MODELS: dict[str, TypeAdapter[Any]] = {
    plan.ORGANISATION: TypeAdapter(OrganisationResponse),
    plan.ACCOUNTS: TypeAdapter(AccountsResponse),
    plan.EXECUTIVE_SUMMARY: TypeAdapter(ReportsResponse),
    plan.PROFIT_AND_LOSS: TypeAdapter(ReportsResponse),
    plan.BALANCE_SHEET: TypeAdapter(ReportsResponse),
    plan.BANK_SUMMARY: TypeAdapter(ReportsResponse),
    plan.INVOICES: TypeAdapter(InvoicesResponse),
    plan.BANK_TRANSACTIONS: TypeAdapter(BankTransactionsResponse),
    plan.JOURNALS: TypeAdapter(JournalsResponse),
}
