"""Check what one file says about another: ids are unique and every reference resolves."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import SHARED_ENTITY, KnowledgeBase, Source
from .problems import Problem


@dataclass(frozen=True)
class Known:
    """Hold the ids a reference may name; None means "unknown, do not check" (file unreadable)."""

    entities: frozenset[str] | None
    accounts: frozenset[str] | None


def check(base: KnowledgeBase, known: Known) -> list[Problem]:
    """Return every duplicate id and dangling reference in the knowledge base."""
    problems = _duplicates(base)
    entity = _resolver(problems, known.entities, "entity", "entities/")
    account = _resolver(problems, known.accounts, "account", "accounts.csv")
    for row in base.ledger:
        entity(row.entity, row.source)
        account(row.account, row.source)
    for asset in base.assets:
        entity(asset.entity, asset.source)
    for project in base.projects:
        entity(project.entity, project.source)
        for opportunity in project.opportunities:
            entity(opportunity.entity, opportunity.source)
    if base.portfolio:
        for rule in base.portfolio.rules:
            if rule.entity:
                entity(rule.entity, rule.source)
            if rule.account:
                account(rule.account, rule.source)
        for item in base.portfolio.capital_plan:
            entity(item.entity, item.source)
    for each in base.entities:
        clients = {client.id for client in each.clients}
        for item in each.work_items:
            if item.client not in clients:
                problems.append(
                    _at(item.source, f"unknown client '{item.client}' (not a [[client]] id here)")
                )
    return problems


def _resolver(problems: list[Problem], ids: frozenset[str] | None, what: str, where: str) -> Callable:
    def resolve(value: str, source: Source) -> None:
        if ids is not None and value not in ids and not (what == "entity" and value == SHARED_ENTITY):
            problems.append(_at(source, f"unknown {what} '{value}' (not in {where})"))

    return resolve


def _duplicates(base: KnowledgeBase) -> list[Problem]:
    problems: list[Problem] = []
    _unique(problems, base.entities, lambda entity: entity.id, "entity id")
    _unique(problems, base.accounts, lambda account: account.code, "account code")
    _unique(problems, base.assets, lambda asset: (asset.service, asset.identifier), "asset")
    if base.portfolio:
        _unique(problems, base.portfolio.rules, lambda rule: rule.id, "rule id")
    for entity in base.entities:
        _unique(problems, entity.channels, lambda channel: channel.name, "channel")
        _unique(problems, entity.units, lambda unit: unit.id, "unit id")
        _unique(problems, entity.jobs, lambda job: job.id, "job id")
        _unique(problems, entity.clients, lambda client: client.id, "client id")
    return problems


def _unique(problems: list[Problem], items: Iterable, key: Callable, what: str) -> None:
    first: dict[object, Source] = {}
    for item in items:
        value = key(item)
        if value in first:
            shown = "/".join(value) if isinstance(value, tuple) else value
            problems.append(_at(item.source, f"duplicate {what} '{shown}' (first at {first[value]})"))
        first.setdefault(value, item.source)


def _at(source: Source, message: str) -> Problem:
    return Problem(source.file, source.line, message)
