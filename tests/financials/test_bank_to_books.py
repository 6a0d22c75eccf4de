"""Bank-to-books agreement: receipts classified, revenue compared, concentration from
reconciled receipts. Figures from the documented lines of ``build.bank_statements``."""

from __future__ import annotations

from decimal import Decimal as D

import polars as pl
import pytest

from lendcheck.frames import frames_from_bank_statements
from lendcheck.metrics.bank_to_books import bank_to_books, classify_receipts
from lendcheck.metrics.concentration import not_available_concentration
from lendcheck.xero.models import NONE_PROVIDED_CONTACT_ID, BankStatements

from .build import (
    ALPHA,
    AS_OF,
    BANK3,
    START,
    bank_statements,
    bank_tx,
    frames,
    invoice_payment,
    line,
)

CONTACTS = not_available_concentration("contacts_revenue", "not needed here")
NO_TAX = D(0)  # an organisation not registered for sales tax


def test_receipts_are_classified() -> None:
    receipts, _, foreign = classify_receipts(frames(), "GBP", START, AS_OF)
    # only the columns the figures need: no copy of the receipts' payees and references
    assert receipts.columns == [
        "statement_line_id",
        "amount",
        "is_reconciled",
        "import_source_kind",
        "category",
    ]
    categories = dict(zip(receipts["statement_line_id"], receipts["category"], strict=True))
    assert categories == {
        "l1": "operating",
        "l2": "transfer",
        "l3": "financing",
        "l4": "operating",
        "l5": "operating",
        "m1": "operating",
        "m2": "transfer",
    }
    assert foreign == [BANK3]


def test_bank_to_books_figures() -> None:
    b = bank_to_books(D("2500.00"), "", frames(), (START, AS_OF), "GBP", CONTACTS, NO_TAX)
    assert b.bank_receipts.amount == D("4900.00")
    assert b.own_account_transfers.amount == D("600.00")  # l2 500 + m2 100
    assert b.financing_receipts.amount == D("2000.00")  # l3
    assert b.bank_inflows.amount == D("2300.00")  # l1 + l4 + l5 + m1
    assert b.reconciled_inflows.amount == D("2000.00")
    assert b.unreconciled_inflows.amount == D("300.00")
    assert b.bank_verified_receipts.amount == D("1200.00")  # direct feed: l1 + l5
    assert b.bank_inflows_to_revenue == pytest.approx(2300 / 2500)
    assert b.bank_inflows_less_revenue.amount == D("-200.00")
    assert b.cash_verified_revenue.amount == D("2000.00")  # 1,000 + 200 + 800
    assert b.cash_verified_revenue_share == pytest.approx(0.8)  # 2,000 / 2,500
    assert b.cash_verified_inflow_share == pytest.approx(2000 / 2300)
    assert (b.receipt_lines, b.reconciled_receipt_lines) == (4, 3)
    assert b.excluded_foreign_currency_accounts == [BANK3]
    assert b.not_available == {}


def test_concentration_from_reconciled_receipts() -> None:
    b = bank_to_books(D("2500.00"), "", frames(), (START, AS_OF), "GBP", CONTACTS, NO_TAX)
    r = b.customers_from_receipts
    assert r.basis == "reconciled_receipts"
    assert [(t.contact_id, t.amount.amount) for t in r.top_contacts] == [
        (ALPHA, D("1800.00")),
        ("aaaaaaaa-0000-0000-0000-000000000002", D("200.00")),
    ]
    assert r.top1_share == pytest.approx(0.9)
    assert r.hhi == pytest.approx(0.82)  # 0.9² + 0.1²
    assert b.customers_from_contacts is CONTACTS


def test_share_is_capped_at_one() -> None:
    b = bank_to_books(D("1000.00"), "", frames(), (START, AS_OF), "GBP", CONTACTS, NO_TAX)
    assert b.cash_verified_revenue_share == 1.0  # 2,000 evidenced of 1,000
    assert b.bank_inflows_to_revenue == pytest.approx(2.3)


def test_receipts_and_revenue_compare_with_sales_tax_on_both_sides() -> None:
    # Issue 16 finding 3: at 20 % VAT, 2,000 of tax-inclusive receipts evidence 2,000 / 1.2
    # = 1,666.67 of revenue: a third of the 2,500 booked is not evidenced (the share was 0.8).
    b = bank_to_books(D("2500.00"), "", frames(), (START, AS_OF), "GBP", CONTACTS, D("0.2"))
    assert b.sales_tax_rate == 0.2
    assert b.revenue_with_sales_tax.amount == D("3000.00")  # 2,500 x 1.2
    assert b.cash_verified_revenue.amount == D("2000.00")
    assert b.cash_verified_revenue_share == pytest.approx(2000 / 3000)


def test_share_no_longer_reaches_one_with_a_sixth_of_revenue_unevidenced() -> None:
    # The case: receipts evidencing 83.3 % of revenue, at 20 % VAT, equal revenue
    # (2,000 = 1,666.67 x 1.2 of 2,000 booked), and the share read 1.0 (2,000 / 2,000).
    b = bank_to_books(D("2000.00"), "", frames(), (START, AS_OF), "GBP", CONTACTS, D("0.2"))
    assert b.cash_verified_revenue_share == pytest.approx(2000 / 2400)  # 0.8333


