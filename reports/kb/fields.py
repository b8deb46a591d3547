"""Read typed fields from one TOML table or CSV row, recording a Problem for each bad value."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from ..model import Source
from .frontmatter import Path
from .problems import Problem

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0", ""}
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class Fields:
    """Hand out one table's values by type; `failed` tells whether any of them was unusable."""

    def __init__(
        self,
        data: Mapping,
        *,
        file: str,
        line_of: Callable[[Path], int],
        problems: list[Problem],
        path: Path = (),
    ):
        self._data, self._file, self._line_of, self._problems = data, file, line_of, problems
        self._path = path
        self._read: set[str] = set()
        self.failed = False

    def source(self) -> Source:
        """Return where this table (or row) starts."""
        return Source(self._file, self._line_of(self._path))

    def problem(self, message: str, key: str | None = None) -> None:
        """Record a problem at the key's line (or the table's) and mark this table failed."""
        path = (*self._path, key) if key else self._path
        self._problems.append(Problem(self._file, self._line_of(path), message))
        self.failed = True

    def finish(self) -> None:
        """Report keys nobody read: usually a typo, such as `curent` for `current`."""
        for key in self._data:
            if key not in self._read:
                self.problem(f"unknown field '{key}'", key)

    def _value(self, key: str, required: bool) -> object | None:
        self._read.add(key)
        value = self._data.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if required:
                self.problem(f"missing required field '{key}'", key)
            return None
        return value

    def text(self, key: str, *, required: bool = True) -> str:
        """Return a string field ('' when absent and optional)."""
        value = self._value(key, required)
        if value is not None and not isinstance(value, str):
            self.problem(f"'{key}' must be text, not {_kind(value)}", key)
            return ""
        return value or ""

    def email(self, key: str, *, required: bool = True) -> str:
        """Return an email address field."""
        value = self.text(key, required=required)
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            self.problem(f"'{key}' must be an email address, not {value!r}", key)
        return value

    def decimal(self, key: str, *, required: bool = True, minimum: Decimal | None = None) -> Decimal | None:
        """Return a number as Decimal (TOML numbers or CSV text such as -1234.50)."""
        value = self._value(key, required)
        if value is None:
            return None
        number = _to_decimal(value)
        if number is None:
            self.problem(f"'{key}' must be a number, not {value!r}", key)
        elif minimum is not None and number < minimum:
            self.problem(f"'{key}' must be at least {minimum}, not {number}", key)
            return None
        return number

    def integer(self, key: str, *, required: bool = False, minimum: int = 0) -> int | None:
        """Return a whole number field."""
        number = self.decimal(key, required=required, minimum=Decimal(minimum))
        if number is not None and number != number.to_integral_value():
            self.problem(f"'{key}' must be a whole number, not {number}", key)
            return None
        return None if number is None else int(number)

    def boolean(self, key: str) -> bool:
        """Return a true/false field; absent means false."""
        value = self._value(key, required=False)
        if isinstance(value, bool) or value is None:
            return bool(value)
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        self.problem(f"'{key}' must be true or false, not {value!r}", key)
        return False

    def date(self, key: str, *, required: bool = True) -> date | None:
        """Return a date written as TOML date or as text YYYY-MM-DD."""
        value = self._value(key, required)
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        if isinstance(value, str) and _DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(f"'{key}' must be a date YYYY-MM-DD, not {value!r}", key)
        return None

    def choice(self, key: str, options: type[E], *, required: bool = True) -> E | None:
        """Return one of an enum's values."""
        value = self.text(key, required=required)
        if not value:
            return None
        try:
            return options(value)
        except ValueError:
            allowed = ", ".join(option.value for option in options)
            self.problem(f"'{key}' must be one of {allowed}; not {value!r}", key)
            return None

    def texts(self, key: str) -> tuple[str, ...]:
        """Return a list of strings (absent means empty)."""
        value = self._value(key, required=False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(f"'{key}' must be a list of text", key)
            return ()
        return tuple(item.strip() for item in value)

    def table(self, key: str, *, required: bool = False) -> Fields | None:
        """Return the fields of a sub-table."""
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(f"'{key}' must be a table ([{key}])", key)
            return None
        return self._child(value, (*self._path, key))

    def tables(self, key: str) -> list[Fields]:
        """Return the fields of each table in an array of tables ([[key]])."""
        value = self._value(key, required=False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(f"'{key}' must be an array of tables ([[{key}]])", key)
            return []
        return [self._child(item, (*self._path, key, index)) for index, item in enumerate(value)]

    def each(self, key: str, read: Callable[[Fields], T | None]) -> tuple[T, ...]:
        """Read each table of an array of tables with `read`, keeping the usable ones."""
        return tuple(item for table in self.tables(key) if (item := read(table)) is not None)

    def done(self, value: T) -> T | None:
        """Finish this table and return `value`, or None if any of its fields was unusable."""
        self.finish()
        return None if self.failed else value

    def mapping(self, key: str) -> dict[str, object]:
        """Return a table's raw key/values, for tables keyed by data (such as months)."""
        value = self._value(key, required=False)
        if value is not None and not isinstance(value, dict):
            self.problem(f"'{key}' must be a table ([{key}])", key)
            return {}
        return dict(value or {})

    def line(self, *keys: str | int) -> int:
        """Return the line of a key below this table."""
        return self._line_of((*self._path, *keys))

    def _child(self, data: Mapping, path: Path) -> Fields:
        return Fields(data, file=self._file, line_of=self._line_of, problems=self._problems, path=path)


def _to_decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value) if Decimal(value).is_finite() else None
    if isinstance(value, str) and _NUMBER.match(value):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    return None


def _kind(value: object) -> str:
    return {bool: "true/false", int: "a number", Decimal: "a number", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__
    )
