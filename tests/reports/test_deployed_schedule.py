"""GET /api/reports/schedule in AWS: the schedule EventBridge Scheduler really holds (read with
scheduler:GetSchedule, as the deploy created it), and the settings, saying why, when it cannot be read."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from reports import deployed_schedule, schedule
from scripts.deploy import documents
from scripts.deploy import settings as deploy_settings

ACCOUNT = "123456789012"
NAME = "shipcaptaincrew-live-send-reports"  # the deploy's default: <function>-<stage>-send-reports


@pytest.fixture
def scheduler(app, aws_endpoint):
    return boto3.client("scheduler", region_name="us-west-2", endpoint_url=aws_endpoint)


def deploy_schedule(scheduler, **sources) -> dict:
    """Create the reports' schedule exactly as scripts/deploy.sh does (its own create-schedule input)."""
    document = documents.schedule_input("reports", deploy_settings.load(sources), ACCOUNT)
    scheduler.create_schedule(**document)
    return document


def test_the_page_shows_the_schedule_the_deploy_made_not_the_settings(api, admin_token, app, scheduler):
    # GIVEN a deploy that scheduled the reports monthly in London, while the app's own settings
    # still say weekly in Los Angeles
    deployed = deploy_schedule(scheduler, REPORTS_SCHEDULE="monthly", REPORTS_SCHEDULE_TZ="Europe/London")
    assert deployed["Name"] == NAME
    # WHEN an admin asks when the reports go out
    status, answer, _ = api.call("GET", "/api/reports/schedule", token=admin_token)
    # THEN the answer is Scheduler's: its expression, its zone, its next run
    assert status == 200
    assert answer["source"] == f"EventBridge Scheduler {NAME}" and answer["reason"] is None
    assert (answer["cadence"], answer["zone"]) == ("monthly", "Europe/London")
    assert answer["expression"] == "cron(0 6 1 * ? *)" and answer["paused"] is False
    expected = schedule.next_run("cron(0 6 1 * ? *)", "Europe/London", app.now())
    assert answer["next_send"] == expected.isoformat()


def test_a_disabled_schedule_says_the_reports_are_paused(api, admin_token, scheduler):
    document = deploy_schedule(scheduler)
    scheduler.update_schedule(**{**document, "State": "DISABLED"})
    status, answer, _ = api.call("GET", "/api/reports/schedule", token=admin_token)
    assert status == 200
    assert answer["paused"] is True and answer["next_send"] is None
    assert answer["source"] == f"EventBridge Scheduler {NAME}"


def test_a_missing_schedule_falls_back_to_the_settings_and_says_why(api, admin_token, app):
    # GIVEN no schedule at all (a function deployed without the schedule step, or deleted since)
    status, answer, _ = api.call("GET", "/api/reports/schedule", token=admin_token)
    # THEN the page still has an answer, from the settings, and the reason names the schedule
    assert status == 200
    assert answer["source"] == "settings"
    assert "ResourceNotFoundException" in answer["reason"] and NAME in answer["reason"]
    assert answer["expression"] == "cron(0 6 ? * MON *)"
    assert answer["next_send"] == schedule.next_send("weekly", "America/Los_Angeles", app.now()).isoformat()


def test_the_schedule_name_is_the_one_the_lambda_is_told(api, admin_token, app, scheduler):
    deploy_schedule(scheduler, FUNCTION_NAME="charters")
    app.settings = app.settings.replace(reports_schedule_name="charters-live-send-reports")
    answer = api.call("GET", "/api/reports/schedule", token=admin_token)[1]
    assert answer["source"] == "EventBridge Scheduler charters-live-send-reports"


class Refusing:
    """A Scheduler client that fails every call the way the case under test fails."""

    def __init__(self, error: Exception):
        self.error = error

    def get_schedule(self, **_):
        raise self.error


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "GetSchedule"),
            "AccessDenied",
        ),
        (
            EndpointConnectionError(endpoint_url="https://scheduler.us-west-2.amazonaws.com"),
            "Could not connect",
        ),
    ],
)
def test_no_access_or_no_endpoint_falls_back_to_the_settings(app, error, said):
    answer = deployed_schedule.current(app, client=Refusing(error))
    assert answer["source"] == "settings" and said in answer["reason"]
    assert answer["cadence"] == "weekly" and answer["next_send"]


def test_locally_the_settings_are_the_schedule(app):
    # the embedded stand-in has no schedule: `serve` and `make run` read the settings, and say so
    local = app.settings.replace(local=True)
    app.settings = local
    answer = deployed_schedule.current(app, client=Refusing(AssertionError("AWS asked locally")))
    assert answer["source"] == "settings" and answer["reason"] is None
