"""The documents the deploy hands the AWS CLI: the execution role's policy rendered from
docs/iam-policy.json, the scheduler role's policy, the schedules' input, and the dashboard's files
grouped by content type and cache policy."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .settings import (
    ROOT,
    DeploySettings,
    app_settings,
    app_tables,
    lambda_environment,
    reports_settings,
    schedule_name,
)

POLICY_TEMPLATE = ROOT / "docs" / "iam-policy.json"
# A schedule whose delivery fails is retried for up to six hours, then kept in the dead-letter queue.
RETRY_POLICY = {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 6 * 3600}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",
}
# index.html is revalidated on every load so a deploy shows at once; the files it names may be
# cached briefly (no build step, so their names carry no content hash).
CACHE_HTML = "no-cache"
CACHE_ASSET = "public, max-age=300"


def _bucket_and_prefix(location: str | None) -> tuple[str | None, str | None]:
    if not location or not location.startswith("s3://"):
        return None, None
    bucket, _, prefix = location[5:].partition("/")
    return bucket, prefix.strip("/") + "/" if prefix.strip("/") else ""


def policy_values(sources: dict[str, str], settings: DeploySettings, account: str) -> dict[str, object]:
    """Return the values the policy template's ${PLACEHOLDERS} stand for (None: not configured)."""
    app = app_settings(lambda_environment(sources)[0])
    table_arn = f"arn:aws:dynamodb:{settings.region}:{account}:table/"
    tables = app_tables(app)
    extension = reports_settings(app)
    kb_bucket, kb_prefix = _bucket_and_prefix(extension.knowledge_base)
    archive_bucket, archive_prefix = _bucket_and_prefix(extension.reports_archive)
    return {
        "REGION": settings.region,
        "ACCOUNT_ID": account,
        "FUNCTION_NAME": settings.function_name,
        "TABLE_ARNS": [table_arn + table for table in tables],
        "TABLE_INDEX_ARNS": [f"{table_arn}{table}/index/*" for table in tables],
        "SES_FROM_ADDRESS": app.ses_from_address,
        "SES_FROM_DOMAIN": app.ses_from_address.rpartition("@")[2],
        "SES_CONFIGURATION_SET": settings.ses_configuration_set,
        "JWT_SECRET_ARN": app.jwt_secret_arn,
        "KB_BUCKET": kb_bucket,
        "KB_PREFIX": kb_prefix,
        "ARCHIVE_BUCKET": archive_bucket,
        "ARCHIVE_PREFIX": archive_prefix,
        "SCHEDULE_DLQ_NAME": settings.schedule_dlq_name,
        "REPORTS_SCHEDULE_NAME": schedule_name("reports", settings),
        "STAGE": settings.stage,
    }


def render_policy(template: dict, values: dict[str, object]) -> dict:
    """Fill a policy template: a string naming an unset value is dropped, and so is a statement
    left with no resource; a string that is exactly one list placeholder becomes that list."""
    statements = []
    for statement in template["Statement"]:
        filled = {key: _fill(value, values) for key, value in statement.items()}
        if filled.get("Resource") and ("Condition" not in statement or filled.get("Condition")):
            statements.append(filled)
    return {**template, "Statement": statements}


def _fill(value, values: dict[str, object]):
    if isinstance(value, dict):
        filled = {key: _fill(item, values) for key, item in value.items()}
        return {key: item for key, item in filled.items() if item not in (None, [], {})}
    if isinstance(value, list):
        result = []
        for item in value:
            filled = _fill(item, values)
            result.extend(filled if isinstance(filled, list) and not isinstance(item, list) else [filled])
        return [item for item in result if item is not None]
    if not isinstance(value, str):
        return value
    whole = re.fullmatch(r"\$\{(\w+)\}", value)
    if whole and isinstance(values.get(whole.group(1)), list):
        return values[whole.group(1)]
    names = re.findall(r"\$\{(\w+)\}", value)
    if any(values.get(name) is None for name in names):
        return None
    return re.sub(r"\$\{(\w+)\}", lambda match: str(values[match.group(1)]), value)


