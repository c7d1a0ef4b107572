"""Django settings for the course preview: the xblock-sdk workbench's settings, with these changes.

- State (SQLite database, log, the `fs` service's files) lives in one folder: `$RPT_PREVIEW_STATE_DIR`,
  default `var/preview` under the current folder. The folder is created on import, because the
  log handler opens its file while Django configures logging.
- The database is SQLite in that folder (`workbench.db`), opened with `transaction_mode` IMMEDIATE
  and a 20 s `timeout` (Django 5.1+): a transaction that will write takes SQLite's write lock when it
  begins, so concurrent writers in the threaded development server wait for each other instead of
  failing with "database is locked" when a reader upgrades to a writer.
- Or MySQL/MariaDB, the family the LMS runs on, when `$RPT_PREVIEW_DB_SOCKET` names a server's unix
  socket: database `$RPT_PREVIEW_DB_NAME` (default `rpt_preview`), user `$RPT_PREVIEW_DB_USER`
  (default root, socket authentication, no password), charset utf8mb4 and transaction isolation
  READ COMMITTED (the level Django recommends for MySQL and the one Open edX deployments configure;
  InnoDB's own default, REPEATABLE READ, would let a transaction keep reading a stale snapshot).
  The concurrency tests (tests/concurrency/) serve the preview this way, with gunicorn
  (`rpt_course.preview.wsgi`).
- The index lists only the course: every installed XBlock class's own demo scenarios are hidden
  (the SDK's sample blocks, which `EXCLUDE_SAMPLE_XBLOCKS=yes` would hide, and any other
  `xblock.v1` entry point, e.g. our own blocks' `workbench_scenarios`).
- Django's own log records go to the log file only; the terminal shows one line per request.
- The blocks' records app (`rpt_xblocks.records`, the same tables as in the LMS) is installed and
  migrated at start.
- Our app is installed (it registers the course scenarios) and our URLconf serves the course's
  static files and our own pages (`views`: the course outline, the units in an LMS-like page without
  the workbench's debug panel, the live-reload long-poll) next to the workbench's own routes; our
  context processor (`navigation.page_context`) gives the pages the outline, and our middleware
  (`views.LiveCourseMiddleware`) keeps requests away from a course being swapped and shows the
  author's problems while the latest build failed.
- MathJax 3 is served by the preview itself, from the `django-static-mathjax` package (its Django
  app `mathjax`: static files under `/static/mathjax/`); nothing is loaded from elsewhere.
- The user service also gives the Open edX attributes our blocks read (`preview/users.py`):
  `?student=staff` previews as course staff.
- A `replace_urls` service, as the LMS gives blocks (`preview/links.py`): the links our blocks make
  to other units (`/jump_to_id/URL_NAME`) lead to the scenario page of the unit that holds it.
- `SECRET_KEY` is the preview's own, made once per state folder (`secret_key` in it): the workbench's
  is public, and it keys the quiz's stand-in ids.
- Only loopback host names are accepted in the Host header (`ALLOWED_HOSTS`), plus
  `$RPT_PREVIEW_HOST` when the server binds another loopback address.
"""
# pylint: disable=wildcard-import,unused-wildcard-import
from __future__ import annotations

import copy
import importlib.metadata
import os
import secrets
from pathlib import Path

from workbench.settings import *  # noqa: F401,F403  (the base settings, overridden below)
from workbench.settings import DJFS, INSTALLED_APPS, LOGGING, MIDDLEWARE, TEMPLATES, WORKBENCH

from rpt_course.preview.scenarios import SCENARIO_PREFIX

STATE_DIR = Path(os.environ.get("RPT_PREVIEW_STATE_DIR", "var/preview")).resolve()
STATE_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key(path: Path) -> str:
    """The preview's own secret (the workbench's SECRET_KEY is published with it): made once per state
    folder, kept in it, so stand-in ids and sessions stay the same across restarts."""
    try:
        with open(path, "x", encoding="utf-8") as made:  # exclusive: two processes starting make one
            made.write(secrets.token_urlsafe(48))
    except FileExistsError:
        pass
    return path.read_text("utf-8").strip()


SECRET_KEY = _secret_key(STATE_DIR / "secret_key")

DB_SOCKET = os.environ.get("RPT_PREVIEW_DB_SOCKET", "")

if DB_SOCKET:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "HOST": DB_SOCKET,  # a path: mysqlclient connects through the unix socket
            "NAME": os.environ.get("RPT_PREVIEW_DB_NAME", "rpt_preview"),
            "USER": os.environ.get("RPT_PREVIEW_DB_USER", "root"),
            "PASSWORD": "",
            "OPTIONS": {"charset": "utf8mb4", "isolation_level": "read committed"},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(STATE_DIR / "workbench.db"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

LOGGING = copy.deepcopy(LOGGING)
LOGGING["handlers"]["logfile"]["filename"] = str(STATE_DIR / "workbench.log")
# XBlock calls `logging.warning()` on the root logger, which installs a stderr handler there;
# without this, every DEBUG record of the `django` loggers (each SQL query, full error reports
# with all settings) would propagate to it and flood the terminal. They stay in the log file.
for _logger in ("django", "django.request"):
    LOGGING["loggers"][_logger]["propagate"] = False
# One line per request on the terminal (as plain `runserver` does), and in the log file.
LOGGING["handlers"]["requests"] = {"level": "INFO", "class": "logging.StreamHandler"}
LOGGING["loggers"]["django.server"] = {"handlers": ["requests", "logfile"], "level": "INFO", "propagate": False}

DJFS = {**DJFS, "directory_root": str(STATE_DIR / "djpyfs")}

SDK_SAMPLE_XBLOCKS = frozenset({
    # The list workbench/settings.py applies under EXCLUDE_SAMPLE_XBLOCKS=yes (xblock-sdk 0.15.2).
    "allscopes_demo", "attempts_scoreboard_demo", "equality_demo", "filethumbs", "helloworld_demo",
    "html_demo", "problem_demo", "sidebar_demo", "slider_demo", "textinput_demo", "thumbs",
    "view_counter_demo",
})
EXCLUDED_XBLOCKS = (set(SDK_SAMPLE_XBLOCKS) | {
    entry_point.name for entry_point in importlib.metadata.entry_points(group="xblock.v1")
}) - {SCENARIO_PREFIX}  # the index filters on the name before the first dot: never hide the course

_extra_host = os.environ.get("RPT_PREVIEW_HOST", "")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"] + (
    [f"[{_extra_host}]" if ":" in _extra_host else _extra_host] if _extra_host else []
)

INSTALLED_APPS = [*INSTALLED_APPS, "rpt_xblocks.records", "rpt_course.preview.apps.PreviewConfig", "mathjax"]

TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("rpt_course.preview.navigation.page_context")

MIDDLEWARE = ["rpt_course.preview.views.LiveCourseMiddleware", *MIDDLEWARE]

ROOT_URLCONF = "rpt_course.preview.urls"

WORKBENCH = {**WORKBENCH, "services": {**WORKBENCH["services"], "user": "rpt_course.preview.users.PreviewUserService",
                                        "replace_urls": "rpt_course.preview.links.PreviewReplaceURLService"}}
