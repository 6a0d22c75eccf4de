"""The Finance API client: one ``httpx.AsyncClient`` per run, within Xero's limits.

Per organisation Xero allows 5 calls in flight, 60 a minute and 5,000 a day. The client:

* never has more than ``Limits.concurrency`` (5) calls of one organisation in flight;
* starts at most ``Limits.per_minute`` (60) calls in any ``Limits.window`` (60 s) and shrinks that
  budget to what ``X-MinLimit-Remaining`` says is left (another app or process may be using the
  same organisation's allowance), so it slows down before Xero says 429;
* on 429 with ``X-Rate-Limit-Problem: minute`` (or any other non-day problem) pauses every call
  of the organisation for ``Retry-After`` seconds plus jitter, then retries;
* on 429 ``day`` fails at once with :class:`~lendcheck.xero.errors.DailyLimitError`, naming when
  to retry (waiting hours is no job for a CLI);
* retries 5xx, timeouts, dropped connections and garbled bodies with capped exponential backoff
  and full jitter (tenacity), then raises a typed error naming the endpoint and organisation;
* on 401 gets a fresh token once (when the token source can) and retries;
* returns other 4xx answers with a JSON body (e.g. 400 for Cashflow of a US organisation) so the
  fetch can record them, and turns the rest into typed errors.

Clock and sleep are injectable, so tests exercise every wait without sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import random
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from lendcheck import __version__, limits
from lendcheck.money import loads_exact
from lendcheck.xero.auth import TokenSource
from lendcheck.xero.config import Settings
from lendcheck.xero.errors import (
    AuthError,
    BadResponseError,
    DailyLimitError,
    NetworkError,
    RateLimitError,
    RequestRefusedError,
    UnavailableError,
    XeroError,
)
from lendcheck.xero.models import Problem
from lendcheck.xero.redact import install_redaction, redact_body

log = logging.getLogger(__name__)

USER_AGENT = f"lendcheck/{__version__}"
#: Problem types that mean no call of this run can succeed: raise instead of recording.
FATAL_PROBLEM_TYPES = {"organisation-not-found", "invalid-application", "unauthorized"}


@dataclass(frozen=True)
class Limits:
    """Xero's per-organisation limits (defaults: Xero's published ones).

    Attributes:
        concurrency: calls in flight at once.
        per_minute: calls started in any ``window``.
        window: length of the rate window, in seconds.
    """

    concurrency: int = 5
    per_minute: int = 60
    window: float = 60.0
    #: Most seconds one call may take, body included (:data:`lendcheck.limits.CALL_SECONDS`).
    call_seconds: float = limits.CALL_SECONDS
    #: Largest body after decompression (:data:`lendcheck.limits.MAX_BODY_BYTES`).
    max_body_bytes: int = limits.MAX_BODY_BYTES


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try.

    Attributes:
        attempts: attempts per call, first one included.
        backoff_base: first backoff ceiling, in seconds; doubles each attempt.
        backoff_max: backoff ceiling cap, in seconds.
        jitter: up to this many seconds are added to ``Retry-After``.
        max_retry_after: a minute-limit ``Retry-After`` longer than this (seconds) is not
            waited for: the call fails with :class:`RateLimitError`.
    """

    attempts: int = 6
    backoff_base: float = 1.0
    backoff_max: float = 30.0
    jitter: float = 2.0
    max_retry_after: float = 300.0


#: Connect 10 s; read 120 s (a year of statement lines with their links is slow to build).
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=120.0, write=30.0, pool=None)


@dataclass(frozen=True)
class ApiResponse:
    """An answer worth keeping: 2xx, or a 4xx with a JSON body (a Problem, usually).

    Attributes:
        endpoint: the API path called, e.g. ``/CashValidation``.
        params: the query parameters sent.
        status: the HTTP status.
        body: the body exactly as received (decoded from any transfer encoding).
        problem: the parsed Problem for a 4xx, if the body is one.
    """

    endpoint: str
    params: Mapping[str, str]
    status: int
    body: bytes = field(repr=False)
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        """True for 2xx."""
        return 200 <= self.status < 300


