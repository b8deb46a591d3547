"""deploy.sh --dry-run prints every call and makes none; a broken module or a bad setting stops the
deploy before anything is uploaded."""

from __future__ import annotations

import shutil

from shipcaptaincrew.local.embedded import free_port

from .conftest import DEPLOY, JWT_VALUE, ROOT, run_deploy, write_env_file

TOPIC = "'arn:aws:sns:us-west-2:<account>:shipcaptaincrew-reports-events'"  # as printed (quoted)
COPIED = (
    "lambda_function.py",
    "requirements.txt",
    "shipcaptaincrew",
    "reports",
    "examples",
    "frontend",
    "scripts",
)


def closed_port_endpoint() -> str:
    """An endpoint nothing listens on: any AWS call made there would fail."""
    return f"http://127.0.0.1:{free_port()}"


def test_dry_run_prints_every_call_and_makes_none(tmp_path):
    env_file = write_env_file(tmp_path / "repos.env", CLOUDFRONT_DISTRIBUTION_ID="E2EXAMPLE")
    run = run_deploy(
        "--dry-run", "--env-file", str(env_file), endpoint=closed_port_endpoint(), zip_path=tmp_path / "l.zip"
    )
    assert run.returncode == 0, run.output
    calls = [line.strip() for line in run.stdout.splitlines() if line.startswith("  aws ")]
    for expected in (
        "aws lambda update-function-code --function-name shipcaptaincrew --zip-file fileb://",
        "aws lambda publish-version",
        "aws s3 cp ",  # the staged copy of frontend/: assets/<version>/ first, then index.html
        "aws s3 rm s3://scc-dashboard-assets/ --recursive --only-show-errors --exclude 'assets/",
        "aws cloudfront create-invalidation --distribution-id E2EXAMPLE --paths / /index.html",
        "aws scheduler update-schedule --cli-input-json file://",
        "aws lambda invoke --function-name shipcaptaincrew",
        "aws lambda update-alias --function-name shipcaptaincrew --name live",
        # without --create the configuration set the Lambda sends through is only checked
        "aws ses describe-configuration-set --configuration-set-name shipcaptaincrew-reports",
    ):
        assert any(call.startswith(expected) for call in calls), expected
    assert "dry run: every AWS call is printed, none is made" in run.stdout
    assert (tmp_path / "l.zip").is_file()  # the zip is still built, so its size is known
    assert JWT_VALUE not in run.output


def test_a_dry_first_deploy_shows_what_create_would_make(tmp_path):
    env_file = write_env_file(tmp_path / "repos.env")
    run = run_deploy(
        "--dry-run", "--create", "--stage", "staging", "--env-file", str(env_file),
        endpoint=closed_port_endpoint(), zip_path=tmp_path / "l.zip",
    )  # fmt: skip
    assert run.returncode == 0, run.output
    for expected in (
        "aws iam create-role --role-name shipcaptaincrew-lambda",
        "aws lambda create-function --function-name shipcaptaincrew --runtime python3.12",
        "aws lambda create-alias --function-name shipcaptaincrew --name staging",
        "aws s3api create-bucket --bucket scc-dashboard-assets",
        "aws iam create-role --role-name shipcaptaincrew-scheduler",
        "aws scheduler create-schedule",
        # the SES configuration set, its SNS topic and the alias subscribed to it
        "aws ses create-configuration-set --configuration-set Name=shipcaptaincrew-reports",
        "aws sns create-topic --name shipcaptaincrew-reports-events",
        f"aws sns set-topic-attributes --topic-arn {TOPIC} --attribute-name Policy --attribute-value file://",
        "aws ses create-configuration-set-event-destination --configuration-set-name shipcaptaincrew-reports"
        " --event-destination file://",
        f"aws sns subscribe --topic-arn {TOPIC} --protocol lambda --notification-endpoint"
        " 'arn:aws:lambda:us-west-2:<account>:function:shipcaptaincrew:staging'",
        "aws lambda add-permission --function-name shipcaptaincrew --qualifier staging"
        " --statement-id sns-ses-delivery-events --action lambda:InvokeFunction --principal sns.amazonaws.com"
        f" --source-arn {TOPIC}",
    ):
        assert f"  {expected}" in run.stdout, expected
    assert "aws cloudfront create-distribution --distribution-config file://" in run.stdout


