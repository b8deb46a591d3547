"""`serve`: start the embedded AWS stand-in (unless --aws), provision, seed, and serve."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Sequence
from pathlib import Path

from .. import config
from ..app import App, set_app
from ..auth.signin import link_for
from ..plugins import Extension
from .bootstrap import LOCAL_ADMIN, stand_in
from .server import make_server

FRONTEND = config.ROOT / "frontend"


def local_overrides(args, base_url: str, *, embedded: bool) -> dict:
    """Return what a local run sets unless configured: links to the port served, an outbox."""
    settings = config.load(env_file=args.env_file, local=True)
    overrides: dict = {"local": True}
    if settings.app_base_url == config.Settings.app_base_url:
        overrides["app_base_url"] = base_url  # links must point at the port actually served
    if embedded and settings.mail_outbox_dir is None:
        overrides["mail_outbox_dir"] = Path("outbox")
    if not embedded and not settings.jwt_secret and not settings.jwt_secret_arn:
        overrides["jwt_secret"] = secrets.token_urlsafe(48)  # sessions end with the process
    return overrides


def app_for(args, base_url: str, extensions: Sequence[Extension]):
    """Return a context yielding the App to serve: on the stand-in, or on the AWS account (--aws)."""
    overrides = local_overrides(args, base_url, embedded=not args.aws)
    if args.aws:
        settings = config.load(env_file=args.env_file, **overrides)
        return contextlib.nullcontext(App(settings, extensions=extensions))
    return stand_in(extensions=extensions, env_file=args.env_file, **overrides)


def serve(args, extensions: Sequence[Extension]) -> int:
    """Run the dashboard and API until interrupted; print `ready URL` once requests are accepted."""
    server = make_server(host=args.host, port=args.port, frontend=FRONTEND)
    host, port = server.server_address[:2]
    base_url = f"http://{host}:{port}"
    with app_for(args, base_url, extensions) as app:
        set_app(app)
        server.app = app
        admin = app.settings.admin_emails[0] if app.settings.admin_emails else LOCAL_ADMIN
        print(f"ready {base_url}", flush=True)
        print(f"sign in as {admin}: {link_for(app, admin)}", flush=True)
        if app.settings.mail_outbox_dir:
            print(f"emails are written to {app.settings.mail_outbox_dir}/", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped", flush=True)
        finally:
            server.server_close()
    return 0
