"""Pace sends to the account's maximum send rate.

The rate is read once per run from the account's quota (SESv2 `get_account`, falling back
to SES `get_send_quota`) unless configured. Throttling that still happens is retried by
botocore's `adaptive` retry mode on the client; this module only spaces the starts.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger(__name__)
MAX_WORKERS = 10  # concurrent sends at most, whatever the quota: a report run is small
FALLBACK_RATE = 1.0  # the SES sandbox rate: the safe guess when the quota cannot be read
HEADROOM = 1.1  # account-wide slots are 10% wider than 1/rate (see SharedPacer)


def max_send_rate(sesv2, ses, configured: float | None = None) -> float:
    """Return emails per second allowed: configured, else the account's quota, else 1."""
    if configured:
        return float(configured)
    try:
        return float(sesv2.get_account()["SendQuota"]["MaxSendRate"])
    except (ClientError, BotoCoreError, KeyError) as error:
        log.info("SESv2 get_account unavailable, trying SES get_send_quota", extra={"error": str(error)})
    try:
        return float(ses.get_send_quota()["MaxSendRate"])
    except (ClientError, BotoCoreError, KeyError) as error:
        log.warning("send quota unreadable; pacing at the sandbox rate", extra={"error": str(error)})
    return FALLBACK_RATE


def workers_for(rate: float) -> int:
    """Return how many sends may be in flight: enough to reach the rate, at most MAX_WORKERS."""
    return max(1, min(MAX_WORKERS, math.ceil(rate)))


class Pacer:
    """Space the starts of sends 1/rate seconds apart, across threads."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if rate <= 0:
            raise ValueError("the send rate must be positive")
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until this caller's slot comes; slots are handed out in call order."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


class SharedPacer:
    """Space sends across every run and container: the next free slot is one DynamoDB item, taken
    with a conditional write, so four runs at once still send at the rate together.

    Slots are HEADROOM wider than 1/rate: a sender wakes a little late now and then (a busy CPU,
    a slow network), and a late send lands nearer the next one; with the headroom, up to 0.1 s of
    such lateness still never puts more than the maximum into any one second.
    """

    def __init__(
        self,
        dynamodb,
        *,
        table: str,
        rate: float,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if rate <= 0:
            raise ValueError("the send rate must be positive")
        self.interval_ms = math.ceil(1000 * HEADROOM / rate)
        self._db = dynamodb
        self._table = table
        self._clock = clock
        self._sleep = sleep

    def wait(self) -> None:
        """Block until this caller's slot comes: now if the pacer is idle, else the next free one."""
        now = int(self._clock() * 1000)
        slot = self._take_now(now)
        if slot is None:
            slot = self._take_next()
        if slot > now:
            self._sleep((slot - now) / 1000)

    def _take_now(self, now: int) -> int | None:
        """Take the slot `now` if no later slot is taken yet (one conditional write); else None."""
        try:
            self._db.update_item(
                TableName=self._table,
                Key=KEY,
                UpdateExpression="SET next_ms = :following",
                ConditionExpression="attribute_not_exists(next_ms) OR next_ms <= :now",
                ExpressionAttributeValues={
                    ":now": {"N": str(now)},
                    ":following": {"N": str(now + self.interval_ms)},
                },
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        return now

    def _take_next(self) -> int:
        """Take the next free slot (an atomic ADD: concurrent senders each get their own)."""
        answer = self._db.update_item(
            TableName=self._table,
            Key=KEY,
            UpdateExpression="ADD next_ms :interval",
            ExpressionAttributeValues={":interval": {"N": str(self.interval_ms)}},
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["next_ms"]["N"]) - self.interval_ms


KEY = {"run_id": {"S": "#pacer"}}  # beside the runs in their table; not a run (see runs/locks.py)
