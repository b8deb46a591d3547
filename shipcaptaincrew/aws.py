"""AWS clients, created lazily and cached per container, all honouring AWS_ENDPOINT_URL."""

from __future__ import annotations

import threading

import boto3
from botocore.config import Config

from .config import Settings

# Adaptive mode adds client-side rate limiting on throttling responses, on top of retries.
RETRY_CONFIG = Config(retries={"mode": "adaptive", "max_attempts": 6}, connect_timeout=5, read_timeout=30)


class Clients:
    """Lazily build one boto3 client per service, so unused services cost nothing at cold start."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._clients: dict[str, object] = {}
        self._lock = threading.Lock()
        self._session = boto3.session.Session(region_name=settings.aws_region)

    def get(self, service: str):
        """Return the cached client for `service`, creating it on first use."""
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self._session.client(
                    service, endpoint_url=self._settings.aws_endpoint_url, config=RETRY_CONFIG
                )
            return self._clients[service]

    def __getattr__(self, service: str):
        if service.startswith("_"):
            raise AttributeError(service)
        return self.get(service)
