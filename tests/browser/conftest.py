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
# Counts the page's fetches in flight and when the last one started or ended (installed in every
# page before its scripts run), so a screenshot waits for the answers and what they drew. The
# page gets each response as soon as it would anyway: a clone's body is read on the side.
NETWORK_TRACKER = """(() => {
  const seen = { inflight: 0, last: performance.now() };
  window.__sccNetwork = seen;
  const original = window.fetch.bind(window);
  const done = () => { seen.inflight -= 1; seen.last = performance.now(); };
  window.fetch = (...args) => {
    seen.inflight += 1;
    seen.last = performance.now();
    return original(...args).then(
      (response) => {
        response.clone().arrayBuffer().catch(() => {}).finally(done);
        return response;
      },
      (error) => { done(); throw error; },
    );
  };
})()"""
QUIET_MS = 500  # as Playwright's "networkidle": no request for this long means the answers are in
SETTLE_MS = 20_000  # a screen that has not settled by then fails the test rather than ship half-drawn
# The screen is final: no fetch in flight or just ended, no view loading (aria-busy) or saying so,
# web fonts and every image loaded.
SETTLED = r"""(quietMs) => {
  const network = window.__sccNetwork;
  const idle = !network || (network.inflight === 0 && performance.now() - network.last >= quietMs);
  return idle
    && !document.querySelector('[aria-busy="true"]')
    && !/Loading…|Loading\.\.\./.test(document.body ? document.body.innerText : '')
    && document.fonts.status === 'loaded'
    && [...document.images].every((image) => image.complete);
}"""
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
    context.add_init_script(NETWORK_TRACKER)
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


def settle(page, *, timeout_ms: int = SETTLE_MS) -> None:
    """Wait, up to a deadline, until the screen is final: every frame loaded, no request in flight
    for QUIET_MS, nothing loading, fonts and images in. Fails the test if it never settles."""
    for frame in page.frames:
        frame.wait_for_load_state("load", timeout=timeout_ms)
    page.wait_for_function(SETTLED, arg=QUIET_MS, timeout=timeout_ms)


@pytest.fixture
def shoot():
    """Save a screenshot of a main screen once it has settled (`settle`): into docs/screenshots
    with SCREENSHOTS=1 (`make screenshots`), otherwise into a throwaway folder so the code path
    (the waiting included) still runs."""
    folder = SCREENSHOTS if os.environ.get("SCREENSHOTS") == "1" else Path(tempfile.mkdtemp())

    def save(page, name: str, *, full_page: bool = True) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.png"
        settle(page)
        page.screenshot(path=str(target), full_page=full_page, animations="disabled", caret="hide")
        return target

    return save


@pytest.fixture(scope="session")
def sent_emails() -> dict[str, str]:
    """Every sample report's HTML part as it is sent ({report id: html}): built as a run builds
    it (tests/sample_run.py's clock and live counts), then taken out of the real MIME message."""
    from sample_run import LIVE, NOW, SAMPLE

    from reports import kb
    from reports.build import build_all
    from reports.email.message import report_email

    emails = {}
    for outcome in build_all(kb.load(str(SAMPLE)), lambda: LIVE, now=NOW):
        message = report_email(
            outcome.rendered, sender="reports@example.com", to=["ceo@example.com"], run_id="run-screenshots"
        )
        emails[outcome.report.id] = message.get_body(("html",)).get_content()
    return emails
