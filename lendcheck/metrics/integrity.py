"""Cross-statement integrity checks: do Xero's own reports agree with each other and with the
bank?

Each check is a pass/fail with the numbers it compared and their difference; ``passed`` is
None (with a ``reason``) when an input is missing. Xero's reports come from one ledger, so
identities should hold to the cent, yet Xero's own demo data has a sub-total 40.00 off its
accounts: a difference is judged against the size of the statement. A check passes when the
difference is at most its ``tolerance``, the larger of the policy's absolute tolerance (one
cent by default) and its relative tolerance (0.5 % by default) times the check's ``scale``
(the largest amount the check reads: the statement's largest total). A difference within the
tolerance but above a cent is ``immaterial_difference``: shown, not failed. The bank check is
bounded by the unreconciled lines instead and takes no relative slack. Check ids are stable
(policy files and the loan origination system refer to them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import polars as pl
from pydantic import Field, NonNegativeFloat

from lendcheck.frames import BankFrames
from lendcheck.metrics.financials import ZERO, money
from lendcheck.money import from_minor_units
from lendcheck.report_types import Money, ReportModel
from lendcheck.xero.models import (
    BalanceSheet,
    BalanceSheetAccountGroup,
    Cashflow,
    IncomeByContact,
    PnlAccountClass,
    ProfitAndLoss,
    TrialBalance,
)

#: Largest difference (currency amount) at which two amounts agree to the cent.
TOLERANCE = Decimal("0.01")


class IntegrityTolerances(ReportModel):
    """How far an integrity check's two amounts may differ and still pass (the lender's
    policy file sets them: ``[integrity]``; docs/policy.md explains the defaults).

    Attributes:
        absolute_tolerance: a currency amount every check allows (default 0.01, one cent).
        relative_tolerance: a share of the check's ``scale`` allowed on top (default 0.005:
            0.5 %, the lower end of the usual audit materiality of 0.5-1 % of revenue).
    """

    absolute_tolerance: NonNegativeFloat = 0.01
    relative_tolerance: float = Field(default=0.005, ge=0, le=1)

    def tolerance(self, scale: Decimal | None) -> Decimal:
        """The tolerance for a check of this ``scale``, to the cent (rounded down)."""
        absolute = Decimal(str(self.absolute_tolerance))
        relative = ZERO if scale is None else abs(scale) * Decimal(str(self.relative_tolerance))
        return max(absolute, relative).quantize(TOLERANCE, rounding="ROUND_DOWN")


#: The documented defaults.
DEFAULT_INTEGRITY_TOLERANCES = IntegrityTolerances()


class IntegrityCheck(ReportModel):
    """One integrity check.

    Attributes:
        id: stable identifier, e.g. ``balance_sheet_balances``.
        description: what is compared, in words.
        passed: True when the amounts agree within ``tolerance``, False when not, None when
            the check could not be made.
        reason: why the check could not be made (None otherwise).
        values: the amounts compared (and their parts), by name.
        difference: the first amount minus the second (largest difference for multi-part
            checks); None when not checked.
        tolerance: the largest difference that still passes (currency amount):
            ``max(absolute_tolerance, relative_tolerance x scale)`` of
            :class:`IntegrityTolerances`, rounded down to the cent.
        scale: the size the relative tolerance applies to: the largest absolute amount among
            ``values`` (the statement's largest total); None for the bank check, which allows
            the unreconciled lines instead, and when not checked.
        immaterial_difference: the amounts differ by more than a cent but within
            ``tolerance`` (a pass, shown); None when not checked.
    """

    id: str
    description: str
    passed: bool | None
    reason: str | None = None
    values: dict[str, Money | None] = Field(default_factory=dict)
    difference: Money | None = None
    tolerance: Money
    scale: Money | None = None
    immaterial_difference: bool | None = None


def judge(
    check: IntegrityCheck, tolerances: IntegrityTolerances = DEFAULT_INTEGRITY_TOLERANCES
) -> IntegrityCheck:
    """``check`` with ``tolerance``, ``passed`` and ``immaterial_difference`` set from its
    ``difference`` and ``scale`` under ``tolerances``; a check without a scale (not checked,
    or the bank check with its own bound) is returned as it is."""
    if check.scale is None or check.difference is None:
        return check
    tolerance = tolerances.tolerance(check.scale.amount)
    difference = abs(check.difference.amount)
    passed = difference <= tolerance
    return check.model_copy(
        update={
            "tolerance": Money.of(tolerance, check.tolerance.currency),
            "passed": passed,
            "immaterial_difference": passed and difference > TOLERANCE,
        }
    )


def _check(
    check_id: str,
    description: str,
    left: tuple[str, Decimal | None],
    right: tuple[str, Decimal | None],
    currency: str,
    reason: str | None = None,
    extra: dict[str, Decimal | None] | None = None,
) -> IntegrityCheck:
    """Compare two amounts; ``reason`` (or a missing amount) makes the check unavailable.

    Judged by :func:`judge` under the default tolerances, ``scale`` being the largest absolute
    amount among ``left``, ``right`` and ``extra``.
    """
    values = {left[0]: left[1], right[0]: right[1], **(extra or {})}
    shown = {k: money(v, currency) for k, v in values.items()}
    tolerance = Money.of(TOLERANCE, currency)
    if reason is None and (left[1] is None or right[1] is None):
        missing = [name for name, v in (left, right) if v is None]
        reason = f"not available: {', '.join(missing)}"
    if reason is not None or left[1] is None or right[1] is None:
        return IntegrityCheck(
            id=check_id,
            description=description,
            passed=None,
            reason=reason,
            values=shown,
            tolerance=tolerance,
        )
    scale = max(abs(v) for v in values.values() if v is not None)
    return judge(
        IntegrityCheck(
            id=check_id,
            description=description,
            passed=None,
            values=shown,
            difference=Money.of(left[1] - right[1], currency),
            tolerance=tolerance,
            scale=Money.of(scale, currency),
        )
    )


def trial_balance_check(tb: TrialBalance | None, currency: str, reason: str) -> IntegrityCheck:
    """``trial_balance_debits_equal_credits``: the debit balances of the trial balance add up to
    its credit balances (each account's ``balance`` with its ``entryType``)."""
    description = "trial balance: total debit balances = total credit balances"
    args = ("trial_balance_debits_equal_credits", description)
    if tb is None:
        return _check(*args, ("debits", None), ("credits", None), currency, reason)
    balances = [
        a.balance for a in tb.accounts if a.balance is not None and a.balance.value is not None
    ]
    if not balances:
        return _check(
            *args,
            ("debits", None),
            ("credits", None),
            currency,
            "the trial balance lists no account balances",
        )
    debits = sum(
        (b.value or ZERO for b in balances if (b.entry_type or "").upper() == "DEBIT"), ZERO
    )
    credits = sum(
        (b.value or ZERO for b in balances if (b.entry_type or "").upper() == "CREDIT"), ZERO
    )
    return _check(*args, ("debits", debits), ("credits", credits), currency)


def _group_total(group: BalanceSheetAccountGroup | None) -> Decimal | None:
    if group is None:
        return None
    if group.total is not None:
        return group.total
    return sum(
        (
            t.total if t.total is not None else sum((a.total or ZERO for a in t.accounts), ZERO)
            for t in group.account_types
        ),
        ZERO,
    )


def balance_sheet_balances(
    bs: BalanceSheet | None, currency: str, reason: str, suffix: str = ""
) -> IntegrityCheck:
    """``balance_sheet_balances``: Xero's total assets = total liabilities + total equity."""
    check_id = "balance_sheet_balances" + suffix
    description = "balance sheet: assets = liabilities + equity" + (
        " (a year before)" if suffix else ""
    )
    if bs is None:
        return _check(
            check_id,
            description,
            ("assets", None),
            ("liabilities_plus_equity", None),
            currency,
            reason,
        )
    assets, liabilities, equity = (
        _group_total(bs.asset),
        _group_total(bs.liability),
        _group_total(bs.equity),
    )
    right = None if liabilities is None or equity is None else liabilities + equity
    return _check(
        check_id,
        description,
        ("assets", assets),
        ("liabilities_plus_equity", right),
        currency,
        extra={"liabilities": liabilities, "equity": equity},
    )


def balance_sheet_totals_check(
    bs: BalanceSheet | None, currency: str, reason: str
) -> IntegrityCheck:
    """``balance_sheet_totals_add_up``: every group and account type total of the balance
    sheet equals the sum of its parts. ``difference`` is the largest one found."""
    check_id, description = (
        "balance_sheet_totals_add_up",
        "balance sheet: each total = the sum of its accounts",
    )
    groups = (
        None
        if bs is None
        else (("asset", bs.asset), ("liability", bs.liability), ("equity", bs.equity))
    )
    return _totals_check(
        check_id, description, groups, currency, reason, "the balance sheet has no sections"
    )


def _class_total(account_class: PnlAccountClass | None) -> Decimal | None:
    return None if account_class is None else account_class.total


def net_profit_check(
    pnl: ProfitAndLoss | None, currency: str, reason: str, suffix: str = ""
) -> IntegrityCheck:
    """``net_profit_equals_revenue_less_expenses``: Xero's ``netProfitLoss`` = revenue total -
    expense total."""
    check_id = "net_profit_equals_revenue_less_expenses" + suffix
    description = "P&L: net profit = revenue - expenses" + (" (previous period)" if suffix else "")
    if pnl is None:
        return _check(
            check_id,
            description,
            ("net_profit", None),
            ("revenue_less_expenses", None),
            currency,
            reason,
        )
    revenue, expenses = _class_total(pnl.revenue), _class_total(pnl.expense)
    right = None if revenue is None or expenses is None else revenue - expenses
    return _check(
        check_id,
        description,
        ("net_profit", pnl.net_profit_loss),
        ("revenue_less_expenses", right),
        currency,
        extra={"revenue": revenue, "expenses": expenses},
    )


def cashflow_movement_check(cf: Cashflow | None, currency: str, reason: str) -> IntegrityCheck:
    """``cashflow_closing_less_opening_equals_net_movement``: closing cash - opening cash =
    net cash movement (Xero ``cashBalance``)."""
    check_id = "cashflow_closing_less_opening_equals_net_movement"
    description = "cash flow: closing cash - opening cash = net cash movement"
    balance = None if cf is None else cf.cash_balance
    unavailable = (
        reason
        if cf is None
        else ("the cash flow gives no cash balance" if balance is None else None)
    )
    opening = None if balance is None else balance.opening_cash_balance
    closing = None if balance is None else balance.closing_cash_balance
    movement = None if balance is None else balance.net_cash_movement
    left = None if opening is None or closing is None else closing - opening
    return _check(
        check_id,
        description,
        ("closing_less_opening", left),
        ("net_cash_movement", movement),
        currency,
        unavailable,
        extra={"opening_cash": opening, "closing_cash": closing},
    )


def cashflow_activities_check(cf: Cashflow | None, currency: str, reason: str) -> IntegrityCheck:
    """``cashflow_activities_sum_to_net_movement``: operating + investing + financing
    activities = net cash movement."""
    check_id = "cashflow_activities_sum_to_net_movement"
    description = "cash flow: operating + investing + financing = net cash movement"
    if cf is None:
        return _check(
            check_id,
            description,
            ("sum_of_activities", None),
            ("net_cash_movement", None),
            currency,
            reason,
        )
    totals = {
        f"{(a.name or 'unnamed').strip().lower().replace(' ', '_')}": a.total
        for a in cf.cashflow_activities
    }
    activities = (
        None
        if not cf.cashflow_activities or None in totals.values()
        else sum((t or ZERO for t in totals.values()), ZERO)
    )
    movement = None if cf.cash_balance is None else cf.cash_balance.net_cash_movement
    return _check(
        check_id,
        description,
        ("sum_of_activities", activities),
        ("net_cash_movement", movement),
        currency,
        extra=totals,
    )


def _bank_accounts(bs: BalanceSheet) -> dict[str, Decimal]:
    """BANK accounts of a balance sheet by account id (lower case)."""
    out: dict[str, Decimal] = {}
    for t in bs.asset.account_types if bs.asset else []:
        if (t.account_type or "").upper() != "BANK":
            continue
        for a in t.accounts:
            if a.account_id:
                out[a.account_id] = out.get(a.account_id, ZERO) + (a.total or ZERO)
    return out


def _bank_total(bs: BalanceSheet) -> Decimal | None:
    if bs.asset is None:
        return None
    total = ZERO
    for t in bs.asset.account_types:
        if (t.account_type or "").upper() == "BANK":
            total += (
                t.total if t.total is not None else sum((a.total or ZERO for a in t.accounts), ZERO)
            )
    return total


def cashflow_closing_vs_balance_sheet(
    cf: Cashflow | None, bs: BalanceSheet | None, currency: str, missing: dict[str, str]
) -> IntegrityCheck:
    """``cashflow_closing_cash_equals_balance_sheet_bank``: the cash flow's closing cash =
    the balance sheet's BANK accounts at the same date."""
    check_id = "cashflow_closing_cash_equals_balance_sheet_bank"
    description = "cash flow closing cash = balance sheet bank accounts"
    reason = None
    if cf is None:
        reason = missing.get("cashflow_current", "the cash flow is not available")
    elif bs is None:
        reason = missing.get("balance_sheet_current", "the balance sheet is not available")
    elif cf.end_date and bs.balance_date and cf.end_date != bs.balance_date:
        reason = f"the cash flow ends {cf.end_date} but the balance sheet is at {bs.balance_date}"
    closing = (
        None if cf is None or cf.cash_balance is None else cf.cash_balance.closing_cash_balance
    )
    bank = None if bs is None else _bank_total(bs)
    return _check(
        check_id,
        description,
        ("cashflow_closing_cash", closing),
        ("balance_sheet_bank", bank),
        currency,
        reason,
    )


def statement_balance_check(
    bs: BalanceSheet | None,
    bank: BankFrames | None,
    as_of: date,
    currency: str,
    reason: str,
    bank_gap: str | None = None,
) -> IntegrityCheck:
    """``balance_sheet_bank_vs_statement_balances``: the books' bank balance differs from the
    bank's statement balance by no more than the unreconciled statement lines can explain.

    For the bank accounts found both in the balance sheet (by account id) and in the bank
    statements (base currency): the ledger balance (balance sheet) is compared with the
    latest statement balance at ``as_of`` (its ``endBalance``, or Xero's
    ``indicativeEndBalance`` where the bank supplied none, i.e. 0). The two legitimately differ
    by lines on the statement not yet in the ledger and by ledger entries not yet matched to a
    line; the latter are not in the Finance statements, so the check passes when
    ``|ledger - statement| <= sum of |unreconciled line amounts| + one cent`` (the unreconciled
    lines held by the snapshot, not deleted or duplicate, dated on or before ``as_of``), for
    every matched account. A larger gap is cash in the books that the bank does not show (or
    the reverse). ``values`` hold the totals and each account's figures (keyed
    ``<account id>.<figure>``); ``difference`` and ``tolerance`` are those of the account
    furthest beyond its bound (or closest to it, when all pass).

    ``bank_gap``: why the snapshot's statement lines are incomplete (a planned
    BankStatementsPlus window it does not hold), else None; the check is then not made, as the
    unreconciled lines that bound the difference may be among those not read.
    """
    check_id = "balance_sheet_bank_vs_statement_balances"
    description = (
        "balance sheet bank accounts = statement balances, within the unreconciled statement lines"
    )
    left_name, right_name = "balance_sheet_bank", "statement_balances"
    if bs is None:
        return _check(
            check_id, description, (left_name, None), (right_name, None), currency, reason
        )
    if bank is None or bank.statements.height == 0 or bank_gap:
        return _check(
            check_id,
            description,
            (left_name, None),
            (right_name, None),
            currency,
            bank_gap or "the snapshot holds no bank statements",
        )
    accounts = bank.bank_accounts.filter(
        pl.col("currency").is_null()
        | (pl.col("currency") == "")
        | (pl.col("currency").str.to_uppercase() == currency.upper())
    )["bank_account_id"].to_list()
    books = _bank_accounts(bs)
    matched = sorted(set(books) & {a.lower() for a in accounts})
    if not matched:
        return _check(
            check_id,
            description,
            (left_name, None),
            (right_name, None),
            currency,
            "no balance sheet bank account matches a statement account by id",
        )
    latest = (
        bank.statements.with_columns(pl.col("bank_account_id").str.to_lowercase())
        .filter(pl.col("bank_account_id").is_in(matched) & (pl.col("end_date") <= as_of))
        .sort("end_date", "imported_at", nulls_last=False)
        .group_by("bank_account_id")
        .last()
    )
    missing_balance = set(matched) - set(latest["bank_account_id"].to_list())
    balances = latest.with_columns(
        pl.when(pl.col("end_balance").is_not_null() & (pl.col("end_balance") != 0))
        .then(pl.col("end_balance"))
        .otherwise(pl.col("indicative_end_balance"))
        .alias("balance")
    )
    if missing_balance or balances["balance"].null_count():
        return _check(
            check_id,
            description,
            (left_name, None),
            (right_name, None),
            currency,
            "a matched account has no statement balance at the report date",
        )
    # the flags and dates first: only the few unreconciled lines' account IDs are lower-cased
    unreconciled = (
        bank.statement_lines.lazy()
        .filter(
            ~pl.col("is_reconciled")
            & ~pl.col("is_deleted")
            & ~pl.col("is_duplicate")
            & (pl.coalesce("posted_date", "transaction_date") <= as_of)
        )
        .select(pl.col("bank_account_id").str.to_lowercase(), "amount")
        .filter(pl.col("bank_account_id").is_in(matched))
        .collect()
    )
    statement_by_account = dict(
        zip(balances["bank_account_id"].to_list(), balances["balance"].to_list(), strict=True)
    )
    values: dict[str, Decimal | None] = {}
    total_ledger = total_statement = open_net = ZERO
    gaps: list[tuple[Decimal, Decimal, Decimal]] = []  # (excess over bound, difference, bound)
    for account_id in matched:
        lines = unreconciled.filter(pl.col("bank_account_id") == account_id)["amount"]
        statement = from_minor_units(int(statement_by_account[account_id]))
        ledger = books[account_id]
        open_gross = from_minor_units(int(lines.abs().sum() or 0))
        bound = open_gross + TOLERANCE
        gaps.append((abs(ledger - statement) - bound, ledger - statement, bound))
        values[f"{account_id}.balance_sheet_bank"] = ledger
        values[f"{account_id}.statement_balance"] = statement
        values[f"{account_id}.unreconciled_lines_gross"] = open_gross
        total_ledger += ledger
        total_statement += statement
        open_net += from_minor_units(int(lines.sum() or 0))
    worst = max(gaps, key=lambda g: g[0])  # the first account on a tie
    values = {
        left_name: total_ledger,
        right_name: total_statement,
        "unreconciled_lines_net": open_net,
        **values,
    }
    return IntegrityCheck(
        id=check_id,
        description=description,
        passed=worst[0] <= 0,
        values={k: money(v, currency) for k, v in values.items()},
        difference=Money.of(worst[1], currency),
        tolerance=Money.of(worst[2], currency),
    )


def contacts_revenue_check(
    contacts: IncomeByContact | None,
    pnl: ProfitAndLoss | None,
    currency: str,
    missing: dict[str, str],
) -> IntegrityCheck:
    """``contacts_revenue_equals_pnl_revenue``: Xero contacts revenue total (plus manual
    journals when the report includes them) = P&L revenue total, same period."""
    check_id = "contacts_revenue_equals_pnl_revenue"
    description = "contacts revenue total (+ manual journals) = P&L revenue"
    reason = None
    if contacts is None:
        reason = missing.get("contacts_revenue", "contacts revenue is not available")
    elif pnl is None:
        reason = missing.get("pnl_current", "the P&L is not available")
    elif (contacts.start_date, contacts.end_date) != (
        pnl.start_date,
        pnl.end_date,
    ) and None not in (contacts.start_date, pnl.start_date):
        reason = "the contacts report and the P&L cover different periods"
    total = journals = None
    if contacts is not None:
        total = (
            contacts.total
            if contacts.total is not None
            else sum((c.total or ZERO for c in contacts.contacts), ZERO)
        )
        journals = None if contacts.manual_journals is None else contacts.manual_journals.total
    left = None if total is None else total + (journals or ZERO)
    revenue = None if pnl is None else _class_total(pnl.revenue)
    return _check(
        check_id,
        description,
        ("contacts_revenue", left),
        ("pnl_revenue", revenue),
        currency,
        reason,
        extra={"contacts_total": total, "manual_journals": journals},
    )


def pnl_totals_check(pnl: ProfitAndLoss | None, currency: str, reason: str) -> IntegrityCheck:
    """``profit_and_loss_totals_add_up``: revenue and expense totals = the sum of their account
    types, each account type = the sum of its accounts. ``difference`` is the largest found."""
    check_id, description = (
        "profit_and_loss_totals_add_up",
        "P&L: each total = the sum of its accounts",
    )
    groups = None if pnl is None else (("revenue", pnl.revenue), ("expense", pnl.expense))
    return _totals_check(check_id, description, groups, currency, reason, "the P&L has no sections")


def integrity_checks(
    *,
    trial_balance: TrialBalance | None,
    balance_sheet_current: BalanceSheet | None,
    balance_sheet_previous: BalanceSheet | None,
    pnl_current: ProfitAndLoss | None,
    pnl_previous: ProfitAndLoss | None,
    cashflow_current: Cashflow | None,
    contacts_revenue: IncomeByContact | None,
    bank: BankFrames | None,
    as_of: date,
    currency: str,
    missing: dict[str, str],
    bank_gap: str | None = None,
    tolerances: IntegrityTolerances = DEFAULT_INTEGRITY_TOLERANCES,
) -> list[IntegrityCheck]:
    """Every integrity check, in a fixed order (ids are stable).

    Args:
        trial_balance ... contacts_revenue: the parsed Xero reports, None when not available.
        bank: the snapshot's bank frames, or None.
        as_of: the report date.
        currency: the organisation's base currency.
        missing: input name -> why it is None (the ``FinancialInputs`` names).
        bank_gap: why the bank statement lines are incomplete (planned windows the snapshot
            does not hold), else None.
        tolerances: the policy's tolerances (every check but the bank check, whose bound is
            the unreconciled lines plus a cent).
    """

    def why(name: str) -> str:
        return missing.get(name, f"{name} is not available")

    checks = [
        trial_balance_check(trial_balance, currency, why("trial_balance")),
        balance_sheet_balances(balance_sheet_current, currency, why("balance_sheet_current")),
        balance_sheet_balances(
            balance_sheet_previous, currency, why("balance_sheet_previous"), suffix="_previous"
        ),
        balance_sheet_totals_check(balance_sheet_current, currency, why("balance_sheet_current")),
        net_profit_check(pnl_current, currency, why("pnl_current")),
        net_profit_check(pnl_previous, currency, why("pnl_previous"), suffix="_previous"),
        pnl_totals_check(pnl_current, currency, why("pnl_current")),
        cashflow_movement_check(cashflow_current, currency, why("cashflow_current")),
        cashflow_activities_check(cashflow_current, currency, why("cashflow_current")),
        cashflow_closing_vs_balance_sheet(
            cashflow_current, balance_sheet_current, currency, missing
        ),
        statement_balance_check(
            balance_sheet_current, bank, as_of, currency, why("balance_sheet_current"), bank_gap
        ),
        contacts_revenue_check(contacts_revenue, pnl_current, currency, missing),
    ]
    return [judge(check, tolerances) for check in checks]


def _largest_total_difference(
    groups: Iterable[tuple[str, BalanceSheetAccountGroup | PnlAccountClass | None]],
) -> tuple[Decimal, dict[str, Decimal | None]]:
    """The largest stated-minus-summed difference in a statement's totals, and the totals.

    Each group (a balance sheet section or a P&L class) has account types with accounts: every
    type's stated total is compared with the sum of its accounts (where it lists accounts), and
    the group's stated total with the sum of its types' totals (a missing type total counts as
    the sum of its accounts). Returns the difference of largest absolute value (currency
    amount, 0 when all agree) and ``{<label>_total, <label>_sum_of_types}`` for each group
    present.
    """
    worst = ZERO
    values: dict[str, Decimal | None] = {}
    for label, group in groups:
        if group is None:
            continue
        type_sum = ZERO
        for t in group.account_types:
            accounts = sum((a.total or ZERO for a in t.accounts), ZERO)
            stated = t.total if t.total is not None else accounts
            if t.accounts and abs(stated - accounts) > abs(worst):
                worst = stated - accounts
            type_sum += stated
        values[f"{label}_total"] = group.total
        values[f"{label}_sum_of_types"] = type_sum
        if group.total is not None and abs(group.total - type_sum) > abs(worst):
            worst = group.total - type_sum
    return worst, values


def _totals_check(
    check_id: str,
    description: str,
    groups: tuple[tuple[str, BalanceSheetAccountGroup | PnlAccountClass | None], ...] | None,
    currency: str,
    reason: str,
    empty_reason: str,
) -> IntegrityCheck:
    """A "totals add up" check over a statement's groups (None: the statement is missing, for
    ``reason``; no group present: not checked, for ``empty_reason``)."""
    if groups is None:
        return _check(check_id, description, ("stated", None), ("summed", None), currency, reason)
    worst, values = _largest_total_difference(groups)
    if not values:
        return _check(
            check_id, description, ("stated", None), ("summed", None), currency, empty_reason
        )
    return _check(
        check_id, description, ("largest_difference", worst), ("zero", ZERO), currency, extra=values
    )
