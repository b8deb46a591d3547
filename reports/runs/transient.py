"""Which failures are worth another try: throttling, AWS's own 5xx, timeouts and an unreachable
endpoint are transient (the report stays pending and is sent when the run resumes); a rejected
message, an invalid address or a report that fails to build are permanent (the report fails)."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

THROTTLING = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "ProvisionedThroughputExceededException",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalFailure",
        "InternalServerError",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)


def is_transient(error: BaseException) -> bool:
    """Tell whether the same call may succeed if simply made again later."""
    if isinstance(error, ParamValidationError):
        return False
    if isinstance(error, BotoCoreError):  # endpoint unreachable, connection closed, timeouts
        return True
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return code in THROTTLING or status >= 500
    return False
