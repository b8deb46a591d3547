"""What the live AWS source found, as plain values the briefs and templates can use.

The reader (`reports.account.read`) fills these from read-only AWS calls; the checks
(`reports.account.checks`) turn API answers into `Finding`s. Nothing here talks to AWS, so the
briefs and their tests build these by hand. A source that could not be read (no permission, no
service locally, `LIVE_AUDIT=off`) is an `Unavailable` with its reason, never an exception: the
report says so and goes on with the knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..vocabulary import Severity


@dataclass(frozen=True)
class AwsSource:
    """Where a live figure or finding came from: the service, the API call and the resource."""

    service: str  # e.g. "iam"
    api: str  # e.g. "ListAccessKeys"
    arn: str  # the resource's ARN, "arn:aws:..."

    def as_dict(self) -> dict:
        return {"service": self.service, "api": self.api, "arn": self.arn}


@dataclass(frozen=True)
class Finding:
    """One failed security check: what is wrong, how bad, how to fix it, and where."""

    check: str  # the check's stable id, e.g. "iam-key-age"; with the ARN it identifies the finding
    severity: Severity
    title: str  # one line naming the resource, e.g. "Access key AKIA... of deploy-bot is 412 days old"
    fix: str  # what to do, one sentence
    source: AwsSource

    @property
    def key(self) -> str:
        """Return what identifies this finding from one report to the next (for "fixed since")."""
        return f"{self.check}:{self.source.arn}"

    def as_dict(self) -> dict:
        return {
            "check": self.check,
            "severity": str(self.severity),
            "title": self.title,
            "fix": self.fix,
            "source": self.source.as_dict(),
        }


@dataclass(frozen=True)
class ServiceCost:
    """What one AWS service cost: the last full month and the month to date (USD, unblended)."""

    service: str  # Cost Explorer's SERVICE dimension, e.g. "Amazon Simple Email Service"
    last_month: Decimal
    month_to_date: Decimal


@dataclass(frozen=True)
class Cost:
    """Cost Explorer's bill by service: the last full month and the month to date."""

    last_month: date  # the first day of the last full month
    month_to_date_through: date  # the last day counted in the month to date (inclusive)
    services: tuple[ServiceCost, ...]  # most expensive last month first
    source: AwsSource

    @property
    def last_month_total(self) -> Decimal:
        return sum((line.last_month for line in self.services), Decimal(0))

    @property
    def month_to_date_total(self) -> Decimal:
        return sum((line.month_to_date for line in self.services), Decimal(0))


@dataclass(frozen=True)
class Metric:
    """One CloudWatch figure over the report period; `value` None means no datapoints."""

    name: str  # e.g. "Invocations", "Errors", "Duration p95 (ms)", "Bounces"
    value: Decimal | None
    source: AwsSource


@dataclass(frozen=True)
class Usage:
    """The app's own Lambda and SES over the report period, from CloudWatch."""

    start: date
    end: date  # exclusive
    function: tuple[Metric, ...]  # Invocations, Errors, Throttles, Duration p95 (ms)
    email: tuple[Metric, ...]  # Send, Bounce, Complaint


@dataclass(frozen=True)
class Unavailable:
    """A source that could not be read, and why (shown in the report; the run goes on)."""

    source: str  # e.g. "Cost Explorer", "IAM access keys", "the live AWS audit"
    reason: str  # e.g. "AccessDenied on ce:GetCostAndUsage", "LIVE_AUDIT=off"


@dataclass(frozen=True)
class Account:
    """Everything the live AWS source read for one run."""

    cost: Cost | None = None
    usage: Usage | None = None
    findings: tuple[Finding, ...] = ()  # most severe first
    unavailable: tuple[Unavailable, ...] = ()
    checked: tuple[str, ...] = ()  # the checks that ran (a check that ran and found nothing passed)
    calls: int = 0  # AWS read calls made, for the bench and the log

    @classmethod
    def off(cls, source: str, reason: str) -> Account:
        """Return an Account that read nothing, saying why (LIVE_AUDIT=off, local without AWS)."""
        return cls(unavailable=(Unavailable(source, reason),))

    def as_dict(self) -> dict:
        """Return the JSON a report's figures carry (SPEC section 4: each finding with its source)."""
        return {
            "findings": [finding.as_dict() for finding in self.findings],
            "unavailable": [{"source": u.source, "reason": u.reason} for u in self.unavailable],
            "checked": list(self.checked),
            "cost": None
            if self.cost is None
            else {
                "last_month": self.cost.last_month.isoformat(),
                "month_to_date_through": self.cost.month_to_date_through.isoformat(),
                "services": [
                    {
                        "service": line.service,
                        "last_month": str(line.last_month),
                        "month_to_date": str(line.month_to_date),
                    }
                    for line in self.cost.services
                ],
                "source": self.cost.source.as_dict(),
            },
        }
