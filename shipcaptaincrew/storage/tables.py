"""The DynamoDB tables the app needs: their keys, indexes and TTL, in one declaration."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Settings


@dataclass(frozen=True)
class TableSpec:
    """One table: name, string keys, optional global secondary indexes and TTL attribute."""

    name: str
    hash_key: str
    range_key: str | None = None
    indexes: tuple[tuple[str, str, str], ...] = ()  # (index name, hash key, range key)
    ttl_attribute: str | None = None


def table_specs(settings: Settings) -> list[TableSpec]:
    """Return every table the host app itself reads or writes (extensions declare their own)."""
    return [
        TableSpec(settings.users_table, "email"),
        TableSpec(settings.events_table, "id", indexes=(("by_status", "status", "date"),)),
        TableSpec(settings.counters_table, "name"),
        TableSpec(settings.auth_table, "pk", ttl_attribute="expires_at"),
        TableSpec(settings.nudges_table, "event_id"),
    ]
