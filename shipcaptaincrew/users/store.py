"""Users in DynamoDB; each write moves the users-by-role counters in the same transaction."""

from __future__ import annotations

from datetime import datetime

from .. import counters
from .. import validation as check
from ..errors import BadRequest, Conflict, NotFound
from ..storage import items
from ..storage.versioned import VersionedTable

ROLES = ("admin", "captain", "crew")


class UserStore:
    """Add, list, change and remove the people who may sign in."""

    def __init__(self, dynamodb, *, table: str, counters_table: str):
        self._db = dynamodb
        self._table = VersionedTable(
            dynamodb,
            table=table,
            key="email",
            counters_table=counters_table,
            contribution=counters.user_contribution,
        )

    def get(self, email: str) -> dict | None:
        """Return the user with this (normalised) address, or None."""
        return self._table.get(email.lower())

    def create(self, body: dict, *, now: datetime) -> dict:
        """Add a user from a client's body; 409 if the address already exists."""
        check.only_fields(body, ("email", "role", "name"), "user")
        user = {
            "email": check.email(body.get("email")),
            "role": check.choice(body.get("role", "crew"), "role", ROLES),
            "name": check.text(body.get("name"), "name", max_length=120, required=False),
            "created_at": now.isoformat(timespec="seconds"),
        }
        user = {k: v for k, v in user.items() if v is not None}

        def add(old: dict | None) -> dict:
            if old is not None:
                raise Conflict(f"{user['email']} is already a user", field="email")
            return user

        return self._table.mutate(user["email"], add)

    def ensure(self, email: str, role: str, *, now: datetime, name: str | None = None) -> dict:
        """Create the user if missing (bootstrap), leaving an existing one as it is."""
        email = email.lower()
        new = {"email": email, "role": role, "created_at": now.isoformat(timespec="seconds")}
        if name:
            new["name"] = name
        return self._table.mutate(email, lambda old: old or new)

    def update(self, email: str, body: dict) -> dict:
        """Change a user's role or name."""
        check.only_fields(body, ("role", "name"), "user")
        if not body:
            raise BadRequest("nothing to change: send role or name")
        changes = {}
        if "role" in body:
            changes["role"] = check.choice(body["role"], "role", ROLES)
        if "name" in body:
            changes["name"] = check.text(body["name"], "name", max_length=120, required=False)

        def apply(old: dict | None) -> dict:
            if old is None:
                raise NotFound(f"no user {email!r}")
            merged = {**old, **changes}
            return {k: v for k, v in merged.items() if v is not None}

        return self._table.mutate(email.lower(), apply)

    def delete(self, email: str) -> None:
        """Remove a user; their sessions stop working at the next request."""

        def remove(old: dict | None) -> None:
            if old is None:
                raise NotFound(f"no user {email!r}")

        self._table.mutate(email.lower(), remove)

    def list(self) -> list[dict]:
        """Return every user, sorted by address (the team is small: a Scan is fine here)."""
        found = []
        for page in self._db.get_paginator("scan").paginate(TableName=self._table.table):
            found.extend(items.from_item(raw) for raw in page["Items"])
        return sorted(found, key=lambda user: user["email"])
