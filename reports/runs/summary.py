"""The run summary (SPEC section 3) and the run's overall status, derived from its sends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from .records import ReportSend, Run, RunStatus, SendStatus


def overall_status(report_ids: Sequence[str], sends: Mapping[str, ReportSend]) -> RunStatus:
    """Return succeeded, partial, failed, or running while any report is still undecided."""
    statuses = [sends[rid].status if rid in sends else SendStatus.PENDING for rid in report_ids]
    if not all(status.is_decided for status in statuses):
        return RunStatus.RUNNING
    failed = statuses.count(SendStatus.FAILED)
    if not failed:
        return RunStatus.SUCCEEDED
    return RunStatus.FAILED if failed == len(statuses) else RunStatus.PARTIAL


def summarise(run: Run, sends: Mapping[str, ReportSend], *, now: datetime) -> dict:
    """Return `{run_id, trigger, status, dry_run, started_at, finished_at, reports: [...]}` as of `now`."""
    return {
        "run_id": run.run_id,
        "trigger": run.trigger,
        "status": run.status_at(now).value,
        "dry_run": run.dry_run,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "reports": [_report(sends.get(rid) or ReportSend(run.run_id, rid)) for rid in run.reports],
    }


def _report(send: ReportSend) -> dict:
    """One report's entry: a report not claimed yet, or being sent, reads as pending."""
    return {
        "id": send.report_id,
        "status": send.status.shown.value,
        "recipients": list(send.recipients or ()),
        "message_id": send.message_id,
        "error": send.error,
        "sent_at": send.sent_at,
    }
