"""The live path: OAuth 2.0 with Xero, the rate-limit-aware Finance API client, and the fetch
that turns one organisation's data into a ``lendcheck-snapshot/1`` directory.

    from lendcheck.xero import fetch_snapshot
    result = fetch_snapshot("snap/", tenant_id="...")   # credentials from the environment

Modules: :mod:`~lendcheck.xero.config` (environment), :mod:`~lendcheck.xero.auth` (login, token
store, refresh), :mod:`~lendcheck.xero.client` (limits, retries, errors),
:mod:`~lendcheck.xero.fetch` (the fetch plan), :mod:`~lendcheck.xero.errors`,
:mod:`~lendcheck.xero.redact` (no secret in any log). Set-up for lenders: ``docs/live.md``.
"""

from lendcheck.xero.auth import (
    ClientCredentialsSource,
    StaticTokenSource,
    StoredLoginSource,
    Token,
    TokenSource,
    TokenStore,
    login,
    logout,
    token_source,
)
from lendcheck.xero.client import ApiResponse, FinanceClient, Limits, RetryPolicy
from lendcheck.xero.config import SCOPES, Settings
from lendcheck.xero.errors import (
    AuthError,
    BadResponseError,
    DailyLimitError,
    LoginRequiredError,
    NetworkError,
    NotLoggedInError,
    RateLimitError,
    RequestRefusedError,
    UnavailableError,
    XeroError,
)
from lendcheck.xero.fetch import FetchResult, fetch_snapshot, fetch_snapshot_async, xero_today

__all__ = [
    "SCOPES",
    "ApiResponse",
    "AuthError",
    "BadResponseError",
    "ClientCredentialsSource",
    "DailyLimitError",
    "FetchResult",
    "FinanceClient",
    "Limits",
    "LoginRequiredError",
    "NetworkError",
    "NotLoggedInError",
    "RateLimitError",
    "RequestRefusedError",
    "RetryPolicy",
    "Settings",
    "StaticTokenSource",
    "StoredLoginSource",
    "Token",
    "TokenSource",
    "TokenStore",
    "UnavailableError",
    "XeroError",
    "fetch_snapshot",
    "fetch_snapshot_async",
    "login",
    "logout",
    "token_source",
    "xero_today",
]
