"""Delivery guarantees, end to end through lambda_handler and the moto server: each report is
emailed exactly once per run, whatever is delivered twice, dies half-way or is throttled."""

from __future__ import annotations

import email
import email.policy
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aws_replies import aws_error
from report_delivery import ARCHIVE_BCC, delivering

from shipcaptaincrew import config
from shipcaptaincrew.actions import ActionFailed
from shipcaptaincrew.aws import Clients

SAMPLE_REPORTS = 8  # five role reports + one rental, one delivery and one agency entity


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def settings(settings, archive_dir) -> config.Settings:
    return delivering(settings, archive_dir)


class Clock:
    """A clock the test moves by hand, so a dead claimant's lease can run out."""

    def __init__(self):
        self.now = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class LambdaContext:
    def __init__(self, remaining_ms: int):
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def all_emails(outbox: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox.glob("*.eml"))
    ]


def report_emails(outbox: Path) -> list[email.message.EmailMessage]:
    """Return the report emails in the outbox (not sign-in links or failure notices)."""
    return [message for message in all_emails(outbox) if message["X-SCC-Report-Id"]]


def test_double_click_with_the_same_key_sends_each_report_once(api, admin_token, outbox_dir):
    # GIVEN an admin who clicks "Send reports" twice, the browser sending the same Idempotency-Key
    headers = {"idempotency-key": "click-7f3a"}
    first = api.call("POST", "/api/generate-reports", {}, token=admin_token, headers=headers)
    second = api.call("POST", "/api/generate-reports", {}, token=admin_token, headers=headers)
    # THEN both answers are 202 with the same run, which delivers each report once
    assert first[0] == second[0] == 202
    assert first[1]["run_id"] == second[1]["run_id"]
    run = api.wait_for_run(admin_token, first[1]["run_id"])
    assert run["status"] == "succeeded", run
    assert [r["status"] for r in run["reports"]] == ["sent"] * SAMPLE_REPORTS
    sent = report_emails(outbox_dir)
    assert len(sent) == SAMPLE_REPORTS
    assert len({m["X-SCC-Report-Id"] for m in sent}) == SAMPLE_REPORTS


def test_every_report_email_is_multipart_to_its_recipients_with_the_archive_in_bcc_only(handler, outbox_dir):
    summary = handler({"action": "send_reports", "reports": ["cfo"]}, None)
    assert summary["status"] == "succeeded", summary
    (message,) = report_emails(outbox_dir)
    # the text and HTML alternatives, and the CFO's month table attached as CSV (UTF-8 with a BOM)
    assert message.get_content_type() == "multipart/mixed"
    alternative, *attached = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert [(part.get_content_type(), part.get_filename()) for part in attached] == [
        ("text/csv", "burn-by-month.csv")
    ]
    assert attached[0].get_payload(decode=True).startswith(b"\xef\xbb\xbfMonth,Revenue")
    assert message["To"] == "owner@example.com"
    assert message["From"] == "Ship Captain Crew Reports <reports@example.com>"  # SES_FROM_NAME
    assert message["X-SCC-Run-Id"] == summary["run_id"]
    # The .eml copy adds the envelope on top; the bytes SES sent start at the real headers.
    assert ARCHIVE_BCC in message["X-Envelope-To"]
    raw = (sorted(outbox_dir.glob("*.eml"))[-1]).read_bytes()
    sent_headers = raw.split(b"\r\n\r\n", 1)[0].split(b"From:", 1)[1]
    assert ARCHIVE_BCC.encode() not in sent_headers


def test_the_same_scheduled_event_delivered_twice_sends_each_report_once(handler, outbox_dir):
    # GIVEN EventBridge Scheduler delivering the same scheduled invocation twice
    event = {"action": "send_reports", "scheduled_time": "2026-11-23T14:00:00Z"}
    first = handler(dict(event), None)
    second = handler(dict(event), None)
    # THEN the second joins the first run instead of starting another
    assert first["run_id"] == second["run_id"]
    assert first["status"] == second["status"] == "succeeded"
    assert len(report_emails(outbox_dir)) == SAMPLE_REPORTS


def test_the_classic_rule_envelope_keys_its_run_by_time(handler, outbox_dir):
    envelope = {
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "time": "2026-11-23T14:00:00Z",
        "resources": ["arn:aws:events:us-west-2:123456789012:rule/ptb_monthly_exec_reports"],
        "detail": {},
    }
    assert handler(dict(envelope), None)["status"] == "succeeded"
    assert handler(dict(envelope), None)["status"] == "succeeded"
    assert len(report_emails(outbox_dir)) == SAMPLE_REPORTS


