"""Each report's recorded outcomes: the catalogue's last status and "last sent", and the figures
of the previous sent report (for "since last report").

The snapshots table holds, per report, two sort-key families: `attempt#<time>#<run>` (every
outcome) and `sent#<time>#<run>` (sent reports only, with their figures). Beside them, one
partition `#latest` holds an item per report with its newest status and sent time, so the
catalogue reads every report's last outcome with one Query, whatever the number of reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from botocore.exceptions import ClientError

from .host import items
from .runs.records import ReportSend, SendStatus

LATEST = "#latest"
# A dry run renders and archives but is not an outcome: it never changes "last sent"/"last status".
RECORDED = frozenset({SendStatus.SENT, SendStatus.FAILED})


@dataclass(frozen=True)
class LastOutcome:
    """What the catalogue shows of a report's history."""

    last_status: str | None = None
    last_sent_at: str | None = None


class OutcomeStore:
    """Read and write the snapshots table."""

    def __init__(self, dynamodb, *, table: str):
        self._db = dynamodb
        self._table = table

    def record(self, run_id: str, sends: Mapping[str, ReportSend], *, now: datetime) -> None:
        """Record each report of a run that was sent or failed for good (dry runs are not outcomes)."""
        stamp = now.isoformat(timespec="seconds")
        for report_id, send in sends.items():
            if send.status not in RECORDED:
                continue
            at = send.sent_at or stamp
            for family in ["attempt"] + (["sent"] if send.status is SendStatus.SENT else []):
                item = {"report_id": report_id, "sent_at": f"{family}#{at}#{run_id}", "run_id": run_id}
                item |= {"status": send.status.value, "at": at}
                if family == "sent" and send.metrics:
                    item["metrics"] = dict(send.metrics)
                self._db.put_item(TableName=self._table, Item=items.to_item(item))
            self._remember_latest(report_id, send.status, at)

    def _remember_latest(self, report_id: str, status: SendStatus, at: str) -> None:
        """Keep the report's newest outcome where the catalogue's one Query finds it."""
        sets = ["last_status = :status", "status_at = :at"]
        if status is SendStatus.SENT:
            sets.append("last_sent_at = :at")
        self._db.update_item(
            TableName=self._table,
            Key={"report_id": {"S": LATEST}, "sent_at": {"S": report_id}},
            UpdateExpression="SET " + ", ".join(sets),
            ExpressionAttributeValues={":status": {"S": status.value}, ":at": {"S": at}},
        )

    def last(self, report_ids: list[str]) -> dict[str, LastOutcome]:
        """Return each report's last status and last sent time (one Query for all of them)."""
        found: dict[str, LastOutcome] = {}
        pages = self._db.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="report_id = :latest",
            ExpressionAttributeValues={":latest": {"S": LATEST}},
        )
        for page in pages:
            for raw in page["Items"]:
                item = items.from_item(raw)
                found[item["sent_at"]] = LastOutcome(item.get("last_status"), item.get("last_sent_at"))
        return {report_id: found.get(report_id) or self._from_history(report_id) for report_id in report_ids}

    def _from_history(self, report_id: str) -> LastOutcome:
        """Read a report's last outcome from its own records (those kept before `#latest` existed)
        once, and keep it under `#latest`, so the next catalogue needs only the one Query."""
        attempt, sent = self._newest(report_id, "attempt#"), self._newest(report_id, "sent#")
        found = LastOutcome(attempt["status"] if attempt else None, sent["at"] if sent else None)
        seen = {"last_status": found.last_status, "last_sent_at": found.last_sent_at}
        kept = {name: value for name, value in seen.items() if value is not None}
        try:
            self._db.put_item(
                TableName=self._table,
                Item=items.to_item({"report_id": LATEST, "sent_at": report_id, **kept}),
                ConditionExpression="attribute_not_exists(report_id)",  # never over a newer outcome
            )
        except ClientError as error:
            if not items.is_conditional_failure(error):
                raise
        return found

    def previous_sent(self, report_id: str) -> dict | None:
        """Return the last sent record of a report (`{"at", "metrics", ...}`), for "since last report"."""
        return self._newest(report_id, "sent#")

    def _newest(self, report_id: str, family: str) -> dict | None:
        response = self._db.query(
            TableName=self._table,
            KeyConditionExpression="report_id = :r AND begins_with(sent_at, :f)",
            ExpressionAttributeValues={":r": {"S": report_id}, ":f": {"S": family}},
            ScanIndexForward=False,
            Limit=1,
        )
        return items.from_item(response["Items"][0]) if response["Items"] else None
