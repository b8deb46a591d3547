"""Charters in DynamoDB: each write moves the aggregate counters in the same transaction."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from datetime import datetime

from botocore.exceptions import ClientError

from .. import counters
from ..errors import BadRequest, NotFound
from ..storage import items
from ..storage.versioned import VersionedTable
from . import model

MAX_PAGE = 500


class EventStore:
    """Create, read, list, change and delete charters."""

    def __init__(self, dynamodb, *, table: str, counters_table: str, entity_ids):
        self._db = dynamodb
        self._entity_ids = entity_ids
        self._table = VersionedTable(
            dynamodb,
            table=table,
            key="id",
            counters_table=counters_table,
            contribution=counters.event_contribution,
        )

    def create(self, body: dict, *, actor: str, now: datetime) -> dict:
        """Validate and store a new charter; return it."""
        event = model.create(body, entity_ids=self._entity_ids, actor=actor, now=now)
        return self._table.mutate(event["id"], lambda _old: event)

    def get(self, event_id: str) -> dict:
        """Return one charter or raise NotFound."""
        event = self._table.get(event_id)
        if event is None:
            raise NotFound(f"no charter {event_id!r}")
        return event

    def update(self, event_id: str, body: dict, *, now: datetime) -> dict:
        """Apply a partial update; return the charter as stored."""
        return self._table.mutate(
            event_id,
            lambda old: model.patch(self._exists(old, event_id), body, entity_ids=self._entity_ids, now=now),
        )

    def tick(self, event_id: str, item_id: str, done: bool, *, now: datetime) -> dict:
        """Mark one checklist item; return the charter as stored."""
        return self._table.mutate(
            event_id, lambda old: model.tick(self._exists(old, event_id), item_id, done, now=now)
        )

    def delete(self, event_id: str) -> None:
        """Delete a charter (its counts leave the aggregates with it)."""
        self._table.mutate(event_id, lambda old: self._exists(old, event_id) and None)

    def list(self, *, status: str | None = None, limit: int = 100, cursor: str | None = None):
        """Return (charters sorted by date and time, next cursor); by status uses the index."""
        request = {"TableName": self._table.table, "Limit": min(max(limit, 1), MAX_PAGE)}
        if cursor:
            request["ExclusiveStartKey"] = _decode_cursor(cursor, status)
        if status:
            request.update(
                IndexName="by_status",
                KeyConditionExpression="#s = :s",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":s": items.value(status)},
            )
        try:
            page = self._db.query(**request) if status else self._db.scan(**request)
        except ClientError as error:
            if cursor and error.response["Error"]["Code"] == "ValidationException":
                raise BadRequest("cursor does not fit this listing", field="cursor") from None
            raise
        found = [items.from_item(raw) for raw in page["Items"]]
        found.sort(key=lambda event: (event["date"], event.get("start_time", ""), event["id"]))
        next_key = page.get("LastEvaluatedKey")
        return found, _encode_cursor(next_key) if next_key else None

    def open_by_status(self, status: str) -> Iterator[dict]:
        """Yield every charter with `status` through the status index (no table Scan)."""
        paginator = self._db.get_paginator("query")
        for page in paginator.paginate(
            TableName=self._table.table,
            IndexName="by_status",
            KeyConditionExpression="#s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": items.value(status)},
        ):
            for raw in page["Items"]:
                yield items.from_item(raw)

    @staticmethod
    def _exists(old: dict | None, event_id: str) -> dict:
        if old is None:
            raise NotFound(f"no charter {event_id!r}")
        return old


def _encode_cursor(key: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def _decode_cursor(cursor: str, status: str | None) -> dict:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeError):
        raise BadRequest("cursor is not one this API gave out", field="cursor") from None
    # The key must be exactly what this listing hands out (the index adds status and date), for
    # this status: a cursor from another listing made the embedded DynamoDB answer 500, or
    # silently returned an empty page.
    wanted = {"id", "status", "date"} if status else {"id"}
    valid = (
        isinstance(key, dict)
        and set(key) == wanted
        and all(isinstance(v, dict) and list(v) == ["S"] and isinstance(v["S"], str) for v in key.values())
        and (status is None or key["status"]["S"] == status)
    )
    if not valid:
        raise BadRequest("cursor is not one this API gave out", field="cursor")
    return key
