"""The loader turns the small fixture portfolio into the model; every figure is checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reports import kb
from reports.model import Source
from reports.vocabulary import BillingModel, ChannelKind, EntityKind, RuleKind, Severity, UnitStatus


def load_fixture(fixture_dir) -> kb.KnowledgeBase:
    loaded = kb.load(str(fixture_dir))
    assert loaded.problems == ()
    return loaded.base


def test_portfolio_settings_are_typed(fixture_dir):
    portfolio = load_fixture(fixture_dir).portfolio

    assert portfolio.name == "Fixture portfolio"
    assert portfolio.as_of == date(2026, 3, 15)
    assert portfolio.cash_on_hand == Decimal("10000.50")  # a TOML float, read exactly
    # written February first; loaded in month order
    assert [(t.month, t.amount) for t in portfolio.revenue_targets] == [
        (date(2026, 1, 1), Decimal(1000)),
        (date(2026, 2, 1), Decimal("1500.50")),
    ]
    assert portfolio.revenue_targets[0].source == Source("portfolio.toml", 9)


def test_financial_rules_are_structured(fixture_dir):
    cap, software = load_fixture(fixture_dir).portfolio.rules

    assert (cap.kind, cap.limit, cap.account) == (RuleKind.MAX_SINGLE_EXPENSE, Decimal(500), None)
    assert (software.kind, software.limit, software.account) == (RuleKind.MAX_ACCOUNT_MONTHLY, 50, "6300")
    assert software.source == Source("portfolio.toml", 17)  # the [[rule]] header


def test_entity_carries_channels_and_unit_economics(fixture_dir):
    jada = load_fixture(fixture_dir).entity("jada")

    assert jada.kind is EntityKind.CHARTER
    assert jada.domains == ("jada.example.com",)
    assert jada.unit_economics.contribution == Decimal(750)  # 1000 price - 250 variable
    assert [c.name for c in jada.channels] == ["Website", "Newsletter", "GetMyBoat", "Sailo"]
    otas = sorted((c for c in jada.channels if c.kind is ChannelKind.OTA), key=lambda c: c.sequence)
    assert [c.name for c in otas] == ["Sailo", "GetMyBoat"]
    assert sum(c.list_size or 0 for c in jada.channels) == 120
    assert jada.channels[1].source == Source("entities/jada.md", 19)
    assert jada.notes == "# JADA\n\nA sailing yacht."


def test_rental_units_and_occupancy(fixture_dir):
    rental = load_fixture(fixture_dir).entity("rental-3028-51st")

    assert [(u.id, u.monthly_rent, u.status) for u in rental.units] == [
        ("A", Decimal(2000), UnitStatus.OCCUPIED),
        ("B", Decimal(1000), UnitStatus.VACANT),
    ]
    assert rental.units[0].lease_end == date(2027, 1, 31)
    assert rental.units[1].lease_end is None
    assert rental.notes == ""


def test_handoff_tables(fixture_dir):
    (launch,) = load_fixture(fixture_dir).projects

    assert (launch.id, launch.entity, launch.updated) == ("launch", "jada", date(2026, 3, 1))
    assert [s.severity for s in launch.shortfalls] == [Severity.CRITICAL, Severity.HIGH]
    assert launch.shortfalls[0].detail == "No charters booked\nafter March."
    assert launch.shortfalls[1].source == Source("projects/launch.md", 16)  # after a multi-line string
    assert [k.tracked for k in launch.kpis] == [False, True]  # no `current` means not tracked
    assert launch.kpis[1].current == 120
    assert launch.actions[0].due == date(2026, 3, 31)
    assert launch.milestones[0].source == Source("projects/launch.md", 41)
    assert (launch.opportunities[0].low, launch.opportunities[0].high) == (1000, 5000)
    assert launch.notes == "Notes about the launch."


def test_ledger_rows_keep_sign_and_line(fixture_dir):
    ledger = load_fixture(fixture_dir).ledger

    assert len(ledger) == 10
    # -400 + 2000 + 250 + 750 - 60 - 12.34 - 400 + 2000 - 30 - 13.66 = 4084.00
    assert sum(row.amount for row in ledger) == Decimal("4084.00")
    assert ledger[0].source == Source("ledger.csv", 2)
    # the memo of the 9th row spans lines 10-11, so the 10th row is on line 12
    assert ledger[8].memo == "Design tool,\nbilled monthly"
    assert ledger[9].source == Source("ledger.csv", 12)
    assert all(isinstance(row.amount, Decimal) for row in ledger)


def test_accounts_and_assets(fixture_dir):
    base = load_fixture(fixture_dir)

    assert base.account("6310").name == "AWS"
    assert base.account("1000").cost_behavior is None
    assert sum(a.monthly_cost for a in base.assets if a.is_aws) == Decimal("1.50")  # 0.40 + 1.10
    assert [a.owner for a in base.assets if a.owner is None] == [None]  # the design tool
    assert base.assets[-1].source == Source("assets.csv", 5)


def test_agency_clients_parse(broken_copy):
    root = broken_copy(
        "entities/jada.md",
        lambda text: text.replace('kind = "charter"', 'kind = "agency"').replace(
            "+++\n\n# JADA",
            '[[client]]\nid = "c1"\nname = "Cafe"\nbilling_model = "none"\n\n'
            '[[work_item]]\nclient = "c1"\ntitle = "Site"\ncompleted = 2026-02-01\namount = 900\n'
            "billed = true\ndue = 2026-03-01\n+++\n\n# JADA",
        ),
    )

    jada = kb.load(str(root)).base.entity("jada")

    assert jada.clients[0].billing_model is BillingModel.NONE
    assert jada.clients[0].rate is None
    item = jada.work_items[0]
    assert (item.billed, item.paid, item.due) == (True, False, date(2026, 3, 1))
