"""Nothing the browser receives gives an answer away before the policy reveals it, and no learner
receives another learner's records or staff-only data — checked on everything Chromium receives:
the page (without the workbench's debug panel, which prints the scenario's OLX source for authors),
the blocks' initial data in it, and the body of every handler response.

tests/blocks/ checks the blocks' views and `state` in the XBlock runtime; here the whole session
goes through the real workbench and the real scripts: hints, a wrong submission with feedback, Try
again, a walkthrough step with a slip, and a second learner's tracker with exports.
"""
from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect

from quiz_fixture import SECRETS as QUIZ_SECRETS
from rpt_course.build import build_files
from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters
from rpt_xblocks.dosimetry.scenario_olx import scenario_from_xml
from rpt_xblocks.dosimetry.walkthrough_view import shown_value
from test_quiz_in_browser import answer_wrongly, question
from workbench_client import WorkbenchUser

pytestmark = pytest.mark.browser
GOOD_COURSE = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "good"
QUIZ_UNIT, WALKTHROUGH_UNIT, TRACKER_UNIT = "/scenario/course.0003/", "/scenario/course.0002/", "/scenario/course.0004/"
_DEBUG_PANEL = re.compile(r'<section class="debug">.*?</section>', re.S)


class Received:
    """Every response a page receives from the preview, kept as it arrives (a route fetches each
    response and hands it on unchanged, so bodies survive navigation)."""

    def __init__(self, page, base_url: str):
        self.bodies: list[tuple[str, str, str]] = []  # (url, resource type, text)
        self.base_url = base_url
        page.route("**/*", self._keep)

    def _keep(self, route):
        if not route.request.url.startswith(self.base_url + "/"):
            route.fallback()  # the context's route blocks and records it
            return
        if route.request.url.startswith(self.base_url + "/static/"):
            route.fallback()  # static files (left out of `texts` anyway; MathJax's fonts arrive late, even after the test)
            return
        response = route.fetch()
        self.bodies.append((route.request.url, route.request.resource_type, response.text()))
        route.fulfill(response=response)

    def texts(self) -> list[tuple[str, str]]:
        """What arrived since the last call: (url, text), the static files and the debug panel left out."""
        out = []
        for url, kind, text in self.bodies:
            if "/static/" in url or url.endswith("/jsi18n/"):
                continue
            if kind == "document":
                text = _DEBUG_PANEL.sub("", text)
                # the blocks' initial data travels as script-safe JSON text inside the page's JSON:
                # add it decoded, so a secret cannot hide behind the escaping
                text += "".join(json.dumps(data) for data in init_data(text))
            out.append((url, text))
        self.bodies = []
        return out


def init_data(html: str) -> list:
    """The blocks' initial data, as the workbench writes it into the page."""
    found = [json.loads(data) for data in re.findall(
        r'<script type="json/xblock-args" class="xblock_json_init_args">\s*(.*?)\s*</script>', html, re.S)]
    return [json.loads(data["rpt"]) if isinstance(data, dict) and isinstance(data.get("rpt"), str) else data
            for data in found]


def absent(secrets, received: list[tuple[str, str]]):
    found = [(secret, url) for secret in secrets for url, text in received if secret in text]
    assert not found, f"sent before the reveal: {found}"


@pytest.fixture
def fresh_page(trapped, good_preview):
    return trapped(good_preview.base_url).page


@pytest.fixture
def base_url(good_preview):
    return good_preview.base_url


