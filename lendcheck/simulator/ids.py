"""Deterministic Xero-style GUIDs drawn from a seeded random generator (never ``uuid4``)."""

from __future__ import annotations

import random

_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_SET = (0x8000 << 48) | (4 << 76)


def guid(rng: random.Random) -> str:
    """A version-4-shaped GUID in lower case, drawn from ``rng`` (reproducible from a seed).

    Same bits as ``str(uuid.UUID(int=rng.getrandbits(128), version=4))``, formatted directly
    (the large sample draws two million of them).
    """
    h = "%032x" % ((rng.getrandbits(128) & _CLEAR) | _SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


#: Xero's GUID for the Current Year Earnings line of the balance sheet.
CURRENT_YEAR_EARNINGS_ID = "00000000-0000-0000-0000-000000000000"
#: Xero's special contact for transactions without a contact (contacts reports).
NONE_PROVIDED_ID = "86793108-198C-46D8-90A3-43C1D12686CE"
#: Xero's special contact for receive/spend bank transfers (contacts reports).
BANK_TRANSFER_ID = "207322B3-6A58-4BE7-80F1-430123914AD6"
