"""The per-container application: settings, lazily built AWS clients, the stores on them, and
the extensions composed into it (their routes, actions, tables, settings and runtimes)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from . import actions, api, config
from .auth.links import MagicLinks
from .auth.secret import SigningSecret
from .auth.sessions import Sessions, is_revoked
from .aws import Clients
from .counters import CounterStore, LiveCounts, live_counts
from .deadlines import deadline_of
from .errors import Unauthorized
from .events.store import EventStore
from .http import Router
from .mail.outbox import Outbox
from .plugins import Extension, resolve
from .storage.tables import TableSpec, table_specs
from .users.store import UserStore


class App:
    """Everything a request or scheduled action needs, created on first use and then reused."""

    def __init__(
        self,
        settings: config.Settings,
        *,
        extensions: Sequence[Extension] | None = None,
        clock: Callable[[], datetime] | None = None,
    ):
        extensions = _extensions if extensions is None else extensions  # default: the composed ones
        self.settings = settings
        self.extensions = {extension.name: extension for extension in extensions}
        self.clients = Clients(settings)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._runtimes: dict[str, object] = {}
        self._runtime_lock = threading.Lock()
        for extension in extensions:
            extension.settings_from(settings)  # a bad extension setting fails here, naming it

    @cached_property
    def routes(self) -> Router:
        """Return the route table: the host's areas, then each extension's routes."""
        return route_table(self.extensions.values())

    @cached_property
    def actions(self) -> dict[str, Callable[..., dict]]:
        """Return every non-HTTP action by name: the host's and each extension's."""
        table = dict(actions.ACTIONS)
        for extension in self.extensions.values():
            table.update(extension.actions)
        return table

    @cached_property
    def rule_actions(self) -> dict[str, str]:
        """Return classic EventBridge rule name -> action name, the host's and each extension's."""
        table = dict(actions.RULE_ACTIONS)
        for extension in self.extensions.values():
            table.update(extension.rule_actions)
        return table

    def tables(self) -> list[TableSpec]:
        """Return every DynamoDB table the host and its extensions need."""
        specs = table_specs(self.settings)
        for extension in self.extensions.values():
            specs.extend(extension.tables(extension.settings_from(self.settings)))
        return specs

    def buckets(self) -> list[str]:
        """Return every S3 bucket the host and its extensions keep."""
        found = [self.settings.assets_bucket]
        for extension in self.extensions.values():
            found.extend(extension.buckets(extension.settings_from(self.settings)))
        return found

    def settings_of(self, name: str):
        """Return an extension's own settings section."""
        return self.extensions[name].settings_from(self.settings)

    def runtime(self, name: str):
        """Return an extension's runtime, imported and built on first use, then reused."""
        with self._runtime_lock:
            built = self._runtimes.get(name)
            if built is None:
                built = self._runtimes[name] = resolve(self.extensions[name].runtime)(self)
            return built

    def deadline(self, context=None) -> datetime:
        """Return when work started now must stop: Lambda's remaining time less a margin."""
        return deadline_of(context, self.now())

    def now(self) -> datetime:
        """Return the current time, timezone-aware (UTC)."""
        return self._clock()

    def today(self) -> date:
        """Return today's date in the business's time zone."""
        return self.now().astimezone(self.settings.zone).date()

    @cached_property
    def users(self) -> UserStore:
        return UserStore(
            self.clients.dynamodb,
            table=self.settings.users_table,
            counters_table=self.settings.counters_table,
        )

    @cached_property
    def events(self) -> EventStore:
        return EventStore(
            self.clients.dynamodb,
            table=self.settings.events_table,
            counters_table=self.settings.counters_table,
            entity_ids=self.settings.entity_ids,
        )

    @cached_property
    def counters(self) -> CounterStore:
        return CounterStore(
            self.clients.dynamodb,
            table=self.settings.counters_table,
            events_table=self.settings.events_table,
            users_table=self.settings.users_table,
        )

    @cached_property
    def links(self) -> MagicLinks:
        return MagicLinks(self.clients.dynamodb, table=self.settings.auth_table)

    @cached_property
    def sessions(self) -> Sessions:
        secret = SigningSecret(
            value=self.settings.jwt_secret,
            arn=self.settings.jwt_secret_arn,
            secretsmanager=lambda: self.clients.secretsmanager,
        )
        return Sessions(
            secret,
            issuer=self.settings.jwt_issuer,
            audience=self.settings.jwt_audience,
            lifetime=timedelta(hours=self.settings.session_hours),
        )

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(
            self.clients.sesv2,
            configuration_set=self.settings.ses_configuration_set,
            eml_dir=self.settings.mail_outbox_dir,
        )

    def live_counts(self) -> LiveCounts:
        """Return the live operating counts for reports: one item read, whatever the table size."""
        return live_counts(self.counters.read(), self.today())

    def authenticate(self, token: str) -> dict:
        """Return the signed-in user for a session token; a removed user is signed out at once."""
        claims = self.sessions.verify(token)
        user = self.users.get(claims["sub"])
        if user is None:
            raise Unauthorized("this account no longer exists")
        if is_revoked(claims, user):
            raise Unauthorized("this session was signed out; please sign in again")
        return user


def route_table(extensions: Sequence[Extension]) -> Router:
    """Return the host's routes followed by each extension's."""
    table = Router()
    table.include(api.ROUTES)
    for extension in extensions:
        if extension.routes:
            table.include(extension.routes)
    return table


_app: App | None = None
_extensions: tuple[Extension, ...] = ()
_lock = threading.Lock()


def compose(extensions: Sequence[Extension]) -> tuple[Extension, ...]:
    """Name the extensions this container's App runs (the composition root calls this once)."""
    global _extensions
    _extensions = tuple(extensions)
    return _extensions


def composed() -> tuple[Extension, ...]:
    """Return the extensions the composition root named."""
    return _extensions


def get_app() -> App:
    """Return this container's App, built from the environment on first use."""
    global _app
    with _lock:
        if _app is None:
            _app = App(config.load(), extensions=_extensions)
        return _app


def set_app(app: App | None) -> None:
    """Replace this container's App (tests and the local server build their own)."""
    global _app
    with _lock:
        _app = app
