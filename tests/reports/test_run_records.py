"""Runs and report sends as records: derived statuses, and the items and summary they keep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from reports.runs.records import ReportSend, Run, RunStatus, SendStatus, millis
from reports.runs.summary import summarise

NOW = datetime(2026, 11, 23, 14, 0, 5, tzinfo=UTC)

# Items as DynamoDB gives them back (numbers are Decimal), in the shapes stored before the types.
RUN_ITEM = {
    "run_id": "run-1",
    "trigger": "schedule",
    "dry_run": False,
    "reports": ["ceo", "cfo", "cmo"],
    "status": "running",
    "key": "2026-11-23T14:00:00Z",
    "created_at": "2026-11-23T14:00:00+00:00",
    "started_at": "2026-11-23T14:00:01+00:00",
    "lease_until": Decimal(millis(NOW + timedelta(minutes=14))),
    "expires_at": Decimal(1_814_000_000),
}
SENT_ITEM = {
    "run_id": "run-1",
    "report_id": "ceo",
    "status": "sent",
    "recipients": ["owner@example.com"],
    "subject": "CEO briefing",
    "metrics": {"burn": Decimal("7795")},
    "archived": ["outbox/archive/run-1/ceo.html"],
    "message_id": "m-1",
    "sent_at": "2026-11-23T14:00:03+00:00",
    "attempts": Decimal(1),
    "expires_at": Decimal(1_814_000_000),
}
FAILED_ITEM = {"run_id": "run-1", "report_id": "cfo", "status": "failed", "error": "ledger.csv:4: bad date"}
CLAIMED_ITEM = {"run_id": "run-1", "report_id": "cmo", "status": "in_progress", "attempts": Decimal(2)}


@pytest.mark.parametrize("item", [RUN_ITEM, {**RUN_ITEM, "status": "partial", "notice_sent": True}])
def test_a_run_item_reads_and_writes_back_unchanged(item):
    assert Run.from_item(item).to_item() == item


@pytest.mark.parametrize("item", [SENT_ITEM, FAILED_ITEM, CLAIMED_ITEM])
def test_a_send_item_reads_and_writes_back_unchanged(item):
    assert ReportSend.from_item(item).to_item() == item


def test_a_running_run_is_stalled_once_its_lease_has_ended():
    run = Run.from_item(RUN_ITEM)
    assert run.status_at(NOW) is RunStatus.RUNNING
    assert run.status_at(NOW + timedelta(minutes=15)) is RunStatus.STALLED
    # only a running run stalls: a queued or finished one reads as stored, whatever the time
    for status in (RunStatus.QUEUED, RunStatus.SUCCEEDED):
        later = Run.from_item({**RUN_ITEM, "status": status})
        assert later.status_at(NOW + timedelta(days=1)) is status


def test_finished_done_and_decided_are_derived_from_the_status():
    assert {s for s in RunStatus if s.is_finished} == {"succeeded", "partial", "failed"}
    assert {s for s in SendStatus if s.is_done} == {"sent", "dry_run", "skipped"}
    assert {s for s in SendStatus if s.is_decided} == {"sent", "dry_run", "skipped", "failed"}
    assert ReportSend.from_item(FAILED_ITEM).is_decided and not ReportSend.from_item(FAILED_ITEM).is_done


def test_the_summary_keeps_the_spec_shape():
    sends = {item["report_id"]: ReportSend.from_item(item) for item in (SENT_ITEM, FAILED_ITEM, CLAIMED_ITEM)}
    summary = summarise(Run.from_item(RUN_ITEM), sends, now=NOW + timedelta(minutes=15))
    assert summary == {
        "run_id": "run-1",
        "trigger": "schedule",
        "status": "stalled",
        "dry_run": False,
        "started_at": "2026-11-23T14:00:01+00:00",
        "finished_at": None,
        "reports": [
            {
                "id": "ceo",
                "status": "sent",
                "recipients": ["owner@example.com"],
                "message_id": "m-1",
                "error": None,
                "sent_at": "2026-11-23T14:00:03+00:00",
                "deliveries": [],  # until SES reports (with_deliveries fills them)
            },
            {
                "id": "cfo",
                "status": "failed",
                "recipients": [],
                "message_id": None,
                "error": "ledger.csv:4: bad date",
                "sent_at": None,
                "deliveries": [],
            },
            {
                "id": "cmo",
                "status": "pending",
                "recipients": [],
                "message_id": None,
                "error": None,
                "sent_at": None,
                "deliveries": [],
            },
        ],
    }
    assert type(summary["status"]) is str and type(summary["reports"][0]["status"]) is str
