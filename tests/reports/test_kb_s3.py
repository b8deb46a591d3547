"""A knowledge base in `s3://bucket/prefix` loads exactly like the same files in a directory."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from reports import kb
from reports.kb import sources


@pytest.fixture
def s3(monkeypatch, fixture_dir):
    """An in-process mock S3 holding the fixture under `kb/2026/` plus a stray file."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)  # the suite's moto server is not used here
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    sources.s3_client.cache_clear()
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(
            Bucket="portfolio-kb", CreateBucketConfiguration={"LocationConstraint": "us-west-2"}
        )
        for path in fixture_dir.rglob("*"):
            if path.is_file():
                key = f"kb/2026/{path.relative_to(fixture_dir).as_posix()}"
                client.put_object(Bucket="portfolio-kb", Key=key, Body=path.read_bytes())
        client.put_object(Bucket="portfolio-kb", Key="kb/2026/README.txt", Body=b"not read")
        yield client
    sources.s3_client.cache_clear()


def test_s3_prefix_loads_like_the_directory(s3, fixture_dir):
    from_s3 = kb.load("s3://portfolio-kb/kb/2026", s3=s3)
    from_disk = kb.load(str(fixture_dir))

    assert from_s3.problems == ()
    assert from_s3.base == from_disk.base  # sources are relative paths, so even they match


def test_s3_client_is_created_lazily_from_the_environment(s3):
    loaded = kb.load("s3://portfolio-kb/kb/2026/")

    assert len(loaded.base.ledger) == 10


def test_problems_in_s3_files_name_the_file(s3):
    s3.put_object(
        Bucket="portfolio-kb",
        Key="kb/2026/ledger.csv",
        Body=b"date,entity,account,amount,memo\nx,jada,6000,1,\n",
    )

    loaded = kb.load("s3://portfolio-kb/kb/2026", s3=s3)

    assert [str(p) for p in loaded.problems] == ["ledger.csv:2: 'date' must be a date YYYY-MM-DD, not 'x'"]


def test_missing_bucket_raises(s3):
    with pytest.raises(kb.KnowledgeBaseError, match="s3://no-such-bucket/kb"):
        kb.load("s3://no-such-bucket/kb", s3=s3)
