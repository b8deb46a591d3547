"""KnowledgeBaseCache: the same Loaded object while nothing changed (checked by stat, or by one
ListObjectsV2 on S3), a fresh one as soon as a file is added, removed or edited."""

from __future__ import annotations

import os
import shutil
import threading

import boto3
import pytest
from moto import mock_aws

from reports import kb
from reports.kb import cache as kb_cache
from reports.kb import loader, sources
from reports.kb.cache import KnowledgeBaseCache

BUCKET = "portfolio-kb"
OLD_NS = 1_700_000_000 * 10**9  # 2023-11-14: long before any look, so never "racily clean"


def age(root) -> None:
    """Set every file's mtime well in the past, as files that have not just been written."""
    for path in root.rglob("*"):
        os.utime(path, ns=(OLD_NS, OLD_NS))


@pytest.fixture
def copy(tmp_path, fixture_dir):
    root = tmp_path / "kb"
    shutil.copytree(fixture_dir, root)
    age(root)
    return root


@pytest.fixture
def parses(monkeypatch) -> list[int]:
    """Count the parses the cache makes."""
    calls: list[int] = []
    real = loader.parse

    def counting(files):
        calls.append(1)
        return real(files)

    monkeypatch.setattr(loader, "parse", counting)
    return calls


def test_unchanged_files_give_the_same_object_without_reading_or_parsing(copy, parses, monkeypatch):
    cache = KnowledgeBaseCache(copy)
    first = cache.load()
    reads: list[str] = []
    monkeypatch.setattr(sources, "read_files", lambda *args, **kwargs: reads.append("read") or {})

    assert cache.load() is first
    assert cache.load() is first
    assert parses == [1]
    assert reads == []  # only stat'ed
    assert cache.loads == 1
    assert first.base == kb.load(str(copy)).base


def test_an_edited_file_is_reloaded(copy, parses):
    cache = KnowledgeBaseCache(str(copy))
    first = cache.load()
    ledger = copy / "ledger.csv"
    ledger.write_text(ledger.read_text() + "2026-10-31,jada,6000,-1.00,one more row\n")

    second = cache.load()

    assert second is not first
    assert len(second.base.ledger) == len(first.base.ledger) + 1
    assert cache.load() is second
    assert len(parses) == 2


def test_an_edit_that_keeps_the_size_is_seen_by_its_mtime(copy, parses):
    cache = KnowledgeBaseCache(copy)
    first = cache.load()
    ledger = copy / "ledger.csv"
    text = ledger.read_text()
    ledger.write_text(text.replace("jada", "JADA", 1))
    os.utime(ledger, ns=(OLD_NS + 10**9, OLD_NS + 10**9))  # a second later, and still old

    assert len(ledger.read_text()) == len(text)
    assert cache.load() is not first
    assert len(parses) == 2


def test_a_same_size_edit_within_one_mtime_tick_is_still_seen(copy, parses):
    # GIVEN files written just now (their mtime is as recent as the cache's look at them)
    ledger = copy / "ledger.csv"
    os.utime(ledger)
    cache = KnowledgeBaseCache(copy)
    first = cache.load()
    # WHEN one is rewritten, same size, and its mtime and inode come out identical (a coarse clock)
    before = ledger.stat()
    ledger.write_text(ledger.read_text().replace("jada", "JADA", 1))
    os.utime(ledger, ns=(before.st_atime_ns, before.st_mtime_ns))
    # THEN the cache, not trusting an mtime that recent, compares the contents and reloads
    assert cache.load() is not first
    assert len(parses) == 2


def test_recent_files_unchanged_are_compared_not_parsed(copy, parses):
    os.utime(copy / "ledger.csv")  # just written
    cache = KnowledgeBaseCache(copy)
    first = cache.load()

    assert cache.load() is first
    assert parses == [1]


def test_an_added_or_removed_file_is_reloaded(copy, parses, fixture_dir):
    cache = KnowledgeBaseCache(copy)
    first = cache.load()
    entity = next((copy / "entities").glob("*.md"))
    shutil.copy(entity, copy / "entities" / "zz-copy.md")

    added = cache.load()
    (copy / "entities" / "zz-copy.md").unlink()
    removed = cache.load()

    assert added is not first and removed is not added
    assert len(removed.base.entities) == len(first.base.entities)
    assert len(parses) == 3


