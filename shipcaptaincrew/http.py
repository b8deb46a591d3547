"""HTTP shapes: API Gateway events in, API Gateway responses out, and the route table.

Handlers are `handler(request, app) -> Response`; they raise AppError subclasses for bad
input and never build error responses themselves.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote

from botocore import exceptions as aws_errors

from .errors import (
    AppError,
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthorized,
    UnsupportedMediaType,
)
from .storage.items import plain

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 256 * 1024
JSON_HEADERS = {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


@dataclass
class Request:
    """One HTTP request, independent of the API Gateway payload version it came in."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    request_id: str = ""
    path_params: dict[str, str] = field(default_factory=dict)
    user: dict | None = None
    source_ip: str | None = None  # API Gateway's view of the caller (requestContext), never a header

    def require_json(self) -> None:
        """Refuse a body that is not declared JSON (415): a cross-site form or `text/plain` POST
        would skip the CORS preflight, so only `application/json` is read."""
        kind = self.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind != "application/json":
            raise UnsupportedMediaType("send the body as application/json")

    def json(self) -> dict:
        """Return the body as a JSON object; raise BadRequest for anything else."""
        if not self.body.strip():
            return {}
        try:
            data = json.loads(self.body, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise BadRequest("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise BadRequest("the body must be a JSON object")
        try:
            # A "\ud800" escape is valid JSON but not text: a lone surrogate cannot be encoded, so it
            # would fail deep in hashing or DynamoDB (a 500, or a false 409) instead of here.
            json.dumps(data, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            raise BadRequest("the body contains text that is not valid Unicode") from None
        return data


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


@dataclass
class Response:
    """An HTTP response; `body` is JSON-encoded unless it is already text."""

    status: int = 200
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data, status: int = 200, headers: dict | None = None) -> Response:
        """Return a JSON response."""
        return cls(status=status, body=data, headers=headers or {})

    def to_event(self) -> dict:
        """Return the API Gateway (payload 2.0 and 1.0 compatible) response."""
        headers = {**JSON_HEADERS, **self.headers}
        if self.body is None:
            body = ""
        elif isinstance(self.body, str):
            body = self.body
        else:
            body = json.dumps(plain(self.body), separators=(",", ":"))
        return {"statusCode": self.status, "headers": headers, "body": body, "isBase64Encoded": False}


@dataclass(frozen=True)
class Route:
    """One route: method, path pattern with `{name}` segments, required role, handler."""

    method: str
    pattern: str
    handler: Callable
    role: str | None  # None: anyone; "user": signed in; "admin": admins only

    def match(self, path: str) -> dict[str, str] | None:
        """Return the path parameters if `path` fits the pattern, else None."""
        wanted, given = self.pattern.strip("/").split("/"), path.strip("/").split("/")
        if len(wanted) != len(given):
            return None
        params = {}
        for want, got in zip(wanted, given, strict=True):
            if want.startswith("{"):
                if not got:
                    return None
                params[want[1:-1]] = unquote(got)
            elif want != got:
                return None
        return params


class Router:
    """A group of routes; areas build their own and `include` them into the app's table."""

    def __init__(self):
        self.routes: list[Route] = []

    def route(self, method: str, pattern: str, *, role: str | None = None):
        """Register the decorated handler for `method pattern`."""

        def register(handler: Callable) -> Callable:
            self.routes.append(Route(method.upper(), pattern, handler, role))
            return handler

        return register

    def include(self, other: Router) -> None:
        """Add every route of another router."""
        self.routes.extend(other.routes)

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """Return the matching route and its parameters; 404 or 405 otherwise."""
        allowed = []
        for route in self.routes:
            params = route.match(path)
            if params is None:
                continue
            if route.method == method:
                return route, params
            allowed.append(route.method)
        if allowed:
            raise MethodNotAllowed(f"{method} is not allowed here; use {', '.join(sorted(set(allowed)))}")
        raise NotFound(f"no route for {method} {path}")


def parse_event(event: dict) -> Request:
    """Turn an API Gateway HTTP API (2.0) or REST API (1.0) event into a Request."""
    context = event.get("requestContext") or {}
    if event.get("version") == "2.0" or "http" in context:
        method = context.get("http", {}).get("method", "GET")
        path = event.get("rawPath") or context.get("http", {}).get("path", "/")
        query = dict(parse_qsl(event.get("rawQueryString") or "", keep_blank_values=True))
    else:
        method = event.get("httpMethod", "GET")
        path = event.get("path") or "/"
        query = {k: v for k, v in (event.get("queryStringParameters") or {}).items() if isinstance(v, str)}
    if not path.startswith("/api") and "/api/" in path:
        path = path[path.index("/api/") :]  # a stage prefix such as /prod/api/...
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items() if v is not None}
    raw_body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(raw_body, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest("the body is not valid base64") from None
    else:
        body = raw_body.encode() if isinstance(raw_body, str) else b""
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"the body is larger than {MAX_BODY_BYTES // 1024} KiB")
    request_id = str(context.get("requestId") or uuid.uuid4())
    source = (context.get("http") or {}).get("sourceIp") or (context.get("identity") or {}).get("sourceIp")
    return Request(
        source_ip=str(source) if source else None,
        method=method.upper(),
        path=re.sub("/+", "/", path),
        headers=headers,
        query=query,
        body=body,
        request_id=request_id,
    )


def bearer_token(request: Request) -> str:
    """Return the bearer token from the Authorization header, or raise Unauthorized."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("sign in first: this needs an Authorization: Bearer token")
    return token.strip()


def require_role(user: dict, role: str) -> None:
    """Raise Forbidden unless the user's role satisfies the route's requirement."""
    if role == "admin" and user["role"] != "admin":
        raise Forbidden("only admins may do this")


# AWS answers that mean "busy or down, try later", once botocore's own retries are spent.
UNAVAILABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "SlowDown",
        "InternalServerError",
        "InternalServiceError",
        "InternalFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    }
)


def unavailable(error: BaseException | None) -> ServiceUnavailable | None:
    """Return a 503 for an AWS error that is the service's state, not the request's fault,
    also when it is the cause of another error (the knowledge base failing to load, say)."""
    while error is not None and not isinstance(error, aws_errors.ClientError | aws_errors.BotoCoreError):
        error = error.__cause__
    if isinstance(error, aws_errors.ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code not in UNAVAILABLE_CODES and status < 500:
            return None
        service = f"AWS ({error.operation_name})"
    elif isinstance(error, aws_errors.ConnectionError | aws_errors.HTTPClientError):
        service, code = "an AWS endpoint", type(error).__name__
    else:
        return None
    return ServiceUnavailable(f"{service} is busy or unavailable ({code}); please try again shortly")


def error_response(error: Exception, request_id: str) -> Response:
    """Map an exception to its response; anything unexpected is a logged 500 with a request id."""
    busy = None if isinstance(error, AppError) else unavailable(error)
    if busy is not None:
        log.warning("AWS unavailable", exc_info=error, extra={"request_id": request_id})
        error = busy
    if isinstance(error, AppError):
        return Response.json(error.to_body(), status=error.status, headers=error.headers)
    log.error("unhandled error", exc_info=error, extra={"request_id": request_id})
    body = {"error": {"code": "internal", "message": f"internal error (request id {request_id})"}}
    return Response.json(body, status=500)
