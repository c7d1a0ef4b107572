"""What a learner does in the preview of the real course, shared by the course browser tests:
complete a walkthrough with every step right, and answer a quiz with every drawn question right.

The learner's own numbers are computed here as the block computes them (the scenario from the
built OLX, seeded with "<user id>|<usage id>"; in the workbench the user id is the ?student= value),
and the numbers the page shows are checked against them first, so a wrong seed fails clearly.
Quiz answers come from the bank in the built OLX, looked up by each drawn question's id.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters
from rpt_xblocks.dosimetry.walkthrough_view import parameter_texts


def typed(value, unit: str, percent: bool = False) -> str:
    """A reference value as a learner would type it, with its unit (a percentage with its % sign)."""
    number = value.m_as(unit) if unit else float(value)
    return f"{number:.6g}%" if percent else f"{number:.6g} {unit}".strip()


def complete_walkthrough(page, scenario, student: str):
    """Answer every step right; returns the walkthrough's region."""
    walkthrough = page.get_by_role("region", name=scenario.title, exact=True)
    steps = len(scenario.steps)
    expect(walkthrough.get_by_role("heading", name=f"Step 1 of {steps}")).to_be_visible()
    usage = walkthrough.locator("xpath=ancestor::*[@data-block-type='rpt_dosimetry'][1]").get_attribute("data-usage")
    parameters = learner_parameters(scenario, f"{student}|{usage}")
    expected = expected_values(scenario, parameters)
    shown = walkthrough.get_by_role("definition")  # the learner's numbers: <dd> "value (citation)"
    expect(shown).to_have_count(len(scenario.parameters))
    expect(walkthrough.get_by_role("term")).to_have_text([p.label for p in scenario.parameters])
    texts = parameter_texts(scenario, parameters)
    for index, parameter in enumerate(scenario.parameters):
        value = re.escape(texts[parameter.name])
        expect(shown.nth(index)).to_have_text(re.compile(rf"^{value}( \(.*\))?$"))
    for number, step in enumerate(scenario.steps, start=1):
        expect(walkthrough.get_by_role("heading", name=f"Step {number} of {steps}")).to_be_visible()
        answer = walkthrough.get_by_label(re.compile("^Your answer"))
        answer.fill(typed(expected[step.id], step.unit, step.percent))
        answer.press("Enter")
        expect(walkthrough.locator(".rpt-walkthrough-done")).to_have_count(number)
        expect(walkthrough.locator(".rpt-walkthrough-done .rpt-walkthrough-correct")).to_have_count(number)
    expect(walkthrough.get_by_text(f"Steps right: {steps} of {steps}")).to_be_visible()
    return walkthrough


def answer_quiz_right(quiz, questions: dict) -> int:
    """Answer every drawn question on the page right from `questions` (id -> bank Question), as a
    learner does: choices and steps by their text (their ids are the learner's stand-ins); returns
    how many were drawn."""
    from rpt_xblocks.quiz.learner_view import plain_text

    fieldsets = quiz.locator("fieldset.rpt-quiz-question")
    expect(fieldsets.first).to_be_visible()
    drawn = fieldsets.count()
    for index in range(drawn):
        fieldset = fieldsets.nth(index)
        question = questions[fieldset.get_attribute("data-id")]
        if question.type in ("single", "multiple"):
            for choice in question.choices:
                if choice.correct:
                    fieldset.get_by_label(plain_text(choice.text), exact=True).check()
        elif question.type == "truefalse":
            fieldset.locator(f'input[value="{"true" if question.answer else "false"}"]').check()
        elif question.type == "numeric":
            fieldset.get_by_role("textbox").fill(f"{question.answer:.6g} {question.unit}".strip())
        elif question.type == "ordering":
            for target, item in enumerate(question.items):  # items are kept in their right order
                text = plain_text(item.text)
                shown = [li.get_attribute("data-id") for li in fieldset.locator("li").all()]
                mine = fieldset.locator("li").filter(has_text=text).first.get_attribute("data-id")
                for _ in range(shown.index(mine) - target):
                    fieldset.locator(f'li[data-id="{mine}"] button').first.click()
    return drawn
