"""The unified data model of a portfolio: every report is computed from these values.

Every object keeps its `source` (file and line in the knowledge base), so a report can
footnote where each figure came from. Money is always `Decimal`; inflows are positive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .vocabulary import (
    AccountType,
    Area,
    AssetStatus,
    AssetType,
    BillingModel,
    CapitalStatus,
    ChannelKind,
    ChannelStatus,
    CostBehavior,
    EntityKind,
    JobStatus,
    MilestoneStatus,
    OwnerRole,
    ProjectStatus,
    RuleKind,
    Service,
    Severity,
    UnitStatus,
)

SHARED_ENTITY = "portfolio"  # ledger rows, assets and handoffs that belong to no single entity


@dataclass(frozen=True)
class Source:
    """Say where a value was read, so a report can footnote it."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class RevenueTarget:
    """What all entities together should earn in one month."""

    month: date  # the first day of the month
    amount: Decimal
    source: Source


@dataclass(frozen=True)
class FinancialRule:
    """A rule the CFO holds the ledger to; `kind` says how `limit` is checked."""

    id: str
    title: str
    kind: RuleKind
    limit: Decimal
    account: str | None
    entity: str | None
    source: Source


@dataclass(frozen=True)
class CapitalItem:
    """One line of the capital plan: where the next money goes."""

    title: str
    entity: str
    amount: Decimal
    due: date
    status: CapitalStatus
    source: Source


@dataclass(frozen=True)
class Portfolio:
    """The portfolio as a whole, from `portfolio.toml`."""

    name: str
    currency: str
    as_of: date
    cash_on_hand: Decimal
    revenue_targets: tuple[RevenueTarget, ...]
    rules: tuple[FinancialRule, ...]
    capital_plan: tuple[CapitalItem, ...]
    source: Source


@dataclass(frozen=True)
class Channel:
    """One way an entity reaches customers, and where it stands."""

    name: str
    kind: ChannelKind
    status: ChannelStatus
    list_size: int | None  # people reachable (email lists); None where it does not apply
    sequence: int | None  # rollout order among channels of the same kind (OTA listings)
    url: str | None
    source: Source


@dataclass(frozen=True)
class UnitEconomics:
    """What one sale brings in and costs, for break-even."""

    unit: str  # what one sale is: "charter", "haul", "job"
    average_price: Decimal
    variable_cost: Decimal
    source: Source

    @property
    def contribution(self) -> Decimal:
        """Return what one sale leaves towards fixed costs."""
        return self.average_price - self.variable_cost


@dataclass(frozen=True)
class RentalUnit:
    """One line of a rental's rent roll."""

    id: str
    name: str
    monthly_rent: Decimal
    status: UnitStatus
    lease_end: date | None
    source: Source


@dataclass(frozen=True)
class DeliveryJob:
    """One delivery: a passage sold, its direct costs and where it stands."""

    id: str
    date: date
    client: str
    route: str
    revenue: Decimal
    costs: Decimal
    status: JobStatus
    source: Source

    @property
    def margin(self) -> Decimal:
        """Return what the job earned after its direct costs."""
        return self.revenue - self.costs


@dataclass(frozen=True)
class Client:
    """An agency client and how it was agreed to bill them."""

    id: str
    name: str
    billing_model: BillingModel
    rate: Decimal | None  # monthly retainer, hourly rate or fixed fee, by billing model
    source: Source


@dataclass(frozen=True)
class WorkItem:
    """A finished piece of agency work, billed or not."""

    client: str
    title: str
    completed: date
    amount: Decimal
    billed: bool
    due: date | None  # payment due date, once billed
    paid: bool
    source: Source


@dataclass(frozen=True)
class Entity:
    """One business of the portfolio, from `entities/<id>.md`."""

    id: str
    name: str
    kind: EntityKind
    owner: str
    domains: tuple[str, ...]
    channels: tuple[Channel, ...]
    unit_economics: UnitEconomics | None
    units: tuple[RentalUnit, ...]
    jobs: tuple[DeliveryJob, ...]
    clients: tuple[Client, ...]
    work_items: tuple[WorkItem, ...]
    notes: str
    source: Source


@dataclass(frozen=True)
class Shortfall:
    """A gap a handoff names, ranked by severity."""

    title: str
    severity: Severity
    area: Area
    detail: str
    source: Source


@dataclass(frozen=True)
class Kpi:
    """A measure someone defined; `current` None means nobody tracks it."""

    name: str
    area: Area
    unit: str
    target: Decimal | None
    current: Decimal | None  # None: defined but not tracked
    source: Source

    @property
    def tracked(self) -> bool:
        """Tell whether anyone measures this KPI yet."""
        return self.current is not None


@dataclass(frozen=True)
class Action:
    """A step someone owns, with a date and a priority."""

    title: str
    area: Area
    owner_role: OwnerRole
    due: date
    priority: Severity
    source: Source


@dataclass(frozen=True)
class Milestone:
    """A dated checkpoint with what "done" means."""

    title: str
    area: Area
    due: date
    target: str
    status: MilestoneStatus
    source: Source


@dataclass(frozen=True)
class Opportunity:
    """Money a channel could bring, as a low-high range."""

    title: str
    entity: str
    channel: str
    low: Decimal
    high: Decimal
    source: Source


@dataclass(frozen=True)
class Project:
    """A handoff document, from `projects/<name>.md`."""

    id: str  # the file name without `.md`
    entity: str
    title: str
    status: ProjectStatus
    owner: str
    updated: date
    shortfalls: tuple[Shortfall, ...]
    kpis: tuple[Kpi, ...]
    actions: tuple[Action, ...]
    milestones: tuple[Milestone, ...]
    opportunities: tuple[Opportunity, ...]
    notes: str
    source: Source


@dataclass(frozen=True)
class Account:
    """One account of the chart of accounts."""

    code: str
    name: str
    type: AccountType
    category: str
    cost_behavior: CostBehavior | None  # expenses only: fixed or variable
    source: Source
    vendor: str | None = None  # who bills this account: "aws" marks the AWS bill


@dataclass(frozen=True)
class LedgerRow:
    """One money movement (cash basis); inflows positive."""

    date: date
    entity: str
    account: str
    amount: Decimal  # inflows positive, outflows negative
    memo: str
    source: Source
    service_date: date | None = None  # the charter a deposit is for: recognised as revenue on that day
    ref: str = ""  # booking or charter id tying a deposit to its recognition and refunds


@dataclass(frozen=True)
class Asset:
    """One item of the asset inventory and what it costs each month."""

    entity: str
    type: AssetType
    service: Service
    name: str
    identifier: str
    monthly_cost: Decimal
    status: AssetStatus
    owner: str | None  # who answers for it; None is a gap the audit reports
    source: Source

    @property
    def is_aws(self) -> bool:
        """Tell whether the asset is billed on the AWS invoice."""
        return self.service.is_aws


@dataclass(frozen=True)
class KnowledgeBase:
    """Hold the whole portfolio as loaded; `portfolio` is None when portfolio.toml is unusable."""

    portfolio: Portfolio | None
    entities: tuple[Entity, ...]
    projects: tuple[Project, ...]
    accounts: tuple[Account, ...]
    ledger: tuple[LedgerRow, ...]
    assets: tuple[Asset, ...]

    def entity(self, entity_id: str) -> Entity | None:
        """Return the entity with this id, if there is one."""
        return next((entity for entity in self.entities if entity.id == entity_id), None)

    def account(self, code: str) -> Account | None:
        """Return the account with this code, if there is one."""
        return next((account for account in self.accounts if account.code == code), None)
