"""Hardening fixtures: the shared moto server and App (tests/conftest.py), with
report delivery configured, plus a way to make any AWS call fail before it leaves botocore."""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_replies import aws_error
from report_delivery import delivering

from shipcaptaincrew import config
from shipcaptaincrew.app import App
from shipcaptaincrew.aws import Clients


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def settings(settings, archive_dir) -> config.Settings:
    return delivering(settings, archive_dir)


class Faults:
    """Make chosen AWS calls fail before they reach moto, on a client of the test's own.

    `fail(service_event, code, times=None, when=None)`: `service_event` is botocore's
    `<service>.<Operation>`; `times` None fails until `heal()`; `when(request)` picks the calls.
    """

    def __init__(self, app: App):
        # Clients of its own: adaptive retry keeps its rate limiter per client, and the session's
        # shared clients must not inherit a test's faults.
        app.clients = Clients(app.settings)
        for cached in ("users", "events", "counters", "links", "sessions", "outbox", "_reports_services"):
            app.__dict__.pop(cached, None)
        self.app = app
        self.injected: list[str] = []
        self._rules: list[dict] = []

    def fail(
        self,
        service_event: str,
        code: str,
        *,
        status: int = 400,
        times: int | None = None,
        when=None,
        message: str = "injected by the test",
    ):
        service = service_event.split(".", 1)[0]
        rule = {"code": code, "status": status, "left": times, "when": when}
        self._rules.append(rule)

        def maybe_fail(request, **kwargs):
            if rule["left"] == 0 or (rule["when"] and not rule["when"](request)):
                return None
            if rule["left"] is not None:
                rule["left"] -= 1
            self.injected.append(f"{service_event} {code}")
            return aws_error(request.url, rule["status"], code, message)

        self.app.clients.get(_client_name(service)).meta.events.register(
            f"before-send.{service_event}", maybe_fail
        )
        return rule

    def heal(self) -> None:
        for rule in self._rules:
            rule["left"] = 0


def _client_name(event_service: str) -> str:
    return {"secrets-manager": "secretsmanager"}.get(event_service, event_service)


@pytest.fixture
def few_retries(monkeypatch):
    """Give up after two attempts, so a fault that lasts is reported in milliseconds, not after
    botocore's full back-off (the production setting is six attempts)."""
    from botocore.config import Config

    from shipcaptaincrew import aws

    monkeypatch.setattr(aws, "RETRY_CONFIG", aws.RETRY_CONFIG.merge(Config(retries={"max_attempts": 2})))


@pytest.fixture
def faults(app) -> Faults:
    return Faults(app)
