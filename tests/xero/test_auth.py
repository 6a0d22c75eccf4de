"""Signing in, the token store, refreshing under a lock, and the choice of credentials."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from lendcheck.errors import UsageError
from lendcheck.xero.auth import (
    ClientCredentialsSource,
    StaticTokenSource,
    StoredLogin,
    StoredLoginSource,
    Token,
    TokenStore,
    login,
    logout,
    token_source,
)
from lendcheck.xero.config import Settings
from lendcheck.xero.errors import (
    AuthError,
    LoginRequiredError,
    NetworkError,
    NotLoggedInError,
    XeroError,
)

from .conftest import FakeClock, browser_for, settings_for, start_fake, store_login


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_is_0600_in_a_0700_directory(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    store_login(xero, settings)
    assert _mode(settings.token_store) == 0o600
    assert _mode(settings.token_store.parent) == 0o700
    # a refresh replaces the file atomically and keeps the modes
    source = StoredLoginSource(settings)
    source.access_token(rejected=TokenStore(settings.token_store).load().token.access_token)
    assert _mode(settings.token_store) == 0o600
    assert not [p for p in settings.token_store.parent.iterdir() if p.suffix == ".tmp"]


def test_store_tightens_loose_permissions(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    store_login(xero, settings)
    os.chmod(settings.token_store.parent, 0o755)
    os.chmod(settings.token_store, 0o644)
    StoredLoginSource(settings).access_token()
    assert _mode(settings.token_store) == 0o600
    assert _mode(settings.token_store.parent) == 0o700


def test_login_with_pkce_stores_tokens(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    visited, browser = browser_for()
    lines: list[str] = []
    stored = login(settings, port=0, open_browser=browser, echo=lines.append, timeout=10)
    assert visited and visited[0].startswith(url + "/identity/connect/authorize?")
    assert "code_challenge_method=S256" in visited[0]
    assert "offline_access" in visited[0] and "finance.bankstatementsplus.read" in visited[0]
    assert xero.violations == []
    exchange = [r for r in xero.token_requests if r.get("grant_type") == "authorization_code"]
    assert len(exchange) == 1 and exchange[0]["code_verifier"]
    saved = TokenStore(settings.token_store).load()
    assert saved is not None and saved.token.access_token == stored.token.access_token
    assert saved.token.refresh_token in xero.current_refresh_tokens()
    assert saved.client_id == "lendcheck-test-client"
    assert _mode(settings.token_store) == 0o600


def test_login_rejects_a_forged_state(fake_xero, tmp_path: Path) -> None:
    _xero, url = fake_xero
    settings = settings_for(url, tmp_path)

    def attacker(url_: str) -> None:
        redirect = httpx.URL(url_).params["redirect_uri"]

        def go() -> None:
            httpx.get(redirect, params={"code": "stolen-code-1234", "state": "forged"}, timeout=10)

        threading.Thread(target=go, daemon=True).start()

    with pytest.raises(AuthError, match="state differs"):
        login(settings, port=0, open_browser=attacker, echo=lambda _l: None, timeout=10)
    assert not settings.token_store.exists()


def test_login_needs_a_client_id(tmp_path: Path) -> None:
    settings = settings_for("http://127.0.0.1:9", tmp_path, client_id=None)
    with pytest.raises(NotLoggedInError, match="LENDCHECK_CLIENT_ID") as caught:
        login(settings, port=0, open_browser=None, echo=lambda _l: None)
    assert caught.value.exit_code == 2


def test_refresh_two_minutes_before_expiry(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    fresh = store_login(xero, settings, expires_in=200)
    assert StoredLoginSource(settings).access_token() == fresh.token.access_token
    assert xero.refreshes == 0
    store_login(xero, settings, expires_in=100)
    source = StoredLoginSource(settings)
    token = source.access_token()
    assert xero.refreshes == 1 and source.refreshes == 1
    saved = TokenStore(settings.token_store).load()
    assert saved is not None and saved.token.access_token == token
    assert saved.token.refresh_token in xero.current_refresh_tokens()
    assert saved.token.expires_at > time.time() + 1700


def test_two_threads_refresh_once_and_keep_the_rotated_token(fake_xero, tmp_path) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    store_login(xero, settings, expires_in=30)
    xero.inject("slow", "/connect/token", delay=0.3)  # the first refresh is still running...
    sources = [StoredLoginSource(settings) for _ in range(2)]  # separate instances, like runs
    tokens: list[str] = []
    barrier = threading.Barrier(2)

    def run(source: StoredLoginSource) -> None:
        barrier.wait()
        tokens.append(source.access_token())

    threads = [threading.Thread(target=run, args=(s,)) for s in sources]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(tokens) == 2 and tokens[0] == tokens[1]  # ...the second waited and reused it
    assert xero.refreshes == 1
    saved = TokenStore(settings.token_store).load()
    assert saved is not None and saved.token.refresh_token == xero.current_refresh_tokens()[0]


_REFRESH_SCRIPT = """
import sys
from pathlib import Path
from lendcheck.xero.auth import StoredLoginSource
from lendcheck.xero.config import Settings
settings = Settings(api_url=sys.argv[1], identity_url=sys.argv[1], login_url=sys.argv[1],
                    client_id="lendcheck-test-client", state_dir=Path(sys.argv[2]))
