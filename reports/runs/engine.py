"""Start, process and retry report runs: build -> archive -> send, each report exactly once.

A run is created once per key (idempotency key or scheduled time); processing claims the
run, then each report, with conditional writes (see store.py), so a duplicate trigger joins
instead of sending again, a holder that died is resumed after its lease, and one report's
failure is recorded while the others go on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from ..build import Outcome, build_all, select
from ..email.message import report_email, tags
from ..email.pacing import workers_for
from ..recipients import Recipients
from . import notices
from .locks import RunInProgress
from .records import ReportSend, Run, RunStatus, SendStatus, outcome_of
from .services import Services
from .store import run_id_for
from .summary import summarise
from .transient import is_transient

__all__ = ["KeyReused", "RunInProgress", "UnknownReports", "process", "retry", "start", "summary"]
FAILED_RUN = "report run failed"  # the fixed ERROR message a CloudWatch metric filter alarms on

log = logging.getLogger(__name__)


class UnknownReports(ValueError):
    """Raised when a run asks for report ids the knowledge base does not have."""


class KeyReused(ValueError):
    """Raised when a key that made a run comes again asking for something else."""


def start(
    services: Services,
    *,
    reports=None,
    dry_run: bool,
    trigger: str,
    key: str | None = None,
    scope: str | None = None,
) -> tuple[Run, bool]:
    """Create the run (or find the one with the same key); return (run, created).

    The run id derives from `scope` (default: the trigger) and `key`, so the same key through
    any transport meets the same run. Raises RunInProgress when a real run asks for a report
    another real run holds, and KeyReused when the key's run was asked for something else.
    """
    loaded = services.load_knowledge_base()
    try:
        chosen = tuple(report.id for report in select(loaded, reports))
    except KeyError as error:
        raise UnknownReports(error.args[0]) from None
    request = fingerprint(reports, dry_run)
    run = Run(
        run_id=run_id_for(scope or trigger, key),
        trigger=trigger,
        reports=chosen,
        dry_run=dry_run,
        key=key or None,
        request=request if key else None,
    )
    stored, created = services.store.create(run, now=services.now())
    if not created and stored.request and stored.request != request:
        raise KeyReused(f"this key already started run {stored.run_id} with a different request")
    return stored, created


def fingerprint(reports, dry_run: bool) -> str:
    """Return a short digest of what a run was asked for (its reports and whether dry)."""
    asked = {"reports": sorted(reports) if reports else None, "dry_run": bool(dry_run)}
    return hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest()[:16]


def process(services: Services, run_id: str, *, deadline: datetime) -> dict:
    """Send what the run has not sent yet; return the run summary.

    `deadline` is when this invocation will be stopped (Lambda's remaining time): leases end
    then, so if it dies, a later attempt can resume the run.
    """
    run = services.store.claim_run(run_id, now=services.now(), lease_until=deadline)
    if run is None:
        return summary(services, run_id)  # finished, or being processed by a live invocation
    log.info("run processing", extra={"run_id": run_id, "reports": list(run.reports)})
    try:
        _send_all(services, run, deadline)
    except Exception:
        # This invocation is failing (AWS down or out of capacity...) and will be retried: give
        # the run back now, or the retry would find it leased until our deadline and send nothing.
        services.store.release_run(run_id, lease_until=deadline)
        raise
    return _finish(services, run)


def _send_all(services: Services, run: Run, deadline: datetime) -> None:
    """Build and send every report of the run not decided yet."""
    sends = services.store.sends(run.run_id)
    todo = [rid for rid in run.reports if rid not in sends or not sends[rid].is_decided]
    outcomes = _build(services, todo)
    job = _Job(services, run, outcomes, deadline)
    with ThreadPoolExecutor(max_workers=job.workers, thread_name_prefix=f"{run.run_id}-send") as pool:
        for future in [pool.submit(job.send, report_id) for report_id in todo]:
            future.result()  # re-raises what a worker raised (a timeout must not be swallowed)


def retry(services: Services, run_id: str) -> Run | None:
    """Queue a partial, failed or stalled run again with only what it has not sent; None if it
    cannot be retried (still running, or succeeded)."""
    run = services.store.get(run_id)
    if run is None:
        return None
    sends = services.store.sends(run_id)
    failed = [rid for rid, send in sends.items() if send.status is SendStatus.FAILED]
    return services.store.reopen_run(run, failed, now=services.now())


def summary(services: Services, run_id: str) -> dict | None:
    """Return the run summary of SPEC section 3, or None for an unknown run."""
    run = services.store.get(run_id)
    if run is None:
        return None
    return summarise(run, services.store.sends(run_id), now=services.now())


def recent(services: Services, limit: int) -> list[dict]:
    """Return the summaries of the latest runs, newest first."""
    return [summary(services, run.run_id) for run in services.store.recent(limit)]


def _build(services: Services, todo: list[str]) -> dict[str, Outcome]:
    """Build every report still to send; one report's failure is its own outcome."""
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
    run: Run
    outcomes: dict[str, Outcome]
    deadline: datetime

    def __post_init__(self):
        self.rate = self.services.send_rate()
        self.workers = workers_for(self.rate)
        self.pacer = self.services.pacer(self.rate)
        self.recipients = self.services.recipients.many(list(self.outcomes))  # what is still to send

    def send(self, report_id: str) -> None:
        """Claim, archive, send and record one report."""
        store, run_id = self.services.store, self.run.run_id
        if not store.claim_send(run_id, report_id, now=self.services.now(), lease_until=self.deadline):
            return  # sent, failed, or in the hands of a live claimant
        send = self._attempt(ReportSend(run_id, report_id))
        store.complete_send(send)
        self.services.progress(send)

    def _attempt(self, send: ReportSend) -> ReportSend:
        """Return the send's outcome: failed, dry run, or what SES answered."""
        outcome = self.outcomes.get(send.report_id)
        if outcome is None:
            return _failed(send, "this report is no longer in the knowledge base")
        if not outcome.ok:
            return _failed(send, outcome.error)
        recipients = self.recipients[send.report_id]  # read with the run's one batch read
        metrics = {key: Decimal(str(value)) for key, value in outcome.rendered.data["metrics"].items()}
        send = replace(
            send, recipients=tuple(recipients.to), subject=outcome.rendered.subject, metrics=metrics
        )
        try:
            send = replace(send, archived=tuple(self.services.archive(send.run_id, outcome.rendered)))
        except Exception as error:  # the report must not go out unarchived
            log.exception("archive failed", extra={"run_id": send.run_id, "report_id": send.report_id})
            return _unsent(send, error, "archive failed")
        if self.run.dry_run:
            return replace(send, status=SendStatus.DRY_RUN)
        return self._send(send, outcome, recipients)

    def _send(self, send: ReportSend, outcome: Outcome, recipients: Recipients) -> ReportSend:
        """Email the rendered report, paced to the account's send rate."""
        run_id, report_id = send.run_id, send.report_id
        email = report_email(
            outcome.rendered,
            sender=self.services.sender,
            to=list(recipients.to),
            run_id=run_id,
            sender_name=self.services.sender_name,
            reply_to=self.services.reply_to,
        )
        self.pacer.wait()
        try:
            message_id = self.services.outbox.send(
                email, bcc=list(recipients.bcc), tags=tags(run_id, report_id)
            )
        except Exception as error:  # noqa: BLE001 - recorded on the send; the others go on
            return _unsent(send, error, "SES did not take the message")
        log.info("report sent", extra={"run_id": run_id, "report_id": report_id, "message_id": message_id})
        return replace(
            send, status=SendStatus.SENT, message_id=message_id, sent_at=self.services.now().isoformat()
        )


def _failed(send: ReportSend, error: str) -> ReportSend:
    return replace(send, status=SendStatus.FAILED, error=error)


def _unsent(send: ReportSend, error: BaseException, what: str) -> ReportSend:
    """Return the send after an error: pending (tried again when the run resumes) if transient."""
    if is_transient(error):
        return replace(send, status=SendStatus.PENDING, error=f"{what}, will retry: {error}")
    return _failed(send, f"{what}: {error}")


def _finish(services: Services, run: Run) -> dict:
    """Record the run's outcome, after what must be known before it reads finished; return the
    summary. A run whose reports wait to retry is partial and resumable: its key resumes it."""
    sends = services.store.sends(run.run_id)
    status, resumable = outcome_of(run.reports, sends)
    if status.is_finished:
        # Outcomes and the CEO's cards are recorded before the run reads as finished, so whoever
        # sees "succeeded" (the dashboard polls for it) also sees the catalogue and board updated;
        # so is a failure's alarm line and notice.
        services.after_run(run, sends)
        if status is not RunStatus.SUCCEEDED:
            _tell_of_failure(services, run, sends, status, resumable)
        services.store.finish_run(run, status, now=services.now(), resumable=resumable)
    return summary(services, run.run_id)


def _tell_of_failure(services: Services, run: Run, sends, status: RunStatus, resumable: bool) -> None:
    """Log the fixed ERROR line an alarm watches (it needs no SES), then email the admins once."""
    log.error(
        FAILED_RUN,
        extra={
            "run_id": run.run_id,
            "status": status.value,
            "failed": [rid for rid in run.reports if sends[rid].status is SendStatus.FAILED],
            "retrying": [rid for rid in run.reports if sends[rid].waits_to_retry],
            "will_resume": resumable,
        },
    )
    if services.store.claim_notice(run.run_id) and not notices.send_failure_notice(services, run, sends):
        services.store.release_notice(run.run_id)  # SES is down: the run's next finish tries again
