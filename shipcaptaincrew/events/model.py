"""Pure rules for charters: what a valid charter is, and how a patch or a tick changes one."""

from __future__ import annotations

import secrets
from datetime import datetime

from .. import validation as check
from ..errors import BadRequest, NotFound

STATUSES = ("inquiry", "hold", "booked", "completed", "cancelled")
EDITABLE = (
    "title",
    "entity",
    "date",
    "start_time",
    "end_time",
    "status",
    "contact_email",
    "guests",
    "price",
    "deposit",
    "checklist",
    "notes",
)
MAX_CHECKLIST_ITEMS = 100


def create(body: dict, *, entity_ids, actor: str, now: datetime) -> dict:
    """Return a new charter from a client's body, with ids assigned and timestamps set."""
    check.only_fields(body, EDITABLE, "charter")
    fields = _parse(body, entity_ids=entity_ids, previous_checklist=[])
    stamp = now.isoformat(timespec="seconds")
    event = {
        "id": secrets.token_hex(8),
        "status": "inquiry",
        "checklist": [],
        **fields,
        "created_at": stamp,
        "updated_at": stamp,
        "created_by": actor,
    }
    return _check_whole(event)


def patch(event: dict, body: dict, *, entity_ids, now: datetime) -> dict:
    """Return the charter with the client's changes applied and re-validated as a whole."""
    check.only_fields(body, EDITABLE, "charter")
    if not body:
        raise BadRequest("nothing to change: send at least one field")
    fields = _parse(body, entity_ids=entity_ids, previous_checklist=event.get("checklist", []))
    updated = {**event, **fields, "updated_at": now.isoformat(timespec="seconds")}
    for name in [name for name in body if body[name] is None]:
        updated.pop(name, None)  # null clears an optional field
    return _check_whole(updated)


def tick(event: dict, item_id: str, done: bool, *, now: datetime) -> dict:
    """Return the charter with one checklist item marked done or not done."""
    checklist = [dict(item) for item in event.get("checklist", [])]
    for item in checklist:
        if item["id"] == item_id:
            item["done"] = done
            return {**event, "checklist": checklist, "updated_at": now.isoformat(timespec="seconds")}
    raise NotFound(f"no checklist item {item_id!r} on this charter")


def _parse(body: dict, *, entity_ids, previous_checklist: list) -> dict:
    parsers = {
        "title": lambda v: check.header_text(v, "title", max_length=200),  # a nudge's subject
        "entity": lambda v: check.choice(v, "entity", entity_ids),
        "date": lambda v: check.iso_date(v, "date"),
        "start_time": lambda v: check.clock_time(v, "start_time"),
        "end_time": lambda v: check.clock_time(v, "end_time"),
        "status": lambda v: check.choice(v, "status", STATUSES),
        "contact_email": lambda v: None if v in (None, "") else check.email(v, "contact_email"),
        "guests": lambda v: check.whole_number(v, "guests", maximum=1000),
        "price": lambda v: check.money(v, "price"),
        "deposit": lambda v: check.money(v, "deposit"),
        "checklist": lambda v: _checklist(v, previous_checklist),
        "notes": lambda v: check.text(v, "notes", max_length=4000, required=False, multiline=True),
    }
    required = {"title", "entity", "date", "status"}
    parsed = {}
    for name, value in body.items():
        if value is None and name in required:
            raise BadRequest(f"{name} cannot be cleared", field=name)
        parsed[name] = parsers[name](value)
    return parsed


def _checklist(value, previous: list) -> list[dict]:
    if not isinstance(value, list):
        raise BadRequest("checklist must be a list of items", field="checklist")
    if len(value) > MAX_CHECKLIST_ITEMS:
        raise BadRequest(f"checklist has more than {MAX_CHECKLIST_ITEMS} items", field="checklist")
    known = {item["id"] for item in previous}
    result, seen = [], set()
    for position, raw in enumerate(value, start=1):
        where = f"checklist item {position}"
        if isinstance(raw, str):
            raw = {"text": raw}
        if not isinstance(raw, dict):
            raise BadRequest(f"{where} must be an object with text", field="checklist")
        check.only_fields(raw, ("id", "text", "done"), where)
        item_id = raw.get("id")
        if not isinstance(item_id, str) or item_id not in known:
            item_id = secrets.token_hex(4)
        if item_id in seen:
            raise BadRequest(f"{where} repeats id {item_id}", field="checklist")
        seen.add(item_id)
        done = raw.get("done", False)
        result.append(
            {
                "id": item_id,
                "text": check.text(raw.get("text"), f"{where} text", max_length=200),
                "done": check.boolean(done, f"{where} done"),
            }
        )
    return result


def _check_whole(event: dict) -> dict:
    for name in ("title", "entity", "date"):
        if not event.get(name):
            raise BadRequest(f"{name} is required", field=name)
    start, end = event.get("start_time"), event.get("end_time")
    if start and end and end <= start:
        raise BadRequest("end_time must be after start_time", field="end_time")
    price, deposit = event.get("price"), event.get("deposit")
    if price is not None and deposit is not None and deposit > price:
        raise BadRequest("deposit cannot be more than the price", field="deposit")
    return {key: value for key, value in event.items() if value is not None}
