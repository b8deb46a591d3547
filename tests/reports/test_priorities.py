"""Ranked shortfalls, untracked KPIs, the 30-day action plan, owned actions and milestone horizons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reports.analysis import priorities
from reports.model import Action, Kpi, Milestone, Project, Shortfall, Source
from reports.vocabulary import Area, MilestoneStatus, OwnerRole, ProjectStatus, Severity

TODAY = date(2026, 3, 15)  # 30 days ahead is 2026-04-14; 60 days 2026-05-14; 90 days 2026-06-13
SRC = Source("projects/p.md", 1)


def project(updated="2026-03-01", shortfalls=(), kpis=(), actions=(), milestones=(), entity="portfolio"):
    return Project(
        f"p-{updated}", entity, "P", ProjectStatus.ACTIVE, "o@example.com", date.fromisoformat(updated),
        tuple(shortfalls), tuple(kpis), tuple(actions), tuple(milestones), (), "", SRC,
    )  # fmt: skip


def gap(title: str, severity: str, area: str) -> Shortfall:
    return Shortfall(title, Severity(severity), Area(area), "", SRC)


def act(title: str, due: str, priority: str, owner: str = "ceo") -> Action:
    return Action(title, Area.SALES, OwnerRole(owner), date.fromisoformat(due), Severity(priority), SRC)


def stone(title: str, due: str, area: str = "marketing", status: str = "planned") -> Milestone:
    return Milestone(
        title, Area(area), date.fromisoformat(due), "done means done", MilestoneStatus(status), SRC
    )


def test_area_filter_keeps_the_ranking_rule_and_numbers_from_one():
    # GIVEN an older handoff (Feb) and a newer one (Mar) with security and other gaps
    older = project("2026-02-01", [gap("keys", "high", "security"), gap("cash", "critical", "finance")])
    newer = project("2026-03-01", [gap("waf", "high", "security"), gap("ux", "critical", "ux")])
    # WHEN only security gaps are ranked
    ranked = priorities.rank_shortfalls([newer, older], areas={Area.SECURITY})
    # THEN both high security gaps tie on severity and area: the older handoff's comes first
    assert [(r.rank, r.shortfall.title) for r in ranked] == [(1, "keys"), (2, "waf")]
    # AND unfiltered, critical finance leads, critical ux follows (area weight), then the highs
    everything = priorities.rank_shortfalls([newer, older])
    assert [r.shortfall.title for r in everything] == ["cash", "ux", "keys", "waf"]


def test_every_area_has_a_weight():
    # THEN no shortfall area can make the ranking fail with a KeyError
    assert set(priorities.AREA_WEIGHT) == set(Area)


def test_untracked_kpis_keep_their_handoff():
    tracked = Kpi("List size", Area.MARKETING, "people", Decimal(2000), Decimal(1500), SRC)
    untracked = Kpi("Charters per month", Area.SALES, "charters", Decimal(6), None, SRC)
    handoff = project(kpis=[tracked, untracked])
    (item,) = priorities.untracked_kpis([handoff])
    assert (item.kpi.name, item.project) == ("Charters per month", handoff)


def test_the_30_day_plan_includes_day_30_and_puts_overdue_first():
    actions = [
        act("day 31", "2026-04-15", "critical"),  # 31 days ahead: left out
        act("day 30", "2026-04-14", "critical"),  # exactly 30 days ahead: in
        act("soon", "2026-03-20", "critical"),
        act("overdue high", "2026-03-10", "high"),  # 5 days late
        act("overdue older", "2026-03-01", "high"),  # 14 days late
    ]
    plan = priorities.action_plan([project(actions=actions)], today=TODAY)
    # THEN overdue first (same priority: earlier due first), then critical by due date
    assert [item.action.title for item in plan] == ["overdue older", "overdue high", "soon", "day 30"]
    assert [item.days_left for item in plan] == [-14, -5, 5, 30]
    assert [item.overdue for item in plan] == [True, True, False, False]


def test_actions_owned_by_a_role_have_no_horizon():
    actions = [
        act("far", "2026-09-01", "low", "cto"),
        act("late", "2026-03-01", "medium", "cto"),
        act("ceo's", "2026-03-20", "critical", "ceo"),
        act("next", "2026-03-30", "critical", "cto"),
    ]
    owned = priorities.actions_owned_by([project(actions=actions)], OwnerRole.CTO, today=TODAY)
    # THEN all three CTO actions, the overdue one first, then by priority; the CEO's is not there
    assert [item.action.title for item in owned] == ["late", "next", "far"]
    assert owned[-1].days_left == 170  # 2026-03-15 -> 2026-09-01


def test_milestones_fall_into_30_60_90_day_horizons():
    milestones = [
        stone("late", "2026-03-05", status="missed"),  # 10 days late, still open: first horizon
        stone("day 30", "2026-04-14", status="in_progress"),
        stone("day 31", "2026-04-15", area="sales"),  # sales counts for the CMO
        stone("day 90", "2026-06-13"),
        stone("day 91", "2026-06-14"),  # beyond 90 days: left out
        stone("finished", "2026-03-20", status="done"),  # done: left out
        stone("finance", "2026-03-20", area="finance"),  # another area: left out
    ]
    horizons = priorities.milestones_by_horizon(
        [project(milestones=milestones)], today=TODAY, areas={Area.MARKETING, Area.SALES}
    )
    found = {h.days: [(m.milestone.title, m.days_left) for m in h.milestones] for h in horizons}
    assert found == {30: [("late", -10), ("day 30", 30)], 60: [("day 31", 31)], 90: [("day 90", 90)]}
