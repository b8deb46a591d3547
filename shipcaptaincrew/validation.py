"""Small, strict parsers for client input; each raises BadRequest naming the field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from .errors import BadRequest

EMAIL = re.compile(r"^[^@\s<>,;\"']{1,64}@[A-Za-z0-9.-]{1,189}\.[A-Za-z]{2,24}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# Control characters anywhere in free text: C0 (tab and newline included), DEL, C1, and the
# Unicode line and paragraph separators that some mail and JSON readers treat as line breaks.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same, minus tab and newline, for the multi-line fields (notes) that never reach a header.
CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# An RFC 2047 encoded word (or anything starting like one): decoded by mail readers, and by
# CPython's header folding before 3.11.10 (CVE-2024-6923), into arbitrary header text.
ENCODED_WORD = re.compile(r"=\?.*?\?=", re.DOTALL)
ENCODED_WORD_START = "=?"
# A strict address for recipients: local@domain, no display name, group, route or quoting.
STRICT_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/^_`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}$"
)


def text(value, field: str, *, max_length: int, required: bool = True, multiline: bool = False) -> str | None:
    """Return stripped text of 1..max_length characters (or None when optional and empty).

    Control characters (C0, DEL, C1, U+2028/2029) are refused; `multiline` fields (notes)
    may keep tabs and newlines.
    """
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise BadRequest(f"{field} is required", field=field)
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{field} must be text", field=field)
    value = value.strip()
    if not value:
        raise BadRequest(f"{field} must not be empty", field=field)
    if len(value) > max_length:
        raise BadRequest(f"{field} must be at most {max_length} characters", field=field)
    if (CONTROL_MULTILINE if multiline else CONTROL).search(value):
        raise BadRequest(f"{field} must not contain control characters or line breaks", field=field)
    return value


def header_text(value, field: str, *, max_length: int, required: bool = True) -> str | None:
    """Return text that may reach a mail header (a subject, a display name): no control
    characters and no RFC 2047 encoded words (`=?...?=`)."""
    value = text(value, field, max_length=max_length, required=required)
    if value is not None and ENCODED_WORD_START in value:
        raise BadRequest(f"{field} must not contain an encoded word (=?...?=)", field=field)
    return value


def strip_header_text(value: str) -> str:
    """Return `value` made safe for a mail header: encoded words and control characters
    removed, whitespace runs collapsed (the defensive second line behind input validation)."""
    value = ENCODED_WORD.sub("", str(value)).replace(ENCODED_WORD_START, "")
    value = CONTROL.sub(" ", value)
    return " ".join(value.split())


def is_strict_address(value) -> bool:
    """Tell whether `value` is exactly `local@domain` (what a header or an envelope may carry)."""
    return isinstance(value, str) and len(value) <= 254 and bool(STRICT_EMAIL.match(value))


def recipient(value, field: str) -> str:
    """Return a recipient address: a strict `local@domain`, lower-cased; 400 naming the field."""
    if not isinstance(value, str) or not is_strict_address(value.strip()):
        raise BadRequest(
            f"{field} must be a plain address local@domain (no name, group or encoded word)", field=field
        )
    return value.strip().lower()


def email(value, field: str = "email") -> str:
    """Return a normalised (lower-case) email address."""
    address = text(value, field, max_length=254)
    if not EMAIL.match(address) or not is_strict_address(address):
        raise BadRequest(f"{field} must be an email address", field=field)
    return address.lower()


def choice(value, field: str, options) -> str:
    """Return `value` if it is one of `options`."""
    if not isinstance(value, str) or value not in options:
        raise BadRequest(f"{field} must be one of: {', '.join(sorted(options))}", field=field)
    return value


def iso_date(value, field: str) -> str:
    """Return a real calendar date written YYYY-MM-DD."""
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise BadRequest(f"{field} must be a date written YYYY-MM-DD", field=field)
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{field} is not a real date", field=field) from None
    if not 2000 <= parsed.year <= 2100:
        raise BadRequest(f"{field} must be between 2000 and 2100", field=field)
    return value


def clock_time(value, field: str) -> str | None:
    """Return a 24-hour HH:MM time, or None when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not HH_MM.match(value):
        raise BadRequest(f"{field} must be a time written HH:MM (24-hour)", field=field)
    return value


def whole_number(value, field: str, *, maximum: int) -> int | None:
    """Return an integer 0..maximum, or None when absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest(f"{field} must be a whole number", field=field)
    if isinstance(value, float) and not value.is_integer():
        raise BadRequest(f"{field} must be a whole number", field=field)
    if not 0 <= value <= maximum:
        raise BadRequest(f"{field} must be between 0 and {maximum}", field=field)
    return int(value)


def money(value, field: str, *, maximum: int = 10_000_000) -> Decimal | None:
    """Return dollars as a Decimal with at most two decimals, 0..maximum, or None when absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadRequest(f"{field} must be an amount in dollars", field=field)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise BadRequest(f"{field} must be an amount in dollars", field=field) from None
    if not amount.is_finite() or not 0 <= amount <= maximum:
        raise BadRequest(f"{field} must be between 0 and {maximum} dollars", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise BadRequest(f"{field} must be dollars with at most two decimals", field=field)
    return amount


def boolean(value, field: str) -> bool:
    """Return a JSON boolean."""
    if not isinstance(value, bool):
        raise BadRequest(f"{field} must be true or false", field=field)
    return value


def only_fields(body: dict, allowed, what: str) -> None:
    """Refuse unknown fields, so a typo is an error instead of being silently dropped."""
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise BadRequest(f"unknown {what} field(s): {', '.join(map(str, unknown))}", field=str(unknown[0]))
