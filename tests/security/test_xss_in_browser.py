"""Every payload of tests/fixtures/xss_payloads.txt, in every kind of text the course shows, stays
inert in Chromium: no trapped call, no dialog, no script error, no request leaving the preview, and
no event handler, script URL or scripting element in the rendered unit.

The XSS course (xss_course.py) holds the payloads twice: as authored (only what `rpt-course build`
accepts reaches the course) and as raw markup in one hand-edited block of each kind. Each test
drives the views that show its texts — hints, a submission that reveals feedback and explanations,
finished walkthrough steps and the plot, tracker entries a preceptor reviews — and checks the page
after each of them and again after a reload, when the texts come from the block's initial data.
"""
from __future__ import annotations

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from page_trap import OFFENDING_MARKUP
from test_preview_in_browser import UNIT_REGION
from xss_course import groups, packed

pytestmark = pytest.mark.browser
LESSONS, WALKTHROUGHS, QUIZZES, TRACKERS = ("/scenario/course.0001/", "/scenario/course.0002/",
                                            "/scenario/course.0003/", "/scenario/course.0004/")


def learner() -> str:
    return uuid.uuid4().hex[:12]


def assert_inert(trapped, path: str, page=None, region: str = UNIT_REGION):
    trapped.assert_inert(region, page=page, expected_path=path)


def test_the_trap_sees_a_payload_that_runs(trapped, xss_preview):
    """Control: the checks below would pass any page if the trap saw nothing."""
    trapped_page = trapped(xss_preview.base_url)
    trapped_page.page.goto(f"{LESSONS}?student={learner()}")
    assert_inert(trapped_page, LESSONS)
    trapped_page.page.locator(UNIT_REGION).evaluate(
        "region => region.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(1)><a href=\"java&#9;script:x\">x</a>')")
    trapped_page.page.wait_for_function("() => window.__xssHits.length > 0")
    problems = trapped_page.problems(UNIT_REGION)
    assert problems["script ran"] == ["alert(1)"]
    assert any("onerror" in item for item in problems["offending markup"])
    assert any("java\tscript:x" in item for item in problems["offending markup"])


def test_lessons_show_the_payloads_the_build_accepts_as_inert_text(trapped, xss_preview):
    kept = xss_preview.authored.kept("lesson")
    assert 0 < len(kept) < len(xss_preview.payloads), "the build refuses some payloads and accepts others"
    trapped_page = trapped(xss_preview.base_url)
    page = trapped_page.page
    page.goto(f"{LESSONS}?student={learner()}")
    # The unit's lesson blocks: its intro and one per payload kept (the module's learning objectives,
    # first in its first unit, are another html block, written by the build, not by the author).
    html_blocks = page.locator(f"{UNIT_REGION} [data-block-type='html_demo']")
    objectives = html_blocks.filter(has_text="By the end of this module you will be able to:")
    expect(objectives).to_have_count(1)
    blocks = html_blocks.filter(has_not=page.locator("text=By the end of this module you will be able to:"))
    expect(blocks).to_have_count(1 + len(kept))
    expect(blocks.last).to_be_visible()
    assert_inert(trapped_page, LESSONS)


def _reveal_every_hint(page, block, button_selector: str, text_selector: str) -> int:
    """Press every hint button of `block` until none is left; returns how many hints are shown."""
    shown = block.locator(text_selector).count()
    while True:
        buttons = block.locator(f"{button_selector}:not([disabled])")
        pressed = buttons.count()
        if not pressed:
            return shown
        buttons.evaluate_all("buttons => buttons.forEach(button => button.click())")
        shown += pressed
        expect(block.locator(text_selector)).to_have_count(shown, timeout=30_000)


