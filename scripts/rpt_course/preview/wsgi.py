"""The preview as a WSGI module for a multi-process server, as the LMS is served:

    RPT_PREVIEW_OLX=tests/concurrency/fixtures/olx RPT_PREVIEW_STATE_DIR=var/preview \\
    RPT_PREVIEW_DB_SOCKET=/tmp/x/sock RPT_PREVIEW_DB_NAME=rpt \\
        gunicorn --preload --workers 4 --bind 127.0.0.1:8000 rpt_course.preview.wsgi:application

The course is named by one environment variable: `RPT_PREVIEW_OLX`, a folder of OLX (its files as
they would sit in the course archive), or `RPT_PREVIEW_CONTENT`, a course_content folder built in
memory as `rpt-course preview` does. State and database come from the variables the preview
settings read (`RPT_PREVIEW_STATE_DIR`, `RPT_PREVIEW_DB_SOCKET`, ...).

Use `--preload`: the module is then imported once, in gunicorn's master, so `prepare()` (which runs
`migrate`) runs once rather than once per worker racing on the same tables. The master's database
connections are closed before the workers fork: a connection (a socket, or an SQLite handle) must
never be shared by processes. Without `--preload` each worker would import this module and migrate
on its own. Bind a loopback address only: the workbench has no login and runs with DEBUG on.
"""
from __future__ import annotations

import os
from pathlib import Path

from rpt_course.preview.server import wsgi_application


def course_files_from_environment() -> dict[str, bytes]:
    """The OLX file mapping named by `RPT_PREVIEW_OLX` or `RPT_PREVIEW_CONTENT` (RuntimeError if neither)."""
    olx = os.environ.get("RPT_PREVIEW_OLX")
    if olx:
        root = Path(olx)
        if not root.is_dir():
            raise RuntimeError(f"RPT_PREVIEW_OLX={olx!r} is not a folder")
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    content = os.environ.get("RPT_PREVIEW_CONTENT")
    if content:
        from rpt_course.build import build_files

        _course, files = build_files(Path(content))
        return dict(files)
    raise RuntimeError("set RPT_PREVIEW_OLX (an OLX folder) or RPT_PREVIEW_CONTENT (a course_content folder)")


def _application():
    from django.db import connections

    app = wsgi_application(course_files_from_environment())
    connections.close_all()  # before gunicorn forks the workers: each opens its own
    return app


application = _application()
