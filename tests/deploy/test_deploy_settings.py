"""Deploy settings from repos.env: the schedules' cadence and zone, what reaches the Lambda's
environment, and the least-privilege policy rendered from docs/iam-policy.json."""

from __future__ import annotations

import json

import pytest

from .conftest import load_script

deploy_settings = load_script("deploy.settings")
deploy_documents = load_script("deploy.documents")

BASE = {"REPORTS_ARCHIVE": "s3://scc-archive/reports", "JWT_SECRET_ARN": "arn:aws:secretsmanager:x"}


@pytest.mark.parametrize(
    ("value", "expression"),
    [
        (None, "cron(0 6 ? * MON *)"),  # weekly, Monday 06:00, by default
        ("weekly", "cron(0 6 ? * MON *)"),
        ("monthly", "cron(0 6 1 * ? *)"),  # the 1st of each month, 06:00
        ("cron(30 7 ? * FRI *)", "cron(30 7 ? * FRI *)"),
        ("rate(7 days)", "rate(7 days)"),
    ],
)
def test_the_reports_cadence_is_named_or_raw(value, expression):
    sources = {"REPORTS_SCHEDULE": value} if value else {}
    assert deploy_settings.load(sources).reports_schedule == expression


def test_the_zones_default_to_los_angeles_and_follow_repos_env():
    assert deploy_settings.load({}).reports_schedule_tz == "America/Los_Angeles"
    sources = {"REPORTS_SCHEDULE_TZ": "Europe/Paris", "BUSINESS_TIMEZONE": "Asia/Tokyo"}
    settings = deploy_settings.load(sources)
    assert (settings.reports_schedule_tz, settings.push_to_book_schedule_tz) == ("Europe/Paris", "Asia/Tokyo")


@pytest.mark.parametrize(
    ("sources", "named"),
    [
        ({"REPORTS_SCHEDULE": "sometimes"}, "REPORTS_SCHEDULE"),
        ({"REPORTS_SCHEDULE": "cron(0 6 * *)"}, "REPORTS_SCHEDULE"),
        ({"REPORTS_SCHEDULE_TZ": "Mars/Olympus"}, "REPORTS_SCHEDULE_TZ"),
        ({"PUSH_TO_BOOK_SCHEDULE": "hourly"}, "PUSH_TO_BOOK_SCHEDULE"),
        ({"LAMBDA_MEMORY_MB": "64"}, "LAMBDA_MEMORY_MB"),
        ({"LAMBDA_TIMEOUT": "1000"}, "LAMBDA_TIMEOUT"),
        ({"FUNCTION_NAME": "no spaces allowed"}, "FUNCTION_NAME"),
    ],
)
def test_a_bad_setting_is_refused_by_name(sources, named):
    with pytest.raises(deploy_settings.DeployConfigError, match=named):
        deploy_settings.load(sources)


def test_the_schedule_input_carries_the_scheduled_time():
    settings = deploy_settings.load({"REPORTS_SCHEDULE": "monthly"}, stage="prod")
    schedule = deploy_documents.schedule_input("reports", settings, "123456789012")
    assert schedule["Name"] == "shipcaptaincrew-prod-send-reports"
    assert schedule["ScheduleExpression"] == "cron(0 6 1 * ? *)"
    assert schedule["Target"]["Arn"].endswith(":function:shipcaptaincrew:prod")
    assert json.loads(schedule["Target"]["Input"])["scheduled_time"] == "<aws.scheduler.scheduled-time>"


def test_only_the_apps_own_settings_reach_the_lambda():
    sources = {
        **BASE,
        "JWT_SECRET": "a-local-secret-that-is-long-enough-0123456789",
        "MAIL_OUTBOX_DIR": "outbox",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
        "AWS_SECRET_ACCESS_KEY": "never",
        "FUNCTION_NAME": "shipcaptaincrew",
        "HOME": "/home/someone",
    }
    variables, warnings = deploy_settings.lambda_environment(sources)
    assert variables == BASE  # the ARN wins: the plain secret is not shipped at all
    assert warnings == ["JWT_SECRET is not forwarded: JWT_SECRET_ARN is set and the Lambda reads that"]


def test_a_configuration_the_lambda_would_refuse_is_caught_before_shipping():
    with pytest.raises(deploy_settings.DeployConfigError, match="REPORTS_ARCHIVE"):
        deploy_settings.lambda_environment({"JWT_SECRET_ARN": "arn:x"})
    with pytest.raises(deploy_settings.DeployConfigError, match="JWT_SECRET_ARN"):
        deploy_settings.lambda_environment({"REPORTS_ARCHIVE": "s3://a/b"})
    with pytest.raises(deploy_settings.DeployConfigError, match="KNOWLEDGE_BASE"):
        deploy_settings.lambda_environment({**BASE, "KNOWLEDGE_BASE": "/home/me/kb"})


