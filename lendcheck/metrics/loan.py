"""Loan terms, repayment and debt service coverage (DSCR).

The proposed loan is an amortising annuity: equal monthly repayments over ``term_months`` at
``annual_rate / 12`` a month. DSCR compares the cash the business generates with the debt
service it would carry:

    DSCR = cash available for debt service / annual debt service

* **Cash available for debt service** (``dscr_basis``): Xero Cashflow operating activities of
  the current 12 months plus the P&L interest expense (Xero's direct-method operating
  activities are after interest paid, and interest is part of the debt service), or, when the
  Cashflow is not available (US organisations), the EBITDA proxy from the P&L.
* **Annual debt service**: the new loan's repayments in its first 12 months, plus the existing
  debt service identifiable in the books: principal repaid (Cashflow financing "Repayment of
  borrowings"; without a Cashflow, the fall in balance-sheet total debt over the year) and the
  P&L interest expense.
* **Bank-verified DSCR**: the same with the inflow part of the numerator replaced by
  bank-verified receipts (reconciled, bank-fed, operating receipts of the current period),
  like with like: ``cash available - replaced inflows with sales tax + bank-verified
  receipts``. The replaced inflows are the Cashflow's operating receipts (OCF basis) or the
  P&L revenue (EBITDA basis). Bank receipts include sales tax; Xero shows income accounts net
  of it (the tax sits in the cash flow's net sales tax line), so the part of the replaced
  inflows on income accounts (all of revenue) is grossed up by the statements' effective
  sales tax rate (:func:`lendcheck.metrics.bank_to_books.effective_sales_tax_rate`). A
  receipt typed by hand then raises the books' inflows and cash available alike and leaves
  the bank-verified figure where it was, and tax on receipts never passes for verified
  revenue. It is above the DSCR only when the bank verifies more than the books record.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from typing import Literal

from pydantic import Field

from lendcheck.errors import UsageError
from lendcheck.metrics.financials import (
    ZERO,
    BalanceSheetFigures,
    CashFlowFigures,
    PnlFigures,
    amount_of,
    divide,
    money,
    to_float,
)
from lendcheck.money import quantize
from lendcheck.report_types import Money, Ratio, ReportModel, Share

#: Bounds of the loan terms lendcheck accepts, from the CLI and from a batch row alike
#: (:func:`parse_loan_terms`). Wide enough for any small-business loan, narrow enough that
#: every figure derived from them stays exact.
MIN_LOAN_AMOUNT = Decimal("1")
MAX_LOAN_AMOUNT = Decimal("1000000000000")
MAX_TERM_MONTHS = 600
#: Rates are given in percent a year; an unmarked rate below this is taken for a fraction
#: typed by mistake (0.085 meant as 8.5 %) and refused. Write ``0.25%`` for a quarter percent.
MIN_UNMARKED_RATE_PERCENT = Decimal("0.5")
MAX_RATE_PERCENT = Decimal("100")
#: Decimal places a rate in percent may have (8.125 has 3).
RATE_DECIMALS = 6


@dataclass(frozen=True)
class LoanTerms:
    """The loan applied for.

    Attributes:
        amount: principal (currency amount, base currency), > 0.
        term_months: number of monthly repayments, >= 1.
        annual_rate: nominal annual interest rate as a fraction (``Decimal("0.085")`` for
            8.5 %), in [0, 1).
        annual_rate_percent: the same rate in percent a year, exactly as the user gave it
            (``Decimal("8.125")``); defaults to ``annual_rate * 100``.

    Raises:
        ValueError: a term is out of range, or the two rates disagree.
    """

    amount: Decimal
    term_months: int
    annual_rate: Decimal
    annual_rate_percent: Decimal | None = None

    def __post_init__(self) -> None:
        if not self.amount.is_finite() or self.amount <= 0:
            raise ValueError(f"loan amount must be positive, got {self.amount}")
        if self.term_months < 1:
            raise ValueError(f"loan term must be at least one month, got {self.term_months}")
        if not self.annual_rate.is_finite() or not ZERO <= self.annual_rate < 1:
            raise ValueError(
                "annual rate must be a fraction in [0, 1) (0.085 for 8.5 %), "
                f"got {self.annual_rate}"
            )
        if self.annual_rate_percent is None:
            object.__setattr__(self, "annual_rate_percent", (self.annual_rate * 100).normalize())
        elif self.annual_rate_percent != self.annual_rate * 100:
            raise ValueError(f"annual rate {self.annual_rate} is not {self.annual_rate_percent} %")


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_loan_terms(
    amount: str | None,
    term_months: str | int | None,
    annual_rate: str | None,
    names: tuple[str, str, str] = ("--loan-amount", "--term-months", "--annual-rate"),
) -> LoanTerms | None:
    """Loan terms as a user types them (CLI options or batch cells), validated and bounded.

    Args:
        amount: principal in the applicant's currency, a decimal number
            (:data:`MIN_LOAN_AMOUNT` to :data:`MAX_LOAN_AMOUNT`).
        term_months: whole months, 1 to :data:`MAX_TERM_MONTHS`.
        annual_rate: percent a year, ``8.5`` or ``8.5%``, from 0 to below
            :data:`MAX_RATE_PERCENT`. Without ``%``, a rate above 0 and below
            :data:`MIN_UNMARKED_RATE_PERCENT` is refused as a fraction typed by mistake
            (``0.085`` for 8.5 %); with ``%`` it is taken as written (``0.25%``).
        names: how the three terms are named in messages (option or column names).

    Returns:
        :class:`LoanTerms` with the rate kept exactly as given (``annual_rate_percent``), or
        None when no term is given ("" or None counts as not given).

    Raises:
        UsageError (exit 2): only some terms given, a term not a number, or out of range;
            the message names the term and the allowed range.
    """
    amount_name, term_name, rate_name = names
    given = [v is not None and str(v).strip() != "" for v in (amount, term_months, annual_rate)]
    if not any(given):
        return None
    if not all(given):
        raise UsageError(f"loan terms need all three of {amount_name}, {term_name} and {rate_name}")
    principal = _decimal(str(amount))
    if principal is None or not MIN_LOAN_AMOUNT <= principal <= MAX_LOAN_AMOUNT:
        raise UsageError(
            f"{amount_name} must be an amount from {MIN_LOAN_AMOUNT:,} to {MAX_LOAN_AMOUNT:,}, "
            f"e.g. 250000; got {str(amount)[:40]!r}"
        )
    months = _decimal(str(term_months))
    if months is None or months != months.to_integral_value() or not 1 <= months <= MAX_TERM_MONTHS:
        raise UsageError(
            f"{term_name} must be a whole number of months from 1 to {MAX_TERM_MONTHS}, "
            f"e.g. 60; got {str(term_months)[:40]!r}"
        )
    text = str(annual_rate).strip()
    marked = text.endswith("%")
    percent = _decimal(text[:-1] if marked else text)
    if (
        percent is None
        or not ZERO <= percent < MAX_RATE_PERCENT
        or percent.as_tuple().exponent < -RATE_DECIMALS  # type: ignore[operator]
    ):
        raise UsageError(
            f"{rate_name} is a percentage a year from 0 to below {MAX_RATE_PERCENT} with at "
            f"most {RATE_DECIMALS} decimals, e.g. 8.5 or 8.5%; got {text[:40]!r}"
        )
    if not marked and ZERO < percent < MIN_UNMARKED_RATE_PERCENT:
        raise UsageError(
            f"{rate_name} {text} would be {percent}% a year; rates are in percent "
            f"(8.5 or 8.5% for 8.5% a year): did you mean {(percent * 100).normalize():f}%? "
            f"Write {percent}% if {percent}% a year is meant"
        )
    with localcontext() as ctx:
        ctx.prec = 34
        fraction = percent / 100
    return LoanTerms(
        amount=principal,
        term_months=int(months),
        annual_rate=fraction,
        annual_rate_percent=percent,
    )


def monthly_repayment(terms: LoanTerms) -> Decimal:
    """Equal monthly repayment of an amortising loan, rounded to cents (half even).

    ``P * r / (1 - (1 + r) ** -n)`` with ``r = annual_rate / 12``, ``n = term_months``;
    ``P / n`` when the rate is zero. Source: the standard annuity formula.
    """
    with localcontext() as ctx:
        ctx.prec = 34
        r = terms.annual_rate / 12
        n = terms.term_months
        if r == 0:
            return quantize(terms.amount / n)
        return quantize(terms.amount * r / (1 - (1 + r) ** -n))


DscrBasis = Literal["operating_cash_flow", "ebitda_proxy"]
PrincipalBasis = Literal["cashflow_repayment_of_borrowings", "balance_sheet_debt_reduction"]


class LoanAnalysis(ReportModel):
    """Repayment and debt service coverage of the loan applied for.

    Attributes:
        amount, term_months, annual_rate: the terms (rate as a fraction, a JSON number
            rounded to 4 decimals like every ratio: 8.125 % is 0.0813).
        annual_rate_percent: the rate in percent a year exactly as given, a decimal string
            (``"8.125"``; ``"8.5"`` for ``8.5%``).
        monthly_repayment: the annuity repayment (currency amount).
        new_annual_debt_service: monthly repayment x min(12, term months).
        existing_principal_repayments: existing principal repaid in the current 12 months
            (positive amount), on ``existing_principal_basis``.
        existing_principal_basis: ``cashflow_repayment_of_borrowings`` or
            ``balance_sheet_debt_reduction`` (previous total debt - current, floored at 0;
            a lower bound, as new borrowing hides repayments).
        existing_interest: P&L interest expense of the current 12 months.
        annual_debt_service: new + existing principal + existing interest (parts not
            available are left out and named in ``not_available``).
        dscr_basis: ``operating_cash_flow`` or ``ebitda_proxy``.
        operating_cash_flow: Cashflow operating activities (current period).
        ebitda: P&L EBITDA proxy (current period).
        interest_added_back: interest added to operating cash flow (OCF basis only).
        cash_available_for_debt_service: the DSCR numerator.
        dscr: cash available / annual debt service (ratio).
        replaced_inflows: Cashflow operating receipts (OCF basis) or P&L revenue (EBITDA),
            both net of sales tax.
        sales_tax_rate: the statements' effective sales tax rate (share).
        replaced_inflows_with_sales_tax: replaced inflows + sales tax rate x their part on
            income accounts (Cashflow ``operating_receipts_on_income_accounts``; all of P&L
            revenue).
        bank_verified_receipts: reconciled, bank-fed operating receipts of the period
            (sales tax included).
        bank_verified_cash_available: cash available - replaced inflows with sales tax +
            bank-verified receipts.
        bank_verified_dscr: bank-verified cash available / annual debt service (ratio).
        not_available: figure name -> why it is None.
    """

    amount: Money
    term_months: int
    annual_rate: Ratio
    annual_rate_percent: str
    monthly_repayment: Money
    new_annual_debt_service: Money
    existing_principal_repayments: Money | None = None
    existing_principal_basis: PrincipalBasis | None = None
    existing_interest: Money | None = None
    annual_debt_service: Money
    dscr_basis: DscrBasis | None = None
    operating_cash_flow: Money | None = None
    ebitda: Money | None = None
    interest_added_back: Money | None = None
    cash_available_for_debt_service: Money | None = None
    dscr: Ratio = None
    replaced_inflows: Money | None = None
    sales_tax_rate: Share = None
    replaced_inflows_with_sales_tax: Money | None = None
    bank_verified_receipts: Money | None = None
    bank_verified_cash_available: Money | None = None
    bank_verified_dscr: Ratio = None
    not_available: dict[str, str] = Field(default_factory=dict)


def loan_analysis(
    terms: LoanTerms,
    pnl: PnlFigures,
    cash_flow: CashFlowFigures,
    balance_sheet: BalanceSheetFigures,
    balance_sheet_previous: BalanceSheetFigures,
    verified_receipts: Decimal | None,
    verified_reason: str,
    currency: str,
    *,
    sales_tax_rate: Decimal | None,
    sales_tax_reason: str = "",
) -> LoanAnalysis:
    """Repayment, debt service and DSCR (plain and bank-verified) for the loan applied for.

    Args:
        terms: the loan applied for.
        pnl: current-period P&L figures.
        cash_flow: current-period cash flow figures.
        balance_sheet, balance_sheet_previous: balance sheets at ``as_of`` and a year before.
        verified_receipts: bank-verified receipts of the current period (see
            :func:`lendcheck.metrics.bank_to_books.bank_verified_receipts`), or None.
        verified_reason: why ``verified_receipts`` is None.
        currency: the organisation's base currency (the loan is taken to be in it).
        sales_tax_rate: the statements' effective sales tax rate
            (:func:`lendcheck.metrics.bank_to_books.effective_sales_tax_rate`), or None.
        sales_tax_reason: why ``sales_tax_rate`` is None.
    """
    gaps: dict[str, str] = {}
    repayment = monthly_repayment(terms)
    new_service = repayment * min(12, terms.term_months)

    principal: Decimal | None = None
    principal_basis: PrincipalBasis | None = None
    repaid = amount_of(cash_flow.repayment_of_borrowings)
    debt_now, debt_before = (
        amount_of(balance_sheet.total_debt),
        amount_of(balance_sheet_previous.total_debt),
    )
    if repaid is not None:
        principal, principal_basis = -repaid, "cashflow_repayment_of_borrowings"
    elif debt_now is not None and debt_before is not None:
        principal = max(debt_before - debt_now, ZERO)
        principal_basis = "balance_sheet_debt_reduction"
    else:
        gaps["existing_principal_repayments"] = (
            "neither the cash flow's repayment of borrowings ("
            + cash_flow.not_available.get("repayment_of_borrowings", "?")
            + ") nor two balance sheets' total debt are available"
        )
    interest = amount_of(pnl.interest_expense)
    if interest is None:
        gaps["existing_interest"] = pnl.not_available.get("interest_expense", "not available")
    service = new_service + (principal or ZERO) + (interest or ZERO)

    basis: DscrBasis | None = None
    ocf, ebitda = amount_of(cash_flow.operating_activities), amount_of(pnl.ebitda)
    available = replaced = added_back = None
    taxed_part: Decimal | None = None  # the part of the replaced inflows net of sales tax
    if ocf is not None:
        basis, added_back = "operating_cash_flow", interest
        available = ocf + (interest or ZERO)
        replaced = amount_of(cash_flow.operating_receipts)
        taxed_part = amount_of(cash_flow.operating_receipts_on_income_accounts)
        if interest is None:
            gaps["interest_added_back"] = gaps["existing_interest"]
    elif ebitda is not None:
        basis, available, replaced = "ebitda_proxy", ebitda, amount_of(pnl.revenue)
        taxed_part = replaced
        gaps["interest_added_back"] = "EBITDA is before interest already"
        if replaced is None:
            gaps["replaced_inflows"] = pnl.not_available.get("revenue", "not available")
    else:
        reason = (
            "no operating cash flow ("
            + cash_flow.not_available.get("operating_activities", "not available")
            + ") and no EBITDA proxy ("
            + pnl.not_available.get("ebitda", "not available")
            + ")"
        )
        for name in (
            "dscr_basis",
            "cash_available_for_debt_service",
            "dscr",
            "replaced_inflows",
            "interest_added_back",
        ):
            gaps[name] = reason
    if ocf is None:
        gaps["operating_cash_flow"] = cash_flow.not_available.get(
            "operating_activities", "not available"
        )
    if ebitda is None:
        gaps["ebitda"] = pnl.not_available.get("ebitda", "not available")
    dscr = divide(available, service, "dscr", gaps, zero_reason="debt service is zero")
    verified_available = replaced_with_tax = None
    if sales_tax_rate is None:
        gaps["sales_tax_rate"] = sales_tax_reason
        gaps["replaced_inflows_with_sales_tax"] = sales_tax_reason
    elif replaced is not None and taxed_part is not None:
        # Like with like: bank receipts include sales tax; the replaced inflows on income
        # accounts do not (Xero shows them net of tax), receipts on other accounts do.
        replaced_with_tax = replaced + taxed_part * sales_tax_rate
    else:
        gaps["replaced_inflows_with_sales_tax"] = gaps.get("replaced_inflows", "not available")
    if verified_receipts is None:
        gaps["bank_verified_receipts"] = verified_reason
        gaps["bank_verified_cash_available"] = verified_reason
    elif available is None or replaced_with_tax is None:
        gaps["bank_verified_cash_available"] = gaps.get("replaced_inflows_with_sales_tax") or (
            gaps.get("cash_available_for_debt_service", "not available")
        )
    else:
        verified_available = available - replaced_with_tax + verified_receipts
    verified_dscr = divide(
        verified_available, service, "bank_verified_dscr", gaps, zero_reason="debt service is zero"
    )
    if verified_available is None:
        gaps["bank_verified_dscr"] = gaps["bank_verified_cash_available"]
    return LoanAnalysis(
        amount=Money.of(terms.amount, currency),
        term_months=terms.term_months,
        annual_rate=float(terms.annual_rate),
        annual_rate_percent=f"{terms.annual_rate_percent:f}",
        monthly_repayment=Money.of(repayment, currency),
        new_annual_debt_service=Money.of(new_service, currency),
        existing_principal_repayments=money(principal, currency),
        existing_principal_basis=principal_basis,
        existing_interest=money(interest, currency),
        annual_debt_service=Money.of(service, currency),
        dscr_basis=basis,
        operating_cash_flow=money(ocf, currency),
        ebitda=money(ebitda, currency),
        interest_added_back=money(added_back, currency),
        cash_available_for_debt_service=money(available, currency),
        dscr=to_float(dscr),
        replaced_inflows=money(replaced, currency),
        sales_tax_rate=to_float(sales_tax_rate),
        replaced_inflows_with_sales_tax=money(replaced_with_tax, currency),
        bank_verified_receipts=money(verified_receipts, currency),
        bank_verified_cash_available=money(verified_available, currency),
        bank_verified_dscr=to_float(verified_dscr),
        not_available=gaps,
    )
