"""Exactly one email per report per run on every path (issue 13, SPEC sections 3 and 5): at-least-once
transports (SQS, the scheduler), SES down for a while, a process killed with SIGKILL mid-run,
admins clicking again with new keys, dry runs, and failed runs that must be heard of and retried.

Everything goes through the real lambda_handler against a moto server; emails are counted in the
outbox by their X-SCC-Report-Id header. Waiting is always for a state, with a deadline.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from exactly_once import (
    FAILED_RUN_LINE,
    FINISHED,
    SAMPLE_REPORTS,
    LambdaContext,
    MotoServerProcess,
    OffsetClock,
    SendGate,
    join_background_runs,
    load_event,
    notices,
    per_report,
    report_ids,
    reset_aws,
    ses_unreachable,
    sqs_event,
    start_invocation,
    wait_for,
)
from report_delivery import ARCHIVE_BCC, OWNER, delivering

from shipcaptaincrew import config
from shipcaptaincrew.app import App, set_app
from shipcaptaincrew.local.provision import provision

SCHEDULE = {"action": "send_reports", "scheduled_time": "2026-11-23T14:00:00Z"}
QUEUED_SCHEDULE = load_event("sqs_send_reports_schedule.json")
MESSAGE_ID = QUEUED_SCHEDULE["Records"][0]["messageId"]


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def settings(settings, archive_dir) -> config.Settings:
    return delivering(settings, archive_dir)


def assert_each_report_once(ids: list[str]) -> None:
    assert len(ids) == SAMPLE_REPORTS and len(set(ids)) == SAMPLE_REPORTS, (
        f"{len(ids)} report emails for {SAMPLE_REPORTS} reports: {per_report(ids)}"
    )


def logged(record: logging.LogRecord) -> str:
    """A log record's message and every extra field, as one string to search."""
    return json.dumps(record.__dict__, default=str)


def only_run(api, token: str) -> dict:
    """The summary of the one run of this test's account."""
    status, runs, _ = api.call("GET", "/api/report-runs", token=token)
    assert status == 200, runs
    assert len(runs) == 1, f"expected one run, found {[run['run_id'] for run in runs]}"
    return runs[0]


# 1. At-least-once transports: one run key whatever the transport ------------------------------


def test_the_same_sqs_message_delivered_twice_sends_each_report_once(handler, outbox_dir):
    # GIVEN the schedule's message on the queue, delivered twice (SQS is at-least-once): one messageId
    body = json.dumps(SCHEDULE)
    # WHEN both deliveries reach the Lambda
    first = handler(sqs_event((MESSAGE_ID, body)), None)
    second = handler(sqs_event((MESSAGE_ID, body), receive_count=2), None)
    # THEN both are acknowledged and each report was emailed once
    ids = report_ids(outbox_dir)
    assert_each_report_once(ids)
    assert first == second == {"batchItemFailures": []}


def test_the_same_schedule_under_two_message_ids_sends_each_report_once(handler, outbox_dir):
    # GIVEN the same scheduled invocation put on the queue twice (two messages, two messageIds)
    body = json.dumps(SCHEDULE)
    # WHEN both are delivered
    first = handler(sqs_event(("5a7f0c1e-first-send", body)), None)
    second = handler(sqs_event(("9d2b4e6a-second-send", body)), None)
    # THEN the run key is the scheduled time, not the message: each report once
    assert_each_report_once(report_ids(outbox_dir))
    assert first == second == {"batchItemFailures": []}


def test_a_queued_body_without_a_key_delivered_twice_is_keyed_by_its_message_id(handler, outbox_dir):
    # GIVEN a queued send_reports with neither scheduled_time nor idempotency_key, delivered twice
    body = json.dumps({"action": "send_reports"})
    # WHEN both deliveries (one messageId) reach the Lambda
    first = handler(sqs_event(("7c3e9a2f-no-key", body)), None)
    second = handler(sqs_event(("7c3e9a2f-no-key", body), receive_count=2), None)
    # THEN the messageId keys the run: each report once
    assert_each_report_once(report_ids(outbox_dir))
    assert first == second == {"batchItemFailures": []}


def test_a_schedule_delivered_directly_and_through_sqs_is_one_run(handler, outbox_dir):
    # GIVEN the scheduler invoking the Lambda directly, and the same schedule arriving on the queue
    direct = handler(dict(SCHEDULE), LambdaContext(300_000))
    # WHEN the queued copy is delivered
    queued = handler(sqs_event((MESSAGE_ID, json.dumps(SCHEDULE))), None)
    # THEN it joins the direct run: each report once
    assert_each_report_once(report_ids(outbox_dir))
    assert direct["status"] == "succeeded", direct
    assert queued == {"batchItemFailures": []}


