"""Loading a snapshot for a report: read and verified by :mod:`lendcheck.snapshot`, each
response parsed into its endpoint's model (:mod:`lendcheck.xero.responses`), and each
BankStatementsPlus file read once straight into its frames
(:class:`lendcheck.frames.StatementFrames`), its
sha256 checked alongside, so that a million statement lines never become a million objects.
"""

from __future__ import annotations

import os
from pathlib import Path

from lendcheck.frames._reader import read_bank_statements, statement_frames
from lendcheck.snapshot import CallRecord, Response, Snapshot, read_snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import BankStatements
from lendcheck.xero.responses import parse_response, statement_months


def parse(directory: Path, record: CallRecord, body: bytes) -> Response:
    """A verified response parsed: a successful Finance API BankStatementsPlus response into
    its :class:`lendcheck.frames.StatementFrames` (by the fast reader; through the models when
    it declines, so that a file it cannot prove it reads as the models do is read, or refused
    with the field named, by them), every other response by
    :func:`lendcheck.xero.responses.parse_response`.

    Raises:
        SnapshotError: the body does not parse or fit its model (names the file and field),
            or an amount is finer than its currency.
    """
    if record.api == fp.FINANCE_API and record.ok and record.endpoint == fp.BANK_STATEMENTS:
        frames = read_bank_statements(body, record.file)
        if frames is not None:
            return Response(record, data=frames)
        model = parse_response(directory, record, body).data
        assert isinstance(model, BankStatements)
        return Response(record, data=statement_frames(record.file, model))
    return parse_response(directory, record, body)


def load_snapshot(directory: str | os.PathLike[str]) -> Snapshot:
    """Read, verify and parse a snapshot directory.

    Args:
        directory: a ``lendcheck-snapshot/1`` directory.

    Returns:
        The :class:`lendcheck.snapshot.Snapshot` with every response parsed (:func:`parse`):
        ``data`` the endpoint's model, for BankStatementsPlus the file's
        :class:`lendcheck.frames.StatementFrames`.

    Raises:
        SnapshotError: the directory or its manifest is missing or malformed, the format is not
            ``lendcheck-snapshot/1``, a listed file is missing or does not match its sha256, a
            file is not JSON, or a response does not fit its endpoint's model. The message names
            the file (and the field, for a model error).
    """
    return read_snapshot(directory, parse, statement_months)
