"""A small, deliberately flawed AWS account on the embedded stand-in, so a local CTO report shows
the audit working (SPEC section 4). Called by the host after it seeds (`Extension.stand_in_seed`);
never run against AWS.

Four flaws, each failing one check or two: an access key 125 days old (iam-key-age), a bucket
public through its policy with no public access block (s3-public-policy, s3-public-access-block),
a Lambda with a Function URL anyone may call (lambda-url-no-auth) and a made-up Stripe key in
its environment (lambda-env-secret). Everything else passes: a fresh key, private buckets (the
host's own get the full public access block, as AWS gives every new bucket since April 2023),
the app's own function on a current runtime, a security group open on 443 only. The app's
function also gets a month of invocations and SES sends, and the account a month's bill by service
in Cost Explorer, so the usage and cost figures are not blank.
"""

from __future__ import annotations

import io
import json
import urllib.request
import zipfile
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from botocore.exceptions import ClientError

from .figures import cost_request
from .read import APP_FUNCTION

OLD_KEY_USER, OLD_KEY_DAYS = "deploy-bot", 125
FRESH_KEY_USER = "ci-runner"
PUBLIC_BUCKET = "scc-stand-in-public-files"
OPEN_FUNCTION = "scc-stripe-webhook"
FULL_BLOCK = dict.fromkeys(
    ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
)
# (namespace, metric, dimension value or None, value) put two days ago: the last 30 days' usage.
USAGE = (
    ("AWS/Lambda", "Invocations", APP_FUNCTION, 1240),
    ("AWS/Lambda", "Errors", APP_FUNCTION, 3),
    ("AWS/Lambda", "Throttles", APP_FUNCTION, 0),
    ("AWS/SES", "Send", None, 96),
    ("AWS/SES", "Bounce", None, 1),
    ("AWS/SES", "Complaint", None, 0),
)

# The stand-in account's bill for its last full month, by Cost Explorer's SERVICE names (USD): made
# up for the stand-in like its flaws, near the sample inventory's AWS assets ($63.60/mo) with a
# little the inventory does not list, so the CTO report's "real bill vs inventory" has a gap to show.
BILL = {
    "Amazon CloudFront": "20.15",
    "Amazon Elastic Compute Cloud - Compute": "16.80",
    "Amazon Simple Storage Service": "8.95",
    "AWS Lambda": "5.40",
    "Amazon DynamoDB": "4.05",
    "Amazon Route 53": "3.50",
    "AmazonCloudWatch": "2.75",
    "Amazon API Gateway": "1.12",
    "Amazon Simple Email Service": "0.52",
    "AWS Secrets Manager": "0.40",
    "Amazon Simple Queue Service": "0.90",
}


def seed_stand_in(app) -> None:
    """Create the flawed account's resources through the App's clients (the stand-in's endpoint).

    Safe to repeat: moto's state is shared by every server in the process, so a second stand-in
    (or a test's leftovers) may already hold some of them; those are kept as they are.
    """
    first_time = _keys(app)
    _buckets(app)
    _functions(app)
    _network(app)
    if first_time:  # datapoints add up and Cost Explorer's answers queue up: put them once
        _usage(app)
        _bill(app)


def _keys(app) -> bool:
    """Create the users and their keys, the old one backdated; say whether they were new."""
    iam = app.clients.get("iam")
    created = [_unless_exists(iam.create_user, UserName=user) for user in (OLD_KEY_USER, FRESH_KEY_USER)]
    for user in (OLD_KEY_USER, FRESH_KEY_USER):
        if not iam.list_access_keys(UserName=user)["AccessKeyMetadata"]:
            iam.create_access_key(UserName=user)
    account = app.clients.get("sts").get_caller_identity()["Account"]
    _backdate_key(account, OLD_KEY_USER, created=app.now() - timedelta(days=OLD_KEY_DAYS), used=app.now())
    return created[0] is not None


def _backdate_key(account: str, user: str, *, created, used) -> None:
    """Make a key old. IAM has no API for it (keys are stamped "now"), so this reaches into moto's
    backend: the stand-in's moto server runs in this process, and this is dev-only seeding."""
    from moto.iam.models import AccessKeyLastUsed, iam_backends  # dev dependency, local only

    key = iam_backends[account]["aws"].users[user].access_keys[0]
    key.create_date = created.replace(tzinfo=None)
    # used today: an old key still in use, so not also an unused one
    key.last_used = AccessKeyLastUsed(timestamp=used.replace(tzinfo=None), service="s3", region="us-west-2")


