"""S3 buckets: a full public access block on each, and no bucket policy that makes it public.

Both checks take {bucket name: API answer}, the answer None when S3 says there is none
(NoSuchPublicAccessBlockConfiguration, NoSuchBucketPolicy).
"""

from __future__ import annotations

from collections.abc import Mapping

from ...vocabulary import Severity
from ..model import AwsSource, Finding

BLOCKS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def public_access_block(blocks: Mapping[str, dict | None]) -> list[Finding]:
    """Flag each bucket whose public access block is missing or leaves a setting off."""
    found = []
    for bucket, answer in blocks.items():
        settings = (answer or {}).get("PublicAccessBlockConfiguration", {})
        off = [name for name in BLOCKS if not settings.get(name)]
        if off:
            what = "no public access block" if not settings else f"{', '.join(off)} off"
            found.append(
                Finding(
                    "s3-public-access-block",
                    Severity.MEDIUM,
                    f"Bucket {bucket} has {what}",
                    "Turn on all four public access block settings for the bucket "
                    "(or for the whole account).",
                    AwsSource("s3", "GetPublicAccessBlock", f"arn:aws:s3:::{bucket}"),
                )
            )
    return found


def restricts_public_policy(answer: dict | None) -> bool:
    """Say whether a bucket's block (GetPublicAccessBlock) keeps any policy from making it public.

    With RestrictPublicBuckets on, only AWS services and the owner's account reach the bucket
    whatever its policy says, so its policy status need not be read.
    """
    return bool((answer or {}).get("PublicAccessBlockConfiguration", {}).get("RestrictPublicBuckets"))


def public_policy(statuses: Mapping[str, dict | None]) -> list[Finding]:
    """Flag each bucket whose bucket policy grants access to anyone (S3's own verdict).

    The reader leaves out buckets that restrict public buckets (`restricts_public_policy`).
    """
    return [
        Finding(
            "s3-public-policy",
            Severity.CRITICAL,
            f"Bucket {bucket} is public through its bucket policy",
            'Remove the statements that allow Principal "*", and serve public files through '
            "CloudFront with an origin access control.",
            AwsSource("s3", "GetBucketPolicyStatus", f"arn:aws:s3:::{bucket}"),
        )
        for bucket, answer in statuses.items()
        if (answer or {}).get("PolicyStatus", {}).get("IsPublic")
    ]
