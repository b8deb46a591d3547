"""Who receives each report: stored per report in DynamoDB, else the configured defaults.

The defaults are EXEC_REPORT_TO, with EXEC_REPORT_BCC as the archive's blind copy. Every stored
address went through the host's `validation.email`: a strict `local@domain` (no display name,
group syntax, route, quoting or RFC 2047 encoded word), kept lower-case. The stored list is the
SES envelope as it is; nothing re-parses a header to find who to send to.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from .host import BadRequest, items
from .host import validation as check

MAX_ADDRESSES = 50
BATCH_KEYS = 100  # BatchGetItem's limit per call
FIELDS = ("to", "bcc")


@dataclass(frozen=True)
class Recipients:
    """The addresses one report goes to."""

    to: tuple[str, ...]
    bcc: tuple[str, ...]
    custom: bool  # False: the defaults (EXEC_REPORT_TO / EXEC_REPORT_BCC)

    def as_dict(self) -> dict:
        """Return the JSON shape the API answers with."""
        return {"to": list(self.to), "bcc": list(self.bcc), "custom": self.custom}


class RecipientStore:
    """Read and change the recipients of each report."""

    def __init__(self, dynamodb, *, table: str, default_to: tuple[str, ...], default_bcc: tuple[str, ...]):
        self._db = dynamodb
        self._table = table
        self._defaults = Recipients(tuple(default_to), tuple(default_bcc), False)

    def get(self, report_id: str) -> Recipients:
        """Return the report's recipients (the defaults when none are stored)."""
        response = self._db.get_item(
            TableName=self._table, Key={"report_id": {"S": report_id}}, ConsistentRead=True
        )
        return self._from(items.from_item(response.get("Item")))

    def many(self, report_ids: Iterable[str]) -> dict[str, Recipients]:
        """Return recipients for many reports with BatchGetItem, so a catalogue costs few calls."""
        ids = list(dict.fromkeys(report_ids))
        found: dict[str, Recipients] = {}
        for start in range(0, len(ids), BATCH_KEYS):
            for stored in self._batch(ids[start : start + BATCH_KEYS]):
                found[stored["report_id"]] = self._from(stored)
        return {report_id: found.get(report_id, self._defaults) for report_id in ids}

    def put(self, report_id: str, body: dict) -> Recipients:
        """Store a report's recipients `{to: [...], bcc?: [...]}` after validating every address."""
        if not isinstance(body, dict):
            raise BadRequest("recipients must be an object {to: [...], bcc: [...]}")
        check.only_fields(body, FIELDS, "recipients")
        to = _addresses(body.get("to"), "to", required=True)
        bcc = _addresses([] if body.get("bcc") is None else body["bcc"], "bcc", required=False)
        item = {"report_id": report_id, "to": list(to), "bcc": list(bcc)}
        self._db.put_item(TableName=self._table, Item=items.to_item(item))
        return Recipients(to, bcc, True)

    def reset(self, report_id: str) -> None:
        """Forget a report's own recipients, so it goes to the defaults again."""
        self._db.delete_item(TableName=self._table, Key={"report_id": {"S": report_id}})

    def _batch(self, ids: list[str]) -> list[dict]:
        """Read up to 100 items, asking again (with a short backoff) for keys DynamoDB left unprocessed."""
        request = {self._table: {"Keys": [{"report_id": {"S": report_id}} for report_id in ids]}}
        stored, attempt = [], 0
        while request:
            response = self._db.batch_get_item(RequestItems=request)
            stored.extend(items.from_item(raw) for raw in response["Responses"].get(self._table, []))
            request = response.get("UnprocessedKeys") or None
            if request:
                attempt += 1
                time.sleep(min(0.05 * 2**attempt, 1.0))
        return stored

    def _from(self, stored: dict | None) -> Recipients:
        if not stored:
            return self._defaults
        return Recipients(tuple(stored.get("to", [])), tuple(stored.get("bcc", [])), True)


def _addresses(value, field: str, *, required: bool) -> tuple[str, ...]:
    """Return the valid, lower-case, de-duplicated addresses of one field, in the order given."""
    if not isinstance(value, list):
        raise BadRequest(f"{field} must be a list of email addresses", field=field)
    if required and not value:
        raise BadRequest(f"{field} needs at least one address", field=field)
    if len(value) > MAX_ADDRESSES:
        raise BadRequest(f"{field} has more than {MAX_ADDRESSES} addresses", field=field)
    return tuple(dict.fromkeys(_address(address, field) for address in value))


def _address(address, field: str) -> str:
    """Return one normalised address, or refuse it naming the field and the address."""
    try:
        return check.email(address, field)
    except BadRequest:
        shown = repr(address)[:80]
        raise BadRequest(f"{field}: {shown} is not an email address", field=field) from None
