"""The expense audit: spending by category and month, its movement, and what looks wrong.

General rules, documented here and in docs/knowledge-base.md: a duplicate is two or more rows with
the same date, entity, account and amount; an outlier is an expense row more than OUTLIER_FACTOR
times the median of the same entity's earlier rows on the same account over the year before it (at
least OUTLIER_HISTORY of them); the account whose category is `uncategorized` is the catch-all; an
asset still billed (active, or idle: it costs the same and is the likelier to be forgotten) needs
an owner.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

from ..model import Account, Asset, LedgerRow, Source
from ..vocabulary import AccountType, AssetStatus
from .finance import ZERO
from .inventory import running
from .months import add_months, last_full_months, month_of

UNCATEGORIZED = "uncategorized"
UNOWNED = "unowned asset"
OUTLIER_FACTOR = 3
OUTLIER_HISTORY = 3


@dataclass(frozen=True)
class CategoryLine:
    """One expense category over the audited months, oldest first, and its last move."""

    category: str
    by_month: tuple[Decimal, ...]

    @property
    def change(self) -> Decimal:
        """Return the last month's spend minus the month before's."""
        return self.by_month[-1] - self.by_month[-2] if len(self.by_month) > 1 else ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.by_month, ZERO)


@dataclass(frozen=True)
class Anomaly:
    """Something in the books a person should look at, and where."""

    kind: str  # uncategorized | duplicate | unowned asset | outlier
    description: str
    amount: Decimal
    source: Source


@dataclass(frozen=True)
class ExpenseAudit:
    """Spending by category for the audited months (largest category first) and the anomalies."""

    months: tuple[date, ...]
    categories: tuple[CategoryLine, ...]
    monthly_totals: tuple[Decimal, ...]
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
    by_code = {account.code: account for account in accounts}
    window = last_full_months(today, months)
    expenses = [
        row for row in ledger if row.account in by_code and by_code[row.account].type is AccountType.EXPENSE
    ]
    audited = [row for row in expenses if month_of(row.date) in window]
    spent: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in audited:
        spent[by_code[row.account].category][month_of(row.date)] -= row.amount
    lines = sorted(
        (CategoryLine(category, tuple(spent[category][m] for m in window)) for category in spent),
        key=lambda line: (-line.total, line.category),
    )
    totals = tuple(sum((line.by_month[i] for line in lines), ZERO) for i in range(len(window)))
    anomalies = (
        _uncategorized(audited, by_code)
        + _duplicates(audited)
        + _unowned(assets)
        + _outliers(audited, expenses)
    )
    return ExpenseAudit(tuple(window), tuple(lines), totals, tuple(anomalies))


def _uncategorized(rows: list[LedgerRow], by_code: dict[str, Account]) -> list[Anomaly]:
    return [
        Anomaly(UNCATEGORIZED, f"{row.date} {row.entity}: {row.memo or 'no memo'}", -row.amount, row.source)
        for row in rows
        if by_code[row.account].category == UNCATEGORIZED
    ]


def _duplicates(rows: list[LedgerRow]) -> list[Anomaly]:
    def key(row: LedgerRow) -> tuple:
        return row.date, row.entity, row.account, row.amount

    seen = Counter(key(row) for row in rows)
    found, reported = [], set()
    for row in rows:
        if seen[key(row)] > 1 and key(row) not in reported:
            reported.add(key(row))
            text = f"{row.date} {row.entity}: {row.memo or 'no memo'} (x{seen[key(row)]})"
            found.append(Anomaly("duplicate", text, -row.amount, row.source))
    return found


def _unowned(assets: Iterable[Asset]) -> list[Anomaly]:
    """Return the billed assets nobody answers for: idle ones too, since they still cost money."""
    return [
        Anomaly(UNOWNED, f"{asset.name} ({_standing(asset)}) has no owner", asset.monthly_cost, asset.source)
        for asset in running(assets)
        if not asset.owner
    ]


def _standing(asset: Asset) -> str:
    idle = ", idle but still billed" if asset.status is AssetStatus.IDLE else ""
    return f"{asset.entity}{idle}"


def _outliers(audited: list[LedgerRow], expenses: list[LedgerRow]) -> list[Anomaly]:
    found = []
    for row in audited:
        history = [
            -other.amount
            for other in expenses
            if (other.entity, other.account) == (row.entity, row.account)
            and add_months(row.date, -12) <= other.date < row.date
        ]
        if len(history) >= OUTLIER_HISTORY and -row.amount > OUTLIER_FACTOR * median(history):
            text = f"{row.date} {row.entity}: {row.memo or 'no memo'}, usually {median(history):,.2f}"
            found.append(Anomaly("outlier", text, -row.amount, row.source))
    return found
