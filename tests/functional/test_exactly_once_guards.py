"""Each exactly-once guard on its own (SPEC section 5). A run is guarded by a stack: the run's
create-once condition, the run claim, the skip list of decided reports, the per-report send claim
and the once-per-run failure notice. Each test below puts the run in the one state where only its
guard stands between the run and a second email (or a second build), so removing that guard alone
fails it; its docstring names the guard.

The engine runs against the moto server (the real conditional writes) with a recording outbox
and a fixed clock (tests/engine_world.py): no sleeps, no threads of the test's own.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from engine_world import DEADLINE, NOW, REJECTED, REPORTS, THROTTLED, engine_world, start, statuses
from report_delivery import delivering

from reports.runs import engine
from reports.runs.records import RunStatus, SendStatus


@pytest.fixture
def settings(settings, tmp_path):
    return delivering(settings, tmp_path / "archive")


@pytest.fixture
def world(app):
    return engine_world(app)


def test_a_key_arriving_after_its_run_finished_joins_it_instead_of_creating_it_again(world):
    """Guard: the run's create-once condition (`attribute_not_exists(run_id)` in RunStore.create)."""
    services, outbox, clock, _ = world
    # GIVEN a run that sent both reports and finished
    run, created = start(services)
    engine.process(services, run.run_id, deadline=DEADLINE)
    assert created and sorted(outbox.sent) == ["cfo", "cto"]
    # WHEN the same key arrives again an hour later
    clock.now = NOW + timedelta(hours=1)
    again, created_again = start(services)
    # THEN it meets the same run, still succeeded, created at the first time: nothing is re-queued
    assert (again.run_id, created_again) == (run.run_id, False)
    stored = services.store.get(run.run_id)
    assert (stored.status, stored.created_at) == (RunStatus.SUCCEEDED, "2026-11-23T14:00:00+00:00")
    assert (
        services.store.claim_run(run.run_id, now=clock.now, lease_until=clock.now + timedelta(minutes=5))
        is None
    )


def test_a_report_held_by_a_live_claimant_is_not_sent_when_the_run_is_resumed(world):
    """Guard: the per-report send claim (RunStore.claim_send's condition, checked in _Job.send)."""
    services, outbox, _, _ = world
    # GIVEN a queued run whose cfo report is claimed by an invocation still sending it (its lease
    # ends in ten minutes), as after a failing invocation gave the run back while a worker sent
    run, _ = start(services)
    assert services.store.claim_send(run.run_id, "cfo", now=NOW, lease_until=NOW + timedelta(minutes=10))
    # WHEN another invocation processes the run
    summary = engine.process(services, run.run_id, deadline=DEADLINE)
    # THEN it sends only cto; cfo stays with its claimant and the run is not finished
    assert sorted(outbox.sent) == ["cto"]
    assert statuses(services, run.run_id) == {"cfo": "in_progress", "cto": "sent"}
    assert summary["status"] == "running"


def test_a_send_claim_is_taken_once_and_again_only_after_its_lease_or_as_pending(world):
    """Guard: the per-report send claim, at the store: a live claim, a sent and a failed report
    all refuse a second claimant; an expired lease and a pending retry accept one."""
    services, _, _, _ = world
    store = services.store
    run, _ = start(services)
    soon = NOW + timedelta(minutes=1)
    assert store.claim_send(run.run_id, "cfo", now=NOW, lease_until=soon)
    assert not store.claim_send(run.run_id, "cfo", now=NOW, lease_until=soon)  # live claimant
    assert store.claim_send(
        run.run_id, "cfo", now=soon + timedelta(seconds=1), lease_until=DEADLINE
    )  # expired
    sends = store.sends(run.run_id)
    assert sends["cfo"].attempts == 2
    store.complete_send(replace(sends["cfo"], status=SendStatus.SENT, message_id="m-1"))
    assert not store.claim_send(run.run_id, "cfo", now=DEADLINE + timedelta(hours=1), lease_until=DEADLINE)
    assert store.claim_send(run.run_id, "cto", now=NOW, lease_until=soon)
    store.complete_send(replace(store.sends(run.run_id)["cto"], status=SendStatus.FAILED, error="bad"))
    assert not store.claim_send(run.run_id, "cto", now=DEADLINE + timedelta(hours=1), lease_until=DEADLINE)


