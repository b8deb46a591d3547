"""The validator ties every deposit row to its charter by ref and finds the AWS bill, at file:line.

Each case edits one thing in the deposits fixture (see its README.md for the rows by line).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reports import kb

FIXTURE = Path(__file__).parent / "fixtures" / "deposits"


def edited(tmp_path: Path, file: str, edit: Callable[[str], str]) -> kb.Loaded:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    path = root / file
    path.write_text(edit(path.read_text()))
    return kb.load(str(root))


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new)

    return edit


def append(*lines: str) -> Callable[[str], str]:
    return lambda text: text + "".join(f"{line}\n" for line in lines)


PROBLEMS = [
    pytest.param(
        replace(
            "2026-05-05,jada,2100,500.00,Deposit: Birthday sail,2026-05-23,B-2",
            "2026-05-05,jada,2100,500.00,Deposit: Birthday sail,2026-05-23,B-9",
        ),
        "ledger.csv:5: recognition without its deposit: no earlier deposit row has ref 'B-2'",
        id="recognition-without-its-deposit",
    ),
    pytest.param(
        append("2026-06-02,jada,2100,1000.00,Deposit: Company party,2026-07-11,C-3"),
        "ledger.csv:19: deposit referenced twice: ref 'C-3' is already the deposit at ledger.csv:9",
        id="deposit-referenced-twice",
    ),
    pytest.param(
        append(
            "2026-05-24,jada,2100,-500.00,Deposit recognised again: Birthday sail,,B-2",
            "2026-05-24,jada,4000,500.00,Deposit recognised again: Birthday sail,,B-2",
        ),
        "ledger.csv:19: recognises 500.00 for 'B-2' but 0.00 is held: already recognised or refunded",
        id="recognised-twice",
    ),
    pytest.param(
        replace("2026-06-10,jada,2100,-300.00", "2026-06-10,jada,2100,-1200.00"),
        "ledger.csv:10: refund of 1,200.00 for 'C-3' is more than the 1,000.00 received",
        id="refund-larger-than-received",
    ),
    pytest.param(
        append("2026-06-12,jada,2100,-100.00,Refund,,Z-8"),
        "ledger.csv:19: refund without its deposit: no earlier deposit row has ref 'Z-8'",
        id="deposit-refund-without-a-deposit",
    ),
    pytest.param(
        append("2026-06-12,jada,4000,-100.00,Refund,,Z-9"),
        "ledger.csv:19: refund without a matching deposit: nothing was received for ref 'Z-9'",
        id="revenue-refund-without-a-deposit",
    ),
    pytest.param(
        append("2026-05-30,jada,2100,-100.00,Goodwill refund,,B-2"),
        "ledger.csv:19: refund of 100.00 for 'B-2' but 0.00 is still held: "
        "refund revenue already recognised on the revenue account",
        id="refund-of-revenue-from-the-deposit-account",
    ),
    pytest.param(
        replace("2026-05-28,jada,4000,-200.00", "2026-05-28,jada,4000,-2000.00"),
        "ledger.csv:8: refund of 2,000.00 for 'B-2' is more than the 1,850.00 received",
        id="goodwill-refund-larger-than-received",
    ),
    pytest.param(
        append("2026-06-13,dangerous,2100,-100.00,Refund,,C-3"),
        "ledger.csv:19: ref 'C-3' is a charter of jada, not dangerous",
        id="ref-of-another-entity",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), PROBLEMS)
def test_deposit_matching_problems_point_at_the_row(tmp_path, edit, expected):
    loaded = edited(tmp_path, "ledger.csv", edit)
    found = [str(p) for p in loaded.problems if "unknown entity" not in p.message]
    assert found == [expected]
    assert loaded.problems_for([kb.LEDGER]) != ()  # the ledger's reports stop until it is fixed


def test_a_revenue_row_that_lost_its_ref_is_a_warning_not_a_refund_taken_on_trust(tmp_path):
    # GIVEN B-2's recognition pair with the ref left off its revenue half (line 6)
    loaded = edited(
        tmp_path,
        "ledger.csv",
        replace(
            "2026-05-23,jada,4000,500.00,Deposit recognised: Birthday sail,,B-2",
            "2026-05-23,jada,4000,500.00,Deposit recognised: Birthday sail,,",
        ),
    )
    # THEN the deposit-account half reads as a refund, and the validator says which row to fix
    assert loaded.problems == ()
    assert [str(w) for w in loaded.warnings] == [
        "ledger.csv:5: warning: refund for 'B-2' or its recognition? ledger.csv:6 has no ref: if so, give it"
    ]


def test_a_deposit_without_a_charter_day_is_a_warning(tmp_path):
    loaded = edited(
        tmp_path,
        "ledger.csv",
        replace("Deposit: Company party,2026-07-11,C-3", "Deposit: Company party,,C-3"),
    )
    assert [str(w) for w in loaded.warnings] == [
        "ledger.csv:9: warning: deposit for 'C-3' has no service_date: nobody can tell when it sails"
    ]


def test_assets_on_aws_without_an_aws_bill_account_is_a_warning(tmp_path):
    loaded = edited(
        tmp_path, "accounts.csv", replace("6310,AWS,expense,cloud,fixed,aws", "6310,AWS,expense,cloud,fixed,")
    )
    assert loaded.problems == ()
    assert [str(w) for w in loaded.warnings] == [
        "assets.csv:2: warning: 3 asset(s) run on AWS but no account in accounts.csv has vendor = aws: "
        "mark the account the AWS invoices are booked to, or the AWS bill cannot be checked"
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "6310,AWS,expense,cloud,fixed,AWS",
            "accounts.csv:5: 'vendor' must be a lower-case id such as aws, not 'AWS'",
        ),
        (
            "6310,AWS,liability,cloud,,aws",
            "accounts.csv:5: 'vendor' applies to expense accounts only, not liability",
        ),
    ],
)
def test_the_vendor_column_is_checked(tmp_path, row, expected):
    loaded = edited(tmp_path, "accounts.csv", replace("6310,AWS,expense,cloud,fixed,aws", row))
    assert [str(p) for p in loaded.problems if p.file == "accounts.csv"] == [expected]


def test_old_ledgers_without_ref_and_vendor_columns_still_load(tmp_path):
    # GIVEN the fixture's files written the old way: no vendor, no service_date or ref columns
    def old_accounts(text: str) -> str:
        return "\n".join(line.rsplit(",", 1)[0] for line in text.splitlines()) + "\n"

    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    (root / "accounts.csv").write_text(old_accounts((root / "accounts.csv").read_text()))
    (root / "ledger.csv").write_text(
        "date,entity,account,amount,memo\n2026-05-01,jada,2100,400.00,Deposit: Sail\n"
    )
    loaded = kb.load(str(root))
    # THEN it loads with no problem, and warns about the two things worth adding
    assert loaded.problems == ()
    assert [w.file for w in loaded.warnings] == ["assets.csv", "ledger.csv"]
    assert (loaded.base.ledger[0].ref, loaded.base.accounts[3].vendor) == ("", None)
