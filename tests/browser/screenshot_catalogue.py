"""The catalogue of screenshots (issue 17, "Screenshots as tests"): each block's main states, each
a function that drives a fresh page on the preview of the small fixture course
(tests/fixtures/courses/good) to that state and says which element is the block.

`tests/browser/test_screenshots.py` takes every state at every width in `WIDTHS`, checks the
picture, the block's width and axe, and writes the PNGs; `make screenshots` writes them into
docs/screenshots/ as `<block>-<state>-<width>.png` (`State.file_name`), which README.md shows.

Stable pictures: every state uses fixed `?student=` ids (a learner's question order and walkthrough
numbers are seeded by that id), each width has a preview of its own with a fixed secret key (which
keys the quiz's stand-in ids), animations and transitions are off, the caret is hidden and focus
is taken off the page before the picture. The states of one width run in catalogue order on one
preview, so the staff's views count the learners of earlier states too (the same in every full run).

A driver gets a page whose context's base URL is the preview, and returns when the state is on
screen. Drivers are written against today's UI (the labels and classes the blocks' own browser
tests use); when a block's UI changes, change its drivers here.
"""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import Callable

from playwright.sync_api import Page, expect

from test_quiz_in_browser import DECAY_UNIT, QUIZ_UNIT, answer_wrongly, question
from tracker_forms import add_entry, fill_case, fill_classroom_training, save_plan

TRACKER_UNIT = "/scenario/course.0004/"  # Introduction › Records › Your training log
WIDTHS = (390, 1280)
HEIGHT = 900  # the viewport's height; pictures are as tall as the block
SECRET_KEY = "rpt-au screenshots: a fixed preview secret, not a secret"
MARGIN = 8  # pixels of page around the block in each picture

STABLE_CSS = """
*, *::before, *::after { animation: none !important; transition: none !important; caret-color: transparent !important; }
html { scroll-behavior: auto !important; }
"""


@dataclass(frozen=True)
class State:
    """One main state of one block: `drive(page)` brings a fresh page to it; `selector` (CSS) finds
    the block element(s) the picture, the width check and the axe scan cover; `alt` describes the
    picture for README.md."""

    block: str
    name: str
    title: str
    alt: str
    selector: str
    drive: Callable[[Page], None]

    def file_name(self, width: int) -> str:
        return f"{self.block}-{self.name}-{width}.png"


# ---- quiz (Introduction › Check › Check your understanding) ------------------------------------

def _open_quiz(page: Page, student: str):
    page.goto(f"{QUIZ_UNIT}?student={student}")
    quiz = page.locator(".rpt-quiz")
    expect(quiz.locator("fieldset").first).to_be_visible()
    return quiz


def _submit_mixed_answers(page: Page, student: str):
    """Some answers right, most wrong, submitted once."""
    quiz = _open_quiz(page, student)
    answer_wrongly(quiz)
    question(quiz, "public_limit").get_by_label("1 mSv (0.1 rem)").check()
    quiz.get_by_role("button", name="Submit").click()
    expect(quiz.get_by_text("Attempts used: 1 of 2")).to_be_visible()
    return quiz


def quiz_unanswered(page: Page) -> None:
    _open_quiz(page, "sample-learner")


def quiz_answered(page: Page) -> None:
    quiz = _submit_mixed_answers(page, "sample-learner")
    expect(question(quiz, "public_limit").locator(".rpt-quiz-verdict")).to_have_text("Correct")


def quiz_item_analysis(page: Page) -> None:
    for student in ("analysis-learner-1", "analysis-learner-2"):
        _submit_mixed_answers(page, student)
    page.goto(f"{QUIZ_UNIT}?student=staff")
    quiz = page.locator(".rpt-quiz")
    quiz.get_by_role("button", name="Item analysis").click()
    expect(quiz.locator("table.rpt-quiz-analysis-table")).to_be_visible()


# ---- walkthrough (Introduction › Basics › Decay) ------------------------------------------------

def _open_walkthrough(page: Page, student: str):
    page.goto(f"{DECAY_UNIT}?student={student}")
    walkthrough = page.locator(".rpt-walkthrough")
    expect(walkthrough.get_by_role("heading", name="Step 1 of 2")).to_be_visible()
    return walkthrough


def _answer(walkthrough, text: str) -> None:
    answer = walkthrough.get_by_label(re.compile("^Your answer"))
    answer.fill(text)
    answer.press("Enter")


def walkthrough_first_step(page: Page) -> None:
    _open_walkthrough(page, "sample-learner")


