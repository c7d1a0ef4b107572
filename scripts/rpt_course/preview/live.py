"""What the live preview shows now, and swapping it safely while pages are being served.

Contract:
- `generation()` is a number that changes every time the preview's course or its problems change
  (`publish_course`, `publish_problems`); it starts at the process's start time in milliseconds, so
  a restarted preview differs too. Pages embed it; `wait_for_generation(since, timeout)` blocks until
  the generation differs from `since` (or `timeout` seconds pass) and returns the current one: the
  preview's `/preview-events/` long-poll answers with it, and the page reloads when it changed.
- `problems()` is the author's problems of the latest build when it failed (the pages show them
  instead of the previous content), or `()` when the latest build succeeded.
- `publish_course(files)` makes `files` the previewed course: while no request is being served
  (every request runs inside `serving()`, the swap inside the write side of the same lock), it sets
  the course mapping, clears the workbench's usage-id registry and re-registers the scenarios, so
  every unit gets the same usage ids as before (learners' state is kept) and no request sees a
  half-registered course. Raises `ProblemsFound` (and keeps the previous course) if the files
  cannot be turned into scenarios.
- `watching()` says whether a watcher publishes here (the pages carry the reload script only then).
"""
from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Mapping, Sequence

from rpt_xblocks.author_input.problems import Problem


class ReadersWriterLock:
    """Many readers or one writer; a waiting writer stops new readers from starting (no starvation)."""

    def __init__(self):
        self._condition = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            while self._writer or self._writers_waiting:
                self._condition.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                if not self._readers:
                    self._condition.notify_all()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._writers_waiting += 1
            while self._writer or self._readers:
                self._condition.wait()
            self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._condition:
                self._writer = False
                self._condition.notify_all()


_lock = ReadersWriterLock()
_changed = threading.Condition()
_state = {"generation": int(time.time() * 1000), "problems": (), "watching": False}


def serving():
    """Context manager every request runs in (the preview's middleware): the course does not change meanwhile."""
    return _lock.reading()


def generation() -> int:
    return _state["generation"]


def problems() -> Sequence[Problem]:
    return _state["problems"]


def watching() -> bool:
    return _state["watching"]


def set_watching(on: bool) -> None:
    _state["watching"] = on


def wait_for_generation(since: int, timeout: float) -> int:
    """Block until the generation is not `since` or `timeout` seconds passed; the current generation."""
    with _changed:
        _changed.wait_for(lambda: _state["generation"] != since, timeout=timeout)
        return _state["generation"]


def _bump(problems_now: Sequence[Problem]) -> None:
    with _changed:
        _state["problems"] = tuple(problems_now)
        _state["generation"] = max(_state["generation"] + 1, int(time.time() * 1000))
        _changed.notify_all()


def publish_problems(found: Sequence[Problem]) -> None:
    """The latest build failed: show `found` instead of the course until a build succeeds."""
    _bump(found)


def publish_course(files: Mapping[str, bytes]) -> None:
    """Show `files` (an OLX mapping) from now on (see the module docstring)."""
    from rpt_course.preview import course_files
    from rpt_course.preview.scenarios import course_scenarios

    scenarios = course_scenarios(files)  # raises ProblemsFound before anything changes
    with _lock.writing():
        previous = course_files()
        try:
            _register(files, scenarios)
        except Exception:
            _register(previous, course_scenarios(previous), only_changed=False)
            raise
    from rpt_course.preview import links, navigation

    navigation.outline()  # made now, for the new course, rather than by the first page asked for after the bump
    links.course_jump_targets()
    _bump(())


def _register(files: Mapping[str, bytes], scenarios, only_changed: bool = True) -> None:
    """Make `files` the course and (re)register its scenarios, in one database transaction (the
    workbench stores every block's fields as it parses: one commit instead of hundreds).

    When the course still has the same units under the same names and titles (an edit inside units),
    only the scenarios whose XML changed are registered again, each with the usage ids it had: the
    workbench numbers a scenario's ids per scenario slug, so that slug's counters are reset first,
    and its `children` rows (which parsing appends to) are dropped, as the workbench's own
    `prep_for_scenario_loading` does for all. Otherwise (units added, moved or renamed, or two units
    sharing a slug) every scenario is registered afresh, as the workbench does at start.
    """
    from django.db import transaction
    from django.template.defaultfilters import slugify
    from workbench.models import XBlockState
    from workbench.runtime import ID_MANAGER
    from workbench.scenarios import SCENARIOS, add_xml_scenario, init_scenarios, remove_scenario

    from rpt_course.preview import set_course_files
    from rpt_course.preview.scenarios import SCENARIO_PREFIX

    set_course_files(files)
    shown = {name: scenario for name, scenario in SCENARIOS.items() if name.split(".")[0] == SCENARIO_PREFIX}
    slugs = [slugify(scenario.description) for scenario in SCENARIOS.values()]
    incremental = (only_changed and {name: s.description for name, s in shown.items()} ==
                   {name: description for name, description, _ in scenarios} and len(set(slugs)) == len(slugs))
    with transaction.atomic():
        if not incremental:
            ID_MANAGER.clear()
            init_scenarios()  # the wrapped one (apps.py): class + course scenarios
            return
        for name, description, xml in scenarios:
            if shown[name].xml == xml:
                continue
            slug = slugify(description)
            _forget_ids(ID_MANAGER, slug)
            XBlockState.objects.filter(scope="children", scenario=slug).delete()
            remove_scenario(name)
            add_xml_scenario(name, description, xml)


def _forget_ids(manager, slug: str) -> None:
    """Reset the workbench id manager's numbering of one scenario (`{slug}.…` ids), so that parsing the
    scenario again gives the same usage and definition ids (xblock-sdk 0.15's ScenarioIdManager)."""
    prefix = slug + "."
    for table in (manager._block_types_to_id_seq, manager._def_ids_to_id_seq,  # pylint: disable=protected-access
                  manager._usages, manager._definitions):  # pylint: disable=protected-access
        for key in [key for key in table if key.startswith(prefix)]:
            del table[key]
