"""Pure pieces of delivery: pacing, send-rate discovery, run ids, statuses and "since last"."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from botocore.exceptions import ClientError

from reports.email.pacing import FALLBACK_RATE, MAX_WORKERS, Pacer, max_send_rate, workers_for
from reports.history import Metric, since_last, stored
from reports.runs.records import ReportSend, Run, RunStatus, SendStatus
from reports.runs.store import run_id_for
from reports.runs.summary import overall_status, summarise


class FakeTime:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self):
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def test_pacer_spaces_sends_one_interval_apart():
    # GIVEN a rate of 4 emails a second (interval 0.25 s) and five sends asked for at once
    time = FakeTime()
    pacer = Pacer(4, clock=time.clock, sleep=time.sleep)
    for _ in range(5):
        pacer.wait()
    # THEN the first goes at once and each later one waits for its 0.25 s slot
    assert time.sleeps == [0.25, 0.25, 0.25, 0.25]
    assert time.now == pytest.approx(101.0)  # 5 sends at 4/s take 1 s of slots after the first


def test_pacer_does_not_wait_when_sends_are_already_slower_than_the_rate():
    time = FakeTime()
    pacer = Pacer(2, clock=time.clock, sleep=time.sleep)
    pacer.wait()
    time.now += 3  # the next send comes 3 s later: its slot (0.5 s after the first) is long past
    pacer.wait()
    assert time.sleeps == []


def test_pacer_refuses_a_rate_that_is_not_positive():
    with pytest.raises(ValueError):
        Pacer(0)


@pytest.mark.parametrize(("rate", "workers"), [(0.5, 1), (1, 1), (14, MAX_WORKERS), (3.2, 4)])
def test_concurrency_follows_the_rate_up_to_the_cap(rate, workers):
    assert workers_for(rate) == workers


class Quota:
    def __init__(self, v2=None, v1=None):
        self.v2, self.v1 = v2, v1

    def get_account(self):
        if self.v2 is None:
            raise ClientError({"Error": {"Code": "NotImplemented"}}, "GetAccount")
        return {"SendQuota": {"MaxSendRate": self.v2}}

    def get_send_quota(self):
        if self.v1 is None:
            raise ClientError({"Error": {"Code": "AccessDenied"}}, "GetSendQuota")
        return {"MaxSendRate": self.v1}


def test_send_rate_comes_from_configuration_then_sesv2_then_ses_then_the_sandbox_rate():
    assert max_send_rate(Quota(v2=14), Quota(v1=1), configured=20) == 20
    assert max_send_rate(Quota(v2=14), Quota(v1=1)) == 14
    assert max_send_rate(Quota(), Quota(v1=7)) == 7
    assert max_send_rate(Quota(), Quota()) == FALLBACK_RATE


def test_a_run_key_always_gives_the_same_run_and_no_key_a_new_one():
    assert run_id_for("schedule", "2026-11-23T14:00:00Z") == run_id_for("schedule", "2026-11-23T14:00:00Z")
    assert run_id_for("schedule", "2026-11-23T14:00:00Z") != run_id_for("dashboard", "2026-11-23T14:00:00Z")
    assert run_id_for("dashboard", None) != run_id_for("dashboard", None)


@pytest.mark.parametrize(
    ("statuses", "overall"),
    [
        (["sent", "sent"], "succeeded"),
        (["dry_run", "dry_run"], "succeeded"),
        (["sent", "failed"], "partial"),
        (["failed", "failed"], "failed"),
        (["sent", "in_progress"], "running"),
        (["sent", None], "running"),  # never claimed yet
    ],
)
def test_a_run_is_decided_only_when_every_report_is(statuses, overall):
    sends = {f"r{i}": ReportSend("run-1", f"r{i}", SendStatus(s)) for i, s in enumerate(statuses) if s}
    assert overall_status([f"r{i}" for i in range(len(statuses))], sends) is RunStatus(overall)


def test_the_summary_lists_every_report_in_run_order_with_in_progress_shown_as_pending():
    run = Run("run-1", "cli", ("cfo", "ceo"), status=RunStatus.RUNNING)
    sends = {"ceo": ReportSend("run-1", "ceo", SendStatus.IN_PROGRESS, recipients=("a@example.com",))}
    summary = summarise(run, sends, now=datetime(2026, 11, 23, tzinfo=UTC))
    assert [r["id"] for r in summary["reports"]] == ["cfo", "ceo"]
    assert [r["status"] for r in summary["reports"]] == ["pending", "pending"]
    assert summary["dry_run"] is False and summary["finished_at"] is None


def test_since_last_gives_each_metric_its_change_and_skips_what_cannot_be_compared():
    # GIVEN burn $8,411 now vs $8,011 last time (+$400), runway 5.5 vs 6.0 months (-0.5),
    # and a list size with no earlier value
    metrics = {
        "burn": Metric("Burn", Decimal("8411"), "money"),
        "runway": Metric("Runway", Decimal("5.5"), "months"),
        "list": Metric("List", Decimal("3676"), "count"),
        "unknown": Metric("Unknown", None, "money"),
    }
    previous = {"at": "2026-11-16T14:00:05+00:00", "metrics": {"burn": Decimal("8011"), "runway": 6}}
    result = since_last(metrics, previous)
    assert result.previous_at == "2026-11-16T14:00:05+00:00"
    assert [(c.label, c.delta) for c in result.changes] == [
        ("Burn", Decimal("400")),
        ("Runway", Decimal("-0.5")),
    ]
    assert stored(metrics) == {"burn": Decimal("8411"), "runway": Decimal("5.5"), "list": Decimal("3676")}
    assert since_last(metrics, None) is None
