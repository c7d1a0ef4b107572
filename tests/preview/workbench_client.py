"""A browser-less user of the preview's workbench: cookies, CSRF token, one block's handlers."""
from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.request
import uuid


class WorkbenchUser:
    """Opens `unit` (e.g. "/scenario/course.0003/") as `student` (a fresh id by default) and finds
    the usage id of its block `tag`; `post` calls that block's handlers as the page's script would."""

    def __init__(self, server, unit: str, tag: str, student: str | None = None):
        self.base = server.base_url
        self.student = student or uuid.uuid4().hex
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        page = self.opener.open(f"{self.base}{unit}?student={self.student}").read().decode()
        self.usage = re.search(rf"data-usage='([^']+)' data-block-type='{tag}'", page).group(1)

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def _open(self, request):
        try:
            with self.opener.open(request) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers

    def post(self, handler, body: bytes, with_csrf=True):
        headers = {"Content-Type": "application/json", "Referer": self.base + "/"}
        if with_csrf:
            headers["X-CSRFToken"] = self.csrf()
        request = urllib.request.Request(f"{self.base}/handler/{self.usage}/{handler}/?student={self.student}",
                                         data=body, headers=headers, method="POST")
        status, body, _headers = self._open(request)
        return status, body

    def get(self, handler):
        return self._open(urllib.request.Request(f"{self.base}/handler/{self.usage}/{handler}/?student={self.student}"))
