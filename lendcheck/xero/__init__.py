"""The live path: OAuth 2.0 with Xero, the rate-limit-aware Finance API client, and the fetch
that turns one organisation's data into a ``lendcheck-snapshot/1`` directory.

    from lendcheck.xero import fetch_snapshot
    result = fetch_snapshot("snap/", tenant_id="...")   # credentials from the environment

Modules: :mod:`~lendcheck.xero.config` (environment), :mod:`~lendcheck.xero.auth` (login, token
store, refresh), :mod:`~lendcheck.xero.client` (limits, retries, errors),
:mod:`~lendcheck.xero.fetch` (the fetch plan), :mod:`~lendcheck.xero.errors`,
:mod:`~lendcheck.xero.redact` (no secret in any log). Set-up for lenders: ``docs/live.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lendcheck import lazy_getattr

if TYPE_CHECKING:
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

# Imported on first use (PEP 562), so that importing a light module of this package (e.g.
# lendcheck.xero.config for the CLI's help texts) does not import authlib and httpx.
_LAZY = {
    "ApiResponse": "lendcheck.xero.client",
    "AuthError": "lendcheck.xero.errors",
    "BadResponseError": "lendcheck.xero.errors",
    "ClientCredentialsSource": "lendcheck.xero.auth",
    "DailyLimitError": "lendcheck.xero.errors",
    "FetchResult": "lendcheck.xero.fetch",
    "FinanceClient": "lendcheck.xero.client",
    "Limits": "lendcheck.xero.client",
    "LoginRequiredError": "lendcheck.xero.errors",
    "NetworkError": "lendcheck.xero.errors",
    "NotLoggedInError": "lendcheck.xero.errors",
    "RateLimitError": "lendcheck.xero.errors",
    "RequestRefusedError": "lendcheck.xero.errors",
    "RetryPolicy": "lendcheck.xero.client",
    "SCOPES": "lendcheck.xero.config",
    "Settings": "lendcheck.xero.config",
    "StaticTokenSource": "lendcheck.xero.auth",
    "StoredLoginSource": "lendcheck.xero.auth",
    "Token": "lendcheck.xero.auth",
    "TokenSource": "lendcheck.xero.auth",
    "TokenStore": "lendcheck.xero.auth",
    "UnavailableError": "lendcheck.xero.errors",
    "XeroError": "lendcheck.xero.errors",
    "fetch_snapshot": "lendcheck.xero.fetch",
    "fetch_snapshot_async": "lendcheck.xero.fetch",
    "login": "lendcheck.xero.auth",
    "logout": "lendcheck.xero.auth",
    "token_source": "lendcheck.xero.auth",
    "xero_today": "lendcheck.xero.fetch",
}

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


__getattr__ = lazy_getattr(__name__, _LAZY)
