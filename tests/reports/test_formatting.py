"""Formatting is the templates' job: the filters show raw figures, and no brief carries them as text."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal

import pytest

from reports.briefs import rows
from reports.catalogue import reports_for
from reports.formatting import Figure, cells, long_month, per_month, period, show
from reports.vocabulary import Severity

D = Decimal
# A whole string that is a formatted figure: "$1,234", "-$5.00", "$80/mo", "46%", "Aug 2026", "+$400".
FORMATTED = re.compile(r"^[+-]?\$[\d,]+(\.\d\d)?(/mo)?$|^\d+%$|^[A-Z][a-z]{2} \d{4}$")


def test_show_formats_a_figure_in_its_unit_and_a_phrase_part_by_part():
    assert show(Figure(D("8411.4"), "per_month")) == "$8,411/mo"
    assert show(("on ", rows.money(D(46500)), " cash")) == "on $46,500 cash"
    assert show((rows.plural(1, "job"), ", ", rows.plural(3, "job"))) == "1 job, 3 jobs"
    assert show(Severity.HIGH) == "high"
    assert show(date(2026, 8, 1), "month") == "Aug 2026"  # the year in full: "Aug 26" reads as a day
    assert show(None, "months") == "n/a"


def test_monthly_amounts_and_runs_of_months():
    assert (per_month(D("63.6"), cents=True), per_month(None)) == ("$63.60/mo", "n/a")
    assert long_month(date(2026, 10, 1)) == "Oct 2026"
    assert period([date(2025, 11, 1), date(2025, 12, 1), date(2026, 10, 1)]) == "Nov 2025 - Oct 2026"


def test_cells_shows_the_named_fields_in_the_order_given():
    line = rows.StatementLine(("Margin (", Figure(D("0.4"), "percent"), ")"), D(2400))
    assert cells([line], amount="money", label="text") == [["$2,400", "Margin (40%)"]]


def test_an_action_falls_due_overdue_today_or_in_some_days():
    assert [show(rows.due_when(days, days < 0)) for days in (-14, 0, 3)] == [
        "14 days overdue",
        "today",
        "in 3 days",
    ]


def _strings(value, path: str):
    """Yield (path, text) for every string inside a brief: fields, rows, tiles and phrases."""
    if isinstance(value, str):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


@pytest.mark.parametrize("kind", ["ceo", "cto", "cfo", "cmo", "accounting", "rental", "delivery", "agency"])
def test_no_brief_of_the_sample_holds_a_figure_as_text(sample, kind):
    # GIVEN every report of the sample portfolio of this kind
    built = [
        report.spec.builder()(sample.base, today=sample.base.portfolio.as_of, entity=report.entity)
        for report in reports_for(sample.base)
        if report.spec.template == kind
    ]
    assert built, kind
    # THEN no value in the brief is a pre-formatted figure: the templates format them
    for brief in built:
        formatted = [(path, text) for path, text in _strings(brief, kind) if FORMATTED.match(text)]
        assert formatted == []
