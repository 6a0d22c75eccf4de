"""Pydantic models of the Xero Finance API responses lendcheck reads.

Source: ``xero-finance.yaml`` v16.1.0 (Xero-OpenAPI, MIT). The models are written for what
lendcheck uses rather than generated from the spec:

* **Exact money.** Every ``x-is-money`` field is a :data:`Money` (``decimal.Decimal``); JSON must be
  parsed with :func:`lendcheck.money.loads_exact` and the result validated (``validate_python``)
  so that no amount ever passes through a binary float. Not ``model_validate_json``: pydantic
  parses JSON numbers to floats before these validators see them (``999999999999999.99``
  arrives as ``1000000000000000``). Strings, booleans and non-finite numbers are refused.
* **Tolerant where Xero is loose.** The spec sets no ``nullable``: every field may be missing or
  null and defaults to ``None`` (lists to empty). Unknown fields are ignored. Integers and decimals
  are both accepted for amounts. The contacts reports accept ``id`` where the schema says
  ``contactId``.
* **Strict where it matters.** A statement line without ``statementLineId`` or ``amount``, or a
  bank statement response without ``bankAccountId``, is a validation error (an empty ID too):
  those are the facts every reconciliation metric stands on. Line counts (:data:`Count`) must be
  JSON integers and ages (:data:`Days`) finite numbers, both within a sane range: a string, a
  boolean or ``1e308`` is an error naming the field, never a number silently coerced. Negative
  counts are kept (they are Xero's figures; the cross-check shows them).

Field names are Python snake_case; the aliases are Xero's camelCase names exactly as sent
(including the spec's irregular ``accountID`` in BalanceSheet and ProfitAndLoss).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

#: Largest absolute amount accepted (one quadrillion): beyond it a number is corrupt, not money.
MONEY_LIMIT = Decimal(10) ** 15

#: Xero's special contact for transactions without a contact (contacts reports).
NONE_PROVIDED_CONTACT_ID = "86793108-198c-46d8-90a3-43c1d12686ce"
#: Xero's special contact for receive/spend bank transfers (contacts reports).
BANK_TRANSFER_CONTACT_ID = "207322b3-6a58-4be7-80f1-430123914ad6"


def _check_money(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise ValueError(f"money must be a JSON number, got {type(value).__name__}")
    if isinstance(value, float):
        # Only reached if a caller parsed JSON without parse_float=Decimal; repr() is the
        # shortest string that round-trips, which is what Xero wrote.
        if not math.isfinite(value):
            raise ValueError("money must be a finite number")
        value = Decimal(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("money must be a finite number")
    if abs(value) >= MONEY_LIMIT:
        raise ValueError(f"money out of range: {value}")
    return Decimal(value)


#: An exact currency amount (``x-is-money`` in the spec), or None where Xero left it out.
Money = Annotated[Decimal | None, BeforeValidator(_check_money)]


def _check_required_money(value: Any) -> Any:
    if value is None:
        raise ValueError("money is required, got null")
    return _check_money(value)


#: An exact currency amount that must be present.
RequiredMoney = Annotated[Decimal, BeforeValidator(_check_required_money)]

#: Largest absolute line count accepted: beyond it a count is corrupt, not a number of lines.
COUNT_LIMIT = 10**12
#: Largest absolute age in days accepted (about 2,700 years): beyond it an age is corrupt.
DAYS_LIMIT = 10**6


def _number(value: Any, what: str) -> int | Decimal:
    # Only JSON numbers: int, or Decimal from loads_exact (float if parsed without it).
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise ValueError(f"{what} must be a JSON number, got {type(value).__name__}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{what} must be a finite number")
        return Decimal(repr(value))
    return value


def _check_count(value: Any) -> Any:
    # pydantic's lax int would take "5", true and 1e308 (an integral Decimal) as counts.
    # A negative count is kept: it is Xero's figure, and the cross-check shows it.
    if value is None:
        return None
    value = _number(value, "a count")
    if isinstance(value, Decimal) and (not value.is_finite() or value != value.to_integral_value()):
        raise ValueError(f"a count must be a whole number, got {value}")
    if abs(value) > COUNT_LIMIT:
        raise ValueError(f"count out of range: {value}")
    return int(value)


def _check_days(value: Any) -> Any:
    if value is None:
        return None
    value = _number(value, "days")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("days must be a finite number")
    if abs(value) > DAYS_LIMIT:
        raise ValueError(f"days out of range: {value}")
    return Decimal(value)


#: A number of lines (Xero ``unreconciledLines``...): a JSON integer, negative values kept.
Count = Annotated[int | None, BeforeValidator(_check_count)]
#: A number of days that may be fractional (Xero ``avgDaysUnreconciledPos``): finite, bounded.
Days = Annotated[Decimal | None, BeforeValidator(_check_days)]


def _lower_guid(value: Any) -> Any:
    # Xero's GUIDs come in either case (the special contact IDs are documented upper-case).
    return value.lower() if isinstance(value, str) else value


def _required_guid(value: Any) -> Any:
    # An empty ID would merge every line that has one into a single line.
    if isinstance(value, str) and not value.strip():
        raise ValueError("an ID is required, got an empty string")
    return _lower_guid(value)


#: A Xero GUID, normalised to lower case so that comparisons are case-insensitive.
Guid = Annotated[str, BeforeValidator(_lower_guid)]
#: A Xero GUID that identifies the object (statement line, bank account): never empty.
RequiredGuid = Annotated[str, BeforeValidator(_required_guid)]


class XeroModel(BaseModel):
    """Base of every response model: camelCase aliases, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
    )


