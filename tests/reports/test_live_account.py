"""The live AWS source in the CTO, CFO and CEO reports, on the executive fixture (as of 2026-03-15)
and a hand-built `Account` (no AWS: the reader is tested in tests/account/).

The fixture's figures (see test_cto.py): security gaps Keys in source (high), No WAF (medium);
3 CTO actions, 1 overdue; the inventory's AWS 4 + 2 + 3 = $9.00 a month; the ledger's AWS invoices
(6310) Dec-Feb (30 + 30 + 36) / 3 = $32.00 a month.

The account, by hand:
- the bill for Feb 2026: AWS Lambda 20.00 + Amazon S3 6.50 = $26.50; month to date (through
  14 Mar) 9.00 + 2.25 = $11.25. Three ways: bill - inventory = 26.50 - 9.00 = $17.50 not listed;
  bill - ledger = 26.50 - 32.00 = -5.50, so the ledger books $5.50 a month more than the bill.
- findings: URL (critical) and SECRET (critical) on the function alpha-forms, which the edited
  handoff gap "Keys in source" names: merged into it, at critical, citing the handoff and both
  findings; PUBLIC (critical, bucket beta-photos) and OPEN (high, sg-0abc) name nothing a handoff
  says: rows of their own.
- so the security list: Keys in source (critical, merged), Bucket beta-photos is public (critical),
  Security group sg-0abc... (high), No WAF (medium): 4 gaps, 3 urgent, 4 found live.
- fixed since the previous report: its keys were URL on old-forms (check ran: gone -> fixed),
  PUBLIC on beta-photos (still found: not fixed) and cloudfront-no-waf on E1 (that check did
  not run this time: not fixed, merely unknown).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

from test_ceo import LIVE, NOW, executive_kb, render_report

from reports.account.model import (
    Account,
    AwsSource,
    Cost,
    Finding,
    Metric,
    ServiceCost,
    Unavailable,
    Usage,
)
from reports.briefs import audit, ceo, cfo, cto
from reports.build import context, select
from reports.formatting import show
from reports.render import dumps, render
from reports.vocabulary import Severity

D = Decimal
TODAY = date(2026, 3, 15)
ACCOUNT_ID = "111122223333"
FUNCTION = f"arn:aws:lambda:us-west-2:{ACCOUNT_ID}:function:alpha-forms"
ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"
NAMED = ("projects/tech.md", "API keys sit in the code.", "API keys sit in the code of alpha-forms.")

URL = Finding(
    "lambda-url-no-auth",
    Severity.CRITICAL,
    "Function URL of alpha-forms needs no auth",
    "Set the Function URL's AuthType to AWS_IAM.",
    AwsSource("lambda", "GetFunctionUrlConfig", FUNCTION),
)
SECRET = Finding(
    "lambda-env-secret",
    Severity.CRITICAL,
    "alpha-forms keeps API_TOKEN in plain text",
    "Move API_TOKEN to Secrets Manager.",
    AwsSource("lambda", "ListFunctions", FUNCTION),
)
PUBLIC = Finding(
    "s3-public-policy",
    Severity.CRITICAL,
    "Bucket beta-photos is public",
    "Turn on Block Public Access for beta-photos.",
    AwsSource("s3", "GetBucketPolicyStatus", "arn:aws:s3:::beta-photos"),
)
OPEN = Finding(
    "sg-open-ingress",
    Severity.HIGH,
    "Security group sg-0abc opens port 22 to the world",
    "Allow port 22 from known addresses only.",
    AwsSource("ec2", "DescribeSecurityGroups", f"arn:aws:ec2:us-west-2:{ACCOUNT_ID}:security-group/sg-0abc"),
)
COST = Cost(
    last_month=date(2026, 2, 1),
    month_to_date_through=date(2026, 3, 14),
    services=(
        ServiceCost("AWS Lambda", D("20.00"), D("9.00")),
        ServiceCost("Amazon Simple Storage Service", D("6.50"), D("2.25")),
    ),
    source=AwsSource("ce", "GetCostAndUsage", ROOT),
)
USAGE = Usage(
    start=date(2026, 2, 13),
    end=date(2026, 3, 15),
    function=(
        Metric("Invocations", D(1200), AwsSource("cloudwatch", "GetMetricData", FUNCTION)),
        Metric("Errors", None, AwsSource("cloudwatch", "GetMetricData", FUNCTION)),
    ),
    email=(Metric("Sends", D(40), AwsSource("cloudwatch", "GetMetricData", ROOT)),),
)
CHECKED = ("lambda-url-no-auth", "lambda-env-secret", "s3-public-policy", "sg-open-ingress")
ACCOUNT = Account(cost=COST, usage=USAGE, findings=(URL, SECRET, PUBLIC, OPEN), checked=CHECKED)
PREVIOUS = {
    "at": "2026-03-09T06:00:00+00:00",
    "metrics": {
        "aws": D(9),
        f"finding#lambda-url-no-auth:arn:aws:lambda:us-west-2:{ACCOUNT_ID}:function:old-forms": D(0),
        "finding#s3-public-policy:arn:aws:s3:::beta-photos": D(0),
        f"finding#cloudfront-no-waf:arn:aws:cloudfront::{ACCOUNT_ID}:distribution/E1": D(3),
    },
}
DENIED = Account(
    usage=USAGE,
    unavailable=(Unavailable("Cost Explorer", "AccessDenied on ce:GetCostAndUsage"),),
    findings=(OPEN,),
    checked=("sg-open-ingress",),
)


def cto_brief(account=ACCOUNT, previous=None) -> cto.CtoBrief:
    return cto.build(executive_kb(NAMED).base, today=TODAY, account=account, previous=previous)


def flat(text: str) -> str:
    """Return plain text with its wrapping undone, to find a sentence whatever the line breaks."""
    return " ".join(text.split())


def rendered(report_id: str, account: Account | None, previous: dict | None = None):
    loaded = executive_kb(NAMED)
    (report,) = select(loaded, [report_id])
    data = context(report, loaded, replace(LIVE, account=account), now=NOW, previous=previous)
    return render(report.id, report.spec.template, data)


# Merging the handoffs' gaps with the audit's findings -------------------------------------------


def test_a_gap_the_handoff_names_by_its_resource_is_shown_once_citing_both():
    brief = cto_brief()
    assert [(row.severity, row.title, row.entity) for row in brief.security] == [
        ("critical", "Keys in source", "Alpha Charters"),
        ("critical", "Bucket beta-photos is public", "AWS account"),
        ("high", "Security group sg-0abc opens port 22 to the world", "AWS account"),
        ("medium", "No WAF", "Alpha Charters"),
    ]
    merged = brief.security[0]
    assert merged.file == "projects/tech.md"
    assert merged.findings == (URL, SECRET)
    assert merged.fixes == (
        "Set the Function URL's AuthType to AWS_IAM.",
        "Move API_TOKEN to Secrets Manager.",
    )


def test_without_a_handoff_naming_the_resource_nothing_is_merged():
    # the unedited fixture says "API keys sit in the code.": no resource named, so 2 + 4 rows
    brief = cto.build(executive_kb().base, today=TODAY, account=ACCOUNT)
    assert len(brief.security) == 6
    assert [row.title for row in brief.security][:3] == [
        "Function URL of alpha-forms needs no auth",
        "alpha-forms keeps API_TOKEN in plain text",
        "Bucket beta-photos is public",
    ]


def test_resource_names_match_whole_and_case_blind():
    secret = f"arn:aws:secretsmanager:us-west-2:{ACCOUNT_ID}:secret:stripe-key-AbC123"
    assert audit.names_resource("Rotate the Stripe-Key secret", secret)  # the random suffix dropped
    assert audit.names_resource("the BETA-PHOTOS bucket", "arn:aws:s3:::beta-photos")
    assert not audit.names_resource("beta-photos-old is fine", "arn:aws:s3:::beta-photos")
    # a name under three characters is never looked for (only the whole ARN is)
    assert audit.resource_names("arn:aws:s3:::ab") == ("arn:aws:s3:::ab",)


def test_the_headline_and_tiles_count_the_merged_gaps_and_the_real_bill():
    brief = cto_brief()
    # 4 gaps: Keys in source (critical), beta-photos (critical), sg-0abc (high) urgent -> 3
    assert (
        brief.headline == "4 security gaps (3 urgent; 4 found live), AWS $26.50 billed, 3 actions, 1 overdue"
    )
    tiles = {tile.label: tile for tile in brief.key_figures}
    assert show(tiles["AWS"].value) == "$26.50/mo"
    assert show(tiles["AWS"].note) == "billed Feb 2026"
    assert show(tiles["Security gaps"].note) == "3 critical or high; 4 from the live audit"


def test_the_subject_stays_under_80_characters_and_leads_with_a_figure():
    subject = rendered("cto", ACCOUNT).subject
    # 40 + 19 + 15 = 74 characters; "3 actions" (+11) and "1 overdue" (+11) would pass 79
    assert subject == "4 security gaps (3 urgent; 4 found live), AWS $26.50 billed — CTO briefing"
    assert len(subject) < 80


# The real bill, the inventory and the ledger --------------------------------------------------


def test_the_real_bill_is_checked_against_the_inventory_and_the_ledger():
    brief = cto_brief()
    bill = brief.live.bill
    assert (bill.billed, bill.inventory, bill.ledger) == (D("26.50"), D("9.00"), D("32.00"))
    assert (bill.unlisted, bill.unbooked) == (D("17.50"), D("-5.50"))
    assert brief.bill_note == (
        "Real bill vs inventory vs ledger: AWS billed $26.50 for Feb 2026 (Cost Explorer); "
        "the inventory's AWS resources add up to $9.00 a month; the ledger's AWS invoices (6310) "
        "average $32.00 over 3 full months. So $17.50 a month is billed for resources the inventory "
        "does not list: find them; the ledger books $5.50 a month more than the bill: check the bookings."
    )
    assert cto.metrics(brief)["aws_billed"].value == D("26.50")


def test_the_cost_section_shows_the_bill_by_service_with_its_source():
    report = rendered("cto", ACCOUNT)
    for body in (report.html, flat(report.text)):
        for figure in ("Amazon Simple Storage Service", "$20.00", "$6.50", "$26.50", "$11.25", "2026-03-14"):
            assert figure in body, figure
        assert f"AWS ce GetCostAndUsage: {ROOT}" in body
        assert "Real bill vs inventory vs ledger" in body
        # the inventory-vs-invoices note is replaced by the three-way line
        assert "The inventory's AWS resources add up to" not in body


def test_usage_is_a_small_table_of_the_lambda_and_ses_figures():
    report = rendered("cto", ACCOUNT)
    assert "AWS USAGE, 2026-02-13 TO 2026-03-14" in report.text  # end is exclusive: 15 Mar - 1 day
    for body in (report.html, flat(report.text)):
        for figure in ("Lambda alpha-forms", "Invocations", "1,200", "no data", "Sends"):
            assert figure in body, figure


# Fixed since the last report ------------------------------------------------------------------


def test_only_findings_whose_check_ran_and_found_nothing_are_fixed():
    brief = cto_brief(previous=PREVIOUS)
    assert [str(fixed) for fixed in brief.live.fixed] == [
        f"lambda-url-no-auth on arn:aws:lambda:us-west-2:{ACCOUNT_ID}:function:old-forms"
    ]
    report = rendered("cto", ACCOUNT, PREVIOUS)
    for body in (report.html, flat(report.text)):
        assert "Fixed since the report of 2026-03-09 (1)" in body
        assert "function:old-forms" in body


def test_the_sent_record_keeps_each_finding_key_beside_the_metrics_and_compares_none_of_them():
    report = rendered("cto", ACCOUNT, PREVIOUS)
    marks = {key: value for key, value in report.data["metrics"].items() if key.startswith("finding#")}
    assert marks == {
        f"finding#lambda-url-no-auth:{FUNCTION}": 0,
        f"finding#lambda-env-secret:{FUNCTION}": 0,
        "finding#s3-public-policy:arn:aws:s3:::beta-photos": 0,
        f"finding#sg-open-ingress:{OPEN.source.arn}": 1,  # high: rank 1
    }
    # "since last report" compares the metrics both records have (AWS 9.00 -> 9.00), never a finding
    assert [change["label"] for change in report.data["since_last"]["changes"]] == ["AWS"]


# Sources, unavailable sources and the JSON ----------------------------------------------------


def test_each_finding_row_cites_its_service_api_and_arn():
    report = rendered("cto", ACCOUNT)
    for body in (report.html, flat(report.text)):
        assert f"AWS lambda GetFunctionUrlConfig: {FUNCTION}" in body
        assert "AWS s3 GetBucketPolicyStatus: arn:aws:s3:::beta-photos" in body
        assert "Fix: Turn on Block Public Access for beta-photos." in body
        assert "Live audit: Function URL of alpha-forms needs no auth" in body
        assert "projects/tech.md" in body


def test_the_json_carries_every_finding_with_its_source_and_the_unavailable_list():
    data = json.loads(dumps(rendered("cto", DENIED).data))
    (finding,) = data["live_aws"]["findings"]
    assert finding["severity"] == "high"
    assert finding["fix"] == "Allow port 22 from known addresses only."
    assert finding["source"] == {
        "service": "ec2",
        "api": "DescribeSecurityGroups",
        "arn": f"arn:aws:ec2:us-west-2:{ACCOUNT_ID}:security-group/sg-0abc",
    }
    assert data["live_aws"]["unavailable"] == [
        {"source": "Cost Explorer", "reason": "AccessDenied on ce:GetCostAndUsage"}
    ]
    (row,) = [row for row in data["figures"]["security"] if row["findings"]]
    assert row["findings"][0]["source"]["arn"] == finding["source"]["arn"]


def test_a_denied_source_is_one_line_and_the_report_goes_on_with_the_knowledge_base():
    report = rendered("cto", DENIED)
    line = (
        "Live AWS source unavailable: Cost Explorer — AccessDenied on ce:GetCostAndUsage. "
        "Figures below are from the knowledge base."
    )
    assert line in report.html
    assert flat(report.text).count(line) == 1
    # no bill: the AWS figure and note are the inventory's and the invoices', as without the source
    assert "$23.00 a month is billed for resources the inventory does not list" in flat(report.text)
    assert report.subject.startswith("3 security gaps (2 urgent; 1 found live), AWS $9.00/mo")


def test_live_audit_off_says_so():
    report = rendered("cto", Account.off("the live AWS audit", "LIVE_AUDIT=off"))
    assert "Live AWS source unavailable: the live AWS audit — LIVE_AUDIT=off." in " ".join(
        report.text.split()
    )
    # nothing read: the handoffs' two gaps, the inventory's AWS figure, as before
    assert report.subject == "2 security gaps (1 urgent), AWS $9.00/mo, 3 actions, 1 overdue — CTO briefing"


def test_without_the_live_source_nothing_is_said_of_it():
    report = render_report("cto")
    assert "Live AWS" not in report.text and "live audit" not in report.text
    assert report.data["live_aws"] is None
    assert not any(key.startswith("finding#") for key in report.data["metrics"])


def test_the_text_part_stays_within_78_columns():
    for account in (ACCOUNT, DENIED):
        report = rendered("cto", account, PREVIOUS)
        assert max(len(line) for line in report.text.splitlines()) <= 78


# CFO and CEO ----------------------------------------------------------------------------------


def test_the_cfo_aws_line_is_the_real_bill_with_its_source():
    brief = cfo.build(executive_kb().base, today=TODAY, account=ACCOUNT)
    assert brief.aws.amount == D("26.50")
    assert brief.aws.source == COST.source
    assert brief.aws.text == (
        "AWS billed $26.50 for Feb 2026 (Cost Explorer, the real bill) and $11.25 this month "
        "through 2026-03-14; the ledger's AWS invoices average $32.00 a month over 3 full months."
    )
    report = rendered("cfo", ACCOUNT)
    for body in (report.html, flat(report.text)):
        assert f"AWS ce GetCostAndUsage: {ROOT}" in body


def test_the_cfo_aws_line_falls_back_to_the_ledger_saying_why():
    brief = cfo.build(executive_kb().base, today=TODAY, account=DENIED)
    assert brief.aws.amount == D("32.00")
    assert brief.aws.source == "ledger.csv"
    assert brief.aws.text == (
        "AWS: the ledger's AWS invoices average $32.00 a month over 3 full months; the real bill is "
        "unavailable (Cost Explorer — AccessDenied on ce:GetCostAndUsage)."
    )
    assert cfo.build(executive_kb().base, today=TODAY).aws is None


def test_the_ceo_report_lists_the_critical_findings_that_become_cards():
    brief = ceo.build(executive_kb().base, today=TODAY, account=ACCOUNT)
    assert brief.audit_critical == (URL, SECRET, PUBLIC)  # OPEN is high: not a card
    report = rendered("ceo", ACCOUNT)
    for body in (report.html, flat(report.text)):
        assert "Critical findings of the live AWS audit (3)" in body
        assert "Fix: Turn on Block Public Access for beta-photos." in body
        assert "AWS s3 GetBucketPolicyStatus: arn:aws:s3:::beta-photos" in body
    # the figures the CEO follows do not move: 4 critical shortfalls, as in test_ceo.py
    assert brief.critical_count == 4


def test_the_reports_build_the_same_with_no_account():
    # the golden figures hold: the brief without an account equals the brief with None
    assert cto.build(executive_kb().base, today=TODAY) == cto.build(
        executive_kb().base, today=TODAY, account=None, previous=PREVIOUS
    )


def test_an_empty_bill_is_said_and_the_figures_stay_the_knowledge_bases():
    # GIVEN Cost Explorer answering with no cost line at all (a new account, the embedded stand-in)
    empty = Account(cost=replace(COST, services=()), checked=CHECKED)
    report = rendered("cto", empty)
    # THEN nothing is checked against $0: the inventory's $9.00 and the invoices' note stand
    assert report.subject.startswith("2 security gaps (1 urgent), AWS $9.00/mo")
    assert (
        "Live AWS source unavailable: Cost Explorer — no cost lines for Feb 2026 or this month. "
        "Figures below are from the knowledge base." in flat(report.text)
    )
    assert cfo.build(executive_kb().base, today=TODAY, account=empty).aws.text.endswith(
        "(Cost Explorer — no cost lines for Feb 2026 or this month)."
    )


# A long list of findings --------------------------------------------------------------------------

# 20 buckets without a public access block (medium), by hand: with the fixture's 2 handoff gaps
# (Keys in source, high; No WAF, medium), 22 gaps; the email shows the top 12 (the high gap first,
# then the mediums: the handoff's before the audit's, so No WAF and 10 buckets) and says
# "And 10 more gaps"; the CSV carries all 22.
BUCKETS = tuple(
    Finding(
        "s3-public-access-block",
        Severity.MEDIUM,
        f"Bucket logs-{number:02} has no public access block",
        f"Turn on all four public access block settings for logs-{number:02}.",
        AwsSource("s3", "GetPublicAccessBlock", f"arn:aws:s3:::logs-{number:02}"),
    )
    for number in range(20)
)


def test_a_long_list_of_gaps_shows_the_top_twelve_and_attaches_every_one_as_csv():
    account = Account(findings=BUCKETS, checked=("s3-public-access-block",))
    report = rendered("cto", account)
    files = dict(report.attachments)
    assert "security-gaps.csv" in files
    csv_text = files["security-gaps.csv"].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0] == ["Severity", "Gap", "Detail", "Fix", "Entity", "Sources"]
    assert len(rows) == 1 + 22
    assert rows[1][:2] == ["high", "Keys in source"]
    assert rows[-1][1] == "Bucket logs-19 has no public access block"
    assert rows[-1][5] == "AWS s3 GetPublicAccessBlock: arn:aws:s3:::logs-19"
    for part in (report.html, report.text):
        shown = flat(part)
        assert "And 10 more gaps: every row is in the attached security-gaps.csv." in shown
        assert "logs-09 has no public access block" in shown  # the 12th row
        assert "logs-10 has no public access block" not in shown  # the 13th