def test_the_quiz_sends_no_answer_key_until_the_last_attempt(fresh_page, base_url):
    page = fresh_page
    received = Received(page, base_url)
    page.goto(f"{QUIZ_UNIT}?student={uuid.uuid4().hex}")
    quiz = page.locator(".rpt-quiz")
    expect(quiz.locator("fieldset")).to_have_count(5)
    question(quiz, "public_limit").get_by_role("button", name="Hint").click()
    expect(question(quiz, "public_limit").locator(".rpt-quiz-hint-text")).to_have_text(
        "It is a fiftieth of the occupational limit.")
    answer_wrongly(quiz)
    quiz.get_by_role("button", name="Submit").click()
    expect(question(quiz, "public_limit").locator(".rpt-quiz-verdict")).to_have_text("Incorrect")
    texts = received.texts()
    assert len([url for url, _ in texts if "/handler/" in url]) == 2  # the hint and the submission
    absent(QUIZ_SECRETS, texts)

    quiz.get_by_role("button", name="Try again").click()
    expect(quiz.get_by_role("button", name="Submit")).to_be_visible()
    page.reload()
    expect(quiz.locator("fieldset")).to_have_count(5)
    absent(QUIZ_SECRETS, received.texts())

    answer_wrongly(quiz)
    quiz.get_by_role("button", name="Submit").click()  # the last attempt: now the policy reveals the answers
    expect(quiz.locator(".rpt-quiz-revealed")).to_have_count(5)
    assert any("33 mCi (1.2 GBq)" in text for _url, text in received.texts()), "control: the reveal is seen"


def _walkthrough_numbers(student: str, usage: str):
    _, files = build_files(GOOD_COURSE)
    element = next(e for e in etree.fromstring(files["course/vertical/decay.xml"]) if e.tag == "rpt_dosimetry")
    scenario, errors = scenario_from_xml(element)
    assert errors == []
    return expected_values(scenario, learner_parameters(scenario, f"{student}|{usage}"))


def _ways_of_writing(value) -> set[str]:
    number = value.m_as("GBq") if hasattr(value, "units") else float(value)
    forms = {shown_value(value), f"{number:.4g}", f"{number:.6g}", repr(number)}
    if hasattr(value, "units"):
        forms |= {f"{value.m_as('MBq'):.4g}", f"{value.m_as('mCi'):.4g}"}
    return forms


def test_a_walkthrough_sends_no_reference_value_before_its_step_is_finished(fresh_page, base_url):
    page = fresh_page
    received = Received(page, base_url)
    student = uuid.uuid4().hex
    page.goto(f"{WALKTHROUGH_UNIT}?student={student}")
    walkthrough = page.locator(".rpt-walkthrough")
    expect(walkthrough.get_by_role("heading", name="Step 1 of 2")).to_be_visible()
    usage = walkthrough.locator("xpath=ancestor::*[@data-block-type='rpt_dosimetry'][1]").get_attribute("data-usage")
    expected = _walkthrough_numbers(student, usage)
    later = {"What activity remains now", "A0 * remaining", "exp(-ln2", "The decay factor is", "× {remaining}"}
    step_one, step_two = _ways_of_writing(expected["remaining"]), _ways_of_writing(expected["activity"])

    walkthrough.get_by_role("button", name="Hint").click()
    expect(walkthrough.get_by_text(re.compile("^The fraction is"))).to_be_visible()
    answer = walkthrough.get_by_label("Your answer")
    answer.fill("0.1")
    answer.press("Enter")
    expect(walkthrough.get_by_text("Attempts left for this step: 1")).to_be_visible()
    texts = received.texts()
    assert len([url for url, _ in texts if "/handler/" in url]) == 2
    absent(step_one | step_two | later, texts)

    answer = walkthrough.get_by_label("Your answer")
    answer.fill("0.2")
    answer.press("Enter")  # out of attempts: step 1's reference value is shown and carried forward
    expect(walkthrough.get_by_role("heading", name="Step 2 of 2")).to_be_visible()
    page.reload()
    expect(walkthrough.get_by_role("heading", name="Step 2 of 2")).to_be_visible()
    texts = received.texts()
    assert any(shown_value(expected["remaining"]) in text for _url, text in texts), "control: step 1 is revealed"
    absent(step_two | {"A0 * remaining", "{A0} × {remaining}"}, texts)


def _keys(data) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {key for value in data.values() for key in _keys(value)}
    if isinstance(data, list):
        return {key for value in data for key in _keys(value)}
    return set()


