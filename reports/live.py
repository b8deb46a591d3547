"""Live operating counts from the host app, behind one small interface.

The engine asks a source (a function returning `Live`) for the counts and never imports the
host's storage, so it can be tested and previewed with no AWS at all (counts are then marked
unavailable). The runtime's source reads the host's aggregate counters (`Reports.live_counts`)
and, beside them, the live AWS source (`account`: cost, usage and the security audit), once per
run like the counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .account.model import Account


@dataclass(frozen=True)
class Live:
    """The counts (SPEC section 3's `live` object), or why they are unavailable."""

    counts: dict | None
    unavailable_reason: str | None = None
    account: Account | None = None  # the live AWS source; None: not consulted (nothing is said of it)

    @property
    def available(self) -> bool:
        return self.counts is not None


def unavailable(reason: str, account: Account | None = None) -> Callable[[], Live]:
    """Return a source that always reports the counts as unavailable, saying why."""
    return lambda: Live(None, reason, account)
