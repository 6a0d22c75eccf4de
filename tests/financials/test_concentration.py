"""Customer / supplier concentration and aged receivables, hand-computed."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from lendcheck.metrics.concentration import concentration, concentration_figures
from lendcheck.xero.models import (
    BANK_TRANSFER_CONTACT_ID,
    NONE_PROVIDED_CONTACT_ID,
    IncomeByContact,
)

from .build import ALPHA, BETA, contact, contacts_expense_dict, contacts_revenue_dict

REVENUE = IncomeByContact.model_validate(contacts_revenue_dict())
EXPENSE = IncomeByContact.model_validate(contacts_expense_dict())


def test_customer_concentration() -> None:
    c = concentration(REVENUE, EXPENSE, "GBP", {}).customers
    assert c.basis == "contacts_revenue"
    assert c.total.amount == D("120000.00")  # None Provided's 500 apart
    assert c.contact_count == 6
    assert c.top1_share == pytest.approx(0.5)  # 60,000 / 120,000
    assert c.top5_share == pytest.approx(118000 / 120000)
    assert c.hhi == pytest.approx(4938 / 14400)  # (60² + 30² + 20² + 5² + 3² + 2²) / 120²
    assert [t.name for t in c.top_contacts] == [
        "Alpha Ltd",
        "Beta Ltd",
        "Gamma",
        "Delta",
        "Epsilon",
    ]
    assert c.top_contacts[1].share == pytest.approx(0.25)
    assert [(s.contact_id, s.amount.amount) for s in c.special_contacts] == [
        (NONE_PROVIDED_CONTACT_ID, D("500.00"))
    ]


def test_supplier_concentration_keeps_special_contacts_apart() -> None:
    s = concentration(REVENUE, EXPENSE, "GBP", {}).suppliers
    assert s.total.amount == D("60000.00")
    assert s.contact_count == 3
    assert s.top1_share == pytest.approx(40000 / 60000)
    assert s.top5_share == pytest.approx(1.0)
    assert s.hhi == pytest.approx(1808 / 3600)  # (40² + 12² + 8²) / 60²
    # Upper-case special IDs in the report are recognised (GUIDs compare case-insensitively).
    assert {x.contact_id for x in s.special_contacts} == {
        NONE_PROVIDED_CONTACT_ID,
        BANK_TRANSFER_CONTACT_ID,
    }


def test_aged_receivables_share() -> None:
    c = concentration(REVENUE, EXPENSE, "GBP", {})
    assert c.total_outstanding.amount == D("12000.00")
    assert c.total_outstanding_aged.amount == D("3000.00")
    assert c.aged_receivables_share == pytest.approx(0.25)


def test_aged_share_from_contacts_when_no_report_totals() -> None:
    report = IncomeByContact.model_validate(
        {
            "contacts": [
                contact(
                    ALPHA,
                    "A",
                    "100.00",
                    totalDetail={"totalOutstanding": D("80.00")},
                    totalOther={"totalOutstandingAged": D("20.00")},
                ),
                contact(
                    BETA,
                    "B",
                    "100.00",
                    totalDetail={"totalOutstanding": D("20.00")},
                    totalOther={"totalOutstandingAged": D("20.00")},
                ),
            ]
        }
    )
    c = concentration(report, None, "GBP", {"contacts_expense": "Xero answered 500"})
    assert c.aged_receivables_share == pytest.approx(0.4)  # 40 / 100
    assert c.suppliers.hhi is None
    assert c.suppliers.not_available["hhi"] == "Xero answered 500"


def test_nothing_outstanding_gives_null_share() -> None:
    report = IncomeByContact.model_validate(
        {
            "totalDetail": {"totalOutstanding": D("0")},
            "totalOther": {"totalOutstandingAged": D("0")},
            "contacts": [contact(ALPHA, "A", "10.00")],
        }
    )
    c = concentration(report, None, "GBP", {})
    assert c.aged_receivables_share is None
    assert c.not_available["aged_receivables_share"] == "nothing is outstanding"


def test_missing_contacts_report() -> None:
    c = concentration(None, None, "GBP", {"contacts_revenue": "Xero answered 503: later"})
    assert c.customers.top1_share is None and c.aged_receivables_share is None
    assert c.customers.not_available["top1_share"] == "Xero answered 503: later"
    assert c.not_available["aged_receivables_share"] == "Xero answered 503: later"


def test_empty_contacts_list_is_not_available() -> None:
    c = concentration(IncomeByContact.model_validate({"contacts": []}), None, "GBP", {})
    assert c.customers.hhi is None
    assert c.customers.not_available["hhi"] == "Xero's report lists no contacts"


def test_only_special_contacts_gives_null_shares_not_zero() -> None:
    f = concentration_figures(
        [(NONE_PROVIDED_CONTACT_ID.upper(), "None Provided", D("900"))], "contacts_revenue", "GBP"
    )
    assert f.top1_share is None and f.hhi is None
    assert f.contact_count == 0
    assert f.special_contacts[0].amount.amount == D("900.00")


def test_rows_merge_by_contact_and_non_positive_contacts_are_left_out() -> None:
    f = concentration_figures(
        [
            (ALPHA.upper(), "Alpha", D("30")),
            (ALPHA, "Alpha", D("30")),
            (BETA, "Beta", D("-10")),
            (None, "Walk-in", D("20")),
            (None, "walk-in ", D("20")),
        ],
        "reconciled_receipts",
        "GBP",
    )
    assert f.contact_count == 2
    assert f.non_positive_contacts == 1
    assert f.total.amount == D("100.00")
    assert f.top1_share == pytest.approx(0.6)
    assert f.hhi == pytest.approx(0.36 + 0.16)
    assert f.top_contacts[1].contact_id is None and f.top_contacts[1].name == "Walk-in"


def test_single_customer_is_fully_concentrated() -> None:
    f = concentration_figures([(ALPHA, "Alpha", D("5"))], "contacts_revenue", "GBP")
    assert (f.top1_share, f.top5_share, f.hhi) == (1.0, 1.0, 1.0)


def test_ties_are_ordered_by_name_then_id() -> None:
    f = concentration_figures(
        [(BETA, "b", D("5")), (ALPHA, "a", D("5"))], "contacts_revenue", "GBP"
    )
    assert [t.name for t in f.top_contacts] == ["a", "b"]


def test_named_coverage_qualifies_shares_of_a_sliver() -> None:
    """Issue 16 finding 12: when most revenue has no named customer, the shares are of the
    named part only, and the report says so. Hand-computed: walk-ins 900 (None Provided),
    Alpha 60, Beta 40, a manual journal 100 and a net credit of -10 make a whole of 1,090;
    named 100 → coverage 100 / 1,090; Alpha is 60 % of the named, 60 / 1,090 of the whole."""
    report = IncomeByContact.model_validate(
        {
            "manualJournals": {"total": D("100.00")},
            "contacts": [
                contact(NONE_PROVIDED_CONTACT_ID.upper(), "None Provided", "900.00"),
                contact(ALPHA, "Alpha", "60.00"),
                contact(BETA, "Beta", "40.00"),
                contact("aaaaaaaa-0000-0000-0000-000000000009", "Gamma", "-10.00"),
            ],
        }
    )
    c = concentration(report, None, "GBP", {}).customers
    assert c.total.amount == D("100.00")
    assert c.report_total.amount == D("1090.00")  # 900 + 60 + 40 - 10 + 100
    assert c.named_coverage == pytest.approx(100 / 1090)  # 0.0917
    assert c.top1_share == pytest.approx(0.6)  # of the named customers only
    assert c.top1_share_of_report_total == pytest.approx(60 / 1090)  # 0.0550
    assert c.coverage_qualification == (
        "Shares and HHI are of the 9.2% of the amount that has a named contact; 90.8% has "
        'none ("None Provided", manual journals, net credits), and how concentrated that '
        "part is, is unknown; the largest named contact is at least 5.5% of the whole."
    )


def test_full_named_coverage_needs_no_qualification() -> None:
    f = concentration_figures(
        [(ALPHA, "Alpha", D("95")), (NONE_PROVIDED_CONTACT_ID, "None Provided", D("5"))],
        "contacts_revenue",
        "GBP",
    )
    assert f.named_coverage == pytest.approx(0.95)  # at or above 0.9: not qualified
    assert f.top1_share_of_report_total == pytest.approx(0.95)
    assert f.coverage_qualification is None


def test_named_coverage_unknown_when_the_whole_is_not_positive() -> None:
    f = concentration_figures(
        [(ALPHA, "Alpha", D("10")), (BETA, "Beta", D("-30"))], "contacts_revenue", "GBP"
    )
    assert f.top1_share == 1.0
    assert f.named_coverage is None and f.top1_share_of_report_total is None
    assert f.not_available["named_coverage"] == "the whole amount is negative"
    assert f.coverage_qualification is not None and "unknown" in f.coverage_qualification
