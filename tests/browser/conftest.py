"""Browser fixtures: the real local server in a subprocess, and the system Chromium."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PORTFOLIO = ROOT / "examples" / "portfolio"
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


class Server:
    """`python -m shipcaptaincrew serve` on a free port, as a new user starts it.

    It reads its own copy of the sample portfolio, so a test may break a file and mend it.
    """

    def __init__(self, workdir: Path):
        self.outbox = workdir / "outbox"
        self.knowledge_base = workdir / "portfolio"
        shutil.copytree(SAMPLE_PORTFOLIO, self.knowledge_base)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "JWT_"))}
        env.update(
            MAIL_OUTBOX_DIR=str(self.outbox), KNOWLEDGE_BASE=str(self.knowledge_base), PYTHONUNBUFFERED="1"
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "shipcaptaincrew",
                "--env-file",
                str(workdir / "none.env"),
                "serve",
                "--port",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.sessions: dict[str, str] = {}
        self.url = self._wait_for("ready ").split()[1]
        self.printed_link = self._wait_for("sign in as").split(": ", 1)[1].strip()

    def _wait_for(self, prefix: str) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                raise RuntimeError("server exited:\n" + "".join(self.lines))
            self.lines.append(line)
            if line.startswith(prefix):
                return line.strip()
        raise RuntimeError(f"server never printed {prefix!r}:\n" + "".join(self.lines))

    def call(self, method: str, path: str, body=None, token: str | None = None):
        """Call the server's API the way the page does; return (status, parsed body)."""
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {token}"} if token else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                data = answer.read()
                return answer.status, json.loads(data) if data else None
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read() or b"null")

    def emails(self) -> list:
        """Every message the server sent so far, oldest first."""
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.outbox.glob("*.eml"))
        ]

    def newest_link(self, address: str) -> str:
        """The sign-in link of the newest email to `address`."""
        for message in reversed(self.emails()):
            if address in message["To"] and "#token=" in message.get_body(("plain",)).get_content():
                return re.search(
                    r"http\S+#token=[A-Za-z0-9_-]+", message.get_body(("plain",)).get_content()
                ).group(0)
        raise AssertionError(f"no sign-in email to {address} in {self.outbox}")

    def report_emails(self, run_id: str) -> list:
        return [message for message in self.emails() if message["X-SCC-Run-Id"] == run_id]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


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
