"""The sign-in flow: email a magic link, redeem it for a session token."""

from __future__ import annotations

import html
import logging

from ..errors import Unauthorized
from ..mail import message

log = logging.getLogger(__name__)


def link_for(app, email: str) -> str:
    """Issue a link for `email`, built from APP_BASE_URL (never from a request's Host header)."""
    token = app.links.issue(email, now=app.now())
    return f"{app.settings.app_base_url.rstrip('/')}/#token={token}"


def known_user(app, email: str) -> dict | None:
    """Return the user for `email`; addresses in ADMIN_EMAILS become admins on first request."""
    user = app.users.get(email)
    if user is None and email in app.settings.admin_emails:
        user = app.users.ensure(email, "admin", now=app.now())
    return user


def send_link(app, email: str) -> None:
    """Email a sign-in link if `email` may sign in; do nothing visible otherwise."""
    if known_user(app, email) is None:
        log.info("sign-in link requested for an unknown address")
        return
    link = link_for(app, email)
    minutes = 15
    text = (
        "Hello,\n\nUse this link to sign in to Ship Captain Crew. It works once and expires in "
        f"{minutes} minutes:\n\n{link}\n\nIf you did not ask for it, ignore this email.\n"
    )
    html_body = (
        '<!doctype html><html><body style="font-family:Arial,sans-serif;color:#1f2933">'
        "<p>Hello,</p><p>Use this link to sign in to Ship Captain Crew. It works once and expires "
        f'in {minutes} minutes:</p><p><a href="{html.escape(link)}" style="background:#0b5394;'
        'color:#ffffff;padding:10px 16px;text-decoration:none;border-radius:4px">Sign in</a></p>'
        f'<p style="font-size:12px;color:#52606d">Or paste this address: {html.escape(link)}</p>'
        "<p>If you did not ask for it, ignore this email.</p></body></html>"
    )
    built = message.build(
        sender=app.settings.ses_from_address,
        to=[email],
        subject="Your Ship Captain Crew sign-in link",
        text=text,
        html=html_body,
    )
    app.outbox.send(built, tags={"purpose": "magic_link"})


def redeem(app, token) -> tuple[str, dict]:
    """Exchange a link token for (session token, user); 401 if the link or user is not valid."""
    # The link is single use: make sure a session can be signed (the key may have to come from
    # Secrets Manager, which can be down) before spending it, or the person must ask again.
    app.sessions.check_key()
    email = app.links.redeem(token, now=app.now())
    user = app.users.get(email)
    if user is None:
        raise Unauthorized("this sign-in link is invalid, expired or already used")
    if user["role"] != "admin" and user["email"] in app.settings.admin_emails:
        # ADMIN_EMAILS are always admins: one demoted meanwhile is admin again at sign-in.
        user = app.users.promote(user["email"], now=app.now()) or user
        log.warning("re-promoted an ADMIN_EMAILS address at sign-in")
    token = app.sessions.issue(
        user["email"], user["role"], now=app.now(), not_before=int(user.get("sessions_valid_after", 0) or 0)
    )
    return token, user
