"""The reports extension as the host sees it: one `Extension` value declaring everything it adds.

Light on purpose: the composition root imports this at every cold start, so it names the
heavy half (`reports.runtime`) by path, for the host to import on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from . import routes, schedule
from .host import Extension, Host, TableSpec, config, validation

NAME = "reports"


@dataclass(frozen=True)
class ReportsSettings:
    """The extension's settings; each is read from its name upper-cased (see the README)."""

    report_runs_table: str = "scc-report-runs"
    report_sends_table: str = "scc-report-sends"
    report_deliveries_table: str = "scc-report-deliveries"
    recipients_table: str = "scc-report-recipients"
    snapshots_table: str = "scc-report-snapshots"
    tasks_table: str = "scc-tasks"
    reports_archive: str | None = None
    knowledge_base: str | None = None
    exec_report_to: tuple[str, ...] = ()
    exec_report_bcc: tuple[str, ...] = ()
    ses_max_send_rate: float | None = None
    tasks_webhook_url: str | None = None
    # When the scheduled reports go out (EventBridge Scheduler in AWS; see reports/schedule.py).
    reports_schedule: str = "weekly"
    reports_schedule_tz: str = "America/Los_Angeles"
    # The Scheduler schedule the Reports page reads in AWS (the deploy sets it; unset, the
    # deploy's default name for this function: `<function>-live-send-reports`).
    reports_schedule_name: str | None = None
    reports_reply_to: str | None = None  # Reply-To of report emails; unset, replies go to the sender
    # Abuse limits: report runs one admin may start per clock hour (429 beyond), and cards one
    # person may add per clock hour.
    reports_max_runs_per_hour: int = 20
    tasks_max_per_user_per_hour: int = 60
    # The live AWS source (cost, usage, security audit; reports/account/): "off" skips it.
    live_audit: str = "on"

    def validate(self) -> None:
        """Refuse settings that cannot work, naming the variable."""
        if self.ses_max_send_rate is not None and self.ses_max_send_rate <= 0:
            raise config.ConfigError("SES_MAX_SEND_RATE must be a positive number of emails per second")
        if not schedule.is_schedule(self.reports_schedule):
            raise config.ConfigError(
                "REPORTS_SCHEDULE must be weekly, monthly or a cron(...)/rate(...) expression"
            )
        if not schedule.is_zone(self.reports_schedule_tz):
            raise config.ConfigError("REPORTS_SCHEDULE_TZ must be an IANA zone such as America/Los_Angeles")
        if self.reports_max_runs_per_hour < 1:
            raise config.ConfigError("REPORTS_MAX_RUNS_PER_HOUR must be a positive whole number")
        if self.tasks_max_per_user_per_hour < 1:
            raise config.ConfigError("TASKS_MAX_PER_USER_PER_HOUR must be a positive whole number")
        if self.tasks_webhook_url and not self.tasks_webhook_url.startswith("https://"):
            raise config.ConfigError("TASKS_WEBHOOK_URL must be an https:// URL")
        if self.live_audit not in {"on", "off"}:
            raise config.ConfigError("LIVE_AUDIT must be on or off")
        if self.reports_reply_to and not validation.is_strict_address(self.reports_reply_to):
            raise config.ConfigError("REPORTS_REPLY_TO must be one plain local@domain address")


def tables(settings: ReportsSettings) -> list[TableSpec]:
    """Return the tables the extension reads and writes."""
    return [
        TableSpec(settings.report_runs_table, "run_id", ttl_attribute="expires_at"),
        TableSpec(settings.report_sends_table, "run_id", "report_id", ttl_attribute="expires_at"),
        # SES events per recipient, keyed by SES message id and `<recipient>#<SNS message id>`
        # (reports/runs/deliveries.py); `by_run` gives a run's deliveries in one Query.
        TableSpec(
            settings.report_deliveries_table,
            "message_id",
            "entry",
            indexes=(("by_run", "run_id", "entry"),),
            ttl_attribute="expires_at",
        ),
        TableSpec(settings.recipients_table, "report_id"),
        TableSpec(settings.snapshots_table, "report_id", "sent_at"),
        TableSpec(settings.tasks_table, "id"),
    ]


def buckets(settings: ReportsSettings) -> list[str]:
    """Return the archive bucket when the archive is on S3."""
    archive = settings.reports_archive or ""
    return [archive[5:].split("/", 1)[0]] if archive.startswith("s3://") else []


def send_reports(host: Host, payload: dict, deadline: datetime) -> dict:
    """Action `send_reports`: create (or join) the run and process it in this invocation."""
    return host.runtime(NAME).send_reports(payload, deadline)


def process_run(host: Host, payload: dict, deadline: datetime) -> dict:
    """Action `process_run`: carry on a run started from the dashboard."""
    return host.runtime(NAME).process_run(payload, deadline)


def ses_event(host: Host, payload: dict, deadline: datetime) -> dict:
    """Action `ses_event`: record one SES delivery event SNS delivered (`sns_message_id`,
    `message`), and tell the admins of a bounce or complaint once."""
    return host.runtime(NAME).ses_event(payload, deadline)


extension = Extension(
    name=NAME,
    settings=ReportsSettings,
    routes=routes.router,
    actions={"send_reports": send_reports, "process_run": process_run, "ses_event": ses_event},
    rule_actions={"ptb_monthly_exec_reports": "send_reports"},
    tables=tables,
    buckets=buckets,
    runtime="reports.runtime:Reports",
    stand_in_seed="reports.account.seed:seed_stand_in",
)
