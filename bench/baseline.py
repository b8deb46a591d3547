"""Before and after in one run: the same measurements on the baseline commit and on this checkout.

"after" is this checkout as it stands (uncommitted edits included); "before" is the commit
BENCH_BASELINE (default df7051a, the last commit before the template, knowledge-base and to_json
speed work of issue 15; `none` measures only "after"), exported with `git archive` into a
temporary folder that is removed when the bench ends. `git archive` reads the object store only,
so the checkout, its index and anyone committing meanwhile are left alone.

Each tree is packaged with its own scripts/package.py and its app's files are taken from that zip
(`app`), so the cycle benchmarks run what Lambda runs: the compiled templates when the tree ships
them. The zip's dependencies (Jinja2, MarkupSafe, PyJWT) are built for Lambda's Python 3.12 and
are not extracted: both trees use this virtualenv's copies of the same pinned versions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASELINE = "df7051a"
LABELS = ("before", "after")


@dataclass
class Tree:
    """One version of the app to measure."""

    label: str  # "before" or "after"
    name: str  # the commit, or "working tree"
    root: Path  # its source tree
    app: Path  # its deployed files (extracted from its zip), or the source tree if packaging failed
    zip: dict = field(default_factory=dict)  # size and contents of its deployment zip


def trees(options) -> list[Tree]:
    """Return the trees to measure (before first), prepared once per bench run."""
    prepared = getattr(options, "trees", None)
    if prepared is None:
        prepared = options.trees = _prepare(options)
    return prepared


def _prepare(options) -> list[Tree]:
    workdir = Path(options.workdir)
    found = []
    baseline = os.environ.get("BENCH_BASELINE", DEFAULT_BASELINE)
    if baseline.lower() != "none":
        root = workdir / "before-src"
        _export(baseline, root)
        found.append(Tree("before", _describe(baseline), root, root))
    found.append(Tree("after", "working tree", ROOT, ROOT))
    for tree in found:
        tree.zip, app = _package(tree.root, workdir / f"{tree.label}.zip", workdir / f"{tree.label}-app")
        tree.app = app or tree.root
    return found


def _export(commit: str, target: Path) -> None:
    """Write the files of `commit` to `target` with `git archive` (no checkout, no worktree)."""
    target.mkdir(parents=True)
    archive = target.parent / "baseline.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    archive.unlink()


def _describe(commit: str) -> str:
    done = subprocess.run(
        ["git", "log", "-1", "--format=%h %s", commit],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    described = done.stdout.strip()
    return (described[:60] + "...") if len(described) > 60 else described or commit


def _package(root: Path, out: Path, app: Path) -> tuple[dict, Path | None]:
    """Build `root`'s deployment zip with its own packager; extract the app's files into `app`."""
    packager = root / "scripts" / "package.py"
    if not packager.is_file():
        return {"available": False, "reason": "no scripts/package.py"}, None
    done = subprocess.run(
        [sys.executable, str(packager), "--out", str(out), "--cache-dir", str(ROOT / "dist" / "cache")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0 or not out.is_file():
        return {"available": False, "reason": f"package.py failed: {done.stderr.strip()[-300:]}"}, None
    site = Path(sysconfig.get_paths()["purelib"])
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        # Dependencies come from this virtualenv (same pins, built for this Python), the app from the zip.
        app_names = [name for name in names if not (site / name.split("/", 1)[0]).exists()]
        archive.extractall(app, members=app_names)  # noqa: S202 - the zip we just built
    tops = Counter(name.split("/", 1)[0] for name in names)
    info = {
        "available": True,
        "bytes": out.stat().st_size,
        "files": len(names),
        "compiled_templates": sum(1 for name in names if name.startswith("reports/_compiled_templates/")),
        "has_cryptography": any(name.startswith("cryptography") for name in names),
        "has_boto3": any(name.startswith(("boto3/", "botocore/")) for name in names),
        "top_level": dict(tops.most_common(12)),
    }
    return info, app


def pristine_copy(tree: Tree, workdir: Path) -> Path | None:
    """Return a copy of the tree's app that never held a .pyc (for the Lambda-like cold start)."""
    if tree.app == tree.root:
        return None  # packaging failed: no zip to take the app from
    target = Path(workdir) / f"{tree.label}-app-nopyc"
    if not target.exists():
        shutil.copytree(tree.app, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def workdir() -> tempfile.TemporaryDirectory:
    """Return the bench's scratch folder (baseline export, zips), removed when the bench ends."""
    return tempfile.TemporaryDirectory(prefix="bench-")


def side_by_side(values: dict[str, str], goal: str = "") -> str:
    """Return "before X | after Y (goal)" for the labels present."""
    shown = " | ".join(f"{label} {values[label]}" for label in LABELS if label in values)
    return f"{shown}  ({goal})" if goal else shown
