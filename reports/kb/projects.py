"""Read `projects/*.md`: handoff documents with their shortfalls, KPIs, actions and milestones."""

from __future__ import annotations

from decimal import Decimal

from ..model import Action, Kpi, Milestone, Opportunity, Project, Shortfall
from ..vocabulary import Area, MilestoneStatus, OwnerRole, ProjectStatus, Severity
from .fields import Fields
from .frontmatter import Document
from .problems import Problem, stem

ZERO = Decimal(0)


def read_project(file: str, document: Document, problems: list[Problem]) -> Project | None:
    """Return the handoff described by one file, or None when its header is unusable."""
    fields = Fields(document.data, file=file, line_of=document.lines.line, problems=problems)
    entity, title = fields.text("entity"), fields.text("title")
    status = fields.choice("status", ProjectStatus)
    owner, updated = fields.email("owner"), fields.date("updated")
    project = Project(
        id=stem(file),
        entity=entity,
        title=title,
        status=status or ProjectStatus.ACTIVE,
        owner=owner,
        updated=updated,
        shortfalls=fields.each("shortfall", _shortfall),
        kpis=fields.each("kpi", _kpi),
        actions=fields.each("action", _action),
        milestones=fields.each("milestone", _milestone),
        opportunities=fields.each("opportunity", _opportunity),
        notes=document.body,
        source=fields.source(),
    )
    fields.finish()
    return project if entity and title and status and updated else None


def _shortfall(fields: Fields) -> Shortfall | None:
    title, severity = fields.text("title"), fields.choice("severity", Severity)
    area, detail = fields.choice("area", Area), fields.text("detail", required=False)
    return fields.done(Shortfall(title, severity, area, detail, fields.source()))


def _kpi(fields: Fields) -> Kpi | None:
    name, area = fields.text("name"), fields.choice("area", Area)
    unit = fields.text("unit", required=False)
    target, current = fields.decimal("target", required=False), fields.decimal("current", required=False)
    return fields.done(Kpi(name, area, unit, target, current, fields.source()))


def _action(fields: Fields) -> Action | None:
    title, area = fields.text("title"), fields.choice("area", Area)
    owner_role, due = fields.choice("owner_role", OwnerRole), fields.date("due")
    priority = fields.choice("priority", Severity)
    return fields.done(Action(title, area, owner_role, due, priority, fields.source()))


def _milestone(fields: Fields) -> Milestone | None:
    title, area, due = fields.text("title"), fields.choice("area", Area), fields.date("due")
    target = fields.text("target")
    status = fields.choice("status", MilestoneStatus)
    return fields.done(Milestone(title, area, due, target, status, fields.source()))


def _opportunity(fields: Fields) -> Opportunity | None:
    title, entity, channel = fields.text("title"), fields.text("entity"), fields.text("channel")
    low, high = fields.decimal("low", minimum=ZERO), fields.decimal("high", minimum=ZERO)
    if low is not None and high is not None and high < low:
        fields.problem(f"'high' ({high}) is below 'low' ({low})", "high")
    return fields.done(Opportunity(title, entity, channel, low, high, fields.source()))
