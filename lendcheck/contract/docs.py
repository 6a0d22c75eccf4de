"""The field reference of ``docs/report-json.md``, generated from the report's JSON Schema.

The hand-written parts of ``docs/report-json.md`` (conventions, versioning, changelog) stay as
they are; the part between :data:`BEGIN` and :data:`END` is this module's output, so the reference
cannot drift from the model: ``tests/contract`` fails when it does, and

    .venv/bin/python -m lendcheck.contract.docs

rewrites it (and ``docs/report.schema.json``) in place.
"""

from __future__ import annotations

import sys
from collections import deque
from pathlib import Path
from typing import Any

from lendcheck.contract.schema import SCHEMA_FILE, render_schema, report_schema
from lendcheck.output import write_atomic
from lendcheck.report import SCHEMA_VERSION

#: Where the generated reference starts and ends in the Markdown file.
BEGIN = "<!-- BEGIN GENERATED FIELD REFERENCE (python -m lendcheck.contract.docs) -->"
END = "<!-- END GENERATED FIELD REFERENCE -->"
#: The Markdown file, relative to the repository root.
DOCS_FILE = Path("docs") / "report-json.md"
#: The command that regenerates the reference (quoted in drift messages).
REGENERATE_DOCS = ".venv/bin/python -m lendcheck.contract.docs"

_UNITS = {
    "share": "share in [0, 1], 4 decimals",
    "ratio": "ratio, 4 decimals",
    "days": "days (fractional)",
}
_MONEY = "currency amount: decimal string + currency code"


def _ref_name(prop: dict[str, Any]) -> str | None:
    ref = prop.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _children(prop: dict[str, Any], suffix: str = "") -> list[tuple[str, str]]:
    """``(model name, path suffix)`` of every model a property holds (through arrays, maps)."""
    if name := _ref_name(prop):
        return [(name, suffix)]
    found: list[tuple[str, str]] = []
    for option in prop.get("anyOf", []):
        found.extend(_children(option, suffix))
    if isinstance(prop.get("items"), dict):
        found.extend(_children(prop["items"], suffix + "[]"))
    if isinstance(prop.get("additionalProperties"), dict):
        found.extend(_children(prop["additionalProperties"], suffix + "{}"))
    return found


def _type(prop: dict[str, Any]) -> str:
    if name := _ref_name(prop):
        return f"[{name}](#{name.lower()})"
    if "anyOf" in prop:
        options = [o for o in prop["anyOf"] if o.get("type") != "null"]
        text = " or ".join(_type(o) for o in options) or "null"
        return text + (" or null" if len(options) < len(prop["anyOf"]) else "")
    if "const" in prop:
        return f'string, always `"{prop["const"]}"`'
    kind = prop.get("type")
    if kind == "array":
        return "array of " + _type(prop.get("items", {}))
    if kind == "object" and isinstance(prop.get("additionalProperties"), dict):
        return "object: string → " + _type(prop["additionalProperties"])
    if kind == "string" and prop.get("format") in ("date", "date-time"):
        return f"string ({prop['format']})"
    if "enum" in prop:
        return " or ".join(f'`"{v}"`' if isinstance(v, str) else f"`{v}`" for v in prop["enum"])
    if isinstance(kind, str):
        return kind
    return "any"


def _unit(name: str, prop: dict[str, Any]) -> str:
    if "x-unit" in prop:
        return _UNITS.get(str(prop["x-unit"]), str(prop["x-unit"]))
    text = _type(prop)
    if "[Money]" in text:
        return _MONEY
    if "(date)" in text:
        return "date YYYY-MM-DD"
    if "integer" in text and (name.endswith("_days") or name == "days"):
        return "days (whole)"
    return ""


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def field_reference(schema: dict[str, Any] | None = None) -> str:
    """Markdown: one section per object of the report, in the order a reader meets them.

    Each section gives the object's description, the JSON paths where it occurs, and a table of
    its fields: name, JSON type, unit and meaning.
    """
    schema = schema or report_schema()
    defs: dict[str, Any] = schema.get("$defs", {})
    paths: dict[str, list[str]] = {"Report": ["(the document)"]}
    order = ["Report"]
    queue: deque[tuple[str, str]] = deque([("Report", "")])
    while queue:
        name, path = queue.popleft()
        definition = schema if name == "Report" else defs[name]
        for field, prop in definition.get("properties", {}).items():
            for child, suffix in _children(prop):
                child_path = f"{path}.{field}{suffix}" if path else f"{field}{suffix}"
                if child not in paths:
                    paths[child] = []
                    order.append(child)
                    queue.append((child, child_path))
                paths[child].append(child_path)
    lines = [
        f"Generated from the Report model of schema_version {SCHEMA_VERSION}. Every field is "
        "always present; `null` means the value is not defined (the object's `not_available` "
        "or the metric's definition in docs/metrics.md says why).",
        "",
    ]
    for name in order:
        definition = schema if name == "Report" else defs[name]
        lines.append(f"### {name}")
        lines.append("")
        if definition.get("description"):
            lines.append(_cell(definition["description"]))
            lines.append("")
        where = paths[name]
        shown = ", ".join(f"`{p}`" for p in where[:6]) + (" …" if len(where) > 6 else "")
        lines.append(f"Found at: {shown}")
        lines.append("")
        lines.append("| field | type | unit | meaning |")
        lines.append("|---|---|---|---|")
        for field, prop in definition.get("properties", {}).items():
            lines.append(
                f"| `{field}` | {_cell(_type(prop))} | {_cell(_unit(field, prop))} "
                f"| {_cell(prop.get('description', ''))} |"
            )
        lines.append("")
    return "\n".join(lines)


def splice(document: str, reference: str) -> str:
    """``document`` with the text between :data:`BEGIN` and :data:`END` replaced.

    Raises:
        ValueError: the markers are missing or out of order.
    """
    start = document.find(BEGIN)
    end = document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{DOCS_FILE}: the markers {BEGIN!r} and {END!r} are missing")
    return document[: start + len(BEGIN)] + "\n\n" + reference.rstrip() + "\n\n" + document[end:]


def repo_root() -> Path:
    """The source checkout this module runs from (where ``docs/`` lives)."""
    return Path(__file__).resolve().parents[2]


def main(root: Path | None = None) -> list[Path]:
    """Rewrite the generated reference of ``docs/report-json.md`` and ``docs/report.schema.json``.

    Returns:
        The files that changed.
    """
    root = root or repo_root()
    changed = []
    docs_path = root / DOCS_FILE
    current = docs_path.read_text(encoding="utf-8")
    updated = splice(current, field_reference())
    if updated != current:
        write_atomic(docs_path, updated.encode("utf-8"))
        changed.append(docs_path)
    schema_path = root / SCHEMA_FILE
    data = render_schema()
    if not schema_path.is_file() or schema_path.read_bytes() != data:
        write_atomic(schema_path, data)
        changed.append(schema_path)
    return changed


if __name__ == "__main__":  # pragma: no cover - a developer's command
    for path in main():
        print(f"updated {path}", file=sys.stderr)
