"""Loan terms, repayment and debt service coverage (DSCR).

The proposed loan is an amortising annuity: equal monthly repayments over ``term_months`` at
``annual_rate / 12`` a month. DSCR compares the cash the business generates with the debt
service it would carry:

    DSCR = cash available for debt service / annual debt service

* **Cash available for debt service**, on two bases, both shown:
  operating cash flow (Xero Cashflow operating activities of the current 12 months, plus the
  interest paid within them, which is in the debt service; less income tax paid outside them
  and owner drawings) and EBITDA (the P&L's, less income tax paid and owner drawings).
  ``dscr`` is on operating cash flow when the Cashflow is available (not for US
  organisations), else on EBITDA; ``cash_conversion`` compares the two.
* **Annual debt service**: the new loan's repayments in its first 12 months, plus the existing
  debt service identifiable in the books: principal repaid (Cashflow financing "Repayment of
  borrowings"; without a Cashflow, the fall in balance-sheet total debt over the year) and the
  interest paid (the Cashflow's interest accounts, else the P&L interest expense); plus the
  repayments to lenders seen in the bank in the current 12 months that the books do not hold
  as debt service (:mod:`lendcheck.metrics.debt_service`): those booked as other costs move
  from cash available to the debt service (added back to cash available on both bases), those
  not in the books at all (unreconciled, or booked to an asset) are added; those booked
  against a loan liability or to interest are in the principal and interest already and are
  not added again.
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
from lendcheck.metrics.debt_service import DebtService
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
InterestBasis = Literal["cashflow_interest_paid", "pnl_interest_expense"]
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
        existing_interest: interest paid in the current 12 months, on
            ``existing_interest_basis``.
        existing_interest_basis: ``cashflow_interest_paid`` (the Cashflow's interest
            accounts, every activity) or ``pnl_interest_expense`` (the P&L's, when the Cashflow
            does not list its accounts or is not available).
        bank_repayments_in_debt_service: repayments to lenders seen in the bank in the
            current 12 months that the books hold against a loan liability or as interest:
            already in the existing principal and interest, shown, not added (None without
            the bank's repayment streams, reason in ``not_available``).
        bank_repayments_in_costs: those the books hold as other costs (expense accounts):
            added to the debt service and added back to cash available on both bases.
        bank_repayments_outside_books: those the books do not hold (unreconciled, or booked to
            an asset or equity account): added to the debt service.
        bank_repayments_booking_unknown: those reconciled to links that carry no account
            (summary mode): taken as in the books' debt service, not added.
        existing_bank_debt_service: bank_repayments_in_costs + bank_repayments_outside_books:
            existing debt service the books' figures miss (docs/metrics.md, "Debt service
            seen in the bank in the DSCR").
        annual_debt_service: new + existing principal + existing interest + existing bank
            debt service (parts not available are left out and named in ``not_available``).
        dscr_basis: ``operating_cash_flow`` or ``ebitda_proxy``: the basis of ``dscr``.
        operating_cash_flow: Cashflow operating activities (current period).
        ebitda: P&L EBITDA proxy (current period).
        interest_added_back: the interest paid within operating activities, added back to
            operating cash flow (it is in the debt service; never counted twice).
        owner_drawings: cash paid to the owners (Cashflow equity outflows), deducted on both
            bases.
        tax_paid_outside_operating: income tax paid outside operating activities (deducted
            from operating cash flow, which is after the tax paid within them).
        tax_deducted_from_ebitda: income tax paid (Cashflow), else the P&L income tax
            expense, deducted from EBITDA.
        cash_available_operating_cash_flow: operating cash flow + interest added back - tax
            paid outside operating - owner drawings + bank repayments in costs.
        cash_available_ebitda: EBITDA - tax deducted from EBITDA - owner drawings + bank
            repayments in costs.
        dscr_operating_cash_flow, dscr_ebitda: each cash available / annual debt service.
        cash_conversion: cash available on operating cash flow / on EBITDA (ratio): how much
            of the profit arrives as cash; far below 1, the two DSCRs tell different stories.
        cash_available_for_debt_service: the DSCR numerator on ``dscr_basis``.
        dscr: cash available / annual debt service (ratio): on operating cash flow when the
            Cashflow is available, else on EBITDA.
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
    existing_interest_basis: InterestBasis | None = None
    bank_repayments_in_debt_service: Money | None = None
    bank_repayments_in_costs: Money | None = None
    bank_repayments_outside_books: Money | None = None
    bank_repayments_booking_unknown: Money | None = None
    existing_bank_debt_service: Money | None = None
    annual_debt_service: Money
    dscr_basis: DscrBasis | None = None
    operating_cash_flow: Money | None = None
    ebitda: Money | None = None
    interest_added_back: Money | None = None
    owner_drawings: Money | None = None
    tax_paid_outside_operating: Money | None = None
    tax_deducted_from_ebitda: Money | None = None
    cash_available_operating_cash_flow: Money | None = None
    cash_available_ebitda: Money | None = None
    dscr_operating_cash_flow: Ratio = None
    dscr_ebitda: Ratio = None
    cash_conversion: Ratio = None
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
    bank_repayments: DebtService | None = None,
    bank_repayments_reason: str = "the bank statement lines are not available",
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
        bank_repayments: the repayment streams seen in the bank
            (:func:`lendcheck.metrics.debt_service.debt_service`), or None.
        bank_repayments_reason: why ``bank_repayments`` is None.
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
    # Interest as the debt costs it in cash, where the cash flow shows it (docs/metrics.md).
    interest_basis: InterestBasis | None = None
    interest = in_operating = None
    if (paid := amount_of(cash_flow.interest_paid)) is not None:
        interest, interest_basis = paid, "cashflow_interest_paid"
        in_operating = amount_of(cash_flow.interest_paid_in_operating)
    elif (accrued := amount_of(pnl.interest_expense)) is not None:
        # Not locatable in the cash flow: the P&L's, which Xero's direct method would put in
        # operating activities (interest is an expense account).
        interest = in_operating = accrued
        interest_basis = "pnl_interest_expense"
    else:
        gaps["existing_interest"] = pnl.not_available.get("interest_expense", "not available")
    in_costs = bank_added = None
    if bank_repayments is None:
        for name in (
            "bank_repayments_in_debt_service",
            "bank_repayments_in_costs",
            "bank_repayments_outside_books",
            "bank_repayments_booking_unknown",
            "existing_bank_debt_service",
        ):
            gaps[name] = bank_repayments_reason
    else:
        # Only what the books' figures miss (docs/metrics.md): never a repayment twice.
        in_costs = bank_repayments.last_12_months_in_costs.amount
        bank_added = in_costs + bank_repayments.last_12_months_outside_books.amount
        if bank_repayments.streams_in_other_currencies:
            gaps["existing_bank_debt_service"] = (
                "covers the base currency only: repayments to "
                + ", ".join(bank_repayments.streams_in_other_currencies)
                + " are in another currency"
            )
    service = new_service + (principal or ZERO) + (interest or ZERO) + (bank_added or ZERO)

    drawings = amount_of(cash_flow.owner_drawings)
    if drawings is None:
        gaps["owner_drawings"] = cash_flow.not_available.get("owner_drawings", "not available")
    tax_paid = amount_of(cash_flow.income_tax_paid)
    tax_in_operating = amount_of(cash_flow.income_tax_paid_in_operating)
    ocf, ebitda = amount_of(cash_flow.operating_activities), amount_of(pnl.ebitda)
    ocf_available = ebitda_available = tax_outside = ebitda_tax = None
    if ocf is not None:
        # OCF is after the interest and tax paid in operating activities: interest is added
        # back (it is in the debt service), tax stays deducted; tax paid elsewhere and
        # drawings are deducted.
        tax_outside = (tax_paid - (tax_in_operating or ZERO)) if tax_paid is not None else None
        ocf_available = (
            ocf
            + (in_operating or ZERO)
            - (tax_outside or ZERO)
            - (drawings or ZERO)
            + (in_costs or ZERO)
        )
        if in_operating is None:
            gaps["interest_added_back"] = gaps.get("existing_interest", "not available")
        if tax_outside is None:
            gaps["tax_paid_outside_operating"] = cash_flow.not_available.get(
                "income_tax_paid", "not available"
            )
    if ebitda is not None:
        # EBITDA is before interest and tax: the tax paid (else the P&L's) and drawings come off.
        ebitda_tax = tax_paid if tax_paid is not None else amount_of(pnl.income_tax_expense)
        ebitda_available = ebitda - (ebitda_tax or ZERO) - (drawings or ZERO) + (in_costs or ZERO)
        if ebitda_tax is None:
            gaps["tax_deducted_from_ebitda"] = pnl.not_available.get(
                "income_tax_expense", "not available"
            )
    basis: DscrBasis | None = None
    available = replaced = added_back = None
    taxed_part: Decimal | None = None  # the part of the replaced inflows net of sales tax
    if ocf_available is not None:
        basis, available, added_back = "operating_cash_flow", ocf_available, in_operating
        replaced = amount_of(cash_flow.operating_receipts)
        taxed_part = amount_of(cash_flow.operating_receipts_on_income_accounts)
    elif ebitda_available is not None:
        basis, available, replaced = "ebitda_proxy", ebitda_available, amount_of(pnl.revenue)
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
        gaps["cash_available_operating_cash_flow"] = gaps["operating_cash_flow"]
    if ebitda is None:
        gaps["ebitda"] = pnl.not_available.get("ebitda", "not available")
        gaps["cash_available_ebitda"] = gaps["ebitda"]
    zero = "debt service is zero"
    dscr_ocf = divide(ocf_available, service, "dscr_operating_cash_flow", gaps, zero_reason=zero)
    dscr_ebitda = divide(ebitda_available, service, "dscr_ebitda", gaps, zero_reason=zero)
    conversion = divide(
        ocf_available,
        ebitda_available,
        "cash_conversion",
        gaps,
        zero_reason="EBITDA less tax and drawings is zero",
        negative_reason="EBITDA less tax and drawings is negative: no conversion to compare",
    )
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
        existing_interest_basis=interest_basis,
        bank_repayments_in_debt_service=bank_repayments.last_12_months_in_debt_service
        if bank_repayments
        else None,
        bank_repayments_in_costs=money(in_costs, currency),
        bank_repayments_outside_books=bank_repayments.last_12_months_outside_books
        if bank_repayments
        else None,
        bank_repayments_booking_unknown=bank_repayments.last_12_months_booking_unknown
        if bank_repayments
        else None,
        existing_bank_debt_service=money(bank_added, currency),
        annual_debt_service=Money.of(service, currency),
        dscr_basis=basis,
        operating_cash_flow=money(ocf, currency),
        ebitda=money(ebitda, currency),
        interest_added_back=money(added_back, currency),
        owner_drawings=money(drawings, currency),
        tax_paid_outside_operating=money(tax_outside, currency),
        tax_deducted_from_ebitda=money(ebitda_tax, currency),
        cash_available_operating_cash_flow=money(ocf_available, currency),
        cash_available_ebitda=money(ebitda_available, currency),
        dscr_operating_cash_flow=to_float(dscr_ocf),
        dscr_ebitda=to_float(dscr_ebitda),
        cash_conversion=to_float(conversion),
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


class DebtCapacity(ReportModel):
    """Cover and leverage of the debt the business carries now (without the loan applied for).

    Attributes:
        ebit: EBITDA - depreciation and amortisation (current 12 months, currency amount).
        interest_expense: P&L interest expense of the current 12 months.
        interest_cover: EBIT / interest expense (ratio; times covered); None without interest
            expense.
        total_debt: balance sheet total debt at ``as_of`` (docs/metrics.md, "Debt").
        ebitda: P&L EBITDA of the current 12 months.
        debt_to_ebitda: total debt / EBITDA (ratio; years of EBITDA to repay the debt); None
            when EBITDA is zero or negative.
        not_available: figure name -> why it is None.
    """

    ebit: Money | None = None
    interest_expense: Money | None = None
    interest_cover: Ratio = None
    total_debt: Money | None = None
    ebitda: Money | None = None
    debt_to_ebitda: Ratio = None
    not_available: dict[str, str] = Field(default_factory=dict)


def _ratio(
    numerator: tuple[Decimal | None, str],
    denominator: tuple[Decimal | None, str],
    name: str,
    gaps: dict[str, str],
    zero_reason: str,
    negative_reason: str | None = None,
) -> Decimal | None:
    """:func:`~lendcheck.metrics.financials.divide` of two figures given with their names in
    ``gaps``; when one is missing, the ratio's reason is that figure's (the numerator's
    first), not a generic one."""
    (top, top_name), (bottom, bottom_name) = numerator, denominator
    result = divide(
        top, bottom, name, gaps, zero_reason=zero_reason, negative_reason=negative_reason
    )
    if top is None or bottom is None:
        gaps[name] = gaps.get(top_name) or gaps[bottom_name]
    return result


def debt_capacity(
    pnl: PnlFigures, balance_sheet: BalanceSheetFigures, currency: str
) -> DebtCapacity:
    """Interest cover and debt to EBITDA from the current P&L and the balance sheet at
    ``as_of`` (debt as :func:`lendcheck.metrics.financials.balance_sheet_figures` defines it).
    Every figure None with its reason when an input is missing."""
    gaps: dict[str, str] = {}
    ebitda, da = amount_of(pnl.ebitda), amount_of(pnl.depreciation_and_amortisation)
    interest, debt = amount_of(pnl.interest_expense), amount_of(balance_sheet.total_debt)
    ebit = None
    if ebitda is None or da is None:
        gaps["ebit"] = pnl.not_available.get("ebitda") or pnl.not_available.get(
            "depreciation_and_amortisation", "not available"
        )
    else:
        ebit = ebitda - da
    for name, value, reasons in (
        ("interest_expense", interest, pnl.not_available),
        ("total_debt", debt, balance_sheet.not_available),
        ("ebitda", ebitda, pnl.not_available),
    ):
        if value is None:
            gaps[name] = reasons.get(name, "not available")
    cover = _ratio((ebit, "ebit"), (interest, "interest_expense"), "interest_cover", gaps,
                   "no interest expense: nothing to cover")  # fmt: skip
    leverage = _ratio((debt, "total_debt"), (ebitda, "ebitda"), "debt_to_ebitda", gaps,
                      "EBITDA is zero: leverage is not meaningful",
                      "EBITDA is negative: leverage is not meaningful")  # fmt: skip
    return DebtCapacity(
        ebit=money(ebit, currency),
        interest_expense=money(interest, currency),
        interest_cover=to_float(cover),
        total_debt=money(debt, currency),
        ebitda=money(ebitda, currency),
        debt_to_ebitda=to_float(leverage),
        not_available=gaps,
    )