def _buckets(app) -> None:
    s3 = app.clients.get("s3")
    location = {"LocationConstraint": app.settings.aws_region}
    _unless_exists(s3.create_bucket, Bucket=PUBLIC_BUCKET, CreateBucketConfiguration=location)
    public_read = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}
    policy = {
        "Version": "2012-10-17",
        "Statement": [{**public_read, "Resource": f"arn:aws:s3:::{PUBLIC_BUCKET}/*"}],
    }
    s3.put_bucket_policy(Bucket=PUBLIC_BUCKET, Policy=json.dumps(policy))
    for bucket in s3.list_buckets()["Buckets"]:
        if bucket["Name"] != PUBLIC_BUCKET:
            s3.put_public_access_block(Bucket=bucket["Name"], PublicAccessBlockConfiguration=FULL_BLOCK)


def _functions(app) -> None:
    trust = {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    iam = app.clients.get("iam")
    document = json.dumps({"Version": "2012-10-17", "Statement": [trust]})
    _unless_exists(iam.create_role, RoleName="scc-stand-in-lambda", AssumeRolePolicyDocument=document)
    role = iam.get_role(RoleName="scc-stand-in-lambda")["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("lambda_function.py", "def lambda_handler(event, context):\n    return {}\n")
    functions = app.clients.get("lambda")
    common = {"Role": role, "Runtime": "python3.12", "Handler": "lambda_function.lambda_handler"}
    _unless_exists(
        functions.create_function,
        FunctionName=APP_FUNCTION,
        Code={"ZipFile": code.getvalue()},
        Environment={
            "Variables": {"JWT_SECRET_ARN": "arn:aws:secretsmanager:us-west-2:123456789012:secret:jwt"}
        },
        **common,
    )
    _unless_exists(
        functions.create_function,
        FunctionName=OPEN_FUNCTION,
        Code={"ZipFile": code.getvalue()},
        Environment={"Variables": {"STRIPE_SECRET_KEY": "sk_live_made_up_for_the_stand_in_0000"}},
        **common,
    )
    _unless_exists(functions.create_function_url_config, FunctionName=OPEN_FUNCTION, AuthType="NONE")


def _network(app) -> None:
    ec2 = app.clients.get("ec2")
    group = _unless_exists(ec2.create_security_group, GroupName="scc-stand-in-web", Description="HTTPS only")
    if group:
        rule = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ec2.authorize_security_group_ingress(GroupId=group["GroupId"], IpPermissions=[rule])


def _usage(app) -> None:
    when = app.now() - timedelta(days=2)
    cloudwatch = app.clients.get("cloudwatch")
    for namespace, metric, function, value in USAGE:
        dimensions = [{"Name": "FunctionName", "Value": function}] if function else []
        cloudwatch.put_metric_data(
            Namespace=namespace,
            MetricData=[{"MetricName": metric, "Dimensions": dimensions, "Value": value, "Timestamp": when}],
        )


def _bill(app) -> None:
    """Give Cost Explorer the stand-in's bill (moto tracks no cost; its own API queues answers).

    moto hands the answer to the first GetCostAndUsage and repeats it for the same request, so the
    stand-in shows this bill all day. The month to date is the last month's daily rate times the
    days gone this month."""
    today = app.now().date()
    request = cost_request(today)
    this_month = today.replace(day=1)
    last_month = date.fromisoformat(request["TimePeriod"]["Start"])
    share = Decimal((today - this_month).days) / Decimal((this_month - last_month).days)
    cents = Decimal("0.01")
    periods = [
        (last_month, this_month, {name: Decimal(amount) for name, amount in BILL.items()}),
        (
            this_month,
            today,
            {name: (Decimal(amount) * share).quantize(cents, ROUND_HALF_UP) for name, amount in BILL.items()},
        ),
    ]
    answer = [
        {
            "TimePeriod": {"Start": start.isoformat(), "End": end.isoformat()},
            "Total": {},
            "Groups": [
                {"Keys": [name], "Metrics": {"UnblendedCost": {"Amount": str(amount), "Unit": "USD"}}}
                for name, amount in amounts.items()
            ],
            "Estimated": end == today,
        }
        for start, end, amounts in periods
        if end > start  # on the 1st there is no month to date yet
    ]
    body = json.dumps({"results": [{"ResultsByTime": answer, "DimensionValueAttributes": []}]}).encode()
    endpoint = app.settings.aws_endpoint_url
    queue = urllib.request.Request(  # noqa: S310 - the local moto server's own API
        f"{endpoint}/moto-api/static/ce/cost-and-usage-results",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(queue, timeout=10).close()  # noqa: S310


ALREADY = {
    "EntityAlreadyExists",
    "BucketAlreadyOwnedByYou",
    "ResourceConflictException",
    "InvalidGroup.Duplicate",
}


def _unless_exists(create, **params) -> dict | None:
    """Call `create`; None if the resource is already there."""
    try:
        return create(**params)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ALREADY:
            return None
        raise
