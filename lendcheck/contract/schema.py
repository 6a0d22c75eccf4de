"""The JSON Schema of ``report.json``, generated from the :class:`~lendcheck.report.Report` model.

The schema is pydantic's serialisation-mode schema (what ``report.json`` holds, not what the model
accepts: money is a decimal string, shares are numbers) with three additions that make it a
contract rather than a by-product:

- ``$id`` and ``title`` carry :data:`~lendcheck.report.SCHEMA_VERSION`, so a schema file names the
  contract version it describes;
- every property has a ``description`` taken from its model's Google-style ``Attributes:``
  docstring section (the class summary becomes the object's description), and numbers that
  measure a share in [0, 1], a ratio or days carry ``"x-unit"``;
- every property is ``required``: ``report.json`` always holds every field (``null`` when a value
  is undefined), whichever version of pydantic wrote it.

The committed copy is ``docs/report.schema.json``; ``lendcheck schema -o docs/report.schema.json``
regenerates it and ``tests/contract`` fails when it drifts from the model.
"""

from __future__ import annotations

import inspect
import json
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lendcheck.report import SCHEMA_VERSION, Report

#: Where the committed schema lives, relative to the repository root.
SCHEMA_FILE = Path("docs") / "report.schema.json"
#: The command that regenerates :data:`SCHEMA_FILE` (quoted in drift messages).
REGENERATE_SCHEMA = ".venv/bin/lendcheck schema -o docs/report.schema.json"
#: JSON Schema dialect pydantic generates.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$")
_ENTRY = re.compile(
    r"^(?P<names>[A-Za-z_][\w/]*(?:\s*,\s*[A-Za-z_][\w/]*)*)\s*(?:\([^)]*\))?:\s*(?P<text>.*)$"
)


#: Descriptions of fields whose model docstring has no ``Attributes:`` entry for them, by
#: (class name, field). An entry in the model's own docstring wins; the drift test requires that
#: every property of the schema is described by one or the other.
SUPPLEMENT: dict[tuple[str, str], str] = {
    **{
        (cls, name): text
        for cls in ("CountCheck", "AgeCheck", "DateCheck")
        for name, text in {
            "field": "Xero's field in snake_case (as :class:`AmountCheck`).",
            "xero": "Xero's figure; None when Xero left the field out.",
            "recomputed": "lendcheck's figure from the statement lines.",
            "difference": "``recomputed - xero``; None when either is missing.",
            "agrees": "the two are equal (within the tolerance the class states).",
        }.items()
    },
    ("DateCheck", "difference_days"): "``recomputed - xero`` in days; None when either is missing.",
    ("BalanceSheetSection", "current"): "the balance sheet at ``as_of``.",
    ("BalanceSheetSection", "previous"): "the balance sheet a year before ``as_of``.",
    ("ProfitAndLossSection", "current"): "the P&L of the current 12-month period.",
    ("ProfitAndLossSection", "previous"): "the P&L of the previous 12-month period.",
    ("ProfitAndLossSection", "growth"): "growth of the current period over the previous one.",
    ("InputCall", "endpoint"): "the Finance API path called (e.g. ``/CashValidation``).",
    ("InputCall", "params"): "the query parameters sent, by name.",
    ("InputCall", "status"): "the HTTP status Xero answered with.",
    ("InputCall", "file"): "the response's file in the snapshot, relative to its directory.",
    ("InputCall", "sha256"): "hex sha256 of the file's bytes (verified before use).",
    ("MissingCall", "endpoint"): "the Finance API path of the planned call.",
    ("MissingCall", "params"): "its query parameters, by name.",
    ("MissingCall", "reason"): "why it is missing: not in the snapshot, or Xero's refusal.",
    ("SpecialContactAmount", "contact_id"): "Xero ``ContactID`` of the pseudo-contact.",
    ("SpecialContactAmount", "name"): "its name as Xero gives it (untrusted text).",
    ("SpecialContactAmount", "amount"): "the amount attributed to it in the period.",
}


def schema_id(version: str = SCHEMA_VERSION) -> str:
    """The ``$id`` of the schema of one contract version, e.g. ``urn:lendcheck:report:0.1.0``."""
    return f"urn:lendcheck:report:{version}"


def parse_version(version: str) -> tuple[int, int, int]:
    """``"0.1.0"`` → ``(0, 1, 0)``.

    Raises:
        ValueError: ``version`` is not ``MAJOR.MINOR.PATCH`` (a pre-release suffix is allowed).
    """
    match = _SEMVER.match(version)
    if not match:
        raise ValueError(f"not a semantic version: {version!r}")
    return int(match[1]), int(match[2]), int(match[3])


def report_schema() -> dict[str, Any]:
    """The JSON Schema of ``report.json`` for the current :data:`SCHEMA_VERSION`.

    Returns:
        A JSON-ready dict (draft 2020-12) whose ``$defs`` are keyed by model class name.
    """
    schema = Report.model_json_schema(mode="serialization")
    classes = model_classes()
    _enrich(schema, Report)
    for name, definition in schema.get("$defs", {}).items():
        if name in classes:
            _enrich(definition, classes[name])
    ordered: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": schema_id(),
        "title": f"lendcheck report.json, schema_version {SCHEMA_VERSION}",
    }
    ordered.update((k, v) for k, v in schema.items() if k != "title")
    # The version a report of this schema holds, stated as a constant for validators.
    ordered["properties"]["schema_version"]["const"] = SCHEMA_VERSION
    return ordered


