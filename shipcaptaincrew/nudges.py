"""Push-to-book: nudge the contact of each open inquiry or hold, at most once per interval.

Each nudge is claimed with a conditional write before it is sent, so a schedule delivered
twice (or two overlapping runs) sends one email; a failed send releases its claim so the
next run tries again; a claim whose holder died expires after CLAIM_SECONDS.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from .mail import message
from .storage import items
from .validation import CONTROL, ENCODED_WORD_START, is_strict_address

log = logging.getLogger(__name__)
NUDGED_STATUSES = ("inquiry", "hold")
CLAIM_SECONDS = 300


@dataclass
class NudgeSummary:
    """What one push-to-book run did."""

    sent: list[str] = field(default_factory=list)
    skipped: int = 0
    failed: list[dict] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # stored items that cannot be mailed, skipped

    def as_dict(self) -> dict:
        status = "failed" if self.failed and not self.sent else "partial" if self.failed else "succeeded"
        return {
            "action": "push_to_book",
            "status": status,
            "sent": self.sent,
            "skipped": self.skipped,
            "failed": self.failed,
            "invalid": self.invalid,
        }


def is_due(event: dict, *, now: datetime, today, after: timedelta) -> bool:
    """Tell whether a charter should be nudged: open, dated today or later, old enough, with a contact."""
    return (
        event.get("status") in NUDGED_STATUSES
        and bool(event.get("contact_email"))
        and event["date"] >= today.isoformat()
        and datetime.fromisoformat(event["created_at"]) <= now - after
    )


class NudgeLog:
    """Claims per charter in the nudges table: pending (with expiry), then sent at a time."""

    def __init__(self, dynamodb, *, table: str, interval: timedelta):
        self._db = dynamodb
        self._table = table
        self._interval = interval

    def claim(self, event_id: str, *, now: datetime) -> bool:
        """Take the right to nudge this charter now; False if nudged within the interval or in flight."""
        stamp = int(now.timestamp())
        try:
            self._db.update_item(
                TableName=self._table,
                Key={"event_id": {"S": event_id}},
                UpdateExpression="SET pending_until = :until",
                ConditionExpression=(
                    "(attribute_not_exists(last_sent_at) OR last_sent_at <= :cutoff) "
                    "AND (attribute_not_exists(pending_until) OR pending_until < :now)"
                ),
                ExpressionAttributeValues={
                    ":until": items.value(stamp + CLAIM_SECONDS),
                    ":cutoff": items.value(stamp - int(self._interval.total_seconds())),
                    ":now": items.value(stamp),
                },
            )
        except ClientError as error:
            if items.is_conditional_failure(error):
                return False
            raise
        return True

    def mark_sent(self, event_id: str, *, now: datetime, message_id: str) -> None:
        """Record the send, which starts the interval."""
        self._db.update_item(
            TableName=self._table,
            Key={"event_id": {"S": event_id}},
            UpdateExpression="SET last_sent_at = :now, message_id = :id REMOVE pending_until",
            ExpressionAttributeValues={
                ":now": items.value(int(now.timestamp())),
                ":id": items.value(message_id),
            },
        )

    def release(self, event_id: str) -> None:
        """Give a claim back after a failed send, so the next run may try again."""
        self._db.update_item(
            TableName=self._table, Key={"event_id": {"S": event_id}}, UpdateExpression="REMOVE pending_until"
        )


def unmailable(event: dict) -> str | None:
    """Return why a stored charter cannot be nudged safely (written before today's validation,
    or by hand), or None: a bad item is skipped and logged, never allowed to stop the batch."""
    title, address = event.get("title"), event.get("contact_email")
    if not isinstance(title, str) or CONTROL.search(title) or ENCODED_WORD_START in title:
        return "title has control characters or an encoded word"
    if not is_strict_address(address):
        return "contact_email is not a plain local@domain address"
    if not isinstance(event.get("date"), str) or not isinstance(event.get("created_at"), str):
        return "date or created_at missing"
    return None


def nudge_message(event: dict, *, sender: str):
    """Build the push-to-book email for one charter (its text is untrusted, so escaped in HTML)."""
    title, day = event["title"], event["date"]
    text = (
        f"Hello,\n\nWe are holding {title} on {day} for you. Dates fill up quickly: reply to this "
        "email to confirm and we will send the booking details.\n\nThank you,\nShip Captain Crew\n"
    )
    body = (
        '<!doctype html><html><body style="font-family:Arial,sans-serif;color:#1f2933">'
        f"<p>Hello,</p><p>We are holding <strong>{html.escape(title)}</strong> on {html.escape(day)} "
        "for you. Dates fill up quickly: reply to this email to confirm and we will send the booking "
        "details.</p><p>Thank you,<br>Ship Captain Crew</p></body></html>"
    )
    return message.build(
        sender=sender, to=[event["contact_email"]], subject=f"Ready to book {title}?", text=text, html=body
    )


def push_to_book(app) -> dict:
    """Nudge every due charter once; a failure on one never stops the others."""
    settings, now, today = app.settings, app.now(), app.today()
    nudges = NudgeLog(
        app.clients.dynamodb,
        table=settings.nudges_table,
        interval=timedelta(days=settings.nudge_interval_days),
    )
    summary = NudgeSummary()
    after = timedelta(days=settings.nudge_after_days)
    for status in NUDGED_STATUSES:
        for event in app.events.open_by_status(status):
            reason = event.get("contact_email") and unmailable(event)
            if reason:
                log.error(
                    "push-to-book skipped a charter it cannot mail",
                    extra={"event_id": event.get("id"), "reason": reason},
                )
                summary.invalid.append(str(event.get("id")))
                continue
            if not is_due(event, now=now, today=today, after=after) or not nudges.claim(event["id"], now=now):
                summary.skipped += 1
                continue
            try:
                sent_id = app.outbox.send(
                    nudge_message(event, sender=settings.ses_from_address),
                    tags={"purpose": "push_to_book", "event_id": event["id"]},
                )
            except Exception as error:
                nudges.release(event["id"])
                log.exception("push-to-book nudge failed", extra={"event_id": event["id"]})
                summary.failed.append({"event_id": event["id"], "error": str(error)})
                continue
            nudges.mark_sent(event["id"], now=now, message_id=sent_id)
            summary.sent.append(event["id"])
    return summary.as_dict()
