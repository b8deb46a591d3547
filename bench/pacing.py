"""Send pacing: 40 reports through SES at a max send rate of 14/s, SES taking 80 ms a message;
and four runs of disjoint report sets at once, each pacing itself versus one shared pacer (a
DynamoDB item on the embedded moto server), measured as the busiest second SES would see.

The paced run is the run engine's own send loop (`engine._Job.send` on its thread pool,
with the real `Pacer` and `Outbox`); only SES and the run store are stand-ins: SES sleeps 80 ms
and answers a MessageId, the store grants every claim. The sequential baseline sends the same
40 messages one after another through the same Outbox, with no pacing and no concurrency.
"""

from __future__ import annotations

import dataclasses
import itertools
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reports.build import Outcome
from reports.email.message import report_email
from reports.email.pacing import Pacer, SharedPacer
from reports.recipients import Recipients
from reports.runs.engine import _Job
from reports.runs.records import ReportSend, Run, SendStatus
from reports.runs.services import Services
from shipcaptaincrew.mail.outbox import Outbox

from .full_cycle import LIVE, NOW
from .stack import embedded_app

REPORTS = 40
RATE = 14.0
RUNS_AT_ONCE = 4
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


def four_runs_at_once(outcomes: dict[str, Outcome], pacer_for) -> dict:
    """Four runs of disjoint report sets (10 each) sending at the same time through one SES."""
    ses = SlowSES()
    ids = list(outcomes)
    jobs = []
    for number in range(RUNS_AT_ONCE):
        chosen = {rid: outcomes[rid] for rid in ids[number::RUNS_AT_ONCE]}
        store = GrantingStore()
        services = dataclasses.replace(_services(store, Outbox(ses)), pacer=pacer_for)
        run = Run(run_id=f"run-bench-{number}", trigger="bench", reports=tuple(chosen))
        jobs.append((_Job(services, run, chosen, datetime.now(UTC) + timedelta(minutes=5)), chosen, store))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sum(job.workers for job, _, _ in jobs)) as pool:
        futures = [pool.submit(job.send, rid) for job, chosen, _ in jobs for rid in chosen]
        for future in futures:
            future.result()
    elapsed = time.perf_counter() - started
    sent = sum(send.status is SendStatus.SENT for _, _, store in jobs for send in store.sends.values())
    return _figures(sent, elapsed, ses.starts)


def shared_pacing(outcomes: dict[str, Outcome], workdir) -> dict:
    """Four runs at once, each pacing itself (the old way) and through the shared DynamoDB pacer."""
    with embedded_app(workdir) as app:
        table = app.settings_of("reports").report_runs_table
        shared = four_runs_at_once(
            outcomes, lambda rate: SharedPacer(app.clients.dynamodb, table=table, rate=rate)
        )
    return {"own_pacer_each": four_runs_at_once(outcomes, Pacer), "shared_pacer": shared}


def run(options) -> dict:
    outcomes = forty_outcomes()
    with tempfile.TemporaryDirectory() as workdir:
        shared = shared_pacing(outcomes, Path(workdir))
    return {
        "reports": REPORTS,
        "rate": RATE,
        "ses_latency_ms": SES_LATENCY * 1000,
        "paced": paced(outcomes),
        "sequential": sequential(outcomes),
        "four_runs_at_once": shared,
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
        *[
            (
                f"  {RUNS_AT_ONCE} runs at once, {label}",
                f"{figures['sends_per_second']}/s together (busiest second {figures['busiest_second']}, "
                f"min gap {figures['min_gap_ms']} ms)",
            )
            for label, figures in (
                ("each pacing itself", result["four_runs_at_once"]["own_pacer_each"]),
                ("one shared pacer (DynamoDB)", result["four_runs_at_once"]["shared_pacer"]),
            )
        ],
    ]
