"""Faults across the stack: DynamoDB condition races and throughput errors, SES throttling and
rejection, Secrets Manager down at cold start, a knowledge-base file missing in S3. Each gives a
clear error, loses nothing, and the next attempt recovers."""

from __future__ import annotations

import base64
import email
import email.policy
import json
from pathlib import Path

import pytest

from shipcaptaincrew import config
from shipcaptaincrew.app import App, set_app

SAMPLE_REPORTS = 8
SAIL = {"title": "Sunset sail", "entity": "jada", "date": "2031-06-14", "status": "booked"}
THROTTLED = "ProvisionedThroughputExceededException"
RACE = (
    "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]"
)


def report_ids_sent(outbox: Path) -> list[str]:
    messages = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox.glob("*.eml"))
    ]
    return [m["X-SCC-Report-Id"] for m in messages if m["X-SCC-Report-Id"]]


def is_report(report_id: str):
    """Match an SES SendEmail request carrying the given report (its raw bytes are base64 JSON)."""

    def match(request) -> bool:
        raw = base64.b64decode(json.loads(request.body)["Content"]["Raw"]["Data"])
        return f"X-SCC-Report-Id: {report_id}".encode() in raw

    return match


# --- DynamoDB ---------------------------------------------------------------------------------


def test_throughput_errors_that_clear_within_botocores_retries_are_invisible(api, admin_token, faults, app):
    # GIVEN DynamoDB refusing the next two writes for capacity
    faults.fail("dynamodb.TransactWriteItems", THROTTLED, times=2)
    # WHEN a charter is created
    status, body, _ = api.call("POST", "/api/events", SAIL, token=admin_token)
    # THEN botocore's retries carried it: stored once, counted once
    assert status == 201, body
    assert faults.injected == [f"dynamodb.TransactWriteItems {THROTTLED}"] * 2
    assert app.counters.read() == app.counters.recount()
    assert app.counters.read()["status#booked"] == 1


def test_lasting_throughput_errors_are_a_clear_503_and_the_next_request_works(
    few_retries, api, admin_token, faults
):
    # GIVEN DynamoDB out of capacity for every Scan, beyond botocore's retries
    faults.fail("dynamodb.Scan", THROTTLED)
    # WHEN the dashboard lists charters
    status, body, headers = api.call("GET", "/api/events", token=admin_token)
    # THEN the answer says the service is busy and when to come back, not "internal error"
    assert status == 503, body
    assert body["error"]["code"] == "service_unavailable"
    assert "try again" in body["error"]["message"]
    assert int(headers["Retry-After"]) > 0
    # AND once capacity is back, the same request works
    faults.heal()
    assert api.call("GET", "/api/events", token=admin_token)[0] == 200


def test_a_write_that_loses_every_race_is_a_409_and_changes_nothing(api, admin_token, faults, app):
    # GIVEN a charter, and every transaction on it cancelled by a concurrent writer's condition
    _, charter, _ = api.call("POST", "/api/events", SAIL, token=admin_token)
    before = app.counters.read()
    faults.fail("dynamodb.TransactWriteItems", "TransactionCanceledException", message=RACE)
    # WHEN the admin changes its status
    change = {"status": "completed"}
    status, body, _ = api.call("PATCH", f"/api/events/{charter['id']}", change, token=admin_token)
    # THEN a clear conflict, after the bounded re-reads, and neither the charter nor a count moved
    assert status == 409, body
    assert "try again" in body["error"]["message"]
    assert api.call("GET", f"/api/events/{charter['id']}", token=admin_token)[1]["status"] == "booked"
    assert app.counters.read() == before
    # AND trying again once the race is over works, counted once
    faults.heal()
    assert api.call("PATCH", f"/api/events/{charter['id']}", change, token=admin_token)[0] == 200
    assert app.counters.read() == app.counters.recount()


