"""Read `entities/*.md`: one business per file, with the data its kind of report needs."""

from __future__ import annotations

from decimal import Decimal

from ..model import (
    SHARED_ENTITY,
    Channel,
    Client,
    DeliveryJob,
    Entity,
    RentalUnit,
    UnitEconomics,
    WorkItem,
)
from ..vocabulary import BillingModel, ChannelKind, ChannelStatus, EntityKind, JobStatus, UnitStatus
from .fields import Fields
from .frontmatter import Document
from .problems import Problem, stem

ZERO = Decimal(0)
# Tables only one kind of entity may carry: a rent roll on a charter vessel is a mistake.
KIND_TABLES = {
    "unit": EntityKind.RENTAL,
    "job": EntityKind.DELIVERY,
    "client": EntityKind.AGENCY,
    "work_item": EntityKind.AGENCY,
}


def read_entity(file: str, document: Document, problems: list[Problem]) -> Entity | None:
    """Return the entity described by one file, or None when its identity is unusable."""
    fields = Fields(document.data, file=file, line_of=document.lines.line, problems=problems)
    entity_id, name = fields.text("id"), fields.text("name")
    kind = fields.choice("kind", EntityKind)
    if entity_id == SHARED_ENTITY:
        fields.problem(f"'{SHARED_ENTITY}' is reserved for costs shared by the whole portfolio", "id")
    elif entity_id and entity_id != stem(file):
        fields.problem(f"id '{entity_id}' must match the file name ({stem(file)}.md)", "id")
    owner = fields.email("owner")
    economics = fields.table("unit_economics", required=kind is EntityKind.CHARTER)
    for key, owning_kind in KIND_TABLES.items():
        if key in document.data and kind and kind is not owning_kind:
            fields.problem(f"[[{key}]] tables belong to {owning_kind} entities, not {kind}", key)
    entity = Entity(
        id=entity_id,
        name=name,
        kind=kind or EntityKind.SERVICES,
        owner=owner,
        domains=fields.texts("domains"),
        channels=fields.each("channel", _channel),
        unit_economics=_unit_economics(economics) if economics else None,
        units=fields.each("unit", _unit),
        jobs=fields.each("job", _job),
        clients=fields.each("client", _client),
        work_items=fields.each("work_item", _work_item),
        notes=document.body,
        source=fields.source(),
    )
    fields.finish()
    return entity if entity_id == stem(file) and name and kind else None


def _unit_economics(fields: Fields) -> UnitEconomics | None:
    unit = fields.text("unit")
    price = fields.decimal("average_price", minimum=ZERO)
    cost = fields.decimal("variable_cost", minimum=ZERO)
    return fields.done(UnitEconomics(unit, price or ZERO, cost or ZERO, fields.source()))


def _channel(fields: Fields) -> Channel | None:
    name, kind = fields.text("name"), fields.choice("kind", ChannelKind)
    status = fields.choice("status", ChannelStatus)
    list_size, sequence = fields.integer("list_size"), fields.integer("sequence", minimum=1)
    url = fields.text("url", required=False) or None
    return fields.done(Channel(name, kind, status, list_size, sequence, url, fields.source()))


def _unit(fields: Fields) -> RentalUnit | None:
    unit_id, name = fields.text("id"), fields.text("name")
    rent = fields.decimal("monthly_rent", minimum=ZERO)
    status = fields.choice("status", UnitStatus)
    lease_end = fields.date("lease_end", required=False)
    return fields.done(RentalUnit(unit_id, name, rent or ZERO, status, lease_end, fields.source()))


def _job(fields: Fields) -> DeliveryJob | None:
    job_id, when, client = fields.text("id"), fields.date("date"), fields.text("client")
    route = fields.text("route", required=False)
    revenue = fields.decimal("revenue", minimum=ZERO)
    costs = fields.decimal("costs", minimum=ZERO)
    status = fields.choice("status", JobStatus)
    job = DeliveryJob(job_id, when, client, route, revenue or ZERO, costs or ZERO, status, fields.source())
    return fields.done(job)


def _client(fields: Fields) -> Client | None:
    client_id, name = fields.text("id"), fields.text("name")
    model = fields.choice("billing_model", BillingModel)
    rate = fields.decimal("rate", required=model not in (BillingModel.NONE, None), minimum=ZERO)
    return fields.done(Client(client_id, name, model, rate, fields.source()))


def _work_item(fields: Fields) -> WorkItem | None:
    client, title = fields.text("client"), fields.text("title")
    completed = fields.date("completed")
    amount = fields.decimal("amount", minimum=ZERO)
    billed, paid = fields.boolean("billed"), fields.boolean("paid")
    due = fields.date("due", required=billed)
    if paid and not billed:
        fields.problem("a work item cannot be paid without being billed", "paid")
    item = WorkItem(client, title, completed, amount or ZERO, billed, due, paid, fields.source())
    return fields.done(item)
