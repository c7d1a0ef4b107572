"""The preview's Django app: registers the course's units as workbench scenarios.

The workbench rebuilds its scenario registry with `workbench.scenarios.init_scenarios()`: lazily
on the first request (`get_scenarios`) and again on every "Reset State"
(`workbench.runtime_util.reset_global_state`, which imported the function by name). `ready()`
replaces the function in both modules with a wrapper that first runs the original (the
installed classes' scenarios, which start by clearing the registry) and then adds one scenario
per course unit with `workbench.scenarios.add_xml_scenario`, so the course survives every rebuild.
"""
from __future__ import annotations

import functools

from django.apps import AppConfig


class PreviewConfig(AppConfig):
    """`rpt_course.preview` as a Django app (no models, no migrations)."""

    name = "rpt_course.preview"
    label = "rpt_course_preview"
    verbose_name = "rpt-course preview"

    def ready(self) -> None:
        from workbench import runtime_util, scenarios  # imported here: needs configured settings

        if getattr(scenarios.init_scenarios, "adds_course_scenarios", False):
            return  # already wrapped (ready() ran twice in this process)
        wrapped = with_course_scenarios(scenarios.init_scenarios)
        scenarios.init_scenarios = wrapped
        runtime_util.init_scenarios = wrapped


def with_course_scenarios(init_scenarios):
    """Wrap the workbench's `init_scenarios` so that it also registers the course's units."""

    @functools.wraps(init_scenarios)
    def init_class_and_course_scenarios():
        from workbench.scenarios import add_xml_scenario

        from rpt_course.preview import course_files
        from rpt_course.preview.scenarios import course_scenarios

        init_scenarios()
        for name, description, xml in course_scenarios(course_files()):
            add_xml_scenario(name, description, xml)

    init_class_and_course_scenarios.adds_course_scenarios = True
    return init_class_and_course_scenarios
