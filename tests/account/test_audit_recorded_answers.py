"""The checks and parsers on recorded AWS answers (tests/account/responses/, shapes from the AWS
API references): shapes moto does not produce, and the edges. TODAY is 2026-12-04."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from audit_world import TODAY

from reports.account import checks, figures
from reports.account.model import AwsSource
from reports.vocabulary import Severity

ANSWERS = Path(__file__).parent / "responses"
ACCOUNT = "111122223333"
SOURCE = AwsSource("ce", "GetCostAndUsage", f"arn:aws:iam::{ACCOUNT}:root")


def answer(name: str):
    return json.loads((ANSWERS / name).read_text())


def titles(found) -> list[str]:
    return [finding.title for finding in found]


@pytest.fixture
def report_rows():
    return checks.parse_credential_report((ANSWERS / "credential_report.csv").read_bytes())


def test_key_age_on_a_credential_report(report_rows):
    # root: key 1 made 2019-03-02, 2834 days before 2026-12-04 (7 years with two leap days = 2557,
    # plus 277 from March 2). deploy-bot: key 1 made 2026-08-01 = 125 days; key 2, 14 days.
    # old-laptop: key 1 made 2026-09-05 = exactly 90 days, not more: passes; key 2 is inactive.
    found = checks.key_age(report_rows, today=TODAY)
    assert titles(found) == [
        "Access key 1 of the root user is 2834 days old",
        "Access key 1 of deploy-bot is 125 days old",
    ]
    assert [f.source.arn for f in found] == [
        f"arn:aws:iam::{ACCOUNT}:root",
        f"arn:aws:iam::{ACCOUNT}:user/deploy-bot",
    ]


def test_key_unused_on_a_credential_report(report_rows):
    # old-laptop's key 1 was last used 2026-09-05, 90 days ago: not more than 90, passes;
    # deploy-bot's key 2 was never used but is 14 days old. On 2026-12-05 old-laptop's is 91.
    assert checks.key_unused(report_rows, today=TODAY) == []
    found = checks.key_unused(report_rows, today=date(2026, 12, 5))
    assert titles(found) == ["Access key 1 of old-laptop is unused for 91 days"]
    assert found[0].severity is Severity.MEDIUM


def test_cost_on_a_recorded_answer():
    # Nov: DynamoDB 7.5 + Lambda 3.2157 + Tax 0.86 = 11.5757; Dec 1-3: 0.72 + 0.3301 = 1.0501
    cost = figures.parse_cost(answer("get_cost_and_usage.json")["ResultsByTime"], today=TODAY, source=SOURCE)
    assert [(c.service, c.last_month, c.month_to_date) for c in cost.services] == [
        ("Amazon DynamoDB", Decimal("7.5"), Decimal("0.72")),
        ("AWS Lambda", Decimal("3.2157"), Decimal("0.3301")),
        ("Tax", Decimal("0.86"), Decimal(0)),
    ]
    assert (cost.last_month_total, cost.month_to_date_total) == (Decimal("11.5757"), Decimal("1.0501"))


def test_on_the_first_of_the_month_the_month_to_date_is_empty():
    # On 2026-12-01 the request ends at 2026-12-01 (exclusive), so the answer holds November only
    first = date(2026, 12, 1)
    assert figures.cost_request(first)["TimePeriod"] == {"Start": "2026-11-01", "End": "2026-12-01"}
    november = answer("get_cost_and_usage.json")["ResultsByTime"][:1]
    cost = figures.parse_cost(november, today=first, source=SOURCE)
    assert cost.month_to_date_total == 0 and cost.last_month_total == Decimal("11.5757")
    assert (cost.last_month, cost.month_to_date_through) == (date(2026, 11, 1), date(2026, 11, 30))


def test_the_cost_request_crosses_a_year():
    assert figures.cost_request(date(2027, 1, 15))["TimePeriod"] == {
        "Start": "2026-12-01",
        "End": "2027-01-15",
    }


def test_usage_on_a_recorded_answer_with_the_p95_duration():
    source = AwsSource(
        "cloudwatch", "GetMetricData", "arn:aws:lambda:us-west-2:111122223333:function:shipcaptaincrew"
    )
    usage = figures.parse_usage(
        answer("get_metric_data.json")["MetricDataResults"], today=TODAY, function=source, email=SOURCE
    )
    assert [(m.name, m.value) for m in usage.function] == [
        ("Invocations", Decimal(5321)),
        ("Errors", Decimal(12)),
        ("Throttles", None),
        ("Duration p95 (ms)", Decimal("812.37")),
    ]
    assert [(m.name, m.value) for m in usage.email] == [("Sends", 431), ("Bounces", 2), ("Complaints", None)]


def test_a_window_split_in_two_periods_adds_sums_and_keeps_the_worst_percentile():
    results = [
        {"Id": "invocations", "Values": [100.0, 20.0]},
        {"Id": "duration", "Values": [300.5, 912.0]},
    ]
    usage = figures.parse_usage(results, today=TODAY, function=SOURCE, email=SOURCE)
    assert [(m.name, m.value) for m in usage.function][::3] == [
        ("Invocations", Decimal(120)),
        ("Duration p95 (ms)", Decimal(912)),
    ]


def test_the_usage_request_is_one_call_over_the_30_days_before_today():
    request = figures.usage_request("shipcaptaincrew", today=TODAY)
    assert (request["StartTime"], request["EndTime"]) == (
        datetime(2026, 11, 4, tzinfo=UTC),
        datetime(2026, 12, 4, tzinfo=UTC),
    )
    assert [q["Id"] for q in request["MetricDataQueries"]] == [
        "invocations",
        "errors",
        "throttles",
        "duration",
        "sends",
        "bounces",
        "complaints",
    ]
    assert {q["MetricStat"]["Period"] for q in request["MetricDataQueries"]} == {30 * 24 * 3600}
    assert len(figures.usage_request(None, today=TODAY)["MetricDataQueries"]) == 3  # SES only


def test_runtimes_on_recorded_functions():
    functions = answer("list_functions.json")["Functions"]
    # nodejs18.x was deprecated on 2025-09-01; python3.12 is current; an image has no runtime
    assert titles(checks.runtime_deprecated(functions, today=TODAY)) == [
        "Lambda legacy-webhook runs nodejs18.x, deprecated since 2025-09-01"
    ]


@pytest.mark.parametrize(("today", "flagged"), [(date(2026, 6, 29), False), (date(2026, 6, 30), True)])
def test_a_runtime_counts_as_deprecated_from_its_day_on(today, flagged):
    function = {
        "FunctionName": "f",
        "FunctionArn": "arn:aws:lambda:us-west-2:1:function:f",
        "Runtime": "python3.10",
    }
    assert bool(checks.runtime_deprecated([function], today=today)) is flagged


def test_environment_secrets_on_recorded_functions():
    # legacy-webhook: STRIPE_SECRET_KEY is a literal (flagged); SENTRY_TOKEN is empty and
    # DB_PASSWORD_PARAM a Parameter Store path (neither holds a secret); shipcaptaincrew's
    # JWT_SECRET_ARN is a reference and not a secret-like name
    found = checks.env_secret(answer("list_functions.json")["Functions"])
    assert titles(found) == ["Lambda legacy-webhook holds a plaintext secret in STRIPE_SECRET_KEY"]
    assert "sk_live" not in json.dumps([f.as_dict() for f in found])


def test_function_urls_on_recorded_answers():
    found = checks.url_no_auth(answer("get_function_url_config.json"))
    assert [f.source.arn for f in found] == ["arn:aws:lambda:us-west-2:111122223333:function:legacy-webhook"]
    assert found[0].severity is Severity.CRITICAL


def test_distributions_on_a_recorded_answer():
    # E3LEGACY45678 serves /downloads/* over plain HTTP and has no web ACL; the dashboard's passes
    items = answer("list_distributions.json")["DistributionList"]["Items"]
    arn = f"arn:aws:cloudfront::{ACCOUNT}:distribution/E3LEGACY45678"
    assert [f.source.arn for f in checks.cloudfront_http(items)] == [arn]
    assert [f.source.arn for f in checks.cloudfront_no_waf(items)] == [arn]
    assert checks.cloudfront_no_waf(items)[0].severity is Severity.LOW


def test_security_groups_on_a_recorded_answer():
    # web: 80 and 443 from anywhere, ping from anywhere, 22 from the office only: passes.
    # jump-box: 3389 from ::/0, and 80-443 (every port between) from anywhere; wide-open: all.
    groups = answer("describe_security_groups.json")["SecurityGroups"]
    found = checks.open_ingress(groups, region="us-west-2")
    assert titles(found) == [
        "Security group sg-0a1b2c3d4e5f60002 (jump-box) is open to the internet on tcp 3389, tcp 80-443",
        "Security group sg-0a1b2c3d4e5f60003 (wide-open) is open to the internet on all ports",
    ]
    # the ARN as EC2 gives it, else built from the region and the owner
    assert [f.source.arn for f in found] == [
        f"arn:aws:ec2:us-west-2:{ACCOUNT}:security-group/sg-0a1b2c3d4e5f60002",
        f"arn:aws:ec2:us-west-2:{ACCOUNT}:security-group/sg-0a1b2c3d4e5f60003",
    ]


def test_secrets_on_a_recorded_answer():
    # shipcaptaincrew/jwt: no rotation and never rotated; stripe was rotated by hand; rds-db rotates
    found = checks.not_rotated(answer("list_secrets.json")["SecretList"])
    assert titles(found) == ["Secret shipcaptaincrew/jwt has never been rotated"]


def test_buckets_on_recorded_answers():
    answers = answer("s3_buckets.json")
    blocks = checks.public_access_block(answers["GetPublicAccessBlock"])
    assert titles(blocks) == [
        "Bucket scc-dashboard-assets has BlockPublicPolicy, RestrictPublicBuckets off",
        "Bucket old-site has no public access block",
    ]
    assert titles(checks.public_policy(answers["GetBucketPolicyStatus"])) == [
        "Bucket old-site is public through its bucket policy"
    ]
