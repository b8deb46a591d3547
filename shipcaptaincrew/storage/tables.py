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

    def create_request(self) -> dict:
        """Return DynamoDB CreateTable's request: on demand, string keys, every index projecting
        all (`provision` sends it; the deploy hands it to the CLI as --cli-input-json)."""
        keys = [self.hash_key] + ([self.range_key] if self.range_key else [])
        attributes = set(keys) | {name for index in self.indexes for name in index[1:]}
        request = {
            "TableName": self.name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": "S"} for name in sorted(attributes)
            ],
            "KeySchema": _key_schema(self.hash_key, self.range_key),
        }
        if self.indexes:
            request["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": name,
                    "KeySchema": _key_schema(hash_key, range_key),
                    "Projection": {"ProjectionType": "ALL"},
                }
                for name, hash_key, range_key in self.indexes
            ]
        return request


def _key_schema(hash_key: str, range_key: str | None) -> list[dict]:
    return [{"AttributeName": hash_key, "KeyType": "HASH"}] + (
        [{"AttributeName": range_key, "KeyType": "RANGE"}] if range_key else []
    )


def table_specs(settings: Settings) -> list[TableSpec]:
    """Return every table the host app itself reads or writes (extensions declare their own)."""
    return [
        TableSpec(settings.users_table, "email"),
        TableSpec(settings.events_table, "id", indexes=(("by_status", "status", "date"),)),
        TableSpec(settings.counters_table, "name"),
        TableSpec(settings.auth_table, "pk", ttl_attribute="expires_at"),
        TableSpec(settings.nudges_table, "event_id"),
    ]
