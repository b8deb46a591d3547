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


def summarise(
    run: Run,
    sends: Mapping[str, ReportSend],
    *,
    now: datetime,
    deliveries: Mapping[str, Sequence[dict]] | None = None,
) -> dict:
    """Return `{run_id, trigger, status, dry_run, started_at, finished_at, reports: [...]}` as of `now`.

    `deliveries` maps an SES message id to its recipients' outcomes (`DeliveryStore.for_run`);
    without it every report's `deliveries` is empty (`with_deliveries` fills them later).
    """
    return {
        "run_id": run.run_id,
        "trigger": run.trigger,
        "status": run.status_at(now).value,
        "dry_run": run.dry_run,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "reports": [
            _report(sends.get(rid) or ReportSend(run.run_id, rid), deliveries or {}) for rid in run.reports
        ],
    }


def with_deliveries(summary: dict, deliveries: Mapping[str, Sequence[dict]]) -> dict:
    """Return the summary with each sent report's `deliveries`: `[{recipient, status, at}]` of its
    SES message id (delivered, bounced, complained or rejected), empty until SES says."""
    return {
        **summary,
        "reports": [
            {**report, "deliveries": list(deliveries.get(report.get("message_id") or "", ()))}
            for report in summary["reports"]
        ],
    }


def has_sent(summary: dict) -> bool:
    """Whether any report of the summary went to SES (only those can have deliveries)."""
    return any(report.get("message_id") for report in summary.get("reports", ()))


def _report(send: ReportSend, deliveries: Mapping[str, Sequence[dict]]) -> dict:
    """One report's entry: a report not claimed yet, or being sent, reads as pending."""
    return {
        "id": send.report_id,
        "status": send.status.shown.value,
        "recipients": list(send.recipients or ()),
        "message_id": send.message_id,
        "error": send.error,
        "sent_at": send.sent_at,
        "deliveries": list(deliveries.get(send.message_id, ())) if send.message_id else [],
    }