class SimulatedTimeout(BaseException):
    """Lambda stopping the process: not an Exception, so nothing in the app can catch it."""


def test_a_timeout_after_three_sends_is_resumed_by_the_redelivery_without_duplicates(
    app, handler, outbox_dir, monkeypatch
):
    # GIVEN an invocation with a minute left that dies after SES accepted three reports
    clock = Clock()
    monkeypatch.setattr(app, "_clock", clock)
    real_send, sent, lock = app.outbox.send, [], threading.Lock()

    def dying_send(message, **kwargs):
        with lock:
            if len(sent) >= 3:
                raise SimulatedTimeout
            sent.append(message["X-SCC-Report-Id"])
        return real_send(message, **kwargs)

    monkeypatch.setattr(app.outbox, "send", dying_send)
    event = {"action": "send_reports", "scheduled_time": "2026-11-23T14:00:00Z"}
    with pytest.raises(SimulatedTimeout):
        handler(dict(event), LambdaContext(remaining_ms=60_000))
    assert len(report_emails(outbox_dir)) == 3

    # WHEN the scheduler redelivers once the dead invocation's lease has run out
    monkeypatch.setattr(app.outbox, "send", real_send)
    clock.now += timedelta(minutes=2)
    summary = handler(dict(event), LambdaContext(remaining_ms=300_000))

    # THEN the remaining five are sent, and none of the first three again
    assert summary["status"] == "succeeded", summary
    ids = [message["X-SCC-Report-Id"] for message in report_emails(outbox_dir)]
    assert len(ids) == SAMPLE_REPORTS
    assert len(set(ids)) == SAMPLE_REPORTS


def test_a_redelivery_while_the_first_is_still_running_sends_nothing(app, handler, outbox_dir, monkeypatch):
    # GIVEN a run whose first invocation died a moment ago, its lease still live
    clock = Clock()
    monkeypatch.setattr(app, "_clock", clock)
    real_send = app.outbox.send

    def die(message, **kwargs):
        raise SimulatedTimeout

    monkeypatch.setattr(app.outbox, "send", die)
    event = {"action": "send_reports", "scheduled_time": "2026-11-23T14:00:00Z"}
    with pytest.raises(SimulatedTimeout):
        handler(dict(event), LambdaContext(remaining_ms=600_000))
    monkeypatch.setattr(app.outbox, "send", real_send)
    # WHEN the duplicate arrives one minute later (the lease runs for ten)
    clock.now += timedelta(minutes=1)
    # THEN it sends nothing itself, and fails so that the scheduler comes back: if the holder
    # dies, that later delivery resumes the run (nothing lost)
    with pytest.raises(ActionFailed, match="is running"):
        handler(dict(event), LambdaContext(remaining_ms=600_000))
    assert report_emails(outbox_dir) == []


@pytest.fixture
def throttle_every_other_send(app):
    """Make SES answer every other SendEmail with a throttling error, before it reaches moto."""
    calls = {"n": 0, "throttled": 0}

    def maybe_throttle(request, **kwargs):
        calls["n"] += 1
        if calls["n"] % 2:
            calls["throttled"] += 1
            return aws_error(
                request.url, 429, "TooManyRequestsException", "Rate exceeded", content_type="application/json"
            )
        return None

    # A client of its own: botocore's adaptive mode keeps its rate limiter per client, and the
    # session's shared clients must not inherit this test's throttling.
    app.clients = Clients(app.settings)
    app.__dict__.pop("outbox", None)
    app.__dict__.pop("_reports_services", None)
    app.clients.sesv2.meta.events.register("before-send.sesv2.SendEmail", maybe_throttle)
    yield calls


def test_throttled_sends_are_retried_by_botocore_and_none_is_sent_twice(
    handler, outbox_dir, throttle_every_other_send
):
    summary = handler({"action": "send_reports"}, None)
    assert summary["status"] == "succeeded", summary
    assert throttle_every_other_send["throttled"] >= SAMPLE_REPORTS
    ids = [message["X-SCC-Report-Id"] for message in report_emails(outbox_dir)]
    assert sorted(ids) == sorted({*ids}) and len(ids) == SAMPLE_REPORTS