class _Retry(Exception):
    """An attempt that may succeed when repeated; ``error`` is raised if none does."""

    def __init__(self, error: XeroError, wait: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


class TenantLimiter:
    """Concurrency and rate budget of one organisation.

    Calls enter through :meth:`slot`, which waits for one of ``concurrency`` places, then for
    the rate window and any pause. The window holds the start times of this client's calls and,
    after each response, placeholders for calls Xero counted that this client did not make
    (``per_minute - X-MinLimit-Remaining - own calls``), so a shared allowance slows us down.
    """

    def __init__(
        self,
        limits: Limits,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._sleep = sleep
        self._semaphore = asyncio.Semaphore(limits.concurrency)
        self._turn = asyncio.Lock()
        self._starts: deque[float] = deque()
        self._others: deque[float] = deque()
        self._pause_until = -math.inf
        self.in_flight = 0
        self.max_in_flight = 0
        #: Seconds spent waiting for the rate window or a 429 pause (clock units).
        self.waited = 0.0

    def _expire(self, now: float) -> None:
        horizon = now - self.limits.window
        for queue in (self._starts, self._others):
            while queue and queue[0] <= horizon:
                queue.popleft()

    def _delay(self, now: float) -> float:
        self._expire(now)
        if self._pause_until > now:
            return self._pause_until - now
        if len(self._starts) + len(self._others) >= self.limits.per_minute:
            oldest = min(q[0] for q in (self._starts, self._others) if q)
            return max(oldest + self.limits.window - now, 0.001)
        return 0.0

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[float]:
        """Hold one in-flight place for the duration of a call; yields the call's start time."""
        async with self._semaphore:
            async with self._turn:  # one waiter at a time, so calls start in order
                while (delay := self._delay(self._clock())) > 0:
                    self.waited += delay
                    log.debug("rate budget: waiting %.1f s", delay)
                    await self._sleep(delay)
                started = self._clock()
                self._starts.append(started)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                yield started
            finally:
                self.in_flight -= 1

    def observe(self, remaining: int | None, sent_at: float) -> None:
        """Take in Xero's ``X-MinLimit-Remaining`` of a call started at ``sent_at``: calls that
        others made count against us, as if made when ours was sent.

        The estimate of others' calls only grows (their calls leave the window with time, not
        with our observations): a response may be counted before calls of ours still on their
        way, so a smaller estimate later is no evidence that others stopped. An answer older
        than the window says nothing about the window now.
        """
        if remaining is None:
            return
        now = self._clock()
        self._expire(now)
        if sent_at <= now - self.limits.window:
            return
        others = self.limits.per_minute - max(remaining, 0) - len(self._starts)
        if others > len(self._others):
            self._others.extend([sent_at] * (others - len(self._others)))
            self._others = deque(sorted(self._others))

    def pause(self, seconds: float) -> None:
        """Start no call of this organisation for ``seconds``."""
        self._pause_until = max(self._pause_until, self._clock() + seconds)


def _header_int(response: httpx.Response, name: str) -> int | None:
    try:
        return int(response.headers[name])
    except (KeyError, ValueError):
        return None


def _retry_after(response: httpx.Response, now: datetime) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date), None when absent."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _check_json(body: bytes) -> None:
    """Raise ValueError unless ``body`` is JSON (NaN and Infinity are not). Syntax only: the
    snapshot reader parses money exactly later, so floats are fine (and faster) here."""
    json.loads(body, parse_constant=_reject_constant)


def _problem(body: bytes) -> Problem | None:
    try:
        payload = loads_exact(body)
        return Problem.model_validate(payload) if isinstance(payload, dict) else None
    except (ValueError, UnicodeDecodeError, ValidationError):
        return None


def _describe(problem: Problem | None) -> str:
    if problem is None:
        return ""
    parts = [p for p in (problem.type, problem.title, problem.detail) if p and p != "NotSet"]
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    return ": " + "; ".join(seen) if seen else ""


def _in(hours_seconds: float) -> str:
    minutes = max(1, math.ceil(hours_seconds / 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


class FinanceClient:
    """Calls the Finance API (and ``/connections``) for one run. Use as an async context manager.

    Args:
        settings: base URLs.
        tokens: where access tokens come from.
        transport: an ``httpx.AsyncBaseTransport`` (tests); default: httpx's own.
        timeout: HTTP timeouts.
        limits: per-organisation limits.
        retry: retry policy.
        clock: monotonic seconds (injectable with ``sleep`` so tests do not wait).
        sleep: ``await sleep(seconds)``.
        now: the current UTC time (for day-limit messages and HTTP-date ``Retry-After``).
        rng: randomness of the jitter.
    """

    def __init__(
        self,
        settings: Settings,
        tokens: TokenSource,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        limits: Limits = Limits(),
        retry: RetryPolicy = RetryPolicy(),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
    ) -> None:
        install_redaction()
        self.settings = settings
        self.tokens = tokens
        self.limits = limits
        self.retry = retry
        self._transport = transport
        self._timeout = timeout
        self._clock = clock
        self._sleep = sleep
        self._now = now
        self._rng = rng or random.Random()
        self._http: httpx.AsyncClient | None = None
        self._limiters: dict[str, TenantLimiter] = {}
        #: Calls sent (attempts included) and the last ``X-DayLimit-Remaining`` seen.
        self.requests_sent = 0
        self.day_limit_remaining: int | None = None

    async def __aenter__(self) -> FinanceClient:
        self._http = httpx.AsyncClient(
            transport=self._transport,
            timeout=self._timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            limits=httpx.Limits(
                max_connections=self.limits.concurrency * 2,
                max_keepalive_connections=self.limits.concurrency,
            ),
            follow_redirects=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client."""
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def limiter(self, tenant_id: str) -> TenantLimiter:
        """The limiter of one organisation (created on first use)."""
        if tenant_id not in self._limiters:
            self._limiters[tenant_id] = TenantLimiter(self.limits, self._clock, self._sleep)
        return self._limiters[tenant_id]

    @property
    def max_in_flight(self) -> int:
        """Most calls of one organisation ever in flight at once."""
        return max((lim.max_in_flight for lim in self._limiters.values()), default=0)

    async def get(
        self,
        endpoint: str,
        params: Mapping[str, str],
        *,
        tenant_id: str,
        api: str = "finance",
        headers: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        """``GET`` a Finance API (or Accounting API) path for one organisation, within the
        organisation's limits (both APIs share them).

        Args:
            endpoint: the path under ``/finance.xro/1.0``, e.g. ``/CashValidation``; under
                ``/api.xro/2.0`` when ``api`` is ``accounting``, e.g. ``/Invoices``.
            params: query parameters, sent as given.
            tenant_id: the organisation (``xero-tenant-id`` header).
            api: ``finance`` or ``accounting``.
            headers: extra request headers (the Accounting API's ``If-Modified-Since``).

        Returns:
            The 2xx answer, or a 4xx answer with a JSON body for the snapshot to record.

        Raises:
            AuthError: 401/403 (after one token refresh, where possible).
            DailyLimitError: the day's allowance is used up.
            RateLimitError: the minute limit persisted through every retry.
            UnavailableError: 5xx on every attempt.
            NetworkError: timeouts or dropped connections on every attempt.
            BadResponseError: a 2xx body that is not JSON on every attempt.
            RequestRefusedError: a 4xx without a JSON body, or a Problem that rules out every
                call (``organisation-not-found``, ``invalid-application``).
        """
        base = self.settings.accounting_url if api == "accounting" else self.settings.finance_url
        return await self._call(
            base + endpoint, endpoint, dict(params), tenant_id, dict(headers or {}), api
        )

    async def connections(self) -> list[dict[str, Any]]:
        """``GET /connections``: the organisations this token may read.

        Returns:
            The connection objects (``tenantId``, ``tenantName``, ``tenantType``, ...).

        Raises:
            XeroError: as :meth:`get`; BadResponseError when the answer is not a list.
        """
        response = await self._call(
            self.settings.connections_url, "/connections", {}, None, {}, "finance"
        )
        if not response.ok:
            raise RequestRefusedError(
                f"Xero refused /connections ({response.status}{_describe(response.problem)})",
                endpoint="/connections",
                status=response.status,
                problem=response.problem,
            )
        payload = loads_exact(response.body)
        if not isinstance(payload, list):
            raise BadResponseError(
                "Xero's /connections answer is not a list", endpoint="/connections"
            )
        return [c for c in payload if isinstance(c, dict)]

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, _Retry) and exc.wait is not None:
            return exc.wait
        growth = self.retry.backoff_base * 2 ** (state.attempt_number - 1)
        ceiling = min(self.retry.backoff_max, growth)
        return self._rng.uniform(0, ceiling)  # full jitter

    async def _call(
        self,
        url: str,
        endpoint: str,
        params: dict[str, str],
        tenant_id: str | None,
        extra_headers: dict[str, str],
        api: str,
    ) -> ApiResponse:
        refreshed = False

        async def attempt() -> ApiResponse:
            nonlocal refreshed
            token = await asyncio.to_thread(self.tokens.access_token)
            try:
                return await self._attempt(
                    url, endpoint, params, tenant_id, token, extra_headers, api
                )
            except _Unauthorized as exc:
                if refreshed or not self.tokens.refreshable:
                    raise exc.error from None
                refreshed = True
                await asyncio.to_thread(self.tokens.access_token, rejected=token)
                raise _Retry(exc.error, wait=0.0) from None

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.retry.attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Retry),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return await retrying(attempt)
        except _Retry as exc:
            error = exc.error
            error.args = (f"{error.args[0]} (gave up after {self.retry.attempts} attempts)",)
            raise error from None

    async def _attempt(
        self,
        url: str,
        endpoint: str,
        params: dict[str, str],
        tenant_id: str | None,
        token: str,
        extra_headers: dict[str, str],
        api: str,
    ) -> ApiResponse:
        assert self._http is not None, "use FinanceClient as an async context manager"
        where = f"{endpoint} for organisation {tenant_id}" if tenant_id else endpoint
        ids: dict[str, Any] = {"endpoint": endpoint, "tenant_id": tenant_id}
        headers = {**extra_headers, "Authorization": f"Bearer {token}"}
        if tenant_id:
            headers["xero-tenant-id"] = tenant_id
        limiter = self.limiter(tenant_id) if tenant_id else None
        slot = limiter.slot() if limiter else contextlib.nullcontext(self._clock())
        async with slot as sent_at:
            self.requests_sent += 1
            try:
                async with asyncio.timeout(self.limits.call_seconds):
                    response, raw = await self._receive(url, params, headers)
            except TimeoutError:
                # Not retried: an answer dripped slower than the limit is not a passing fault.
                raise NetworkError(
                    f"{where}: Xero's answer took longer than the limit of "
                    f"{self.limits.call_seconds:g} s per call; refused",
                    **ids,
                ) from None
            except _TooLarge:
                raise BadResponseError(
                    f"{where}: Xero's answer is over the limit of "
                    f"{self.limits.max_body_bytes:,} bytes (after decompression); refused",
                    **ids,
                ) from None
            except httpx.TimeoutException as exc:
                raise _Retry(
                    NetworkError(
                        f"{where}: Xero did not answer in time ({type(exc).__name__})", **ids
                    )
                ) from None
            except httpx.DecodingError as exc:
                raise _Retry(
                    BadResponseError(f"{where}: Xero's answer could not be decoded ({exc})", **ids)
                ) from None
            except httpx.RequestError as exc:
                raise _Retry(
                    NetworkError(
                        f"{where}: the connection to Xero failed ({type(exc).__name__}: {exc})",
                        **ids,
                    )
                ) from None
        status = response.status_code
        if limiter is not None:
            limiter.observe(_header_int(response, "X-MinLimit-Remaining"), sent_at)
        day = _header_int(response, "X-DayLimit-Remaining")
        if day is not None:
            self.day_limit_remaining = day
        log.debug("%s %s -> %s", endpoint, params, status)
        # No secret is kept or shown, even when the server echoes one (issue 20, finding 2).
        body = redact_body(raw, answer=200 <= status < 300)
        if 200 <= status < 300:
            try:
                _check_json(body)
            except (ValueError, UnicodeDecodeError):
                raise _Retry(
                    BadResponseError(
                        f"{where}: Xero's answer is not valid JSON ({len(body)} bytes)", **ids
                    )
                ) from None
            return ApiResponse(endpoint, params, status, body)
        problem = _problem(body)
        said = f"{status}{_describe(problem)}"
        ids.update(status=status, problem=problem)
        if status == 401:
            raise _Unauthorized(
                AuthError(
                    f"{where}: Xero rejected the access token ({said}); run "
                    "`lendcheck auth login`, or check LENDCHECK_ACCESS_TOKEN or the custom "
                    "connection's credentials",
                    **ids,
                )
            )
        if status == 403:
            needs = (
                "the Accounting API scopes (accounting.settings.read, accounting.reports.read, "
                "accounting.transactions.read, accounting.journals.read; `lendcheck auth login "
                "--source accounting`)"
                if api == "accounting"
                else "the scopes finance.statements.read, finance.cashvalidation.read and "
                "finance.bankstatementsplus.read, Finance API access (partners only)"
            )
            raise AuthError(
                f"{where}: Xero refused access ({said}); the app needs {needs} and a "
                "connection to this organisation",
                **ids,
            )
        if status == 429:
            raise self._rate_limited(response, where, said, limiter, ids)
        if status >= 500:
            wait = _retry_after(response, self._now())
            raise _Retry(
                UnavailableError(f"{where}: Xero is unavailable ({said}); try again later", **ids),
                wait=None if wait is None else min(wait, self.retry.backoff_max),
            )
        if problem is None:
            raise RequestRefusedError(
                f"{where}: Xero answered {status} without a Problem body", **ids
            )
        if (problem.type or "") in FATAL_PROBLEM_TYPES:
            raise RequestRefusedError(f"{where}: Xero refused the call ({said})", **ids)
        return ApiResponse(endpoint, params, status, body, problem)

    async def _receive(
        self, url: str, params: dict[str, str], headers: dict[str, str]
    ) -> tuple[httpx.Response, bytes]:
        """The answer and its body, read chunk by chunk (decompressed) up to
        ``limits.max_body_bytes``.

        Raises:
            _TooLarge: the body is larger.
        """
        assert self._http is not None
        async with self._http.stream("GET", url, params=params, headers=headers) as response:
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.limits.max_body_bytes:
                    raise _TooLarge
                chunks.append(chunk)
        return response, b"".join(chunks)

    def _rate_limited(
        self,
        response: httpx.Response,
        where: str,
        said: str,
        limiter: TenantLimiter | None,
        ids: dict[str, Any],
    ) -> Exception:
        kind = response.headers.get("X-Rate-Limit-Problem", "").strip().lower()
        now = self._now()
        after = _retry_after(response, now)
        if kind == "day":
            retry_at = now + timedelta(seconds=after) if after is not None else None
            when = (
                f"retry after {retry_at:%Y-%m-%d %H:%M} UTC (in {_in(after or 0)})"
                if retry_at is not None
                else "retry tomorrow"
            )
            return DailyLimitError(
                f"{where}: Xero's daily limit of calls for this organisation is used up; {when}",
                retry_at=retry_at,
                **ids,
            )
        wait = 60.0 if after is None else after
        error = RateLimitError(
            f"{where}: Xero's {kind or 'rate'} limit was hit ({said}); try again in a minute", **ids
        )
        if wait > self.retry.max_retry_after:
            return error
        wait += self._rng.uniform(0, self.retry.jitter)
        log.debug("429 %s: pausing %.1f s", kind or "?", wait)
        if limiter is not None:
            limiter.pause(wait)
            return _Retry(error, wait=0.0)  # the limiter holds every call back
        return _Retry(error, wait=wait)


class _TooLarge(Exception):
    """A body over :attr:`Limits.max_body_bytes`."""


class _Unauthorized(Exception):
    def __init__(self, error: AuthError) -> None:
        super().__init__(str(error))
        self.error = error


def list_connections(
    settings: Settings, tokens: TokenSource, **client_options: Any
) -> list[dict[str, Any]]:
    """The organisations ``tokens`` may read (``GET /connections``), blocking.

    Args:
        settings: base URLs.
        tokens: the token source.
        **client_options: keyword arguments of :class:`FinanceClient` (e.g. ``transport``).

    Raises:
        XeroError: as :meth:`FinanceClient.connections`.
    """

    async def run() -> list[dict[str, Any]]:
        async with FinanceClient(settings, tokens, **client_options) as client:
            return await client.connections()

    return asyncio.run(run())
