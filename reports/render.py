"""Render a report's three templates (subject, plain text, HTML) from its context.

Two jinja2 environments: HTML with autoescape (knowledge-base text is untrusted), plain text
without (it is not HTML); both with StrictUndefined, so a missing figure is an error at render
time, never a blank in an email.

Where the templates come from: the deployment zip carries them compiled to Python
(`scripts/package.py` calls `compile_templates` for both environments, which compile
differently) in `reports/_compiled_templates/`, read with jinja2's `ModuleLoader`, so a cold
container never runs jinja2's parser. That folder is used only when its stamp matches the source
templates beside it and the jinja2 that is running; otherwise (development, where the folder does
not exist, or a stale copy left lying around) the source templates are read with
`FileSystemLoader`, so an edited template shows at once.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from urllib.parse import quote

import jinja2
from jinja2 import BaseLoader, Environment, FileSystemLoader, ModuleLoader, StrictUndefined

from .account.model import AwsSource
from .formatting import FILTERS, text_table, wrap_text

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Written only by scripts/package.py into the zip; never present in a source checkout.
COMPILED = Path(__file__).resolve().parent / "_compiled_templates"
STAMP = "stamp.json"
# The environment that renders each kind of template (render() asks html for body.html only).
SUFFIXES = {"html": ".html", "text": ".txt"}


@dataclass(frozen=True)
class Rendered:
    """One rendered report: what is emailed, plus the data the templates received."""

    report_id: str
    subject: str
    text: str
    html: str
    data: dict
    # (file name, bytes): the full tables the email shows the top of, attached as CSV
    attachments: tuple[tuple[str, bytes], ...] = ()


@dataclass
class Attachments:
    """The full tables a report attaches as CSV; a template calls `attachments.add(name, headers,
    rows)` for a table it shortens and gets the file name back. The text and HTML templates both
    add the same tables: the last call for a name wins."""

    tables: dict[str, dict] = dataclasses.field(default_factory=dict)

    def add(self, name: str, headers: list, rows: list) -> str:
        """Keep `rows` (cells as shown) under `name`.csv; return the file name."""
        filename = f"{name}.csv"
        self.tables[filename] = {
            "headers": [str(h) for h in headers],
            "rows": [[_cell(c) for c in row] for row in rows],
        }
        return filename

    def files(self) -> tuple[tuple[str, bytes], ...]:
        """Return each table as a CSV file: UTF-8 with a byte-order mark, so Excel reads it as UTF-8."""
        out = []
        for filename, table in self.tables.items():
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(table["headers"])
            writer.writerows(table["rows"])
            out.append((filename, ("\ufeff" + buffer.getvalue()).encode("utf-8")))
        return tuple(out)


def _cell(value) -> str:
    return "" if value is None else str(value)


@dataclass
class Footnotes:
    """Numbered sources cited by a report; templates call `footnotes.ref(label)` beside a figure.

    A label is a knowledge-base source ("assets.csv", "projects/tech.md") or a live AWS source
    (`AwsSource`), shown as the service, the API call and the resource's ARN."""

    labels: list[str] = dataclasses.field(default_factory=list)

    def ref(self, label: str | AwsSource) -> int:
        """Return the footnote number for `label`, adding it on first use."""
        if isinstance(label, AwsSource):
            label = f"AWS {label.service} {label.api}: {label.arn}"
        if label not in self.labels:
            self.labels.append(label)
        return self.labels.index(label) + 1


def make_environments(html_loader: BaseLoader, text_loader: BaseLoader) -> tuple[Environment, Environment]:
    """Return the (html, text) environments over the given loaders (source or compiled)."""
    shared = {"undefined": StrictUndefined, "trim_blocks": True, "lstrip_blocks": True}
    html = Environment(loader=html_loader, autoescape=True, **shared)
    text = Environment(loader=text_loader, autoescape=False, keep_trailing_newline=True, **shared)  # noqa: S701 - not HTML
    for environment in (html, text):
        environment.filters.update(FILTERS)
        environment.globals["text_table"] = text_table
    return html, text


@lru_cache(maxsize=1)
def environments() -> tuple[Environment, Environment]:
    """Return the (html, text) environments, built once per process on first use."""
    return environments_for(COMPILED, TEMPLATES)


def environments_for(compiled: Path, templates: Path) -> tuple[Environment, Environment]:
    """Return environments on the compiled templates in `compiled` when they are current for
    `templates`, else on the source templates."""
    if compiled_is_current(compiled, templates):
        return make_environments(*(_compiled_loader(compiled / kind, templates) for kind in SUFFIXES))
    source = FileSystemLoader(str(templates))
    return make_environments(source, source)


def _compiled_loader(folder: Path, templates: Path) -> BaseLoader:
    """Return a ModuleLoader on `folder` whose templates name their source file, so a template
    error's traceback shows the template's own line rather than the generated Python."""

    class CompiledLoader(ModuleLoader):
        def load(self, environment, name, globals=None):  # noqa: A002 - jinja2's signature
            template = super().load(environment, name, globals)
            template.filename = str(templates / name)
            return template

    return CompiledLoader(str(folder))


def compile_templates(target: Path, templates: Path = TEMPLATES) -> None:
    """Compile every template for the environment that renders it into `target`/html and
    `target`/text, and write the stamp that ties them to these sources and this jinja2."""
    target = Path(target)
    source = FileSystemLoader(str(templates))
    for kind, environment in zip(SUFFIXES, make_environments(source, source), strict=True):
        suffix = SUFFIXES[kind]
        environment.compile_templates(
            str(target / kind), zip=None, filter_func=lambda name, s=suffix: _is_template(name, s),
            ignore_errors=False, log_function=None,
        )  # fmt: skip
    (target / STAMP).write_text(json.dumps(stamp(templates), sort_keys=True) + "\n")


