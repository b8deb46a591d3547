"""EventBridge Scheduler's cron(minutes hours day-of-month month day-of-week year), read as
Scheduler reads it: in the schedule's own zone, skipping a wall-clock time that a spring DST change
removes and running once at a time the autumn change repeats (pure; no clock, no AWS).

Lists, ranges, steps and names are understood; `L`, `W` and `#` (which the deploy never writes)
are not, and such an expression parses to None, as does rate(...) or at(...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CRON = re.compile(r"cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)")
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
# Scheduler numbers the days of the week 1-7 from Sunday.
WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
HORIZON_DAYS = 5 * 366  # a cron with no run within five years is taken to have none


@dataclass(frozen=True)
class Cron:
    """The times a cron expression allows; None for a day field means any day."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] | None
    months: frozenset[int]
    weekdays: frozenset[int] | None  # Python's numbering: Monday is 0
    years: frozenset[int] | None

    def runs_on(self, day: date) -> bool:
        """Whether the expression allows `day` (month, day of month, day of week and year)."""
        return (
            day.month in self.months
            and (self.days is None or day.day in self.days)
            and (self.weekdays is None or day.weekday() in self.weekdays)
            and (self.years is None or day.year in self.years)
        )

    def next_after(self, zone: str, now: datetime) -> datetime | None:
        """Return the first run strictly after `now` (aware), as an aware time in `zone`."""
        tz = ZoneInfo(zone)
        day = now.astimezone(tz).date()
        times = sorted(time(hour, minute) for hour in self.hours for minute in self.minutes)
        for _ in range(HORIZON_DAYS):
            if self.runs_on(day):
                for moment in times:
                    candidate = datetime.combine(day, moment, tzinfo=tz)  # fold 0: the first of two
                    if candidate > now and _exists(candidate):
                        return candidate
            day += timedelta(days=1)
        return None


def parse(expression: str) -> Cron | None:
    """Return the Cron a cron(...) expression stands for, or None when it is not one we read."""
    found = CRON.fullmatch(expression.strip())
    if not found:
        return None
    minutes, hours, days, months, weekdays, years = found.groups()
    try:
        return Cron(
            minutes=_field(minutes, 0, 59),
            hours=_field(hours, 0, 23),
            days=None if days in ("?", "*") else _field(days, 1, 31),
            months=_field(months, 1, 12, MONTHS),
            weekdays=None if weekdays in ("?", "*") else _weekdays(weekdays),
            years=None if years == "*" else _field(years, 1970, 2199),
        )
    except ValueError:
        return None


def _exists(moment: datetime) -> bool:
    """Whether a local wall-clock time happens at all (a spring DST change skips an hour)."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def _weekdays(text: str) -> frozenset[int]:
    return frozenset((number - 2) % 7 for number in _field(text, 1, 7, WEEKDAYS))


def _field(text: str, low: int, high: int, names: tuple[str, ...] = ()) -> frozenset[int]:
    """Return the values a comma-separated list of `*`, `N`, `N-M` and `.../STEP` allows."""
    values: set[int] = set()
    for part in text.split(","):
        span, _, step = part.partition("/")
        if span == "*":
            first, last = low, high
        else:
            start, dash, end = span.partition("-")
            first = _value(start, low, names)
            last = _value(end, low, names) if dash else (high if step else first)
        stride = int(step) if step else 1
        if not (low <= first <= last <= high) or stride < 1:
            raise ValueError(f"{part!r} is outside {low}-{high}")
        values.update(range(first, last + 1, stride))
    return frozenset(values)


def _value(text: str, low: int, names: tuple[str, ...]) -> int:
    if text.upper() in names:
        return names.index(text.upper()) + low
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a number")
    return int(text)
