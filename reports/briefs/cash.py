"""Burn and runway as the CFO and the CEO both state them: one phrase, one reason when missing, one
provenance, so the two reports can never word or source the same figure differently."""

from __future__ import annotations

from datetime import date

from ..analysis import finance, periods
from ..analysis.provenance import Provenance, lines, over
from ..formatting import money

CASH_SOURCE = "portfolio.toml (cash_on_hand)"


def covers(burn: finance.BurnRate) -> str:
    """Return the months the burn averages, and any it could not: `Nov-Dec; Jan not entered`."""
    return periods.describe(burn.window)


def burn_phrase(burn: finance.BurnRate) -> str:
    """Return `burn $7,795/mo`, and what it covers when a month is missing: `(Nov-Dec; Jan not entered)`."""
    if burn.monthly is None:
        return "burn unknown"
    text = f"burn {money(burn.monthly)}/mo"
    return text if burn.window.complete else f"{text} ({covers(burn)})"


def burn_missing(burn: finance.BurnRate) -> str | None:
    """Return why there is no burn, or None when there is one."""
    if burn.monthly is not None:
        return None
    if not burn.window.covered:
        return f"no ledger rows in the last three full months ({covers(burn)})"
    return f"no revenue or expense rows in the last three full months ({covers(burn)})"


def provenance(burn: finance.BurnRate, as_of: date) -> dict[str, Provenance]:
    """Return where burn and runway come from: the ledger rows of the entered months, and the cash."""
    of_burn = over(burn.sources, burn.window, as_of, fallback="ledger.csv (no operating rows)")
    rows = lines(burn.sources) or "ledger.csv"
    of_runway = Provenance(
        f"{CASH_SOURCE}; {rows}", of_burn.window, as_of, of_burn.provisional, of_burn.missing
    )
    return {"burn": of_burn, "runway_months": of_runway}
