"""Send pacing: 40 reports through SES at a max send rate of 14/s, SES taking 80 ms a message.

The paced run is the run engine's own send loop (`engine._Job.send` on its thread pool,
with the real `Pacer` and `Outbox`); only SES and the run store are stand-ins: SES sleeps 80 ms
and answers a MessageId, the store grants every claim. The sequential baseline sends the same
40 messages one after another through the same Outbox, with no pacing and no concurrency.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from reports.build import Outcome
from reports.email.message import report_email
from reports.recipients import Recipients
from reports.runs.engine import _Job
from reports.runs.records import ReportSend, Run, SendStatus
from reports.runs.services import Services
from shipcaptaincrew.mail.outbox import Outbox

from .full_cycle import LIVE, NOW

REPORTS = 40
RATE = 14.0
SES_LATENCY = 0.080


class SlowSES:
    """SESv2 stand-in: each SendEmail takes SES_LATENCY seconds; records when each started."""

    def __init__(self):
        self.starts: list[float] = []
        self._lock = threading.Lock()

    def send_email(self, **request):
        with self._lock:
            self.starts.append(time.perf_counter())
        time.sleep(SES_LATENCY)
        return {"MessageId": uuid.uuid4().hex}


class GrantingStore:
    """Run-store stand-in: every claim succeeds, every outcome is kept."""

    def __init__(self):
        self.sends: dict[str, ReportSend] = {}

    def claim_send(self, run_id, report_id, *, now, lease_until) -> bool:
        return True

    def complete_send(self, send: ReportSend) -> None:
        self.sends[send.report_id] = send


class OneList:
    def __init__(self):
        self.value = Recipients(("owner@example.com",), ("archive@example.com",), False)

    def get(self, report_id):
        return self.value

    def many(self, report_ids):
        return dict.fromkeys(report_ids, self.value)


def forty_outcomes() -> dict[str, Outcome]:
    """Render the sample's reports and repeat them, under distinct ids, up to REPORTS."""
    from reports import kb
    from reports.build import build_all
    from reports.live import Live

    rendered = [o for o in build_all(kb.load(str(kb.DEFAULT_LOCATION)), lambda: Live(LIVE), now=NOW) if o.ok]
    outcomes = {}
    for number in range(REPORTS):
        source = rendered[number % len(rendered)]
        report_id = f"{source.report.id}-{number}"
        report = dataclasses.replace(source.report, id=report_id)
        outcomes[report_id] = Outcome(report, dataclasses.replace(source.rendered, report_id=report_id))
    return outcomes


def _services(store, outbox) -> Services:
    return Services(
        store=store,
        recipients=OneList(),
        outbox=outbox,
        sender="reports@example.com",
        admins=(),
        archive=lambda run_id, rendered: [],
        load_knowledge_base=lambda: None,
        live_counts=lambda: None,
        send_rate=lambda: RATE,
        now=lambda: datetime.now(UTC),
    )


def paced(outcomes: dict[str, Outcome]) -> dict:
    ses, store = SlowSES(), GrantingStore()
    services = _services(store, Outbox(ses))
    run = Run(run_id="run-bench", trigger="bench", reports=tuple(outcomes))
    job = _Job(services, run, outcomes, datetime.now(UTC) + timedelta(minutes=5))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=job.workers) as pool:
        for future in [pool.submit(job.send, report_id) for report_id in outcomes]:
            future.result()
    elapsed = time.perf_counter() - started
    sent = sum(1 for send in store.sends.values() if send.status is SendStatus.SENT)
    return _figures(sent, elapsed, ses.starts) | {"workers": job.workers}


def sequential(outcomes: dict[str, Outcome]) -> dict:
    ses = SlowSES()
    outbox = Outbox(ses)
    messages = [
        report_email(o.rendered, sender="reports@example.com", to=["owner@example.com"], run_id="run-seq")
        for o in outcomes.values()
    ]
    started = time.perf_counter()
    for message in messages:
        outbox.send(message, bcc=["archive@example.com"])
    return _figures(len(messages), time.perf_counter() - started, ses.starts)


def _figures(sent: int, elapsed: float, starts: list[float]) -> dict:
    starts = sorted(starts)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # The fastest any 1-second window saw: what SES's per-second limit would judge.
    busiest = max(sum(1 for s in starts if first <= s < first + 1.0) for first in starts) if starts else 0
    return {
        "sent": sent,
        "seconds": round(elapsed, 3),
        "sends_per_second": round(sent / elapsed, 2),
        "min_gap_ms": round(min(gaps) * 1000, 1) if gaps else None,
        "busiest_second": busiest,
    }


def run(options) -> dict:
    outcomes = forty_outcomes()
    return {
        "reports": REPORTS,
        "rate": RATE,
        "ses_latency_ms": SES_LATENCY * 1000,
        "paced": paced(outcomes),
        "sequential": sequential(outcomes),
    }


def rows(result: dict) -> list[tuple[str, str]]:
    paced_, seq = result["paced"], result["sequential"]
    return [
        (
            f"send pacing, {result['reports']} at max {result['rate']:g}/s",
            f"{paced_['sends_per_second']}/s ({paced_['seconds']} s, {paced_['workers']} workers, "
            f"busiest second {paced_['busiest_second']}, min gap {paced_['min_gap_ms']} ms)",
        ),
        (
            "  strictly sequential, same SES",
            f"{seq['sends_per_second']}/s ({seq['seconds']} s)",
        ),
    ]
