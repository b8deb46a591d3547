"""Full cycle: load the sample portfolio and render every report, before and after, side by side.

Cold: a new interpreter per run, timed from before its first import of the app to the end of its
first cycle (imports, knowledge base loaded, briefs built, 8 reports rendered with their JSON), on
the app files from the tree's deployment zip, after one unmeasured run that writes the .pyc files.
The same again on a copy that never gets a .pyc, as in Lambda (the zip carries none and /var/task
is read-only, so CPython compiles every module of the app, and the compiled templates, on each
cold start). Warm: the cycle repeated in one process, loading the knowledge base as the tree's
app does (cached and revalidated where the tree has `KnowledgeBaseCache`), and, for comparison,
re-parsing it every cycle. Runs of the two trees alternate, so load on the machine hits both.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from . import baseline
from .stats import summary_ms

# Live counts as a report run would read them (fixed, so every cycle renders the same thing).
LIVE = {
    "events_by_status": {"booked": 2, "cancelled": 1, "completed": 2, "hold": 1, "inquiry": 2},
    "upcoming_charters": 5,
    "users_by_role": {"admin": 1, "captain": 1, "crew": 1},
    "checklist_completion": 0.5,
}
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
PROBE = (Path(__file__).resolve().parent / "cycle_probe.py").read_text()
GOALS = {"cold": 200.0, "warm": 50.0}


def probe(app: Path, mode: str, runs: int = 0, *, bytecode: bool = True) -> dict:
    """Run bench/cycle_probe.py in a new interpreter on the tree at `app`; return its figures."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(app)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    begun = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode, str(runs), json.dumps(LIVE), NOW.isoformat()],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the cycle probe failed in {app}:\n{done.stderr.strip()[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_ms"] = (time.perf_counter() - begun) * 1000
    return result


def run(options) -> dict:
    trees = baseline.trees(options)
    cold_runs, warm_runs = max(3, options.cold_runs), options.cycle_runs
    pristine = {tree.label: baseline.pristine_copy(tree, options.workdir) for tree in trees}
    for tree in trees:
        probe(tree.app, "cold")  # writes the .pyc files; not a cold start
    cold: dict[str, list[dict]] = {tree.label: [] for tree in trees}
    no_pyc: dict[str, list[dict]] = {tree.label: [] for tree in trees}
    for _ in range(cold_runs):
        for tree in trees:
            cold[tree.label].append(probe(tree.app, "cold"))
            if pristine[tree.label]:
                no_pyc[tree.label].append(probe(pristine[tree.label], "cold", bytecode=False))
    warm = {tree.label: probe(tree.app, "warm", warm_runs) for tree in trees}
    result = {"trees": {}, "goals_ms": GOALS}
    for tree in trees:
        runs, first = cold[tree.label], cold[tree.label][0]
        result["trees"][tree.label] = {
            "tree": tree.name,
            "app": "deployment zip" if tree.app != tree.root else "source tree (packaging failed)",
            "reports": first["reports"],
            "templates": first["templates"],
            "knowledge_base": first["knowledge_base"],
            "cold": summary_ms([r["cold_ms"] / 1000 for r in runs]),
            "cold_imports_median_ms": round(statistics.median(r["imports_ms"] for r in runs), 1),
            "cold_first_cycle_median_ms": round(statistics.median(r["first_cycle_ms"] for r in runs), 1),
            "cold_whole_process": summary_ms([r["process_ms"] / 1000 for r in runs]),
            "cold_no_pyc": (
                summary_ms([r["cold_ms"] / 1000 for r in no_pyc[tree.label]]) if no_pyc[tree.label] else None
            ),
            "warm": summary_ms([ms / 1000 for ms in warm[tree.label]["warm"]]),
            "warm_reparsed": summary_ms([ms / 1000 for ms in warm[tree.label]["warm_reparsed"]]),
        }
    return result


def _median(figures: dict, key: str) -> dict[str, str]:
    return {
        label: f"{tree[key]['median_ms']:,.0f} ms" if tree[key] else "n/a" for label, tree in figures.items()
    }


def rows(result: dict) -> list[tuple[str, str]]:
    trees = result["trees"]
    any_tree = next(iter(trees.values()))
    cold_runs, warm_runs = any_tree["cold"]["runs"], any_tree["warm"]["runs"]
    templates = {label: tree["templates"].replace("Loader", "") for label, tree in trees.items()}
    split = {
        label: f"{tree['cold_imports_median_ms']:.0f} + {tree['cold_first_cycle_median_ms']:.0f} ms"
        for label, tree in trees.items()
    }
    kb = {label: tree["knowledge_base"] for label, tree in trees.items()}
    reparsed = _median(trees, "warm_reparsed")
    whole, no_pyc = _median(trees, "cold_whole_process"), _median(trees, "cold_no_pyc")
    return [
        (
            f"full cycle, cold, new process ({any_tree['reports']} reports; median of {cold_runs})",
            baseline.side_by_side(_median(trees, "cold"), f"goal <= {GOALS['cold']:.0f} ms"),
        ),
        ("  of which imports + first cycle", baseline.side_by_side(split)),
        ("  templates from", baseline.side_by_side(templates)),
        ("  whole process (interpreter start to exit)", baseline.side_by_side(whole)),
        ("  same, no .pyc for the app (as in Lambda)", baseline.side_by_side(no_pyc)),
        (
            f"full cycle, warm (median of {warm_runs})",
            baseline.side_by_side(_median(trees, "warm"), f"goal <= {GOALS['warm']:.0f} ms"),
        ),
        ("  knowledge base", baseline.side_by_side(kb)),
        ("  same, knowledge base re-parsed every cycle", baseline.side_by_side(reparsed)),
    ]
