"""URLs of the preview: the course's static files, our own pages (`views`: the outline at `/`, each unit
at `/scenario/NAME/`, the live-reload long-poll at `/preview-events/`), then every workbench route.

`/course-static/NAME` answers with the bytes of `course/static/NAME` from the previewed OLX
mapping, with the content type guessed from the name; 404 for any other name. NAME is limited to
`[A-Za-z0-9._-]+` (the OLX rule for static files), and only keys of the in-memory mapping are
looked up, so no path ever reaches the file system.
"""
from __future__ import annotations

import mimetypes

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, re_path

from rpt_course.preview import course_files, views
from rpt_course.preview.scenarios import COURSE_STATIC_URL

STATIC_NAME = r"[A-Za-z0-9._-]+"


def course_static_file(_request: HttpRequest, name: str) -> HttpResponse:
    """Serve `course/static/<name>` from the previewed course, or 404."""
    data = course_files().get(f"course/static/{name}")
    if data is None:
        raise Http404(f"no course/static/{name} in this course")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    re_path(rf"^{COURSE_STATIC_URL.strip('/')}/(?P<name>{STATIC_NAME})$", course_static_file, name="course_static"),
    re_path(r"^$", views.outline_page, name="rpt_preview_outline"),
    re_path(r"^scenario/(?P<scenario_id>[^/]+)/$", views.unit_page, name="rpt_preview_unit"),
    re_path(r"^scenario/(?P<scenario_id>[^/]+)/(?P<view_name>[^/]+)/$", views.unit_page, name="rpt_preview_unit_view"),
    re_path(r"^preview-events/$", views.preview_events, name="rpt_preview_events"),
    re_path(r"", include("workbench.urls")),
]
