"""When the reports really go out: in AWS, the schedule EventBridge Scheduler holds (one
scheduler:GetSchedule call); locally, and whenever that call fails, the settings the deploy
schedules from, with the reason. The arithmetic is reports/schedule.py's (pure)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfoNotFoundError

from botocore.exceptions import BotoCoreError, ClientError

from . import schedule
from .host import Host
from .quick_clients import quick_clients

log = logging.getLogger(__name__)
NAME = "reports"
GROUP = "default"  # the group scripts/deploy/documents.py schedule_input creates it in


@dataclass(frozen=True)
class Deployed:
    """A schedule as GetSchedule answers it."""

    expression: str
    zone: str
    state: str  # ENABLED or DISABLED


def fetch(client, name: str) -> Deployed:
    """Read one schedule from EventBridge Scheduler (raises botocore's errors)."""
    found = client.get_schedule(Name=name, GroupName=GROUP)
    return Deployed(
        expression=found["ScheduleExpression"],
        zone=found.get("ScheduleExpressionTimezone") or "UTC",  # Scheduler's own default
        state=found.get("State", "ENABLED"),
    )


def schedule_name(host: Host) -> str:
    """Return the reports' schedule name: as the deploy told the Lambda, else its default."""
    told = host.settings_of(NAME).reports_schedule_name
    return told or f"{host.settings.self_function_name or 'shipcaptaincrew'}-live-send-reports"


def current(host: Host, *, client=None) -> dict:
    """Return the Reports page's schedule answer (reports/schedule.py `describe`)."""
    settings, now = host.settings_of(NAME), host.now()
    if host.settings.local:  # the embedded stand-in holds no schedule: the settings are it
        return schedule.describe(settings.reports_schedule, settings.reports_schedule_tz, now)
    name = schedule_name(host)
    try:
        # the dashboard waits on this call: quick clients fail over to the settings in seconds
        deployed = fetch(client or _scheduler(host), name)
        source = f"EventBridge Scheduler {name}"
        return schedule.describe(deployed.expression, deployed.zone, now, source=source, state=deployed.state)
    except (BotoCoreError, ClientError, ZoneInfoNotFoundError, ValueError) as error:
        reason = f"EventBridge Scheduler {name} could not be read: {_why(error)}"
        log.warning("report schedule read from the settings", extra={"schedule": name, "reason": reason})
        return schedule.describe(settings.reports_schedule, settings.reports_schedule_tz, now, reason=reason)


def _why(error: Exception) -> str:
    if isinstance(error, ClientError):
        found = error.response.get("Error", {})
        return f"{found.get('Code', 'error')} ({found.get('Message', '')})".replace(" ()", "")
    return str(error) or type(error).__name__


def _scheduler(host: Host):
    return quick_clients(host.settings.aws_region, host.settings.aws_endpoint_url).get("scheduler")
