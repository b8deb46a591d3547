"""The documents `deploy.sh --create` hands the AWS CLI for what stands in front of the function
and watches it: the CloudFront distribution (assets bucket behind an origin access control,
`/api/*` to the HTTP API), its response-headers policy, the bucket policy that lets only that
distribution read, the dashboard staged under a per-version prefix, the failed-run metric filter,
and the names every one of them is found again by."""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
from pathlib import Path

from .settings import DeploySettings

# The dashboard's policy, as shipcaptaincrew/local/server.py sends it and frontend/index.html
# repeats it (frame-ancestors only works as a header, so the local server and CloudFront add it).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HSTS_SECONDS = 63072000  # two years
REFERRER_POLICY = "no-referrer"
# CloudFront's managed policies (the same IDs in every account).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
# The dashboard's files live under assets/<version>/, named by a hash of the whole of frontend/:
# a name never changes its contents, so they are cached for a year and never invalidated.
ASSETS_PREFIX = "assets"
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
# The app's failed-run log line (docs/operations.md, "The failed-run alarm").
FAILED_RUN_PATTERN = '{ $.level = "ERROR" && $.message = "report run failed" }'
METRIC_NAMESPACE = "ShipCaptainCrew"
METRIC_NAME = "ReportRunFailed"
API_PERMISSION_ID = "http-api"  # the alias's resource-policy statement for the HTTP API
TAG_KEY = "shipcaptaincrew"  # every resource --create makes is tagged shipcaptaincrew=<function>


def names(settings: DeploySettings) -> dict[str, str]:
    """Return the name each --create resource is found again by, as shell variable -> value."""
    function, stage = settings.function_name, settings.stage
    return {
        "SECRET_NAME": f"{function}/jwt",
        "API_NAME": f"{function}-{stage}",
        "DISTRIBUTION_COMMENT": f"{function}-{stage} dashboard",
        "OAC_NAME": f"{function}-{stage}-assets",
        "HEADERS_POLICY_NAME": f"{function}-{stage}-dashboard-headers",
        "LOG_GROUP": f"/aws/lambda/{function}",
        "METRIC_FILTER_NAME": f"{function}-report-run-failed",
        "ALARM_NAME": f"{function}-report-run-failed",
        "ALARM_TOPIC": f"{function}-alarms",
        "API_PERMISSION_ID": API_PERMISSION_ID,
        "TAG_KEY": TAG_KEY,
        "FAILED_RUN_PATTERN": FAILED_RUN_PATTERN,
        "METRIC_NAMESPACE": METRIC_NAMESPACE,
        "METRIC_NAME": METRIC_NAME,
    }


def write_secret(path: Path) -> None:
    """Write a new random signing key to a private file (never printed)."""
    path.touch(mode=0o600)
    path.write_text(secrets.token_urlsafe(48))


def headers_policy(name: str) -> dict:
    """Return create-response-headers-policy's --response-headers-policy-config."""
    return {
        "Name": name,
        "Comment": "Ship Captain Crew dashboard: CSP, HSTS, nosniff, referrer policy, no framing",
        "SecurityHeadersConfig": {
            "ContentSecurityPolicy": {"Override": True, "ContentSecurityPolicy": CONTENT_SECURITY_POLICY},
            "StrictTransportSecurity": {
                "Override": True,
                "AccessControlMaxAgeSec": HSTS_SECONDS,
                "IncludeSubdomains": True,
                "Preload": False,
            },
            "ContentTypeOptions": {"Override": True},
            "FrameOptions": {"Override": True, "FrameOption": "DENY"},
            "ReferrerPolicy": {"Override": True, "ReferrerPolicy": REFERRER_POLICY},
        },
    }


def headers_summary() -> list[str]:
    """Return the response headers the distribution adds, one per line, as printed."""
    return [
        f"Content-Security-Policy: {CONTENT_SECURITY_POLICY}",
        f"Strict-Transport-Security: max-age={HSTS_SECONDS}; includeSubDomains",
        "X-Content-Type-Options: nosniff",
        "X-Frame-Options: DENY",
        f"Referrer-Policy: {REFERRER_POLICY}",
    ]