def test_one_report_failing_does_not_stop_the_others_and_retry_sends_only_it(
    api, admin_token, outbox_dir, monkeypatch
):
    # GIVEN the CMO report's brief raising (a bug, or data it cannot handle)
    import reports.briefs.cmo as cmo

    real_build = cmo.build

    def broken(*args, **kwargs):
        raise ValueError("channel table has no rows")

    monkeypatch.setattr(cmo, "build", broken)
    _, started, _ = api.call("POST", "/api/generate-reports", {}, token=admin_token)
    run = api.wait_for_run(admin_token, started["run_id"])
    # THEN seven are sent, the CMO report failed with its reason, and the admins got one notice
    by_id = {report["id"]: report for report in run["reports"]}
    assert run["status"] == "partial"
    assert by_id["cmo"]["status"] == "failed"
    assert "channel table has no rows" in by_id["cmo"]["error"]
    assert sum(1 for r in run["reports"] if r["status"] == "sent") == SAMPLE_REPORTS - 1
    notices = [m for m in all_emails(outbox_dir) if "reports failed" in m["Subject"]]
    assert len(notices) == 1
    assert "channel table has no rows" in notices[0].get_body(("plain",)).get_content()
    # WHEN the cause is fixed and the run retried
    monkeypatch.setattr(cmo, "build", real_build)
    status, _, _ = api.call("POST", f"/api/report-runs/{run['run_id']}/retry", {}, token=admin_token)
    assert status == 202
    retried = api.wait_for_run(admin_token, run["run_id"])
    # THEN only the CMO report is sent again
    assert retried["status"] == "succeeded"
    ids = [message["X-SCC-Report-Id"] for message in report_emails(outbox_dir)]
    assert len(ids) == SAMPLE_REPORTS
    assert ids.count("cmo") == 1


def test_a_dry_run_renders_and_archives_but_sends_nothing(handler, outbox_dir, archive_dir):
    summary = handler({"action": "send_reports", "dry_run": True}, None)
    assert summary["dry_run"] is True
    assert [report["status"] for report in summary["reports"]] == ["dry_run"] * SAMPLE_REPORTS
    assert report_emails(outbox_dir) == []
    archived = sorted(path.name for path in (archive_dir / summary["run_id"]).iterdir())
    assert len(archived) == 3 * SAMPLE_REPORTS
    assert "cfo.html" in archived and "cfo.txt" in archived and "cfo.json" in archived


def test_each_report_is_archived_before_it_is_sent(app, handler, archive_dir, monkeypatch):
    real_send, seen = app.outbox.send, []

    def checking_send(message, **kwargs):
        run_dir = archive_dir / message["X-SCC-Run-Id"]
        report_id = message["X-SCC-Report-Id"]
        seen.append(all((run_dir / f"{report_id}.{suffix}").is_file() for suffix in ("html", "txt", "json")))
        return real_send(message, **kwargs)

    monkeypatch.setattr(app.outbox, "send", checking_send)
    assert handler({"action": "send_reports"}, None)["status"] == "succeeded"
    assert seen == [True] * SAMPLE_REPORTS


def test_recipients_are_validated_and_used(api, admin_token, handler, outbox_dir):
    bad = api.call("PUT", "/api/recipients/cfo", {"to": ["not-an-email"]}, token=admin_token)
    assert bad[0] == 400 and bad[1]["error"]["field"] == "to"
    unknown = api.call("PUT", "/api/recipients/nope", {"to": ["cfo@example.com"]}, token=admin_token)
    assert unknown[0] == 404
    good = api.call("PUT", "/api/recipients/cfo", {"to": ["CFO@example.com"]}, token=admin_token)
    assert good[0] == 200 and good[1]["to"] == ["cfo@example.com"]
    handler({"action": "send_reports", "reports": ["cfo"]}, None)
    (message,) = report_emails(outbox_dir)
    assert message["To"] == "cfo@example.com"


def test_the_ceo_reports_top_three_shortfalls_become_cards_once_across_runs(api, admin_token, handler):
    handler({"action": "send_reports", "reports": ["ceo"]}, None)
    handler({"action": "send_reports", "reports": ["ceo"]}, None)
    status, page, _ = api.call("GET", "/api/tasks", token=admin_token)
    assert status == 200
    cards = page["tasks"]
    from_reports = [card for card in cards if card["persona"] == "ceo"]
    assert len(from_reports) == 3
    assert all(card["urgency"] == "critical" for card in from_reports)


