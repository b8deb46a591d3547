"""Load a knowledge base into the model, collecting problems instead of stopping at the first.

A malformed file costs only its own data: the rest loads, and `Loaded.problems_for(parts)`
tells a report whether the parts it needs are sound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..model import KnowledgeBase
from . import frontmatter, tables
from .books import check_books
from .entities import read_entity
from .portfolio import FILE as PORTFOLIO_FILE
from .portfolio import read_portfolio
from .problems import Problem, Unreadable, stem
from .projects import read_project
from .references import Known, check
from .sources import FOLDERS, TABLES, read_files


@dataclass(frozen=True)
class Loaded:
    """Hold the model as far as it could be read, and every problem found on the way."""

    base: KnowledgeBase
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()  # worth fixing, but no report depends on them

    @property
    def broken_parts(self) -> frozenset[str]:
        """Return the parts (`ledger`, `entities`...) with at least one problem."""
        return frozenset(problem.part for problem in self.problems)

    def problems_for(self, parts: Iterable[str]) -> tuple[Problem, ...]:
        """Return the problems that make a report needing `parts` unreliable."""
        wanted = set(parts)
        return tuple(problem for problem in self.problems if problem.part in wanted)


def load(location: str, *, s3=None) -> Loaded:
    """Read and validate the knowledge base at a directory or `s3://bucket/prefix`."""
    return parse(read_files(location, s3=s3))


def parse(files: Mapping[str, bytes]) -> Loaded:
    """Build the model from {relative path: bytes}; pure, so it is tested without any I/O."""
    problems: list[Problem] = []
    texts = _decode(files, problems)
    portfolio_document = _read(PORTFOLIO_FILE, texts, problems, frontmatter.parse)
    entity_files = _folder(texts, "entities", problems, required=True)
    project_files = _folder(texts, "projects", problems, required=False)
    base = KnowledgeBase(
        portfolio=read_portfolio(portfolio_document, problems) if portfolio_document else None,
        entities=_documents(entity_files, texts, problems, read_entity),
        projects=_documents(project_files, texts, problems, read_project),
        accounts=_table("accounts.csv", texts, problems, tables.read_accounts),
        ledger=_table("ledger.csv", texts, problems, tables.read_ledger),
        assets=_table("assets.csv", texts, problems, tables.read_assets),
    )
    accounts_text = texts.get("accounts.csv")
    known = Known(
        entities=frozenset(stem(file) for file in entity_files),
        accounts=tables.column(accounts_text, "code") if base.accounts and accounts_text else None,
    )
    problems.extend(check(base, known))
    problems.extend(check_books(base))
    found = sorted(set(problems))
    return Loaded(base, tuple(p for p in found if not p.warning), tuple(p for p in found if p.warning))


def _decode(files: Mapping[str, bytes], problems: list[Problem]) -> dict[str, str]:
    texts = {}
    for name, content in files.items():
        try:
            texts[name] = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = content[: error.start].count(b"\n") + 1
            problems.append(Problem(name, line, "not UTF-8 text"))
    return texts


def _folder(texts: Mapping[str, str], folder: str, problems: list[Problem], *, required: bool) -> list[str]:
    names = sorted(name for name in texts if name.startswith(f"{folder}/"))
    if required and not names and folder in FOLDERS:
        problems.append(Problem(f"{folder}/", 1, f"no {folder} found (expected {folder}/*.md)"))
    return names


def _read(name: str, texts: Mapping[str, str], problems: list[Problem], parse_text: Callable):
    """Return `parse_text(text)`, or None with a problem when the file is missing or unreadable."""
    if name not in texts:
        if name in TABLES and not any(problem.file == name for problem in problems):
            problems.append(Problem(name, 1, "file is missing"))
        return None
    try:
        return parse_text(texts[name])
    except Unreadable as error:
        problems.append(Problem(name, error.line, error.message))
        return None


def _documents(names: list[str], texts: Mapping[str, str], problems: list[Problem], read) -> tuple:
    documents = ((name, _read(name, texts, problems, frontmatter.parse_markdown)) for name in names)
    items = (read(name, document, problems) for name, document in documents if document)
    return tuple(item for item in items if item is not None)


def _table(name: str, texts: Mapping[str, str], problems: list[Problem], read) -> tuple:
    return _read(name, texts, problems, lambda text: read(name, text, problems)) or ()
