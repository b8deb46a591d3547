"""Cost: one report run measured on the embedded stand-in, priced with bench/prices.py.

The run is the main job on the sample portfolio and sample charters (`make reports`): its
duration is the Lambda's billed duration, its DynamoDB reads and writes are counted with the
hooks of counting.py, its archive is what S3 would store, and each report goes to its To
recipients plus the archive BCC, each one an SES email. A month is the default weekly cadence.
"""

from __future__ import annotations

import math
import tempfile
import time
from pathlib import Path

from .counting import ReadCounter
from .prices import CURRENT_BILL_PER_MONTH, PRICES, PRICES_AS_OF
from .stack import embedded_app

MEMORY_GB = 512 / 1024  # LAMBDA_MEMORY_MB's default in scripts/deploy/settings.py
RUNS_PER_MONTH = 52 / 12  # weekly, Monday 06:00 (SPEC section 3)
TRANSACTION_FACTOR = 2  # a TransactWriteItems item costs two write units
SEND_RATE = 14.0  # an account out of the SES sandbox starts at 14/s; moto's quota is the sandbox's 1/s


def measure_run() -> dict:
    """Send every report once on a fresh embedded stack; return what the run used."""
    from reports.plugin import send_reports
    from shipcaptaincrew.local.seed import seed

    with (
        tempfile.TemporaryDirectory() as workdir,
        embedded_app(Path(workdir), ses_max_send_rate=SEND_RATE) as app,
    ):
        seed(app, app.settings.admin_emails)
        counter = ReadCounter(app.clients.dynamodb)
        counter.reset()
        started = time.perf_counter()
        summary = send_reports(app, {}, app.deadline())
        seconds = time.perf_counter() - started
        tally = counter.tally()
        if summary["status"] != "succeeded":
            raise RuntimeError(f"the report run did not succeed: {summary}")
        archive = Path(workdir) / "archive" / summary["run_id"]
        archived = [path.stat().st_size for path in archive.rglob("*") if path.is_file()]
        emails = sum(
            len(report["recipients"]) + len(app.settings_of("reports").exec_report_bcc)
            for report in summary["reports"]
        )
    writes = sum(
        count * (TRANSACTION_FACTOR if key.startswith("TransactWriteItems") else 1)
        for key, count in tally.writes.items()
    )
    return {
        "seconds": round(seconds, 2),
        "reports": len(summary["reports"]),
        "emails": emails,
        "dynamodb_items_read": tally.total_items_read,
        "dynamodb_read_units": max(tally.total_read_units, tally.total_items_read),
        "dynamodb_write_units": writes,
        "archive_files": len(archived),
        "archive_bytes": sum(archived),
    }


def price(used: dict) -> dict:
    """Return the dollars of one run, item by item."""
    billed_seconds = math.ceil(used["seconds"] * 1000) / 1000  # Lambda bills by the millisecond
    return {
        "lambda_duration": billed_seconds * MEMORY_GB * PRICES["lambda_gb_second"],
        "lambda_requests": 1 * PRICES["lambda_request"],
        "ses": used["emails"] * PRICES["ses_email"],
        "dynamodb_reads": used["dynamodb_read_units"] * PRICES["dynamodb_read_unit"],
        "dynamodb_writes": used["dynamodb_write_units"] * PRICES["dynamodb_write_unit"],
        "s3_puts": used["archive_files"] * PRICES["s3_put"],
        "scheduler": 1 * PRICES["scheduler_invocation"],
    }


def run(options, earlier: dict | None = None) -> dict:
    used = measure_run()
    per_run = price(used)
    run_total = sum(per_run.values())
    # A month: the runs, the archive they add (kept a month here; it accumulates), the secret.
    archive_gb_month = used["archive_bytes"] * RUNS_PER_MONTH / 1024**3
    month = {
        "report_runs": run_total * RUNS_PER_MONTH,
        "s3_storage_added": archive_gb_month * PRICES["s3_gb_month"],
        "jwt_secret": PRICES["secret_month"],
    }
    return {
        "prices_as_of": PRICES_AS_OF,
        "memory_mb": int(MEMORY_GB * 1024),
        "runs_per_month": round(RUNS_PER_MONTH, 2),
        "measured_run": used,
        "per_run_usd": {key: round(value, 8) for key, value in per_run.items()},
        "per_run_total_usd": round(run_total, 6),
        "per_month_usd": {key: round(value, 6) for key, value in month.items()},
        "per_month_total_usd": round(sum(month.values()), 4),
        "per_month_reports_only_usd": round(month["report_runs"] + month["s3_storage_added"], 5),
        "current_bill_per_month_usd": list(CURRENT_BILL_PER_MONTH),
    }


def rows(result: dict) -> list[tuple[str, str]]:
    used, low, high = result["measured_run"], *result["current_bill_per_month_usd"]
    reports_only = result["per_month_reports_only_usd"]
    return [
        (
            "cost of one report run",
            f"${result['per_run_total_usd']:.5f} ({used['reports']} reports, {used['emails']} emails, "
            f"{used['seconds']} s at {result['memory_mb']} MB, {used['dynamodb_read_units']} RRU, "
            f"{used['dynamodb_write_units']} WRU; prices of {result['prices_as_of']})",
        ),
        (
            f"cost per month ({result['runs_per_month']} runs)",
            f"${reports_only:.4f} for the reports; ${result['per_month_total_usd']:.2f} with the JWT secret "
            f"— {100 * reports_only / low:.3f}% of the current ${low}-{high} bill",
        ),
    ]
