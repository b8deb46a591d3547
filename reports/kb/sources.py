"""Fetch a knowledge base's files from a directory or an `s3://bucket/prefix`, as raw bytes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from .problems import KnowledgeBaseError

TABLES = ("portfolio.toml", "accounts.csv", "ledger.csv", "assets.csv")
FOLDERS = ("entities", "projects")  # each holds one Markdown file per entity or handoff
DEFAULT_LOCATION = Path(__file__).resolve().parents[2] / "examples" / "portfolio"


def is_knowledge_file(relative: str) -> bool:
    """Tell whether a path inside the knowledge base is one the loader reads."""
    folder, _, name = relative.rpartition("/")
    if not folder:
        return name in TABLES
    return folder in FOLDERS and name.endswith(".md") and not name.startswith(".")


def read_files(location: str, *, s3=None) -> dict[str, bytes]:
    """Return {relative path: content} for every knowledge-base file at `location`."""
    if location.startswith("s3://"):
        return _read_s3(location, s3 or s3_client())
    return _read_directory(Path(location))


@cache
def s3_client():
    """Return the S3 client, created on first use (the standard AWS variables apply)."""
    import boto3  # imported here: only S3 knowledge bases pay for importing boto3

    return boto3.client("s3")


def _read_directory(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        raise KnowledgeBaseError(f"{root}: no such directory")
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and is_knowledge_file(relative):
            files[relative] = path.read_bytes()
    return files


def _read_s3(location: str, s3) -> dict[str, bytes]:
    bucket, _, prefix = location.removeprefix("s3://").partition("/")
    prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    try:
        keys = [
            item["Key"]
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for item in page.get("Contents", [])
        ]
        return {
            key.removeprefix(prefix): s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            for key in sorted(keys)
            if is_knowledge_file(key.removeprefix(prefix))
        }
    except (ClientError, BotoCoreError) as error:
        raise KnowledgeBaseError(f"{location}: {error}") from error
