"""HTTP routes of the reports extension (admin only, but the tasks board): thin handlers.

Each handler parses the request, calls the extension's runtime (`host.runtime("reports")`, built
once per App) and shapes the answer.
"""

from __future__ import annotations

import hashlib
import re

from botocore.exceptions import ClientError

from .host import AppError, BadRequest, Host, Request, Response, Router, items
from .host import validation as check

router = Router()
NAME = "reports"
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
PREVIEW_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class TooManyRequests(AppError):
    """A per-person hourly limit reached (runs started, cards added): 429 with Retry-After."""

    status = 429
    code = "too_many_requests"


def hourly_quota(host: Host, what: str, actor: str, limit: int, *, once_per: str | None = None) -> None:
    """Count one `what` by `actor` in this clock hour; 429 once `limit` are used.

    The counter is one item in the host's rate-limit table (TTL to the end of the hour), keyed
    by a hash of the address, taken with a conditional ADD: concurrent requests cannot overshoot.
    `once_per` (an idempotency key) counts a repeat of the same request in the hour once: a
    double click joins its run without using up the budget.
    """
    now = int(host.now().timestamp())
    window = now // 3600
    window_end = (window + 1) * 3600
    person = hashlib.sha256(actor.encode()).hexdigest()
    dynamodb, table = host.clients.dynamodb, host.settings.auth_table
    if once_per is not None:
        repeat = hashlib.sha256(f"{actor}\x00{once_per}".encode()).hexdigest()
        try:
            dynamodb.put_item(
                TableName=table,
                Item={
                    "pk": {"S": f"quota-key#{what}#{repeat}#{window}"},
                    "expires_at": items.value(window_end),
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if not items.is_conditional_failure(error):
                raise
            return  # this request was counted already this hour
    try:
        dynamodb.update_item(
            TableName=table,
            Key={"pk": {"S": f"quota#{what}#{person}#{window}"}},
            UpdateExpression="ADD used :one SET expires_at = :expires",
            ConditionExpression="attribute_not_exists(used) OR used < :limit",
            ExpressionAttributeValues={
                ":one": items.value(1),
                ":limit": items.value(limit),
                ":expires": items.value(window_end),
            },
        )
    except ClientError as error:
        if not items.is_conditional_failure(error):
            raise
        raise TooManyRequests(
            f"at most {limit} {what} per person per hour; try again later",
            headers={"Retry-After": str(max(1, window_end - now))},
        ) from None


def settings(host: Host):
    """Return the extension's settings (ReportsSettings)."""
    return host.settings_of(NAME)


def reports(host: Host):
    """Return the extension's runtime in this App (`reports.runtime.Reports`)."""
    return host.runtime(NAME)


@router.route("GET", "/api/reports", role="admin")
def catalogue(request: Request, host: Host) -> Response:
    """List the reports with audience, recipients and how their last delivery went."""
    return Response.json(reports(host).catalogue())


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
    hourly_quota(
        host, "report runs", request.user["email"], settings(host).reports_max_runs_per_hour, once_per=key
    )
    try:
        run, created = runtime.start_run(
            reports=wanted or None, dry_run=dry_run, trigger="dashboard", key=scoped
        )
    except ValueError as error:  # unknown report ids
        raise BadRequest(str(error), field="reports") from None
    if created:
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
    hourly_quota(host, "tasks", request.user["email"], settings(host).tasks_max_per_user_per_hour)
    created = reports(host).tasks.create(body, actor=request.user["email"], now=host.now())
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
