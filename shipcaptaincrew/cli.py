"""`python -m shipcaptaincrew serve | provision | reconcile | push-to-book`: the local commands.

Local commands read `repos.env` (KEY=VALUE) from the current directory as well as the
environment; the Lambda reads only its environment.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import config, logs
from .app import App, set_app
from .counters import drift
from .errors import ConfigError
from .local.provision import provision
from .local.run import serve as serve_locally
from .nudges import push_to_book
from .plugins import Extension

log = logging.getLogger(__name__)


def composed_extensions() -> tuple[Extension, ...]:
    """Return the extensions named by the composition root, `lambda_function.py`.

    The host never imports an extension; local commands ask the composition root, as the Lambda
    runtime does, so they run the same composition. Local commands run in local mode, so the
    root's cold-start check is made with local settings.
    """
    config.run_locally()
    return importlib.import_module("lambda_function").EXTENSIONS


def main(argv: list[str] | None = None, *, extensions: Sequence[Extension] | None = None) -> int:
    """Run one command; return the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m shipcaptaincrew", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--env-file", type=Path, default=Path(config.ENV_FILE), help="KEY=VALUE settings file"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the dashboard and API locally")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default 8000; 0 = any free)"
    )
    serve.add_argument(
        "--aws",
        action="store_true",
        help="use the AWS account in the environment instead of the embedded AWS stand-in",
    )
    commands.add_parser("provision", help="create the tables, SES identity and buckets (idempotent)")
    reconcile = commands.add_parser(
        "reconcile", help="recount the aggregate counters with a Scan, show drift"
    )
    reconcile.add_argument("--fix", action="store_true", help="overwrite the counters with the recount")
    commands.add_parser("push-to-book", help="run the push-to-book nudges once and print the summary")
    args = parser.parse_args(argv)
    try:
        extensions = composed_extensions() if extensions is None else tuple(extensions)
        logs.setup("WARNING")
        if args.command == "serve":
            return serve_locally(args, extensions)
        app = App(config.load(env_file=args.env_file, local=True), extensions=extensions)
        return {"provision": _provision, "reconcile": _reconcile, "push-to-book": _push_to_book}[
            args.command
        ](app, args)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2


def _provision(app: App, args) -> int:
    created = provision(app)
    print("created: " + ", ".join(created) if created else "everything already exists")
    return 0


def _reconcile(app: App, args) -> int:
    stored, expected = app.counters.read(), app.counters.recount()
    differences = drift(stored, expected)
    for name, (have, want) in differences.items():
        print(f"{name}: stored {have}, recount {want}")
    if not differences:
        print(f"counters match a full recount ({len(expected)} counters)")
        return 0
    if args.fix:
        app.counters.replace(expected)
        print(f"fixed {len(differences)} counter(s)")
        return 0
    print(f"{len(differences)} counter(s) drifted; run again with --fix to correct them")
    return 1


def _push_to_book(app: App, args) -> int:
    set_app(app)
    summary = push_to_book(app)
    print(json.dumps(summary, indent=2))
    return 0 if summary["status"] == "succeeded" else 1