def test_resuming_a_run_builds_only_the_reports_it_has_not_decided(world):
    """Guard: the skip list of finished reports (`todo` in engine._send_all). The send claim would
    stop a second email too, so what this guard alone saves is building, archiving and claiming
    what is already decided: the test watches which reports are built."""
    services, outbox, clock, built = world
    # GIVEN a run whose cto report met SES throttling (transient: pending, the run resumable)
    outbox.refuse["cto"] = THROTTLED
    run, _ = start(services)
    first = engine.process(services, run.run_id, deadline=DEADLINE)
    assert first["status"] == "partial" and sorted(built) == ["cfo", "cto"]
    assert statuses(services, run.run_id) == {"cfo": "sent", "cto": "pending"}
    # WHEN SES is back and the run's key arrives again
    del outbox.refuse["cto"]
    built.clear()
    clock.now = NOW + timedelta(minutes=10)
    again, created = start(services)
    second = engine.process(services, again.run_id, deadline=clock.now + timedelta(minutes=5))
    # THEN only cto is built and sent: cfo was decided (the notice told of cto waiting to retry)
    assert not created
    assert built == ["cto"]
    assert sorted(outbox.sent) == ["cfo", "cto", "notice"]
    assert second["status"] == "succeeded"


def test_a_run_with_every_report_decided_builds_nothing(world):
    """Guard: the skip list (engine._send_all): with nothing to do, the knowledge base is not even
    read."""
    services, outbox, _, built = world
    run, _ = start(services)
    # GIVEN both reports already decided by an earlier invocation that died before finishing the run
    for report_id, status in (("cfo", SendStatus.SENT), ("cto", SendStatus.FAILED)):
        services.store.claim_send(run.run_id, report_id, now=NOW, lease_until=DEADLINE)
        send = services.store.sends(run.run_id)[report_id]
        services.store.complete_send(replace(send, status=status, error="earlier"))
    loads = []
    services = replace(services, load_knowledge_base=lambda: loads.append(1) or pytest.fail("KB read"))
    # WHEN the run is processed
    summary = engine.process(services, run.run_id, deadline=DEADLINE)
    # THEN nothing is built or sent and the run is finished as partial (one sent, one failed)
    assert (built, loads, summary["status"]) == ([], [], "partial")
    assert sorted(outbox.sent) == ["notice"]


def test_a_retried_run_that_is_still_partial_does_not_email_the_admins_again(world):
    """Guard: the once-per-run failure notice (`attribute_not_exists(notice_sent)` in
    RunStore.claim_notice)."""
    services, outbox, clock, _ = world
    # GIVEN a run whose cto report SES rejects for good: partial, and the admins are told once
    outbox.refuse["cto"] = REJECTED
    run, _ = start(services)
    first = engine.process(services, run.run_id, deadline=DEADLINE)
    assert first["status"] == "partial" and sorted(outbox.sent) == ["cfo", "notice"]
    # WHEN an admin retries it and cto is rejected again
    clock.now = NOW + timedelta(minutes=10)
    assert engine.retry(services, run.run_id).status is RunStatus.QUEUED
    second = engine.process(services, run.run_id, deadline=clock.now + timedelta(minutes=5))
    # THEN the run is partial again, cfo was not resent, and no second notice went out
    assert second["status"] == "partial"
    assert sorted(outbox.sent) == ["cfo", "notice"]
    assert services.store.get(run.run_id).notice_sent


