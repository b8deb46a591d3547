"""Secrets Manager: every secret rotated at least once (or on a rotation schedule)."""

from __future__ import annotations

from ...vocabulary import Severity
from ..model import AwsSource, Finding


def not_rotated(secrets: list[dict]) -> list[Finding]:
    """Flag each secret (ListSecrets entries) with no rotation set up and never rotated.

    ListSecrets leaves `RotationEnabled` and `LastRotatedDate` out when they are false or unset.
    """
    return [
        Finding(
            "secret-not-rotated",
            Severity.MEDIUM,
            f"Secret {secret['Name']} has never been rotated",
            "Turn on rotation with a rotation function, or rotate it by hand and on a calendar.",
            AwsSource("secretsmanager", "ListSecrets", secret["ARN"]),
        )
        for secret in secrets
        if not secret.get("RotationEnabled") and not secret.get("LastRotatedDate")
    ]
