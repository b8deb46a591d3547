"""reports/schedule.py: when the scheduled reports go out next, in the schedule's zone."""

from datetime import UTC, datetime

import pytest

from reports import schedule

LA = "America/Los_Angeles"


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def test_weekly_is_the_next_monday_at_six_local():
    # Friday 4 Dec 2026, 22:43 UTC (14:43 PST) → Monday 7 Dec, 06:00 PST
    when = schedule.next_send("weekly", LA, utc(2026, 12, 4, 22, 43))
    assert when.isoformat() == "2026-12-07T06:00:00-08:00"
    assert when.tzname() == "PST"


def test_weekly_on_monday_before_and_after_six():
    before = schedule.next_send("weekly", LA, utc(2026, 12, 7, 13, 59))  # 05:59 PST
    after = schedule.next_send("weekly", LA, utc(2026, 12, 7, 14, 0))  # 06:00 PST, just sent
    assert before.isoformat() == "2026-12-07T06:00:00-08:00"
    assert after.isoformat() == "2026-12-14T06:00:00-08:00"


def test_weekly_across_the_spring_dst_change_keeps_six_local():
    # DST starts Sunday 8 Mar 2026; the Monday after is 06:00 PDT (13:00 UTC, not 14:00)
    when = schedule.next_send("weekly", LA, utc(2026, 3, 6, 12, 0))
    assert when.isoformat() == "2026-03-09T06:00:00-07:00"
    assert when.tzname() == "PDT"
    assert when.astimezone(UTC) == utc(2026, 3, 9, 13, 0)


def test_monthly_is_the_first_at_six_local_across_the_autumn_dst_change():
    # DST ends Sunday 1 Nov 2026; from 15 Oct (PDT) the next send is 1 Nov 06:00 PST
    when = schedule.next_send("monthly", LA, utc(2026, 10, 15, 12, 0))
    assert when.isoformat() == "2026-11-01T06:00:00-08:00"
    assert when.tzname() == "PST"


def test_monthly_on_the_first_and_at_year_end():
    assert (
        schedule.next_send("monthly", LA, utc(2026, 12, 1, 13, 0)).isoformat() == "2026-12-01T06:00:00-08:00"
    )
    assert (
        schedule.next_send("monthly", LA, utc(2026, 12, 1, 14, 0)).isoformat() == "2027-01-01T06:00:00-08:00"
    )
    assert schedule.next_send("monthly", LA, utc(2026, 12, 20)).isoformat() == "2027-01-01T06:00:00-08:00"


def test_describe_names_cadence_zone_expression_and_next_send():
    assert schedule.describe("weekly", LA, utc(2026, 12, 4, 22, 43)) == {
        "cadence": "weekly",
        "zone": LA,
        "expression": "cron(0 6 ? * MON *)",
        "next_send": "2026-12-07T06:00:00-08:00",
        "next_send_utc": "2026-12-07T14:00:00Z",
        "zone_abbreviation": "PST",
    }
    assert (
        schedule.describe("monthly", "Europe/London", utc(2026, 12, 4))["expression"] == "cron(0 6 1 * ? *)"
    )


def test_cadences_match_the_deploy():
    from scripts.deploy.settings import CADENCES

    assert schedule.CADENCES == CADENCES


def test_an_unknown_cadence_is_refused():
    with pytest.raises(ValueError):
        schedule.next_send("daily", LA, utc(2026, 12, 4))
    assert schedule.is_zone(LA) and not schedule.is_zone("Mars/Olympus")


def test_a_raw_expression_is_shown_as_it_is_with_no_next_send():
    assert schedule.is_schedule("cron(0 9 ? * FRI *)") and schedule.is_schedule("rate(7 days)")
    assert not schedule.is_schedule("fortnightly")
    described = schedule.describe("cron(0 9 ? * FRI *)", LA, utc(2026, 12, 4))
    assert described["cadence"] == "custom" and described["next_send"] is None
    assert described["expression"] == "cron(0 9 ? * FRI *)"
