"""JSON handlers that refuse what they should before any block code runs (shared by our blocks).

Contract: a method decorated with `@json_handler()` receives `(self, data)` where `data` is the
request's JSON object, and returns a JSON-ready dict (sent with 200). Before it runs: a method
other than POST gets 405; a body over `max_bytes` gets 413; a body that is not JSON, or JSON that
is not an object, gets 400. The method raises `HandlerError(status, message)` for any other refusal
(a 4xx with `{"error": message, ...details}`); it must not change the block's fields before raising.
"""
from __future__ import annotations

import functools
import json

from webob import Response
from xblock.core import XBlock

MAX_REQUEST_BYTES = 64 * 1024


class HandlerError(Exception):
    def __init__(self, status: int, message: str, **details):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details


def _reply(status: int, body: dict) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json", charset="utf-8")


def json_handler(max_bytes: int = MAX_REQUEST_BYTES):
    def decorate(method):
        @XBlock.handler
        @functools.wraps(method)
        def handler(self, request, suffix=""):  # pylint: disable=unused-argument
            text = self.ugettext if hasattr(self, "ugettext") else (lambda s: s)
            if request.method != "POST":
                return _reply(405, {"error": text("Send this request with POST.")})
            if request.content_length and request.content_length > max_bytes or len(request.body) > max_bytes:
                return _reply(413, {"error": text("The request is too large.")})
            try:
                data = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return _reply(400, {"error": text("The request is not valid JSON.")})
            if not isinstance(data, dict):
                return _reply(400, {"error": text("The request must be a JSON object.")})
            try:
                return _reply(200, method(self, data))
            except HandlerError as refusal:
                return _reply(refusal.status, {"error": refusal.message, **refusal.details})
        return handler
    return decorate
