"""Write the course model as OLX files (a mapping of archive paths to bytes).

Contract: `olx_files(course, pages, files=None)` returns `{"course/...": bytes}` laid out as
shared/reference/olx.md describes: pointer files for chapters, sequentials and verticals, HTML
blocks as `html/ID.xml` + `html/ID.html`, custom XBlocks inline in their vertical, policies,
grading policy, about and info pages, static files. url_names are the ids from course_content, so
they survive re-titling and re-ordering. The same model and pages always give the same bytes.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

from lxml import etree

from rpt_course.dates import olx_date
from rpt_course.model import Component, Course
from rpt_xblocks import OLX_TAGS
from rpt_xblocks.dosimetry.scenario_olx import TAG as WALKTHROUGH_TAG, scenario_to_xml
from rpt_xblocks.quiz.bank import TAG as QUIZ_TAG, quiz_to_xml
from rpt_xblocks.tracker.tracker_olx import TAG as TRACKER_TAG, tracker_to_xml

TOP = "course"


@dataclass(frozen=True)
class Pages:
    """Rendered XHTML: one body per lesson component id, each quiz's (settings, questions), each
    walkthrough's (scenario, settings), and the about/info pages."""

    lessons: Mapping[str, str]
    quizzes: dict[str, tuple]
    walkthroughs: dict[str, tuple]
    trackers: dict[str, tuple]
    figures: dict[str, bytes]  # static name -> SVG drawn from the physics code
    overview: str
    handouts: str
    updates: str


def _xml(element: etree._Element) -> bytes:
    return etree.tostring(element, encoding="utf-8", xml_declaration=False, pretty_print=True)


def _element(tag: str, **attributes: str) -> etree._Element:
    element = etree.Element(tag)
    for name, value in attributes.items():
        if value is not None:
            element.set(name, value)
    return element


def _json(data) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def olx_files(course: Course, pages: Pages, files: MutableMapping[str, bytes] | None = None) -> MutableMapping[str, bytes]:
    """The OLX, stored into `files` (a new dict if None; a build may pass a mapping that writes each
    file out as it is stored) and returned."""
    files = {} if files is None else files
    run = course.run
    files[f"{TOP}/course.xml"] = _xml(_element("course", url_name=run, org=course.org, course=course.number))

    root = _element("course", display_name=course.title, start=olx_date(course.start), end=olx_date(course.end),
                    language=course.language, course_image=course.course_image)
    for module in course.modules:
        etree.SubElement(root, "chapter", url_name=module.id)
        chapter = _element("chapter", display_name=module.title)
        for section in module.sections:
            etree.SubElement(chapter, "sequential", url_name=section.id)
            sequential = _element("sequential", display_name=section.title,
                                  start=olx_date(section.start) if section.start else None,
                                  due=olx_date(section.due) if section.due else None)
            if section.format:
                sequential.set("graded", "true")
                sequential.set("format", section.format)
            for unit in section.units:
                etree.SubElement(sequential, "vertical", url_name=unit.id)
                vertical = _element("vertical", display_name=unit.title)
                for component in unit.components:
                    vertical.append(_component(component, pages, files))
                files[f"{TOP}/vertical/{unit.id}.xml"] = _xml(vertical)
            files[f"{TOP}/sequential/{section.id}.xml"] = _xml(sequential)
        files[f"{TOP}/chapter/{module.id}.xml"] = _xml(chapter)
    files[f"{TOP}/course/{run}.xml"] = _xml(root)

    tags = {"quiz": QUIZ_TAG, "walkthrough": WALKTHROUGH_TAG, "tracker": TRACKER_TAG}
    used_tags = sorted({tags[c.kind] for c in course.components if c.kind in tags} & set(OLX_TAGS))
    files[f"{TOP}/policies/{run}/policy.json"] = _json({f"course/{run}": {"advanced_modules": used_tags}})
    files[f"{TOP}/policies/{run}/grading_policy.json"] = _json({
        "GRADER": [{"type": g.type, "short_label": g.short_label, "weight": g.weight,
                    "min_count": g.min_count, "drop_count": g.drop_count} for g in course.graders],
        "GRADE_CUTOFFS": course.cutoffs,
    })
    files[f"{TOP}/policies/assets.json"] = _json({})
    files[f"{TOP}/about/overview.html"] = pages.overview.encode("utf-8")
    files[f"{TOP}/about/short_description.html"] = _escape(course.short_description).encode("utf-8")
    files[f"{TOP}/info/handouts.html"] = pages.handouts.encode("utf-8")
    files[f"{TOP}/info/updates.html"] = pages.updates.encode("utf-8")
    for name, path in course.static_files.items():
        files[f"{TOP}/static/{name}"] = path.read_bytes()
    for name, svg in pages.figures.items():
        files[f"{TOP}/static/{name}"] = svg
    return files


def _component(component: Component, pages: Pages, files: MutableMapping[str, bytes]) -> etree._Element:
    if component.kind in ("lesson", "sources", "objectives"):  # the bibliography and objectives: pages the build writes
        files[f"{TOP}/html/{component.id}.xml"] = _xml(_element("html", filename=component.id,
                                                                display_name=component.title))
        files[f"{TOP}/html/{component.id}.html"] = pages.lessons[component.id].encode("utf-8")
        return _element("html", url_name=component.id)
    if component.kind == "quiz":
        settings, questions = pages.quizzes[component.id]
        return quiz_to_xml(settings, questions, url_name=component.id)
    if component.kind == "walkthrough":
        scenario, settings = pages.walkthroughs[component.id]
        element = scenario_to_xml(scenario, url_name=component.id)
        element.set("step_attempts", str(settings["step_attempts"]))
        element.set("weight", repr(float(settings["weight"])))
        return element
    if component.kind == "tracker":
        title, set_ids, institution_sets = pages.trackers[component.id]
        element = tracker_to_xml(title, set_ids, institution_sets)
        element.set("url_name", component.id)
        return element
    raise ValueError(f"no OLX writer for component kind {component.kind!r}")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
