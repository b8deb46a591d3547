"""Revenue recognition: deposits are held, not earned, until the charter sails; a refund is neither.

Deposits held are the balance of the deposit accounts (category `deferred-revenue`) at the cut-off,
whatever the memos say; each charter's part of it (charters: analysis/deposits.py, matched by `ref`)
is listed against its charter day: ahead (the day is on or after the cut-off), passed (recognise it
now) or unknown. A refund, of a held deposit or of revenue already recognised, is never counted as
revenue recognised. A positive revenue row is booked early when its charter day is after its date;
on the charter day itself it is on time (a row with neither a ref nor a charter day is booked early
when its memo opens with "deposit", as before refs). Rows after `today` are left out of every figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Account, LedgerRow, Source
from . import deposits, refunds
from .deposits import ZERO, Charter, Move, memo_date
from .months import month_of
from .refunds import Refund, RefundMonth

DEPOSIT_WORD = "deposit"  # rows without a ref or a charter day: a memo opening so is a deposit


@dataclass(frozen=True)
class HeldDeposit:
    """A charter's money still held as deferred revenue, and the charter it pays for."""

    entity: str
    charter: str  # what the deposit's memo calls it: "Holiday lights sail"
    ref: str  # the booking id ("" for rows written without one)
    amount: Decimal
    received: date
    service_date: date | None  # None: nobody recorded when the charter is
    source: Source


@dataclass(frozen=True)
class Misbooked:
    """Revenue booked before its charter day: earned on paper before the charter sails."""

    entity: str
    memo: str
    amount: Decimal
    source: Source


@dataclass(frozen=True)
class RecognitionMonth:
    """Deposits received, recognised and refunded, and all revenue recognised, in one month."""

    month: date
    received: Decimal
    recognised_deposits: Decimal
    refunded: Decimal
    revenue: Decimal


@dataclass(frozen=True)
class Reconciliation:
    """Every charter's money to the cut-off: received = recognised + refunded + held."""

    received: Decimal
    recognised: Decimal
    refunded: Decimal
    held: Decimal


@dataclass(frozen=True)
class Recognition:
    """What is deferred, earned, refunded and booked against the policy, as of a day."""

    as_of: date
    held: tuple[HeldDeposit, ...]  # every charter with money held, earliest charter first
    deferred_balance: Decimal  # the deposit accounts' balance at the cut-off
    recognised_this_year: Decimal  # revenue earned from January 1 to as_of, net of refunds of it
    misbooked: tuple[Misbooked, ...]
    by_month: tuple[RecognitionMonth, ...]  # the months of the year to date
    refunds: tuple[Refund, ...]  # every refund to the cut-off, oldest first
    totals: Reconciliation

    @property
    def passed(self) -> tuple[HeldDeposit, ...]:
        """Return money still held after its charter day: recognise it now."""
        return tuple(d for d in self.held if d.service_date is not None and d.service_date < self.as_of)

    @property
    def ahead(self) -> tuple[HeldDeposit, ...]:
        """Return money rightly held: its charter day is today or later."""
        return tuple(d for d in self.held if d.service_date is not None and d.service_date >= self.as_of)

    @property
    def undated(self) -> tuple[HeldDeposit, ...]:
        """Return money held for a charter nobody dated, which cannot be recognised on time."""
        return tuple(d for d in self.held if d.service_date is None)


def revenue_recognition(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> Recognition:
    """Return what is held, earned, refunded and misbooked to `today`, deposits matched by ref."""
    ledger, accounts = [row for row in ledger if row.date <= today], list(accounts)
    found = deposits.charters(ledger, accounts)
    held_codes, revenue_codes = deposits.deposit_accounts(accounts), deposits.revenue_accounts(accounts)
    revenue = [row for row in ledger if row.account in revenue_codes]
    paid_back = refunds.charter_refunds(found)
    months = [date(today.year, number, 1) for number in range(1, today.month + 1)]
    return Recognition(
        as_of=today,
        held=_held(found),
        deferred_balance=sum((row.amount for row in ledger if row.account in held_codes), ZERO),
        recognised_this_year=sum((row.amount for row in revenue if row.date.year == today.year), ZERO),
        misbooked=_misbooked(revenue, found),
        by_month=tuple(_month(month, found, revenue, paid_back) for month in months),
        refunds=paid_back,
        totals=_totals(found),
    )


def refunds_by_month(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> tuple[RefundMonth, ...]:
    """Return each month's refunds to `today`, so revenue can be shown net of refunds of revenue."""
    found = deposits.charters((row for row in ledger if row.date <= today), accounts)
    return refunds.by_month(refunds.charter_refunds(found))


def _held(found: tuple[Charter, ...]) -> tuple[HeldDeposit, ...]:
    held = [
        HeldDeposit(
            c.entity, c.name, c.key if c.referenced else "", c.held, first.date, c.service_date, first.source
        )
        for c in found
        if c.held > 0 and (first := c.deposit or c.moves[0][1])
    ]
    return tuple(sorted(held, key=lambda d: (d.service_date or date.max, d.entity, d.charter)))


def _misbooked(revenue: list[LedgerRow], found: tuple[Charter, ...]) -> tuple[Misbooked, ...]:
    days = {id(row): c.service_date for c in found for _, row in c.moves}
    return tuple(
        Misbooked(row.entity, row.memo, row.amount, row.source)
        for row in revenue
        if row.amount > 0 and _early(row, _charter_day(row, days))
    )


def _early(row: LedgerRow, day: date | None) -> bool:
    """Tell whether revenue was booked before its charter day (on the day itself is on time)."""
    if day is not None:
        return day > row.date
    return not row.ref and row.memo.lower().startswith(DEPOSIT_WORD)  # an undated deposit, old ledgers


def _charter_day(row: LedgerRow, days: dict[int, date | None]) -> date | None:
    """Return the day a revenue row's charter sails: its own, its charter's, else its memo's."""
    return row.service_date or days.get(id(row)) or (None if row.ref else memo_date(row.memo))


def _month(month: date, found, revenue: list[LedgerRow], paid_back: tuple[Refund, ...]) -> RecognitionMonth:
    moves = [(move, row) for c in found for move, row in c.moves if month_of(row.date) == month]
    return RecognitionMonth(
        month,
        sum((row.amount for move, row in moves if move is Move.DEPOSIT), ZERO),
        -sum((row.amount for move, row in moves if move is Move.RECOGNISED), ZERO),
        sum((r.amount for r in paid_back if month_of(r.day) == month), ZERO),
        sum((row.amount for row in revenue if month_of(row.date) == month), ZERO),
    )


def _totals(found: tuple[Charter, ...]) -> Reconciliation:
    def total(figure: str) -> Decimal:
        return sum((getattr(c, figure) for c in found), ZERO)

    return Reconciliation(total("received"), total("recognised"), total("refunded"), total("held"))
