"""`python -m shipcaptaincrew serve` in a subprocess, as a new user starts it: for the browser
tests and the load test, which both need the real local server rather than lambda_handler."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PORTFOLIO = ROOT / "examples" / "portfolio"


class Server:
    """The local server on a free port, on the embedded AWS stand-in, with its own outbox and
    its own copy of the sample portfolio (so a test may break a file and mend it)."""

    def __init__(self, workdir: Path, **settings: str):
        self.outbox = workdir / "outbox"
        self.knowledge_base = workdir / "portfolio"
        shutil.copytree(SAMPLE_PORTFOLIO, self.knowledge_base)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "JWT_"))}
        env.update(
            MAIL_OUTBOX_DIR=str(self.outbox),
            KNOWLEDGE_BASE=str(self.knowledge_base),
            PYTHONUNBUFFERED="1",
            **settings,
        )
        command = [sys.executable, "-m", "shipcaptaincrew", "--env-file", str(workdir / "none.env")]
        self.process = subprocess.Popen(
            [*command, "serve", "--port", "0"],
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
        # Keep reading its output, or a busy server would block once the pipe's buffer is full.
        threading.Thread(target=self._drain, daemon=True).start()

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

    def _drain(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def call(self, method: str, path: str, body=None, token: str | None = None, headers=None):
        """Call the server the way the page does; return (status, JSON body parsed, or text)."""
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {token}"} if token else {}),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, _body(answer)
        except urllib.error.HTTPError as refused:
            return refused.code, _body(refused)

    def emails(self) -> list:
        """Every message the server sent so far, oldest first."""
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.outbox.glob("*.eml"))
        ]

    def newest_link(self, address: str) -> str:
        """The sign-in link of the newest email to `address`."""
        for message in reversed(self.emails()):
            text = message.get_body(("plain",)).get_content()
            if address in message["To"] and "#token=" in text:
                return re.search(r"http\S+#token=[A-Za-z0-9_-]+", text).group(0)
        raise AssertionError(f"no sign-in email to {address} in {self.outbox}")

    def report_emails(self, run_id: str) -> list:
        return [message for message in self.emails() if message["X-SCC-Run-Id"] == run_id]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _body(answer):
    data = answer.read()
    if not data:
        return None
    if answer.headers.get("Content-Type", "").startswith("application/json"):
        return json.loads(data)
    return data.decode()
