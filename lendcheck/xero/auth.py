"""OAuth 2.0 with Xero: signing in, the token store, refreshing, and the three ways to get a token.

Which credentials a run uses (first match wins):

1. ``LENDCHECK_ACCESS_TOKEN``: a token managed by another system, used as is (never refreshed).
2. The token store written by ``lendcheck auth login`` (authorization code + PKCE).
3. ``LENDCHECK_CLIENT_ID`` + ``LENDCHECK_CLIENT_SECRET``: a custom connection
   (``client_credentials`` grant, one organisation).

The token store is one JSON file (mode 0600) in a directory of mode 0700 under the user's state
directory. Xero access tokens live 30 minutes and refresh tokens rotate on every use, so a refresh
happens 2 minutes before expiry, under a file lock, after re-reading the store inside the lock
(another process may have refreshed already: then its token is used and the rotated refresh token
is not lost), and the new tokens replace the file atomically. If the refresh response is lost
(timeout, dropped connection, 5xx) the refresh is retried with the same old refresh token, which
Xero keeps valid for a grace period of about 30 minutes. ``invalid_grant`` means the login has
lapsed (60 days unused) or was revoked: :class:`~lendcheck.xero.errors.LoginRequiredError`.

Authlib's httpx client speaks the protocol; this module adds the storage, locking and policy.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import os
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import filelock
import httpx
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.integrations.httpx_client import (  # type: ignore[import-untyped]
    OAuth2Client,
    OAuthError,
)
from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from lendcheck import __version__
from lendcheck.xero.config import DEFAULT_REDIRECT_PORT, SCOPES, Settings
from lendcheck.xero.errors import AuthError, LoginRequiredError, NetworkError, NotLoggedInError
from lendcheck.xero.redact import install_redaction, register_secret

log = logging.getLogger(__name__)

STORE_FORMAT = "lendcheck-tokens/1"
#: Refresh this many seconds before the access token expires.
REFRESH_MARGIN = 120.0
USER_AGENT = f"lendcheck/{__version__}"
_IDENTITY_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


# ---------------------------------------------------------------------------------------------
# Tokens and the token store


@dataclass(frozen=True)
class Token:
    """An access token and what came with it.

    Attributes:
        access_token: the bearer token (hidden from ``repr``).
        expires_at: when it expires, in seconds since the epoch.
        refresh_token: the refresh token, if any (hidden from ``repr``).
        scope: the granted scopes, space-separated.
    """

    access_token: str = field(repr=False)
    expires_at: float
    refresh_token: str | None = field(default=None, repr=False)
    scope: str = ""

    @classmethod
    def from_response(cls, data: Mapping[str, Any], now: float) -> Token:
        """Build from a token endpoint response (``expires_in`` seconds from ``now``).

        Raises:
            AuthError: the response has no access token.
        """
        access = data.get("access_token")
        if not isinstance(access, str) or not access:
            raise AuthError("Xero's token endpoint answered without an access token")
        refresh = data.get("refresh_token")
        try:
            expires_in = float(data.get("expires_in") or 1800)
        except (TypeError, ValueError):
            expires_in = 1800.0
        token = cls(
            access_token=access,
            expires_at=now + expires_in,
            refresh_token=refresh if isinstance(refresh, str) and refresh else None,
            scope=str(data.get("scope") or ""),
        )
        token.register()
        return token

    def register(self) -> None:
        """Tell the log redaction about this token's secrets."""
        register_secret(self.access_token)
        register_secret(self.refresh_token)

    def expires_within(self, seconds: float, now: float) -> bool:
        """True when the token expires less than ``seconds`` after ``now`` (epoch seconds)."""
        return self.expires_at - now < seconds


@dataclass(frozen=True)
class StoredLogin:
    """What ``lendcheck auth login`` keeps: the app's client id and the user's tokens."""

    client_id: str
    token: Token
    updated_at: str = ""


