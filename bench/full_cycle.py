"""Full cycle: load the sample portfolio into the model and render every report, in-process.

Warm: repeated in this process (templates compiled, modules imported). Cold: the first cycle in
a new interpreter, after the imports, so it pays for compiling the templates and importing the
brief and analysis modules the catalogue resolves on first use.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from .stats import summary_ms

# Live counts as a report run would read them (fixed, so every cycle renders the same thing).
LIVE = {
    "events_by_status": {"booked": 2, "cancelled": 1, "completed": 2, "hold": 1, "inquiry": 2},
    "upcoming_charters": 5,
    "users_by_role": {"admin": 1, "captain": 1, "crew": 1},
    "checklist_completion": 0.5,
}
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def one_cycle() -> int:
    """Load the sample knowledge base, build and render every report; return how many rendered."""
    from reports import kb
    from reports.build import build_all
    from reports.live import Live

    loaded = kb.load(str(kb.DEFAULT_LOCATION))
    outcomes = build_all(loaded, lambda: Live(LIVE), now=NOW)
    failed = [outcome.report.id for outcome in outcomes if not outcome.ok]
    if failed:
        raise RuntimeError(f"reports failed to render: {failed}")
    return len(outcomes)


def run(options) -> dict:
    warm_runs, cold_runs = options.cycle_runs, options.cold_runs
    reports = one_cycle()  # warm-up: imports, template compilation
    warm = []
    for _ in range(warm_runs):
        started = time.perf_counter()
        one_cycle()
        warm.append(time.perf_counter() - started)
    cold = [_cold_cycle() for _ in range(cold_runs)]
    return {
        "reports": reports,
        "warm": summary_ms(warm),
        "cold_first_cycle": summary_ms([c["cycle"] for c in cold]),
        "cold_imports": summary_ms([c["imports"] for c in cold]),
    }


COLD_SCRIPT = """
import json, time
started = time.perf_counter()
from bench.full_cycle import one_cycle
imported = time.perf_counter()
one_cycle()
print(json.dumps({"imports": imported - started, "cycle": time.perf_counter() - imported}))
"""


def _cold_cycle() -> dict:
    result = subprocess.run(
        [sys.executable, "-c", COLD_SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def rows(result: dict) -> list[tuple[str, str]]:
    warm, cold = result["warm"], result["cold_first_cycle"]
    return [
        (
            f"full cycle, warm ({result['reports']} reports)",
            f"median {warm['median_ms']} ms (min {warm['min_ms']}, p90 {warm['p90_ms']}, "
            f"max {warm['max_ms']}; {warm['runs']} runs)",
        ),
        (
            "full cycle, cold (first in a new process)",
            f"median {cold['median_ms']} ms (min {cold['min_ms']}, max {cold['max_ms']}; "
            f"{cold['runs']} processes; imports before it {result['cold_imports']['median_ms']} ms)",
        ),
    ]
