"""IAM access keys, read from the account's credential report (one CSV for every user).

The credential report gives each user's two keys with their age (`last_rotated` is the
creation date) and last use, so the audit needs two calls however many users there are,
instead of ListUsers plus ListAccessKeys and GetAccessKeyLastUsed per user and key.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from ...vocabulary import Severity
from ..model import AwsSource, Finding

MAX_KEY_AGE_DAYS = 90
MAX_IDLE_DAYS = 90
ROOT = "<root_account>"  # how the report names the account's root user
NEVER = {"N/A", "no_information", "not_supported", ""}
API = "GetCredentialReport"


def parse_credential_report(content: bytes | str) -> list[dict[str, str]]:
    """Return the report's rows (one per user, the root user included) as column -> text."""
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return list(csv.DictReader(io.StringIO(text)))


def key_age(rows: list[dict[str, str]], *, today: date) -> list[Finding]:
    """Flag each active key created more than 90 days before `today`."""
    found = []
    for row, number, created in _active_keys(rows):
        age = (today - created).days
        if age > MAX_KEY_AGE_DAYS:
            found.append(
                Finding(
                    "iam-key-age",
                    Severity.HIGH,
                    f"Access key {number} of {_who(row)} is {age} days old",
                    "Create a new key, move its users to it, then deactivate and delete the old one.",
                    AwsSource("iam", API, row["arn"]),
                )
            )
    return found


def key_unused(rows: list[dict[str, str]], *, today: date) -> list[Finding]:
    """Flag each active key not used in the last 90 days (or never used, and older than that)."""
    found = []
    for row, number, created in _active_keys(rows):
        used = _day(row.get(f"access_key_{number}_last_used_date", ""))
        idle = (today - (used or created)).days
        if idle > MAX_IDLE_DAYS:
            how = f"unused for {idle} days" if used else f"never used in {idle} days"
            found.append(
                Finding(
                    "iam-key-unused",
                    Severity.MEDIUM,
                    f"Access key {number} of {_who(row)} is {how}",
                    "Deactivate the key, and delete it if nothing breaks within a week.",
                    AwsSource("iam", API, row["arn"]),
                )
            )
    return found


def _active_keys(rows):
    for row in rows:
        for number in (1, 2):
            created = _day(row.get(f"access_key_{number}_last_rotated", ""))
            if row.get(f"access_key_{number}_active") == "true" and created:
                yield row, number, created


def _who(row: dict[str, str]) -> str:
    return "the root user" if row["user"] == ROOT else row["user"]


def _day(text: str) -> date | None:
    """Return the UTC day of a report timestamp ("2026-08-01T09:30:00+00:00"), None for "N/A"."""
    if text in NEVER:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