class TokenStore:
    """The token store file: mode 0600 in a directory of mode 0700, replaced atomically,
    guarded by a lock file beside it.

    Args:
        path: the store file, e.g. ``~/.local/state/lendcheck/tokens.json``.
        lock_timeout: seconds to wait for another process holding the lock.
    """

    def __init__(self, path: Path, *, lock_timeout: float = 60.0) -> None:
        self.path = path
        self.lock_timeout = lock_timeout

    def _ensure_directory(self) -> None:
        directory = self.path.parent
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if directory.stat().st_mode & 0o077:
            os.chmod(directory, 0o700)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store's file lock (exclusive between threads and processes).

        Raises:
            AuthError: another process held the lock for ``lock_timeout`` seconds.
        """
        self._ensure_directory()
        lock = filelock.FileLock(
            str(self.path.with_suffix(".lock")), timeout=self.lock_timeout, mode=0o600
        )
        try:
            with lock:
                yield
        except filelock.Timeout:
            raise AuthError(
                f"another lendcheck process has held the token store lock for "
                f"{self.lock_timeout:.0f} s ({self.path.with_suffix('.lock')}); "
                "wait for it to finish, or delete the lock file if no lendcheck is running"
            ) from None

    def load(self) -> StoredLogin | None:
        """The stored login, or None when there is none.

        Raises:
            LoginRequiredError: the file exists but is unreadable or malformed.
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LoginRequiredError(
                f"cannot read the token store {self.path} ({exc.strerror}); "
                "run `lendcheck auth login` again"
            ) from None
        if self.path.stat().st_mode & 0o077:
            os.chmod(self.path, 0o600)
        try:
            data = json.loads(raw)
            if data.get("format") != STORE_FORMAT:
                raise ValueError("unknown format")
            token = Token(
                access_token=str(data["access_token"]),
                expires_at=float(data["expires_at"]),
                refresh_token=data.get("refresh_token") or None,
                scope=str(data.get("scope") or ""),
            )
            login = StoredLogin(str(data["client_id"]), token, str(data.get("updated_at") or ""))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise LoginRequiredError(
                f"the token store {self.path} is corrupt; run `lendcheck auth login` again"
            ) from None
        token.register()
        return login

    def save(self, login: StoredLogin) -> None:
        """Replace the store atomically (temporary file of mode 0600, fsync, rename)."""
        self._ensure_directory()
        data = {
            "format": STORE_FORMAT,
            "client_id": login.client_id,
            "access_token": login.token.access_token,
            "refresh_token": login.token.refresh_token,
            "expires_at": login.token.expires_at,
            "scope": login.token.scope,
            "updated_at": login.updated_at or _utc_stamp(),
        }
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):  # make the rename durable where the OS allows it
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def delete(self) -> bool:
        """Remove the store. Returns True when there was one."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True


def _utc_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Token sources


class TokenSource(Protocol):
    """Where a run's access tokens come from."""

    #: Words for messages, e.g. "LENDCHECK_ACCESS_TOKEN" or "the login in ~/.local/state/...".
    description: str
    #: True when a rejected token can be replaced by a fresh one.
    refreshable: bool

    def access_token(self, *, rejected: str | None = None) -> str:
        """A valid access token; ``rejected`` is one Xero just refused (get another).

        Raises:
            AuthError: no valid token can be had (LoginRequiredError: log in again).
        """
        ...


def _oauth_client(
    settings: Settings,
    client_id: str,
    *,
    transport: httpx.BaseTransport | None,
    **kwargs: Any,
) -> OAuth2Client:
    install_redaction()
    register_secret(settings.client_secret)
    return OAuth2Client(
        client_id=client_id,
        client_secret=settings.client_secret,
        timeout=_IDENTITY_TIMEOUT,
        headers={"User-Agent": USER_AGENT},
        transport=transport,
        **kwargs,
    )


def _oauth_failure(exc: OAuthError, what: str) -> AuthError:
    error = getattr(exc, "error", None) or "error"
    description = getattr(exc, "description", None) or ""
    detail = f"{error}" + (f" ({description})" if description else "")
    if error == "invalid_grant":
        return LoginRequiredError(
            f"{what}: Xero answered invalid_grant: the login has expired (refresh tokens lapse "
            "after 60 days unused) or was revoked. Run `lendcheck auth login` again"
        )
    if error in ("invalid_client", "unauthorized_client"):
        return AuthError(
            f"{what}: Xero does not accept the app's credentials ({detail}); check "
            "LENDCHECK_CLIENT_ID and LENDCHECK_CLIENT_SECRET against the app at "
            "https://developer.xero.com/app/manage"
        )
    return AuthError(f"{what}: Xero's identity service answered {detail}")


class _TransientTokenError(Exception):
    """A token request whose answer was lost: timeout, dropped connection, 5xx, garbled body."""