# 2. Poison records -----------------------------------------------------------------------------


def test_poison_records_are_logged_and_not_listed_while_the_good_one_runs(handler, outbox_dir, caplog):
    caplog.set_level(logging.INFO)
    # GIVEN a batch of a body that is not JSON, an unknown action, `reports` not a list, and a good one
    event = load_event("sqs_send_reports_poison_batch.json")
    poison = [record["messageId"] for record in event["Records"][:3]]
    # WHEN the batch is delivered
    answer = handler(event, None)
    # THEN nothing is listed for redelivery (the poison can never succeed), and the good record ran
    ids = report_ids(outbox_dir)
    assert answer == {"batchItemFailures": []}
    assert_each_report_once(ids)
    # AND each poison record is logged (warning or worse) with its messageId
    for message_id in poison:
        assert any(r.levelno >= logging.WARNING and message_id in logged(r) for r in caplog.records), (
            f"poison record {message_id} was not logged with its messageId"
        )


# 3. SES unreachable: transient is not final ---------------------------------------------------


def test_ses_unreachable_for_a_schedules_first_delivery_leaves_reports_pending_then_each_goes_once(
    handler, api, admin_token, settings, outbox_dir, monkeypatch
):
    # GIVEN SES unreachable (a closed port) for the first delivery of a schedule
    # WHEN it is delivered, THEN the invocation raises, so the scheduler retries it
    with ses_unreachable(settings, monkeypatch), pytest.raises(Exception):  # noqa: B017
        handler(dict(SCHEDULE), LambdaContext(300_000))
    # AND nothing was sent; the run is partial, every report pending with its last error (not failed)
    run = only_run(api, admin_token)
    assert report_ids(outbox_dir) == []
    assert [report["status"] for report in run["reports"]] == ["pending"] * SAMPLE_REPORTS, run
    assert all(report["error"] for report in run["reports"]), run
    assert run["status"] == "partial", run

    # WHEN SES is reachable again and the scheduler delivers the same schedule again
    summary = handler(dict(SCHEDULE), LambdaContext(300_000))

    # THEN every report was emailed exactly once in total
    assert_each_report_once(report_ids(outbox_dir))
    assert summary["status"] == "succeeded", summary
    assert summary["run_id"] == run["run_id"]


def test_ses_unreachable_for_a_queued_schedule_lists_it_for_redelivery_which_sends_each_once(
    handler, api, admin_token, settings, outbox_dir, monkeypatch
):
    # GIVEN SES unreachable for the first delivery of a queued schedule
    event = sqs_event((MESSAGE_ID, json.dumps(SCHEDULE)))
    with ses_unreachable(settings, monkeypatch):
        first = handler(event, LambdaContext(300_000))
    # THEN the record is listed, so SQS delivers it again (it is worth retrying)
    assert first == {"batchItemFailures": [{"itemIdentifier": MESSAGE_ID}]}
    assert report_ids(outbox_dir) == []
    # WHEN SQS redelivers it with SES back
    second = handler(sqs_event((MESSAGE_ID, json.dumps(SCHEDULE)), receive_count=2), LambdaContext(300_000))
    # THEN every report was emailed exactly once in total, by the one run of that schedule
    assert_each_report_once(report_ids(outbox_dir))
    assert second == {"batchItemFailures": []}
    assert only_run(api, admin_token)["status"] == "succeeded"


# 4. A process killed with SIGKILL mid-run ------------------------------------------------------

KILLED_LAMBDA_MS = 8_000  # the killed invocation's time left: its lease ends ~3 s after it starts
# Slow sending, so the kill lands while the process waits for its next send slot (seconds away),
# never between SES taking a message and the run recording it (no system can tell that one apart).
KILLED_SEND_RATE = "0.5"


