"""API: latency of GET /api/reports and GET /api/events warm (one client, before and after), and
requests per second with 8 clients (after).

The local server (`python -m shipcaptaincrew serve --port 0`, embedded AWS stand-in, sample
data) runs in its own process on loopback; the admin signs in through the printed link. Warm:
after a few calls, one client calls each route WARM_CALLS times in a row, on each tree's server
(bench/baseline.py), so the figure is the route's own time plus loopback HTTP, not queueing. Load:
8 threads, each opening a connection per request as a browser's fetch might, call one route for
BENCH_API_SECONDS (10 s by default, a minute at most) on this checkout's server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import baseline
from .stats import percentile, summary_ms

CLIENTS = 8
ROUTES = ("/api/events", "/api/reports")
MAX_SECONDS = 60
WARM_CALLS = 30
GOAL_MS = 30.0  # GET /api/reports, warm
ROOT = Path(__file__).resolve().parent.parent


def start_server(workdir: Path, root: Path = ROOT) -> tuple[subprocess.Popen, str, str]:
    """Start `root`'s local server; return (process, base URL, sign-in token from the printed link)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "shipcaptaincrew", "serve", "--host", "127.0.0.1", "--port", "0"],
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(root), "MAGIC_LINK_MIN_SECONDS": "0"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    base = link = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (base is None or link is None):
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("ready "):
            base = line.split()[1]
        match = re.search(r"#token=([A-Za-z0-9_-]+)", line)
        if match:
            link = match.group(1)
    if base is None or link is None:
        process.kill()
        raise RuntimeError("the local server did not print its ready line and sign-in link")
    return process, base, link


def call(base: str, method: str, path: str, body=None, token: str | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def sign_in(base: str, link_token: str) -> str:
    status, body = call(base, "POST", "/api/auth/verify", {"token": link_token})
    if status != 200:
        raise RuntimeError(f"sign-in failed: {status} {body[:200]!r}")
    return json.loads(body)["token"]


def hammer(base: str, path: str, token: str, seconds: float) -> dict:
    """Call GET `path` from CLIENTS threads for `seconds`; return throughput and latency."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        mine, bad = [], []
        while time.monotonic() < stop:
            started = time.perf_counter()
            status, _ = call(base, "GET", path, token=token)
            mine.append(time.perf_counter() - started)
            if status != 200:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": len(errors),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(ordered) / elapsed, 1),
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 1),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 1),
    }


def sequential(base: str, path: str, token: str, calls: int) -> dict:
    """Call GET `path` `calls` times in a row from one client; return the latency summary."""
    latencies, errors = [], 0
    for _ in range(calls):
        started = time.perf_counter()
        status, _ = call(base, "GET", path, token=token)
        latencies.append(time.perf_counter() - started)
        errors += status != 200
    return {**summary_ms(latencies), "errors": errors}


def run(options) -> dict:
    seconds = min(options.api_seconds, MAX_SECONDS)
    warm: dict[str, dict] = {}
    routes: dict[str, dict] = {}
    for tree in baseline.trees(options):
        with tempfile.TemporaryDirectory() as workdir:
            process, base, link = start_server(Path(workdir), tree.root)
            try:
                token = sign_in(base, link)
                for path in ROUTES:  # warm-up: first-use imports, clients, caches
                    for _ in range(3):
                        call(base, "GET", path, token=token)
                warm[tree.label] = {path: sequential(base, path, token, WARM_CALLS) for path in ROUTES}
                if tree.label == "after":
                    routes = {path: hammer(base, path, token, seconds) for path in ROUTES}
            finally:
                process.terminate()
                process.wait(timeout=30)
    return {
        "warm_calls": WARM_CALLS,
        "warm": warm,
        "clients": CLIENTS,
        "seconds_per_route": seconds,
        "routes": routes,
    }


def rows(result: dict) -> list[tuple[str, str]]:
    warm = [
        (
            f"GET {path}, warm, one client (median of {result['warm_calls']})",
            baseline.side_by_side(
                {label: f"{by_path[path]['median_ms']:.0f} ms" for label, by_path in result["warm"].items()},
                f"goal <= {GOAL_MS:.0f} ms" if path == "/api/reports" else "",
            ),
        )
        for path in ROUTES
    ]
    return [
        *warm,
        *[
            (
                f"GET {path}, {result['clients']} clients (after)",
                f"{r['requests_per_second']} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms "
                f"({r['requests']} requests, {r['errors']} errors, {r['seconds']} s)",
            )
            for path, r in result["routes"].items()
        ],
    ]
