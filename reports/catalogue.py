"""The declared list of reports. Adding a report is one entry here plus its template folder.

Each entry names the function that builds its brief (the figures its templates receive) as
`module:function`, resolved on first use, so listing the catalogue imports no analysis code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .kb.problems import ACCOUNTS, ASSETS, ENTITIES, LEDGER, PORTFOLIO, PROJECTS
from .lazy import resolve
from .model import Entity, KnowledgeBase
from .vocabulary import EntityKind


@dataclass(frozen=True)
class ReportSpec:
    """One kind of report: who reads it, what builds its figures, which data it needs."""

    id: str
    title: str
    audience: str
    brief: str  # "module:function" building the template data: (kb, *, today, entity) -> dataclass
    template: str  # folder under reports/templates/ holding subject.txt, body.txt, body.html
    needs: frozenset[str]  # knowledge-base parts; a problem in one fails this report only
    entity_kind: EntityKind | None = None  # domain reports: one report per entity of this kind
    metrics: str | None = None  # "module:function": brief -> {key: history.Metric}, followed between sends

    def builder(self) -> Callable:
        """Return the brief-building function."""
        return resolve(self.brief)

    def key_metrics(self, brief) -> dict:
        """Return the brief's key metrics ({} when the report declares none)."""
        return resolve(self.metrics)(brief) if self.metrics else {}


@dataclass(frozen=True)
class Report:
    """One report to produce: a spec, and for domain reports the entity it is about."""

    id: str
    title: str
    audience: str
    spec: ReportSpec
    entity: Entity | None = None


EVERYTHING = frozenset({PORTFOLIO, ENTITIES, PROJECTS, ACCOUNTS, LEDGER, ASSETS})
CATALOGUE: tuple[ReportSpec, ...] = (
    ReportSpec(
        "ceo",
        "CEO briefing: the portfolio at a glance",
        "CEO",
        "reports.briefs.ceo:build",
        "ceo",
        EVERYTHING,
        metrics="reports.briefs.ceo:metrics",
    ),
    ReportSpec(
        "cto",
        "CTO briefing: stack, security and engineering",
        "CTO",
        "reports.briefs.cto:build",
        "cto",
        frozenset({PORTFOLIO, ENTITIES, PROJECTS, ASSETS, LEDGER, ACCOUNTS}),
        metrics="reports.briefs.cto:metrics",
    ),
    ReportSpec(
        "cfo",
        "CFO briefing: burn, runway and break-even",
        "CFO",
        "reports.briefs.cfo:build",
        "cfo",
        frozenset({PORTFOLIO, ENTITIES, ACCOUNTS, LEDGER, PROJECTS}),
        metrics="reports.briefs.cfo:metrics",
    ),
    ReportSpec(
        "cmo",
        "CMO briefing: channels, listings and the list",
        "CMO",
        "reports.briefs.cmo:build",
        "cmo",
        frozenset({PORTFOLIO, ENTITIES, PROJECTS}),
        metrics="reports.briefs.cmo:metrics",
    ),
    ReportSpec(
        "accounting",
        "Accounting briefing: recognition, books and milestones",
        "Accounting officer",
        "reports.briefs.accounting:build",
        "accounting",
        frozenset({PORTFOLIO, ENTITIES, ACCOUNTS, LEDGER, PROJECTS, ASSETS}),
        metrics="reports.briefs.accounting:metrics",
    ),
    ReportSpec(
        "rental",
        "Rental operations",
        "Property owner",
        "reports.briefs.rental:build",
        "rental",
        frozenset({PORTFOLIO, ENTITIES, ACCOUNTS, LEDGER}),
        EntityKind.RENTAL,
        metrics="reports.briefs.rental:metrics",
    ),
    ReportSpec(
        "delivery",
        "Delivery operations",
        "Delivery owner",
        "reports.briefs.delivery:build",
        "delivery",
        frozenset({PORTFOLIO, ENTITIES, ACCOUNTS, LEDGER}),
        EntityKind.DELIVERY,
        metrics="reports.briefs.delivery:metrics",
    ),
    ReportSpec(
        "agency",
        "Client billing audit",
        "Agency owner",
        "reports.briefs.agency:build",
        "agency",
        frozenset({PORTFOLIO, ENTITIES}),
        EntityKind.AGENCY,
        metrics="reports.briefs.agency:metrics",
    ),
)


def reports_for(base: KnowledgeBase) -> list[Report]:
    """Return every report the knowledge base calls for: the role reports, then one per domain entity.

    A domain report's id is its entity's id (e.g. `rental-3028-51st`).
    """
    found: list[Report] = []
    for spec in CATALOGUE:
        if spec.entity_kind is None:
            found.append(Report(spec.id, spec.title, spec.audience, spec))
            continue
        for entity in sorted(base.entities, key=lambda e: e.id):
            if entity.kind == spec.entity_kind:
                found.append(Report(entity.id, f"{spec.title}: {entity.name}", spec.audience, spec, entity))
    return found
