"""Tell what kind of Lambda event arrived and hand it to the part of the app that handles it."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from . import actions, api
from .deadlines import deadline_of

log = logging.getLogger(__name__)
# The action an SNS record's message goes to: SES's delivery events, published by the configuration
# set to a topic this Lambda subscribes to (an extension offers it; the reports one does).
SNS_ACTION = "ses_event"


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


def is_sns(event: dict) -> bool:
    """SNS notifications (`{"Records": [{"EventSource": "aws:sns", "Sns": {...}}]}`)."""
    records = event.get("Records")
    return isinstance(records, list) and any(
        isinstance(r, dict) and r.get("EventSource") == "aws:sns" for r in records
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
    if is_sns(event):
        return _handle_sns(event, app, deadline)
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
    """Run each record's action; list only the records worth retrying, so only they come back.

    A record that can never succeed (not JSON, not an object, an unknown action, invalid fields)
    is logged with its message id and not listed: redelivering it would only fail again.
    """
    failures = []
    for record in event["Records"]:
        message_id = record.get("messageId", "")
        try:
            payload = json.loads(record.get("body") or "")
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            log.error("queued record is not a JSON object; dropped", extra={"message_id": message_id})
            continue
        try:
            summary = actions.run(app, {**payload, "trigger": "queue", "message_id": message_id}, deadline)
        except Exception:
            log.exception("queued action failed; it will be redelivered", extra={"message_id": message_id})
            failures.append({"itemIdentifier": message_id})
            continue
        if "error" in summary:
            refused = summary["error"]
            log.error(
                "queued record refused; dropped",
                extra={
                    "message_id": message_id,
                    "code": refused.get("code"),
                    "detail": refused.get("message"),
                },
            )
    return {"batchItemFailures": failures}


def _handle_sns(event: dict, app, deadline: datetime) -> dict:
    """Hand each SNS record's message to `SNS_ACTION` with the SNS MessageId (its idempotency key).

    A record that can never succeed (no MessageId, a message that is not JSON, one the action
    refuses) is logged and skipped, never raised; a failure worth retrying (AWS unreachable)
    raises after every record has been tried, so Lambda retries the invocation, which is safe:
    what was recorded is not recorded twice.
    """
    answers, retry = [], []
    for index, record in enumerate(event["Records"]):
        try:
            message_id, message = _sns_message(record)
        except ValueError as error:
            log.error("malformed SNS record skipped", extra={"record": index, "reason": str(error)})
            answers.append({"record": index, "status": "skipped", "reason": str(error)})
            continue
        payload = {"action": SNS_ACTION, "sns_message_id": message_id, "message": message, "trigger": "sns"}
        try:
            answer = actions.run(app, payload, deadline)
        except Exception:
            log.exception("SNS record failed; it will be retried", extra={"sns_message_id": message_id})
            retry.append(message_id)
            continue
        if "error" in answer:  # refused: not an SES event, or no extension offers the action
            refused = answer["error"]
            log.error(
                "SNS record refused; skipped",
                extra={
                    "sns_message_id": message_id,
                    "code": refused.get("code"),
                    "detail": refused.get("message"),
                },
            )
            answers.append({"sns_message_id": message_id, "status": "skipped", "reason": answer["error"]})
        else:
            answers.append({"sns_message_id": message_id, **answer})
    if retry:
        raise actions.ActionFailed(f"SNS messages not processed, to retry: {', '.join(retry)}")
    return {"records": answers}


def _sns_message(record) -> tuple[str, dict]:
    """Return (MessageId, the parsed Message) of one SNS record; ValueError says what is wrong."""
    if not isinstance(record, dict) or record.get("EventSource") != "aws:sns":
        raise ValueError("not an SNS record")
    sns = record.get("Sns")
    if not isinstance(sns, dict):
        raise ValueError("no Sns object")
    message_id = sns.get("MessageId")
    if not isinstance(message_id, str) or not message_id.strip():
        raise ValueError("no Sns.MessageId")
    try:
        message = json.loads(sns.get("Message") or "")
    except (TypeError, ValueError):
        raise ValueError(f"Sns.Message of {message_id} is not JSON") from None
    if not isinstance(message, dict):
        raise ValueError(f"Sns.Message of {message_id} is not a JSON object")
    return message_id, message
