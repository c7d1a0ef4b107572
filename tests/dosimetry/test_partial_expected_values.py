"""check_step evaluates only the steps up to the one checked, with formulas read once per process:
both give exactly what evaluating every step with freshly read formulas gives (every shipped
walkthrough, several learners)."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest
from lxml import etree

from rpt_course.build import build_files
from rpt_xblocks.dosimetry.formula import Formula, FormulaError, evaluate, parsed
from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters
from rpt_xblocks.dosimetry.scenario_olx import scenario_from_xml

CONTENT = Path(__file__).resolve().parents[2] / "course_content"


@functools.cache
def shipped_scenarios() -> list:
    _, files = build_files(CONTENT)
    found = []
    for name, data in sorted(files.items()):
        if name.startswith("course/vertical/"):
            for element in etree.fromstring(data).iter("rpt_dosimetry"):
                scenario, errors = scenario_from_xml(element)
                assert errors == []
                found.append(scenario)
    assert found
    return found


def _fresh_expected(scenario, parameters) -> dict:
    """The reference: every step, each formula read anew (what check_step did before)."""
    values, results = dict(parameters), {}
    for step in scenario.steps:
        results[step.id] = values[step.id] = expected_values(
            type(scenario)(title=scenario.title, parameters=scenario.parameters, steps=(step,)), values)[step.id]
    return results


@pytest.mark.parametrize("learner", ["ann", "bob", "a learner with a long anonymous id 0123456789"])
def test_the_first_count_values_are_those_of_the_whole_evaluation(learner):
    for scenario in shipped_scenarios():
        parameters = learner_parameters(scenario, learner)
        whole = expected_values(scenario, parameters)
        assert list(whole) == [s.id for s in scenario.steps]
        for count in range(len(scenario.steps) + 1):
            partial = expected_values(scenario, parameters, count)
            assert list(partial) == [s.id for s in scenario.steps[:count]]
            assert all(repr(partial[k]) == repr(whole[k]) for k in partial)
        assert {k: repr(v) for k, v in _fresh_expected(scenario, parameters).items()} == {k: repr(v) for k, v in whole.items()}


def test_a_formula_read_once_evaluates_as_one_read_anew():
    for scenario in shipped_scenarios():
        values = dict(learner_parameters(scenario, "ann"))
        for step in scenario.steps:
            shared, fresh = parsed(step.formula), Formula(step.formula)
            assert shared is parsed(step.formula) and shared.names == fresh.names
            twice = [repr(evaluate(shared, values)) for _ in range(2)]  # evaluating leaves the tree as it was
            assert twice == [repr(evaluate(fresh, values))] * 2
            values[step.id] = evaluate(fresh, values)


@pytest.mark.parametrize("text", ["", "2 +", "x.y", "9" * 600, "exp(1, 2)", "q(1, \"nope\")"])
def test_a_bad_formula_read_once_raises_as_formula_does_each_time(text):
    with pytest.raises(FormulaError) as fresh:
        Formula(text)
    for _ in range(2):
        with pytest.raises(FormulaError) as shared:
            parsed(text)
        assert shared.value.message == fresh.value.message
