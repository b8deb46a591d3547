"""Build multipart/alternative messages (plain text + HTML) with the standard library."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid


def build(
    *,
    sender: str,
    to: list[str],
    subject: str,
    text: str,
    html: str,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """Return a message with a text part and an HTML alternative; no Bcc header, ever."""
    if not to:
        raise ValueError("a message needs at least one To recipient")
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
