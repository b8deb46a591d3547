"""Build the Lambda deployment zip reproducibly: the app, its templates (as source and compiled to
Python for both jinja2 environments, so a cold container never parses them), the sample knowledge
base and the runtime dependencies installed for the Lambda platform; same sources, same bytes,
same SHA-256.

    python scripts/package.py [--out dist/lambda.zip] [--max-mb 10]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PATHS = ("lambda_function.py", "shipcaptaincrew", "reports", "examples/portfolio")
# The Lambda runtime the dependencies are installed for (deploy.sh creates the function with it).
LAMBDA_PYTHON = "3.12"
LAMBDA_PLATFORM = "manylinux2014_x86_64"
MAX_MB = 10
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--, whoever built it and whatever their umask
SKIPPED_NAMES = {"__pycache__", "tests", "outbox", "repos.env", "bin"}
SKIPPED_SUFFIXES = (".pyc", ".pyo")
# Never shipped: the runtime provides boto3; PyJWT runs without the crypto extra (HS256 only).
FORBIDDEN = ("boto3", "botocore", "s3transfer", "cryptography")
# Where the zip carries the compiled templates (reports/render.py reads them from there).
COMPILED_TEMPLATES = "reports/_compiled_templates"
COMPILE_SCRIPT = """
import sys
from pathlib import Path
import jinja2
from reports import render
render.compile_templates(Path(sys.argv[1]))
print(jinja2.__version__)
"""


class PackagingError(Exception):
    """The zip cannot be built as promised (a forbidden package, a clash, a failed install)."""


def build_zip(out_path: Path | str, *, root: Path = ROOT, cache_dir: Path | None = None) -> tuple[int, str]:
    """Build the deployment zip at `out_path`; return (size in bytes, SHA-256 hex digest)."""
    root = Path(root)
    out_path = Path(out_path)
    entries = dict(app_files(root))
    site = dependencies(root, cache_dir or root / "dist" / "cache")
    for name, path in dependency_files(site):
        if name in entries:
            raise PackagingError(f"{name} is both app code and a dependency")
        entries[name] = path
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(out_path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="templates-") as workdir:
        entries.update(compiled_templates(root, site, Path(workdir)))
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name in sorted(entries):
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.external_attr = FILE_MODE
                info.create_system = 3  # unix, so the mode above is read the same everywhere
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, entries[name].read_bytes(), compresslevel=9)
    partial.replace(out_path)
    data = out_path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def compiled_templates(root: Path, site: Path, workdir: Path) -> list[tuple[str, Path]]:
    """Compile the report templates for both jinja2 environments (HTML with autoescape, text
    without: they compile differently) with the app's own reports/render.py; return the zip entries.

    The compiled code belongs to one jinja2 version, so the one compiling must be the one shipped.
    """
    target = workdir / "compiled"
    command = [sys.executable, "-c", COMPILE_SCRIPT, str(target)]
    environment = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise PackagingError(f"compiling the templates failed:\n{result.stdout}{result.stderr}")
    shipped, compiled_with = _version(site / "jinja2" / "__init__.py"), result.stdout.strip()
    if shipped != compiled_with:
        raise PackagingError(
            f"the zip ships Jinja2 {shipped} but the templates were compiled with {compiled_with}; "
            "install requirements-dev.txt"
        )
    return [
        (f"{COMPILED_TEMPLATES}/{file.relative_to(target).as_posix()}", file)
        for file in target.rglob("*")
        if file.is_file() and is_shipped(file.relative_to(target))
    ]


def _version(init_file: Path) -> str | None:
    if not init_file.is_file():
        return None
    match = re.search(r'^__version__ = "([^"]+)"', init_file.read_text(), re.MULTILINE)
    return match.group(1) if match else None


def is_shipped(relative: Path) -> bool:
    """Tell whether a file under a shipped folder belongs in the zip (no caches, tests or secrets)."""
    parts = relative.parts
    if any(part in SKIPPED_NAMES or part.startswith(".") for part in parts):
        return False
    return not relative.name.endswith(SKIPPED_SUFFIXES) and relative.name != "repos.env"


def app_files(root: Path) -> list[tuple[str, Path]]:
    """Return (name in the zip, file) for the app's own files."""
    found = []
    for entry in APP_PATHS:
        path = root / entry
        if path.is_file():
            found.append((entry, path))
            continue
        if not path.is_dir():
            raise PackagingError(f"{entry} is missing from {root}")
        for file in path.rglob("*"):
            relative = file.relative_to(root)
            generated = relative.as_posix().startswith(f"{COMPILED_TEMPLATES}/")  # a stale local copy
            if file.is_file() and is_shipped(relative) and not generated:
                found.append((relative.as_posix(), file))
    return found


def dependency_files(site: Path) -> list[tuple[str, Path]]:
    """Return (name in the zip, file) for the installed runtime dependencies."""
    found = []
    for file in site.rglob("*"):
        relative = file.relative_to(site)
        if file.is_file() and is_shipped(relative):
            found.append((relative.as_posix(), file))
    return found


def dependencies(root: Path, cache_dir: Path) -> Path:
    """Return a folder holding requirements.txt installed for the Lambda platform (cached by content)."""
    requirements = root / "requirements.txt"
    key = hashlib.sha256(
        f"{LAMBDA_PLATFORM} {LAMBDA_PYTHON}\n".encode() + requirements.read_bytes()
    ).hexdigest()[:16]
    site = cache_dir / f"site-{key}"
    if site.is_dir():
        return site
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="site-", dir=cache_dir))
    try:
        install(requirements, staging)
        check_forbidden(staging)
        staging.rename(site)  # atomic: a concurrent build either sees the whole folder or none
    except OSError:
        if not site.is_dir():
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return site


def install(requirements: Path, target: Path) -> None:
    """pip-install the runtime requirements as Lambda's Linux x86_64 Python will import them."""
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-compile", "--only-binary=:all:", "--platform", LAMBDA_PLATFORM,
        "--implementation", "cp", "--python-version", LAMBDA_PYTHON,
        "--target", str(target), "-r", str(requirements),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise PackagingError(f"installing {requirements.name} failed:\n{result.stdout}{result.stderr}")


def check_forbidden(site: Path) -> None:
    """Refuse dependencies that must not ship (boto3 comes with the runtime; no crypto backend)."""
    present = sorted(name for name in FORBIDDEN if (site / name).exists())
    if present:
        raise PackagingError(f"requirements.txt pulls in {', '.join(present)}, which must not be in the zip")


def _shown(path: Path) -> str:
    """Return the path relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "lambda.zip", help="zip to write")
    parser.add_argument("--max-mb", type=float, default=MAX_MB, help="refuse a zip larger than this")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(os.environ.get("DEPLOY_CACHE_DIR") or ROOT / "dist" / "cache"),
        help="where installed dependencies are kept between builds (default dist/cache)",
    )
    args = parser.parse_args(argv)
    try:
        size, digest = build_zip(args.out, cache_dir=args.cache_dir)
    except PackagingError as error:
        print(f"package: error: {error}", file=sys.stderr)
        return 1
    code_sha = base64.b64encode(bytes.fromhex(digest)).decode()
    print(f"{_shown(args.out)}: {size:,} bytes ({size / 1_000_000:.2f} MB)")
    print(f"sha256 {digest}")
    print(f"CodeSha256 {code_sha}")
    if size > args.max_mb * 1_000_000:
        print(f"package: error: the zip is over {args.max_mb:g} MB; refusing to deploy it", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
