"""The zip carries the report templates compiled for both jinja2 environments; the deployed app
renders every report through them (ModuleLoader) exactly as development renders from the sources
(FileSystemLoader), and picks them by itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime

import pytest
from jinja2 import FileSystemLoader, ModuleLoader

from reports import kb, render
from reports.build import build_all
from reports.live import Live

from .conftest import ROOT, load_script

package = load_script("package")

CACHE = ROOT / "dist" / "cache"
COMPILED = "reports/_compiled_templates"
APP = ("lambda_function.py", "shipcaptaincrew/", "reports/", "examples/")
LIVE = {
    "events_by_status": {"booked": 2, "cancelled": 1, "completed": 2, "hold": 1, "inquiry": 2},
    "upcoming_charters": 5,
    "users_by_role": {"admin": 1, "captain": 1, "crew": 1},
    "checklist_completion": 0.5,
}
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("zip") / "lambda.zip"
    package.build_zip(out, cache_dir=CACHE)
    return out


@pytest.fixture(scope="module")
def app(built, tmp_path_factory):
    """The app's own files from the zip (its dependencies are built for Lambda's Python 3.12; the
    tests use this virtualenv's copies of the same pinned versions)."""
    target = tmp_path_factory.mktemp("app")
    with zipfile.ZipFile(built) as archive:
        archive.extractall(target, members=[name for name in archive.namelist() if name.startswith(APP)])
    return target


def every_report(environments, monkeypatch) -> dict:
    """Render every sample report with the given (html, text) environments."""
    monkeypatch.setattr(render, "environments", lambda: environments)
    outcomes = build_all(kb.load(str(kb.DEFAULT_LOCATION)), lambda: Live(LIVE), now=NOW)
    monkeypatch.undo()
    assert [outcome.error for outcome in outcomes if not outcome.ok] == []
    return {outcome.report.id: outcome.rendered for outcome in outcomes}


def test_the_zip_carries_both_environments_compiled_and_their_stamp(built):
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
        stamp = json.loads(archive.read(f"{COMPILED}/stamp.json"))
    html = [name for name in names if name.startswith(f"{COMPILED}/html/tmpl_") and name.endswith(".py")]
    text = [name for name in names if name.startswith(f"{COMPILED}/text/tmpl_") and name.endswith(".py")]
    sources = [name for name in names if name.startswith("reports/templates/")]
    assert len(html) == sum(name.endswith(".html") for name in sources) >= 10
    assert len(text) == sum(name.endswith(".txt") for name in sources) >= 18
    assert stamp == render.stamp(render.TEMPLATES)
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_every_report_renders_byte_for_byte_from_the_zips_compiled_templates(app, monkeypatch):
    compiled = render.environments_for(app / COMPILED, app / "reports" / "templates")
    assert all(isinstance(environment.loader, ModuleLoader) for environment in compiled)
    source = render.environments_for(ROOT / "no-compiled-templates", render.TEMPLATES)
    assert all(type(environment.loader) is FileSystemLoader for environment in source)

    from_zip, from_source = every_report(compiled, monkeypatch), every_report(source, monkeypatch)

    assert from_zip.keys() == from_source.keys() and len(from_zip) >= 8
    for report_id, expected in from_source.items():
        assert from_zip[report_id].subject == expected.subject, report_id
        assert from_zip[report_id].text == expected.text, report_id
        assert from_zip[report_id].html == expected.html, report_id
        assert render.dumps(from_zip[report_id].data) == render.dumps(expected.data), report_id


def test_the_deployed_app_picks_the_compiled_templates_by_itself(app):
    code = (
        "from jinja2 import ModuleLoader\n"
        "from reports import render\n"
        "print(all(isinstance(e.loader, ModuleLoader) for e in render.environments()), render.__file__)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=app, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["True", str(app / "reports" / "render.py")]


def test_a_compiled_folder_left_in_the_source_tree_is_replaced_not_shipped(tmp_path, built):
    # GIVEN a copy of the project with an old compiled folder lying in reports/
    for name in ("lambda_function.py", "requirements.txt", "shipcaptaincrew", "reports", "examples"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    stale = tmp_path / COMPILED
    (stale / "html").mkdir(parents=True)
    (stale / "html" / "tmpl_stale.py").write_text("raise SystemExit('stale')\n")
    (stale / "stamp.json").write_text('{"stale": true}\n')
    # WHEN it is packaged
    out = tmp_path / "lambda.zip"
    package.build_zip(out, root=tmp_path, cache_dir=CACHE)
    # THEN the zip holds freshly compiled templates, the same as a clean build's
    with zipfile.ZipFile(out) as archive, zipfile.ZipFile(built) as clean:
        shipped = {name: archive.read(name) for name in archive.namelist() if name.startswith(COMPILED)}
        expected = {name: clean.read(name) for name in clean.namelist() if name.startswith(COMPILED)}
    assert f"{COMPILED}/html/tmpl_stale.py" not in shipped
    assert shipped == expected


def test_templates_compiled_by_another_jinja2_than_the_shipped_one_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(package, "_version", lambda init_file: "0.0.1")

    with pytest.raises(package.PackagingError, match=r"Jinja2 0\.0\.1"):
        package.build_zip(tmp_path / "lambda.zip", cache_dir=CACHE)
