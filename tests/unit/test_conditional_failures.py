"""Which DynamoDB errors are races to retry and which are real faults to raise."""

import pytest
from botocore.exceptions import ClientError

from shipcaptaincrew.storage.items import is_conditional_failure


def client_error(code: str, reasons=None, message: str = "") -> ClientError:
    response = {"Error": {"Code": code, "Message": message}}
    if reasons is not None:
        response["CancellationReasons"] = [{"Code": reason} for reason in reasons]
    return ClientError(response, "TransactWriteItems")


@pytest.mark.parametrize(
    ("error", "is_race"),
    [
        (client_error("ConditionalCheckFailedException"), True),
        (client_error("TransactionCanceledException", ["ConditionalCheckFailed", "None"]), True),
        (client_error("TransactionCanceledException", ["None", "TransactionConflict"]), True),
        # A cancellation for validation or capacity is a fault: retrying it would hide it as a 409.
        (client_error("TransactionCanceledException", ["ValidationError", "None"]), False),
        (client_error("TransactionCanceledException", ["ConditionalCheckFailed", "ValidationError"]), False),
        (client_error("TransactionCanceledException", ["ProvisionedThroughputExceeded"]), False),
        (client_error("TransactionCanceledException", None, "reasons [ConditionalCheckFailed, None]"), True),
        (client_error("ValidationException"), False),
        (client_error("ProvisionedThroughputExceededException"), False),
    ],
)
def test_only_condition_failures_and_transaction_races_count_as_conflicts(error, is_race):
    assert is_conditional_failure(error) is is_race
