"""Delivery confirmation, end to end through lambda_handler and the moto server: a report is sent
for real (so the SES message ids are SES's), then SES's Delivery, Bounce, Complaint and Reject
events arrive as SNS notifications in their documented shapes (tests/events/sns_ses_*.json).
Each is recorded once however often SNS delivers it, a bounce or complaint emails the admins
once, the run summary shows each recipient's outcome, and a malformed record is skipped."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pytest
from report_delivery import ARCHIVE_BCC, OWNER, delivering

from shipcaptaincrew import config
from shipcaptaincrew.actions import ActionFailed

DOCS_RECIPIENT = "recipient@example.com"  # the address in the SES docs' examples
DOCS_MESSAGE_ID = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000"
DELIVERIES_TABLE = "scc-report-deliveries"


@pytest.fixture
def settings(settings, tmp_path) -> config.Settings:
    return delivering(settings, tmp_path / "archive")


@pytest.fixture
def sent(handler) -> dict:
    """Send the CFO and CEO reports for real; return the run summary."""
    summary = handler({"action": "send_reports", "reports": ["cfo", "ceo"]}, None)
    assert summary["status"] == "succeeded", summary
    assert all(report["message_id"] for report in summary["reports"])
    return summary


@pytest.fixture
def ses_event(sample_event):
    """Return an SNS event carrying one SES event fixture, made about a report that was sent:
    its SES message id, recipients and the tags the report was sent with (as SES publishes them)."""

    def make(name: str, summary: dict, report_id: str, *, sns_message_id=None, tags=None) -> dict:
        event = sample_event(f"sns_ses_{name}.json")
        sns = event["Records"][0]["Sns"]
        report = next(report for report in summary["reports"] if report["id"] == report_id)
        text = sns["Message"].replace(DOCS_MESSAGE_ID, report["message_id"]).replace(DOCS_RECIPIENT, OWNER)
        message = json.loads(text)
        message["mail"]["destination"] = [OWNER, ARCHIVE_BCC]
        if tags is None:
            tags = {"run_id": summary["run_id"], "report_id": report_id, "purpose": "executive_report"}
        message["mail"]["tags"].update({name: [value] for name, value in tags.items()})
        sns["Message"] = json.dumps(message)
        if sns_message_id:
            sns["MessageId"] = sns_message_id
        return event

    return make


def recorded(app, message_id: str) -> list[dict]:
    """Return the raw delivery records of one SES message (notice claims left out)."""
    items = app.clients.dynamodb.query(
        TableName=DELIVERIES_TABLE,
        KeyConditionExpression="message_id = :m",
        ExpressionAttributeValues={":m": {"S": message_id}},
    )["Items"]
    return [item for item in items if not item["entry"]["S"].startswith("notice#")]


def notices(outbox: Path) -> list[email.message.EmailMessage]:
    """Return the delivery notices emailed (to the admins)."""
    found = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["Subject"].startswith("Report ") and " for " in message["Subject"]:
            found.append(message)
    return found


def report(summary: dict, report_id: str) -> dict:
    return next(entry for entry in summary["reports"] if entry["id"] == report_id)


def test_each_event_is_recorded_once_however_often_sns_delivers_it(app, handler, sent, ses_event):
    cfo = report(sent, "cfo")["message_id"]
    delivery = ses_event("delivery", sent, "cfo")
    # WHEN SNS delivers the same Delivery notification twice (at-least-once)
    first = handler(delivery, None)
    second = handler(json.loads(json.dumps(delivery)), None)
    # THEN it is recorded the first time and found again the second, against the report's message
    (answer,) = first["records"]
    assert answer["status"] == "recorded", first
    assert (answer["run_id"], answer["report_id"], answer["message_id"]) == (sent["run_id"], "cfo", cfo)
    assert second["records"][0]["status"] == "duplicate"
    (item,) = recorded(app, cfo)
    assert item["status"]["S"] == "delivered" and item["recipient"]["S"] == OWNER
    assert int(item["expires_at"]["N"]) > 0  # kept as long as the run, then expired by TTL


def test_a_bounce_emails_the_admins_once_and_the_summary_shows_each_recipient(
    app, handler, api, admin_token, sent, ses_event, outbox_dir
):
    # GIVEN the CFO report was delivered, then complained of; the CEO report bounced
    for name, report_id in (("delivery", "cfo"), ("complaint", "cfo"), ("bounce", "ceo")):
        event = ses_event(name, sent, report_id)
        for _ in range(2):  # every notification delivered twice
            handler(json.loads(json.dumps(event)), None)
    # THEN each event was recorded once
    assert len(recorded(app, report(sent, "cfo")["message_id"])) == 2
    assert len(recorded(app, report(sent, "ceo")["message_id"])) == 1
    # AND the admins got one notice for the bounce and one for the complaint, never two
    subjects = sorted(message["Subject"] for message in notices(outbox_dir))
    assert subjects == [f"Report ceo bounced for {OWNER}", f"Report cfo was marked as spam for {OWNER}"]
    bounce = next(message for message in notices(outbox_dir) if "bounced" in message["Subject"])
    assert bounce["To"] == "admin@example.com"
    text = bounce.get_body(("plain",)).get_content()
    assert sent["run_id"] in text and OWNER in text and "550 5.1.1 user unknown" in text
    assert report(sent, "ceo")["message_id"] in text
    # AND the run summary shows each recipient's latest outcome (the API and a direct read agree)
    status, summary, _ = api.call("GET", f"/api/report-runs/{sent['run_id']}", token=admin_token)
    assert status == 200
    assert report(summary, "cfo")["deliveries"] == [
        {"recipient": OWNER, "status": "complained", "at": "2017-08-05T00:41:02.669Z"}
    ]
    assert report(summary, "ceo")["deliveries"] == [
        {"recipient": OWNER, "status": "bounced", "at": "2017-08-05T00:41:02.669Z"}
    ]
    status, runs, _ = api.call("GET", "/api/report-runs", token=admin_token)
    assert status == 200 and runs[0]["reports"] == summary["reports"]


def test_a_report_nobody_has_heard_of_yet_has_no_deliveries(api, admin_token, sent):
    status, summary, _ = api.call("GET", f"/api/report-runs/{sent['run_id']}", token=admin_token)
    assert status == 200
    assert [entry["deliveries"] for entry in summary["reports"]] == [[], []]


def test_a_reject_is_recorded_for_every_recipient_and_notified(app, handler, sent, ses_event, outbox_dir):
    handler(ses_event("reject", sent, "ceo"), None)
    records = recorded(app, report(sent, "ceo")["message_id"])
    assert sorted((r["recipient"]["S"], r["status"]["S"]) for r in records) == [
        (ARCHIVE_BCC, "rejected"),
        (OWNER, "rejected"),
    ]
    assert [message["Subject"] for message in notices(outbox_dir)] == [
        "Report ceo was rejected by SES for 2 recipients"
    ]


def test_an_event_without_tags_is_matched_to_its_report_by_message_id(
    app, handler, api, admin_token, sent, ses_event
):
    # GIVEN a Bounce whose message carries only SES's own tags (e.g. identity notifications)
    event = ses_event("bounce", sent, "ceo", tags={})
    message = json.loads(event["Records"][0]["Sns"]["Message"])
    assert not {"run_id", "report_id", "purpose"} & message["mail"]["tags"].keys()
    # WHEN it arrives THEN it is found by its SES message id among the sends
    (answer,) = handler(event, None)["records"]
    assert (answer["run_id"], answer["report_id"]) == (sent["run_id"], "ceo")
    _, summary, _ = api.call("GET", f"/api/report-runs/{sent['run_id']}", token=admin_token)
    assert [d["status"] for d in report(summary, "ceo")["deliveries"]] == ["bounced"]


def test_a_bounced_sign_in_link_is_recorded_but_tells_nobody(app, handler, sent, ses_event, outbox_dir):
    # A notice about a notice, or about a sign-in link, would only add mail: only reports notify.
    for purpose in ("magic_link", "delivery_notice"):
        event = ses_event("bounce", sent, "ceo", sns_message_id=f"sns-{purpose}", tags={"purpose": purpose})
        (answer,) = handler(event, None)["records"]
        assert answer["status"] == "recorded" and answer["report_id"] is None
        assert "notice" not in answer
    assert notices(outbox_dir) == []


def test_a_notice_ses_refused_is_sent_when_sns_retries(app, handler, sent, ses_event, outbox_dir):
    # GIVEN SES refuses the notice the first time
    runtime = app.runtime("reports")
    working = runtime.deliveries.outbox

    class Down:
        def send(self, *args, **kwargs):
            raise ConnectionError("SES unreachable")

    object.__setattr__(runtime.deliveries, "outbox", Down())
    bounce = ses_event("bounce", sent, "ceo")
    # WHEN the bounce arrives THEN the invocation fails, so Lambda retries it
    with pytest.raises(ActionFailed):
        handler(json.loads(json.dumps(bounce)), None)
    assert notices(outbox_dir) == []
    # AND the retry, with SES back, records nothing new and sends the notice once
    object.__setattr__(runtime.deliveries, "outbox", working)
    (answer,) = handler(json.loads(json.dumps(bounce)), None)["records"]
    assert (answer["status"], answer["notice"]) == ("duplicate", "sent")
    (answer,) = handler(json.loads(json.dumps(bounce)), None)["records"]
    assert answer["notice"] == "already_sent"
    assert len(notices(outbox_dir)) == 1


def test_malformed_sns_records_are_logged_and_skipped_never_raised(app, handler, sent, ses_event, caplog):
    good = ses_event("delivery", sent, "cfo")["Records"][0]

    def with_sns(**changes) -> dict:
        record = json.loads(json.dumps(good))
        record["Sns"].update(changes)
        return record

    no_id = json.loads(json.dumps(good))
    del no_id["Sns"]["MessageId"]
    event = {
        "Records": [
            with_sns(MessageId="sns-not-json", Message="{not json"),
            no_id,
            with_sns(MessageId="sns-not-ses", Message=json.dumps({"hello": "world"})),
            with_sns(MessageId="sns-no-mail", Message=json.dumps({"eventType": "Bounce", "bounce": {}})),
            {"EventSource": "aws:sns", "Sns": "not an object"},
            good,
        ]
    }
    answer = handler(event, None)
    statuses = [record["status"] for record in answer["records"]]
    assert statuses == ["skipped"] * 5 + ["recorded"]
    assert len(recorded(app, report(sent, "cfo")["message_id"])) == 1
    assert "malformed SNS record skipped" in caplog.text


def test_an_event_type_not_recorded_is_ignored(handler, sent, ses_event):
    event = ses_event("delivery", sent, "cfo")
    message = json.loads(event["Records"][0]["Sns"]["Message"])
    message["eventType"] = "Open"
    event["Records"][0]["Sns"]["Message"] = json.dumps(message)
    assert handler(event, None)["records"][0]["status"] == "ignored"
