"""The extension's one lazy-load mechanism: a `"module:attribute"` reference, imported on first use.

The catalogue names each report's brief this way (listing imports no analysis), the host imports
the runtime this way (`Extension.runtime`), and the command line names the commands that need the
host app this way, so `python -m reports preview` never imports boto3 or the run engine.
"""

from __future__ import annotations

import importlib
from typing import Any


def resolve(reference: str) -> Any:
    """Return the attribute a `"module:attribute"` reference names, importing its module."""
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)
