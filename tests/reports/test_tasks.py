"""The kanban board: people's cards, and the CEO report's shortfalls carded once, ever."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reports.tasks import COLUMNS, URGENCIES, Finding, TaskStore, finding_card_id, notify_webhook
from shipcaptaincrew.errors import BadRequest, Conflict, NotFound

MONDAY = datetime(2025, 1, 6, 6, 0, tzinfo=UTC)
FINDINGS = [
    Finding(
        "No bookkeeping since March", "Ledger stops 2024-03", "critical", "CEO report: jada", "jada\x00books"
    ),
    Finding("AWS bill untracked", "No budget alarm", "high", "CEO report: qdn", "qdn\x00aws"),
    Finding("OTA listings missing", "Sailo first", "medium", "CEO report: jada", "jada\x00ota"),
]


@pytest.fixture
def store(app) -> TaskStore:
    return TaskStore(app.clients.dynamodb, table=app.settings_of("reports").tasks_table)


def test_the_vocabularies_are_the_board_columns_and_urgencies():
    assert COLUMNS == ("todo", "doing", "done")
    assert URGENCIES == ("critical", "high", "medium", "low")


def test_a_card_gets_an_id_and_defaults(store):
    # WHEN a card is created with only a title
    card = store.create({"title": "  Call the insurer  "}, actor="admin@example.com", now=MONDAY)

    # THEN it has an id, the stripped title and the defaults: todo, ceo, medium, no source
    assert card["id"].startswith("task-")
    assert {k: card[k] for k in ("title", "column", "persona", "urgency")} == {
        "title": "Call the insurer",
        "column": "todo",
        "persona": "ceo",
        "urgency": "medium",
    }
    assert "source" not in card
    assert card["created_by"] == "admin@example.com"
    assert card["created_at"] == "2025-01-06T06:00:00+00:00"
    assert store.list() == [{**card}]


def test_the_board_is_sorted_by_column_then_urgency_then_age(store):
    # GIVEN cards created in this order (minutes apart)
    bodies = [
        {"title": "A", "column": "done", "urgency": "critical"},
        {"title": "B", "column": "todo", "urgency": "low"},
        {"title": "C", "column": "todo", "urgency": "critical"},
        {"title": "D", "column": "doing", "urgency": "medium"},
        {"title": "E", "column": "todo", "urgency": "critical"},
    ]
    for minute, body in enumerate(bodies):
        store.create(body, actor="admin@example.com", now=MONDAY + timedelta(minutes=minute))

    # WHEN / THEN todo (critical C then E by age, then low B), doing (D), done (A)
    assert [card["title"] for card in store.list()] == ["C", "E", "B", "D", "A"]


def test_a_card_is_moved_and_its_version_moves_with_it(store):
    # GIVEN a card (version 1)
    card = store.create({"title": "Call the insurer", "source": "ops"}, actor="a@example.com", now=MONDAY)

    # WHEN it is moved to doing, then retitled with the version the client read
    moved = store.update(card["id"], {"column": "doing"}, now=MONDAY + timedelta(hours=1))
    renamed = store.update(card["id"], {"title": "Insurer called", "version": 2}, now=MONDAY)

    # THEN each write bumps the version and keeps the other fields
    assert (moved["column"], moved["version"], moved["updated_at"]) == (
        "doing",
        2,
        "2025-01-06T07:00:00+00:00",
    )
    assert (renamed["title"], renamed["column"], renamed["source"], renamed["version"]) == (
        "Insurer called",
        "doing",
        "ops",
        3,
    )


def test_an_edit_from_a_stale_version_is_a_conflict(store):
    # GIVEN a card someone else already moved (now version 2)
    card = store.create({"title": "Call the insurer"}, actor="a@example.com", now=MONDAY)
    store.update(card["id"], {"column": "doing"}, now=MONDAY)

    # WHEN a client that read version 1 moves it
    with pytest.raises(Conflict) as refused:
        store.update(card["id"], {"column": "done", "version": 1}, now=MONDAY)

    # THEN it is a 409, and the card stays where the other person put it
    assert refused.value.status == 409
    assert store.list()[0]["column"] == "doing"


def test_updating_a_missing_card_is_not_found(store):
    with pytest.raises(NotFound):
        store.update("task-nope", {"column": "done"}, now=MONDAY)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": 7}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "column": "backlog"}, "column"),
        ({"title": "ok", "urgency": "urgent"}, "urgency"),
        ({"title": "ok", "persona": "p" * 41}, "persona"),
        ({"title": "ok", "source": "s" * 301}, "source"),
        ({"title": "ok", "id": "task-mine"}, "id"),
        ({"title": "ok", "version": 3}, "version"),
    ],
)
def test_a_bad_new_card_is_refused_naming_the_field(store, body, field):
    with pytest.raises(BadRequest) as refused:
        store.create(body, actor="a@example.com", now=MONDAY)
    assert refused.value.field == field
    assert store.list() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"column": "archive"}, "column"),
        ({"title": None}, "title"),
        ({"source": "elsewhere"}, "source"),
        ({"column": "done", "version": "1"}, "version"),
        ({"version": 1}, None),
        ({}, None),
    ],
)
def test_a_bad_edit_is_refused(store, body, field):
    card = store.create({"title": "Call the insurer"}, actor="a@example.com", now=MONDAY)
    with pytest.raises(BadRequest) as refused:
        store.update(card["id"], body, now=MONDAY)
    assert refused.value.field == field
    assert store.list()[0]["version"] == 1


def test_findings_become_cards_once_across_runs(store):
    # GIVEN the CEO report's three top shortfalls, carded by a first run
    first = store.add_from_findings(FINDINGS, persona="ceo", now=MONDAY)

    # WHEN the next week's run finds the same three (one already moved to done by a person)
    store.update(first[0]["id"], {"column": "done"}, now=MONDAY)
    second = store.add_from_findings(FINDINGS, persona="ceo", now=MONDAY + timedelta(days=7))

    # THEN the first run made three cards tagged with persona and urgency, the second none
    assert [(c["title"], c["persona"], c["urgency"], c["column"]) for c in first] == [
        ("No bookkeeping since March", "ceo", "critical", "todo"),
        ("AWS bill untracked", "ceo", "high", "todo"),
        ("OTA listings missing", "ceo", "medium", "todo"),
    ]
    assert first[0]["id"] == finding_card_id("ceo", "jada\x00books")
    assert first[0]["source"] == "CEO report: jada"
    assert second == []
    assert len(store.list()) == 3
    assert store.list()[-1]["column"] == "done"  # the person's move is kept


def test_the_same_finding_for_another_persona_is_another_card(store):
    store.add_from_findings(FINDINGS[:1], persona="ceo", now=MONDAY)
    assert len(store.add_from_findings(FINDINGS[:1], persona="cfo", now=MONDAY)) == 1


def test_a_new_finding_among_old_ones_is_the_only_new_card(store):
    store.add_from_findings(FINDINGS[:2], persona="ceo", now=MONDAY)
    created = store.add_from_findings(FINDINGS, persona="ceo", now=MONDAY)
    assert [card["title"] for card in created] == ["OTA listings missing"]


def test_a_finding_is_trimmed_to_a_card_and_odd_urgency_becomes_medium(store):
    # GIVEN a finding with an over-long title and an urgency outside the board's four
    finding = Finding("t" * 250, "detail", "urgent", "s" * 400, "fp")

    # WHEN / THEN the card keeps the limits of a person's card
    card = store.add_from_findings([finding], persona="ceo", now=MONDAY)[0]
    assert (len(card["title"]), len(card["source"]), card["urgency"]) == (200, 300, "medium")


def test_two_racing_runs_make_each_card_once(store):
    # GIVEN two runs that reach the task step at the same moment
    barrier = threading.Barrier(2)
    results: list[list[dict]] = [[], []]

    def run(slot: int) -> None:
        barrier.wait()
        results[slot] = store.add_from_findings(FINDINGS, persona="ceo", now=MONDAY)

    # WHEN both add the same findings
    threads = [threading.Thread(target=run, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # THEN each card was created exactly once, by one run or the other
    created_ids = [card["id"] for result in results for card in result]
    assert sorted(created_ids) == sorted(finding_card_id("ceo", f.fingerprint) for f in FINDINGS)
    assert len(store.list()) == 3


class Receiver(BaseHTTPRequestHandler):
    """Record each POSTed JSON body (loopback only)."""

    received: list[tuple[str, dict]]
    status = 204

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        self.received.append((self.headers["Content-Type"], body))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args):
        pass  # keep the test output quiet


@pytest.fixture
def webhook():
    """Run a tiny HTTP server on 127.0.0.1, on a free port, for the duration of one test."""
    handler = type("Handler", (Receiver,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_the_webhook_receives_each_new_card_as_json(store, webhook):
    # GIVEN a first run's new cards
    handler, url = webhook
    created = store.add_from_findings(FINDINGS[:2], persona="ceo", now=MONDAY)

    # WHEN they are sent to the webhook
    errors = notify_webhook(url, created)

    # THEN it received each card once, as JSON
    assert errors == []
    assert [content_type for content_type, _ in handler.received] == ["application/json"] * 2
    assert [body["title"] for _, body in handler.received] == [
        "No bookkeeping since March",
        "AWS bill untracked",
    ]
    first = handler.received[0][1]
    assert {k: first[k] for k in ("id", "column", "persona", "urgency", "source", "version")} == {
        "id": finding_card_id("ceo", "jada\x00books"),
        "column": "todo",
        "persona": "ceo",
        "urgency": "critical",
        "source": "CEO report: jada",
        "version": 1,
    }


def test_a_webhook_answering_an_error_is_reported_not_raised(store, webhook):
    handler, url = webhook
    handler.status = 500
    created = store.add_from_findings(FINDINGS[:1], persona="ceo", now=MONDAY)
    errors = notify_webhook(url, created)
    assert len(errors) == 1 and "500" in errors[0]


def test_a_webhook_that_is_down_gives_an_error_string_not_an_exception(store):
    # GIVEN a port on the loopback with nothing listening
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    created = store.add_from_findings(FINDINGS[:2], persona="ceo", now=MONDAY)

    # WHEN the cards are sent there
    errors = notify_webhook(f"http://127.0.0.1:{port}/hook", created)

    # THEN each card's failure is returned as text naming the card
    assert [error.split(":")[0] for error in errors] == [card["id"] for card in created]


def test_no_webhook_url_posts_nothing():
    posted = []
    assert notify_webhook(None, [{"id": "t"}], post=lambda url, body: posted.append(body)) == []
    assert posted == []


def test_a_webhook_url_that_is_not_http_is_an_error_not_a_file_read():
    errors = notify_webhook("file:///etc/passwd", [{"id": "t", "title": "x"}])
    assert errors == ["t: the webhook URL must be http(s)"]


def test_a_card_from_a_finding_keeps_its_owner_due_date_and_report(store):
    finding = Finding(
        "Books late",
        "d",
        "critical",
        "CEO report: x",
        "x\x00books",
        owner="jada@example.com",
        due="2025-01-13",
        report="ceo",
    )
    (card,) = store.add_from_findings([finding], persona="ceo", now=MONDAY)
    assert (card["owner"], card["due"], card["report"]) == ("jada@example.com", "2025-01-13", "ceo")
    (plain,) = store.add_from_findings([FINDINGS[0]], persona="ceo", now=MONDAY)
    assert not {"owner", "due", "report"} & set(plain)
