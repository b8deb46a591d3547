"""Tell what kind of Lambda event arrived and hand it to the part of the app that handles it."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from . import actions, api
from .deadlines import deadline_of

log = logging.getLogger(__name__)


def is_http(event: dict) -> bool:
    """API Gateway HTTP API (payload 2.0) or REST API (1.0) request."""
    context = event.get("requestContext")
    return isinstance(context, dict) and ("http" in context or "httpMethod" in event)


def is_sqs(event: dict) -> bool:
    records = event.get("Records")
    return (
        isinstance(records, list)
        and bool(records)
        and all(isinstance(r, dict) and r.get("eventSource") == "aws:sqs" for r in records)
    )


def rule_name(event: dict) -> str | None:
    """Return the rule name of a classic EventBridge scheduled-event envelope, else None."""
    if event.get("detail-type") != "Scheduled Event":
        return None
    for arn in event.get("resources") or []:
        if isinstance(arn, str) and ":rule/" in arn:
            return arn.rsplit("/", 1)[-1]
    return ""


def handle(event, app, context=None) -> dict:
    """Dispatch one invocation; anything unrecognised is logged and answered, never raised."""
    if not isinstance(event, dict):
        return actions.unknown("event", f"a {type(event).__name__}, not a JSON object")
    if is_http(event):
        return api.handle(event, app)
    deadline = deadline_of(context, app.now())
    if is_sqs(event):
        return _handle_sqs(event, app, deadline)
    name = rule_name(event)
    if name is not None:
        action = app.rule_actions.get(name)
        if action is None:
            return actions.unknown("rule", name or "(no rule ARN in resources)")
        payload = {"action": action, "scheduled_time": event.get("time"), "trigger": "schedule"}
        return _scheduled(app, payload, deadline)
    if "action" in event:
        trigger = "schedule" if "scheduled_time" in event else "invoke"
        payload = {**event, "trigger": event.get("trigger", trigger)}
        if trigger == "schedule":
            return _scheduled(app, payload, deadline)
        return actions.run(app, payload, deadline)
    return actions.unknown("event", f"keys {sorted(map(str, event))[:10]}")


def _scheduled(app, payload: dict, deadline: datetime) -> dict:
    """Run a scheduled action; raise on failure so the scheduler retries it (then dead-letters it)."""
    summary = actions.run(app, payload, deadline)
    if summary.get("status") in {"failed", "partial"}:
        raise actions.ActionFailed(json.dumps(summary, default=str)[:1000])
    return summary


def _handle_sqs(event: dict, app, deadline: datetime) -> dict:
    """Run each record's action; report only the failed records, so only they are redelivered."""
    failures = []
    for record in event["Records"]:
        message_id = record.get("messageId", "")
        try:
            payload = json.loads(record.get("body") or "")
            if not isinstance(payload, dict):
                raise ValueError("the body is not a JSON object")
            summary = actions.run(app, {**payload, "trigger": "queue"}, deadline)
            if "error" in summary or summary.get("status") in {"failed", "partial"}:
                raise actions.ActionFailed(json.dumps(summary, default=str)[:500])
        except Exception:
            log.exception("queued action failed", extra={"message_id": message_id})
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}
