"""What became of each sent report: SES's Delivery, Bounce, Complaint and Reject events, recorded
per recipient against the report's SES message id, and one notice to the admins of a bounce or
complaint.

SES publishes the events of every message sent through the configuration set
(`SES_CONFIGURATION_SET`) to an SNS topic the Lambda subscribes to; the host hands each SNS record
to the action `ses_event` with the SNS `MessageId` and the parsed message (an SES event record as
in the SES docs, "Examples of event data that Amazon SES publishes to Amazon SNS").

SNS delivers at least once, so everything here is keyed by the SNS message id and written with
conditional puts:

| item | key (`message_id`, `entry`) | holds |
|---|---|---|
| a recipient's outcome | SES message id, `<recipient>#<SNS message id>` | run, report, status, at |
| the notice claim | SES message id, `notice#<SNS message id>` | taken before sending it |

The same SNS message twice writes nothing new and sends no second notice. Records carry the run
id (from the message's SES tags, else its `X-SCC-Run-Id` header, else found by message id), and
the index `by_run` (`run_id`, `entry`) gives a run summary every delivery of the run in one Query.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from botocore.exceptions import ClientError

from ..email.message import tags as report_tags
from ..host import items
from ..host import mail_message as message
from .records import ReportSend
from .store import RUN_RETENTION

log = logging.getLogger(__name__)

BY_RUN = "by_run"  # the index: (run_id, entry) -> every recorded delivery of a run
NOTICE = "notice#"  # the entry prefix of a notice claim (a recipient's entry has an "@")
REPORT_PURPOSE = report_tags("", "")["purpose"]  # the `purpose` tag of report emails
NOTICE_PURPOSE = "delivery_notice"
_SAFE_TAG = re.compile(r"[A-Za-z0-9_-]{1,128}")
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,253}")


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


class DeliveryStore:
    """The deliveries table (see the module's docstring for its items)."""

    def __init__(self, dynamodb, *, table: str, sends_table: str):
        self._db = dynamodb
        self._table = table
        self._sends = sends_table

    def record(
        self,
        event: SesEvent,
        *,
        sns_message_id: str,
        run_id: str | None,
        report_id: str | None,
        now: datetime,
    ) -> int:
        """Record each recipient's outcome once per SNS message; return how many were new."""
        new = 0
        for address, at in event.recipients:
            item = {
                "message_id": event.message_id,
                "entry": f"{address.lower()}#{sns_message_id}",
                "run_id": run_id,
                "report_id": report_id,
                "recipient": address,
                "status": event.status.value,
                "at": at,
                "event_type": event.event_type,
                "detail": event.detail or None,
                "sns_message_id": sns_message_id,
                "recorded_at": now.isoformat(timespec="seconds"),
                "expires_at": int((now + RUN_RETENTION).timestamp()),
            }
            new += self._put_once(item)
        return new

    def claim_notice(self, message_id: str, sns_message_id: str, *, now: datetime) -> bool:
        """Take the right to send the notice of this SNS message; True only once."""
        item = {
            "message_id": message_id,
            "entry": f"{NOTICE}{sns_message_id}",
            "claimed_at": now.isoformat(timespec="seconds"),
            "expires_at": int((now + RUN_RETENTION).timestamp()),
        }
        return bool(self._put_once(item))

    def release_notice(self, message_id: str, sns_message_id: str) -> None:
        """Give the claim back (the notice could not be sent), so the redelivery sends it."""
        self._db.delete_item(TableName=self._table, Key=_key(message_id, f"{NOTICE}{sns_message_id}"))

    def for_message(self, message_id: str) -> list[dict]:
        """Return each recipient's latest outcome for one SES message (one Query)."""
        return latest_per_recipient(
            self._query(
                KeyConditionExpression="message_id = :m",
                ExpressionAttributeValues={":m": {"S": message_id}},
                ConsistentRead=True,
            )
        )

    def for_run(self, run_id: str) -> dict[str, list[dict]]:
        """Return {SES message id: each recipient's latest outcome} for a run (one Query)."""
        by_message: dict[str, list[Mapping]] = {}
        for record in self._query(
            IndexName=BY_RUN,
            KeyConditionExpression="run_id = :r",
            ExpressionAttributeValues={":r": {"S": run_id}},
        ):
            by_message.setdefault(record["message_id"], []).append(record)
        return {message_id: latest_per_recipient(found) for message_id, found in by_message.items()}

    def find_send(self, message_id: str) -> tuple[str, str] | None:
        """Return (run id, report id) of the report sent as `message_id`, searching the sends
        table. A Scan: used only for an event whose message carries neither tags nor headers."""
        for page in self._db.get_paginator("scan").paginate(
            TableName=self._sends,
            FilterExpression="message_id = :m",
            ExpressionAttributeValues={":m": {"S": message_id}},
            ProjectionExpression="run_id, report_id",
        ):
            for raw in page["Items"]:
                return raw["run_id"]["S"], raw["report_id"]["S"]
        return None

    def _query(self, **request) -> Iterable[dict]:
        for page in self._db.get_paginator("query").paginate(TableName=self._table, **request):
            for raw in page["Items"]:
                record = items.from_item(raw)
                if not record["entry"].startswith(NOTICE):
                    yield record

    def _put_once(self, item: dict) -> int:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=items.to_item(item),
                ConditionExpression="attribute_not_exists(entry)",
            )
        except ClientError as error:
            if items.is_conditional_failure(error):
                return 0
            raise
        return 1


