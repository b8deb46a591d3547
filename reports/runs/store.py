"""Runs and their per-report sends in DynamoDB, claimed with conditional writes.

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
from enum import StrEnum

from botocore.exceptions import BotoCoreError, ClientError

from ..host import items
from .locks import ReportLocks, RunInProgress, is_lock
from .records import ReportSend, Run, RunStatus, SendStatus, millis

log = logging.getLogger(__name__)
RUN_RETENTION = timedelta(days=400)  # runs and sends expire (DynamoDB TTL) after this
# What an attempt decides about a send; `complete_send` writes these and nothing else.
OUTCOME = ("status", "recipients", "subject", "metrics", "archived", "message_id", "error", "sent_at")


def run_id_for(trigger: str, key: str | None) -> str:
    """Return the run id: derived from an idempotency key (so repeats meet), else random."""
    if not key:
        return f"run-{secrets.token_hex(10)}"
    return "run-" + hashlib.sha256(f"{trigger}\x00{key}".encode()).hexdigest()[:20]


class RunStore:
    """The two tables behind runs: `runs` (one item per run) and `sends` (one per report of a run)."""

    def __init__(self, dynamodb, *, runs_table: str, sends_table: str):
        self._db = dynamodb
        self._runs = runs_table
        self._sends = sends_table
        self.locks = ReportLocks(dynamodb, table=runs_table)

    def create(self, run: Run, *, now: datetime) -> tuple[Run, bool]:
        """Store a new run unless one with its id exists; return (the stored run, created?).

        A real run takes its reports' locks in the same transaction: if another real run holds
        one, nothing is written and RunInProgress names that run.
        """
        item = run.to_item() | {
            "status": RunStatus.QUEUED.value,
            "created_at": now.isoformat(timespec="seconds"),
            "expires_at": int((now + RUN_RETENTION).timestamp()),
        }
        put = {
            "TableName": self._runs,
            "Item": items.to_item(item),
            "ConditionExpression": "attribute_not_exists(run_id)",
        }
        if self._with_locks(run, {"Put": put}):
            return Run.from_item(item), True
        return self.get(run.run_id), False  # the same key again: join the run it made

    def _with_locks(self, run: Run, write: dict) -> bool:
        """Write the run item together with its reports' locks (a real run's); False if the run
        item's own condition failed. RunInProgress, writing nothing, if another run holds a lock."""
        locks = [] if run.dry_run else self.locks.puts(run.run_id, run.reports)
        try:
            self._db.transact_write_items(TransactItems=[write, *locks])
            return True
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons") or [{}]
        if reasons[0].get("Code") == "ConditionalCheckFailed":
            return False
        raise RunInProgress(self.locks.holder(run.reports), list(run.reports))

    def get(self, run_id: str) -> Run | None:
        """Return a run, or None."""
        response = self._db.get_item(TableName=self._runs, Key={"run_id": {"S": run_id}}, ConsistentRead=True)
        return _run(response.get("Item"))

    def recent(self, limit: int) -> list[Run]:
        """Return the most recent runs, newest first (a small table: a bounded Scan)."""
        found: list[Run] = []
        for page in self._db.get_paginator("scan").paginate(TableName=self._runs):
            found.extend(_run(raw) for raw in page["Items"] if not is_lock(raw["run_id"]["S"]))
        return sorted(found, key=lambda run: run.created_at, reverse=True)[:limit]

    def claim_run(self, run_id: str, *, now: datetime, lease_until: datetime) -> Run | None:
        """Take the run for processing; None if it is finished or a live holder has it."""
        response = self._conditional(
            TableName=self._runs,
            Key={"run_id": {"S": run_id}},
            UpdateExpression="SET #s = :running, lease_until = :lease, "
            "started_at = if_not_exists(started_at, :started) REMOVE resumable, finished_at",
            ConditionExpression="attribute_exists(run_id) AND (#s = :queued OR "
            "(#s = :running AND lease_until < :now) OR (#s = :partial AND resumable = :yes))",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=_values(
                running=RunStatus.RUNNING,
                queued=RunStatus.QUEUED,
                partial=RunStatus.PARTIAL,
                yes=True,
                lease=millis(lease_until),
                now=millis(now),
                started=now.isoformat(timespec="seconds"),
            ),
            ReturnValues="ALL_NEW",
        )
        return None if response is None else _run(response["Attributes"])

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
                ExpressionAttributeValues=_values(
                    running=RunStatus.RUNNING, ours=millis(lease_until), expired=0
                ),
            )
        except (ClientError, BotoCoreError) as error:
            if not (isinstance(error, ClientError) and items.is_conditional_failure(error)):
                log.warning("run lease not released", extra={"run_id": run_id, "error": str(error)})

    def finish_run(self, run: Run, status: RunStatus, *, now: datetime, resumable: bool = False) -> None:
        """Record the run's outcome and release its lease; give its reports back unless some
        wait to be retried (then the run keeps them, and its key arriving again resumes it)."""
        self._db.update_item(
            TableName=self._runs,
            Key={"run_id": {"S": run.run_id}},
            UpdateExpression="SET #s = :status, finished_at = :now, resumable = :resumable "
            "REMOVE lease_until",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=_values(
                status=status, now=now.isoformat(timespec="seconds"), resumable=resumable
            ),
        )
        if not resumable and not run.dry_run:
            self.locks.release(run.run_id, run.reports)

    def reopen_run(self, run: Run, report_ids: list[str], *, now: datetime) -> Run | None:
        """Queue a finished or stalled run again, its failed sends back to pending (retry); a real
        run takes its reports' locks again. None if the run cannot be retried."""
        for report_id in report_ids:
            self._conditional(
                TableName=self._sends,
                Key=_send_key(run.run_id, report_id),
                UpdateExpression="SET #s = :pending REMOVE lease_until",
                ConditionExpression="#s = :failed",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=_values(pending=SendStatus.PENDING, failed=SendStatus.FAILED),
            )
        update = {
            "TableName": self._runs,
            "Key": {"run_id": {"S": run.run_id}},
            "UpdateExpression": "SET #s = :queued REMOVE finished_at, lease_until, resumable",
            "ConditionExpression": "#s IN (:partial, :failed) OR (#s = :running AND lease_until < :now)",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": _values(
                queued=RunStatus.QUEUED,
                partial=RunStatus.PARTIAL,
                failed=RunStatus.FAILED,
                running=RunStatus.RUNNING,
                now=millis(now),
            ),
        }
        return self.get(run.run_id) if self._with_locks(run, {"Update": update}) else None

    def claim_notice(self, run_id: str) -> bool:
        """Take the right to email the run's failure notice; True only once per run."""
        taken = self._conditional(
            TableName=self._runs,
            Key={"run_id": {"S": run_id}},
            UpdateExpression="SET notice_sent = :yes",
            ConditionExpression="attribute_not_exists(notice_sent)",
            ExpressionAttributeValues=_values(yes=True),
        )
        return taken is not None

    def release_notice(self, run_id: str) -> None:
        """Give back the notice claim (its email could not be sent), so a later finish sends it."""
        self._db.update_item(
            TableName=self._runs, Key={"run_id": {"S": run_id}}, UpdateExpression="REMOVE notice_sent"
        )

    def sends(self, run_id: str) -> dict[str, ReportSend]:
        """Return {report id: send} for a run (one Query)."""
        found = {}
        paginator = self._db.get_paginator("query")
        for page in paginator.paginate(
            TableName=self._sends,
            KeyConditionExpression="run_id = :run",
            ExpressionAttributeValues=_values(run=run_id),
            ConsistentRead=True,
        ):
            for raw in page["Items"]:
                send = ReportSend.from_item(items.from_item(raw))
                found[send.report_id] = send
        return found

    def claim_send(self, run_id: str, report_id: str, *, now: datetime, lease_until: datetime) -> bool:
        """Take one report of a run for sending; False if it is done, failed, or held by a live claimant."""
        taken = self._conditional(
            TableName=self._sends,
            Key=_send_key(run_id, report_id),
            UpdateExpression="SET #s = :in_progress, lease_until = :lease, expires_at = :expires "
            "ADD attempts :one",
            ConditionExpression="attribute_not_exists(report_id) OR #s = :pending OR "
            "(#s = :in_progress AND lease_until < :now)",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=_values(
                in_progress=SendStatus.IN_PROGRESS,
                pending=SendStatus.PENDING,
                lease=millis(lease_until),
                now=millis(now),
                one=1,
                expires=int((now + RUN_RETENTION).timestamp()),
            ),
        )
        return taken is not None

    def complete_send(self, send: ReportSend) -> None:
        """Record a claimed send's outcome (status, message id or error...) and release it.

        Only the outcome's recorded fields are set; an earlier attempt's error stays beside them.
        """
        outcome = {name: value for name, value in send.to_item().items() if name in OUTCOME}
        names = {f"#f{i}": name for i, name in enumerate(outcome)}
        values = {f":v{i}": items.value(value) for i, value in enumerate(outcome.values())}
        self._db.update_item(
            TableName=self._sends,
            Key=_send_key(send.run_id, send.report_id),
            UpdateExpression="SET "
            + ", ".join(f"#f{i} = :v{i}" for i in range(len(outcome)))
            + " REMOVE lease_until",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def _conditional(self, **request) -> dict | None:
        """Run a conditional UpdateItem; None when its condition failed (someone else holds it)."""
        try:
            return self._db.update_item(**request)
        except ClientError as error:
            if items.is_conditional_failure(error):
                return None
            raise


def _run(item: dict | None) -> Run | None:
    return None if item is None else Run.from_item(items.from_item(item))


def _send_key(run_id: str, report_id: str) -> dict:
    return {"run_id": {"S": run_id}, "report_id": {"S": report_id}}


def _values(**values) -> dict:
    """Return ExpressionAttributeValues; statuses are stored as their plain strings."""
    return {
        f":{name}": items.value(value.value if isinstance(value, StrEnum) else value)
        for name, value in values.items()
    }
