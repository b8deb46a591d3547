"""Agency brief for one agency: the client billing audit — unbilled work, billing-model gaps, overdue."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ..analysis import agency
from ..analysis.provenance import Provenance, at
from ..formatting import money
from ..history import Metric
from ..model import Entity, KnowledgeBase
from ..vocabulary import BillingModel
from . import rows
from .rows import Bar, Phrase, Tile

ZERO = Decimal(0)
RATE_UNIT = {BillingModel.RETAINER: "/mo", BillingModel.HOURLY: "/h", BillingModel.FIXED: " fixed"}


@dataclass(frozen=True)
class ClientRow:
    """One client's billing model and rate, and what its finished work came to."""

    client: str
    model: BillingModel | str  # "" on the total row
    rate: Phrase  # "$500/mo", "$120/h", "$2,000 fixed", "none"; "" on the total row
    billed: Decimal
    paid: Decimal
    overdue: Decimal
    unbilled: Decimal


@dataclass(frozen=True)
class AgencyBrief:
    """Everything the billing audit shows, in reading order; empty sections say why."""

    headline: str
    key_figures: tuple[Tile, ...]
    actions: tuple[str, ...]
    provenance: dict[str, Provenance]  # each followed figure: its work items or clients, and cut-off
    entity_file: str
    has_clients: bool
    has_work: bool  # any finished work recorded at all
    unbilled: tuple[agency.UnbilledWork, ...]
    unbilled_by_client: tuple[Bar, ...]
    gaps: tuple[agency.BillingGap, ...]
    overdue: tuple[agency.OverdueInvoice, ...]
    clients: tuple[ClientRow, ...]
    client_total: ClientRow | None  # with more than one client


def build(kb: KnowledgeBase, *, today: date, entity: Entity, sent: date | None = None) -> AgencyBrief:
    """Return the agency owner's billing audit for `entity`: the work done by `today` (as_of), with
    ages and "overdue" counted from `sent` (the send)."""
    done = replace(entity, work_items=tuple(i for i in entity.work_items if i.completed <= today))
    unbilled = agency.unbilled_work(done, today=sent or today)
    gaps = agency.billing_model_gaps(done, today=sent or today)
    overdue = agency.overdue_invoices(done, today=sent or today)
    clients = agency.client_totals(done, today=sent or today)
    return AgencyBrief(
        headline=_headline(unbilled, overdue, gaps),
        key_figures=_key_figures(unbilled, overdue, gaps),
        actions=_actions(unbilled, gaps, overdue),
        provenance=_provenance(entity, unbilled, overdue, gaps, today),
        entity_file=entity.source.file,
        has_clients=bool(entity.clients),
        has_work=any(item.completed <= today for item in entity.work_items),
        unbilled=unbilled,
        unbilled_by_client=_by_client(unbilled),
        gaps=gaps,
        overdue=overdue,
        clients=tuple(_client_row(c) for c in clients),
        client_total=_client_total(clients) if len(clients) > 1 else None,
    )


def metrics(brief: AgencyBrief) -> dict[str, Metric]:
    """Return the billing figures followed from one report to the next."""
    return {
        "unbilled": Metric("Unbilled work", _total(u.amount for u in brief.unbilled), "money"),
        "overdue": Metric("Overdue", _total(o.amount for o in brief.overdue), "money"),
        "gaps": Metric("Billing-model gaps", Decimal(len(brief.gaps)), "count"),
    }


def _provenance(entity: Entity, unbilled, overdue, gaps, today: date) -> dict[str, Provenance]:
    """Where each figure comes from: the work items and clients of the entity file."""
    none = f"{entity.source.file} (none)"
    return {
        "unbilled": at([u.source for u in unbilled], today, fallback=none),
        "overdue": at([o.source for o in overdue], today, fallback=none),
        "gaps": at([g.source for g in gaps], today, fallback=none),
    }


def _total(amounts) -> Decimal:
    return sum(amounts, ZERO)


def _count(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _headline(unbilled, overdue, gaps) -> str:
    parts = [f"{money(_total(u.amount for u in unbilled))} of finished work unbilled"]
    parts.append(f"{money(_total(o.amount for o in overdue))} overdue")
    if gaps:
        parts.append(f"{_count(len(gaps), 'client')} that cannot be billed")
    return ", ".join(parts)


def _key_figures(unbilled, overdue, gaps) -> tuple[Tile, ...]:
    oldest = (", oldest ", unbilled[0].age_days, " days") if unbilled else ""
    latest = (", up to ", overdue[0].days_overdue, " days late") if overdue else ""
    gap_work = _total(g.work_amount for g in gaps)
    return (
        Tile(
            "Unbilled work",
            rows.money(_total(u.amount for u in unbilled)),
            (rows.plural(len(unbilled), "item"), oldest),
        ),
        Tile(
            "Overdue",
            rows.money(_total(o.amount for o in overdue)),
            (rows.plural(len(overdue), "invoice"), latest),
        ),
        Tile("Billing-model gaps", len(gaps), ("clients holding ", rows.money(gap_work), " of work")),
    )


def _actions(unbilled, gaps, overdue) -> tuple[str, ...]:
    stuck = {gap.client for gap in gaps}
    actions = [
        f"{_settle(g)} and invoice its {money(g.work_amount)} of finished work"
        f" ({_count(g.work_items, 'item')})."
        for g in gaps
        if g.work_items
    ]
    actions += [
        f"Invoice {u.client}: {u.title}, {money(u.amount)}, done {u.age_days} days ago."
        for u in unbilled
        if u.client not in stuck
    ]
    actions += [
        f"Chase {o.client}: {o.title}, {money(o.amount)}, due {o.due}, {o.days_overdue} days overdue."
        for o in overdue
    ]
    return tuple(actions) or ("Nothing needs action: all finished work is billed and nothing is overdue.",)


def _settle(gap: agency.BillingGap) -> str:
    if gap.billing_model is BillingModel.NONE:
        return f"Agree a billing model with {gap.client}"
    return f"Set the {gap.billing_model.value} rate of {gap.client}"


def _by_client(unbilled) -> tuple[Bar, ...]:
    totals: dict[str, Decimal] = {}
    for work in unbilled:
        totals[work.client] = totals.get(work.client, ZERO) + work.amount
    return tuple(Bar(*item) for item in sorted(totals.items(), key=lambda item: (-item[1], item[0])))


def _client_row(c: agency.ClientTotals) -> ClientRow:
    rate = (rows.money(c.rate), RATE_UNIT.get(c.billing_model, "")) if c.rate is not None else "none"
    return ClientRow(c.client, c.billing_model, rate, c.billed, c.paid, c.overdue, c.unbilled)


def _client_total(clients) -> ClientRow:
    sums = [_total(getattr(c, name) for c in clients) for name in ("billed", "paid", "overdue", "unbilled")]
    return ClientRow("Total", "", "", *sums)