def _key(message_id: str, entry: str) -> dict:
    return {"message_id": {"S": message_id}, "entry": {"S": entry}}


@dataclass(frozen=True)
class Deliveries:
    """Record SES events and tell the admins of a bounce or complaint (the action `ses_event`)."""

    store: DeliveryStore
    outbox: Any  # the host's Outbox: send(message, *, bcc, tags) -> SES message id
    sender: str
    admins: Sequence[str]
    now: Callable[[], datetime]
    sends: Callable[[str], Mapping[str, ReportSend]]  # run id -> its sends (one Query)

    def handle(self, sns_message_id: str, record: Mapping) -> dict:
        """Record one SES event delivered by SNS; send its notice once. Raises MalformedEvent for
        what is not an SES event, and lets AWS errors through, so the invocation is retried."""
        event = parse(record)
        if event is None:
            kind = record.get("eventType") or record.get("notificationType")
            log.info("SES event not recorded", extra={"sns_message_id": sns_message_id, "event_type": kind})
            return {"status": "ignored", "event_type": kind}
        run_id, report_id = self._origin(event)
        new = self.store.record(
            event, sns_message_id=sns_message_id, run_id=run_id, report_id=report_id, now=self.now()
        )
        outcome = {
            "status": "recorded" if new else "duplicate",
            "event_type": event.event_type,
            "message_id": event.message_id,
            "run_id": run_id,
            "report_id": report_id,
            "recipients": [address for address, _ in event.recipients],
        }
        log.info("SES event " + outcome["status"], extra={"sns_message_id": sns_message_id, **outcome})
        if event.status in NOTIFIED and report_id:
            outcome["notice"] = self._tell_admins(event, sns_message_id, run_id, report_id)
        return outcome

    def _origin(self, event: SesEvent) -> tuple[str | None, str | None]:
        """Return (run id, report id) of the message: its SES tags, else the report's headers, else
        (for a message that carries neither, nor says it is something else) its send's record."""
        run_id = _safe(event.tags.get("run_id")) or _safe(event.headers.get("x-scc-run-id"))
        report_id = _safe(event.tags.get("report_id")) or _safe(event.headers.get("x-scc-report-id"))
        purpose = event.tags.get("purpose")
        if purpose not in (None, REPORT_PURPOSE):
            return run_id, None  # a sign-in link, a nudge, a notice: not a report
        if not (run_id and report_id) and purpose is None:
            found = self.store.find_send(event.message_id)
            if found:
                return found
        return run_id, report_id

    def _tell_admins(self, event: SesEvent, sns_message_id: str, run_id: str | None, report_id: str) -> str:
        """Email the admins once per SNS message; give the claim back if SES refuses (and raise,
        so the redelivery tries again)."""
        if not self.admins:
            log.warning(
                "no ADMIN_EMAILS to tell of a delivery problem", extra={"message_id": event.message_id}
            )
            return "no_admins"
        subject = event.subject
        sent = self.sends(run_id).values() if run_id else ()
        send = next((send for send in sent if send.message_id == event.message_id), None)
        if send is not None:  # the report as recorded (a tag's value may have been made tag-safe)
            report_id, subject = send.report_id, send.subject or subject
        built = delivery_notice(
            event, report_id=report_id, run_id=run_id, subject=subject, sender=self.sender, admins=self.admins
        )
        if not self.store.claim_notice(event.message_id, sns_message_id, now=self.now()):
            return "already_sent"
        try:
            self.outbox.send(built, tags={"purpose": NOTICE_PURPOSE})
        except Exception:
            log.exception("delivery notice not sent", extra={"message_id": event.message_id})
            self.store.release_notice(event.message_id, sns_message_id)
            raise
        return "sent"


