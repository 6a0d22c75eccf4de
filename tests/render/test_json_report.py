"""report.json's writer: msgspec's bytes are exactly those of ``json.dumps(sort_keys=True,
indent=2, ensure_ascii=False)``, the writer report.json had before, on every sample and on the
values where the two libraries could differ."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from lendcheck.render.json_report import render_json
from lendcheck.report import build_report
from lendcheck.snapshot import load_snapshot
from tests.report.conftest import SAMPLE_FOLDERS, SAMPLES


def _python_writer(report: BaseModel) -> bytes:
    """The writer report.json had before msgspec, untrusted text cleaned the same way."""
    from lendcheck.render.json_report import MAX_JSON_TEXT
    from lendcheck.text import clean_untrusted

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return clean_untrusted(value, MAX_JSON_TEXT)
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    data = clean(report.model_dump(mode="json"))
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


@pytest.mark.parametrize("name", SAMPLE_FOLDERS)
def test_every_sample_gives_the_bytes_of_the_python_writer(name: str) -> None:
    report = build_report(load_snapshot(SAMPLES / name))
    assert render_json(report) == _python_writer(report)


class _Values(BaseModel):
    """Values where msgspec and the json module could write different text."""

    floats: list[float]
    ints: list[int]
    texts: dict[str, str]
    nested: dict[str, Any]
    amount: Decimal
    day: date


_VALUES = _Values(
    # Exponents (Python: 1e-07, 1e+16; msgspec alone: 1e-7, 1e16), shortest round trips,
    # negative zero, the extremes.
    floats=[1e-7, 1e-5, 1e-4, 0.1, 0.30000000000000004, -0.0, 1e15, 1e16, 1.2345678901234568e16,
            1e22, 5e-324, 1.7976931348623157e308, -0.7788, 443.29],
    ints=[0, -3, 2**53 + 1, 2**70, -(2**64)],
    # Keys in code point order across planes; every escape json.dumps makes.
    texts={"é": "quote \" backslash \\ ", "e": "line\nfeed\ttab\rcr", "Z": "\u2028 and \u2029",
           "😀": "emoji 😀", "\uffff": "last of the plane", "a": "", "ab": "b"},
    nested={"empty_list": [], "empty_object": {}, "lists": [[], [{}], [1, [2, []]]],
            "none": None, "flags": [True, False]},
    amount=Decimal("1234.50"),
    day=date(2026, 12, 7),
)  # fmt: skip


def test_values_where_the_writers_could_differ_give_the_same_bytes() -> None:
    written = render_json(_VALUES)
    assert written == _python_writer(_VALUES)
    assert b'"1e-07"' not in written and b"1e-07," in written and b"1e+16," in written
    assert b'"amount": "1234.50"' in written and b'"day": "2026-12-07"' in written
    assert b'"empty_list": [],' in written and b'"empty_object": {},' in written
    keys = list(json.loads(written)["texts"])
    assert keys == ["Z", "a", "ab", "e", "é", "\uffff", "😀"]


def test_a_lone_surrogate_goes_as_before() -> None:
    """In a value, cleaning takes it out; in a key (never cleaned), pydantic's JSON mode has
    made it U+FFFD already: the same bytes from both writers, and no error."""

    class Text(BaseModel):
        text: str
        by_name: dict[str, int]

    value = Text(text="a\ud800b", by_name={"x": 1})
    assert render_json(value) == _python_writer(value)
    assert json.loads(render_json(value))["text"] == "ab"
    key = Text(text="", by_name={"a\ud800b": 1})
    assert render_json(key) == _python_writer(key)
    assert list(json.loads(render_json(key))["by_name"]) == ["a\ufffd\ufffd\ufffdb"]
