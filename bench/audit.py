"""The live AWS audit's cost to a run: read calls and time for an account of 50 resources on moto.

The account: 10 IAM users with a key each, 15 buckets (3 public by policy, 5 without a public
access block), 10 Lambda functions (3 with a Function URL, 2 without auth), 10 security groups
(2 open on 22), 5 secrets. `read_account` runs as a report run calls it, on the audit's own
clients: once cold (the clients built first and timed apart, as on a container's first run) and
then warm, the median of BENCH_AUDIT_RUNS (default 7). Calls are counted by the reader and, per service, by a
botocore hook here; the goal (issue 19) is at most 20 calls and 1 s.
"""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from collections import Counter
from datetime import UTC, datetime

from reports.account.read import read_account
from reports.quick_clients import QuickClients
from shipcaptaincrew.local import embedded

from .stats import summary_ms

REGION = "us-west-2"
SIZES = {"users": 10, "buckets": 15, "functions": 10, "security groups": 10, "secrets": 5}
GOAL_CALLS, GOAL_SECONDS = 20, 1.0
SERVICES = ("sts", "ce", "cloudwatch", "iam", "s3", "lambda", "cloudfront", "ec2", "secretsmanager")


def run(options) -> dict:
    runs = int(os.environ.get("BENCH_AUDIT_RUNS", "7"))
    server, endpoint = embedded.start()
    try:
        build_account(QuickClients(REGION, endpoint))
        clients = QuickClients(REGION, endpoint)  # fresh: the first read builds them
        by_service: Counter = Counter()
        today = datetime.now(UTC).date()
        started = time.perf_counter()
        for service in SERVICES:  # what a container's first run pays before any call
            clients(service)
        built = time.perf_counter() - started
        started = time.perf_counter()
        account = read_account(_counted(clients, by_service), today=today, function_name="fn-0")
        cold = time.perf_counter() - started
        first_read = dict(sorted(by_service.items()))  # the warm runs below count on the same clients
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            read_account(clients, today=today, function_name="fn-0")
            seconds.append(time.perf_counter() - started)
    finally:
        server.stop()
    return {
        "resources": SIZES,
        "calls": account.calls,
        "calls_by_service": first_read,
        "findings": len(account.findings),
        "unavailable": [f"{u.source}: {u.reason}" for u in account.unavailable],
        "clients_built_ms": round(built * 1000, 1),
        "first_read_ms": round(cold * 1000, 1),
        "warm": summary_ms(seconds),
        "goal": {"calls": GOAL_CALLS, "seconds": GOAL_SECONDS},
    }


def rows(result: dict) -> list[tuple[str, str]]:
    warm, per = result["warm"], ", ".join(f"{s} {n}" for s, n in result["calls_by_service"].items())
    return [
        (
            f"live AWS audit, {sum(result['resources'].values())} resources (moto)",
            f"{result['calls']} read calls (goal <= {result['goal']['calls']}), "
            f"{warm['median_ms']} ms median warm (goal <= {result['goal']['seconds'] * 1000:g}), "
            f"{result['findings']} findings",
        ),
        (
            "  first run in a container",
            f"{result['clients_built_ms']} ms to build the 9 clients, then {result['first_read_ms']} ms "
            "(moto loads each service on its first request)",
        ),
        ("  calls by service", per),
    ]


def _counted(clients: QuickClients, tally: Counter):
    """Wrap the clients so each API call is tallied by service (once, whatever its retries)."""

    def count(model=None, **_):
        tally.update([model.service_model.service_name])

    def get(service: str):
        client = clients(service)
        client.meta.events.register("before-call", count, unique_id="bench-audit-tally")
        return client

    return get


def build_account(clients: QuickClients) -> None:
    """Create the 50 resources (a few of each failing a check)."""
    iam, s3, functions = clients("iam"), clients("s3"), clients("lambda")
    for number in range(SIZES["users"]):
        iam.create_user(UserName=f"user-{number}")
        iam.create_access_key(UserName=f"user-{number}")
    for number in range(SIZES["buckets"]):
        name = f"bench-bucket-{number}"
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        if number < 3:
            statement = {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
            }
            s3.put_bucket_policy(
                Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]})
            )
        elif number >= 8:
            block = dict.fromkeys(
                ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
            )
            s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block)
    trust = {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    document = json.dumps({"Version": "2012-10-17", "Statement": [trust]})
    role = iam.create_role(RoleName="bench-fn", AssumeRolePolicyDocument=document)["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("lambda_function.py", "def lambda_handler(event, context):\n    return {}\n")
    for number in range(SIZES["functions"]):
        functions.create_function(
            FunctionName=f"fn-{number}",
            Runtime="python3.9" if number == 9 else "python3.12",
            Role=role,
            Handler="lambda_function.lambda_handler",
            Code={"ZipFile": code.getvalue()},
            Environment={"Variables": {"API_TOKEN": "made-up"} if number == 8 else {}},
        )
        if number < 3:
            functions.create_function_url_config(
                FunctionName=f"fn-{number}", AuthType="NONE" if number < 2 else "AWS_IAM"
            )
    ec2 = clients("ec2")
    for number in range(SIZES["security groups"]):
        group = ec2.create_security_group(GroupName=f"sg-{number}", Description="bench")["GroupId"]
        port = 22 if number < 2 else 443
        rule = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[rule])
    for number in range(SIZES["secrets"]):
        clients("secretsmanager").create_secret(Name=f"secret-{number}", SecretString="x")