def test_files_the_loader_does_not_read_change_nothing(copy, parses):
    cache = KnowledgeBaseCache(copy)
    first = cache.load()
    (copy / "README.md").write_text("notes\n")
    (copy / "entities" / ".draft.md").write_text("---\n")
    (copy / "entities" / "notes.txt").write_text("x\n")

    assert cache.load() is first
    assert parses == [1]


def test_a_missing_directory_raises_every_time(tmp_path):
    cache = KnowledgeBaseCache(tmp_path / "nowhere")

    for _ in range(2):
        with pytest.raises(kb.KnowledgeBaseError, match="no such directory"):
            cache.load()


def test_concurrent_first_loads_parse_once(copy, parses):
    cache = KnowledgeBaseCache(copy)
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.load())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len({id(loaded) for loaded in results}) == 1
    assert parses == [1]


# --- S3: one ListObjectsV2 per check, ETags compared ----------------------------------------


@pytest.fixture
def s3(monkeypatch, fixture_dir):
    """An in-process mock S3 holding the fixture under `kb/2026/` (as tests/reports/test_kb_s3.py)."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    sources.s3_client.cache_clear()
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
        for path in fixture_dir.rglob("*"):
            if path.is_file():
                key = f"kb/2026/{path.relative_to(fixture_dir).as_posix()}"
                client.put_object(Bucket=BUCKET, Key=key, Body=path.read_bytes())
        yield client
    sources.s3_client.cache_clear()


@pytest.fixture
def s3_calls(s3) -> list[str]:
    """Record the S3 operations made through the test's client."""
    calls: list[str] = []
    s3.meta.events.register("before-call.s3.*", lambda model, **_: calls.append(model.name))
    return calls


def test_s3_unchanged_is_one_list_call_and_the_same_object(s3, s3_calls, parses):
    cache = KnowledgeBaseCache("s3://portfolio-kb/kb/2026", s3=s3)
    first = cache.load()
    s3_calls.clear()

    assert cache.load() is first
    assert s3_calls == ["ListObjectsV2"]
    assert parses == [1]
    assert first.base == kb.load(f"s3://{BUCKET}/kb/2026", s3=s3).base


def test_s3_an_edited_added_or_removed_object_is_reloaded(s3, parses):
    cache = KnowledgeBaseCache(f"s3://{BUCKET}/kb/2026/", s3=s3)
    first = cache.load()
    ledger = s3.get_object(Bucket=BUCKET, Key="kb/2026/ledger.csv")["Body"].read()

    s3.put_object(Bucket=BUCKET, Key="kb/2026/ledger.csv", Body=ledger + b"2026-10-31,jada,6000,-1.00,more\n")
    edited = cache.load()
    entity = s3.list_objects_v2(Bucket=BUCKET, Prefix="kb/2026/entities/")["Contents"][0]["Key"]
    body = s3.get_object(Bucket=BUCKET, Key=entity)["Body"].read()
    s3.put_object(Bucket=BUCKET, Key="kb/2026/entities/zz-copy.md", Body=body)
    added = cache.load()
    s3.delete_object(Bucket=BUCKET, Key="kb/2026/entities/zz-copy.md")
    removed = cache.load()

    assert len(edited.base.ledger) == len(first.base.ledger) + 1
    assert len({id(first), id(edited), id(added), id(removed)}) == 4
    assert cache.load() is removed
    assert len(parses) == 4


def test_s3_objects_the_loader_does_not_read_change_nothing(s3, parses):
    cache = KnowledgeBaseCache(f"s3://{BUCKET}/kb/2026", s3=s3)
    first = cache.load()
    s3.put_object(Bucket=BUCKET, Key="kb/2026/README.txt", Body=b"not read")
    s3.put_object(Bucket=BUCKET, Key="kb/2027/ledger.csv", Body=b"another prefix")

    assert cache.load() is first
    assert parses == [1]


def test_s3_a_missing_bucket_raises_the_loaders_error(s3):
    cache = KnowledgeBaseCache("s3://no-such-bucket/kb", s3=s3)

    with pytest.raises(kb.KnowledgeBaseError, match="s3://no-such-bucket/kb"):
        cache.load()


def test_the_racy_window_is_a_few_seconds():
    assert 1 <= kb_cache.RACY_NS / 1e9 <= 5
