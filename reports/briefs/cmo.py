"""CMO brief: the visibility matrix, the OTA listing sequence, list sizes, the opportunities and
the 30/60/90-day milestones."""

from __future__ import annotations

from datetime import date

from ..analysis import marketing, priorities
from ..formatting import money, number
from ..history import Metric
from ..model import Entity, KnowledgeBase
from ..vocabulary import Area
from .layout import Bars, Brief, Missing, Section, Table, Tile

ENTITIES, HANDOFFS = "entities/*.md (channels)", "projects/*.md (handoffs)"


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> Brief:
    """Return the CMO's brief as of `today`."""
    matrix = marketing.visibility_matrix(kb.entities)
    otas = marketing.ota_sequence(kb.entities)
    lists = marketing.lists(kb.entities)
    reach = sum(channel.list_size for _entity, channel in lists)
    chances = marketing.opportunities(kb.projects)
    horizons = priorities.milestones_by_horizon(kb.projects, today=today, areas={Area.MARKETING, Area.SALES})
    sequence = " -> ".join(channel.name for channel in otas) or "none planned"
    return Brief(
        headline=f"{number(reach)} people on the lists, {matrix.live} of {matrix.total} channels live",
        tiles=(
            Tile("People on lists", number(reach), f"{len(lists)} lists"),
            Tile("Channels live", f"{matrix.live}/{matrix.total}", "across the entities"),
            Tile("OTA sequence", sequence, "list in this order"),
        ),
        to_do=tuple(
            [f"List on {otas[0].name} first, then {', '.join(c.name for c in otas[1:])}." if otas else ""]
            + [f"{o.title}: {money(o.low)}-{money(o.high)} potential." for o, _p in chances[:2]]
        ),
        sections=(
            _matrix_section(matrix),
            _ota_section(otas),
            _lists_section(lists, reach),
            _opportunity_section(chances),
            _milestones_section(horizons),
        ),
        figures={"reach": reach, "live": matrix.live},
    )


def metrics(brief: Brief) -> dict[str, Metric]:
    """Return the CMO figures followed from one report to the next."""
    return {
        "reach": Metric("People on lists", brief.figures["reach"], "count"),
        "live": Metric("Channels live", brief.figures["live"], "count"),
    }


def _matrix_section(matrix) -> Section:
    if not matrix.rows:
        return Section("Visibility matrix", ENTITIES, (Missing("no channels recorded"),))
    rows = tuple((row.entity.name, *(cell or "-" for cell in row.cells)) for row in matrix.rows)
    table = Table(("Entity", *(kind.value for kind in matrix.kinds)), rows)
    return Section("Visibility matrix: entity x channel", ENTITIES, (table,))


def _ota_section(otas) -> Section:
    if not otas:
        return Section("OTA listing sequence", ENTITIES, (Missing("no OTA channels with a sequence"),))
    rows = tuple((str(c.sequence), c.name, c.status.value) for c in otas)
    return Section("OTA listing sequence", ENTITIES, (Table(("Order", "OTA", "Status"), rows),))


def _lists_section(lists, reach: int) -> Section:
    if not lists:
        return Section("List sizes", ENTITIES, (Missing("no list sizes recorded"),))
    chart = Bars(tuple((f"{e.name}: {c.name}", c.list_size) for e, c in lists), value_format="count")
    return Section(f"List sizes ({number(reach)} in all)", ENTITIES, (chart,))


def _opportunity_section(chances) -> Section:
    if not chances:
        return Section("Opportunities", HANDOFFS, (Missing("no opportunities written down"),))
    rows = tuple((o.title, o.entity, o.channel, f"{money(o.low)}-{money(o.high)}") for o, _p in chances)
    return Section(
        "Opportunities", HANDOFFS, (Table(("Opportunity", "Entity", "Channel", "Potential"), rows),)
    )


def _milestones_section(horizons) -> Section:
    rows = tuple(
        (f"{h.days} days", str(m.due), m.title, m.target, m.status.value)
        for h in horizons
        for m, _p in h.milestones
    )
    if not rows:
        return Section(
            "30/60/90-day milestones", HANDOFFS, (Missing("no marketing milestones in the next 90 days"),)
        )
    return Section(
        "30/60/90-day milestones", HANDOFFS, (Table(("By", "Due", "Milestone", "Target", "Status"), rows),)
    )
