"""The kanban board: cards people add, and cards made from the CEO report's top shortfalls.

A card made from a finding has an id derived from (persona, fingerprint) and is written with
`attribute_not_exists(id)`, so the same shortfall never makes a second card, across runs and
even when two runs race. Edits are optimistic read-modify-writes on the card's `version`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import secrets
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from botocore.exceptions import ClientError

from .host import BadRequest, Conflict, NotFound, VersionedTable, items
from .host import validation as check

log = logging.getLogger(__name__)
COLUMNS = ("todo", "doing", "done")
URGENCIES = ("critical", "high", "medium", "low")
EDITABLE = ("title", "column", "persona", "urgency")
LIMITS = {"title": 200, "persona": 40, "source": 300, "detail": 2000}
PAGE_DEFAULT = 100
PAGE_MAX = 200
CURSOR_MAX_LENGTH = 400
WEBHOOK_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class Finding:
    """Something a report found that deserves a card."""

    title: str
    detail: str
    urgency: str
    source: str
    fingerprint: str  # stable across runs: the same finding gives the same fingerprint
    owner: str | None = None  # who answers for it (the project's owner)
    due: str | None = None  # ISO date the card is due
    report: str | None = None  # the report it came from, for the card's link to it

    def __post_init__(self):
        if not str(self.title).strip() or not str(self.fingerprint):
            raise ValueError("a finding needs a title and a fingerprint")


class TaskStore:
    """Cards in DynamoDB: listed a page at a time (a Scan with a cursor); a deleted card is
    archived (`archived_at`, `archived_by`) and left out of the board, never lost."""

    def __init__(self, dynamodb, *, table: str):
        self._db = dynamodb
        self._table = table
        self._versioned = VersionedTable(
            dynamodb, table=table, key="id", counters_table="", contribution=_no_counts
        )

    def list(self) -> list[dict]:
        """Return every card on the board by column, then urgency, then age (for the reports)."""
        cards, cursor = [], None
        while True:
            page, cursor = self.page(limit=PAGE_MAX, cursor=cursor)
            cards.extend(page)
            if cursor is None:
                return sorted(cards, key=_board_order)

    def page(self, *, limit=None, cursor=None) -> tuple[list[dict], str | None]:
        """Return up to `limit` cards on the board (archived ones left out) and the cursor of
        the next page (None at the end); a page is bounded, whatever the size of the board."""
        size = PAGE_DEFAULT if limit is None else _limit(limit)
        request = {
            "TableName": self._table,
            "ConsistentRead": True,
            "FilterExpression": "attribute_not_exists(archived_at)",
        }
        start = _decode_cursor(cursor)
        cards = []
        # Scan's Limit counts items read before the filter: read on until the page is full.
        while len(cards) < size:
            request["Limit"] = size - len(cards)
            if start:
                request["ExclusiveStartKey"] = start
            response = self._db.scan(**request)
            cards.extend(items.from_item(raw) for raw in response["Items"])
            start = response.get("LastEvaluatedKey")
            if not start:
                break
        return sorted(cards, key=_board_order), _encode_cursor(start)

    def archive(self, task_id: str, *, actor: str, now: datetime) -> dict:
        """Take a card off the board, keeping it (and who archived it, and when)."""

        def apply(old: dict | None) -> dict:
            if old is None or old.get("archived_at"):
                raise NotFound(f"no task {task_id!r}")
            return {**old, "archived_at": now.isoformat(timespec="seconds"), "archived_by": actor}

        return self._versioned.mutate(task_id, apply)

    def create(self, body: dict, *, actor: str, now: datetime) -> dict:
        """Add a card from a person's input."""
        check.only_fields(body, (*EDITABLE, "source"), "task")
        stamp = now.isoformat(timespec="seconds")
        card = {"id": f"task-{secrets.token_hex(8)}", **_parse(body, new=True), "created_by": actor}
        card.update(created_at=stamp, updated_at=stamp, version=1)
        if not self._put_new(card):
            raise Conflict("a task with this id already exists; please try again")
        return card

    def update(self, task_id: str, body: dict, *, now: datetime) -> dict:
        """Move or edit a card; a `version` in the body must match the stored one (else 409)."""
        check.only_fields(body, (*EDITABLE, "version"), "task")
        expected = check.whole_number(body.get("version"), "version", maximum=10**9)
        changes = _parse({k: v for k, v in body.items() if k != "version"}, new=False)
        if not changes:
            raise BadRequest("nothing to change: send title, column, persona or urgency")

        def apply(old: dict | None) -> dict:
            if old is None or old.get("archived_at"):
                raise NotFound(f"no task {task_id!r}")
            if expected is not None and int(old["version"]) != expected:
                raise Conflict(f"the task changed (now version {old['version']}); reload it", field="version")
            return {**old, **changes, "updated_at": now.isoformat(timespec="seconds")}

        return self._versioned.mutate(task_id, apply)

    def add_from_findings(self, findings: Iterable[Finding], *, persona: str, now: datetime) -> list[dict]:
        """Make one card per finding never carded before; return only the new cards."""
        persona = check.text(persona, "persona", max_length=LIMITS["persona"])
        created = []
        for finding in findings:
            card = _card_from(finding, persona=persona, now=now)
            if self._put_new(card):
                created.append(card)
            else:
                log.info("finding already has a card", extra={"task_id": card["id"], "persona": persona})
        return created

    def _put_new(self, card: dict) -> bool:
        """Write a card only if its id is free; False when it already exists (a repeat or a race)."""
        try:
            self._db.put_item(
                TableName=self._table,
                Item=items.to_item(card),
                ConditionExpression="attribute_not_exists(id)",
            )
        except ClientError as error:
            if items.is_conditional_failure(error):
                return False
            raise
        return True


