"""The security audit's checks: pure functions from AWS API answers to `Finding`s.

Each check takes the plain dicts boto3 returns (plus `today` where age matters), never a client,
so it is tested on recorded answers without AWS. A check that finds nothing has passed. The
severities, most urgent first:

- critical: anyone on the internet can reach data or code, or a secret sits in plain text
  (`s3-public-policy`, `lambda-url-no-auth`, `lambda-env-secret`);
- high: a standing weakness an attacker uses first (`iam-key-age`, `sg-open-ingress`,
  `lambda-runtime-deprecated`: no more security patches);
- medium: a missing safety net (`iam-key-unused`, `s3-public-access-block`, `cloudfront-http`,
  `secret-not-rotated`);
- low: defence in depth (`cloudfront-no-waf`).
"""

from .functions import env_secret, runtime_deprecated, url_no_auth
from .iam import key_age, key_unused, parse_credential_report
from .network import cloudfront_http, cloudfront_no_waf, open_ingress
from .secrets import not_rotated
from .storage import public_access_block, public_policy, restricts_public_policy

# Every check's stable id, by the source that feeds it (the reader lists those that ran).
IAM = ("iam-key-age", "iam-key-unused")
S3 = ("s3-public-access-block", "s3-public-policy")
LAMBDA = ("lambda-runtime-deprecated", "lambda-url-no-auth", "lambda-env-secret")
CLOUDFRONT = ("cloudfront-http", "cloudfront-no-waf")
EC2 = ("sg-open-ingress",)
SECRETS = ("secret-not-rotated",)
ALL = IAM + S3 + LAMBDA + CLOUDFRONT + EC2 + SECRETS

__all__ = [
    "ALL",
    "CLOUDFRONT",
    "EC2",
    "IAM",
    "LAMBDA",
    "S3",
    "SECRETS",
    "cloudfront_http",
    "cloudfront_no_waf",
    "env_secret",
    "key_age",
    "key_unused",
    "not_rotated",
    "open_ingress",
    "parse_credential_report",
    "public_access_block",
    "public_policy",
    "restricts_public_policy",
    "runtime_deprecated",
    "url_no_auth",
]
