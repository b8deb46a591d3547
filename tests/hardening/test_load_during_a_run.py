"""Load on the local server while a report run is in progress: 2,000 mixed requests from 16
concurrent clients on loopback. No request fails, and the run still sends each report once."""

from __future__ import annotations

import threading
import time

import pytest
from local_server import Server

REQUESTS = 2_000
CLIENTS = 16
TIME_LIMIT = 300  # seconds for the whole load; far above what it needs, so only a hang trips it
KEY = "load-test-run"


@pytest.fixture
def server(tmp_path):
    """The local server on the embedded stand-in, in its own process."""
    running = Server(tmp_path, MAGIC_LINK_MIN_SECONDS="0")
    yield running
    running.stop()


def mixed_requests(token: str, run_id: str) -> list[tuple[str, str, dict | None, str | None, dict, set]]:
    """One cycle of the mix: (method, path, body, token, headers, statuses that are right)."""
    charter = {"title": "Load sail", "entity": "jada", "date": "2031-06-14", "status": "inquiry"}
    again = {"Idempotency-Key": KEY}
    return [
        ("GET", "/api/events", None, token, {}, {200}),
        ("GET", "/api/me", None, token, {}, {200}),
        ("GET", f"/api/report-runs/{run_id}", None, token, {}, {200}),
        ("POST", "/api/events", charter, token, {}, {201}),
        ("GET", "/", None, None, {}, {200}),
        ("GET", "/api/tasks", None, token, {}, {200}),
        ("GET", "/api/events", None, None, {}, {401}),
        ("OPTIONS", "/api/events", None, None, {}, {204}),
        ("POST", "/api/generate-reports", {}, token, again, {202}),  # a double click: joins the run
        ("GET", "/api/reports", None, token, {}, {200}),
    ]


def test_2000_mixed_requests_during_a_run_all_succeed_and_each_report_is_sent_once(server):
    link = server.printed_link.split("#token=", 1)[1]
    status, body = server.call("POST", "/api/auth/verify", {"token": link})
    assert status == 200, body
    token = body["token"]
    # GIVEN a report run in progress (SES paced at the embedded account's 1/s, so it lasts)
    status, body = server.call("POST", "/api/generate-reports", {}, token, {"Idempotency-Key": KEY})
    assert status == 202, body
    run_id = body["run_id"]
    mix = mixed_requests(token, run_id)
    # WHEN 16 clients send 2,000 requests of the mix
    next_request, lock = iter(range(REQUESTS)), threading.Lock()
    wrong: list[tuple] = []
    done = []
    stop_at = time.monotonic() + TIME_LIMIT

    def client():
        while time.monotonic() < stop_at:
            with lock:
                number = next(next_request, None)
            if number is None:
                return
            method, path, payload, bearer, headers, right = mix[number % len(mix)]
            try:
                status, answer = server.call(method, path, payload, bearer, headers)
            except Exception as error:  # noqa: BLE001 - a request that broke is a wrong answer too
                status, answer = None, repr(error)
            if status not in right or (path == "/api/generate-reports" and answer["run_id"] != run_id):
                wrong.append((method, path, status, str(answer)[:200]))
            done.append(number)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIME_LIMIT + 60)
    # THEN every request got its right answer
    assert len(done) == REQUESTS, f"only {len(done)} requests answered within {TIME_LIMIT} s"
    assert wrong == []
    # AND the run, once finished, sent each report exactly once
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run = server.call("GET", f"/api/report-runs/{run_id}", token=token)[1]
        if run["status"] in {"succeeded", "partial", "failed"}:
            break
        time.sleep(0.5)
    assert run["status"] == "succeeded", run
    sent = sorted(m["X-SCC-Report-Id"] for m in server.report_emails(run_id))
    assert sent == sorted(report["id"] for report in run["reports"])
    assert len(sent) == len(set(sent)) == 8
