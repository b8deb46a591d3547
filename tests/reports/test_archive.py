"""Every rendered report is archived (HTML, text, data) under its run, in a directory or on S3."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from reports.archive import Archive
from reports.render import Rendered

RENDERED = Rendered(
    report_id="cfo",
    subject="CFO report — burn $8,100/month",
    text="Burn: $8,100/month\n",
    html="<p>Burn: <b>$8,100</b>/month</p>",
    data={"burn": 8100, "entities": ["jada"]},
)


def make_bucket(s3, name: str) -> None:
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})


def test_a_directory_archive_keeps_the_three_files_under_the_run(tmp_path):
    # GIVEN an archive in a directory that does not exist yet
    archive = Archive.at(str(tmp_path / "archive"))

    # WHEN a rendered report is stored for run r-1
    written = archive.store("r-1", RENDERED)

    # THEN html, txt and json sit in <root>/r-1/, and the JSON holds the subject and the data
    run_dir = tmp_path / "archive" / "r-1"
    assert written == [str(run_dir / "cfo.html"), str(run_dir / "cfo.txt"), str(run_dir / "cfo.json")]
    assert (run_dir / "cfo.html").read_text(encoding="utf-8") == RENDERED.html
    assert (run_dir / "cfo.txt").read_text(encoding="utf-8") == RENDERED.text
    stored = json.loads((run_dir / "cfo.json").read_text(encoding="utf-8"))
    assert stored == {
        "subject": "CFO report — burn $8,100/month",
        "data": {"burn": 8100, "entities": ["jada"]},
    }
    assert sorted(path.name for path in run_dir.iterdir()) == ["cfo.html", "cfo.json", "cfo.txt"]


def test_storing_again_replaces_the_files(tmp_path):
    # GIVEN a report already archived for a run (a retry of that run re-archives it)
    archive = Archive.at(str(tmp_path))
    archive.store("r-1", RENDERED)

    # WHEN it is stored again with new text
    archive.store("r-1", Rendered("cfo", "s", "second", "<p>second</p>", {}))

    # THEN the files hold the new text and no temporary file is left behind
    assert (tmp_path / "r-1" / "cfo.txt").read_text() == "second"
    assert sorted(path.name for path in (tmp_path / "r-1").iterdir()) == ["cfo.html", "cfo.json", "cfo.txt"]


def test_an_s3_archive_writes_each_file_with_its_content_type(app):
    # GIVEN a bucket and an archive under a prefix (a trailing slash is tolerated)
    s3 = app.clients.s3
    make_bucket(s3, "scc-archive")
    archive = Archive.at("s3://scc-archive/reports/", s3=s3)

    # WHEN a report is stored
    written = archive.store("2025-01-06T06-00", RENDERED)

    # THEN three objects exist, with the content types a browser needs to open them
    base = "reports/2025-01-06T06-00/cfo"
    assert written == [
        f"s3://scc-archive/{base}.html",
        f"s3://scc-archive/{base}.txt",
        f"s3://scc-archive/{base}.json",
    ]
    types = {
        suffix: s3.head_object(Bucket="scc-archive", Key=f"{base}.{suffix}")["ContentType"]
        for suffix in ("html", "txt", "json")
    }
    assert types == {
        "html": "text/html; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
        "json": "application/json",
    }
    body = s3.get_object(Bucket="scc-archive", Key=f"{base}.json")["Body"].read()
    assert json.loads(body) == {"subject": RENDERED.subject, "data": RENDERED.data}
    assert s3.get_object(Bucket="scc-archive", Key=f"{base}.html")["Body"].read().decode() == RENDERED.html


def test_an_s3_archive_at_the_bucket_root_has_no_prefix(app):
    # GIVEN an archive at the root of a bucket
    make_bucket(app.clients.s3, "scc-archive")
    archive = Archive.at("s3://scc-archive", s3=app.clients.s3)

    # WHEN / THEN keys start with the run id
    assert archive.store("r-1", RENDERED)[0] == "s3://scc-archive/r-1/cfo.html"


def test_a_missing_bucket_raises_so_the_report_is_not_sent(app):
    # GIVEN an archive in a bucket that does not exist
    archive = Archive.at("s3://no-such-bucket/reports", s3=app.clients.s3)

    # WHEN / THEN storing raises (the run engine then refuses to send the report)
    with pytest.raises(ClientError):
        archive.store("r-1", RENDERED)


def test_an_unwritable_directory_raises(tmp_path):
    # GIVEN an archive "directory" that is in fact a file
    blocker = tmp_path / "archive"
    blocker.write_text("not a directory")

    # WHEN / THEN storing raises
    with pytest.raises(OSError):
        Archive.at(str(blocker)).store("r-1", RENDERED)


@pytest.mark.parametrize(
    "run_id",
    ["..", ".", "../escape", "a/b", "a\\b", "", "r 1", "r-1\n", "run\x00", "/abs", "é"],
)
def test_a_run_id_that_could_escape_the_root_is_refused(tmp_path, run_id):
    # GIVEN a directory archive
    archive = Archive.at(str(tmp_path / "archive"))

    # WHEN / THEN an unsafe run id is refused and nothing is written anywhere
    with pytest.raises(ValueError, match="unsafe id"):
        archive.store(run_id, RENDERED)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("report_id", ["../cfo", "..", "cfo/x", "cfo\n"])
def test_a_report_id_that_could_escape_the_root_is_refused(tmp_path, report_id):
    # GIVEN a rendered report with an unsafe id
    rendered = Rendered(report_id, "s", "t", "<p>h</p>", {})

    # WHEN / THEN it is refused
    with pytest.raises(ValueError, match="unsafe id"):
        Archive.at(str(tmp_path)).store("r-1", rendered)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("location", ["", "   ", "s3://", "s3:///prefix"])
def test_a_location_without_a_place_is_refused(location, app):
    # WHEN / THEN an archive with no directory or no bucket cannot be made
    with pytest.raises(ValueError):
        Archive.at(location, s3=app.clients.s3)


def test_an_s3_location_needs_a_client():
    # WHEN / THEN the S3 client is never created here: it must be passed in
    with pytest.raises(ValueError, match="S3 client"):
        Archive.at("s3://scc-archive/reports")
