"""When the reports go out: the cadence setting as the EventBridge Scheduler cron it deploys as,
and the next send after a moment, computed in the schedule's zone (pure; no clock, no AWS)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The same forms as scripts/deploy/settings.py CADENCES (the deploy creates the schedule).
CADENCES = {"weekly": "cron(0 6 ? * MON *)", "monthly": "cron(0 6 1 * ? *)"}
# A raw Scheduler expression the deploy also accepts (scripts/deploy/settings.py `_expression`).
RAW_EXPRESSION = re.compile(r"cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)")
SEND_AT = time(6, 0)
MONDAY = 0


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


def next_send(cadence: str, zone: str, now: datetime) -> datetime:
    """Return the first send strictly after `now` (aware), as an aware time in `zone`: weekly on
    Monday at 06:00, monthly on the 1st at 06:00, local wall-clock time across DST changes."""
    if cadence not in CADENCES:
        raise ValueError(f"unknown cadence {cadence!r}")
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    day = local.date()
    while True:
        if cadence == "weekly":
            candidate_day = day + timedelta(days=(MONDAY - day.weekday()) % 7)
        else:
            candidate_day = day.replace(day=1) if day.day == 1 else _first_of_next_month(day)
        candidate = datetime.combine(candidate_day, SEND_AT, tzinfo=tz)
        if candidate > local:
            return candidate
        day = candidate_day + timedelta(days=1)


def _first_of_next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def describe(cadence: str, zone: str, now: datetime) -> dict:
    """The schedule as the dashboard shows it: cadence, zone, cron expression and the next send
    (ISO 8601 with its offset, and in UTC), with the zone's abbreviation at that moment. A raw
    cron(...)/rate(...) is shown as it is, with no next send (`cadence` "custom")."""
    if cadence not in CADENCES:
        return {
            "cadence": "custom",
            "zone": zone,
            "expression": cadence,
            "next_send": None,
            "next_send_utc": None,
            "zone_abbreviation": None,
        }
    when = next_send(cadence, zone, now)
    return {
        "cadence": cadence,
        "zone": zone,
        "expression": CADENCES[cadence],
        "next_send": when.isoformat(),
        "next_send_utc": when.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "zone_abbreviation": when.tzname(),
    }
