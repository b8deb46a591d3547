"""Magic links: single-use, short-lived, stored only as a hash, rate-limited per address."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from ..errors import TooManyRequests, Unauthorized
from ..storage import items

LINK_TTL = timedelta(minutes=15)
RATE_WINDOW = timedelta(minutes=10)
RATE_LIMIT = 5
MAX_TOKEN_LENGTH = 128


def digest(secret_text: str) -> str:
    """Return the SHA-256 hex digest: links and addresses are stored only in this form."""
    return hashlib.sha256(secret_text.encode()).hexdigest()


class MagicLinks:
    """Issue and redeem sign-in links in the auth table (items expire through DynamoDB TTL)."""

    def __init__(self, dynamodb, *, table: str):
        self._db = dynamodb
        self._table = table

    def count_request(self, email: str, *, now: datetime) -> None:
        """Count one link request for `email`; raise TooManyRequests past the limit."""
        window = int(now.timestamp() // RATE_WINDOW.total_seconds())
        window_end = (window + 1) * int(RATE_WINDOW.total_seconds())
        try:
            self._db.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"rate#{digest(email)}#{window}"}},
                UpdateExpression="ADD attempts :one SET expires_at = :expires",
                ConditionExpression="attribute_not_exists(attempts) OR attempts < :limit",
                ExpressionAttributeValues={
                    ":one": items.value(1),
                    ":limit": items.value(RATE_LIMIT),
                    ":expires": items.value(window_end),
                },
            )
        except ClientError as error:
            if not items.is_conditional_failure(error):
                raise
            retry_after = max(1, window_end - int(now.timestamp()))
            raise TooManyRequests(
                "too many sign-in links requested for this address; try again later",
                headers={"Retry-After": str(retry_after)},
            ) from None

    def issue(self, email: str, *, now: datetime) -> str:
        """Store a new link for `email` and return its token (256 random bits)."""
        token = secrets.token_urlsafe(32)
        self._db.put_item(
            TableName=self._table,
            Item=items.to_item(
                {
                    "pk": f"link#{digest(token)}",
                    "email": email,
                    "created_at": int(now.timestamp()),
                    "expires_at": int((now + LINK_TTL).timestamp()),
                }
            ),
        )
        return token

    def redeem(self, token, *, now: datetime) -> str:
        """Mark the link used and return its email; raise Unauthorized if invalid, expired or used."""
        refused = Unauthorized("this sign-in link is invalid, expired or already used")
        if not isinstance(token, str) or not 16 <= len(token) <= MAX_TOKEN_LENGTH:
            raise refused
        try:
            response = self._db.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"link#{digest(token)}"}},
                UpdateExpression="SET used_at = :now",
                ConditionExpression=(
                    "attribute_exists(pk) AND attribute_not_exists(used_at) AND expires_at > :now"
                ),
                ExpressionAttributeValues={":now": items.value(int(now.timestamp()))},
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if items.is_conditional_failure(error):
                raise refused from None
            raise
        return items.from_item(response["Attributes"])["email"]
