"""The sample portfolio as the report tests render it: one clock and one set of live counts, so
the layout, reading and every-report tests check the same emails."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reports.live import Live

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "portfolio"
NOW = datetime(2026, 11, 16, 14, 0, tzinfo=UTC)
LIVE = Live(
    {
        "events_by_status": {"booked": 2, "cancelled": 1, "completed": 2, "hold": 1, "inquiry": 2},
        "upcoming_charters": 5,
        "users_by_role": {"admin": 1, "captain": 1, "crew": 1},
        "checklist_completion": 0.4167,
    }
)
