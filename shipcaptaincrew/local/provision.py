"""Create every table, identity and bucket the app needs; safe to run again (idempotent)."""

from __future__ import annotations

import logging

from botocore.exceptions import ClientError

from ..storage.tables import TableSpec

log = logging.getLogger(__name__)


def provision(app) -> list[str]:
    """Create what is missing on the configured AWS endpoint; return what was created."""
    created = [spec.name for spec in app.tables() if _ensure_table(app.clients.dynamodb, spec)]
    if _ensure_sender(app.clients.sesv2, app.settings.ses_from_address):
        created.append(f"ses identity {app.settings.ses_from_address}")
    for bucket in app.buckets():
        if _ensure_bucket(app.clients.s3, bucket, app.settings.aws_region):
            created.append(f"s3://{bucket}")
    return created


def _ensure_table(dynamodb, spec: TableSpec) -> bool:
    request = spec.create_request()
    try:
        dynamodb.create_table(**request)
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceInUseException":
            return False
        raise
    dynamodb.get_waiter("table_exists").wait(TableName=spec.name, WaiterConfig={"Delay": 1})
    if spec.ttl_attribute:
        dynamodb.update_time_to_live(
            TableName=spec.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
        )
    return True


def _ensure_sender(sesv2, address: str) -> bool:
    try:
        sesv2.get_email_identity(EmailIdentity=address)
        return False
    except ClientError as error:
        if error.response["Error"]["Code"] != "NotFoundException":
            raise
    sesv2.create_email_identity(EmailIdentity=address)
    return True


def _ensure_bucket(s3, bucket: str, region: str) -> bool:
    try:
        s3.head_bucket(Bucket=bucket)
        return False
    except ClientError as error:
        if error.response["Error"]["Code"] not in {"404", "NoSuchBucket", "NotFound"}:
            raise
    extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **extra)
    return True
