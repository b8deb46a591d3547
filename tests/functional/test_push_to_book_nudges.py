"""Push-to-book nudges: each due charter's contact gets one email per interval, however often the
schedule fires, and a failed send is retried by the next run (SPEC 3, Lambda events; SPEC 5)."""

from collections import Counter
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from shipcaptaincrew.actions import ActionFailed
from shipcaptaincrew.nudges import CLAIM_SECONDS, NudgeLog

START = "2026-03-01 17:00:00"  # charters are written at this moment (09:00 in Los Angeles)
FOUR_DAYS_LATER = "2026-03-05 17:00:00"  # past NUDGE_AFTER_DAYS = 3
A_DAY_AFTER_THAT = "2026-03-06 17:00:00"
A_WEEK_AFTER_THAT = "2026-03-12 17:00:00"  # NUDGE_INTERVAL_DAYS = 7 after the first nudge


def write_charter(app, **fields) -> dict:
    body = {"title": "Sunset sail", "entity": "jada", "date": "2026-03-20", "status": "hold", **fields}
    return app.events.create(body, actor="admin@example.com", now=app.now())


def recipients(api) -> Counter:
    return Counter(message["To"] for message in api.emails())


@pytest.fixture
def schedule(handler, sample_event):
    """Fire the push-to-book schedule the way the platform does, in either envelope."""

    def fire(kind: str = "scheduler"):
        name = (
            "scheduler_push_to_book.json"
            if kind == "scheduler"
            else "eventbridge_scheduled_push_to_book.json"
        )
        return handler(sample_event(name), None)

    return fire


def test_a_due_charter_gets_one_nudge_however_often_the_schedule_fires(app, api, schedule):
    with freeze_time(START) as clock:
        # GIVEN on 1 March: two due charters and five that must never be nudged now
        hold = write_charter(app, contact_email="hold@example.com")
        inquiry = write_charter(app, status="inquiry", date="2026-03-25", contact_email="inquiry@example.com")
        write_charter(app, status="booked", contact_email="booked@example.com")
        write_charter(app, status="cancelled", contact_email="cancelled@example.com")
        write_charter(app, date="2026-03-04", contact_email="past@example.com")  # over by 5 March
        write_charter(app)  # nobody to write to
        clock.move_to("2026-03-04 17:00:00")
        write_charter(app, contact_email="new@example.com")  # 1 day old on 5 March, 2 on 6 March

        # WHEN on 5 March the Scheduler delivers twice and the classic rule fires too
        clock.move_to(FOUR_DAYS_LATER)
        first = schedule("scheduler")
        second = schedule("scheduler")
        third = schedule("eventbridge")

        # THEN exactly the two due contacts got one email each
        assert recipients(api) == Counter({"hold@example.com": 1, "inquiry@example.com": 1})
        assert sorted(first["sent"]) == sorted([hold["id"], inquiry["id"]])
        assert first["status"] == second["status"] == third["status"] == "succeeded"
        assert second["sent"] == third["sent"] == []

        # WHEN the schedule fires the next day THEN nobody is nudged again within the interval
        clock.move_to(A_DAY_AFTER_THAT)
        assert schedule()["sent"] == []

        # WHEN it fires a week after the first nudge THEN each gets one more, and the charter that
        # was too new (written 4 March, 8 days old on 12 March) gets its first
        clock.move_to(A_WEEK_AFTER_THAT)
        schedule()
        schedule()
    assert recipients(api) == Counter({"hold@example.com": 2, "inquiry@example.com": 2, "new@example.com": 1})


def test_a_nudge_is_a_multipart_email_naming_the_charter(app, api, schedule):
    with freeze_time(START) as clock:
        write_charter(app, title="Birthday <b>sail</b>", contact_email="guest@example.com")
        clock.move_to(FOUR_DAYS_LATER)
        schedule()
    (message,) = api.emails()
    assert message["Subject"] == "Ready to book Birthday <b>sail</b>?"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert "Birthday <b>sail</b> on 2026-03-20" in message.get_body(("plain",)).get_content()
    # the charter's title is untrusted text: escaped in the HTML part
    assert "Birthday &lt;b&gt;sail&lt;/b&gt;" in message.get_body(("html",)).get_content()


def test_a_failed_send_releases_its_claim_fails_the_run_and_is_sent_next_time(
    app, api, schedule, monkeypatch
):
    with freeze_time(START) as clock:
        # GIVEN two due charters, and SES refusing mail to one of the contacts
        refused = write_charter(app, contact_email="refused@example.com")
        write_charter(app, contact_email="fine@example.com")
        clock.move_to(FOUR_DAYS_LATER)
        real_send = app.outbox.send

        def send_failing_for_one(message, **kwargs):
            if message["To"] == "refused@example.com":
                raise ClientError({"Error": {"Code": "MessageRejected", "Message": "no"}}, "SendEmail")
            return real_send(message, **kwargs)

        monkeypatch.setattr(app.outbox, "send", send_failing_for_one)

        # WHEN the schedule fires THEN the invoke raises, so the Scheduler retries it
        with pytest.raises(ActionFailed, match=refused["id"]):
            schedule()
        # AND the other contact was still nudged, and the refused claim was given back
        assert recipients(api) == Counter({"fine@example.com": 1})
        claim = app.clients.dynamodb.get_item(
            TableName=app.settings.nudges_table, Key={"event_id": {"S": refused["id"]}}
        ).get("Item", {})
        assert "pending_until" not in claim
        assert "last_sent_at" not in claim

        # WHEN SES recovers and the retry arrives THEN only the refused one is sent
        monkeypatch.setattr(app.outbox, "send", real_send)
        retry = schedule()
    assert retry["sent"] == [refused["id"]]
    assert recipients(api) == Counter({"fine@example.com": 1, "refused@example.com": 1})


def test_a_claim_held_by_a_run_that_died_expires_after_five_minutes(app, api, schedule):
    with freeze_time(START) as clock:
        # GIVEN a due charter whose claim was taken by a run that never finished
        charter = write_charter(app, contact_email="guest@example.com")
        clock.move_to(FOUR_DAYS_LATER)
        log = NudgeLog(
            app.clients.dynamodb,
            table=app.settings.nudges_table,
            interval=timedelta(days=app.settings.nudge_interval_days),
        )
        assert log.claim(charter["id"], now=app.now())
        # WHEN the schedule fires while the claim holds THEN nothing is sent
        assert schedule()["sent"] == []
        # WHEN it fires after the claim expired (300 s later, plus one) THEN the nudge goes out
        clock.tick(CLAIM_SECONDS + 1)
        assert schedule()["sent"] == [charter["id"]]
    assert recipients(api) == Counter({"guest@example.com": 1})
