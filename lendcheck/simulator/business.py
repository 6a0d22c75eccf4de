"""The story of a simulated business: who it sells to, who it buys from, how it banks and how
its bookkeeper behaves. A :class:`Profile` plus a seed determines a sample completely.

All amounts are ``int`` cents (net of sales tax unless named ``gross``); rates are basis points
(1/100 of a percent); durations are days unless named ``months``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class BankSpec:
    """A bank account of the organisation.

    Attributes:
        code: ledger account code (e.g. ``"090"``).
        name: account name as Xero shows it.
        kind: ``"current"`` (trading account), ``"savings"`` or ``"card"`` (credit card).
        opening: conversion balance in cents (negative for a card balance owed).
        sources: ``(from date, import source)`` segments; the first applies from the start.
        supplied_share: share of feed statements that carry the bank's balances.
    """

    code: str
    name: str
    kind: str
    opening: int
    sources: tuple[tuple[date, str], ...]
    supplied_share: float = 0.9


@dataclass(frozen=True)
class CustomerSpec:
    """A customer invoiced on credit terms.

    Attributes:
        name: contact name.
        invoices_per_month: mean number of invoices a month.
        mean_invoice: mean invoice value, net of tax, in cents.
        terms: payment terms in days (due date = invoice date + terms).
        late_mean: mean days paid after the due date (0 = on time).
        never_pays: share of invoices never paid.
        since: first invoice date (None = from the start).
    """

    name: str
    invoices_per_month: float
    mean_invoice: int
    terms: int = 14
    late_mean: float = 3.0
    never_pays: float = 0.0
    since: date | None = None


@dataclass(frozen=True)
class SupplierSpec:
    """A supplier or a regular outgoing.

    Attributes:
        name: contact name (also the payee the bank shows, upper-cased).
        account: expense/cost account code the spend is coded to.
        per_month: mean number of purchases a month.
        mean_amount: mean purchase, net of tax, in cents.
        mode: ``"bill"`` (bill on terms, paid by bank transfer), ``"dd"`` (direct debit on
            ``day`` of each month, spend money) or ``"card"`` (debit card purchases).
        day: day of month for direct debits.
        terms: bill payment terms in days.
        taxed: whether sales tax applies.
        bank: code of the bank account it is paid from (None = the main account).
    """

    name: str
    account: str
    per_month: float
    mean_amount: int
    mode: str = "bill"
    day: int = 1
    terms: int = 30
    taxed: bool = True
    bank: str | None = None


@dataclass(frozen=True)
class LoanSpec:
    """A term loan repaid monthly (annuity).

    Attributes:
        lender: contact and payee.
        principal: amount drawn in cents.
        drawn: drawdown date (before the conversion date = an opening balance).
        months: term.
        rate_bp: annual interest rate in basis points.
    """

    lender: str
    principal: int
    drawn: date
    months: int
    rate_bp: int


@dataclass(frozen=True)
class Profile:
    """Everything that makes one sample applicant.

    Attributes:
        name: sample name (directory under ``samples/``).
        tenant_name: the Xero organisation's name.
        sector, country, currency: as they say; country ``US`` has no Cashflow statement.
        seed: seed of ``random.Random``.
        as_of: report date.
        months: months of bank statements in the fetch plan.
        start: conversion date (first day in Xero; opening balances are dated the day before).
        fy_end_month: last month of the financial year.
        tax_name, tax_rate_bp, tax_payee: sales tax (VAT, GST, Sales Tax) and who collects it.
        tax_every_months: months per tax return (paid a month and a week after the period).
        banks: bank accounts; the first is the trading account.
        card_processor: payee of card-takings payouts (None = no card sales).
        card_daily: mean card takings a day, net of tax, in cents.
        card_fee_bp: processor fee withheld from payouts.
        season_amplitude: seasonal swing of the card takings: a day's mean takings are
            ``card_daily x max(0, 1 + season_amplitude x sin(...))``, peaking in late July
            (0.18: a cafe; above 1 the business takes nothing for part of the winter, and no
            payout is made on a day without takings).
        cash_weekly: mean weekly cash banked ("CASH DEPOSIT"), net of tax, in cents.
        customers, suppliers: see their specs.
        staff: employee names; paid monthly.
        wage: mean monthly net pay per employee in cents.
        payroll_tax_payee, pension_payee: payees of payroll tax and pension contributions.
        loan: term loan, if any.
        savings_sweep: monthly transfer from the trading account to the savings account.
        card_topup: True to pay a credit-card account off monthly from the trading account.
        equipment: ``(date, supplier, net cents, useful life months)`` purchases.
        opening_fixed: fixed assets at conversion, in cents (written off over 60 months).
        capital, owner: money the owner pays in on the conversion date (financing cash flow).
        bulk_receipts_daily, bulk_receipt_mean: per bank account, mean number of small customer
            receipts a day (e.g. members' direct debits) and their mean net amount in cents.
        bulk_spend_daily, bulk_spend_mean: per bank account, mean number of card spends a day
            and their mean net amount in cents.
        growth_bp: monthly growth of sales.
        recon_lag: mean days from import to reconciliation.
        recon_stop: reconciliation stops on this system date (stale bookkeeping).
        duplicate_rate: share of feed lines the feed sends twice.
        delete_duplicates: whether the bookkeeper deletes them.
        fake_receipts: doctored: ``(source, count)`` receipts the bank never sent, reconciled to
            invoices typed for them.
        ghost_receipts: doctored: receipts booked in the ledger with no statement line.
        typed_balance_offset: doctored: typed statement balances off by this many cents.
        dishonoured_receipts: behaviour: customer receipts the bank takes back two days
            later (a ``DISHONOUR`` line of the same payee and amount).
        hidden_loan: behaviour: ``(lender, monthly cents, first payment)`` repaid monthly by
            direct debit and booked as interest expense: debt not on the balance sheet.
        blank_lines: behaviour: small payments typed by hand with neither payee nor reference.
        late_lines: behaviour: ``(count, days)`` small payments typed by hand ``days`` after
            their date.
        tax_unpaid_from: behaviour: sales tax returns due on or after this date are not paid.
        round_sum_receipts: behaviour: ``(payer, count, first day)``: ``count`` receipts of
            whole hundreds (100.00 to 600.00) from ``payer`` on business days from ``first``
            to ``as_of`` into the trading account, booked as sales with sales tax (the owner's
            own money dressed as takings). Drawn from a generator of their own (seeded from
            ``seed``), so that the other lines and statements are those without them.
        overpay_rate, prepay_rate, credit_rate, refund_rate: shares of invoices overpaid,
            preceded by a deposit (prepayment), part-credited, and refunded in cash.
        headline: one line for ``lendcheck samples list``; story: README text; risks: planted
            risks, one per line.
        source: the Xero API(s) the sample's snapshot holds: ``finance`` (the Finance API plan),
            ``accounting`` (the Accounting API plan) or ``both``.
    """

    name: str
    tenant_name: str
    sector: str
    country: str
    currency: str
    seed: int
    as_of: date
    months: int
    start: date
    fy_end_month: int
    tax_name: str
    tax_rate_bp: int
    tax_payee: str
    banks: tuple[BankSpec, ...]
    tax_every_months: int = 3
    card_processor: str | None = None
    card_daily: int = 0
    card_fee_bp: int = 175
    season_amplitude: float = 0.18
    cash_weekly: int = 0
    customers: tuple[CustomerSpec, ...] = ()
    suppliers: tuple[SupplierSpec, ...] = ()
    staff: tuple[str, ...] = ()
    wage: int = 0
    payroll_tax_payee: str = "HMRC PAYE"
    pension_payee: str = "NEST PENSIONS"
    loan: LoanSpec | None = None
    savings_sweep: int = 0
    card_topup: bool = False
    equipment: tuple[tuple[date, str, int, int], ...] = ()
    opening_fixed: int = 0
    capital: int = 0
    owner: str = ""
    bulk_receipts_daily: int = 0
    bulk_receipt_mean: int = 0
    bulk_spend_daily: int = 0
    bulk_spend_mean: int = 0
    growth_bp: int = 50
    recon_lag: float = 2.0
    recon_stop: date | None = None
    duplicate_rate: float = 0.002
    delete_duplicates: bool = True
    fake_receipts: tuple[tuple[str, int], ...] = ()
    ghost_receipts: int = 0
    typed_balance_offset: int = 0
    dishonoured_receipts: int = 0
    hidden_loan: tuple[str, int, date] | None = None
    blank_lines: int = 0
    late_lines: tuple[int, int] = (0, 0)
    tax_unpaid_from: date | None = None
    round_sum_receipts: tuple[str, int, date] | None = None
    overpay_rate: float = 0.02
    prepay_rate: float = 0.03
    credit_rate: float = 0.03
    refund_rate: float = 0.01
    headline: str = ""
    story: str = ""
    risks: tuple[str, ...] = field(default_factory=tuple)
    source: str = "finance"
