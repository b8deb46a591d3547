"""The visibility matrix, the OTA sequence, list sizes and opportunities, on two hand-made entities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reports.analysis import marketing
from reports.model import Channel, Entity, Opportunity, Project, Source
from reports.vocabulary import ChannelKind, ChannelStatus, EntityKind, ProjectStatus

SRC = Source("entities/x.md", 1)


def channel(name, kind, status, list_size=None, sequence=None, line=1) -> Channel:
    return Channel(
        name,
        ChannelKind(kind),
        ChannelStatus(status),
        list_size,
        sequence,
        None,
        Source("entities/x.md", line),
    )


def entity(entity_id: str, name: str, *channels: Channel) -> Entity:
    return Entity(
        entity_id, name, EntityKind.SERVICES, "o@example.com", (), channels, None, (), (), (), (), "", SRC
    )


ALPHA = entity(
    "alpha",
    "Alpha Charters",
    channel("Website", "website", "live"),
    channel("Newsletter", "email", "paused", list_size=1200, line=2),
    channel("Sailo", "ota", "planned", sequence=1),
    channel("Viator", "ota", "planned", sequence=3),
    channel("GetMyBoat", "ota", "live", sequence=2),
)
BETA = entity(
    "beta",
    "Beta Boats",
    channel("Website", "website", "draft"),
    channel("Customer list", "email", "live", list_size=300),
    channel("Followers", "social", "live", list_size=5000),  # a list size, but not an email list
    channel("Yelp", "search", "paused"),
    channel("Sailo", "ota", "live", sequence=1),
)


def test_matrix_shows_the_most_visible_status_per_entity_and_channel_kind():
    # GIVEN the two entities, listed out of name order
    matrix = marketing.visibility_matrix([BETA, ALPHA])
    # THEN only the kinds in use, in vocabulary order; entities by name
    assert [k.value for k in matrix.kinds] == ["website", "email", "social", "ota", "search"]
    statuses = [[c.status.value if c.status else "" for c in row.cells] for row in matrix.rows]
    # Alpha's OTAs are planned, live, planned: the cell says live
    assert [row.entity.name for row in matrix.rows] == ["Alpha Charters", "Beta Boats"]
    assert statuses == [["live", "paused", "", "live", ""], ["draft", "live", "live", "live", "paused"]]
    # live: Alpha website + GetMyBoat = 2; Beta list + followers + Sailo = 3; of 5 + 5 channels
    assert (matrix.live, matrix.total) == (5, 10)
    assert matrix.rows[0].cells[3].channels == ("Sailo", "Viator", "GetMyBoat")


def test_channels_not_live_are_listed_closest_to_live_first():
    matrix = marketing.visibility_matrix([ALPHA, BETA])
    # THEN draft before planned before paused, entities by name within a status
    assert [(e.name, c.name) for e, c in matrix.not_live] == [
        ("Beta Boats", "Website"),
        ("Alpha Charters", "Sailo"),
        ("Alpha Charters", "Viator"),
        ("Alpha Charters", "Newsletter"),
        ("Beta Boats", "Yelp"),
    ]


def test_ota_sequence_orders_distinct_agencies_and_says_where_each_is_live():
    steps = marketing.ota_sequence([ALPHA, BETA])
    # THEN Sailo (1) -> GetMyBoat (2) -> Viator (3), each named once though two entities plan Sailo
    assert [(s.sequence, s.name) for s in steps] == [(1, "Sailo"), (2, "GetMyBoat"), (3, "Viator")]
    assert (steps[0].entities, steps[0].live_on) == (("Alpha Charters", "Beta Boats"), ("Beta Boats",))
    assert steps[2].live_on == ()
    assert len(steps[0].sources) == 2


def test_list_sizes_count_email_lists_only_with_the_total():
    sizes = marketing.list_sizes([ALPHA, BETA])
    # THEN 1,200 + 300 = 1,500: the 5,000 social followers are not an email list
    assert sizes.total == 1500
    assert [(m.entity, m.channel, m.size) for m in sizes.lists] == [
        ("Alpha Charters", "Newsletter", 1200),
        ("Beta Boats", "Customer list", 300),
    ]
    assert str(sizes.lists[0].source) == "entities/x.md:2"
    assert marketing.list_sizes([]).total == 0


def test_opportunities_largest_upside_first():
    def chance(title, low, high):
        return Opportunity(title, "alpha", "Newsletter", Decimal(low), Decimal(high), SRC)

    handoff = Project(
        "m", "portfolio", "M", ProjectStatus.ACTIVE, "o@example.com", date(2026, 3, 1), (), (), (), (),
        (chance("small", 1000, 2000), chance("big", 5000, 20000)), "", SRC,
    )  # fmt: skip
    assert [o.title for o in marketing.opportunities([handoff])] == ["big", "small"]