def render(sources: dict[str, str]) -> dict[str, dict]:
    settings = deploy_settings.load(sources)
    template = json.loads(deploy_documents.POLICY_TEMPLATE.read_text())
    policy = deploy_documents.render_policy(
        template, deploy_documents.policy_values(sources, settings, "111122223333")
    )
    return {statement["Sid"]: statement for statement in policy["Statement"]}


def test_the_policy_grants_only_what_is_configured():
    statements = render({**BASE, "KNOWLEDGE_BASE": "s3://kb-bucket/portfolio"})
    assert statements["ReadSigningSecret"]["Resource"] == "arn:aws:secretsmanager:x"
    assert statements["ReadKnowledgeBase"]["Resource"] == "arn:aws:s3:::kb-bucket/portfolio/*"
    assert statements["ListKnowledgeBase"]["Condition"] == {"StringLike": {"s3:prefix": ["portfolio/*"]}}
    tables = statements["ReadWriteOwnTables"]["Resource"]
    assert "arn:aws:dynamodb:us-west-2:111122223333:table/scc-events" in tables
    assert "arn:aws:dynamodb:us-west-2:111122223333:table/scc-events/index/*" in tables
    # The bundled sample needs no S3 read, and a plain JWT_SECRET needs no Secrets Manager.
    plain = render({"REPORTS_ARCHIVE": "s3://a/b", "JWT_SECRET": "x" * 40})
    assert not {"ReadKnowledgeBase", "ListKnowledgeBase", "ReadSigningSecret"} & plain.keys()


def test_no_statement_grants_a_wildcard_action():
    for statement in render(BASE).values():
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert all("*" not in action for action in actions)


def test_the_ses_configuration_set_and_its_topic_default_from_the_function_name():
    settings = deploy_settings.load({}, function="charters")
    assert (settings.ses_configuration_set, settings.ses_events_topic) == (
        "charters-reports",
        "charters-reports-events",
    )
    named = deploy_settings.load({"SES_CONFIGURATION_SET": "mail"})
    assert (named.ses_configuration_set, named.ses_events_topic) == ("mail", "mail-events")
    with pytest.raises(deploy_settings.DeployConfigError, match="SES_CONFIGURATION_SET"):
        deploy_settings.load({"SES_CONFIGURATION_SET": "no spaces"})
    with pytest.raises(deploy_settings.DeployConfigError, match="SES_EVENTS_TOPIC"):
        deploy_settings.load({"SES_EVENTS_TOPIC": "a.fifo?"})


def test_the_lambda_sends_through_the_configuration_set_the_deploy_makes():
    settings = deploy_settings.load(BASE)
    variables, _ = deploy_settings.lambda_environment(deploy_settings.with_deploy_defaults(BASE, settings))
    assert variables["SES_CONFIGURATION_SET"] == "shipcaptaincrew-reports"
    chosen = {**BASE, "SES_CONFIGURATION_SET": "ours"}
    variables, _ = deploy_settings.lambda_environment(
        deploy_settings.with_deploy_defaults(chosen, deploy_settings.load(chosen))
    )
    assert variables["SES_CONFIGURATION_SET"] == "ours"
    sending = render(BASE)["SendAsVerifiedSender"]["Resource"]
    assert "arn:aws:ses:us-west-2:111122223333:configuration-set/shipcaptaincrew-reports" in sending


def test_the_event_destination_and_topic_policy_documents():
    settings = deploy_settings.load({})
    topic = "arn:aws:sns:us-west-2:111122223333:shipcaptaincrew-reports-events"
    destination = deploy_documents.event_destination(settings, topic)
    assert destination == {
        "Name": "shipcaptaincrew-reports-sns",
        "Enabled": True,
        "MatchingEventTypes": ["delivery", "bounce", "complaint", "reject"],
        "SNSDestination": {"TopicARN": topic},
    }
    (statement,) = deploy_documents.topic_policy(settings, "111122223333", topic)["Statement"]
    assert statement["Principal"] == {"Service": "ses.amazonaws.com"}
    assert (statement["Action"], statement["Resource"]) == ("sns:Publish", topic)
    assert statement["Condition"]["StringEquals"] == {
        "AWS:SourceAccount": "111122223333",
        "AWS:SourceArn": "arn:aws:ses:us-west-2:111122223333:configuration-set/shipcaptaincrew-reports",
    }
