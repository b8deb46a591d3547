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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ..email.message import tags as report_tags
from ..host import items
from ..host import mail_message as message
from .records import ReportSend
from .ses_events import (
    NOTIFIED,
    PLAIN_ADDRESS,
    SAFE_TAG,
    DeliveryStatus,
    SesEvent,
    latest_per_recipient,
    parse,
)
from .store import RUN_RETENTION

log = logging.getLogger(__name__)

BY_RUN = "by_run"  # the index: (run_id, entry) -> every recorded delivery of a run
NOTICE = "notice#"  # the entry prefix of a notice claim (a recipient's entry has an "@")
REPORT_PURPOSE = report_tags("", "")["purpose"]  # the `purpose` tag of report emails
NOTICE_PURPOSE = "delivery_notice"


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
    return value if isinstance(value, str) and SAFE_TAG.fullmatch(value) else None


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
    plain = [address for address in addresses if PLAIN_ADDRESS.fullmatch(address)]
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
