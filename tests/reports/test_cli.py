"""`python -m reports validate` prints problems as file:line: message and sets the exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reports import cli

REPO = Path(__file__).resolve().parents[2]


def test_sound_knowledge_base_prints_a_summary(capsys, fixture_dir):
    status = cli.main(["validate", str(fixture_dir)], environ={})

    # the fixture predates refs and the AWS flag: two warnings, which never make it fail
    assert status == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{fixture_dir}/assets.csv:2: warning: 2 asset(s) run on AWS but no account in accounts.csv has "
        "vendor = aws: mark the account the AWS invoices are booked to, or the AWS bill cannot be checked",
        f"{fixture_dir}/ledger.csv:4: warning: deposit row without a ref, matched to its charter by memo "
        "text: put the booking id in the ref column of the deposit, its recognition and any refund",
        f"{fixture_dir}: ok — 2 entities, 1 project, 10 ledger rows, 4 assets (2 warning(s) to look at)",
    ]


def test_problems_are_printed_under_the_given_location_and_exit_1(capsys, broken_copy):
    root = broken_copy("ledger.csv", lambda text: text.replace("-60.00", "sixty"))

    status = cli.main(["validate", str(root)], environ={})

    output = capsys.readouterr()
    assert status == 1
    assert output.out.splitlines()[0] == f"{root}/ledger.csv:6: 'amount' must be a number, not 'sixty'"
    assert all(": warning: " in line for line in output.out.splitlines()[1:])
    assert "1 problem(s) in 1 file(s)" in output.err


def test_knowledge_base_env_var_is_the_default(capsys, fixture_dir):
    assert cli.main(["validate"], environ={"KNOWLEDGE_BASE": str(fixture_dir)}) == 0
    assert "10 ledger rows" in capsys.readouterr().out


def test_sample_portfolio_is_the_default():
    assert cli.knowledge_base_location({}).endswith("examples/portfolio")


def test_unreachable_location_exits_1(capsys, tmp_path):
    assert cli.main(["validate", str(tmp_path / "missing")], environ={}) == 1
    assert "no such directory" in capsys.readouterr().err


def test_a_command_is_required():
    with pytest.raises(SystemExit) as exit_info:
        cli.main([], environ={})
    assert exit_info.value.code == 2


def test_module_entry_point_validates_the_sample():
    result = subprocess.run(
        [sys.executable, "-m", "reports", "validate"], cwd=REPO, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("examples/portfolio: ok — 6 entities")
