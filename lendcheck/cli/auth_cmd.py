"""``lendcheck auth``: sign in to Xero, list the organisations a login can read, sign out."""

from __future__ import annotations

import json
import webbrowser
from typing import TYPE_CHECKING

import click

from lendcheck.cli.base import State, handle_errors
from lendcheck.cli.fetch_cmd import source_option
from lendcheck.text import clean_untrusted
from lendcheck.xero.config import DEFAULT_REDIRECT_PORT, SETTINGS_SCOPE

if TYPE_CHECKING:
    from lendcheck.xero.auth import TokenSource
    from lendcheck.xero.config import Settings

# The live path (lendcheck.xero: authlib, httpx) is imported by the commands that use it, not
# by every `lendcheck` run: it took a quarter of a second of each report's start. The help
# texts take their constants from lendcheck.xero.config, which imports neither.


def _settings(ctx: click.Context) -> Settings:
    from lendcheck.xero.config import Settings
    from lendcheck.xero.redact import configure_debug_logging

    state = ctx.find_object(State)
    configure_debug_logging(bool(state and state.debug))
    return Settings.from_env()


@click.group(
    "auth",
    epilog="""\b
Examples:
  export LENDCHECK_CLIENT_ID=...      # your Xero app's client id
  lendcheck auth login
  lendcheck auth tenants
  lendcheck auth logout

\b
Custom connections need no login: set LENDCHECK_CLIENT_ID and LENDCHECK_CLIENT_SECRET.
Tokens managed elsewhere: set LENDCHECK_ACCESS_TOKEN. See docs/live.md.""",
)
def auth() -> None:
    """Sign in to Xero, list the organisations you can read, sign out."""


@auth.command(
    "login",
    epilog=f"""\b
Examples:
  lendcheck auth login
  lendcheck auth login --no-browser --port 8765
  lendcheck auth login --accounting-settings
  lendcheck auth login --source both

\b
Register http://localhost:{DEFAULT_REDIRECT_PORT}/callback (or your --port) as a redirect URI of
the app. Exit codes: 0 signed in; 2 LENDCHECK_CLIENT_ID missing; 3 Xero refused or the
browser did not come back.""",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_REDIRECT_PORT,
    show_default=True,
    help="Loopback port of the redirect http://localhost:PORT/callback.",
)
@click.option("--no-browser", is_flag=True, help="Only print the sign-in URL; do not open it.")
@click.option(
    "--accounting-settings",
    is_flag=True,
    help=f"Also ask for {SETTINGS_SCOPE} (/Organisation, /Accounts).",
)
@source_option("Ask for the scopes `lendcheck fetch --source` needs (docs/live.md).")
@click.option(
    "--timeout",
    type=click.IntRange(10, 3600),
    default=300,
    show_default=True,
    help="Seconds to wait for the browser to come back.",
)
@click.pass_context
def login_cmd(
    ctx: click.Context,
    port: int,
    no_browser: bool,
    accounting_settings: bool,
    source: str,
    timeout: int,
) -> None:
    """Sign in with your browser (authorization code + PKCE) and store the tokens.

    Asks for offline_access and the three Finance API scopes; with --source accounting the
    four Accounting API scopes instead, with --source both all seven. The tokens go to a file
    of mode 0600 in a 0700 directory under your state directory (LENDCHECK_STATE_DIR
    overrides) and are refreshed automatically; they are never printed or logged.
    """
    with handle_errors(ctx):
        from lendcheck.xero.auth import StoredLoginSource, login
        from lendcheck.xero.config import scopes_for

        settings = _settings(ctx)
        scopes = scopes_for(source, accounting_settings=accounting_settings)
        stored = login(
            settings,
            port=port,
            scopes=scopes,
            open_browser=None if no_browser else webbrowser.open,
            echo=lambda line: click.echo(line, err=True),
            timeout=float(timeout),
        )
        click.echo(f"Signed in; tokens stored in {settings.token_store} (mode 0600).", err=True)
        if stored.token.refresh_token is None:
            click.echo(
                "Xero granted no refresh token (offline_access): log in again in 30 minutes.",
                err=True,
            )
        _print_tenants(settings, StoredLoginSource(settings), as_json=False)


def _print_tenants(settings: Settings, tokens: TokenSource, *, as_json: bool) -> None:
    from lendcheck.xero.client import list_connections

    connections = list_connections(settings, tokens)
    if as_json:
        click.echo(json.dumps(connections, indent=2, sort_keys=True))
        return
    if not connections:
        click.echo("No organisations are connected to this login.", err=True)
        return
    for connection in connections:
        click.echo(
            f"{clean_untrusted(str(connection.get('tenantId', '')), 40):<38} "
            f"{clean_untrusted(str(connection.get('tenantType', '')), 20):<14} "
            f"{clean_untrusted(str(connection.get('tenantName', '')))}"
        )


@auth.command(
    "tenants",
    epilog="""\b
Examples:
  lendcheck auth tenants
  lendcheck auth tenants --json | jq -r '.[].tenantId'
  lendcheck fetch --tenant-id TENANT_ID -o snapshots/acme""",
)
@click.option("--json", "as_json", is_flag=True, help="Print Xero's connection objects as JSON.")
@click.pass_context
def tenants_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the organisations (tenantId, type, name) the credentials can read."""
    with handle_errors(ctx):
        from lendcheck.xero.auth import token_source

        settings = _settings(ctx)
        _print_tenants(settings, token_source(settings), as_json=as_json)


@auth.command(
    "logout",
    epilog="""\b
Examples:
  lendcheck auth logout""",
)
@click.pass_context
def logout_cmd(ctx: click.Context) -> None:
    """Revoke the stored login at Xero and delete the token store.

    LENDCHECK_ACCESS_TOKEN and custom-connection credentials live in your environment and are
    not touched.
    """
    with handle_errors(ctx):
        from lendcheck.xero.auth import logout

        settings = _settings(ctx)
        if logout(settings):
            click.echo(
                f"Signed out: the login is revoked at Xero and {settings.token_store} is deleted.",
                err=True,
            )
        else:
            click.echo(f"Not signed in (no token store at {settings.token_store}).", err=True)
