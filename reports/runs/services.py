"""What the run engine needs from the outside world, injected so it can be tested without AWS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..kb.loader import Loaded
from ..live import Live
from ..render import Rendered
from .store import RunStore


@dataclass(frozen=True)
class Services:
    """The run engine's collaborators; `reports.extension` builds them from the host app."""

    store: RunStore
    recipients: object  # reports.recipients.RecipientStore
    outbox: object  # shipcaptaincrew.mail.outbox.Outbox: send(message, *, bcc, tags) -> message id
    sender: str
    admins: tuple[str, ...]  # who is told when a run fails
    archive: Callable[[str, Rendered], list[str]]  # (run id, rendered) -> archived locations
    load_knowledge_base: Callable[[], Loaded]
    live_counts: Callable[[], Live]
    send_rate: Callable[[], float]
    now: Callable[[], datetime]
    history: Callable[[str], dict | None] = lambda report_id: None  # the last sent record of a report
    after_run: Callable[[dict, dict], None] = lambda run, deliveries: None  # tasks, snapshots
    progress: Callable[[str, dict], None] = lambda report_id, outcome: None  # one call per report done
