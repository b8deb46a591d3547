"""Configuration at cold start, the JWT secret from Secrets Manager, provisioning (SPEC 3 and 5)."""

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import jwt
import pytest

from shipcaptaincrew import cli, config
from shipcaptaincrew.app import App, set_app
from shipcaptaincrew.auth.secret import SigningSecret
from shipcaptaincrew.errors import ConfigError
from shipcaptaincrew.local.provision import provision

ROOT = Path(__file__).resolve().parents[2]
LONG_SECRET = "a-secret-kept-in-secrets-manager-0123456789"  # 43 bytes


def import_lambda_function(environment: dict) -> subprocess.CompletedProcess:
    """Cold-start the Lambda module in a fresh interpreter with only `environment` set."""
    return subprocess.run(
        [sys.executable, "-c", "import lambda_function"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1", **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({}, "JWT_SECRET_ARN (or JWT_SECRET) must be set outside local mode"),
        ({"JWT_SECRET": "0123456789"}, "JWT_SECRET must be at least 32 bytes"),
        ({"JWT_SECRET": "s" * 32, "APP_BASE_URL": "app.example.com"}, "APP_BASE_URL must be an http(s) URL"),
    ],
)
def test_a_bad_configuration_fails_the_cold_start_loudly(environment, message):
    result = import_lambda_function(environment)
    assert result.returncode == 1
    assert f"ConfigError: {message}" in result.stderr


def test_a_good_configuration_cold_starts():
    result = import_lambda_function({"JWT_SECRET": "s" * 32})
    assert (result.returncode, result.stderr) == (0, "")


@pytest.fixture
def secret_arn(app):
    def create(value: str) -> str:
        return app.clients.secretsmanager.create_secret(Name="scc/jwt", SecretString=value)["ARN"]

    return create


def test_the_secret_arn_is_read_once_per_container_and_signs_sessions(
    app, api, aws_endpoint, outbox_dir, secret_arn
):
    # GIVEN a Lambda configured with JWT_SECRET_ARN only
    settings = config.load(
        {
            "AWS_ENDPOINT_URL": aws_endpoint,
            "AWS_REGION": "us-west-2",
            "JWT_SECRET_ARN": secret_arn(LONG_SECRET),
            "ADMIN_EMAILS": "admin@example.com",
            "MAIL_OUTBOX_DIR": str(outbox_dir),
            "APP_BASE_URL": "https://app.example.com",
            "MAGIC_LINK_MIN_SECONDS": "0",
        }
    )
    assert settings.jwt_secret is None
    container = App(settings)
    calls = []
    container.clients.secretsmanager.meta.events.register(
        "before-call.secrets-manager.GetSecretValue", lambda **_: calls.append(1)
    )
    set_app(container)
    # WHEN a person signs in and makes three requests
    token = api.sign_in("admin@example.com")
    for _ in range(3):
        assert api.call("GET", "/api/me", token=token)[0] == 200
    # THEN the secret was fetched once, and it is the one that signs the sessions
    assert len(calls) == 1
    assert (
        jwt.decode(token, LONG_SECRET, algorithms=["HS256"], audience="shipcaptaincrew-app")["sub"]
        == "admin@example.com"
    )


def test_a_secret_shorter_than_32_bytes_in_secrets_manager_is_refused(app, secret_arn):
    secret = SigningSecret(
        value=None, arn=secret_arn("too-short"), secretsmanager=lambda: app.clients.secretsmanager
    )
    with pytest.raises(ConfigError, match="at least 32 bytes"):
        secret.get()


def test_provisioning_twice_creates_nothing_the_second_time(app):
    # GIVEN the account the fixture already provisioned WHEN provisioning again THEN nothing is created
    assert provision(app) == []
    assert set(app.clients.dynamodb.list_tables()["TableNames"]) >= {
        "scc-users",
        "scc-events",
        "scc-counters",
        "scc-auth",
        "scc-nudges",
    }


def test_provisioning_a_blank_account_creates_every_table_the_sender_and_the_bucket(app, aws_endpoint):
    urllib.request.urlopen(
        urllib.request.Request(f"{aws_endpoint}/moto-api/reset", method="POST"), timeout=10
    ).close()
    created = provision(app)
    assert created == [
        "scc-users",
        "scc-events",
        "scc-counters",
        "scc-auth",
        "scc-nudges",
        "scc-report-runs",
        "scc-report-sends",
        "scc-report-deliveries",
        "scc-report-recipients",
        "scc-report-snapshots",
        "scc-tasks",
        "ses identity reports@example.com",
        "s3://scc-dashboard-assets",
    ]
    ttl = app.clients.dynamodb.describe_time_to_live(TableName="scc-auth")["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at"


def test_the_provision_command_is_idempotent(app, monkeypatch, tmp_path, capsys, quiet_cli_logging):
    monkeypatch.chdir(tmp_path)  # no repos.env: the command reads the test's environment only
    assert cli.main(["provision"]) == 0
    assert capsys.readouterr().out.strip() == "everything already exists"
