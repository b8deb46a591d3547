"""The run summary (SPEC section 3) and the run's overall status, derived from its deliveries."""

from __future__ import annotations

from .store import DONE


def overall_status(report_ids: list[str], deliveries: dict[str, dict]) -> str:
    """Return succeeded, partial, failed, or running while any report is still undecided."""
    statuses = [deliveries.get(report_id, {}).get("status", "pending") for report_id in report_ids]
    if any(status not in DONE | {"failed"} for status in statuses):
        return "running"
    failed = statuses.count("failed")
    if not failed:
        return "succeeded"
    return "failed" if failed == len(statuses) else "partial"


def summarise(run: dict, deliveries: dict[str, dict]) -> dict:
    """Return `{run_id, trigger, status, dry_run, started_at, finished_at, reports: [...]}`."""
    return {
        "run_id": run["run_id"],
        "trigger": run["trigger"],
        "status": run["status"],
        "dry_run": bool(run.get("dry_run")),
        "started_at": run.get("started_at"),
        "finished_at": run.get("finished_at"),
        "reports": [_report(report_id, deliveries.get(report_id, {})) for report_id in run["reports"]],
    }


def _report(report_id: str, delivery: dict) -> dict:
    status = delivery.get("status", "pending")
    return {
        "id": report_id,
        "status": "pending" if status == "in_progress" else status,
        "recipients": list(delivery.get("recipients", [])),
        "message_id": delivery.get("message_id"),
        "error": delivery.get("error"),
        "sent_at": delivery.get("sent_at"),
    }
