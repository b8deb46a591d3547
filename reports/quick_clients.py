"""Boto3 clients for reads a run or a page can do without: short timeouts and one retry.

The live AWS audit is a side dish of a report run, and the Reports page's schedule falls back to
the settings, so a slow or absent service may cost them seconds, never the run or the page: 2 s to
connect, 5 s to read, one retry (the host's clients wait up to 30 s with six attempts, right for
sending email, wrong here). Built from the host's region and endpoint (so
locally they reach the embedded moto server), once per container like the host's.
"""

from __future__ import annotations

import functools
import threading

import boto3
from botocore.config import Config

QUICK = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 2})


class QuickClients:
    """`get(service)` returns one cached client per service; the instance is also callable."""

    def __init__(self, region: str, endpoint_url: str | None = None):
        self._session = boto3.session.Session(region_name=region)
        self._endpoint_url = endpoint_url
        self._clients: dict[str, object] = {}
        self._lock = threading.Lock()  # a boto3 session must not build clients on two threads

    def get(self, service: str):
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self._session.client(
                    service, endpoint_url=self._endpoint_url, config=QUICK
                )
            return self._clients[service]

    __call__ = get


@functools.lru_cache(maxsize=4)
def quick_clients(region: str, endpoint_url: str | None = None) -> QuickClients:
    """Return the audit's clients for this region and endpoint, the same ones on every run."""
    return QuickClients(region, endpoint_url)