def _call_identity(
    request: Callable[[], Any], what: str, *, attempts: int, sleep: Callable[[float], None]
) -> Mapping[str, Any]:
    """Run one token-endpoint request, retrying it unchanged when the answer is lost.

    Retrying unchanged matters for refreshes: the same old refresh token is sent again, which
    Xero honours during its grace period even when the lost answer had rotated it.
    """

    def once() -> Mapping[str, Any]:
        try:
            result = request()
        except (httpx.RequestError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            log.debug("%s: no usable answer (%s); retrying", what, type(exc).__name__)
            raise _TransientTokenError(type(exc).__name__) from exc
        except httpx.HTTPStatusError as exc:
            log.debug("%s: Xero answered %s; retrying", what, exc.response.status_code)
            raise _TransientTokenError(f"HTTP {exc.response.status_code}") from exc
        except OAuthError as exc:
            raise _oauth_failure(exc, what) from None
        return dict(result)

    retrying = Retrying(
        stop=stop_after_attempt(attempts),
        wait=wait_random_exponential(multiplier=0.5, max=8),
        retry=retry_if_exception_type(_TransientTokenError),
        sleep=sleep,
        reraise=True,
    )
    try:
        return retrying(once)
    except _TransientTokenError as exc:
        raise NetworkError(
            f"{what}: Xero's identity service gave no usable answer after {attempts} attempts "
            f"(last: {exc}); check the network and try again"
        ) from None


class StaticTokenSource:
    """``LENDCHECK_ACCESS_TOKEN``: used as is; a rejected token is an error, never refreshed."""

    description = "LENDCHECK_ACCESS_TOKEN"
    refreshable = False

    def __init__(self, token: str) -> None:
        register_secret(token)
        self._token = token

    def access_token(self, *, rejected: str | None = None) -> str:
        """The configured token.

        Raises:
            AuthError: ``rejected`` is the configured token (Xero refused it).
        """
        if rejected is not None:
            raise AuthError(
                "Xero rejected the token in LENDCHECK_ACCESS_TOKEN (expired or revoked); it is "
                "used as is and never refreshed: supply a fresh one"
            )
        return self._token


class ClientCredentialsSource:
    """A custom connection: ``client_credentials`` grant with the app's id and secret.

    Tokens are kept in memory for the run and fetched again 2 minutes before expiry.
    """

    description = "the custom connection in LENDCHECK_CLIENT_ID / LENDCHECK_CLIENT_SECRET"
    refreshable = True

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = 4,
    ) -> None:
        if not settings.client_id or not settings.client_secret:
            raise NotLoggedInError(
                "a custom connection needs LENDCHECK_CLIENT_ID and LENDCHECK_CLIENT_SECRET"
            )
        self._settings = settings
        self._transport = transport
        self._clock = clock
        self._sleep = sleep
        self._attempts = attempts
        self._lock = threading.Lock()
        self._token: Token | None = None

    def access_token(self, *, rejected: str | None = None) -> str:
        """A token from the cache, or a new one from the token endpoint.

        Raises:
            AuthError: Xero refused the client credentials.
            NetworkError: the identity service could not be reached.
        """
        with self._lock:
            token = self._token
            stale = token is None or token.expires_within(REFRESH_MARGIN, self._clock())
            if token is not None and not stale and token.access_token != rejected:
                return token.access_token
            settings = self._settings
            assert settings.client_id is not None
            with _oauth_client(settings, settings.client_id, transport=self._transport) as client:
                data = _call_identity(
                    lambda: client.fetch_token(settings.token_url, grant_type="client_credentials"),
                    "getting a token for the custom connection",
                    attempts=self._attempts,
                    sleep=self._sleep,
                )
            self._token = Token.from_response(data, self._clock())
            return self._token.access_token


