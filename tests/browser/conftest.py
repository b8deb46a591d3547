"""Browser fixtures: the real local server in a subprocess, and the system Chromium."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from local_server import Server

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("serve"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install the system package 'chromium' (.ci/run does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on any console error or page error.

    A test that provokes an error on purpose lists its text in `page.expected_errors`.
    """
    context = browser.new_context()
    opened = context.new_page()
    opened.expected_errors = []
    errors: list[str] = []
    opened.on("console", lambda message: message.type == "error" and errors.append(message.text))
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    unexpected = [e for e in errors if not any(expected in e for expected in opened.expected_errors)]
    assert not unexpected, f"browser console errors: {unexpected}"


@pytest.fixture
def sign_in(server):
    """Sign in as a person does: ask for a link in the form, open the emailed link.

    The returned function answers the session token the page keeps, for API calls a test
    makes beside the page.
    """
    return lambda page, address="admin@example.com": _sign_in(page, server, address)


def _sign_in(page, server: Server, address: str) -> str:
    """The first time per address, through the form and the email; after that the stored
    session is reused (links are rate-limited to 5 per address in 10 minutes, as in production)."""
    stored = server.sessions.get(address)
    if stored and server.call("GET", "/api/me", token=json.loads(stored)["token"])[0] != 200:
        server.sessions.pop(address)  # signed out meanwhile (Sign out revokes it on the server)
        stored = None
    if stored:
        page.goto(server.url + "/#/charters")
        page.evaluate("(session) => localStorage.setItem('scc.session', session)", stored)
        page.reload()
        page.get_by_role("heading", name="Charters").wait_for()
        return page.evaluate("JSON.parse(localStorage.getItem('scc.session')).token")
    page.goto(server.url)
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.get_by_text("Check your inbox").wait_for()
    page.goto(server.newest_link(address))
    page.get_by_role("heading", name="Charters").wait_for()
    server.sessions[address] = page.evaluate("localStorage.getItem('scc.session')")
    return page.evaluate("JSON.parse(localStorage.getItem('scc.session')).token")


@pytest.fixture
def shoot():
    """Save a screenshot of a main screen: into docs/screenshots with SCREENSHOTS=1
    (`make screenshots`), otherwise into a throwaway folder so the code path still runs."""
    folder = SCREENSHOTS if os.environ.get("SCREENSHOTS") == "1" else Path(tempfile.mkdtemp())

    def save(page, name: str, *, full_page: bool = True) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.png"
        page.screenshot(path=str(target), full_page=full_page)
        return target

    return save
