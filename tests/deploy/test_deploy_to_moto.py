"""scripts/deploy.sh end to end against a moto server: a first deploy with --create builds
everything, a second run updates in place, the smoke test gates the alias, and a rollback is one
command. moto's Lambda cannot run Python without Docker, so the first deploy skips the smoke test
(--skip-smoke) and the smoke tests below feed the invoke a summary the real handler produced."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from .conftest import (
    ACCOUNT,
    JWT_VALUE,
    REGION,
    create_distribution,
    load_script,
    post_json,
    run_deploy,
    write_env_file,
)

CONTENT_TYPES = load_script("deploy.documents").CONTENT_TYPES

FUNCTION = "shipcaptaincrew"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{FUNCTION}"
DLQ_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{FUNCTION}-schedule-dlq"
CONFIGURATION_SET = f"{FUNCTION}-reports"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:{FUNCTION}-reports-events"


@pytest.fixture(scope="module")
def deployment(moto_endpoint, aws, tmp_path_factory):
    """GIVEN a new account with a CloudFront distribution, WHEN deploy.sh --create runs, its result."""
    folder = tmp_path_factory.mktemp("deploy")
    distribution = create_distribution(aws("cloudfront"))
    env_file = write_env_file(folder / "repos.env", CLOUDFRONT_DISTRIBUTION_ID=distribution)
    zip_path = folder / "lambda.zip"
    run = run_deploy(
        "--create", "--skip-smoke", "--env-file", str(env_file), endpoint=moto_endpoint, zip_path=zip_path
    )
    assert run.returncode == 0, run.output
    return {
        "run": run,
        "env_file": env_file,
        "zip": zip_path,
        "sha256": hashlib.sha256(zip_path.read_bytes()).digest(),
        "distribution": distribution,
    }


def deploy_again(deployment, moto_endpoint, *args: str):
    return run_deploy(
        "--env-file", str(deployment["env_file"]), *args, endpoint=moto_endpoint, zip_path=deployment["zip"]
    )


def alias_version(aws) -> str:
    return aws("lambda").get_alias(FunctionName=FUNCTION, Name="live")["FunctionVersion"]


def test_create_deploys_the_function_with_the_zips_sha256(deployment, aws):
    configuration = aws("lambda").get_function(FunctionName=FUNCTION)["Configuration"]
    assert configuration["CodeSha256"] == base64.b64encode(deployment["sha256"]).decode()
    assert configuration["Runtime"] == "python3.12"
    assert configuration["Handler"] == "lambda_function.lambda_handler"
    assert configuration["Role"] == f"arn:aws:iam::{ACCOUNT}:role/{FUNCTION}-lambda"
    assert deployment["sha256"].hex() in deployment["run"].stdout


def test_create_gives_the_function_a_least_privilege_role(deployment, aws):
    policy = aws("iam").get_role_policy(RoleName=f"{FUNCTION}-lambda", PolicyName=f"{FUNCTION}-lambda")
    statements = policy["PolicyDocument"]["Statement"]
    assert all("*" not in str(statement["Action"]) for statement in statements)
    # Only reading the SES send quota and the live audit's account-wide List/Get calls have no
    # resource to scope to (docs/operations.md, "Live AWS audit").
    assert [s["Sid"] for s in statements if s["Resource"] == "*"] == [
        "ReadSendQuota",
        "ReadLiveAuditAccountWide",
    ]
    archive = next(s for s in statements if s["Sid"] == "ArchiveReports")
    assert archive["Resource"] == "arn:aws:s3:::scc-archive/reports/*"


def test_the_lambda_environment_holds_the_app_settings_and_no_secret_is_printed(deployment, aws):
    variables = aws("lambda").get_function_configuration(FunctionName=FUNCTION)["Environment"]["Variables"]
    assert variables["REPORTS_ARCHIVE"] == "s3://scc-archive/reports"
    assert variables["JWT_SECRET"] == JWT_VALUE
    # Local-only and AWS_* settings never reach the Lambda.
    assert "MAIL_OUTBOX_DIR" not in variables
    assert not [name for name in variables if name.startswith("AWS_")]
    assert JWT_VALUE not in deployment["run"].output
    assert "JWT_SECRET" in deployment["run"].stdout  # named, so the deployer sees what is set


def test_the_dashboard_is_uploaded_with_content_types_and_cache_headers(deployment, aws):
    s3 = aws("s3")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket="scc-dashboard-assets")["Contents"]]
    heads = {key: s3.head_object(Bucket="scc-dashboard-assets", Key=key) for key in keys}
    # index.html at the top, every other file under assets/<version>/, a name its contents never change
    assert all(key == "index.html" or key.startswith("assets/") for key in keys)
    assert heads["index.html"]["ContentType"] == "text/html; charset=utf-8"
    assert heads["index.html"]["CacheControl"] == "no-cache"
    assert {head["ContentType"] for key, head in heads.items() if key.endswith(".js")} == {
        "text/javascript; charset=utf-8"
    }
    assert {head["ContentType"] for key, head in heads.items() if key.endswith(".css")} == {
        "text/css; charset=utf-8"
    }
    for key, head in heads.items():
        suffix = key[key.rfind(".") :] if "." in key else ""
        assert head["ContentType"] == CONTENT_TYPES.get(suffix, "application/octet-stream"), key
        immutable = "public, max-age=31536000, immutable"
        assert head["CacheControl"] == ("no-cache" if suffix == ".html" else immutable), key


def test_the_cloudfront_distribution_is_invalidated(deployment, aws):
    invalidations = aws("cloudfront").list_invalidations(DistributionId=deployment["distribution"])
    assert invalidations["InvalidationList"]["Quantity"] >= 1


def test_both_schedules_exist_with_their_time_zone_retries_and_dead_letter_queue(deployment, aws):
    scheduler = aws("scheduler")
    reports = scheduler.get_schedule(Name=f"{FUNCTION}-live-send-reports")
    push = scheduler.get_schedule(Name=f"{FUNCTION}-live-push-to-book")
    assert reports["ScheduleExpression"] == "cron(0 6 ? * MON *)"  # Monday 06:00
    assert push["ScheduleExpression"] == "cron(0 9 * * ? *)"  # every day 09:00
    for schedule, action in ((reports, "send_reports"), (push, "push_to_book")):
        assert schedule["ScheduleExpressionTimezone"] == "America/Los_Angeles"
        target = schedule["Target"]
        assert target["Arn"] == f"{FUNCTION_ARN}:live"  # the alias, so a rollback moves it too
        assert json.loads(target["Input"]) == {
            "action": action,
            "scheduled_time": "<aws.scheduler.scheduled-time>",
        }
        assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0
        assert target["DeadLetterConfig"]["Arn"] == DLQ_ARN
    assert aws("sqs").get_queue_url(QueueName=f"{FUNCTION}-schedule-dlq")["QueueUrl"]
    # Scheduler invokes Lambda asynchronously: a function error is retried, then dead-lettered too.
    invoke_config = aws("lambda").get_function_event_invoke_config(FunctionName=FUNCTION, Qualifier="live")
    assert invoke_config["DestinationConfig"]["OnFailure"]["Destination"] == DLQ_ARN


def test_create_publishes_the_reports_delivery_events_through_sns_to_the_alias(deployment, aws):
    # The configuration set the Lambda sends through (SES_CONFIGURATION_SET, defaulted) ...
    variables = aws("lambda").get_function_configuration(FunctionName=FUNCTION)["Environment"]["Variables"]
    assert variables["SES_CONFIGURATION_SET"] == CONFIGURATION_SET
    described = aws("ses").describe_configuration_set(
        ConfigurationSetName=CONFIGURATION_SET, ConfigurationSetAttributeNames=["eventDestinations"]
    )
    # ... publishes Delivery, Bounce, Complaint and Reject to the topic ...
    (destination,) = described["EventDestinations"]
    assert destination["Enabled"] is True
    assert sorted(destination["MatchingEventTypes"]) == ["bounce", "complaint", "delivery", "reject"]
    assert destination["SNSDestination"]["TopicARN"] == TOPIC_ARN
    topic_policy = json.loads(aws("sns").get_topic_attributes(TopicArn=TOPIC_ARN)["Attributes"]["Policy"])
    (publish,) = topic_policy["Statement"]
    assert publish["Principal"] == {"Service": "ses.amazonaws.com"} and publish["Action"] == "sns:Publish"
    assert publish["Condition"]["StringEquals"]["AWS:SourceArn"].endswith(
        f":configuration-set/{CONFIGURATION_SET}"
    )
    # ... which the alias (so a rollback moves it too) is subscribed to and may be invoked by.
    subscriptions = aws("sns").list_subscriptions_by_topic(TopicArn=TOPIC_ARN)["Subscriptions"]
    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("lambda", f"{FUNCTION_ARN}:live")]
    policy = json.loads(aws("lambda").get_policy(FunctionName=FUNCTION, Qualifier="live")["Policy"])
    (invoke,) = [s for s in policy["Statement"] if s["Sid"] == "sns-ses-delivery-events"]
    assert invoke["Principal"] == {"Service": "sns.amazonaws.com"}
    assert TOPIC_ARN in json.dumps(invoke["Condition"])
    assert (
        f"SES configuration set {CONFIGURATION_SET}: bounce,complaint,delivery,reject"
        in deployment["run"].stdout
    )


def test_a_second_create_finds_the_delivery_events_again_and_creates_nothing(deployment, aws, moto_endpoint):
    run = deploy_again(deployment, moto_endpoint, "--create", "--skip-smoke")
    assert run.returncode == 0, run.output
    for call in (
        "aws ses create-configuration-set ",
        "aws ses create-configuration-set-event-destination",
        "aws ses update-configuration-set-event-destination",
        "aws sns subscribe",
        "aws lambda add-permission",
        "aws lambda create-function",
        "aws iam create-role",
    ):
        assert call not in run.stdout, call
    assert f"SES configuration set {CONFIGURATION_SET} exists" in run.stdout
    assert f"{FUNCTION}:live is subscribed to {FUNCTION}-reports-events" in run.stdout
    topics = [topic["TopicArn"] for topic in aws("sns").list_topics()["Topics"]]
    assert sorted(topics) == sorted([TOPIC_ARN, f"arn:aws:sns:{REGION}:{ACCOUNT}:{FUNCTION}-alarms"])
    assert len(aws("sns").list_subscriptions_by_topic(TopicArn=TOPIC_ARN)["Subscriptions"]) == 1
    names = [s["Name"] for s in aws("ses").list_configuration_sets()["ConfigurationSets"]]
    assert names == [CONFIGURATION_SET]


def test_a_deploy_naming_a_configuration_set_that_does_not_exist_stops_before_shipping(
    deployment, aws, moto_endpoint, tmp_path
):
    # GIVEN repos.env names a configuration set nobody created (the Lambda's sends would all fail)
    env_file = write_env_file(tmp_path / "repos.env", SES_CONFIGURATION_SET="not-made-yet")
    before = aws("lambda").get_function_configuration(FunctionName=FUNCTION)["Environment"]["Variables"]
    run = run_deploy("--env-file", str(env_file), endpoint=moto_endpoint, zip_path=deployment["zip"])
    # THEN the deploy stops, says what to do, and the function is untouched
    assert run.returncode != 0
    assert "SES configuration set not-made-yet not found" in run.stderr and "--create" in run.stderr
    assert "update-function-code" not in run.stdout
    after = aws("lambda").get_function_configuration(FunctionName=FUNCTION)["Environment"]["Variables"]
    assert after == before


def test_a_second_run_updates_in_place_once_the_smoke_test_passes(
    deployment, aws, moto_endpoint, dry_run_summary
):
    # GIVEN the deployed function answers the smoke invoke with a summary the real handler produced
    post_json(
        f"{moto_endpoint}/moto-api/static/lambda-simple/response",
        {"account_id": ACCOUNT, "region": REGION, "results": [json.dumps(dry_run_summary)]},
    )
    before = alias_version(aws)
    # WHEN the deploy runs again, without --create
    run = deploy_again(deployment, moto_endpoint)
    # THEN it updated the same function, schedules and files, and moved the alias after the smoke
    assert run.returncode == 0, run.output
    assert "smoke: every report rendered (8:" in run.stdout
    assert "create-function" not in run.stdout and "create-schedule" not in run.stdout
    assert "update-function-code" in run.stdout and "update-schedule" in run.stdout
    assert int(alias_version(aws)) == int(before) + 1
    functions = aws("lambda").list_functions()["Functions"]
    assert [function["FunctionName"] for function in functions] == [FUNCTION]
    assert len(aws("scheduler").list_schedules()["Schedules"]) == 2


def test_a_smoke_invoke_that_does_not_run_the_app_fails_the_deploy_and_keeps_the_alias(
    deployment, aws, moto_endpoint
):
    # GIVEN moto's Lambda echoes the payload back instead of running the app
    before = alias_version(aws)
    run = deploy_again(deployment, moto_endpoint)
    assert run.returncode != 0
    assert "smoke: FAILED: the response is the request echoed back" in run.stderr
    assert f"alias live still points at version {before}" in run.stderr
    assert alias_version(aws) == before


def test_rollback_points_the_alias_at_an_earlier_version_in_one_command(deployment, aws, moto_endpoint):
    before = alias_version(aws)
    run = deploy_again(deployment, moto_endpoint, "--rollback", "1")
    assert run.returncode == 0, run.output
    assert alias_version(aws) == "1"
    assert f"undo: scripts/deploy.sh --rollback {before}" in run.stdout
    assert "update-function-code" not in run.stdout
    deploy_again(deployment, moto_endpoint, "--rollback", before)


def test_without_create_a_missing_function_stops_with_what_to_do(deployment, aws, moto_endpoint):
    run = deploy_again(deployment, moto_endpoint, "--function", "not-deployed-yet", "--skip-smoke")
    assert run.returncode != 0
    assert "function not-deployed-yet not found" in run.stderr
    assert "--create" in run.stderr
    assert [f["FunctionName"] for f in aws("lambda").list_functions()["Functions"]] == [FUNCTION]
