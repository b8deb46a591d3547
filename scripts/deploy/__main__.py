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
    python -m scripts.deploy stage-assets DIR OUT_DIR
    python -m scripts.deploy secret-file OUT
    python -m scripts.deploy headers-policy NAME OUT.json
    python -m scripts.deploy distribution-config [--env-file F] COMMENT API_DOMAIN OAC_ID HEADERS_ID OUT
    python -m scripts.deploy tables [--env-file repos.env]
    python -m scripts.deploy table-inputs [--env-file repos.env] OUT_DIR
    python -m scripts.deploy bucket-policy [--env-file repos.env] DISTRIBUTION_ARN OUT.json
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from dataclasses import asdict
from pathlib import Path

from shipcaptaincrew.app import App

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
from .front_door import (
    CACHE_IMMUTABLE,
    bucket_policy,
    distribution_config,
    headers_policy,
    headers_summary,
    names,
    stage_assets,
    table_input,
    write_secret,
)
from .settings import (
    DEFAULT_ENV_FILE,
    EXTENSIONS,
    DeployConfigError,
    DeploySettings,
    app_settings,
    lambda_environment,
    load,
    merged_sources,
    with_deploy_defaults,
)


def _shell(settings: DeploySettings, sources: dict[str, str]) -> str:
    lines = [f"{key.upper()}={shlex.quote(str(value))}" for key, value in asdict(settings).items()]
    lines += [f"{key}={shlex.quote(value)}" for key, value in names(settings).items()]
    # The app settings --create fills in when they are not set (values here are never secrets).
    archive_bucket = _archive_bucket(sources.get("REPORTS_ARCHIVE", ""))
    lines += [
        f"JWT_SECRET_ARN={shlex.quote(sources.get('JWT_SECRET_ARN', ''))}",
        f"HAS_JWT_SECRET={1 if sources.get('JWT_SECRET') else 0}",
        f"APP_BASE_URL_SET={1 if sources.get('APP_BASE_URL') else 0}",
        f"ALLOWED_ORIGIN_SET={1 if sources.get('ALLOWED_ORIGIN') else 0}",
        f"ADMIN_EMAILS={shlex.quote(sources.get('ADMIN_EMAILS', ''))}",
        f"SES_FROM_ADDRESS={shlex.quote(sources.get('SES_FROM_ADDRESS', ''))}",
        f"ARCHIVE_BUCKET={shlex.quote(archive_bucket)}",
    ]
    lines += [
        f"REPORTS_SCHEDULE_NAME={shlex.quote(schedule_name('reports', settings))}",
        f"PUSH_TO_BOOK_SCHEDULE_NAME={shlex.quote(schedule_name('push_to_book', settings))}",
        f"SES_EVENT_DESTINATION={shlex.quote(event_destination_name(settings))}",
        f"SES_EVENT_TYPES={shlex.quote(','.join(sorted(SES_EVENT_TYPES)))}",
        f"SNS_PERMISSION_ID={shlex.quote(SNS_PERMISSION_ID)}",
    ]
    return "\n".join(lines)


def _table_specs(sources: dict[str, str]) -> list:
    """Return the app's table specs (a signing key is not needed to name them)."""
    variables = lambda_environment({"JWT_SECRET_ARN": "arn:aws:secretsmanager:-", **sources})[0]
    return App(app_settings(variables), extensions=EXTENSIONS).tables()


def _archive_bucket(location: str) -> str:
    return location[5:].partition("/")[0] if location.startswith("s3://") else ""


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
            "stage-assets",
            "secret-file",
            "headers-policy",
            "distribution-config",
            "bucket-policy",
            "tables",
            "table-inputs",
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
    if options.command == "stage-assets":
        tag = stage_assets(Path(options.args[0]), Path(options.args[1]))
        print(f"version\t{tag}")
        staged = Path(options.args[1]) / "assets" / tag
        for content_type, cache, patterns in asset_groups(staged, CACHE_IMMUTABLE):
            print(f"{content_type}\t{cache}\t{' '.join(patterns)}")
        return 0
    if options.command == "secret-file":
        write_secret(Path(options.args[0]))
        return 0
    if options.command == "headers-policy":
        _write(Path(options.args[1]), headers_policy(options.args[0]))
        print("\n".join(headers_summary()))
        return 0
    sources = merged_sources(options.env_file)
    settings = load(sources, function=options.function, stage=options.stage)
    sources = with_deploy_defaults(sources, settings)
    if options.command == "shell":
        print(_shell(settings, sources))
    elif options.command == "tables":
        print(" ".join(spec.name for spec in _table_specs(sources)))
    elif options.command == "table-inputs":
        for spec in _table_specs(sources):
            path = Path(options.args[0]) / f"{spec.name}.json"
            _write(path, table_input(spec))
            print(f"{spec.name}\t{path}\t{spec.ttl_attribute or ''}")
    elif options.command == "distribution-config":
        comment, api_domain, oac_id, headers_id, out = options.args
        config = distribution_config(
            settings, comment=comment, api_domain=api_domain, oac_id=oac_id, headers_policy_id=headers_id
        )
        _write(Path(out), config)
    elif options.command == "bucket-policy":
        _write(Path(options.args[1]), bucket_policy(settings.assets_bucket, options.args[0]))
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
