"""How long one invocation may work: Lambda's remaining time, or a local budget."""

from __future__ import annotations

from datetime import datetime, timedelta

LOCAL_BUDGET = timedelta(minutes=15)  # Lambda's own maximum
SAFETY_MARGIN_MS = 5_000


def deadline_of(context, now: datetime) -> datetime:
    """Return when this invocation will be stopped: Lambda's remaining time, less a margin to
    record what was done; without a Lambda context (local runs), a generous fixed budget."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        return now + LOCAL_BUDGET
    return now + timedelta(milliseconds=max(0, remaining() - SAFETY_MARGIN_MS))
