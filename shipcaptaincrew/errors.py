"""One exception family for the app, each carrying the HTTP status it maps to at the edge."""

from __future__ import annotations


class AppError(Exception):
    """Base of every error the app raises on purpose; the HTTP layer renders it as JSON."""

    status = 500
    code = "internal"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        headers: dict | None = None,
        details: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.headers = headers or {}
        self.details = details or {}  # more named facts for the client, e.g. the run in the way

    def to_body(self) -> dict:
        """Return the `{"error": {...}}` body clients see."""
        error = {"code": self.code, "message": self.message, **self.details}
        if self.field:
            error["field"] = self.field
        return {"error": error}


class BadRequest(AppError):
    status = 400
    code = "bad_request"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"


class MethodNotAllowed(AppError):
    status = 405
    code = "method_not_allowed"


class Conflict(AppError):
    status = 409
    code = "conflict"


class Unprocessable(AppError):
    status = 422
    code = "unprocessable"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(AppError):
    status = 415
    code = "unsupported_media_type"


class TooManyRequests(AppError):
    status = 429
    code = "too_many_requests"


class ServiceUnavailable(AppError):
    """An AWS service the request needs is down or out of capacity, beyond botocore's retries."""

    status = 503
    code = "service_unavailable"
    retry_after_seconds = 5

    def __init__(self, message: str, **kwargs):
        super().__init__(message, **kwargs)
        self.headers.setdefault("Retry-After", str(self.retry_after_seconds))


class ConfigError(Exception):
    """Raised at start-up when a setting is missing or invalid; names the variable."""
