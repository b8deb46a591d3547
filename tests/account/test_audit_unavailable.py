"""A source that cannot be read is a line in the report, never a failed run: a denied call, an
unreachable endpoint, and LIVE_AUDIT=off."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from audit_world import REGION, TODAY, arns, user_with_key
from botocore.exceptions import ClientError

from reports.account.model import Unavailable
from reports.account.read import read_account, read_for_host
from reports.plugin import ReportsSettings
from reports.quick_clients import QuickClients
from shipcaptaincrew import config
from shipcaptaincrew.local.embedded import free_port


def _denied(operation: str):
    def refuse(**_):
        error = {"Code": "AccessDenied", "Message": "User is not authorized to perform this action"}
        raise ClientError({"Error": error}, operation)

    return refuse


@pytest.fixture
def denied_iam(aws):
    """The IAM client refuses GetCredentialReport, as a policy without iam:GetCredentialReport does."""
    events = aws("iam").meta.events
    handler = _denied("GetCredentialReport")
    events.register("before-call.iam.GetCredentialReport", handler)
    yield
    events.unregister("before-call.iam.GetCredentialReport", handler)


def test_a_denied_call_is_named_and_every_other_source_is_still_read(aws, read, denied_iam):
    # GIVEN an old key (which would be flagged) and a bucket with no public access block
    user_with_key(aws("iam"), "old-key", created=TODAY.replace(month=8, day=1), used=None)
    aws("s3").create_bucket(Bucket="no-block", CreateBucketConfiguration={"LocationConstraint": REGION})
    # WHEN the account is read with iam:GetCredentialReport denied
    account = read()
    # THEN IAM is listed unavailable with the refused action, and nothing else is
    assert account.unavailable == (Unavailable("IAM access keys", "AccessDenied on iam:GetCredentialReport"),)
    assert "iam-key-age" not in account.checked and len(account.checked) == 9
    assert arns(account, "s3-public-access-block") == {"arn:aws:s3:::no-block"}
    assert account.cost is not None and account.usage is not None
    assert account.as_dict()["unavailable"] == [
        {"source": "IAM access keys", "reason": "AccessDenied on iam:GetCredentialReport"}
    ]


def test_a_denied_call_in_a_fan_out_names_the_iam_action(aws, read):
    # s3's GetPublicAccessBlock is granted as s3:GetBucketPublicAccessBlock: the reason says so
    aws("s3").create_bucket(Bucket="some-bucket", CreateBucketConfiguration={"LocationConstraint": REGION})
    events, handler = aws("s3").meta.events, _denied("GetPublicAccessBlock")
    events.register("before-call.s3.GetPublicAccessBlock", handler)
    try:
        account = read()
    finally:
        events.unregister("before-call.s3.GetPublicAccessBlock", handler)
    assert account.unavailable == (
        Unavailable("S3 buckets", "AccessDenied on s3:GetBucketPublicAccessBlock"),
    )


def test_no_aws_at_all_is_one_line_and_a_quick_return():
    # GIVEN an endpoint nothing listens on (a local run without the stand-in)
    nowhere = QuickClients(REGION, f"http://127.0.0.1:{free_port()}")
    # WHEN the account is read
    account = read_account(nowhere, today=TODAY, function_name=None)
    # THEN the whole audit is unavailable, saying why, after the one call that found out
    ((unavailable),) = account.unavailable
    assert unavailable.source == "the live AWS audit"
    assert unavailable.reason.startswith("not reachable: Could not connect to the endpoint URL")
    assert (account.calls, account.findings, account.checked) == (1, (), ())


def test_no_credentials_says_so(monkeypatch):
    # GIVEN no credentials anywhere (a local run on a fresh machine without the stand-in)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    account = read_account(QuickClients(REGION, None), today=TODAY, function_name=None)
    assert account.unavailable == (
        Unavailable(
            "the live AWS audit", "no AWS credentials: none in the environment, profile or instance role"
        ),
    )


def test_live_audit_off_reads_nothing(aws):
    # GIVEN LIVE_AUDIT=off in the environment
    settings = config.load(
        {"LIVE_AUDIT": "off", "JWT_SECRET": "x" * 40, "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    )
    host = SimpleNamespace(settings=settings, settings_of=lambda name: settings.section(ReportsSettings))
    # WHEN a run reads the live source
    account = read_for_host(host, today=TODAY)
    # THEN it says the audit is off, and made no call
    assert account.unavailable == (Unavailable("the live AWS audit", "LIVE_AUDIT=off"),)
    assert account.calls == 0


@pytest.mark.parametrize(("value", "expected"), [("", "on"), ("on", "on"), ("off", "off")])
def test_live_audit_is_on_unless_turned_off(value, expected):
    settings = config.load({"LIVE_AUDIT": value, "JWT_SECRET": "x" * 40})
    assert settings.section(ReportsSettings).live_audit == expected


def test_a_mistyped_live_audit_fails_at_start_naming_the_variable():
    settings = config.load({"LIVE_AUDIT": "of", "JWT_SECRET": "x" * 40})
    with pytest.raises(config.ConfigError, match="LIVE_AUDIT"):
        settings.section(ReportsSettings)
