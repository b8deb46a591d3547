"""The execution role grants the live AWS audit exactly the read-only actions its reader calls
(reports/account/sources.py and read.py), each on the narrowest resource the API allows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reports.account.read import ACTIONS

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "docs" / "iam-policy.json"
READER = [ROOT / "reports" / "account" / "sources.py", ROOT / "reports" / "account" / "read.py"]
# sts:GetCallerIdentity needs no permission: AWS answers it for any caller.
NEEDS_NO_GRANT = {"sts:GetCallerIdentity"}


def called_actions() -> set[str]:
    """Return the IAM actions of every boto3 operation the reader calls, read from its source."""
    found = set()
    for path in READER:
        source = path.read_text()
        calls = re.findall(r'reader\.(?:call|pages)\("(\w+)", "(\w+)"', source)
        calls += [("s3", operation) for operation in re.findall(r'_absent_as_none\(reader, "(\w+)"', source)]
        for service, operation in calls:
            action = f"{service}:{''.join(part.title() for part in operation.split('_'))}"
            found.add(ACTIONS.get(action, action))
    return found - NEEDS_NO_GRANT


def audit_statements() -> dict[str, dict]:
    statements = json.loads(POLICY.read_text())["Statement"]
    return {s["Sid"]: s for s in statements if s["Sid"].startswith("ReadLiveAudit")}


def actions_of(statement: dict) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


def test_the_policy_grants_exactly_the_actions_the_reader_calls():
    granted = set().union(*(actions_of(s) for s in audit_statements().values()))
    # 12 actions: the reader's 13 calls less sts:GetCallerIdentity
    assert called_actions() == granted
    assert len(granted) == 12
    assert all(action.split(":")[1].startswith(("Get", "List", "Describe", "Generate")) for action in granted)


def test_each_audit_action_is_on_the_narrowest_resource_its_api_allows():
    statements = audit_statements()
    # per-bucket and per-function calls name their resource type; the List/Describe calls and
    # Cost Explorer, CloudWatch metrics and the IAM credential report have no resource-level grant
    assert statements["ReadLiveAuditBuckets"]["Resource"] == "arn:aws:s3:::*"
    assert statements["ReadLiveAuditFunctionUrls"]["Resource"] == (
        "arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:*"
    )
    assert actions_of(statements["ReadLiveAuditAccountWide"]) == {
        "ce:GetCostAndUsage",
        "cloudwatch:GetMetricData",
        "iam:GenerateCredentialReport",
        "iam:GetCredentialReport",
        "s3:ListAllMyBuckets",
        "lambda:ListFunctions",
        "cloudfront:ListDistributions",
        "ec2:DescribeSecurityGroups",
        "secretsmanager:ListSecrets",
    }