def test_a_dry_create_from_nothing_prints_the_front_door_and_its_headers(tmp_path):
    # GIVEN only the essentials: no signing key, no dashboard address, no distribution
    env_file = tmp_path / "repos.env"
    env_file.write_text(
        "SES_FROM_ADDRESS=reports@example.com\nADMIN_EMAILS=owner@example.com\n"
        "EXEC_REPORT_TO=owner@example.com\nREPORTS_ARCHIVE=s3://scc-archive/reports\n"
    )
    run = run_deploy(
        "--dry-run", "--create", "--env-file", str(env_file),
        endpoint=closed_port_endpoint(), zip_path=tmp_path / "l.zip",
    )  # fmt: skip
    assert run.returncode == 0, run.output
    for expected in (
        "aws secretsmanager create-secret --name shipcaptaincrew/jwt --secret-string file://",
        "aws sesv2 create-email-identity --email-identity example.com",
        "aws apigatewayv2 create-api --name shipcaptaincrew-live --protocol-type HTTP",
        "aws apigatewayv2 create-integration --api-id '<api-id>' --integration-type AWS_PROXY"
        " --integration-uri 'arn:aws:lambda:us-west-2:<account>:function:shipcaptaincrew:live'"
        " --payload-format-version 2.0",
        "aws apigatewayv2 create-route --api-id '<api-id>' --route-key '$default'",
        # moto has no response-headers policies: this printed command is what is checked
        "aws cloudfront create-response-headers-policy --response-headers-policy-config file://",
        "aws cloudfront create-origin-access-control --origin-access-control-config",
        "aws cloudfront create-distribution --distribution-config file://",
        "aws lambda add-permission --function-name shipcaptaincrew --qualifier live --statement-id http-api",
        "aws logs put-metric-filter --log-group-name /aws/lambda/shipcaptaincrew",
        "aws cloudwatch put-metric-alarm --alarm-name shipcaptaincrew-report-run-failed",
        "aws sns subscribe --topic-arn 'arn:aws:sns:us-west-2:<account>:shipcaptaincrew-alarms'"
        " --protocol email --notification-endpoint owner@example.com",
        "aws dynamodb create-table --cli-input-json file://",
    ):
        assert f"  {expected}" in run.stdout, expected
    for header in (
        "Content-Security-Policy: default-src 'self'; script-src 'self';",
        "frame-ancestors 'none'",
        "Strict-Transport-Security: max-age=63072000; includeSubDomains",
        "X-Content-Type-Options: nosniff",
        "Referrer-Policy: no-referrer",
    ):
        assert header in run.stdout, header
    assert run.stdout.strip().splitlines()[-2] == "dashboard: https://<distribution>.cloudfront.net/"


def test_a_dry_destroy_names_what_it_keeps(tmp_path):
    env_file = write_env_file(tmp_path / "repos.env")
    run = run_deploy(
        "--dry-run", "--destroy", "--env-file", str(env_file),
        endpoint=closed_port_endpoint(), zip_path=tmp_path / "l.zip",
    )  # fmt: skip
    assert run.returncode == 0, run.output
    assert "aws lambda delete-function --function-name shipcaptaincrew" in run.stdout
    assert "delete-table" not in run.stdout and "s3://scc-archive" not in run.stdout
    assert "the archive bucket scc-archive are kept; --purge-data removes them" in run.stdout
    purge = run_deploy(
        "--dry-run", "--destroy", "--purge-data", "--env-file", str(env_file),
        endpoint=closed_port_endpoint(), zip_path=tmp_path / "l.zip",
    )  # fmt: skip
    assert "aws dynamodb delete-table --table-name scc-users" in purge.stdout
    assert "aws s3api delete-bucket --bucket scc-archive" in purge.stdout


def test_a_syntax_error_stops_the_deploy_before_anything_is_uploaded(tmp_path, moto_endpoint, aws):
    # GIVEN a copy of the project with one module that does not compile
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    (tmp_path / "shipcaptaincrew" / "broken.py").write_text('"""Fine so far."""\n\ndef oops(:\n    pass\n')
    env_file = write_env_file(tmp_path / "repos.env")
    # WHEN it is deployed for the first time
    run = run_deploy(
        "--create", "--env-file", str(env_file), endpoint=moto_endpoint, zip_path=tmp_path / "l.zip",
        script=tmp_path / "scripts" / DEPLOY.name,
    )  # fmt: skip
    # THEN the deploy stops at step 1 naming the file and line, having made no AWS call
    assert run.returncode != 0
    assert 'File "shipcaptaincrew/broken.py", line 3' in run.stderr
    assert "nothing was uploaded" in run.stderr
    assert "  aws " not in run.stdout
    assert not (tmp_path / "l.zip").exists()
    assert aws("lambda").list_functions()["Functions"] == []
    assert aws("s3").list_buckets()["Buckets"] == []


def test_a_missing_archive_setting_stops_the_deploy_before_it_starts(tmp_path):
    env_file = tmp_path / "repos.env"
    env_file.write_text(f"JWT_SECRET={JWT_VALUE}\n")
    run = run_deploy(
        "--dry-run", "--env-file", str(env_file), endpoint=closed_port_endpoint(), zip_path=tmp_path / "l.zip"
    )
    assert run.returncode == 2
    assert "REPORTS_ARCHIVE" in run.stderr
    assert "==> [1/6]" not in run.stdout


def test_a_bad_schedule_setting_names_the_key(tmp_path):
    env_file = write_env_file(tmp_path / "repos.env", REPORTS_SCHEDULE="fortnightly")
    run = run_deploy(
        "--dry-run", "--env-file", str(env_file), endpoint=closed_port_endpoint(), zip_path=tmp_path / "l.zip"
    )
    assert run.returncode == 2
    assert "REPORTS_SCHEDULE: expected 'weekly' or 'monthly'" in run.stderr


def test_help_lists_the_options():
    run = run_deploy("--help", endpoint=closed_port_endpoint(), zip_path=ROOT / "dist" / "unused.zip")
    assert run.returncode == 0
    for option in (
        "--dry-run",
        "--create",
        "--function",
        "--stage",
        "--skip-smoke",
        "--rollback",
        "--destroy",
    ):
        assert option in run.stdout
