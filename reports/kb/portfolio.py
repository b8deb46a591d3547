"""Read `portfolio.toml`: the portfolio's dates, cash, revenue targets, rules and capital plan."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ..model import CapitalItem, FinancialRule, Portfolio, RevenueTarget
from ..vocabulary import CapitalStatus, RuleKind
from .fields import Fields
from .frontmatter import Document
from .problems import Problem

FILE = "portfolio.toml"
ZERO = Decimal(0)
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def read_portfolio(document: Document, problems: list[Problem]) -> Portfolio | None:
    """Return the portfolio, or None when a field every report relies on is unusable."""
    fields = Fields(document.data, file=FILE, line_of=document.lines.line, problems=problems)
    name, currency = fields.text("name"), fields.text("currency")
    if currency and not _CURRENCY.match(currency):
        fields.problem(f"'currency' must be a three-letter code such as USD, not {currency!r}", "currency")
    as_of = fields.date("as_of")
    cash = fields.decimal("cash_on_hand")
    targets = _revenue_targets(fields, problems)
    rules, capital = fields.each("rule", _rule), fields.each("capital", _capital)
    fields.finish()
    if as_of is None or cash is None or not name:
        return None
    return Portfolio(name, currency or "USD", as_of, cash, targets, rules, capital, fields.source())


def _revenue_targets(fields: Fields, problems: list[Problem]) -> tuple[RevenueTarget, ...]:
    targets = []
    for key, amount in fields.mapping("revenue_targets").items():
        row = Fields(
            {key: amount},
            file=FILE,
            line_of=lambda _, k=key: fields.line("revenue_targets", k),
            problems=problems,
        )
        found = _MONTH.match(key)
        if not found:
            row.problem(f"revenue target month must be YYYY-MM, not {key!r}")
        value = row.decimal(key, minimum=ZERO)
        if found and value is not None:
            month = date(int(found.group(1)), int(found.group(2)), 1)
            targets.append(RevenueTarget(month, value, row.source()))
    return tuple(sorted(targets, key=lambda target: target.month))


def _rule(fields: Fields) -> FinancialRule | None:
    rule_id, title = fields.text("id"), fields.text("title")
    kind = fields.choice("kind", RuleKind)
    limit = fields.decimal("limit", minimum=ZERO)
    account = fields.text("account", required=kind is RuleKind.MAX_ACCOUNT_MONTHLY) or None
    entity = fields.text("entity", required=False) or None
    return fields.done(FinancialRule(rule_id, title, kind, limit, account, entity, fields.source()))


def _capital(fields: Fields) -> CapitalItem | None:
    title, entity = fields.text("title"), fields.text("entity")
    amount, due = fields.decimal("amount", minimum=ZERO), fields.date("due")
    status = fields.choice("status", CapitalStatus)
    return fields.done(CapitalItem(title, entity, amount, due, status, fields.source()))
