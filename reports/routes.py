"""HTTP routes of the reports extension (admin only, but the tasks board): thin handlers.

Each handler parses the request, calls the extension's runtime (`host.runtime("reports")`, built
once per App) and shapes the answer.
"""

from __future__ import annotations

import re

from . import deployed_schedule
from .host import BadRequest, Host, Request, Response, Router
from .host import validation as check

router = Router()
NAME = "reports"
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
PREVIEW_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def reports(host: Host):
    """Return the extension's runtime in this App (`reports.runtime.Reports`)."""
    return host.runtime(NAME)


@router.route("GET", "/api/reports", role="admin")
def catalogue(request: Request, host: Host) -> Response:
    """List the reports with audience, recipients and how their last delivery went."""
    return Response.json(reports(host).catalogue())


@router.route("GET", "/api/reports/schedule", role="admin")
def report_schedule(request: Request, host: Host) -> Response:
    """When the scheduled reports go out next: as EventBridge Scheduler holds the schedule in AWS
    (the settings locally, or with the reason when it cannot be read)."""
    return Response.json(deployed_schedule.current(host))


@router.route("GET", "/api/reports/{report_id}/preview", role="admin")
def preview(request: Request, host: Host) -> Response:
    """Render one report now, as HTML, text or the JSON its templates receive."""
    fmt = request.query.get("format", "html")
    check.choice(fmt, "format", ("html", "text", "json"))
    rendered = reports(host).preview(request.path_params["report_id"])
    if fmt == "json":
        return Response.json({"subject": rendered.subject, **rendered.data})
    if fmt == "text":
        return Response(body=rendered.text, headers={"Content-Type": "text/plain; charset=utf-8"})
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": PREVIEW_POLICY}
    return Response(body=rendered.html, headers=headers)


@router.route("POST", "/api/generate-reports", role="admin")
def generate_reports(request: Request, host: Host) -> Response:
    """Start a run and answer at once; the sending goes on in the background."""
    body = request.json()
    check.only_fields(body, ("reports", "dry_run"), "request")
    wanted = body.get("reports")
    if wanted is not None and (not isinstance(wanted, list) or not all(isinstance(r, str) for r in wanted)):
        raise BadRequest("reports must be a list of report ids", field="reports")
    dry_run = check.boolean(body.get("dry_run", False), "dry_run")
    key = request.headers.get("idempotency-key")
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        raise BadRequest("Idempotency-Key must be 1-128 letters, digits or . _ : -", field="Idempotency-Key")
    scoped = f"{request.user['email']}:{key}" if key else None
    runtime = reports(host)
    runtime.count_use(
        "report runs", request.user["email"], runtime.settings.reports_max_runs_per_hour, once_per=key
    )
    run, process = runtime.start_run(reports=wanted or None, dry_run=dry_run, trigger="dashboard", key=scoped)
    if process:
        runtime.start_in_background(run.run_id)
    return Response.json({"run_id": run.run_id}, status=202)


@router.route("GET", "/api/report-runs", role="admin")
def list_runs(request: Request, host: Host) -> Response:
    return Response.json(reports(host).recent_runs())


@router.route("GET", "/api/report-runs/{run_id}", role="admin")
def get_run(request: Request, host: Host) -> Response:
    return Response.json(reports(host).summary(request.path_params["run_id"]))


@router.route("POST", "/api/report-runs/{run_id}/retry", role="admin")
def retry_run(request: Request, host: Host) -> Response:
    """Send a partial or failed run's failed reports again (only those)."""
    check.only_fields(request.json(), (), "request")  # the run is named by the path; no body fields
    run_id = request.path_params["run_id"]
    reports(host).retry(run_id)
    return Response.json({"run_id": run_id}, status=202)


@router.route("GET", "/api/recipients", role="admin")
def all_recipients(request: Request, host: Host) -> Response:
    runtime = reports(host)
    ids = [report.id for report in runtime.reports()]
    return Response.json({rid: found.as_dict() for rid, found in runtime.recipients.many(ids).items()})


@router.route("GET", "/api/recipients/{report_id}", role="admin")
def recipients_of(request: Request, host: Host) -> Response:
    runtime = reports(host)
    report_id = runtime.known(request.path_params["report_id"])
    return Response.json(runtime.recipients.get(report_id).as_dict())


@router.route("PUT", "/api/recipients/{report_id}", role="admin")
def set_recipients(request: Request, host: Host) -> Response:
    runtime = reports(host)
    report_id = runtime.known(request.path_params["report_id"])
    return Response.json(runtime.recipients.put(report_id, request.json()).as_dict())


@router.route("GET", "/api/tasks", role="user")
def list_tasks(request: Request, host: Host) -> Response:
    """One page of the board: `{tasks, next_cursor}`; pass it back as `cursor` (null at the end)."""
    cards, cursor = reports(host).tasks.page(
        limit=request.query.get("limit"), cursor=request.query.get("cursor")
    )
    return Response.json({"tasks": cards, "next_cursor": cursor})


@router.route("POST", "/api/tasks", role="user")
def add_task(request: Request, host: Host) -> Response:
    body = request.json()
    runtime = reports(host)
    runtime.count_use("tasks", request.user["email"], runtime.settings.tasks_max_per_user_per_hour)
    created = runtime.tasks.create(body, actor=request.user["email"], now=host.now())
    return Response.json(created, status=201)


@router.route("PATCH", "/api/tasks/{task_id}", role="user")
def change_task(request: Request, host: Host) -> Response:
    task_id = request.path_params["task_id"]
    return Response.json(reports(host).tasks.update(task_id, request.json(), now=host.now()))


@router.route("DELETE", "/api/tasks/{task_id}", role="admin")
def remove_task(request: Request, host: Host) -> Response:
    """Archive a card: it leaves the board but is kept, with who archived it and when."""
    reports(host).tasks.archive(request.path_params["task_id"], actor=request.user["email"], now=host.now())
    return Response(status=204)
