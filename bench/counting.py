"""Count what DynamoDB calls read and write, with botocore event hooks on a client.

moto answers ReturnConsumedCapacity with placeholder figures (a Scan of 100,000 items "costs"
one unit), so the benchmarks count the items each call returns instead, and estimate the read
units real DynamoDB would charge from the items' sizes (4 KB per unit, strongly consistent).
"""

from __future__ import annotations

import copy
import json
import math
import threading
from collections import Counter
from dataclasses import dataclass, field

READ_UNIT_BYTES = 4096


def item_bytes(item: dict) -> int:
    """Return an item's approximate DynamoDB size: attribute names plus their encoded values."""
    return sum(len(name) + len(json.dumps(value, separators=(",", ":"))) for name, value in item.items())


@dataclass
class Tally:
    """Items read and written by the calls seen so far, by operation and table."""

    calls: Counter = field(default_factory=Counter)
    items_read: Counter = field(default_factory=Counter)
    read_units: Counter = field(default_factory=Counter)
    writes: Counter = field(default_factory=Counter)

    @property
    def total_items_read(self) -> int:
        return sum(self.items_read.values())

    @property
    def total_read_units(self) -> float:
        return sum(self.read_units.values())

    @property
    def total_writes(self) -> int:
        return sum(self.writes.values())

    def as_dict(self) -> dict:
        return {
            "calls": dict(self.calls),
            "items_read": dict(self.items_read),
            "items_read_total": self.total_items_read,
            "read_units_estimate": round(self.total_read_units, 1),
            "items_written": dict(self.writes),
            "items_written_total": self.total_writes,
        }


class ReadCounter:
    """Attach to a DynamoDB client; `tally()` gives what was read since the last `reset()`."""

    def __init__(self, client):
        self._lock = threading.Lock()
        self._tally = Tally()
        client.meta.events.register("provide-client-params.dynamodb", self._before_call)
        client.meta.events.register("after-call.dynamodb", self._after_call)

    def reset(self) -> None:
        with self._lock:
            self._tally = Tally()

    def tally(self) -> Tally:
        """Return a copy of what was counted since the last reset."""
        with self._lock:
            return copy.deepcopy(self._tally)

    @staticmethod
    def _before_call(params=None, context=None, model=None, **_):
        params = params or {}
        context["bench_table"] = params.get("TableName", "")
        context["bench_writes"] = _items_written(model.name, params)

    def _after_call(self, parsed=None, model=None, context=None, **_):
        operation, context = model.name, context or {}
        found = _items_in(operation, parsed or {}, context.get("bench_table", ""))
        with self._lock:
            self._tally.calls[operation] += 1
            for table, rows in found.items():
                key = f"{operation} {table}"
                # A Scan or Query reads (and is charged for) every item it looks at, returned or not.
                self._tally.items_read[key] += (parsed or {}).get("ScannedCount", len(rows))
                size = sum(item_bytes(row) for row in rows)
                self._tally.read_units[key] += math.ceil(size / READ_UNIT_BYTES) if rows else 0
            for table, count in context.get("bench_writes", {}).items():
                self._tally.writes[f"{operation} {table}"] += count


def _items_in(operation: str, parsed: dict, table: str) -> dict[str, list[dict]]:
    """Return {table: items} a read call returned."""
    if operation == "GetItem":
        return {table: [parsed["Item"]] if parsed.get("Item") else []}
    if operation in {"Query", "Scan"}:
        return {table: parsed.get("Items", [])}
    if operation == "BatchGetItem":
        return dict(parsed.get("Responses", {}))
    return {}


def _items_written(operation: str, params: dict) -> dict[str, int]:
    """Return {table: items} a write call asks to write (a transaction's items each count)."""
    if operation in {"PutItem", "UpdateItem", "DeleteItem"}:
        return {params.get("TableName", ""): 1}
    if operation == "BatchWriteItem":
        return {table: len(requests) for table, requests in params.get("RequestItems", {}).items()}
    if operation == "TransactWriteItems":
        written: Counter = Counter()
        for entry in params.get("TransactItems", []):
            for action in entry.values():
                written[action.get("TableName", "")] += 1
        return dict(written)
    return {}
