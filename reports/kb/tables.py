"""Read the CSV tables: `accounts.csv`, `ledger.csv` and `assets.csv`, row by row."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..model import Account, Asset, LedgerRow
from ..vocabulary import AccountType, AssetStatus, AssetType, CostBehavior, Service
from .fields import Fields
from .problems import Problem, Unreadable

ZERO = Decimal(0)
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Columns:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


ACCOUNTS = Columns(("code", "name", "type", "category"), ("cost_behavior", "vendor"))
LEDGER = Columns(("date", "entity", "account", "amount"), ("memo", "service_date", "ref"))
ASSETS = Columns(
    ("entity", "type", "service", "name", "identifier", "monthly_cost", "status"),
    ("owner",),
)


def rows(file: str, text: str, columns: Columns, problems: list[Problem]) -> Iterator[Fields]:
    """Yield each data row's fields, with the row's line number in the file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as error:
        raise Unreadable(reader.line_num or 1, f"unreadable CSV: {error}") from None
    missing = [name for name in columns.required if name not in header]
    unknown = [name for name in header if name not in columns.required + columns.optional]
    if missing:
        raise Unreadable(1, f"missing column(s): {', '.join(missing)}")
    if unknown:
        problems.append(Problem(file, 1, f"unknown column(s): {', '.join(unknown)}"))
    end = reader.line_num
    try:
        for cells in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problems.append(Problem(file, line, f"expected {len(header)} columns, found {len(cells)}"))
                continue
            data = {name: cell for name, cell in zip(header, cells, strict=True) if name not in unknown}
            yield Fields(data, file=file, line_of=lambda _, at=line: at, problems=problems)
    except csv.Error as error:
        problems.append(Problem(file, reader.line_num, f"unreadable CSV: {error}"))


def column(text: str, name: str) -> frozenset[str]:
    """Return every value of one column, valid or not (to resolve references leniently)."""
    try:
        return frozenset(
            (row.get(name) or "").strip() for row in csv.DictReader(io.StringIO(text, newline=""))
        )
    except csv.Error:
        return frozenset()


def read_accounts(file: str, text: str, problems: list[Problem]) -> tuple[Account, ...]:
    """Return the chart of accounts."""
    return tuple(account for fields in rows(file, text, ACCOUNTS, problems) if (account := _account(fields)))


def read_ledger(file: str, text: str, problems: list[Problem]) -> tuple[LedgerRow, ...]:
    """Return the ledger rows (inflows positive)."""
    return tuple(row for fields in rows(file, text, LEDGER, problems) if (row := _ledger_row(fields)))


def read_assets(file: str, text: str, problems: list[Problem]) -> tuple[Asset, ...]:
    """Return the asset inventory."""
    return tuple(asset for fields in rows(file, text, ASSETS, problems) if (asset := _asset(fields)))


def _account(fields: Fields) -> Account | None:
    code, name = fields.text("code"), fields.text("name")
    kind, category = fields.choice("type", AccountType), fields.text("category")
    behavior = fields.choice("cost_behavior", CostBehavior, required=False)
    if behavior and kind and kind is not AccountType.EXPENSE:
        fields.problem(f"'cost_behavior' applies to expense accounts only, not {kind}", "cost_behavior")
    vendor = _vendor(fields, kind)
    return fields.done(Account(code, name, kind, category, behavior, fields.source(), vendor))


def _vendor(fields: Fields, kind: AccountType | None) -> str | None:
    """Read who bills an expense account (`aws` marks the AWS bill), as a lower-case id."""
    vendor = fields.text("vendor", required=False)
    if vendor and not _ID.match(vendor):
        fields.problem(f"'vendor' must be a lower-case id such as aws, not {vendor!r}", "vendor")
    elif vendor and kind and kind is not AccountType.EXPENSE:
        fields.problem(f"'vendor' applies to expense accounts only, not {kind}", "vendor")
    return vendor or None


def _ledger_row(fields: Fields) -> LedgerRow | None:
    when, entity, account = fields.date("date"), fields.text("entity"), fields.text("account")
    amount, memo = fields.decimal("amount"), fields.text("memo", required=False)
    service, ref = fields.date("service_date", required=False), fields.text("ref", required=False)
    return fields.done(LedgerRow(when, entity, account, amount, memo, fields.source(), service, ref))


def _asset(fields: Fields) -> Asset | None:
    entity, kind = fields.text("entity"), fields.choice("type", AssetType)
    service, name = fields.choice("service", Service), fields.text("name")
    identifier = fields.text("identifier")
    cost = fields.decimal("monthly_cost", minimum=ZERO)
    status, owner = fields.choice("status", AssetStatus), fields.email("owner", required=False) or None
    return fields.done(Asset(entity, kind, service, name, identifier, cost, status, owner, fields.source()))
