"""What deploy.sh needs worked out in Python: the deploy settings from the environment and repos.env,
the Lambda's environment (names printed, never values), the IAM policies, the schedules' input and
the frontend's content types. See docs/operations.md for every setting.

    python scripts/deploy_config.py shell --env-file repos.env [--function NAME] [--stage NAME]
    python scripts/deploy_config.py lambda-env --env-file repos.env OUT.json
    python scripts/deploy_config.py policy --env-file repos.env --account ID OUT.json
    python scripts/deploy_config.py scheduler-policy --env-file repos.env --account ID OUT.json
    python scripts/deploy_config.py schedule reports|push_to_book --env-file repos.env --account ID OUT.json
    python scripts/deploy_config.py assets DIR
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shipcaptaincrew import config  # noqa: E402 - the app's own list of settings and their checks
from shipcaptaincrew.errors import ConfigError  # noqa: E402

POLICY_TEMPLATE = ROOT / "docs" / "iam-policy.json"
CADENCES = {"weekly": "cron(0 6 ? * MON *)", "monthly": "cron(0 6 1 * ? *)"}
PUSH_TO_BOOK_DAILY = "cron(0 9 * * ? *)"
# A schedule whose delivery fails is retried for up to six hours, then kept in the dead-letter queue.
RETRY_POLICY = {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 6 * 3600}
LOCAL_ONLY = {"SCC_LOCAL", "MAIL_OUTBOX_DIR", "AWS_LAMBDA_FUNCTION_NAME"}
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


class DeployConfigError(Exception):
    """A deploy setting is missing or wrong; the message names it."""


@dataclass(frozen=True)
class DeploySettings:
    """Everything deploy.sh needs besides the app's own settings."""

    region: str
    function_name: str
    stage: str
    lambda_role_name: str
    lambda_memory_mb: int
    lambda_timeout: int
    assets_bucket: str
    cloudfront_distribution_id: str
    reports_schedule: str
    reports_schedule_tz: str
    push_to_book_schedule: str
    push_to_book_schedule_tz: str
    schedule_dlq_name: str
    scheduler_role_name: str


def merged_sources(env_file: Path | None, environ=os.environ) -> dict[str, str]:
    """Return repos.env's values overridden by the environment's (as the app reads them)."""
    try:
        values = config.read_env_file(env_file) if env_file else {}
    except ConfigError as error:
        raise DeployConfigError(str(error)) from None
    values.update(environ)
    return {key: value for key, value in values.items() if value != ""}


def load(sources: dict[str, str], *, function: str | None = None, stage: str | None = None) -> DeploySettings:
    """Build and check the deploy settings; raise DeployConfigError naming the bad key."""
    name = function or sources.get("FUNCTION_NAME", "shipcaptaincrew")
    settings = DeploySettings(
        region=sources.get("AWS_REGION") or sources.get("AWS_DEFAULT_REGION") or "us-west-2",
        function_name=name,
        stage=stage or "live",
        lambda_role_name=sources.get("LAMBDA_ROLE_NAME", f"{name}-lambda"),
        lambda_memory_mb=_number(sources, "LAMBDA_MEMORY_MB", 512, 128, 10240),
        lambda_timeout=_number(sources, "LAMBDA_TIMEOUT", 300, 1, 900),
        assets_bucket=sources.get("ASSETS_BUCKET", config.Settings.assets_bucket),
        cloudfront_distribution_id=sources.get("CLOUDFRONT_DISTRIBUTION_ID", ""),
        reports_schedule=_expression("REPORTS_SCHEDULE", sources.get("REPORTS_SCHEDULE", "weekly"), CADENCES),
        reports_schedule_tz=_zone("REPORTS_SCHEDULE_TZ", sources.get("REPORTS_SCHEDULE_TZ")),
        push_to_book_schedule=_expression(
            "PUSH_TO_BOOK_SCHEDULE",
            sources.get("PUSH_TO_BOOK_SCHEDULE", "daily"),
            {"daily": PUSH_TO_BOOK_DAILY},
        ),
        push_to_book_schedule_tz=_zone("BUSINESS_TIMEZONE", sources.get("BUSINESS_TIMEZONE")),
        schedule_dlq_name=sources.get("SCHEDULE_DLQ_NAME", f"{name}-schedule-dlq"),
        scheduler_role_name=sources.get("SCHEDULER_ROLE_NAME", f"{name}-scheduler"),
    )
    for key, value in (("FUNCTION_NAME", settings.function_name), ("--stage", settings.stage)):
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value) or (key == "--stage" and value.isdigit()):
            raise DeployConfigError(f"{key}: {value!r} is not a valid Lambda function or alias name")
    return settings


