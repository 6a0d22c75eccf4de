"""Small, hand-checkable Xero reports for the financial analysis tests.

``consistent()`` is one organisation whose reports all agree (every integrity check passes);
tests change one number to break one invariant. Amounts are Decimal (money is never a str or
float in the models). The arithmetic is spelled out beside each figure.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

from lendcheck.frames import BankFrames, frames_from_bank_statements
from lendcheck.metrics.analysis import FinancialInputs
from lendcheck.xero.models import (
    BANK_TRANSFER_CONTACT_ID,
    NONE_PROVIDED_CONTACT_ID,
    BalanceSheet,
    BankStatements,
    Cashflow,
    IncomeByContact,
    ProfitAndLoss,
    TrialBalance,
)

AS_OF = date(2026, 10, 31)
START = date(2025, 11, 1)
PREV_START, PREV_END = date(2024, 11, 1), date(2025, 10, 31)
BANK1 = "11111111-0000-0000-0000-000000000001"
BANK2 = "11111111-0000-0000-0000-000000000002"
BANK3 = "11111111-0000-0000-0000-000000000003"
ALPHA = "aaaaaaaa-0000-0000-0000-000000000001"
BETA = "aaaaaaaa-0000-0000-0000-000000000002"


def account(name: str, total: str, code: str | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "total": D(total), **extra}
    if code:
        out["reportingCode"] = code
    return out


def pnl_dict(start: date = START, end: date = AS_OF) -> dict[str, Any]:
    """Revenue 120,500 (sales 120,000 + interest 500); expenses 93,500 (direct 48,000 +
    operating 45,500 incl. depreciation 2,000 and interest 1,500); net profit 27,000."""
    return {
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "netProfitLoss": D("27000.00"),
        "revenue": {
            "total": D("120500.00"),
            "accountTypes": [
                {
                    "title": "Trading Income",
                    "total": D("120000.00"),
                    "accounts": [account("Sales", "120000.00", "REV", accountType="REVENUE")],
                },
                {
                    "title": "Other Income",
                    "total": D("500.00"),
                    "accounts": [
                        account("Interest Income", "500.00", "REV.OTH", accountType="OTHERINCOME")
                    ],
                },
            ],
        },
        "expense": {
            "total": D("93500.00"),
            "accountTypes": [
                {
                    "title": "Direct Cost",
                    "total": D("48000.00"),
                    "accounts": [
                        account("Purchases", "48000.00", "EXP.COS", accountType="DIRECTCOSTS")
                    ],
                },
                {
                    "title": "Operating Expenses",
                    "total": D("45500.00"),
                    "accounts": [
                        account("Wages", "30000.00", "EXP", accountType="EXPENSE"),
                        account("Rent", "12000.00", "EXP", accountType="EXPENSE"),
                        account("Depreciation", "2000.00", "EXP.DEP", accountType="DEPRECIATN"),
                        account("Interest Expense", "1500.00", "EXP", accountType="EXPENSE"),
                    ],
                },
            ],
        },
    }


def pnl_previous_dict() -> dict[str, Any]:
    """Revenue 100,000 (all trading); direct 40,000; operating 35,000; net profit 25,000."""
    return {
        "startDate": PREV_START.isoformat(),
        "endDate": PREV_END.isoformat(),
        "netProfitLoss": D("25000.00"),
        "revenue": {
            "total": D("100000.00"),
            "accountTypes": [
                {
                    "title": "Trading Income",
                    "total": D("100000.00"),
                    "accounts": [account("Sales", "100000.00", "REV")],
                }
            ],
        },
        "expense": {
            "total": D("75000.00"),
            "accountTypes": [
                {
                    "title": "Direct Cost",
                    "total": D("40000.00"),
                    "accounts": [account("Purchases", "40000.00")],
                },
                {
                    "title": "Operating Expenses",
                    "total": D("35000.00"),
                    "accounts": [account("Wages", "35000.00")],
                },
            ],
        },
    }


def bs_account(
    name: str, total: str, code: str | None = None, account_id: str | None = None
) -> dict[str, Any]:
    out = account(name, total, code)
    if account_id:
        out["accountID"] = account_id
    return out


def balance_sheet_dict() -> dict[str, Any]:
    """Assets 60,000 = liabilities 30,000 + equity 30,000.

    Current assets 35,000 (bank 20,000, AR 12,000, inventory 3,000); fixed 25,000.
    Current liabilities 14,000 (AP 8,000, GST 2,000, current loan 4,000); term loan 16,000.
    """
    return {
        "balanceDate": AS_OF.isoformat(),
        "asset": {
            "total": D("60000.00"),
            "accountTypes": [
                {
                    "accountType": "BANK",
                    "total": D("20000.00"),
                    "accounts": [
                        bs_account("Business Account", "15000.00", "ASS.CUR.CAS.BAN", BANK1),
                        bs_account("Savings", "5000.00", "ASS.CUR.CAS.BAN", BANK2),
                    ],
                },
                {
                    "accountType": "CURRENT",
                    "total": D("12000.00"),
                    "accounts": [bs_account("Accounts Receivable", "12000.00", "ASS.CUR.REC.TRA")],
                },
                {
                    "accountType": "INVENTORY",
                    "total": D("3000.00"),
                    "accounts": [bs_account("Inventory", "3000.00", "ASS.CUR.INY")],
                },
                {
                    "accountType": "FIXED",
                    "total": D("25000.00"),
                    "accounts": [bs_account("Equipment", "25000.00", "ASS.NCA.FIX")],
                },
            ],
        },
        "liability": {
            "total": D("30000.00"),
            "accountTypes": [
                {
                    "accountType": "CURRLIAB",
                    "total": D("14000.00"),
                    "accounts": [
                        bs_account("Accounts Payable", "8000.00", "LIA.CUR.PAY.TRA"),
                        bs_account("GST", "2000.00", "LIA.CUR.TAX.GST"),
                        bs_account("Bank Loan (current)", "4000.00", "LIA.CUR.LOA"),
                    ],
                },
                {
                    "accountType": "TERMLIAB",
                    "total": D("16000.00"),
                    "accounts": [bs_account("Bank Loan", "16000.00", "LIA.NCL.LOA")],
                },
            ],
        },
        "equity": {
            "total": D("30000.00"),
            "accountTypes": [
                {
                    "accountType": "EQUITY",
                    "total": D("30000.00"),
                    "accounts": [
                        bs_account("Retained Earnings", "3000.00"),
                        bs_account("Current Year Earnings", "27000.00"),
                    ],
                }
            ],
        },
    }


def balance_sheet_previous_dict() -> dict[str, Any]:
    """A year before: assets 19,000 = liabilities 29,000 + equity -10,000 (negative equity).
    Bank 11,000 (the cash flow's opening cash); term loan 24,000."""
    return {
        "balanceDate": PREV_END.isoformat(),
        "asset": {
            "total": D("19000.00"),
            "accountTypes": [
                {
                    "accountType": "BANK",
                    "total": D("11000.00"),
                    "accounts": [bs_account("Business Account", "11000.00", None, BANK1)],
                },
                {
                    "accountType": "CURRENT",
                    "total": D("8000.00"),
                    "accounts": [bs_account("Accounts Receivable", "8000.00")],
                },
            ],
        },
        "liability": {
            "total": D("29000.00"),
            "accountTypes": [
                {
                    "accountType": "CURRLIAB",
                    "total": D("5000.00"),
                    "accounts": [bs_account("Accounts Payable", "5000.00")],
                },
                {
                    "accountType": "TERMLIAB",
                    "total": D("24000.00"),
                    "accounts": [bs_account("Bank Loan", "24000.00", "LIA.NCL.LOA")],
                },
            ],
        },
        "equity": {
            "total": D("-10000.00"),
            "accountTypes": [
                {
                    "accountType": "EQUITY",
                    "total": D("-10000.00"),
                    "accounts": [bs_account("Retained Earnings", "-10000.00")],
                }
            ],
        },
    }


def cashflow_dict() -> dict[str, Any]:
    """Operating 18,000 (receipts 130,000, payments -112,000), investing -5,000, financing
    -4,000 (repayment of borrowings): net 9,000; opening 11,000, closing 20,000."""
    return {
        "startDate": START.isoformat(),
        "endDate": AS_OF.isoformat(),
        "cashBalance": {
            "openingCashBalance": D("11000.00"),
            "closingCashBalance": D("20000.00"),
            "netCashMovement": D("9000.00"),
        },
        "cashflowActivities": [
            {
                "name": "Operating Activities",
                "total": D("18000.00"),
                "cashflowTypes": [
                    {"name": "Receipts from customers", "total": D("130000.00")},
                    {"name": "Payments to suppliers and employees", "total": D("-112000.00")},
                ],
            },
            {
                "name": "Investing Activities",
                "total": D("-5000.00"),
                "cashflowTypes": [
                    {"name": "Payment for property, plant and equipment", "total": D("-5000.00")}
                ],
            },
            {
                "name": "Financing Activities",
                "total": D("-4000.00"),
                "cashflowTypes": [{"name": "Repayment of borrowings", "total": D("-4000.00")}],
            },
        ],
    }


def trial_balance_dict() -> dict[str, Any]:
    """Debits 153,500 = credits 153,500."""
    rows = [
        ("Bank", "20000.00", "DEBIT"),
        ("AR", "12000.00", "DEBIT"),
        ("Inventory", "3000.00", "DEBIT"),
        ("Equipment", "25000.00", "DEBIT"),
        ("Purchases", "48000.00", "DEBIT"),
        ("Operating", "45500.00", "DEBIT"),
        ("AP", "8000.00", "CREDIT"),
        ("GST", "2000.00", "CREDIT"),
        ("Loan current", "4000.00", "CREDIT"),
        ("Loan", "16000.00", "CREDIT"),
        ("Retained", "3000.00", "CREDIT"),
        ("Sales", "120000.00", "CREDIT"),
        ("Interest", "500.00", "CREDIT"),
    ]
    return {
        "endDate": AS_OF.isoformat(),
        "accounts": [
            {"accountName": n, "balance": {"value": D(v), "entryType": t}} for n, v, t in rows
        ],
    }


def contact(contact_id: str, name: str, total: str, **extra: Any) -> dict[str, Any]:
    return {"contactId": contact_id, "name": name, "total": D(total), **extra}


def contacts_revenue_dict() -> dict[str, Any]:
    """120,500 = customers 120,000 (60k, 30k, 20k, 5k, 3k, 2k) + None Provided 500.
    Outstanding 12,000 of which 3,000 more than 90 days old."""
    return {
        "startDate": START.isoformat(),
        "endDate": AS_OF.isoformat(),
        "total": D("120500.00"),
        "totalDetail": {"totalPaid": D("108500.00"), "totalOutstanding": D("12000.00")},
        "totalOther": {"totalOutstandingAged": D("3000.00")},
        "contacts": [
            contact(ALPHA, "Alpha Ltd", "60000.00"),
            contact(BETA, "Beta Ltd", "30000.00"),
            contact("aaaaaaaa-0000-0000-0000-000000000003", "Gamma", "20000.00"),
            contact("aaaaaaaa-0000-0000-0000-000000000004", "Delta", "5000.00"),
            contact("aaaaaaaa-0000-0000-0000-000000000005", "Epsilon", "3000.00"),
            contact("aaaaaaaa-0000-0000-0000-000000000006", "Zeta", "2000.00"),
            contact(NONE_PROVIDED_CONTACT_ID.upper(), "None Provided", "500.00"),
        ],
    }


def contacts_expense_dict() -> dict[str, Any]:
    """Suppliers 60,000 (40k, 12k, 8k); None Provided 33,500 and Bank Transfer 1,000 apart."""
    return {
        "startDate": START.isoformat(),
        "endDate": AS_OF.isoformat(),
        "total": D("94500.00"),
        "contacts": [
            contact("bbbbbbbb-0000-0000-0000-000000000001", "Supplier A", "40000.00"),
            contact("bbbbbbbb-0000-0000-0000-000000000002", "Landlord", "12000.00"),
            contact("bbbbbbbb-0000-0000-0000-000000000003", "Supplier B", "8000.00"),
            contact(NONE_PROVIDED_CONTACT_ID, "None Provided", "33500.00"),
            contact(BANK_TRANSFER_CONTACT_ID.upper(), "Bank Transfer", "1000.00"),
        ],
    }


def line(line_id: str, amount: str, day: date = date(2026, 5, 1), **extra: Any) -> dict[str, Any]:
    return {"statementLineId": line_id, "amount": D(amount), "postedDate": day.isoformat(), **extra}


def invoice_payment(contact_id: str, name: str, amount: str) -> dict[str, Any]:
    return {
        "paymentId": f"p-{amount}",
        "amount": D(amount),
        "bankAmount": D(amount),
        "invoice": {
            "invoiceId": f"i-{amount}",
            "contact": {"contactId": contact_id, "contactName": name},
        },
    }


def bank_tx(
    amount: str,
    contact_id: str | None = None,
    account_type: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"bankTransactionId": f"bt-{amount}", "amount": D(amount)}
    if contact_id:
        out["contact"] = {"contactId": contact_id, "contactName": name}
    if account_type:
        out["lineItems"] = [{"accountType": account_type, "lineAmount": D(amount)}]
    return out


def bank_statements() -> list[BankStatements]:
    """Receipts in the period on GBP accounts: 4,900 =

    * BANK1 (direct feed): L1 1,000 invoice payment from Alpha; L2 500 bank transfer (Xero's
      Bank Transfer contact); L3 2,000 loan proceeds (TERMLIAB line item); L4 300
      unreconciled; L5 200 cash sale from Beta (REVENUE line item); plus L6 -400 spend, and
      L7 deleted, L8 duplicate, L9 before the period (none counted).
    * BANK2 (CSV upload): M1 800 invoice payment from Alpha; M2 100 transfer (BANK line item).
    * BANK3 (USD): 5,000, left out for its currency.

    Transfers 600, financing 2,000, bank inflows 2,300 (reconciled 2,000, unreconciled 300),
    bank-verified (direct feed) 1,200, cash-verified revenue 2,000 (Alpha 1,800, Beta 200).
    Statement balances: BANK1 15,300 (ledger 15,000 + unreconciled 300), BANK2 5,000 (Xero's
    indicative balance: the bank supplied 0).
    """
    rec = {"isReconciled": True}
    bank1 = BankStatements.model_validate(
        {
            "bankAccountId": BANK1,
            "bankAccountName": "Business Account",
            "bankAccountCurrencyCode": "GBP",
            "statements": [
                {
                    "statementId": "s1",
                    "startDate": "2025-09-01",
                    "endDate": AS_OF.isoformat(),
                    "importSource": "STMTIMPORTSRC/CBAFEED",
                    "startBalance": D("1.00"),
                    "endBalance": D("15300.00"),
                    "statementLines": [
                        line(
                            "l1",
                            "1000.00",
                            **rec,
                            payments=[invoice_payment(ALPHA, "Alpha Ltd", "1000.00")],
                        ),
                        line(
                            "l2",
                            "500.00",
                            **rec,
                            bankTransactions=[bank_tx("500.00", BANK_TRANSFER_CONTACT_ID.upper())],
                        ),
                        line(
                            "l3",
                            "2000.00",
                            **rec,
                            bankTransactions=[bank_tx("2000.00", None, "TERMLIAB")],
                        ),
                        line("l4", "300.00"),
                        line(
                            "l5",
                            "200.00",
                            **rec,
                            bankTransactions=[bank_tx("200.00", BETA, "REVENUE", "Beta Ltd")],
                        ),
                        line(
                            "l6",
                            "-400.00",
                            **rec,
                            bankTransactions=[bank_tx("-400.00", None, "EXPENSE")],
                        ),
                        line("l7", "50.00", isDeleted=True),
                        line("l8", "70.00", isDuplicate=True),
                        line("l9", "999.00", date(2025, 10, 1), **rec),
                    ],
                }
            ],
        }
    )
    bank2 = BankStatements.model_validate(
        {
            "bankAccountId": BANK2,
            "bankAccountName": "Savings",
            "bankAccountCurrencyCode": "GBP",
            "statements": [
                {
                    "statementId": "s2",
                    "startDate": "2025-11-01",
                    "endDate": AS_OF.isoformat(),
                    "importSource": "STMTIMPORTSRC/CSV",
                    "endBalance": D("0"),
                    "indicativeEndBalance": D("5000.00"),
                    "statementLines": [
                        line(
                            "m1",
                            "800.00",
                            **rec,
                            payments=[invoice_payment(ALPHA, "Alpha Ltd", "800.00")],
                        ),
                        line(
                            "m2",
                            "100.00",
                            **rec,
                            bankTransactions=[bank_tx("100.00", None, "BANK")],
                        ),
                    ],
                }
            ],
        }
    )
    bank3 = BankStatements.model_validate(
        {
            "bankAccountId": BANK3,
            "bankAccountName": "USD",
            "bankAccountCurrencyCode": "USD",
            "statements": [
                {
                    "statementId": "s3",
                    "importSource": "STMTIMPORTSRC/CBAFEED",
                    "endDate": AS_OF.isoformat(),
                    "endBalance": D("5000.00"),
                    "statementLines": [line("u1", "5000.00", **rec)],
                }
            ],
        }
    )
    return [bank1, bank2, bank3]


def frames() -> BankFrames:
    return frames_from_bank_statements((f"f{i}", s) for i, s in enumerate(bank_statements()))


def consistent_inputs(**changes: Any) -> FinancialInputs:
    """The consistent organisation; keyword arguments replace inputs (None = missing)."""
    values: dict[str, Any] = {
        "pnl_current": ProfitAndLoss.model_validate(pnl_dict()),
        "pnl_previous": ProfitAndLoss.model_validate(pnl_previous_dict()),
        "balance_sheet_current": BalanceSheet.model_validate(balance_sheet_dict()),
        "balance_sheet_previous": BalanceSheet.model_validate(balance_sheet_previous_dict()),
        "cashflow_current": Cashflow.model_validate(cashflow_dict()),
        "cashflow_previous": None,
        "trial_balance": TrialBalance.model_validate(trial_balance_dict()),
        "contacts_revenue": IncomeByContact.model_validate(contacts_revenue_dict()),
        "contacts_expense": IncomeByContact.model_validate(contacts_expense_dict()),
        "missing": {"cashflow_previous": "Xero answered 503: Cannot process org at this time"},
        "currency": "GBP",
    }
    values.update(changes)
    return FinancialInputs(**values)


def demo_pnl(sales: str) -> ProfitAndLoss:
    """Issue 16.6: Xero's Demo Company (NZ), May 2014, states operating expenses of 1,036.42
    while its accounts add up to 1,076.42 (40.00 more). The sales and the other lines here
    are this test's own (round figures), chosen to make a P&L of a plausible size."""
    return ProfitAndLoss.model_validate(
        {
            "startDate": "2014-05-01",
            "endDate": "2014-05-31",
            "netProfitLoss": D(sales) - D("4036.42"),
            "revenue": {
                "total": D(sales),
                "accountTypes": [{"title": "Trading Income", "total": D(sales), "accounts": []}],
            },
            "expense": {
                "total": D("4036.42"),
                "accountTypes": [
                    {"title": "Direct Cost", "total": D("3000.00"), "accounts": []},
                    {
                        "title": "Operating Expenses",
                        "total": D("1036.42"),
                        "accounts": [
                            {"name": "Rent", "total": D("800.00")},
                            {"name": "Bank Fees", "total": D("40.00")},
                            {"name": "Light, Power, Heating", "total": D("236.42")},
                        ],
                    },
                ],
            },
        }
    )