def test_unknown_sales_tax_rate_is_named_not_guessed() -> None:
    b = bank_to_books(
        D("2500.00"), "", frames(), (START, AS_OF), "GBP", CONTACTS, None, "no trial balance"
    )
    assert b.sales_tax_rate is None and b.cash_verified_revenue_share is None
    assert b.not_available["cash_verified_revenue_share"] == "no trial balance"
    assert b.cash_verified_revenue.amount == D("2000.00")  # the bank figures stay


def test_zero_and_negative_revenue() -> None:
    zero = bank_to_books(D("0"), "", frames(), (START, AS_OF), "GBP", CONTACTS, NO_TAX)
    assert zero.bank_inflows_to_revenue is None
    assert zero.not_available["cash_verified_revenue_share"] == "revenue is zero"
    assert zero.bank_inflows_less_revenue.amount == D("2300.00")
    negative = bank_to_books(D("-5"), "", frames(), (START, AS_OF), "GBP", CONTACTS, NO_TAX)
    assert negative.cash_verified_revenue_share is None
    assert "negative revenue" in negative.not_available["bank_inflows_to_revenue"]


def test_missing_revenue_keeps_the_bank_figures() -> None:
    b = bank_to_books(
        None, "Xero answered 503: later", frames(), (START, AS_OF), "GBP", CONTACTS, NO_TAX
    )
    assert b.revenue is None and b.bank_inflows.amount == D("2300.00")
    assert b.not_available["bank_inflows_to_revenue"] == "Xero answered 503: later"


def test_no_bank_statements_is_not_a_zero() -> None:
    b = bank_to_books(D("2500.00"), "", None, (START, AS_OF), "GBP", CONTACTS, NO_TAX)
    assert b.bank_inflows is None and b.cash_verified_revenue_share is None
    assert b.not_available["bank_inflows"] == "the snapshot holds no bank statement lines"
    assert b.customers_from_receipts.hhi is None


def test_line_verified_amount_is_capped_and_contactless_receipts_are_apart() -> None:
    statements = BankStatements.model_validate(
        {
            "bankAccountId": "11111111-0000-0000-0000-000000000001",
            "bankAccountCurrencyCode": "GBP",
            "statements": [
                {
                    "statementId": "s",
                    "importSource": "STMTIMPORTSRC/CSV",
                    "statementLines": [
                        # one 100 line matched to two payments of 100: at most 100 verified
                        line(
                            "x",
                            "100.00",
                            isReconciled=True,
                            payments=[
                                invoice_payment(ALPHA, "Alpha", "100.00"),
                                invoice_payment(ALPHA, "Alpha", "100.01"),
                            ],
                        ),
                        line(
                            "y",
                            "50.00",
                            isReconciled=True,
                            bankTransactions=[bank_tx("50.00", None, "SALES")],
                        ),
                    ],
                }
            ],
        }
    )
    b = bank_to_books(
        D("150.00"),
        "",
        frames_from_bank_statements([("f", statements)]),
        (START, AS_OF),
        "GBP",
        CONTACTS,
        NO_TAX,
    )
    assert b.cash_verified_revenue.amount == D("150.00")
    assert b.bank_verified_receipts.amount == D("0.00")  # a CSV upload is not a bank feed
    r = b.customers_from_receipts
    assert r.total.amount == D("100.00") and r.top1_share == 1.0
    assert [(s.contact_id, s.amount.amount) for s in r.special_contacts] == [
        (NONE_PROVIDED_CONTACT_ID, D("50.00"))
    ]


def test_transfer_contact_id_matches_in_any_case() -> None:
    receipts, _, _ = classify_receipts(frames(), "GBP", START, AS_OF)
    assert receipts.filter(pl.col("statement_line_id") == "l2")["category"][0] == "transfer"
    assert len(bank_statements()) == 3


def test_account_types_and_reporting_codes_match_in_any_case() -> None:
    # Xero writes account types in capitals; a lower-case one is the same type, and a loan
    # reporting code is found in any case (each distinct value is upper-cased once).
    loan = {"accountType": "liability", "reportingCode": "lia.noncur.loa", "lineAmount": D("70")}
    statements = BankStatements.model_validate(
        {
            "bankAccountId": "11111111-0000-0000-0000-000000000001",
            "bankAccountCurrencyCode": "GBP",
            "statements": [
                {
                    "statementId": "s",
                    "importSource": "STMTIMPORTSRC/CBAFEED",
                    "statementLines": [
                        line(
                            "t",
                            "40.00",
                            isReconciled=True,
                            bankTransactions=[bank_tx("40.00", None, "bank")],
                        ),
                        line(
                            "r",
                            "30.00",
                            isReconciled=True,
                            bankTransactions=[bank_tx("30.00", None, "Revenue")],
                        ),
                        line(
                            "f",
                            "70.00",
                            isReconciled=True,
                            bankTransactions=[
                                {
                                    "bankTransactionId": "bt-f",
                                    "amount": D("70"),
                                    "lineItems": [loan],
                                }
                            ],
                        ),
                        line(
                            "e",
                            "20.00",
                            isReconciled=True,
                            bankTransactions=[bank_tx("20.00", None, "equity")],
                        ),
                    ],
                }
            ],
        }
    )
    receipts, links, _ = classify_receipts(
        frames_from_bank_statements([("f", statements)]), "GBP", START, AS_OF
    )
    categories = dict(zip(receipts["statement_line_id"], receipts["category"], strict=True))
    assert categories == {"t": "transfer", "r": "operating", "f": "financing", "e": "financing"}
    assert links.select("statement_line_id", "verified").rows() == [("r", 30000)]