def compiled_is_current(compiled: Path, templates: Path) -> bool:
    """Tell whether `compiled` holds templates compiled from exactly these sources by this jinja2."""
    try:
        written = json.loads((compiled / STAMP).read_text())
    except (OSError, ValueError):
        return False  # no compiled folder: development
    if written == stamp(templates):
        return True
    log.warning("compiled templates in %s are stale; rendering from the source templates", compiled)
    return False


def stamp(templates: Path) -> dict:
    """Return what compiled templates depend on: the jinja2 version, the environments' settings
    (this file) and filters, and every source template."""
    digest = hashlib.sha256()
    for name in _template_names(templates):
        content = (templates / name).read_bytes()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return {
        "jinja2": jinja2.__version__,
        "render": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        "filters": sorted(FILTERS),
        "templates": digest.hexdigest(),
    }


def _template_names(templates: Path) -> list[str]:
    names = []
    for folder, _dirs, files in os.walk(templates):
        relative = Path(folder).relative_to(templates)
        names.extend((relative / name).as_posix() for name in files)
    return sorted(name for name in names if _is_template(name, tuple(SUFFIXES.values())))


def _is_template(name: str, suffixes: str | tuple[str, ...]) -> bool:
    """Tell whether `name` (relative to the templates folder) is a template, not a stray file."""
    return name.endswith(suffixes) and not any(part.startswith((".", "__")) for part in name.split("/"))


# The host's APP_BASE_URL default (shipcaptaincrew.config.Settings.app_base_url), read here so a
# preview without the host's settings still links somewhere sensible.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def dashboard_links(report_id: str, base_url: str | None = None) -> dict[str, str]:
    """Return the dashboard addresses an email links to: the report's own page, and the Reports
    page that lists who receives it (APP_BASE_URL, e.g. `https://app.example.com/#/reports/cfo`)."""
    base = (base_url or os.environ.get("APP_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    return {"report": f"{base}/#/reports/{quote(report_id, safe='')}", "recipients": f"{base}/#/reports"}


def render(report_id: str, template_dir: str, context: dict) -> Rendered:
    """Render `template_dir`/subject.txt, body.txt and body.html with `context`."""
    html_env, text_env = environments()
    attachments = Attachments()
    context = {"attachments": attachments, **context}
    subject = text_env.get_template(f"{template_dir}/subject.txt").render(context)
    return Rendered(
        report_id=report_id,
        subject=" ".join(subject.split()),
        text=wrap_text(text_env.get_template(f"{template_dir}/body.txt").render(context)),
        html=html_env.get_template(f"{template_dir}/body.html").render(context),
        data=to_json(context),
        attachments=attachments.files(),
    )


# to_json runs over every value a report's templates receive (~20,000 per cycle of 8 reports), so
# it dispatches on the exact type: JSON's own scalars are returned at once, and every other type
# gets a converter chosen once (by the same ordered checks as the plain recursive version, kept in
# tests/reports/test_render_speed_to_json.py) and kept. A dataclass's field names are read once, into
# an attrgetter, instead of calling dataclasses.fields() and getattr() per object. (Generating a
# function per dataclass with exec is ~40% faster warm, but compiling ~100 of them costs a cold
# start 5 ms more than a whole warm conversion takes.)
_PLAIN = frozenset({str, int, float, bool, type(None)})
_converters: dict[type, Callable] = {}


def to_json(value):
    """Return `value` (dataclasses, Decimals, dates, enums...) as plain JSON-able data."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    converter = _converters.get(kind)
    if converter is None:
        converter = _converters[kind] = _converter_for(kind)
    return converter(value)


def _converter_for(kind: type) -> Callable:
    """Return the conversion for values of exactly `kind`; the order of checks is the contract."""
    if dataclasses.is_dataclass(kind):
        return _dataclass_converter(kind)
    if issubclass(kind, dict):
        return _dict
    if issubclass(kind, list | tuple | set | frozenset):
        return _sequence
    if issubclass(kind, Decimal):
        return _decimal
    if issubclass(kind, date | datetime):
        return kind.isoformat
    if issubclass(kind, Enum):
        # Enum's own `value` is a property returning `_value_`; read that unless it is overridden.
        overridden = any("value" in vars(base) for base in kind.__mro__[: kind.__mro__.index(Enum)])
        return _enum_value if overridden else attrgetter("_value_")
    if issubclass(kind, Path):
        return str
    return _same


def _dataclass_converter(kind: type) -> Callable:
    """Return `value -> {field: to_json(value.field), ...}` for the dataclass `kind`."""
    names = tuple(field.name for field in dataclasses.fields(kind))
    if len(names) == 1:
        (name,) = names

        def one(value, plain=_PLAIN):
            item = getattr(value, name)
            return {name: item if type(item) in plain else to_json(item)}

        return one
    values = attrgetter(*names) if names else (lambda value: ())

    def convert(value, plain=_PLAIN):
        return {
            name: item if type(item) in plain else to_json(item)
            for name, item in zip(names, values(value), strict=True)
        }

    return convert


def _dict(value: dict, plain=_PLAIN) -> dict:
    return {
        (key if type(key) is str else str(key)): item if type(item) in plain else to_json(item)
        for key, item in value.items()
    }


def _sequence(value, plain=_PLAIN) -> list:
    return [item if type(item) in plain else to_json(item) for item in value]


def _decimal(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def _enum_value(value: Enum):
    return value.value


def _same(value):
    return value


def dumps(data: dict) -> str:
    """Return the JSON text of a report's data (for preview --format json and the archive)."""
    return json.dumps(data, indent=2, sort_keys=True)
