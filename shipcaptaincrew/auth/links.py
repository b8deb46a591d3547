"""Magic links: single-use, short-lived, stored only as a hash, rate-limited per address,
per source IP and globally."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from botocore.exceptions import ClientError

from ..errors import TooManyRequests, Unauthorized
from ..storage import budgets, items

HOUR = timedelta(hours=1)
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

    def count_request(
        self,
        email: str,
        *,
        now: datetime,
        source_ip: str | None = None,
        per_source_per_hour: int,
        global_per_hour: int,
    ) -> None:
        """Count one link request; raise TooManyRequests (429, Retry-After) past any budget.

        Three budgets, applied alike whether or not `email` is a user (an unknown address is
        counted under the hash of its address, with a TTL, and never stored as a person):
        at most RATE_LIMIT links per address in any RATE_WINDOW (a sliding window: the times
        of the last sends are kept), `per_source_per_hour` per source IP and `global_per_hour`
        in all, per clock hour. The two hourly budgets are the caller's settings (no defaults
        here, so the settings are the one place they are set).
        """
        self._count_address(email, now=now)
        if source_ip:
            self._count_fixed(f"rate-ip#{digest(source_ip)}", per_source_per_hour, HOUR, now=now)
        self._count_fixed("rate-all", global_per_hour, HOUR, now=now)

    def _count_address(self, email: str, *, now: datetime) -> None:
        """Sliding window: keep the request times of the last RATE_WINDOW, refuse the 6th."""
        key = {"pk": {"S": f"rate#{digest(email)}"}}
        stamp = now.timestamp()
        window = RATE_WINDOW.total_seconds()
        for _attempt in range(5):
            response = self._db.get_item(TableName=self._table, Key=key, ConsistentRead=True)
            stored = items.from_item(response.get("Item")) or {}
            recent = sorted(float(t) for t in stored.get("sent", []) if float(t) > stamp - window)
            if len(recent) >= RATE_LIMIT:
                retry_after = max(1, math.ceil(recent[-RATE_LIMIT] + window - stamp))
                raise _too_many("too many sign-in links requested for this address", retry_after)
            version = int(stored.get("version", 0))
            item = {
                "pk": key["pk"]["S"],
                "sent": [Decimal(str(round(t, 3))) for t in [*recent, stamp]],
                "version": version + 1,
                "expires_at": int(stamp + window) + 1,
            }
            try:
                self._db.put_item(
                    TableName=self._table,
                    Item=items.to_item(item),
                    ConditionExpression="attribute_not_exists(pk) OR version = :v",
                    ExpressionAttributeValues={":v": items.value(version)},
                )
                return
            except ClientError as error:
                if not items.is_conditional_failure(error):
                    raise
        # Still racing after a few tries: a burst for this address; refuse rather than overshoot.
        raise _too_many("too many sign-in links requested for this address", 1)

    def _count_fixed(self, name: str, limit: int, period: timedelta, *, now: datetime) -> None:
        """A counter per period; refuse once it reaches `limit`."""
        refusal = "too many sign-in links requested"
        budgets.take(
            self._db, table=self._table, key=name, limit=limit, period=period, now=now, refusal=refusal
        )

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


def _too_many(message: str, retry_after: int) -> TooManyRequests:
    return TooManyRequests(f"{message}; try again later", headers={"Retry-After": str(int(retry_after))})
