"""The preview's own pages, on top of the workbench's views.

- `outline_page`: the course outline (modules -> sections -> units), in place of the workbench's
  list of scenarios.
- `unit_page`: one unit, rendered by the workbench's own `show_scenario` into our template
  (`rpt_preview/unit.html`: the LMS-like page with outline and previous/next, and none of the
  workbench's debug panel, which prints each scenario's OLX — for a quiz, its answer key).
- `preview_events`: the live-reload long-poll: `GET /preview-events/?since=N` answers
  `{"generation": G}` as soon as the preview's generation differs from N, or after `LONG_POLL_SECONDS`
  with the unchanged one; the page reloads when G is not the generation it was rendered at.
- `LiveCourseMiddleware`: every request but the long-poll runs while the course cannot change
  (`live.serving()`); while the latest build failed, the outline and unit pages show the author's
  problems (path:line) instead of the previous content.
"""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET
from workbench import views as workbench_views

from rpt_course.preview import live

LONG_POLL_SECONDS = 25.0
EVENTS_PATH = "/preview-events/"
_PAGE_PREFIXES = ("/scenario/",)


@ensure_csrf_cookie
def outline_page(request: HttpRequest) -> HttpResponse:
    return render(request, "rpt_preview/outline.html")


def unit_page(request: HttpRequest, scenario_id: str, view_name: str = "student_view") -> HttpResponse:
    return workbench_views.show_scenario(request, scenario_id, view_name, template="rpt_preview/unit.html")


@require_GET
def preview_events(request: HttpRequest) -> JsonResponse:
    try:
        since = int(request.GET.get("since", ""))
    except ValueError:
        return JsonResponse({"generation": live.generation()})
    response = JsonResponse({"generation": live.wait_for_generation(since, LONG_POLL_SECONDS)})
    response["Cache-Control"] = "no-store"
    return response


class LiveCourseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == EVENTS_PATH:
            return self.get_response(request)
        with live.serving():
            if live.problems() and (request.path == "/" or request.path.startswith(_PAGE_PREFIXES)):
                response = render(request, "rpt_preview/problems.html", status=503)
            else:
                response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response = response.render()
            return response
