"""A fake Xero on 127.0.0.1: real HTTP (uvicorn in a thread), strict like Xero, with faults.

It serves one sample snapshot: every Finance API request is answered with the manifest entry of
the same endpoint and parameters, byte for byte (gzip-encoded when the client accepts it, so the
client must store decoded bodies). It checks what Xero checks (bearer token, ``xero-tenant-id``,
known parameters, BankStatementsPlus windows of at most 12 months and no future ``ToDate``),
counts the calls in flight (a sixth at once gets 429 ``concurrent``), keeps a per-minute and
per-day allowance with Xero's headers, and plays the identity service: authorization code +
PKCE, refresh tokens that rotate with a grace period for the previous one, client credentials,
revocation and ``/connections``.

The Accounting API (``/api.xro/2.0``) is served from the snapshot's ``"api": "accounting"``
calls: fixed calls by endpoint and parameters, the paged lists (``/Invoices``,
``/BankTransactions``, ``/Journals``) as Xero pages them, from every record the snapshot holds:
``page`` and ``pageSize`` (100 by default, at most 1,000) with a ``pagination`` object, journals
100 at a time after ``offset`` (their ``JournalNumber``) and created since ``If-Modified-Since``.
:meth:`FakeXero.empty_accounting` makes it an organisation with no transactions at all.

Faults are queued with :meth:`FakeXero.inject`: ``429-minute``, ``429-day``, ``503-offline``,
``slow``, ``drop`` (connection closed mid-body), ``malformed`` (a 200 that is not JSON) and
``401``. Anything the client does that Xero would reject lands in :attr:`FakeXero.violations`.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import secrets
import socket
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from lendcheck.xero.accounting_models import parse_xero_datetime
from lendcheck.xero.fetch_plan import add_months, call_key

FINANCE = "/finance.xro/1.0"
ACCOUNTING = "/api.xro/2.0"
#: Query parameters Xero knows, per Accounting API endpoint (the spec's, those lendcheck uses).
ACCOUNTING_PARAMS = {
    "/Organisation": set(),
    "/Accounts": {"where", "order"},
    "/Reports/ExecutiveSummary": {"date"},
    "/Reports/ProfitAndLoss": {"fromDate", "toDate", "periods", "timeframe"},
    "/Reports/BalanceSheet": {"date", "periods", "timeframe"},
    "/Reports/BankSummary": {"fromDate", "toDate"},
    "/Invoices": {"where", "order", "page", "pageSize", "Statuses"},
    "/BankTransactions": {"where", "order", "page", "pageSize"},
    "/Journals": {"offset", "paymentsOnly"},
}
#: The record list of each paged Accounting API endpoint.
PAGED = {"/Invoices": "Invoices", "/BankTransactions": "BankTransactions", "/Journals": "Journals"}

#: Query parameters Xero knows, per endpoint (the spec's).
PARAMS = {
    "/CashValidation": {"balanceDate", "asAtSystemDate", "beginDate"},
    "/FinancialStatements/BalanceSheet": {"balanceDate"},
    "/FinancialStatements/Cashflow": {"startDate", "endDate"},
    "/FinancialStatements/ProfitAndLoss": {"startDate", "endDate"},
    "/FinancialStatements/TrialBalance": {"endDate"},
    "/FinancialStatements/contacts/revenue": {
        "contactIds",
        "includeManualJournals",
        "startDate",
        "endDate",
    },
    "/FinancialStatements/contacts/expense": {
        "contactIds",
        "includeManualJournals",
        "startDate",
        "endDate",
    },
    "/BankStatementsPlus/statements": {"BankAccountID", "FromDate", "ToDate", "SummaryOnly"},
}
UNAUTHORIZED = {
    "Type": None,
    "Title": "Unauthorized",
    "Status": 401,
    "Detail": "AuthorizationUnsuccessful",
}


@dataclass
class Fault:
    """One injected fault.

    Attributes:
        kind: ``429-minute``, ``429-day``, ``503-offline``, ``slow``, ``drop``, ``malformed``,
            ``401``; ``echo-STATUS`` (a Problem echoing the Authorization header in its body
            and headers), ``gzip-bomb`` (``size`` bytes of zeros, gzipped), ``drip`` (a byte
            every ``delay`` seconds, for ever).
        path: the request path it applies to (Finance endpoint such as ``/CashValidation``, or
            ``/connect/token``); None for every Finance call.
        times: how many requests it hits.
        delay: seconds, for ``slow``.
        retry_after: the ``Retry-After`` of a 429, in seconds.
    """

    kind: str
    path: str | None = None
    times: int = 1
    delay: float = 0.0
    retry_after: int = 2
    size: int = 0


@dataclass
class Seen:
    """A Finance API request as the server saw it."""

    endpoint: str
    params: dict[str, str]
    headers: dict[str, str]
    status: int = 0
    accounting: bool = False


@dataclass
class _RefreshFamily:
    current: str
    grace: dict[str, float] = field(default_factory=dict)  # old token -> valid until
    revoked: bool = False


class FakeXero:
    """State and behaviour of the fake. See the module docstring.

    Args:
        snapshot: the sample snapshot directory to serve.
        today: the server's today (a later ``ToDate`` is refused).
        client_id, client_secret: the registered app (secret None: a PKCE-only app).
        clock: seconds, for the minute window (share a fake clock with the client to test
            waits without sleeping).
        grace: seconds an old refresh token stays valid after rotation.
    """

    def __init__(
        self,
        snapshot: Path,
        *,
        today: date,
        client_id: str = "lendcheck-test-client",
        client_secret: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        grace: float = 1800.0,
        access_ttl: int = 1800,
    ) -> None:
        manifest = json.loads((snapshot / "manifest.json").read_bytes())
        self.snapshot = snapshot
        self.manifest = manifest
        self.tenant_id: str = manifest["tenant_id"]
        self.tenant_name: str = manifest["tenant_name"]
        self.responses: dict[Any, tuple[int, bytes]] = {}
        #: Accounting API: fixed calls by (endpoint, params); every record of each paged list.
        self.accounting: dict[Any, tuple[int, bytes]] = {}
        self.records: dict[str, list[dict[str, Any]]] = {endpoint: [] for endpoint in PAGED}
        for call in manifest["calls"]:
            body = (snapshot / call["file"]).read_bytes()
            if call.get("api") == "accounting":
                if call["endpoint"] in PAGED:
                    self.records[call["endpoint"]] += json.loads(body).get(
                        PAGED[call["endpoint"]], []
                    )
                else:
                    self.accounting[call_key(call["endpoint"], call["params"])] = (
                        call["status"],
                        body,
                    )
                continue
            self.responses[call_key(call["endpoint"], call["params"])] = (call["status"], body)
        self.today = today
        self.client_id = client_id
        self.client_secret = client_secret
        self.clock = clock
        self.grace = grace
        self.access_ttl = access_ttl
        self.lock = threading.Lock()
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.violations: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.minute_limit = 60
        self.window: deque[float] = deque()
        self.day_remaining = 5000
        self.served_429 = 0
        self.empty_unknown_statements = False
        self.access_tokens: dict[str, float] = {}  # token -> expires at (time.time())
        self.families: list[_RefreshFamily] = []
        self.codes: dict[str, dict[str, str]] = {}
        self.token_requests: list[dict[str, str]] = []
        self.refreshes = 0
        self.issued: list[str] = []  # every secret the server handed out

    # -- helpers for tests -------------------------------------------------------------------

    def inject(self, kind: str, path: str | None = None, **kwargs: Any) -> Fault:
        """Queue a fault (see :class:`Fault`)."""
        fault = Fault(kind, path, **kwargs)
        with self.lock:
            self.faults.append(fault)
        return fault

    def issue_tokens(self, *, refresh: bool = True, ttl: int | None = None) -> dict[str, Any]:
        """A fresh token response, as the token endpoint would give."""
        access = "at." + secrets.token_urlsafe(32)
        with self.lock:
            self.access_tokens[access] = time.time() + (ttl or self.access_ttl)
            self.issued.append(access)
            body: dict[str, Any] = {
                "access_token": access,
                "expires_in": ttl or self.access_ttl,
                "token_type": "Bearer",
                "scope": "offline_access finance.statements.read",
            }
            if refresh:
                token = "rt." + secrets.token_urlsafe(32)
                self.families.append(_RefreshFamily(token))
                self.issued.append(token)
                body["refresh_token"] = token
        return body

    def expire_access_tokens(self) -> None:
        """Make every access token issued so far invalid (as if 30 minutes had passed)."""
        with self.lock:
            self.access_tokens = dict.fromkeys(self.access_tokens, 0.0)

    def current_refresh_tokens(self) -> list[str]:
        """The newest refresh token of each live login."""
        with self.lock:
            return [f.current for f in self.families if not f.revoked]

    def use_minute_allowance(self, calls: int) -> None:
        """Pretend another app made ``calls`` calls just now (they count for a minute)."""
        now = self.clock()
        with self.lock:
            self.window.extend([now] * calls)

    def finance_calls(self) -> list[Seen]:
        """Finance API requests seen (retries included)."""
        return [s for s in self.seen if not s.accounting]

    def accounting_calls(self) -> list[Seen]:
        """Accounting API requests seen (retries included)."""
        return [s for s in self.seen if s.accounting]

    def empty_accounting(self) -> None:
        """An organisation with no invoices, bank transactions or journals, and reports with
        only their headings (as Xero answers for a new organisation)."""
        with self.lock:
            self.records = {endpoint: [] for endpoint in PAGED}
            for key, (status, body) in list(self.accounting.items()):
                payload = json.loads(body)
                for report in payload.get("Reports", []):
                    report["Rows"] = [
                        r for r in report.get("Rows", []) if r.get("RowType") == "Header"
                    ]
                self.accounting[key] = (status, json.dumps(payload).encode())

    # -- plumbing ----------------------------------------------------------------------------

    def _take_fault(self, path: str, kinds: set[str] | None = None) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times <= 0 or (kinds is not None and fault.kind not in kinds):
                    continue
                if fault.path is None and path.startswith("/connect"):
                    continue
                if fault.path is None or fault.path == path:
                    fault.times -= 1
                    return fault
        return None

    def _limit_headers(self) -> dict[str, str]:
        now = self.clock()
        while self.window and self.window[0] <= now - 60:
            self.window.popleft()
        return {
            "X-MinLimit-Remaining": str(max(0, self.minute_limit - len(self.window))),
            "X-DayLimit-Remaining": str(max(0, self.day_remaining)),
            "X-AppMinLimit-Remaining": "9999",
        }

    def _valid_bearer(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return None
        token = header[len("Bearer ") :]
        with self.lock:
            expires = self.access_tokens.get(token)
        return token if expires is not None and expires > time.time() else None

    def _client_auth(self, request: Request, form: dict[str, str]) -> bool:
        header = request.headers.get("authorization", "")
        if header.startswith("Basic "):
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            return user == self.client_id and (
                self.client_secret is None or password == self.client_secret
            )
        # a public (PKCE) client sends only its id
        return (form.get("client_id") == self.client_id and self.client_secret is None) or (
            form.get("client_id") == self.client_id
            and form.get("client_secret") == self.client_secret
        )


def _problem(
    status: int, type_: str, title: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    return JSONResponse(
        {"type": type_, "title": title, "status": status, "detail": detail},
        status_code=status,
        headers=headers,
    )


class _GzipBomb(Response):
    """A 200 whose gzip body inflates to ``size`` bytes of zeros (sent compressed, in pieces)."""

    def __init__(self, size: int) -> None:
        super().__init__(b"", media_type="application/json", headers={"Content-Encoding": "gzip"})
        self.size = size

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip
        block = b"0" * (1 << 20)
        for _ in range(self.size // len(block)):
            piece = packer.compress(block)
            if piece:
                await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": packer.flush(), "more_body": False})


class _Drip(Response):
    """A 200 that sends one byte every ``delay`` seconds and never ends."""

    def __init__(self, delay: float) -> None:
        super().__init__(b"", media_type="application/json")
        self.delay = delay

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        while True:
            await send({"type": "http.response.body", "body": b" ", "more_body": True})
            await asyncio.sleep(self.delay)


class _DroppedResponse(Response):
    """Starts a response, sends half the body, then breaks the connection."""

    def __init__(self, body: bytes) -> None:
        super().__init__(body, media_type="application/json")

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        await send(
            {
                "type": "http.response.body",
                "body": self.body[: len(self.body) // 2],
                "more_body": True,
            }
        )
        raise ConnectionAbortedError("fake Xero drops the connection (injected fault)")


def _body_response(request: Request, status: int, body: bytes, headers: dict[str, str]) -> Response:
    if "gzip" in request.headers.get("accept-encoding", "") and len(body) > 512:
        return Response(
            gzip.compress(body, compresslevel=1, mtime=0),
            status_code=status,
            media_type="application/json",
            headers={**headers, "Content-Encoding": "gzip"},
        )
    return Response(body, status_code=status, media_type="application/json", headers=headers)


async def _form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (the only kind OAuth uses)."""
    return dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def build_app(source: FakeXero | Callable[[], FakeXero]) -> Starlette:
    """The ASGI app of the fake: serves ``source``, or whatever ``source()`` returns at each
    request (so one server can serve a fresh fake per test)."""
    get: Callable[[], FakeXero] = (lambda: source) if isinstance(source, FakeXero) else source

    def bind(handler: Callable[[FakeXero, Request], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            result: Response = await handler(get(), request)
            return result

        return endpoint

    async def apply_fault(
        fault: Fault, headers: dict[str, str], request: Request
    ) -> Response | None:
        if fault.kind.startswith("echo-"):  # a server that echoes the credentials it got
            status = int(fault.kind.removeprefix("echo-"))
            auth = request.headers.get("authorization", "")
            return _problem(
                status,
                "invalid-request",
                "Echo",
                f"request had Authorization: {auth} ({auth.removeprefix('Bearer ')})",
                {**headers, "X-Echo-Authorization": auth, "WWW-Authenticate": auth},
            )
        if fault.kind == "gzip-bomb":
            return _GzipBomb(fault.size)
        if fault.kind == "drip":
            return _Drip(fault.delay)
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            return None
        if fault.kind == "429-minute":
            return _problem(
                429,
                "rate-limit-error",
                "TooManyRequests",
                "Minute limit exceeded",
                {
                    **headers,
                    "Retry-After": str(fault.retry_after),
                    "X-Rate-Limit-Problem": "minute",
                },
            )
        if fault.kind == "429-day":
            return _problem(
                429,
                "rate-limit-error",
                "TooManyRequests",
                "Day limit exceeded",
                {**headers, "Retry-After": str(fault.retry_after), "X-Rate-Limit-Problem": "day"},
            )
        if fault.kind == "503-offline":
            return _problem(
                503,
                "organisation-offline",
                "OrganisationOffline",
                "Organisation is offline",
                headers,
            )
        if fault.kind == "malformed":
            return Response(
                b'{"accountId": "73151de8-3676', media_type="application/json", headers=headers
            )
        if fault.kind == "401":
            return JSONResponse(UNAUTHORIZED, status_code=401, headers=headers)
        if fault.kind == "drop":
            return _DroppedResponse(b'[{"accountId": "00000000-0000-0000-0000-000000000000"}]')
        raise AssertionError(f"unknown fault {fault.kind}")

    async def finance(xero: FakeXero, request: Request) -> Response:
        endpoint = "/" + request.path_params["path"]
        params = dict(request.query_params)
        accounting = request.url.path.startswith(ACCOUNTING + "/")
        seen = Seen(
            endpoint,
            params,
            {k.lower(): v for k, v in request.headers.items()},
            accounting=accounting,
        )
        with xero.lock:
            xero.seen.append(seen)
            xero.in_flight += 1
            xero.max_in_flight = max(xero.max_in_flight, xero.in_flight)
            too_many = xero.in_flight > 5
        try:
            if too_many:  # Xero allows 5 calls in flight per organisation
                xero.violations.append(f"{endpoint}: more than 5 calls in flight")
                response: Response = _problem(
                    429,
                    "rate-limit-error",
                    "TooManyRequests",
                    "Concurrent limit exceeded",
                    {"Retry-After": "1", "X-Rate-Limit-Problem": "concurrent"},
                )
            else:
                response = await answer(xero, request, endpoint, params)
            seen.status = response.status_code
            return response
        finally:
            with xero.lock:
                xero.in_flight -= 1

    async def answer(
        xero: FakeXero, request: Request, endpoint: str, params: dict[str, str]
    ) -> Response:
        if not request.headers.get("user-agent", "").startswith("lendcheck/"):
            xero.violations.append(f"User-Agent {request.headers.get('user-agent')!r}")
        if xero._valid_bearer(request) is None:
            return JSONResponse(UNAUTHORIZED, status_code=401)
        with xero.lock:
            xero._limit_headers()  # expires the window
            over_minute = len(xero.window) >= xero.minute_limit
            if not over_minute:
                xero.window.append(xero.clock())
                xero.day_remaining -= 1
            headers = xero._limit_headers()
            wait = max(1, int(xero.window[0] + 60 - xero.clock()) + 1) if xero.window else 1
        if over_minute:
            xero.served_429 += 1
            return _problem(
                429,
                "rate-limit-error",
                "TooManyRequests",
                "Minute limit exceeded",
                {**headers, "Retry-After": str(wait), "X-Rate-Limit-Problem": "minute"},
            )
        fault = xero._take_fault(endpoint)
        if fault is not None:
            faulty = await apply_fault(fault, headers, request)
            if faulty is not None:
                if faulty.status_code == 429:
                    xero.served_429 += 1
                return faulty
        tenant = request.headers.get("xero-tenant-id")
        if request.url.path.startswith(ACCOUNTING + "/"):
            if tenant is None or tenant.lower() != xero.tenant_id.lower():
                xero.violations.append(f"{endpoint}: xero-tenant-id {tenant!r}")
                return JSONResponse(
                    {"Title": "Forbidden", "Detail": "AuthenticationUnsuccessful", "Status": 403},
                    status_code=403,
                    headers=headers,
                )
            return _accounting(xero, request, endpoint, params, headers)
        if tenant is None or tenant.lower() != xero.tenant_id.lower():
            xero.violations.append(f"{endpoint}: xero-tenant-id {tenant!r}")
            return _problem(
                400,
                "organisation-not-found",
                "OrganisationNotFound",
                f"Organisation {tenant} does not exist",
                headers,
            )
        known = PARAMS.get(endpoint)
        if known is None:
            xero.violations.append(f"unknown endpoint {endpoint}")
            return _problem(404, "invalid-request", "NotFound", f"No endpoint {endpoint}", headers)
        unknown = set(params) - known
        if unknown:
            xero.violations.append(f"{endpoint}: unknown parameters {sorted(unknown)}")
            return _problem(
                400,
                "invalid-request",
                "InvalidRequest",
                f"Unknown parameters {sorted(unknown)}",
                headers,
            )
        for name, value in params.items():
            if name.endswith(("Date", "date")) and not _is_date(value):
                return _problem(
                    400, "invalid-request", "InvalidRequest", f"Invalid {name}: '{value}'", headers
                )
        if endpoint == "/BankStatementsPlus/statements":
            refusal = _check_statements(xero, params)
            if refusal:
                xero.violations.append(f"{endpoint} {params}: {refusal}")
                return _problem(400, "invalid-request", "InvalidRequest", refusal, headers)
        stored = xero.responses.get(call_key(endpoint, params))
        if stored is None:
            if endpoint == "/BankStatementsPlus/statements" and xero.empty_unknown_statements:
                body = json.dumps(
                    {"bankAccountId": params["BankAccountID"], "statements": []}
                ).encode()
                return _body_response(request, 200, body, headers)
            xero.violations.append(f"unplanned call {endpoint} {params}")
            return _problem(
                404, "invalid-request", "NotFound", "no such call in the sample", headers
            )
        status, body = stored
        return _body_response(request, status, body, headers)

    async def connections(xero: FakeXero, request: Request) -> Response:
        if xero._valid_bearer(request) is None:
            return JSONResponse(UNAUTHORIZED, status_code=401)
        return JSONResponse(
            [
                {
                    "id": "7cb59f93-2964-421d-bb5e-a0f7a4572a44",
                    "tenantId": xero.tenant_id,
                    "tenantName": xero.tenant_name,
                    "tenantType": "ORGANISATION",
                    "createdDateUtc": "2026-11-01T09:00:00.0000000",
                },
                {
                    "id": "2a9e5e5b-1c1e-4b8e-9a53-0b1a3f0c6d11",
                    "tenantId": "11111111-2222-3333-4444-555555555555",
                    "tenantName": "Other \x1b[31mApplicant\u202e Ltd",
                    "tenantType": "ORGANISATION",
                },
            ]
        )

    async def authorize(xero: FakeXero, request: Request) -> Response:
        q = dict(request.query_params)
        problems = []
        if q.get("client_id") != xero.client_id:
            problems.append("client_id")
        if q.get("response_type") != "code":
            problems.append("response_type")
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            problems.append("PKCE")
        if not q.get("redirect_uri", "").startswith("http://localhost:"):
            problems.append("redirect_uri")
        if "offline_access" not in q.get("scope", "").split():
            problems.append("scope")
        if problems:
            xero.violations.append(f"authorize: {problems}")
            return Response(f"bad authorize request: {problems}", status_code=400)
        code = "code." + secrets.token_urlsafe(16)
        with xero.lock:
            xero.issued.append(code)
            xero.codes[code] = {"challenge": q["code_challenge"], "redirect_uri": q["redirect_uri"]}
        location = (
            q["redirect_uri"]
            + "?"
            + urlencode({"code": code, "state": q.get("state", ""), "scope": q["scope"]})
        )
        return RedirectResponse(location, status_code=302)

    async def token(xero: FakeXero, request: Request) -> Response:
        form = await _form(request)
        with xero.lock:
            xero.token_requests.append(form)
        if not xero._client_auth(request, form):
            return JSONResponse({"error": "invalid_client"}, status_code=400)
        grant = form.get("grant_type")
        if grant == "authorization_code":
            with xero.lock:
                pending = xero.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if (
                pending is None
                or pending["challenge"] != challenge
                or pending["redirect_uri"] != form.get("redirect_uri")
            ):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            body = xero.issue_tokens()
        elif grant == "refresh_token":
            body_or_none = _rotate(xero, form.get("refresh_token", ""))
            if body_or_none is None:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            body = body_or_none
        elif grant == "client_credentials":
            if not request.headers.get("authorization", "").startswith("Basic "):
                return JSONResponse({"error": "invalid_client"}, status_code=400)
            body = xero.issue_tokens(refresh=False)
        else:
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        fault = xero._take_fault("/connect/token")
        if fault is not None and fault.kind == "drop":
            return _DroppedResponse(json.dumps(body).encode())
        if fault is not None and fault.kind == "slow":
            await asyncio.sleep(fault.delay)
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    async def revocation(xero: FakeXero, request: Request) -> Response:
        form = await _form(request)
        if not xero._client_auth(request, form):
            return JSONResponse({"error": "invalid_client"}, status_code=400)
        token_value = form.get("token", "")
        with xero.lock:
            for family in xero.families:
                if family.current == token_value or token_value in family.grace:
                    family.revoked = True
        return Response(b"", status_code=200)

    return Starlette(
        routes=[
            Route(FINANCE + "/{path:path}", bind(finance), methods=["GET"]),
            Route(ACCOUNTING + "/{path:path}", bind(finance), methods=["GET"]),
            Route("/connections", bind(connections), methods=["GET"]),
            Route("/identity/connect/authorize", bind(authorize), methods=["GET"]),
            Route("/connect/token", bind(token), methods=["POST"]),
            Route("/connect/revocation", bind(revocation), methods=["POST"]),
        ]
    )


def _validation_error(message: str, headers: dict[str, str]) -> Response:
    """The Accounting API's 400: a ValidationException, not a Problem."""
    return JSONResponse(
        {"ErrorNumber": 10, "Type": "ValidationException", "Message": message},
        status_code=400,
        headers=headers,
    )


def _accounting(
    xero: FakeXero, request: Request, endpoint: str, params: dict[str, str], headers: dict[str, str]
) -> Response:
    known = ACCOUNTING_PARAMS.get(endpoint)
    if known is None:
        xero.violations.append(f"unknown endpoint {endpoint}")
        return Response(b"The resource you're looking for cannot be found", status_code=404)
    unknown = set(params) - known
    if unknown:
        xero.violations.append(f"{endpoint}: unknown parameters {sorted(unknown)}")
        return _validation_error(f"Unknown parameters {sorted(unknown)}", headers)
    for name in ("date", "fromDate", "toDate"):
        if name in params and not _is_date(params[name]):
            return _validation_error(f"Invalid {name}", headers)
    if endpoint in PAGED:
        return _page(xero, request, endpoint, params, headers)
    stored = xero.accounting.get(call_key(endpoint, params))
    if stored is None:
        xero.violations.append(f"unplanned call {endpoint} {params}")
        return Response(b"The resource you're looking for cannot be found", status_code=404)
    status, body = stored
    return _body_response(request, status, body, headers)


def _page(
    xero: FakeXero, request: Request, endpoint: str, params: dict[str, str], headers: dict[str, str]
) -> Response:
    """One page of a list, as Xero pages it (records in the snapshot's order)."""
    records = xero.records[endpoint]
    payload: dict[str, Any] = {
        "Id": "5d0a4c2e-3f6a-4f68-9a0e-0b7c6f0d9a11",
        "Status": "OK",
        "ProviderName": "lendcheck tests",
        "DateTimeUTC": "/Date(1795269600000)/",
    }
    if endpoint == "/Journals":
        try:
            offset = int(params.get("offset", "0"))
        except ValueError:
            return _validation_error("offset must be a number", headers)
        since_text = request.headers.get("if-modified-since")
        since = parse_xero_datetime(since_text) if since_text else None
        chosen = [
            r
            for r in records
            if r["JournalNumber"] > offset
            and (since is None or (parse_xero_datetime(r["CreatedDateUTC"]) or since) >= since)
        ]
        chosen.sort(key=lambda r: r["JournalNumber"])
        payload["Journals"] = chosen[:100]
    else:
        try:
            page = int(params.get("page", "1"))
            size = int(params.get("pageSize", "100"))
        except ValueError:
            return _validation_error("page and pageSize must be numbers", headers)
        if page < 1 or not 1 <= size <= 1000:
            xero.violations.append(f"{endpoint}: page {page}, pageSize {size}")
            return _validation_error("pageSize must be between 1 and 1000", headers)
        payload["pagination"] = {
            "page": page,
            "pageSize": size,
            "pageCount": max(1, -(-len(records) // size)),
            "itemCount": len(records),
        }
        payload[PAGED[endpoint]] = records[(page - 1) * size : page * size]
    return _body_response(request, 200, json.dumps(payload).encode(), headers)


def _check_statements(xero: FakeXero, params: dict[str, str]) -> str | None:
    for name in ("BankAccountID", "FromDate", "ToDate"):
        if name not in params:
            return f"{name} is required"
    start, end = date.fromisoformat(params["FromDate"]), date.fromisoformat(params["ToDate"])
    if end > xero.today:
        return "ToDate cannot be a future date"
    if start <= add_months(end, -12) or start > end:
        return "The maximum range of the query period is 12 months"
    if params.get("SummaryOnly", "true") not in ("true", "false"):
        return "SummaryOnly must be true or false"
    return None


def _rotate(xero: FakeXero, presented: str) -> dict[str, Any] | None:
    now = time.time()
    with xero.lock:
        family = next(
            (
                f
                for f in xero.families
                if not f.revoked and (f.current == presented or f.grace.get(presented, 0) > now)
            ),
            None,
        )
        if family is None:
            return None
        xero.refreshes += 1
        new = "rt." + secrets.token_urlsafe(32)
        family.grace[family.current] = now + xero.grace
        family.current = new
        xero.issued.append(new)
        access = "at." + secrets.token_urlsafe(32)
        xero.access_tokens[access] = now + xero.access_ttl
        xero.issued.append(access)
    return {
        "access_token": access,
        "refresh_token": new,
        "expires_in": xero.access_ttl,
        "token_type": "Bearer",
        "scope": "offline_access finance.statements.read",
    }


class ServerThread:
    """Runs an ASGI app under uvicorn on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self, app: Any) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
            timeout_graceful_shutdown=1,
            log_level="critical",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True, name="fake-xero"
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the fake Xero server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.server.force_exit = True  # do not wait for slow handlers or idle keep-alives
        self.thread.join(10)
        self.socket.close()
