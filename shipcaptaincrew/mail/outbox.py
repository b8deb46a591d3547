"""Send built messages through SESv2 as raw bytes; optionally keep an .eml copy of each."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from botocore.exceptions import ClientError

from ..validation import is_strict_address

log = logging.getLogger(__name__)
_TAG_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class Outbox:
    """Deliver messages: BCC recipients go only in the SES envelope, never in the headers."""

    def __init__(
        self,
        sesv2,
        *,
        configuration_set: str | None = None,
        eml_dir: Path | None = None,
    ):
        self._ses = sesv2
        self._configuration_set = configuration_set
        self._eml_dir = eml_dir

    def send(self, message: EmailMessage, *, bcc: list[str] = (), tags: dict[str, str] | None = None) -> str:
        """Send the message's exact bytes; return SES's MessageId. Failures are logged and raised."""
        if "Bcc" in message:
            raise ValueError("put BCC recipients in `bcc`, not in the message headers")
        # The envelope is the list the message was built for (mail.message.build), never what a
        # header parses back to: a crafted header must not add a recipient.
        to = list(getattr(message, "envelope_to", ()) or ())
        if not to:
            raise ValueError("send only messages built by mail.message.build (they carry their envelope)")
        bad = [address for address in [*to, *bcc] if not is_strict_address(address)]
        if bad:
            raise ValueError(f"recipients must be plain local@domain addresses: {bad[:3]!r}")
        raw = message.as_bytes(policy=SMTP)
        request = {
            "FromEmailAddress": message["From"],
            "Destination": {"ToAddresses": to, "BccAddresses": list(bcc)},
            "Content": {"Raw": {"Data": raw}},
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        if tags:
            request["EmailTags"] = [
                {"Name": _TAG_UNSAFE.sub("_", k), "Value": _TAG_UNSAFE.sub("_", v)} for k, v in tags.items()
            ]
        try:
            message_id = self._ses.send_email(**request)["MessageId"]
        except ClientError:
            log.exception("SES refused a message", extra={"subject": message["Subject"], "to": to})
            raise
        log.info("email sent", extra={"message_id": message_id, "subject": message["Subject"]})
        if self._eml_dir:
            self._keep_copy(raw, envelope=to + list(bcc), bcc=list(bcc), message_id=message_id)
        return message_id

    def _keep_copy(self, raw: bytes, *, envelope: list[str], bcc: list[str], message_id: str) -> Path:
        """Write the sent bytes as .eml, with the envelope added on top for a person to read."""
        self._eml_dir.mkdir(parents=True, exist_ok=True)
        extra = f"X-Envelope-To: {', '.join(envelope)}\r\n"
        if bcc:
            extra += f"Bcc: {', '.join(bcc)}\r\n"
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self._eml_dir / f"{stamp}-{_TAG_UNSAFE.sub('_', message_id)[:60]}.eml"
        path.write_bytes(extra.encode() + raw)
        return path
