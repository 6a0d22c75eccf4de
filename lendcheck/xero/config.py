"""Where lendcheck finds Xero and the credentials to call it: settings from the environment.

=================================  ===============================================================
environment variable               meaning
=================================  ===============================================================
``LENDCHECK_XERO_API_URL``         API base (default ``https://api.xero.com``); the Finance API is
                                   under ``/finance.xro/1.0``, Connections under ``/connections``
``LENDCHECK_XERO_IDENTITY_URL``    identity service (default ``https://identity.xero.com``):
                                   ``/connect/token``, ``/connect/revocation``
``LENDCHECK_XERO_LOGIN_URL``       where the browser signs in (default ``https://login.xero.com``,
                                   or the identity URL when only that is overridden)
``LENDCHECK_CLIENT_ID``            the Xero app's client id
``LENDCHECK_CLIENT_SECRET``        its secret (custom connections, web apps); never logged
``LENDCHECK_ACCESS_TOKEN``         an access token managed elsewhere, used as is (no refresh)
``LENDCHECK_STATE_DIR``            directory of the token store (default: the user's state
                                   directory from platformdirs, e.g. ``~/.local/state/lendcheck``)
=================================  ===============================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from lendcheck.errors import UsageError

DEFAULT_API_URL = "https://api.xero.com"
DEFAULT_IDENTITY_URL = "https://identity.xero.com"
DEFAULT_LOGIN_URL = "https://login.xero.com"
FINANCE_PATH = "/finance.xro/1.0"
ACCOUNTING_PATH = "/api.xro/2.0"

#: Scopes ``lendcheck auth login`` asks for: the three Finance API scopes and a refresh token.
SCOPES = (
    "offline_access",
    "finance.statements.read",
    "finance.cashvalidation.read",
    "finance.bankstatementsplus.read",
)
#: Optional scope for ``/Organisation`` and ``/Accounts`` (``auth login --accounting-settings``).
SETTINGS_SCOPE = "accounting.settings.read"
#: Scopes of the Accounting API calls lendcheck makes (``fetch --source accounting``), as the
#: Accounting API spec names them: /Organisation and /Accounts; /Reports/*; /Invoices and
#: /BankTransactions; /Journals.
ACCOUNTING_SCOPES = (
    SETTINGS_SCOPE,
    "accounting.reports.read",
    "accounting.transactions.read",
    "accounting.journals.read",
)
#: The sources ``fetch --source``, ``report --source`` and ``auth login --source`` take.
SOURCES = ("finance", "accounting", "both")
#: The default source: the Finance API, lendcheck's behaviour before the Accounting API.
DEFAULT_SOURCE = "finance"


def scopes_for(source: str, *, accounting_settings: bool = False) -> tuple[str, ...]:
    """The scopes ``auth login`` asks for to fetch from ``source`` (``finance``,
    ``accounting`` or ``both``), ``offline_access`` first; ``accounting_settings`` adds
    ``accounting.settings.read`` to the Finance API's (the older ``--accounting-settings``).

    Raises:
        UsageError: an unknown source.
    """
    if source not in SOURCES:
        raise UsageError(f"source {source!r} is not one of {', '.join(SOURCES)}")
    scopes = list(SCOPES) if source in ("finance", "both") else ["offline_access"]
    if source in ("accounting", "both"):
        scopes += ACCOUNTING_SCOPES
    elif accounting_settings:
        scopes.append(SETTINGS_SCOPE)
    return tuple(scopes)


#: Default loopback port of the sign-in redirect; register ``http://localhost:8765/callback``.
DEFAULT_REDIRECT_PORT = 8765

_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _base_url(name: str, value: str) -> str:
    """A base URL without a trailing slash; https, or http on the loopback interface only
    (tokens must never cross a network in clear text)."""
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{name}={value!r} is not an http(s) URL, e.g. {DEFAULT_API_URL}")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK_HOSTS:
        raise UsageError(f"{name} must use https (plain http is allowed for localhost only)")
    if parts.query or parts.fragment:
        raise UsageError(f"{name}={value!r} must not have a query or fragment")
    return url


@dataclass(frozen=True)
class Settings:
    """Base URLs and credentials of one run.

    Attributes:
        api_url: API base URL, e.g. ``https://api.xero.com``.
        identity_url: identity service base URL (token and revocation endpoints).
        login_url: base URL of the browser sign-in page.
        client_id: the Xero app's client id, if set.
        client_secret: the app's client secret, if set (hidden from ``repr``).
        access_token: an externally managed access token, if set (hidden from ``repr``).
        state_dir: directory of the token store.
    """

    api_url: str = DEFAULT_API_URL
    identity_url: str = DEFAULT_IDENTITY_URL
    login_url: str = DEFAULT_LOGIN_URL
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    state_dir: Path = field(
        default_factory=lambda: Path(platformdirs.user_state_dir("lendcheck", appauthor=False))
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``environ`` (default: the process environment).

        Raises:
            UsageError: a base URL is not https (or http on localhost), or is malformed.
        """
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        api = _base_url("LENDCHECK_XERO_API_URL", get("LENDCHECK_XERO_API_URL") or DEFAULT_API_URL)
        identity_raw = get("LENDCHECK_XERO_IDENTITY_URL")
        identity = _base_url("LENDCHECK_XERO_IDENTITY_URL", identity_raw or DEFAULT_IDENTITY_URL)
        login_raw = get("LENDCHECK_XERO_LOGIN_URL") or (identity if identity_raw else None)
        login = _base_url("LENDCHECK_XERO_LOGIN_URL", login_raw or DEFAULT_LOGIN_URL)
        state = get("LENDCHECK_STATE_DIR")
        return cls(
            api_url=api,
            identity_url=identity,
            login_url=login,
            client_id=get("LENDCHECK_CLIENT_ID"),
            client_secret=get("LENDCHECK_CLIENT_SECRET"),
            access_token=get("LENDCHECK_ACCESS_TOKEN"),
            **({"state_dir": Path(state).expanduser()} if state else {}),
        )

    @property
    def finance_url(self) -> str:
        """Base URL of the Finance API, e.g. ``https://api.xero.com/finance.xro/1.0``."""
        return self.api_url + FINANCE_PATH

    @property
    def accounting_url(self) -> str:
        """Base URL of the Accounting API, e.g. ``https://api.xero.com/api.xro/2.0``."""
        return self.api_url + ACCOUNTING_PATH

    @property
    def connections_url(self) -> str:
        """``GET`` here lists the organisations the token may read."""
        return self.api_url + "/connections"

    @property
    def token_url(self) -> str:
        """The OAuth 2.0 token endpoint."""
        return self.identity_url + "/connect/token"

    @property
    def revocation_url(self) -> str:
        """The OAuth 2.0 revocation endpoint (RFC 7009)."""
        return self.identity_url + "/connect/revocation"

    @property
    def authorize_url(self) -> str:
        """Where the browser is sent to sign in and consent."""
        return self.login_url + "/identity/connect/authorize"

    @property
    def token_store(self) -> Path:
        """The token store file (mode 0600, in a 0700 directory)."""
        return self.state_dir / "tokens.json"
