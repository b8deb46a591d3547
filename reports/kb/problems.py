"""Problems found in a knowledge base, each pointing at the file and line to fix."""

from __future__ import annotations

from dataclasses import dataclass

# Which part of the knowledge base a file belongs to; reports declare the parts they need.
PORTFOLIO = "portfolio"
ENTITIES = "entities"
PROJECTS = "projects"
ACCOUNTS = "accounts"
LEDGER = "ledger"
ASSETS = "assets"
PARTS = (PORTFOLIO, ENTITIES, PROJECTS, ACCOUNTS, LEDGER, ASSETS)


@dataclass(frozen=True, order=True)
class Problem:
    """Say what is wrong and where, rendered `file:line: message` like a compiler.

    A warning (`file:line: warning: message`) is worth fixing but leaves the figures sound, so it
    never stops a report; every other problem does.
    """

    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        level = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {level}{self.message}"

    @property
    def part(self) -> str:
        """Return the part of the knowledge base this problem breaks."""
        return part_of(self.file)

    def located(self, root: str) -> Problem:
        """Return the same problem with its file prefixed by the knowledge base's location."""
        return Problem(f"{root.rstrip('/')}/{self.file}", self.line, self.message, self.warning)


def part_of(file: str) -> str:
    """Return the part (`ledger`, `entities`...) a knowledge-base file belongs to."""
    top = file.split("/", 1)[0]
    return top.removesuffix(".toml").removesuffix(".csv")


def stem(file: str) -> str:
    """Return a file's name without folder or extension: `entities/jada.md` -> `jada`."""
    return file.rsplit("/", 1)[-1].rsplit(".", 1)[0]


class Unreadable(ValueError):
    """Raise when a whole file cannot be read (bad TOML, missing CSV columns), at `line`."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class KnowledgeBaseError(Exception):
    """Raise when the knowledge base itself cannot be reached (no such directory or bucket)."""
