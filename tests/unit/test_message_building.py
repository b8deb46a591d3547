"""Email messages: plain text plus an HTML alternative, and never a Bcc header."""

import email
import email.policy
import itertools

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


# Subjects as the reports wrote them on 2026-12-04 whose em dash fell at the fold: CPython's
# folder sent the first as "shortfalls  — CEO" (two spaces) and the second with an empty encoded
# word "=?utf-8?q??=" (python/cpython#144156: some providers refuse such subjects).
FOLDED_AT_THE_DASH = [
    "Burn $7,795/mo, 6.0 months of runway, 8 critical shortfalls — CEO briefing",
    "3,676 people on the email lists, 11 of 28 channels live — CMO briefing",
    "50% occupied, Oct 2026 lost $2,115 after debt service — 3028 51st St Rental",
]


@pytest.mark.parametrize("subject", FOLDED_AT_THE_DASH)
def test_a_subject_with_an_em_dash_reads_back_exactly_and_its_lines_fit(subject):
    raw = build(subject=subject).as_bytes(policy=email.policy.SMTP)
    head = raw.split(b"\r\n\r\n")[0].split(b"\r\n")
    start = next(i for i, line in enumerate(head) if line.startswith(b"Subject: "))
    lines = [head[start], *itertools.takewhile(lambda line: line[:1] in b" \t", head[start + 1 :])]
    # every line of it within RFC 2047's 76 characters, no empty or run-together encoded word
    assert all(len(line) <= 76 for line in lines), lines
    assert not any(b"??=" in line or b"?==?" in line for line in lines), lines
    # and a reader decodes exactly the subject written, single spaces and all
    assert email.message_from_bytes(raw, policy=email.policy.default)["Subject"] == subject


def test_a_plain_ascii_subject_stays_readable_text():
    subject = "Ready to book? Your charter on Saturday has 3 seats left and the forecast is good"
    raw = build(subject=subject).as_bytes(policy=email.policy.SMTP)
    assert b"=?" not in raw.split(b"\r\n\r\n")[0]
    assert email.message_from_bytes(raw, policy=email.policy.default)["Subject"] == subject
