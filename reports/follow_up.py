"""After a run: remember each report's outcome, and turn the CEO's top shortfalls into tasks.

Outcomes live in the snapshots table under two sort-key families per report: `attempt#<time>#<run>`
(every outcome, for the catalogue's last status) and `sent#<time>#<run>` (sent reports only,
for "last sent" and for the change since the previous report).
"""

from __future__ import annotations

import logging

from shipcaptaincrew.storage import items

log = logging.getLogger(__name__)
RECORDED = frozenset({"sent", "failed", "dry_run"})
CEO_REPORT = "ceo"
TASKS_FROM_CEO = 3


def follow_up(app, run: dict, deliveries: dict[str, dict]) -> None:
    """Record this run's outcomes and make the CEO's task cards; failures are logged, never fatal."""
    for step in (_record_outcomes, _ceo_tasks):
        try:
            step(app, run, deliveries)
        except Exception:
            log.exception("report follow-up failed", extra={"run_id": run["run_id"], "step": step.__name__})


def _ceo_tasks(app, run: dict, deliveries: dict[str, dict]) -> None:
    """After the CEO report is sent, its top three shortfalls become cards (once each, ever)."""
    if deliveries.get(CEO_REPORT, {}).get("status") != "sent":
        return
    from .briefs.ceo import top_shortfalls
    from .extension import services
    from .tasks import Finding, TaskStore, notify_webhook

    base = services(app).load_knowledge_base().base
    findings = [
        Finding(
            title=ranked.shortfall.title,
            detail=ranked.shortfall.detail,
            urgency=ranked.shortfall.severity.value,
            source=f"CEO report, run {run['run_id']}: {ranked.shortfall.source}",
            fingerprint=f"{ranked.project.id}\x00{ranked.shortfall.title}",
        )
        for ranked in top_shortfalls(base, TASKS_FROM_CEO)
    ]
    store = TaskStore(app.clients.dynamodb, table=app.settings.tasks_table)
    created = store.add_from_findings(findings, persona=CEO_REPORT, now=app.now())
    notify_webhook(app.settings.tasks_webhook_url, created)


def _record_outcomes(app, run: dict, deliveries: dict[str, dict]) -> None:
    stamp = app.now().isoformat(timespec="seconds")
    for report_id, delivery in deliveries.items():
        status = delivery.get("status")
        if status not in RECORDED:
            continue
        families = ["attempt"] + (["sent"] if status == "sent" else [])
        for family in families:
            item = {
                "report_id": report_id,
                "sent_at": f"{family}#{delivery.get('sent_at') or stamp}#{run['run_id']}",
                "run_id": run["run_id"],
                "status": status,
                "at": delivery.get("sent_at") or stamp,
            }
            if family == "sent" and delivery.get("metrics"):
                item["metrics"] = delivery["metrics"]
            app.clients.dynamodb.put_item(TableName=app.settings.snapshots_table, Item=items.to_item(item))


def last_outcomes(app, report_ids: list[str]) -> dict[str, dict]:
    """Return {report id: {last_status, last_sent_at}} from the newest recorded outcomes."""
    found: dict[str, dict] = {}
    for report_id in report_ids:
        attempt = _newest(app, report_id, "attempt#")
        sent = _newest(app, report_id, "sent#")
        found[report_id] = {
            "last_status": attempt["status"] if attempt else None,
            "last_sent_at": sent["at"] if sent else None,
        }
    return found


def previous_sent(app, report_id: str) -> dict | None:
    """Return the last sent record of a report (`{"at", "metrics", ...}`), for "since last report"."""
    return _newest(app, report_id, "sent#")


def _newest(app, report_id: str, family: str) -> dict | None:
    response = app.clients.dynamodb.query(
        TableName=app.settings.snapshots_table,
        KeyConditionExpression="report_id = :r AND begins_with(sent_at, :f)",
        ExpressionAttributeValues={":r": {"S": report_id}, ":f": {"S": family}},
        ScanIndexForward=False,
        Limit=1,
    )
    return items.from_item(response["Items"][0]) if response["Items"] else None
