"""A run and its per-report sends as typed records, with what is derived from their statuses.

Like the `DataRecord` of Powertools' idempotency utility: a fixed set of statuses and derived
properties (finished, done, stalled), decided here once instead of by comparing strings across
the engine. `from_item`/`to_item` read and write the same DynamoDB items as before the types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


def millis(moment: datetime) -> int:
    """Return epoch milliseconds, the unit leases are stored (and compared by DynamoDB) in."""
    return int(moment.timestamp() * 1000)


class RunStatus(StrEnum):
    """Where a run stands; `stalled` is never stored, only derived (see `Run.status_at`)."""

    QUEUED = "queued"
    RUNNING = "running"
    STALLED = "stalled"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    FAILED = "failed"

    @property
    def is_finished(self) -> bool:
        """Whether the run's outcome is recorded (only a retry queues it again)."""
        return self in (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED)


class SendStatus(StrEnum):
    """Where one report of a run stands."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    DRY_RUN = "dry_run"

    @property
    def is_done(self) -> bool:
        """Whether it is never attempted again, not even by a retry."""
        return self in (SendStatus.SENT, SendStatus.DRY_RUN, SendStatus.SKIPPED)

    @property
    def is_decided(self) -> bool:
        """Whether the run no longer waits for it: done, or failed (until a retry reopens it)."""
        return self.is_done or self is SendStatus.FAILED

    @property
    def shown(self) -> SendStatus:
        """The status readers see: a claimed report is still pending to them."""
        return SendStatus.PENDING if self is SendStatus.IN_PROGRESS else self


@dataclass(frozen=True)
class Run:
    """One trigger's attempt to send a set of reports (an item of the runs table)."""

    run_id: str
    trigger: str
    reports: tuple[str, ...]
    dry_run: bool = False
    status: RunStatus = RunStatus.QUEUED
    key: str | None = None  # the idempotency key or scheduled time the run id derives from
    created_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    lease_until: int | None = None  # epoch milliseconds; set while a live invocation holds it
    expires_at: int | None = None  # DynamoDB TTL, epoch seconds
    notice_sent: bool = False
    request: str | None = None  # a fingerprint of what was asked: a key reused for another is refused
    resumable: bool = False  # partial only because of transient errors: its key arriving again resumes it

    @property
    def is_finished(self) -> bool:
        """Whether the run's outcome is recorded."""
        return self.status.is_finished

    def status_at(self, now: datetime) -> RunStatus:
        """Return the status as of `now`: a running run whose holder's lease ended is stalled."""
        expired = self.lease_until is not None and self.lease_until < millis(now)
        return RunStatus.STALLED if self.status is RunStatus.RUNNING and expired else self.status

    def can_resume(self, now: datetime) -> bool:
        """Whether processing it now would send something: queued, stalled, or left to retry."""
        status = self.status_at(now)
        return status in (RunStatus.QUEUED, RunStatus.STALLED) or (
            status is RunStatus.PARTIAL and self.resumable
        )

    @property
    def holds_reports(self) -> bool:
        """Whether a real run still owns its reports: no other real run may send them meanwhile."""
        return not self.dry_run and (not self.is_finished or self.resumable)

    @classmethod
    def from_item(cls, item: Mapping) -> Run:
        """Read a runs-table item (already deserialised: numbers are Decimal)."""
        return cls(
            run_id=item["run_id"],
            trigger=item["trigger"],
            reports=tuple(item.get("reports", ())),
            dry_run=bool(item.get("dry_run")),
            status=RunStatus(item.get("status", RunStatus.QUEUED)),
            key=item.get("key"),
            created_at=item.get("created_at"),
            started_at=item.get("started_at"),
            finished_at=item.get("finished_at"),
            lease_until=_integer(item.get("lease_until")),
            expires_at=_integer(item.get("expires_at")),
            notice_sent=bool(item.get("notice_sent")),
            request=item.get("request"),
            resumable=bool(item.get("resumable")),
        )

    def to_item(self) -> dict:
        """Return the runs-table item (unset attributes left out, as they always were)."""
        item = {
            "run_id": self.run_id,
            "trigger": self.trigger,
            "dry_run": self.dry_run,
            "reports": list(self.reports),
            "status": self.status.value,
            "key": self.key,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "lease_until": self.lease_until,
            "expires_at": self.expires_at,
            "notice_sent": self.notice_sent or None,
            "request": self.request,
            "resumable": self.resumable or None,
        }
        return {name: value for name, value in item.items() if value is not None}


