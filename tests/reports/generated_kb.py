"""A knowledge base grown from the sample to 150 accounts and 500 assets (issue 16's size budget):
the sample's own files plus generated expense accounts, each with ledger rows in the last three
months, and generated cloud, domain and software assets spread over the sample's entities."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio"
ENTITIES = ("queenofsandiego", "jada", "dangerouscentaur", "quickdumpnow", "expertyachtdelivery", "portfolio")
SERVICES = (("cloud", "lambda"), ("cloud", "s3"), ("cloud", "dynamodb"), ("cloud", "route53"),
            ("cloud", "cloudfront"), ("domain", "domain"), ("subscription", "saas"))  # fmt: skip
MONTHS = ("2026-08", "2026-09", "2026-10")


def grow(target: Path, *, accounts: int = 150, assets: int = 500) -> Path:
    """Copy the sample to `target` and grow it to `accounts` accounts and `assets` assets."""
    shutil.copytree(SAMPLE, target)
    chart = list(csv.reader(io.StringIO((target / "accounts.csv").read_text())))
    ledger = (target / "ledger.csv").read_text().rstrip("\n").split("\n")
    for n in range(accounts - (len(chart) - 1)):
        code = 7000 + n
        chart.append(
            [str(code), f"Generated expense {n:03}", "expense", f"generated-{n % 40:02}", "fixed", ""]
        )
        entity = ENTITIES[n % len(ENTITIES)]
        ledger += [
            f"{month}-{10 + n % 15:02},{entity},{code},-{20 + n % 90}.00,Generated cost {n},,"
            for month in MONTHS
        ]
    (target / "accounts.csv").write_text(_csv(chart))
    (target / "ledger.csv").write_text("\n".join(ledger) + "\n")
    inventory = list(csv.reader(io.StringIO((target / "assets.csv").read_text())))
    for n in range(assets - (len(inventory) - 1)):
        kind, service = SERVICES[n % len(SERVICES)]
        entity = ENTITIES[(n // 3) % len(ENTITIES)]
        name, identifier, cost = (
            f"Generated {service} resource {n:03}",
            f"gen-{service}-{n:03}",
            (n % 23) * 0.4 + 0.4,
        )
        inventory.append(
            [entity, kind, service, name, identifier, f"{cost:.2f}", "active", "cto@example.com"]
        )
    (target / "assets.csv").write_text(_csv(inventory))
    return target


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
