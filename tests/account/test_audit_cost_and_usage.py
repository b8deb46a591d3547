"""Cost and usage on the moto server: Cost Explorer's answer configured through moto's own API
(`POST /moto-api/static/ce/cost-and-usage-results`; moto tracks no cost), CloudWatch from
datapoints put on the server. TODAY is 2026-12-04."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from decimal import Decimal

from audit_world import ACCOUNT, REGION, TODAY


def test_cost_by_service_for_last_month_and_the_month_to_date(aws_endpoint, aws, read):
    # GIVEN Cost Explorer answers November (full) and December 1-3 (month to date), by service
    _cost_explorer_answers(
        aws_endpoint,
        [
            _period(
                "2026-11-01", "2026-12-01", {"AWS Lambda": "12.40", "Amazon Simple Email Service": "0.31"}
            ),
            _period("2026-12-01", "2026-12-04", {"AWS Lambda": "1.10", "Amazon CloudFront": "0.02"}),
        ],
    )
    # WHEN the account is read on 2026-12-04
    cost = read().cost
    # THEN November is the last full month, the month to date runs through December 3
    assert (cost.last_month, cost.month_to_date_through) == (
        datetime(2026, 11, 1).date(),
        datetime(2026, 12, 3).date(),
    )
    lines = [(line.service, line.last_month, line.month_to_date) for line in cost.services]
    assert lines == [  # most expensive last month first; a service new this month shows 0 for November
        ("AWS Lambda", Decimal("12.40"), Decimal("1.10")),
        ("Amazon Simple Email Service", Decimal("0.31"), Decimal(0)),
        ("Amazon CloudFront", Decimal(0), Decimal("0.02")),
    ]
    assert (cost.last_month_total, cost.month_to_date_total) == (Decimal("12.71"), Decimal("1.12"))
    assert cost.source.as_dict() == {
        "service": "ce",
        "api": "GetCostAndUsage",
        "arn": f"arn:aws:iam::{ACCOUNT}:root",
    }


def test_usage_of_the_function_and_ses_over_the_30_days_before_today(aws, read):
    # GIVEN datapoints in the window [2026-11-04, 2026-12-04) and one before it (left out)
    cloudwatch = aws("cloudwatch")
    app_fn = [{"Name": "FunctionName", "Value": "app-fn"}]
    _put(
        cloudwatch,
        "AWS/Lambda",
        "Invocations",
        app_fn,
        [(datetime(2026, 11, 10), 1000), (datetime(2026, 12, 3), 240)],
    )
    _put(
        cloudwatch, "AWS/Lambda", "Invocations", app_fn, [(datetime(2026, 10, 1), 5000)]
    )  # before the window
    _put(cloudwatch, "AWS/Lambda", "Errors", app_fn, [(datetime(2026, 12, 2), 3)])
    _put(cloudwatch, "AWS/SES", "Send", [], [(datetime(2026, 11, 30), 96)])
    _put(cloudwatch, "AWS/SES", "Bounce", [], [(datetime(2026, 11, 30), 1)])
    # WHEN the account is read (Duration is left out: moto answers 500 to a percentile statistic
    # over datapoints, so p95 is tested on a recorded answer in test_audit_recorded_answers.py)
    usage = read().usage
    # THEN 1000 + 240 invocations, 3 errors; no throttles, duration or complaints reported
    assert (usage.start.isoformat(), usage.end.isoformat()) == ("2026-11-04", "2026-12-04")
    assert [(m.name, m.value) for m in usage.function] == [
        ("Invocations", Decimal(1240)),
        ("Errors", Decimal(3)),
        ("Throttles", None),
        ("Duration p95 (ms)", None),
    ]
    assert [(m.name, m.value) for m in usage.email] == [
        ("Sends", Decimal(96)),
        ("Bounces", Decimal(1)),
        ("Complaints", None),
    ]
    assert usage.function[0].source.arn == f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:app-fn"


def test_an_empty_account_reads_in_a_bounded_number_of_calls(read):
    # sts 1 + ce 1 + cloudwatch 1 + iam 2 (generate, get) + s3 1 + lambda 1 + cloudfront 1
    # + ec2 1 + secretsmanager 1 = 10; no bucket or function, so no per-resource call
    account = read()
    assert account.calls == 10
    assert account.cost is not None and account.cost.services == ()
    assert TODAY.isoformat() == "2026-12-04"


def _period(start: str, end: str, amounts: dict[str, str]) -> dict:
    groups = [
        {"Keys": [name], "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}}}
        for name, amount in amounts.items()
    ]
    return {"TimePeriod": {"Start": start, "End": end}, "Total": {}, "Groups": groups, "Estimated": False}


def _cost_explorer_answers(endpoint: str, periods: list[dict]) -> None:
    body = json.dumps({"results": [{"ResultsByTime": periods, "DimensionValueAttributes": []}]}).encode()
    request = urllib.request.Request(
        f"{endpoint}/moto-api/static/ce/cost-and-usage-results",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()


def _put(cloudwatch, namespace: str, metric: str, dimensions: list, points: list) -> None:
    cloudwatch.put_metric_data(
        Namespace=namespace,
        MetricData=[
            {
                "MetricName": metric,
                "Dimensions": dimensions,
                "Value": value,
                "Timestamp": when.replace(tzinfo=UTC),
            }
            for when, value in points
        ],
    )
