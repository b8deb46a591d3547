"""Lambda functions: supported runtimes, Function URLs that require auth, no secrets in plain text."""

from __future__ import annotations

import re
from datetime import date

from ...vocabulary import Severity
from ..model import AwsSource, Finding

# Runtime identifier -> the day AWS deprecated it (no more security patches). From the AWS Lambda
# developer guide, "Lambda runtimes", tables "Deprecated runtimes" and "Upcoming runtime
# deprecations" (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), as read in
# December 2026. Upcoming dates count from their day on; update the table when AWS adds one.
DEPRECATED_RUNTIMES: dict[str, date] = {
    "python2.7": date(2021, 7, 15),
    "python3.6": date(2022, 7, 18),
    "python3.7": date(2023, 12, 4),
    "python3.8": date(2024, 10, 14),
    "python3.9": date(2025, 12, 15),
    "python3.10": date(2026, 6, 30),
    "nodejs10.x": date(2021, 7, 30),
    "nodejs12.x": date(2023, 3, 31),
    "nodejs14.x": date(2023, 12, 4),
    "nodejs16.x": date(2024, 6, 12),
    "nodejs18.x": date(2025, 9, 1),
    "nodejs20.x": date(2026, 4, 30),
    "java8": date(2024, 1, 8),
    "go1.x": date(2024, 1, 8),
    "provided": date(2024, 1, 8),
    "ruby2.7": date(2023, 12, 7),
    "ruby3.2": date(2026, 3, 31),
    "dotnetcore3.1": date(2023, 4, 3),
    "dotnet6": date(2024, 12, 20),
    "dotnet8": date(2026, 11, 10),
}
# Names that hold a credential: *_KEY, *_SECRET, *_TOKEN, or anything with PASSWORD in it.
SECRET_NAME = re.compile(r"(_KEY|_SECRET|_TOKEN)$|^(KEY|SECRET|TOKEN)$|PASSWORD", re.IGNORECASE)
# Values that point at a secret rather than hold one (Secrets Manager, Parameter Store, KMS).
REFERENCE = re.compile(r"^(arn:aws[a-z-]*:|\{\{resolve:|ssm:|secretsmanager:|/)")


def runtime_deprecated(functions: list[dict], *, today: date) -> list[Finding]:
    """Flag each function (ListFunctions entries) on a runtime AWS deprecated on or before `today`."""
    found = []
    for function in functions:
        runtime = function.get("Runtime", "")
        since = DEPRECATED_RUNTIMES.get(runtime)
        if since and since <= today:
            found.append(
                Finding(
                    "lambda-runtime-deprecated",
                    Severity.HIGH,
                    f"Lambda {function['FunctionName']} runs {runtime}, deprecated since {since.isoformat()}",
                    "Move the function to a supported runtime and test it there.",
                    AwsSource("lambda", "ListFunctions", function["FunctionArn"]),
                )
            )
    return found


def url_no_auth(url_configs: list[dict]) -> list[Finding]:
    """Flag each Function URL (GetFunctionUrlConfig answers) that anyone may call without signing."""
    return [
        Finding(
            "lambda-url-no-auth",
            Severity.CRITICAL,
            f"Lambda {_name(config['FunctionArn'])} has a Function URL anyone can call (auth type NONE)",
            "Set the URL's auth type to AWS_IAM, or put it behind an API that authenticates callers.",
            AwsSource("lambda", "GetFunctionUrlConfig", config["FunctionArn"]),
        )
        for config in url_configs
        if config.get("AuthType") == "NONE"
    ]


def env_secret(functions: list[dict]) -> list[Finding]:
    """Flag each function whose environment holds a secret-looking name with a literal value.

    The title names the variables, never their values.
    """
    found = []
    for function in functions:
        variables = (function.get("Environment") or {}).get("Variables") or {}
        names = sorted(
            name for name, value in variables.items() if SECRET_NAME.search(name) and _literal(value)
        )
        if names:
            found.append(
                Finding(
                    "lambda-env-secret",
                    Severity.CRITICAL,
                    f"Lambda {function['FunctionName']} holds a plaintext secret in {', '.join(names)}",
                    "Rotate the secret, store it in Secrets Manager and pass the function its ARN.",
                    AwsSource("lambda", "ListFunctions", function["FunctionArn"]),
                )
            )
    return found


def _literal(value: str) -> bool:
    return bool(value.strip()) and not REFERENCE.match(value.strip())


def _name(function_arn: str) -> str:
    """Return the function's name from its ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])."""
    return function_arn.split(":")[6]
