"""The per-container application: settings, lazily built AWS clients and the stores on them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from . import config
from .auth.links import MagicLinks
from .auth.secret import SigningSecret
from .auth.sessions import Sessions
from .aws import Clients
from .counters import CounterStore, LiveCounts, live_counts
from .errors import Unauthorized
from .events.store import EventStore
from .mail.outbox import Outbox
from .users.store import UserStore


class App:
    """Everything a request or scheduled action needs, created on first use and then reused."""

    def __init__(self, settings: config.Settings, *, clock: Callable[[], datetime] | None = None):
        self.settings = settings
        self.clients = Clients(settings)
        self._clock = clock or (lambda: datetime.now(UTC))

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
        return user


_app: App | None = None
_lock = threading.Lock()


def get_app() -> App:
    """Return this container's App, built from the environment on first use."""
    global _app
    with _lock:
        if _app is None:
            _app = App(config.load())
        return _app


def set_app(app: App | None) -> None:
    """Replace this container's App (tests and the local server build their own)."""
    global _app
    with _lock:
        _app = app
