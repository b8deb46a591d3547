"""The smoke check that gates a deploy: a real dry-run summary from the app passes; a summary with
a failed report, an error answer or the payload echoed back fails, saying why."""

from __future__ import annotations

import copy
import json

from .conftest import load_script

smoke_check = load_script("smoke_check")


def check(tmp_path, response) -> int:
    path = tmp_path / "response.json"
    path.write_text(json.dumps(response))
    return smoke_check.main([str(path)])


def test_a_real_dry_run_summary_passes(dry_run_summary, tmp_path, capsys):
    # GIVEN what lambda_handler answers {"action": "send_reports", "dry_run": true} on the sample
    assert check(tmp_path, dry_run_summary) == 0
    out = capsys.readouterr().out
    assert "smoke: every report rendered (8: ceo, " in out
    assert dry_run_summary["run_id"] in out


def test_a_summary_with_a_failed_report_fails_naming_it_and_its_error(dry_run_summary, tmp_path, capsys):
    summary = copy.deepcopy(dry_run_summary)
    summary["status"] = "partial"
    summary["reports"][2].update(status="failed", error="ledger.csv:14: amount is not a number")
    assert check(tmp_path, summary) == 1
    err = capsys.readouterr().err
    failed_id = summary["reports"][2]["id"]
    assert f"smoke: FAILED: report {failed_id}: failed: ledger.csv:14: amount is not a number" in err
    assert err.count("FAILED") == 1


def test_the_payload_echoed_back_is_not_a_pass(tmp_path, capsys):
    assert check(tmp_path, {"action": "send_reports", "dry_run": True}) == 1
    assert "the request echoed back" in capsys.readouterr().err


def test_a_function_error_fails_with_its_message(tmp_path, capsys):
    answer = {"errorMessage": "JWT_SECRET_ARN (or JWT_SECRET) must be set", "errorType": "ConfigError"}
    assert check(tmp_path, answer) == 1
    assert "the function failed: ConfigError: JWT_SECRET_ARN" in capsys.readouterr().err


def test_a_run_that_was_not_a_dry_run_fails(dry_run_summary, tmp_path, capsys):
    assert check(tmp_path, {**dry_run_summary, "dry_run": False}) == 1
    assert "not a dry run" in capsys.readouterr().err


def test_an_empty_run_or_a_non_json_answer_fails(dry_run_summary, tmp_path):
    assert check(tmp_path, {**dry_run_summary, "reports": []}) == 1
    (tmp_path / "raw.json").write_text("Simple Lambda happy path OK")
    assert smoke_check.main([str(tmp_path / "raw.json")]) == 1
