"""Making untrusted text safe to show.

Payees, references, contact and account names come from bank and customer data: strangers
wrote them. Before they reach any output they lose control characters and bidirectional
overrides (which can make ``evil.exe`` read as ``exe.live``) and are capped in length. HTML
escaping is separate: Jinja2's autoescape does it in the templates.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest untrusted string shown in reports (characters); longer ones end with an ellipsis.
MAX_UNTRUSTED_LENGTH = 200

# Bidi embeddings/overrides/isolates and the marks, zero-width and BOM characters.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_untrusted(value: str | None, max_length: int = MAX_UNTRUSTED_LENGTH) -> str:
    """Return ``value`` without control, bidi-override and zero-width characters, with runs of
    white space folded to one space, capped at ``max_length`` characters ("…" marks a cut).

    Args:
        value: text from bank or customer data; None gives "".
        max_length: the cap, in characters (at least 1).
    """
    if not value:
        return ""
    if (
        len(value) <= max_length
        and value.isascii()
        and value.isprintable()
        and "  " not in value
        and value[0] != " "
        and value[-1] != " "
    ):
        return value  # the common case: nothing to remove, fold or cut
    text = _INVISIBLE.sub("", value)
    # White-space controls (tab, newline...) become spaces; other controls and format,
    # private-use, surrogate and unassigned code points go.
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs", "Cn")
    )
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text
