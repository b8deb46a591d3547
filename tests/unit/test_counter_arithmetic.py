"""The counter arithmetic every write and `reconcile` share: contributions, deltas, live counts."""

from collections import Counter
from datetime import date

from shipcaptaincrew import counters


def charter(status: str, day: str = "2026-03-10", ticks: tuple[bool, ...] = ()) -> dict:
    return {
        "status": status,
        "date": day,
        "checklist": [{"id": str(i), "done": d} for i, d in enumerate(ticks)],
    }


def test_an_open_charter_counts_its_status_its_day_and_its_checklist():
    # GIVEN a booked charter with 3 items, 1 done
    contribution = counters.event_contribution(charter("booked", ticks=(True, False, False)))
    # THEN it adds one to its status and to its active day, 3 items, 1 done
    assert contribution == Counter(
        {"status#booked": 1, "active#2026-03-10": 1, "checklist_total": 3, "checklist_done": 1}
    )


def test_a_completed_charter_is_not_active_and_a_cancelled_one_has_no_checklist_weight():
    assert counters.event_contribution(charter("completed", ticks=(True,))) == Counter(
        {"status#completed": 1, "checklist_total": 1, "checklist_done": 1}
    )
    assert counters.event_contribution(charter("cancelled", ticks=(True, False))) == Counter(
        {"status#cancelled": 1}
    )


def test_nothing_contributes_nothing():
    assert counters.event_contribution(None) == Counter()
    assert counters.user_contribution(None) == Counter()
    assert counters.user_contribution({"role": "crew"}) == Counter({"role#crew": 1})


def test_difference_keeps_negatives_and_drops_unchanged_counters():
    # GIVEN an inquiry on 03-10 that becomes booked on 03-12, with its one item ticked
    before = counters.event_contribution(charter("inquiry", ticks=(False,)))
    after = counters.event_contribution(charter("booked", "2026-03-12", ticks=(True,)))
    # THEN: inquiry -1, booked +1, 03-10 -1, 03-12 +1, done +1, total unchanged (dropped)
    assert counters.difference(before, after) == {
        "active#2026-03-10": -1,
        "active#2026-03-12": 1,
        "checklist_done": 1,
        "status#booked": 1,
        "status#inquiry": -1,
    }


def test_update_operation_adds_each_delta_to_the_one_aggregate_item():
    operation = counters.update_operation("scc-counters", {"status#booked": 1, "status#hold": -1})
    update = operation["Update"]
    assert update["Key"] == {"name": {"S": "aggregates"}}
    assert update["UpdateExpression"] == "ADD #a0 :v0, #a1 :v1"
    assert update["ExpressionAttributeNames"] == {"#a0": "status#booked", "#a1": "status#hold"}
    assert update["ExpressionAttributeValues"] == {":v0": {"N": "1"}, ":v1": {"N": "-1"}}
    assert counters.update_operation("scc-counters", {}) is None


def test_live_counts_sum_upcoming_days_from_today_and_compute_completion():
    aggregate = {
        "status#booked": 2,
        "status#inquiry": 1,
        "status#cancelled": 0,  # zero counters are left out
        "active#2026-02-28": 1,  # yesterday: not upcoming
        "active#2026-03-01": 1,  # today: upcoming
        "active#2026-03-10": 2,
        "role#admin": 1,
        "role#crew": 3,
        "checklist_total": 8,
        "checklist_done": 3,
    }
    live = counters.live_counts(aggregate, date(2026, 3, 1))
    assert live.events_by_status == {"booked": 2, "inquiry": 1}
    assert live.upcoming_charters == 3  # 1 today + 2 on 03-10
    assert live.users_by_role == {"admin": 1, "crew": 3}
    assert live.checklist_completion == 0.375  # 3 / 8
    assert set(live.as_dict()) == {
        "events_by_status",
        "upcoming_charters",
        "users_by_role",
        "checklist_completion",
    }


def test_completion_is_none_without_any_checklist_item():
    assert counters.live_counts({}, date(2026, 3, 1)).checklist_completion is None


def test_drift_lists_each_disagreeing_counter_as_stored_and_expected():
    stored = {"status#booked": 3, "role#admin": 1, "checklist_done": 2}
    expected = {"status#booked": 2, "role#admin": 1, "checklist_total": 4}
    assert counters.drift(stored, expected) == {
        "checklist_done": (2, 0),
        "checklist_total": (0, 4),
        "status#booked": (3, 2),
    }
    assert counters.drift(expected, dict(expected)) == {}