class LambdaContext:
    def __init__(self, remaining_ms: int):
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def test_a_run_stopped_by_lasting_throughput_errors_is_resumed_by_the_next_delivery(
    few_retries, handler, faults, outbox_dir
):
    # GIVEN the deliveries table out of capacity after three reports were claimed
    claims = {"n": 0}

    def after_three(request) -> bool:
        if b"scc-report-sends" not in request.body or b"in_progress" not in request.body:
            return False
        claims["n"] += 1
        return claims["n"] > 3

    faults.fail("dynamodb.UpdateItem", THROTTLED, when=after_three)
    event = {"action": "send_reports", "scheduled_time": "2026-11-23T14:00:00Z"}
    # WHEN the scheduled invocation runs, it fails loudly (so the scheduler retries it)
    with pytest.raises(Exception, match=THROTTLED):
        handler(dict(event), LambdaContext(remaining_ms=600_000))
    sent_first = report_ids_sent(outbox_dir)
    assert 0 < len(sent_first) <= 3
    # AND when the scheduler's retry arrives a minute later, capacity back
    faults.heal()
    summary = handler(dict(event), LambdaContext(remaining_ms=600_000))
    # THEN it resumes at once: every report sent, none twice
    assert summary["status"] == "succeeded", summary
    ids = report_ids_sent(outbox_dir)
    assert sorted(ids) == sorted(set(ids)) and len(ids) == SAMPLE_REPORTS


# --- SES --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status", "shown", "left"),
    [
        ("MessageRejected", 400, "MessageRejected", "failed"),  # permanent: final
        # still throttled after botocore's retries: transient, so the report waits to retry
        ("TooManyRequestsException", 429, "TooManyRequestsException", "pending"),
    ],
)
def test_ses_refusing_one_report_fails_only_it_and_the_retry_sends_only_it(
    few_retries, api, admin_token, faults, outbox_dir, code, status, shown, left
):
    # GIVEN SES refusing every attempt at the CFO report
    faults.fail("sesv2.SendEmail", code, status=status, when=is_report("cfo"))
    # WHEN the admin sends the reports
    _, started, _ = api.call("POST", "/api/generate-reports", {}, token=admin_token)
    run = api.wait_for_run(admin_token, started["run_id"])
    # THEN the CFO report is not sent (failed for good, or pending to retry), saying why, and the
    # seven others went out once each
    by_id = {report["id"]: report for report in run["reports"]}
    assert run["status"] == "partial"
    assert by_id["cfo"]["status"] == left and shown in by_id["cfo"]["error"]
    assert sorted(report_ids_sent(outbox_dir)) == sorted(rid for rid in by_id if rid != "cfo")
    # WHEN SES accepts it again and the admin retries the run
    faults.heal()
    assert api.call("POST", f"/api/report-runs/{run['run_id']}/retry", {}, token=admin_token)[0] == 202
    # THEN only the CFO report is sent, once
    assert api.wait_for_run(admin_token, run["run_id"])["status"] == "succeeded"
    ids = report_ids_sent(outbox_dir)
    assert len(ids) == SAMPLE_REPORTS and ids.count("cfo") == 1


# --- Secrets Manager --------------------------------------------------------------------------

LONG_SECRET = "a-secret-kept-in-secrets-manager-0123456789"


@pytest.fixture
def secret_container(app, aws_endpoint, outbox_dir):
    """A fresh container configured with JWT_SECRET_ARN only, the secret stored in moto."""
    arn = app.clients.secretsmanager.create_secret(Name="scc/jwt", SecretString=LONG_SECRET)["ARN"]
    settings = config.load(
        {
            "AWS_ENDPOINT_URL": aws_endpoint,
            "AWS_REGION": "us-west-2",
            "JWT_SECRET_ARN": arn,
            "ADMIN_EMAILS": "admin@example.com",
            "MAIL_OUTBOX_DIR": str(outbox_dir),
            "APP_BASE_URL": "https://app.example.com",
            "MAGIC_LINK_MIN_SECONDS": "0",
        }
    )
    container = App(settings)
    set_app(container)
    return container


def test_secrets_manager_down_at_cold_start_is_a_clear_503_and_the_link_still_works_after(
    few_retries, secret_container, api
):
    # GIVEN a cold container whose Secrets Manager is unreachable
    from tests.hardening.conftest import Faults

    faults = Faults(secret_container)
    faults.fail("secrets-manager.GetSecretValue", "InternalServiceError", status=500)
    # WHEN a person asks for a link (no secret needed) and opens it (the session must be signed)
    assert api.call("POST", "/api/auth/magic-link", {"email": "admin@example.com"})[0] == 202
    link = api.link_token("admin@example.com")
    status, body, headers = api.call("POST", "/api/auth/verify", {"token": link})
    # THEN a clear "try again" answer, not a 500 with a traceback
    assert status == 503, body
    assert body["error"]["code"] == "service_unavailable"
    assert "Traceback" not in json.dumps(body)
    assert int(headers["Retry-After"]) > 0
    # AND the single-use link was not spent on the failure: once Secrets Manager is back, it works
    faults.heal()
    status, body, _ = api.call("POST", "/api/auth/verify", {"token": link})
    assert status == 200, body
    assert api.call("GET", "/api/me", token=body["token"])[0] == 200