# ---------------------------------------------------------------------------------------------
# Problem (errors)


class Problem(XeroModel):
    """An error response (RFC 7807 Problem JSON). Auth failures may arrive PascalCase
    (``{"Type": null, "Title": "Unauthorized", "Status": 401, ...}``): both shapes accepted."""

    type: str | None = Field(default=None, validation_alias=AliasChoices("type", "Type"))
    title: str | None = Field(default=None, validation_alias=AliasChoices("title", "Title"))
    status: int | None = Field(default=None, validation_alias=AliasChoices("status", "Status"))
    detail: str | None = Field(default=None, validation_alias=AliasChoices("detail", "Detail"))


# ---------------------------------------------------------------------------------------------
# CashValidation


class StatementBalance(XeroModel):
    """Closing balance of the bank statement: ``value`` is always positive, ``type`` is DEBIT
    or CREDIT (an account in credit, i.e. overdrawn, has a negative balance)."""

    value: Money = None
    type: str | None = None

    @property
    def signed_value(self) -> Decimal | None:
        """The balance with its sign: DEBIT positive, CREDIT negative (None when absent)."""
        if self.value is None:
            return None
        return -self.value if (self.type or "").upper() == "CREDIT" else self.value


class DataSource(XeroModel):
    """Sums of statement line amounts by where the data came from (CashValidation)."""

    direct_bank_feed: Money = None
    file_upload: Money = None
    manual: Money = None
    other: Money = None
    direct_bank_feed_pos: Money = None
    file_upload_pos: Money = None
    manual_pos: Money = None
    other_pos: Money = None
    direct_bank_feed_neg: Money = None
    file_upload_neg: Money = None
    manual_neg: Money = None
    other_neg: Money = None


class StatementLinesSummary(XeroModel):
    """CashValidation ``bankStatement.statementLines``: Xero's own aggregates of an account's
    statement lines. ``avg_days_unreconciled_*`` are days (value-weighted ages), not money,
    although the spec marks them ``x-is-money``."""

    unreconciled_amount_pos: Money = None
    unreconciled_amount_neg: Money = None
    unreconciled_lines: Count = None
    avg_days_unreconciled_pos: Days = None
    avg_days_unreconciled_neg: Days = None
    earliest_unreconciled_transaction: dt.date | None = None
    latest_unreconciled_transaction: dt.date | None = None
    deleted_amount: Money = None
    total_amount: Money = None
    data_source: DataSource | None = None
    earliest_reconciled_transaction: dt.date | None = None
    latest_reconciled_transaction: dt.date | None = None
    reconciled_amount_pos: Money = None
    reconciled_amount_neg: Money = None
    reconciled_lines: Count = None
    total_amount_pos: Money = None
    total_amount_neg: Money = None


class CurrentStatement(XeroModel):
    """The most recent bank statement of an account (CashValidation). Balances of 0 mean the
    bank did not supply them."""

    start_date: dt.date | None = None
    end_date: dt.date | None = None
    start_balance: Money = None
    end_balance: Money = None
    imported_date_time_utc: dt.datetime | None = None
    import_source_type: str | None = None


class BankStatementSummary(XeroModel):
    """CashValidation ``bankStatement``."""

    statement_lines: StatementLinesSummary | None = None
    current_statement: CurrentStatement | None = None


class CashAccount(XeroModel):
    """The ledger's side of a bank account (CashValidation ``cashAccount``)."""

    unreconciled_amount_pos: Money = None
    unreconciled_amount_neg: Money = None
    starting_balance: Money = None
    account_balance: Money = None
    balance_currency: str | None = None


