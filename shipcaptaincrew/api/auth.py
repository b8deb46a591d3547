"""Routes: request a magic link, redeem it, and who am I."""

from __future__ import annotations

import logging
import time

from .. import validation as check
from ..auth import signin
from ..http import Request, Response, Router

log = logging.getLogger(__name__)
router = Router()
ACCEPTED = {"message": "If this address may sign in, a link is on its way. It expires in 15 minutes."}


@router.route("POST", "/api/auth/magic-link")
def request_link(request: Request, app) -> Response:
    """Answer 202 with the same body and at least the same delay whether or not it is a user."""
    started = time.monotonic()
    request.require_json()
    body = request.json()
    check.only_fields(body, ("email",), "request")
    email = check.email(body.get("email"))
    settings = app.settings
    app.links.count_request(
        email,
        now=app.now(),
        source_ip=request.source_ip,
        per_source_per_hour=settings.magic_link_per_source_per_hour,
        global_per_hour=settings.magic_link_global_per_hour,
    )
    try:
        signin.send_link(app, email)
    except Exception:
        # The answer must not reveal that this was a user; the failure is logged for operators.
        log.exception("could not send a sign-in link", extra={"request_id": request.request_id})
    remaining = app.settings.magic_link_min_seconds - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    return Response.json(ACCEPTED, status=202)


@router.route("POST", "/api/auth/verify")
def verify(request: Request, app) -> Response:
    """Redeem a link token for a session token."""
    request.require_json()
    body = request.json()
    check.only_fields(body, ("token",), "request")
    token, user = signin.redeem(app, body.get("token"))
    return Response.json({"token": token, "user": public_user(user)})


@router.route("POST", "/api/auth/sign-out", role="user")
def sign_out(request: Request, app) -> Response:
    """Revoke every session of the signed-in user issued up to now (this one included)."""
    check.only_fields(request.json(), (), "request")  # no body fields
    app.users.revoke_sessions(request.user["email"], now=app.now())
    return Response(status=204)


@router.route("GET", "/api/me", role="user")
def me(request: Request, app) -> Response:
    """Return the signed-in user."""
    return Response.json(public_user(request.user))


def public_user(user: dict) -> dict:
    """Return the fields of a user that clients may see."""
    return {key: user[key] for key in ("email", "role", "name") if key in user}
