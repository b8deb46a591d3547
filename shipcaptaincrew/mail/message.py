"""Build multipart/alternative messages (plain text + HTML) with the standard library.

Every value that reaches a header goes through one rule: control characters and RFC 2047
encoded words (`=?...?=`) are stripped here, whatever validation let in before (a knowledge-base
name in a subject, a charter title), and recipients must be a strict `local@domain`. The
recipient list is kept on the message as its envelope, so the outbox never re-parses a header
to find who to send to (CPython before 3.11.10 could be made to fold an encoded word into a
new header line: CVE-2024-6923).
"""

from __future__ import annotations

from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from ..validation import is_strict_address, strip_header_text

ENCODED_LINE = 76  # RFC 2047: a header line holding an encoded word is at most 76 characters


class MailMessage(EmailMessage):
    """An EmailMessage that carries the envelope it was built for (`envelope_to`)."""

    envelope_to: tuple[str, ...] = ()


def build(
    *,
    sender: str,
    to: list[str],
    subject: str,
    text: str,
    html: str,
    headers: dict[str, str] | None = None,
) -> MailMessage:
    """Return a message with a text part and an HTML alternative; no Bcc header, ever."""
    if not to:
        raise ValueError("a message needs at least one To recipient")
    bad = [address for address in to if not is_strict_address(address)]
    if bad:
        raise ValueError(f"recipients must be plain local@domain addresses: {bad[:3]!r}")
    message = MailMessage()
    message["From"] = _sender(sender)
    message["To"] = ", ".join(to)
    _set_subject(message, strip_header_text(subject))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    for name, value in (headers or {}).items():
        message[name] = strip_header_text(value)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message.envelope_to = tuple(to)
    return message


def _set_subject(message: MailMessage, subject: str) -> None:
    """Set the Subject so that every reader decodes exactly `subject`.

    CPython's folder, where plain text meets an encoded word at a fold, can leave a doubled space
    ("shortfalls  — CEO briefing") or an empty or run-together encoded word ("=?utf-8?q??=",
    "?==?", python/cpython#144156), which some providers refuse. A subject with any non-ASCII
    character is therefore encoded whole as encoded words, folded by `email.header.Header` (lines
    within 76 characters, words joined without a space when decoded), and kept as it is: the
    generator does not refold lines that already fit.
    """
    if subject.isascii():
        message["Subject"] = subject
    else:
        message.set_raw(
            "Subject", Header(subject, "utf-8", maxlinelen=ENCODED_LINE, header_name="Subject").encode()
        )


def _sender(sender: str) -> str | Address:
    """Return the From header: the address, with its display name made safe."""
    name, address = parseaddr(sender)
    if not is_strict_address(address):
        raise ValueError("the sender must be a plain local@domain address")
    name = strip_header_text(name)
    if not name:
        return address
    local, _, domain = address.partition("@")
    return Address(display_name=name, username=local, domain=domain)
