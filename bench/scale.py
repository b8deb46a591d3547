"""Live counts at scale: the aggregate counters against a Scan, at 1,000 / 10,000 / 100,000 charters.

For each size, on the same moto table: the items read and the time of the live counts a report
run reads (one GetItem of the aggregate item), of a Scan-based count computing the same figures
(the naive way: every charter read), and of a whole dry report run (every DynamoDB read it makes:
runs, deliveries, recipients, history and the live counts). The naive Scan is timed up to
BENCH_FULL_SCAN_MAX charters; beyond, moto's 2-5 ms per item would take most of make bench's
ten minutes, so its time is estimated from the largest size measured (its items read are exact:
a Scan reads every item).
"""

from __future__ import annotations

import math
import statistics
import tempfile
import time
from pathlib import Path

from shipcaptaincrew.counters import live_counts

from .charters import THROUGH_THE_APP, Loader
from .counting import READ_UNIT_BYTES, ReadCounter, item_bytes
from .stack import embedded_app

LIVE_REPEATS = 20
USERS_BY_EMAIL = (("admin@example.com", "admin"), ("captain@example.com", "captain"))
USERS = len(USERS_BY_EMAIL)
_SCAN_RATE: list[float] = []  # seconds per item of the full Scans measured so far


def run(options) -> dict:
    sizes = options.sizes
    results = []
    with tempfile.TemporaryDirectory() as workdir, embedded_app(Path(workdir)) as app:
        counter = ReadCounter(app.clients.dynamodb)
        for email, role in USERS_BY_EMAIL:
            app.users.ensure(email, role, now=app.now())
        loader = Loader(app, say=options.say, through_api=options.load_through_api)
        for size in sizes:
            options.say(f"  growing the events table to {size:,} charters")
            load_seconds = loader.grow_to(size)
            results.append(
                {
                    "charters": size,
                    "load_seconds": round(load_seconds, 1),
                    **_measure(app, counter, size, options.full_scan_max),
                }
            )
            latest = results[-1]
            options.say(
                f"  {size:,}: counters {latest['counters']['items_read']} item, "
                f"Scan {latest['scan']['items_read']:,} items in {latest['scan']['seconds']} s"
                + ("" if latest["scan"]["measured"] else " (estimated)")
            )
    method = "BatchWriteItem" if options.load_through_api else "moto's put_item, in-process"
    return {"through_the_app": THROUGH_THE_APP, "bulk_load": method, "sizes": results}


def _measure(app, counter: ReadCounter, size: int, full_scan_max: int) -> dict:
    today = app.today()
    times = []
    for _ in range(LIVE_REPEATS):
        counter.reset()
        started = time.perf_counter()
        from_counters = app.live_counts()
        times.append(time.perf_counter() - started)
    counters_read = counter.tally()
    aggregate = app.clients.dynamodb.get_item(
        TableName=app.settings.counters_table, Key={"name": {"S": "aggregates"}}
    )["Item"]

    full_item_bytes = _mean_charter_bytes(app)
    counted = size + USERS
    if size <= full_scan_max:
        counter.reset()
        started = time.perf_counter()
        from_scan = live_counts(scan_counts(app), today)
        scan_seconds, scan_measured = time.perf_counter() - started, True
        scan_read_items = counter.tally().total_items_read
        if from_scan != from_counters:
            raise RuntimeError(f"the counters disagree with a recount: {from_counters} != {from_scan}")
        _SCAN_RATE.append(scan_seconds / counted)
    else:  # moto spends 2-5 ms serialising each item: estimate from the largest size measured
        scan_seconds, scan_measured, scan_read_items = _SCAN_RATE[-1] * counted, False, counted

    counter.reset()
    started = time.perf_counter()
    summary = _dry_run(app)
    run_seconds = time.perf_counter() - started
    run_read = counter.tally()
    return {
        "counters": {
            "items_read": counters_read.total_items_read,
            "read_units_estimate": counters_read.total_read_units,
            "aggregate_item_bytes": item_bytes(aggregate),
            "aggregate_attributes": len(aggregate) - 1,
            "median_ms": round(statistics.median(times) * 1000, 2),
        },
        "scan": {
            "items_read": scan_read_items,
            "mean_item_bytes": round(full_item_bytes),
            # A Scan is charged for whole items (4 KB a unit, strongly consistent), whatever it projects.
            "read_units_estimate": math.ceil(scan_read_items * full_item_bytes / READ_UNIT_BYTES),
            "seconds": round(scan_seconds, 2),
            "measured": scan_measured,
        },
        "report_run": {
            "reports": len(summary["reports"]),
            "items_read": run_read.total_items_read,
            "by_call": dict(sorted(run_read.items_read.items())),
            "seconds": round(run_seconds, 2),
        },
        "live": from_counters.as_dict(),
    }


def _mean_charter_bytes(app) -> float:
    sample = app.clients.dynamodb.scan(TableName=app.settings.events_table, Limit=200)["Items"]
    return sum(item_bytes(item) for item in sample) / max(1, len(sample))


def scan_counts(app) -> dict[str, int]:
    """Count the naive way: Scan every charter and user, reading only the attributes counted.

    (DynamoDB charges a Scan for the whole of every item it reads, whatever the projection.)
    """
    from collections import Counter

    from shipcaptaincrew.counters import event_contribution, user_contribution
    from shipcaptaincrew.storage import items

    db, totals = app.clients.dynamodb, Counter()
    for table, attributes, contribution in (
        (app.settings.events_table, ["status", "date", "checklist"], event_contribution),
        (app.settings.users_table, ["role"], user_contribution),
    ):
        names = {f"#a{i}": name for i, name in enumerate(attributes)}
        for page in db.get_paginator("scan").paginate(
            TableName=table, ProjectionExpression=", ".join(names), ExpressionAttributeNames=names
        ):
            for raw in page["Items"]:
                totals.update(contribution(items.from_item(raw)))
    return {key: amount for key, amount in totals.items() if amount}


def _dry_run(app) -> dict:
    from reports.plugin import send_reports

    summary = send_reports(app, {"dry_run": True}, app.deadline())
    if summary.get("status") != "succeeded":
        raise RuntimeError(f"the dry run did not succeed: {summary}")
    return summary


def rows(result: dict) -> list[tuple[str, str]]:
    out = []
    for entry in result["sizes"]:
        counters, scan, run = entry["counters"], entry["scan"], entry["report_run"]
        timing = f"{scan['seconds']} s" if scan["measured"] else f"est. {scan['seconds']:.0f} s"
        out += [
            (
                f"live counts at {entry['charters']:,} charters",
                f"counters: {counters['items_read']} item read "
                f"({counters['aggregate_item_bytes'] / 1024:.1f} KB, "
                f"~{counters['read_units_estimate']:g} RCU) in {counters['median_ms']} ms",
            ),
            (
                "  Scan-based count (naive)",
                f"{scan['items_read']:,} items read (~{scan['read_units_estimate']:,} RCU) in {timing}",
            ),
            (
                "  whole dry report run",
                f"{run['items_read']} items read, {run['seconds']} s ({run['reports']} reports)",
            ),
        ]
    return out
