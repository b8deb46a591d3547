"""Every setting, read once: explicit overrides > environment > repos.env > defaults.

Nothing else in the app reads `os.environ`; the domain receives values from `Settings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = "repos.env"
MIN_SECRET_BYTES = 32
DEFAULT_ENTITIES = (
    "jada",
    "queenofsandiego",
    "quickdumpnow",
    "dangerouscentaur",
    "expertyachtdelivery",
    "rental-3028-51st",
)


@dataclass(frozen=True)
class Settings:
    """The app's configuration; see the README's configuration table for each variable."""

    local: bool = False
    aws_region: str = "us-west-2"
    aws_endpoint_url: str | None = None
    ses_from_address: str = "reports@example.com"
    ses_configuration_set: str | None = None
    app_base_url: str = "http://127.0.0.1:8000"
    jwt_secret: str | None = field(default=None, repr=False)
    jwt_secret_arn: str | None = None
    jwt_issuer: str = "shipcaptaincrew"
    jwt_audience: str = "shipcaptaincrew-app"
    session_hours: int = 12
    admin_emails: tuple[str, ...] = ()
    allowed_origin: str | None = None
    mail_outbox_dir: Path | None = None
    business_timezone: str = "America/Los_Angeles"
    entity_ids: tuple[str, ...] = DEFAULT_ENTITIES
    users_table: str = "scc-users"
    events_table: str = "scc-events"
    counters_table: str = "scc-counters"
    auth_table: str = "scc-auth"
    nudges_table: str = "scc-nudges"
    report_runs_table: str = "scc-report-runs"
    report_deliveries_table: str = "scc-report-deliveries"
    recipients_table: str = "scc-report-recipients"
    snapshots_table: str = "scc-report-snapshots"
    tasks_table: str = "scc-tasks"
    assets_bucket: str = "scc-dashboard-assets"
    reports_archive: str | None = None
    knowledge_base: str | None = None
    exec_report_to: tuple[str, ...] = ()
    exec_report_bcc: tuple[str, ...] = ()
    ses_max_send_rate: float | None = None
    tasks_webhook_url: str | None = None
    nudge_after_days: int = 3
    nudge_interval_days: int = 7
    magic_link_min_seconds: float = 0.25
    self_function_name: str | None = None
    # The published version this container runs (Lambda sets it); a run handed off to itself
    # runs on the same code, not on whatever was uploaded last or rolled back since.
    self_function_version: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        """Return the business's time zone (charter dates and times are local to it)."""
        return ZoneInfo(self.business_timezone)


# Environment variable -> Settings field. Anything not listed here is not configuration.
ENV_NAMES = {
    "SCC_LOCAL": "local",
    "AWS_REGION": "aws_region",
    "AWS_ENDPOINT_URL": "aws_endpoint_url",
    "SES_FROM_ADDRESS": "ses_from_address",
    "SES_CONFIGURATION_SET": "ses_configuration_set",
    "APP_BASE_URL": "app_base_url",
    "JWT_SECRET": "jwt_secret",
    "JWT_SECRET_ARN": "jwt_secret_arn",
    "SESSION_HOURS": "session_hours",
    "ADMIN_EMAILS": "admin_emails",
    "ALLOWED_ORIGIN": "allowed_origin",
    "MAIL_OUTBOX_DIR": "mail_outbox_dir",
    "BUSINESS_TIMEZONE": "business_timezone",
    "ENTITY_IDS": "entity_ids",
    "USERS_TABLE": "users_table",
    "EVENTS_TABLE": "events_table",
    "COUNTERS_TABLE": "counters_table",
    "AUTH_TABLE": "auth_table",
    "NUDGES_TABLE": "nudges_table",
    "REPORT_RUNS_TABLE": "report_runs_table",
    "REPORT_DELIVERIES_TABLE": "report_deliveries_table",
    "RECIPIENTS_TABLE": "recipients_table",
    "SNAPSHOTS_TABLE": "snapshots_table",
    "TASKS_TABLE": "tasks_table",
    "ASSETS_BUCKET": "assets_bucket",
    "REPORTS_ARCHIVE": "reports_archive",
    "KNOWLEDGE_BASE": "knowledge_base",
    "EXEC_REPORT_TO": "exec_report_to",
    "EXEC_REPORT_BCC": "exec_report_bcc",
    "SES_MAX_SEND_RATE": "ses_max_send_rate",
    "TASKS_WEBHOOK_URL": "tasks_webhook_url",
    "NUDGE_AFTER_DAYS": "nudge_after_days",
    "NUDGE_INTERVAL_DAYS": "nudge_interval_days",
    "MAGIC_LINK_MIN_SECONDS": "magic_link_min_seconds",
    "AWS_LAMBDA_FUNCTION_NAME": "self_function_name",
    "AWS_LAMBDA_FUNCTION_VERSION": "self_function_version",
}
_FALLBACKS = {"AWS_DEFAULT_REGION": "aws_region"}


def read_env_file(path: Path) -> dict[str, str]:
    """Parse a KEY=VALUE file (comments, blank lines and optional quotes allowed)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{number}: expected KEY=VALUE")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def load(
    environ: Mapping[str, str] | None = None,
    *,
    env_file: Path | None = None,
    **overrides,
) -> Settings:
    """Build and validate the settings; raise ConfigError naming the bad variable."""
    environ = os.environ if environ is None else environ
    sources: dict[str, str] = read_env_file(env_file) if env_file else {}
    sources.update({k: v for k, v in environ.items() if k in ENV_NAMES or k in _FALLBACKS})
    raw: dict[str, object] = {}
    for name, attr in {**_FALLBACKS, **ENV_NAMES}.items():
        if sources.get(name, "") != "":
            raw[attr] = _convert(name, attr, sources[name])
    raw.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(**raw)
    _validate(settings)
    return settings


def _convert(name: str, attr: str, value: str) -> object:
    kind = {f.name: f.type for f in fields(Settings)}[attr]
    try:
        if kind == "bool":
            return value.lower() in {"1", "true", "yes", "on"}
        if kind == "int":
            return int(value)
        if kind.startswith("float"):
            return float(value)
        if kind.startswith("tuple"):
            return tuple(part.strip().lower() for part in value.split(",") if part.strip())
        if kind.startswith("Path"):
            return Path(value)
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None
    return value


def _validate(settings: Settings) -> None:
    if not settings.local and not (settings.jwt_secret or settings.jwt_secret_arn):
        raise ConfigError("JWT_SECRET_ARN (or JWT_SECRET) must be set outside local mode")
    if settings.jwt_secret and len(settings.jwt_secret.encode()) < MIN_SECRET_BYTES:
        raise ConfigError(f"JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes")
    if not settings.app_base_url.startswith(("https://", "http://")):
        raise ConfigError("APP_BASE_URL must be an http(s) URL")
    if "@" not in settings.ses_from_address:
        raise ConfigError("SES_FROM_ADDRESS must be an email address")
    try:
        settings.zone  # noqa: B018 - validates the zone name
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"BUSINESS_TIMEZONE: unknown zone {settings.business_timezone!r}") from None
    if settings.ses_max_send_rate is not None and settings.ses_max_send_rate <= 0:
        raise ConfigError("SES_MAX_SEND_RATE must be a positive number of emails per second")
    if settings.tasks_webhook_url and not settings.tasks_webhook_url.startswith("https://"):
        raise ConfigError("TASKS_WEBHOOK_URL must be an https:// URL")
    for attr in ("session_hours", "nudge_after_days", "nudge_interval_days"):
        if getattr(settings, attr) <= 0:
            raise ConfigError(f"{attr.upper()} must be positive")
