"""The `python -m reports` command line; each subcommand is one small function."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from . import kb

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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = commands.add_parser(
        "validate",
        help="check a knowledge base; print file:line: message per problem (exit 1 if any)",
        description="Load a knowledge base and report every problem as file:line: message.",
    )
    check.add_argument("dir", nargs="?", metavar="DIR", help="directory or s3://bucket/prefix")
    check.set_defaults(run=validate)
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Parse the arguments, run the subcommand and return its exit status."""
    args = build_parser().parse_args(argv)
    return args.run(args, os.environ if environ is None else environ)


def validate(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Print each problem, or a one-line summary when the knowledge base is sound."""
    location = args.dir or knowledge_base_location(environ)
    try:
        loaded = kb.load(location)
    except kb.KnowledgeBaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for problem in loaded.problems:
        print(problem.located(location))
    if loaded.problems:
        files = len({problem.file for problem in loaded.problems})
        print(f"{len(loaded.problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    print(f"{location}: ok — {summary(loaded.base)}")
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
