"""Each security check against the moto server: a resource that fails it and one that passes,
read through `read_account` exactly as a report run reads AWS (TODAY is 2026-12-04)."""

from __future__ import annotations

import json
from datetime import date

from audit_world import ACCOUNT, REGION, arns, function, lambda_role, user_with_key

from reports.vocabulary import Severity


def test_a_key_older_than_90_days_is_flagged_and_a_14_day_old_one_is_not(aws, read):
    # GIVEN old-key created 2026-08-01 (2026-12-04 - 2026-08-01 = 30+31+30+31+3 = 125 days > 90)
    # and new-key created 2026-11-20 (14 days); both used on 2026-12-01
    old = user_with_key(aws("iam"), "old-key", created=date(2026, 8, 1), used=date(2026, 12, 1))
    user_with_key(aws("iam"), "new-key", created=date(2026, 11, 20), used=date(2026, 12, 1))
    # WHEN the account is read
    account = read()
    # THEN only the old key is flagged, as high, with its age; neither is unused
    assert arns(account, "iam-key-age") == {old}
    (finding,) = [f for f in account.findings if f.check == "iam-key-age"]
    assert finding.title == "Access key 1 of old-key is 125 days old"
    assert finding.severity is Severity.HIGH
    assert (finding.source.service, finding.source.api) == ("iam", "GetCredentialReport")
    assert arns(account, "iam-key-unused") == set()


def test_a_key_unused_for_90_days_or_never_used_is_flagged(aws, read):
    # idle: last used 2026-08-01, 125 days ago; never: created 2026-06-01 and never used,
    # 30+31+31+30+31+30+3 = 186 days; busy: used 2026-12-01, 3 days ago
    idle = user_with_key(aws("iam"), "idle", created=date(2026, 3, 1), used=date(2026, 8, 1))
    never = user_with_key(aws("iam"), "never", created=date(2026, 6, 1), used=None)
    user_with_key(aws("iam"), "busy", created=date(2026, 3, 1), used=date(2026, 12, 1))
    account = read()
    assert arns(account, "iam-key-unused") == {idle, never}
    titles = sorted(f.title for f in account.findings if f.check == "iam-key-unused")
    assert titles == [
        "Access key 1 of idle is unused for 125 days",
        "Access key 1 of never is never used in 186 days",
    ]


def test_a_bucket_without_a_full_public_access_block_is_flagged(aws, read):
    s3, where = aws("s3"), {"LocationConstraint": REGION}
    for bucket in ("no-block", "half-block", "full-block"):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration=where)
    half = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False,
    }
    s3.put_public_access_block(Bucket="half-block", PublicAccessBlockConfiguration=half)
    s3.put_public_access_block(Bucket="full-block", PublicAccessBlockConfiguration=dict.fromkeys(half, True))
    account = read()
    assert arns(account, "s3-public-access-block") == {"arn:aws:s3:::no-block", "arn:aws:s3:::half-block"}
    titles = sorted(f.title for f in account.findings if f.check == "s3-public-access-block")
    assert titles == [
        "Bucket half-block has BlockPublicPolicy, RestrictPublicBuckets off",
        "Bucket no-block has no public access block",
    ]


def test_a_bucket_public_through_its_policy_is_critical(aws, read):
    s3, where = aws("s3"), {"LocationConstraint": REGION}
    for bucket, principal in (
        ("public-files", "*"),
        ("own-account", {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
    ):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration=where)
        statement = {"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject"}
        statement["Resource"] = f"arn:aws:s3:::{bucket}/*"
        s3.put_bucket_policy(
            Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]})
        )
    s3.create_bucket(Bucket="no-policy", CreateBucketConfiguration=where)
    account = read()
    assert arns(account, "s3-public-policy") == {"arn:aws:s3:::public-files"}
    assert account.findings[0].check == "s3-public-policy"  # critical sorts first


