"""`serve`: start the embedded AWS stand-in (unless --aws), provision, seed, and serve."""

from __future__ import annotations

import secrets
from pathlib import Path

from .. import config
from ..app import App, set_app
from ..auth.signin import link_for
from . import embedded
from .provision import provision
from .seed import seed
from .server import make_server

FRONTEND = config.ROOT / "frontend"
LOCAL_ADMIN = "admin@example.com"


def local_settings(args, base_url: str, endpoint: str | None) -> config.Settings:
    """Return settings for a local run: embedded endpoint, outbox, a throwaway secret if none."""
    overrides: dict = {"local": True}
    if endpoint:
        overrides["aws_endpoint_url"] = endpoint
    settings = config.load(env_file=args.env_file, **overrides)
    if endpoint and settings.mail_outbox_dir is None:
        overrides["mail_outbox_dir"] = Path("outbox")
    if endpoint and not settings.admin_emails:
        overrides["admin_emails"] = (LOCAL_ADMIN,)
    if settings.app_base_url == config.Settings.app_base_url:
        overrides["app_base_url"] = base_url  # links must point at the port actually served
    if not settings.jwt_secret and not settings.jwt_secret_arn:
        overrides["jwt_secret"] = secrets.token_urlsafe(48)  # sessions end with the process
    return config.load(env_file=args.env_file, **overrides)


def serve(args) -> int:
    """Run the dashboard and API until interrupted; print `ready URL` once requests are accepted."""
    moto, endpoint = embedded.start() if not args.aws else (None, None)
    server = make_server(host=args.host, port=args.port, frontend=FRONTEND)
    host, port = server.server_address[:2]
    base_url = f"http://{host}:{port}"
    app = App(local_settings(args, base_url, endpoint))
    set_app(app)
    server.app = app
    if endpoint:
        provision(app)
        seed(app, app.settings.admin_emails)
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
        if moto is not None:
            moto.stop()
    return 0
