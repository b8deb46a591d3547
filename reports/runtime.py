"""The extension's working half, built once per host App on first use (`host.runtime("reports")`).

It holds what every route and action shares — the run engine's services, the knowledge-base
cache, the task board, the outcome records — and offers the operations the thin route handlers
and actions call. Imported lazily by the host (see `plugin.py`), so a cold start that serves
only charters never imports jinja2 or the analysis.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path

from . import kb
from .account.model import Account
from .account.read import AUDIT, read_for_host
from .archive import Archive
from .build import build, select
from .catalogue import Report, reports_for
from .email.pacing import SharedPacer, max_send_rate
from .follow_up import FollowUp
from .host import ActionFailed, BadRequest, Conflict, Host, NotFound, Unprocessable, budgets
from .kb.cache import KnowledgeBaseCache
from .live import Live
from .outcomes import OutcomeStore
from .plugin import NAME, ReportsSettings
from .recipients import RecipientStore
from .render import Rendered
from .runs import engine
from .runs.deliveries import Deliveries, DeliveryStore
from .runs.records import Run
from .runs.services import Services
from .runs.ses_events import MalformedEvent
from .runs.store import RunStore
from .runs.summary import has_sent, with_deliveries
from .tasks import TaskStore

log = logging.getLogger(__name__)
LOCAL_ARCHIVE = Path("outbox") / "archive"
HOUR = timedelta(hours=1)
# How long a preview may show the live AWS source read by an earlier preview or run: the audit
# costs a dozen or more AWS calls, too many for each click on "Preview" (a run always reads anew).
PREVIEW_ACCOUNT_AGE = timedelta(minutes=5)


class Reports:
    """The reports extension inside one host App."""

    def __init__(self, host: Host):
        self.host = host
        self.settings: ReportsSettings = host.settings_of(NAME)
        dynamodb = host.clients.dynamodb
        self.tasks = TaskStore(dynamodb, table=self.settings.tasks_table)
        self.recipients = RecipientStore(
            dynamodb,
            table=self.settings.recipients_table,
            default_to=self.settings.exec_report_to or host.settings.admin_emails,
            default_bcc=self.settings.exec_report_bcc,
        )
        self.outcomes = OutcomeStore(dynamodb, table=self.settings.snapshots_table)
        self.knowledge_base = KnowledgeBaseCache(self.location, s3=host.clients.s3)
        self.last_account: Account | None = None  # the live AWS source of the latest run (for its cards)
        self._preview_account: tuple[datetime, Account] | None = None  # (read at, what was read)
        self.follow_up = FollowUp(
            self.outcomes,
            self.tasks,
            load=self.knowledge_base.load,
            webhook=self.settings.tasks_webhook_url,
            account=lambda: self.last_account,
        )
        self.services = self._services()
        self.deliveries = Deliveries(  # SES's delivery events (the action `ses_event`)
            DeliveryStore(
                dynamodb,
                table=self.settings.report_deliveries_table,
                sends_table=self.settings.report_sends_table,
            ),
            outbox=host.outbox,
            sender=host.settings.ses_from_address,
            admins=host.settings.admin_emails,
            now=host.now,
            sends=self.services.store.sends,
        )

    @property
    def location(self) -> str:
        """Return where the knowledge base is: KNOWLEDGE_BASE, else the sample the zip carries."""
        return self.settings.knowledge_base or str(kb.DEFAULT_LOCATION)

    def _services(self) -> Services:
        host, settings, clients = self.host, self.settings, self.host.clients
        return Services(
            store=RunStore(
                clients.dynamodb,
                runs_table=settings.report_runs_table,
                sends_table=settings.report_sends_table,
            ),
            recipients=self.recipients,
            outbox=host.outbox,
            sender=host.settings.ses_from_address,
            admins=host.settings.admin_emails,
            archive=self._archive(),
            load_knowledge_base=self.knowledge_base.load,
            live_counts=self.live_counts,
            send_rate=lambda: max_send_rate(clients.sesv2, clients.ses, settings.ses_max_send_rate),
            now=host.now,
            history=self.outcomes.previous_sent,
            after_run=lambda run, sends: self.follow_up.after_run(run, sends, now=host.now()),
            pacer=lambda rate: SharedPacer(clients.dynamodb, table=settings.report_runs_table, rate=rate),
            sender_name=host.settings.ses_from_name,
            reply_to=settings.reports_reply_to,
        )

    def _archive(self):
        location = self.settings.reports_archive or (str(LOCAL_ARCHIVE) if self.host.settings.local else None)
        if location is None:
            return _no_archive
        return Archive.at(location, s3=self.host.clients.s3).store

    def live_counts(self) -> Live:
        """Return the host's live counts and the live AWS source, each read once per run, or why
        they could not be read (the report still goes out)."""
        account = self._read_account()
        self.last_account = account
        return self._live(account)

    def _live(self, account: Account) -> Live:
        try:
            return Live(self.host.live_counts().as_dict(), account=account)
        except Exception as error:
            log.exception("live counts unavailable")
            return Live(None, f"live counts could not be read ({type(error).__name__})", account)

    def _read_account(self) -> Account:
        """Return the live AWS source (cost, usage, the security audit), `LIVE_AUDIT=off` saying
        so; a failure of the reader itself is a line in the report, never a failed run."""
        try:
            account = read_for_host(self.host, today=self.host.now().date())
        except Exception as error:
            log.exception("live AWS audit unavailable")
            account = Account.off(AUDIT, f"the reader failed ({type(error).__name__})")
        self._preview_account = (self.host.now(), account)
        return account

    def _recent_account(self) -> Account:
        """Return the live AWS source read in the last PREVIEW_ACCOUNT_AGE, else read it now.

        Previews never set `last_account`: the cards of a run come from that run's own read."""
        recent = self._preview_account
        if recent is not None and self.host.now() - recent[0] < PREVIEW_ACCOUNT_AGE:
            return recent[1]
        return self._read_account()

    # The catalogue and previews -------------------------------------------------------------

    def reports(self) -> list[Report]:
        """Return the reports the knowledge base calls for."""
        return reports_for(self.knowledge_base.load().base)

    def known(self, report_id: str) -> str:
        """Return `report_id` if the knowledge base has such a report; 404 otherwise."""
        if report_id not in {report.id for report in self.reports()}:
            raise NotFound(f"no report {report_id!r}")
        return report_id

    def catalogue(self) -> list[dict]:
        """Return every report with its audience, recipients and last outcome (three reads)."""
        reports = self.reports()
        ids = [report.id for report in reports]
        recipients = self.services.recipients.many(ids)
        last = self.outcomes.last(ids)
        return [
            {
                "id": report.id,
                "title": report.title,
                "audience": report.audience,
                "recipients": recipients[report.id].as_dict(),
                "last_sent_at": last[report.id].last_sent_at,
                "last_status": last[report.id].last_status,
            }
            for report in reports
        ]

    def preview(self, report_id: str) -> Rendered:
        """Render one report now; 404 for an unknown report, 409 if its data cannot render."""
        loaded = self.knowledge_base.load()
        try:
            (report,) = select(loaded, [report_id])
        except KeyError:
            raise NotFound(f"no report {report_id!r}") from None
        outcome = build(report, loaded, self._live(self._recent_account()), now=self.host.now())
        if not outcome.ok:
            raise Conflict(f"this report cannot be rendered: {outcome.error}")
        return outcome.rendered

    # Budgets --------------------------------------------------------------------------------

    def count_use(self, what: str, actor: str, limit: int, *, once_per: str | None = None) -> None:
        """Count one `what` by `actor` this hour (429 past `limit`); a repeat of the same
        `once_per` key in the hour counts once, so a double click uses no more of the budget.

        The counters live in the host's sign-in table (it has a TTL and is never scanned), under
        a hash of the address."""
        person = hashlib.sha256(actor.encode()).hexdigest()
        shared = {"table": self.host.settings.auth_table, "period": HOUR, "now": self.host.now()}
        db = self.host.clients.dynamodb
        if once_per is not None:
            repeat = hashlib.sha256(f"{actor}\x00{once_per}".encode()).hexdigest()
            if not budgets.first_time(db, key=f"quota-key#{what}#{repeat}", **shared):
                return
        refusal = f"at most {limit} {what} per person per hour"
        budgets.take(db, key=f"quota#{what}#{person}", limit=limit, refusal=refusal, **shared)

    # Runs -----------------------------------------------------------------------------------

    def start_run(
        self, *, reports, dry_run: bool, trigger: str, key: str | None, scope: str | None = None
    ) -> tuple[Run, bool]:
        """Create (or find by key) a run; return (run, whether to process it now).

        A run found by its key is processed again when that would send something (stalled, or
        left to retry); 409 when a real run asks for a report another holds, 422 when the key's
        run was asked for something else.
        """
        try:
            run, created = engine.start(
                self.services, reports=reports, dry_run=dry_run, trigger=trigger, key=key, scope=scope
            )
        except engine.UnknownReports as error:
            raise UnknownReports(str(error), field="reports") from None
        except engine.RunInProgress as error:
            raise RunInProgress(error) from None
        except engine.KeyReused as error:
            raise KeyReused(str(error)) from None
        return run, created or run.can_resume(self.host.now())

    def summary(self, run_id: str) -> dict:
        """Return a run's summary; 404 for an unknown run."""
        found = engine.summary(self.services, run_id)
        if found is None:
            raise NotFound(f"no run {run_id!r}")
        return self.with_deliveries(found)

    def recent_runs(self, limit: int = 20) -> list[dict]:
        """Return the summaries of the latest runs, newest first."""
        return [self.with_deliveries(summary) for summary in engine.recent(self.services, limit)]

    def with_deliveries(self, summary: dict) -> dict:
        """Add what SES said of each sent report, per recipient: one Query for a run that sent
        anything, none for a dry run."""
        if not has_sent(summary):
            return summary
        return with_deliveries(summary, self.deliveries.store.for_run(summary["run_id"]))

    def ses_event(self, payload: dict, deadline: datetime) -> dict:
        """Action `ses_event`: record an SES event SNS delivered; a bounce or complaint of a report
        emails the admins once. A message that is not an SES event is refused (400), not retried."""
        sns_message_id, record = payload.get("sns_message_id"), payload.get("message")
        if not isinstance(sns_message_id, str) or not 0 < len(sns_message_id) <= 100:
            raise MalformedSesEvent("sns_message_id must be the SNS MessageId")
        if not isinstance(record, dict):
            raise MalformedSesEvent("message must be the SES event record (a JSON object)")
        try:
            return self.deliveries.handle(sns_message_id, record)
        except MalformedEvent as error:
            raise MalformedSesEvent(f"not an SES event record: {error}") from None

    def retry(self, run_id: str) -> None:
        """Resume a partial, failed or stalled run in the background: only what was not sent."""
        self.summary(run_id)
        try:
            reopened = engine.retry(self.services, run_id)
        except engine.RunInProgress as error:
            raise RunInProgress(error) from None
        if reopened is None:
            raise Conflict("only a partial, failed or stalled run can be retried")
        self.start_in_background(run_id)

    def start_in_background(self, run_id: str) -> None:
        """Process a run after answering: a self-invoke in Lambda, a worker thread locally."""
        settings = self.host.settings
        if settings.self_function_name:
            qualifier = settings.self_function_version
            self.host.clients.get("lambda").invoke(
                FunctionName=settings.self_function_name,
                InvocationType="Event",
                Payload=json.dumps({"action": "process_run", "run_id": run_id}).encode(),
                **({"Qualifier": qualifier} if qualifier else {}),
            )
            return
        deadline = self.host.deadline()
        worker = threading.Thread(
            target=self._process_quietly, args=(run_id, deadline), name=f"run-{run_id}", daemon=True
        )
        worker.start()

    def _process_quietly(self, run_id: str, deadline: datetime) -> None:
        try:
            engine.process(self.services, run_id, deadline=deadline)
        except Exception:
            log.exception("background run failed", extra={"run_id": run_id})

    # Actions --------------------------------------------------------------------------------

    def send_reports(self, payload: dict, deadline: datetime) -> dict:
        """Action `send_reports`: create (or join) the run and process it in this invocation.

        The run key is the same whatever the transport: `scheduled_time` when the event has one,
        else the body's `idempotency_key`, else the SQS `message_id`. From a schedule or a queue,
        a run left with reports to retry raises, so the platform retries (or redelivers) it.
        """
        trigger = payload.get("trigger", "invoke")
        scope, key = run_key(payload)
        reports = payload.get("reports")
        if reports is not None and (
            not isinstance(reports, list) or not all(isinstance(r, str) for r in reports)
        ):
            raise BadRequest("reports must be a list of report ids", field="reports")
        run, _ = self.start_run(
            reports=reports, dry_run=bool(payload.get("dry_run")), trigger=trigger, key=key, scope=scope
        )
        summary = engine.process(self.services, run.run_id, deadline=deadline)
        latest = self.services.store.get(run.run_id)
        if trigger in RETRIED_BY_PLATFORM and (latest.resumable or not latest.is_finished):
            raise ActionFailed(f"run {run.run_id} is {summary['status']}: the rest goes out when it resumes")
        return summary

    def process_run(self, payload: dict, deadline: datetime) -> dict:
        """Action `process_run`: carry on a run started from the dashboard."""
        run_id = payload.get("run_id")
        if not isinstance(run_id, str) or engine.summary(self.services, run_id) is None:
            raise UnknownRun(f"no run {run_id!r}")
        return engine.process(self.services, run_id, deadline=deadline)


RETRIED_BY_PLATFORM = ("schedule", "queue")


def run_key(payload: dict) -> tuple[str | None, str | None]:
    """Return (scope, key) of an action's run: one key per schedule or request, any transport."""
    for scope, field in (("schedule", "scheduled_time"), ("key", "idempotency_key"), ("sqs", "message_id")):
        value = payload.get(field)
        if value is not None:
            if not isinstance(value, str) or not value or len(value) > 200:
                raise BadRequest(f"{field} must be a non-empty string", field=field)
            return scope, value
    return None, None


class UnknownReports(BadRequest):
    code = "unknown_reports"


class RunInProgress(Conflict):
    code = "run_in_progress"

    def __init__(self, error: engine.RunInProgress):
        super().__init__(
            f"run {error.run_id} is still sending these reports; follow it, or resume it if it stalled",
            details={"run_id": error.run_id},
        )


class KeyReused(Unprocessable):
    code = "idempotency_key_reused"


class UnknownRun(NotFound):
    code = "unknown_run"


class MalformedSesEvent(BadRequest):
    code = "malformed_ses_event"


def _no_archive(run_id, rendered) -> list[str]:
    raise RuntimeError("REPORTS_ARCHIVE is not set, and no report is sent unarchived")
