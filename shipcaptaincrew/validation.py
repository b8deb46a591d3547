"""Small, strict parsers for client input; each raises BadRequest naming the field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from .errors import BadRequest

EMAIL = re.compile(r"^[^@\s<>,;\"']{1,64}@[A-Za-z0-9.-]{1,189}\.[A-Za-z]{2,24}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def text(value, field: str, *, max_length: int, required: bool = True) -> str | None:
    """Return stripped text of 1..max_length characters (or None when optional and empty)."""
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
    return value


def email(value, field: str = "email") -> str:
    """Return a normalised (lower-case) email address."""
    address = text(value, field, max_length=254)
    if not EMAIL.match(address):
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
