"""The archive: every rendered report is kept (HTML, text, data) before it is sent.

Layout: `<root>/<run id>/<report id>.{html,txt,json}`, where the root is a directory or an
`s3://bucket/prefix`. Ids are restricted to `[A-Za-z0-9._-]+` (and never only dots), so no id
can climb out of the root or smuggle a separator into an S3 key.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from .render import Rendered, dumps

SAFE_ID = re.compile(r"[A-Za-z0-9._-]+")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "json": "application/json",
}


class Archive:
    """Write each rendered report's three files under one root, raising if any cannot be written."""

    def __init__(self, *, directory: Path | None = None, bucket: str = "", prefix: str = "", s3=None):
        self._directory = directory
        self._bucket = bucket
        self._prefix = prefix
        self._s3 = s3

    @classmethod
    def at(cls, location: str, *, s3=None) -> Archive:
        """Return the archive at a directory or `s3://bucket/prefix` (S3 needs the client passed in)."""
        if not isinstance(location, str) or not location.strip():
            raise ValueError("the archive location is empty")
        if not location.startswith("s3://"):
            return cls(directory=Path(location))
        bucket, _, prefix = location[len("s3://") :].partition("/")
        if not bucket:
            raise ValueError(f"no bucket in the archive location {location!r}")
        if s3 is None:
            raise ValueError("an S3 archive needs an S3 client")
        return cls(bucket=bucket, prefix=prefix.strip("/"), s3=s3)

    def store(self, run_id: str, rendered: Rendered) -> list[str]:
        """Write the report's HTML, text and data; return where they are, so the run can cite them."""
        for name in (run_id, rendered.report_id):
            _check_id(name)
        contents = {
            "html": rendered.html,
            "txt": rendered.text,
            "json": dumps({"subject": rendered.subject, "data": rendered.data}),
        }
        return [
            self._write(
                f"{run_id}/{rendered.report_id}.{suffix}", text.encode("utf-8"), CONTENT_TYPES[suffix]
            )
            for suffix, text in contents.items()
        ]

    def _write(self, key: str, body: bytes, content_type: str) -> str:
        if self._directory is None:
            full_key = f"{self._prefix}/{key}" if self._prefix else key
            self._s3.put_object(Bucket=self._bucket, Key=full_key, Body=body, ContentType=content_type)
            return f"s3://{self._bucket}/{full_key}"
        return str(_write_file(self._directory / key, body))


def _check_id(name: str) -> None:
    """Refuse an id that could name a path outside the root."""
    if not isinstance(name, str) or not SAFE_ID.fullmatch(name) or not name.strip("."):
        raise ValueError(f"unsafe id for an archive path: {name!r}")


def _write_file(path: Path, body: bytes) -> Path:
    """Write through a temporary file and rename, so a crash never leaves half a report behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        temporary.write_bytes(body)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
