"""Agency brief for one agency: the client billing audit — unbilled work, billing-model gaps, overdue."""

from __future__ import annotations

from datetime import date

from ..analysis import domain
from ..analysis.finance import ZERO
from ..formatting import money
from ..history import Metric
from ..model import Entity, KnowledgeBase
from .layout import Bars, Brief, Missing, Note, Section, Table, Tile


def build(kb: KnowledgeBase, *, today: date, entity: Entity) -> Brief:
    """Return the agency owner's billing audit for `entity` as of `today`."""
    source = f"entities/{entity.id}.md"
    audit = domain.billing_audit(entity, today=today)
    unbilled = sum((u.item.amount for u in audit.unbilled), ZERO)
    overdue = sum((o.item.amount for o in audit.overdue), ZERO)
    return Brief(
        headline=f"{money(unbilled)} unbilled, {money(overdue)} overdue",
        tiles=(
            Tile("Unbilled work", money(unbilled), f"{len(audit.unbilled)} items done, never invoiced"),
            Tile("Overdue", money(overdue), f"{len(audit.overdue)} invoices past due"),
            Tile("Billing-model gaps", str(len(audit.model_gaps)), "clients with no agreed model"),
        ),
        to_do=tuple(
            f"Invoice {u.item.title} ({money(u.item.amount)}, done {u.age_days} days ago)."
            for u in audit.unbilled[:3]
        )
        + tuple(f"Chase {o.item.title}: {o.days_overdue} days overdue." for o in audit.overdue[:2]),
        sections=(
            _unbilled_section(audit, source),
            _overdue_section(audit, source),
            _clients_section(audit, source),
        ),
        figures={"unbilled": unbilled, "overdue": overdue},
    )


def metrics(brief: Brief) -> dict[str, Metric]:
    """Return the billing figures followed from one report to the next."""
    return {
        "unbilled": Metric("Unbilled work", brief.figures["unbilled"], "money"),
        "overdue": Metric("Overdue", brief.figures["overdue"], "money"),
    }


def _unbilled_section(audit, source: str) -> Section:
    if not audit.unbilled:
        return Section("Unbilled work", source, (Note("All completed work has been invoiced.", "good"),))
    rows = tuple(
        (u.item.client, u.item.title, str(u.item.completed), str(u.age_days), money(u.item.amount))
        for u in audit.unbilled
    )
    return Section(
        "Unbilled work", source, (Table(("Client", "Work", "Done", "Days", "Amount"), rows, right=(3, 4)),)
    )


def _overdue_section(audit, source: str) -> Section:
    if not audit.overdue:
        return Section("Overdue invoices", source, (Note("Nothing is overdue.", "good"),))
    rows = tuple(
        (o.item.client, o.item.title, str(o.item.due), str(o.days_overdue), money(o.item.amount))
        for o in audit.overdue
    )
    return Section(
        "Overdue invoices",
        source,
        (Table(("Client", "Invoice", "Due", "Days late", "Amount"), rows, right=(3, 4)),),
    )


def _clients_section(audit, source: str) -> Section:
    if not audit.clients:
        return Section("Clients", source, (Missing("no clients recorded"),))
    gaps = {client.id for client in audit.model_gaps}
    rows = tuple(
        (
            t.client.name,
            t.client.billing_model.value + (" (GAP)" if t.client.id in gaps else ""),
            money(t.client.rate) if t.client.rate is not None else "no rate",
            money(t.billed),
            money(t.unbilled),
            money(t.overdue),
        )
        for t in audit.clients
    )
    chart = Bars(tuple((t.client.name, t.unbilled) for t in audit.clients if t.unbilled))
    table = Table(
        ("Client", "Billing model", "Rate", "Billed", "Unbilled", "Overdue"), rows, right=(2, 3, 4, 5)
    )
    return Section("Clients: billing models and totals", source, (table, chart) if chart.rows else (table,))