token = StoredLoginSource(settings).access_token()
print(len(token))
"""


def test_two_processes_refresh_once(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    store_login(xero, settings, expires_in=30)
    xero.inject("slow", "/connect/token", delay=0.5)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _REFRESH_SCRIPT, url, str(settings.state_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=30) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert xero.refreshes == 1
    saved = TokenStore(settings.token_store).load()
    assert saved is not None and saved.token.refresh_token == xero.current_refresh_tokens()[0]
    for out, err in outputs:  # nothing secret on either stream
        assert not any(secret in out + err for secret in xero.issued)


def test_lost_refresh_answer_is_retried_with_the_old_token(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    old = store_login(xero, settings, expires_in=30)
    xero.inject("drop", "/connect/token")  # Xero rotates, then the answer is lost
    clock = FakeClock()
    source = StoredLoginSource(settings, sleep=clock.sleep_sync)
    token = source.access_token()
    refreshes = [r for r in xero.token_requests if r.get("grant_type") == "refresh_token"]
    assert [r["refresh_token"] for r in refreshes] == [old.token.refresh_token] * 2
    assert xero.refreshes == 2  # the second used Xero's grace period
    saved = TokenStore(settings.token_store).load()
    assert saved is not None and saved.token.access_token == token
    assert saved.token.refresh_token == xero.current_refresh_tokens()[0]


def test_invalid_grant_asks_to_log_in_again(fake_xero, tmp_path: Path) -> None:
    _xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    expired = Token("at.expired-token-value", time.time() - 10, "rt.revoked-token-value")
    TokenStore(settings.token_store).save(StoredLogin("lendcheck-test-client", expired))
    with pytest.raises(LoginRequiredError, match="lendcheck auth login") as caught:
        StoredLoginSource(settings).access_token()
    assert "invalid_grant" in str(caught.value)
    assert caught.value.exit_code == 3
    assert "rt.revoked-token-value" not in str(caught.value)


def test_refresh_gives_up_after_retries(tmp_path: Path) -> None:
    xero, server = start_fake()
    with server:
        url = server.url
        settings = settings_for(url, tmp_path)
        store_login(xero, settings, expires_in=30)
    clock = FakeClock()
    with pytest.raises(NetworkError, match="after 4 attempts"):
        StoredLoginSource(settings, sleep=clock.sleep_sync).access_token()
    assert len(clock.sleeps) == 3


def test_client_credentials(tmp_path: Path) -> None:
    xero, server = start_fake(client_secret="custom-connection-secret-value")
    with server:
        settings = settings_for(
            server.url, tmp_path, client_secret="custom-connection-secret-value"
        )
        source = token_source(settings)
        assert isinstance(source, ClientCredentialsSource)
        first = source.access_token()
        assert source.access_token() == first  # cached for the run
        assert source.access_token(rejected=first) != first
        grants = [r for r in xero.token_requests if r.get("grant_type") == "client_credentials"]
        assert len(grants) == 2
        wrong = settings_for(server.url, tmp_path, client_secret="wrong-secret-value")
        with pytest.raises(AuthError, match="does not accept the app's credentials"):
            ClientCredentialsSource(wrong).access_token()


def test_credential_precedence(tmp_path: Path) -> None:
    base = settings_for("http://127.0.0.1:9", tmp_path)
    with pytest.raises(NotLoggedInError) as caught:
        token_source(base)
    assert caught.value.exit_code == 2
    assert "lendcheck auth login" in str(caught.value)
    custom = settings_for("http://127.0.0.1:9", tmp_path, client_secret="secret-value-1234")
    assert isinstance(token_source(custom), ClientCredentialsSource)
    static = settings_for(
        "http://127.0.0.1:9",
        tmp_path,
        client_secret="secret-value-1234",
        access_token="external-token-1234",
    )
    source = token_source(static)
    assert isinstance(source, StaticTokenSource)
    assert source.access_token() == "external-token-1234"
    with pytest.raises(AuthError, match="never refreshed"):
        source.access_token(rejected="external-token-1234")
    TokenStore(base.token_store).save(StoredLogin("id", Token("a" * 20, 1e12, "b" * 20)))
    assert isinstance(token_source(custom), StoredLoginSource)  # a login beats a custom one


def test_logout_revokes_and_deletes(fake_xero, tmp_path: Path) -> None:
    xero, url = fake_xero
    settings = settings_for(url, tmp_path)
    store_login(xero, settings)
    assert xero.current_refresh_tokens()
    assert logout(settings) is True
    assert not settings.token_store.exists()
    assert xero.current_refresh_tokens() == []  # revoked at Xero
    assert logout(settings) is False


def test_logout_deletes_even_when_xero_is_unreachable(tmp_path: Path) -> None:
    xero, server = start_fake()
    with server:
        settings = settings_for(server.url, tmp_path)
        store_login(xero, settings)
    with pytest.raises(XeroError, match="local tokens are deleted"):
        logout(settings)
    assert not settings.token_store.exists()


def test_settings_from_environment(tmp_path: Path) -> None:
    env = {
        "LENDCHECK_XERO_API_URL": "http://127.0.0.1:8000/",
        "LENDCHECK_XERO_IDENTITY_URL": "http://localhost:8001",
        "LENDCHECK_CLIENT_ID": "abc",
        "LENDCHECK_CLIENT_SECRET": "shh-secret-value",
        "LENDCHECK_STATE_DIR": str(tmp_path / "st"),
    }
    settings = Settings.from_env(env)
    assert settings.finance_url == "http://127.0.0.1:8000/finance.xro/1.0"
    assert settings.connections_url == "http://127.0.0.1:8000/connections"
    assert settings.token_url == "http://localhost:8001/connect/token"
    assert settings.authorize_url == "http://localhost:8001/identity/connect/authorize"
    assert settings.token_store == tmp_path / "st" / "tokens.json"
    assert "shh-secret-value" not in repr(settings)
    defaults = Settings.from_env({})
    assert defaults.finance_url == "https://api.xero.com/finance.xro/1.0"
    assert defaults.token_url == "https://identity.xero.com/connect/token"
    assert defaults.authorize_url == "https://login.xero.com/identity/connect/authorize"
    assert defaults.state_dir.name == "lendcheck"
    with pytest.raises(UsageError, match="https"):
        Settings.from_env({"LENDCHECK_XERO_API_URL": "http://api.example.com"})


def test_corrupt_store_asks_to_log_in(tmp_path: Path) -> None:
    settings = settings_for("http://127.0.0.1:9", tmp_path)
    settings.token_store.parent.mkdir(parents=True)
    settings.token_store.write_text("{not json")
    with pytest.raises(LoginRequiredError, match="corrupt"):
        StoredLoginSource(settings).access_token()


def test_token_requests_go_through_the_transport_seam(tmp_path: Path) -> None:
    import base64

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={
                "access_token": "at.via-mock-transport-1",
                "expires_in": 1800,
                "token_type": "Bearer",
            },
        )

    settings = settings_for(
        "https://identity.example", tmp_path, client_secret="mock-transport-secret"
    )
    source = ClientCredentialsSource(settings, transport=httpx.MockTransport(handler))
    assert source.access_token() == "at.via-mock-transport-1"
    request = seen[0]
    assert str(request.url) == "https://identity.example/connect/token"
    assert request.headers["user-agent"].startswith("lendcheck/")
    expected = base64.b64encode(b"lendcheck-test-client:mock-transport-secret").decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    assert b"grant_type=client_credentials" in request.content
