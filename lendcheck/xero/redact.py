"""Keeping tokens and secrets out of logs, error messages and ``--debug`` output.

Two layers: lendcheck never puts a secret into a message in the first place, and a
:class:`RedactingFilter` on every logger of lendcheck and of the libraries it drives (httpx,
httpcore, Authlib, filelock, tenacity) rewrites any record that still carries one, before any
handler (a file, the console, pytest's capture) sees it. The filter knows the exact secret values
lendcheck holds (:func:`register_secret`) and recognises the usual shapes (``Bearer ...``,
``access_token=...``, ``"refresh_token": "..."``, ``client_secret``, ``code``, ``code_verifier``).
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback

MASK = "[REDACTED]"

#: Loggers (and their children) that get the filter.
LOGGER_PREFIXES = ("lendcheck", "httpx", "httpcore", "authlib", "filelock", "tenacity")

_lock = threading.Lock()
_secrets: set[str] = set()
_filter: RedactingFilter | None = None

_PATTERNS = [
    # Authorization header values, in any rendering (dicts, bytes, raw text)
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*"), r"\1 " + MASK),
    # token fields in JSON, dict reprs and form bodies
    (
        re.compile(
            r"(?i)(['\"]?\b(?:access_token|refresh_token|id_token|client_secret|code_verifier)"
            r"\b['\"]?\s*[:=]\s*b?['\"]?)([^'\"&\s,;}]+)"
        ),
        r"\1" + MASK,
    ),
    # authorization codes and tokens in query strings and form bodies
    (re.compile(r"(?i)((?:^|[?&])(?:code|token)=)([^&\s'\"]+)"), r"\1" + MASK),
]


def register_secret(value: str | None) -> None:
    """Remember a secret value (token, client secret) so it is masked wherever it appears.

    Values shorter than 8 characters are ignored: masking them would garble ordinary text,
    and no real token is that short.
    """
    if value and len(value) >= 8:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """``text`` with every registered secret and every token-shaped value replaced by
    ``[REDACTED]``."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_body(body: bytes, *, answer: bool) -> bytes:
    """A response body with every registered secret replaced by ``[REDACTED]``, for keeping
    in a snapshot and showing in messages; an error body (``answer`` False) also loses every
    token-shaped value (:func:`redact`), since a server may echo the request's credentials.

    A successful answer only loses exact secrets (its data could hold a word such as
    ``Bearer`` legitimately); a secret inside a JSON string leaves the JSON valid.
    """
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        raw = secret.encode("utf-8")
        if raw in body:
            body = body.replace(raw, MASK.encode())
    if answer:
        return body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    cleaned = redact(text)
    return body if cleaned == text else cleaned.encode("utf-8")


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in a record's message and traceback text.

    It never drops a record: it rewrites ``msg`` (arguments merged in) and pre-formats the
    traceback into ``exc_text``, which handlers use as is.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep its raw text
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = redact(text)
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install_redaction() -> RedactingFilter:
    """Attach the filter to every existing logger under :data:`LOGGER_PREFIXES` and to the
    root logger's handlers. Idempotent; call it again after importing more libraries.

    Returns:
        The shared filter.
    """
    global _filter
    with _lock:
        if _filter is None:
            _filter = RedactingFilter()
        flt = _filter
    manager = logging.Logger.manager
    names = [n for n in list(manager.loggerDict) if n.split(".")[0] in LOGGER_PREFIXES]
    for name in {*names, *LOGGER_PREFIXES}:
        logger = logging.getLogger(name)
        if flt not in logger.filters:
            logger.addFilter(flt)
    for handler in logging.getLogger().handlers:
        if flt not in handler.filters:
            handler.addFilter(flt)
    return flt


def configure_debug_logging(debug: bool) -> None:
    """For ``--debug``: log lendcheck's and httpx's DEBUG records to stderr, redacted.

    Does nothing when ``debug`` is false (lendcheck is quiet by default).
    """
    flt = install_redaction()
    if not debug:
        return
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler.addFilter(flt)
    for name in ("lendcheck", "httpx"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
            logger.addHandler(handler)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of each record (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)