def test_a_learner_never_receives_another_learners_records_or_staff_data(fresh_page, good_preview, base_url):
    # letters only: a run of six digits in a case reference or name is refused as a record number
    marker = uuid.uuid4().hex[:8].translate(str.maketrans("0123456789", "ghijklmnop"))
    first = WorkbenchUser(good_preview, TRACKER_UNIT, "rpt_prereq_tracker", student=f"first-{marker}")
    first_details = [f"first-{marker}", f"REF-{marker}", f"Provider {marker}", f"Comment {marker}", f"Site {marker}"]
    case = {"kind": "case", "fields": {"date": "2026-10-01", "category": "G3", "radiopharmaceutical": "Lu-177 dotatate",
                                       "activity": "200 mCi", "supervising_au": f"Provider {marker}",
                                       "case_reference": f"REF-{marker}", "notes": ""}}
    work = {"kind": "work", "fields": {"item": "A", "date": "2026-09-01", "hours": 2, "supervising_au": "AU",
                                       "site": f"Site {marker}", "description": ""}}
    for entry in (case, work):
        assert first.post("add_entry", json.dumps(entry).encode())[0] == 200
    staff = WorkbenchUser(good_preview, TRACKER_UNIT, "rpt_prereq_tracker", student="staff")
    review = {"learner": f"first-{marker}", "entry": "e1", "decision": "verified", "comment": f"Comment {marker}"}
    assert staff.post("review_entry", json.dumps(review).encode())[0] == 200

    page = fresh_page
    received = Received(page, base_url)
    second = f"second-{marker}"
    page.goto(f"{TRACKER_UNIT}?student={second}")
    page.wait_for_load_state("networkidle")
    tracker = page.locator(".rpt-tracker")
    tracker.get_by_label("Planned application date").fill("2027-06-01")
    tracker.get_by_role("button", name="Save plan").click()
    expect(tracker.locator('[role="status"]')).to_have_text("Saved.")
    tracker.get_by_label("Kind of entry").select_option(label="Clinical case")
    tracker.get_by_label("Date", exact=True).fill("2026-10-02")
    tracker.get_by_label("Radiopharmaceutical").fill("Lu-177 dotatate")
    tracker.get_by_label(re.compile("^Administered activity")).fill("200 mCi")
    tracker.get_by_label("Supervising Authorized User").fill("Preceptor AU")
    tracker.get_by_label(re.compile("^De-identified case reference")).fill("LU-2026-020")
    tracker.get_by_role("button", name="Add entry").click()
    expect(tracker.locator('[role="status"]')).to_have_text("Entry e1 added.")
    page.evaluate("""async () => {  // what a curious learner could ask for: the staff handler
        const usage = document.querySelector("[data-block-type='rpt_prereq_tracker']").dataset.usage;
        const csrf = document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/)[1];
        await fetch(`/handler/${usage}/review_entry/?student=${studentId}`, {method: "POST",
          headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
          body: JSON.stringify({learner: "first-%s", entry: "e1", decision: "rejected", comment: "x"})});
    }""" % marker)
    with page.expect_popup() as popup:
        tracker.get_by_role("link", name="Printable summary for your preceptor").click()
    summary = popup.value
    summary.wait_for_load_state()
    csv = page.request.get(tracker.get_by_role("link", name="Download all your records (CSV)").get_attribute("href"))
    page.reload()
    page.wait_for_load_state("networkidle")

    texts = received.texts() + [(summary.url, summary.content()), ("case_log.csv", csv.text())]
    absent(first_details, texts)
    documents = [text for url, text in texts if "/scenario/" in url]
    states = [item["state"] for html in documents for item in init_data(html) if "state" in item]
    states += [json.loads(text) for url, text in texts if "/handler/" in url and text.startswith('{"entries"')]
    assert len(states) >= 4, "the learner's data was read: pages, plan, entry, refresh"
    assert not any("review" in state for state in states), "the review queue is staff data"
    staff_only = {"pending", "counts", "learners"} & set().union(*map(_keys, states))
    assert not staff_only, f"staff-only data sent to a learner: {staff_only}"
    assert {state["staff"] for state in states} == {False}
    refused = [text for url, text in texts if "/review_entry/" in url]
    assert refused and all(json.loads(text).keys() == {"error"} for text in refused), "a learner's review is refused, bare"
