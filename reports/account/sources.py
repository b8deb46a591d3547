"""The sources of the live AWS audit: one function per API family, each returning a `Part`.

The calls, all read-only (the IAM actions to grant are the same names): sts:GetCallerIdentity,
ce:GetCostAndUsage, cloudwatch:GetMetricData, iam:GenerateCredentialReport,
iam:GetCredentialReport, s3:ListAllMyBuckets, s3:GetBucketPublicAccessBlock and
s3:GetBucketPolicyStatus per bucket, lambda:ListFunctions, lambda:GetFunctionUrlConfig per
function, cloudfront:ListDistributions, ec2:DescribeSecurityGroups, secretsmanager:ListSecrets.

10 calls whatever the account's size (one page each: STS, Cost Explorer, CloudWatch, IAM's two,
and one list each for S3, Lambda, CloudFront, EC2 and Secrets Manager), plus 1 per function and
1 or 2 per bucket: S3 and Lambda have no account-wide answer for public access blocks, policy
status or Function URLs. A bucket's policy status is read only when its block does not restrict
public buckets. (The account-level block, s3control's GetPublicAccessBlock, would spare every
bucket's calls when it is on, but moto's server cannot answer it: s3control puts the account id
in front of the endpoint's host.) IAM uses the credential report (two calls for every user's keys,
their age and last use) instead of ListUsers, then ListAccessKeys and GetAccessKeyLastUsed per
user and key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from botocore.exceptions import ClientError

from . import checks, figures
from .model import AwsSource, Cost, Finding, Usage

WORKERS = 4  # threads per fan-out: the sources, then the buckets' and functions' calls
REPORT_WAITS = (0.5, 1.0, 1.5)  # seconds to wait for a credential report AWS is still writing
NOT_READY = {"ReportInProgress", "ReportNotPresent", "ReportExpired"}
GetClient = Callable[[str], object]


@dataclass
class Part:
    """What one source read; merged into the Account."""

    cost: Cost | None = None
    usage: Usage | None = None
    findings: list[Finding] = field(default_factory=list)
    checked: tuple[str, ...] = ()


class Reader:
    """Make the calls through `get_client`, counting each request (each page of a paginated one)."""

    def __init__(self, get_client: GetClient, *, today: date, function_name: str | None):
        self.get_client, self.today, self.function_name = get_client, today, function_name
        self.calls = 0
        self.account_id = self.region = ""
        self._lock = threading.Lock()

    def call(self, service: str, operation: str, **params) -> dict:
        self._count()
        return getattr(self.get_client(service), operation)(**params)

    def pages(self, service: str, operation: str, **params) -> Iterator[dict]:
        for page in self.get_client(service).get_paginator(operation).paginate(**params):
            self._count()
            yield page

    def _count(self) -> None:
        with self._lock:
            self.calls += 1


def _root(reader: Reader) -> str:
    """Return the account's ARN, the resource of account-wide figures (the bill, SES's counts)."""
    return f"arn:aws:iam::{reader.account_id}:root"


def read_cost(reader: Reader) -> Part:
    request, results = figures.cost_request(reader.today), []
    while True:
        answer = reader.call("ce", "get_cost_and_usage", **request)
        results += answer.get("ResultsByTime", [])
        if not answer.get("NextPageToken"):
            break
        request["NextPageToken"] = answer["NextPageToken"]
    source = AwsSource("ce", "GetCostAndUsage", _root(reader))
    return Part(cost=figures.parse_cost(results, today=reader.today, source=source))


def read_usage(reader: Reader) -> Part:
    request = figures.usage_request(reader.function_name, today=reader.today)
    results = [
        result
        for page in reader.pages("cloudwatch", "get_metric_data", **request)
        for result in page["MetricDataResults"]
    ]
    name = reader.function_name
    function = f"arn:aws:lambda:{reader.region}:{reader.account_id}:function:{name}" if name else None
    return Part(
        usage=figures.parse_usage(
            results,
            today=reader.today,
            function=AwsSource("cloudwatch", "GetMetricData", function) if function else None,
            email=AwsSource("cloudwatch", "GetMetricData", _root(reader)),
        )
    )


def read_keys(reader: Reader) -> Part:
    rows = checks.parse_credential_report(_credential_report(reader))
    found = checks.key_age(rows, today=reader.today) + checks.key_unused(rows, today=reader.today)
    return Part(findings=found, checked=checks.IAM)


def _credential_report(reader: Reader) -> bytes:
    """Return the report's CSV, asking AWS to (re)write it first (it keeps one for four hours)."""
    reader.call("iam", "generate_credential_report")
    for wait in (0, *REPORT_WAITS):
        time.sleep(wait)
        try:
            return reader.call("iam", "get_credential_report")["Content"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in NOT_READY:
                raise
    raise TimeoutError("the credential report is still being written; the next run reads it")


def read_buckets(reader: Reader) -> Part:
    names = [bucket["Name"] for bucket in reader.call("s3", "list_buckets").get("Buckets", [])]
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="audit-s3") as pool:
        answers = pool.map(lambda name: _absent_as_none(reader, "get_public_access_block", name), names)
        blocks = dict(zip(names, answers, strict=True))
        # A bucket that restricts public buckets cannot be public through its policy: no call for it.
        exposed = [name for name in names if not checks.restricts_public_policy(blocks[name])]
        answers = pool.map(lambda name: _absent_as_none(reader, "get_bucket_policy_status", name), exposed)
        statuses = dict(zip(exposed, answers, strict=True))
    return Part(
        findings=checks.public_access_block(blocks) + checks.public_policy(statuses), checked=checks.S3
    )