def distribution_config(
    settings: DeploySettings, *, comment: str, api_domain: str, oac_id: str, headers_policy_id: str
) -> dict:
    """Return create-distribution's --distribution-config: the assets bucket (through the origin
    access control) by default, index.html at /, and /api/* to the HTTP API uncached."""
    headers = {"ResponseHeadersPolicyId": headers_policy_id} if headers_policy_id else {}
    all_methods = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    return {
        "CallerReference": comment,
        "Comment": comment,
        "Enabled": True,
        "DefaultRootObject": "index.html",
        "HttpVersion": "http2and3",
        "PriceClass": "PriceClass_100",
        "Origins": {
            "Quantity": 2,
            "Items": [
                {
                    "Id": "assets",
                    "DomainName": f"{settings.assets_bucket}.s3.{settings.region}.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": oac_id,
                },
                {
                    "Id": "api",
                    "DomainName": api_domain,
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                    },
                },
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "assets",
            "ViewerProtocolPolicy": "redirect-to-https",
            "Compress": True,
            "CachePolicyId": CACHING_OPTIMIZED,
            "AllowedMethods": {
                "Quantity": 2,
                "Items": ["GET", "HEAD"],
                "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
            },
            **headers,
        },
        "CacheBehaviors": {
            "Quantity": 1,
            "Items": [
                {
                    "PathPattern": "/api/*",
                    "TargetOriginId": "api",
                    "ViewerProtocolPolicy": "https-only",
                    "Compress": True,
                    "CachePolicyId": CACHING_DISABLED,
                    "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST_HEADER,
                    "AllowedMethods": {
                        "Quantity": len(all_methods),
                        "Items": all_methods,
                        "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
                    },
                    **headers,
                }
            ],
        },
    }


def bucket_policy(bucket: str, distribution_arn: str) -> dict:
    """Return the assets bucket's policy: only this distribution (through its OAC) may read."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "CloudFrontReadsTheDashboard", "Effect": "Allow",
             "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{bucket}/*",
             "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}}},
        ],
    }  # fmt: skip


def _files(folder: Path) -> list[Path]:
    return [
        file
        for file in sorted(folder.rglob("*"))
        if file.is_file() and not any(part.startswith(".") for part in file.relative_to(folder).parts)
    ]


def version(folder: Path) -> str:
    """Return the dashboard's version: a hash of every file's path and contents."""
    digest = hashlib.sha256()
    for file in _files(folder):
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()[:16]


def stage_assets(folder: Path, out: Path) -> str:
    """Copy frontend/ into out/: index.html (and any other root page) at the top, naming its files
    under /assets/<version>/, and every other file under assets/<version>/. Return the version.
    The app's files are not changed: only the uploaded copy of the page is rewritten."""
    tag = version(folder)
    prefix = f"{ASSETS_PREFIX}/{tag}"
    present = {file.relative_to(folder).as_posix() for file in _files(folder)}
    for file in _files(folder):
        relative = file.relative_to(folder).as_posix()
        if relative.endswith(".html") and "/" not in relative:
            target = out / relative

            def rewrite(match: re.Match) -> str:
                attribute, quote, path = match.group(1), match.group(2), match.group(3)
                name = path.removeprefix("./")
                if name in present:
                    return f"{attribute}={quote}/{prefix}/{name}{quote}"
                return match.group(0)

            text = re.sub(r"""\b(src|href)=(["'])([^"'#?:]+)\2""", rewrite, file.read_text())
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        else:
            target = out / prefix / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
    return tag


def table_input(spec) -> dict:
    """Return create-table's --cli-input-json for one of the app's TableSpecs, exactly the request
    `python -m shipcaptaincrew provision` sends."""
    return spec.create_request()
