"""Preview of a built course in the xblock-sdk workbench.

The course reaches the workbench as an OLX file mapping (archive path -> bytes, as built by the
authoring command). `set_course_files` must be called before `django.setup()` in the same
process; the preview's Django app reads the mapping back with `course_files` whenever the
workbench (re)builds its scenarios and whenever a course static file is requested.

Modules: `scenarios` (pure: OLX mapping -> workbench scenarios), `links` (the blocks' links), `settings`, `apps`, `urls`
(Django wiring), `views` + `templates/` + `static/` (the LMS-like outline and unit pages, the live-reload
long-poll), `navigation` (outline, previous/next), `watch` (the content watcher and rebuild), `live` (what
is shown now and the swap), `server` (start the workbench). This module imports no Django.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TypeVar

T = TypeVar("T")

_course_files: Mapping[str, bytes] | None = None


def set_course_files(files: Mapping[str, bytes]) -> None:
    """Make `files` (OLX archive path -> bytes) the course this process previews.

    A read-only copy is kept, so later changes to `files` do not leak into the preview.
    """
    global _course_files
    _course_files = MappingProxyType(dict(files))


def course_files() -> Mapping[str, bytes]:
    """The mapping given to `set_course_files`; RuntimeError if it was never called."""
    if _course_files is None:
        raise RuntimeError(
            "no course to preview: call rpt_course.preview.set_course_files(files) before django.setup()"
        )
    return _course_files


def per_course(make: Callable[[Mapping[str, bytes]], T]) -> Callable[[], T]:
    """A function returning `make(course_files())`, made again only when the previewed course
    mapping is replaced (by `set_course_files`, e.g. after a live rebuild), else the kept value."""
    made: list = [None, None]  # [the mapping it was made from, the value]

    def current() -> T:
        files = course_files()
        if made[0] is not files:
            made[:] = [files, make(files)]
        return made[1]
    return current