def walkthrough_wrong_answer(page: Page) -> None:
    walkthrough = _open_walkthrough(page, "sample-learner")
    _answer(walkthrough, "0.1")
    expect(walkthrough.locator('[role="status"]')).to_contain_text("Not quite")
    expect(walkthrough.get_by_text("Attempts left for this step: 1")).to_be_visible()


def walkthrough_finished(page: Page) -> None:
    walkthrough = _open_walkthrough(page, "sample-learner")
    hours = float(re.search(r"Time since calibration:?\s*([\d.]+) h", walkthrough.locator("dl").inner_text()).group(1))
    remaining = math.exp(-math.log(2) * hours / (6.647 * 24))  # Lu-177, as the fixture's scenario
    _answer(walkthrough, f"{remaining:.4f}")
    expect(walkthrough.get_by_role("heading", name="Step 2 of 2")).to_be_visible()
    _answer(walkthrough, f"{7400 * remaining:.1f} MBq")
    expect(walkthrough.get_by_text("Steps right: 2 of 2")).to_be_visible()
    expect(walkthrough.get_by_role("img", name="Lu-177 activity over two weeks")).to_be_visible()


# ---- tracker (Introduction › Records › Your training log) ---------------------------------------

def _open_tracker(page: Page, student: str):
    page.goto(f"{TRACKER_UNIT}?student={student}")
    tracker = page.locator(".rpt-tracker")
    expect(tracker.get_by_role("heading", name="Progress")).to_be_visible()
    return tracker


def _log_training_and_a_case(page: Page, student: str):
    tracker = _open_tracker(page, student)
    save_plan(tracker)
    fill_classroom_training(tracker)
    add_entry(tracker, "e1")
    fill_case(tracker, "LU-2026-014")
    add_entry(tracker, "e2")
    return tracker


def tracker_empty(page: Page) -> None:
    _open_tracker(page, "new-learner")


def tracker_with_entries(page: Page) -> None:
    tracker = _log_training_and_a_case(page, "sample-learner")
    page.reload()  # as the learner finds it later, the form empty again
    expect(tracker.locator(".rpt-tracker-entry")).to_have_count(2)


def tracker_review_queue(page: Page) -> None:
    _log_training_and_a_case(page, "reviewed-learner")
    page.goto(f"{TRACKER_UNIT}?student=staff")
    review = page.locator(".rpt-tracker-review")
    expect(review.get_by_role("heading", name="Learner: reviewed-learner")).to_be_visible()


# ---- lesson (Introduction › Basics › Decay: math, a figure, a table, an admonition) ------------

def lesson_math_table_admonition(page: Page) -> None:
    page.goto(f"{DECAY_UNIT}?student=sample-learner")
    lessons = page.locator("[data-block-type='html_demo']")
    expect(lessons.locator("table")).to_be_visible()
    expect(lessons.locator(".admonition")).to_be_visible()
    expect(lessons.locator(".arithmatex").first).to_be_visible()
    figure = lessons.get_by_role("img")
    expect(figure).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=figure.element_handle())


STATES: tuple[State, ...] = (
    State("quiz", "unanswered", "Quiz, unanswered",
          "The knowledge check before any answer: questions with their choices, the answered count "
          "and the Submit button.", ".rpt-quiz", quiz_unanswered),
    State("quiz", "answered", "Quiz, after Submit",
          "The knowledge check after one submission: a verdict and feedback citing the regulation "
          "under each question, the score and the attempts used.", ".rpt-quiz", quiz_answered),
    State("quiz", "item-analysis", "Quiz, staff item analysis",
          "The knowledge check as course staff see it: the item analysis table of each question's "
          "answers, and the link to download it as CSV.", ".rpt-quiz", quiz_item_analysis),
    State("walkthrough", "first-step", "Walkthrough, first step",
          "The decay-correction walkthrough at its first step: the learner's numbers with their "
          "sources, the step's question and the answer field.", ".rpt-walkthrough", walkthrough_first_step),
    State("walkthrough", "wrong-answer", "Walkthrough, a wrong answer",
          "The walkthrough after a wrong answer: 'Not quite' with feedback and the attempts left "
          "for the step.", ".rpt-walkthrough", walkthrough_wrong_answer),
    State("walkthrough", "finished", "Walkthrough, finished",
          "The finished walkthrough: the summary of each step with the learner's answer and the "
          "reference value, the score, the decay chart and the print button.", ".rpt-walkthrough",
          walkthrough_finished),
    State("tracker", "empty", "Tracker, a new learner",
          "The prerequisite tracker for a learner with no entries: progress against each "
          "requirement, the plan and the form to add an entry.", ".rpt-tracker", tracker_empty),
    State("tracker", "with-entries", "Tracker, with entries",
          "The tracker after logging classroom training and a clinical case: the entries awaiting "
          "verification and the progress table.", ".rpt-tracker", tracker_with_entries),
    State("tracker", "review-queue", "Tracker, preceptor review",
          "The tracker as a preceptor (course staff) sees it: each learner's entries awaiting "
          "review, with a comment field and verify and reject buttons.", ".rpt-tracker", tracker_review_queue),
    State("lesson", "math-table-admonition", "Lesson page",
          "A lesson unit: a heading, inline and display math (TeX as the preview shows it before "
          "MathJax), a figure, a footnote, a table and a note admonition.", "[data-block-type='html_demo']",
          lesson_math_table_admonition),
)


