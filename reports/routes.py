"""HTTP routes of the reports extension (admin only, but the tasks board): thin handlers."""

from __future__ import annotations

import re

from shipcaptaincrew import validation as check
from shipcaptaincrew.errors import BadRequest, Conflict, NotFound
from shipcaptaincrew.http import Request, Response, Router

router = Router()
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
PREVIEW_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _services(app):
    from .extension import services

    return services(app)


@router.route("GET", "/api/reports", role="admin")
def catalogue(request: Request, app) -> Response:
    """List the reports with audience, recipients and how their last delivery went."""
    from .catalogue import reports_for
    from .follow_up import last_outcomes

    services = _services(app)
    reports = reports_for(services.load_knowledge_base().base)
    recipients = services.recipients.many([report.id for report in reports])
    last = last_outcomes(app, [report.id for report in reports])
    return Response.json(
        [
            {
                "id": report.id,
                "title": report.title,
                "audience": report.audience,
                "recipients": recipients[report.id].as_dict(),
                "last_sent_at": last.get(report.id, {}).get("last_sent_at"),
                "last_status": last.get(report.id, {}).get("last_status"),
            }
            for report in reports
        ]
    )


@router.route("GET", "/api/reports/{report_id}/preview", role="admin")
def preview(request: Request, app) -> Response:
    """Render one report now, as HTML, text or the JSON its templates receive."""
    from .build import build, select

    fmt = request.query.get("format", "html")
    check.choice(fmt, "format", ("html", "text", "json"))
    services = _services(app)
    loaded = services.load_knowledge_base()
    try:
        (report,) = select(loaded, [request.path_params["report_id"]])
    except KeyError:
        raise NotFound(f"no report {request.path_params['report_id']!r}") from None
    outcome = build(report, loaded, services.live_counts(), now=app.now())
    if not outcome.ok:
        raise Conflict(f"this report cannot be rendered: {outcome.error}")
    rendered = outcome.rendered
    if fmt == "json":
        return Response.json({"subject": rendered.subject, **rendered.data})
    if fmt == "text":
        return Response(body=rendered.text, headers={"Content-Type": "text/plain; charset=utf-8"})
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": PREVIEW_POLICY}
    return Response(body=rendered.html, headers=headers)


@router.route("POST", "/api/generate-reports", role="admin")
def generate_reports(request: Request, app) -> Response:
    """Start a run and answer at once; the sending goes on in the background."""
    from .extension import start_in_background
    from .runs import engine

    body = request.json()
    check.only_fields(body, ("reports", "dry_run"), "request")
    reports = body.get("reports")
    if reports is not None and (
        not isinstance(reports, list) or not all(isinstance(r, str) for r in reports)
    ):
        raise BadRequest("reports must be a list of report ids", field="reports")
    dry_run = check.boolean(body.get("dry_run", False), "dry_run")
    key = request.headers.get("idempotency-key")
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        raise BadRequest("Idempotency-Key must be 1-128 letters, digits or . _ : -", field="Idempotency-Key")
    scoped = f"{request.user['email']}:{key}" if key else None
    try:
        run, created = engine.start(
            _services(app), reports=reports or None, dry_run=dry_run, trigger="dashboard", key=scoped
        )
    except engine.UnknownReports as error:
        raise BadRequest(str(error), field="reports") from None
    if created:
        start_in_background(app, run["run_id"])
    return Response.json({"run_id": run["run_id"]}, status=202)


@router.route("GET", "/api/report-runs", role="admin")
def list_runs(request: Request, app) -> Response:
    from .runs import engine

    services = _services(app)
    return Response.json([engine.summary(services, run["run_id"]) for run in services.store.recent(20)])


@router.route("GET", "/api/report-runs/{run_id}", role="admin")
def get_run(request: Request, app) -> Response:
    from .runs import engine

    found = engine.summary(_services(app), request.path_params["run_id"])
    if found is None:
        raise NotFound(f"no run {request.path_params['run_id']!r}")
    return Response.json(found)


@router.route("POST", "/api/report-runs/{run_id}/retry", role="admin")
def retry_run(request: Request, app) -> Response:
    """Send a partial or failed run's failed reports again (only those)."""
    from .extension import start_in_background
    from .runs import engine

    check.only_fields(request.json(), (), "request")  # the run is named by the path; no body fields
    services, run_id = _services(app), request.path_params["run_id"]
    if engine.summary(services, run_id) is None:
        raise NotFound(f"no run {run_id!r}")
    if engine.retry(services, run_id) is None:
        raise Conflict("only a finished run with failed reports can be retried")
    start_in_background(app, run_id)
    return Response.json({"run_id": run_id}, status=202)


@router.route("GET", "/api/recipients", role="admin")
def all_recipients(request: Request, app) -> Response:
    from .catalogue import reports_for

    services = _services(app)
    ids = [report.id for report in reports_for(services.load_knowledge_base().base)]
    return Response.json({rid: found.as_dict() for rid, found in services.recipients.many(ids).items()})


@router.route("GET", "/api/recipients/{report_id}", role="admin")
def recipients_of(request: Request, app) -> Response:
    report_id = _known_report(app, request.path_params["report_id"])
    return Response.json(_services(app).recipients.get(report_id).as_dict())


@router.route("PUT", "/api/recipients/{report_id}", role="admin")
def set_recipients(request: Request, app) -> Response:
    report_id = _known_report(app, request.path_params["report_id"])
    return Response.json(_services(app).recipients.put(report_id, request.json()).as_dict())


def _known_report(app, report_id: str) -> str:
    from .catalogue import reports_for

    if report_id not in {r.id for r in reports_for(_services(app).load_knowledge_base().base)}:
        raise NotFound(f"no report {report_id!r}")
    return report_id


def _tasks(app):
    from .tasks import TaskStore

    return TaskStore(app.clients.dynamodb, table=app.settings.tasks_table)


@router.route("GET", "/api/tasks", role="user")
def list_tasks(request: Request, app) -> Response:
    return Response.json(_tasks(app).list())


@router.route("POST", "/api/tasks", role="user")
def add_task(request: Request, app) -> Response:
    return Response.json(
        _tasks(app).create(request.json(), actor=request.user["email"], now=app.now()), status=201
    )


@router.route("PATCH", "/api/tasks/{task_id}", role="user")
def change_task(request: Request, app) -> Response:
    return Response.json(_tasks(app).update(request.path_params["task_id"], request.json(), now=app.now()))
