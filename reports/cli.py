"""The `python -m reports` command line; each subcommand is one small function."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from . import kb
from .account.model import Account
from .build import build_all
from .catalogue import reports_for
from .formatting import text_table
from .lazy import resolve
from .live import unavailable
from .render import Rendered, dumps

DESCRIPTION = """\
Executive reports for the Ship Captain Crew portfolio.

The knowledge base is a directory or s3://bucket/prefix holding portfolio.toml,
entities/*.md, projects/*.md, accounts.csv, ledger.csv and assets.csv
(see docs/knowledge-base.md). Without DIR, KNOWLEDGE_BASE is used, else the
sample portfolio in examples/portfolio.
"""


def build_parser() -> argparse.ArgumentParser:
    """Return the parser; later subcommands (list, preview, send) register here too."""
    parser = argparse.ArgumentParser(
        prog="python -m reports",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log details, including tracebacks of failed reports"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = commands.add_parser(
        "validate",
        help="check a knowledge base; print file:line: message per problem (exit 1 if any)",
        description="Load a knowledge base and report every problem as file:line: message.",
    )
    check.add_argument("dir", nargs="?", metavar="DIR", help="directory or s3://bucket/prefix")
    check.set_defaults(run=validate)
    listing = commands.add_parser(
        "list",
        help="list the reports the knowledge base calls for",
        description="List every report: the role reports, then one per rental, delivery and agency entity.",
    )
    listing.add_argument("--kb", metavar="DIR", help="knowledge base (default: KNOWLEDGE_BASE or the sample)")
    listing.set_defaults(run=list_reports)
    preview = commands.add_parser(
        "preview",
        help="render reports to files without sending anything",
        description="Render reports to DIR as <id>.html, <id>.txt and <id>.json. Needs no AWS: "
        "without --live, the live counts and the live AWS source are marked unavailable.",
    )
    preview.add_argument("ids", nargs="*", metavar="ID", help="report ids (default: all; see `list`)")
    preview.add_argument("--out", required=True, type=Path, metavar="DIR", help="where to write the files")
    preview.add_argument(
        "--format", choices=("all", "html", "text", "json"), default="all", help="which files (default all)"
    )
    preview.add_argument("--kb", metavar="DIR", help="knowledge base (default: KNOWLEDGE_BASE or the sample)")
    preview.add_argument(
        "--live",
        choices=("aws", "embedded"),
        help="read live counts and the live AWS source (cost, usage, security audit): 'aws' from the "
        "AWS account in the environment, 'embedded' from the embedded AWS stand-in seeded with the "
        "sample charters and a deliberately flawed account (as `make run`)",
    )
    preview.set_defaults(run=preview_reports)
    send = commands.add_parser(
        "send",
        help="build, archive and email reports once (exactly once per run)",
        description="Run the main job once: build the reports, archive them, email each to its "
        "recipients through SES, and print a summary. With --embedded everything runs on the "
        "embedded AWS stand-in with the sample charters, and the emails land in outbox/.",
    )
    send.add_argument("ids", nargs="*", metavar="ID", help="report ids (default: all; see `list`)")
    send.add_argument("--dry-run", action="store_true", help="build and archive, send nothing")
    send.add_argument("--to", action="append", metavar="ADDR", help="send every report to ADDR instead")
    send.add_argument(
        "--embedded", action="store_true", help="use the embedded AWS stand-in (as `make run`) instead of AWS"
    )
    send.set_defaults(run="reports.host_commands:send_command")
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Parse the arguments, run the subcommand and return its exit status."""
    args = build_parser().parse_args(argv)
    # Failures are summarised in the command's own output; tracebacks only when asked for.
    logging.basicConfig(level=logging.INFO if args.verbose else logging.CRITICAL, format="%(message)s")
    command = resolve(args.run) if isinstance(args.run, str) else args.run
    return command(args, os.environ if environ is None else environ)


def validate(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Print each problem and warning, then a one-line summary when nothing but warnings was found."""
    location = args.dir or knowledge_base_location(environ)
    try:
        loaded = kb.load(location)
    except kb.KnowledgeBaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for problem in (*loaded.problems, *loaded.warnings):
        print(problem.located(location))
    if loaded.problems:
        files = len({problem.file for problem in loaded.problems})
        print(f"{len(loaded.problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    warned = f" ({len(loaded.warnings)} warning(s) to look at)" if loaded.warnings else ""
    print(f"{location}: ok — {summary(loaded.base)}{warned}")
    return 0


def summary(base: kb.KnowledgeBase) -> str:
    """Return the counts a person checks at a glance after editing the knowledge base."""
    counts = [
        (len(base.entities), "entity", "entities"),
        (len(base.projects), "project", "projects"),
        (len(base.ledger), "ledger row", "ledger rows"),
        (len(base.assets), "asset", "assets"),
    ]
    return ", ".join(f"{count} {one if count == 1 else many}" for count, one, many in counts)


def knowledge_base_location(environ: Mapping[str, str]) -> str:
    """Return KNOWLEDGE_BASE, else the sample portfolio (shown relative to here when inside it)."""
    if environ.get("KNOWLEDGE_BASE"):
        return environ["KNOWLEDGE_BASE"]
    default = kb.DEFAULT_LOCATION
    try:
        return default.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(default)


def list_reports(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Print the reports as an aligned table."""
    loaded = _load(args.kb or knowledge_base_location(environ))
    if loaded is None:
        return 1
    rows = [[report.id, report.audience, report.title] for report in reports_for(loaded.base)]
    print(text_table(rows, ["id", "audience", "title"]))
    return 0


def preview_reports(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Render the chosen reports to files; exit 1 if any could not be rendered."""
    loaded = _load(args.kb or knowledge_base_location(environ))
    if loaded is None:
        return 1
    if args.live:  # the live sources need the host app: imported only when asked for
        source = resolve(f"reports.host_commands:{args.live}_counts")()
    else:
        not_read = "not read: preview runs without AWS (use --live)"
        source = unavailable(not_read, Account.off("the live AWS audit", not_read))
    try:
        outcomes = build_all(loaded, source, wanted=args.ids)
    except KeyError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for outcome in outcomes:
        written = write_preview(outcome.rendered, args.out, args.format) if outcome.ok else []
        rows.append(
            [outcome.report.id, "ok" if outcome.ok else "FAILED", ", ".join(written) or outcome.error]
        )
    print(text_table(rows, ["report", "status", "files / error"]))
    failed = sum(1 for outcome in outcomes if not outcome.ok)
    print(f"{len(outcomes) - failed} rendered, {failed} failed, in {args.out}/")
    return 1 if failed else 0


def write_preview(rendered: Rendered, out: Path, fmt: str) -> list[str]:
    """Write one rendered report's files; return their names."""
    contents = {"html": rendered.html, "txt": rendered.text, "json": dumps(rendered.data)}
    wanted = {"all": ("html", "txt", "json"), "html": ("html",), "text": ("txt",), "json": ("json",)}[fmt]
    for suffix in wanted:
        (out / f"{rendered.report_id}.{suffix}").write_text(contents[suffix], encoding="utf-8")
    names = [f"{rendered.report_id}.{suffix}" for suffix in wanted]
    if fmt == "all":  # the CSV attachments too, as the email carries them
        for filename, content in rendered.attachments:
            (out / f"{rendered.report_id}-{filename}").write_bytes(content)
            names.append(f"{rendered.report_id}-{filename}")
    return names


def _load(location: str) -> kb.Loaded | None:
    """Load the knowledge base, or print why it cannot be reached and return None."""
    try:
        return kb.load(location)
    except kb.KnowledgeBaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return None