def _number(sources: dict[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = sources.get(key, str(default))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise DeployConfigError(f"{key}: expected a whole number from {low} to {high}, got {raw!r}")
    return int(raw)


def _expression(key: str, value: str, cadences: dict[str, str]) -> str:
    """Return a Scheduler expression for a named cadence or a raw cron(...)/rate(...)."""
    if value in cadences:
        return cadences[value]
    if re.fullmatch(r"cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)", value):
        return value
    names = " or ".join(f"'{name}'" for name in cadences)
    raise DeployConfigError(f"{key}: expected {names}, a cron(...) or a rate(...) expression, got {value!r}")


def _zone(key: str, value: str | None) -> str:
    zone = value or "America/Los_Angeles"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DeployConfigError(f"{key}: unknown time zone {zone!r}") from None
    return zone


def lambda_environment(sources: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Return the Lambda's environment variables (the app's settings only) and warnings about them."""
    forwarded = {
        name: value
        for name, value in sorted(sources.items())
        if name in config.ENV_NAMES and name not in LOCAL_ONLY and not name.startswith("AWS_")
    }
    warnings = []
    if "JWT_SECRET_ARN" in forwarded and forwarded.pop("JWT_SECRET", None) is not None:
        warnings.append("JWT_SECRET is not forwarded: JWT_SECRET_ARN is set and the Lambda reads that")
    elif "JWT_SECRET" in forwarded:
        warnings.append("JWT_SECRET is a plain environment variable; prefer JWT_SECRET_ARN in production")
    archive = forwarded.get("REPORTS_ARCHIVE", "")
    if not archive.startswith("s3://"):
        raise DeployConfigError(
            "REPORTS_ARCHIVE: set it to s3://bucket/prefix; the Lambda sends no report unarchived "
            "and cannot write to its own disk"
        )
    knowledge_base = forwarded.get("KNOWLEDGE_BASE", "examples/portfolio")
    if not knowledge_base.startswith(("s3://", "examples/portfolio")):
        raise DeployConfigError(
            "KNOWLEDGE_BASE: in the Lambda it must be s3://bucket/prefix or the bundled sample"
        )
    try:
        config.load(forwarded)  # the checks the Lambda's cold start will make, made before shipping
    except ConfigError as error:
        raise DeployConfigError(f"the Lambda would refuse this configuration: {error}") from None
    return forwarded, warnings


def _bucket_and_prefix(location: str | None) -> tuple[str | None, str | None]:
    if not location or not location.startswith("s3://"):
        return None, None
    bucket, _, prefix = location[5:].partition("/")
    return bucket, prefix.strip("/") + "/" if prefix.strip("/") else ""


def policy_values(sources: dict[str, str], settings: DeploySettings, account: str) -> dict[str, object]:
    """Return the values the policy template's ${PLACEHOLDERS} stand for (None: not configured)."""
    app = config.load({**lambda_environment(sources)[0]})
    table_arn = f"arn:aws:dynamodb:{settings.region}:{account}:table/"
    tables = sorted(getattr(app, field) for field in asdict(app) if field.endswith("_table"))
    kb_bucket, kb_prefix = _bucket_and_prefix(app.knowledge_base)
    archive_bucket, archive_prefix = _bucket_and_prefix(app.reports_archive)
    return {
        "REGION": settings.region,
        "ACCOUNT_ID": account,
        "FUNCTION_NAME": settings.function_name,
        "TABLE_ARNS": [table_arn + table for table in tables],
        "TABLE_INDEX_ARNS": [f"{table_arn}{table}/index/*" for table in tables],
        "SES_FROM_ADDRESS": app.ses_from_address,
        "SES_FROM_DOMAIN": app.ses_from_address.rpartition("@")[2],
        "SES_CONFIGURATION_SET": app.ses_configuration_set,
        "JWT_SECRET_ARN": app.jwt_secret_arn,
        "KB_BUCKET": kb_bucket,
        "KB_PREFIX": kb_prefix,
        "ARCHIVE_BUCKET": archive_bucket,
        "ARCHIVE_PREFIX": archive_prefix,
        "SCHEDULE_DLQ_NAME": settings.schedule_dlq_name,
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


def schedule_name(kind: str, settings: DeploySettings) -> str:
    action = "send-reports" if kind == "reports" else "push-to-book"
    return f"{settings.function_name}-{settings.stage}-{action}"


def asset_groups(folder: Path) -> list[tuple[str, str, list[str]]]:
    """Return (content type, cache control, include patterns) per kind of dashboard file, so each
    kind is uploaded with one call; a file without a suffix is named by its own path."""
    groups: dict[tuple[str, str], set[str]] = {}
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder)
        if not file.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        suffix = file.suffix.lower()
        content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
        cache = CACHE_HTML if suffix == ".html" else CACHE_ASSET
        pattern = f"*{file.suffix}" if file.suffix else relative.as_posix()
        groups.setdefault((content_type, cache), set()).add(pattern)
    return [
        (content_type, cache, sorted(patterns)) for (content_type, cache), patterns in sorted(groups.items())
    ]


def _shell(settings: DeploySettings) -> str:
    lines = [f"{key.upper()}={shlex.quote(str(value))}" for key, value in asdict(settings).items()]
    lines += [
        f"REPORTS_SCHEDULE_NAME={shlex.quote(schedule_name('reports', settings))}",
        f"PUSH_TO_BOOK_SCHEDULE_NAME={shlex.quote(schedule_name('push_to_book', settings))}",
    ]
    return "\n".join(lines)


def _write(path: Path, document: dict) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # may hold secrets
    with os.fdopen(fd, "w") as out:
        json.dump(document, out, indent=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "command", choices=["shell", "lambda-env", "policy", "scheduler-policy", "schedule", "assets"]
    )
    parser.add_argument("args", nargs="*")
    parser.add_argument("--env-file", type=Path, default=ROOT / config.ENV_FILE)
    parser.add_argument("--function")
    parser.add_argument("--stage")
    parser.add_argument("--account", default="<account>")
    options = parser.parse_intermixed_args(argv)
    try:
        return _run(options)
    except DeployConfigError as error:
        print(f"deploy: error: {error}", file=sys.stderr)
        return 2


def _run(options: argparse.Namespace) -> int:
    if options.command == "assets":
        for content_type, cache, patterns in asset_groups(Path(options.args[0])):
            print(f"{content_type}\t{cache}\t{' '.join(patterns)}")
        return 0
    sources = merged_sources(options.env_file)
    settings = load(sources, function=options.function, stage=options.stage)
    if options.command == "shell":
        print(_shell(settings))
    elif options.command == "lambda-env":
        variables, warnings = lambda_environment(sources)
        _write(Path(options.args[0]), {"Variables": variables})
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(" ".join(variables))  # names only: values may be secrets
    elif options.command == "policy":
        template = json.loads(POLICY_TEMPLATE.read_text())
        _write(
            Path(options.args[0]), render_policy(template, policy_values(sources, settings, options.account))
        )
    elif options.command == "scheduler-policy":
        _write(Path(options.args[0]), scheduler_policy(settings, options.account))
    elif options.command == "schedule":
        _write(Path(options.args[1]), schedule_input(options.args[0], settings, options.account))
    return 0


if __name__ == "__main__":
    sys.exit(main())