@dataclass(frozen=True)
class ReportSend:
    """One report of one run: claimed, then sent, failed or dry run (an item of the sends table).

    The fields an attempt decides stay None until it records them, so an item keeps exactly
    the attributes it had; "delivery" is kept for SES's per-recipient Delivery/Bounce events.
    """

    run_id: str
    report_id: str
    status: SendStatus = SendStatus.PENDING
    recipients: tuple[str, ...] | None = None  # the To addresses (BCC is never recorded)
    subject: str | None = None
    metrics: Mapping[str, Decimal] | None = None  # the figures "since last report" compares with
    archived: tuple[str, ...] | None = None  # where the rendered report was archived
    message_id: str | None = None
    error: str | None = None
    sent_at: str | None = None
    attempts: int = 0
    lease_until: int | None = None  # epoch milliseconds; set while a claimant holds it
    expires_at: int | None = None  # DynamoDB TTL, epoch seconds

    @property
    def is_done(self) -> bool:
        """Whether it is never attempted again."""
        return self.status.is_done

    @property
    def is_decided(self) -> bool:
        """Whether the run no longer waits for it."""
        return self.status.is_decided

    @property
    def waits_to_retry(self) -> bool:
        """Whether an attempt hit a transient error (throttling, 5xx, unreachable) and left it pending."""
        return self.status is SendStatus.PENDING and self.error is not None

    @classmethod
    def from_item(cls, item: Mapping) -> ReportSend:
        """Read a sends-table item (already deserialised: numbers are Decimal)."""
        return cls(
            run_id=item["run_id"],
            report_id=item["report_id"],
            status=SendStatus(item.get("status", SendStatus.PENDING)),
            recipients=_strings(item.get("recipients")),
            subject=item.get("subject"),
            metrics=item.get("metrics"),
            archived=_strings(item.get("archived")),
            message_id=item.get("message_id"),
            error=item.get("error"),
            sent_at=item.get("sent_at"),
            attempts=_integer(item.get("attempts")) or 0,
            lease_until=_integer(item.get("lease_until")),
            expires_at=_integer(item.get("expires_at")),
        )

    def to_item(self) -> dict:
        """Return the sends-table item (unset attributes left out)."""
        item = {
            "run_id": self.run_id,
            "report_id": self.report_id,
            "status": self.status.value,
            "recipients": None if self.recipients is None else list(self.recipients),
            "subject": self.subject,
            "metrics": None if self.metrics is None else dict(self.metrics),
            "archived": None if self.archived is None else list(self.archived),
            "message_id": self.message_id,
            "error": self.error,
            "sent_at": self.sent_at,
            "attempts": self.attempts or None,
            "lease_until": self.lease_until,
            "expires_at": self.expires_at,
        }
        return {name: value for name, value in item.items() if value is not None}


def _integer(value) -> int | None:
    return None if value is None else int(value)


def _strings(value) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


def outcome_of(report_ids, sends: Mapping[str, ReportSend]) -> tuple[RunStatus, bool]:
    """Return the run's status from its sends, and whether its key arriving again would resume it.

    Still running while any report is claimed or never tried; partial and resumable while any
    waits to retry after a transient error; else succeeded, partial or failed by what failed.
    """
    chosen = [sends.get(report_id) for report_id in report_ids]
    if any(send is None or send.status is SendStatus.IN_PROGRESS for send in chosen):
        return RunStatus.RUNNING, False
    if any(send.status is SendStatus.PENDING and not send.waits_to_retry for send in chosen):
        return RunStatus.RUNNING, False
    if any(send.waits_to_retry for send in chosen):
        return RunStatus.PARTIAL, True
    failed = sum(send.status is SendStatus.FAILED for send in chosen)
    if not failed:
        return RunStatus.SUCCEEDED, False
    return (RunStatus.FAILED if failed == len(chosen) else RunStatus.PARTIAL), False