def test_four_simultaneous_deliveries_of_one_schedule_send_each_report_once(
    app, handler, outbox_dir, monkeypatch
):
    # GIVEN SES taking 50 ms a message, so that four invocations of the same schedule overlap
    real_send = app.outbox.send

    def slow_send(message, **kwargs):
        time.sleep(0.05)
        return real_send(message, **kwargs)

    monkeypatch.setattr(app.outbox, "send", slow_send)
    event = {"action": "send_reports", "scheduled_time": "2026-11-23T14:00:00Z"}
    results: list[dict] = []
    waiting: list[ActionFailed] = []  # a delivery that found the run held fails, for the scheduler to retry

    def deliver():
        try:
            results.append(handler(dict(event), None))
        except ActionFailed as error:
            waiting.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    # WHEN they run at the same time
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # THEN they share one run, and each report went out once
    assert len(results) + len(waiting) == 4
    assert len({result["run_id"] for result in results}) == 1
    ids = [message["X-SCC-Report-Id"] for message in report_emails(outbox_dir)]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == SAMPLE_REPORTS


def test_the_second_report_shows_the_change_since_the_first(app, handler, outbox_dir):
    # GIVEN a CFO report sent once
    assert handler({"action": "send_reports", "reports": ["cfo"]}, None)["status"] == "succeeded"
    # WHEN it is sent again by a later run, with the same data
    assert handler({"action": "send_reports", "reports": ["cfo"]}, None)["status"] == "succeeded"
    first, second = report_emails(outbox_dir)
    # THEN only the second carries the "since" box, with no change in burn ($0) since nothing moved
    first_text = first.get_body(("plain",)).get_content()
    second_text = second.get_body(("plain",)).get_content()
    assert "Since the report of" not in first_text
    assert "Since the report of" in second_text
    assert "Burn $7,795 ($0)" in second_text


class RecordingLambda:
    """Stands in for the Lambda client: records the asynchronous self-invokes it is asked for."""

    def __init__(self):
        self.invocations: list[dict] = []

    def invoke(self, **request):
        self.invocations.append(request)
        return {"StatusCode": 202}


def test_in_lambda_the_dashboard_run_continues_in_an_asynchronous_self_invoke(
    app, api, admin_token, handler, outbox_dir, monkeypatch
):
    # GIVEN the app running as version 7 of the Lambda function "scc-api" (behind an alias)
    monkeypatch.setattr(
        app,
        "settings",
        app.settings.replace(self_function_name="scc-api", self_function_version="7"),
    )
    fake = RecordingLambda()
    real_get = app.clients.get
    monkeypatch.setattr(
        app.clients, "get", lambda service: fake if service == "lambda" else real_get(service)
    )
    # WHEN an admin clicks "Send reports"
    status, body, _ = api.call("POST", "/api/generate-reports", {}, token=admin_token)
    # THEN the answer is 202 at once, nothing is sent yet, and the work is handed to an Event invoke
    assert status == 202
    assert report_emails(outbox_dir) == []
    (invocation,) = fake.invocations
    # on the same version, so a newer upload or a rollback of the alias never changes the code mid-run
    assert (invocation["FunctionName"], invocation["InvocationType"]) == ("scc-api", "Event")
    assert invocation["Qualifier"] == "7"
    payload = json.loads(invocation["Payload"])
    assert payload == {"action": "process_run", "run_id": body["run_id"]}
    # AND that invocation, when Lambda delivers it, sends every report
    assert handler(payload, None)["status"] == "succeeded"
    assert len(report_emails(outbox_dir)) == SAMPLE_REPORTS


def test_a_queued_send_reports_record_is_processed_and_a_bad_one_dropped(handler, outbox_dir):
    event = {
        "Records": [
            {"messageId": "good", "eventSource": "aws:sqs", "body": json.dumps({"action": "send_reports"})},
            {
                "messageId": "bad",
                "eventSource": "aws:sqs",
                "body": json.dumps({"action": "send_reports", "reports": ["nope"]}),
            },
        ]
    }
    # a record asking for a report that does not exist can never succeed: not redelivered
    assert handler(event, None) == {"batchItemFailures": []}
    assert len(report_emails(outbox_dir)) == SAMPLE_REPORTS
