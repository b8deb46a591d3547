"""Budgets per fixed period (sign-in links per source or in all, report runs per admin, cards per
person): one counter item per period, taken with a conditional ADD, so concurrent requests can
never overshoot, and gone with the period (TTL)."""

from __future__ import annotations

from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from ..errors import TooManyRequests
from . import items


def take(
    dynamodb, *, table: str, key: str, limit: int, period: timedelta, now: datetime, refusal: str
) -> None:
    """Use one of `limit` in the current period of `key`; 429 with Retry-After once none is left."""
    seconds = int(period.total_seconds())
    window = int(now.timestamp() // seconds)
    window_end = (window + 1) * seconds
    try:
        dynamodb.update_item(
            TableName=table,
            Key={"pk": {"S": f"{key}#{window}"}},
            UpdateExpression="ADD attempts :one SET expires_at = :expires",
            ConditionExpression="attribute_not_exists(attempts) OR attempts < :limit",
            ExpressionAttributeValues={
                ":one": items.value(1),
                ":limit": items.value(limit),
                ":expires": items.value(window_end),
            },
        )
    except ClientError as error:
        if not items.is_conditional_failure(error):
            raise
        retry_after = max(1, window_end - int(now.timestamp()))
        raise TooManyRequests(
            f"{refusal}; try again later", headers={"Retry-After": str(retry_after)}
        ) from None


def first_time(dynamodb, *, table: str, key: str, period: timedelta, now: datetime) -> bool:
    """Tell whether `key` is seen for the first time in the current period (and remember it)."""
    seconds = int(period.total_seconds())
    window = int(now.timestamp() // seconds)
    try:
        dynamodb.put_item(
            TableName=table,
            Item={"pk": {"S": f"{key}#{window}"}, "expires_at": items.value((window + 1) * seconds)},
            ConditionExpression="attribute_not_exists(pk)",
        )
    except ClientError as error:
        if not items.is_conditional_failure(error):
            raise
        return False
    return True
