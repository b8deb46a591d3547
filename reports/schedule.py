"""When the reports go out: the cadence setting as the EventBridge Scheduler cron it deploys as,
the next send after a moment, computed in the schedule's zone, and the answer the Reports page
shows (pure; no clock, no AWS — reports/deployed_schedule.py reads the schedule in AWS)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import cron

# The same forms as scripts/deploy/settings.py CADENCES (the deploy creates the schedule).
CADENCES = {"weekly": "cron(0 6 ? * MON *)", "monthly": "cron(0 6 1 * ? *)"}
# A raw Scheduler expression the deploy also accepts (scripts/deploy/settings.py `_expression`).
RAW_EXPRESSION = re.compile(r"cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)")
SETTINGS = "settings"  # the answer's `source` when it is worked out from REPORTS_SCHEDULE(_TZ)


def is_zone(name: str) -> bool:
    """Whether `name` is an IANA zone this Python knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def is_schedule(value: str) -> bool:
    """Whether `value` is a cadence name or a raw cron(...)/rate(...) the deploy accepts."""
    return value in CADENCES or RAW_EXPRESSION.fullmatch(value) is not None


def expression_of(value: str) -> str:
    """Return the Scheduler expression of a cadence name, or a raw expression as it is."""
    return CADENCES.get(value, value)


def next_send(cadence: str, zone: str, now: datetime) -> datetime:
    """Return the first send strictly after `now` (aware), as an aware time in `zone`: weekly on
    Monday at 06:00, monthly on the 1st at 06:00, local wall-clock time across DST changes."""
    if cadence not in CADENCES:
        raise ValueError(f"unknown cadence {cadence!r}")
    return next_run(CADENCES[cadence], zone, now)


def next_run(expression: str, zone: str, now: datetime) -> datetime | None:
    """Return the first run of a Scheduler expression strictly after `now`, in `zone`; None for
    a rate(...) (counted from when the schedule was made), a cron(...) we do not read, or one
    that never runs again."""
    parsed = cron.parse(expression)
    return parsed.next_after(zone, now) if parsed else None


def cadence_of(expression: str) -> str:
    """Name the rhythm of an expression: daily, weekly or monthly at one time of day, else custom."""
    parsed = cron.parse(expression)
    if parsed is None or len(parsed.minutes) != 1 or len(parsed.hours) != 1:
        return "custom"
    if len(parsed.months) != 12 or parsed.years is not None:
        return "custom"
    if parsed.days is None and parsed.weekdays is None:
        return "daily"
    if parsed.days is None and len(parsed.weekdays) == 1:
        return "weekly"
    if parsed.weekdays is None and len(parsed.days) == 1:
        return "monthly"
    return "custom"


def describe(
    value: str,
    zone: str,
    now: datetime,
    *,
    source: str = SETTINGS,
    state: str = "ENABLED",
    reason: str | None = None,
) -> dict:
    """The schedule as the dashboard shows it: cadence, zone, expression and the next send (ISO
    8601 with its offset, and in UTC) with the zone's abbreviation at that moment; whether it is
    paused (a DISABLED schedule sends nothing); where it was read, and why not from AWS."""
    expression = expression_of(value)
    paused = state == "DISABLED"
    when = None if paused else next_run(expression, zone, now)
    return {
        "cadence": cadence_of(expression),
        "zone": zone,
        "expression": expression,
        "next_send": when.isoformat() if when else None,
        "next_send_utc": when.astimezone(UTC).isoformat().replace("+00:00", "Z") if when else None,
        "zone_abbreviation": when.tzname() if when else None,
        "paused": paused,
        "source": source,
        "reason": reason,
    }
