"""A practice round of a walkthrough: new numbers, answers checked, nothing graded or stored.

Contract: `practice_parameters(scenario, seed_key, round_number)` draws the round's parameters,
seeded by the learner's key and the round (the same learner and round always get the same numbers;
another round gets others where the ranges allow). `practice_start(...)` is the round's first view:
`{"round", "parameters" (as walkthrough_view.parameter_list), "step_count", "step"}`;
`practice_step(scenario, parameters, index)` is one step's view (`id`, `number`, `prompt` filled in
with the round's numbers and earlier steps' values, `unit`, `percent`).
`practice_answer(scenario, parameters, step_id, answer, reveal, gettext)` checks an answer
(step_check.py) or, with `reveal`, gives up on the step; it returns `{"step", "correct", "message",
"diagnosis"}` plus, once the step is answered right or revealed, its `reference`, `explanation`
and the `next` step's view (None after the last), or None when `step_id` names no step.
The graded record (attempts.py) is never read or written here.
"""
from __future__ import annotations

from rpt_xblocks.dosimetry.scenario import Scenario, expected_values, learner_parameters
from rpt_xblocks.dosimetry.step_check import check_answer
from rpt_xblocks.dosimetry.walkthrough_view import (fill_placeholders, parameter_list, parameter_texts,
                                                    reference_text, step_texts)
from rpt_xblocks.sanitizing import sanitize

MAX_ROUND = 1000


def practice_parameters(scenario: Scenario, seed_key: str, round_number: int) -> dict:
    return learner_parameters(scenario, f"{seed_key}|practice|{round_number}")


def _known(scenario: Scenario, parameters: dict, count: int) -> dict:
    return {**parameters, **expected_values(scenario, parameters, count)}


def practice_step(scenario: Scenario, parameters: dict, index: int) -> dict:
    step = scenario.steps[index]
    figures, percent = step_texts(scenario)
    prompt = fill_placeholders(sanitize(step.prompt), _known(scenario, parameters, index),
                               parameter_texts(scenario, parameters), figures, percent)
    return {"id": step.id, "number": index + 1, "prompt": prompt, "unit": step.unit, "percent": step.percent}


def practice_start(scenario: Scenario, parameters: dict, round_number: int) -> dict:
    return {"round": round_number, "step_count": len(scenario.steps),
            "parameters": parameter_list(scenario, parameter_texts(scenario, parameters)),
            "step": practice_step(scenario, parameters, 0) if scenario.steps else None}


def practice_answer(scenario: Scenario, parameters: dict, step_id, answer, reveal: bool, gettext) -> dict | None:
    index = next((i for i, s in enumerate(scenario.steps) if s.id == step_id), None)
    if index is None:
        return None
    step = scenario.steps[index]
    known = _known(scenario, parameters, index + 1)
    reply = {"step": step.id, "correct": False, "message": "", "diagnosis": ""}
    if not reveal:
        checked = check_answer(step, answer, known[step.id], known, gettext)
        reply.update(correct=checked.correct, message=checked.message, diagnosis=checked.diagnosis,
                     refused=checked.refused)
        if not checked.correct:
            return reply
    figures, percent = step_texts(scenario)
    reply["reference"] = reference_text(step, known[step.id])
    reply["explanation"] = fill_placeholders(sanitize(step.explanation), known, parameter_texts(scenario, parameters),
                                             figures, percent)
    reply["next"] = practice_step(scenario, parameters, index + 1) if index + 1 < len(scenario.steps) else None
    return reply
