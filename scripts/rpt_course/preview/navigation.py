"""The course outline and previous/next of the previewed course, for the preview's page templates.

Contract: `outline()` describes the course now previewed (`course_files()`), made once per course
mapping: its title, its modules -> sections -> units (each unit with its scenario name, title and
page URL) and the units in course order. `page_context(request)` is a Django context processor:
on every page it gives `course` (that outline), `unit` / `previous_unit` / `next_unit` on a unit's
page (None elsewhere), `student_query` (`?student=ID` when the request names a learner, so links
keep previewing as that learner, else ""), `live_generation` (see `live`; None when nothing
watches the content, and the pages then carry no reload script) and `preview_problems`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from rpt_course.preview import live, per_course
from rpt_course.preview.scenarios import course_outline, scenario_url


@dataclass(frozen=True)
class OutlineUnit:
    name: str
    title: str
    module: str
    section: str
    url: str
    position: int


@dataclass
class OutlineSection:
    title: str
    units: list[OutlineUnit] = field(default_factory=list)


@dataclass
class OutlineModule:
    title: str
    sections: list[OutlineSection] = field(default_factory=list)


@dataclass
class Outline:
    title: str
    modules: list[OutlineModule]
    units: list[OutlineUnit]

    def position_of(self, scenario_name: str) -> int | None:
        return next((unit.position for unit in self.units if unit.name == scenario_name), None)


def make_outline(files) -> Outline:
    title, entries = course_outline(files)
    modules: list[OutlineModule] = []
    units: list[OutlineUnit] = []
    for position, (name, (module, section, unit_title)) in enumerate(entries):
        if not modules or modules[-1].title != module:
            modules.append(OutlineModule(module))
        sections = modules[-1].sections
        if not sections or sections[-1].title != section:
            sections.append(OutlineSection(section))
        unit = OutlineUnit(name, unit_title, module, section, scenario_url(name), position)
        sections[-1].units.append(unit)
        units.append(unit)
    return Outline(title, modules, units)


outline = per_course(make_outline)
"""The Outline of the course previewed now, made once per course mapping."""


def page_context(request) -> dict:
    course = outline()
    match = getattr(request, "resolver_match", None)
    scenario_name = match.kwargs.get("scenario_id") if match else None
    position = course.position_of(scenario_name) if scenario_name else None
    student = request.GET.get("student")
    return {
        "course": course,
        "unit": course.units[position] if position is not None else None,
        "previous_unit": course.units[position - 1] if position else None,
        "next_unit": course.units[position + 1] if position is not None and position + 1 < len(course.units) else None,
        "student_query": "?" + urlencode({"student": student}) if student else "",
        "live_generation": live.generation() if live.watching() else None,
        "preview_problems": live.problems(),
    }
