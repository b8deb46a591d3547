"""What deploy.sh needs worked out in Python, one command each: the deploy settings as shell
assignments, the Lambda's environment (names printed, never values), the IAM policies, the
schedules' input and the dashboard's upload groups. See docs/operations.md for every setting.
Run from the repository root:

    python -m scripts.deploy shell [--env-file repos.env] [--function NAME] [--stage NAME]
    python -m scripts.deploy lambda-env [--env-file repos.env] OUT.json
    python -m scripts.deploy policy [--env-file repos.env] --account ID OUT.json
    python -m scripts.deploy scheduler-policy [--env-file repos.env] --account ID OUT.json
    python -m scripts.deploy schedule reports|push_to_book [--env-file repos.env] --account ID OUT.json
    python -m scripts.deploy event-destination [--env-file repos.env] TOPIC_ARN OUT.json
    python -m scripts.deploy topic-policy [--env-file repos.env] --account ID TOPIC_ARN OUT.json
    python -m scripts.deploy assets DIR
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from dataclasses import asdict
from pathlib import Path

from .documents import (
    POLICY_TEMPLATE,
    SES_EVENT_TYPES,
    SNS_PERMISSION_ID,
    asset_groups,
    event_destination,
    event_destination_name,
    policy_values,
    render_policy,
    schedule_input,
    schedule_name,
    scheduler_policy,
    topic_policy,
)
from .settings import (
    DEFAULT_ENV_FILE,
    DeployConfigError,
    DeploySettings,
    lambda_environment,
    load,
    merged_sources,
    with_deploy_defaults,
)


def _shell(settings: DeploySettings) -> str:
    lines = [f"{key.upper()}={shlex.quote(str(value))}" for key, value in asdict(settings).items()]
    lines += [
        f"REPORTS_SCHEDULE_NAME={shlex.quote(schedule_name('reports', settings))}",
        f"PUSH_TO_BOOK_SCHEDULE_NAME={shlex.quote(schedule_name('push_to_book', settings))}",
        f"SES_EVENT_DESTINATION={shlex.quote(event_destination_name(settings))}",
        f"SES_EVENT_TYPES={shlex.quote(','.join(sorted(SES_EVENT_TYPES)))}",
        f"SNS_PERMISSION_ID={shlex.quote(SNS_PERMISSION_ID)}",
    ]
    return "\n".join(lines)


def _write(path: Path, document: dict) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # may hold secrets
    with os.fdopen(fd, "w") as out:
        json.dump(document, out, indent=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.deploy",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command",
        choices=[
            "shell",
            "lambda-env",
            "policy",
            "scheduler-policy",
            "schedule",
            "event-destination",
            "topic-policy",
            "assets",
        ],
    )
    parser.add_argument("args", nargs="*")
    parser.add_argument("--env-file", type=Path, default=DEFAULT_ENV_FILE)
    parser.add_argument("--function")
    parser.add_argument("--stage")
    parser.add_argument("--account", default="<account>")
    options = parser.parse_intermixed_args(argv)
    try:
        return _run(options)
    except DeployConfigError as error:
        print(f"deploy: error: {error}", file=sys.stderr)
        return 2


def _run(options: argparse.Namespace) -> int:
    if options.command == "assets":
        for content_type, cache, patterns in asset_groups(Path(options.args[0])):
            print(f"{content_type}\t{cache}\t{' '.join(patterns)}")
        return 0
    sources = merged_sources(options.env_file)
    settings = load(sources, function=options.function, stage=options.stage)
    sources = with_deploy_defaults(sources, settings)
    if options.command == "shell":
        print(_shell(settings))
    elif options.command == "lambda-env":
        variables, warnings = lambda_environment(sources)
        _write(Path(options.args[0]), {"Variables": variables})
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(" ".join(variables))  # names only: values may be secrets
    elif options.command == "policy":
        template = json.loads(POLICY_TEMPLATE.read_text())
        _write(
            Path(options.args[0]), render_policy(template, policy_values(sources, settings, options.account))
        )
    elif options.command == "scheduler-policy":
        _write(Path(options.args[0]), scheduler_policy(settings, options.account))
    elif options.command == "schedule":
        _write(Path(options.args[1]), schedule_input(options.args[0], settings, options.account))
    elif options.command == "event-destination":
        _write(Path(options.args[1]), event_destination(settings, options.args[0]))
    elif options.command == "topic-policy":
        _write(Path(options.args[1]), topic_policy(settings, options.account, options.args[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
