"""What the internet reaches: CloudFront distributions and EC2 security groups."""

from __future__ import annotations

from ...vocabulary import Severity
from ..model import AwsSource, Finding

WEB_PORTS = {80, 443}
ANYWHERE = {"0.0.0.0/0", "::/0"}
NO_PORTS = {"icmp", "icmpv6", "1", "58"}  # ping and friends: no ports, nothing to log into


def cloudfront_http(distributions: list[dict]) -> list[Finding]:
    """Flag each distribution (ListDistributions summaries) with a behaviour that serves plain HTTP."""
    found = []
    for distribution in distributions:
        behaviours = [distribution.get("DefaultCacheBehavior", {})]
        behaviours += (distribution.get("CacheBehaviors") or {}).get("Items") or []
        if any(behaviour.get("ViewerProtocolPolicy") == "allow-all" for behaviour in behaviours):
            found.append(
                Finding(
                    "cloudfront-http",
                    Severity.MEDIUM,
                    f"CloudFront {_name(distribution)} serves plain HTTP",
                    "Set every cache behaviour's viewer protocol policy to redirect-to-https.",
                    AwsSource("cloudfront", "ListDistributions", distribution["ARN"]),
                )
            )
    return found


def cloudfront_no_waf(distributions: list[dict]) -> list[Finding]:
    """Flag each distribution without a WAF web ACL."""
    return [
        Finding(
            "cloudfront-no-waf",
            Severity.LOW,
            f"CloudFront {_name(distribution)} has no WAF web ACL",
            "Attach a WAF web ACL with AWS's managed core rule set and a rate-based rule.",
            AwsSource("cloudfront", "ListDistributions", distribution["ARN"]),
        )
        for distribution in distributions
        if not distribution.get("WebACLId")
    ]


def open_ingress(groups: list[dict], *, region: str) -> list[Finding]:
    """Flag each security group (DescribeSecurityGroups) open to anywhere on a port but 80 or 443."""
    found = []
    for group in groups:
        ports = [_ports(rule) for rule in group.get("IpPermissions", []) if _open_beyond_web(rule)]
        if ports:
            arn = group.get("SecurityGroupArn") or (
                f"arn:aws:ec2:{region}:{group['OwnerId']}:security-group/{group['GroupId']}"
            )
            found.append(
                Finding(
                    "sg-open-ingress",
                    Severity.HIGH,
                    f"Security group {group['GroupId']} ({group.get('GroupName', '')}) is open to the "
                    f"internet on {', '.join(ports)}",
                    "Limit the rule to the addresses that need it, or reach the host through "
                    "Session Manager instead.",
                    AwsSource("ec2", "DescribeSecurityGroups", arn),
                )
            )
    return found


def _name(distribution: dict) -> str:
    return f"{distribution['Id']} ({distribution.get('DomainName', '')})"


def _open_beyond_web(rule: dict) -> bool:
    cidrs = {r.get("CidrIp") for r in rule.get("IpRanges", [])}
    cidrs |= {r.get("CidrIpv6") for r in rule.get("Ipv6Ranges", [])}
    if not cidrs & ANYWHERE or str(rule.get("IpProtocol")) in NO_PORTS:
        return False
    if rule.get("IpProtocol") == "-1":
        return True
    low, high = rule.get("FromPort", 0), rule.get("ToPort", 65535)
    return not (low == high and low in WEB_PORTS)


def _ports(rule: dict) -> str:
    if rule.get("IpProtocol") == "-1":
        return "all ports"
    low, high = rule.get("FromPort"), rule.get("ToPort")
    return f"{rule['IpProtocol']} {low}" if low == high else f"{rule['IpProtocol']} {low}-{high}"
