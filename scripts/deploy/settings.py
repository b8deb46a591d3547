"""The deploy's settings, from the environment over repos.env over defaults, each checked and
named when wrong; and the Lambda's environment: the app's own settings only, checked as its cold
start will check them. Every key is described in docs/operations.md."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The repository root is on sys.path already: deploy.sh runs `python -m scripts.deploy` from it.
from reports.plugin import extension as reports_extension
from shipcaptaincrew import config  # the app's own list of settings and their checks
from shipcaptaincrew.app import App
from shipcaptaincrew.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
CADENCES = {"weekly": "cron(0 6 ? * MON *)", "monthly": "cron(0 6 1 * ? *)"}
PUSH_TO_BOOK_DAILY = "cron(0 9 * * ? *)"
LOCAL_ONLY = {"SCC_LOCAL", "MAIL_OUTBOX_DIR", "AWS_LAMBDA_FUNCTION_NAME"}


class DeployConfigError(Exception):
    """A deploy setting is missing or wrong; the message names it."""


# --- the app's configuration: every use of shipcaptaincrew.config in this package is in this block
DEFAULT_ENV_FILE = ROOT / config.ENV_FILE  # repos.env
DEFAULT_ASSETS_BUCKET = config.Settings.assets_bucket
EXTENSIONS = (reports_extension,)  # what lambda_function.py composes (its import would run the cold start)
SECTIONS = tuple(extension.settings for extension in EXTENSIONS if extension.settings)


def app_env_names() -> set[str]:
    """Return the names of the app's own settings: only these can reach the Lambda's environment."""
    names = set(config.ENV_NAMES)
    for section in SECTIONS:
        names |= set(config.env_names(section))
    return names


def app_tables(settings: config.Settings) -> list[str]:
    """Return the names of every table the composed app uses."""
    return sorted(spec.name for spec in App(settings, extensions=EXTENSIONS).tables())


def reports_settings(settings: config.Settings):
    """Return the reports extension's settings section (knowledge base, archive...)."""
    return settings.section(reports_extension.settings)


def read_env_file(path: Path) -> dict[str, str]:
    """Read repos.env as the app reads it; raise DeployConfigError naming the bad line."""
    try:
        return config.read_env_file(path)
    except ConfigError as error:
        raise DeployConfigError(str(error)) from None


def app_settings(variables: dict[str, str]) -> config.Settings:
    """Return the app's settings from these variables, checked as the Lambda's cold start checks
    them; raise DeployConfigError when the Lambda would refuse them."""
    try:
        return config.load(variables, sections=SECTIONS)
    except ConfigError as error:
        raise DeployConfigError(f"the Lambda would refuse this configuration: {error}") from None


# --- the deploy's own settings


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
    ses_configuration_set: str  # the Lambda sends through it; its events go to the topic
    ses_events_topic: str


def merged_sources(env_file: Path | None, environ=os.environ) -> dict[str, str]:
    """Return repos.env's values overridden by the environment's (as the app reads them)."""
    values = read_env_file(env_file) if env_file else {}
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
        assets_bucket=sources.get("ASSETS_BUCKET", DEFAULT_ASSETS_BUCKET),
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
        ses_configuration_set=sources.get("SES_CONFIGURATION_SET", f"{name}-reports"),
        ses_events_topic=sources.get(
            "SES_EVENTS_TOPIC", sources.get("SES_CONFIGURATION_SET", f"{name}-reports") + "-events"
        ),
    )
    for key, value in (("FUNCTION_NAME", settings.function_name), ("--stage", settings.stage)):
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value) or (key == "--stage" and value.isdigit()):
            raise DeployConfigError(f"{key}: {value!r} is not a valid Lambda function or alias name")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,60}", settings.ses_configuration_set):
        raise DeployConfigError(
            f"SES_CONFIGURATION_SET: {settings.ses_configuration_set!r} is not a valid configuration set "
            "name (letters, digits, - and _, at most 60)"
        )
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", settings.ses_events_topic):
        raise DeployConfigError(f"SES_EVENTS_TOPIC: {settings.ses_events_topic!r} is not an SNS topic name")
    return settings


def with_deploy_defaults(sources: dict[str, str], settings: DeploySettings) -> dict[str, str]:
    """Return the sources plus the app settings the deploy decides when repos.env does not: the
    SES configuration set the Lambda sends through (`--create` makes it, see docs/operations.md);
    and, whatever repos.env says, the name of the reports' schedule it makes (the Reports page
    reads that schedule)."""
    decided = {"REPORTS_SCHEDULE_NAME": schedule_name("reports", settings)}
    return {"SES_CONFIGURATION_SET": settings.ses_configuration_set, **sources, **decided}


def schedule_name(kind: str, settings: DeploySettings) -> str:
    """Return the name of the reports' or push-to-book's EventBridge Scheduler schedule."""
    action = "send-reports" if kind == "reports" else "push-to-book"
    return f"{settings.function_name}-{settings.stage}-{action}"


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
    app_names = app_env_names()
    forwarded = {
        name: value
        for name, value in sorted(sources.items())
        if name in app_names and name not in LOCAL_ONLY and not name.startswith("AWS_")
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
    app_settings(forwarded)  # the checks the Lambda's cold start will make, made before shipping
    return forwarded, warnings
