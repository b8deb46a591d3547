"""Read the live AWS source: cost, usage and the security audit, read-only, once per run.

Every source (`sources.SOURCES`) is read in its own guard, on its own thread: a denied or absent
API becomes an `Unavailable` line ("AccessDenied on iam:GetCredentialReport", "not reachable:
...") and the others go on, so the audit can never fail a run. The calls are listed in
`reports/account/sources.py`; they are all read-only.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from ..quick_clients import quick_clients
from . import checks
from .model import Account, Unavailable
from .sources import SOURCES, WORKERS, GetClient, Reader

log = logging.getLogger(__name__)

AUDIT = "the live AWS audit"
# The app's own function when AWS_LAMBDA_FUNCTION_NAME is not set (a local run): the deploy's
# default FUNCTION_NAME, which is also the function the stand-in seed creates.
APP_FUNCTION = "shipcaptaincrew"
# IAM actions whose names differ from their API operation's.
ACTIONS = {
    "s3:ListBuckets": "s3:ListAllMyBuckets",
    "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
}


def read_for_host(host, *, today: date) -> Account:
    """Return the live AWS source as a report run reads it: the host's region and endpoint
    (the embedded stand-in locally), the app's own function, and LIVE_AUDIT."""
    settings = host.settings
    return read_account(
        quick_clients(settings.aws_region, settings.aws_endpoint_url),
        today=today,
        function_name=settings.self_function_name or APP_FUNCTION,
        enabled=host.settings_of("reports").live_audit == "on",
    )


def read_account(
    get_client: GetClient, *, today: date, function_name: str | None, enabled: bool = True
) -> Account:
    """Return the live AWS source for a run on `today`; never raises for AWS's sake.

    `get_client(service)` returns a boto3 client (`quick_clients(region, endpoint)`);
    `function_name` is the app's own Lambda, whose usage is read (None: SES usage only).
    """
    if not enabled:
        return Account.off(AUDIT, "LIVE_AUDIT=off")
    reader = Reader(get_client, today=today, function_name=function_name)
    try:
        reader.account_id = reader.call("sts", "get_caller_identity")["Account"]
        reader.region = get_client("sts").meta.region_name
    except Exception as error:  # noqa: BLE001 - no account reachable: nothing else can be read either
        return Account(unavailable=(Unavailable(AUDIT, reason(error, "sts")),), calls=reader.calls)
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="audit") as pool:
        started = [(name, service, pool.submit(read, reader)) for name, service, read in SOURCES]
    parts, unavailable = [], []
    for name, service, future in started:
        try:
            parts.append(future.result())
        except Exception as error:  # noqa: BLE001 - one source's failure is a line in the report
            log.warning(
                "live AWS source unavailable", extra={"source": name, "reason": reason(error, service)}
            )
            unavailable.append(Unavailable(name, reason(error, service)))
    findings = sorted((f for part in parts for f in part.findings), key=lambda f: (f.severity.rank, f.title))
    return Account(
        cost=next((part.cost for part in parts if part.cost), None),
        usage=next((part.usage for part in parts if part.usage), None),
        findings=tuple(findings),
        unavailable=tuple(unavailable),
        checked=tuple(check for check in checks.ALL if any(check in part.checked for part in parts)),
        calls=reader.calls,
    )


def reason(error: Exception, service: str) -> str:
    """Say why a source could not be read, naming the refused action (never a value read)."""
    if isinstance(error, ClientError):
        action = f"{service}:{error.operation_name}"
        return f"{error.response.get('Error', {}).get('Code', 'Error')} on {ACTIONS.get(action, action)}"
    if isinstance(error, NoCredentialsError):
        return "no AWS credentials: none in the environment, profile or instance role"
    if isinstance(error, BotoCoreError):
        return f"not reachable: {error}"
    return f"{type(error).__name__}: {error}"
