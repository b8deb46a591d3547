"""The expense audit: spending by category and month, its movement, and what looks wrong."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Account, Asset, LedgerRow, Source
from ..vocabulary import AccountType, AssetStatus
from .finance import ZERO
from .months import last_full_months, month_of

UNCATEGORIZED = "uncategorized"


@dataclass(frozen=True)
class CategoryLine:
    """One expense category over the audited months, oldest first, and its last move."""

    category: str
    by_month: tuple[Decimal, ...]

    @property
    def change(self) -> Decimal:
        return self.by_month[-1] - self.by_month[-2] if len(self.by_month) > 1 else ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.by_month, ZERO)


@dataclass(frozen=True)
class Anomaly:
    """Something in the books a person should look at, and where."""

    kind: str  # uncategorized | duplicate | unowned subscription
    description: str
    amount: Decimal
    source: Source


@dataclass(frozen=True)
class ExpenseAudit:
    months: tuple[date, ...]
    categories: tuple[CategoryLine, ...]  # largest first
    anomalies: tuple[Anomaly, ...]


def expense_audit(
    ledger: Iterable[LedgerRow],
    accounts: Iterable[Account],
    assets: Iterable[Asset],
    *,
    today: date,
    months: int = 3,
) -> ExpenseAudit:
    """Return spending by category for the last full months, with the anomalies found."""
    ledger, by_code = list(ledger), {account.code: account for account in accounts}
    window = last_full_months(today, months)
    spent: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in ledger:
        account = by_code[row.account]
        if account.type is AccountType.EXPENSE and month_of(row.date) in window:
            spent[account.category][month_of(row.date)] -= row.amount
    lines = [CategoryLine(category, tuple(spent[category][m] for m in window)) for category in spent]
    lines.sort(key=lambda line: line.total, reverse=True)
    anomalies = _uncategorized(ledger, by_code, window) + _duplicates(ledger, window) + _unowned(assets)
    return ExpenseAudit(tuple(window), tuple(lines), tuple(anomalies))


def _uncategorized(ledger, by_code, window) -> list[Anomaly]:
    return [
        Anomaly("uncategorized", f"{row.date}: {row.memo or 'no memo'}", -row.amount, row.source)
        for row in ledger
        if by_code[row.account].category == UNCATEGORIZED and month_of(row.date) in window
    ]


def _duplicates(ledger, window) -> list[Anomaly]:
    key = lambda row: (row.date, row.entity, row.account, row.amount, row.memo)  # noqa: E731
    seen = Counter(key(row) for row in ledger if month_of(row.date) in window)
    found, reported = [], set()
    for row in ledger:
        if seen[key(row)] > 1 and key(row) not in reported:
            reported.add(key(row))
            found.append(
                Anomaly("duplicate", f"{row.date}: {row.memo} (x{seen[key(row)]})", -row.amount, row.source)
            )
    return found


def _unowned(assets: Iterable[Asset]) -> list[Anomaly]:
    return [
        Anomaly("unowned subscription", f"{asset.name} has no owner", asset.monthly_cost, asset.source)
        for asset in assets
        if asset.owner is None and asset.status is AssetStatus.ACTIVE
    ]
