"""Integrity checks: all pass on the consistent organisation; each fails when a test breaks
its invariant; each is "not checked" (passed None, with the reason) when an input is missing."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from lendcheck.metrics.integrity import (
    IntegrityCheck,
    IntegrityTolerances,
    integrity_checks,
    judge,
    pnl_totals_check,
)
from lendcheck.xero.models import (
    BalanceSheet,
    Cashflow,
    IncomeByContact,
    ProfitAndLoss,
    TrialBalance,
)

from .build import (
    AS_OF,
    balance_sheet_dict,
    cashflow_dict,
    consistent_inputs,
    contacts_revenue_dict,
    demo_pnl,
    frames,
    pnl_dict,
    trial_balance_dict,
)

IDS = [
    "trial_balance_debits_equal_credits",
    "balance_sheet_balances",
    "balance_sheet_balances_previous",
    "balance_sheet_totals_add_up",
    "net_profit_equals_revenue_less_expenses",
    "net_profit_equals_revenue_less_expenses_previous",
    "profit_and_loss_totals_add_up",
    "cashflow_closing_less_opening_equals_net_movement",
    "cashflow_activities_sum_to_net_movement",
    "cashflow_closing_cash_equals_balance_sheet_bank",
    "balance_sheet_bank_vs_statement_balances",
    "contacts_revenue_equals_pnl_revenue",
]


def run(bank: Any = "default", **changes: Any) -> dict[str, IntegrityCheck]:
    inputs = consistent_inputs(**changes)
    checks = integrity_checks(
        trial_balance=inputs.trial_balance,
        balance_sheet_current=inputs.balance_sheet_current,
        balance_sheet_previous=inputs.balance_sheet_previous,
        pnl_current=inputs.pnl_current,
        pnl_previous=inputs.pnl_previous,
        cashflow_current=inputs.cashflow_current,
        contacts_revenue=inputs.contacts_revenue,
        bank=frames() if bank == "default" else bank,
        as_of=AS_OF,
        currency="GBP",
        missing=inputs.missing,
    )
    assert [c.id for c in checks] == IDS
    return {c.id: c for c in checks}


def test_every_check_passes_on_the_consistent_organisation() -> None:
    checks = run()
    failed = {k: (c.passed, c.reason) for k, c in checks.items() if c.passed is not True}
    assert failed == {}
    tb = checks["trial_balance_debits_equal_credits"]
    assert tb.values["debits"].amount == D("153500.00")
    assert tb.values["credits"].amount == D("153500.00")
    assert tb.difference.amount == D("0.00")
    assert tb.scale.amount == D("153500.00")
    assert tb.tolerance.amount == D("767.50")  # 0.5 % of the larger total
    assert tb.immaterial_difference is False
    bank = checks["balance_sheet_bank_vs_statement_balances"]
    assert bank.values["balance_sheet_bank"].amount == D("20000.00")
    assert bank.values["statement_balances"].amount == D("20300.00")  # 15,300 + 5,000
    assert bank.difference.amount == D("-300.00")  # the unreconciled l4
    assert bank.tolerance.amount == D("300.01")


def broken(builder: Any, edit: Any) -> Any:
    data = builder()
    edit(data)
    return data


def test_trial_balance_out_of_balance_fails() -> None:
    data = broken(
        trial_balance_dict, lambda d: d["accounts"][0]["balance"].update(value=D("20767.51"))
    )
    check = run(trial_balance=TrialBalance.model_validate(data))[
        "trial_balance_debits_equal_credits"
    ]
    assert check.scale.amount == D("154267.51")
    assert check.tolerance.amount == D("771.33")  # 0.5 % of 154,267.51, rounded down
    assert check.difference.amount == D("767.51")
    assert check.passed is True
    assert check.immaterial_difference is True
    exact = judge(check, IntegrityTolerances(relative_tolerance=0))
    assert (exact.passed, exact.immaterial_difference) == (False, False)
    assert exact.tolerance.amount == D("0.01")
    data["accounts"][0]["balance"]["value"] = D("21000.00")  # 1,000.00 of 154,500.00
    check = run(trial_balance=TrialBalance.model_validate(data))[
        "trial_balance_debits_equal_credits"
    ]
    assert (check.passed, check.tolerance.amount) == (False, D("772.50"))


def test_one_cent_is_within_tolerance() -> None:
    data = broken(
        trial_balance_dict, lambda d: d["accounts"][0]["balance"].update(value=D("20000.01"))
    )
    check = run(trial_balance=TrialBalance.model_validate(data))[
        "trial_balance_debits_equal_credits"
    ]
    assert check.passed is True


def test_unbalanced_balance_sheet_fails_two_checks() -> None:
    def edit(d: dict) -> None:
        d["asset"]["total"] = D("61000.00")  # stated total no longer the sum, nor L + E

    checks = run(
        balance_sheet_current=BalanceSheet.model_validate(broken(balance_sheet_dict, edit))
    )
    assert checks["balance_sheet_balances"].passed is False
    assert checks["balance_sheet_balances"].difference.amount == D("1000.00")
    assert checks["balance_sheet_totals_add_up"].passed is False
    assert checks["balance_sheet_totals_add_up"].difference.amount == D("1000.00")


def test_account_not_adding_up_to_its_type_fails() -> None:
    def edit(d: dict) -> None:
        d["liability"]["accountTypes"][0]["accounts"][0]["total"] = D("7999.00")

    checks = run(
        balance_sheet_current=BalanceSheet.model_validate(broken(balance_sheet_dict, edit))
    )
    totals = checks["balance_sheet_totals_add_up"]
    assert totals.difference.amount == D("1.00")
    assert (totals.passed, totals.immaterial_difference) == (True, True)  # 1.00 of 60,000
    assert checks["balance_sheet_balances"].passed is True


def test_net_profit_not_revenue_less_expenses_fails() -> None:
    data = broken(pnl_dict, lambda d: d.update(netProfitLoss=D("28000.00")))
    checks = run(pnl_current=ProfitAndLoss.model_validate(data))
    check = checks["net_profit_equals_revenue_less_expenses"]
    assert check.passed is False
    assert check.difference.amount == D("1000.00")
    assert check.values["revenue_less_expenses"].amount == D("27000.00")


def test_pnl_type_not_adding_up_fails() -> None:
    data = broken(
        pnl_dict,
        lambda d: d["expense"]["accountTypes"][1]["accounts"][0].update(total=D("29000.00")),
    )
    assert (
        run(pnl_current=ProfitAndLoss.model_validate(data))["profit_and_loss_totals_add_up"].passed
        is False
    )


def test_cashflow_movement_and_activities_fail() -> None:
    data = broken(cashflow_dict, lambda d: d["cashBalance"].update(netCashMovement=D("9100.00")))
    checks = run(cashflow_current=Cashflow.model_validate(data))
    # 100.00 against closing cash of 20,000.00 (tolerance 100.00) is immaterial; against
    # activities whose largest is operating 18,000.00 (tolerance 90.00) it is not
    movement = checks["cashflow_closing_less_opening_equals_net_movement"]
    assert (movement.passed, movement.immaterial_difference) == (True, True)
    activities = checks["cashflow_activities_sum_to_net_movement"]
    assert activities.difference.amount == D("-100.00")
    assert (activities.passed, activities.tolerance.amount) == (False, D("90.00"))
    data["cashBalance"]["netCashMovement"] = D("9101.00")
    checks = run(cashflow_current=Cashflow.model_validate(data))
    assert checks["cashflow_closing_less_opening_equals_net_movement"].passed is False


def test_cashflow_closing_cash_against_balance_sheet_fails() -> None:
    def edit(d: dict) -> None:
        d["cashBalance"].update(closingCashBalance=D("21000.00"), openingCashBalance=D("12000"))

    checks = run(cashflow_current=Cashflow.model_validate(broken(cashflow_dict, edit)))
    check = checks["cashflow_closing_cash_equals_balance_sheet_bank"]
    assert check.passed is False
    assert check.difference.amount == D("1000.00")
    assert checks["cashflow_closing_less_opening_equals_net_movement"].passed is True


def test_books_cash_above_the_bank_fails() -> None:
    def edit(d: dict) -> None:  # 5,000 more in the ledger than the bank can explain
        d["asset"]["accountTypes"][0]["accounts"][0]["total"] = D("20000.00")

    check = run(
        balance_sheet_current=BalanceSheet.model_validate(broken(balance_sheet_dict, edit))
    )["balance_sheet_bank_vs_statement_balances"]
    assert check.passed is False
    assert check.difference.amount == D("4700.00")  # 25,000 - 20,300


def test_contacts_revenue_not_matching_pnl_fails() -> None:
    data = broken(contacts_revenue_dict, lambda d: d.update(total=D("119500.00")))
    check = run(contacts_revenue=IncomeByContact.model_validate(data))[
        "contacts_revenue_equals_pnl_revenue"
    ]
    assert check.passed is False
    assert check.difference.amount == D("-1000.00")


def test_manual_journals_count_towards_contacts_revenue() -> None:
    def edit(d: dict) -> None:
        d["total"] = D("120000.00")
        d["manualJournals"] = {"total": D("500.00")}

    check = run(
        contacts_revenue=IncomeByContact.model_validate(broken(contacts_revenue_dict, edit))
    )["contacts_revenue_equals_pnl_revenue"]
    assert check.passed is True


@pytest.mark.parametrize(
    ("name", "check_ids"),
    [
        ("trial_balance", ["trial_balance_debits_equal_credits"]),
        (
            "balance_sheet_current",
            [
                "balance_sheet_balances",
                "balance_sheet_totals_add_up",
                "cashflow_closing_cash_equals_balance_sheet_bank",
                "balance_sheet_bank_vs_statement_balances",
            ],
        ),
        (
            "pnl_current",
            [
                "net_profit_equals_revenue_less_expenses",
                "profit_and_loss_totals_add_up",
                "contacts_revenue_equals_pnl_revenue",
            ],
        ),
        (
            "cashflow_current",
            [
                "cashflow_closing_less_opening_equals_net_movement",
                "cashflow_activities_sum_to_net_movement",
                "cashflow_closing_cash_equals_balance_sheet_bank",
            ],
        ),
        ("contacts_revenue", ["contacts_revenue_equals_pnl_revenue"]),
    ],
)
def test_missing_input_makes_checks_not_checked_with_the_reason(
    name: str, check_ids: list[str]
) -> None:
    reason = "Xero answered 400: Cashflow statement is not available in US region"
    checks = run(**{name: None, "missing": {name: reason}})
    for check_id in check_ids:
        assert checks[check_id].passed is None, check_id
        assert checks[check_id].reason == reason, check_id
        assert checks[check_id].difference is None
    others = [
        c
        for k, c in checks.items()
        if k not in check_ids and k != "balance_sheet_balances_previous" and c.passed is not True
    ]
    assert others == []


def test_no_bank_statements_leaves_the_bank_check_unchecked() -> None:
    check = run(bank=None)["balance_sheet_bank_vs_statement_balances"]
    assert check.passed is None
    assert check.reason == "the snapshot holds no bank statements"


def test_empty_trial_balance_is_not_checked() -> None:
    check = run(trial_balance=TrialBalance.model_validate({"accounts": []}))[
        "trial_balance_debits_equal_credits"
    ]
    assert check.passed is None
    assert check.reason == "the trial balance lists no account balances"


def test_bank_check_needs_accounts_matched_by_id() -> None:
    def edit(d: dict) -> None:
        for account in d["asset"]["accountTypes"][0]["accounts"]:
            account["accountID"] = "99999999-0000-0000-0000-000000000000"

    check = run(
        balance_sheet_current=BalanceSheet.model_validate(broken(balance_sheet_dict, edit))
    )["balance_sheet_bank_vs_statement_balances"]
    assert check.passed is None
    assert check.reason == "no balance sheet bank account matches a statement account by id"


def test_cashflow_and_balance_sheet_at_different_dates_are_not_compared() -> None:
    data = broken(cashflow_dict, lambda d: d.update(endDate="2026-09-30"))
    check = run(cashflow_current=Cashflow.model_validate(data))[
        "cashflow_closing_cash_equals_balance_sheet_bank"
    ]
    assert check.passed is None
    assert "2026-09-30" in check.reason


def test_bank_check_is_per_account_so_errors_do_not_offset() -> None:
    def edit(d: dict) -> None:  # totals unchanged: +1,000 on one account, -1,000 on the other
        accounts = d["asset"]["accountTypes"][0]["accounts"]
        accounts[0]["total"] = D("16000.00")
        accounts[1]["total"] = D("4000.00")

    check = run(
        balance_sheet_current=BalanceSheet.model_validate(broken(balance_sheet_dict, edit))
    )["balance_sheet_bank_vs_statement_balances"]
    assert check.values["balance_sheet_bank"].amount == D("20000.00")
    assert check.passed is False
    # BANK1 is 700 off against a 300.01 bound; BANK2, 1,000 off against 0.01, is the worst.
    assert check.difference.amount == D("-1000.00")
    assert check.tolerance.amount == D("0.01")
    assert check.values["11111111-0000-0000-0000-000000000002.statement_balance"].amount == D(
        "5000.00"
    )


def test_a_40_sub_total_slip_in_a_12000_pnl_is_immaterial() -> None:
    check = pnl_totals_check(demo_pnl("12000.00"), "NZD", "")
    assert check.difference.amount == D("-40.00")  # 1,036.42 stated - 1,076.42 summed
    assert check.scale.amount == D("12000.00")
    assert check.tolerance.amount == D("60.00")  # 0.5 % of 12,000.00
    assert (check.passed, check.immaterial_difference) == (True, True)
    # the same slip in a P&L of 6,000.00 is 0.67 %: material (tolerance 30.00)
    small = pnl_totals_check(demo_pnl("6000.00"), "NZD", "")
    assert (small.passed, small.tolerance.amount) == (False, D("30.00"))