def _safe(value: str | None) -> str | None:
    """Return a tag or header value that can be a run or report id, else None."""
    return value if isinstance(value, str) and _SAFE_TAG.fullmatch(value) else None


WHAT = {
    DeliveryStatus.BOUNCED: (
        "bounced",
        "A permanent bounce means the address does not exist or refuses mail: correct or remove it "
        "under Recipients in the dashboard (SES will not send to it again for a while). A transient "
        "bounce (mailbox full, message too large) may clear by the next report.",
    ),
    DeliveryStatus.COMPLAINED: (
        "was marked as spam",
        "The recipient (or their mail provider) reported it as spam. Ask whether they still want "
        "this report, and remove them under Recipients if not: complaints harm every email the "
        "business sends.",
    ),
    DeliveryStatus.REJECTED: (
        "was rejected by SES",
        "SES refused to deliver the message to anyone. Check the report's archived copy, then "
        "retry the run from the dashboard.",
    ),
}


def delivery_notice(
    event: SesEvent,
    *,
    report_id: str,
    run_id: str | None,
    subject: str | None,
    sender: str,
    admins: Sequence[str],
):
    """Build the admins' notice: which report, which recipients, what happened and what to do."""
    verb, advice = WHAT[event.status]
    addresses = [address for address, _ in event.recipients]
    plain = [address for address in addresses if _PLAIN_ADDRESS.fullmatch(address)]
    who = plain[0] if len(addresses) == 1 and plain else f"{len(addresses)} recipients"
    about = f"Report {report_id} (run {run_id})" if run_id else f"Report {report_id}"
    titled = f' "{" ".join(subject.split())[:120]}"' if subject else ""
    lines = "\n".join(f"- {address}" for address in addresses)
    when = event.recipients[0][1]
    text = (
        f"{about}{titled} {verb} for:\n\n{lines}\n\nWhat SES says ({when}): {event.detail}\n\n{advice}\n\n"
        f"SES message id: {event.message_id}\n"
    )
    listed = "".join(f"<li>{html.escape(address)}</li>" for address in addresses)
    body = (
        f"<p>{html.escape(about + titled)} {verb} for:</p><ul>{listed}</ul>"
        f"<p>What SES says ({html.escape(when)}): {html.escape(event.detail)}</p>"
        f"<p>{html.escape(advice)}</p><p>SES message id: <code>{html.escape(event.message_id)}</code></p>"
    )
    return message.build(
        sender=sender,
        to=list(admins),
        subject=f"Report {report_id} {verb} for {who}",
        text=text,
        html=body,
    )
