"""The run engine and its store beyond the happy path: what a run records and logs, the alarm line
of a failed run, archive failures, a failing invocation giving its run back, keys reused for
another request, report locks between real and dry runs, and what the stored items keep."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from engine_world import DEADLINE, NOW, REJECTED, REPORTS, THROTTLED, engine_world, start, statuses
from report_delivery import OWNER, delivering

from reports.runs import engine
from reports.runs.locks import RunInProgress
from reports.runs.records import Run, RunStatus, SendStatus
from reports.runs.store import RunStore, run_id_for


@pytest.fixture
def settings(settings, tmp_path):
    return delivering(settings, tmp_path / "archive")


@pytest.fixture
def world(app):
    return engine_world(app)


def records(caplog, message: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.getMessage() == message]


def test_the_failed_run_alarm_line_names_the_run_and_what_failed_and_what_waits(world, caplog):
    services, outbox, _, _ = world
    # GIVEN cfo rejected for good and cto throttled (it waits to retry, so the run will resume)
    outbox.refuse.update(cfo=REJECTED, cto=THROTTLED)
    run, _ = start(services)
    with caplog.at_level(logging.INFO):
        summary = engine.process(services, run.run_id, deadline=DEADLINE)
    # THEN the run is partial, and one ERROR line carries the alarm's fixed message and the facts
    assert summary["status"] == "partial"
    (alarm,) = records(caplog, "report run failed")
    assert alarm.levelno == logging.ERROR
    assert (alarm.run_id, alarm.status, alarm.failed, alarm.retrying, alarm.will_resume) == (
        run.run_id, "partial", ["cfo"], ["cto"], True,
    )  # fmt: skip
    stored = services.store.get(run.run_id)
    assert (stored.status, stored.resumable, stored.finished_at) == (
        RunStatus.PARTIAL, True, "2026-11-23T14:00:00+00:00",
    )  # fmt: skip


def test_each_send_is_logged_and_recorded_with_its_message_recipients_and_subject(world, caplog):
    services, outbox, _, _ = world
    run, _ = start(services, reports=["cfo"])
    with caplog.at_level(logging.INFO):
        summary = engine.process(services, run.run_id, deadline=DEADLINE)
    (processing,) = records(caplog, "run processing")
    assert (processing.run_id, processing.reports) == (run.run_id, ["cfo"])
    (sent,) = records(caplog, "report sent")
    assert (sent.run_id, sent.report_id, sent.message_id) == (run.run_id, "cfo", "message-cfo")
    (report,) = summary["reports"]
    assert (report["status"], report["message_id"], report["recipients"], report["error"]) == (
        "sent", "message-cfo", [OWNER], None,
    )  # fmt: skip
    assert report["sent_at"] == "2026-11-23T14:00:00+00:00"
    send = services.store.sends(run.run_id)["cfo"]
    (message, bcc, tags) = outbox.messages[0]
    assert send.subject == message["Subject"] and send.attempts == 1 and send.archived
    assert tags == {"run_id": run.run_id, "report_id": "cfo", "purpose": "executive_report"}
    assert bcc == ["archive@example.com"]
    assert send.metrics and all(isinstance(name, str) for name in send.metrics)


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        (RuntimeError("disk full"), "failed", "archive failed: disk full"),
        (EndpointConnectionError(endpoint_url="https://s3"), "pending", "archive failed, will retry: "),
    ],
)
def test_a_report_that_cannot_be_archived_is_not_sent(world, caplog, error, status, message):
    services, outbox, _, _ = world

    def archive(run_id, rendered):
        raise error

    services = replace(services, archive=archive)
    run, _ = start(services, reports=["cfo"])
    with caplog.at_level(logging.INFO):
        engine.process(services, run.run_id, deadline=DEADLINE)
    send = services.store.sends(run.run_id)["cfo"]
    assert outbox.sent == ["notice"]  # the admins hear of it; the report itself never went
    assert send.status.value == status and send.error.startswith(message)
    (logged,) = records(caplog, "archive failed")
    assert (logged.run_id, logged.report_id, logged.levelno) == (run.run_id, "cfo", logging.ERROR)


def test_a_dry_run_archives_and_records_but_sends_nothing_and_takes_no_locks(world):
    services, outbox, _, _ = world
    real, _ = start(services, key="real")  # holds cfo and cto until it finishes
    dry, _ = start(services, key="dry", dry_run=True)  # a dry run may run beside it
    summary = engine.process(services, dry.run_id, deadline=DEADLINE)
    assert summary["dry_run"] is True and summary["status"] == "succeeded"
    assert statuses(services, dry.run_id) == {"cfo": "dry_run", "cto": "dry_run"}
    assert all(send.archived for send in services.store.sends(dry.run_id).values())
    assert outbox.sent == []
    # AND a second real run is refused while the first holds the reports, naming it
    with pytest.raises(RunInProgress) as refused:
        start(services, key="other")
    assert refused.value.run_id == real.run_id and refused.value.report_ids == ["cfo", "cto"]


def test_a_real_run_keeps_its_reports_while_it_waits_to_retry_and_gives_them_back_when_done(world):
    services, outbox, clock, _ = world
    outbox.refuse["cto"] = THROTTLED
    first, _ = start(services, key="first")
    assert engine.process(services, first.run_id, deadline=DEADLINE)["status"] == "partial"
    with pytest.raises(RunInProgress):  # partial and resumable: it still holds cto
        start(services, key="second", reports=["cto"])
    del outbox.refuse["cto"]
    clock.now = NOW + timedelta(minutes=10)
    start(services, key="first")
    assert (
        engine.process(services, first.run_id, deadline=clock.now + timedelta(minutes=5))["status"]
        == "succeeded"
    )
    second, created = start(services, key="second", reports=["cto"])  # given back: a new run may take it
    assert created and second.run_id != first.run_id


def test_a_failed_run_gives_its_reports_back(world):
    services, outbox, _, _ = world
    outbox.refuse.update(cfo=REJECTED, cto=REJECTED)
    run, _ = start(services, key="first")
    assert engine.process(services, run.run_id, deadline=DEADLINE)["status"] == "failed"
    _, created = start(services, key="second")
    assert created


def test_a_failing_invocation_gives_the_run_back_so_the_next_attempt_resumes_it_at_once(world):
    services, outbox, _, _ = world

    def progress(send):
        raise RuntimeError("out of capacity")

    run, _ = start(services, reports=["cfo"])
    with pytest.raises(RuntimeError):
        engine.process(replace(services, progress=progress), run.run_id, deadline=DEADLINE)
    # THEN before the deadline the run can be claimed again (its lease was ended), and it is
    # finished without sending cfo twice
    summary = engine.process(services, run.run_id, deadline=DEADLINE)
    assert summary["status"] == "succeeded" and outbox.sent == ["cfo"]


def test_progress_is_told_each_report_as_it_is_decided(world):
    """`make reports` prints a line per report from these calls: each must carry its send."""
    services, outbox, _, _ = world
    outbox.refuse.update(cto=REJECTED)
    told = []
    run, _ = start(services)
    engine.process(
        replace(services, progress=lambda send: told.append((send.report_id, send.status.value))),
        run.run_id,
        deadline=DEADLINE,
    )
    assert sorted(told) == [("cfo", "sent"), ("cto", "failed")]


def test_a_runs_reports_are_built_as_of_the_engines_clock(world):
    """The send's clock, not the machine's: due dates, freshness and the "generated" line of a
    resumed or scheduled run all count from it."""
    services, outbox, _, _ = world  # the clock reads 2026-11-23 14:00 UTC
    run, _ = start(services, reports=["cfo"])
    engine.process(services, run.run_id, deadline=DEADLINE)
    ((message, _, _),) = outbox.messages
    words = " ".join(message.get_body(("plain",)).get_content().split())  # the text is wrapped
    assert "generated 2026-11-23 14:00 UTC" in words


def test_a_finished_run_and_its_sends_keep_no_lease(app, world):
    """Each decided send and the finished run drop `lease_until` (REMOVE), so no stored item
    claims to be held by an invocation that has ended."""
    services, _, _, _ = world
    run, _ = start(services)
    engine.process(services, run.run_id, deadline=DEADLINE)
    tables, db = app.settings_of("reports"), app.clients.dynamodb
    stored = [db.get_item(TableName=tables.report_runs_table, Key={"run_id": {"S": run.run_id}})["Item"]]
    for report_id in REPORTS:
        key = {"run_id": {"S": run.run_id}, "report_id": {"S": report_id}}
        stored.append(db.get_item(TableName=tables.report_sends_table, Key=key)["Item"])
    assert [item["status"]["S"] for item in stored] == ["succeeded", "sent", "sent"]
    assert [name for item in stored for name in item if "lease" in name] == []


def test_releasing_a_run_ends_only_our_own_lease(world):
    services, _, _, _ = world
    store = services.store
    run, _ = start(services)
    store.claim_run(run.run_id, now=NOW, lease_until=DEADLINE)
    store.release_run(run.run_id, lease_until=DEADLINE + timedelta(seconds=1))  # not our lease
    assert store.claim_run(run.run_id, now=NOW, lease_until=DEADLINE) is None
    store.release_run(run.run_id, lease_until=DEADLINE)  # ours
    assert store.get(run.run_id).lease_until == 0
    assert store.claim_run(run.run_id, now=NOW, lease_until=DEADLINE) is not None


def test_a_key_reused_for_another_request_is_refused_and_the_same_request_joins(world):
    services, _, _, _ = world
    run, created = start(services, key="k", reports=["cfo"])
    assert created and run.key == "k" and run.request == engine.fingerprint(["cfo"], False)
    joined, again = start(services, key="k", reports=["cfo"])
    assert (joined.run_id, again) == (run.run_id, False)
    with pytest.raises(engine.KeyReused) as reused:
        start(services, key="k", reports=["cto"])
    # the API answers 422 with this text: it names the run the key already started
    assert str(reused.value) == f"this key already started run {run.run_id} with a different request"
    with pytest.raises(engine.KeyReused):
        start(services, key="k", reports=["cfo"], dry_run=True)
    with pytest.raises(engine.UnknownReports) as unknown:
        start(services, key="k2", reports=["no-such-report"])
    assert str(unknown.value).startswith("unknown report(s): no-such-report (known: ")


def test_a_run_started_without_a_key_stores_no_request(world):
    services, _, _, _ = world
    run, created = start(services, key=None, reports=["cfo"])
    assert created and run.key is None and run.request is None
    assert services.store.get(run.run_id).request is None  # nothing for a later request to match


def test_a_run_without_a_key_is_new_each_time_and_keeps_no_request():
    assert run_id_for("dashboard", None) != run_id_for("dashboard", "")
    assert len(run_id_for("dashboard", None)) == len("run-") + 20
    assert run_id_for("dashboard", "k").startswith("run-") and len(run_id_for("dashboard", "k")) == 24


def test_fingerprints_ignore_the_order_of_reports_but_not_what_or_dry():
    assert engine.fingerprint(["cto", "cfo"], False) == engine.fingerprint(["cfo", "cto"], False)
    assert engine.fingerprint(["cfo"], False) != engine.fingerprint(["cfo"], True)
    assert engine.fingerprint(None, False) != engine.fingerprint(["cfo"], False)
    assert len(engine.fingerprint(None, False)) == 16


def test_runs_and_sends_expire_400_days_after_they_were_made(world):
    services, _, _, _ = world
    run, _ = start(services, reports=["cfo"])
    engine.process(services, run.run_id, deadline=DEADLINE)
    in_400_days = int((NOW + timedelta(days=400)).timestamp())
    assert services.store.get(run.run_id).expires_at == in_400_days
    assert services.store.sends(run.run_id)["cfo"].expires_at == in_400_days
    assert services.store.get(run.run_id).created_at == "2026-11-23T14:00:00+00:00"


def test_a_resumed_send_keeps_the_earlier_attempts_error_beside_its_outcome(world):
    services, outbox, clock, _ = world
    outbox.refuse["cfo"] = THROTTLED
    run, _ = start(services, reports=["cfo"])
    engine.process(services, run.run_id, deadline=DEADLINE)
    del outbox.refuse["cfo"]
    clock.now = NOW + timedelta(minutes=10)
    start(services, reports=["cfo"])
    engine.process(services, run.run_id, deadline=clock.now + timedelta(minutes=5))
    send = services.store.sends(run.run_id)["cfo"]
    assert send.status is SendStatus.SENT and send.attempts == 2
    assert send.error.startswith("SES did not take the message, will retry: ")


def test_after_run_is_told_once_when_the_run_finishes_and_not_while_it_runs(world):
    services, _, _, _ = world
    told = []
    services = replace(services, after_run=lambda run, sends: told.append((run.run_id, sorted(sends))))
    run, _ = start(services)
    services.store.claim_send(run.run_id, "cto", now=NOW, lease_until=DEADLINE + timedelta(minutes=5))
    engine.process(services, run.run_id, deadline=DEADLINE)
    assert told == []  # cto is still with its claimant: the run is not finished
    assert services.store.get(run.run_id).finished_at is None


def test_a_reopened_run_is_refused_while_a_live_holder_runs_it_and_accepted_once_stalled(world):
    services, _, _, _ = world
    store = services.store
    run, _ = start(services)
    store.claim_run(run.run_id, now=NOW, lease_until=DEADLINE)
    assert store.reopen_run(run, [], now=NOW) is None  # running, lease live
    reopened = store.reopen_run(run, [], now=DEADLINE + timedelta(seconds=1))  # stalled
    assert reopened.status is RunStatus.QUEUED and reopened.lease_until is None


class FailingDynamoDB:
    """A DynamoDB client whose writes fail with the given error."""

    def __init__(self, error: Exception):
        self.error = error

    def update_item(self, **request):
        raise self.error


@pytest.mark.parametrize(
    "error, said",
    [
        (
            EndpointConnectionError(endpoint_url="https://dynamodb"),
            'Could not connect to the endpoint URL: "https://dynamodb"',
        ),
        (
            ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "UpdateItem"),
            "An error occurred (ThrottlingException) when calling the UpdateItem operation: slow down",
        ),
    ],
)
def test_a_lease_that_cannot_be_released_is_logged_and_left_to_run_out(caplog, error, said):
    """The warning says why (botocore's own wording), so whoever reads it knows what was down."""
    store = RunStore(FailingDynamoDB(error), runs_table="runs", sends_table="sends")
    with caplog.at_level(logging.WARNING):
        store.release_run("run-1", lease_until=DEADLINE)  # does not raise: the lease ends later
    (logged,) = records(caplog, "run lease not released")
    assert (logged.run_id, logged.levelno, logged.error) == ("run-1", logging.WARNING, said)


def test_a_lease_someone_else_holds_is_not_released_and_not_logged(caplog):
    conditional = ClientError(
        {"Error": {"Code": "ConditionalCheckFailedException", "Message": "no"}}, "UpdateItem"
    )
    store = RunStore(FailingDynamoDB(conditional), runs_table="runs", sends_table="sends")
    with caplog.at_level(logging.WARNING):
        store.release_run("run-1", lease_until=DEADLINE)
    assert records(caplog, "run lease not released") == []


def test_a_report_gone_from_the_knowledge_base_fails_with_that_reason_and_the_others_go(world):
    services, outbox, _, _ = world
    # GIVEN a run (made before the knowledge base changed) for cfo and a report it no longer has
    run, _ = services.store.create(Run("run-gone", "dashboard", ("cfo", "gone")), now=NOW)
    summary = engine.process(services, run.run_id, deadline=DEADLINE)
    assert summary["status"] == "partial" and sorted(outbox.sent) == ["cfo", "notice"]
    gone = services.store.sends(run.run_id)["gone"]
    assert (gone.status, gone.error) == (SendStatus.FAILED, "this report is no longer in the knowledge base")


def test_report_emails_come_from_the_senders_name_and_take_replies_where_asked(world):
    services, outbox, _, _ = world
    services = replace(services, sender_name="Ship Captain Crew", reply_to="replies@example.com")
    run, _ = start(services, reports=["cfo"])
    engine.process(services, run.run_id, deadline=DEADLINE)
    (message, _, _) = outbox.messages[0]
    assert message["Reply-To"] == "replies@example.com"
    (sender,) = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Ship Captain Crew", services.sender)


def test_sends_run_in_worker_threads_named_after_their_run(world):
    """A stack dump or a thread-aware log line then says which run a send belongs to."""
    services, outbox, _, _ = world
    names = []

    class Naming:
        def send(self, message, **kwargs):
            names.append(threading.current_thread().name)
            return outbox.send(message, **kwargs)

    run, _ = start(services, reports=["cfo"])
    engine.process(replace(services, outbox=Naming()), run.run_id, deadline=DEADLINE)
    assert len(names) == 1 and names[0].startswith(f"{run.run_id}-send")


class PoolSizes:
    """Stands in for the engine's ThreadPoolExecutor and records the size of each send pool."""

    sizes: list = []

    def __init__(self, max_workers=None, **kwargs):
        PoolSizes.sizes.append(max_workers)
        self._pool = ThreadPoolExecutor(max_workers, **kwargs)

    def __enter__(self):
        return self._pool.__enter__()

    def __exit__(self, *exc):
        return self._pool.__exit__(*exc)


@pytest.mark.parametrize(
    "rate, workers",
    [
        (1.0, 1),  # the sandbox: one send at a time
        (0.5, 1),  # under one a second still needs one sender
        (2.5, 3),  # ceil(2.5) = 3 senders in flight reach 2.5 a second
        (50.0, 10),  # a large quota: at most 10 in flight (a report run is small)
    ],
)
def test_sends_in_flight_follow_the_accounts_send_rate(world, monkeypatch, rate, workers):
    """The concurrency cap (the pool sized by workers_for(rate)): without it the pool takes
    Python's default size, and a sandbox account at 1 a second gets several sends at once."""
    services, outbox, _, _ = world
    threads = set()

    class Threads:
        def send(self, message, **kwargs):
            threads.add(threading.current_thread().name)
            return outbox.send(message, **kwargs)

    monkeypatch.setattr(PoolSizes, "sizes", [])
    monkeypatch.setattr(engine, "ThreadPoolExecutor", PoolSizes)
    run, _ = start(services)
    engine.process(replace(services, outbox=Threads(), send_rate=lambda: rate), run.run_id, deadline=DEADLINE)
    assert sorted(outbox.sent) == ["cfo", "cto"]
    assert PoolSizes.sizes == [workers]
    if workers == 1:
        assert len(threads) == 1  # both reports went out one after the other on one sender


class Reading:
    """The runs tables' client, recording whether each read of a run or its sends is consistent."""

    def __init__(self, dynamodb):
        self._db, self.consistent = dynamodb, []

    def __getattr__(self, name):
        return getattr(self._db, name)

    def get_item(self, **request):
        self.consistent.append(("get_item", request.get("ConsistentRead")))
        return self._db.get_item(**request)

    def get_paginator(self, operation):
        paginator, reads = self._db.get_paginator(operation), self.consistent

        class Recording:
            def paginate(self, **request):
                reads.append((operation, request.get("ConsistentRead")))
                return paginator.paginate(**request)

        return Recording()


def test_a_run_and_its_sends_are_always_read_strongly_consistent(app, world):
    """A send recorded a moment ago by another invocation must never read as still to do."""
    services, _, _, _ = world
    reading = Reading(app.clients.dynamodb)
    tables = app.settings_of("reports")
    store = RunStore(reading, runs_table=tables.report_runs_table, sends_table=tables.report_sends_table)
    run, _ = start(services, reports=["cfo"])
    store.get(run.run_id)
    store.sends(run.run_id)
    assert reading.consistent == [("get_item", True), ("query", True)]


class Counting:
    """The recipients store, recording each read."""

    def __init__(self, stored):
        self._stored, self.reads = stored, []

    def many(self, report_ids):
        self.reads.append(("many", sorted(report_ids)))
        return self._stored.many(report_ids)

    def get(self, report_id):
        self.reads.append(("get", report_id))
        return self._stored.get(report_id)


def test_a_run_reads_its_recipients_once_for_all_its_reports(world):
    """One batch read of the recipient lists for the run, not one read per report sent."""
    services, outbox, _, _ = world
    counting = Counting(services.recipients)
    run, _ = start(services)
    engine.process(replace(services, recipients=counting), run.run_id, deadline=DEADLINE)
    assert sorted(outbox.sent) == ["cfo", "cto"]
    assert counting.reads == [("many", ["cfo", "cto"])]


def test_a_resumed_run_reads_the_recipients_of_what_it_still_sends_only(world):
    services, outbox, _, _ = world
    counting = Counting(services.recipients)
    run, _ = start(services)
    # GIVEN cfo already sent by an earlier invocation
    services.store.claim_send(run.run_id, "cfo", now=NOW, lease_until=DEADLINE)
    services.store.complete_send(replace(services.store.sends(run.run_id)["cfo"], status=SendStatus.SENT))
    engine.process(replace(services, recipients=counting), run.run_id, deadline=DEADLINE)
    assert outbox.sent == ["cto"] and counting.reads == [("many", ["cto"])]
