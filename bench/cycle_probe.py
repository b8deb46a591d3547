"""The full cycle, measured inside one tree's own process (bench/full_cycle.py runs it, cwd = the tree).

Standalone on purpose: it imports nothing from bench/, only the tree under test, so the same code
measures the baseline commit and this checkout. Loads the knowledge base as the tree's app does
(through `reports.kb.cache.KnowledgeBaseCache` where the tree has it, else `kb.load` every time),
builds every brief and renders every report (subject, text, HTML and the archived JSON).

    python -c "$(cat bench/cycle_probe.py)" cold|warm RUNS LIVE_JSON NOW_ISO
prints one JSON line.
"""

import json
import sys
import time

started = time.perf_counter()

from datetime import datetime  # noqa: E402 - the imports are what a cold cycle pays for

from reports import kb, render  # noqa: E402
from reports.build import build_all  # noqa: E402
from reports.live import Live  # noqa: E402

try:
    from reports.kb.cache import KnowledgeBaseCache
except ImportError:  # the baseline has no cache: its app parses the knowledge base on every call
    KnowledgeBaseCache = None

mode, runs = sys.argv[1], int(sys.argv[2])
live, now = json.loads(sys.argv[3]), datetime.fromisoformat(sys.argv[4])
location = str(kb.DEFAULT_LOCATION)


def reparse():
    return kb.load(location)


app_load = KnowledgeBaseCache(location).load if KnowledgeBaseCache else reparse


def cycle(load) -> int:
    outcomes = build_all(load(), lambda: Live(live), now=now)
    failed = [outcome.report.id for outcome in outcomes if not outcome.ok]
    if failed:
        raise SystemExit(f"reports failed to render: {failed}: {outcomes[0].error}")
    return len(outcomes)


imported = time.perf_counter()
reports = cycle(app_load)
first = time.perf_counter()
result = {
    "reports": reports,
    "imports_ms": (imported - started) * 1000,
    "first_cycle_ms": (first - imported) * 1000,
    "cold_ms": (first - started) * 1000,
    "templates": type(render.environments()[0].loader).__name__,
    "knowledge_base": "KnowledgeBaseCache" if KnowledgeBaseCache else "kb.load every cycle",
}
if mode == "warm":
    for name, load in (("warm", app_load), ("warm_reparsed", reparse)):
        cycle(load)  # warm-up for this way of loading
        times = []
        for _ in range(runs):
            begun = time.perf_counter()
            cycle(load)
            times.append((time.perf_counter() - begun) * 1000)
        result[name] = times
print(json.dumps(result))
