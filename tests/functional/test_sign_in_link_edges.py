"""Sign-in links at their edges, on the auth table of the moto server with an explicit clock: the
15-minute expiry to the second, the token lengths accepted (16 to 128 characters), the sliding
ten-minute window to the second, its Retry-After, and what the rate item keeps."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from shipcaptaincrew.auth.links import MagicLinks, digest
from shipcaptaincrew.errors import TooManyRequests, Unauthorized

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
EMAIL = "guest@example.com"
BUDGETS = {"per_source_per_hour": 30, "global_per_hour": 300}  # the settings' defaults


@pytest.fixture
def links(app) -> MagicLinks:
    return MagicLinks(app.clients.dynamodb, table=app.settings.auth_table)


def plant(app, token: str, *, expires_at: datetime) -> None:
    """Store a link for `token` as `issue` would, with the given expiry."""
    app.clients.dynamodb.put_item(
        TableName=app.settings.auth_table,
        Item={
            "pk": {"S": f"link#{digest(token)}"},
            "email": {"S": EMAIL},
            "expires_at": {"N": str(int(expires_at.timestamp()))},
        },
    )


@pytest.mark.parametrize(("seconds_later", "accepted"), [(899, True), (900, False)])
def test_a_link_is_redeemed_up_to_the_second_before_its_15_minutes_end(links, seconds_later, accepted):
    # GIVEN a link issued at 12:00:00: it expires at 12:15:00 (900 s later)
    token = links.issue(EMAIL, now=T0)
    when = T0 + timedelta(seconds=seconds_later)
    if accepted:
        assert links.redeem(token, now=when) == EMAIL
    else:
        with pytest.raises(Unauthorized) as refused:
            links.redeem(token, now=when)
        assert refused.value.message == "this sign-in link is invalid, expired or already used"


def test_an_issued_link_keeps_its_creation_and_expiry_times(app, links):
    token = links.issue(EMAIL, now=T0)
    item = app.clients.dynamodb.get_item(
        TableName=app.settings.auth_table, Key={"pk": {"S": f"link#{digest(token)}"}}
    )["Item"]
    # 12:00:00 is 1772366400 in epoch seconds; it expires 900 s later
    assert (item["created_at"]["N"], item["expires_at"]["N"], item["email"]["S"]) == (
        "1772366400", "1772367300", EMAIL,
    )  # fmt: skip


@pytest.mark.parametrize(("length", "accepted"), [(15, False), (16, True), (128, True), (129, False)])
def test_tokens_of_16_to_128_characters_are_looked_up_and_others_refused_unread(app, links, length, accepted):
    # GIVEN a live link whose token is `length` characters long (stored as issue would)
    token = "a" * length
    plant(app, token, expires_at=T0 + timedelta(minutes=15))
    if accepted:
        assert links.redeem(token, now=T0) == EMAIL
    else:
        with pytest.raises(Unauthorized):
            links.redeem(token, now=T0)


def test_the_sixth_request_is_refused_until_the_first_is_exactly_ten_minutes_old(links):
    # GIVEN five requests at 12:00:00, :01, :02, :03 and :04
    for second in range(5):
        links.count_request(EMAIL, now=T0 + timedelta(seconds=second), **BUDGETS)
    # THEN a sixth at 12:09:59 is refused: the first is 599 s old, its slot frees at 12:10:00, 1 s
    with pytest.raises(TooManyRequests) as refused:
        links.count_request(EMAIL, now=T0 + timedelta(seconds=599), **BUDGETS)
    assert refused.value.headers == {"Retry-After": "1"}
    assert refused.value.message == "too many sign-in links requested for this address; try again later"
    # AND at 12:10:00 the first is ten minutes old, out of the window: accepted
    links.count_request(EMAIL, now=T0 + timedelta(seconds=600), **BUDGETS)
    # AND at 12:10:00.5 the window (12:00:00.5 on) still holds :01-:04 and 12:10:00: refused, and
    # the slot of 12:00:01 frees at 12:10:01, 0.5 s away: Retry-After is never below 1
    with pytest.raises(TooManyRequests) as again:
        links.count_request(EMAIL, now=T0 + timedelta(seconds=600.5), **BUDGETS)
    assert again.value.headers == {"Retry-After": "1"}


def test_retry_after_counts_from_the_oldest_of_the_last_five(links):
    # GIVEN requests at 12:00, 12:02, 12:04, 12:06 and 12:08
    for minute in range(0, 10, 2):
        links.count_request(EMAIL, now=T0 + timedelta(minutes=minute), **BUDGETS)
    # WHEN a sixth comes at 12:09 THEN the 12:00 one frees its slot at 12:10: 60 s
    with pytest.raises(TooManyRequests) as refused:
        links.count_request(EMAIL, now=T0 + timedelta(minutes=9), **BUDGETS)
    assert refused.value.headers == {"Retry-After": "60"}
    # WHEN one comes at 12:11 (12:00 has left the window) THEN it is accepted, and a next at 12:11:30
    # waits for 12:02's slot at 12:12: 30 s
    links.count_request(EMAIL, now=T0 + timedelta(minutes=11), **BUDGETS)
    with pytest.raises(TooManyRequests) as later:
        links.count_request(EMAIL, now=T0 + timedelta(minutes=11, seconds=30), **BUDGETS)
    assert later.value.headers == {"Retry-After": "30"}


def test_the_rate_item_keeps_only_the_times_in_the_window_and_expires_after_it(app, links):
    # GIVEN a request at 12:00:00.1234 and one at 12:10:05 (the first has left the window)
    links.count_request(EMAIL, now=T0 + timedelta(seconds=0.1234), **BUDGETS)
    links.count_request(EMAIL, now=T0 + timedelta(seconds=605), **BUDGETS)
    item = app.clients.dynamodb.get_item(
        TableName=app.settings.auth_table, Key={"pk": {"S": f"rate#{digest(EMAIL)}"}}
    )["Item"]
    # THEN it keeps 12:10:05 only (1772367005), the version counts both writes, and it expires
    # when that request leaves the window, a second after 12:20:05
    assert [value["N"] for value in item["sent"]["L"]] == ["1772367005.0"]
    assert (item["version"]["N"], item["expires_at"]["N"]) == ("2", "1772367606")
    assert EMAIL not in str(item)


def test_the_first_request_stores_its_time_to_the_millisecond(app, links):
    links.count_request(EMAIL, now=T0 + timedelta(seconds=0.1234), **BUDGETS)
    item = app.clients.dynamodb.get_item(
        TableName=app.settings.auth_table, Key={"pk": {"S": f"rate#{digest(EMAIL)}"}}
    )["Item"]
    # 1772366400 + 0.1234, to three decimals
    assert [value["N"] for value in item["sent"]["L"]] == ["1772366400.123"]
    assert (item["version"]["N"], item["expires_at"]["N"]) == ("1", "1772367001")


def test_the_per_source_and_global_budgets_refuse_past_their_limits(links):
    # GIVEN a budget of 2 per source IP and 3 in all, per clock hour
    def ask(email: str, ip: str) -> None:
        links.count_request(email, now=T0, source_ip=ip, per_source_per_hour=2, global_per_hour=3)

    ask("a@example.com", "192.0.2.1")
    ask("b@example.com", "192.0.2.1")
    with pytest.raises(TooManyRequests) as per_source:  # the third from that source
        ask("c@example.com", "192.0.2.1")
    assert per_source.value.message == "too many sign-in links requested; try again later"
    ask("d@example.com", "192.0.2.2")  # another source: the third in all (c stopped at its source)
    with pytest.raises(TooManyRequests) as in_all:
        ask("e@example.com", "192.0.2.3")
    assert in_all.value.message == "too many sign-in links requested; try again later"


def test_the_hourly_budgets_are_counted_in_the_items_the_architecture_names(app, links):
    """docs/architecture.md: `rate-ip#<sha256(ip)>#<hour>` and `rate-all#<hour>` counts, gone
    with their hour (TTL). An operator clearing a stuck budget looks for these keys."""
    links.count_request(EMAIL, now=T0, source_ip="192.0.2.1", **BUDGETS)
    links.count_request("other@example.com", now=T0, source_ip="192.0.2.1", **BUDGETS)
    # 12:00:00 UTC is 1772366400 s = hour 492324 exactly (x 3600); that hour ends at 1772370000
    ip_key = "rate-ip#" + hashlib.sha256(b"192.0.2.1").hexdigest() + "#492324"
    for key in (ip_key, "rate-all#492324"):
        item = app.clients.dynamodb.get_item(TableName=app.settings.auth_table, Key={"pk": {"S": key}})
        assert (item["Item"]["attempts"]["N"], item["Item"]["expires_at"]["N"]) == ("2", "1772370000"), key


class Racing:
    """The auth table's client, with the next `lost` conditional puts failing as if another request
    for the same address had written first; every get_item is recorded."""

    def __init__(self, dynamodb, lost: int):
        self._db, self.lost, self.reads = dynamodb, lost, []

    def __getattr__(self, name):
        return getattr(self._db, name)  # the other calls (the per-hour budgets) go straight through

    def get_item(self, **request):
        self.reads.append(request)
        return self._db.get_item(**request)

    def put_item(self, **request):
        if self.lost:
            self.lost -= 1
            raise ClientError(
                {"Error": {"Code": "ConditionalCheckFailedException", "Message": "race"}}, "PutItem"
            )
        return self._db.put_item(**request)


def test_a_request_that_loses_a_race_reads_again_and_is_counted_with_a_consistent_read(app):
    racing = Racing(app.clients.dynamodb, lost=2)
    links = MagicLinks(racing, table=app.settings.auth_table)
    links.count_request(EMAIL, now=T0, **BUDGETS)
    # THEN it read three times (two lost writes, one won), each strongly consistent
    assert [read["ConsistentRead"] for read in racing.reads] == [True, True, True]


class Interleaving:
    """The auth table's client of one request, with a second request for the same address run
    to completion between its read and its write: two requests at once, in a fixed order."""

    def __init__(self, dynamodb, second):
        self._db, self._second = dynamodb, second

    def __getattr__(self, name):
        return getattr(self._db, name)

    def put_item(self, **request):
        second, self._second = self._second, None
        if second:
            second()
        return self._db.put_item(**request)


def test_two_requests_for_one_address_at_once_are_both_counted(app):
    """The write's version condition: without it the slower request overwrites the faster
    one's time and an address gets past its five links in ten minutes."""
    other = MagicLinks(app.clients.dynamodb, table=app.settings.auth_table)

    def second():
        other.count_request(EMAIL, now=T0 + timedelta(seconds=1), **BUDGETS)

    first = MagicLinks(Interleaving(app.clients.dynamodb, second), table=app.settings.auth_table)
    first.count_request(EMAIL, now=T0, **BUDGETS)  # read at version 0; the second writes version 1 first
    item = app.clients.dynamodb.get_item(
        TableName=app.settings.auth_table, Key={"pk": {"S": f"rate#{digest(EMAIL)}"}}
    )["Item"]
    # both requests' times (12:00:00 = 1772366400 and a second later), after two writes
    assert sorted(float(value["N"]) for value in item["sent"]["L"]) == [1772366400.0, 1772366401.0]
    assert item["version"]["N"] == "2"


def test_a_request_that_keeps_losing_races_is_refused_for_a_second(app):
    links = MagicLinks(Racing(app.clients.dynamodb, lost=5), table=app.settings.auth_table)
    with pytest.raises(TooManyRequests) as refused:
        links.count_request(EMAIL, now=T0, **BUDGETS)
    assert refused.value.headers == {"Retry-After": "1"}
    assert refused.value.message == "too many sign-in links requested for this address; try again later"


def test_an_issued_token_carries_256_random_bits(links):
    # 32 bytes in URL-safe base64 without padding: ceil(256 / 6) = 43 characters
    tokens = {links.issue(EMAIL, now=T0) for _ in range(3)}
    assert len(tokens) == 3 and {len(token) for token in tokens} == {43}
