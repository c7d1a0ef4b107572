"""Issue 16, depth: every teaching module holds at least 3,000 words of lessons and at least 25 cited
questions in its banks; the course holds at least 350 questions and at least 12 walkthroughs.

Counted from course_content/ as authors write it: a teaching module is one with a lesson that is not
marked `assessment: true` (the final exam); its lesson words are the whitespace-separated words
(`wc -w`) of the Markdown files its module.yaml lists as lessons; its cited questions are the
questions with a non-empty `citation` in the quiz banks it lists (every question of a bank, not only
those drawn for one learner). The course's questions are every question of every bank, the final
exam's included; its walkthroughs are the walkthrough components. The counts are printed as a table
(`pytest -s tests/authoring/test_course_depth.py`) and shown in every failure message.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "course_content"
MIN_MODULE_WORDS = 3_000
MIN_MODULE_CITED_QUESTIONS = 25
MIN_COURSE_QUESTIONS = 350
MIN_COURSE_WALKTHROUGHS = 12


@dataclass(frozen=True)
class ModuleCounts:
    folder: str
    teaching: bool
    words: int
    questions: int
    cited_questions: int
    walkthroughs: int


def _components(module: dict):
    for section in module["sections"]:
        for unit in section["units"]:
            yield from unit["components"]


def _counts(folder: str) -> ModuleCounts:
    module = yaml.safe_load((CONTENT / folder / "module.yaml").read_text("utf-8"))
    components = list(_components(module))
    lessons = [c for c in components if c["kind"] == "lesson"]
    words = sum(len((CONTENT / folder / c["file"]).read_text("utf-8").split()) for c in lessons)
    questions = [q for c in components if c["kind"] == "quiz"
                 for q in yaml.safe_load((CONTENT / folder / c["file"]).read_text("utf-8"))["questions"]]
    return ModuleCounts(folder=folder, teaching=bool(lessons) and not module.get("assessment"), words=words,
                        questions=len(questions),
                        cited_questions=sum(1 for q in questions if str(q.get("citation") or "").strip()),
                        walkthroughs=sum(1 for c in components if c["kind"] == "walkthrough"))


MODULES = [_counts(folder) for folder in yaml.safe_load((CONTENT / "course.yaml").read_text("utf-8"))["modules"]]
TEACHING = [counts for counts in MODULES if counts.teaching]
COURSE_QUESTIONS = sum(counts.questions for counts in MODULES)
COURSE_WALKTHROUGHS = sum(counts.walkthroughs for counts in MODULES)


def _table() -> str:
    names = {counts.folder: counts.folder + ("" if counts.teaching else " (not teaching)") for counts in MODULES}
    width = max(map(len, names.values()))
    rule = "-" * (width + 60)
    rows = [f"{'module':<{width}}  {'lesson words':>13}  {'cited questions':>16}  {'questions':>9}  {'walkthroughs':>12}",
            rule]
    for counts in MODULES:
        short_words = counts.teaching and counts.words < MIN_MODULE_WORDS
        short_cited = counts.teaching and counts.cited_questions < MIN_MODULE_CITED_QUESTIONS
        words = f"{counts.words:,}{'!' if short_words else ' '}"
        cited = f"{counts.cited_questions}{'!' if short_cited else ' '}"
        rows.append(f"{names[counts.folder]:<{width}}  {words:>13}  {cited:>16}  {counts.questions:>9}  "
                    f"{counts.walkthroughs:>12}")
    rows += [rule, f"{'course':<{width}}  {'':>13}  {'':>16}  {COURSE_QUESTIONS:>9}  {COURSE_WALKTHROUGHS:>12}",
             f"needed: {MIN_MODULE_WORDS:,} lesson words and {MIN_MODULE_CITED_QUESTIONS} cited questions per teaching "
             f"module; {MIN_COURSE_QUESTIONS} questions and {MIN_COURSE_WALKTHROUGHS} walkthroughs in the course "
             "(! marks a shortfall)"]
    return "\n".join(rows)


@pytest.fixture(scope="module", autouse=True)
def print_the_counts():
    print("\n\nCourse depth (issue 16)\n" + _table() + "\n")


def test_there_are_teaching_modules():
    assert len(TEACHING) >= 9, _table()


@pytest.mark.parametrize("counts", TEACHING, ids=[counts.folder for counts in TEACHING])
def test_a_teaching_module_has_3000_words_of_lessons(counts):
    assert counts.words >= MIN_MODULE_WORDS, f"{counts.folder}: {counts.words:,} words\n{_table()}"


@pytest.mark.parametrize("counts", TEACHING, ids=[counts.folder for counts in TEACHING])
def test_a_teaching_module_has_25_cited_questions(counts):
    assert counts.cited_questions >= MIN_MODULE_CITED_QUESTIONS, (
        f"{counts.folder}: {counts.cited_questions} cited questions\n{_table()}")


def test_the_course_has_350_questions():
    assert COURSE_QUESTIONS >= MIN_COURSE_QUESTIONS, f"{COURSE_QUESTIONS} questions\n{_table()}"


def test_the_course_has_12_walkthroughs():
    assert COURSE_WALKTHROUGHS >= MIN_COURSE_WALKTHROUGHS, f"{COURSE_WALKTHROUGHS} walkthroughs\n{_table()}"
