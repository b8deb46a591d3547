"""Charters and their money: a deposit, its recognition and any refund, tied by the ledger's `ref`.

A charter is every row with one `ref` (a booking or charter id) on a deposit account (category
`deferred-revenue`) or a revenue account. On a deposit account a positive row is the deposit; a
negative row is its recognition when a revenue row of the same charter, day and amount takes the
money into revenue (the pair moves no cash), else a refund of money held. On a revenue account
any other positive row is a payment earned at once (the balance paid on the day) and a negative
row a refund of revenue already recognised. Per charter, received = recognised + refunded + held.

Rows written before the `ref` column existed fall back to their entity and the memo after its
first colon (the validator warns about each); such a group is a charter only if it holds a row on
a deposit account. The charter day is the first `service_date` among its rows, else (rows without
a ref only) a `YYYY-MM-DD` date opening the memo's charter part. See docs/knowledge-base.md.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ..model import Account, LedgerRow
from ..vocabulary import AccountType

ZERO = Decimal(0)
DEFERRED_CATEGORY = "deferred-revenue"
_LEADING_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})\b")


class Move(StrEnum):
    """What one row of a charter does with its money."""

    DEPOSIT = "deposit"  # received and held (deposit account, positive)
    RECOGNISED = "recognised"  # held money taken into revenue (deposit account, negative, paired)
    EARNED = "earned"  # the revenue half of that pair
    PAYMENT = "payment"  # received and earned at once (revenue account, positive)
    REFUND = "refund"  # held money paid back (deposit account, negative, no revenue half)
    REVENUE_REFUND = "revenue refund"  # recognised revenue paid back (revenue account, negative)


HELD = frozenset({Move.DEPOSIT, Move.RECOGNISED, Move.REFUND})  # the rows on deposit accounts


@dataclass(frozen=True)
class Charter:
    """One booking's rows in date order, each with what it does, so every dollar is accounted for."""

    key: str  # the ref, or "entity: memo text" for rows written without one
    referenced: bool
    entity: str
    name: str  # what the deposit's memo calls the charter
    service_date: date | None  # the charter day; None when no row says
    moves: tuple[tuple[Move, LedgerRow], ...]

    def total(self, *moves: Move) -> Decimal:
        """Return the signed sum of the rows doing one of `moves`."""
        return sum((row.amount for move, row in self.moves if move in moves), ZERO)

    @property
    def received(self) -> Decimal:
        return self.total(Move.DEPOSIT, Move.PAYMENT)

    @property
    def recognised(self) -> Decimal:
        return self.total(Move.EARNED, Move.PAYMENT, Move.REVENUE_REFUND)

    @property
    def refunded(self) -> Decimal:
        return -self.total(Move.REFUND, Move.REVENUE_REFUND)

    @property
    def held(self) -> Decimal:
        return self.total(*HELD)

    @property
    def deposit(self) -> LedgerRow | None:
        """Return the deposit row: the first money received onto a deposit account."""
        return next((row for move, row in self.moves if move is Move.DEPOSIT), None)


@dataclass(frozen=True)
class Step:
    """One move of a charter with where the charter stood just before it."""

    move: Move
    row: LedgerRow
    deposited: Decimal
    received: Decimal
    recognised: Decimal
    refunded: Decimal
    held: Decimal


def deposit_accounts(accounts: Iterable[Account]) -> frozenset[str]:
    """Return the codes of the accounts deposits are held on until the charter."""
    return frozenset(a.code for a in accounts if a.category == DEFERRED_CATEGORY)


def revenue_accounts(accounts: Iterable[Account]) -> frozenset[str]:
    """Return the codes of the accounts that hold revenue recognised."""
    return frozenset(a.code for a in accounts if a.type is AccountType.REVENUE)


def charters(ledger: Iterable[LedgerRow], accounts: Iterable[Account]) -> tuple[Charter, ...]:
    """Return every charter the deposit and revenue rows make up, so deposits are matched by ref."""
    accounts = list(accounts)
    deposits, revenue = deposit_accounts(accounts), revenue_accounts(accounts)
    groups: dict[tuple[str, bool], list[LedgerRow]] = defaultdict(list)
    for row in ledger:
        if row.amount and (row.account in deposits or row.account in revenue):  # a zero moves nothing
            groups[_key(row)].append(row)
    return tuple(
        _charter(key, referenced, rows, deposits)
        for (key, referenced), rows in groups.items()
        if referenced or any(row.account in deposits for row in rows)
    )


def steps(charter: Charter) -> Iterator[Step]:
    """Yield each move with the charter's deposits, receipts, revenue, refunds and holding before it."""
    deposited = received = recognised = refunded = held = ZERO
    for move, row in charter.moves:
        yield Step(move, row, deposited, received, recognised, refunded, held)
        amount = row.amount
        deposited += amount if move is Move.DEPOSIT else ZERO
        received += amount if move in (Move.DEPOSIT, Move.PAYMENT) else ZERO
        recognised += amount if move in (Move.EARNED, Move.PAYMENT, Move.REVENUE_REFUND) else ZERO
        refunded -= amount if move in (Move.REFUND, Move.REVENUE_REFUND) else ZERO
        held += amount if move in HELD else ZERO


def charter_of(memo: str) -> str:
    """Return the charter a memo names: the text after its first colon (rows without a ref)."""
    return memo.split(":", 1)[1].strip() if ":" in memo else memo.strip()


def memo_date(memo: str) -> date | None:
    """Return a `YYYY-MM-DD` date opening the memo's charter part (rows written without a ref)."""
    match = _LEADING_DATE.match(charter_of(memo))
    try:
        return date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


def _key(row: LedgerRow) -> tuple[str, bool]:
    ref = row.ref.strip()
    return (ref, True) if ref else (f"{row.entity}: {charter_of(row.memo)}", False)


def _charter(key: str, referenced: bool, rows: list[LedgerRow], deposits: frozenset[str]) -> Charter:
    ordered = sorted(rows, key=lambda row: (row.date, row.amount < 0))  # a day's money in first
    paired = _pairs(ordered, deposits)
    moves = tuple(_move(row, row.account in deposits, i in paired) for i, row in enumerate(ordered))
    first = next((row for move, row in moves if move is Move.DEPOSIT), ordered[0])
    day = next((row.service_date for row in ordered if row.service_date), None)
    if day is None and not referenced:
        day = next((found for row in ordered if (found := memo_date(row.memo))), None)
    return Charter(key, referenced, first.entity, charter_of(first.memo) or key, day, moves)


def _pairs(rows: list[LedgerRow], deposits: frozenset[str]) -> set[int]:
    """Return the positions of recognitions: a deposit-account outflow and the revenue row taking it."""
    paired: set[int] = set()
    for i, row in enumerate(rows):
        if row.account in deposits and row.amount < 0:
            match = next(
                (
                    j
                    for j, other in enumerate(rows)
                    if j not in paired
                    and other.account not in deposits
                    and (other.date, other.amount) == (row.date, -row.amount)
                ),
                None,
            )
            if match is not None:
                paired |= {i, match}
    return paired


def _move(row: LedgerRow, on_deposit: bool, paired: bool) -> tuple[Move, LedgerRow]:
    if on_deposit:
        move = Move.DEPOSIT if row.amount > 0 else Move.RECOGNISED if paired else Move.REFUND
    else:
        move = Move.EARNED if paired else Move.PAYMENT if row.amount > 0 else Move.REVENUE_REFUND
    return move, row
