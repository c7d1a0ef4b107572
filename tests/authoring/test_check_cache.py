"""Clean verdicts of the YAML checks kept in the build cache (scripts/rpt_course/caches/check_cache.py): a
warm rebuild checks no unchanged YAML file again and builds the same files; a mistake written into
a file found clean before is reported at its line on the next build, as without the cache; only
clean verdicts are kept; an entry made by other checking code is not used (damaged and foreign
entries: tests/authoring/test_render_cache.py, test_a_bad_entry_is_computed_again). No timing is asserted: lookups are counted, entries are files."""
from __future__ import annotations

from dataclasses import replace

import pytest

from rpt_course.caches import check_cache
from rpt_course.build import build_files
from rpt_course.caches.build_cache import BuildCache
from rpt_course.course_schemas import course_schema
from rpt_xblocks.author_input.problems import ProblemsFound
from rpt_xblocks.author_input.schema_check import load_checked_yaml
from rpt_xblocks.dosimetry.scenario import scenario_errors, scenario_from_data

WALKTHROUGH = "intro/walkthroughs/decay.yaml"
MODULE = "intro/module.yaml"


def _problems(content, cache) -> list[str]:
    with pytest.raises(ProblemsFound) as found:
        build_files(content, cache=cache)
    return [str(problem) for problem in found.value.problems]


def _edit(content, relative, old, new):
    path = content / relative
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")


def test_a_warm_rebuild_checks_no_unchanged_yaml_again(good_course, tmp_path):
    folder = tmp_path / "cache"
    cold = BuildCache(folder)
    _course, first = build_files(good_course, cache=cold)
    assert cold.checked.hits == 0 and cold.checked.misses > 0
    warm = BuildCache(folder)
    _course, second = build_files(good_course, cache=warm)
    assert (warm.checked.hits, warm.checked.misses) == (cold.checked.misses, 0)
    assert second == first == build_files(good_course, cache=None)[1]


@pytest.mark.parametrize("relative, old, new, reported", [
    (WALKTHROUGH, "formula: A0 * remaining", "formula: A0 * remaining / (t - t)",
     f"{WALKTHROUGH}:20: step 'activity'"),
    (WALKTHROUGH, "formula: A0 * remaining", "formula: A0 * remaining * 1 h", f"{WALKTHROUGH}:20: step 'activity'"),
    (WALKTHROUGH, "step_attempts: 2", "step_attempts: two", f"{WALKTHROUGH}:3: 'step_attempts' must be"),
    (MODULE, "title: Introduction", "titel: Introduction", f"{MODULE}:2: unknown key 'titel'"),
])
def test_a_mistake_written_into_a_file_found_clean_is_reported_at_its_line(good_course, tmp_path, relative, old, new,
                                                                           reported):
    folder = tmp_path / "cache"
    build_files(good_course, cache=BuildCache(folder))
    _edit(good_course, relative, old, new)
    warm = BuildCache(folder)
    found = _problems(good_course, warm)
    assert warm.checked.hits > 0, "the files that did not change came from the cache"
    assert any(problem.startswith(reported) for problem in found), found
    assert found == _problems(good_course, None), "the same problems as without a cache"
    again = BuildCache(folder)
    assert _problems(good_course, again) == found, "a file with problems is checked on every build"
    assert again.checked.misses == 1, "only the check that found the mistake ran again: no verdict was kept for it"


def test_only_clean_verdicts_are_kept(tmp_path):
    memo = BuildCache(tmp_path / "cache").checked
    bad = tmp_path / "walkthrough.yaml"
    bad.write_text("title: x\nsteps: []\nbogus: 1\n", "utf-8")
    problems = []
    assert load_checked_yaml(bad, "walkthrough.yaml", course_schema("walkthrough.schema.json"), problems, memo) is None
    assert problems and not (tmp_path / "cache").exists()
    again = []
    load_checked_yaml(bad, "walkthrough.yaml", course_schema("walkthrough.schema.json"), again, memo)
    assert [str(p) for p in again] == [str(p) for p in problems] and memo.hits == 0


def test_a_scenario_check_is_skipped_only_for_the_same_scenario(good_course, tmp_path):
    from rpt_xblocks.author_input.yaml_source import load_yaml
    data, _lines, _found = load_yaml(good_course / WALKTHROUGH, WALKTHROUGH)
    memo = BuildCache(tmp_path).checked
    scenario = scenario_from_data(data)
    assert scenario_errors(scenario, memo) == [] and memo.misses == 1
    assert scenario_errors(scenario_from_data(data), memo) == [] and memo.hits == 1
    broken = scenario_from_data({**data, "steps": [{**data["steps"][0], "formula": "1 / (t - t)"}]})
    assert scenario_errors(broken, memo) == scenario_errors(broken) != []
    assert memo.hits == 1


def test_a_verdict_of_other_checking_code_is_not_used(good_course, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    cold = BuildCache(folder)
    _course, first = build_files(good_course, cache=cold)
    monkeypatch.setattr(check_cache, "CHECKING", replace(check_cache.CHECKING, libraries=("other checks",)))
    other = BuildCache(folder)
    assert build_files(good_course, cache=other)[1] == first
    assert other.checked.hits == 0 and other.checked.misses == cold.checked.misses
    assert other.rendered.misses == 0, "rendered texts do not depend on the checks"


def test_the_scenario_key_repr_shows_every_field_of_every_part():
    """The scenario check is keyed by `repr(scenario)`: a field left out of a repr would let a changed
    scenario reuse a clean verdict. Every dataclass a Scenario is made of must show all its fields."""
    import dataclasses
    import typing

    from rpt_xblocks.dosimetry import scenario

    seen, todo = set(), [scenario.Scenario]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            assert field.repr, f"{cls.__name__}.{field.name} is left out of repr"
            for part in (hints[field.name], *typing.get_args(hints[field.name])):
                for inner in (part, *typing.get_args(part)):
                    if dataclasses.is_dataclass(inner):
                        todo.append(inner)
    assert {scenario.Parameter, scenario.Step, scenario.Plot} <= seen
