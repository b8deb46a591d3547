"""One bootstrap for everything that runs on the embedded AWS stand-in: the local server,
`reports send --embedded`, the preview's live counts, the bench and the tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .. import config
from ..app import App
from ..plugins import Extension, resolve
from . import embedded
from .provision import provision
from .seed import seed

LOCAL_ADMIN = "admin@example.com"


@contextmanager
def stand_in(
    *,
    extensions: Sequence[Extension] | None = None,
    environ: dict[str, str] | None = None,
    env_file: Path | None = None,
    seeded: bool = True,
    **overrides,
) -> Iterator[App]:
    """Start a moto server in this process and yield a provisioned (and seeded) App on it.

    The App is local, has an admin (`admin@example.com` unless ADMIN_EMAILS says otherwise) and a
    throwaway signing key unless one is configured; `overrides` win over everything. The server
    stops when the block ends.
    """
    server, endpoint = embedded.start()
    try:
        yield _provisioned(endpoint, extensions, environ, env_file, seeded, overrides)
    finally:
        server.stop()


def _provisioned(endpoint, extensions, environ, env_file, seeded, overrides) -> App:
    given = {"local": True, "aws_endpoint_url": endpoint, **overrides}
    settings = config.load(environ, env_file=env_file, **given)
    if not settings.admin_emails:
        given["admin_emails"] = (LOCAL_ADMIN,)
    if not settings.jwt_secret and not settings.jwt_secret_arn:
        given["jwt_secret"] = secrets.token_urlsafe(48)  # sessions end with the process
    app = App(config.load(environ, env_file=env_file, **given), extensions=extensions)
    provision(app)
    if seeded:
        seed(app, app.settings.admin_emails)
        for extension in app.extensions.values():
            if extension.stand_in_seed:
                resolve(extension.stand_in_seed)(app)
    return app


def on_account(
    *, extensions: Sequence[Extension] | None = None, env_file: Path | None = None, **overrides
) -> App:
    """Return an App on the AWS account in the environment, as local commands use it."""
    return App(config.load(env_file=env_file, local=True, **overrides), extensions=extensions)
