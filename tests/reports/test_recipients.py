"""Recipients per report: stored in DynamoDB, defaulting to EXEC_REPORT_TO / EXEC_REPORT_BCC."""

from __future__ import annotations

import pytest

from reports.recipients import Recipients, RecipientStore
from shipcaptaincrew.errors import BadRequest

DEFAULT_TO = ("ceo@example.com", "cfo@example.com")
DEFAULT_BCC = ("archive@example.com",)


@pytest.fixture
def store(app) -> RecipientStore:
    return RecipientStore(
        app.clients.dynamodb,
        table=app.settings_of("reports").recipients_table,
        default_to=DEFAULT_TO,
        default_bcc=DEFAULT_BCC,
    )


def test_a_report_without_its_own_recipients_gets_the_defaults(store):
    # GIVEN nothing stored
    # WHEN / THEN the defaults come back, marked as not custom
    assert store.get("cfo") == Recipients(DEFAULT_TO, DEFAULT_BCC, custom=False)
    assert store.get("cfo").as_dict() == {
        "to": ["ceo@example.com", "cfo@example.com"],
        "bcc": ["archive@example.com"],
        "custom": False,
    }


def test_put_stores_normalised_addresses_that_get_returns(store):
    # GIVEN mixed case, padding and a repeat (the same address written twice)
    body = {"to": ["CFO@Example.com", " books@example.com ", "cfo@example.com"], "bcc": ["Audit@example.com"]}

    # WHEN they are stored
    saved = store.put("cfo", body)

    # THEN they are lower-case, de-duplicated in the order given, and read back the same
    expected = Recipients(("cfo@example.com", "books@example.com"), ("audit@example.com",), custom=True)
    assert saved == expected
    assert store.get("cfo") == expected
    assert store.get("ceo").custom is False  # other reports keep the defaults


def test_bcc_is_optional_and_then_empty(store):
    # WHEN only `to` is sent (or bcc is null)
    store.put("cfo", {"to": ["cfo@example.com"]})
    store.put("cto", {"to": ["cto@example.com"], "bcc": None})

    # THEN the report has no BCC of its own
    assert store.get("cfo").as_dict() == {"to": ["cfo@example.com"], "bcc": [], "custom": True}
    assert store.get("cto").bcc == ()


def test_many_reads_more_than_one_batch_and_fills_in_defaults(store):
    # GIVEN 150 reports (two BatchGetItem calls of at most 100), of which 3 have their own recipients
    ids = [f"report-{number:03d}" for number in range(150)]
    for report_id in ("report-000", "report-099", "report-149"):
        store.put(report_id, {"to": [f"{report_id}@example.com"]})

    # WHEN they are read together (a repeated id is read once)
    found = store.many([*ids, "report-000"])

    # THEN every id is answered: the 3 custom ones stored, the 147 others with the defaults
    assert list(found) == ids
    assert found["report-099"] == Recipients(("report-099@example.com",), (), custom=True)
    assert sum(1 for recipients in found.values() if recipients.custom) == 3
    assert found["report-050"] == Recipients(DEFAULT_TO, DEFAULT_BCC, custom=False)


def test_many_of_nothing_is_empty(store):
    assert store.many([]) == {}


def test_reset_goes_back_to_the_defaults(store):
    # GIVEN a report with its own recipients
    store.put("cfo", {"to": ["cfo@example.com"]})

    # WHEN it is reset (twice: the second is harmless)
    store.reset("cfo")
    store.reset("cfo")

    # THEN it goes to the defaults again
    assert store.get("cfo") == Recipients(DEFAULT_TO, DEFAULT_BCC, custom=False)


FIFTY_ONE = [f"person{number}@example.com" for number in range(51)]


@pytest.mark.parametrize(
    ("body", "field", "named"),
    [
        ({"to": "cfo@example.com"}, "to", "list"),
        ({"to": None}, "to", "list"),
        ({}, "to", "list"),
        ({"to": []}, "to", "at least one"),
        ({"to": FIFTY_ONE}, "to", "more than 50"),
        ({"to": ["cfo@example.com"], "bcc": FIFTY_ONE}, "bcc", "more than 50"),
        ({"to": ["cfo@example.com"], "bcc": "audit@example.com"}, "bcc", "list"),
        ({"to": ["not-an-email"]}, "to", "not-an-email"),
        ({"to": ["a@b"]}, "to", "a@b"),
        ({"to": ["cfo@example.com", ""]}, "to", "''"),
        ({"to": [42]}, "to", "42"),
        ({"to": [["cfo@example.com"]]}, "to", "cfo@example.com"),
        ({"to": ["x@example.com\nBcc: evil@example.com"]}, "to", "evil@example.com"),
        ({"to": ["x@example.com\r\nBcc: evil@example.com"]}, "to", "evil@example.com"),
        ({"to": ["x@example.com, evil@example.com"]}, "to", "evil@example.com"),
        ({"to": ["Boss <evil@example.com>"]}, "to", "evil@example.com"),
        ({"to": ["cfo@example.com"], "bcc": ["evil@example.com\nSubject: hi"]}, "bcc", "Subject"),
        ({"to": ["cfo@example.com"], "cc": ["x@example.com"]}, "cc", "unknown"),
    ],
)
def test_invalid_recipients_are_refused_naming_the_field(store, body, field, named):
    # WHEN an invalid body is stored
    with pytest.raises(BadRequest) as refused:
        store.put("cfo", body)

    # THEN it is a 400 naming the field (and the bad address), and nothing was stored
    assert refused.value.status == 400
    assert refused.value.field == field
    assert named in refused.value.message
    assert store.get("cfo").custom is False


def test_a_body_that_is_not_an_object_is_refused(store):
    with pytest.raises(BadRequest):
        store.put("cfo", ["cfo@example.com"])
