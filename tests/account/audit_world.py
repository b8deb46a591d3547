"""Building a small AWS account on the moto server for the audit's tests (moto's default account).

IAM has no API to date a key, so keys are backdated through moto's backend: the session's moto
server runs in this process.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

TODAY = date(2026, 12, 4)
REGION = "us-west-2"
ACCOUNT = "123456789012"


def arns(account, check: str) -> set[str]:
    """Return the ARNs a check flagged."""
    return {finding.source.arn for finding in account.findings if finding.check == check}


def backdate_key(user: str, *, created: date, used: date | None) -> None:
    """Give the user's first key a creation day and a last-use day (None: never used)."""
    from moto.iam.models import AccessKeyLastUsed, iam_backends

    key = iam_backends[ACCOUNT]["aws"].users[user].access_keys[0]
    key.create_date = datetime(created.year, created.month, created.day, 9, 30)
    key.last_used = (
        None if used is None else AccessKeyLastUsed(datetime(used.year, used.month, used.day), "s3", REGION)
    )


def user_with_key(iam, user: str, *, created: date, used: date | None) -> str:
    iam.create_user(UserName=user)
    iam.create_access_key(UserName=user)
    backdate_key(user, created=created, used=used)
    return f"arn:aws:iam::{ACCOUNT}:user/{user}"


def lambda_role(iam) -> str:
    trust = {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    document = json.dumps({"Version": "2012-10-17", "Statement": [trust]})
    return iam.create_role(RoleName="fn-role", AssumeRolePolicyDocument=document)["Role"]["Arn"]


def function(functions, role: str, name: str, *, runtime: str = "python3.12", env: dict | None = None) -> str:
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("lambda_function.py", "def lambda_handler(event, context):\n    return {}\n")
    return functions.create_function(
        FunctionName=name,
        Runtime=runtime,
        Role=role,
        Handler="lambda_function.lambda_handler",
        Code={"ZipFile": code.getvalue()},
        Environment={"Variables": env or {}},
    )["FunctionArn"]