def scheduler_policy(settings: DeploySettings, account: str) -> dict:
    """Return the scheduler role's policy: invoke the function's alias, dead-letter to the queue."""
    function = f"arn:aws:lambda:{settings.region}:{account}:function:{settings.function_name}"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "InvokeAlias", "Effect": "Allow", "Action": "lambda:InvokeFunction",
             "Resource": f"{function}:{settings.stage}"},
            {"Sid": "DeadLetter", "Effect": "Allow", "Action": "sqs:SendMessage",
             "Resource": f"arn:aws:sqs:{settings.region}:{account}:{settings.schedule_dlq_name}"},
        ],
    }  # fmt: skip


def schedule_input(kind: str, settings: DeploySettings, account: str) -> dict:
    """Return create-schedule/update-schedule's --cli-input-json for the reports or push-to-book."""
    function = f"arn:aws:lambda:{settings.region}:{account}:function:{settings.function_name}"
    if kind == "reports":
        action, expression, zone = "send_reports", settings.reports_schedule, settings.reports_schedule_tz
    else:
        action, expression, zone = (
            "push_to_book",
            settings.push_to_book_schedule,
            settings.push_to_book_schedule_tz,
        )
    return {
        "Name": schedule_name(kind, settings),
        "GroupName": "default",
        "Description": f"Ship Captain Crew {action.replace('_', ' ')} ({settings.stage})",
        "ScheduleExpression": expression,
        "ScheduleExpressionTimezone": zone,
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "State": "ENABLED",
        "Target": {
            "Arn": f"{function}:{settings.stage}",
            "RoleArn": f"arn:aws:iam::{account}:role/{settings.scheduler_role_name}",
            # The scheduled time is the run's key: a schedule delivered twice sends each report once.
            "Input": json.dumps({"action": action, "scheduled_time": "<aws.scheduler.scheduled-time>"}),
            "RetryPolicy": RETRY_POLICY,
            "DeadLetterConfig": {
                "Arn": f"arn:aws:sqs:{settings.region}:{account}:{settings.schedule_dlq_name}"
            },
        },
    }


# SES's delivery events (SESv1 names; SESv2's DELIVERY, BOUNCE, COMPLAINT, REJECT) published to SNS.
SES_EVENT_TYPES = ("delivery", "bounce", "complaint", "reject")
SNS_PERMISSION_ID = "sns-ses-delivery-events"  # the alias's resource-policy statement for the topic


def event_destination_name(settings: DeploySettings) -> str:
    return f"{settings.ses_configuration_set}-sns"


def event_destination(settings: DeploySettings, topic_arn: str) -> dict:
    """Return create-configuration-set-event-destination's --event-destination: the reports'
    delivery events to the SNS topic the Lambda subscribes to."""
    return {
        "Name": event_destination_name(settings),
        "Enabled": True,
        "MatchingEventTypes": list(SES_EVENT_TYPES),
        "SNSDestination": {"TopicARN": topic_arn},
    }


def topic_policy(settings: DeploySettings, account: str, topic_arn: str) -> dict:
    """Return the topic's policy: SES may publish to it for this account's configuration set only."""
    source = f"arn:aws:ses:{settings.region}:{account}:configuration-set/{settings.ses_configuration_set}"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "SesPublishesDeliveryEvents", "Effect": "Allow",
             "Principal": {"Service": "ses.amazonaws.com"}, "Action": "sns:Publish", "Resource": topic_arn,
             "Condition": {"StringEquals": {"AWS:SourceAccount": account, "AWS:SourceArn": source}}},
        ],
    }  # fmt: skip


def asset_groups(folder: Path, asset_cache: str = CACHE_ASSET) -> list[tuple[str, str, list[str]]]:
    """Return (content type, cache control, include patterns) per kind of dashboard file, so each
    kind is uploaded with one call; a file without a suffix is named by its own path."""
    groups: dict[tuple[str, str], set[str]] = {}
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder)
        if not file.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        suffix = file.suffix.lower()
        content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
        cache = CACHE_HTML if suffix == ".html" else asset_cache
        pattern = f"*{file.suffix}" if file.suffix else relative.as_posix()
        groups.setdefault((content_type, cache), set()).add(pattern)
    return [
        (content_type, cache, sorted(patterns)) for (content_type, cache), patterns in sorted(groups.items())
    ]
