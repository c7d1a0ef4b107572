"""JSON handlers that refuse what they should before any block code runs (shared by our blocks).

Contract: a method decorated with `@json_handler()` receives `(self, data)` where `data` is the
request's JSON object, and returns a JSON-ready dict (sent with 200). Before it runs: a method
other than POST gets 405; a body over `max_bytes` gets 413; a body whose arrays and objects nest
deeper than `MAX_NESTING` gets 400 (counted on the bytes before parsing, so no depth of nesting
reaches the parser or the handler: never a RecursionError or a 500); a body that is not JSON, or
JSON that is not an object, gets 400. The method raises `HandlerError(status, message)` for any
other refusal (a 4xx with `{"error": message, ...details}`); it must not change the block's fields
before raising. `json_reply(status, body)` is the reply all of them send (JSON, UTF-8), also for
requests that reach no handler (`LearnerBlockMixin.fallback_handler`: 404). A reply of 200 from a
block that has `runtime_links(text)` (`LearnerBlockMixin`) goes out with its links as the runtime
serves them (`course_links.runtime_links`): the LMS rewrites links in views, not in handler replies.
"""
from __future__ import annotations

import functools
import json
import re
from itertools import accumulate

from webob import Response
from xblock.core import XBlock

MAX_REQUEST_BYTES = 64 * 1024
MAX_NESTING = 32
"""The deepest nesting of arrays and objects a request may have; ours need 4."""

# A JSON string, or an unterminated one running to the end: matched in one pass, never retried.
_STRING = re.compile(rb'"(?:[^"\\]|\\.?)*+(?:"|\Z)', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class HandlerError(Exception):
    def __init__(self, status: int, message: str, **details):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details


def json_reply(status: int, body: dict) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json", charset="utf-8")


def nesting_depth(body: bytes) -> int:
    """How deep the arrays and objects of `body` (JSON text) nest, brackets inside strings not
    counted; cheap when the body holds few brackets (the usual case)."""
    if body.count(b"[") + body.count(b"{") <= MAX_NESTING:
        return body.count(b"[") + body.count(b"{")  # an upper bound, within the limit
    brackets = _BRACKET.findall(_STRING.sub(b"", body))
    return max(accumulate(_DEPTH_STEP[b[0]] for b in brackets), default=0)


def json_handler(max_bytes: int = MAX_REQUEST_BYTES):
    def decorate(method):
        @XBlock.handler
        @functools.wraps(method)
        def handler(self, request, suffix=""):  # pylint: disable=unused-argument
            text = self.ugettext if hasattr(self, "ugettext") else (lambda s: s)
            if request.method != "POST":
                return json_reply(405, {"error": text("Send this request with POST.")})
            if request.content_length and request.content_length > max_bytes or len(request.body) > max_bytes:
                return json_reply(413, {"error": text("The request is too large.")})
            if nesting_depth(request.body) > MAX_NESTING:
                return json_reply(400, {"error": text("The request nests its data too deeply.")})
            try:
                data = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                return json_reply(400, {"error": text("The request is not valid JSON.")})
            if not isinstance(data, dict):
                return json_reply(400, {"error": text("The request must be a JSON object.")})
            try:
                reply = json.dumps(method(self, data))
            except HandlerError as refusal:
                return json_reply(refusal.status, {"error": refusal.message, **refusal.details})
            if hasattr(self, "runtime_links"):  # LearnerBlockMixin: links as the runtime serves them
                reply = self.runtime_links(reply)
            return Response(reply, status=200, content_type="application/json", charset="utf-8")
        return handler
    return decorate
