"""Infrastructure cost by service and entity, the AWS total against the invoices, the stack per entity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reports.analysis.infrastructure import aws_invoices, infrastructure_cost, stacks
from reports.model import Account, Asset, LedgerRow, Source
from reports.vocabulary import AccountType, AssetStatus, AssetType, CostBehavior, Service

D = Decimal
TODAY = date(2026, 3, 15)  # the last three full months are Dec 2025, Jan and Feb 2026


def asset(entity, kind, service, identifier, cost, status="active") -> Asset:
    return Asset(
        entity, AssetType(kind), Service(service), identifier, identifier, D(cost), AssetStatus(status),
        "cto@example.com", Source("assets.csv", 2),
    )  # fmt: skip


ASSETS = [
    asset("alpha", "cloud", "lambda", "alpha-api", "4.00"),
    asset("alpha", "cloud", "s3", "alpha-site", "1.50"),
    asset("alpha", "cloud", "s3", "alpha-photos", "0.50", status="idle"),
    asset("alpha", "domain", "domain", "alpha.example.com", "1.25"),
    asset("alpha", "vessel", "vessel", "vessel-alpha", "900.00"),  # not technology
    asset("alpha", "cloud", "ec2", "i-retired", "20.00", status="retired"),
    asset("beta", "cloud", "cloudfront", "E-BETA", "3.00"),
    asset("beta", "subscription", "saas", "design-beta", "15.00"),
]
ACCOUNTS = [
    Account("6000", "Dockage", AccountType.EXPENSE, "dockage", CostBehavior.FIXED, Source("accounts.csv", 2)),
    Account(
        "6310", "AWS", AccountType.EXPENSE, "cloud", CostBehavior.FIXED, Source("accounts.csv", 3), "aws"
    ),
    Account("6320", "Domains", AccountType.EXPENSE, "cloud", CostBehavior.FIXED, Source("accounts.csv", 4)),
]


def row(day: str, account: str, amount: str, line: int) -> LedgerRow:
    return LedgerRow(date.fromisoformat(day), "portfolio", account, D(amount), "", Source("ledger.csv", line))


LEDGER = [
    row("2025-11-30", "6310", "-99.00", 2),  # before the window
    row("2025-12-31", "6310", "-30.00", 3),
    row("2026-01-31", "6310", "-30.00", 4),
    row("2026-02-10", "6000", "-1500.00", 5),  # not a cloud account
    row("2026-02-28", "6310", "-36.00", 6),
    row("2026-03-01", "6310", "-50.00", 7),  # this month: not a full month yet
    row("2026-01-15", "6320", "-21.00", 8),  # a domain renewal: labelled cloud, billed by the registrar
]


def test_cost_by_service_and_entity_covers_the_running_technology_estate():
    # GIVEN cloud, domain, software, a vessel and a retired server, WHEN the cost is worked out
    cost = infrastructure_cost(ASSETS, LEDGER, ACCOUNTS, today=TODAY)
    # THEN the estate is 4 + 1.50 + 0.50 + 1.25 + 3 + 15 = 25.25 a month (no vessel, no retired ec2)
    assert cost.monthly == D("25.25")
    # by service, most expensive first: saas 15, lambda 4, cloudfront 3, s3 1.50 + 0.50 = 2, domain 1.25
    assert [(line.name, line.monthly) for line in cost.by_service] == [
        ("saas", D("15.00")),
        ("lambda", D("4.00")),
        ("cloudfront", D("3.00")),
        ("s3", D("2.00")),
        ("domain", D("1.25")),
    ]
    # by entity: beta 3 + 15 = 18 (2 assets), alpha 4 + 2 + 1.25 = 7.25 (4 assets)
    assert [(line.name, line.count, line.monthly) for line in cost.by_entity] == [
        ("beta", 2, D("18.00")),
        ("alpha", 4, D("7.25")),
    ]


def test_aws_total_is_the_aws_services_only_and_is_checked_against_the_invoices():
    cost = infrastructure_cost(ASSETS, LEDGER, ACCOUNTS, today=TODAY)
    # THEN AWS = lambda 4 + s3 2 + cloudfront 3 = 9.00 (domains and software are billed elsewhere)
    assert cost.aws_monthly == D("9.00")
    assert len(cost.aws_sources) == 4
    # AND the AWS invoices (6310, vendor = aws) of Dec-Feb average (30 + 30 + 36) / 3 = 32.00, so
    # 32.00 - 9.00 = 23.00 a month is unlisted; the 21.00 domain renewal on 6320 is not AWS
    assert (cost.billed_monthly, cost.unlisted) == (D("32.00"), D("23.00"))
    assert [str(s) for s in cost.billed_sources] == ["ledger.csv:3", "ledger.csv:4", "ledger.csv:6"]


def test_no_aws_invoices_in_the_window_means_no_billed_figure():
    # GIVEN only AWS invoices outside the last three full months (and the domain renewal inside)
    billed, sources = aws_invoices([LEDGER[0], LEDGER[-2], LEDGER[-1]], ACCOUNTS, today=TODAY)
    # THEN there is nothing to compare the inventory with, rather than a zero bill
    assert (billed, sources) == (None, ())
    cost = infrastructure_cost(ASSETS, [], ACCOUNTS, today=TODAY)
    assert (cost.billed_monthly, cost.unlisted) == (None, None)


def test_stack_lists_each_entitys_cloud_and_domain_services_with_their_resources():
    found = stacks(ASSETS)
    # THEN alpha runs domain, lambda and s3 (two buckets: 1.50 + 0.50), beta a CloudFront distribution;
    # the vessel, the software subscription and the retired server are not part of a stack
    assert [(s.entity, s.monthly) for s in found] == [("alpha", D("7.25")), ("beta", D("3.00"))]
    alpha = {service.service: service for service in found[0].services}
    assert list(alpha) == ["domain", "lambda", "s3"]
    assert alpha["s3"].identifiers == ("alpha-site", "alpha-photos")
    assert alpha["s3"].monthly == D("2.00")
