"""An embedded AWS stand-in (moto server in this process) with a provisioned App on it."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from reports.plugin import extension as reports_extension
from shipcaptaincrew.app import set_app
from shipcaptaincrew.local import stand_in

ADMIN = "admin@example.com"


@contextmanager
def embedded_app(workdir: Path, **overrides):
    """Yield a provisioned App on a fresh moto server; archive and outbox go under `workdir`."""
    with stand_in(
        extensions=[reports_extension],
        environ={},
        seeded=False,
        aws_region="us-west-2",
        admin_emails=(ADMIN,),
        exec_report_to=("owner@example.com",),
        exec_report_bcc=("archive@example.com",),
        reports_archive=str(workdir / "archive"),
        mail_outbox_dir=workdir / "outbox",
        **overrides,
    ) as app:
        set_app(app)
        try:
            yield app
        finally:
            set_app(None)
