"""Settings for the tests that deliver reports (functional and hardening): recipients, the
archive address in BCC, a local archive, and a high send rate that keeps them quick."""

from __future__ import annotations

from pathlib import Path

from shipcaptaincrew import config

ARCHIVE_BCC = "archive@example.com"
OWNER = "owner@example.com"


def delivering(settings: config.Settings, archive_dir: Path) -> config.Settings:
    """Return the shared test settings plus report delivery's."""
    return settings.replace(
        exec_report_to=(OWNER,),
        exec_report_bcc=(ARCHIVE_BCC,),
        reports_archive=str(archive_dir),
        ses_max_send_rate=50.0,
    )
