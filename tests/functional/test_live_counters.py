"""Aggregate counters stay equal to a full recount, and live counts are what the data says."""

import random
from collections import Counter
from datetime import UTC, datetime

from freezegun import freeze_time

from shipcaptaincrew import cli
from shipcaptaincrew.app import App, get_app
from shipcaptaincrew.users.store import LastAdmin

# 05:00 UTC on 10 March 2026 is 22:00 on 9 March in Los Angeles (PDT, UTC-7 since 8 March):
# the business's "today" is 2026-03-09 while UTC has already moved on.
NOW = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)
TODAY_IN_LOS_ANGELES = "2026-03-09"
OPEN = {"inquiry", "hold", "booked"}
DATES = ["2026-03-01", "2026-03-08", "2026-03-09", "2026-03-10", "2026-04-01"]


def expected_live(charters: dict, people: dict) -> dict:
    """Compute the live counts from what the test wrote, independently of the app's counters."""
    counted = [charter for charter in charters.values() if charter["status"] != "cancelled"]
    total = sum(len(charter["done"]) for charter in counted)
    done = sum(sum(charter["done"].values()) for charter in counted)
    return {
        "events_by_status": dict(sorted(Counter(c["status"] for c in charters.values()).items())),
        "upcoming_charters": sum(
            1 for c in charters.values() if c["status"] in OPEN and c["date"] >= TODAY_IN_LOS_ANGELES
        ),
        "users_by_role": dict(sorted(Counter(people.values()).items())),
        "checklist_completion": round(done / total, 4) if total else None,
    }


def test_live_counts_through_the_api_match_a_hand_count(api):
    # GIVEN (today in Los Angeles is 2026-03-09):
    #   booked     2026-03-09  items: 1 of 2 done   -> upcoming (today counts)
    #   hold       2026-03-08  items: 1 of 1 done   -> past
    #   cancelled  2026-03-20  items: 2 of 2 done   -> neither upcoming nor in completion
    #   completed  2026-03-01  items: 0 of 1 done
    #   inquiry    2026-04-01  no items             -> upcoming
    # THEN upcoming = 2, completion = (1 + 1) / (2 + 1 + 1) = 0.5, one user: the admin
    rows = [
        ("booked", "2026-03-09", [True, False]),
        ("hold", "2026-03-08", [True]),
        ("cancelled", "2026-03-20", [True, True]),
        ("completed", "2026-03-01", [False]),
        ("inquiry", "2026-04-01", []),
    ]
    with freeze_time(NOW):
        token = api.sign_in("admin@example.com")
        for status, day, ticks in rows:
            items = [{"text": f"item {n}", "done": done} for n, done in enumerate(ticks)]
            body = {"title": status, "entity": "jada", "date": day, "status": status, "checklist": items}
            assert api.call("POST", "/api/events", body, token=token)[0] == 201
        live = get_app().live_counts().as_dict()
    assert live == {
        "events_by_status": {"booked": 1, "cancelled": 1, "completed": 1, "hold": 1, "inquiry": 1},
        "upcoming_charters": 2,
        "users_by_role": {"admin": 1},
        "checklist_completion": 0.5,
    }


