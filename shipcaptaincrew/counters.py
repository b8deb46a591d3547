"""Aggregate counters kept current on every write, so reports read live counts in O(1).

All counts live as top-level numeric attributes of one item (DynamoDB's ADD works only on
top-level attributes): `status#<status>`, `active#<YYYY-MM-DD>` (open charters by date, so
"upcoming" can be summed from today on without a Scan), `role#<role>`, `checklist_done` and
`checklist_total`. Writers compute a delta with the same functions `reconcile` sums over a
Scan, so the two cannot disagree by construction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from .storage import items

AGGREGATE_KEY = "aggregates"
OPEN_STATUSES = frozenset({"inquiry", "hold", "booked"})


def event_contribution(event: dict | None) -> Counter:
    """Return what one charter adds to the counters (nothing for None)."""
    counts: Counter = Counter()
    if not event:
        return counts
    counts[f"status#{event['status']}"] += 1
    if event["status"] in OPEN_STATUSES:
        counts[f"active#{event['date']}"] += 1
    if event["status"] != "cancelled":
        checklist = event.get("checklist", [])
        counts["checklist_total"] += len(checklist)
        counts["checklist_done"] += sum(1 for item in checklist if item.get("done"))
    return counts


def user_contribution(user: dict | None) -> Counter:
    """Return what one user adds to the counters (nothing for None)."""
    return Counter({f"role#{user['role']}": 1}) if user else Counter()


def difference(before: Counter, after: Counter) -> dict[str, int]:
    """Return after - before, keeping negative values and dropping zeros."""
    keys = set(before) | set(after)
    return {key: after[key] - before[key] for key in sorted(keys) if after[key] != before[key]}


def update_operation(table: str, delta: dict[str, int]) -> dict | None:
    """Return the TransactWriteItems `Update` that applies `delta`, or None when empty."""
    if not delta:
        return None
    names = {f"#a{i}": key for i, key in enumerate(delta)}
    values = {f":v{i}": items.value(amount) for i, amount in enumerate(delta.values())}
    expression = "ADD " + ", ".join(f"#a{i} :v{i}" for i in range(len(delta)))
    return {
        "Update": {
            "TableName": table,
            "Key": {"name": {"S": AGGREGATE_KEY}},
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


@dataclass(frozen=True)
class LiveCounts:
    """The live operating counts reports show, as SPEC section 3's `live` object."""

    events_by_status: dict[str, int]
    upcoming_charters: int
    users_by_role: dict[str, int]
    checklist_completion: float | None

    def as_dict(self) -> dict:
        """Return the JSON shape of `live`."""
        return {
            "events_by_status": self.events_by_status,
            "upcoming_charters": self.upcoming_charters,
            "users_by_role": self.users_by_role,
            "checklist_completion": self.checklist_completion,
        }


def live_counts(aggregate: dict, today: date) -> LiveCounts:
    """Derive the live counts from the aggregate item as of `today` (in the business's zone)."""
    by_prefix: dict[str, dict[str, int]] = {"status": {}, "active": {}, "role": {}}
    for key, amount in aggregate.items():
        prefix, sep, rest = key.partition("#")
        if sep and prefix in by_prefix and int(amount):
            by_prefix[prefix][rest] = int(amount)
    total = int(aggregate.get("checklist_total", 0))
    done = int(aggregate.get("checklist_done", 0))
    return LiveCounts(
        events_by_status=dict(sorted(by_prefix["status"].items())),
        upcoming_charters=sum(n for day, n in by_prefix["active"].items() if day >= today.isoformat()),
        users_by_role=dict(sorted(by_prefix["role"].items())),
        checklist_completion=round(done / total, 4) if total else None,
    )


class CounterStore:
    """Read the aggregate item, and rebuild it from a Scan for `reconcile`."""

    def __init__(self, dynamodb, *, table: str, events_table: str, users_table: str):
        self._db = dynamodb
        self._table = table
        self._events_table = events_table
        self._users_table = users_table

    def read(self) -> dict[str, int]:
        """Return the stored counters (one GetItem, whatever the number of charters)."""
        response = self._db.get_item(
            TableName=self._table, Key={"name": {"S": AGGREGATE_KEY}}, ConsistentRead=True
        )
        stored = items.from_item(response.get("Item")) or {}
        stored.pop("name", None)
        # A counter ADDed back down to 0 stays in the item; leave it out, as recount() does, so
        # the two compare equal when they agree.
        return {key: int(amount) for key, amount in stored.items() if int(amount)}

    def recount(self) -> dict[str, int]:
        """Return the counters recomputed from a full Scan of charters and users."""
        totals: Counter = Counter()
        for event in self._scan(self._events_table):
            totals.update(event_contribution(event))
        for user in self._scan(self._users_table):
            totals.update(user_contribution(user))
        return {key: amount for key, amount in totals.items() if amount}

    def replace(self, counts: dict[str, int]) -> None:
        """Overwrite the aggregate item with `counts` (reconcile --fix)."""
        self._db.put_item(TableName=self._table, Item=items.to_item({"name": AGGREGATE_KEY, **counts}))

    def _scan(self, table: str):
        paginator = self._db.get_paginator("scan")
        for page in paginator.paginate(TableName=table, ConsistentRead=True):
            for raw in page["Items"]:
                yield items.from_item(raw)


def drift(stored: dict[str, int], expected: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Return {counter: (stored, expected)} for every counter that disagrees."""
    keys = set(stored) | set(expected)
    return {
        key: (stored.get(key, 0), expected.get(key, 0))
        for key in sorted(keys)
        if stored.get(key, 0) != expected.get(key, 0)
    }
