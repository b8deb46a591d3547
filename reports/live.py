"""Live operating counts from the host app, behind one small interface.

The engine asks a `LiveCounts` source for the counts and never imports the host's storage,
so it can be tested and previewed with no AWS at all (counts are then marked unavailable).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Live:
    """The counts (SPEC section 3's `live` object), or why they are unavailable."""

    counts: dict | None
    unavailable_reason: str | None = None

    @property
    def available(self) -> bool:
        return self.counts is not None


def unavailable(reason: str) -> Callable[[], Live]:
    """Return a source that always reports the counts as unavailable, saying why."""
    return lambda: Live(None, reason)


def from_host() -> Callable[[], Live]:
    """Return a source reading the host's aggregate counters (one DynamoDB item per read)."""

    def read() -> Live:
        try:
            from shipcaptaincrew.app import get_app

            return Live(get_app().live_counts().as_dict())
        except Exception as error:  # noqa: BLE001 - a report without live counts still goes out
            log.warning("live counts unavailable", extra={"error": str(error)})
            return Live(None, f"live counts could not be read ({type(error).__name__})")

    return read
