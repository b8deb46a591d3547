"""SES's event records (Delivery, Bounce, Complaint, Reject) as SNS delivers them, read into one
typed `SesEvent`: pure functions, no AWS, so each odd shape in the SES docs is a unit test."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

SAFE_TAG = re.compile(r"[A-Za-z0-9_-]{1,128}")
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,253}")


class DeliveryStatus(StrEnum):
    """One recipient's outcome, as the run summary shows it."""

    DELIVERED = "delivered"
    REJECTED = "rejected"
    BOUNCED = "bounced"
    COMPLAINED = "complained"

    @property
    def rank(self) -> int:
        """Which of two outcomes at the same instant to show: the more serious."""
        return list(DeliveryStatus).index(self)


# SES event type ("eventType" for a configuration set; "notificationType" for an identity's
# feedback notifications, which have the same objects) -> (status, the object that describes it).
EVENT_TYPES = {
    "Delivery": (DeliveryStatus.DELIVERED, "delivery"),
    "Bounce": (DeliveryStatus.BOUNCED, "bounce"),
    "Complaint": (DeliveryStatus.COMPLAINED, "complaint"),
    "Reject": (DeliveryStatus.REJECTED, "reject"),
}
NOTIFIED = (DeliveryStatus.BOUNCED, DeliveryStatus.COMPLAINED, DeliveryStatus.REJECTED)


class MalformedEvent(ValueError):
    """The message is not an SES event this module can read; retrying it would not help."""


@dataclass(frozen=True)
class SesEvent:
    """One SES event record: what happened to which recipients of which message."""

    event_type: str
    status: DeliveryStatus
    message_id: str  # SES's message id (what `send_email` returned)
    recipients: tuple[tuple[str, str], ...]  # (address, when: ISO 8601)
    detail: str  # bounce type and SMTP diagnostic, complaint feedback type, reject reason
    tags: Mapping[str, str]  # the message's SES tags (first value of each)
    headers: Mapping[str, str]  # the message's headers, names lower-cased
    subject: str | None
    sent_at: str | None


def parse(record: Mapping[str, Any]) -> SesEvent | None:
    """Read an SES event record; None for an event type not recorded (Send, Open...).

    Raises MalformedEvent when the record is not an SES event at all or lacks what is needed.
    """
    if not isinstance(record, Mapping):
        raise MalformedEvent("the message is not a JSON object")
    event_type = record.get("eventType") or record.get("notificationType")
    if not isinstance(event_type, str):
        raise MalformedEvent("no eventType: not an SES event record")
    if event_type not in EVENT_TYPES:
        return None
    status, part = EVENT_TYPES[event_type]
    mail = record.get("mail")
    body = record.get(part)
    if not isinstance(mail, Mapping) or not isinstance(body, Mapping):
        raise MalformedEvent(f"a {event_type} event needs its `mail` and `{part}` objects")
    message_id = mail.get("messageId")
    if not isinstance(message_id, str) or not message_id.strip() or len(message_id) > 200:
        raise MalformedEvent("mail.messageId is missing")
    sent_at = _timestamp(mail.get("timestamp"))
    at = _timestamp(body.get("timestamp")) or sent_at
    if at is None:
        raise MalformedEvent(f"a {event_type} event needs a timestamp")
    addresses = _addresses(event_type, body, mail)
    if not addresses:
        raise MalformedEvent(f"a {event_type} event names no recipient")
    common = mail.get("commonHeaders")
    subject = common.get("subject") if isinstance(common, Mapping) else None
    return SesEvent(
        event_type=event_type,
        status=status,
        message_id=message_id,
        recipients=tuple((address, at) for address in addresses),
        detail=_detail(event_type, body),
        tags=_tags(mail.get("tags")),
        headers=_headers(mail.get("headers")),
        subject=subject if isinstance(subject, str) else None,
        sent_at=sent_at,
    )


def _addresses(event_type: str, body: Mapping, mail: Mapping) -> list[str]:
    """Return the recipients the event is about, each once, in the event's order."""
    if event_type == "Delivery":
        found = body.get("recipients")
    elif event_type == "Bounce":
        found = [r.get("emailAddress") for r in body.get("bouncedRecipients") or () if isinstance(r, Mapping)]
    elif event_type == "Complaint":
        found = [
            r.get("emailAddress") for r in body.get("complainedRecipients") or () if isinstance(r, Mapping)
        ]
    else:  # Reject: SES sent it to nobody
        found = mail.get("destination")
    if not isinstance(found, list):
        return []
    unique: dict[str, str] = {}
    for address in found:
        if isinstance(address, str) and "@" in address and len(address) <= 320:
            unique.setdefault(address.strip().lower(), address.strip())
    return list(unique.values())


def _detail(event_type: str, body: Mapping) -> str:
    """Return what SES says about the outcome, for the notice (bounded, single-line)."""
    if event_type == "Bounce":
        kind = f"{body.get('bounceType') or 'Undetermined'} bounce ({body.get('bounceSubType') or 'General'})"
        codes = {
            str(r.get("diagnosticCode") or r.get("status") or "")
            for r in body.get("bouncedRecipients") or ()
            if isinstance(r, Mapping)
        } - {""}
        text = f"{kind}: {'; '.join(sorted(codes))}" if codes else kind
    elif event_type == "Complaint":
        text = f"marked as spam (feedback type: {body.get('complaintFeedbackType') or 'not given'})"
    elif event_type == "Reject":
        text = f"rejected by SES: {body.get('reason') or 'no reason given'}"
    else:
        text = str(body.get("smtpResponse") or "delivered")
    return " ".join(text.split())[:500]


def _timestamp(value) -> str | None:
    """Return an ISO 8601 time stamp as given, or None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


def _tags(value) -> dict[str, str]:
    """SES gives each tag as a list of values; keep the first of each."""
    if not isinstance(value, Mapping):
        return {}
    found = {}
    for name, values in value.items():
        first = values[0] if isinstance(values, list) and values else values
        if isinstance(name, str) and isinstance(first, str):
            found[name] = first
    return found


def _headers(value) -> dict[str, str]:
    if not isinstance(value, list):
        return {}
    return {
        header["name"].lower(): header["value"]
        for header in value
        if isinstance(header, Mapping)
        and isinstance(header.get("name"), str)
        and isinstance(header.get("value"), str)
    }


def _when(at: str) -> datetime:
    moment = datetime.fromisoformat(at)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SES's stamps are UTC


def latest_per_recipient(records: Iterable[Mapping]) -> list[dict]:
    """Return each recipient's latest outcome `{recipient, status, at}`, by recipient; of two at
    the same instant, the more serious (a complaint after a delivery reads as complained)."""
    latest: dict[str, Mapping] = {}
    for record in records:
        key = record["recipient"].lower()
        mine = (_when(record["at"]), DeliveryStatus(record["status"]).rank)
        held = latest.get(key)
        if held is None or mine > (_when(held["at"]), DeliveryStatus(held["status"]).rank):
            latest[key] = record
    return [
        {"recipient": record["recipient"], "status": record["status"], "at": record["at"]}
        for _, record in sorted(latest.items())
    ]