def prepare(page: Page) -> None:
    """Turn off what makes pictures differ between runs: animations, transitions, the caret."""
    page.add_init_script(f"""
        document.addEventListener('DOMContentLoaded', () => {{
            const style = document.createElement('style');
            style.textContent = {STABLE_CSS!r};
            document.head.append(style);
        }});
    """)


def block_box(page: Page, selector: str) -> dict:
    """The page-coordinate box around every element matching `selector`, with `MARGIN` around it,
    kept inside the page's width."""
    return page.evaluate("""([selector, margin]) => {
        const boxes = [...document.querySelectorAll(selector)].map(e => e.getBoundingClientRect());
        const left = Math.max(0, Math.min(...boxes.map(b => b.left)) + scrollX - margin);
        const top = Math.max(0, Math.min(...boxes.map(b => b.top)) + scrollY - margin);
        const right = Math.min(document.documentElement.scrollWidth, Math.max(...boxes.map(b => b.right)) + scrollX + margin);
        const bottom = Math.max(...boxes.map(b => b.bottom)) + scrollY + margin;
        return {x: Math.floor(left), y: Math.floor(top), width: Math.ceil(right - left), height: Math.ceil(bottom - top)};
    }""", [selector, MARGIN])


def block_widths(page: Page, selector: str) -> list[dict]:
    """For each element matching `selector`: its scrollWidth, the right edge of its content (page
    coordinates: its left edge plus the larger of its width and scrollWidth), the viewport's
    clientWidth, and `beyond`: up to five innermost elements inside it that reach past the viewport
    (tag.class and right edge), which say what to fix. The block fits when both its scrollWidth and
    its right edge are within the viewport."""
    return page.evaluate("""selector => {
        const viewport = document.documentElement.clientWidth;
        const right = e => Math.ceil(e.getBoundingClientRect().right + scrollX);
        const name = e => e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join('');
        return [...document.querySelectorAll(selector)].map(e => {
            const box = e.getBoundingClientRect();
            const beyond = [...e.querySelectorAll('*')].filter(d => right(d) > viewport
                && ![...d.children].some(c => right(c) > viewport)).slice(0, 5).map(d => `${name(d)} to ${right(d)} px`);
            return {scrollWidth: e.scrollWidth, right: Math.ceil(box.left + scrollX + Math.max(box.width, e.scrollWidth)),
                    viewport, beyond};
        });
    }""", selector)


def settled_box(page: Page, selector: str, timeout: float = 5.0) -> dict:
    """`block_box` once the page is done: no request under way and the box the same for 300 ms (a
    block may fill its status line a moment after its reply, for screen readers to announce it)."""
    page.wait_for_load_state("networkidle")
    deadline = time.monotonic() + timeout
    box = block_box(page, selector)
    while time.monotonic() < deadline:
        page.wait_for_timeout(300)
        again = block_box(page, selector)
        if again == box:
            return box
        box = again
    raise AssertionError(f"{selector} kept changing size for {timeout} s")


def take(page: Page, state: State, path) -> None:
    """Drive `page` to `state` and write the picture of its block to `path` (PNG, optimised when
    Pillow is installed)."""
    state.drive(page)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.evaluate("() => document.fonts.ready")
    page.screenshot(path=str(path), clip=settled_box(page, state.selector), full_page=True,
                    animations="disabled", caret="hide", scale="css")
    optimise(path)


def optimise(path) -> None:
    """Make the PNG at `path` small, when Pillow is installed: 256 colours without dithering (the
    pictures are flat UI: text stays sharp) and zlib's best effort (`optimize=True`)."""
    try:
        from PIL import Image  # noqa: PLC0415  (optional)
    except ImportError:
        return
    with Image.open(path) as picture:
        small = picture.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