class StoredLoginSource:
    """The login kept in the token store by ``lendcheck auth login``; refreshes it when due.

    Safe across threads and processes: refreshes run under the store's file lock and re-read
    the store first.
    """

    refreshable = True

    def __init__(
        self,
        settings: Settings,
        store: TokenStore | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = 4,
    ) -> None:
        self._settings = settings
        self.store = store or TokenStore(settings.token_store)
        self.description = f"the login in {self.store.path}"
        self._transport = transport
        self._clock = clock
        self._sleep = sleep
        self._attempts = attempts
        self._lock = threading.Lock()
        self._login: StoredLogin | None = None
        #: How many refreshes this source made (for tests and --debug).
        self.refreshes = 0

    def access_token(self, *, rejected: str | None = None) -> str:
        """A valid access token, refreshed under the file lock when due or rejected.

        Raises:
            LoginRequiredError: no login is stored, or Xero answered ``invalid_grant``.
            AuthError: Xero refused the refresh otherwise.
            NetworkError: the identity service gave no usable answer after every retry.
        """
        with self._lock:
            login = self._login
            if login is not None and self._usable(login.token, rejected):
                return login.token.access_token
            with self.store.lock():
                login = self.store.load()  # another process may have refreshed already
                if login is None:
                    raise LoginRequiredError(
                        f"no Xero login in {self.store.path}: run `lendcheck auth login`"
                    )
                if not self._usable(login.token, rejected):
                    login = self._refresh(login)
                    self.store.save(login)
                self._login = login
            return login.token.access_token

    def _usable(self, token: Token, rejected: str | None) -> bool:
        return token.access_token != rejected and not token.expires_within(
            REFRESH_MARGIN, self._clock()
        )

    def _refresh(self, login: StoredLogin) -> StoredLogin:
        old = login.token.refresh_token
        if not old:
            raise LoginRequiredError(
                "the stored login has no refresh token (was offline_access granted?): "
                "run `lendcheck auth login` again"
            )
        settings = self._settings
        with _oauth_client(settings, login.client_id, transport=self._transport) as client:
            data = _call_identity(
                lambda: client.refresh_token(settings.token_url, refresh_token=old),
                "refreshing the Xero login",
                attempts=self._attempts,
                sleep=self._sleep,
            )
        self.refreshes += 1
        token = Token.from_response(data, self._clock())
        if token.refresh_token is None:  # Xero always rotates; keep the old one if it did not
            token = Token(token.access_token, token.expires_at, old, token.scope)
        log.debug(
            "refreshed the Xero login; access token valid for %.0f s",
            token.expires_at - self._clock(),
        )
        return StoredLogin(login.client_id, token, _utc_stamp())


