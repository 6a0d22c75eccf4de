"""The JSON Schema of report.json: generated from the model, committed, documented, honoured."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from lendcheck.cli import main
from lendcheck.contract import docs
from lendcheck.contract.schema import (
    REGENERATE_SCHEMA,
    SCHEMA_FILE,
    attribute_docs,
    render_schema,
    report_schema,
    schema_id,
)
from lendcheck.report import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_matches_the_model() -> None:
    committed = ROOT / SCHEMA_FILE
    assert committed.is_file(), f"{SCHEMA_FILE} is missing: run {REGENERATE_SCHEMA}"
    assert committed.read_bytes() == render_schema(), (
        f"{SCHEMA_FILE} has drifted from the Report model: run {REGENERATE_SCHEMA} "
        f"(or {docs.REGENERATE_DOCS}), bump SCHEMA_VERSION if the contract changed, "
        "and add a changelog entry to docs/report-json.md"
    )


def test_committed_field_reference_matches_the_model() -> None:
    current = (ROOT / docs.DOCS_FILE).read_text(encoding="utf-8")
    assert docs.splice(current, docs.field_reference()) == current, (
        f"the field reference in {docs.DOCS_FILE} has drifted from the Report model: "
        f"run {docs.REGENERATE_DOCS}"
    )


def test_schema_names_its_version() -> None:
    schema = report_schema()
    assert schema["$id"] == schema_id() == f"urn:lendcheck:report:{SCHEMA_VERSION}"
    assert SCHEMA_VERSION in schema["title"]
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_every_property_is_described_and_required() -> None:
    schema = report_schema()
    objects = {"Report": schema, **schema["$defs"]}
    undocumented = [
        f"{name}.{prop}"
        for name, obj in objects.items()
        for prop, spec in obj.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undocumented == [], "add an Attributes: entry to the model docstring (or SUPPLEMENT)"
    for name, obj in objects.items():
        if obj.get("properties"):
            assert obj["required"] == list(obj["properties"]), name


def test_money_is_a_decimal_string_and_units_are_marked() -> None:
    defs = report_schema()["$defs"]
    assert defs["Money"]["properties"]["amount"]["type"] == "string"
    reconciliation = defs["Reconciliation"]["properties"]
    assert reconciliation["reconciled_share_by_amount"]["x-unit"] == "share"
    assert reconciliation["avg_days_unreconciled_pos"]["x-unit"] == "days"
    assert defs["BalanceSheetFigures"]["properties"]["current_ratio"]["x-unit"] == "ratio"
    assert "x-unit" not in reconciliation["unreconciled_lines"]


def test_reports_validate_against_the_committed_schema(report_files: dict[str, Path]) -> None:
    schema = json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for name, path in report_files.items():
        errors = sorted(validator.iter_errors(json.loads(path.read_text())), key=str)
        assert errors == [], f"{name}: {errors[0].message} at {list(errors[0].path)}"


def test_schema_rejects_a_float_amount(report_files: dict[str, Path]) -> None:
    data = json.loads(report_files["harbour-cafe"].read_text())
    data["financials"]["profit_and_loss"]["current"]["revenue"]["amount"] = 505103.63
    validator = jsonschema.Draft202012Validator(report_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    assert error is not None
    assert list(error.absolute_path)[-3:] == ["current", "revenue", "amount"] or any(
        list(e.absolute_path)[-1:] == ["amount"] for e in error.context
    )


def test_schema_command_prints_and_writes_the_same_bytes(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(main, ["schema"])
    assert printed.exit_code == 0
    assert printed.stdout_bytes == render_schema()
    written = runner.invoke(main, ["schema", "-o", str(tmp_path / "s.json")])
    assert written.exit_code == 0
    assert (tmp_path / "s.json").read_bytes() == render_schema()


def test_schema_generation_is_deterministic() -> None:
    assert render_schema() == render_schema()


class _Documented:
    """A model-like class.

    Attributes:
        plain: one line.
        start, end: two names
            with a continuation line.
        amount_pos/neg: slash shorthand.
        earliest/latest_day: at the front too.
    """


def test_attribute_docs_parses_google_style_sections() -> None:
    assert attribute_docs(_Documented) == {
        "plain": "one line.",
        "start": "two names with a continuation line.",
        "end": "two names with a continuation line.",
        "amount_pos": "slash shorthand.",
        "amount_neg": "slash shorthand.",
        "earliest_day": "at the front too.",
        "latest_day": "at the front too.",
    }


@pytest.mark.parametrize("command", ["schema", "diff", "batch"])
def test_contract_commands_have_examples(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert f"lendcheck {command}" in result.output
