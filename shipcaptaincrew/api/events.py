"""Routes: charters and their checklists."""

from __future__ import annotations

from .. import validation as check
from ..errors import BadRequest
from ..events.model import STATUSES
from ..http import Request, Response, Router

router = Router()


@router.route("GET", "/api/events", role="user")
def list_events(request: Request, app) -> Response:
    """List charters, optionally one status, a page at a time."""
    status = request.query.get("status") or None
    if status is not None:
        check.choice(status, "status", STATUSES)
    limit = request.query.get("limit", "100")
    # isascii: "²".isdigit() is True but int("²") raises, which was a 500 for ?limit=².
    if not (limit.isascii() and limit.isdigit()) or not 1 <= int(limit) <= 500:
        raise BadRequest("limit must be a whole number from 1 to 500", field="limit")
    events, cursor = app.events.list(status=status, limit=int(limit), cursor=request.query.get("cursor"))
    return Response.json({"events": events, "next_cursor": cursor})


@router.route("POST", "/api/events", role="admin")
def create_event(request: Request, app) -> Response:
    event = app.events.create(request.json(), actor=request.user["email"], now=app.now())
    return Response.json(event, status=201)


@router.route("GET", "/api/events/{event_id}", role="user")
def get_event(request: Request, app) -> Response:
    return Response.json(app.events.get(request.path_params["event_id"]))


@router.route("PATCH", "/api/events/{event_id}", role="admin")
def change_event(request: Request, app) -> Response:
    return Response.json(app.events.update(request.path_params["event_id"], request.json(), now=app.now()))


@router.route("DELETE", "/api/events/{event_id}", role="admin")
def delete_event(request: Request, app) -> Response:
    app.events.delete(request.path_params["event_id"])
    return Response(status=204)


@router.route("PUT", "/api/events/{event_id}/checklist/{item_id}", role="user")
def tick_item(request: Request, app) -> Response:
    """Mark one checklist item done or not done (captains and crew may do this)."""
    body = request.json()
    check.only_fields(body, ("done",), "checklist item")
    if "done" not in body:
        raise BadRequest("done is required", field="done")
    done = check.boolean(body["done"], "done")
    params = request.path_params
    return Response.json(app.events.tick(params["event_id"], params["item_id"], done, now=app.now()))
