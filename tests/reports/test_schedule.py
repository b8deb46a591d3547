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
        "paused": False,
        "source": "settings",
        "reason": None,
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


def test_a_raw_expression_is_shown_as_it_is_and_a_cron_one_has_its_next_send():
    assert schedule.is_schedule("cron(0 9 ? * FRI *)") and schedule.is_schedule("rate(7 days)")
    assert not schedule.is_schedule("fortnightly")
    friday = schedule.describe("cron(0 9 ? * FRI *)", LA, utc(2026, 12, 4))
    assert friday["expression"] == "cron(0 9 ? * FRI *)" and friday["cadence"] == "weekly"
    assert friday["next_send"] == "2026-12-04T09:00:00-08:00"
    rate = schedule.describe("rate(7 days)", LA, utc(2026, 12, 4))
    assert rate["cadence"] == "custom" and rate["next_send"] is None


# --- any cron(...) the deploy may write, read in the schedule's own zone (EventBridge Scheduler)


@pytest.mark.parametrize(
    ("expression", "now", "expected"),
    [
        # the deploy's weekly default: Friday 4 Dec 2026 14:43 PST → Monday 7 Dec 06:00 PST
        ("cron(0 6 ? * MON *)", utc(2026, 12, 4, 22, 43), "2026-12-07T06:00:00-08:00"),
        # push-to-book's daily 09:00: before and after today's send
        ("cron(0 9 * * ? *)", utc(2026, 12, 4, 16, 59), "2026-12-04T09:00:00-08:00"),
        ("cron(0 9 * * ? *)", utc(2026, 12, 4, 17, 0), "2026-12-05T09:00:00-08:00"),
        # monthly on the 1st, at year end
        ("cron(0 6 1 * ? *)", utc(2026, 12, 20), "2027-01-01T06:00:00-08:00"),
        # Scheduler numbers weekdays 1-7 from Sunday: 6 is Friday; lists, ranges and steps
        ("cron(30 7 ? * 6 *)", utc(2026, 12, 4, 16, 0), "2026-12-11T07:30:00-08:00"),
        ("cron(0 8 ? * MON-FRI *)", utc(2026, 12, 5, 12, 0), "2026-12-07T08:00:00-08:00"),
        ("cron(0/15 * * * ? *)", utc(2026, 12, 4, 22, 43), "2026-12-04T14:45:00-08:00"),
        ("cron(0 6 15 JAN,JUL ? *)", utc(2026, 12, 4), "2027-01-15T06:00:00-08:00"),
        ("cron(0 6 1 * ? 2028)", utc(2026, 12, 4), "2028-01-01T06:00:00-08:00"),
    ],
)
def test_the_next_run_of_a_cron_expression_in_its_zone(expression, now, expected):
    assert schedule.next_run(expression, LA, now).isoformat() == expected


def test_a_daily_run_in_the_hour_spring_skips_is_skipped_and_the_autumn_repeat_runs_once():
    # 02:30 does not exist on Sunday 8 Mar 2026 in Los Angeles: Scheduler skips that day
    skipped = schedule.next_run("cron(30 2 * * ? *)", LA, utc(2026, 3, 7, 12, 0))
    assert skipped.isoformat() == "2026-03-09T02:30:00-07:00"
    # 01:30 happens twice on Sunday 1 Nov 2026: once, at the first (PDT) — not again at 01:30 PST
    first = schedule.next_run("cron(30 1 * * ? *)", LA, utc(2026, 11, 1, 7, 0))
    assert first.isoformat() == "2026-11-01T01:30:00-07:00"
    after = schedule.next_run("cron(30 1 * * ? *)", LA, first.astimezone(UTC))
    assert after.isoformat() == "2026-11-02T01:30:00-08:00"


@pytest.mark.parametrize(
    "expression", ["rate(7 days)", "cron(0 6 L * ? *)", "cron(0 6 ? * MON#1 *)", "at(2027-01-01T06:00:00)"]
)
def test_an_expression_whose_next_run_is_not_worked_out_has_none(expression):
    # rate(): counted from when the schedule was made, which GetSchedule does not say; L, W and #
    # are Scheduler features the deploy never writes
    assert schedule.next_run(expression, LA, utc(2026, 12, 4)) is None


def test_a_cron_that_never_fires_again_has_no_next_run():
    assert schedule.next_run("cron(0 6 1 1 ? 2020)", LA, utc(2026, 12, 4)) is None


@pytest.mark.parametrize(
    ("expression", "cadence"),
    [
        ("cron(0 6 ? * MON *)", "weekly"),
        ("cron(0 9 ? * FRI *)", "weekly"),
        ("cron(0 6 1 * ? *)", "monthly"),
        ("cron(0 9 * * ? *)", "daily"),
        ("cron(0 8 ? * MON-FRI *)", "custom"),
        ("rate(7 days)", "custom"),
    ],
)
def test_the_cadence_is_named_from_the_expression(expression, cadence):
    assert schedule.cadence_of(expression) == cadence


def test_a_disabled_schedule_is_paused_with_no_next_send():
    described = schedule.describe(
        "cron(0 6 ? * MON *)", LA, utc(2026, 12, 4), source="EventBridge Scheduler x", state="DISABLED"
    )
    assert described["paused"] is True and described["next_send"] is None
    assert described["source"] == "EventBridge Scheduler x" and described["reason"] is None


def test_the_settings_answer_carries_the_reason_it_is_not_the_deployed_schedule():
    described = schedule.describe("weekly", LA, utc(2026, 12, 4), reason="no access")
    assert described["source"] == "settings" and described["reason"] == "no access"
    assert described["paused"] is False and described["next_send"] == "2026-12-07T06:00:00-08:00"