def test_a_notice_ses_refused_is_sent_when_the_run_next_finishes(world):
    """The notice claim is given back when SES refuses the notice (RunStore.release_notice), so the
    admins still hear of the run once."""
    services, outbox, clock, _ = world
    outbox.refuse["cto"] = REJECTED
    outbox.refuse["notice"] = REJECTED
    run, _ = start(services)
    engine.process(services, run.run_id, deadline=DEADLINE)
    assert sorted(outbox.sent) == ["cfo"] and not services.store.get(run.run_id).notice_sent
    del outbox.refuse["notice"]
    clock.now = NOW + timedelta(minutes=10)
    engine.retry(services, run.run_id)
    engine.process(services, run.run_id, deadline=clock.now + timedelta(minutes=5))
    assert sorted(outbox.sent) == ["cfo", "notice"]


def test_a_run_whose_every_report_failed_is_retried_and_then_sends_each_once(world):
    """Retrying a failed run: both failed sends go back to pending, the run is queued, and the
    next processing sends each report once."""
    services, outbox, clock, _ = world
    outbox.refuse.update(cfo=REJECTED, cto=REJECTED)
    run, _ = start(services)
    first = engine.process(services, run.run_id, deadline=DEADLINE)
    assert first["status"] == "failed" and sorted(outbox.sent) == ["notice"]
    assert [r["error"].startswith("SES did not take the message") for r in first["reports"]] == [True, True]
    # WHEN the cause is fixed and the run retried
    outbox.refuse.clear()
    clock.now = NOW + timedelta(minutes=10)
    retried = engine.retry(services, run.run_id)
    assert retried.status is RunStatus.QUEUED
    assert statuses(services, run.run_id) == {"cfo": "pending", "cto": "pending"}
    second = engine.process(services, run.run_id, deadline=clock.now + timedelta(minutes=5))
    # THEN each report goes once, and a succeeded run cannot be retried again
    assert second["status"] == "succeeded" and sorted(outbox.sent) == ["cfo", "cto", "notice"]
    assert engine.retry(services, run.run_id) is None
    assert engine.retry(services, "run-unknown") is None


def test_a_running_run_is_claimed_once_until_its_lease_ends(world):
    """Guard: the run claim (RunStore.claim_run's condition): a live holder is never doubled, a
    holder whose lease ended is resumed, a finished run is not claimed."""
    services, _, _, _ = world
    store = services.store
    run, _ = start(services)
    lease = NOW + timedelta(minutes=1)
    held = store.claim_run(run.run_id, now=NOW, lease_until=lease)
    assert held.status is RunStatus.RUNNING and held.started_at == "2026-11-23T14:00:00+00:00"
    assert store.claim_run(run.run_id, now=lease, lease_until=DEADLINE) is None  # lease still live
    later = lease + timedelta(seconds=1)
    resumed = store.claim_run(run.run_id, now=later, lease_until=DEADLINE)
    assert resumed.started_at == "2026-11-23T14:00:00+00:00"  # the first start is kept
    store.finish_run(resumed, RunStatus.SUCCEEDED, now=later)
    assert not store.get(run.run_id).resumable  # finished for good unless told otherwise
    assert store.claim_run(run.run_id, now=DEADLINE + timedelta(hours=1), lease_until=DEADLINE) is None
    assert store.claim_run("run-unknown", now=NOW, lease_until=DEADLINE) is None


def test_the_run_history_lists_the_latest_runs_newest_first_without_the_locks(world):
    """The history (engine.recent): summaries of the most recent runs, newest first, at most
    `limit`, and never the report locks kept in the same table."""
    services, _, clock, _ = world
    ids = []
    for minute, key in enumerate(["a", "b", "c"]):
        clock.now = NOW + timedelta(minutes=minute)
        run, _ = start(services, key=key, reports=[REPORTS[minute % 2]])
        ids.append(run.run_id)
        engine.process(services, run.run_id, deadline=clock.now + timedelta(minutes=1))
    history = engine.recent(services, 2)
    assert [(s["run_id"], s["status"], [r["id"] for r in s["reports"]]) for s in history] == [
        (ids[2], "succeeded", ["cfo"]),
        (ids[1], "succeeded", ["cto"]),
    ]
    assert [s["run_id"] for s in engine.recent(services, 10)] == ids[::-1]
