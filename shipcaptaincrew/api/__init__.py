"""The HTTP API: every area's routes in one table, and the edge that applies auth and CORS."""

from __future__ import annotations

import logging

from ..http import Request, Response, Router, bearer_token, error_response, parse_event, require_role
from . import auth, events, settings, users

log = logging.getLogger(__name__)

# The host's own routes; the App adds each extension's after them (App.routes).
ROUTES = Router()
for area in (auth, users, events, settings):
    ROUTES.include(area.router)


def handle(event: dict, app) -> dict:
    """Answer one API Gateway event; bad input is a 4xx, a bug a logged 500 with a request id."""
    request = None
    try:
        request = parse_event(event)
        response = _respond(request, app)
    except Exception as error:  # noqa: BLE001 - the edge: every failure becomes a response
        response = error_response(error, request.request_id if request else "unknown")
    if request is not None:
        response.headers.update(_cors_headers(request, app.settings.allowed_origin))
        log.info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status,
            },
        )
    return response.to_event()


def _respond(request: Request, app) -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    route, params = app.routes.resolve(request.method, request.path)
    request.path_params = params
    if route.role:
        request.user = app.authenticate(bearer_token(request))
        require_role(request.user, route.role)
    return route.handler(request, app)


def _cors_headers(request: Request, allowed_origin: str | None) -> dict[str, str]:
    """Allow the configured dashboard origin only; other origins get no CORS headers."""
    origin = request.headers.get("origin")
    if not allowed_origin or origin != allowed_origin:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key",
        "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }
