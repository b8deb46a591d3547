"""The size budget (issue 16): at most 60 KB of HTML per sample report, 90 KB for a knowledge base
of 150 accounts and 500 assets (Gmail clips at ~102 KB, hiding the sources and the links). Long
tables show their top rows and "and 37 more"; the full tables go along as CSV (UTF-8 with a BOM),
and the figures of the HTML, the text and the CSV agree."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from generated_kb import grow

from reports import kb
from reports.build import build_all
from reports.live import unavailable

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio"
NOW = datetime(2026, 11, 16, 14, 0, tzinfo=UTC)
MONEY = re.compile(r"-?\$\d[\d,]*(?:\.\d\d)?")
MORE = re.compile(r"And (\d+) more [^:]*: every row is in the attached ([\w-]+\.csv)")


def build(location: Path) -> dict:
    outcomes = build_all(kb.load(str(location)), unavailable("no AWS in this test"), now=NOW)
    assert all(outcome.rendered for outcome in outcomes), [o.error for o in outcomes if not o.rendered]
    return {outcome.report.id: outcome.rendered for outcome in outcomes}


@pytest.fixture(scope="module")
def sample() -> dict:
    return build(SAMPLE)


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> dict:
    root = grow(tmp_path_factory.mktemp("large") / "kb")
    loaded = kb.load(str(root))
    assert len(loaded.base.accounts) == 150 and len(loaded.base.assets) == 500
    return build(root)


def visible(markup: str) -> str:
    body = re.sub(r'<div style="display:none.*?</div>', "", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def tables(rendered) -> dict[str, list[list[str]]]:
    out = {}
    for filename, content in rendered.attachments:
        assert content.startswith(b"\xef\xbb\xbf"), filename  # the BOM Excel needs to read UTF-8
        out[filename] = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return out


def test_every_sample_report_is_at_most_60_kb_of_html(sample):
    sizes = {report_id: len(r.html.encode()) for report_id, r in sample.items()}
    assert all(size <= 60_000 for size in sizes.values()), sizes


def test_every_report_of_150_accounts_and_500_assets_is_at_most_90_kb_of_html(large):
    sizes = {report_id: len(r.html.encode()) for report_id, r in large.items()}
    assert all(size <= 90_000 for size in sizes.values()), sizes
    # AND the long tables are shortened, with the rest in their CSV
    assert "chart-of-accounts.csv" in dict(large["accounting"].attachments)
    assert len(tables(large["accounting"])["chart-of-accounts.csv"]) == 1 + 150
    assert len(tables(large["cto"])["stack.csv"]) > 13


@pytest.mark.parametrize("which", ["sample", "large"])
def test_and_n_more_counts_the_rows_the_csv_adds(request, which):
    for report_id, rendered in request.getfixturevalue(which).items():
        attached = tables(rendered)
        for body in (visible(rendered.html), " ".join(rendered.text.split())):
            for left, filename in MORE.findall(body):
                assert filename in attached, (report_id, filename)
                rows = attached[filename][1:]
                shown = len(rows) - int(left)
                assert 0 < shown <= 13, (report_id, filename, shown)


@pytest.mark.parametrize("which", ["sample", "large"])
def test_the_figures_of_html_text_and_csv_agree(request, which):
    for report_id, rendered in request.getfixturevalue(which).items():
        in_html = set(MONEY.findall(visible(rendered.html)))
        in_text = set(MONEY.findall(rendered.text))
        attached = tables(rendered)
        in_csv = {
            m for rows in attached.values() for row in rows for cell in row for m in MONEY.findall(cell)
        }
        # every figure either part shows is in the other, or in the full table attached
        assert in_html <= in_text | in_csv, (report_id, in_html - in_text - in_csv)
        assert in_text <= in_html | in_csv, (report_id, in_text - in_html - in_csv)
        # and the top rows of every attached table are the rows both parts show
        for filename, rows in attached.items():
            for row in rows[1:3]:
                for cell in row:
                    if MONEY.fullmatch(cell):
                        assert cell in in_text, (report_id, filename, cell)
