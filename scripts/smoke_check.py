"""Judge the deploy's smoke invoke: pass only if the response is a run summary in which every report
rendered (status dry_run); otherwise print what went wrong, report by report, and exit 1.

    python scripts/smoke_check.py RESPONSE.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SUMMARY_KEYS = {"run_id", "status", "dry_run", "reports"}


def problems(response: object) -> list[str]:
    """Return why this smoke response fails, one line each; empty when every report rendered."""
    if not isinstance(response, dict):
        return [f"the response is not a JSON object: {str(response)[:200]}"]
    if "errorMessage" in response:
        kind = response.get("errorType", "error")
        return [f"the function failed: {kind}: {response['errorMessage']}"]
    if "error" in response:
        return [f"the function refused the smoke request: {json.dumps(response['error'])[:300]}"]
    if response.get("action") == "send_reports" and "run_id" not in response:
        return [
            "the response is the request echoed back, not a run summary: this Lambda did not run the app "
            "(moto without Docker does that; use --skip-smoke there)"
        ]
    missing = SUMMARY_KEYS - response.keys()
    if missing:
        return [f"the response is not a run summary (no {', '.join(sorted(missing))})"]
    if response["dry_run"] is not True:
        return ["the run was not a dry run: the smoke invoke must never send email"]
    reports = response["reports"]
    if not isinstance(reports, list) or not reports:
        return ["the run holds no reports: the knowledge base calls for none, or none was found"]
    found = []
    for report in reports:
        if not isinstance(report, dict) or report.get("status") != "dry_run":
            report = report if isinstance(report, dict) else {}
            error = report.get("error") or "no error given"
            found.append(f"report {report.get('id', '?')}: {report.get('status', '?')}: {error}")
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    text = Path(args[0]).read_text()
    try:
        response = json.loads(text)
    except json.JSONDecodeError:
        response = text
    found = problems(response)
    if found:
        for line in found:
            print(f"smoke: FAILED: {line}", file=sys.stderr)
        return 1
    ids = ", ".join(report["id"] for report in response["reports"])
    print(f"smoke: every report rendered ({len(response['reports'])}: {ids}); run {response['run_id']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