def token_source(
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> TokenSource:
    """The run's token source, by precedence: ``LENDCHECK_ACCESS_TOKEN``, the stored login,
    then a custom connection (``LENDCHECK_CLIENT_ID`` + ``LENDCHECK_CLIENT_SECRET``).

    Raises:
        NotLoggedInError: none of the three is available.
    """
    install_redaction()
    if settings.access_token:
        return StaticTokenSource(settings.access_token)
    store = TokenStore(settings.token_store)
    if store.path.exists():
        return StoredLoginSource(settings, store, transport=transport, clock=clock, sleep=sleep)
    if settings.client_id and settings.client_secret:
        return ClientCredentialsSource(settings, transport=transport, clock=clock, sleep=sleep)
    raise NotLoggedInError(
        "no Xero credentials: run `lendcheck auth login` (with LENDCHECK_CLIENT_ID set), or set "
        "LENDCHECK_CLIENT_ID and LENDCHECK_CLIENT_SECRET for a custom connection, or "
        "LENDCHECK_ACCESS_TOKEN; see docs/live.md"
    )


# ---------------------------------------------------------------------------------------------
# Signing in (authorization code + PKCE, loopback redirect) and out


@dataclass
class _Callback:
    query: dict[str, str] | None = None


def _callback_server(port: int, expected_path: str, result: _Callback) -> HTTPServer:
    class Handler(BaseHTTPRequestHandler):
        timeout = 5.0  # browsers open speculative connections that never send a request

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != expected_path:
                self.send_error(404)
                return
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            result.query = query
            ok = "code" in query and "error" not in query
            body = (
                "<!doctype html><title>lendcheck</title><p>"
                + (
                    "Signed in to Xero. You can close this window and return to the terminal."
                    if ok
                    else "Xero sign-in did not complete. See the terminal for details."
                )
                + "</p>"
            ).encode()
            self.send_response(200 if ok else 400)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the request line holds the authorization code: never log it

    try:
        return HTTPServer(("127.0.0.1", port), Handler)
    except OSError as exc:
        raise AuthError(
            f"cannot listen on 127.0.0.1:{port} for Xero's redirect ({exc.strerror}); "
            "free the port or choose another with --port (and register "
            "http://localhost:PORT/callback as a redirect URI of the app)"
        ) from None


def login(
    settings: Settings,
    *,
    port: int = DEFAULT_REDIRECT_PORT,
    scopes: tuple[str, ...] = SCOPES,
    open_browser: Callable[[str], object] | None = webbrowser.open,
    echo: Callable[[str], None] = print,
    timeout: float = 300.0,
    transport: httpx.BaseTransport | None = None,
    clock: Callable[[], float] = time.time,
) -> StoredLogin:
    """Sign in with the authorization code grant and PKCE, and store the tokens.

    Listens on ``127.0.0.1:port`` for the redirect to ``http://localhost:PORT/callback``,
    opens the browser (or only prints the URL when ``open_browser`` is None), checks the
    ``state``, exchanges the code with its PKCE verifier and saves the tokens to the store.

    Args:
        settings: URLs, the client id (required) and the optional client secret.
        port: loopback port of the redirect (0 picks a free one, for tests).
        scopes: scopes to ask for.
        open_browser: called with the sign-in URL; None to only print it.
        echo: prints a line for the user (never given a secret).
        timeout: seconds to wait for the browser to come back.
        transport: httpx transport for the token request (tests).
        clock: epoch seconds.

    Returns:
        The stored login.

    Raises:
        NotLoggedInError: ``LENDCHECK_CLIENT_ID`` is not set.
        AuthError: the port is busy, Xero reported an error, the state did not match, the
            code exchange failed, or the browser did not come back within ``timeout`` seconds.
    """
    if not settings.client_id:
        raise NotLoggedInError(
            "set LENDCHECK_CLIENT_ID to the client id of your Xero app (see docs/live.md)"
        )
    result = _Callback()
    server = _callback_server(port, "/callback", result)
    redirect_uri = f"http://localhost:{server.server_address[1]}/callback"
    verifier = generate_token(64)
    register_secret(verifier)
    store = TokenStore(settings.token_store)
    with (
        server,
        _oauth_client(
            settings,
            settings.client_id,
            transport=transport,
            scope=" ".join(scopes),
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
        ) as client,
    ):
        url, state = client.create_authorization_url(settings.authorize_url, code_verifier=verifier)
        echo(f"Sign in to Xero in your browser. If it does not open, visit:\n\n  {url}\n")
        if open_browser is not None:
            with contextlib.suppress(Exception):
                open_browser(url)
        deadline = time.monotonic() + timeout
        server.timeout = 0.5
        while result.query is None:
            if time.monotonic() > deadline:
                raise AuthError(
                    f"no answer from the browser within {timeout:.0f} s; run "
                    "`lendcheck auth login` again"
                )
            server.handle_request()
        query = result.query
        if "error" in query:
            raise AuthError(
                f"Xero sign-in failed: {query['error']}"
                + (f" ({query['error_description']})" if query.get("error_description") else "")
            )
        if not hmac.compare_digest(query.get("state", ""), str(state)):
            raise AuthError(
                "the sign-in answer does not match the request (state differs); "
                "run `lendcheck auth login` again"
            )
        code = query.get("code", "")
        register_secret(code)
        data = _call_identity(
            lambda: client.fetch_token(
                settings.token_url,
                grant_type="authorization_code",
                code=code,
                code_verifier=verifier,
            ),
            "exchanging the sign-in code",
            attempts=1,  # a code is single-use: a retry could not succeed
            sleep=time.sleep,
        )
    token = Token.from_response(data, clock())
    if token.refresh_token is None:
        log.debug("no refresh token granted (offline_access missing?)")
    saved = StoredLogin(settings.client_id, token, _utc_stamp())
    with store.lock():
        store.save(saved)
    return saved


def logout(settings: Settings, *, transport: httpx.BaseTransport | None = None) -> bool:
    """Revoke the stored refresh token at Xero and delete the token store.

    The store is deleted even when revocation fails (the error says so).

    Returns:
        True when a login was stored, False when there was none.

    Raises:
        AuthError, NetworkError: Xero did not confirm the revocation (the local tokens are
            deleted all the same).
    """
    store = TokenStore(settings.token_store)
    with store.lock():
        try:
            stored = store.load()
        except LoginRequiredError:
            stored = None
        if stored is None:
            return store.delete()
        failure: Exception | None = None
        token = stored.token.refresh_token or stored.token.access_token
        hint = "refresh_token" if stored.token.refresh_token else "access_token"
        try:
            with _oauth_client(settings, stored.client_id, transport=transport) as client:
                response = client.revoke_token(
                    settings.revocation_url, token=token, token_type_hint=hint
                )
            if response.status_code != 200:
                failure = AuthError(f"Xero answered {response.status_code} to the revocation")
        except httpx.RequestError as exc:
            failure = NetworkError(
                f"Xero's identity service could not be reached ({type(exc).__name__})"
            )
        store.delete()
    if failure is not None:
        raise type(failure)(
            f"{failure}; the local tokens are deleted, but the app may still be connected: "
            "remove it in Xero (Settings, Connected apps)"
        )
    return True
