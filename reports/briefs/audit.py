"""The live AWS source in the briefs: security gaps merged with the audit's findings, the real
bill beside the inventory and the ledger, usage, what was fixed, and which sources were not read.

Merging (one rule, used by the CTO report): a handoff's security gap and an audit finding are the
same gap when the gap's title or detail names the finding's resource: its full ARN, or the name
the ARN ends with (bucket, function, user, distribution, security group; a secret also without
the six random characters AWS appends). Names are matched whole and case-blind, and names shorter
than three characters never match. The gap is shown once, at the more severe of the two levels,
citing the handoff and every finding it absorbed. Everything else is one row each, most severe
first; at the same level the handoffs' gaps keep their order and come before the audit's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..account.model import Account, AwsSource, Cost, Finding, Unavailable
from ..analysis import infrastructure
from ..formatting import long_month, money
from ..vocabulary import Severity

AUDIT_ENTITY = "AWS account"  # the entity column of a gap only the audit found
MARK = "finding#"  # how a sent report's record keeps each finding's key ("fixed since last report")
SECRET_SUFFIX = re.compile(r"-[A-Za-z0-9]{6}$")  # Secrets Manager appends six random characters
SHORTEST_NAME = 3
COST_EXPLORER = "Cost Explorer"


@dataclass(frozen=True)
class SecurityRow:
    """One security gap: from a handoff, from the live audit, or both (then cited twice)."""

    severity: Severity
    title: str
    detail: str  # the handoff's detail ("" for a gap only the audit found)
    entity: str
    file: str | None  # the handoff it is written in (None: only the audit found it)
    findings: tuple[Finding, ...] = ()  # the audit's findings on it, each with its fix and source

    @property
    def fixes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(finding.fix for finding in self.findings))


SECURITY_HEADERS = ("Severity", "Gap", "Detail", "Fix", "Entity", "Sources")


def security_table(rows: Iterable[SecurityRow]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Return every security gap as the CSV a long list attaches: the email shows the top rows."""
    return SECURITY_HEADERS, [
        (
            str(row.severity),
            row.title,
            " ".join([row.detail, *(f"Live audit: {f.title}" for f in row.findings if row.file)]).strip(),
            " ".join(row.fixes),
            row.entity,
            "; ".join(
                [
                    *([row.file] if row.file else []),
                    *(f"AWS {f.source.service} {f.source.api}: {f.source.arn}" for f in row.findings),
                ]
            ),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Fixed:
    """A finding of the previous sent report that a check which ran again no longer finds."""

    check: str
    arn: str

    def __str__(self) -> str:
        return f"{self.check} on {self.arn}"


@dataclass(frozen=True)
class UsageRow:
    """One CloudWatch figure over the report period: what it measures and where it was read."""

    resource: str  # "Lambda my-function" or "SES"
    metric: str
    value: Decimal | None  # None: no datapoints
    source: AwsSource


@dataclass(frozen=True)
class LiveAws:
    """What a report shows of the live AWS source: None fields were not read (see `unavailable`)."""

    unavailable: tuple[str, ...]  # one line per source that could not be read, with the reason
    checked: int  # the security checks that ran
    findings: int
    cost: Cost | None
    bill: infrastructure.BillCheck | None
    usage: tuple[UsageRow, ...]
    usage_period: tuple[date, date] | None  # first and last day (inclusive)
    fixed: tuple[Fixed, ...]
    fixed_since: str | None  # when the previous sent report went out


def bill_of(account: Account | None) -> Cost | None:
    """Return Cost Explorer's bill when it has cost lines; an empty answer (a new account, the
    embedded stand-in) is nothing to check the inventory and the ledger against."""
    if account is None or account.cost is None or not account.cost.services:
        return None
    return account.cost


def gaps(account: Account) -> tuple[Unavailable, ...]:
    """Return the sources that could not be read, an empty bill counted as one."""
    if account.cost is None or account.cost.services:
        return account.unavailable
    empty = f"no cost lines for {long_month(account.cost.last_month)} or this month"
    return (*account.unavailable, Unavailable(COST_EXPLORER, empty))


def unavailable_lines(account: Account) -> tuple[str, ...]:
    """Return one line per source that could not be read, saying why and what the report does."""
    then = "Figures below are from the knowledge base."
    return tuple(f"Live AWS source unavailable: {gap.source} — {gap.reason}. {then}" for gap in gaps(account))


def resource_names(arn: str) -> tuple[str, ...]:
    """Return the names a handoff might call the resource of `arn` by: the ARN and its last name."""
    last = re.split(r"[:/]", arn)[-1]
    names = [arn, last]
    if ":secretsmanager:" in arn:
        names.append(SECRET_SUFFIX.sub("", last))
    return tuple(dict.fromkeys(name for name in names if len(name) >= SHORTEST_NAME))


def names_resource(text: str, arn: str) -> bool:
    """Tell whether `text` names the resource of `arn` as a whole word (case-blind)."""
    return any(
        re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE)
        for name in resource_names(arn)
    )


def merge_security(gaps: Iterable[SecurityRow], findings: Iterable[Finding]) -> tuple[SecurityRow, ...]:
    """Return the handoffs' gaps and the audit's findings as one list, duplicates collapsed (the
    module's rule), most severe first."""
    rows = list(gaps)
    absorbed: dict[int, list[Finding]] = {}
    alone = []
    for finding in findings:
        match = next(
            (
                i
                for i, row in enumerate(rows)
                if names_resource(f"{row.title}\n{row.detail}", finding.source.arn)
            ),
            None,
        )
        if match is None:
            alone.append(SecurityRow(finding.severity, finding.title, "", AUDIT_ENTITY, None, (finding,)))
        else:
            absorbed.setdefault(match, []).append(finding)
    for index, found in absorbed.items():
        row = rows[index]
        severity = min((row.severity, *(f.severity for f in found)), key=lambda level: level.rank)
        rows[index] = SecurityRow(
            severity, row.title, row.detail, row.entity, row.file, row.findings + tuple(found)
        )
    return tuple(sorted(rows + alone, key=lambda row: row.severity.rank))


def marks(account: Account | None) -> dict[str, Decimal]:
    """Return what a sent report's record keeps of the findings: key -> severity rank."""
    if account is None:
        return {}
    return {MARK + finding.key: Decimal(finding.severity.rank) for finding in account.findings}


def fixed_since(account: Account, previous: dict | None) -> tuple[Fixed, ...]:
    """Return the previous sent report's findings gone now; only a check that ran this time can
    say its finding is fixed (a denied call fixes nothing)."""
    if not previous or not previous.get("metrics"):
        return ()
    now = {finding.key for finding in account.findings}
    ran = set(account.checked)
    found = []
    for mark in previous["metrics"]:
        if not mark.startswith(MARK):
            continue
        key = mark[len(MARK) :]
        check, _, arn = key.partition(":")
        if key not in now and check in ran:
            found.append(Fixed(check, arn))
    return tuple(sorted(found, key=lambda fixed: (fixed.check, fixed.arn)))


def usage_rows(account: Account) -> tuple[UsageRow, ...]:
    """Return the Lambda's and SES's figures, the function named by its ARN's last part."""
    if account.usage is None:
        return ()
    found = []
    for metric in account.usage.function:
        name = re.split(r"[:/]", metric.source.arn)[-1]
        found.append(UsageRow(f"Lambda {name}", metric.name, metric.value, metric.source))
    found.extend(UsageRow("SES", metric.name, metric.value, metric.source) for metric in account.usage.email)
    return tuple(found)


def live_aws(
    account: Account, previous: dict | None, cost: infrastructure.InfraCost | None = None
) -> LiveAws:
    """Return what a report shows of `account`; `cost` (the inventory's and the ledger's AWS) adds
    the three-way check of the real bill."""
    bill, real = None, bill_of(account)
    if real is not None and cost is not None:
        bill = infrastructure.bill_check(real.last_month, real.last_month_total, cost)
    usage = account.usage
    return LiveAws(
        unavailable=unavailable_lines(account),
        checked=len(account.checked),
        findings=len(account.findings),
        cost=real,
        bill=bill,
        usage=usage_rows(account),
        usage_period=None if usage is None else (usage.start, usage.end - timedelta(days=1)),
        fixed=fixed_since(account, previous),
        fixed_since=(previous or {}).get("at"),
    )


@dataclass(frozen=True)
class AwsLine:
    """The CFO's AWS line: the real bill when Cost Explorer was read, else the ledger's invoices."""

    amount: Decimal | None  # a month of AWS: the real bill of the last full month, else the ledger's
    text: str
    source: AwsSource | str  # what to cite: Cost Explorer's call, or the ledger


def aws_line(account: Account | None, cost: infrastructure.InfraCost) -> AwsLine | None:
    """Return the AWS line of a report that reads the live source; None when it was not consulted."""
    if account is None:
        return None
    months = infrastructure.BILLED_MONTHS
    if cost.billed_monthly is None:
        ledger = f"the ledger has no AWS invoice in the last {months} full months"
    else:
        average = money(cost.billed_monthly, cents=True)
        ledger = f"the ledger's AWS invoices average {average} a month over {months} full months"
    bill = bill_of(account)
    if bill is not None:
        text = (
            f"AWS billed {money(bill.last_month_total, cents=True)} for {long_month(bill.last_month)} "
            f"(Cost Explorer, the real bill) and {money(bill.month_to_date_total, cents=True)} this month "
            f"through {bill.month_to_date_through.isoformat()}; {ledger}."
        )
        return AwsLine(bill.last_month_total, text, bill.source)
    why = "; ".join(f"{gap.source} — {gap.reason}" for gap in _cost_gaps(account)) or "not read"
    return AwsLine(cost.billed_monthly, f"AWS: {ledger}; the real bill is unavailable ({why}).", "ledger.csv")


def _cost_gaps(account: Account) -> list:
    """Return why Cost Explorer was not read: its own line, else every line (the whole source off)."""
    found = gaps(account)
    own = [gap for gap in found if "cost" in gap.source.lower()]
    return own or list(found)
