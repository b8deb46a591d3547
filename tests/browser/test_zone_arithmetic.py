"""The countdown's zone arithmetic (frontend/js/time.js) agrees with Python's zoneinfo,
including the days the clocks change, whatever zone the browser itself is in."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser
CASES = [
    ("2026-12-02", "14:00", "America/Los_Angeles"),  # winter, UTC-8
    ("2026-07-04", "21:30", "America/Los_Angeles"),  # summer, UTC-7
    ("2026-03-08", "01:30", "America/Los_Angeles"),  # the night the clocks go forward (2:00 -> 3:00)
    ("2026-03-08", "03:30", "America/Los_Angeles"),
    ("2026-11-01", "00:30", "America/Los_Angeles"),  # the day they go back
    ("2026-11-01", "03:00", "America/Los_Angeles"),
    ("2026-06-01", "09:15", "Pacific/Auckland"),
]


def test_zoned_instants_match_zoneinfo(server, browser):
    context = browser.new_context(timezone_id="Asia/Kolkata")  # a browser far from the business
    page = context.new_page()
    try:
        page.goto(server.url)
        got = page.evaluate(
            """async (cases) => {
                const time = await import('/js/time.js');
                return cases.map(([date, clock, zone]) => time.zonedInstant(date, clock, zone));
            }""",
            CASES,
        )
    finally:
        context.close()
    expected = [
        datetime.fromisoformat(f"{date}T{clock}").replace(tzinfo=ZoneInfo(zone)).timestamp() * 1000
        for date, clock, zone in CASES
    ]
    assert got == expected


def test_durations_and_distances_read_as_people_say_them(server, page):
    page.goto(server.url)
    words = page.evaluate(
        """async () => {
            const t = await import('/js/time.js');
            const now = Date.UTC(2026, 0, 1, 12, 0);
            return [
                t.durationWords(t.minutesBetween('10:00', '13:30')),
                t.durationWords(t.minutesBetween('17:00', '20:00')),
                t.durationWords(45),
                t.relativeWords(now + (2 * 1440 + 19 * 60) * 60000, now),
                t.relativeWords(now + 45 * 60000, now),
                t.relativeWords(now - 1440 * 60000, now),
            ];
        }"""
    )
    assert words == ["3 h 30 min", "3 h", "45 min", "in 2 days 19 h", "in 45 min", "1 day ago"]
