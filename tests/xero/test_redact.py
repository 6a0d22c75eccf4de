"""Redaction: secrets never reach a log handler, whatever logger or shape carries them."""

from __future__ import annotations

import logging

import pytest

from lendcheck.xero.redact import MASK, install_redaction, redact, register_secret


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Authorization: Bearer eyJhbGciOi.abc-def_ghi", "eyJhbGciOi"),
        ("[(b'authorization', b'Bearer abcd1234')]", "abcd1234"),
        ("{'access_token': 'abc123xyz', 'expires_in': 1800}", "abc123xyz"),
        ('{"refresh_token":"qwe-rty-uio"}', "qwe-rty-uio"),
        ("grant_type=refresh_token&refresh_token=RT-123&client_id=x", "RT-123"),
        ("client_secret=hunter2hunter2", "hunter2hunter2"),
        ("GET http://localhost:8765/callback?code=abc123&state=xyz", "abc123"),
        ("token=tok-456&token_type_hint=refresh_token", "tok-456"),
        ("code_verifier=verif-789", "verif-789"),
        ("Basic bGVuZGNoZWNrOnNlY3JldA==", "bGVuZGNoZWNrOnNlY3JldA"),
    ],
)
def test_token_shapes_are_masked(text: str, gone: str) -> None:
    masked = redact(text)
    assert gone not in masked
    assert MASK in masked


def test_ordinary_text_is_left_alone() -> None:
    for text in (
        "status code: 429",
        "GET /CashValidation -> 200",
        "grant_type=refresh_token",
        "retry after 2026-11-21 19:30 UTC (in 5 h 30 min)",
    ):
        assert redact(text) == text


def test_registered_secrets_are_masked_anywhere() -> None:
    register_secret("plain-looking-secret-42")
    assert redact("x plain-looking-secret-42 y") == f"x {MASK} y"
    register_secret("short")  # too short to be a token: not registered
    assert redact("a short word") == "a short word"


def test_records_are_clean_before_any_handler(caplog: pytest.LogCaptureFixture) -> None:
    secret = "at.registered-secret-for-logging-test"
    register_secret(secret)
    logging.getLogger("lendcheck.xero.brand_new_module")  # created before installing
    install_redaction()
    caplog.set_level(logging.DEBUG)
    logging.getLogger("lendcheck.xero.brand_new_module").debug("token is %s", secret)
    logging.getLogger("httpx").info("headers {'authorization': 'Bearer %s'}", secret)
    logging.getLogger("httpcore.http11").debug("sent %r", {"refresh_token": "rt.abcdef123"})
    try:
        raise RuntimeError(f"boom with {secret}")
    except RuntimeError:
        logging.getLogger("lendcheck.xero.client").exception("failed")
    text = caplog.text
    assert secret not in text and "rt.abcdef123" not in text
    assert text.count(MASK) >= 4
    assert "boom with" in text  # the traceback is kept, masked
    for record in caplog.records:
        assert secret not in record.getMessage()


def test_debug_logging_goes_to_stderr_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    from lendcheck.xero.redact import configure_debug_logging

    logger = logging.getLogger("lendcheck")
    level, handlers = logger.level, list(logger.handlers)
    try:
        configure_debug_logging(True)
        configure_debug_logging(True)  # idempotent: one handler
        register_secret("at.debug-output-secret-value")
        logging.getLogger("lendcheck.xero.fetch").debug("using at.debug-output-secret-value")
        err = capsys.readouterr().err
        assert err.count("using") == 1
        assert "at.debug-output-secret-value" not in err and MASK in err
    finally:
        logger.setLevel(level)
        logger.handlers[:] = handlers
