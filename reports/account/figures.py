"""Cost and usage from Cost Explorer's and CloudWatch's answers: the requests and the parsing.

Pure, like the checks: `reports.account.read` makes the calls, these build their parameters
and read their answers, so both are tested on recorded response shapes without AWS.

Periods, all in UTC days:
- cost: one GetCostAndUsage call, MONTHLY, from the first day of last month to `today`
  (exclusive: today's bill is still moving), so the answer holds last month and the month to
  date. On the 1st the month to date is empty: every service shows 0 for it and
  `month_to_date_through` is the last day of last month.
- usage: the 30 days before `today` as one CloudWatch period, so each metric is one figure
  whatever the report's cadence, and comparable with a month of cost.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from .model import AwsSource, Cost, Metric, ServiceCost, Usage

USAGE_DAYS = 30
# (query id, namespace, metric, statistic, label) for the app's own Lambda and SES.
FUNCTION_METRICS = (
    ("invocations", "AWS/Lambda", "Invocations", "Sum", "Invocations"),
    ("errors", "AWS/Lambda", "Errors", "Sum", "Errors"),
    ("throttles", "AWS/Lambda", "Throttles", "Sum", "Throttles"),
    ("duration", "AWS/Lambda", "Duration", "p95", "Duration p95 (ms)"),
)
EMAIL_METRICS = (
    ("sends", "AWS/SES", "Send", "Sum", "Sends"),
    ("bounces", "AWS/SES", "Bounce", "Sum", "Bounces"),
    ("complaints", "AWS/SES", "Complaint", "Sum", "Complaints"),
)


def cost_request(today: date) -> dict:
    """Return GetCostAndUsage's parameters: last full month and the month to date, by service."""
    return {
        "TimePeriod": {"Start": _last_month(today).isoformat(), "End": today.isoformat()},
        "Granularity": "MONTHLY",
        "Metrics": ["UnblendedCost"],
        "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}],
    }


def parse_cost(results_by_time: list[dict], *, today: date, source: AwsSource) -> Cost:
    """Return the bill by service from GetCostAndUsage's `ResultsByTime` (every page's, joined)."""
    last_month, this_month = _last_month(today), today.replace(day=1)
    spent: dict[str, dict[date, Decimal]] = {}
    for period in results_by_time:
        start = date.fromisoformat(period["TimePeriod"]["Start"])
        for group in period.get("Groups", []):
            amount = Decimal(group["Metrics"]["UnblendedCost"]["Amount"])
            by_month = spent.setdefault(group["Keys"][0], {})
            by_month[start] = by_month.get(start, Decimal(0)) + amount
    services = [
        ServiceCost(name, months.get(last_month, Decimal(0)), months.get(this_month, Decimal(0)))
        for name, months in spent.items()
    ]
    services.sort(key=lambda line: (-line.last_month, -line.month_to_date, line.service))
    return Cost(last_month, today - timedelta(days=1), tuple(services), source)


def usage_request(function_name: str | None, *, today: date) -> dict:
    """Return GetMetricData's parameters: every metric over the 30 days before `today`, one call."""
    end = datetime.combine(today, time(), tzinfo=UTC)
    queries = [
        _query(spec, [{"Name": "FunctionName", "Value": function_name}])
        for spec in (FUNCTION_METRICS if function_name else ())
    ]
    queries += [_query(spec, []) for spec in EMAIL_METRICS]
    return {
        "MetricDataQueries": queries,
        "StartTime": end - timedelta(days=USAGE_DAYS),
        "EndTime": end,
    }


def parse_usage(results: list[dict], *, today: date, function: AwsSource | None, email: AwsSource) -> Usage:
    """Return the usage figures from GetMetricData's `MetricDataResults` (every page's, joined).

    A metric with no datapoints is None (nothing happened, or nothing was reported), not zero.
    """
    values: dict[str, list] = {}
    for result in results:
        values.setdefault(result["Id"], []).extend(result.get("Values", []))

    def figure(spec, source) -> Metric:
        found = [Decimal(str(value)) for value in values.get(spec[0], [])]
        if not found:
            return Metric(spec[4], None, source)
        # Sums add up across periods; a percentile cannot, so the worst period stands for all.
        return Metric(spec[4], max(found) if spec[3].startswith("p") else sum(found), source)

    return Usage(
        start=today - timedelta(days=USAGE_DAYS),
        end=today,
        function=tuple(figure(spec, function) for spec in FUNCTION_METRICS) if function else (),
        email=tuple(figure(spec, email) for spec in EMAIL_METRICS),
    )


def _query(spec: tuple, dimensions: list[dict]) -> dict:
    query_id, namespace, metric, statistic, _ = spec
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {"Namespace": namespace, "MetricName": metric, "Dimensions": dimensions},
            "Period": USAGE_DAYS * 24 * 3600,
            "Stat": statistic,
        },
        "ReturnData": True,
    }


def _last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
