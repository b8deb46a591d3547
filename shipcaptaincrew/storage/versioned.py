"""Optimistic read-modify-write of one item together with its counter delta, in one transaction.

Every item carries a `version`; a write succeeds only if the version it read is still the
stored one, and the aggregate counters move in the same TransactWriteItems, so counts can
never drift from the items, whatever the concurrency.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable

from botocore.exceptions import ClientError

from .. import counters
from ..errors import Conflict
from . import items

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class VersionedTable:
    """One table whose writes keep the aggregate counters current."""

    def __init__(
        self,
        dynamodb,
        *,
        table: str,
        key: str,
        counters_table: str,
        contribution: Callable[[dict | None], Counter],
    ):
        self._db = dynamodb
        self.table = table
        self._key = key
        self._counters_table = counters_table
        self._contribution = contribution

    def get(self, key_value: str) -> dict | None:
        """Return the item, or None."""
        response = self._db.get_item(
            TableName=self.table, Key={self._key: {"S": key_value}}, ConsistentRead=True
        )
        return items.from_item(response.get("Item"))

    def mutate(self, key_value: str, change: Callable[[dict | None], dict | None]) -> dict | None:
        """Apply `change(old) -> new` (None deletes) atomically with the counters; return new.

        `change` may raise (NotFound, BadRequest...) to abort. A concurrent writer makes the
        transaction fail its condition; we then re-read and re-apply, a bounded number of times.
        """
        for _attempt in range(MAX_ATTEMPTS):
            old = self.get(key_value)
            new = change(old)
            if old is None and new is None:
                return None
            if new is not None:
                new = {**new, "version": int(old["version"]) + 1 if old else 1}
            try:
                self._write(old, new)
                return new
            except ClientError as error:
                if not items.is_conditional_failure(error):
                    raise
                log.info("concurrent write, retrying", extra={"table": self.table})
        raise Conflict("the item changed while we were updating it; please try again")

    def _write(self, old: dict | None, new: dict | None) -> None:
        operations = [self._item_operation(old, new)]
        delta = counters.difference(self._contribution(old), self._contribution(new))
        counter_update = counters.update_operation(self._counters_table, delta)
        if counter_update:
            operations.append(counter_update)
        self._db.transact_write_items(TransactItems=operations)

    def _item_operation(self, old: dict | None, new: dict | None) -> dict:
        if old is None:
            return {
                "Put": {
                    "TableName": self.table,
                    "Item": items.to_item(new),
                    "ConditionExpression": "attribute_not_exists(#k)",
                    "ExpressionAttributeNames": {"#k": self._key},
                }
            }
        condition = {
            "ConditionExpression": "#v = :v",
            "ExpressionAttributeNames": {"#v": "version"},
            "ExpressionAttributeValues": {":v": items.value(old["version"])},
        }
        if new is None:
            return {
                "Delete": {
                    "TableName": self.table,
                    "Key": {self._key: {"S": old[self._key]}},
                    **condition,
                }
            }
        return {"Put": {"TableName": self.table, "Item": items.to_item(new), **condition}}
