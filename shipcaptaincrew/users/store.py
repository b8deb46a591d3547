"""Users in DynamoDB; each write moves the users-by-role counters in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from .. import counters
from .. import validation as check
from ..errors import BadRequest, Conflict, NotFound
from ..storage import items
from ..storage.versioned import VersionedTable

ROLES = ("admin", "captain", "crew")
ADMIN_COUNTER = "role#admin"


class LastAdmin(Conflict):
    """Demoting or deleting the only admin left: nobody could manage the team any more."""

    code = "last_admin"


def revoked_before(now: datetime) -> int:
    """Return the `sessions_valid_after` that revokes every session issued up to `now`.

    Tokens carry whole seconds (`iat`); a session is valid when `iat >= sessions_valid_after`,
    and a token issued later is stamped at least this value (Sessions.issue `not_before`).
    """
    return int(now.timestamp()) + 1


class _UserTable(VersionedTable):
    """The users table, whose writes also keep at least one admin.

    A write that lowers the admin count carries a condition on the aggregate counter it moves
    (`role#admin` must stay >= 1 after it) in the same transaction, so two admins demoting each
    other at once cannot both succeed: the second transaction fails its condition, is re-read
    and refused with 409 `last_admin`.
    """

    def _write(self, old: dict | None, new: dict | None) -> None:
        operations = [self._item_operation(old, new)]
        delta = counters.difference(self._contribution(old), self._contribution(new))
        counter_update = counters.update_operation(self._counters_table, delta)
        if counter_update and delta.get(ADMIN_COUNTER, 0) < 0:
            update = counter_update["Update"]
            placeholder = next(
                name for name, key in update["ExpressionAttributeNames"].items() if key == ADMIN_COUNTER
            )
            update["ConditionExpression"] = f"{placeholder} >= :keep"
            update["ExpressionAttributeValues"][":keep"] = items.value(1 - delta[ADMIN_COUNTER])
        if counter_update:
            operations.append(counter_update)
        self._db.transact_write_items(TransactItems=operations)

    def admin_count(self) -> int:
        """Return the live number of admins (the aggregate counter, read consistently)."""
        response = self._db.get_item(
            TableName=self._counters_table,
            Key={"name": {"S": counters.AGGREGATE_KEY}},
            ConsistentRead=True,
        )
        stored = items.from_item(response.get("Item")) or {}
        return int(stored.get(ADMIN_COUNTER, 0))


class UserStore:
    """Add, list, change and remove the people who may sign in."""

    def __init__(self, dynamodb, *, table: str, counters_table: str):
        self._db = dynamodb
        self._table = _UserTable(
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
            "name": check.header_text(body.get("name"), "name", max_length=120, required=False),
            "created_at": now.isoformat(timespec="seconds"),
            # A token issued before this person (re-)existed never works: removing someone and
            # adding them back does not revive their old sessions.
            "sessions_valid_after": int(now.timestamp()),
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
        new = {
            "email": email,
            "role": role,
            "created_at": now.isoformat(timespec="seconds"),
            "sessions_valid_after": int(now.timestamp()),
        }
        if name:
            new["name"] = name
        return self._table.mutate(email, lambda old: old or new)

    def update(self, email: str, body: dict, *, now: datetime | None = None) -> dict:
        """Change a user's role or name; a role change revokes their sessions.

        Demoting the last admin is 409 `last_admin` (checked again inside the write).
        """
        now = now or datetime.now(UTC)
        check.only_fields(body, ("role", "name"), "user")
        if not body:
            raise BadRequest("nothing to change: send role or name")
        changes = {}
        if "role" in body:
            changes["role"] = check.choice(body["role"], "role", ROLES)
        if "name" in body:
            changes["name"] = check.header_text(body["name"], "name", max_length=120, required=False)

        def apply(old: dict | None) -> dict:
            if old is None:
                raise NotFound(f"no user {email!r}")
            merged = {**old, **changes}
            if merged["role"] != old["role"]:
                self._keep_an_admin(old, f"{email} is the last admin; make someone else admin first")
                merged["sessions_valid_after"] = revoked_before(now)
            return {k: v for k, v in merged.items() if v is not None}

        return self._table.mutate(email.lower(), apply)

    def promote(self, email: str, *, now: datetime) -> dict | None:
        """Make an existing user admin again (ADMIN_EMAILS at sign-in); return the user."""

        def apply(old: dict | None) -> dict | None:
            if old is None or old["role"] == "admin":
                return old
            return {**old, "role": "admin", "sessions_valid_after": revoked_before(now)}

        return self._table.mutate(email.lower(), apply)

    def revoke_sessions(self, email: str, *, now: datetime) -> None:
        """Sign the user out everywhere: every session issued up to now stops working."""

        def apply(old: dict | None) -> dict | None:
            if old is None:
                return None
            return {
                **old,
                "sessions_valid_after": max(int(old.get("sessions_valid_after", 0)), revoked_before(now)),
            }

        self._table.mutate(email.lower(), apply)

    def delete(self, email: str) -> None:
        """Remove a user; their sessions stop working at the next request (409 for the last admin)."""

        def remove(old: dict | None) -> None:
            if old is None:
                raise NotFound(f"no user {email!r}")
            self._keep_an_admin(old, f"{email} is the last admin and cannot be removed")

        self._table.mutate(email.lower(), remove)

    def _keep_an_admin(self, old: dict, message: str) -> None:
        """Refuse a change that takes the admin role from `old` when no other admin is left."""
        if old["role"] == "admin" and self._table.admin_count() <= 1:
            raise LastAdmin(message, field="role")

    def list(self) -> list[dict]:
        """Return every user, sorted by address (the team is small: a Scan is fine here)."""
        found = []
        for page in self._db.get_paginator("scan").paginate(TableName=self._table.table):
            found.extend(items.from_item(raw) for raw in page["Items"])
        return sorted(found, key=lambda user: user["email"])