def test_quiz_prompts_choices_feedback_explanations_and_hints_stay_inert(trapped, xss_preview):
    trapped_page = trapped(xss_preview.base_url)
    page = trapped_page.page
    page.goto(f"{QUIZZES}?student={learner()}")
    quizzes = page.locator(".rpt-quiz")
    expect(quizzes).to_have_count(2)  # as authored, and as raw OLX
    assert_inert(trapped_page, QUIZZES)
    for index in range(2):
        quiz = quizzes.nth(index)
        questions = quiz.locator("fieldset.rpt-quiz-question")
        expect(questions.first).to_be_visible()
        count = questions.count()
        assert _reveal_every_hint(page, quiz, "button.rpt-quiz-hint", ".rpt-quiz-hint-text") >= count // 2
        assert_inert(trapped_page, QUIZZES)
        questions.evaluate_all(  # one choice in each question (ids are the learner's stand-ins, not the authors')
            "sets => sets.forEach(s => { const r = s.querySelector('input[type=radio]'); if (r) { r.checked = true; } })")
        quiz.get_by_role("button", name="Submit").click()
        confirm = quiz.get_by_role("button", name="Submit with unanswered questions")  # questions left unanswered
        if confirm.count():
            assert_inert(trapped_page, QUIZZES)
            confirm.click()
        expect(quiz.get_by_text("Attempts used: 1 of 1")).to_be_visible()
        expect(quiz.locator(".rpt-quiz-revealed")).to_have_count(count)  # answers and explanations shown
        expect(quiz.locator(".rpt-quiz-feedback")).not_to_have_count(0)
        assert_inert(trapped_page, QUIZZES)
    page.reload()  # now the feedback, answers and explanations come in the blocks' initial data
    expect(page.locator(".rpt-quiz-revealed").first).to_be_visible()
    assert_inert(trapped_page, QUIZZES)


# Each step of a walkthrough through the real form, driven inside the page (a step is two requests):
# show the hint, check the markup while the hint and the current prompt are on screen, answer "0"
# (wrong: each step allows one attempt, so the step finishes and its explanation is shown).
_WORK_THROUGH = """
async (root) => {
  const offending = %s;
  const until = async (ready) => {
    const start = performance.now();
    while (!ready()) {
      if (performance.now() - start > 15000) { throw new Error("the walkthrough did not answer"); }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const found = [];
  let done = root.querySelectorAll(".rpt-walkthrough-done").length;
  while (root.querySelector(".rpt-walkthrough-current")) {
    const current = root.querySelector(".rpt-walkthrough-current");
    const hint = current.querySelector("button.rpt-walkthrough-hint");
    if (hint) {
      hint.click();
      await until(() => current.querySelector(".rpt-walkthrough-hints > div"));
    }
    found.push(...offending(root));
    current.querySelector("input.rpt-walkthrough-answer").value = "0";
    current.querySelector("form").requestSubmit();
    done += 1;
    await until(() => root.querySelectorAll(".rpt-walkthrough-done").length >= done);
  }
  return {done, found};
}
""" % OFFENDING_MARKUP.strip()


def test_walkthrough_prompts_hints_explanations_sources_and_plot_stay_inert(trapped, xss_preview):
    trapped_page = trapped(xss_preview.base_url)
    page = trapped_page.page
    page.goto(f"{WALKTHROUGHS}?student={learner()}")
    walkthroughs = page.locator(".rpt-walkthrough")
    expect(walkthroughs).to_have_count(2)  # as authored, and as raw OLX
    assert_inert(trapped_page, WALKTHROUGHS)
    for index in range(2):
        walkthrough = walkthroughs.nth(index)
        heading = walkthrough.get_by_role("heading", name=re.compile(r"^Step 1 of \d+$"))
        expect(heading).to_be_visible()
        steps = int(heading.inner_text().rsplit(" ", 1)[1])
        walked = walkthrough.evaluate(_WORK_THROUGH)
        assert walked == {"done": steps, "found": []}
        expect(walkthrough.get_by_text(f"Steps right: 0 of {steps}")).to_be_visible()
        expect(walkthrough.locator("figure.rpt-walkthrough-plot svg")).to_be_visible()
        assert_inert(trapped_page, WALKTHROUGHS)
    page.reload()  # every finished step, explanation and source, and the plot, from the initial data
    expect(page.locator("figure.rpt-walkthrough-plot svg")).to_have_count(2)
    assert_inert(trapped_page, WALKTHROUGHS)