def test_counters_equal_a_full_recount_after_a_random_sequence_of_writes(app):
    # GIVEN an App whose clock reads NOW, writing through the same stores the API uses
    clocked = App(app.settings, clock=lambda: NOW)
    clocked.clients = app.clients
    rng = random.Random(20260309)
    charters: dict[str, dict] = {}  # id -> {"status", "date", "done": {item id: bool}}
    people: dict[str, str] = {}  # email -> role
    performed: Counter = Counter()

    def create_charter():
        ticks = [rng.random() < 0.5 for _ in range(rng.randint(0, 3))]
        body = {
            "title": "Trip",
            "entity": "jada",
            "date": rng.choice(DATES),
            "status": rng.choice(["inquiry", "hold", "booked", "completed", "cancelled"]),
            "checklist": [{"text": f"item {n}", "done": done} for n, done in enumerate(ticks)],
        }
        stored = clocked.events.create(body, actor="admin@example.com", now=NOW)
        charters[stored["id"]] = {
            "status": body["status"],
            "date": body["date"],
            "done": {item["id"]: done for item, done in zip(stored["checklist"], ticks, strict=True)},
        }

    def change_status():
        event_id = rng.choice(sorted(charters))
        status = rng.choice(["inquiry", "hold", "booked", "completed", "cancelled"])
        clocked.events.update(event_id, {"status": status}, now=NOW)
        charters[event_id]["status"] = status

    def move_date():
        event_id = rng.choice(sorted(charters))
        day = rng.choice(DATES)
        clocked.events.update(event_id, {"date": day}, now=NOW)
        charters[event_id]["date"] = day

    def replace_checklist():
        event_id = rng.choice(sorted(charters))
        ticks = [rng.random() < 0.5 for _ in range(rng.randint(0, 4))]
        items = [{"text": f"new {n}", "done": done} for n, done in enumerate(ticks)]
        stored = clocked.events.update(event_id, {"checklist": items}, now=NOW)
        charters[event_id]["done"] = {
            item["id"]: d for item, d in zip(stored["checklist"], ticks, strict=True)
        }

    def tick():
        with_items = sorted(event_id for event_id, charter in charters.items() if charter["done"])
        if not with_items:
            return create_charter()
        event_id = rng.choice(with_items)
        item_id = rng.choice(sorted(charters[event_id]["done"]))
        done = rng.random() < 0.6
        clocked.events.tick(event_id, item_id, done, now=NOW)
        charters[event_id]["done"][item_id] = done

    def delete_charter():
        event_id = rng.choice(sorted(charters))
        clocked.events.delete(event_id)
        del charters[event_id]

    def add_person():
        email, role = (
            f"person{len(people) + performed['add_person']}@example.com",
            rng.choice(["admin", "captain", "crew"]),
        )
        clocked.users.create({"email": email, "role": role}, now=NOW)
        people[email] = role

    def change_role():
        email, role = rng.choice(sorted(people)), rng.choice(["admin", "captain", "crew"])
        try:
            clocked.users.update(email, {"role": role})
        except LastAdmin:
            return  # the last admin keeps the role (409 last_admin): nothing changed
        people[email] = role

    def remove_person():
        email = rng.choice(sorted(people))
        try:
            clocked.users.delete(email)
        except LastAdmin:
            return
        del people[email]

    needs_charter = [change_status, move_date, replace_checklist, tick, delete_charter]
    needs_person = [change_role, remove_person]
    operations = [create_charter, create_charter, add_person, *needs_charter, *needs_person]
    for _ in range(40):
        operation = rng.choice(operations)
        if (operation in needs_charter and not charters) or (operation in needs_person and not people):
            operation = create_charter if operation in needs_charter else add_person
        operation()
        performed[operation.__name__] += 1

    # THEN every kind of write happened (so the comparison below means something)
    assert set(performed) == {op.__name__ for op in operations}
    # AND the counters kept on each write equal a recount from a full Scan
    assert clocked.counters.read() == clocked.counters.recount()
    # AND the live counts equal the figures computed from what was written
    assert clocked.live_counts().as_dict() == expected_live(charters, people)


def test_reconcile_reports_drift_and_fix_repairs_it(
    app, add_charter, monkeypatch, tmp_path, capsys, quiet_cli_logging
):
    # GIVEN one booked charter (status#booked = 1) and counters tampered with: booked 6, a phantom status
    monkeypatch.chdir(tmp_path)  # no repos.env here: the command reads the test's environment only
    add_charter(status="booked")
    app.clients.dynamodb.update_item(
        TableName=app.settings.counters_table,
        Key={"name": {"S": "aggregates"}},
        UpdateExpression="ADD #b :five, #p :two",
        ExpressionAttributeNames={"#b": "status#booked", "#p": "status#sailing"},
        ExpressionAttributeValues={":five": {"N": "5"}, ":two": {"N": "2"}},
    )
    # WHEN reconcile runs without --fix THEN it names both drifts and exits 1
    assert cli.main(["reconcile"]) == 1
    output = capsys.readouterr().out
    assert "status#booked: stored 6, recount 1" in output
    assert "status#sailing: stored 2, recount 0" in output
    # WHEN it runs with --fix THEN it exits 0 and the counters equal the recount again
    assert cli.main(["reconcile", "--fix"]) == 0
    assert "fixed 2 counter(s)" in capsys.readouterr().out
    assert app.counters.read() == app.counters.recount()
    assert app.live_counts().events_by_status == {"booked": 1}
    # AND a further check finds nothing to fix
    assert cli.main(["reconcile"]) == 0
    assert "counters match a full recount" in capsys.readouterr().out
