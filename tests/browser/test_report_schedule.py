"""The Reports page says when the reports go out and where that came from: EventBridge Scheduler
in AWS (paused when its schedule is disabled), the settings locally or when Scheduler cannot be
read, with the reason in small print."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser
NAME = "shipcaptaincrew-live-send-reports"
ANSWER = {
    "cadence": "weekly",
    "zone": "America/Los_Angeles",
    "expression": "cron(0 6 ? * MON *)",
    "next_send": "2026-12-07T06:00:00-08:00",
    "next_send_utc": "2026-12-07T14:00:00Z",
    "zone_abbreviation": "PST",
    "paused": False,
    "source": f"EventBridge Scheduler {NAME}",
    "reason": None,
}


def open_reports_with(page, sign_in, answer: dict):
    """Open Reports with GET /api/reports/schedule answered as the Lambda in AWS would."""
    sign_in(page)
    page.route(
        "**/api/reports/schedule",
        lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(answer)),
    )
    page.get_by_role("link", name="Reports").click()
    page.locator("#report-schedule-source").wait_for()
    return page.locator("#report-schedule").text_content(), page.locator("#report-schedule-source")


def test_the_schedule_read_from_scheduler_names_it(server, page, sign_in):
    line, source = open_reports_with(page, sign_in, ANSWER)
    assert line == "Next send: Mon 7 Dec 2026, 06:00 PST (weekly)"
    assert source.text_content() == f"From EventBridge Scheduler {NAME}."


def test_a_disabled_schedule_reads_as_paused(server, page, sign_in):
    paused = {**ANSWER, "paused": True, "next_send": None, "next_send_utc": None, "zone_abbreviation": None}
    line, _ = open_reports_with(page, sign_in, paused)
    assert line.startswith("Reports are paused")
    assert "Next send" not in line


def test_the_settings_fallback_says_why_in_small_print(server, page, sign_in):
    reason = f"EventBridge Scheduler {NAME} could not be read: AccessDeniedException (not authorized)"
    line, source = open_reports_with(page, sign_in, {**ANSWER, "source": "settings", "reason": reason})
    assert line == "Next send: Mon 7 Dec 2026, 06:00 PST (weekly)"
    assert source.text_content() == f"From the settings: {reason}."
    assert source.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") < 16  # small print


def test_a_custom_expression_is_named_by_itself(server, page, sign_in):
    custom = {**ANSWER, "cadence": "custom", "expression": "cron(0 8 ? * MON-FRI *)", "source": "settings"}
    line, source = open_reports_with(page, sign_in, custom)
    assert line == "Next send: Mon 7 Dec 2026, 06:00 PST (cron(0 8 ? * MON-FRI *))"
    assert source.text_content() == "From the settings."
