"""The run engine on the test's moto account with a recording outbox and a fixed clock, for the
tests that drive reports/runs/engine.py directly (no Lambda, no sleeps, no threads of their own)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from botocore.exceptions import ClientError

from reports.runs import engine

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
DEADLINE = NOW + timedelta(minutes=5)  # when this invocation would be stopped: leases end then
ADMIN = "admin@example.com"
REPORTS = ["cfo", "cto"]
REJECTED = ClientError({"Error": {"Code": "MessageRejected", "Message": "no"}}, "SendEmail")  # permanent
THROTTLED = ClientError({"Error": {"Code": "Throttling", "Message": "slow down"}}, "SendEmail")  # transient


class Outbox:
    """Records what would go to SES; refuses the reports (or the notice) it is told to."""

    def __init__(self):
        self.refuse: dict[str, BaseException] = {}  # report id, or "notice" -> the error SES gives
        # report ids, and "notice" for each failure notice; sends run in worker threads, so
        # compare them sorted
        self.sent: list[str] = []
        self.messages: list = []

    def send(self, message, *, bcc=(), tags=None) -> str:
        what = (tags or {}).get("report_id") or "notice"
        if what in self.refuse:
            raise self.refuse[what]
        self.sent.append(what)
        self.messages.append((message, list(bcc), tags))
        return f"message-{what}"


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class NoWait:
    def wait(self) -> None:
        pass


def engine_world(app):
    """Return (services, outbox, clock, built): the run engine's services on the app's account;
    `built` lists every report built (the history callback is asked once per report built)."""
    outbox, clock, built = Outbox(), Clock(), []

    def history(report_id):
        built.append(report_id)

    services = replace(
        app.runtime("reports").services,
        outbox=outbox,
        now=clock,
        admins=(ADMIN,),
        send_rate=lambda: 50.0,
        pacer=lambda rate: NoWait(),
        history=history,
    )
    return services, outbox, clock, built


def start(services, key: str = "key-1", reports=REPORTS, dry_run: bool = False):
    return engine.start(services, reports=reports, trigger="dashboard", key=key, dry_run=dry_run)


def statuses(services, run_id: str) -> dict[str, str]:
    return {rid: send.status.value for rid, send in services.store.sends(run_id).items()}