# --- the knowledge base in S3 -----------------------------------------------------------------

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio"


@pytest.fixture
def s3_knowledge_base(app, monkeypatch):
    """The sample portfolio in s3://scc-kb/portfolio on moto, and the app reading it from there."""
    s3 = app.clients.s3
    s3.create_bucket(Bucket="scc-kb", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    for path in SAMPLE.rglob("*"):
        if path.is_file():
            s3.put_object(
                Bucket="scc-kb",
                Key=f"portfolio/{path.relative_to(SAMPLE).as_posix()}",
                Body=path.read_bytes(),
            )
    monkeypatch.setattr(app, "settings", app.settings.replace(knowledge_base="s3://scc-kb/portfolio"))
    app.__dict__.pop("_reports_services", None)
    return s3


def test_a_file_missing_from_the_s3_knowledge_base_fails_only_the_reports_that_need_it(
    api, admin_token, s3_knowledge_base, outbox_dir
):
    # GIVEN the ledger missing from the knowledge base in S3
    ledger = s3_knowledge_base.get_object(Bucket="scc-kb", Key="portfolio/ledger.csv")["Body"].read()
    s3_knowledge_base.delete_object(Bucket="scc-kb", Key="portfolio/ledger.csv")
    # WHEN the reports are sent
    _, started, _ = api.call("POST", "/api/generate-reports", {}, token=admin_token)
    run = api.wait_for_run(admin_token, started["run_id"])
    # THEN the reports that read the ledger failed naming the file, and the others were sent
    failed = {r["id"]: r["error"] for r in run["reports"] if r["status"] == "failed"}
    sent = {r["id"] for r in run["reports"] if r["status"] == "sent"}
    assert run["status"] == "partial"
    assert failed and sent, run
    assert all("ledger.csv:1: file is missing" in error for error in failed.values()), failed
    assert "cmo" in sent  # the CMO report reads no ledger
    assert sorted(report_ids_sent(outbox_dir)) == sorted(sent)
    # WHEN the file is restored and the run retried
    s3_knowledge_base.put_object(Bucket="scc-kb", Key="portfolio/ledger.csv", Body=ledger)
    assert api.call("POST", f"/api/report-runs/{run['run_id']}/retry", {}, token=admin_token)[0] == 202
    # THEN exactly the failed ones are sent now
    assert api.wait_for_run(admin_token, run["run_id"])["status"] == "succeeded"
    ids = report_ids_sent(outbox_dir)
    assert sorted(ids) == sorted(set(ids)) and len(ids) == SAMPLE_REPORTS


def test_s3_down_while_reading_the_knowledge_base_is_a_clear_503_and_the_next_click_works(
    few_retries, api, admin_token, s3_knowledge_base, faults, outbox_dir
):
    # GIVEN S3 failing every listing of the knowledge base's prefix
    faults.fail("s3.ListObjectsV2", "InternalError", status=500)
    # WHEN the admin opens the catalogue and clicks "Send reports"
    catalogue = api.call("GET", "/api/reports", token=admin_token)
    generate = api.call("POST", "/api/generate-reports", {}, token=admin_token)
    # THEN both say the service is unavailable, and nothing was started or sent
    for status, body, _ in (catalogue, generate):
        assert status == 503, body
        assert body["error"]["code"] == "service_unavailable"
    assert api.call("GET", "/api/report-runs", token=admin_token)[1] == []
    # AND once S3 is back, the next click sends every report
    faults.heal()
    _, started, _ = api.call("POST", "/api/generate-reports", {}, token=admin_token)
    assert api.wait_for_run(admin_token, started["run_id"])["status"] == "succeeded"
    assert len(report_ids_sent(outbox_dir)) == SAMPLE_REPORTS