def finding_card_id(persona: str, fingerprint: str) -> str:
    """Return the card id of a finding: the same (persona, fingerprint) always gives the same id."""
    digest = hashlib.sha256(f"{persona}\x00{fingerprint}".encode()).hexdigest()[:24]
    return f"finding-{digest}"


def _card_from(finding: Finding, *, persona: str, now: datetime) -> dict:
    """Shape a finding as a card, trimmed to the limits a person's card has."""
    stamp = now.isoformat(timespec="seconds")
    urgency = str(finding.urgency).lower()
    return {
        "id": finding_card_id(persona, finding.fingerprint),
        "title": _trim(finding.title, "title"),
        "detail": _trim(finding.detail, "detail"),
        "column": "todo",
        "persona": persona,
        "urgency": urgency if urgency in URGENCIES else "medium",
        "source": _trim(finding.source, "source"),
        "created_by": f"report:{persona}",
        "created_at": stamp,
        "updated_at": stamp,
        "version": 1,
        **{key: str(value) for key in ("owner", "due", "report") if (value := getattr(finding, key))},
    }


def _parse(body: dict, *, new: bool) -> dict:
    """Validate the fields present (all of them, with defaults, for a new card)."""
    parsed = {}
    if new or "title" in body:
        parsed["title"] = check.text(body.get("title"), "title", max_length=LIMITS["title"])
    if new or "column" in body:
        parsed["column"] = check.choice(body.get("column", "todo"), "column", COLUMNS)
    if new or "persona" in body:
        parsed["persona"] = check.text(body.get("persona", "ceo"), "persona", max_length=LIMITS["persona"])
    if new or "urgency" in body:
        parsed["urgency"] = check.choice(body.get("urgency", "medium"), "urgency", URGENCIES)
    if new and body.get("source") is not None:
        parsed["source"] = check.text(body["source"], "source", max_length=LIMITS["source"], required=False)
    return {key: value for key, value in parsed.items() if value is not None}


def _limit(value) -> int:
    """Return a page size (1..PAGE_MAX) from the query string's text or a caller's number."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not text.isdigit() or not 1 <= int(text) <= PAGE_MAX:
        raise BadRequest(f"limit must be a whole number from 1 to {PAGE_MAX}", field="limit")
    return int(text)


def _encode_cursor(key: dict | None) -> str | None:
    if not key:
        return None
    task_id = key.get("id", {}).get("S", "")
    return base64.urlsafe_b64encode(task_id.encode()).decode().rstrip("=")


def _decode_cursor(cursor) -> dict | None:
    """Return the Scan's start key for a cursor this API gave; 400 naming `cursor` otherwise."""
    if cursor is None or cursor == "":
        return None
    bad = BadRequest("cursor is not one this API gave", field="cursor")
    if not isinstance(cursor, str) or len(cursor) > CURSOR_MAX_LENGTH:
        raise bad
    try:
        task_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, ValueError):
        raise bad from None
    if not task_id.startswith(("task-", "finding-")) or not task_id.isprintable():
        raise bad
    return {"id": {"S": task_id}}


def _trim(text, field: str) -> str:
    text = " ".join(str(text or "").split())
    limit = LIMITS[field]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _board_order(card: dict) -> tuple:
    column, urgency = card.get("column"), card.get("urgency")
    return (
        COLUMNS.index(column) if column in COLUMNS else len(COLUMNS),
        URGENCIES.index(urgency) if urgency in URGENCIES else len(URGENCIES),
        card.get("created_at", ""),
        card["id"],
    )


def _no_counts(_card: dict | None) -> Counter:
    return Counter()  # cards feed no aggregate counter


def notify_webhook(url: str | None, cards: list[dict], *, post: Callable | None = None) -> list[str]:
    """POST each new card as JSON; return the failures, since a webhook outage must never fail a run."""
    if not url:
        return []
    post = post or _post
    errors = []
    for card in cards:
        try:
            post(url, json.dumps(items.plain(card)).encode())
        except Exception as error:  # noqa: BLE001 - reported back and logged, never raised
            log.warning("task webhook failed", extra={"task_id": card.get("id"), "error": str(error)})
            errors.append(f"{card.get('id')}: {error}")
    return errors


def _post(url: str, body: bytes) -> None:
    """POST JSON with a short timeout; a 4xx/5xx answer raises (urllib's HTTPError)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("the webhook URL must be http(s)")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS):  # noqa: S310 - as above
        pass
