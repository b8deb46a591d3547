"""The technology estate: what runs where, what it costs per service and entity, the AWS bill."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Account, Asset, LedgerRow
from ..vocabulary import AssetStatus, AssetType
from .finance import ZERO
from .months import last_full_months, month_of

CLOUD_CATEGORY = "cloud"


@dataclass(frozen=True)
class CostLine:
    name: str
    monthly: Decimal
    count: int


@dataclass(frozen=True)
class InfraCost:
    """Monthly cost of the running assets by service and by entity, with the AWS total apart."""

    by_service: tuple[CostLine, ...]
    by_entity: tuple[CostLine, ...]
    aws_monthly: Decimal
    aws_billed_monthly: Decimal | None  # the ledger's cloud invoices, averaged over 3 months


def running(assets: Iterable[Asset]) -> list[Asset]:
    """Return the assets that cost money now (active or idle)."""
    return [a for a in assets if a.status in (AssetStatus.ACTIVE, AssetStatus.IDLE)]


def _lines(groups: dict[str, list[Asset]]) -> tuple[CostLine, ...]:
    lines = [
        CostLine(name, sum((a.monthly_cost for a in group), ZERO), len(group))
        for name, group in groups.items()
    ]
    return tuple(sorted(lines, key=lambda line: line.monthly, reverse=True))


def infrastructure_cost(
    assets: Iterable[Asset], ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> InfraCost:
    """Return what the cloud and software estate costs a month, from the inventory and the ledger."""
    estate = [
        a for a in running(assets) if a.type in (AssetType.CLOUD, AssetType.DOMAIN, AssetType.SUBSCRIPTION)
    ]
    by_service: dict[str, list[Asset]] = defaultdict(list)
    by_entity: dict[str, list[Asset]] = defaultdict(list)
    for asset in estate:
        by_service[asset.service.value].append(asset)
        by_entity[asset.entity].append(asset)
    aws = sum((a.monthly_cost for a in estate if a.is_aws), ZERO)
    cloud = {a.code for a in accounts if a.category == CLOUD_CATEGORY}
    window = last_full_months(today, 3)
    billed_rows = [row for row in ledger if row.account in cloud and month_of(row.date) in window]
    billed = -sum((row.amount for row in billed_rows), ZERO) / len(window) if billed_rows else None
    return InfraCost(
        _lines(by_service), _lines(by_entity), aws, billed.quantize(Decimal("0.01")) if billed else None
    )


def stacks(assets: Iterable[Asset]) -> dict[str, dict[str, list[Asset]]]:
    """Return {entity: {service: [assets]}} for the running cloud and domain assets."""
    found: dict[str, dict[str, list[Asset]]] = defaultdict(lambda: defaultdict(list))
    for asset in running(assets):
        if asset.type in (AssetType.CLOUD, AssetType.DOMAIN):
            found[asset.entity][asset.service.value].append(asset)
    return {entity: dict(services) for entity, services in sorted(found.items())}


def inventory(assets: Iterable[Asset]) -> list[tuple[str, str, int, Decimal]]:
    """Return (entity, asset type, count, monthly cost) for every running asset group."""
    groups: dict[tuple[str, str], list[Asset]] = defaultdict(list)
    for asset in running(assets):
        groups[(asset.entity, asset.type.value)].append(asset)
    return [
        (entity, kind, len(group), sum((a.monthly_cost for a in group), ZERO))
        for (entity, kind), group in sorted(groups.items())
    ]
