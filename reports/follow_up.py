"""After a run: remember each report's outcome, and turn the CEO's top shortfalls and the live
AWS audit's critical findings into tasks.

Cards are made once each, ever: a shortfall's card id comes from its project and title, a
finding's from its key (`check:ARN`), so a finding still open at the next run, or one whose card
was archived, makes no second card."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from .account.model import Account
from .account.model import Finding as AuditFinding
from .briefs.ceo import critical_findings, top_shortfalls
from .kb import Loaded
from .outcomes import OutcomeStore
from .runs.records import ReportSend, Run, SendStatus
from .tasks import Finding, TaskStore, notify_webhook

log = logging.getLogger(__name__)
CEO_REPORT = "ceo"
TASKS_FROM_CEO = 3
# Days a card from a shortfall has until it is due, by the shortfall's severity.
DAYS_TO_FIX = {"critical": 7, "high": 14, "medium": 30, "low": 30}
AUDIT_OWNER = "CTO"  # who answers for a finding of the live AWS audit (no handoff names one)


class FollowUp:
    """What happens once a run's reports are decided, before the run reads finished."""

    def __init__(
        self,
        outcomes: OutcomeStore,
        tasks: TaskStore,
        *,
        load: Callable[[], Loaded],
        webhook: str | None,
        account: Callable[[], Account | None] = lambda: None,
    ):
        self._outcomes = outcomes
        self._tasks = tasks
        self._load = load
        self._webhook = webhook
        self._account = account  # the live AWS source the run's reports were built from

    def after_run(self, run: Run, sends: Mapping[str, ReportSend], *, now: datetime) -> None:
        """Record this run's outcomes and make the CEO's task cards; failures are logged, never fatal."""
        steps = (
            ("record outcomes", lambda: self._outcomes.record(run.run_id, sends, now=now)),
            ("ceo tasks", lambda: self._ceo_tasks(run, sends, now=now)),
        )
        for name, step in steps:
            try:
                step()
            except Exception:
                log.exception("report follow-up failed", extra={"run_id": run.run_id, "step": name})

    def _ceo_tasks(self, run: Run, sends: Mapping[str, ReportSend], *, now: datetime) -> None:
        """After the CEO report is sent, its top three shortfalls and every critical finding of the
        live AWS audit become cards (once each, ever)."""
        ceo = sends.get(CEO_REPORT)
        if ceo is None or ceo.status is not SendStatus.SENT:
            return
        findings = [
            Finding(
                title=ranked.shortfall.title,
                detail=ranked.shortfall.detail,
                urgency=ranked.shortfall.severity.value,
                source=f"CEO report, run {run.run_id}: {ranked.shortfall.source}",
                fingerprint=f"{ranked.project.id}\x00{ranked.shortfall.title}",
                owner=ranked.project.owner,
                due=(now.date() + timedelta(days=DAYS_TO_FIX[ranked.shortfall.severity.value])).isoformat(),
                report=CEO_REPORT,
            )
            for ranked in top_shortfalls(self._load().base, TASKS_FROM_CEO)
        ]
        findings += [_audit_card(finding, run, now) for finding in critical_findings(self._account())]
        created = self._tasks.add_from_findings(findings, persona=CEO_REPORT, now=now)
        notify_webhook(self._webhook, created)


def _audit_card(finding: AuditFinding, run: Run, now: datetime) -> Finding:
    """Return the card of a critical finding: its fix as the detail, its source named in full."""
    source = finding.source
    return Finding(
        title=finding.title,
        detail=f"Fix: {finding.fix}",
        urgency=finding.severity.value,
        source=f"CEO report, run {run.run_id}: live AWS audit, {source.service} {source.api} {source.arn}",
        fingerprint=f"aws\x00{finding.key}",
        owner=AUDIT_OWNER,
        due=(now.date() + timedelta(days=DAYS_TO_FIX[finding.severity.value])).isoformat(),
        report=CEO_REPORT,
    )