def render_schema() -> bytes:
    """:func:`report_schema` as canonical JSON bytes: sorted keys, two-space indent, newline."""
    text = json.dumps(report_schema(), sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def model_classes(root: type[BaseModel] = Report) -> dict[str, type[BaseModel]]:
    """Every pydantic model reachable from ``root`` by field types, by class name.

    Raises:
        ValueError: two different classes share a name (their ``$defs`` would be ambiguous).
    """
    found: dict[str, type[BaseModel]] = {}
    pending: list[type[BaseModel]] = [root]
    while pending:
        cls = pending.pop()
        if cls.__name__ in found:
            if found[cls.__name__] is not cls:
                raise ValueError(f"two report models are named {cls.__name__}")
            continue
        found[cls.__name__] = cls
        for field in cls.model_fields.values():
            pending.extend(_models_in(field.annotation))
    return found


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def summary(cls: type) -> str:
    """The part of a class docstring before its ``Attributes:`` section, whitespace-normalised."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    head = doc.split("\nAttributes:", 1)[0]
    return " ".join(head.split())


def attribute_docs(cls: type) -> dict[str, str]:
    """Field descriptions from a Google-style ``Attributes:`` docstring section.

    An entry ``start, end: the dates`` documents both ``start`` and ``end``; continuation lines
    (indented further) are joined to their entry. Sphinx roles and double backquotes are kept as
    written (they read well as Markdown code).

    Returns:
        ``{field name: description}``; fields without an entry are absent.
    """
    lines = inspect.cleandoc(cls.__doc__ or "").splitlines()
    try:
        start = lines.index("Attributes:") + 1
    except ValueError:
        return {}
    entries: list[tuple[list[str], list[str]]] = []
    base: int | None = None
    for line in lines[start:]:
        if line and not line[0].isspace():
            break  # the next section
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        base = indent if base is None else base
        match = _ENTRY.match(line.strip()) if indent == base else None
        if match:
            names = [n for name in match["names"].split(",") for n in _expand(name.strip())]
            entries.append((names, [match["text"]]))
        elif entries:
            entries[-1][1].append(line.strip())
    return {name: " ".join(" ".join(text).split()) for names, text in entries for name in names}


def _expand(name: str) -> list[str]:
    """``reconciled_amount_pos/neg`` → both names; ``earliest/latest_x`` likewise."""
    names = [""]
    for i, segment in enumerate(name.split("_")):
        sep = "_" if i else ""
        names = [f"{head}{sep}{alt}" for head in names for alt in segment.split("/")]
    return names


def field_unit(cls: type[BaseModel], name: str) -> str | None:
    """What a numeric field measures when its type says so: ``share``, ``ratio`` or ``days``.

    Read from the :class:`lendcheck.report_types.Unit` marker of the Share/Ratio/Days aliases;
    None for other fields (money, counts, dates are known by their JSON types).
    """
    field = cls.model_fields[name]
    for item in (*field.metadata, *_annotated_metadata(field.annotation)):
        unit = getattr(item, "name", None)
        if type(item).__name__ == "Unit" and isinstance(unit, str):
            return unit
    return None


def _annotated_metadata(annotation: Any) -> Iterator[Any]:
    if typing.get_origin(annotation) is typing.Annotated:
        yield from annotation.__metadata__
    for arg in typing.get_args(annotation):
        if isinstance(arg, type | types.GenericAlias | types.UnionType) or typing.get_args(arg):
            yield from _annotated_metadata(arg)


def _enrich(definition: dict[str, Any], cls: type[BaseModel]) -> None:
    """Descriptions, units and ``required`` of one object definition, in place."""
    properties: dict[str, Any] = definition.get("properties", {})
    if not properties:
        return
    described = summary(cls)
    if described:
        definition["description"] = described
    docs = attribute_docs(cls)
    docs.update({n: t for (c, n), t in SUPPLEMENT.items() if c == cls.__name__ and n not in docs})
    for name, prop in properties.items():
        if prop.get("title") == name.replace("_", " ").title():
            del prop["title"]  # pydantic's generated title says nothing the name does not
        prop.pop("default", None)  # defaults are for constructing models, not for readers
        if name in docs and "description" not in prop:
            prop["description"] = docs[name]
        if name in cls.model_fields and (unit := field_unit(cls, name)):
            prop["x-unit"] = unit
    definition["required"] = list(properties)


def version_of(data: object) -> str | None:
    """The ``schema_version`` of a parsed ``report.json``, or None when it has none."""
    if isinstance(data, dict):
        version = data.get("schema_version")
        if isinstance(version, str):
            return version
    return None


def committed_schema_path(root: Path | None = None) -> Path:
    """Path of the committed schema file in a source checkout (``root`` defaults to the repo)."""
    return (root or Path(__file__).resolve().parents[2]) / SCHEMA_FILE


__all__ = [
    "DIALECT",
    "REGENERATE_SCHEMA",
    "SCHEMA_FILE",
    "attribute_docs",
    "committed_schema_path",
    "field_unit",
    "model_classes",
    "parse_version",
    "render_schema",
    "report_schema",
    "schema_id",
    "summary",
    "version_of",
]
