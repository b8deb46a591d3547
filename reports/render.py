"""Render a report's three templates (subject, plain text, HTML) from its context.

Two jinja2 environments over the same folder: HTML with autoescape (knowledge-base text is
untrusted), plain text without (it is not HTML); both with StrictUndefined, so a missing
figure is an error at render time, never a blank in an email.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .formatting import FILTERS, text_table

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Rendered:
    """One rendered report: what is emailed, plus the data the templates received."""

    report_id: str
    subject: str
    text: str
    html: str
    data: dict


@dataclass
class Footnotes:
    """Numbered sources cited by a report; templates call `footnotes.ref(label)` beside a figure."""

    labels: list[str] = dataclasses.field(default_factory=list)

    def ref(self, label: str) -> int:
        """Return the footnote number for `label`, adding it on first use."""
        if label not in self.labels:
            self.labels.append(label)
        return self.labels.index(label) + 1


@lru_cache(maxsize=1)
def environments() -> tuple[Environment, Environment]:
    """Return the (html, text) environments, built once per process on first use."""
    shared = {
        "loader": FileSystemLoader(str(TEMPLATES)),
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    html = Environment(autoescape=True, **shared)
    text = Environment(autoescape=False, keep_trailing_newline=True, **shared)  # noqa: S701 - not HTML
    for environment in (html, text):
        environment.filters.update(FILTERS)
        environment.globals["text_table"] = text_table
    return html, text


def render(report_id: str, template_dir: str, context: dict) -> Rendered:
    """Render `template_dir`/subject.txt, body.txt and body.html with `context`."""
    html_env, text_env = environments()
    subject = text_env.get_template(f"{template_dir}/subject.txt").render(context)
    return Rendered(
        report_id=report_id,
        subject=" ".join(subject.split()),
        text=text_env.get_template(f"{template_dir}/body.txt").render(context),
        html=html_env.get_template(f"{template_dir}/body.html").render(context),
        data=to_json(context),
    )


def to_json(value):
    """Return `value` (dataclasses, Decimals, dates, enums...) as plain JSON-able data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def dumps(data: dict) -> str:
    """Return the JSON text of a report's data (for preview --format json and the archive)."""
    return json.dumps(data, indent=2, sort_keys=True)
