"""Email messages: plain text plus an HTML alternative, and never a Bcc header."""

import pytest

from shipcaptaincrew.mail import message


def build(**changes):
    fields = {
        "sender": "reports@example.com",
        "to": ["a@example.com", "b@example.com"],
        "subject": "Ready to book?",
        "text": "Hello in text",
        "html": "<p>Hello in HTML</p>",
    }
    return message.build(**{**fields, **changes})


def test_a_message_is_multipart_alternative_with_text_then_html():
    built = build()
    assert built.get_content_type() == "multipart/alternative"
    parts = list(built.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert parts[0].get_content().strip() == "Hello in text"
    assert parts[1].get_content().strip() == "<p>Hello in HTML</p>"


def test_the_headers_name_sender_recipients_subject_and_a_message_id_on_the_senders_domain():
    built = build(headers={"X-Run-Id": "run-1"})
    assert built["From"] == "reports@example.com"
    assert built["To"] == "a@example.com, b@example.com"
    assert built["Subject"] == "Ready to book?"
    assert built["Message-ID"].endswith("@example.com>")
    assert built["X-Run-Id"] == "run-1"
    assert built["Date"]
    assert "Bcc" not in built


def test_a_message_without_recipients_is_refused():
    with pytest.raises(ValueError, match="at least one To recipient"):
        build(to=[])
