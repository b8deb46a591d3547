"""The account-wide pacer: every run and container takes send slots from one DynamoDB item, so
runs sending at the same time together keep to the account's rate."""

from __future__ import annotations

from reports.email.pacing import SharedPacer


class Clock:
    """A clock the test moves by hand; sleeping records how long and moves it."""

    def __init__(self, at: float):
        self.at = at
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))


def pacers(app, clock: Clock, count: int, rate: float) -> list[SharedPacer]:
    """`count` pacers, as `count` runs (or containers) would each make their own."""
    table = app.settings_of("reports").report_runs_table
    return [
        SharedPacer(app.clients.dynamodb, table=table, rate=rate, clock=clock, sleep=clock.sleep)
        for _ in range(count)
    ]


def test_runs_sending_at_once_share_one_rate(app):
    # GIVEN four runs' pacers at 11 emails a second: one slot every 100 ms (1 s / 11, with the 10%
    # headroom), all asking at once
    clock = Clock(1_000.0)
    # WHEN each asks for a slot twice, at the same instant
    for pacer in pacers(app, clock, 4, rate=11.0) * 2:
        pacer.wait()
    # THEN the first goes now and the others wait 100 ms more each: 8 sends over 0.7 s, never two
    # in the same 100 ms, whichever run they belong to
    assert clock.slept == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]


def test_an_idle_pacer_sends_at_once_and_owes_no_burst(app):
    # GIVEN a pacer that handed out slots long ago
    clock = Clock(1_000.0)
    first, second = pacers(app, clock, 2, rate=11.0)
    first.wait()
    first.wait()  # the next free slot is now 1000.2 s
    # WHEN ten seconds pass and two more sends ask
    clock.at += 10
    second.wait()
    second.wait()
    # THEN the first of them goes at once and the next waits one interval: the idle time is not
    # spent as a burst of catch-up sends
    assert clock.slept == [0.1, 0.1]
