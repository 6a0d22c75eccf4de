"""The Accounting API half of ``lendcheck fetch --source accounting|both``.

Runs :mod:`lendcheck.xero.accounting_plan` with an open client: the eight fixed calls and the first
page of each paged list at once (as far as the organisation's limits allow: the client holds
every call of both APIs to 5 in flight and 60 a minute), then each list's next page as soon as
its page comes back full, one page at a time per list (Xero pages by ``page`` number or journal
``offset``; a page can only be asked for once the one before it says there is more).

A call Xero refuses with a JSON body is kept with its status (the report names it); a list stops
at a refused page. Failures that say nothing about the data raise, as for the Finance API.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from lendcheck.xero import accounting_plan as plan
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.client import FinanceClient
from lendcheck.xero.errors import BadResponseError

#: Bodies above this size wait for the manifest on disk rather than in memory (bytes).
_SPOOL_BYTES = 8 * 1024 * 1024
#: Pages of one list beyond which the answers are taken to be wrong, not long (a list that
#: never ends would use up the organisation's 5,000 calls a day).
MAX_PAGES = 2000


@dataclass
class Tally:
    """Calls done and known so far, shared by both APIs' halves of a fetch, for progress.

    ``report(done, total, call, status)`` is called after each call.
    """

    report: Callable[[int, int, fp.PlannedCall, int], None]
    done: int = 0
    total: int = 0

    def expect(self, calls: int) -> None:
        """``calls`` more calls are known to be needed."""
        self.total += calls

    def tick(self, call: fp.PlannedCall, status: int) -> None:
        """One call came back."""
        self.done += 1
        self.report(self.done, max(self.total, self.done), call, status)


@dataclass
class Answers:
    """What the Accounting API answered, in plan order: ``(call, status, body)`` each, the body
    spooled (in memory, on disk when large)."""

    calls: list[tuple[fp.PlannedCall, int, IO[bytes]]] = field(default_factory=list)

    def close(self) -> None:
        """Drop the spooled bodies."""
        for _, _, body in self.calls:
            body.close()


def spool(body: bytes) -> IO[bytes]:
    """A response body kept in memory up to 8 MiB, on disk beyond (closed by its owner)."""
    spooled = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
    spooled.write(body)
    return spooled


async def run_all(
    tasks: list[asyncio.Task[None]], spooled: Callable[[], Iterable[IO[bytes]]]
) -> None:
    """Wait for every task. At the first failure: cancel the others, wait for them to end,
    close every body spooled so far (``spooled()``) and raise that failure, so a failed fetch
    leaves no task running and no temporary file behind (the Finance and the Accounting API
    fetch alike)."""
    try:
        if tasks:
            finished, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            failures = [e for t in finished if (e := t.exception()) is not None]
            if failures:
                raise failures[0]
    except BaseException:
        for body in spooled():
            body.close()
        raise


async def fetch_accounting(
    client: FinanceClient,
    *,
    tenant_id: str,
    as_of: date,
    months: int,
    tally: Tally,
    page_size: int = plan.PAGE_SIZE,
) -> Answers:
    """Run the Accounting API plan for one organisation.

    Args:
        client: an entered client (its limits are shared with any Finance API calls).
        tenant_id: the organisation.
        as_of: the report date.
        months: months of bank statements (the bank transactions cover them too).
        tally: progress, shared with the Finance API half.
        page_size: records a page of /Invoices and /BankTransactions.

    Returns:
        :class:`Answers` in plan order (fixed calls, then each list's pages in order). The
        caller closes it.

    Raises:
        XeroError: a failure that stops the fetch; BadResponseError for a list that does not
            end within :data:`MAX_PAGES` pages.
    """
    fixed = plan.fixed_calls(as_of)
    firsts = plan.first_pages(as_of, months, page_size)
    tally.expect(len(fixed) + len(firsts))
    answers = Answers()
    slots: list[list[tuple[fp.PlannedCall, int, IO[bytes]]]] = [[] for _ in fixed + firsts]

    async def one(index: int, call: fp.PlannedCall) -> None:
        answer = await client.get(
            call.endpoint, call.params, tenant_id=tenant_id, api=call.api, headers=call.headers
        )
        slots[index].append((call, answer.status, spool(answer.body)))
        tally.tick(call, answer.status)

    async def pages(index: int, first: fp.PlannedCall) -> None:
        call: fp.PlannedCall | None = first
        count = 0
        while call is not None:
            count += 1
            if count > MAX_PAGES:
                raise BadResponseError(
                    f"{first.endpoint} for organisation {tenant_id}: still full after "
                    f"{MAX_PAGES} pages; Xero's paging did not end",
                    endpoint=first.endpoint,
                    tenant_id=tenant_id,
                )
            answer = await client.get(
                call.endpoint, call.params, tenant_id=tenant_id, api=call.api, headers=call.headers
            )
            slots[index].append((call, answer.status, spool(answer.body)))
            tally.tick(call, answer.status)
            if not answer.ok:
                return
            call = plan.next_page(call, json.loads(answer.body))
            if call is not None:
                tally.expect(1)

    tasks = [asyncio.create_task(one(i, c)) for i, c in enumerate(fixed)]
    tasks += [asyncio.create_task(pages(len(fixed) + i, c)) for i, c in enumerate(firsts)]
    await run_all(tasks, lambda: (body for slot in slots for _, _, body in slot))
    for slot in slots:
        answers.calls.extend(slot)
    return answers
