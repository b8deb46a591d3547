"""What to fix and do first: ranked shortfalls, untracked KPIs, the action plan, milestones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Action, Kpi, Milestone, Project, Shortfall
from ..vocabulary import Area, MilestoneStatus, OwnerRole

# Ties between shortfalls of one severity go to the area that threatens the business soonest:
# cash and sales first, then the legal and security exposures, then operations and product.
AREA_WEIGHT = {
    Area.FINANCE: 0,
    Area.SALES: 1,
    Area.LEGAL: 2,
    Area.SECURITY: 3,
    Area.ACCOUNTING: 4,
    Area.MARKETING: 5,
    Area.STRATEGY: 6,
    Area.OPERATIONS: 7,
    Area.ENGINEERING: 8,
    Area.DEVOPS: 9,
    Area.UX: 10,
}
HORIZONS = (30, 60, 90)


@dataclass(frozen=True)
class Ranked:
    """A shortfall with the handoff it came from, in rank order."""

    rank: int
    shortfall: Shortfall
    project: Project


@dataclass(frozen=True)
class PlannedAction:
    action: Action
    project: Project
    overdue: bool


@dataclass(frozen=True)
class Horizon:
    """Milestones due within `days` of today (and after the previous horizon)."""

    days: int
    milestones: tuple[tuple[Milestone, Project], ...]


def rank_shortfalls(projects: Iterable[Project], areas: set[Area] | None = None) -> list[Ranked]:
    """Return shortfalls by severity, then area weight, then age (older handoff first)."""
    found = [
        (shortfall, project)
        for project in projects
        for shortfall in project.shortfalls
        if areas is None or shortfall.area in areas
    ]
    found.sort(key=lambda pair: (pair[0].severity.rank, AREA_WEIGHT[pair[0].area], pair[1].updated))
    return [Ranked(index, shortfall, project) for index, (shortfall, project) in enumerate(found, start=1)]


def untracked_kpis(projects: Iterable[Project]) -> list[tuple[Kpi, Project]]:
    """Return the KPIs someone defined but nobody measures yet."""
    return [(kpi, project) for project in projects for kpi in project.kpis if not kpi.tracked]


def action_plan(
    projects: Iterable[Project], *, today: date, days: int = 30, owner: OwnerRole | None = None
) -> list[PlannedAction]:
    """Return actions due within `days` (overdue included), overdue first, then by priority and date."""
    horizon = today + timedelta(days=days)
    plan = [
        PlannedAction(action, project, action.due < today)
        for project in projects
        for action in project.actions
        if action.due <= horizon and (owner is None or action.owner_role is owner)
    ]
    plan.sort(key=lambda item: (not item.overdue, item.action.priority.rank, item.action.due))
    return plan


def actions_for(projects: Iterable[Project], owner: OwnerRole) -> list[PlannedAction]:
    """Return every action owned by `owner`, by priority then due date (any horizon)."""
    return action_plan(projects, today=date.min + timedelta(days=1), days=10**6, owner=owner)


def milestones_by_horizon(projects: Iterable[Project], *, today: date, areas: set[Area]) -> list[Horizon]:
    """Bucket open milestones in `areas` into the next 30, 60 and 90 days."""
    open_ones = [
        (milestone, project)
        for project in projects
        for milestone in project.milestones
        if milestone.area in areas and milestone.status is not MilestoneStatus.DONE
    ]
    horizons, start = [], date.min
    for days in HORIZONS:
        end = today + timedelta(days=days)
        within = tuple(sorted((m for m in open_ones if start < m[0].due <= end), key=lambda m: m[0].due))
        horizons.append(Horizon(days, within))
        start = end
    return horizons


def milestones(projects: Iterable[Project], *, areas: set[Area]) -> list[tuple[Milestone, Project]]:
    """Return every milestone in `areas`, by due date."""
    found = [(m, p) for p in projects for m in p.milestones if m.area in areas]
    return sorted(found, key=lambda pair: pair[0].due)
