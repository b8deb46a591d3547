"""The asset inventory across entities: counts and monthly cost by entity and type, running assets only."""

from __future__ import annotations

from decimal import Decimal

from reports.analysis.inventory import asset_inventory, cost_lines, running
from reports.model import Asset, Source
from reports.vocabulary import AssetStatus, AssetType, Service

D = Decimal


def asset(entity, kind, service, name, cost, status="active", owner="cto@example.com", line=2) -> Asset:
    return Asset(
        entity, AssetType(kind), Service(service), name, name.lower(), D(cost), AssetStatus(status), owner,
        Source("assets.csv", line),
    )  # fmt: skip


ASSETS = [
    asset("alpha", "vessel", "vessel", "Yacht", "900.00", line=2),
    asset("alpha", "cloud", "lambda", "API", "4.00", line=3),
    asset("alpha", "cloud", "s3", "Photos", "0.50", status="idle", line=4),  # idle: still paid for
    asset("alpha", "cloud", "ec2", "Old server", "20.00", status="retired", line=5),  # costs nothing now
    asset("beta", "subscription", "saas", "Design tool", "15.00", owner=None, line=6),
    asset("beta", "cloud", "dynamodb", "Table", "2.00", status="planned", line=7),  # not yet bought
]


def test_running_keeps_active_and_idle_assets_only():
    # GIVEN one asset of each status, WHEN the running ones are picked
    names = [a.name for a in running(ASSETS)]
    # THEN retired and planned assets are left out: they cost nothing this month
    assert names == ["Yacht", "API", "Photos", "Design tool"]


def test_inventory_counts_and_costs_by_entity_and_type():
    # GIVEN the assets above, WHEN the inventory is taken
    inventory = asset_inventory(ASSETS)
    # THEN 4 running assets cost 900 + 4 + 0.50 + 15 = 919.50 a month
    assert (inventory.count, inventory.monthly) == (4, D("919.50"))
    # by entity, most expensive first: alpha 900 + 4 + 0.50 = 904.50 (3), beta 15 (1)
    assert [(line.name, line.count, line.monthly) for line in inventory.by_entity] == [
        ("alpha", 3, D("904.50")),
        ("beta", 1, D("15.00")),
    ]
    # by type: vessel 900, subscription 15, cloud 4 + 0.50 = 4.50 (2)
    assert [(line.name, line.count, line.monthly) for line in inventory.by_type] == [
        ("vessel", 1, D("900.00")),
        ("subscription", 1, D("15.00")),
        ("cloud", 2, D("4.50")),
    ]
    # by entity and type, entities in the same order
    assert [(entity, line.name, line.monthly) for entity, line in inventory.by_entity_and_type] == [
        ("alpha", "vessel", D("900.00")),
        ("alpha", "cloud", D("4.50")),
        ("beta", "subscription", D("15.00")),
    ]


def test_every_cost_line_keeps_the_rows_it_came_from_and_unowned_assets_are_named():
    inventory = asset_inventory(ASSETS)
    alpha = inventory.by_entity[0]
    # THEN alpha's line cites assets.csv lines 2, 3 and 4 (not the retired line 5)
    assert [str(source) for source in alpha.sources] == ["assets.csv:2", "assets.csv:3", "assets.csv:4"]
    # AND the design tool, with no owner, is the one asset nobody answers for
    assert [a.name for a in inventory.unowned] == ["Design tool"]


def test_an_empty_inventory_is_zero_assets_not_an_error():
    inventory = asset_inventory([])
    assert (inventory.count, inventory.monthly, inventory.by_entity) == (0, D(0), ())
    assert cost_lines([], lambda a: a.entity) == ()
