"""The embedded stand-in's deliberately flawed account: the audit finds exactly its four flaws."""

from __future__ import annotations

import urllib.request

from audit_world import ACCOUNT, REGION

from reports.account.read import read_for_host
from reports.account.seed import seed_stand_in
from reports.plugin import extension as reports_extension
from reports.vocabulary import Severity
from shipcaptaincrew.local import stand_in

# (check, resource, severity): the old key, the public bucket (public by policy, and with no
# public access block), the Function URL without auth and the plaintext secret (both on one function)
EXPECTED = {
    ("iam-key-age", f"arn:aws:iam::{ACCOUNT}:user/deploy-bot", Severity.HIGH),
    ("s3-public-policy", "arn:aws:s3:::scc-stand-in-public-files", Severity.CRITICAL),
    ("s3-public-access-block", "arn:aws:s3:::scc-stand-in-public-files", Severity.MEDIUM),
    (
        "lambda-url-no-auth",
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:scc-stripe-webhook",
        Severity.CRITICAL,
    ),
    (
        "lambda-env-secret",
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:scc-stripe-webhook",
        Severity.CRITICAL,
    ),
}


def test_the_seeded_account_shows_its_four_flaws_and_nothing_else(app):
    # GIVEN the provisioned app's account (its own buckets and tables), seeded
    seed_stand_in(app)
    # WHEN a run reads the live source as the runtime does
    account = read_for_host(app, today=app.now().date())
    # THEN every check ran and found exactly the seeded flaws, most severe first
    assert account.unavailable == () and len(account.checked) == 11
    assert {(f.check, f.source.arn, f.severity) for f in account.findings} == EXPECTED
    assert [f.severity for f in account.findings] == sorted(
        (f.severity for f in account.findings), key=lambda s: s.rank
    )
    assert "Access key 1 of deploy-bot is 125 days old" in [f.title for f in account.findings]
    assert "sk_live" not in str(account.as_dict())
    # and the app's own function has a month of usage to show
    assert [(m.name, m.value) for m in account.usage.function][:2] == [("Invocations", 1240), ("Errors", 3)]


def test_seeding_again_changes_nothing(app):
    # moto's state is shared by every stand-in in a process: a second seed must not fail or add up
    seed_stand_in(app)
    seed_stand_in(app)
    account = read_for_host(app, today=app.now().date())
    assert {(f.check, f.source.arn, f.severity) for f in account.findings} == EXPECTED
    assert account.usage.function[0].value == 1240


def test_the_stand_in_seeds_the_flawed_account_through_the_extension_hook(aws_endpoint):
    # GIVEN a blank moto (the stand-in's server shares this process's moto state)
    urllib.request.urlopen(
        urllib.request.Request(f"{aws_endpoint}/moto-api/reset", method="POST"), timeout=10
    ).close()
    # WHEN the stand-in starts as `make run` starts it, with the reports extension
    with stand_in(extensions=[reports_extension], environ={}) as app:
        account = read_for_host(app, today=app.now().date())
    # THEN the extension's seed ran after the host's
    assert {(f.check, f.source.arn, f.severity) for f in account.findings} == EXPECTED
