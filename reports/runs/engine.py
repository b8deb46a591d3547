"""Start, process and retry report runs: build -> archive -> send, each report exactly once.

A run is created once per key (idempotency key or scheduled time); processing claims the
run, then each report, with conditional writes (see store.py), so a duplicate trigger joins
instead of sending again, a holder that died is resumed after its lease, and one report's
failure is recorded while the others go on.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..build import Outcome, build_all, select
from ..email.message import report_email, tags
from ..email.pacing import Pacer, workers_for
from . import notices
from .services import Services
from .store import DONE, FINISHED, run_id_for
from .summary import overall_status, summarise

log = logging.getLogger(__name__)


class UnknownReports(ValueError):
    """Raised when a run asks for report ids the knowledge base does not have."""


def start(services: Services, *, reports=None, dry_run: bool = False, trigger: str, key: str | None = None):
    """Create the run (or find the one with the same key); return (run, created)."""
    loaded = services.load_knowledge_base()
    try:
        chosen = [report.id for report in select(loaded, reports)]
    except KeyError as error:
        raise UnknownReports(error.args[0]) from None
    run = {
        "run_id": run_id_for(trigger, key),
        "trigger": trigger,
        "dry_run": dry_run,
        "reports": chosen,
    }
    if key:
        run["key"] = key
    return services.store.create(run, now=services.now())


def process(services: Services, run_id: str, *, deadline: datetime) -> dict:
    """Deliver what the run has not delivered yet; return the run summary.

    `deadline` is when this invocation will be stopped (Lambda's remaining time): leases end
    then, so if it dies, a later attempt can resume the run.
    """
    run = services.store.claim_run(run_id, now=services.now(), lease_until=deadline)
    if run is None:
        return summary(services, run_id)  # finished, or being processed by a live invocation
    log.info("run processing", extra={"run_id": run_id, "reports": run["reports"]})
    try:
        _deliver_all(services, run, deadline)
    except Exception:
        # This invocation is failing (AWS down or out of capacity...) and will be retried: give
        # the run back now, or the retry would find it leased until our deadline and send nothing.
        services.store.release_run(run_id, lease_until=deadline)
        raise
    return _finish(services, run)


def _deliver_all(services: Services, run: dict, deadline: datetime) -> None:
    """Build and deliver every report of the run not delivered yet."""
    done = services.store.deliveries(run["run_id"])
    todo = [rid for rid in run["reports"] if done.get(rid, {}).get("status") not in DONE | {"failed"}]
    outcomes = _build(services, todo)
    job = _Job(services, run, outcomes, deadline)
    with ThreadPoolExecutor(max_workers=job.workers, thread_name_prefix=f"{run['run_id']}-send") as pool:
        for future in [pool.submit(job.deliver, report_id) for report_id in todo]:
            future.result()  # re-raises what a worker raised (a timeout must not be swallowed)


def retry(services: Services, run_id: str) -> dict | None:
    """Queue a partial or failed run again with only its failed reports; None if not retryable."""
    failed = [rid for rid, d in services.store.deliveries(run_id).items() if d["status"] == "failed"]
    return services.store.reopen_run(run_id, failed)


def summary(services: Services, run_id: str) -> dict | None:
    """Return the run summary of SPEC section 3, or None for an unknown run."""
    run = services.store.get(run_id)
    if run is None:
        return None
    return summarise(run, services.store.deliveries(run_id))


def _build(services: Services, todo: list[str]) -> dict[str, Outcome]:
    """Build every report still to deliver; one report's failure is its own outcome."""
    if not todo:
        return {}
    loaded = services.load_knowledge_base()
    live = services.live_counts()
    known = {report.id for report in select(loaded)}
    wanted = [rid for rid in todo if rid in known]
    built = build_all(loaded, lambda: live, wanted=wanted, now=services.now(), history=services.history)
    return {outcome.report.id: outcome for outcome in built}


@dataclass
class _Job:
    """One processing of one run: the shared state its worker threads need."""

    services: Services
    run: dict
    outcomes: dict[str, Outcome]
    deadline: datetime

    def __post_init__(self):
        self.rate = self.services.send_rate()
        self.workers = workers_for(self.rate)
        self.pacer = Pacer(self.rate)
        self.recipients = self.services.recipients.many(list(self.outcomes) or self.run["reports"])

    def deliver(self, report_id: str) -> None:
        """Claim, archive, send and record one report."""
        store, run_id = self.services.store, self.run["run_id"]
        if not store.claim_delivery(run_id, report_id, now=self.services.now(), lease_until=self.deadline):
            return  # delivered, failed, or in the hands of a live claimant
        outcome = self._attempt(report_id)
        store.complete_delivery(run_id, report_id, outcome)
        self.services.progress(report_id, outcome)

    def _attempt(self, report_id: str) -> dict:
        outcome = self.outcomes.get(report_id)
        if outcome is None:
            return {"status": "failed", "error": "this report is no longer in the knowledge base"}
        if not outcome.ok:
            return {"status": "failed", "error": outcome.error}
        recipients = self.recipients.get(report_id) or self.services.recipients.get(report_id)
        metrics = {key: Decimal(str(value)) for key, value in outcome.rendered.data["metrics"].items()}
        fields = {"recipients": list(recipients.to), "subject": outcome.rendered.subject, "metrics": metrics}
        try:
            fields["archived"] = self.services.archive(self.run["run_id"], outcome.rendered)
        except Exception as error:  # the report must not go out unarchived
            log.exception("archive failed", extra={"run_id": self.run["run_id"], "report_id": report_id})
            return {**fields, "status": "failed", "error": f"archive failed: {error}"}
        if self.run["dry_run"]:
            return {**fields, "status": "dry_run"}
        return {**fields, **self._send(outcome, recipients)}

    def _send(self, outcome: Outcome, recipients) -> dict:
        run_id, report_id = self.run["run_id"], outcome.report.id
        email = report_email(
            outcome.rendered, sender=self.services.sender, to=list(recipients.to), run_id=run_id
        )
        self.pacer.wait()
        try:
            message_id = self.services.outbox.send(
                email, bcc=list(recipients.bcc), tags=tags(run_id, report_id)
            )
        except Exception as error:  # noqa: BLE001 - recorded on the delivery; the others go on
            return {"status": "failed", "error": f"SES refused the message: {error}"}
        log.info("report sent", extra={"run_id": run_id, "report_id": report_id, "message_id": message_id})
        return {"status": "sent", "message_id": message_id, "sent_at": self.services.now().isoformat()}


def _finish(services: Services, run: dict) -> dict:
    """Record the run's outcome; tell the admins once if anything failed; return the summary."""
    run_id = run["run_id"]
    deliveries = services.store.deliveries(run_id)
    status = overall_status(run["reports"], deliveries)
    if status in FINISHED:
        # Outcomes and the CEO's cards are recorded before the run reads as finished, so whoever
        # sees "succeeded" (the dashboard polls for it) also sees the catalogue and board updated.
        services.after_run(run, deliveries)
        services.store.finish_run(run_id, status, now=services.now())
        if status != "succeeded" and services.store.claim_notice(run_id):
            notices.send_failure_notice(services, run, deliveries)
    return summary(services, run_id)
