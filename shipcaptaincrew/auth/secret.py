"""The JWT signing secret: from Secrets Manager (cached per container) or JWT_SECRET locally."""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..config import MIN_SECRET_BYTES
from ..errors import ConfigError


class SigningSecret:
    """Fetch the secret once per container, on first use, so cold start does not pay for it."""

    def __init__(self, *, value: str | None, arn: str | None, secretsmanager: Callable[[], object]):
        self._value = value.encode() if value else None
        self._arn = arn
        self._secretsmanager = secretsmanager
        self._lock = threading.Lock()

    def get(self) -> bytes:
        """Return the secret bytes; raise ConfigError if it is missing or too short."""
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._fetch()
        return self._value

    def _fetch(self) -> bytes:
        if not self._arn:
            raise ConfigError("JWT_SECRET_ARN (or JWT_SECRET) must be set")
        response = self._secretsmanager().get_secret_value(SecretId=self._arn)
        secret = (response.get("SecretString") or "").encode() or response.get("SecretBinary", b"")
        if len(secret) < MIN_SECRET_BYTES:
            raise ConfigError(f"the secret in JWT_SECRET_ARN must be at least {MIN_SECRET_BYTES} bytes")
        return secret
