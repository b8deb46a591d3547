"""`python -m bench [NAME...]`: run the benchmarks, print a table, write bench/results.json.

Names: cycle, scale, cold, pacing, cost, api, audit (all by default). cycle, cold and api show "before"
(the commit BENCH_BASELINE, default df7051a; `none` to skip it) and "after" (this checkout) side
by side, measured in the same run (bench/baseline.py). Knobs (environment):
BENCH_SIZES (charters, default 1000,10000,100000), BENCH_CYCLE_RUNS (20), BENCH_COLD_RUNS (9),
BENCH_API_SECONDS (per route, default 10), BENCH_LOAD=api (bulk-load charters through
BatchWriteItem rather than straight into moto), BENCH_FULL_SCAN_MAX (largest table the naive
Scan is timed on, default 10000: beyond, it is estimated per item, since moto spends ~3 ms an item
and 100,000 would take 5-8 minutes; set 100000 to measure it), BENCH_OUT (default bench/results.json).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from . import baseline
from .machine import describe

ORDER = ("cycle", "cold", "pacing", "api", "scale", "cost", "audit")
MODULES = {
    "cycle": "bench.full_cycle",
    "cold": "bench.cold_start",
    "pacing": "bench.pacing",
    "api": "bench.api",
    "scale": "bench.scale",
    "cost": "bench.cost",
    "audit": "bench.audit",
}
RESULTS = Path(__file__).resolve().parent / "results.json"


def options_from(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of {', '.join(ORDER)}")
    options = parser.parse_args(argv)
    unknown = sorted(set(options.names) - set(ORDER))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    env = os.environ
    options.names = options.names or list(ORDER)
    options.sizes = [int(size) for size in env.get("BENCH_SIZES", "1000,10000,100000").split(",") if size]
    options.cycle_runs = int(env.get("BENCH_CYCLE_RUNS", "20"))
    options.cold_runs = int(env.get("BENCH_COLD_RUNS", "9"))
    options.api_seconds = float(env.get("BENCH_API_SECONDS", "10"))
    options.load_through_api = env.get("BENCH_LOAD", "") == "api"
    options.full_scan_max = int(env.get("BENCH_FULL_SCAN_MAX", "10000"))
    options.out = Path(env.get("BENCH_OUT", str(RESULTS)))
    options.say = lambda line: print(line, flush=True)
    return options


def main(argv: list[str] | None = None) -> int:
    options = options_from(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.ERROR)  # the app's INFO lines would bury the figures
    started = time.perf_counter()
    results: dict = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": describe(),
        "benchmarks": {},
    }
    table: list[tuple[str, str]] = []
    failed: list[str] = []
    with baseline.workdir() as workdir:  # the baseline's export and both zips, removed at the end
        options.workdir = workdir
        for name in [name for name in ORDER if name in options.names]:
            module = importlib.import_module(MODULES[name])
            options.say(f"== {name} ...")
            begun = time.perf_counter()
            try:
                result = module.run(options) if name != "cost" else module.run(options, results["benchmarks"])
            except Exception as error:  # one broken benchmark must not lose the others' figures
                logging.getLogger("bench").exception("benchmark %s failed", name)
                result, failed = {"error": f"{type(error).__name__}: {error}"}, [*failed, name]
            result["bench_seconds"] = round(time.perf_counter() - begun, 1)
            results["benchmarks"][name] = result
            shown = [(name, f"FAILED: {result['error']}")] if "error" in result else module.rows(result)
            table.extend(shown)
            options.say(f"   {name} done in {result['bench_seconds']} s")
    results["trees"] = {tree.label: tree.name for tree in getattr(options, "trees", None) or []}
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    print_table(results, table)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n")
    print(f"\nwritten to {options.out}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def print_table(results: dict, table: list[tuple[str, str]]) -> None:
    machine = results["machine"]
    print(
        f"\nShip Captain Crew benchmarks — {machine['cpu']}, {machine['cpus']} CPUs, "
        f"{machine['memory_gb']} GB, Python {machine['python']}"
    )
    width = max(len(label) for label, _ in table)
    print("-" * (width + 60))
    for label, value in table:
        print(f"{label.ljust(width)}  {value}")
    print("-" * (width + 60))
    if results.get("trees"):
        print("; ".join(f"{label}: {name}" for label, name in results["trees"].items()))
    print(f"total {results['total_seconds']} s")


if __name__ == "__main__":
    sys.exit(main())
