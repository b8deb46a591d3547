"""Routes: admins manage the people who may sign in."""

from __future__ import annotations

from ..errors import Conflict
from ..http import Request, Response, Router
from .auth import public_user

router = Router()


@router.route("GET", "/api/users", role="admin")
def list_users(request: Request, app) -> Response:
    return Response.json([public_user(user) for user in app.users.list()])


@router.route("POST", "/api/users", role="admin")
def add_user(request: Request, app) -> Response:
    user = app.users.create(request.json(), now=app.now())
    return Response.json(public_user(user), status=201)


@router.route("PATCH", "/api/users/{email}", role="admin")
def change_user(request: Request, app) -> Response:
    email = request.path_params["email"].lower()
    body = request.json()
    if email == request.user["email"] and body.get("role", "admin") != "admin":
        raise Conflict("you cannot remove your own admin role; ask another admin", field="role")
    return Response.json(public_user(app.users.update(email, body, now=app.now())))


@router.route("DELETE", "/api/users/{email}", role="admin")
def remove_user(request: Request, app) -> Response:
    email = request.path_params["email"].lower()
    if email == request.user["email"]:
        raise Conflict("you cannot remove yourself; ask another admin")
    app.users.delete(email)
    return Response(status=204)