class CashValidationAccount(XeroModel):
    """One bank account of ``GET /CashValidation``; its ``account_id`` is the ``BankAccountID``
    to ask BankStatementsPlus for."""

    account_id: RequiredGuid
    statement_balance: StatementBalance | None = None
    statement_balance_date: dt.date | None = None
    bank_statement: BankStatementSummary | None = None
    cash_account: CashAccount | None = None


# ---------------------------------------------------------------------------------------------
# BalanceSheet


class BalanceSheetAccount(XeroModel):
    code: str | None = None
    account_id: Guid | None = Field(default=None, alias="accountID")
    name: str | None = None
    reporting_code: str | None = None
    total: Money = None


class BalanceSheetAccountType(XeroModel):
    account_type: str | None = None
    accounts: list[BalanceSheetAccount] = Field(default_factory=list)
    total: Money = None


class BalanceSheetAccountGroup(XeroModel):
    account_types: list[BalanceSheetAccountType] = Field(default_factory=list)
    total: Money = None


class BalanceSheet(XeroModel):
    """``GET /FinancialStatements/BalanceSheet``: positions at ``balance_date``."""

    balance_date: dt.date | None = None
    asset: BalanceSheetAccountGroup | None = None
    liability: BalanceSheetAccountGroup | None = None
    equity: BalanceSheetAccountGroup | None = None


# ---------------------------------------------------------------------------------------------
# Cashflow


class CashBalance(XeroModel):
    opening_cash_balance: Money = None
    closing_cash_balance: Money = None
    net_cash_movement: Money = None


class CashflowAccount(XeroModel):
    account_id: Guid | None = None
    account_type: str | None = None
    account_class: str | None = None
    code: str | None = None
    name: str | None = None
    reporting_code: str | None = None
    total: Money = None


class CashflowType(XeroModel):
    name: str | None = None
    total: Money = None
    accounts: list[CashflowAccount] = Field(default_factory=list)


class CashflowActivity(XeroModel):
    """Operating, Investing or Financing Activities."""

    name: str | None = None
    total: Money = None
    cashflow_types: list[CashflowType] = Field(default_factory=list)


class Cashflow(XeroModel):
    """``GET /FinancialStatements/Cashflow`` (direct method; refused for US organisations)."""

    start_date: dt.date | None = None
    end_date: dt.date | None = None
    cash_balance: CashBalance | None = None
    cashflow_activities: list[CashflowActivity] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# ProfitAndLoss


class PnlAccount(XeroModel):
    account_id: Guid | None = Field(default=None, alias="accountID")
    account_type: str | None = None
    code: str | None = None
    name: str | None = None
    reporting_code: str | None = None
    total: Money = None


class PnlAccountType(XeroModel):
    """ "Trading Income" / "Other Income" under revenue; "Direct Cost" / "Operating Expenses"
    under expense."""

    total: Money = None
    title: str | None = None
    accounts: list[PnlAccount] = Field(default_factory=list)


class PnlAccountClass(XeroModel):
    total: Money = None
    account_types: list[PnlAccountType] = Field(default_factory=list)


class ProfitAndLoss(XeroModel):
    """``GET /FinancialStatements/ProfitAndLoss`` for ``start_date``..``end_date``."""

    start_date: dt.date | None = None
    end_date: dt.date | None = None
    net_profit_loss: Money = None
    revenue: PnlAccountClass | None = None
    expense: PnlAccountClass | None = None


# ---------------------------------------------------------------------------------------------
# TrialBalance


class TrialBalanceEntry(XeroModel):
    value: Money = None
    entry_type: str | None = None


class TrialBalanceMovement(XeroModel):
    debits: Money = None
    credits: Money = None
    movement: TrialBalanceEntry | None = None
    signed_movement: Money = None


class TrialBalanceAccount(XeroModel):
    """One account of the trial balance. ``signed_balance``: asset and expense debits positive;
    revenue, liability and equity debits negative."""

    account_id: Guid | None = None
    account_type: str | None = None
    account_code: str | None = None
    account_class: str | None = None
    status: str | None = None
    reporting_code: str | None = None
    account_name: str | None = None
    balance: TrialBalanceEntry | None = None
    signed_balance: Money = None
    account_movement: TrialBalanceMovement | None = None


class TrialBalance(XeroModel):
    """``GET /FinancialStatements/TrialBalance`` at ``end_date``."""

    start_date: dt.date | None = None
    end_date: dt.date | None = None
    accounts: list[TrialBalanceAccount] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Contacts revenue / expense


class ContactTotalDetail(XeroModel):
    total_paid: Money = None
    total_outstanding: Money = None
    total_credited_un_applied: Money = Field(default=None, alias="totalCreditedUnApplied")


