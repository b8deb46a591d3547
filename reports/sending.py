"""`python -m reports send`: one run of the main job from the command line."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from shipcaptaincrew import config
from shipcaptaincrew.app import App

from .recipients import Recipients
from .runs import engine

OUTBOX = Path("outbox")


class FixedRecipients:
    """Send every report of this run to the same people (`--to`), leaving the stored lists alone."""

    def __init__(self, to: list[str]):
        self._recipients = Recipients(tuple(address.lower() for address in to), (), True)

    def get(self, report_id: str) -> Recipients:
        return self._recipients

    def many(self, report_ids) -> dict[str, Recipients]:
        return dict.fromkeys(report_ids, self._recipients)


@contextmanager
def host_app(embedded: bool):
    """Yield the host App: on the embedded stand-in with the sample charters, or on real AWS."""
    if not embedded:
        yield App(config.load(env_file=Path(config.ENV_FILE), local=True))
        return
    from shipcaptaincrew.local import embedded as stand_in
    from shipcaptaincrew.local.provision import provision
    from shipcaptaincrew.local.seed import seed

    server, endpoint = stand_in.start()
    try:
        settings = config.load(
            env_file=Path(config.ENV_FILE),
            local=True,
            aws_endpoint_url=endpoint,
            mail_outbox_dir=OUTBOX,
            jwt_secret=secrets.token_urlsafe(48),  # no one signs in during a send
            admin_emails=("admin@example.com",),
            exec_report_bcc=("archive@example.com",),
        )
        app = App(settings)
        provision(app)
        seed(app, settings.admin_emails)
        yield app
    finally:
        server.stop()


def send_once(
    ids: list[str] | None,
    *,
    dry_run: bool,
    to: list[str] | None,
    embedded: bool,
    progress: Callable[[str, dict], None],
) -> dict:
    """Start and process one run inline; return its summary."""
    from shipcaptaincrew import validation
    from shipcaptaincrew.dispatch import deadline_of
    from shipcaptaincrew.errors import AppError

    from .extension import services

    try:
        addresses = [validation.email(address, "--to") for address in to or []]
    except AppError as error:
        raise ValueError(error.message) from None
    with host_app(embedded) as app:
        base = services(app)
        chosen = dataclasses.replace(base, progress=progress)
        if addresses:
            chosen = dataclasses.replace(chosen, recipients=FixedRecipients(addresses))
        try:
            run, _ = engine.start(chosen, reports=ids or None, dry_run=dry_run, trigger="cli")
        except engine.UnknownReports as error:
            raise ValueError(str(error)) from None
        return engine.process(chosen, run["run_id"], deadline=deadline_of(None, app.now()))
