"""Keep a loaded knowledge base for the life of a container; reload it only when its files change.

`KnowledgeBaseCache(location, s3=...).load()` returns the same `Loaded` object for as long as the
files are unchanged, and checks that cheaply on every call, without reading or parsing them:
- a directory: the names, sizes, modification times (ns) and inode numbers of the files the loader
  reads (one `stat` each);
- `s3://bucket/prefix`: one ListObjectsV2 of the prefix (a page per 1,000 keys), comparing each
  knowledge file's key and ETag.
A file added, removed or edited reloads the whole knowledge base (its checks cross files).

Modification times have a granularity (a few milliseconds on Linux, up to 2 s on some
filesystems), so a file rewritten with the same size within one tick of the last look would seem
unchanged. As git does with "racily clean" files, while any file's mtime is that recent the check
also compares the files' contents (read, hashed, not parsed) until they have aged past it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from . import loader, sources
from .loader import Loaded
from .problems import KnowledgeBaseError

RACY_NS = 2_000_000_000  # an mtime this close to the last look may hide a same-tick edit


class KnowledgeBaseCache:
    """One knowledge base location, loaded once and revalidated on every `load()`; thread-safe."""

    def __init__(self, location: str | os.PathLike, *, s3=None) -> None:
        self.location = str(location)
        self._s3 = s3
        self._lock = threading.Lock()
        self._loaded: Loaded | None = None
        self._fingerprint: tuple | None = None
        self._digest: str | None = None
        self._racy = False
        self.loads = 0  # how many times the files were read and parsed (for tests and the bench)

    def load(self) -> Loaded:
        """Return the knowledge base: the cached object if no file changed, else freshly loaded.

        Raises KnowledgeBaseError as `kb.load` does (no such directory, S3 unreachable...); the
        previous object is then not returned, and the next call tries again."""
        with self._lock:
            looked_at = time.time_ns()
            fingerprint = self._fingerprint_now()
            if self._loaded is not None and fingerprint == self._fingerprint:
                if not self._racy:
                    return self._loaded
                files = sources.read_files(self.location, s3=self._s3)
                if _digest(files) == self._digest:
                    self._racy = _is_racy(fingerprint, looked_at)
                    return self._loaded
            else:
                files = sources.read_files(self.location, s3=self._s3)
            loaded = loader.parse(files)
            self.loads += 1
            self._loaded, self._fingerprint, self._digest = loaded, fingerprint, _digest(files)
            self._racy = _is_racy(fingerprint, looked_at)
            return loaded

    def _fingerprint_now(self) -> tuple:
        if self.location.startswith("s3://"):
            return _s3_fingerprint(self.location, self._s3 or sources.s3_client())
        return _directory_fingerprint(Path(self.location))


def _directory_fingerprint(root: Path) -> tuple:
    """Return ((name, size, mtime_ns, inode), ...) of the files `sources.read_files` would read."""
    found = []
    for path in root.rglob("*"):  # the same walk as sources.read_files, so the same files
        relative = path.relative_to(root).as_posix()
        if not sources.is_knowledge_file(relative):
            continue
        try:
            status = path.stat()
        except OSError:
            continue  # gone since the walk saw it (or a dangling link): not read either
        if stat.S_ISREG(status.st_mode):
            found.append((relative, status.st_size, status.st_mtime_ns, status.st_ino))
    return ("directory", *sorted(found))  # a missing directory gives an empty one: load() raises


def _s3_fingerprint(location: str, s3) -> tuple:
    """Return ("s3", (relative key, ETag), ...) from one ListObjectsV2 of the prefix."""
    bucket, _, prefix = location.removeprefix("s3://").partition("/")
    prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    try:
        listed = [
            (item["Key"].removeprefix(prefix), item.get("ETag"))
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for item in page.get("Contents", [])
        ]
    except (ClientError, BotoCoreError) as error:
        raise KnowledgeBaseError(f"{location}: {error}") from error
    return ("s3", *sorted(entry for entry in listed if sources.is_knowledge_file(entry[0])))


def _is_racy(fingerprint: tuple, looked_at_ns: int) -> bool:
    """Tell whether a file's mtime is too close to the last look to trust it alone next time."""
    if fingerprint[0] != "directory":
        return False  # an ETag changes with the content
    return any(mtime >= looked_at_ns - RACY_NS for _name, _size, mtime, _inode in fingerprint[1:])


def _digest(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{len(files[name])}\0".encode())
        digest.update(files[name])
    return digest.hexdigest()
