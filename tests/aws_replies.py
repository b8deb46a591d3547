"""AWS's error answers made by hand, for a botocore event handler to return in place of a call
(`before-send` takes the response; `before-call` takes `(response, parsed)`), so a test meets a
throttle or a denial exactly as the client would from AWS."""

from __future__ import annotations

import json

from botocore.awsrequest import AWSResponse

JSON_1_0 = "application/x-amz-json-1.0"


class RawBody:
    """The raw stream botocore reads a response's body from."""

    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **kwargs):
        yield self._body

    def read(self, *args, **kwargs):
        return self._body


def aws_error(url: str, status: int, code: str, message: str, *, content_type: str = JSON_1_0) -> AWSResponse:
    """Return the response AWS gives for an error, in the JSON protocol these services speak."""
    body = json.dumps({"__type": code, "message": message}).encode()
    return AWSResponse(url, status, {"Content-Type": content_type}, RawBody(body))
