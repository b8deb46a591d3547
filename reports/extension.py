"""The narrow interface between the host app and the reports extension.

The host's action table names `send_reports` and `process_run` here; its HTTP table includes
`reports.routes.router`. Everything the engine needs from the host (tables, SES, clock, live
counts) is gathered here into `Services`, built once per App.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime
from pathlib import Path

from . import kb
from .delivery.pacing import max_send_rate
from .live import Live
from .runs import engine
from .runs.services import Services
from .runs.store import RunStore

log = logging.getLogger(__name__)
LOCAL_ARCHIVE = Path("outbox") / "archive"
_lock = threading.Lock()


def services(app) -> Services:
    """Return the engine's collaborators for this App (built on first use, then reused)."""
    with _lock:
        built = app.__dict__.get("_reports_services")
        if built is None:
            built = app.__dict__["_reports_services"] = _build_services(app)
        return built


def _build_services(app) -> Services:
    from .archive import Archive
    from .recipients import RecipientStore

    settings, clients = app.settings, app.clients
    location = settings.reports_archive or (str(LOCAL_ARCHIVE) if settings.local else None)
    archive = Archive.at(location, s3=clients.s3) if location else None
    return Services(
        store=RunStore(
            clients.dynamodb,
            runs_table=settings.report_runs_table,
            deliveries_table=settings.report_deliveries_table,
        ),
        recipients=RecipientStore(
            clients.dynamodb,
            table=settings.recipients_table,
            default_to=settings.exec_report_to or settings.admin_emails,
            default_bcc=settings.exec_report_bcc,
        ),
        outbox=app.outbox,
        sender=settings.ses_from_address,
        admins=settings.admin_emails,
        archive=archive.store if archive else _no_archive,
        load_knowledge_base=lambda: kb.load(knowledge_base(app), s3=clients.s3),
        live_counts=lambda: _live(app),
        send_rate=lambda: max_send_rate(clients.sesv2, clients.ses, settings.ses_max_send_rate),
        now=app.now,
        history=lambda report_id: _previous(app, report_id),
        after_run=lambda run, deliveries: _after_run(app, run, deliveries),
    )


def knowledge_base(app) -> str:
    """Return where the knowledge base is: KNOWLEDGE_BASE, else the sample the zip carries."""
    return app.settings.knowledge_base or str(kb.DEFAULT_LOCATION)


def _no_archive(run_id, rendered) -> list[str]:
    raise RuntimeError("REPORTS_ARCHIVE is not set, and no report is sent unarchived")


def _live(app) -> Live:
    try:
        return Live(app.live_counts().as_dict())
    except Exception as error:  # a report without live counts still goes out, saying why
        log.exception("live counts unavailable")
        return Live(None, f"live counts could not be read ({type(error).__name__})")


def _previous(app, report_id: str) -> dict | None:
    from .follow_up import previous_sent

    return previous_sent(app, report_id)


def _after_run(app, run: dict, deliveries: dict) -> None:
    from .follow_up import follow_up

    follow_up(app, run, deliveries)


def start_in_background(app, run_id: str) -> None:
    """Process a run after answering: a self-invoke in Lambda, a worker thread locally."""
    if app.settings.self_function_name:
        qualifier = app.settings.self_function_version
        app.clients.get("lambda").invoke(
            FunctionName=app.settings.self_function_name,
            InvocationType="Event",
            Payload=json.dumps({"action": "process_run", "run_id": run_id}).encode(),
            **({"Qualifier": qualifier} if qualifier else {}),
        )
        return
    from shipcaptaincrew.dispatch import deadline_of

    deadline = deadline_of(None, app.now())
    worker = threading.Thread(
        target=_process_quietly, args=(app, run_id, deadline), name=f"run-{run_id}", daemon=True
    )
    worker.start()


def _process_quietly(app, run_id: str, deadline: datetime) -> None:
    try:
        engine.process(services(app), run_id, deadline=deadline)
    except Exception:
        log.exception("background run failed", extra={"run_id": run_id})


def send_reports(app, payload: dict, deadline: datetime) -> dict:
    """Action `send_reports`: create (or join) the run and process it in this invocation."""
    trigger = payload.get("trigger", "invoke")
    key = payload.get("scheduled_time") if trigger == "schedule" else payload.get("idempotency_key")
    reports = payload.get("reports")
    if reports is not None and (
        not isinstance(reports, list) or not all(isinstance(r, str) for r in reports)
    ):
        return {"error": {"code": "bad_request", "message": "reports must be a list of report ids"}}
    try:
        run, _created = engine.start(
            services(app), reports=reports, dry_run=bool(payload.get("dry_run")), trigger=trigger, key=key
        )
    except engine.UnknownReports as error:
        return {"error": {"code": "unknown_reports", "message": str(error)}}
    return engine.process(services(app), run["run_id"], deadline=deadline)


def process_run(app, payload: dict, deadline: datetime) -> dict:
    """Action `process_run`: carry on a run started from the dashboard."""
    run_id = payload.get("run_id")
    if not isinstance(run_id, str) or engine.summary(services(app), run_id) is None:
        return {"error": {"code": "unknown_run", "message": f"no run {run_id!r}"}}
    return engine.process(services(app), run_id, deadline=deadline)
