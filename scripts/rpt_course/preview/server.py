"""Start the workbench on a built course: `serve` (Django's development server) or `wsgi_application`.

Both go through `prepare`: set the course mapping, `DJANGO_SETTINGS_MODULE=rpt_course.preview.settings`,
`django.setup()`, `migrate`, register the scenarios. Django is configured once per process, so a
process keeps one state folder (a later `prepare` may swap the course, not the folder).
"""
from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path

from rpt_course.preview import set_course_files

SETTINGS_MODULE = "rpt_course.preview.settings"
DEFAULT_STATE_DIR = "var/preview"


def serve(
    files: Mapping[str, bytes],
    host: str = "127.0.0.1",
    port: int = 8000,
    state_dir: str | os.PathLike[str] | None = None,
    watch_content: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> None:
    """Serve the course in `files` on http://host:port/ until interrupted (blocks).

    With `watch_content` (the content folder `files` was built from), a watcher rebuilds the course
    when a file in it changes (with the build cache in `cache_dir`, if given) and the open pages
    reload themselves (`watch.py`, `live.py`); a build that fails shows its problems in the pages.

    `host` must be a loopback address or `localhost` (ValueError otherwise, before anything starts).
    `state_dir` holds the workbench database and log; None means `$RPT_PREVIEW_STATE_DIR`, else
    `var/preview` under the current folder. Runs without the autoreloader: the reloader's child
    process would not have the course mapping.
    """
    ip_version = _loopback_ip_version(host)

    from django.core.management import call_command

    os.environ["RPT_PREVIEW_HOST"] = host
    prepare(files, state_dir)
    if watch_content is not None:
        from rpt_course.preview import live
        from rpt_course.preview.watch import ContentWatcher, rebuild_and_publish

        content = Path(watch_content)
        cache = Path(cache_dir) if cache_dir is not None else None
        live.set_watching(True)
        ContentWatcher(content, lambda: rebuild_and_publish(content, cache)).start()
        print(f"Watching {content}/ — a save rebuilds the course and reloads the open pages.", flush=True)
    if ip_version == 6:
        call_command("runserver", f"[{host}]:{port}", "--noreload", "--ipv6")
    else:
        call_command("runserver", f"{host}:{port}", "--noreload")


def wsgi_application(files: Mapping[str, bytes], state_dir: str | os.PathLike[str] | None = None):
    """The preview as a WSGI application, configured exactly as `serve` does, without a server."""
    from django.core.wsgi import get_wsgi_application

    prepare(files, state_dir)
    return get_wsgi_application()


def prepare(files: Mapping[str, bytes], state_dir: str | os.PathLike[str] | None = None) -> Path:
    """Set the course, configure Django with the preview settings, migrate and register the scenarios.

    Returns the state folder. Raises `ProblemsFound` if the course cannot be turned into scenarios,
    RuntimeError if Django is already configured with other settings or state folder in this process.
    Calling it again in the same process with other `files` replaces the previewed course.
    """
    import django
    from django.conf import settings
    from django.core.management import call_command

    if state_dir is not None:
        os.environ["RPT_PREVIEW_STATE_DIR"] = str(Path(state_dir).resolve())
    os.environ.setdefault("RPT_PREVIEW_STATE_DIR", str(Path(DEFAULT_STATE_DIR).resolve()))
    configured = os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    if configured != SETTINGS_MODULE:
        raise RuntimeError(f"DJANGO_SETTINGS_MODULE is {configured!r}; the preview needs {SETTINGS_MODULE!r}")
    set_course_files(files)
    django.setup()
    if state_dir is not None and Path(settings.STATE_DIR) != Path(state_dir).resolve():
        raise RuntimeError(f"this process already previews with state in {settings.STATE_DIR}, not {state_dir}")
    call_command("migrate", verbosity=0)

    from workbench.scenarios import init_scenarios  # the wrapped one (see apps.py): class + course scenarios

    from django.db import transaction

    with transaction.atomic():  # the workbench stores each block's fields as it parses: one commit, not hundreds
        init_scenarios()  # now, so that a broken course fails here rather than on the first page
    return Path(settings.STATE_DIR)


def _loopback_ip_version(host: str) -> int:
    """4 or 6 for a loopback host (`localhost` counts as 4); ValueError for anything else."""
    if host == "localhost":
        return 4
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None or not address.is_loopback:
        raise ValueError(
            f"refusing to serve the preview on {host!r}: use a loopback address such as 127.0.0.1 "
            "(the workbench has no login and runs with DEBUG on)"
        )
    return address.version
