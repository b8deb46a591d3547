"""The short email that tells the admins a run did not send everything."""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..host import mail_message as message
from .records import ReportSend, Run, SendStatus

if TYPE_CHECKING:
    from .services import Services

log = logging.getLogger(__name__)


def send_failure_notice(services: Services, run: Run, sends: Mapping[str, ReportSend]) -> None:
    """Email the admins which reports failed and why; a failure here is logged, never raised."""
    failed = [(rid, sends[rid].error or "") for rid in run.reports if _failed(sends.get(rid))]
    if not failed or not services.admins:
        return
    lines = "\n".join(f"- {report_id}: {error}" for report_id, error in failed)
    items = "".join(f"<li><strong>{html.escape(r)}</strong>: {html.escape(e)}</li>" for r, e in failed)
    count = f"{len(failed)} of {len(run.reports)}"
    built = message.build(
        sender=services.sender,
        to=list(services.admins),
        subject=f"Report run {run.run_id}: {count} reports failed",
        text=f"Run {run.run_id} ({run.trigger}) could not deliver {count} reports:\n\n{lines}\n\n"
        "Fix the cause, then retry the run from the dashboard: only the failed reports are sent again.\n",
        html=f"<p>Run <code>{html.escape(run.run_id)}</code> ({html.escape(run.trigger)}) could not "
        f"deliver {count} reports:</p><ul>{items}</ul><p>Fix the cause, then retry the run from the "
        "dashboard: only the failed reports are sent again.</p>",
    )
    try:
        services.outbox.send(built, tags={"run_id": run.run_id, "purpose": "run_failure_notice"})
    except Exception:
        log.exception("failure notice not sent", extra={"run_id": run.run_id})


def _failed(send: ReportSend | None) -> bool:
    return send is not None and send.status is SendStatus.FAILED
