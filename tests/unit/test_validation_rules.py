"""Client input parsers: each accepts exactly the documented shape and names the field it refuses."""

from decimal import Decimal

import pytest

from shipcaptaincrew import validation as check
from shipcaptaincrew.errors import BadRequest


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Sail  ", "Sail"),  # stripped
        ("x" * 10, "x" * 10),  # exactly max_length
    ],
)
def test_text_is_stripped_and_kept_within_its_length(value, expected):
    assert check.text(value, "title", max_length=10) == expected


@pytest.mark.parametrize("value", [None, "", "   ", 5, True, ["a"], {"a": 1}, "x" * 11])
def test_required_text_refuses_missing_empty_non_text_and_too_long(value):
    # GIVEN a required field of at most 10 characters WHEN a bad value arrives THEN 400 names the field
    with pytest.raises(BadRequest) as refused:
        check.text(value, "title", max_length=10)
    assert refused.value.field == "title"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_optional_text_treats_absent_and_blank_as_none(value):
    assert check.text(value, "notes", max_length=10, required=False) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Skipper@Example.COM", "skipper@example.com"), ("a.b+c@sub.example.org", "a.b+c@sub.example.org")],
)
def test_email_is_normalised_to_lower_case(value, expected):
    assert check.email(value) == expected


@pytest.mark.parametrize(
    "value",
    ["no-at-sign", "a@b", "two@@example.com", "a b@example.com", "<a@example.com>", "a@example.c", 7, None],
)
def test_email_refuses_what_is_not_an_address(value):
    with pytest.raises(BadRequest) as refused:
        check.email(value, "contact_email")
    assert refused.value.field == "contact_email"


@pytest.mark.parametrize("value", ["2026-02-28", "2028-02-29", "2000-01-01", "2100-12-31"])
def test_real_calendar_dates_are_accepted(value):
    assert check.iso_date(value, "date") == value


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30",  # February never has 30 days
        "2027-02-29",  # 2027 is not a leap year
        "2026-13-01",
        "26-01-01",
        "2026/01/01",
        "1999-12-31",  # outside 2000..2100
        "2101-01-01",
        20260101,
        None,
    ],
)
def test_impossible_or_malformed_dates_are_refused_with_the_field(value):
    with pytest.raises(BadRequest) as refused:
        check.iso_date(value, "date")
    assert refused.value.field == "date"


@pytest.mark.parametrize(
    ("value", "expected"), [("00:00", "00:00"), ("23:59", "23:59"), (None, None), ("", None)]
)
def test_clock_times_are_24_hour_or_absent(value, expected):
    assert check.clock_time(value, "start_time") == expected


@pytest.mark.parametrize("value", ["24:00", "7:30", "12:60", "noon", 1200, "12:00:00"])
def test_malformed_clock_times_are_refused(value):
    with pytest.raises(BadRequest):
        check.clock_time(value, "start_time")


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (12, 12), (12.0, 12), (1000, 1000), (None, None)])
def test_whole_numbers_within_range_are_accepted(value, expected):
    assert check.whole_number(value, "guests", maximum=1000) == expected


@pytest.mark.parametrize("value", [-1, 1001, 2.5, True, "12", [12], float("inf"), float("nan")])
def test_whole_numbers_refuse_fractions_booleans_text_and_out_of_range(value):
    with pytest.raises(BadRequest) as refused:
        check.whole_number(value, "guests", maximum=1000)
    assert refused.value.field == "guests"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1250, Decimal("1250")), (99.5, Decimal("99.5")), ("19.99", Decimal("19.99")), (0, Decimal("0"))],
)
def test_money_is_exact_dollars_and_cents(value, expected):
    assert check.money(value, "price") == expected


@pytest.mark.parametrize(
    "value",
    [-1, 10_000_001, 0.001, "12.345", "abc", "NaN", "Infinity", "sNaN", True, [1], {"usd": 1}],
)
def test_money_refuses_negative_huge_sub_cent_and_non_numbers(value):
    with pytest.raises(BadRequest) as refused:
        check.money(value, "price")
    assert refused.value.field == "price"


@pytest.mark.parametrize("value", [1, 0, "true", None, [True]])
def test_boolean_accepts_only_json_booleans(value):
    with pytest.raises(BadRequest):
        check.boolean(value, "done")


def test_choice_lists_the_options_it_accepts():
    with pytest.raises(BadRequest) as refused:
        check.choice("sailing", "status", ("booked", "hold"))
    assert refused.value.message == "status must be one of: booked, hold"


def test_unknown_fields_are_refused_naming_the_first_alphabetically():
    # GIVEN a body with two typos WHEN checked THEN the error names "colour" (sorted before "titel")
    with pytest.raises(BadRequest) as refused:
        check.only_fields({"title": "x", "titel": "y", "colour": "z"}, ("title",), "charter")
    assert refused.value.field == "colour"
    assert "colour, titel" in refused.value.message
