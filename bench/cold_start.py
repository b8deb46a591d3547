"""Cold start: import time of `lambda_function` in a fresh interpreter, split by package, before and
after (bench/baseline.py: each tree's app as its deployment zip carries it).

`python -X importtime` reports each module's own import time and, by indentation, who imported
it. Each module's time goes to its package's group (boto3 with botocore, s3transfer, urllib3...;
jinja2; PyJWT; our own modules), and a standard-library module's to the group of the nearest
importer outside the standard library, so "boto3" includes the `email`, `http` and `xml` it
pulls in. The Lambda zip carries no `cryptography`, but this
virtualenv has it (moto needs it) and PyJWT imports it when present, so the Lambda-like figure
hides it with an import hook; the figure with it is kept beside for comparison.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

from . import baseline

ROOT = Path(__file__).resolve().parent.parent
GROUPS = {
    "boto3": {"boto3", "botocore", "s3transfer", "urllib3", "jmespath", "dateutil", "six", "certifi"},
    "jinja2": {"jinja2", "markupsafe"},
    "PyJWT": {"jwt"},
    "cryptography": {"cryptography", "cffi", "_cffi_backend"},
    "ours": {"lambda_function", "shipcaptaincrew", "reports"},
}
HIDE_CRYPTOGRAPHY = """
import sys
class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name == "cryptography" or name.startswith("cryptography."):
            raise ModuleNotFoundError(f"No module named {name!r}")
sys.meta_path.insert(0, _Absent())
"""
ENVIRONMENT = {"JWT_SECRET": "cold-start-benchmark-secret-0123456789abcdef", "AWS_REGION": "us-west-2"}


def group_of(module: str) -> str:
    top = module.split(".", 1)[0]
    for group, members in GROUPS.items():
        if top in members:
            return group
    return "stdlib and other"


def _owner(entries: list[tuple[int, str, int]], index: int) -> str:
    """Return the group a module's import time belongs to: its own, or for a standard-library
    module, that of the nearest importer that is not (boto3 pulling in `email`, say)."""
    depth, name, _ = entries[index]
    while group_of(name) == "stdlib and other":
        parent = next((j for j in range(index + 1, len(entries)) if entries[j][0] < depth), None)
        if parent is None:
            return "stdlib and other"
        index = parent
        depth, name, _ = entries[index]
    return group_of(name)


def import_profile(root: Path = ROOT, *, hide_cryptography: bool) -> dict:
    """Import `root`'s lambda_function once in a fresh interpreter; return microseconds by group."""
    code = (HIDE_CRYPTOGRAPHY if hide_cryptography else "") + "import lambda_function\n"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=root,
        env={"PATH": os.environ.get("PATH", ""), **ENVIRONMENT},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    entries = []  # (depth, name, self microseconds), children before their parent
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, raw_name = line[len("import time:") :].split("|")
        name = raw_name.strip()
        entries.append((len(raw_name) - len(raw_name.lstrip()), name, int(self_us)))
    by_group: Counter = Counter()
    for index, (_depth, _name, self_us) in enumerate(entries):
        by_group[_owner(entries, index)] += self_us
    total = sum(self_us for _, _, self_us in entries)
    return {"total_us": total, "by_group_us": dict(by_group)}


def run(options) -> dict:
    trees = baseline.trees(options)
    runs = max(3, options.cold_runs)
    for tree in trees:  # the first run compiles the .pyc files; not a cold start
        import_profile(tree.app, hide_cryptography=True)
    lambda_like: dict[str, list[dict]] = {tree.label: [] for tree in trees}
    for _ in range(runs):  # the trees alternate, so load on the machine hits both alike
        for tree in trees:
            lambda_like[tree.label].append(import_profile(tree.app, hide_cryptography=True))
    after = trees[-1]
    with_crypto = [import_profile(after.app, hide_cryptography=False) for _ in range(runs)]
    return {
        "runs": runs,
        "trees": {
            tree.label: {"lambda_like": _median_profile(lambda_like[tree.label]), "zip": tree.zip}
            for tree in trees
        },
        "with_cryptography_installed": _median_profile(with_crypto),
    }


def _median_profile(profiles: list[dict]) -> dict:
    groups = sorted({group for profile in profiles for group in profile["by_group_us"]})
    return {
        "total_ms": round(statistics.median(p["total_us"] for p in profiles) / 1000, 1),
        "by_group_ms": {
            group: round(statistics.median(p["by_group_us"].get(group, 0) for p in profiles) / 1000, 1)
            for group in groups
        },
    }


def rows(result: dict) -> list[tuple[str, str]]:
    trees = result["trees"]
    totals = {label: f"{tree['lambda_like']['total_ms']:.0f} ms" for label, tree in trees.items()}
    splits = {
        label: ", ".join(
            f"{group} {ms:.0f}"
            for group, ms in sorted(tree["lambda_like"]["by_group_ms"].items(), key=lambda kv: -kv[1])
            if ms >= 0.5
        )
        for label, tree in trees.items()
    }
    zips = {label: _zip_text(tree["zip"]) for label, tree in trees.items()}
    return [
        (
            f"cold import of lambda_function (median of {result['runs']})",
            baseline.side_by_side(totals, "goal: after not above before"),
        ),
        *[(f"  {label}, ms by group", split) for label, split in splits.items()],
        (
            "  after, cryptography installed",
            f"median {result['with_cryptography_installed']['total_ms']:.0f} ms (PyJWT then imports it)",
        ),
        *[(f"deployment zip, {label}", text) for label, text in zips.items()],
    ]


def _zip_text(zipped: dict) -> str:
    if not zipped.get("available"):
        return f"n/a ({zipped.get('reason', 'not built')})"
    return (
        f"{zipped['bytes'] / 1024:.0f} KiB, {zipped['files']} files ({zipped['compiled_templates']} of them "
        f"compiled templates), cryptography {'INCLUDED' if zipped['has_cryptography'] else 'absent'}, "
        f"boto3 {'included' if zipped['has_boto3'] else 'absent'}"
    )
