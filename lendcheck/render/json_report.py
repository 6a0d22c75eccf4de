"""``report.json``: the deterministic dump of the Report model.

Same report → same bytes: keys sorted, two-space indent, UTF-8 without ASCII escaping, one
trailing newline. Money is already a decimal string and shares are rounded by the model's
serialisers (:mod:`lendcheck.report_types`).

Text from bank and customer data (payees, references, names, Xero's error details) is untrusted:
every string value is cleaned as in the HTML and PDF (:func:`lendcheck.text.clean_untrusted`:
no control, bidi-override or zero-width characters, white space folded) and capped at
:data:`MAX_JSON_TEXT` characters, so that systems displaying report.json inherit no hidden
characters. Identifiers, dates and lendcheck's own text pass unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from lendcheck.text import clean_untrusted

#: Longest string in report.json (characters); longer untrusted text ends with "…".
MAX_JSON_TEXT = 1000


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_untrusted(value, MAX_JSON_TEXT)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def render_json(report: BaseModel) -> bytes:
    """The report as canonical JSON bytes (UTF-8), untrusted text cleaned."""
    data = _clean(report.model_dump(mode="json"))
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()
