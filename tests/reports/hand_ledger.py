"""A small chart of accounts and ledger rows written by hand, for the golden tests of figures at
their edges (the figure each test expects is worked out in a comment beside its rows)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reports.model import Account, Entity, FinancialRule, LedgerRow, Portfolio, Source, UnitEconomics
from reports.vocabulary import AccountType, CostBehavior, EntityKind, RuleKind

SRC = Source("hand.md", 1)
CASH, DEPOSITS, LOAN, OWNER, REVENUE, DOCKAGE, FUEL = "1000", "2100", "2500", "3100", "4000", "6000", "6100"

ACCOUNTS = (
    Account(CASH, "Vessels", AccountType.ASSET, "fixed-assets", None, Source("accounts.csv", 2)),
    Account(
        DEPOSITS, "Deposits held", AccountType.LIABILITY, "deferred-revenue", None, Source("accounts.csv", 3)
    ),
    Account(LOAN, "Vessel loan", AccountType.LIABILITY, "loans", None, Source("accounts.csv", 4)),
    Account(OWNER, "Owner money", AccountType.EQUITY, "owner-equity", None, Source("accounts.csv", 5)),
    Account(REVENUE, "Charter revenue", AccountType.REVENUE, "charters", None, Source("accounts.csv", 6)),
    Account(
        DOCKAGE, "Dockage", AccountType.EXPENSE, "dockage", CostBehavior.FIXED, Source("accounts.csv", 7)
    ),
    Account(FUEL, "Fuel", AccountType.EXPENSE, "fuel", CostBehavior.VARIABLE, Source("accounts.csv", 8)),
)


def row(
    day: str,
    account: str,
    amount: str,
    *,
    line: int = 2,
    entity: str = "jada",
    memo: str = "",
    ref: str = "",
    service_date: str | None = None,
) -> LedgerRow:
    """Return one ledger row; `line` is its line in ledger.csv."""
    charter_day = date.fromisoformat(service_date) if service_date else None
    return LedgerRow(
        date.fromisoformat(day),
        entity,
        account,
        Decimal(amount),
        memo,
        Source("ledger.csv", line),
        charter_day,
        ref,
    )


def numbered(*rows: LedgerRow) -> tuple[LedgerRow, ...]:
    """Return the rows renumbered from ledger.csv line 2, in the order given."""
    return tuple(
        LedgerRow(
            r.date, r.entity, r.account, r.amount, r.memo, Source("ledger.csv", line), r.service_date, r.ref
        )
        for line, r in enumerate(rows, start=2)
    )


def charter_entity(entity_id: str, price: str, variable_cost: str) -> Entity:
    """Return a charter business whose one charter sells at `price` and costs `variable_cost`."""
    economics = UnitEconomics("charter", Decimal(price), Decimal(variable_cost), SRC)
    return Entity(entity_id, entity_id.upper(), EntityKind.CHARTER, "o@example.com", (), (), economics,
                  (), (), (), (), "", SRC)  # fmt: skip


def rule(
    kind: RuleKind, limit: str, *, account: str | None = None, entity: str | None = None
) -> FinancialRule:
    return FinancialRule(
        kind.value, kind.value, kind, Decimal(limit), account, entity, Source("portfolio.toml", 9)
    )


def portfolio(today: date, cash: str, *rules: FinancialRule) -> Portfolio:
    return Portfolio("P", "USD", today, Decimal(cash), (), rules, (), Source("portfolio.toml", 1))
