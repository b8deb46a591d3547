"""The Reports page reads the schedule the deploy made: the deploy tells the Lambda its name
(REPORTS_SCHEDULE_NAME) and the execution role may read exactly that schedule, nothing else."""

from __future__ import annotations

from .conftest import load_script
from .test_deploy_settings import BASE, render

deploy_settings = load_script("deploy.settings")
deploy_documents = load_script("deploy.documents")


def lambda_variables(sources: dict[str, str], **names) -> dict[str, str]:
    settings = deploy_settings.load(sources, **names)
    return deploy_settings.lambda_environment(deploy_settings.with_deploy_defaults(sources, settings))[0]


def test_the_lambda_is_told_the_name_of_the_schedule_the_deploy_makes():
    settings = deploy_settings.load(BASE)
    assert lambda_variables(BASE)["REPORTS_SCHEDULE_NAME"] == deploy_documents.schedule_name(
        "reports", settings
    )
    assert lambda_variables(BASE)["REPORTS_SCHEDULE_NAME"] == "shipcaptaincrew-live-send-reports"
    named = lambda_variables(BASE, function="charters", stage="beta")
    assert named["REPORTS_SCHEDULE_NAME"] == "charters-beta-send-reports"


def test_a_stale_name_in_repos_env_does_not_point_the_page_at_another_schedule():
    # the deploy creates the schedule under its own name; that is the one the page must read
    variables = lambda_variables({**BASE, "REPORTS_SCHEDULE_NAME": "old-schedule"})
    assert variables["REPORTS_SCHEDULE_NAME"] == "shipcaptaincrew-live-send-reports"


def test_the_role_may_read_exactly_the_reports_schedule():
    statement = render(BASE)["ReadReportsSchedule"]
    assert statement["Action"] == "scheduler:GetSchedule"
    arn = "arn:aws:scheduler:us-west-2:111122223333:schedule/default/shipcaptaincrew-live-send-reports"
    assert statement["Resource"] == arn
