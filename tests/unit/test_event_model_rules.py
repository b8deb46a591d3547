"""Pure charter rules: what a valid charter is and how patches and ticks change one."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from shipcaptaincrew.errors import BadRequest, NotFound
from shipcaptaincrew.events import model

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ENTITIES = ("jada", "queenofsandiego")
SAIL = {"title": "Sunset sail", "entity": "jada", "date": "2026-04-10"}


def create(**fields) -> dict:
    return model.create({**SAIL, **fields}, entity_ids=ENTITIES, actor="admin@example.com", now=NOW)


def test_new_charter_gets_an_id_defaults_and_timestamps():
    event = create()
    assert len(event["id"]) == 16  # 8 random bytes as hex
    assert event["status"] == "inquiry"
    assert event["checklist"] == []
    assert event["created_at"] == event["updated_at"] == "2026-03-01T12:00:00+00:00"
    assert event["created_by"] == "admin@example.com"


def test_checklist_items_given_as_text_get_distinct_ids_and_start_undone():
    event = create(checklist=["Fuel", {"text": "Ice"}, {"text": "Life jackets", "done": True}])
    assert [item["text"] for item in event["checklist"]] == ["Fuel", "Ice", "Life jackets"]
    assert [item["done"] for item in event["checklist"]] == [False, False, True]
    assert len({item["id"] for item in event["checklist"]}) == 3


def test_a_client_cannot_choose_its_own_item_ids_on_create():
    # GIVEN an id the server never issued WHEN creating THEN a fresh id replaces it
    event = create(checklist=[{"id": "chosen", "text": "Fuel"}])
    assert event["checklist"][0]["id"] != "chosen"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"entity": "atlantis"}, "entity"),
        ({"date": "2026-02-30"}, "date"),
        ({"status": "sailing"}, "status"),
        ({"start_time": "10:00", "end_time": "10:00"}, "end_time"),  # not after the start
        ({"start_time": "10:00", "end_time": "09:59"}, "end_time"),
        ({"price": 100, "deposit": 100.01}, "deposit"),
        ({"guests": -1}, "guests"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"checklist": "Fuel"}, "checklist"),
        ({"checklist": [7]}, "checklist"),
        ({"checklist": ["x"] * 101}, "checklist"),
        ({"owner": "me"}, "owner"),
    ],
)
def test_invalid_charters_are_refused_naming_the_field(fields, field):
    with pytest.raises(BadRequest) as refused:
        create(**fields)
    assert refused.value.field == field


def test_deposit_equal_to_price_and_end_after_start_are_fine():
    event = create(price=100, deposit=100, start_time="10:00", end_time="10:01")
    assert (event["price"], event["deposit"]) == (Decimal("100"), Decimal("100"))


def test_patch_changes_only_the_fields_sent_and_null_clears_an_optional_one():
    # GIVEN a charter with notes and guests
    event = create(notes="Bring cake", guests=6)
    later = NOW + timedelta(hours=1)
    # WHEN the patch sets a title and clears notes
    patched = model.patch(event, {"title": "Birthday sail", "notes": None}, entity_ids=ENTITIES, now=later)
    # THEN the title changed, notes are gone, guests are untouched, updated_at moved
    assert patched["title"] == "Birthday sail"
    assert "notes" not in patched
    assert patched["guests"] == 6
    assert patched["updated_at"] == "2026-03-01T13:00:00+00:00"


@pytest.mark.parametrize("field", ["title", "entity", "date", "status"])
def test_required_fields_cannot_be_cleared(field):
    with pytest.raises(BadRequest) as refused:
        model.patch(create(), {field: None}, entity_ids=ENTITIES, now=NOW)
    assert refused.value.field == field


def test_patch_is_checked_against_the_stored_charter_as_a_whole():
    # GIVEN a price of 500 WHEN only a deposit of 600 is patched THEN it exceeds the stored price
    with pytest.raises(BadRequest) as refused:
        model.patch(create(price=500), {"deposit": 600}, entity_ids=ENTITIES, now=NOW)
    assert refused.value.field == "deposit"


def test_an_empty_patch_is_refused():
    with pytest.raises(BadRequest):
        model.patch(create(), {}, entity_ids=ENTITIES, now=NOW)


def test_patching_the_checklist_keeps_known_ids_and_refuses_repeats():
    event = create(checklist=["Fuel"])
    fuel = event["checklist"][0]["id"]
    patched = model.patch(
        event,
        {"checklist": [{"id": fuel, "text": "Fuel", "done": True}, "Ice"]},
        entity_ids=ENTITIES,
        now=NOW,
    )
    assert patched["checklist"][0] == {"id": fuel, "text": "Fuel", "done": True}
    with pytest.raises(BadRequest):
        model.patch(
            event,
            {"checklist": [{"id": fuel, "text": "a"}, {"id": fuel, "text": "b"}]},
            entity_ids=ENTITIES,
            now=NOW,
        )


def test_tick_marks_one_item_without_touching_the_original():
    event = create(checklist=["Fuel", "Ice"])
    ice = event["checklist"][1]["id"]
    ticked = model.tick(event, ice, True, now=NOW)
    assert [item["done"] for item in ticked["checklist"]] == [False, True]
    assert [item["done"] for item in event["checklist"]] == [False, False]


def test_ticking_an_unknown_item_is_not_found():
    with pytest.raises(NotFound):
        model.tick(create(checklist=["Fuel"]), "nope", True, now=NOW)
