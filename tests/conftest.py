"""Shared fixtures: one moto *server* per session, reached through AWS_ENDPOINT_URL exactly as
production reaches AWS, and a fresh, provisioned account for every test."""

from __future__ import annotations

import base64
import email
import json
import os
import re
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from shipcaptaincrew import config
from shipcaptaincrew.app import App, set_app
from shipcaptaincrew.aws import Clients
from shipcaptaincrew.local import embedded
from shipcaptaincrew.local.provision import provision

TEST_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"
ADMIN = "admin@example.com"


def pytest_collection_modifyitems(config, items):
    """Under mutation testing (make mutate), run the pure tests before the moto-backed functional
    ones: a mutant a quick test catches then stops (-x) before the slow ones start."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        items.sort(key=lambda item: "functional" in item.path.parts)


@pytest.fixture(scope="session", autouse=True)
def aws_endpoint():
    """Start the moto server once and point every AWS client at it through the environment."""
    server, endpoint = embedded.start()
    previous = {name: os.environ.get(name) for name in ("AWS_ENDPOINT_URL", "AWS_REGION", "JWT_SECRET")}
    os.environ.update(AWS_ENDPOINT_URL=endpoint, AWS_REGION="us-west-2", JWT_SECRET=TEST_SECRET)
    yield endpoint
    server.stop()
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def reset_aws(endpoint: str) -> None:
    """Empty the moto server (all services), so each test starts from a blank account."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture
def outbox_dir(tmp_path) -> Path:
    return tmp_path / "outbox"


@pytest.fixture
def settings(aws_endpoint, outbox_dir) -> config.Settings:
    """Settings as the Lambda would read them from its environment, plus a local outbox.

    The composition root is imported first (its cold start reads the environment the session
    sets), so every App a test builds runs the extensions it names.
    """
    import lambda_function  # noqa: F401 - composes the extensions

    return config.load(
        {
            "AWS_ENDPOINT_URL": aws_endpoint,
            "AWS_REGION": "us-west-2",
            "JWT_SECRET": TEST_SECRET,
            "ADMIN_EMAILS": ADMIN,
            "MAIL_OUTBOX_DIR": str(outbox_dir),
            "APP_BASE_URL": "https://app.example.com",
            "SES_FROM_ADDRESS": "reports@example.com",
            "MAGIC_LINK_MIN_SECONDS": "0",
        }
    )


@pytest.fixture(scope="session")
def warm_clients(aws_endpoint) -> Clients:
    """One set of boto3 clients for the whole session, as a warm Lambda container keeps them.

    Building clients loads botocore's service models (about a third of a second per App), which
    says nothing about the behaviour under test; every test still gets a blank, provisioned account.
    """
    return Clients(config.load({"AWS_ENDPOINT_URL": aws_endpoint, "AWS_REGION": "us-west-2"}, local=True))


@pytest.fixture
def app(settings, aws_endpoint, warm_clients):
    """A provisioned, empty account and the App the Lambda handler will use (on warm clients).

    A report run a test started in a worker thread is let finish before the next test empties
    the moto server under it.
    """
    reset_aws(aws_endpoint)
    application = App(settings)
    application.clients = warm_clients
    provision(application)
    set_app(application)
    yield application
    set_app(None)
    for thread in threading.enumerate():
        if thread.name.startswith("run-"):
            thread.join(timeout=30)


@pytest.fixture
def handler(app):
    """The real Lambda entry point, with the test's App installed."""
    import lambda_function  # imported late: its cold start reads the environment the session sets

    return lambda_function.lambda_handler


class Api:
    """Call the real `lambda_handler` with API Gateway HTTP API (payload 2.0) events."""

    def __init__(self, outbox: Path):
        import lambda_function

        self._handler = lambda_function.lambda_handler
        self._outbox = outbox

    def call(self, method: str, path: str, body=None, *, token: str | None = None, headers=None, raw=None):
        """Return (status, parsed JSON body or None, headers)."""
        path, _, query = path.partition("?")
        sent_headers = {"content-type": "application/json", **(headers or {})}
        if token:
            sent_headers["authorization"] = f"Bearer {token}"
        payload = raw if raw is not None else (json.dumps(body) if body is not None else "")
        event = {
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": path,
            "rawQueryString": query,
            "headers": sent_headers,
            "requestContext": {"http": {"method": method, "path": path}, "requestId": str(uuid.uuid4())},
            "body": payload,
            "isBase64Encoded": False,
        }
        answer = self._handler(event, None)
        is_json = answer["headers"].get("Content-Type", "").startswith("application/json")
        data = json.loads(answer["body"]) if answer["body"] and is_json else (answer["body"] or None)
        return answer["statusCode"], data, answer["headers"]

    def wait_for_run(self, token: str, run_id: str) -> dict:
        """Poll a report run through the API until it has finished (bounded); return its summary."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status, run, _ = self.call("GET", f"/api/report-runs/{run_id}", token=token)
            assert status == 200, run
            if run["status"] in {"succeeded", "partial", "failed"}:
                return run
            time.sleep(0.1)
        raise AssertionError(f"run {run_id} did not finish: {run}")

    def emails(self) -> list[email.message.EmailMessage]:
        """Return every message written to the outbox, oldest first."""
        if not self._outbox.exists():
            return []
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self._outbox.glob("*.eml"))
        ]

    def link_token(self, address: str) -> str:
        """Return the token of the newest sign-in link emailed to `address`."""
        for message in reversed(self.emails()):
            if address in message["To"]:
                text = message.get_body(("plain",)).get_content()
                return re.search(r"#token=([A-Za-z0-9_-]+)", text).group(1)
        raise AssertionError(f"no sign-in email to {address}")

    def sign_in(self, address: str) -> str:
        """Go through the real magic-link flow and return the session token."""
        status, _, _ = self.call("POST", "/api/auth/magic-link", {"email": address})
        assert status == 202
        status, data, _ = self.call("POST", "/api/auth/verify", {"token": self.link_token(address)})
        assert status == 200, data
        return data["token"]


@pytest.fixture
def api(app, outbox_dir) -> Api:
    return Api(outbox_dir)


@pytest.fixture
def admin_token(api) -> str:
    return api.sign_in(ADMIN)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()
