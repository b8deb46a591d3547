"""Revenue recognition: deposits for future charters are held, not earned, until the charter.

Deposits are received into deferred-revenue accounts and recognised on the charter date by a
pair of rows moving them into revenue (docs/knowledge-base.md). Rows are matched by their memo
after the first colon (`Deposit: 2026-12-05 Sunset sail` / `Recognise deposit: ...`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Account, LedgerRow, Source
from ..vocabulary import AccountType
from .finance import ZERO

DEFERRED_CATEGORY = "deferred-revenue"
DEPOSIT_WORD = "deposit"


@dataclass(frozen=True)
class HeldDeposit:
    """A deposit received for a charter that has not happened yet."""

    entity: str
    charter: str  # the memo's charter part: "2026-12-05 Sunset sail"
    amount: Decimal
    received: date
    source: Source


@dataclass(frozen=True)
class Misbooked:
    """A deposit booked straight to revenue: earned on paper before the charter sails."""

    entity: str
    memo: str
    amount: Decimal
    source: Source


@dataclass(frozen=True)
class Recognition:
    held: tuple[HeldDeposit, ...]
    deferred_balance: Decimal
    recognised_this_year: Decimal  # revenue earned year to date
    misbooked: tuple[Misbooked, ...]


def revenue_recognition(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> Recognition:
    """Return deposits still held as deferred revenue, the year's recognised revenue, and misbookings."""
    ledger, by_code = [row for row in ledger if row.date <= today], {a.code: a for a in accounts}
    deferred = {code for code, account in by_code.items() if account.category == DEFERRED_CATEGORY}
    balance: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    first: dict[tuple[str, str], LedgerRow] = {}
    for row in (row for row in ledger if row.account in deferred):
        key = (row.entity, _charter(row.memo))
        balance[key] += row.amount
        first.setdefault(key, row)
    held = [
        HeldDeposit(entity, charter, amount, first[(entity, charter)].date, first[(entity, charter)].source)
        for (entity, charter), amount in sorted(balance.items())
        if amount > 0
    ]
    revenue = [row for row in ledger if by_code[row.account].type is AccountType.REVENUE]
    misbooked = [
        Misbooked(row.entity, row.memo, row.amount, row.source)
        for row in revenue
        if row.memo.lower().startswith(DEPOSIT_WORD)
    ]
    earned = sum((row.amount for row in revenue if row.date.year == today.year), ZERO)
    return Recognition(tuple(held), sum((d.amount for d in held), ZERO), earned, tuple(misbooked))


def _charter(memo: str) -> str:
    return memo.split(":", 1)[1].strip() if ":" in memo else memo.strip()
