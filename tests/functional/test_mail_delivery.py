"""Mail through SES: multipart/alternative bytes, BCC only in the envelope, configuration set and tags."""

import email
from email import policy

import pytest
from botocore.exceptions import ClientError

from shipcaptaincrew.mail import message
from shipcaptaincrew.mail.outbox import Outbox

ARCHIVE = "archive@example.com"


class RecordingSes:
    """The real sesv2 client (talking to moto), remembering each SendEmail request it forwards."""

    def __init__(self, client):
        self._client = client
        self.requests: list[dict] = []

    def send_email(self, **request):
        self.requests.append(request)
        return self._client.send_email(**request)


@pytest.fixture
def ses(app) -> RecordingSes:
    return RecordingSes(app.clients.sesv2)


def report(**changes):
    fields = {
        "sender": "reports@example.com",  # verified by provision
        "to": ["ceo@example.com", "cfo@example.com"],
        "subject": "Weekly report",
        "text": "Burn is $8,000 a month.",
        "html": "<p>Burn is <b>$8,000</b> a month.</p>",
    }
    return message.build(**{**fields, **changes})


def sent_count(app) -> int:
    return int(app.clients.ses.get_send_quota()["SentLast24Hours"])


def test_bcc_is_in_the_envelope_only_and_the_bytes_are_multipart_alternative(app, ses, tmp_path):
    # GIVEN an outbox on the recording client, with an .eml copy kept
    outbox = Outbox(ses, eml_dir=tmp_path)
    before = sent_count(app)
    # WHEN a report is sent with the archive address in BCC
    message_id = outbox.send(report(), bcc=[ARCHIVE], tags={"run_id": "run-1", "report_id": "ceo"})
    # THEN SES (moto) accepted it (moto counts recipients, not messages: just check it moved)
    assert message_id
    assert sent_count(app) > before
    # AND the envelope holds the two To addresses and the BCC
    (request,) = ses.requests
    assert request["Destination"] == {
        "ToAddresses": ["ceo@example.com", "cfo@example.com"],
        "BccAddresses": [ARCHIVE],
    }
    assert request["FromEmailAddress"] == "reports@example.com"
    # AND the bytes SES received never mention the BCC address
    raw = request["Content"]["Raw"]["Data"]
    assert ARCHIVE.encode() not in raw
    received = email.message_from_bytes(raw, policy=policy.default)
    assert "Bcc" not in received
    assert received.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in received.iter_parts()] == ["text/plain", "text/html"]
    assert b"\r\n" in raw  # SMTP line endings, as SES expects
    # AND the .eml copy adds the envelope on top for a person to read, over the same bytes
    (copy,) = tmp_path.glob("*.eml")
    kept = copy.read_bytes()
    assert kept.startswith(
        f"X-Envelope-To: ceo@example.com, cfo@example.com, {ARCHIVE}\r\nBcc: {ARCHIVE}\r\n".encode()
    )
    assert kept.endswith(raw)


def test_the_configuration_set_and_tags_are_passed_when_configured(app, ses):
    app.clients.sesv2.create_configuration_set(ConfigurationSetName="scc-mail")
    outbox = Outbox(ses, configuration_set="scc-mail")
    outbox.send(report(), tags={"run_id": "run 7/a", "report_id": "ceo"})
    (request,) = ses.requests
    assert request["ConfigurationSetName"] == "scc-mail"
    # tag names and values allow only letters, digits, "_" and "-": "run 7/a" -> "run_7_a"
    assert request["EmailTags"] == [
        {"Name": "run_id", "Value": "run_7_a"},
        {"Name": "report_id", "Value": "ceo"},
    ]


def test_without_configuration_the_request_carries_neither_set_nor_tags(app, ses):
    Outbox(ses).send(report())
    (request,) = ses.requests
    assert "ConfigurationSetName" not in request
    assert "EmailTags" not in request


def test_a_bcc_header_in_the_message_is_refused_before_anything_is_sent(app, ses):
    built = report()
    built["Bcc"] = ARCHIVE
    with pytest.raises(ValueError, match="bcc"):
        Outbox(ses).send(built)
    assert ses.requests == []


def test_a_refused_send_raises_and_keeps_no_copy(app, ses, tmp_path):
    # GIVEN a sender SES never verified WHEN sending THEN SES's error surfaces and no .eml is written
    with pytest.raises(ClientError):
        Outbox(ses, eml_dir=tmp_path).send(report(sender="intruder@elsewhere.example.com"))
    assert list(tmp_path.glob("*.eml")) == []
