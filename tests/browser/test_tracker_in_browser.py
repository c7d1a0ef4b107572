"""The prerequisite tracker in Chromium, with axe on every state of every view:
- a learner sees a short progress summary and the entry form first (the plan, the requirement tables
  and the audit trail collapsed, opened from the keyboard), logs training and a case, a patient name
  is refused at its field, and the entries read as a table;
- the preceptor the learner named (`?student=preceptor`, course Staff in the preview) sees the entry
  in their own view, separate from their records, and rejects it; the learner corrects it, the
  rejected entry staying in the records; another course Staff member sees the correction but may
  not decide it; the course Admin (`?student=staff`) may, as an override."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from test_preview_in_browser import UNIT_REGION, wcag_violations
from tracker_forms import add_entry, fill_case, fill_classroom_training, save_plan

pytestmark = pytest.mark.browser
TRACKER_UNIT = "/scenario/course.0004/"  # Introduction › Records › Your training log


def requirement_row(tracker, title):
    return tracker.locator(".rpt-tracker-progress tr").filter(has=tracker.page.get_by_role("rowheader", name=re.compile(title)))


def open_as(page, student):
    page.goto(f"{TRACKER_UNIT}?student={student}")
    page.wait_for_load_state("networkidle")  # the view refreshes itself once when progress is stale
    return page.locator(".rpt-tracker")


def test_learner_sees_summary_and_form_first_and_logs_entries_into_a_table(good_page, page_trouble):
    learner = uuid.uuid4().hex[:12]
    tracker = open_as(good_page, learner)
    status = tracker.locator('[role="status"]')
    expect(tracker.get_by_role("heading", name="Your progress")).to_be_visible()
    expect(tracker.get_by_text(re.compile(r"^0 of \d+ requirements met\.$"))).to_be_visible()
    form_top = tracker.get_by_role("button", name="Add entry").bounding_box()["y"]
    details_top = tracker.locator("summary", has_text="Requirements in detail").bounding_box()["y"]
    assert form_top < details_top, "the entry form comes before the details"
    expect(tracker.locator(".rpt-tracker-progress table").first).to_be_hidden()
    expect(tracker.locator("details.rpt-tracker-plan")).to_have_attribute("open", "")  # no plan yet: open
    assert wcag_violations(good_page, UNIT_REGION) == set()

    save_plan(tracker)
    fill_classroom_training(tracker)
    add_entry(tracker, "e1")
    expect(tracker.get_by_text("1 entry is awaiting verification.")).to_be_visible()

    fill_case(tracker, "Jane Doe")
    reference = tracker.get_by_label(re.compile("^De-identified case reference"))
    reference.press("Enter")  # the keyboard submits the form
    expect(reference).to_have_attribute("aria-invalid", "true")
    expect(reference).to_be_focused()
    expect(good_page.locator(f"#{reference.get_attribute('aria-describedby')}")).to_contain_text("person's name")
    assert wcag_violations(good_page, UNIT_REGION) == set()
    reference.fill("LU-2026-014")
    reference.press("Enter")
    expect(status).to_have_text("Entry e2 added.")
    expect(tracker.get_by_text("2 entries are awaiting verification.")).to_be_visible()
    assert "Jane Doe" not in tracker.inner_text()

    log = tracker.get_by_role("table", name="Your entries")
    headers = [h.strip() for h in log.locator("thead th").all_inner_texts()]
    assert headers == ["Entry", "Date", "Category", "Description", "Supervising Authorized User", "Status", "Actions"]
    case_row = log.locator("tbody tr").nth(1)
    expect(case_row.locator("td").nth(1)).to_have_text("G3: Parenteral, with a written directive")
    expect(case_row.locator("td").nth(2)).to_contain_text("Lu-177 dotatate; 200 mCi; ref. LU-2026-014")
    expect(case_row.locator("td").nth(3)).to_have_text("Dr Preceptor AU (username preceptor)")
    expect(case_row.locator("td").nth(4)).to_have_text("Awaiting verification")

    summary = tracker.locator("summary", has_text="Requirements in detail")
    summary.focus()
    good_page.keyboard.press("Enter")  # a disclosure opened from the keyboard
    expect(requirement_row(tracker, "^200 hours of classroom")).to_contain_text("0 / 200 h")
    expect(requirement_row(tracker, "^200 hours of classroom")).to_contain_text("Awaiting verification")
    tracker.locator("summary", has_text="Audit trail").click()
    expect(tracker.locator(".rpt-tracker-audit li")).to_have_count(3)  # plan, e1, e2
    assert wcag_violations(good_page, UNIT_REGION) == set(), "every part open"
    assert not page_trouble.outside_requests and not page_trouble.script_errors
    assert [r for r in page_trouble.failed_responses if "/add_entry/" not in r] == []


def test_a_rejected_entry_is_corrected_and_only_the_named_preceptor_or_an_admin_decides(good_page, page_trouble):
    learner = uuid.uuid4().hex[:12]
    tracker = open_as(good_page, learner)
    fill_case(tracker, f"LU-{learner[:6]}")
    add_entry(tracker, "e1")

    preceptor = open_as(good_page.context.new_page(), "preceptor")
    views = preceptor.get_by_role("group", name="Tracker views")
    expect(views.get_by_role("button", name="Preceptor review")).to_have_attribute("aria-pressed", "true")
    expect(preceptor.get_by_label("Show")).to_have_value("mine")
    expect(preceptor.get_by_role("heading", name="Your progress")).to_have_count(0)  # a view of its own
    pending = preceptor.locator("li.rpt-tracker-pending").filter(has=preceptor.page.locator(f"[id$='-comment-{learner}-e1']"))
    expect(pending).to_contain_text("Preceptor named: preceptor.")
    assert wcag_violations(preceptor.page, UNIT_REGION) == set()
    pending.get_by_label("Comment for e1 (required to reject)").fill("The date is the planning visit")
    pending.get_by_role("button", name="Reject e1").click()
    expect(preceptor.locator('[role="status"]')).to_have_text("e1 Rejected.")
    views.get_by_role("button", name="Your own records").click()
    expect(preceptor.get_by_role("heading", name="Your progress")).to_be_visible()
    assert wcag_violations(preceptor.page, UNIT_REGION) == set()

    tracker = open_as(good_page, learner)
    expect(tracker.get_by_text("1 rejected entry can be corrected and sent again.")).to_be_visible()
    row = tracker.get_by_role("table", name="Your entries").locator("tbody tr").first
    expect(row).to_contain_text("Rejected by preceptor: The date is the planning visit")
    row.get_by_role("button", name="Correct e1").click()
    expect(tracker.locator(".rpt-tracker-correcting")).to_contain_text("Correcting e1")
    expect(tracker.get_by_label(re.compile("^De-identified case reference"))).to_have_value(f"LU-{learner[:6]}")
    expect(tracker.get_by_label(re.compile("^Administered activity"))).to_have_value("200 mCi")
    assert wcag_violations(good_page, UNIT_REGION) == set()
    tracker.get_by_label("Date", exact=True).fill("2026-10-02")
    tracker.get_by_role("button", name="Send the correction").click()
    expect(tracker.locator('[role="status"]')).to_have_text("Entry e2 added.")
    rows = tracker.get_by_role("table", name="Your entries").locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Corrected by e2")
    expect(rows.nth(0).get_by_role("button", name="Correct e1")).to_have_count(0)
    expect(rows.nth(1)).to_contain_text("Correction of e1")
    expect(rows.nth(1)).to_contain_text("Awaiting verification")

    other = open_as(good_page.context.new_page(), "preceptor2")
    other.get_by_label("Show").select_option("all")
    waiting = other.locator("li.rpt-tracker-pending").filter(has_text=f"LU-{learner[:6]}")
    expect(waiting).to_contain_text("Correction of e1")
    expect(waiting).to_contain_text("Only the preceptor it names, or a course Admin, can decide this entry.")
    expect(waiting.get_by_role("button", name="Verify e2")).to_have_count(0)
    assert wcag_violations(other.page, UNIT_REGION) == set()

    admin = open_as(good_page.context.new_page(), "staff")
    expect(admin.get_by_label("Show")).to_have_value("all")
    waiting = admin.locator("li.rpt-tracker-pending").filter(has=admin.page.locator(f"[id$='-comment-{learner}-e2']"))
    expect(waiting).to_contain_text("you decide it as a course Admin")
    assert wcag_violations(admin.page, UNIT_REGION) == set()
    waiting.get_by_role("button", name="Verify e2").click()
    expect(admin.locator('[role="status"]')).to_have_text("e2 Verified.")

    tracker = open_as(good_page, learner)
    tracker.locator("summary", has_text="Audit trail").click()
    expect(tracker.locator(".rpt-tracker-audit li").last).to_contain_text("staff verified e2 (course Admin override)")
    assert wcag_violations(good_page, UNIT_REGION) == set()
    assert not page_trouble.outside_requests and not page_trouble.script_errors and not page_trouble.failed_responses
