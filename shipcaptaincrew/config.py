"""Every setting, read once: explicit overrides > environment > repos.env > defaults.

Nothing else in the app reads `os.environ`; the domain receives values from `Settings`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TypeVar
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


def env(name: str | None = None, **options):
    """Return a dataclass field whose environment name is not simply its own name upper-cased.

    `env(None)` marks a field that no environment variable sets.
    """
    return field(metadata={"env": name}, **options)


@dataclass(frozen=True)
class Settings:
    """The host app's configuration; each field is read from the variable of its name upper-cased
    (`ses_from_address` <- `SES_FROM_ADDRESS`) unless `env(...)` names another. Extensions declare
    their own settings dataclass the same way and read it with `Settings.section`."""

    local: bool = env("SCC_LOCAL", default=False)
    aws_region: str = "us-west-2"
    aws_endpoint_url: str | None = None
    ses_from_address: str = "reports@example.com"
    ses_from_name: str = "Ship Captain Crew Reports"  # the From display name of report emails
    ses_configuration_set: str | None = None
    app_base_url: str = "http://127.0.0.1:8000"
    jwt_secret: str | None = field(default=None, repr=False)
    jwt_secret_arn: str | None = None
    jwt_issuer: str = env(None, default="shipcaptaincrew")
    jwt_audience: str = env(None, default="shipcaptaincrew-app")
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
    assets_bucket: str = "scc-dashboard-assets"
    nudge_after_days: int = 3
    nudge_interval_days: int = 7
    magic_link_min_seconds: float = 0.25
    # Sign-in mail budgets beyond the 5-per-address sliding window (per clock hour).
    magic_link_per_source_per_hour: int = 30
    magic_link_global_per_hour: int = 300
    self_function_name: str | None = env("AWS_LAMBDA_FUNCTION_NAME", default=None)
    # The published version this container runs (Lambda sets it); a run handed off to itself
    # runs on the same code, not on whatever was uploaded last or rolled back since.
    self_function_version: str | None = env("AWS_LAMBDA_FUNCTION_VERSION", default=None)
    # Where the sections were read from, kept so an extension's section is read the same way.
    sources: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    overrides: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)
    _sections: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def zone(self) -> ZoneInfo:
        """Return the business's time zone (charter dates and times are local to it)."""
        return ZoneInfo(self.business_timezone)

    def replace(self, **changes) -> Settings:
        """Return a copy with `changes`, host fields and extension settings alike."""
        mine = {k: v for k, v in changes.items() if k in _host_fields()}
        theirs = {**self.overrides, **{k: v for k, v in changes.items() if k not in _host_fields()}}
        return dataclasses.replace(self, **mine, overrides=theirs, _sections={})

    def section(self, kind: type[T]) -> T:
        """Return an extension's settings (a frozen dataclass), read from the same sources once."""
        found = self._sections.get(kind)
        if found is None:
            found = self._sections[kind] = _build(kind, self.sources, self.overrides)
        return found


T = TypeVar("T")
_FALLBACKS = {"AWS_DEFAULT_REGION": "aws_region"}
_INTERNAL = {"sources", "overrides", "_sections"}


def _host_fields() -> set[str]:
    return {spec.name for spec in fields(Settings)} - _INTERNAL


def env_names(kind: type = Settings) -> dict[str, str]:
    """Return {environment variable: field} for a settings dataclass; nothing else is configuration."""
    names = {}
    for spec in fields(kind):
        if spec.name in _INTERNAL:
            continue
        name = spec.metadata.get("env", spec.name.upper())
        if name:
            names[name] = spec.name
    return names


ENV_NAMES = env_names(Settings)


def run_locally() -> None:
    """Mark this process as a local command (SCC_LOCAL), before the composition root is imported."""
    os.environ.setdefault("SCC_LOCAL", "1")


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
    sections: tuple[type, ...] = (),
    **overrides,
) -> Settings:
    """Build and validate the settings (and each named extension section); raise ConfigError
    naming the bad variable. Overrides that are not host fields are kept for the sections."""
    environ = os.environ if environ is None else environ
    sources: dict[str, str] = read_env_file(env_file) if env_file else {}
    sources.update(environ)
    given = {k: v for k, v in overrides.items() if v is not None}
    settings = _build(Settings, sources, given, fallbacks=_FALLBACKS)
    settings = dataclasses.replace(
        settings,
        sources={k: v for k, v in sources.items() if v != ""},
        overrides={k: v for k, v in given.items() if k not in _host_fields()},
    )
    _validate(settings)
    for kind in sections:
        settings.section(kind)
    return settings


def _build(
    kind: type[T], sources: Mapping[str, str], overrides: Mapping[str, object], *, fallbacks=None
) -> T:
    """Return `kind` from the sources (variable names derived from its fields) and overrides."""
    names = env_names(kind)
    raw: dict[str, object] = {}
    types = {spec.name: spec.type for spec in fields(kind)}
    for name, attr in {**(fallbacks or {}), **names}.items():
        if sources.get(name, "") != "":
            raw[attr] = _convert(name, types[attr], sources[name])
    raw.update({k: v for k, v in overrides.items() if k in types and k not in _INTERNAL})
    built = kind(**raw)
    check = getattr(built, "validate", None)
    if check is not None and kind is not Settings:
        check()
    return built


def _convert(name: str, kind: str, value: str) -> object:
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
    for attr in (
        "session_hours",
        "nudge_after_days",
        "nudge_interval_days",
        "magic_link_per_source_per_hour",
        "magic_link_global_per_hour",
    ):
        if getattr(settings, attr) <= 0:
            raise ConfigError(f"{attr.upper()} must be positive")