def _absent_as_none(reader: Reader, operation: str, bucket: str) -> dict | None:
    try:
        return reader.call("s3", operation, Bucket=bucket)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {
            "NoSuchPublicAccessBlockConfiguration",
            "NoSuchBucketPolicy",
        }:
            return None
        raise


def read_functions(reader: Reader) -> Part:
    functions = [f for page in reader.pages("lambda", "list_functions") for f in page["Functions"]]
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="audit-lambda") as pool:
        urls = [url for url in pool.map(lambda f: _function_url(reader, f), functions) if url]
    found = (
        checks.runtime_deprecated(functions, today=reader.today)
        + checks.url_no_auth(urls)
        + checks.env_secret(functions)
    )
    return Part(findings=found, checked=checks.LAMBDA)


def _function_url(reader: Reader, function: dict) -> dict | None:
    try:
        return reader.call("lambda", "get_function_url_config", FunctionName=function["FunctionName"])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return None  # no Function URL: nothing to check
        raise


def read_distributions(reader: Reader) -> Part:
    items = [
        item
        for page in reader.pages("cloudfront", "list_distributions")
        for item in page.get("DistributionList", {}).get("Items", [])
    ]
    return Part(
        findings=checks.cloudfront_http(items) + checks.cloudfront_no_waf(items), checked=checks.CLOUDFRONT
    )


def read_security_groups(reader: Reader) -> Part:
    groups = [g for page in reader.pages("ec2", "describe_security_groups") for g in page["SecurityGroups"]]
    return Part(findings=checks.open_ingress(groups, region=reader.region), checked=checks.EC2)


def read_secrets(reader: Reader) -> Part:
    secrets = [s for page in reader.pages("secretsmanager", "list_secrets") for s in page["SecretList"]]
    return Part(findings=checks.not_rotated(secrets), checked=checks.SECRETS)


# (the name a report shows when it is unavailable, the service whose actions it calls, the reader)
SOURCES: tuple[tuple[str, str, Callable[[Reader], Part]], ...] = (
    ("Cost Explorer", "ce", read_cost),
    ("CloudWatch usage", "cloudwatch", read_usage),
    ("IAM access keys", "iam", read_keys),
    ("S3 buckets", "s3", read_buckets),
    ("Lambda functions", "lambda", read_functions),
    ("CloudFront distributions", "cloudfront", read_distributions),
    ("EC2 security groups", "ec2", read_security_groups),
    ("Secrets Manager secrets", "secretsmanager", read_secrets),
)
