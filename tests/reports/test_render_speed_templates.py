"""Compiled templates (what the deployment zip carries) render exactly as the source templates, and
are never used in place of newer sources: development always reads the templates themselves."""

from __future__ import annotations

import json
import os
import shutil
import traceback
from datetime import UTC, datetime

import pytest
from jinja2 import FileSystemLoader, ModuleLoader, UndefinedError

from reports import render
from reports.build import build_all
from reports.live import Live

LIVE = {
    "events_by_status": {"booked": 2, "cancelled": 1, "completed": 2, "hold": 1, "inquiry": 2},
    "upcoming_charters": 5,
    "users_by_role": {"admin": 1, "captain": 1, "crew": 1},
    "checklist_completion": 0.5,
}
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def rendered_with(environments, loaded, monkeypatch) -> dict:
    """Render every report of `loaded` with the given (html, text) environments."""
    monkeypatch.setattr(render, "environments", lambda: environments)
    outcomes = build_all(loaded, lambda: Live(LIVE), now=NOW)
    monkeypatch.undo()
    assert [outcome.error for outcome in outcomes if not outcome.ok] == []
    return {outcome.report.id: outcome.rendered for outcome in outcomes}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compiled")
    render.compile_templates(folder)
    return folder


def test_development_reads_the_source_templates():
    assert not render.COMPILED.exists()  # only scripts/package.py writes it, into the zip
    html, text = render.environments()
    assert type(html.loader) is FileSystemLoader and type(text.loader) is FileSystemLoader


def test_compiled_templates_render_every_report_byte_for_byte(compiled, sample, monkeypatch):
    from_source = rendered_with(
        render.environments_for(compiled / "absent", render.TEMPLATES), sample, monkeypatch
    )
    environments = render.environments_for(compiled, render.TEMPLATES)
    assert all(isinstance(environment.loader, ModuleLoader) for environment in environments)

    from_compiled = rendered_with(environments, sample, monkeypatch)

    assert from_compiled.keys() == from_source.keys()
    for report_id, source in from_source.items():
        assert from_compiled[report_id].subject == source.subject
        assert from_compiled[report_id].text == source.text
        assert from_compiled[report_id].html == source.html
        assert json.dumps(from_compiled[report_id].data) == json.dumps(source.data)


def test_html_and_text_compile_differently(compiled):
    assert sorted(path.name for path in compiled.iterdir()) == ["html", "stamp.json", "text"]
    html = {path.name for path in (compiled / "html").glob("*.py")}
    text = {path.name for path in (compiled / "text").glob("*.py")}
    assert html and text and not html & text  # .html in one, .txt in the other
    assert "escape(" in "".join(path.read_text() for path in (compiled / "html").glob("*.py"))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """The templates copied and compiled beside them as the zip has them, once for the module."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(render.TEMPLATES, root / "templates")
    render.compile_templates(root / "compiled", root / "templates")
    return root


@pytest.fixture
def templates(pristine, tmp_path):
    """A test's own copy of the templates, with their compiled copy at `../compiled`."""
    for name in ("templates", "compiled"):
        shutil.copytree(pristine / name, tmp_path / name, copy_function=shutil.copy)
    return tmp_path / "templates"


def test_an_edited_template_is_never_shadowed_by_its_compiled_copy(templates, sample, monkeypatch, caplog):
    folder = templates.parent / "compiled"
    assert all(isinstance(env.loader, ModuleLoader) for env in render.environments_for(folder, templates))
    subject = templates / "ceo" / "subject.txt"
    subject.write_text("EDITED " + subject.read_text())

    environments = render.environments_for(folder, templates)

    assert all(type(env.loader) is FileSystemLoader for env in environments)
    assert rendered_with(environments, sample, monkeypatch)["ceo"].subject.startswith("EDITED ")
    assert "stale" in caplog.text


@pytest.mark.parametrize(
    "change",
    [
        lambda folder, templates: (templates / "_macros.html").write_text("{# changed #}"),
        lambda folder, templates: (templates / "cto" / "new.txt").write_text("new"),
        lambda folder, templates: (templates / "cfo" / "body.txt").unlink(),
        lambda folder, templates: (folder / "stamp.json").unlink(),
        lambda folder, templates: (folder / "stamp.json").write_text("{not json"),
        lambda folder, templates: _rewrite_stamp(folder, jinja2="0.0.1"),
        lambda folder, templates: _rewrite_stamp(folder, render="another render.py"),
    ],
    ids=["edited", "added", "removed", "no stamp", "bad stamp", "other jinja2", "other render.py"],
)
def test_anything_out_of_step_falls_back_to_the_source_templates(templates, change):
    folder = templates.parent / "compiled"
    change(folder, templates)

    assert not render.compiled_is_current(folder, templates)
    assert all(type(env.loader) is FileSystemLoader for env in render.environments_for(folder, templates))


def test_a_stray_file_among_the_templates_does_not_make_them_stale(templates):
    (templates / ".ceo.swp").write_text("editor junk")
    (templates / "ceo" / "notes.md").write_text("not a template")

    assert render.compiled_is_current(templates.parent / "compiled", templates)


def test_in_development_a_template_edit_shows_at_once(templates, sample, monkeypatch):
    environments = render.environments_for(templates.parent / "absent", templates)
    first = rendered_with(environments, sample, monkeypatch)["ceo"].subject
    subject = templates / "ceo" / "subject.txt"
    subject.write_text("EDITED " + subject.read_text())
    later = subject.stat().st_mtime + 5  # a person's edit comes more than a clock tick later
    os.utime(subject, (later, later))

    assert rendered_with(environments, sample, monkeypatch)["ceo"].subject == "EDITED " + first


def test_a_template_error_points_at_the_template_line_not_the_generated_python(tmp_path):
    source = tmp_path / "templates"
    (source / "x").mkdir(parents=True)
    (source / "x" / "body.txt").write_text("line one\n{{ fine }}\n{{ missing.attribute }}\n")
    render.compile_templates(tmp_path / "compiled", source)
    _html, text = render.environments_for(tmp_path / "compiled", source)
    assert isinstance(text.loader, ModuleLoader)

    with pytest.raises(UndefinedError) as raised:
        text.get_template("x/body.txt").render(fine=1)

    shown = "".join(traceback.format_exception(raised.value))
    assert f'File "{source / "x" / "body.txt"}", line 3' in shown
    assert "{{ missing.attribute }}" in shown


def _rewrite_stamp(folder, **changes) -> None:
    stamp = json.loads((folder / "stamp.json").read_text())
    (folder / "stamp.json").write_text(json.dumps({**stamp, **changes}))
