"""What the run engine needs from the outside world, injected so it can be tested without AWS."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from ..email.pacing import Pacer
from ..kb.loader import Loaded
from ..live import Live
from ..recipients import Recipients
from ..render import Rendered
from .records import ReportSend, Run
from .store import RunStore


class RecipientSource(Protocol):
    """Who receives each report: the stored lists (`RecipientStore`), or one list for a CLI run."""

    def get(self, report_id: str) -> Recipients: ...

    def many(self, report_ids: Iterable[str]) -> dict[str, Recipients]: ...


class Sender(Protocol):
    """Sends a built message through SES (the host's `Outbox`); BCC only in the envelope."""

    def send(
        self, message: EmailMessage, *, bcc: list[str] = ..., tags: dict[str, str] | None = ...
    ) -> str: ...


class Pacing(Protocol):
    """Spaces the starts of sends: `wait()` returns when the caller may send."""

    def wait(self) -> None: ...


@dataclass(frozen=True)
class Services:
    """The run engine's collaborators; `reports.runtime` builds them from the host app."""

    store: RunStore
    recipients: RecipientSource
    outbox: Sender  # send(message, *, bcc, tags) -> SES message id
    sender: str  # the From address
    admins: tuple[str, ...]  # who is told when a run fails
    archive: Callable[[str, Rendered], list[str]]  # (run id, rendered) -> archived locations
    load_knowledge_base: Callable[[], Loaded]
    live_counts: Callable[[], Live]
    send_rate: Callable[[], float]
    now: Callable[[], datetime]
    history: Callable[[str], dict | None] = lambda report_id: None  # the last sent record of a report
    after_run: Callable[[Run, Mapping[str, ReportSend]], None] = lambda run, sends: None  # tasks, snapshots
    progress: Callable[[ReportSend], None] = lambda send: None  # one call per report decided
    pacer: Callable[[float], Pacing] = Pacer  # rate -> what spaces the sends (account-wide in AWS)
    sender_name: str = ""  # the From display name of report emails (SES_FROM_NAME)
    reply_to: str | None = None  # REPORTS_REPLY_TO, when replies go somewhere else
