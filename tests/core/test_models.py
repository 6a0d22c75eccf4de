"""The models parse every example response of the official spec, exactly."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from lendcheck.money import loads_exact
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import (
    BankStatements,
    CashValidationAccount,
    IncomeByContact,
    Problem,
    StatementBalance,
    StatementLine,
)
from lendcheck.xero.responses import RESPONSE_MODELS


def _examples(spec: dict) -> list[tuple[str, str, object]]:
    found = []
    for path, item in spec["paths"].items():
        for status, response in item["get"]["responses"].items():
            content = response.get("content", {}).get("application/json", {})
            if "example" in content:
                found.append((path, status, content["example"]))
    return found


def _exact(example: object) -> object:
    # YAML gave floats; re-read through JSON as Xero's bytes would be, exactly.
    return loads_exact(json.dumps(example))


def test_every_endpoint_has_a_success_example(finance_spec: dict) -> None:
    with_200 = {path for path, status, _ in _examples(finance_spec) if status == "200"}
    assert with_200 == set(fp.ENDPOINTS)


@pytest.mark.parametrize("endpoint", fp.ENDPOINTS)
def test_success_example_parses(finance_spec: dict, endpoint: str) -> None:
    examples = [
        ex for path, status, ex in _examples(finance_spec) if path == endpoint and status == "200"
    ]
    parsed = RESPONSE_MODELS[endpoint].validate_python(_exact(examples[0]))
    assert parsed is not None


def test_error_examples_parse_as_problems(finance_spec: dict) -> None:
    errors = [(p, s, ex) for p, s, ex in _examples(finance_spec) if s != "200"]
    assert errors, "the spec has error examples"
    for path, status, example in errors:
        problem = Problem.model_validate(example)
        assert problem.status == int(status), path
        assert problem.type


def test_cash_validation_example_values_are_exact(finance_spec: dict) -> None:
    example = finance_spec["paths"]["/CashValidation"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["example"]
    [account] = TypeAdapter(list[CashValidationAccount]).validate_python(_exact(example))
    lines = account.bank_statement.statement_lines
    assert account.account_id == "73151de8-3676-4887-a021-edec960dd537"
    assert lines.unreconciled_amount_neg == Decimal("-2367")
    assert lines.avg_days_unreconciled_pos == Decimal("112.265531")
    assert lines.data_source.manual_neg == Decimal("-500")
    assert account.cash_account.balance_currency == "NZD"
    assert account.bank_statement.current_statement.import_source_type == "Manual"


def test_bank_statements_example_links(finance_spec: dict) -> None:
    example = finance_spec["paths"]["/BankStatementsPlus/statements"]["get"]["responses"]["200"][
        "content"
    ]["application/json"]["example"]
    response = BankStatements.model_validate(_exact(example))
    [line] = response.statements[0].statement_lines
    assert line.amount == Decimal("100.0")
    assert [p.document.total for p in line.payments] == [
        Decimal("80.0"),
        Decimal("15.0"),
        Decimal("5.0"),
        Decimal("5.0"),
    ]
    assert line.payments[1].credit_note is not None
    assert line.bank_transactions[0].line_items[0].reporting_code == "REV.OTH"


def test_contacts_accept_id_and_contact_id_case_insensitively() -> None:
    report = IncomeByContact.model_validate(
        {
            "contacts": [
                {"id": "86793108-198C-46D8-90A3-43C1D12686CE", "name": "None Provided"},
                {"contactId": "1F580FE2-0659-31EE-EEB4-5C49D15D8BFA", "name": "A"},
            ]
        }
    )
    assert report.contacts[0].is_special
    assert report.contacts[1].contact_id == "1f580fe2-0659-31ee-eeb4-5c49d15d8bfa"
    assert not report.contacts[1].is_special


def test_money_keeps_every_digit() -> None:
    payload = loads_exact(b'{"statementLineId": "a", "amount": 0.1}')
    assert StatementLine.model_validate(payload).amount == Decimal("0.1")
    big = loads_exact(b'{"statementLineId": "a", "amount": 12345678901.23}')
    assert StatementLine.model_validate(big).amount == Decimal("12345678901.23")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"statementLineId": "a"}', "amount"),
        (b'{"statementLineId": "a", "amount": null}', "amount"),
        (b'{"statementLineId": "a", "amount": "12.50"}', "JSON number"),
        (b'{"statementLineId": "a", "amount": true}', "JSON number"),
        (b'{"statementLineId": "a", "amount": 1e308}', "out of range"),
        (b'{"amount": 1}', "statementLineId"),
    ],
)
def test_statement_line_is_strict_where_it_matters(raw: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        StatementLine.model_validate(loads_exact(raw))


def test_nan_is_not_json_we_accept() -> None:
    with pytest.raises(json.JSONDecodeError):
        loads_exact(b'{"amount": NaN}')


def test_missing_and_null_fields_are_tolerated() -> None:
    account = CashValidationAccount.model_validate(
        {"accountId": "ABC", "statementBalance": None, "bankStatement": {}}
    )
    assert account.account_id == "abc"
    assert account.statement_balance is None
    assert account.bank_statement.statement_lines is None


@pytest.mark.parametrize(
    ("balance_type", "expected"), [("DEBIT", Decimal("100")), ("CREDIT", Decimal("-100"))]
)
def test_statement_balance_sign_comes_from_type(balance_type: str, expected: Decimal) -> None:
    balance = StatementBalance.model_validate({"value": 100, "type": balance_type})
    assert balance.signed_value == expected


def test_problem_accepts_pascal_case() -> None:
    problem = Problem.model_validate(
        {
            "Type": None,
            "Title": "Unauthorized",
            "Status": 401,
            "Detail": "AuthorizationUnsuccessful",
        }
    )
    assert (problem.status, problem.detail) == (401, "AuthorizationUnsuccessful")


def test_the_spec_copy_is_xeros_16_1_0_and_the_workplace_copy(finance_spec: dict) -> None:
    from tests.conftest import FINANCE_SPEC, SHARED_FINANCE_SPEC

    assert finance_spec["info"]["version"] == "16.1.0"
    if SHARED_FINANCE_SPEC.is_file():  # beside the repository on the workplace's machines
        assert FINANCE_SPEC.read_bytes() == SHARED_FINANCE_SPEC.read_bytes()
