"""Route: the few settings the dashboard needs to draw its forms (no secrets, signed in only)."""

from __future__ import annotations

from ..events.model import STATUSES
from ..http import Request, Response, Router
from ..users.store import ROLES

router = Router()


@router.route("GET", "/api/settings", role="user")
def dashboard_settings(request: Request, app) -> Response:
    """Return the business's zone, its entities and the allowed values, so the page never
    hard-codes what the server validates."""
    return Response.json(
        {
            "timezone": app.settings.business_timezone,
            "entities": list(app.settings.entity_ids),
            "statuses": list(STATUSES),
            "roles": list(ROLES),
        }
    )
