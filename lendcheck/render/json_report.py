"""``report.json``: the deterministic dump of the Report model.

Same report → same bytes: keys sorted, two-space indent, UTF-8 without ASCII escaping, one
trailing newline. Money is already a decimal string and shares are rounded by the model's
serialisers (:mod:`lendcheck.report_types`).
"""

from __future__ import annotations

import json

from pydantic import BaseModel


def render_json(report: BaseModel) -> bytes:
    """The report as canonical JSON bytes (UTF-8)."""
    data = report.model_dump(mode="json")
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()
