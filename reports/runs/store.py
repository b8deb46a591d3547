"""Runs and per-report deliveries in DynamoDB, claimed with conditional writes.

Modelled on the guarantees of AWS Lambda Powertools' idempotency utility: a record is
claimed before the work (`in_progress` with a lease that ends when the claimant's Lambda
invocation would time out), completed after it, and an expired lease can be claimed again,
so a holder that died is resumed by the next attempt while a live one is never doubled.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError

from ..host import items

log = logging.getLogger(__name__)
RUN_RETENTION = timedelta(days=400)  # runs and deliveries expire (DynamoDB TTL) after this
FINISHED = frozenset({"succeeded", "partial", "failed"})
DONE = frozenset({"sent", "dry_run", "skipped"})  # a delivery in one of these is never redone


def run_id_for(trigger: str, key: str | None) -> str:
    """Return the run id: derived from an idempotency key (so repeats meet), else random."""
    if not key:
        return f"run-{secrets.token_hex(10)}"
    return "run-" + hashlib.sha256(f"{trigger}\x00{key}".encode()).hexdigest()[:20]


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class RunStore:
    """The two tables behind runs: `runs` (one item per run) and `deliveries` (one per report)."""

    def __init__(self, dynamodb, *, runs_table: str, sends_table: str):
        self._db = dynamodb
        self._runs = runs_table
        self._deliveries = sends_table

    def create(self, run: dict, *, now: datetime) -> tuple[dict, bool]:
        """Store a new run unless one with its id exists; return (the stored run, created?)."""
        item = {**run, "status": "queued", "created_at": now.isoformat(timespec="seconds")}
        item["expires_at"] = int((now + RUN_RETENTION).timestamp())
        try:
            self._db.put_item(
                TableName=self._runs,
                Item=items.to_item(item),
                ConditionExpression="attribute_not_exists(run_id)",
            )
            return item, True
        except ClientError as error:
            if not items.is_conditional_failure(error):
                raise
        return self.get(run["run_id"]), False

    def get(self, run_id: str) -> dict | None:
        """Return a run, or None."""
        response = self._db.get_item(TableName=self._runs, Key={"run_id": {"S": run_id}}, ConsistentRead=True)
        return items.from_item(response.get("Item"))

    def recent(self, limit: int = 50) -> list[dict]:
        """Return the most recent runs, newest first (a small table: a bounded Scan)."""
        found: list[dict] = []
        for page in self._db.get_paginator("scan").paginate(TableName=self._runs):
            found.extend(items.from_item(raw) for raw in page["Items"])
        return sorted(found, key=lambda run: run["created_at"], reverse=True)[:limit]

    def claim_run(self, run_id: str, *, now: datetime, lease_until: datetime) -> dict | None:
        """Take the run for processing; None if it is finished or a live holder has it."""
        try:
            response = self._db.update_item(
                TableName=self._runs,
                Key={"run_id": {"S": run_id}},
                UpdateExpression="SET #s = :running, lease_until = :lease, "
                "started_at = if_not_exists(started_at, :started)",
                ConditionExpression="attribute_exists(run_id) AND (#s = :queued OR "
                "(#s = :running AND lease_until < :now))",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=_values(
                    running="running",
                    queued="queued",
                    lease=millis(lease_until),
                    now=millis(now),
                    started=now.isoformat(timespec="seconds"),
                ),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if items.is_conditional_failure(error):
                return None
            raise
        return items.from_item(response["Attributes"])

    def release_run(self, run_id: str, *, lease_until: datetime) -> None:
        """End our lease on a running run early (we failed), so the next attempt resumes at once.

        Only our own lease is ended; if even this write fails, the lease simply runs out later.
        """
        try:
            self._db.update_item(
                TableName=self._runs,
                Key={"run_id": {"S": run_id}},
                UpdateExpression="SET lease_until = :expired",
                ConditionExpression="#s = :running AND lease_until = :ours",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=_values(running="running", ours=millis(lease_until), expired=0),
            )
        except (ClientError, BotoCoreError) as error:
            if not (isinstance(error, ClientError) and items.is_conditional_failure(error)):
                log.warning("run lease not released", extra={"run_id": run_id, "error": str(error)})

    def finish_run(self, run_id: str, status: str, *, now: datetime) -> None:
        """Record the run's outcome and release its lease."""
        self._db.update_item(
            TableName=self._runs,
            Key={"run_id": {"S": run_id}},
            UpdateExpression="SET #s = :status, finished_at = :now REMOVE lease_until",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=_values(status=status, now=now.isoformat(timespec="seconds")),
        )

    def reopen_run(self, run_id: str, report_ids: list[str]) -> dict | None:
        """Queue a finished run again and put its failed deliveries back to pending (retry)."""
        for report_id in report_ids:
            self._db.update_item(
                TableName=self._deliveries,
                Key=_delivery_key(run_id, report_id),
                UpdateExpression="SET #s = :pending REMOVE lease_until",
                ConditionExpression="#s = :failed",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=_values(pending="pending", failed="failed"),
            )
        try:
            response = self._db.update_item(
                TableName=self._runs,
                Key={"run_id": {"S": run_id}},
                UpdateExpression="SET #s = :queued REMOVE finished_at, lease_until",
                ConditionExpression="#s IN (:partial, :failed)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=_values(queued="queued", partial="partial", failed="failed"),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if items.is_conditional_failure(error):
                return None
            raise
        return items.from_item(response["Attributes"])

    def claim_notice(self, run_id: str) -> bool:
        """Take the right to email the run's failure notice; True only once per run."""
        try:
            self._db.update_item(
                TableName=self._runs,
                Key={"run_id": {"S": run_id}},
                UpdateExpression="SET notice_sent = :yes",
                ConditionExpression="attribute_not_exists(notice_sent)",
                ExpressionAttributeValues=_values(yes=True),
            )
        except ClientError as error:
            if items.is_conditional_failure(error):
                return False
            raise
        return True

    def deliveries(self, run_id: str) -> dict[str, dict]:
        """Return {report id: delivery} for a run (one Query)."""
        found = {}
        paginator = self._db.get_paginator("query")
        for page in paginator.paginate(
            TableName=self._deliveries,
            KeyConditionExpression="run_id = :run",
            ExpressionAttributeValues=_values(run=run_id),
            ConsistentRead=True,
        ):
            for raw in page["Items"]:
                delivery = items.from_item(raw)
                found[delivery["report_id"]] = delivery
        return found

    def claim_delivery(self, run_id: str, report_id: str, *, now: datetime, lease_until: datetime) -> bool:
        """Take one report of a run for sending; False if it is done, failed, or held by a live claimant."""
        try:
            self._db.update_item(
                TableName=self._deliveries,
                Key=_delivery_key(run_id, report_id),
                UpdateExpression="SET #s = :in_progress, lease_until = :lease, expires_at = :expires "
                "ADD attempts :one",
                ConditionExpression="attribute_not_exists(report_id) OR #s = :pending OR "
                "(#s = :in_progress AND lease_until < :now)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=_values(
                    in_progress="in_progress",
                    pending="pending",
                    lease=millis(lease_until),
                    now=millis(now),
                    one=1,
                    expires=int((now + RUN_RETENTION).timestamp()),
                ),
            )
        except ClientError as error:
            if items.is_conditional_failure(error):
                return False
            raise
        return True

    def complete_delivery(self, run_id: str, report_id: str, outcome: dict) -> None:
        """Record a claimed delivery's outcome (status, message id or error...) and release it."""
        names = {f"#f{i}": key for i, key in enumerate(outcome)}
        values = {
            f":v{i}": items.value(value) for i, value in enumerate(outcome.values()) if value is not None
        }
        sets = [f"#f{i} = :v{i}" for i, value in enumerate(outcome.values()) if value is not None]
        self._db.update_item(
            TableName=self._deliveries,
            Key=_delivery_key(run_id, report_id),
            UpdateExpression="SET " + ", ".join(sets) + " REMOVE lease_until",
            ExpressionAttributeNames={k: v for k, v in names.items() if f":v{k[2:]}" in values},
            ExpressionAttributeValues=values,
        )


def _delivery_key(run_id: str, report_id: str) -> dict:
    return {"run_id": {"S": run_id}, "report_id": {"S": report_id}}


def _values(**values) -> dict:
    return {f":{name}": items.value(value) for name, value in values.items()}
