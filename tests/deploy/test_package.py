"""The deployment zip: reproducible to the byte, carrying the app, its templates, the sample
knowledge base and its runtime dependencies, and nothing that must not ship."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT, load_script

package = load_script("package")

CACHE = ROOT / "dist" / "cache"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("zip") / "lambda.zip"
    size, digest = package.build_zip(out, cache_dir=CACHE)
    return out, size, digest


@pytest.fixture(scope="module")
def names(built) -> list[str]:
    with zipfile.ZipFile(built[0]) as archive:
        return archive.namelist()


def test_building_twice_gives_the_same_bytes(tmp_path):
    first = package.build_zip(tmp_path / "first.zip", cache_dir=CACHE)
    again = package.build_zip(tmp_path / "again.zip", cache_dir=CACHE)
    assert first == again
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "again.zip").read_bytes()


def test_entries_are_sorted_with_fixed_times_and_modes(built, names):
    assert names == sorted(names)
    with zipfile.ZipFile(built[0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o100644}


@pytest.mark.parametrize(
    "name",
    [
        "lambda_function.py",
        "shipcaptaincrew/config.py",
        "reports/catalogue.py",
        "reports/templates/_base.html",
        "examples/portfolio/portfolio.toml",
        "jinja2/__init__.py",
        "jwt/__init__.py",
    ],
)
def test_the_zip_carries_the_app_templates_sample_and_dependencies(names, name):
    assert name in names


def test_markupsafe_is_built_for_the_lambda_runtime(names):
    assert any(name.startswith("markupsafe/_speedups.cpython-312-x86_64-linux-gnu") for name in names)


def test_the_zip_holds_no_boto3_tests_caches_or_secrets(names):
    top = {name.split("/")[0] for name in names}
    assert not top & {"boto3", "botocore", "s3transfer", "cryptography", "tests", "frontend", "bench", "docs"}
    assert not [name for name in names if "__pycache__" in name or name.endswith((".pyc", ".env"))]
    assert not [name for name in names if any(part.startswith(".") for part in name.split("/"))]


def test_secrets_and_caches_left_in_the_source_tree_are_not_shipped(tmp_path):
    # GIVEN a copy of the project where a developer left secrets, caches and outbox mail
    for name in ("lambda_function.py", "requirements.txt", "shipcaptaincrew", "reports", "examples"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy2(source, tmp_path / name)
    (tmp_path / "shipcaptaincrew" / ".env").write_text("JWT_SECRET=leaked\n")
    (tmp_path / "reports" / "repos.env").write_text("JWT_SECRET=leaked\n")
    (tmp_path / "reports" / "__pycache__").mkdir(exist_ok=True)
    (tmp_path / "reports" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "examples" / "portfolio" / "outbox").mkdir()
    (tmp_path / "examples" / "portfolio" / "outbox" / "mail.eml").write_text("x")
    # WHEN it is packaged
    out = tmp_path / "lambda.zip"
    package.build_zip(out, root=tmp_path, cache_dir=CACHE)
    # THEN none of them is in the zip
    with zipfile.ZipFile(out) as archive:
        shipped = archive.namelist()
    assert "shipcaptaincrew/config.py" in shipped
    assert not [name for name in shipped if ".env" in name or "__pycache__" in name or "outbox/" in name]


def test_the_command_prints_size_and_sha256_and_refuses_an_oversized_zip(tmp_path):
    out = tmp_path / "lambda.zip"
    command = [
        sys.executable,
        str(ROOT / "scripts" / "package.py"),
        "--out",
        str(out),
        "--cache-dir",
        str(CACHE),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{out.stat().st_size:,} bytes" in done.stdout
    assert "sha256 " in done.stdout
    too_small = subprocess.run([*command, "--max-mb", "0.01"], capture_output=True, text=True, check=False)
    assert too_small.returncode == 1
    assert "over 0.01 MB; refusing to deploy it" in too_small.stderr
