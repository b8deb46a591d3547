"""Generate realistic charters and load them into DynamoDB, keeping the aggregate counters true.

The first `THROUGH_THE_APP` charters go through the app's own store (one transaction each, the
path every real write takes; about 30 ms each on moto, so 100,000 that way would take an hour).
The rest go straight into the moto server's table (its `put_item`, the same items, the same
index), since moto's HTTP path spends about 2 ms an item on parsing and size checks: 100,000
would take four minutes that measure nothing; with BENCH_LOAD=api they go through BatchWriteItem,
25 at a time. The counters are moved with the same `counters.event_contribution` the store uses,
summed and ADDed once per size step:
the items are exactly what the store would have written, and the counters exactly what its
transactions would have added. A Scan-based recount checks the two agree after every size.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import timedelta

from shipcaptaincrew import counters
from shipcaptaincrew.events import model
from shipcaptaincrew.storage import items

THROUGH_THE_APP = 250
BATCH = 25
CHUNK = 1_000
COUNTERS_PER_UPDATE = 40
STATUS_WEIGHTS = {"inquiry": 15, "hold": 10, "booked": 25, "completed": 40, "cancelled": 10}
FAMILIES = ["Rivera", "Nguyen", "Okafor", "Lindqvist"]
TASKS = ["Fuel topped up", "Safety briefing", "Guest list confirmed", "Provisions aboard", "Waiver signed"]


def charter_body(rng: random.Random, today, entity_ids) -> dict:
    """Return one plausible charter as a client would POST it."""
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    day = today + timedelta(days=rng.randint(-700, 365))
    start = rng.randint(6, 18)
    tasks = rng.randint(0, len(TASKS))
    return {
        "title": f"Charter {rng.randint(1, 10**6)} for the {rng.choice(FAMILIES)} party",
        "entity": rng.choice(entity_ids),
        "date": day.isoformat(),
        "start_time": f"{start:02d}:00",
        "end_time": f"{start + rng.randint(2, 5):02d}:00",
        "status": status,
        "contact_email": f"guest{rng.randint(1, 99999)}@example.com",
        "guests": rng.randint(1, 40),
        "price": rng.randint(400, 8000),
        "deposit": rng.randint(0, 400),
        "checklist": [{"text": text, "done": rng.random() < 0.6} for text in TASKS[:tasks]],
    }


class Loader:
    """Grow the events table to a target size, reporting progress on `say`."""

    def __init__(self, app, *, seed: int = 8, say=print, through_api: bool = False):
        self.app = app
        self._backend = None if through_api else _moto_table_backend(app.settings.aws_region)
        self.count = 0
        self._rng = random.Random(seed)
        self._say = say
        self._now = app.now()
        self._today = app.today()
        self._entities = list(app.settings.entity_ids)

    def grow_to(self, target: int) -> float:
        """Add charters until there are `target`; return the seconds it took."""
        started = time.perf_counter()
        while self.count < min(target, THROUGH_THE_APP):
            self.app.events.create(self._body(), actor="bench@example.com", now=self._now)
            self.count += 1
        delta: Counter = Counter()
        while self.count < target:
            size = min(CHUNK, target - self.count)
            charters = [self._charter() for _ in range(size)]
            self._bulk(charters)
            for charter in charters:
                delta.update(counters.event_contribution(charter))
            self.count += size
            if self.count % 10_000 == 0 or self.count == target:
                self._say(f"  loaded {self.count:,} charters ({time.perf_counter() - started:.0f} s)")
        self._move_counters(delta)
        return time.perf_counter() - started

    def _body(self) -> dict:
        return charter_body(self._rng, self._today, self._entities)

    def _charter(self) -> dict:
        event = model.create(
            self._body(), entity_ids=self._entities, actor="bench@example.com", now=self._now
        )
        return {**event, "version": 1}

    def _bulk(self, charters: list[dict]) -> None:
        table = self.app.settings.events_table
        if self._backend is not None:
            for charter in charters:
                self._backend.put_item(table, items.to_item(charter))
            return
        db = self.app.clients.dynamodb
        for start in range(0, len(charters), BATCH):
            pending = {
                table: [{"PutRequest": {"Item": items.to_item(c)}} for c in charters[start : start + BATCH]]
            }
            while pending:
                pending = db.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}

    def _move_counters(self, delta: Counter) -> None:
        """ADD the bulk-loaded charters' contributions, as their transactions would have."""
        db = self.app.clients.dynamodb
        # An UpdateExpression is limited in length (4 KB): move the counters a few dozen at a time.
        moves = sorted(delta.items())
        for start in range(0, len(moves), COUNTERS_PER_UPDATE):
            part = dict(moves[start : start + COUNTERS_PER_UPDATE])
            db.update_item(**counters.update_operation(self.app.settings.counters_table, part)["Update"])


def _moto_table_backend(region: str):
    """Return the in-process moto DynamoDB backend the embedded server serves (None if absent)."""
    try:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends
    except ImportError:
        return None
    return dynamodb_backends[DEFAULT_ACCOUNT_ID][region]
