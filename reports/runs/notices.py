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


def send_failure_notice(services: Services, run: Run, sends: Mapping[str, ReportSend]) -> bool:
    """Email the admins which reports failed (or wait to retry) and why; return whether SES took
    it. A failure here is logged, never raised: the run's ERROR line has been logged already."""
    failed = [(rid, sends[rid].error or "") for rid in run.reports if _unsent(sends.get(rid))]
    if not failed or not services.admins:
        return True
    lines = "\n".join(f"- {report_id}: {error}" for report_id, error in failed)
    items = "".join(f"<li><strong>{html.escape(r)}</strong>: {html.escape(e)}</li>" for r, e in failed)
    count = f"{len(failed)} of {len(run.reports)}"
    built = message.build(
        sender=services.sender,
        to=list(services.admins),
        subject=f"Report run {run.run_id}: {count} reports {_what(failed, sends)}",
        text=f"Run {run.run_id} ({run.trigger}) could not deliver {count} reports:\n\n{lines}\n\n"
        "Reports that wait to retry go out when the run resumes; for the others, fix the cause, "
        "then retry the run from the dashboard: only what was not sent goes out again.\n",
        html=f"<p>Run <code>{html.escape(run.run_id)}</code> ({html.escape(run.trigger)}) could not "
        f"deliver {count} reports:</p><ul>{items}</ul><p>Reports that wait to retry go out when the run "
        "resumes; for the others, fix the cause, then retry the run from the dashboard: only what "
        "was not sent goes out again.</p>",
    )
    try:
        services.outbox.send(built, tags={"run_id": run.run_id, "purpose": "run_failure_notice"})
    except Exception:
        log.exception("failure notice not sent", extra={"run_id": run.run_id})
        return False
    return True


def _what(unsent: list, sends: Mapping[str, ReportSend]) -> str:
    """Say 'failed' if any failed for good, else that they wait to retry."""
    if any(sends[report_id].status is SendStatus.FAILED for report_id, _ in unsent):
        return "failed"
    return "not sent yet (waiting to retry)"


def _unsent(send: ReportSend | None) -> bool:
    return send is not None and (send.status is SendStatus.FAILED or send.waits_to_retry)
