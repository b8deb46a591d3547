"""Turn a rendered report into the email that is sent: built once, text and HTML alternatives."""

from __future__ import annotations

from email.message import EmailMessage

from ..host import mail_message as message
from ..render import Rendered


def report_email(rendered: Rendered, *, sender: str, to: list[str], run_id: str) -> EmailMessage:
    """Return the report's email, tagged in headers with its run and report id."""
    return message.build(
        sender=sender,
        to=to,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        headers={"X-SCC-Run-Id": run_id, "X-SCC-Report-Id": rendered.report_id},
    )


def tags(run_id: str, report_id: str) -> dict[str, str]:
    """Return the SES message tags (for event publishing through the configuration set)."""
    return {"run_id": run_id, "report_id": report_id, "purpose": "executive_report"}
