"""Helpers for the exactly-once acceptance tests (tests/functional/test_exactly_once_paths.py):
counting report emails in the outbox, real-shaped SQS events, polling for a state with a deadline,
SES made unreachable for one invocation, a gate that keeps a run in flight, and a Lambda
invocation in a process of its own against a moto server process of its own (so it can be
killed with SIGKILL while the account's state survives)."""

from __future__ import annotations

import contextlib
import copy
import email
import email.policy
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
EVENTS = Path(__file__).resolve().parent / "events"
SAMPLE_REPORTS = 8  # five role reports + one rental, one delivery and one agency entity
FINISHED = ("succeeded", "partial", "failed")
FAILED_RUN_LINE = "report run failed"  # the fixed ERROR message the CloudWatch alarm counts
# Small enough that an unreachable endpoint fails in well under a second per call.
QUICK_RETRIES = Config(retries={"mode": "standard", "max_attempts": 2}, connect_timeout=1, read_timeout=5)

T = TypeVar("T")


# The outbox ------------------------------------------------------------------------------------


def all_emails(outbox: Path) -> list[email.message.EmailMessage]:
    """Every message written to the outbox (MAIL_OUTBOX_DIR), oldest first."""
    if not outbox.exists():
        return []
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox.glob("*.eml"))
    ]


def report_ids(outbox: Path) -> list[str]:
    """The report id of every report email in the outbox (one entry per email sent)."""
    return [message["X-SCC-Report-Id"] for message in all_emails(outbox) if message["X-SCC-Report-Id"]]


def notices(outbox: Path) -> list[email.message.EmailMessage]:
    """The emails that are neither reports nor sign-in links: the admins' failure notices."""
    return [
        message
        for message in all_emails(outbox)
        if not message["X-SCC-Report-Id"] and "#token=" not in message.get_body(("plain",)).get_content()
    ]


def per_report(ids: list[str]) -> dict[str, int]:
    """{report id: emails sent}, for assertion messages that show the duplicates."""
    return {report_id: ids.count(report_id) for report_id in sorted(set(ids))}


# Events ----------------------------------------------------------------------------------------


def load_event(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def sqs_event(*deliveries: tuple[str, str], receive_count: int = 1) -> dict:
    """An SQS event (the real shape, from tests/events) with one record per (messageId, body)."""
    template = load_event("sqs_send_reports_schedule.json")["Records"][0]
    records = []
    for message_id, body in deliveries:
        record = copy.deepcopy(template)
        record["messageId"] = message_id
        record["body"] = body
        record["md5OfBody"] = hashlib.md5(body.encode()).hexdigest()  # noqa: S324 - SQS's own digest
        record["attributes"]["ApproximateReceiveCount"] = str(receive_count)
        records.append(record)
    return {"Records": records}


class LambdaContext:
    """The part of Lambda's context object the app reads: the time left."""

    def __init__(self, remaining_ms: int):
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


class OffsetClock:
    """The real time plus an offset the test moves forward (never back)."""

    def __init__(self):
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


# Waiting for a state ---------------------------------------------------------------------------


def wait_for(read: Callable[[], T], done: Callable[[T], bool], what: str, timeout: float = 30.0) -> T:
    """Poll `read()` until `done` says yes; return that reading. Fails after `timeout` seconds,
    showing the last reading (a deadline for a state, never a sleep standing in for one)."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last seen: {value!r}")
        time.sleep(0.05)


def join_background_runs(timeout: float = 60.0) -> None:
    """Wait for the worker threads the local app runs dashboard runs in (named run-...)."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.startswith("run-") and thread is not threading.current_thread():
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


# SES unreachable for one invocation ------------------------------------------------------------


@contextlib.contextmanager
def ses_unreachable(settings, monkeypatch):
    """Install, for the block, a fresh App whose SES endpoint is a closed port.

    As in Lambda, no endpoint is given to the clients: boto3 takes AWS_ENDPOINT_URL (the session's
    moto server) for every service but SESv2, which AWS_ENDPOINT_URL_SESV2 points at a port where
    nothing listens. A fresh App, because an App keeps its clients; botocore's retries are cut to
    one retry so the failure is quick. The App installed before is put back afterwards.
    """
    from shipcaptaincrew import aws
    from shipcaptaincrew.app import App, get_app, set_app
    from shipcaptaincrew.local.embedded import free_port

    previous = get_app()
    with monkeypatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL_SESV2", f"http://127.0.0.1:{free_port()}")
        patch.setattr(aws, "RETRY_CONFIG", QUICK_RETRIES)
        outage = App(settings.replace(aws_endpoint_url=None))
        set_app(outage)
        try:
            yield outage
        finally:
            set_app(previous)


# A run kept in flight --------------------------------------------------------------------------


class SendGate:
    """Hold every report email at SES's door until the test opens the gate (a run in flight)."""

    def __init__(self, real_send):
        self._real_send = real_send
        self.entered = threading.Event()  # a report email is waiting: its run is sending
        self._open = threading.Event()

    def send(self, message, **kwargs):
        if message["X-SCC-Report-Id"]:
            self.entered.set()
            if not self._open.wait(timeout=60):
                raise TimeoutError("the test never opened the send gate")
        return self._real_send(message, **kwargs)

    def open(self) -> None:
        self._open.set()


def reset_aws(endpoint: str) -> None:
    """Empty a moto server (every service), so a test starts from a blank account."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).close()


# A separate moto server and a Lambda invocation in a process of its own -------------------------


class MotoServerProcess:
    """`python -m moto.server` on a free port, in a process of its own."""

    def __init__(self, log: Path):
        from shipcaptaincrew.local.embedded import free_port

        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=ROOT,
            env=_clean_env(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(self._answers, bool, f"the moto server on port {self.port} to answer", timeout=60)
        except BaseException:
            self.stop()
            raise

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"moto server exited with {self.process.returncode}")
        try:
            with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log.close()


# The child: the composition root's lambda_handler with a Lambda context that has `remaining_ms` left.
INVOCATION = """
import json, sys
import lambda_function

class Context:
    def get_remaining_time_in_millis(self):
        return int(sys.argv[2])

answer = lambda_function.lambda_handler(json.loads(sys.argv[1]), Context())
print("ANSWER " + json.dumps(answer, default=str), flush=True)
"""


def start_invocation(event: dict, *, remaining_ms: int, environment: dict, log: Path) -> subprocess.Popen:
    """Start lambda_handler(event, context) in a new Python process, as a fresh Lambda container."""
    return subprocess.Popen(
        [sys.executable, "-c", INVOCATION, json.dumps(event), str(remaining_ms)],
        cwd=ROOT,
        env={**_clean_env(), "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **environment},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _clean_env() -> dict:
    """The environment of a child process: the basics, nothing of this process's configuration."""
    kept = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")
    return {name: os.environ[name] for name in kept if name in os.environ}
