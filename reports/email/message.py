"""Turn a rendered report into the email that is sent: built once, text and HTML alternatives."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid

from ..host import mail_message as message
from ..render import Rendered


def from_header(address: str, name: str = "") -> str:
    """Return the From of a report: `Ship Captain Crew Reports <reports@example.com>` (the
    SES_FROM_NAME display name, quoted by email.headerregistry.Address when it needs it)."""
    return str(Address(display_name=" ".join(name.split()), addr_spec=address)) if name.strip() else address


def report_email(
    rendered: Rendered,
    *,
    sender: str,
    to: list[str],
    run_id: str,
    sender_name: str = "",
    reply_to: str | None = None,
) -> EmailMessage:
    """Return the report's email, tagged in headers with its run and report id; From carries the
    display name `sender_name`, and Reply-To is `reply_to` (REPORTS_REPLY_TO) when set; the
    report's long tables are attached as CSV."""
    built = message.build(
        sender=from_header(sender, sender_name),
        to=to,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        headers={"X-SCC-Run-Id": run_id, "X-SCC-Report-Id": rendered.report_id},
    )
    # the Message-ID's domain is the sending address's, not the tail of "Name <address>"
    built.replace_header("Message-ID", make_msgid(domain=sender.rpartition("@")[2] or None))
    if reply_to:
        built["Reply-To"] = reply_to
    # the full tables the email shortens: multipart/mixed around the text/HTML alternative; the
    # CSV bytes (UTF-8 with a BOM) travel base64-encoded, untouched
    for filename, content in rendered.attachments:
        built.add_attachment(
            content, maintype="text", subtype="csv", filename=filename, params={"charset": "utf-8"}
        )
    return built


def tags(run_id: str, report_id: str) -> dict[str, str]:
    """Return the SES message tags (for event publishing through the configuration set)."""
    return {"run_id": run_id, "report_id": report_id, "purpose": "executive_report"}
