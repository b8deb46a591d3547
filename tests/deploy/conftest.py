"""Deploy fixtures: a moto server of its own in a separate process (so its Lambda stand-in and state
never touch the session's server), the real scripts/deploy.sh run against it through
AWS_ENDPOINT_URL, and a genuine dry-run summary from the app for the smoke test to judge."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from shipcaptaincrew.local.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "scripts" / "deploy.sh"
BIN = Path(sys.executable).parent
REGION = "us-west-2"
ACCOUNT = "123456789012"  # moto's account
JWT_VALUE = "deploy-test-signing-secret-0123456789-abcdefghij"
TEST_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def load_script(name: str):
    """Import scripts/<name>.py, or the module <name> of scripts/, e.g. "deploy.settings"."""
    return importlib.import_module(f"scripts.{name}")


def post_json(url: str, body: dict) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture(scope="module")
def moto_endpoint():
    """Start `moto_server` in its own process with the Docker-free Lambda; stop it afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("moto_server did not start") from None
            time.sleep(0.1)
    # Without Docker, moto's Lambda cannot run Python: its simple backend answers an invoke with
    # the payload itself, or with a result queued through /moto-api/static/lambda-simple/response.
    post_json(f"{endpoint}/moto-api/config", {"lambda": {"use_docker": False}})
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def aws(moto_endpoint):
    """Return a factory of boto3 clients on the deploy tests' moto server."""

    def client(service: str):
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=moto_endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    return client


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_deploy(
    *args: str,
    endpoint: str,
    zip_path: Path,
    script: Path = DEPLOY,
    timeout: int = 240,
    frontend: Path | None = None,
) -> Run:
    """Run the real deploy script in a clean environment: only what a deployer's shell would hold."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "DEPLOY_PYTHON": sys.executable,
        "DEPLOY_AWS_CLI": str(BIN / "aws"),
        "DEPLOY_ZIP": str(zip_path),
        "DEPLOY_CACHE_DIR": str(ROOT / "dist" / "cache"),
        **TEST_CREDENTIALS,
    }
    if frontend is not None:
        env["DEPLOY_FRONTEND"] = str(frontend)
    done = subprocess.run(
        ["bash", str(script), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return Run(done.returncode, done.stdout, done.stderr)


def write_env_file(path: Path, **extra: str) -> Path:
    """Write a repos.env as the business would for production (with a local-only setting too)."""
    values = {
        "SES_FROM_ADDRESS": "reports@example.com",
        "ADMIN_EMAILS": "admin@example.com",
        "APP_BASE_URL": "https://app.example.com",
        "REPORTS_ARCHIVE": "s3://scc-archive/reports",
        "JWT_SECRET": JWT_VALUE,
        "MAIL_OUTBOX_DIR": "outbox",
        **extra,
    }
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    return path


def create_distribution(cloudfront) -> str:
    """Create the CloudFront distribution a business sets up once (deploy.sh only invalidates it)."""
    config = {
        "CallerReference": "ship-captain-crew-dashboard",
        "Comment": "dashboard",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "assets",
                    "DomainName": "scc-dashboard-assets.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "assets",
            "ViewerProtocolPolicy": "redirect-to-https",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }
    return cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


@pytest.fixture
def settings(settings, tmp_path):
    """The shared test settings plus an archive, as a deployed Lambda must have."""
    return settings.replace(reports_archive=str(tmp_path / "archive"))


@pytest.fixture
def dry_run_summary(app) -> dict:
    """Return what the deployed Lambda answers the smoke invoke, produced by the real handler."""
    import lambda_function

    return lambda_function.lambda_handler({"action": "send_reports", "dry_run": True}, None)
