"""The one module through which the reports extension reaches the host app.

Everything the extension uses of Ship Captain Crew is named here: the `Host` it is handed (the
App: settings, AWS clients, outbox, clock, live counts, its own settings and runtime) and the
host's toolkit (HTTP shapes, the error family, input validation, DynamoDB item conversion, the
mail builder, the stand-in bootstrap for local commands). No other module of `reports` imports
`shipcaptaincrew`, so the seam is this file: to see what the extension depends on, read it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol

from shipcaptaincrew import config, validation
from shipcaptaincrew.actions import ActionFailed
from shipcaptaincrew.errors import AppError, BadRequest, Conflict, NotFound, ServiceUnavailable, Unprocessable
from shipcaptaincrew.http import Request, Response, Router
from shipcaptaincrew.local import on_account, stand_in
from shipcaptaincrew.mail import message as mail_message
from shipcaptaincrew.plugins import Extension
from shipcaptaincrew.storage import budgets, items
from shipcaptaincrew.storage.tables import TableSpec
from shipcaptaincrew.storage.versioned import VersionedTable

__all__ = [
    "ENV_FILE",
    "ActionFailed",
    "AppError",
    "BadRequest",
    "Clients",
    "Conflict",
    "Extension",
    "Host",
    "NotFound",
    "Outbox",
    "Request",
    "Response",
    "Router",
    "ServiceUnavailable",
    "TableSpec",
    "Unprocessable",
    "VersionedTable",
    "budgets",
    "config",
    "items",
    "mail_message",
    "on_account",
    "stand_in",
    "validation",
]


class Clients(Protocol):
    """The host's lazily built boto3 clients."""

    dynamodb: Any
    s3: Any
    ses: Any
    sesv2: Any

    def get(self, service: str) -> Any: ...


class Outbox(Protocol):
    """The host's SES sender: sends a built message's exact bytes, returns SES's message id."""

    def send(self, message, *, bcc=(), tags=None) -> str: ...


class LiveCounts(Protocol):
    """The host's live operating counts (one aggregate item read)."""

    def as_dict(self) -> dict: ...


class Host(Protocol):
    """What the reports extension is handed: the host App, seen only through these members."""

    settings: config.Settings
    clients: Clients
    outbox: Outbox

    def now(self) -> datetime: ...

    def today(self) -> date: ...

    def live_counts(self) -> LiveCounts: ...

    def settings_of(self, name: str) -> Any: ...

    def runtime(self, name: str) -> Any: ...

    def deadline(self, context=None) -> datetime: ...


Action = Callable[[Host, dict, datetime], dict]
ENV_FILE = config.ENV_FILE
