"""Revenue recognition: deposits for future charters are held, not earned, until the charter.

Deposits are received into accounts whose category is `deferred-revenue` and recognised on the
charter date by a pair of rows moving them into revenue (docs/knowledge-base.md). A deposit and its
recognition are matched by entity and the memo after the first colon (`Deposit: 2026-12-05 Sunset
sail` / `Recognise deposit: 2026-12-05 Sunset sail`); the charter date is the row's `service_date`,
else a `YYYY-MM-DD` date opening that memo part. A revenue row whose memo starts with "deposit", or
whose service date is after its booking date, was earned on paper before the charter sailed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Account, LedgerRow, Source
from ..vocabulary import AccountType
from .finance import ZERO
from .months import month_of

DEFERRED_CATEGORY = "deferred-revenue"
DEPOSIT_WORD = "deposit"
_LEADING_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})\b")


@dataclass(frozen=True)
class HeldDeposit:
    """A deposit still held as deferred revenue, and the charter it pays for."""

    entity: str
    charter: str  # the memo's charter part: "2026-12-05 Sunset sail"
    amount: Decimal
    received: date
    service_date: date | None  # None: nobody recorded when the charter is
    source: Source


@dataclass(frozen=True)
class Misbooked:
    """A deposit booked straight to revenue: earned on paper before the charter sails."""

    entity: str
    memo: str
    amount: Decimal
    source: Source


@dataclass(frozen=True)
class RecognitionMonth:
    """Deposits received, deposits recognised and all revenue recognised in one month."""

    month: date
    received: Decimal
    recognised_deposits: Decimal
    revenue: Decimal


@dataclass(frozen=True)
class Recognition:
    """What is deferred, what was earned, and what was booked against the policy, as of a day."""

    as_of: date
    held: tuple[HeldDeposit, ...]  # every deposit still held, earliest charter first
    deferred_balance: Decimal
    recognised_this_year: Decimal  # revenue earned from January 1 to as_of
    misbooked: tuple[Misbooked, ...]
    by_month: tuple[RecognitionMonth, ...]  # the months of the year to date

    @property
    def overdue(self) -> tuple[HeldDeposit, ...]:
        """Return deposits still held although their charter date has passed: recognition was missed."""
        return tuple(d for d in self.held if d.service_date is not None and d.service_date < self.as_of)

    @property
    def future(self) -> tuple[HeldDeposit, ...]:
        """Return deposits rightly held: their charter is still to come (or its date is unknown)."""
        return tuple(d for d in self.held if d not in self.overdue)


def revenue_recognition(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> Recognition:
    """Return deposits still held as deferred revenue, the year's recognised revenue, and misbookings."""
    ledger, by_code = [row for row in ledger if row.date <= today], {a.code: a for a in accounts}
    deferred = {code for code, account in by_code.items() if account.category == DEFERRED_CATEGORY}
    revenue = [
        row for row in ledger if row.account in by_code and by_code[row.account].type is AccountType.REVENUE
    ]
    held = _held([row for row in ledger if row.account in deferred])
    misbooked = tuple(
        Misbooked(row.entity, row.memo, row.amount, row.source) for row in revenue if _earned_early(row)
    )
    earned = sum((row.amount for row in revenue if row.date.year == today.year), ZERO)
    months = [date(today.year, number, 1) for number in range(1, today.month + 1)]
    by_month = tuple(_month(month, ledger, deferred, revenue) for month in months)
    balance = sum((deposit.amount for deposit in held), ZERO)
    return Recognition(today, held, balance, earned, misbooked, by_month)


def _held(rows: list[LedgerRow]) -> tuple[HeldDeposit, ...]:
    """Net each charter's deposit rows; what remains positive is still held."""
    balance: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    first: dict[tuple[str, str], LedgerRow] = {}
    dated: dict[tuple[str, str], date] = {}
    for row in sorted(rows, key=lambda r: r.date):
        key = (row.entity, charter_of(row.memo))
        balance[key] += row.amount
        first.setdefault(key, row)
        if (when := service_date_of(row)) is not None:
            dated.setdefault(key, when)
    held = [
        HeldDeposit(*key, amount, first[key].date, dated.get(key), first[key].source)
        for key, amount in balance.items()
        if amount > 0
    ]
    return tuple(sorted(held, key=lambda d: (d.service_date or date.max, d.entity, d.charter)))


def _month(month: date, ledger, deferred: set[str], revenue: list[LedgerRow]) -> RecognitionMonth:
    in_month = [row for row in ledger if month_of(row.date) == month and row.account in deferred]
    return RecognitionMonth(
        month,
        sum((row.amount for row in in_month if row.amount > 0), ZERO),
        -sum((row.amount for row in in_month if row.amount < 0), ZERO),
        sum((row.amount for row in revenue if month_of(row.date) == month), ZERO),
    )


def _earned_early(row: LedgerRow) -> bool:
    booked_early = row.service_date is not None and row.service_date > row.date
    return booked_early or row.memo.lower().startswith(DEPOSIT_WORD)


def charter_of(memo: str) -> str:
    """Return the charter a deposit memo names: the text after its first colon."""
    return memo.split(":", 1)[1].strip() if ":" in memo else memo.strip()


def service_date_of(row: LedgerRow) -> date | None:
    """Return the charter date of a deposit row: its service_date, else a date opening its charter text."""
    if row.service_date is not None:
        return row.service_date
    match = _LEADING_DATE.match(charter_of(row.memo))
    try:
        return date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None
