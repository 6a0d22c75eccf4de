"""Fixtures of the live-path tests: the fake Xero server, settings pointing at it, a stored
login, and a fake clock that lets every wait happen without sleeping."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from lendcheck.xero.auth import StoredLogin, Token, TokenStore
from lendcheck.xero.client import RetryPolicy
from lendcheck.xero.config import Settings

from .fake_xero import FakeXero, ServerThread, build_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
HARBOUR = SAMPLES / "harbour-cafe"
#: The fake server's today: three weeks after the samples' report date.
TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


class FakeClock:
    """Monotonic seconds that only move when someone sleeps: waits cost no real time.

    Sleeps of concurrent tasks add up (each moves the clock on by its own length), which only
    makes time pass faster than it would: waits are never shortened.
    """

    def __init__(self) -> None:
        self.now = 10_000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)

    def sleep_sync(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def start_fake(snapshot: Path = HARBOUR, **kwargs: Any) -> tuple[FakeXero, ServerThread]:
    xero = FakeXero(snapshot, today=kwargs.pop("today", TODAY), **kwargs)
    return xero, ServerThread(build_app(xero))


class _Current:
    """The fake the shared server answers with; each test puts a fresh one in."""

    xero: FakeXero | None = None

    def __call__(self) -> FakeXero:
        assert self.xero is not None, "no fake Xero for this test"
        return self.xero


@pytest.fixture(scope="session")
def _shared_server() -> Iterator[tuple[_Current, str]]:
    current = _Current()
    with ServerThread(build_app(current)) as server:
        yield current, server.url


@pytest.fixture
def fake_xero(_shared_server: tuple[_Current, str]) -> Iterator[tuple[FakeXero, str]]:
    """A fresh fake Xero serving harbour-cafe: (state, base URL). One server for the session
    (starting and stopping uvicorn costs 0.2 s); the state is new for every test."""
    current, url = _shared_server
    current.xero = FakeXero(HARBOUR, today=TODAY)
    yield current.xero, url
    current.xero = None


def browser_for() -> tuple[list[str], Callable[[str], None]]:
    """A stand-in for the user's browser: follows the sign-in URL and Xero's redirect back to
    lendcheck's loopback listener. Returns the URLs it was given and the opener."""
    visited: list[str] = []

    def open_browser(url: str) -> None:
        visited.append(url)
        threading.Thread(
            target=lambda: httpx.get(url, follow_redirects=True, timeout=10), daemon=True
        ).start()

    return visited, open_browser


def settings_for(url: str, state_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "api_url": url,
        "identity_url": url,
        "login_url": url,
        "client_id": "lendcheck-test-client",
        "client_secret": None,
        "state_dir": state_dir / "state",
    }
    values.update(overrides)
    return Settings(**values)


def store_login(xero: FakeXero, settings: Settings, *, expires_in: float = 1800) -> StoredLogin:
    """Put a login issued by the fake into the settings' token store."""
    issued = xero.issue_tokens()
    token = Token(
        issued["access_token"], time.time() + expires_in, issued["refresh_token"], issued["scope"]
    )
    login = StoredLogin(settings.client_id or "", token, "2026-11-21T09:00:00Z")
    TokenStore(settings.token_store).save(login)
    return login


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def fast_client_options(clock: FakeClock, **overrides: Any) -> dict[str, Any]:
    """FinanceClient options for tests: fake clock and sleep, the fixed now."""
    options: dict[str, Any] = {
        "clock": clock,
        "sleep": clock.sleep,
        "now": lambda: NOW,
        "retry": RetryPolicy(attempts=4),
    }
    options.update(overrides)
    return options
