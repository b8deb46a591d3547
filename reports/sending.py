"""`python -m reports send`: one run of the main job from the command line."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from pathlib import Path

from .host import ENV_FILE, AppError, on_account, stand_in
from .host import validation as check
from .plugin import extension
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


def host_app(embedded: bool):
    """Return a context yielding the host App: on the embedded stand-in with the sample charters,
    or on the AWS account in the environment."""
    if not embedded:
        return contextlib.nullcontext(on_account(extensions=[extension], env_file=Path(ENV_FILE)))
    return stand_in(
        extensions=[extension],
        env_file=Path(ENV_FILE),
        mail_outbox_dir=OUTBOX,
        exec_report_bcc=("archive@example.com",),
    )


def send_once(
    ids: list[str] | None,
    *,
    dry_run: bool,
    to: list[str] | None,
    embedded: bool,
    progress: Callable[[str, dict], None],
) -> dict:
    """Start and process one run inline; return its summary (`progress` sees each send as a dict)."""
    try:
        addresses = [check.email(address, "--to") for address in to or []]
    except AppError as error:
        raise ValueError(error.message) from None
    with host_app(embedded) as app:
        chosen = dataclasses.replace(
            app.runtime(extension.name).services,
            progress=lambda send: progress(send.report_id, send.to_item()),
        )
        if addresses:
            chosen = dataclasses.replace(chosen, recipients=FixedRecipients(addresses))
        try:
            run, _ = engine.start(chosen, reports=ids or None, dry_run=dry_run, trigger="cli")
        except engine.UnknownReports as error:
            raise ValueError(str(error)) from None
        return engine.process(chosen, run.run_id, deadline=app.deadline())
