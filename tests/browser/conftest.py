"""Browser fixtures: the real local server in a subprocess, and the system Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
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
    """`python -m shipcaptaincrew serve` on a free port, as a new user starts it."""

    def __init__(self, workdir: Path):
        self.outbox = workdir / "outbox"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "JWT_"))}
        env.update(MAIL_OUTBOX_DIR=str(self.outbox), PYTHONUNBUFFERED="1")
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
