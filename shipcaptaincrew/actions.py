"""Non-HTTP work the Lambda does: scheduled, direct-invoke and queued actions, by name."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from . import nudges
from .errors import AppError

log = logging.getLogger(__name__)


# The host's own actions: name -> function(app, payload, deadline) -> summary dict. Extensions add
# theirs (plugins.Extension.actions); the App holds the merged table.
ACTIONS: dict[str, Callable[..., dict]] = {
    "push_to_book": lambda app, payload, deadline: nudges.push_to_book(app),
}
# EventBridge rule name (classic scheduled-event envelope) -> action name.
RULE_ACTIONS = {"ptb_push_to_book": "push_to_book"}


class ActionFailed(Exception):
    """Raised so the platform retries (schedule) or redelivers (queue) an action that failed."""


def unknown(kind: str, detail: str) -> dict:
    """Return (and log) the answer to something this Lambda does not understand."""
    log.error("unrecognised invocation", extra={"kind": kind, "detail": detail[:200]})
    return {"error": {"code": f"unknown_{kind}", "message": f"unrecognised {kind}: {detail[:200]}"}}


def run(app, payload: dict, deadline: datetime) -> dict:
    """Run the named action before `deadline`; unknown names and refused requests get a clear
    error back (the one edge where an action's AppError becomes an error dict), not an exception."""
    name = payload.get("action")
    action = app.actions.get(name) if isinstance(name, str) else None
    if action is None:
        return unknown("action", repr(name) + f" (known: {', '.join(sorted(app.actions))})")
    log.info("action started", extra={"action": name, "scheduled_time": payload.get("scheduled_time")})
    try:
        summary = action(app, payload, deadline)
    except AppError as error:
        log.warning("action refused", extra={"action": name, "code": error.code, "detail": error.message})
        return error.to_body()
    log.info("action finished", extra={"action": name, "status": summary.get("status")})
    return summary
