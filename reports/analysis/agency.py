"""An agency's client billing audit: work done but never billed, clients with no way to be billed,
invoices past due, and the totals per client.

Only work completed on or before `today` counts; each result keeps its `Source`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Client, Entity, Source, WorkItem
from ..vocabulary import BillingModel

ZERO = Decimal(0)


def _done(entity: Entity, today: date) -> list[WorkItem]:
    return [item for item in entity.work_items if item.completed <= today]


def _names(entity: Entity) -> dict[str, str]:
    return {client.id: client.name for client in entity.clients}


@dataclass(frozen=True)
class UnbilledWork:
    """A finished piece of work nobody has invoiced, and how long it has waited."""

    client: str  # the client's name
    title: str
    completed: date
    amount: Decimal
    age_days: int
    source: Source


def unbilled_work(entity: Entity, *, today: date) -> tuple[UnbilledWork, ...]:
    """Return completed work not yet billed, the longest waiting first."""
    names = _names(entity)
    found = [
        UnbilledWork(
            names.get(i.client, i.client),
            i.title,
            i.completed,
            i.amount,
            (today - i.completed).days,
            i.source,
        )
        for i in _done(entity, today)
        if not i.billed
    ]
    return tuple(sorted(found, key=lambda work: (-work.age_days, work.title)))


@dataclass(frozen=True)
class BillingGap:
    """A client that cannot be billed as things stand: no billing model, or work but no rate."""

    client: str  # the client's name
    billing_model: BillingModel
    reason: str
    work_items: int  # finished pieces of work for the client
    work_amount: Decimal  # what they are worth
    source: Source


def billing_model_gaps(entity: Entity, *, today: date) -> tuple[BillingGap, ...]:
    """Return the clients whose billing model is `none`, or who have work but no rate, most work first."""
    done = _done(entity, today)
    gaps = []
    for client in entity.clients:
        work = [item for item in done if item.client == client.id]
        reason = _gap(client, has_work=bool(work))
        if reason:
            amount = sum((item.amount for item in work), ZERO)
            gaps.append(
                BillingGap(client.name, client.billing_model, reason, len(work), amount, client.source)
            )
    return tuple(sorted(gaps, key=lambda gap: (-gap.work_amount, gap.client)))


def _gap(client: Client, *, has_work: bool) -> str | None:
    if client.billing_model is BillingModel.NONE:
        return "no billing model agreed"
    if has_work and client.rate is None:
        return f"{client.billing_model.value} client with no rate"
    return None


@dataclass(frozen=True)
class OverdueInvoice:
    """A billed, unpaid piece of work whose payment date has passed."""

    client: str  # the client's name
    title: str
    due: date
    amount: Decimal
    days_overdue: int
    source: Source


def overdue_invoices(entity: Entity, *, today: date) -> tuple[OverdueInvoice, ...]:
    """Return billed, unpaid work due before `today`, the most overdue first."""
    names = _names(entity)
    found = [
        OverdueInvoice(
            names.get(i.client, i.client), i.title, i.due, i.amount, (today - i.due).days, i.source
        )
        for i in _done(entity, today)
        if i.billed and not i.paid and i.due and i.due < today
    ]
    return tuple(sorted(found, key=lambda invoice: (-invoice.days_overdue, invoice.title)))


@dataclass(frozen=True)
class ClientTotals:
    """One client's billing position: agreed terms, and what is billed, paid, owed and never billed."""

    client: str  # the client's name
    billing_model: BillingModel
    rate: Decimal | None
    billed: Decimal
    paid: Decimal
    overdue: Decimal
    unbilled: Decimal
    source: Source

    @property
    def outstanding(self) -> Decimal:
        """Return what is billed and not yet paid, overdue or not."""
        return self.billed - self.paid


def client_totals(entity: Entity, *, today: date) -> tuple[ClientTotals, ...]:
    """Return each client's billed, paid, overdue and unbilled totals, in the entity file's order."""
    done = _done(entity, today)
    return tuple(
        _totals(client, [i for i in done if i.client == client.id], today) for client in entity.clients
    )


def _totals(client: Client, work: list[WorkItem], today: date) -> ClientTotals:
    def total(items) -> Decimal:
        return sum((item.amount for item in items), ZERO)

    billed = [item for item in work if item.billed]
    return ClientTotals(
        client=client.name,
        billing_model=client.billing_model,
        rate=client.rate,
        billed=total(billed),
        paid=total(item for item in billed if item.paid),
        overdue=total(item for item in billed if not item.paid and item.due and item.due < today),
        unbilled=total(item for item in work if not item.billed),
        source=client.source,
    )
