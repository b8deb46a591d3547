"""An embedded AWS stand-in (moto server in this process) with a provisioned App on it."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from pathlib import Path

from shipcaptaincrew import config
from shipcaptaincrew.app import App, set_app
from shipcaptaincrew.local import embedded
from shipcaptaincrew.local.provision import provision

ADMIN = "admin@example.com"


@contextmanager
def embedded_app(workdir: Path, **overrides):
    """Yield a provisioned App on a fresh moto server; archive and outbox go under `workdir`."""
    server, endpoint = embedded.start()
    try:
        settings = config.load(
            {},
            local=True,
            aws_endpoint_url=endpoint,
            aws_region="us-west-2",
            jwt_secret=secrets.token_urlsafe(48),
            admin_emails=(ADMIN,),
            exec_report_to=("owner@example.com",),
            exec_report_bcc=("archive@example.com",),
            reports_archive=str(workdir / "archive"),
            mail_outbox_dir=workdir / "outbox",
            **overrides,
        )
        app = App(settings)
        provision(app)
        set_app(app)
        yield app
    finally:
        set_app(None)
        server.stop()
