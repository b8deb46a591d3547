"""Convert between plain Python values and DynamoDB's typed attribute values."""

from __future__ import annotations

from decimal import Decimal

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(values: dict) -> dict:
    """Serialise a dict of Python values (floats must already be Decimal) for the low-level client."""
    return {key: _serializer.serialize(value) for key, value in values.items() if value is not None}


def from_item(item: dict | None) -> dict | None:
    """Deserialise a low-level item; numbers come back as Decimal."""
    if item is None:
        return None
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def value(python_value) -> dict:
    """Serialise one value, e.g. for ExpressionAttributeValues."""
    return _serializer.serialize(python_value)


def plain(data):
    """Turn Decimals into int/float recursively, so the value can be JSON-encoded."""
    if isinstance(data, Decimal):
        return int(data) if data == data.to_integral_value() else float(data)
    if isinstance(data, dict):
        return {key: plain(item) for key, item in data.items()}
    if isinstance(data, list | tuple | set):
        return [plain(item) for item in data]
    return data


def is_conditional_failure(error) -> bool:
    """Tell whether a ClientError is a failed condition or a write race (ours to handle, not a fault).

    A cancelled transaction counts only when a condition failed or another transaction raced
    it; a cancellation for any other reason (validation, capacity) is a real error to raise.
    """
    response = error.response
    code = response.get("Error", {}).get("Code", "")
    if code == "ConditionalCheckFailedException":
        return True
    if code != "TransactionCanceledException":
        return False
    reasons = {reason.get("Code") for reason in response.get("CancellationReasons", [])} - {"None", None}
    if not reasons:  # no per-item reasons: only the message says why
        message = response.get("Error", {}).get("Message", "")
        return "ConditionalCheckFailed" in message or "TransactionConflict" in message
    return reasons <= _RACES


_RACES = frozenset({"ConditionalCheckFailed", "TransactionConflict"})
