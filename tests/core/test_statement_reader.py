"""The statement reader (msgspec, by column) gives exactly the frames the models give, or
declines: on every committed sample, and on generated BankStatementsPlus files that mix what
Xero sends with what a broken or hostile file might hold (numbers as text, exponents, three
decimals, amounts at the limit, empty and upper-case IDs, snake_case and duplicate keys, lone
surrogates, malformed dates, nulls where lists belong...)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from pydantic import BaseModel, ValidationError

from lendcheck.errors import SnapshotError
from lendcheck.frames import StatementFrames, statement_frames
from lendcheck.frames._reader import read_bank_statements, struct_for
from lendcheck.money import loads_exact
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import BankStatements, StatementLine
from lendcheck.xero.responses import RESPONSE_MODELS, bank_statements
from tests.conftest import FINANCE_SAMPLE_NAMES, SAMPLES


def by_models(body: bytes, file: str) -> StatementFrames | None:
    """The file's frames as the snapshot's model path makes them; None when it refuses."""
    try:
        model = RESPONSE_MODELS[fp.BANK_STATEMENTS].validate_python(
            loads_exact(body), by_alias=True, by_name=False
        )
        return statement_frames(file, model)
    except (ValueError, ValidationError, SnapshotError):  # JSONDecodeError is a ValueError
        return None


def assert_same(fast: StatementFrames, slow: StatementFrames) -> None:
    assert (fast.bank_account_id, fast.bank_account_name, fast.bank_account_currency_code) == (
        slow.bank_account_id,
        slow.bank_account_name,
        slow.bank_account_currency_code,
    )
    for name in ("statements", "statement_lines", "links"):
        assert_frame_equal(getattr(fast, name), getattr(slow, name))


@pytest.mark.parametrize("name", FINANCE_SAMPLE_NAMES)
def test_every_sample_file_is_read_fast_and_as_the_models_read_it(name: str) -> None:
    snapshot = load_snapshot(SAMPLES / name)
    responses = [r for r in snapshot.all_of(fp.BANK_STATEMENTS) if r.data is not None]
    assert responses
    for response in responses:
        assert isinstance(response.data, StatementFrames), response.record.file
        body = (SAMPLES / name / response.record.file).read_bytes()
        slow = by_models(body, response.record.file)
        assert slow is not None
        assert_same(response.data, slow)


def _models(model: type[BaseModel]) -> list[type[BaseModel]]:
    found = [model]
    for info in model.model_fields.values():
        for arg in [info.annotation, *getattr(info.annotation, "__args__", ())]:
            inner = getattr(arg, "__args__", (arg,))
            for candidate in (arg, *inner):
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    found += [m for m in _models(candidate) if m not in found]
    return found


@pytest.mark.parametrize("model", _models(StatementLine), ids=lambda m: m.__name__)
def test_structs_have_the_models_fields_under_xero_names(model: type[BaseModel]) -> None:
    fields = {f.name: f for f in msgspec.structs.fields(struct_for(model))}
    assert set(fields) == set(model.model_fields)
    for name, info in model.model_fields.items():
        assert fields[name].encode_name == (info.alias or name)
        assert fields[name].required == info.is_required()


# --- generated files: leaves are JSON fragments, objects lists of (key, value) pairs so that
# keys can repeat.

Obj = list[tuple[str, Any]]


def dump(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple) and value and value[0] == "array":
        return "[" + ",".join(dump(v) for v in value[1]) + "]"
    return "{" + ",".join(f"{json.dumps(k)}:{dump(v)}" for k, v in value) + "}"


GOOD_MONEY = ["12.34", "-5", "0", "-0.0", "1.10", "999999999999999.99", "1e2", "120.5", "7"]
BAD_MONEY = ['"12.34"', "true", "null", "12.345", "1E+400", "1000000000000000", "NaN", "[]"]
GUIDS = [
    '"856995eb-9349-4be8-8a09-94e8506a53b8"',
    '"A74ADA06-6A92-463A-BE3E-C4B1BB9AA308"',
    '"a74ada06-6a92-463a-be3e-c4b1bb9aa308"',
    '"\\u0130d-\\u00dcNI"',
]
BAD_GUIDS = ['""', '"  "', "null", "5", '"\\ud800"']
TEXTS = ['"GOCARDLESS"', '"<b>\\u202eevil</b>"', '"caf\\u00e9"', "null", '"a\\"b"']
BAD_TEXTS = ["5", "true", '"\\udc00"', "[]"]
DATES = ['"2025-11-03"', '"2024-02-29"', "null"]
BAD_DATES = ['"2025-11-03T00:00:00"', '"2025-02-30"', '"20251103"', '""', "1700000000"]
BOOLS = ["true", "false"]
BAD_BOOLS = ["null", "1", '"true"']


def leaf(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    # Mostly good values, so that whole files get through; bad ones often enough to matter.
    return st.one_of(st.sampled_from(good), st.sampled_from(good), st.sampled_from(bad))


def obj(
    fields: dict[str, st.SearchStrategy[Any]], required: tuple[str, ...] = ()
) -> st.SearchStrategy[Obj]:
    """An object with some of ``fields`` (the required ones nearly always), sometimes a key
    under its snake_case name, repeated, or an unknown key."""

    @st.composite
    def build(draw: st.DrawFn) -> Obj:
        pairs: Obj = []
        for key, strategy in fields.items():
            if key not in required and draw(st.integers(0, 3)) == 0:
                continue
            if key in required and draw(st.integers(0, 30)) == 0:
                continue
            name = key
            if draw(st.integers(0, 25)) == 0:
                name = "".join("_" + c.lower() if c.isupper() else c for c in key)
            pairs.append((name, draw(strategy)))
            if draw(st.integers(0, 25)) == 0:
                pairs.append((key, draw(strategy)))  # a duplicate key: the last one counts
        if draw(st.integers(0, 10)) == 0:
            pairs.append(("unknownField", '"x"'))
        return pairs

    return build()


def array(items: st.SearchStrategy[Any], max_size: int) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(items, max_size=max_size).map(lambda v: ("array", v)),
        st.lists(items, max_size=max_size).map(lambda v: ("array", v)),
        st.sampled_from(["null", "{}"]),
    )


money = leaf(GOOD_MONEY, BAD_MONEY)
guid = leaf(GUIDS, BAD_GUIDS)
text = leaf(TEXTS, BAD_TEXTS)
date = leaf(DATES, BAD_DATES)
flag = leaf(BOOLS, BAD_BOOLS)
contact = obj({"contactId": guid, "contactName": text})
line_item = obj(
    {"accountId": guid, "reportingCode": text, "lineAmount": money, "accountType": text}
)
document = obj(
    {
        "invoiceId": guid,
        "creditNoteId": guid,
        "contact": st.one_of(contact, st.just("null")),
        "total": money,
        "lineItems": array(line_item, 2),
    }
)
payment = obj(
    {
        "paymentId": guid,
        "batchPaymentId": guid,
        "date": date,
        "amount": money,
        "bankAmount": money,
        "currencyRate": leaf(["1", "0.5", "null"], ['"1.5"', "true"]),
        "invoice": st.one_of(document, st.just("null")),
        "creditNote": st.one_of(document, st.just("null")),
        "prepayment": st.one_of(document, st.just("null")),
    }
)
bank_transaction = obj(
    {
        "bankTransactionId": guid,
        "contact": st.one_of(contact, st.just("null")),
        "date": date,
        "amount": money,
        "lineItems": array(line_item, 2),
    }
)
line = obj(
    {
        "statementLineId": guid,
        "postedDate": date,
        "payee": text,
        "reference": text,
        "notes": text,
        "chequeNo": text,
        "amount": money,
        "transactionDate": date,
        "type": text,
        "isReconciled": flag,
        "isDuplicate": flag,
        "isDeleted": flag,
        "payments": array(payment, 2),
        "bankTransactions": array(bank_transaction, 2),
    },
    required=("statementLineId", "amount"),
)
statement = obj(
    {
        "statementId": leaf(GUIDS[:2], ["null", '""']),
        "startDate": date,
        "endDate": date,
        "importedDateTimeUtc": leaf(
            ['"2025-11-04T03:56:02Z"', '"2025-11-04T03:56:02"'],
            ['"2025-11-04 03:56:02Z"', '"2025-11-04T03:56:02.1234567Z"', '"yesterday"'],
        ),
        "importSource": leaf(['"STMTIMPORTSRC/CBAFEED"', '"STMTIMPORTSRC/MANUAL"'], ["7"]),
        "startBalance": money,
        "endBalance": money,
        "statementLines": array(line, 4),
    },
    required=("statementLines",),
)
response = obj(
    {
        "bankAccountId": guid,
        "bankAccountName": text,
        "bankAccountCurrencyCode": leaf(['"NZD"', '"usd"'], ["1"]),
        "statements": array(statement, 3),
    },
    required=("bankAccountId", "statements"),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(response)
def test_generated_files_read_as_the_models_read_them_or_declined(doc: Obj) -> None:
    body = dump(doc).encode()
    fast = read_bank_statements(body, "bank-statements/a/f.json")
    slow = by_models(body, "bank-statements/a/f.json")
    event("read fast" if fast is not None else "declined")
    if fast is not None:
        assert slow is not None, body
        assert_same(fast, slow)


def test_the_generated_files_reach_the_fast_path() -> None:
    """The property above would pass vacuously if the reader declined everything."""
    body = dump(
        [
            ("bankAccountId", GUIDS[1]),
            (
                "statements",
                (
                    "array",
                    [
                        [
                            ("statementId", GUIDS[0]),
                            (
                                "statementLines",
                                (
                                    "array",
                                    [
                                        [
                                            ("statementLineId", GUIDS[1]),
                                            ("amount", "1e2"),
                                            ("isReconciled", "true"),
                                        ]
                                    ],
                                ),
                            ),
                        ]
                    ],
                ),
            ),
        ]
    ).encode()
    fast = read_bank_statements(body, "f.json")
    assert fast is not None
    assert fast.statement_lines.select("statement_line_id", "amount", "is_reconciled").rows() == [
        ("a74ada06-6a92-463a-be3e-c4b1bb9aa308", 100000, True)  # 100.00 in thousandths
    ]


def _one_line(amount: str, currency: str | None = None) -> bytes:
    """A response of one statement line whose amount is the JSON text ``amount``, in
    ``currency`` when given (else none stated)."""
    code = f'"bankAccountCurrencyCode":"{currency}",' if currency else ""
    return (
        f'{{"bankAccountId":"a",{code}"statements":[{{"statementLines":'
        f'[{{"statementLineId":"l1","amount":{amount}}}]}}]}}'
    ).encode()


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        ('"12.34"', "money as text"),
        ("true", "money as a flag"),
        ("1000000000000000", "money at the limit"),
        ("12.345", "three decimals in GBP (the models' path names the field)"),
        ("12.3456", "four decimals: finer than any currency"),
    ],
)
def test_refused_money_is_declined(amount: str, why: str) -> None:
    assert read_bank_statements(_one_line(amount, currency="GBP"), "f.json") is None, why


def test_snake_case_keys_are_not_xero_names_on_either_path() -> None:
    body = (
        b'{"bankAccountId":"a","statements":[{"statementLines":'
        b'[{"statementLineId":"l1","amount":5,"is_reconciled":true}]}]}'
    )
    fast = read_bank_statements(body, "f.json")
    slow = by_models(body, "f.json")
    assert fast is not None and slow is not None
    assert fast.statement_lines["is_reconciled"].to_list() == [False]
    assert_same(fast, slow)


def test_a_model_with_an_unmapped_field_type_is_refused() -> None:
    class Odd(BaseModel):
        value: complex

    with pytest.raises(TypeError, match="no struct type"):
        struct_for(Odd)


def test_bank_statements_model_is_read_again_from_the_file() -> None:
    snapshot = load_snapshot(SAMPLES / "harbour-cafe")
    response = snapshot.all_of(fp.BANK_STATEMENTS)[0]
    model = bank_statements(snapshot, response)
    assert isinstance(model, BankStatements)
    assert model.bank_account_id == response.data.bank_account_id
    assert sum(len(s.statement_lines) for s in model.statements) == (
        response.data.statement_lines.height
    )


def test_a_file_only_the_models_read_is_read_through_them_with_the_same_frames(
    tmp_path: Path,
) -> None:
    """A flag sent as the text "true" is something the models take (pydantic is lax) and the
    reader does not: the file is read through the models into the same frames."""
    from lendcheck.frames import bank_frames
    from tests.corpus.cases import BANK, copy_sample, edit, first_line

    original = bank_frames(load_snapshot(SAMPLES / "fernleaf-studio"))
    snap = copy_sample(tmp_path)

    def as_text(data: Any) -> None:
        line = first_line(data)
        line["isReconciled"] = "true" if line["isReconciled"] else "false"

    edit(snap, BANK, as_text)
    snapshot = load_snapshot(snap)
    assert read_bank_statements((snap / BANK).read_bytes(), BANK) is None
    [response] = [r for r in snapshot.all_of(fp.BANK_STATEMENTS) if r.record.file == BANK]
    assert isinstance(response.data, StatementFrames)
    frames = bank_frames(snapshot)
    for name in ("bank_accounts", "statements", "statement_lines", "links"):
        assert_frame_equal(getattr(frames, name), getattr(original, name))


@pytest.mark.parametrize(
    ("amount", "payee", "tail"),
    [
        ("01", '"p"', ""),
        ("1.", '"p"', ""),
        (".5", '"p"', ""),
        ("+1", '"p"', ""),
        ("Infinity", '"p"', ""),
        ("1e", '"p"', ""),
        ("1", '"x\x01y"', ""),
        ("1", '"x\ty"', ""),
        ("1", '"\\x41"', ""),
        ("1", '"p"', " x"),
        ("1", '"p",', ""),
    ],
)
def test_what_json_refuses_the_reader_refuses(amount: str, payee: str, tail: str) -> None:
    body = (
        '{"bankAccountId":"a","statements":[{"statementLines":'
        f'[{{"statementLineId":"l1","amount":{amount},"payee":{payee}}}]}}]}}{tail}'
    ).encode()
    assert by_models(body, "f.json") is None
    assert read_bank_statements(body, "f.json") is None


@pytest.mark.parametrize(
    ("amount", "thousandths"),
    [
        ("0.001", 1),
        ("-0.5", -500),
        ("1.500", 1500),
        ("-0.000", 0),
        ("120", 120000),
        ("999999999999999.999", 999999999999999999),
        ("-999999999999999.999", -999999999999999999),
        ("1.5e-2", 15),
        ("12.5E+1", 125000),
    ],
)
def test_amounts_are_the_thousandths_the_models_give(amount: str, thousandths: int) -> None:
    """No currency stated: three places allowed. The digits without the point, scaled by the
    places written, are the models' thousandths; exponents take the models' own way."""
    body = _one_line(amount)
    fast = read_bank_statements(body, "f.json")
    slow = by_models(body, "f.json")
    assert fast is not None and slow is not None
    assert fast.statement_lines["amount"].to_list() == [thousandths]
    assert_same(fast, slow)


def test_links_with_the_same_number_of_line_items_keep_each_links_own() -> None:
    """Every link holds two line items (the lists are cut from the flat column, two at a
    time); empty and missing account types and reporting codes are left out."""
    item = '{{"accountType":{t},"reportingCode":{c},"lineAmount":1}}'
    items = [
        item.format(t='"REVENUE"', c='"REV.TRA"') + "," + item.format(t='""', c="null"),
        item.format(t="null", c='"EXP"') + "," + item.format(t='"EXPENSE"', c='"EXP.ADM"'),
    ]
    transactions = ",".join(
        f'{{"bankTransactionId":"t{i}","amount":1,"lineItems":[{pair}]}}'
        for i, pair in enumerate(items)
    )
    body = (
        '{"bankAccountId":"a","statements":[{"statementLines":[{"statementLineId":"l1",'
        f'"amount":2,"isReconciled":true,"bankTransactions":[{transactions}]}}]}}]}}'
    ).encode()
    fast = read_bank_statements(body, "f.json")
    slow = by_models(body, "f.json")
    assert fast is not None and slow is not None
    assert fast.links.select("link_id", "account_types", "reporting_codes").rows() == [
        ("t0", ["REVENUE"], ["REV.TRA"]),
        ("t1", ["EXPENSE"], ["EXP", "EXP.ADM"]),
    ]
    assert_same(fast, slow)
