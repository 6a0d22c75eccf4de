"""``lendcheck auth``, ``lendcheck fetch`` and ``lendcheck report --tenant-id`` end to end against
the fake Xero, with their exit codes, and with no secret in any output (``--debug`` included)."""

from __future__ import annotations

import json
import logging
import socket
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from lendcheck.cli import main
from lendcheck.xero.auth import TokenStore

from .conftest import HARBOUR, settings_for, store_login
from .fake_xero import FakeXero

TENANT = json.loads((HARBOUR / "manifest.json").read_bytes())["tenant_id"]


@pytest.fixture(autouse=True)
def _restore_loggers() -> Iterator[None]:
    """``--debug`` configures the lendcheck and httpx loggers; undo it after each test."""
    saved = {
        n: (logging.getLogger(n).level, list(logging.getLogger(n).handlers))
        for n in ("lendcheck", "httpx")
    }
    yield
    for name, (level, handlers) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers


def _env(url: str, tmp_path: Path, **extra: str | None) -> dict[str, str | None]:
    env: dict[str, str | None] = {
        "LENDCHECK_XERO_API_URL": url,
        "LENDCHECK_XERO_IDENTITY_URL": url,
        "LENDCHECK_XERO_LOGIN_URL": None,
        "LENDCHECK_CLIENT_ID": "lendcheck-test-client",
        "LENDCHECK_CLIENT_SECRET": None,
        "LENDCHECK_ACCESS_TOKEN": None,
        "LENDCHECK_STATE_DIR": str(tmp_path / "state"),
    }
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str | None]) -> Result:
    return CliRunner().invoke(main, args, env=env)


def _everything(result: Result) -> str:
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    if result.exc_info is not None:
        text += "".join(traceback.format_exception(*result.exc_info))
    return text


def _assert_no_secret(xero: FakeXero, *texts: str, extra: tuple[str, ...] = ()) -> None:
    secrets = [*xero.issued, *extra]
    assert secrets
    for text in texts:
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"secret in output: {leaked[0][:6]}..."


def test_fetch_command_writes_a_snapshot(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    store_login(xero, settings_for(url, tmp_path))
    result = _run(
        ["fetch", "--tenant-id", TENANT, "--as-of", "2026-10-31", "-o", str(tmp_path / "snap")],
        _env(url, tmp_path),
    )
    assert result.exit_code == 0, _everything(result)
    assert result.stdout.strip() == str(tmp_path / "snap")
    assert "fetched 29 calls for Harbour Cafe Ltd as of 2026-10-31" in result.stderr
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_bytes())
    assert manifest["source"] == "xero" and len(manifest["calls"]) == 29


