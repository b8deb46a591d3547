"""What to fix and do first: ranked shortfalls, untracked KPIs, the action plan, milestones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

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
PLAN_DAYS = 30  # the action plan looks a month ahead
HORIZONS = (30, 60, 90)  # milestone buckets, in days from today


@dataclass(frozen=True)
class Ranked:
    """A shortfall with the handoff it came from, in rank order (1 is the most urgent)."""

    rank: int
    shortfall: Shortfall
    project: Project


class UntrackedKpi(NamedTuple):
    """A KPI someone defined but nobody measures, with its handoff."""

    kpi: Kpi
    project: Project


@dataclass(frozen=True)
class PlannedAction:
    """An action with its handoff and how far its due date is from today (negative: overdue)."""

    action: Action
    project: Project
    overdue: bool
    days_left: int = 0


@dataclass(frozen=True)
class DatedMilestone:
    """An open milestone with its handoff and the days left until it is due (negative: late)."""

    milestone: Milestone
    project: Project
    days_left: int


@dataclass(frozen=True)
class Horizon:
    """Open milestones due within `days` of today and after the previous horizon (late ones in the first)."""

    days: int
    milestones: tuple[DatedMilestone, ...]


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


def untracked_kpis(projects: Iterable[Project]) -> list[UntrackedKpi]:
    """Return the KPIs someone defined but nobody measures yet, in handoff order."""
    return [UntrackedKpi(kpi, project) for project in projects for kpi in project.kpis if not kpi.tracked]


def _planned(action: Action, project: Project, today: date) -> PlannedAction:
    return PlannedAction(action, project, action.due < today, (action.due - today).days)


def _by_urgency(plan: list[PlannedAction]) -> list[PlannedAction]:
    return sorted(plan, key=lambda item: (not item.overdue, item.action.priority.rank, item.action.due))


def action_plan(
    projects: Iterable[Project], *, today: date, days: int = PLAN_DAYS, owner: OwnerRole | None = None
) -> list[PlannedAction]:
    """Return actions due within `days` (overdue included), overdue first, then by priority and date."""
    horizon = today + timedelta(days=days)
    return _by_urgency(
        [
            _planned(action, project, today)
            for project in projects
            for action in project.actions
            if action.due <= horizon and (owner is None or action.owner_role is owner)
        ]
    )


def actions_owned_by(projects: Iterable[Project], owner: OwnerRole, *, today: date) -> list[PlannedAction]:
    """Return every action `owner` answers for, whatever its date: overdue first, then by priority."""
    return _by_urgency(
        [
            _planned(action, project, today)
            for project in projects
            for action in project.actions
            if action.owner_role is owner
        ]
    )


def milestones_by_horizon(projects: Iterable[Project], *, today: date, areas: set[Area]) -> list[Horizon]:
    """Bucket the open milestones in `areas` into the next 30, 60 and 90 days (late ones in the first)."""
    open_ones = [
        DatedMilestone(milestone, project, (milestone.due - today).days)
        for project in projects
        for milestone in project.milestones
        if milestone.area in areas and milestone.status is not MilestoneStatus.DONE
    ]
    horizons, previous = [], None
    for days in HORIZONS:
        within = [
            m for m in open_ones if m.days_left <= days and (previous is None or m.days_left > previous)
        ]
        horizons.append(Horizon(days, tuple(sorted(within, key=lambda m: m.milestone.due))))
        previous = days
    return horizons


def milestones(projects: Iterable[Project], *, areas: set[Area]) -> list[tuple[Milestone, Project]]:
    """Return every milestone in `areas`, by due date."""
    found = [(m, p) for p in projects for m in p.milestones if m.area in areas]
    return sorted(found, key=lambda pair: pair[0].due)
