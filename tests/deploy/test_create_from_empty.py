"""deploy.sh --create from an empty account (issue 17), against a moto server of this module's own:
given only the region, the sender, the admins, the recipients and the bucket names, one command
makes the signing secret, the tables and buckets, the SES identity, the HTTP API with its
permission, the CloudFront distribution and the failed-run alarm; a second run creates nothing new;
the dashboard's files are versioned and stale ones leave; --destroy --yes keeps only the data.

moto lacks CloudFront response-headers policies (it answers 404): here the deploy says so and goes
on, and the policy's command and settings are asserted on the dry run in test_dry_run_and_stops."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ACCOUNT, REGION, ROOT, TEST_CREDENTIALS, run_deploy

# What the Lambda runtime gives a function besides its zip: boto3 and what boto3 needs.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")

FUNCTION = "shipcaptaincrew"
ALIAS_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{FUNCTION}:live"
ASSETS = "example-com-scc-dashboard"
ARCHIVE = "example-com-scc-archive"
MINIMAL = {
    "AWS_REGION": REGION,
    "SES_FROM_ADDRESS": "reports@example.com",
    "ADMIN_EMAILS": "owner@example.com",
    "EXEC_REPORT_TO": "owner@example.com",
    "ASSETS_BUCKET": ASSETS,
    "REPORTS_ARCHIVE": f"s3://{ARCHIVE}/reports",
}
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def bucket_files(aws, bucket: str) -> dict[str, bytes]:
    s3 = aws("s3")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


@pytest.fixture(scope="module")
def first(moto_endpoint, aws, tmp_path_factory):
    """GIVEN an empty account and a repos.env with only the essentials, WHEN --create runs."""
    folder = tmp_path_factory.mktemp("create")
    env_file = folder / "repos.env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in MINIMAL.items()))
    frontend = folder / "frontend"
    shutil.copytree(ROOT / "frontend", frontend)
    (frontend / "js" / "retired.js").write_text("export const retired = true;\n")
    run = run_deploy(
        "--create", "--skip-smoke", "--env-file", str(env_file),
        endpoint=moto_endpoint, zip_path=folder / "lambda.zip", frontend=frontend,
    )  # fmt: skip
    assert run.returncode == 0, run.output
    return {"run": run, "env_file": env_file, "frontend": frontend, "folder": folder,
            "files": bucket_files(aws, ASSETS)}  # fmt: skip


@pytest.fixture(scope="module")
def second(first, moto_endpoint, aws):
    """WHEN a file leaves frontend/, a module changes, and --create runs again."""
    (first["frontend"] / "js" / "retired.js").unlink()
    main = first["frontend"] / "js" / "main.js"
    main.write_text(main.read_text() + "\n// changed\n")
    run = run_deploy(
        "--create", "--skip-smoke", "--env-file", str(first["env_file"]),
        endpoint=moto_endpoint, zip_path=first["folder"] / "lambda.zip", frontend=first["frontend"],
    )  # fmt: skip
    assert run.returncode == 0, run.output
    return {"run": run, "files": bucket_files(aws, ASSETS), "env_file": first["env_file"]}


def lambda_variables(aws) -> dict[str, str]:
    return aws("lambda").get_function_configuration(FunctionName=FUNCTION)["Environment"]["Variables"]


def the_distribution(aws) -> dict:
    (summary,) = aws("cloudfront").list_distributions()["DistributionList"]["Items"]
    return aws("cloudfront").get_distribution(Id=summary["Id"])["Distribution"]


def test_the_signing_secret_is_made_once_and_only_its_arn_reaches_the_lambda(first, aws):
    (secret,) = aws("secretsmanager").list_secrets()["SecretList"]
    assert secret["Name"] == f"{FUNCTION}/jwt"
    value = aws("secretsmanager").get_secret_value(SecretId=secret["ARN"])["SecretString"]
    assert len(value) >= 32
    variables = lambda_variables(aws)
    assert variables["JWT_SECRET_ARN"] == secret["ARN"] and "JWT_SECRET" not in variables
    assert value not in first["run"].output
    policy = aws("iam").get_role_policy(RoleName=f"{FUNCTION}-lambda", PolicyName=f"{FUNCTION}-lambda")
    (read,) = [s for s in policy["PolicyDocument"]["Statement"] if s["Sid"] == "ReadSigningSecret"]
    assert read["Resource"] == secret["ARN"]


def test_the_http_api_proxies_to_the_alias_with_a_permission_scoped_to_it(first, aws):
    api_client = aws("apigatewayv2")
    (api,) = api_client.get_apis()["Items"]
    assert api["Name"] == f"{FUNCTION}-live" and api["ProtocolType"] == "HTTP"
    (integration,) = api_client.get_integrations(ApiId=api["ApiId"])["Items"]
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["IntegrationUri"] == ALIAS_ARN  # the alias, so a rollback moves the API too
    assert integration["PayloadFormatVersion"] == "2.0"
    (route,) = api_client.get_routes(ApiId=api["ApiId"])["Items"]
    assert route["RouteKey"] == "$default"
    assert route["Target"] == f"integrations/{integration['IntegrationId']}"
    policy = json.loads(aws("lambda").get_policy(FunctionName=FUNCTION, Qualifier="live")["Policy"])
    (invoke,) = [s for s in policy["Statement"] if s["Sid"] == "http-api"]
    assert invoke["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api['ApiId']}/*" in json.dumps(invoke["Condition"])


def test_the_distribution_serves_the_bucket_through_an_oac_and_api_uncached(first, aws):
    distribution = the_distribution(aws)
    config = distribution["DistributionConfig"]
    assert config["DefaultRootObject"] == "index.html"
    origins = {origin["Id"]: origin for origin in config["Origins"]["Items"]}
    assert origins["assets"]["DomainName"] == f"{ASSETS}.s3.{REGION}.amazonaws.com"
    (api,) = aws("apigatewayv2").get_apis()["Items"]
    assert origins["api"]["DomainName"] == f"{api['ApiId']}.execute-api.{REGION}.amazonaws.com"
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "assets"
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    (behaviour,) = config["CacheBehaviors"]["Items"]
    assert behaviour["PathPattern"] == "/api/*" and behaviour["TargetOriginId"] == "api"
    assert behaviour["CachePolicyId"] == CACHING_DISABLED
    assert behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    # moto keeps no OriginAccessControlId on an origin: the OAC and the printed config are checked.
    (oac,) = aws("cloudfront").list_origin_access_controls()["OriginAccessControlList"]["Items"]
    assert oac["Name"] == f"{FUNCTION}-live-assets" and oac["OriginAccessControlOriginType"] == "s3"
    bucket_policy = json.loads(aws("s3").get_bucket_policy(Bucket=ASSETS)["Policy"])
    (read,) = bucket_policy["Statement"]
    assert read["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert read["Condition"]["StringEquals"]["AWS:SourceArn"].endswith(f":distribution/{distribution['Id']}")
    output = first["run"].stdout
    assert "does not implement CloudFront response-headers policies" in output  # moto's gap
    assert "frame-ancestors 'none'" in output and "Strict-Transport-Security: max-age=" in output


def test_the_lambda_learns_the_dashboards_address_and_the_output_ends_with_it(first, aws):
    address = f"https://{the_distribution(aws)['DomainName']}"
    variables = lambda_variables(aws)
    assert variables["APP_BASE_URL"] == address and variables["ALLOWED_ORIGIN"] == address
    last = first["run"].stdout.strip().splitlines()[-2:]
    assert last[0] == f"dashboard: {address}/"
    assert last[1].startswith("sign in:") and "owner@example.com" in last[1]


def test_the_tables_the_archive_and_the_sender_identity_are_made(first, aws):
    tables = aws("dynamodb").list_tables()["TableNames"]
    assert {"scc-users", "scc-events", "scc-report-runs"} <= set(tables)
    assert ARCHIVE in [bucket["Name"] for bucket in aws("s3").list_buckets()["Buckets"]]
    identity = aws("sesv2").get_email_identity(EmailIdentity="example.com")
    assert identity["IdentityType"] == "DOMAIN"
    assert "aws sesv2 create-email-identity --email-identity example.com" in first["run"].stdout


def test_the_zip_alone_beside_boto3_answers_the_smoke_invoke_against_moto(
    first, aws, moto_endpoint, tmp_path
):
    # GIVEN the deployed zip unzipped, and a folder with nothing but boto3 and its dependencies
    code, runtime = tmp_path / "task", tmp_path / "runtime"
    with zipfile.ZipFile(first["folder"] / "lambda.zip") as archive:
        archive.extractall(code)
    runtime.mkdir()
    site = Path(__import__("boto3").__file__).parents[1]
    for name in RUNTIME_PACKAGES:
        (runtime / name).symlink_to(site / name)
    # WHEN it is invoked as Lambda would, with the function's environment, on the moto server
    environment = {
        **lambda_variables(aws),
        **TEST_CREDENTIALS,
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_LAMBDA_FUNCTION_NAME": FUNCTION,
        "PATH": "/usr/bin:/bin",
    }
    handler = (
        "import json, sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import lambda_function; "
        "print(json.dumps(lambda_function.lambda_handler({'action': 'send_reports', 'dry_run': True}, None)))"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", handler, str(code), str(runtime)],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    answer = tmp_path / "smoke.json"
    answer.write_text(done.stdout.strip().splitlines()[-1])
    # THEN the smoke check the deploy makes on AWS passes, and every report was archived
    smoke = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "smoke_check.py"), str(answer)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    summary = json.loads(answer.read_text())
    archived = [item["Key"] for item in aws("s3").list_objects_v2(Bucket=ARCHIVE).get("Contents", [])]
    for report in summary["reports"]:
        assert [key for key in archived if f"/{report['id']}" in key or f"{report['id']}." in key], (
            report["id"],
            archived,
        )


def test_a_failed_run_line_raises_an_alarm_that_emails_the_admins(first, aws):
    (metric_filter,) = aws("logs").describe_metric_filters(logGroupName=f"/aws/lambda/{FUNCTION}")[
        "metricFilters"
    ]
    assert metric_filter["filterPattern"] == '{ $.level = "ERROR" && $.message = "report run failed" }'
    (transformation,) = metric_filter["metricTransformations"]
    (alarm,) = aws("cloudwatch").describe_alarms(AlarmNames=[f"{FUNCTION}-report-run-failed"])["MetricAlarms"]
    assert (alarm["Namespace"], alarm["MetricName"]) == (
        transformation["metricNamespace"],
        transformation["metricName"],
    )
    (topic,) = alarm["AlarmActions"]
    subscriptions = aws("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("email", "owner@example.com")]


def test_the_dashboard_is_versioned_and_the_page_names_the_version(first):
    files = first["files"]
    page = files["index.html"].decode()
    (version,) = {key.split("/")[1] for key in files if key.startswith("assets/")}
    assert f'src="/assets/{version}/js/main.js"' in page
    assert f'href="/assets/{version}/style.css"' in page
    assert f"assets/{version}/js/retired.js" in files
    assert set(files) == {"index.html"} | {key for key in files if key.startswith(f"assets/{version}/")}


def test_a_second_create_makes_nothing_new(second, aws):
    output = second["run"].stdout
    created = [
        line.strip()
        for line in output.splitlines()
        if line.startswith("  aws ")
        and any(f" {verb}" in line for verb in (" create-", " add-permission", " subscribe"))
    ]
    # create-topic and create-queue return what exists; the invalidation is every deploy's.
    assert all(
        call.split()[2] in {"create-topic", "create-queue", "create-invalidation"} for call in created
    ), created
    assert len(aws("secretsmanager").list_secrets()["SecretList"]) == 1
    assert len(aws("apigatewayv2").get_apis()["Items"]) == 1
    assert len(aws("cloudfront").list_distributions()["DistributionList"]["Items"]) == 1
    assert len(aws("cloudfront").list_origin_access_controls()["OriginAccessControlList"]["Items"]) == 1
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:{FUNCTION}-alarms"
    assert len(aws("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]) == 1


def test_a_file_removed_from_frontend_leaves_the_bucket_and_no_name_changes_contents(first, second):
    assert not [key for key in second["files"] if key.endswith("retired.js")]
    assert [key for key in first["files"] if key.endswith("retired.js")]
    for key in set(first["files"]) & set(second["files"]):
        if key.startswith("assets/"):
            assert first["files"][key] == second["files"][key], key
    new_main = [key for key in second["files"] if key.endswith("/js/main.js")]
    assert len(new_main) == 1 and new_main[0] not in first["files"]


def test_destroy_leaves_only_the_archive_bucket_and_the_tables(second, aws, moto_endpoint):
    tables = aws("dynamodb").list_tables()["TableNames"]
    refused = run_deploy(
        "--destroy",
        "--env-file",
        str(second["env_file"]),
        endpoint=moto_endpoint,
        zip_path=ROOT / "unused.zip",
    )
    assert refused.returncode != 0 and "--yes" in refused.stderr  # no terminal to ask: nothing done
    assert aws("lambda").list_functions()["Functions"]
    run = run_deploy(
        "--destroy", "--yes", "--env-file", str(second["env_file"]),
        endpoint=moto_endpoint, zip_path=ROOT / "unused.zip",
    )  # fmt: skip
    assert run.returncode == 0, run.output
    assert [bucket["Name"] for bucket in aws("s3").list_buckets()["Buckets"]] == [ARCHIVE]
    assert aws("dynamodb").list_tables()["TableNames"] == tables
    assert aws("lambda").list_functions()["Functions"] == []
    assert aws("apigatewayv2").get_apis()["Items"] == []
    assert aws("cloudfront").list_distributions()["DistributionList"].get("Items", []) == []
    assert aws("cloudfront").list_origin_access_controls()["OriginAccessControlList"].get("Items", []) == []
    assert aws("secretsmanager").list_secrets()["SecretList"] == []
    assert aws("sns").list_topics()["Topics"] == []
    assert aws("sqs").list_queues().get("QueueUrls", []) == []
    assert aws("scheduler").list_schedules()["Schedules"] == []
    assert aws("cloudwatch").describe_alarms()["MetricAlarms"] == []
    assert aws("logs").describe_log_groups()["logGroups"] == []
    assert aws("iam").list_roles()["Roles"] == []
    assert aws("ses").list_configuration_sets().get("ConfigurationSets", []) == []
    assert aws("sesv2").list_email_identities()["EmailIdentities"] == []
