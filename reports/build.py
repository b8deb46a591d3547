"""Build and render reports: knowledge base + live counts -> brief -> rendered messages.

One report failing (bad data, a template error) never stops the others: each outcome says
whether it rendered and, if not, exactly why.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from .analysis import periods
from .catalogue import Report, reports_for
from .history import since_last, stored
from .kb.loader import Loaded
from .kb.problems import LEDGER
from .live import Live
from .model import KnowledgeBase
from .render import Footnotes, Rendered, dashboard_links, render

log = logging.getLogger(__name__)


class ReportDataError(Exception):
    """Raise when the data a report needs is missing or broken; the message says where."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one report: rendered, or the reason it could not be."""

    report: Report
    rendered: Rendered | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.rendered is not None


def select(loaded: Loaded, wanted: Iterable[str] | None = None) -> list[Report]:
    """Return the reports to build: all of them, or those whose ids are `wanted` (unknown ids raise)."""
    available = reports_for(loaded.base)
    if not wanted:
        return available
    by_id = {report.id: report for report in available}
    unknown = [report_id for report_id in wanted if report_id not in by_id]
    if unknown:
        raise KeyError(f"unknown report(s): {', '.join(unknown)} (known: {', '.join(by_id)})")
    return [by_id[report_id] for report_id in wanted]


def context(
    report: Report, loaded: Loaded, live: Live, *, now: datetime, previous: dict | None = None
) -> dict:
    """Return the data the report's templates receive; raise ReportDataError if its data is broken.

    The figures are as of the portfolio's `as_of` (one cut-off: later ledger rows are future and left
    out); due dates are counted from `now`, the send. `previous` is the last sent report's stored
    record (`{"at", "metrics"}`), for "since last report". A brief's `finding_marks` (the live
    audit's finding keys) are stored with its metrics but never compared: "fixed since" reads them.
    """
    problems = loaded.problems_for(report.spec.needs)
    if problems:
        shown = "; ".join(str(problem) for problem in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ReportDataError(f"the knowledge base has problems this report depends on: {shown}{more}")
    portfolio = loaded.base.portfolio
    fresh = periods.Freshness(portfolio.as_of, now.astimezone(UTC).date())
    base = periods.as_of_view(loaded.base)
    brief = _brief(report, base, fresh, live, previous)
    metrics = report.spec.key_metrics(brief)
    return {
        "report": {"id": report.id, "title": report.title, "audience": report.audience},
        "entity": report.entity,
        "figures": brief,
        "live": live.counts,
        "live_unavailable_reason": live.unavailable_reason,
        # the live AWS source as read: each finding with its source, and what could not be read
        "live_aws": None if live.account is None else live.account.as_dict(),
        "portfolio_name": portfolio.name,
        "currency": portfolio.currency,
        "as_of": portfolio.as_of.isoformat(),
        "freshness": fresh,
        "notices": notices(report, base, len(periods.future_rows(loaded.base)), fresh),
        "generated_at": now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "footnotes": Footnotes(),
        "metrics": stored(metrics) | getattr(brief, "finding_marks", {}),
        "since_last": since_last(metrics, previous),
        "links": dashboard_links(report.id),
    }


def _brief(report: Report, base: KnowledgeBase, fresh: periods.Freshness, live: Live, previous: dict | None):
    """Build the brief as of `as_of`; a brief that counts days to a due date also gets the send date
    (`sent`), one that reads the live AWS source gets it (`account`), and one that compares with its
    previous sent record gets that (`previous`)."""
    builder = report.spec.builder()
    offered = {"sent": fresh.sent, "account": live.account, "previous": previous}
    wanted = inspect.signature(builder).parameters
    return builder(
        base, today=fresh.as_of, entity=report.entity, **{k: v for k, v in offered.items() if k in wanted}
    )


def notices(report: Report, base: KnowledgeBase, future: int, fresh: periods.Freshness) -> list[str]:
    """Return the lines a report opens with: how old its figures are, months not entered, and how
    many ledger rows (`future`) are dated after the cut-off of `base`."""
    found = [fresh.notice]
    if LEDGER in report.spec.needs:
        found.append(periods.not_entered_notice(base.ledger, fresh.as_of))
        if future:
            rows = "row is" if future == 1 else "rows are"
            day = f"{fresh.as_of.day} {fresh.as_of:%b %Y}"
            found.append(f"{future} ledger {rows} dated after {day}: future, left out of every figure.")
    return [line for line in found if line]


def build(
    report: Report, loaded: Loaded, live: Live, *, now: datetime, previous: dict | None = None
) -> Outcome:
    """Build and render one report, turning any failure into an Outcome with its reason."""
    try:
        data = context(report, loaded, live, now=now, previous=previous)
        rendered = render(report.id, report.spec.template, data)
    except ReportDataError as error:
        return Outcome(report, None, str(error))
    except Exception as error:  # one report's bug must not stop the others
        log.exception("report failed to build", extra={"report_id": report.id})
        return Outcome(report, None, f"{type(error).__name__}: {error}")
    return Outcome(report, rendered)


def build_all(
    loaded: Loaded,
    live_source: Callable[[], Live],
    *,
    wanted: Iterable[str] | None = None,
    now: datetime | None = None,
    history: Callable[[str], dict | None] | None = None,
) -> list[Outcome]:
    """Build every selected report, reading the live counts once for all of them.

    `history(report_id)` returns the report's last sent record, when there is a history to compare.
    """
    now = now or datetime.now(UTC)
    reports = select(loaded, wanted)
    live = live_source()
    return [
        build(report, loaded, live, now=now, previous=history(report.id) if history else None)
        for report in reports
    ]
