"""The technology estate: what runs where, what it costs per service and entity, the AWS bill.

The AWS bill is the ledger's rows on the accounts marked `vendor = aws` in accounts.csv, nothing
else: a domain renewal on another `cloud` account is not AWS. With no account so marked there is
no bill to check the inventory against, and the report says so (the validator warns too). When
the live AWS source read Cost Explorer, `bill_check` sets the real bill beside both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..model import Account, Asset, LedgerRow, Source
from ..vocabulary import AssetType
from .inventory import ZERO, CostLine, cost_lines, running
from .months import last_full_months, month_of

# The technology estate is what a CTO answers for: cloud resources, domains and software
# subscriptions. Vessels, vehicles and property are the CEO's inventory, not infrastructure.
TECHNOLOGY = frozenset({AssetType.CLOUD, AssetType.DOMAIN, AssetType.SUBSCRIPTION})
STACK = frozenset({AssetType.CLOUD, AssetType.DOMAIN})  # what a site or app runs on
AWS_VENDOR = "aws"  # accounts.csv `vendor` of the account(s) the AWS invoices are booked to
BILLED_MONTHS = 3


@dataclass(frozen=True)
class InfraCost:
    """Monthly cost of the running technology estate by service and by entity, the AWS bill apart."""

    by_service: tuple[CostLine, ...]
    by_entity: tuple[CostLine, ...]
    monthly: Decimal
    aws_monthly: Decimal  # the AWS services' assets summed: what the inventory says AWS costs
    aws_sources: tuple[Source, ...]
    billed_monthly: Decimal | None  # the AWS invoices, averaged over BILLED_MONTHS full months
    billed_sources: tuple[Source, ...]
    bill_accounts: tuple[str, ...] = ()  # the accounts marked vendor = aws; () means no bill to check

    @property
    def unlisted(self) -> Decimal | None:
        """Return what the AWS invoices carry beyond the inventory's AWS assets (negative: less)."""
        return None if self.billed_monthly is None else self.billed_monthly - self.aws_monthly


@dataclass(frozen=True)
class BillCheck:
    """The real AWS bill against what the inventory lists and what the ledger books.

    `unlisted` is the bill less the inventory (resources nobody wrote down; negative: the
    inventory lists more than is billed); `unbooked` is the bill less the ledger's monthly average
    of AWS invoices (None when the ledger has none)."""

    month: date  # the last full month, as Cost Explorer billed it
    billed: Decimal
    inventory: Decimal
    ledger: Decimal | None

    @property
    def unlisted(self) -> Decimal:
        return self.billed - self.inventory

    @property
    def unbooked(self) -> Decimal | None:
        return None if self.ledger is None else self.billed - self.ledger


def bill_check(month: date, billed: Decimal, cost: InfraCost) -> BillCheck:
    """Return the real bill of `month` (Cost Explorer's) against the inventory and the ledger."""
    return BillCheck(month, billed, cost.aws_monthly, cost.billed_monthly)


@dataclass(frozen=True)
class StackService:
    """One service an entity runs, with its resources' identifiers."""

    service: str
    identifiers: tuple[str, ...]
    monthly: Decimal
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Stack:
    """What one entity's sites and apps run on, service by service."""

    entity: str
    services: tuple[StackService, ...]
    monthly: Decimal


def infrastructure_cost(
    assets: Iterable[Asset], ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> InfraCost:
    """Return what the technology estate costs a month, from the inventory and the ledger's invoices."""
    estate = [asset for asset in running(assets) if asset.type in TECHNOLOGY]
    aws, accounts = [asset for asset in estate if asset.is_aws], list(accounts)
    billed, billed_sources = aws_invoices(ledger, accounts, today=today)
    return InfraCost(
        by_service=cost_lines(estate, lambda asset: asset.service.value),
        by_entity=cost_lines(estate, lambda asset: asset.entity),
        monthly=sum((asset.monthly_cost for asset in estate), ZERO),
        aws_monthly=sum((asset.monthly_cost for asset in aws), ZERO),
        aws_sources=tuple(asset.source for asset in aws),
        billed_monthly=billed,
        billed_sources=billed_sources,
        bill_accounts=tuple(sorted(aws_accounts(accounts))),
    )


def aws_accounts(accounts: Iterable[Account]) -> frozenset[str]:
    """Return the codes of the accounts the AWS invoices are booked to (vendor = aws)."""
    return frozenset(account.code for account in accounts if account.vendor == AWS_VENDOR)


def aws_invoices(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> tuple[Decimal | None, tuple[Source, ...]]:
    """Return the average monthly AWS invoice of the last full months, to check the inventory against."""
    bill = aws_accounts(accounts)
    window = last_full_months(today, BILLED_MONTHS)
    rows = [row for row in ledger if row.account in bill and month_of(row.date) in window]
    if not rows:
        return None, ()
    average = -sum((row.amount for row in rows), ZERO) / len(window)
    return average.quantize(Decimal("0.01"), ROUND_HALF_UP), tuple(row.source for row in rows)


def stacks(assets: Iterable[Asset]) -> tuple[Stack, ...]:
    """Return each entity's running cloud and domain assets by service, entities in name order."""
    stack_assets = [asset for asset in running(assets) if asset.type in STACK]
    found = []
    for entity in sorted({asset.entity for asset in stack_assets}):
        mine = [asset for asset in stack_assets if asset.entity == entity]
        services = tuple(
            StackService(
                service,
                tuple(a.identifier for a in mine if a.service.value == service),
                sum((a.monthly_cost for a in mine if a.service.value == service), ZERO),
                tuple(a.source for a in mine if a.service.value == service),
            )
            for service in sorted({asset.service.value for asset in mine})
        )
        found.append(Stack(entity, services, sum((a.monthly_cost for a in mine), ZERO)))
    return tuple(found)
