"""The live AWS source in a real report run, end to end through lambda_handler and the moto server:
a denied call, LIVE_AUDIT=off and a broken reader are lines in the report, never a failed run;
the audit's critical findings become the CEO's task cards once, across runs."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pytest
from aws_replies import aws_error
from report_delivery import delivering

from reports import cli, runtime
from reports.account import seed
from reports.account.model import Account, AwsSource, Finding
from reports.quick_clients import quick_clients
from reports.vocabulary import Severity
from shipcaptaincrew import config

DENIAL = (
    "Live AWS source unavailable: Cost Explorer — AccessDeniedException on ce:GetCostAndUsage. "
    "Figures below are from the knowledge base."
)


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def settings(settings, archive_dir) -> config.Settings:
    return delivering(settings, archive_dir)


def report_texts(outbox: Path, report_id: str = "cto") -> list[str]:
    """Return the plain text of every email of one report, its wrapping undone."""
    found = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["X-SCC-Report-Id"] == report_id:
            found.append(" ".join(message.get_body(("plain",)).get_content().split()))
    return found


def texts(outbox: Path) -> dict[str, str]:
    """Return the one email of each report, by report id."""
    ids = ("cto", "cfo", "ceo")
    return {report_id: text for report_id in ids for text in report_texts(outbox, report_id)}


@pytest.fixture
def cost_explorer_denied(app):
    """Make Cost Explorer answer AccessDenied to the audit's client, as an account without the
    ce:GetCostAndUsage grant does (the handler is taken off again after the test)."""
    client = quick_clients(app.settings.aws_region, app.settings.aws_endpoint_url).get("ce")

    def deny(model, **kwargs):
        message = "not authorized to perform ce:GetCostAndUsage"
        parsed = {"Error": {"Code": "AccessDeniedException", "Message": message}}
        return aws_error("https://ce.example", 400, "AccessDeniedException", message), parsed

    client.meta.events.register("before-call.cost-explorer.GetCostAndUsage", deny, unique_id="deny-ce")
    yield
    client.meta.events.unregister("before-call.cost-explorer.GetCostAndUsage", unique_id="deny-ce")


def test_a_denied_cost_explorer_call_is_a_line_in_the_report_and_the_run_succeeds(
    handler, outbox_dir, archive_dir, cost_explorer_denied
):
    # WHEN the CTO and CFO reports go out on an account that refuses ce:GetCostAndUsage
    summary = handler({"action": "send_reports", "reports": ["cto", "cfo"]}, None)
    # THEN the run succeeds and both are sent
    assert summary["status"] == "succeeded", summary
    assert [r["status"] for r in summary["reports"]] == ["sent", "sent"]
    sent = texts(outbox_dir)
    # AND the CTO says which source was not read and why, once, and goes on with the knowledge base
    assert sent["cto"].count(DENIAL) == 1
    assert "INFRASTRUCTURE COST" in sent["cto"]
    # AND the CFO's AWS line falls back to the ledger, saying why
    assert (
        "the real bill is unavailable (Cost Explorer — AccessDeniedException on ce:GetCostAndUsage)"
        in sent["cfo"]
    )
    # AND the archived JSON lists the source that could not be read, with the reason
    (archived,) = archive_dir.glob(f"{summary['run_id']}/cto.json")
    data = json.loads(archived.read_text())
    assert {"source": "Cost Explorer", "reason": "AccessDeniedException on ce:GetCostAndUsage"} in data[
        "data"
    ]["live_aws"]["unavailable"]


def test_live_audit_off_reads_nothing_and_says_so(app, handler, outbox_dir, monkeypatch):
    # GIVEN LIVE_AUDIT=off
    monkeypatch.setattr(app, "settings", app.settings.replace(live_audit="off"))
    # WHEN the CTO report goes out
    assert handler({"action": "send_reports", "reports": ["cto"]}, None)["status"] == "succeeded"
    # THEN its one line about the source says it is off
    assert (
        "Live AWS source unavailable: the live AWS audit — LIVE_AUDIT=off. "
        "Figures below are from the knowledge base." in texts(outbox_dir)["cto"]
    )


def test_a_reader_that_breaks_is_a_line_in_the_report_never_a_failed_run(handler, outbox_dir, monkeypatch):
    def broken(host, *, today):
        raise RuntimeError("a bug in the reader")

    monkeypatch.setattr(runtime, "read_for_host", broken)
    assert handler({"action": "send_reports", "reports": ["cto"]}, None)["status"] == "succeeded"
    assert (
        "Live AWS source unavailable: the live AWS audit — the reader failed (RuntimeError)."
        in texts(outbox_dir)["cto"]
    )


PUBLIC = Finding(
    "s3-public-policy",
    Severity.CRITICAL,
    "Bucket scc-public-files is public",
    "Turn on Block Public Access for scc-public-files.",
    AwsSource("s3", "GetBucketPolicyStatus", "arn:aws:s3:::scc-public-files"),
)
NO_AUTH = Finding(
    "lambda-url-no-auth",
    Severity.CRITICAL,
    "Function URL of scc-webhook needs no auth",
    "Set the Function URL's AuthType to AWS_IAM.",
    AwsSource("lambda", "GetFunctionUrlConfig", "arn:aws:lambda:us-west-2:123456789012:function:scc-webhook"),
)
OLD_KEY = Finding(
    "iam-key-age",
    Severity.HIGH,
    "Access key of deploy-bot is 125 days old",
    "Rotate the key.",
    AwsSource("iam", "GetCredentialReport", "arn:aws:iam::123456789012:user/deploy-bot"),
)


def test_critical_findings_become_ceo_cards_once_across_runs(api, admin_token, handler, monkeypatch):
    # GIVEN an audit that finds two critical flaws and one high
    account = Account(findings=(PUBLIC, NO_AUTH, OLD_KEY), checked=("s3-public-policy", "lambda-url-no-auth"))
    monkeypatch.setattr(runtime, "read_for_host", lambda host, *, today: account)
    # WHEN the CEO report is sent twice
    for _ in range(2):
        assert handler({"action": "send_reports", "reports": ["ceo"]}, None)["status"] == "succeeded"
    # THEN the board has the top three shortfalls and the two critical findings, each once (5 cards);
    # the high finding is no card
    status, page, _ = api.call("GET", "/api/tasks", token=admin_token)
    assert status == 200
    cards = [card for card in page["tasks"] if card["persona"] == "ceo"]
    assert len(cards) == 5
    audit = sorted((card for card in cards if "live AWS audit" in card["source"]), key=lambda c: c["title"])
    assert [card["title"] for card in audit] == [PUBLIC.title, NO_AUTH.title]
    assert audit[0]["detail"] == "Fix: Turn on Block Public Access for scc-public-files."
    assert (audit[0]["urgency"], audit[0]["owner"]) == ("critical", "CTO")
    assert "arn:aws:s3:::scc-public-files" in audit[0]["source"]


def test_the_second_cto_report_lists_what_was_fixed_since_the_first(handler, outbox_dir, monkeypatch):
    # GIVEN a first CTO report whose audit found the public bucket and the open Function URL
    first = Account(findings=(PUBLIC, NO_AUTH), checked=("s3-public-policy", "lambda-url-no-auth"))
    monkeypatch.setattr(runtime, "read_for_host", lambda host, *, today: first)
    assert handler({"action": "send_reports", "reports": ["cto"]}, None)["status"] == "succeeded"
    # WHEN the bucket is made private and the report goes out again (both checks ran)
    second = Account(findings=(NO_AUTH,), checked=("s3-public-policy", "lambda-url-no-auth"))
    monkeypatch.setattr(runtime, "read_for_host", lambda host, *, today: second)
    assert handler({"action": "send_reports", "reports": ["cto"]}, None)["status"] == "succeeded"
    # THEN one of the two reports (the second) lists the bucket as fixed, and only it
    (later,) = [text for text in report_texts(outbox_dir) if "Fixed since the report of" in text]
    assert "(1): - s3-public-policy on arn:aws:s3:::scc-public-files" in later
    assert "lambda-url-no-auth on" not in later


def test_preview_cto_live_embedded_shows_the_seeded_flaws_with_their_sources(tmp_path, quiet_cli_logging):
    # GIVEN the embedded stand-in, seeded with a deliberately flawed account (reports/account/seed.py)
    # WHEN the CTO report is previewed on it
    assert cli.main(["preview", "cto", "--live", "embedded", "--out", str(tmp_path)], environ={}) == 0
    text = " ".join((tmp_path / "cto.txt").read_text().split())
    data = json.loads((tmp_path / "cto.json").read_text())
    # THEN the audit's findings are in the security section, each citing its source's ARN
    assert f"arn:aws:s3:::{seed.PUBLIC_BUCKET}" in text
    assert f"function:{seed.OPEN_FUNCTION}" in text
    assert seed.OLD_KEY_USER in text
    checks = {finding["check"] for finding in data["live_aws"]["findings"]}
    assert {"iam-key-age", "s3-public-policy", "lambda-url-no-auth", "lambda-env-secret"} <= checks
    assert all(finding["source"]["arn"].startswith("arn:aws:") for finding in data["live_aws"]["findings"])


def test_previews_reuse_a_recent_audit_and_leave_the_runs_cards_alone(app, monkeypatch):
    """A preview reads the account once per PREVIEW_ACCOUNT_AGE (the audit is a dozen or more AWS
    calls, too many for each click), and never becomes the source of a run's task cards."""
    reads = []

    def counted(host, *, today):
        reads.append(today)
        return Account(findings=(PUBLIC,), checked=("s3-public-policy",))

    monkeypatch.setattr(runtime, "read_for_host", counted)
    reports = app.runtime("reports")
    # WHEN the CTO report is previewed twice within the reuse window
    reports.preview("cto")
    reports.preview("cto")
    # THEN the account was read once, and the run's account is still unset
    assert len(reads) == 1
    assert reports.last_account is None
    # AND once the window has passed, the next preview reads anew
    later = app.now() + runtime.PREVIEW_ACCOUNT_AGE
    monkeypatch.setattr(app, "now", lambda: later)
    reports.preview("cto")
    assert len(reads) == 2