def test_a_public_policy_behind_a_block_that_restricts_public_buckets_is_not_read_or_flagged(aws, read):
    # GIVEN a bucket whose policy allows anyone, but whose block restricts public buckets: S3
    # then lets only AWS services and the owner's account in, so its policy status is not read
    s3 = aws("s3")
    s3.create_bucket(Bucket="blocked-public", CreateBucketConfiguration={"LocationConstraint": REGION})
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::blocked-public/*",
    }
    s3.put_bucket_policy(
        Bucket="blocked-public", Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    )
    block = dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
    )
    s3.put_public_access_block(Bucket="blocked-public", PublicAccessBlockConfiguration=block)
    account = read()
    # THEN nothing is flagged, in 11 calls: an empty account's 10 (see test_audit_cost_and_usage.py)
    # plus the bucket's GetPublicAccessBlock, and no GetBucketPolicyStatus
    assert arns(account, "s3-public-policy") == arns(account, "s3-public-access-block") == set()
    assert account.calls == 10 + 1


def test_a_function_on_a_deprecated_runtime_is_flagged(aws, read):
    role = lambda_role(aws("iam"))
    # python3.9 was deprecated on 2025-12-15, before TODAY; python3.12 is supported
    old = function(aws("lambda"), role, "old-runtime", runtime="python3.9")
    function(aws("lambda"), role, "current-runtime", runtime="python3.12")
    account = read()
    assert arns(account, "lambda-runtime-deprecated") == {old}
    assert old == f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:old-runtime"


def test_a_function_url_without_auth_is_flagged(aws, read):
    role, functions = lambda_role(aws("iam")), aws("lambda")
    open_url = function(functions, role, "open-url")
    function(functions, role, "signed-url")
    function(functions, role, "no-url")
    functions.create_function_url_config(FunctionName="open-url", AuthType="NONE")
    functions.create_function_url_config(FunctionName="signed-url", AuthType="AWS_IAM")
    account = read()
    assert arns(account, "lambda-url-no-auth") == {open_url}


def test_a_literal_secret_in_a_function_environment_is_flagged_by_name_only(aws, read):
    role, functions = lambda_role(aws("iam")), aws("lambda")
    value = "sk_live_made_up_0123456789"
    plain = function(functions, role, "plain", env={"STRIPE_SECRET_KEY": value, "DB_PASSWORD": "hunter2"})
    secret_arn = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:api-AbCdEf"
    function(
        functions, role, "referenced", env={"API_TOKEN": secret_arn, "LOG_LEVEL": "info", "KEY_ID": "k1"}
    )
    account = read()
    assert arns(account, "lambda-env-secret") == {plain}
    (finding,) = [f for f in account.findings if f.check == "lambda-env-secret"]
    assert finding.title == "Lambda plain holds a plaintext secret in DB_PASSWORD, STRIPE_SECRET_KEY"
    # the values never reach the report's data
    shown = json.dumps(account.as_dict())
    assert value not in shown and "hunter2" not in shown


def test_a_distribution_serving_http_or_without_waf_is_flagged(aws, read):
    cloudfront = aws("cloudfront")
    plain = _distribution(cloudfront, "plain", viewer="allow-all", web_acl="")
    acl = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/edge/0123"
    _distribution(cloudfront, "guarded", viewer="redirect-to-https", web_acl=acl)
    account = read()
    assert arns(account, "cloudfront-http") == {plain}
    assert arns(account, "cloudfront-no-waf") == {plain}
    assert plain.startswith(f"arn:aws:cloudfront::{ACCOUNT}:distribution/")


def test_a_security_group_open_to_the_internet_beyond_web_ports_is_flagged(aws, read):
    ec2 = aws("ec2")
    ssh = _group(ec2, "ssh-open", 22, "0.0.0.0/0")
    _group(ec2, "web-only", 443, "0.0.0.0/0", also=80)
    _group(ec2, "office-ssh", 22, "203.0.113.0/24")
    account = read()
    assert arns(account, "sg-open-ingress") == {f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{ssh}"}
    (finding,) = [f for f in account.findings if f.check == "sg-open-ingress"]
    assert finding.title == f"Security group {ssh} (ssh-open) is open to the internet on tcp 22"


def test_a_secret_never_rotated_is_flagged(aws, read):
    secrets = aws("secretsmanager")
    never = secrets.create_secret(Name="never-rotated", SecretString="x")["ARN"]
    secrets.create_secret(Name="rotating", SecretString="y")
    secrets.rotate_secret(SecretId="rotating", RotationRules={"AutomaticallyAfterDays": 30})
    account = read()
    assert arns(account, "secret-not-rotated") == {never}


def test_every_check_ran_on_an_account_that_allows_every_call(aws, read):
    account = read()
    assert len(account.checked) == 11
    assert account.unavailable == ()
    assert account.findings == ()


def _distribution(cloudfront, name: str, *, viewer: str, web_acl: str) -> str:
    origin = {
        "Id": "site",
        "DomainName": f"{name}.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    config = {
        "CallerReference": name,
        "Comment": name,
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": viewer, "MinTTL": 0},
        "WebACLId": web_acl,
    }
    return cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["ARN"]


def _group(ec2, name: str, port: int, cidr: str, *, also: int | None = None) -> str:
    group = ec2.create_security_group(GroupName=name, Description=name)["GroupId"]
    rules = [
        {"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "IpRanges": [{"CidrIp": cidr}]}
        for p in (port, also)
        if p is not None
    ]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=rules)
    return group
