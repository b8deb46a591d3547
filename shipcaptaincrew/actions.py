"""Non-HTTP work the Lambda does: scheduled, direct-invoke and queued actions, by name."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from . import nudges

log = logging.getLogger(__name__)


def _reports_action(name: str) -> Callable[..., dict]:
    """Return an action of the reports extension, imported on first call (not at cold start)."""

    def run(app, payload: dict, deadline: datetime) -> dict:
        from reports import extension

        return getattr(extension, name)(app, payload, deadline)

    return run


# action name -> function(app, payload, deadline) -> summary dict.
ACTIONS: dict[str, Callable[..., dict]] = {
    "push_to_book": lambda app, payload, deadline: nudges.push_to_book(app),
    "send_reports": _reports_action("send_reports"),
    "process_run": _reports_action("process_run"),
}
# EventBridge rule name (classic scheduled-event envelope) -> action name.
RULE_ACTIONS = {
    "ptb_push_to_book": "push_to_book",
    "ptb_monthly_exec_reports": "send_reports",
}


class ActionFailed(Exception):
    """Raised so the platform retries (schedule) or redelivers (queue) an action that failed."""


def unknown(kind: str, detail: str) -> dict:
    """Return (and log) the answer to something this Lambda does not understand."""
    log.error("unrecognised invocation", extra={"kind": kind, "detail": detail[:200]})
    return {"error": {"code": f"unknown_{kind}", "message": f"unrecognised {kind}: {detail[:200]}"}}


def run(app, payload: dict, deadline: datetime) -> dict:
    """Run the named action before `deadline`; unknown names get a clear error back, not an exception."""
    name = payload.get("action")
    action = ACTIONS.get(name) if isinstance(name, str) else None
    if action is None:
        return unknown("action", repr(name) + f" (known: {', '.join(sorted(ACTIONS))})")
    log.info("action started", extra={"action": name, "scheduled_time": payload.get("scheduled_time")})
    summary = action(app, payload, deadline)
    log.info("action finished", extra={"action": name, "status": summary.get("status")})
    return summary
