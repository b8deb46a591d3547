"""The command-line pieces that need the host app (and so boto3): `send`, and `preview --live`.

`cli.py` names them by reference (`reports.lazy.resolve`), so the commands that need no AWS start
without importing any of this.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from . import kb
from .formatting import text_table
from .host import ENV_FILE, on_account, stand_in
from .live import Live
from .plugin import extension
from .sending import send_once


def aws_counts():
    """Return a live-counts source reading the app's tables on the AWS account in the environment."""
    app = on_account(extensions=[extension], env_file=Path(ENV_FILE))
    return lambda: app.runtime(extension.name).live_counts()


def embedded_counts():
    """Return a live source backed by the embedded stand-in with the sample charters and its
    deliberately flawed AWS account: the counts and the live AWS source, as a run reads them."""

    def read() -> Live:
        with stand_in(extensions=[extension], environ={}) as app:
            return app.runtime(extension.name).live_counts()

    return read


def send_command(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Run the main job once and print one line per report as it finishes, then the summary."""
    try:
        summary = send_once(
            args.ids, dry_run=args.dry_run, to=args.to, embedded=args.embedded, progress=_print_progress
        )
    except (ValueError, kb.KnowledgeBaseError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    rows = [
        [r["id"], r["status"], ", ".join(r["recipients"]), r["message_id"] or r["error"] or ""]
        for r in summary["reports"]
    ]
    print(text_table(rows, ["report", "status", "recipients", "message id / error"]))
    print(f"run {summary['run_id']}: {summary['status']}")
    return 0 if summary["status"] == "succeeded" else 1


def _print_progress(report_id: str, outcome: dict) -> None:
    detail = outcome.get("error") or ", ".join(outcome.get("recipients", []))
    print(f"  {outcome['status']:<8} {report_id:<22} {detail}", flush=True)