# The tracker: a learner's free text goes through the real form once and through the handler for every
# payload; each text field of each kind of entry gets each payload (a field the server refuses, for
# markup or a patient identifier, is retried with plain text so the other fields are still stored).
_ENTRIES = {
    "case": ({"date": "2026-10-01", "category": "G3", "activity": "200 mCi"},
             {"radiopharmaceutical": 200, "supervising_au": 200, "case_reference": 40, "notes": 500}),
    "work": ({"item": None, "date": "2026-09-01", "hours": 2},
             {"supervising_au": 200, "site": 200, "description": 500}),
    "didactic": ({"start": "2026-01-05", "end": "2026-01-09", "hours": None},
                 {"provider": 200, "certificate": 200}),
}
_ADD_EVERY_PAYLOAD = """
async ([usage, student, entries]) => {
  const csrf = document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/)[1];
  const post = async (handler, body) => {
    const response = await fetch(`/handler/${usage}/${handler}/?student=${encodeURIComponent(student)}`, {
      method: "POST", headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}, body: JSON.stringify(body)});
    return [response.status, await response.json()];
  };
  const stored = [];
  const refused = [];
  for (const entry of entries) {
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const [status, reply] = await post("add_entry", entry);
      if (status === 200) { stored.push(reply.entries[reply.entries.length - 1].id); break; }
      if (!reply.field || !(reply.field in entry.fields)) { refused.push([status, reply.error, entry]); break; }
      refused.push([reply.field, reply.error]);
      entry.fields[reply.field] = reply.field === "case_reference" ? "XSS-PLAIN-" + attempt : "plain text";
    }
  }
  return {stored, refused};
}
"""
_REVIEW_EVERY_ENTRY = """
async ([usage, learner, decisions]) => {
  const csrf = document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/)[1];
  const replies = [];
  for (const [entry, comment] of decisions) {
    const response = await fetch(`/handler/${usage}/review_entry/?student=staff`, {
      method: "POST", headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({learner, entry, decision: "verified", comment})});
    replies.push(response.status === 200 ? "ok" : [response.status, (await response.json()).error]);
  }
  return replies;
}
"""


def _entries_with_every_payload(texts: list[str]) -> list[dict]:
    """One entry per dozen payloads, the kinds in turn, each text field holding as many as fit."""
    from rpt_xblocks.tracker.vocabulary import TOPICS, WORK_ITEMS  # noqa: PLC0415

    entries = []
    for number, group in enumerate(groups(list(range(len(texts))), texts, size=12)):
        kind = list(_ENTRIES)[number % len(_ENTRIES)]
        fixed, limits = _ENTRIES[kind]
        fields = {**fixed, **{name: " ".join(texts[i] for i in group)[:limit] for name, limit in limits.items()}}
        if kind == "case":
            fields["case_reference"] = texts[group[0]][:40]
        if kind == "work":
            fields["item"] = next(iter(WORK_ITEMS))
        if kind == "didactic":
            fields["hours"] = {next(iter(TOPICS)): 8}
        entries.append({"kind": kind, "fields": fields})
    return entries


def test_tracker_free_text_and_review_comments_stay_inert(trapped, xss_preview):
    texts = xss_preview.payloads
    student = f"javascript:alert(1)//{learner()}"  # the learner's name is shown to staff
    trapped_page = trapped(xss_preview.base_url)
    page = trapped_page.page
    page.goto(f"{TRACKERS}?student={student}")
    page.wait_for_load_state("networkidle")  # the view refreshes itself once when progress is stale
    assert_inert(trapped_page, TRACKERS)  # the institution's requirement sets, as authored and as raw OLX
    tracker = page.locator(".rpt-tracker").first
    expect(tracker.get_by_role("heading", name="Progress")).to_be_visible()

    # Through the form, as a learner types it.
    tracker.get_by_label("Kind of entry").select_option(label="Clinical case")
    tracker.get_by_label("Date", exact=True).fill("2026-10-01")
    tracker.get_by_label("Radiopharmaceutical").fill('"><img src=x onerror=alert(1)>')
    tracker.get_by_label(re.compile("^Administered activity")).fill("200 mCi")
    tracker.get_by_label("Supervising Authorized User").fill("</textarea><script>alert(1)</script>")
    tracker.get_by_label(re.compile("^De-identified case reference")).fill("{{7*7}}${alert(1)}")
    tracker.get_by_label("Notes").fill("&lt;script&gt;alert(1)&lt;/script&gt; <svg onload=alert(1)>")
    tracker.get_by_role("button", name="Add entry").click()
    expect(tracker.locator('[role="status"]')).to_have_text("Entry e1 added.")
    assert_inert(trapped_page, TRACKERS)

    # Through the handler, every payload in every text field.
    usage = tracker.locator("xpath=ancestor::*[@data-block-type='rpt_prereq_tracker'][1]").get_attribute("data-usage")
    result = page.evaluate(_ADD_EVERY_PAYLOAD, [usage, student, _entries_with_every_payload(texts)])
    assert len(result["stored"]) == len(_entries_with_every_payload(texts)), result["refused"]

    # A preceptor verifies each entry with a payload as comment: once through the form, then through the handler.
    staff = trapped_page.new_page()
    staff.goto(f"{TRACKERS}?student=staff")
    staff.wait_for_load_state("networkidle")
    review = staff.locator(".rpt-tracker-review").first
    expect(review.get_by_role("heading", name=f"Learner: {student}")).to_be_visible()
    assert_inert(trapped_page, TRACKERS, page=staff)
    first = result["stored"][0]
    review.get_by_label(f"Comment for {first} (required to reject)").fill('"><img src=x onerror=alert(1)>')
    review.get_by_role("button", name=f"Verify {first}", exact=True).click()
    expect(review.get_by_role("button", name=f"Verify {first}", exact=True)).to_have_count(0)
    comments = packed(texts, 500)  # a comment holds at most 500 characters
    decisions = [[entry, comments[n % len(comments)]] for n, entry in enumerate(result["stored"][1:])]
    replies = staff.evaluate(_REVIEW_EVERY_ENTRY, [usage, student, decisions])
    assert set(map(json.dumps, replies)) == {'"ok"'}, replies
    staff.reload()
    counts = staff.locator(".rpt-tracker-review").first.get_by_role("heading", name="Learners meeting each requirement")
    expect(counts).to_be_visible()
    assert_inert(trapped_page, TRACKERS, page=staff)

    # The learner sees the decisions and comments, in the entries and the audit trail.
    page.reload()
    page.wait_for_load_state("networkidle")
    tracker = page.locator(".rpt-tracker").first
    expect(tracker.locator(".rpt-tracker-badge.rpt-tracker-verified")).to_have_count(len(result["stored"]))
    tracker.locator("summary").first.click()
    assert_inert(trapped_page, TRACKERS)

    # The printable summary is a page of its own, with every entry.
    printable = trapped_page.new_page()
    printable.goto(f"/handler/{usage}/printable_summary/?student={student}")
    expect(printable.get_by_text("Training and experience summary").first).to_be_visible()
    trapped_page.assert_inert("body", page=printable)


