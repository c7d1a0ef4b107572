"""A learner logs training and a case in the prerequisite tracker, a patient name is refused at its
field, and a preceptor (`?student=staff`, course staff in the preview) verifies an entry that the
learner then sees verified — in Chromium, with axe on every state of the view."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from test_preview_in_browser import UNIT_REGION, wcag_violations

pytestmark = pytest.mark.browser
TRACKER_UNIT = "/scenario/course.0004/"  # Introduction › Records › Your training log
TOPICS = ("Radiation physics and instrumentation", "Radiation protection",
          "Mathematics pertaining to the use and measurement of radioactivity",
          "Chemistry of byproduct material for medical use", "Radiation biology")


def requirement_row(tracker, title):
    return tracker.locator(".rpt-tracker-progress tr").filter(has=tracker.page.get_by_role("rowheader", name=re.compile(title)))


def test_learner_logs_and_a_preceptor_verifies(good_page, page_trouble):
    learner = uuid.uuid4().hex[:12]
    good_page.goto(f"{TRACKER_UNIT}?student={learner}")
    tracker = good_page.locator(".rpt-tracker")
    status = tracker.locator('[role="status"]')
    expect(tracker.get_by_role("heading", name="Progress")).to_be_visible()
    assert wcag_violations(good_page, UNIT_REGION) == set()

    tracker.get_by_label("Planned application date").fill("2027-06-01")
    tracker.get_by_label(re.compile("^G3: Parenteral")).check()
    tracker.get_by_role("button", name="Save plan").click()
    expect(status).to_have_text("Saved.")

    tracker.get_by_label("Kind of entry").select_option(label="Classroom and laboratory training")
    tracker.get_by_label("Training provider").fill("Regional training center")
    tracker.get_by_label("First day").fill("2026-01-05")
    tracker.get_by_label("Last day").fill("2026-03-27")
    for topic in TOPICS:
        tracker.get_by_label(f"Hours: {topic}", exact=True).fill("40")
    tracker.get_by_role("button", name="Add entry").click()
    expect(status).to_have_text("Entry e1 added.")
    classroom = requirement_row(tracker, "^200 hours of classroom")
    expect(classroom).to_contain_text("0 / 200 h")
    expect(classroom).to_contain_text("Awaiting verification")

    tracker.get_by_label("Kind of entry").select_option(label="Clinical case")
    tracker.get_by_label("Date", exact=True).fill("2026-10-01")
    tracker.get_by_label("Category").select_option(value="G3")
    tracker.get_by_label("Radiopharmaceutical").fill("Lu-177 dotatate")
    tracker.get_by_label(re.compile("^Administered activity")).fill("200 mCi")
    tracker.get_by_label("Supervising Authorized User").fill("Preceptor AU")
    reference = tracker.get_by_label(re.compile("^De-identified case reference"))
    reference.fill("Jane Doe")
    reference.press("Enter")  # the keyboard submits the form
    expect(reference).to_have_attribute("aria-invalid", "true")
    expect(reference).to_be_focused()
    error_id = reference.get_attribute("aria-describedby")
    expect(good_page.locator(f"#{error_id}")).to_contain_text("person's name")
    assert wcag_violations(good_page, UNIT_REGION) == set()
    reference.fill("LU-2026-014")
    reference.press("Enter")
    expect(status).to_have_text("Entry e2 added.")
    expect(tracker.locator(".rpt-tracker-entry").nth(1)).to_contain_text("200 mCi")
    assert "Jane Doe" not in tracker.inner_text()

    staff_page = good_page.context.new_page()
    staff_page.goto(f"{TRACKER_UNIT}?student=staff")
    review = staff_page.locator(".rpt-tracker-review")
    expect(review.get_by_role("heading", name=f"Learner: {learner}")).to_be_visible()
    assert wcag_violations(staff_page, UNIT_REGION) == set()
    review.get_by_label("Comment for e1 (required to reject)").fill("Certificate seen")
    review.get_by_role("button", name="Verify e1").click()
    expect(staff_page.locator(".rpt-tracker").locator('[role="status"]')).to_have_text("e1 Verified.")
    expect(review.get_by_role("button", name="Verify e1")).to_have_count(0)
    expect(review.get_by_role("button", name="Verify e2")).to_be_visible()
    staff_page.close()

    good_page.reload()
    tracker = good_page.locator(".rpt-tracker")
    expect(tracker.locator(".rpt-tracker-entry").first).to_contain_text("[Verified]")
    expect(tracker.locator(".rpt-tracker-entry").first).to_contain_text("Verified by staff: Certificate seen")
    expect(requirement_row(tracker, "^200 hours of classroom")).to_contain_text("200 / 200 h")
    expect(requirement_row(tracker, "^200 hours of classroom")).to_contain_text("Met")
    tracker.locator("summary", has_text="Audit trail").click()
    expect(tracker.locator(".rpt-tracker-audit li")).to_have_count(4)  # plan, e1, e2, verified
    expect(tracker.locator(".rpt-tracker-audit li").last).to_contain_text("staff verified e1: Certificate seen")
    assert wcag_violations(good_page, UNIT_REGION) == set()
    refused = [r for r in page_trouble.failed_responses if r.startswith("400 ") and "/add_entry/" in r]
    assert len(refused) == 1, "the patient name was refused by the server, once"
    assert not page_trouble.outside_requests and not page_trouble.script_errors
    assert page_trouble.failed_responses == refused
