"""render.to_json dispatches on exact types with cached converters; its output is exactly what the
plain recursive version (kept below as it was) gives, for every sample report and for the odd
types the dispatch has to get right."""

from __future__ import annotations

import dataclasses
import json
from collections import namedtuple
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum, IntEnum, StrEnum
from pathlib import Path, PurePosixPath
from typing import ClassVar

import pytest
from markupsafe import Markup

from reports import render
from reports.build import build_all
from reports.live import Live

LIVE = {
    "events_by_status": {"booked": 2, "cancelled": 1, "completed": 2, "hold": 1, "inquiry": 2},
    "upcoming_charters": 5,
    "users_by_role": {"admin": 1, "captain": 1, "crew": 1},
    "checklist_completion": 0.5,
}
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def old_to_json(value):
    """render.to_json as it was before it was made fast (df7051a): the reference."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: old_to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): old_to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [old_to_json(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def same(new, old) -> None:
    """Equal, with the same types all the way down and the same key order."""
    assert type(new) is type(old), (new, old)
    assert new == old
    assert json.dumps(new) == json.dumps(old)  # key order included (no sort_keys)


@pytest.fixture(scope="module")
def contexts(sample) -> list[dict]:
    """Every sample report's template data, as the templates left it (footnotes filled in)."""
    captured, depth = [], []
    real = render.to_json

    def capture(value):  # to_json recurses through the module's name: keep only the outermost call
        if not depth:
            captured.append(value)
        depth.append(1)
        try:
            return real(value)
        finally:
            depth.pop()

    render.to_json = capture  # render() calls to_json(context) once per report
    try:
        outcomes = build_all(sample, lambda: Live(LIVE), now=NOW)
    finally:
        render.to_json = real
    assert [outcome.error for outcome in outcomes if not outcome.ok] == []
    assert len(captured) == len(outcomes) >= 8
    return captured


def test_every_sample_reports_json_is_identical_to_the_old_conversion(contexts):
    for context in contexts:
        same(render.to_json(context), old_to_json(context))
        assert render.dumps(render.to_json(context)) == render.dumps(old_to_json(context))


class Colour(Enum):
    RED = "red"


class Size(IntEnum):
    LARGE = 3


class Mood(StrEnum):
    CALM = "calm"


class Shouty(Enum):
    LOUD = "loud"

    @property
    def value(self):  # an Enum that overrides `value` keeps its own
        return self._value_.upper()


@dataclass(frozen=True)
class Inner:
    amount: Decimal
    when: date


@dataclass
class Outer:
    kind: ClassVar[str] = "not a field"
    name: str
    inner: Inner
    items: list
    tags: frozenset
    extra: dict = dataclasses.field(default_factory=dict)


@dataclass
class Empty:
    pass


class Stamp(datetime):
    pass


Pair = namedtuple("Pair", "left right")


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        0,
        1.5,
        "text",
        Markup("<b>kept</b>"),
        Decimal("12"),
        Decimal("12.50"),
        Decimal("-0.1"),
        Decimal("1E+3"),
        date(2026, 1, 31),
        datetime(2026, 1, 31, 8, 30, tzinfo=UTC),
        Stamp(2026, 2, 1, 9, 0),
        Colour.RED,
        Size.LARGE,
        Mood.CALM,
        Shouty.LOUD,
        Path("a/b.md"),
        PurePosixPath("c/d.md"),
        Pair(1, Decimal("2.5")),
        {1: "int key", Colour.RED: "enum key", Mood.CALM: "str enum key", None: "none key"},
        [(), set(), frozenset({3}), [{"deep": [Decimal("1.25")]}]],
        Outer(
            "o", Inner(Decimal("3.00"), date(2026, 3, 1)), [Size.LARGE], frozenset({"x"}), {"k": Colour.RED}
        ),
        Empty(),
        Inner,  # a dataclass *class* is left as it is
        Colour,
        object,
    ],
    ids=repr,
)
def test_odd_types_convert_exactly_as_before(value):
    new, old = render.to_json(value), old_to_json(value)
    assert type(new) is type(old)
    if isinstance(old, dict | list):
        same(new, old)
    else:
        assert new == old or new is old


def test_a_converter_is_chosen_once_per_type():
    render.to_json(Inner(Decimal(1), date(2026, 1, 1)))
    converter = render._converters[Inner]
    render.to_json(Inner(Decimal(2), date(2026, 1, 2)))
    assert render._converters[Inner] is converter