class ContactTotalOther(XeroModel):
    total_outstanding_aged: Money = None
    total_voided: Money = None
    total_credited: Money = None
    transaction_count: Count = None


class ContactDetail(XeroModel):
    """One contact's line. The spec's example says ``id`` where its schema says ``contactId``:
    both are accepted."""

    contact_id: Guid | None = Field(
        default=None, validation_alias=AliasChoices("contactId", "id", "contact_id")
    )
    name: str | None = None
    total: Money = None
    total_detail: ContactTotalDetail | None = None
    total_other: ContactTotalOther | None = None
    account_codes: list[str] = Field(default_factory=list)

    @property
    def is_special(self) -> bool:
        """True for Xero's "None Provided" and "Bank Transfer" pseudo-contacts."""
        return self.contact_id in (NONE_PROVIDED_CONTACT_ID, BANK_TRANSFER_CONTACT_ID)


class ManualJournalTotal(XeroModel):
    total: Money = None


class IncomeByContact(XeroModel):
    """``GET /FinancialStatements/contacts/revenue`` and ``/contacts/expense``."""

    start_date: dt.date | None = None
    end_date: dt.date | None = None
    total: Money = None
    total_detail: ContactTotalDetail | None = None
    total_other: ContactTotalOther | None = None
    contacts: list[ContactDetail] = Field(default_factory=list)
    manual_journals: ManualJournalTotal | None = None


# ---------------------------------------------------------------------------------------------
# BankStatementsPlus


class ContactRef(XeroModel):
    contact_id: Guid | None = None
    contact_name: str | None = None


class LineItem(XeroModel):
    account_id: Guid | None = None
    reporting_code: str | None = None
    line_amount: Money = None
    account_type: str | None = None


class LinkedDocument(XeroModel):
    """An invoice, credit note, prepayment or overpayment a payment applies to."""

    invoice_id: Guid | None = None
    credit_note_id: Guid | None = None
    prepayment_id: Guid | None = None
    overpayment_id: Guid | None = None
    contact: ContactRef | None = None
    total: Money = None
    line_items: list[LineItem] = Field(default_factory=list)


class Payment(XeroModel):
    """A payment a reconciled statement line was matched to."""

    payment_id: Guid | None = None
    batch_payment_id: Guid | None = None
    date: dt.date | None = None
    amount: Money = None
    bank_amount: Money = None
    currency_rate: Decimal | None = None
    invoice: LinkedDocument | None = None
    credit_note: LinkedDocument | None = None
    prepayment: LinkedDocument | None = None
    overpayment: LinkedDocument | None = None

    @property
    def document(self) -> LinkedDocument | None:
        """Whichever of invoice, credit note, prepayment, overpayment is present."""
        return self.invoice or self.credit_note or self.prepayment or self.overpayment


class BankTransaction(XeroModel):
    """A spend/receive money transaction a reconciled statement line was matched to."""

    bank_transaction_id: Guid | None = None
    batch_payment_id: Guid | None = None
    contact: ContactRef | None = None
    date: dt.date | None = None
    amount: Money = None
    line_items: list[LineItem] = Field(default_factory=list)


class StatementLine(XeroModel):
    """One bank statement line. ``statement_line_id`` and ``amount`` are required."""

    statement_line_id: RequiredGuid
    posted_date: dt.date | None = None
    payee: str | None = None
    reference: str | None = None
    notes: str | None = None
    cheque_no: str | None = None
    amount: RequiredMoney
    transaction_date: dt.date | None = None
    type: str | None = None
    is_reconciled: bool = False
    is_duplicate: bool = False
    is_deleted: bool = False
    payments: list[Payment] = Field(default_factory=list)
    bank_transactions: list[BankTransaction] = Field(default_factory=list)


class Statement(XeroModel):
    """One imported bank statement. ``start_balance``/``end_balance`` of 0 mean "not supplied";
    ``indicative_*`` are Xero's own running balances."""

    statement_id: Guid | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    imported_date_time_utc: dt.datetime | None = None
    import_source: str | None = None
    start_balance: Money = None
    end_balance: Money = None
    indicative_start_balance: Money = None
    indicative_end_balance: Money = None
    statement_lines: list[StatementLine] = Field(default_factory=list)


class BankStatements(XeroModel):
    """``GET /BankStatementsPlus/statements`` for one bank account and window."""

    bank_account_id: RequiredGuid
    bank_account_name: str | None = None
    bank_account_currency_code: str | None = None
    statements: list[Statement] = Field(default_factory=list)
