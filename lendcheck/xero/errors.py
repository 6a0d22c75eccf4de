"""Errors of the live Xero path, each mapped to a design.md exit code through its base.

Exception tree::

    UsageError (2)
    └── NotLoggedInError          no credentials: neither a login, a token nor client credentials
    InputError (3)
    └── XeroError                 Xero could not give the data; names endpoint and organisation
        ├── AuthError             401/403, or the token endpoint refused
        │   └── LoginRequiredError   the refresh token is expired or revoked: log in again
        ├── RateLimitError        the minute limit stayed exhausted after every retry
        │   └── DailyLimitError   the day's 5,000 calls are used up: names when to retry
        ├── UnavailableError      5xx / organisation offline, still so after every retry
        ├── NetworkError          timeouts or dropped connections, still so after every retry
        ├── BadResponseError      the body is not JSON (or not the expected shape)
        └── RequestRefusedError   another 4xx that cannot be recorded in a snapshot

Messages never hold a token or secret.
"""

from __future__ import annotations

from datetime import datetime

from lendcheck.errors import InputError, UsageError
from lendcheck.xero.models import Problem


class NotLoggedInError(UsageError):
    """No way to authenticate was configured. Exit code 2."""


class XeroError(InputError):
    """Xero could not give the data. Exit code 3.

    Attributes:
        endpoint: the API path that failed (e.g. ``/CashValidation``), if any.
        tenant_id: the organisation asked for, if any.
        status: the HTTP status Xero answered with, if it answered.
        problem: the parsed Problem JSON body, if Xero sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        tenant_id: str | None = None,
        status: int | None = None,
        problem: Problem | None = None,
    ) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.tenant_id = tenant_id
        self.status = status
        self.problem = problem


class AuthError(XeroError):
    """Xero refused the credentials (401/403, or an error from the token endpoint)."""


class LoginRequiredError(AuthError):
    """The stored login can no longer be refreshed (``invalid_grant``): log in again."""


class RateLimitError(XeroError):
    """The per-minute limit stayed exhausted after every retry."""


class DailyLimitError(RateLimitError):
    """The organisation's daily limit is used up; lendcheck fails fast instead of waiting hours.

    Attributes:
        retry_at: the UTC time Xero said to retry after (``Retry-After``), if it said.
    """

    def __init__(self, message: str, *, retry_at: datetime | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_at = retry_at


class UnavailableError(XeroError):
    """Xero answered 5xx (e.g. ``organisation-offline``) on every attempt."""


class NetworkError(XeroError):
    """Timeouts or dropped connections on every attempt."""


class BadResponseError(XeroError):
    """Xero's body is not valid JSON (or not the shape the call needs) on every attempt."""


class RequestRefusedError(XeroError):
    """A 4xx that is not about credentials or limits and cannot be recorded in a snapshot."""