def test_fetch_quiet_prints_nothing(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    store_login(xero, settings_for(url, tmp_path))
    result = _run(
        [
            "fetch",
            "--tenant-id",
            TENANT,
            "--as-of",
            "2026-10-31",
            "-q",
            "-o",
            str(tmp_path / "snap"),
        ],
        _env(url, tmp_path),
    )
    assert result.exit_code == 0 and result.output == ""


def test_no_secret_in_any_output_with_debug(fake_xero, tmp_path: Path, caplog, capsys) -> None:
    xero, url = fake_xero
    secret = "custom-connection-secret-value"
    caplog.set_level(logging.DEBUG)
    store_login(xero, settings_for(url, tmp_path))
    ok = _run(
        [
            "--debug",
            "fetch",
            "--tenant-id",
            TENANT,
            "--as-of",
            "2026-10-31",
            "-o",
            str(tmp_path / "snap"),
        ],
        _env(url, tmp_path, LENDCHECK_CLIENT_SECRET=secret),
    )
    assert ok.exit_code == 0, _everything(ok)
    assert "DEBUG" in ok.stderr  # --debug did log
    # a refresh, a rejected token and a failure, all with --debug
    xero.expire_access_tokens()
    refreshed = _run(["--debug", "auth", "tenants"], _env(url, tmp_path))
    assert refreshed.exit_code == 0, _everything(refreshed)
    assert xero.refreshes == 1
    rejected = _run(
        ["--debug", "fetch", "--tenant-id", TENANT, "-o", str(tmp_path / "s2")],
        _env(url, tmp_path, LENDCHECK_ACCESS_TOKEN="at.external-token-value-1"),
    )
    assert rejected.exit_code == 3  # --debug keeps the exit code (issue 20, finding 6)
    assert "Traceback (most recent call last)" in rejected.output  # and adds the traceback
    captured = capsys.readouterr()
    _assert_no_secret(
        xero,
        _everything(ok),
        _everything(refreshed),
        _everything(rejected),
        caplog.text,
        captured.out,
        captured.err,
        extra=(secret, "at.external-token-value-1"),
    )
    assert "httpx" in caplog.text  # the libraries' debug records were captured, and clean


def test_missing_credentials_exit_2(tmp_path: Path) -> None:
    env = _env("http://127.0.0.1:9", tmp_path, LENDCHECK_CLIENT_ID=None)
    result = _run(["fetch", "--tenant-id", TENANT, "-o", str(tmp_path / "s")], env)
    assert result.exit_code == 2
    assert "no Xero credentials" in result.stderr
    assert "Traceback" not in result.output


def test_bad_options_exit_2(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    store_login(xero, settings_for(url, tmp_path))
    bad_id = _run(["fetch", "--tenant-id", "acme", "-o", str(tmp_path / "s")], _env(url, tmp_path))
    assert bad_id.exit_code == 2 and "not a Xero organisation id" in bad_id.stderr
    future = _run(
        ["fetch", "--tenant-id", TENANT, "--as-of", "2099-01-01", "-o", str(tmp_path / "s")],
        _env(url, tmp_path),
    )
    assert future.exit_code == 2 and "in the future" in future.stderr
    assert xero.finance_calls() == []


def test_day_limit_exit_3_with_when(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    store_login(xero, settings_for(url, tmp_path))
    xero.inject("429-day", "/CashValidation", retry_after=3600)
    result = _run(
        ["fetch", "--tenant-id", TENANT, "--as-of", "2026-10-31", "-o", str(tmp_path / "snap")],
        _env(url, tmp_path),
    )
    assert result.exit_code == 3
    assert "daily limit" in result.stderr and "retry after" in result.stderr
    assert "(in 1 h 0 min)" in result.stderr or "(in 60 min)" in result.stderr
    assert not (tmp_path / "snap").exists()


def test_auth_login_tenants_logout(fake_xero, tmp_path: Path, monkeypatch) -> None:
    xero, url = fake_xero
    with socket.socket() as probe:  # a free port for the redirect
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def browser(sign_in_url: str) -> bool:
        threading.Thread(
            target=lambda: httpx.get(sign_in_url, follow_redirects=True, timeout=10), daemon=True
        ).start()
        return True

    monkeypatch.setattr("webbrowser.open", browser)
    env = _env(url, tmp_path)
    result = _run(["auth", "login", "--port", str(port), "--timeout", "10"], env)
    assert result.exit_code == 0, _everything(result)
    assert f"localhost%3A{port}%2Fcallback" in result.stderr  # the URL, for no browser
    assert "Signed in" in result.stderr
    store = Path(env["LENDCHECK_STATE_DIR"] or "") / "tokens.json"
    assert TokenStore(store).load() is not None
    assert TENANT in result.stdout and "Harbour Cafe Ltd" in result.stdout

    tenants = _run(["auth", "tenants"], env)
    assert tenants.exit_code == 0
    lines = tenants.stdout.splitlines()
    assert len(lines) == 2
    assert "\x1b" not in tenants.stdout and "\u202e" not in tenants.stdout  # names are cleaned
    as_json = _run(["auth", "tenants", "--json"], env)
    assert json.loads(as_json.stdout)[0]["tenantId"] == TENANT

    out = _run(["auth", "logout"], env)
    assert out.exit_code == 0 and "Signed out" in out.stderr
    assert not store.exists() and xero.current_refresh_tokens() == []
    again = _run(["auth", "tenants"], env)
    assert again.exit_code == 2 and "lendcheck auth login" in again.stderr
    _assert_no_secret(xero, _everything(result), _everything(tenants), _everything(out))


def test_report_with_tenant_id_fetches_then_reports(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    store_login(xero, settings_for(url, tmp_path))
    out = tmp_path / "out"
    args = ["report", "--tenant-id", TENANT, "--as-of", "2026-10-31", "-o", str(out)]
    result = _run([*args, "--format", "json"], _env(url, tmp_path))
    assert result.exit_code in (0, 1), _everything(result)  # 1: the policy failed
    assert (out / "report.json").is_file()
    manifest = json.loads((out / "snapshot" / "manifest.json").read_bytes())
    assert manifest["source"] == "xero" and len(manifest["calls"]) == 29
    report = json.loads((out / "report.json").read_bytes())
    assert "Harbour Cafe Ltd" in json.dumps(report)
    # again into the same directory: the snapshot beside the report is replaced
    again = _run([*args, "--format", "json", "-q"], _env(url, tmp_path))
    assert again.exit_code == result.exit_code, _everything(again)
    assert again.output == ""


def test_report_needs_exactly_one_source(tmp_path: Path) -> None:
    neither = _run(["report", "-o", str(tmp_path / "o")], _env("http://127.0.0.1:9", tmp_path))
    assert neither.exit_code == 2
    both = _run(
        ["report", str(HARBOUR), "--tenant-id", TENANT, "-o", str(tmp_path / "o")],
        _env("http://127.0.0.1:9", tmp_path),
    )
    assert both.exit_code == 2


@pytest.mark.parametrize(
    "path", [("auth",), ("auth", "login"), ("auth", "tenants"), ("auth", "logout"), ("fetch",)]
)
def test_help_has_examples(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "lendcheck " in result.output


def test_progress_bar_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from lendcheck.cli.fetch_cmd import _progress_bar
    from lendcheck.xero import fetch_plan as fp

    with _progress_bar(True) as update:
        assert update is not None
        for done in range(1, 4):
            update(done, 3, fp.PlannedCall(fp.TRIAL_BALANCE, {"endDate": "2026-10-31"}), 200)
    with _progress_bar(False) as none:
        assert none is None
    assert "Traceback" not in capsys.readouterr().err
