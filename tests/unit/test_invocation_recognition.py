"""Telling Lambda events apart, and the pure nudge rule, on real-shaped sample events."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from shipcaptaincrew import dispatch
from shipcaptaincrew.nudges import NudgeSummary, is_due

EVENTS = Path(__file__).resolve().parent.parent / "events"


def sample(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


@pytest.mark.parametrize(
    ("name", "http", "sqs", "rule"),
    [
        ("apigw_http_v2_get_me.json", True, False, None),
        ("apigw_rest_v1_get_me.json", True, False, None),
        ("scheduler_push_to_book.json", False, False, None),
        ("eventbridge_scheduled_push_to_book.json", False, False, "ptb_push_to_book"),
        ("sqs_actions.json", False, True, None),
    ],
)
def test_each_sample_event_is_recognised_for_what_it_is(name, http, sqs, rule):
    event = sample(name)
    assert dispatch.is_http(event) is http
    assert dispatch.is_sqs(event) is sqs
    assert dispatch.rule_name(event) == rule


def test_a_scheduled_envelope_without_a_rule_arn_has_an_empty_rule_name():
    assert dispatch.rule_name({"detail-type": "Scheduled Event", "resources": ["not-an-arn"]}) == ""


def test_records_from_another_source_are_not_sqs():
    assert not dispatch.is_sqs({"Records": [{"eventSource": "aws:s3"}]})
    assert not dispatch.is_sqs({"Records": []})


NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)
DUE = {
    "status": "hold",
    "contact_email": "guest@example.com",
    "date": "2026-03-20",
    "created_at": (NOW - timedelta(days=3)).isoformat(),  # exactly 3 days old: due
}


@pytest.mark.parametrize(
    ("changes", "due"),
    [
        ({}, True),
        ({"status": "inquiry"}, True),
        ({"date": "2026-03-10"}, True),  # today still counts
        ({"status": "booked"}, False),
        ({"status": "cancelled"}, False),
        ({"contact_email": ""}, False),
        ({"date": "2026-03-09"}, False),  # yesterday
        ({"created_at": (NOW - timedelta(days=3) + timedelta(seconds=1)).isoformat()}, False),
    ],
)
def test_a_charter_is_due_a_nudge_only_when_open_dated_ahead_old_enough_and_reachable(changes, due):
    assert is_due({**DUE, **changes}, now=NOW, today=TODAY, after=timedelta(days=3)) is due


@pytest.mark.parametrize(
    ("sent", "failed", "status"),
    [([], [], "succeeded"), (["e1"], [], "succeeded"), (["e1"], [{}], "partial"), ([], [{}], "failed")],
)
def test_a_run_with_failures_is_partial_or_failed(sent, failed, status):
    assert NudgeSummary(sent=sent, failed=failed).as_dict()["status"] == status
