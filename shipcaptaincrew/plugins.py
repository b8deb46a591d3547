"""Every point where an extension may join the host, declared once (as Datasette's hookspecs).

An extension is one `Extension` value. The composition root (`lambda_function.py`) hands the
list to the App; the host's own modules never import an extension. What an extension can add:

- `settings`: a frozen dataclass of its settings, read like the host's (`Settings.section`);
  each field's variable is its name upper-cased unless `config.env(...)` names another.
- `routes`: a `Router` of HTTP routes, included after the host's own.
- `actions`: named non-HTTP actions (schedule, queue, direct invoke), `action(app, payload,
  deadline) -> summary dict`; an action raises `AppError` for a request it cannot serve.
- `rule_actions`: classic EventBridge rule names mapped to one of its actions.
- `tables(settings)` / `buckets(settings)`: the DynamoDB tables and S3 buckets it needs, given
  its own settings, so `provision` and the deploy create them.
- `runtime`: `"module:factory"`, the extension's heavy half, imported the first time the
  extension is used and built once per App (`app.runtime(name)`); so a cold start that serves
  only the host's routes never imports it. This is the one place the host imports lazily.
- `stand_in_seed`: `"module:function"`, called with the App after the host seeds the embedded
  AWS stand-in (local runs only, never in AWS), to add the extension's own sample data; imported
  only then, like `runtime`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .http import Router
from .storage.tables import TableSpec

Action = Callable[[Any, dict, datetime], dict]


def _nothing(settings) -> Sequence:
    return ()


def resolve(path: str) -> Any:
    """Return what a `"module:name"` path names (an extension's runtime or stand-in seed),
    importing its module only now: the host's one lazy import of an extension."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Extension:
    """What one extension adds to the host; every field is optional but the name."""

    name: str
    settings: type | None = None
    routes: Router | None = None
    actions: Mapping[str, Action] = field(default_factory=dict)
    rule_actions: Mapping[str, str] = field(default_factory=dict)
    tables: Callable[[Any], Sequence[TableSpec]] = _nothing
    buckets: Callable[[Any], Sequence[str]] = _nothing
    runtime: str | None = None
    stand_in_seed: str | None = None

    def settings_from(self, settings) -> Any:
        """Return this extension's settings section of the host's settings (None if it has none)."""
        return settings.section(self.settings) if self.settings else None
