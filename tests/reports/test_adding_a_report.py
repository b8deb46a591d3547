"""The "add a report" walkthrough of docs/architecture.md, followed step by step on a copy of the
package: a brief module, a template folder and one catalogue entry, and no edit anywhere else."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "example_report"
SMALL = Path(__file__).resolve().parent / "fixtures" / "small"
END_OF_CATALOGUE = "\n)\n\n\ndef reports_for"


def add_the_example_report(package: Path) -> None:
    """Do the walkthrough's three steps in a copy of `reports/`."""
    # 1. the brief: a function of the knowledge base, returning a dataclass
    shutil.copy(EXAMPLE / "inventory.py", package / "briefs" / "inventory.py")
    # 2. the templates: subject.txt, body.txt and body.html on the shared bases
    shutil.copytree(EXAMPLE / "templates" / "inventory", package / "templates" / "inventory")
    # 3. one entry at the end of CATALOGUE
    catalogue = package / "catalogue.py"
    text = catalogue.read_text()
    assert text.count(END_OF_CATALOGUE) == 1
    entry = (EXAMPLE / "catalogue_entry.txt").read_text()
    catalogue.write_text(text.replace(END_OF_CATALOGUE, "\n" + entry.rstrip("\n") + END_OF_CATALOGUE))


def run_reports(copy: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `python -m reports` with the copied package ahead of the repository's."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(copy), str(ROOT)])}
    env.pop("KNOWLEDGE_BASE", None)
    return subprocess.run(
        [sys.executable, "-m", "reports", *args],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_report_added_as_the_walkthrough_says_is_listed_rendered_and_figured_from_the_data(tmp_path):
    # GIVEN a copy of the package with the example report added in the walkthrough's three steps
    shutil.copytree(ROOT / "reports", tmp_path / "reports", ignore=shutil.ignore_patterns("__pycache__"))
    add_the_example_report(tmp_path / "reports")
    # WHEN the catalogue is listed and the new report previewed from the small knowledge base
    listed = run_reports(tmp_path, "list", "--kb", str(SMALL))
    out = tmp_path / "preview"
    previewed = run_reports(
        tmp_path, "preview", "inventory", "--kb", str(SMALL), "--out", str(out), "--format", "all"
    )
    # THEN it is in the catalogue and renders in both parts
    assert listed.returncode == 0, listed.stderr
    assert "inventory" in listed.stdout
    assert previewed.returncode == 0, previewed.stdout + previewed.stderr
    text = (out / "inventory.txt").read_text()
    html = (out / "inventory.html").read_text()
    # AND its figures come from fixtures/small/assets.csv, worked out by hand:
    # jada: Inquiry form 0.40 + Site 1.10 + Sailing yacht JADA 650.00 = 651.50 (3 assets);
    # portfolio: Design tool 30.00 (1 asset); total 681.50, jada first (dearest).
    assert "jada: 3 assets, $651.50/mo\nportfolio: 1 assets, $30.00/mo\nTotal: $681.50/mo" in text
    assert "$651.50/mo" in html and "$681.50/mo" in html
    # AND the repository's own package was not touched
    assert not (ROOT / "reports" / "templates" / "inventory").exists()
