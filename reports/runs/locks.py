"""Which real run holds each report: one lock item per report in the runs table.

A real run takes the locks of its reports in the same transaction that creates it, so two
admins clicking Send at once (or a schedule firing during a dashboard send) can never email
the same report twice: the second run is refused with the holder's id. Locks are given back
when the run finishes with nothing left to retry; dry runs take none.
"""

from __future__ import annotations

import logging

from botocore.exceptions import ClientError

from ..host import items

log = logging.getLogger(__name__)
PREFIX = "#lock#"


class RunInProgress(Exception):
    """Raised when another real run holds one of the reports asked for."""

    def __init__(self, run_id: str | None, report_ids: list[str]):
        super().__init__(f"run {run_id} is sending {', '.join(report_ids)}")
        self.run_id = run_id
        self.report_ids = report_ids


def is_lock(key: str) -> bool:
    """Tell a lock (or other bookkeeping item) of the runs table from a run."""
    return key.startswith("#")


class ReportLocks:
    """Lock items of the runs table, keyed `#lock#<report id>`, each naming its holder run."""

    def __init__(self, dynamodb, *, table: str):
        self._db = dynamodb
        self._table = table

    def puts(self, run_id: str, report_ids) -> list[dict]:
        """Return the transaction items taking these reports' locks for `run_id`."""
        return [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": items.to_item({"run_id": PREFIX + report_id, "holder": run_id}),
                    "ConditionExpression": "attribute_not_exists(run_id) OR holder = :me",
                    "ExpressionAttributeValues": {":me": {"S": run_id}},
                }
            }
            for report_id in report_ids
        ]

    def holder(self, report_ids) -> str | None:
        """Return the run holding any of these reports, if one does."""
        for report_id in report_ids:
            item = self._db.get_item(
                TableName=self._table, Key={"run_id": {"S": PREFIX + report_id}}, ConsistentRead=True
            ).get("Item")
            if item:
                return items.from_item(item)["holder"]
        return None

    def release(self, run_id: str, report_ids) -> None:
        """Give back the locks `run_id` holds (a lock taken over by another run is left alone)."""
        for report_id in report_ids:
            try:
                self._db.delete_item(
                    TableName=self._table,
                    Key={"run_id": {"S": PREFIX + report_id}},
                    ConditionExpression="holder = :me",
                    ExpressionAttributeValues={":me": {"S": run_id}},
                )
            except ClientError as error:
                if not items.is_conditional_failure(error):
                    raise