@pytest.mark.parametrize("path", [WALKTHROUGHS, QUIZZES, TRACKERS])
def test_studio_editors_show_raw_olx_as_text(trapped, xss_preview, path):
    trapped_page = trapped(xss_preview.base_url)
    trapped_page.page.goto(f"{path}studio_view/?student={learner()}")
    forms = trapped_page.page.locator(".rpt-studio")
    expect(forms).to_have_count(2)
    assert "onerror=" in forms.last.locator("textarea").input_value(), "the raw payloads are in the editor, as text"
    assert_inert(trapped_page, f"{path}studio_view/")


def test_a_review_comment_never_runs_as_script_in_the_learners_page(trapped, good_preview):
    """The smallest path from a preceptor's comment to the learner's page, on the unchanged fixture
    course. The comment is stored as plain text, which decodes character references once, so
    "&lt;/script&gt;" is stored as "</script>"; the learner's initial data then holds it twice
    (the entry's review and the audit trail)."""
    from workbench_client import WorkbenchUser  # noqa: PLC0415

    student = learner()
    case = {"kind": "case", "fields": {"date": "2026-10-01", "category": "G3", "radiopharmaceutical": "Lu-177 dotatate",
                                       "activity": "200 mCi", "supervising_au": "Preceptor AU",
                                       "case_reference": "LU-2026-014", "notes": ""}}
    assert WorkbenchUser(good_preview, TRACKERS, "rpt_prereq_tracker", student=student).post(
        "add_entry", json.dumps(case).encode())[0] == 200
    trapped_page = trapped(good_preview.base_url)
    staff = trapped_page.page
    staff.goto(f"{TRACKERS}?student=staff")
    staff.wait_for_load_state("networkidle")  # the view refreshes itself once when progress is stale
    review = staff.locator(".rpt-tracker-review")
    expect(review.get_by_role("heading", name=f"Learner: {student}")).to_be_visible()
    pending = review.locator("li.rpt-tracker-pending").filter(has=staff.locator(f"[id$='-comment-{student}-e1']"))
    pending.get_by_label("Comment for e1 (required to reject)").fill(
        "&lt;/script&gt;&lt;script&gt;alert(document.domain)&lt;/script&gt;")
    with staff.expect_response(lambda r: "/review_entry/" in r.url) as reviewed:
        pending.get_by_role("button", name="Verify e1").click()
    assert reviewed.value.status == 200
    expect(staff.locator(".rpt-tracker").locator('[role="status"]')).to_have_text("e1 Verified.")

    learner_page = trapped_page.new_page()
    learner_page.goto(f"{TRACKERS}?student={student}")
    learner_page.wait_for_load_state("load")
    assert_inert(trapped_page, TRACKERS, page=learner_page)
    expect(learner_page.locator(".rpt-tracker-entry").first).to_contain_text("Verified")