@pytest.fixture(scope="module")
def moto_process(tmp_path_factory):
    """A moto server in a process of its own: the account's state outlives a killed invocation."""
    server = MotoServerProcess(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server
    server.stop()


class Account:
    """A blank, provisioned account on the separate moto server, its App installed in this
    process (as another Lambda container would have), and an admin signed in to it."""

    def __init__(self, server: MotoServerProcess, settings: config.Settings, api, tmp_path: Path):
        reset_aws(server.endpoint)
        self.endpoint = server.endpoint
        self.settings = settings
        self.app = App(settings.replace(aws_endpoint_url=server.endpoint))
        provision(self.app)
        set_app(self.app)
        self.api = api
        self.token = api.sign_in(settings.admin_emails[0])
        self.log = tmp_path / "invocation.log"

    def runs(self) -> list[dict]:
        status, runs, _ = self.api.call("GET", "/api/report-runs", token=self.token)
        assert status == 200, runs
        return runs

    def kill_mid_run(self, event: dict, outbox: Path, archive: Path) -> tuple[dict, list[str]]:
        """Invoke `event` in a process of its own, sending slowly, SIGKILL it once its run
        reads three reports sent, and wait until the run's lease has run out (it reads stalled).
        Return the stalled run's summary and the report ids emailed before the kill."""
        child = start_invocation(
            event,
            remaining_ms=KILLED_LAMBDA_MS,
            environment={
                "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_REGION": self.settings.aws_region,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_SESSION_TOKEN": "testing",
                "JWT_SECRET": self.settings.jwt_secret,
                "ADMIN_EMAILS": ",".join(self.settings.admin_emails),
                "APP_BASE_URL": self.settings.app_base_url,
                "SES_FROM_ADDRESS": self.settings.ses_from_address,
                "MAIL_OUTBOX_DIR": str(outbox),
                "REPORTS_ARCHIVE": str(archive),
                "EXEC_REPORT_TO": OWNER,
                "EXEC_REPORT_BCC": ARCHIVE_BCC,
                "SES_MAX_SEND_RATE": KILLED_SEND_RATE,
            },
            log=self.log,
        )
        try:

            def progress():
                sent = sum(r["status"] == "sent" for run in self.runs() for r in run["reports"])
                return sent, child.poll()

            _, exited = wait_for(progress, lambda seen: seen[0] >= 3 or seen[1] is not None, "3 sends", 60)
        finally:
            child.kill()  # SIGKILL
            child.wait(timeout=10)
        assert exited is None, "the invocation ended before it was killed:\n" + self.log.read_text()
        before = report_ids(outbox)
        assert 3 <= len(before) < SAMPLE_REPORTS, per_report(before)
        stalled = wait_for(
            lambda: only_run(self.api, self.token),
            lambda run: run["status"] == "stalled",
            "the killed run's lease to run out (status stalled)",
        )
        assert sorted(r["id"] for r in stalled["reports"] if r["status"] == "sent") == sorted(before)
        return stalled, before


@pytest.fixture
def account(moto_process, settings, api, tmp_path):
    yield Account(moto_process, settings, api, tmp_path)
    set_app(None)


def assert_only_the_rest_went_out(before: list[str], outbox: Path) -> None:
    after = report_ids(outbox)
    again = set(Counter(after) - Counter(before)) & set(before)
    assert_each_report_once(after)
    assert not again, f"sent again after the kill: {sorted(again)}"


def test_a_run_killed_mid_send_is_resumed_by_its_key_after_the_lease_and_sends_only_the_rest(
    account, handler, outbox_dir, archive_dir
):
    # GIVEN a process running key k1 (a direct invoke), killed with SIGKILL after three sends,
    # its lease since run out
    event = {"action": "send_reports", "idempotency_key": "k1"}
    stalled, before = account.kill_mid_run(event, outbox_dir, archive_dir)
    # WHEN the same key arrives again, in a new invocation
    summary = handler(dict(event), LambdaContext(300_000))
    # THEN only the unsent reports went out: each report emailed once in total
    assert_only_the_rest_went_out(before, outbox_dir)
    assert summary["run_id"] == stalled["run_id"]
    assert summary["status"] == "succeeded", summary


class RecordingLambda:
    """Stands in for the Lambda client: records the asynchronous self-invokes (process_run)."""

    def __init__(self):
        self.invocations: list[dict] = []

    def invoke(self, **request):
        self.invocations.append(json.loads(request["Payload"]))
        return {"StatusCode": 202}


def in_lambda(app, monkeypatch) -> RecordingLambda:
    """Run `app` as the Lambda function would: a dashboard run goes to an asynchronous self-invoke,
    recorded here for the test to deliver (or not)."""
    monkeypatch.setattr(app, "settings", app.settings.replace(self_function_name="scc-api"))
    fake, real_get = RecordingLambda(), app.clients.get
    monkeypatch.setattr(app.clients, "get", lambda name: fake if name == "lambda" else real_get(name))
    return fake


def test_a_dashboard_run_killed_mid_send_is_resumed_by_re_posting_its_key_once_the_lease_ran_out(
    account, handler, outbox_dir, archive_dir, monkeypatch
):
    # GIVEN a dashboard send (Idempotency-Key send-0b5e) handed to a self-invoke ...
    fake = in_lambda(account.app, monkeypatch)
    key = {"idempotency-key": "send-0b5e"}
    status, started, _ = account.api.call(
        "POST", "/api/generate-reports", {}, token=account.token, headers=key
    )
    assert status == 202, started
    # ... which is killed with SIGKILL after three sends, its lease since run out
    (handed_off,) = fake.invocations
    stalled, before = account.kill_mid_run(handed_off, outbox_dir, archive_dir)
    assert stalled["run_id"] == started["run_id"]

    # WHEN the admin sends again with the same key
    answer = account.api.call("POST", "/api/generate-reports", {}, token=account.token, headers=key)
    assert answer[:2] == (202, {"run_id": started["run_id"]}), answer
    # ... and Lambda delivers the self-invoke that carries the stalled run on
    resumed = fake.invocations[1:]
    assert resumed == [{"action": "process_run", "run_id": started["run_id"]}], (
        f"the stalled run was not handed off again: {fake.invocations}"
    )
    summary = handler(resumed[0], LambdaContext(300_000))

    # THEN only the unsent reports went out: each report emailed once in total
    assert_only_the_rest_went_out(before, outbox_dir)
    assert summary["status"] == "succeeded", summary


class SimulatedTimeout(BaseException):
    """Lambda stopping the process: not an Exception, so nothing in the app can catch it."""


def test_a_stalled_dashboard_run_is_resumed_by_retry_and_sends_only_the_rest(
    app, api, admin_token, handler, outbox_dir, monkeypatch
):
    # GIVEN a dashboard run whose self-invoke (a minute left) dies after SES took three reports
    clock = OffsetClock()
    monkeypatch.setattr(app, "_clock", clock)
    fake = in_lambda(app, monkeypatch)
    real_send, taken, lock = app.outbox.send, [], threading.Lock()

    def dying_send(message, **kwargs):
        with lock:
            if len(taken) >= 3:
                raise SimulatedTimeout
            taken.append(message["X-SCC-Report-Id"])
        return real_send(message, **kwargs)

    monkeypatch.setattr(app.outbox, "send", dying_send)
    _, started, _ = api.call("POST", "/api/generate-reports", {}, token=admin_token)
    (handed_off,) = fake.invocations
    with pytest.raises(SimulatedTimeout):
        handler(handed_off, LambdaContext(60_000))
    monkeypatch.setattr(app.outbox, "send", real_send)
    before = report_ids(outbox_dir)
    assert len(before) == 3
    # ... and two minutes later its lease has run out
    clock.offset += timedelta(minutes=2)
    stalled = api.call("GET", f"/api/report-runs/{started['run_id']}", token=admin_token)[1]
    assert stalled["status"] == "stalled", stalled

    # WHEN the admin clicks Retry (Resume) and Lambda delivers the self-invoke
    answer = api.call("POST", f"/api/report-runs/{started['run_id']}/retry", {}, token=admin_token)
    assert answer[:2] == (202, {"run_id": started["run_id"]}), answer
    resumed = fake.invocations[1:]
    assert resumed == [{"action": "process_run", "run_id": started["run_id"]}], fake.invocations
    summary = handler(resumed[0], LambdaContext(300_000))

    # THEN only the unsent reports went out: each report emailed once in total
    assert_only_the_rest_went_out(before, outbox_dir)
    assert summary["status"] == "succeeded", summary


# 5. Overlapping sends from the dashboard --------------------------------------------------------


def test_a_second_real_send_with_another_key_while_the_first_is_in_flight_answers_409(
    app, api, admin_token, outbox_dir, monkeypatch
):
    # GIVEN a real send from the dashboard whose emails are held at SES's door (the run is in flight)
    gate = SendGate(app.outbox.send)
    monkeypatch.setattr(app.outbox, "send", gate.send)
    try:
        first = api.call(
            "POST", "/api/generate-reports", {}, token=admin_token, headers={"idempotency-key": "a1"}
        )
        assert first[0] == 202, first
        assert gate.entered.wait(timeout=30), "the first run never started sending"
        # WHEN the admin clicks Send again (a new key), and asks for a dry run meanwhile
        second = api.call(
            "POST", "/api/generate-reports", {}, token=admin_token, headers={"idempotency-key": "b2"}
        )
        dry = api.call(
            "POST",
            "/api/generate-reports",
            {"dry_run": True},
            token=admin_token,
            headers={"idempotency-key": "c3"},
        )
    finally:
        gate.open()
    join_background_runs()
    first_run = api.wait_for_run(admin_token, first[1]["run_id"])
    ids = report_ids(outbox_dir)

    # THEN the second real send is refused with the run in the way
    assert second[0] == 409, f"second send answered {second[0]} {second[1]}; {len(ids)} report emails"
    error = second[1]["error"]
    assert error["code"] == "run_in_progress"
    assert error["run_id"] == first[1]["run_id"]
    assert isinstance(error["message"], str) and error["message"]
    # AND the dry run was accepted (dry runs never conflict) and sent nothing
    assert dry[0] == 202, dry
    assert api.wait_for_run(admin_token, dry[1]["run_id"])["dry_run"] is True
    # AND each report was emailed once, by the first run
    assert_each_report_once(ids)
    assert first_run["status"] == "succeeded", first_run


def test_the_same_idempotency_key_with_a_different_body_answers_422(api, admin_token, outbox_dir):
    # GIVEN a dry run started with an Idempotency-Key
    key = {"idempotency-key": "click-d00d"}
    dry = api.call("POST", "/api/generate-reports", {"dry_run": True}, token=admin_token, headers=key)
    assert dry[0] == 202, dry
    join_background_runs()
    api.wait_for_run(admin_token, dry[1]["run_id"])
    # WHEN the same key comes with a different body (a real send)
    real = api.call("POST", "/api/generate-reports", {}, token=admin_token, headers=key)
    # THEN it is refused, not answered with the earlier dry run
    assert real[0] == 422, real
    assert real[1]["error"]["code"] == "idempotency_key_reused", real
    assert real[1]["error"]["message"]
    # AND the same key with the same body still names the first run; nothing was emailed
    again = api.call("POST", "/api/generate-reports", {"dry_run": True}, token=admin_token, headers=key)
    assert again[:2] == (202, {"run_id": dry[1]["run_id"]})
    join_background_runs()
    assert report_ids(outbox_dir) == []


# 6. Dry runs never overwrite history ----------------------------------------------------------


def test_dry_runs_never_change_last_sent_or_last_status_and_say_they_were_dry(
    app, api, admin_token, handler, monkeypatch
):
    clock = OffsetClock()
    monkeypatch.setattr(app, "_clock", clock)
    # GIVEN every report sent by a real run
    assert handler({"action": "send_reports"}, None)["status"] == "succeeded"
    _, catalogue, _ = api.call("GET", "/api/reports", token=admin_token)
    before = {r["id"]: (r["last_sent_at"], r["last_status"]) for r in catalogue}
    assert all(status == "sent" and sent_at for sent_at, status in before.values()), before
    # WHEN an hour later a dry run is invoked directly and another started from the dashboard
    clock.offset += timedelta(hours=1)
    direct = handler({"action": "send_reports", "dry_run": True}, None)
    _, started, _ = api.call("POST", "/api/generate-reports", {"dry_run": True}, token=admin_token)
    join_background_runs()
    dashboard = api.wait_for_run(admin_token, started["run_id"])
    # THEN the catalogue's last sent / last status are the real run's
    _, catalogue, _ = api.call("GET", "/api/reports", token=admin_token)
    after = {r["id"]: (r["last_sent_at"], r["last_status"]) for r in catalogue}
    assert after == before
    # AND both run summaries say dry_run, every report dry_run
    for summary in (direct, dashboard):
        assert summary["dry_run"] is True, summary
        assert [r["status"] for r in summary["reports"]] == ["dry_run"] * SAMPLE_REPORTS, summary
    _, runs, _ = api.call("GET", "/api/report-runs", token=admin_token)
    assert sorted(run["dry_run"] for run in runs) == [False, True, True]


# 7. A failed run is heard of before it reads finished ------------------------------------------


class StatusProbe:
    """What the runs read (through the API) at the moment the notice is sent or the ERROR logged."""

    def __init__(self, api, token: str):
        self.api, self.token = api, token
        self.at_notice: list[list[str]] = []
        self.at_error_line: list[list[str]] = []

    def statuses(self) -> list[str]:
        _, runs, _ = self.api.call("GET", "/api/report-runs", token=self.token)
        return [run["status"] for run in runs]

    def watching(self, real_send):
        def send(message, **kwargs):
            if not message["X-SCC-Report-Id"]:
                self.at_notice.append(self.statuses())
            return real_send(message, **kwargs)

        return send

    def log_handler(self) -> logging.Handler:
        probe = self

        class AtErrorLine(logging.Handler):
            def emit(self, record):
                if record.levelno >= logging.ERROR and record.getMessage() == FAILED_RUN_LINE:
                    probe.at_error_line.append(probe.statuses())

        return AtErrorLine()


def test_a_failed_runs_notice_and_error_line_exist_before_it_reads_finished(
    app, api, admin_token, outbox_dir, monkeypatch, caplog
):
    caplog.set_level(logging.INFO)
    # GIVEN the CMO report's brief raising, so the run cannot send everything
    import reports.briefs.cmo as cmo

    def broken(*args, **kwargs):
        raise ValueError("channel table has no rows")

    monkeypatch.setattr(cmo, "build", broken)
    probe = StatusProbe(api, admin_token)
    monkeypatch.setattr(app.outbox, "send", probe.watching(app.outbox.send))
    at_error_line = probe.log_handler()
    logging.getLogger().addHandler(at_error_line)
    try:
        # WHEN a run is started from the dashboard and polled until it reads finished
        _, started, _ = api.call("POST", "/api/generate-reports", {}, token=admin_token)
        run_id = started["run_id"]

        def the_run():
            return api.call("GET", f"/api/report-runs/{run_id}", token=admin_token)[1]

        finished = wait_for(the_run, lambda run: run["status"] in FINISHED, "the run to finish")
        notices_then = notices(outbox_dir)
        lines_then = [
            r for r in caplog.records if r.levelno == logging.ERROR and r.getMessage() == FAILED_RUN_LINE
        ]
        join_background_runs()
    finally:
        logging.getLogger().removeHandler(at_error_line)

    # THEN at the first read of "finished", the notice was in the outbox and the ERROR line logged
    assert finished["status"] == "partial", finished
    assert len(notices_then) == 1, (
        f"{len(notices_then)} failure notices when the run first read {finished['status']}"
    )
    assert len(lines_then) == 1, f"{len(lines_then)} '{FAILED_RUN_LINE}' lines when the run read finished"
    assert run_id in logged(lines_then[0])
    assert "channel table has no rows" in notices_then[0].get_body(("plain",)).get_content()
    # AND (deterministically) when each happened, the run did not read finished yet
    assert probe.at_notice and not any(s in FINISHED for seen in probe.at_notice for s in seen), (
        probe.at_notice
    )
    assert probe.at_error_line and not any(s in FINISHED for seen in probe.at_error_line for s in seen), (
        probe.at_error_line
    )
    # AND one notice, one line in all
    assert len(notices(outbox_dir)) == 1


# 8. A run whose every report failed for good is retried after the fix ---------------------------


def test_a_run_whose_every_report_failed_for_good_is_retried_after_the_fix_and_sends_each_once(
    app, api, admin_token, outbox_dir
):
    # GIVEN the sender no longer verified in SES: every message is rejected (a permanent error)
    sender = app.settings.ses_from_address
    app.clients.sesv2.delete_email_identity(EmailIdentity=sender)
    _, started, _ = api.call("POST", "/api/generate-reports", {}, token=admin_token)
    run_id = started["run_id"]
    join_background_runs()
    failed = api.wait_for_run(admin_token, run_id)
    assert failed["status"] == "failed", failed
    assert [r["status"] for r in failed["reports"]] == ["failed"] * SAMPLE_REPORTS, failed
    assert all(r["error"] for r in failed["reports"]), failed
    assert report_ids(outbox_dir) == []

    # WHEN the sender is verified again and the admin retries the run
    app.clients.sesv2.create_email_identity(EmailIdentity=sender)
    status, body, _ = api.call("POST", f"/api/report-runs/{run_id}/retry", {}, token=admin_token)
    assert status == 202, (status, body)
    join_background_runs()
    retried = api.wait_for_run(admin_token, run_id)

    # THEN each report was emailed once
    assert_each_report_once(report_ids(outbox_dir))
    assert retried["status"] == "succeeded", retried
